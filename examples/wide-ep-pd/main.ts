/**
 * llm-d's wide expert parallelism with P/D, as in its guide: DeepSeek-R1 with a decode and a prefill
 * LeaderWorkerSet, each 2 pods × 8 GPUs (DP 16, EP), one API port per rank. On decode pods the routing sidecar
 * listens on 8000–8007 and forwards to vLLM ranks on 8200–8207; prefill vLLM serves 8000–8007 itself; the
 * InferencePool lists 8000–8007. Mirrors imports/reference/llm-d/kustomize-era-v0.8.0/rendered/wide-ep-lws.rendered.yaml.
 */
import { ApiObject, App, Chart, Duration, JsonPatch } from 'cdk8s';
import {
  Accelerator, DataParallelLoadBalancing, Engine, GatewayProvider, InferenceGateway, KvTransfer, ModelSource, PrefillDecodePair, SchedulerConfig,
} from '../../src';

export function build(app: App): void {
  const chart = new Chart(app, 'wide-ep-pd', { namespace: 'llm-d-wide-ep' });
  const namespace = new ApiObject(chart, 'namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'llm-d-wide-ep' } });
  namespace.addJsonPatch(JsonPatch.remove('/metadata/namespace')); // cluster-scoped
  const gateway = new InferenceGateway(chart, 'inference-gateway', { provider: GatewayProvider.kgateway() });
  const role = (all2all: string) => ({
    replicas: 1,
    parallelism: { data: 16, dataLocal: 8, tensor: 1, expert: true },
    loadBalancing: DataParallelLoadBalancing.EXTERNAL_PER_RANK,
    resources: { cpu: '32', memory: '512Gi' },
    all2allBackend: all2all,
    engine: Engine.vllm({ image: 'ghcr.io/llm-d/llm-d-cuda:v0.8.0', extraArgs: ['--moe-backend', 'deep_gemm'] }),
  });
  new PrefillDecodePair(chart, 'deepseek-r1', {
    model: ModelSource.huggingFace('deepseek-ai/DeepSeek-R1-0528', { token: { name: 'llm-d-hf-token' } }),
    servedModelName: 'deepseek-ai/DeepSeek-R1-0528',
    accelerator: Accelerator.nvidia({ count: 8 }),
    kvTransfer: KvTransfer.nixl({ loadFailurePolicy: 'fail' }),
    rdma: { resourceName: 'rdma/ib', count: 1 },
    prefill: role('deepep_high_throughput'),
    decode: role('deepep_low_latency'),
    startupTimeout: Duration.minutes(45),
    scheduler: SchedulerConfig.prefillDecode(),
    gateway,
  });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
