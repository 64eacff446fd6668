import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { LlmdConfigError } from '../errors';

/**
 * The namespace objects of `scope` are created in: the explicit prop, else the Chart's namespace.
 * @internal
 */
export function resolveNamespace(scope: IConstruct, explicit?: string): string | undefined {
  if (explicit !== undefined) return explicit;
  return Chart.of(scope).namespace;
}

/**
 * The namespace for a value that embeds it (an FQDN, an EPP flag). Never returns an empty string.
 * @internal
 */
export function requireNamespace(scope: IConstruct, field: string, explicit?: string): string {
  const ns = resolveNamespace(scope, explicit);
  if (!ns) {
    throw new LlmdConfigError(
      scope.node.path,
      field,
      ns,
      'needs a namespace, and neither the prop nor the Chart sets one',
      "pass `namespace` to the Chart (new Chart(app, 'x', { namespace: 'llm' })) or set the construct's `namespace` prop",
    );
  }
  return ns;
}
