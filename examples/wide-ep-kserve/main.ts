/**
 * KServe's data + expert parallel shape (samples `dp-ep__*.yaml`, kserve-llmisvc.md §3.5): DeepSeek-V2-Lite-Chat
 * with data parallel 4, 2 ranks per pod (2 pods per group), expert parallelism, internal load balancing — only the
 * leader serves the API; workers run `--headless`, and the Service and pool select leaders only.
 */
import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import { Accelerator, Engine, ModelSource, MultiNodeGroup, SchedulerConfig } from '../../src';

export function build(app: App): void {
  const chart = new Chart(app, 'wide-ep-kserve', { namespace: 'llm' });
  const namespace = new ApiObject(chart, 'namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'llm' } });
  namespace.addJsonPatch(JsonPatch.remove('/metadata/namespace')); // cluster-scoped
  new MultiNodeGroup(chart, 'deepseek-v2-lite', {
    model: ModelSource.huggingFace('deepseek-ai/DeepSeek-V2-Lite-Chat'),
    servedModelName: 'deepseek-ai/DeepSeek-V2-Lite-Chat',
    engine: Engine.vllm({ maxModelLen: 8192, extraArgs: ['--trust-remote-code'] }),
    accelerator: Accelerator.nvidia({ count: 2 }),
    parallelism: { data: 4, dataLocal: 2, tensor: 1, expert: true },
    all2allBackend: 'deepep_low_latency',
    rdma: { resourceName: 'rdma/roce_gdr', networks: 'roce-p2' },
    scheduler: SchedulerConfig.default(),
    route: { gateway: { name: 'kserve-ingress-gateway', namespace: 'kserve' } },
  });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
