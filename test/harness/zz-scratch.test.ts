import { SchemaValidator } from './schema-validator';

test('scratch', () => {
  const v = SchemaValidator.get();
  const kinds: Array<[string, string]> = [['apps/v1', 'Deployment'], ['v1', 'Service'], ['v1', 'ConfigMap'], ['inference.networking.k8s.io/v1', 'InferencePool'], ['gateway.networking.k8s.io/v1', 'HTTPRoute'], ['leaderworkerset.x-k8s.io/v1', 'LeaderWorkerSet'], ['gateway.networking.k8s.io/v1', 'Gateway'], ['rbac.authorization.k8s.io/v1', 'Role']];
  for (const [a, k] of kinds) {
    const t = performance.now();
    v.validate({ apiVersion: a, kind: k, metadata: { name: 'x' } });
    console.log(a, k, performance.now() - t);
  }
  for (const [a, k] of kinds) { try { console.log(k, v.precompileRules(a, k)); } catch (e) { console.log(e); } }
  console.log(v.unsupportedRules);
});
