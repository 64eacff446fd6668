import * as pulumi from '@pulumi/pulumi';

/** What a name given as a Pulumi Input must be once it resolves (the checks the library makes on plain strings). */
export type NameKind = 'namespace' | 'name';

const PLACEHOLDER = /pulumi-input-(\d+)-x(?![a-z0-9])/g;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Why a resolved name cannot be used, or undefined when it can: a namespace is a DNS label (at most 63 characters),
 * other object names (Secret, PVC, Gateway, …) DNS subdomains (at most 253).
 */
export function nameProblem(value: unknown, kind: NameKind): string | undefined {
  if (typeof value !== 'string') return `is ${value === undefined ? 'undefined' : typeof value}, not a string`;
  if (kind === 'namespace') {
    return DNS_LABEL.test(value) && value.length <= 63 ? undefined : 'is not a DNS label (lowercase letters, digits and "-", at most 63 characters)';
  }
  return DNS_SUBDOMAIN.test(value) && value.length <= 253 ? undefined : 'is not a DNS subdomain (lowercase letters, digits, "-" and ".", at most 253 characters)';
}

interface Entry {
  readonly label: string;
  readonly kind: NameKind;
  readonly value: pulumi.Input<string>;
}

/** Every name given as an Input in this program, by placeholder number (shared, so placeholders never collide). */
const REGISTRY: Entry[] = [];

function indices(text: string): number[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => Number(m[1])).filter((i) => REGISTRY[i] !== undefined))];
}

/** The values of the entries `ids`, resolved and checked, by number. */
function resolve(ids: number[]): pulumi.Output<Record<number, string>> {
  return pulumi.all(ids.map((i) => REGISTRY[i].value)).apply((values) => {
    const out: Record<number, string> = {};
    values.forEach((v, n) => {
      const e = REGISTRY[ids[n]];
      const problem = nameProblem(v, e.kind);
      if (problem) throw new Error(`cdk8s-llm-d-pulumi: ${e.label} ${JSON.stringify(v)} ${problem}`);
      out[ids[n]] = v;
    });
    return out;
  });
}

/**
 * Names that come from other Pulumi resources (a Namespace's `metadata.name`, an auto-named Secret or PVC, a
 * Gateway) and are not known while the chart is synthesized. {@link ref} returns a placeholder that passes the
 * library's checks (`pulumi-input-<n>-x`, unique in the program); when the objects are registered, every field
 * holding a placeholder becomes an Output with the resolved name in its place, so the object depends on the
 * resources it names. Placeholders of one component resolve in another too (a route to a Gateway whose namespace
 * is an Input). A plain string is returned as it is.
 *
 * The library may shorten a name longer than 63 characters with a hash (`ResourceNames.childName`); a placeholder is
 * shorter than most real names, so a derived name that would have been hashed is not: registration fails with the
 * object and field when a resolved name or namespace is too long, and then the name must be passed as a plain string.
 */
export class InputNames {
  /**
   * A string standing for `value` in construct props. `label` names it in child resource names (`{label}`) and
   * errors; `kind` is what the resolved value must be.
   */
  public ref(value: pulumi.Input<string>, label = 'name', kind: NameKind = 'name'): string {
    if (typeof value === 'string') return value;
    if (value === undefined || value === null) throw new Error(`cdk8s-llm-d-pulumi: ${label} is ${value}; pass a string or a pulumi.Input<string>`);
    REGISTRY.push({ label, kind, value });
    return `pulumi-input-${REGISTRY.length - 1}-x`;
  }

  /** Whether `text` holds a placeholder. */
  public holds(text: string): boolean {
    return indices(text).length > 0;
  }

  /** `text` with each placeholder replaced by `{label}`: stable child resource names while the values are unknown. */
  public describe(text: string): string {
    return text.replace(PLACEHOLDER, (whole, i) => (REGISTRY[Number(i)] ? `{${REGISTRY[Number(i)].label}}` : whole));
  }

  /** `text` as an Output with the resolved names in place of the placeholders (a plain string when it holds none). */
  public resolveString(text: string): pulumi.Input<string> {
    const ids = indices(text);
    if (ids.length === 0) return text;
    return resolve(ids).apply((values) => text.replace(PLACEHOLDER, (whole, i) => values[Number(i)] ?? whole));
  }

  /**
   * The registration args of an object: each top-level field that holds a placeholder becomes an Output with the
   * resolved names (checked as their {@link NameKind}; the resolved `metadata.name` and `metadata.namespace` too).
   */
  public resolveObject<T extends Record<string, unknown>>(obj: T, where: string): Record<string, pulumi.Input<unknown>> {
    const out: Record<string, pulumi.Input<unknown>> = {};
    for (const [field, value] of Object.entries(obj)) {
      const json = JSON.stringify(value);
      const ids = json === undefined ? [] : indices(json);
      if (ids.length === 0) {
        out[field] = value;
        continue;
      }
      out[field] = resolve(ids).apply((values) => {
        const resolved = JSON.parse(json!.replace(PLACEHOLDER, (whole, i) => (values[Number(i)] !== undefined ? JSON.stringify(values[Number(i)]).slice(1, -1) : whole)));
        if (field === 'metadata') checkMetadata(resolved, where);
        return resolved;
      });
    }
    return out;
  }
}

function checkMetadata(metadata: { name?: unknown; namespace?: unknown }, where: string): void {
  const ns = metadata.namespace === undefined ? undefined : nameProblem(metadata.namespace, 'namespace');
  if (ns) throw new Error(`cdk8s-llm-d-pulumi: ${where}: metadata.namespace ${JSON.stringify(metadata.namespace)} ${ns}`);
  const name = nameProblem(metadata.name, 'name');
  if (name) {
    throw new Error(`cdk8s-llm-d-pulumi: ${where}: metadata.name ${JSON.stringify(metadata.name)} ${name}; `
      + 'a name derived from a pulumi.Input is not shortened like a plain one, so pass that name as a plain string');
  }
}
