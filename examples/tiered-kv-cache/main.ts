/**
 * Long multi-turn contexts on a model whose KV cache outgrows GPU memory: vLLM offloads blocks to 200 GiB of host memory,
 * then to a per-pod NVMe volume (a generic ephemeral volume of a local-NVMe StorageClass), and the EPP scores both tiers
 * (llm-d's tiered-prefix-cache guide: one approximate prefix producer per tier).
 */
import { ApiObject, App, Chart, Duration, JsonPatch, Size } from 'cdk8s';
import { Accelerator, Engine, KvCache, KvCacheTier, LlmService, ModelSource, SchedulerConfig } from '../../src';

export function build(app: App): void {
  const chart = new Chart(app, 'tiered-kv-cache', { namespace: 'llm-tiered' });
  const namespace = new ApiObject(chart, 'namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'llm-tiered' } });
  namespace.addJsonPatch(JsonPatch.remove('/metadata/namespace')); // cluster-scoped
  new LlmService(chart, 'qwen3-32b', {
    model: ModelSource.huggingFace('Qwen/Qwen3-32B', { token: { name: 'hf-token' } }),
    servedModelName: 'Qwen/Qwen3-32B',
    engine: Engine.vllm({ maxModelLen: 65536 }),
    accelerator: Accelerator.nvidia(),
    parallelism: { tensor: 2 },
    replicas: 2,
    resources: { cpu: '16', memory: '64Gi' },
    startupTimeout: Duration.minutes(20),
    kvCache: KvCache.offload({
      cpu: Size.gibibytes(200),
      secondary: [KvCacheTier.ephemeralVolume({ size: Size.gibibytes(1000), storageClassName: 'local-nvme' })],
    }),
    // 200 GiB / (160 KiB per token × 16 tokens per block) ≈ 82,000 blocks per server
    scheduler: SchedulerConfig.tieredPrefixCache({ cpuBlocksPerServer: 82000 }),
  });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
