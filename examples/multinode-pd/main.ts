/**
 * P/D combined with multi-node data parallelism (KServe's P/D + multi-node mode): DeepSeek-R1 with a decode
 * LeaderWorkerSet of 2 pods × 8 GPUs (DP 16, expert parallel; the leader serves behind the routing sidecar, workers
 * run `--headless`) and 4 single-node prefill pods (DP 8 × EP on 8 GPUs each). NIXL KV transfer over InfiniBand with
 * one side-channel port per local rank.
 */
import { ApiObject, App, Chart, Duration, JsonPatch } from 'cdk8s';
import { Accelerator, Engine, KvTransfer, ModelSource, PrefillDecodePair, SchedulerConfig } from '../../src';

export function build(app: App): void {
  const chart = new Chart(app, 'multinode-pd', { namespace: 'llm' });
  const namespace = new ApiObject(chart, 'namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'llm' } });
  namespace.addJsonPatch(JsonPatch.remove('/metadata/namespace')); // cluster-scoped
  new PrefillDecodePair(chart, 'deepseek-r1-pd', {
    model: ModelSource.huggingFace('deepseek-ai/DeepSeek-R1-0528', { token: { name: 'hf-token' } }),
    servedModelName: 'deepseek-ai/DeepSeek-R1-0528',
    engine: Engine.vllm({ image: 'ghcr.io/llm-d/llm-d-cuda:v0.8.0', blockSize: 64 }),
    accelerator: Accelerator.nvidia({ count: 8 }),
    kvTransfer: KvTransfer.nixl({ ucxTransports: 'rc,sm,self,cuda_copy,cuda_ipc' }),
    rdma: { resourceName: 'rdma/ib', count: 1 },
    prefill: { replicas: 4, parallelism: { data: 8, expert: true }, resources: { cpu: '32', memory: '512Gi' } },
    decode: { replicas: 1, parallelism: { data: 16, dataLocal: 8, expert: true }, resources: { cpu: '32', memory: '512Gi' } },
    startupTimeout: Duration.minutes(45),
    scheduler: SchedulerConfig.prefillDecode(),
    route: { gateway: { name: 'inference-gateway', namespace: 'gateways' } },
  });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
