import { SchemaValidator } from './schema-validator';

test('scratch', () => {
  const v = SchemaValidator.get();
  for (const [a, k] of [['gateway.networking.k8s.io/v1', 'HTTPRoute'], ['gateway.networking.k8s.io/v1', 'Gateway'], ['gateway.networking.k8s.io/v1', 'ReferenceGrant'], ['inference.networking.x-k8s.io/v1alpha2', 'InferencePool'], ['llm-d.ai/v1alpha2', 'InferenceObjective']]) {
    const c = v.ruleCoverage(a, k);
    console.log(k, c.total, c.transitionRules, c.unevaluated.map(r => r.schemaPath + '  ::  ' + r.rule.slice(0, 90)).join('\n'));
  }
});
