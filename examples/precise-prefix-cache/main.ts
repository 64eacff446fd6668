/**
 * llm-d's precise prefix-cache routing: every vLLM pod publishes KV-cache events (`--kv-events-config`, bound on
 * port 5556, topic `kv@<podIP>:8000@<model>`), the EPP discovers the pods and indexes the events, and a CPU vLLM
 * tokenizer Service (`N-tokenizer`) tokenizes prompts for it. Block size (64), model name and ports agree on both
 * sides because they are derived from one SchedulerConfig. Two EPP replicas with leader election. Mirrors
 * imports/reference/llm-d/kustomize-era-v0.8.0/rendered/precise-prefix-cache-routing.rendered.yaml (gateway mode).
 */
import { ApiObject, App, Chart, Duration, JsonPatch } from 'cdk8s';
import { Accelerator, Engine, GatewayProvider, InferenceGateway, KvEvents, LlmService, ModelSource, SchedulerConfig } from '../../src';

export function build(app: App): void {
  const chart = new Chart(app, 'precise-prefix-cache', { namespace: 'llm-d-precise-prefix-cache-routing' });
  const namespace = new ApiObject(chart, 'namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'llm-d-precise-prefix-cache-routing' } });
  namespace.addJsonPatch(JsonPatch.remove('/metadata/namespace')); // cluster-scoped
  const gateway = new InferenceGateway(chart, 'inference-gateway', { provider: GatewayProvider.agentgateway() });
  new LlmService(chart, 'qwen3-32b', {
    model: ModelSource.huggingFace('Qwen/Qwen3-32B', { token: { name: 'llm-d-hf-token' } }),
    servedModelName: 'Qwen/Qwen3-32B',
    engine: Engine.vllm({ extraArgs: ['--disable-access-log-for-endpoints=/health,/metrics,/v1/models'] }),
    accelerator: Accelerator.nvidia(),
    parallelism: { tensor: 2 },
    replicas: 8,
    resources: { cpu: '8', memory: '96Gi' },
    startupTimeout: Duration.minutes(60),
    scheduler: SchedulerConfig.precisePrefixCache({ modelName: 'Qwen/Qwen3-32B', blockSize: 64, kvEvents: KvEvents.podDiscovery({ socketPort: 5556 }) }),
    endpointPicker: { replicas: 2 },
    gateway,
  });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
