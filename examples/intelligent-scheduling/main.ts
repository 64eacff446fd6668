/**
 * llm-d's "optimized baseline" well-lit path behind Istio: Qwen3-32B with tensor parallelism 2, an Endpoint
 * Picker with the default load- and prefix-aware profile, an InferencePool, and an Istio Gateway whose route
 * sends `/<namespace>/qwen3-32b/...` to the pool. Mirrors
 * imports/reference/llm-d/kustomize-era-v0.8.0/rendered/optimized-baseline.gateway-istio.rendered.yaml.
 */
import { ApiObject, App, Chart, Duration, JsonPatch } from 'cdk8s';
import { Accelerator, Engine, GatewayProvider, InferenceGateway, LlmService, ModelSource, SchedulerConfig } from '../../src';

export function build(app: App): void {
  const chart = new Chart(app, 'intelligent-scheduling', { namespace: 'llm-d-optimized-baseline' });
  const namespace = new ApiObject(chart, 'namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'llm-d-optimized-baseline' } });
  namespace.addJsonPatch(JsonPatch.remove('/metadata/namespace')); // cluster-scoped
  const gateway = new InferenceGateway(chart, 'llm-d-inference-gateway', { provider: GatewayProvider.istio() });
  new LlmService(chart, 'qwen3-32b', {
    model: ModelSource.huggingFace('Qwen/Qwen3-32B', { token: { name: 'llm-d-hf-token' } }),
    servedModelName: 'Qwen/Qwen3-32B',
    engine: Engine.vllm({ extraArgs: ['--disable-access-log-for-endpoints=/health,/metrics,/v1/models'] }),
    accelerator: Accelerator.nvidia({ count: 2 }),
    parallelism: { tensor: 2 },
    replicas: 8,
    resources: { cpu: '8', memory: '96Gi' },
    startupTimeout: Duration.minutes(60),
    scheduler: SchedulerConfig.default(),
    endpointPicker: { objectivePriority: 0 },
    gateway,
  });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
