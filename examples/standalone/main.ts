/**
 * llm-d's standalone mode: no Gateway. An Envoy proxy runs beside the Endpoint Picker and serves inference on the
 * EPP Service's port 80; for each request it asks the EPP (ext_proc on localhost:9002) which pod to use. Here on
 * the inference simulator, so it runs on any cluster. Mirrors the shape of
 * imports/reference/llm-d/kustomize-era-v0.8.0/rendered/optimized-baseline.rendered.yaml, with the Envoy
 * ConfigMap named after the service so two releases can share a namespace.
 */
import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import { Accelerator, Engine, LlmService, ModelSource, SchedulerConfig } from '../../src';

export function build(app: App): void {
  const chart = new Chart(app, 'standalone', { namespace: 'llm-standalone' });
  const namespace = new ApiObject(chart, 'namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'llm-standalone' } });
  namespace.addJsonPatch(JsonPatch.remove('/metadata/namespace')); // cluster-scoped
  new LlmService(chart, 'qwen', {
    model: ModelSource.huggingFace('Qwen/Qwen3-0.6B'),
    servedModelName: 'Qwen/Qwen3-0.6B',
    engine: Engine.simulator({ timeToFirstTokenMs: 100, interTokenLatencyMs: 10 }),
    accelerator: Accelerator.cpu(),
    replicas: 3,
    scheduler: SchedulerConfig.default(),
    endpointPicker: { standaloneProxy: true, metricsAuth: false },
  });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
