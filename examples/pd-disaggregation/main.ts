/**
 * llm-d's P/D disaggregation well-lit path: gpt-oss-120b with 8 prefill pods (TP 1) and 2 decode pods (TP 4),
 * NIXL KV transfer (`kv_both` on both roles, block size 128), the routing sidecar in front of decode vLLM, and the
 * EPP's P/D profiles, behind an Istio Gateway. Mirrors
 * imports/reference/llm-d/kustomize-era-v0.8.0/rendered/pd-disaggregation.gateway-istio.rendered.yaml.
 */
import { ApiObject, App, Chart, Duration, JsonPatch } from 'cdk8s';
import { Accelerator, Engine, GatewayProvider, InferenceGateway, KvTransfer, ModelSource, PrefillDecodePair, SchedulerConfig } from '../../src';

export function build(app: App): void {
  const chart = new Chart(app, 'pd-disaggregation', { namespace: 'llm-d-pd-disaggregation' });
  const namespace = new ApiObject(chart, 'namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'llm-d-pd-disaggregation' } });
  namespace.addJsonPatch(JsonPatch.remove('/metadata/namespace')); // cluster-scoped
  const gateway = new InferenceGateway(chart, 'llm-d-inference-gateway', { provider: GatewayProvider.istio() });
  new PrefillDecodePair(chart, 'gpt-oss-120b', {
    model: ModelSource.huggingFace('openai/gpt-oss-120b', { token: { name: 'llm-d-hf-token' } }),
    servedModelName: 'openai/gpt-oss-120b',
    engine: Engine.vllm({ blockSize: 128, extraArgs: ['--disable-access-log-for-endpoints=/health,/metrics,/v1/models', '--no-disable-hybrid-kv-cache-manager'] }),
    accelerator: Accelerator.nvidia(),
    kvTransfer: KvTransfer.nixl(),
    prefill: { replicas: 8, parallelism: { tensor: 1 }, resources: { cpu: '8', memory: '16Gi' } },
    decode: { replicas: 2, parallelism: { tensor: 4 }, resources: { cpu: '16', memory: '64Gi' } },
    startupTimeout: Duration.minutes(60),
    scheduler: SchedulerConfig.prefillDecode(),
    gateway,
  });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
