/**
 * The schema keywords of Kubernetes structural schemas the validator checks with ajv. In a module of their own, so
 * that validators compiled ahead of time (`ManifestValidator.standaloneModule`) can require them.
 */

/** `x-kubernetes-int-or-string: true`: the value is an integer or a string. @internal */
export function intOrString(sch: boolean, data: unknown): boolean {
  return !sch || data === undefined || typeof data === 'string' || Number.isInteger(data);
}
