/**
 * P/D disaggregation with SGLang: Qwen3-32B with 2 prefill pods (TP 1) and 1 decode pod (TP 2) on NVIDIA GPUs.
 * Prefill pods run `--disaggregation-mode prefill` with the bootstrap server on port 8998, decode pods
 * `--disaggregation-mode decode`, both moving KV over NIXL (`--disaggregation-transfer-backend nixl`); the routing
 * sidecar in front of decode runs its `sglang` connector and the EPP its P/D profiles, behind an Istio Gateway.
 */
import { ApiObject, App, Chart, Duration, JsonPatch } from 'cdk8s';
import { Accelerator, Engine, GatewayProvider, InferenceGateway, KvTransfer, ModelSource, PrefillDecodePair, SchedulerConfig } from '../../src';

export function build(app: App): void {
  const chart = new Chart(app, 'sglang-pd', { namespace: 'llm-d-sglang-pd' });
  const namespace = new ApiObject(chart, 'namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'llm-d-sglang-pd' } });
  namespace.addJsonPatch(JsonPatch.remove('/metadata/namespace')); // cluster-scoped
  const gateway = new InferenceGateway(chart, 'llm-d-inference-gateway', { provider: GatewayProvider.istio() });
  new PrefillDecodePair(chart, 'qwen3-32b', {
    model: ModelSource.huggingFace('Qwen/Qwen3-32B', { token: { name: 'llm-d-hf-token' } }),
    servedModelName: 'Qwen/Qwen3-32B',
    engine: Engine.sglang({ memFractionStatic: 0.85, extraArgs: ['--trust-remote-code'] }),
    accelerator: Accelerator.nvidia(),
    kvTransfer: KvTransfer.sglang({ backend: 'nixl' }),
    prefill: { replicas: 2, parallelism: { tensor: 1 }, resources: { cpu: '8', memory: '64Gi' } },
    decode: { replicas: 1, parallelism: { tensor: 2 }, resources: { cpu: '16', memory: '128Gi' } },
    startupTimeout: Duration.minutes(30),
    scheduler: SchedulerConfig.prefillDecode(),
    gateway,
  });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
