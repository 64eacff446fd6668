import { Duration } from 'cdk8s';
import { LlmdConfigError } from '../errors';

/** A Kubernetes quantity (apimachinery `resource.Quantity`, without exponents). @internal */
export const QUANTITY = /^[0-9]+(\.[0-9]+)?(m|k|Ki|Mi|Gi|Ti|Pi|Ei|M|G|T|P|E)?$/;
const IMAGE_PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const IMAGE_DOMAIN = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?';
/** The reference grammar of container images (distribution/reference). */
const IMAGE_REF = new RegExp(`^(?:${IMAGE_DOMAIN}/)?${IMAGE_PATH_COMPONENT}(?:/${IMAGE_PATH_COMPONENT})*(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$`);

/**
 * Where a value being checked lives: the construct path and the prop prefix. Passed down to the
 * part that validates, so that every error names the construct and the full field path.
 * @internal
 */
export class FieldContext {
  constructor(public readonly constructPath: string, public readonly prefix: string = '') {}

  /** A context for a nested prop. */
  public child(field: string): FieldContext {
    return new FieldContext(this.constructPath, this.field(field));
  }

  /** The full dotted field path of `field` below this context. */
  public field(field: string): string {
    if (!this.prefix) return field;
    return field.startsWith('[') ? `${this.prefix}${field}` : `${this.prefix}.${field}`;
  }

  /** Build the library error for `field`. */
  public error(field: string, value: unknown, problem: string, fix: string): LlmdConfigError {
    return new LlmdConfigError(this.constructPath, this.field(field), value, problem, fix);
  }

  /**
   * Run a cdk8s conversion (`Duration.toSeconds()`, `Size.toMebibytes()`, …) of the value at `field`; the Error it
   * throws becomes the library error, naming the field and the value as given.
   */
  public convert<T>(field: string, value: unknown, convert: () => T, fix: string): T {
    try {
      return convert();
    } catch (e) {
      if (e instanceof LlmdConfigError) throw e;
      const problem = (e instanceof Error ? e.message : String(e)).replace(/\.$/, '');
      throw this.error(field, value, problem, fix);
    }
  }

  /** Whole seconds of a Duration at `field` (a Duration of milliseconds that do not add up to seconds is refused). */
  public seconds(field: string, value: Duration): number {
    return this.convert(field, value, () => value.toSeconds(), 'use whole seconds, e.g. Duration.seconds(30)');
  }

  /** Require a Kubernetes quantity (`'8'`, `'500m'`, `'64Gi'`), when defined. */
  public quantity(field: string, value: string | undefined, example: string): void {
    if (value === undefined) return;
    if (typeof value !== 'string' || !QUANTITY.test(value)) throw this.error(field, value, 'is not a Kubernetes quantity', `use e.g. ${example}`);
  }

  /** Require a container image reference (`[host[:port]/]path[:tag][@digest]`), when defined. */
  public imageRef(field: string, value: string | undefined): void {
    if (value === undefined) return;
    if (typeof value !== 'string' || value.length > 4096 || !IMAGE_REF.test(value)) {
      throw this.error(field, value, 'is not a container image reference', 'write it as host/path:tag or path@sha256:digest, with lowercase path components and no spaces');
    }
  }

  /** Require an integer >= min (when defined). */
  public positiveInt(field: string, value: number | undefined, min = 1): void {
    if (value === undefined) return;
    if (!Number.isInteger(value) || value < min) {
      throw this.error(field, value, `must be an integer >= ${min}`, `set ${this.field(field)} to an integer of ${min} or more`);
    }
  }

  /** Require a DNS-1123 label (a namespace name), when defined. */
  public dnsLabel(field: string, value: string | undefined, problem: string, fix: string): void {
    if (value === undefined) return;
    if (typeof value !== 'string' || value.length > 63 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value)) throw this.error(field, value, problem, fix);
  }

  /** Require a DNS-1123 subdomain (an object name such as a ServiceAccount), when defined. */
  public dnsSubdomain(field: string, value: string | undefined): void {
    if (value === undefined) return;
    if (typeof value !== 'string' || value.length > 253 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(value)) {
      throw this.error(field, value, 'is not a valid object name (a DNS-1123 subdomain of at most 253 characters)', 'use lowercase letters, digits, - and .');
    }
  }
}
