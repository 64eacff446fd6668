/**
 * The default stack: a small model served by llm-d's inference simulator. No GPU and no model download,
 * so it runs on any cluster (kind, minikube). `npm run synth` writes it to dist/.
 */
import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import { Accelerator, Engine, LlmService, ModelSource } from '../../src';

export const NAMESPACE = 'llm-demo';

export function build(app: App): void {
  const chart = new Chart(app, 'default', { namespace: NAMESPACE });
  const namespace = new ApiObject(chart, 'namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } });
  namespace.addJsonPatch(JsonPatch.remove('/metadata/namespace')); // cluster-scoped
  new LlmService(chart, 'qwen', {
    model: ModelSource.huggingFace('Qwen/Qwen3-0.6B'),
    servedModelName: 'Qwen/Qwen3-0.6B',
    engine: Engine.simulator({ timeToFirstTokenMs: 200, interTokenLatencyMs: 20 }),
    accelerator: Accelerator.cpu(),
    replicas: 2,
    resources: { cpu: '100m', memory: '128Mi' },
  });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
