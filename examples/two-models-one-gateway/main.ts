/**
 * Two models behind one GKE Gateway: each gets its own InferencePool, Endpoint Picker and route
 * (`/llm/llama-8b/...` and `/llm/qwen3-8b/...`, plus a model-name header rule), and the GKE HealthCheckPolicy and
 * GCPBackendPolicy per pool. The Llama service serves two LoRA adapters and schedules with LoRA affinity and
 * session affinity; the Qwen service has a higher-priority InferenceObjective.
 */
import { ApiObject, App, Chart, Duration, JsonPatch } from 'cdk8s';
import { Accelerator, Engine, GatewayProvider, InferenceGateway, LlmService, ModelSource, SchedulerConfig } from '../../src';

export function build(app: App): void {
  const chart = new Chart(app, 'two-models-one-gateway', { namespace: 'llm' });
  const namespace = new ApiObject(chart, 'namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'llm' } });
  namespace.addJsonPatch(JsonPatch.remove('/metadata/namespace')); // cluster-scoped
  const gateway = new InferenceGateway(chart, 'inference-gateway', {
    provider: GatewayProvider.gke(),
    modelHeaderMatching: true,
    requestTimeout: Duration.minutes(10),
  });
  new LlmService(chart, 'llama-8b', {
    model: ModelSource.huggingFace('meta-llama/Llama-3.1-8B-Instruct', { token: { name: 'hf-token' } }),
    servedModelName: 'meta-llama/Llama-3.1-8B-Instruct',
    engine: Engine.vllm({ maxModelLen: 16384 }),
    accelerator: Accelerator.nvidia({ nodeSelector: { 'cloud.google.com/gke-accelerator': 'nvidia-l4' } }),
    replicas: 3,
    loraAdapters: [
      { name: 'sql-lora', source: ModelSource.huggingFace('org/llama-3.1-8b-sql-lora', { token: { name: 'hf-token' } }) },
      { name: 'support-lora', source: ModelSource.gcs('llm-adapters/support-lora') },
    ],
    lora: { maxRank: 32 },
    scheduler: SchedulerConfig.sessionAffinity({ lora: true }),
    gateway,
  });
  new LlmService(chart, 'qwen3-8b', {
    model: ModelSource.huggingFace('Qwen/Qwen3-8B'),
    servedModelName: 'Qwen/Qwen3-8B',
    accelerator: Accelerator.nvidia({ nodeSelector: { 'cloud.google.com/gke-accelerator': 'nvidia-l4' } }),
    replicas: 2,
    scheduler: SchedulerConfig.default(),
    endpointPicker: { objectivePriority: 10, metricsAuth: false },
    gateway,
  });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
