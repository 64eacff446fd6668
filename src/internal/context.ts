import { Duration } from 'cdk8s';
import { LlmdConfigError } from '../errors';

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
