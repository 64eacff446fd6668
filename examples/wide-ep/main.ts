/**
 * llm-d's wide expert parallelism: DeepSeek-R1 with data parallel 16 and expert parallelism over 2 nodes × 8 GPUs
 * per group. Every pod runs 8 DP ranks, each with its own API server port (8000–8007,
 * `--data-parallel-multi-port-external-lb`, supervisor on 8008); the InferencePool lists all 8 ports, so the EPP
 * balances across ranks. Start rank and leader address come from the LeaderWorkerSet's env at run time. Compared
 * in the tests with the prefill LeaderWorkerSet of
 * imports/reference/llm-d/kustomize-era-v0.8.0/rendered/wide-ep-lws.rendered.yaml.
 */
import { ApiObject, App, Chart, Duration, JsonPatch } from 'cdk8s';
import {
  Accelerator, DataParallelLoadBalancing, Engine, GatewayProvider, InferenceGateway, LaunchStrategy, ModelSource, MultiNodeGroup, SchedulerConfig,
} from '../../src';

export function build(app: App): void {
  const chart = new Chart(app, 'wide-ep', { namespace: 'llm-d-wide-ep' });
  const namespace = new ApiObject(chart, 'namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'llm-d-wide-ep' } });
  namespace.addJsonPatch(JsonPatch.remove('/metadata/namespace')); // cluster-scoped
  const gateway = new InferenceGateway(chart, 'inference-gateway', { provider: GatewayProvider.kgateway() });
  new MultiNodeGroup(chart, 'deepseek-r1', {
    model: ModelSource.huggingFace('deepseek-ai/DeepSeek-R1-0528', { token: { name: 'llm-d-hf-token' } }),
    servedModelName: 'deepseek-ai/DeepSeek-R1-0528',
    engine: Engine.vllm({ image: 'ghcr.io/llm-d/llm-d-cuda:v0.8.0', extraArgs: ['--disable-access-log-for-endpoints=/health,/metrics,/v1/models'] }),
    accelerator: Accelerator.nvidia({ count: 8 }),
    parallelism: { data: 16, dataLocal: 8, tensor: 1, expert: true },
    launch: LaunchStrategy.dataParallel(DataParallelLoadBalancing.EXTERNAL_PER_RANK),
    all2allBackend: 'deepep_high_throughput',
    rdma: { resourceName: 'rdma/ib', count: 1 },
    network: { socketInterface: 'eth0' },
    resources: { cpu: '32', memory: '512Gi' },
    startupTimeout: Duration.minutes(45),
    scheduler: SchedulerConfig.default(),
    gateway,
  });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
