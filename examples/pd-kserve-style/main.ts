/**
 * The intent of KServe's sample `single-node-gpu__llm-inference-service-pd-qwen2-7b-gpu.yaml`, without the
 * operator: Qwen2.5-7B with one decode and two prefill pods, NIXL with `kv_producer`/`kv_consumer` roles and UCX over
 * RoCE (`rdma/roce_gdr`, the `roce-p2` network, IPC_LOCK), KServe's default P/D scheduler config (always
 * disaggregate), and an HTTPRoute to an existing Gateway.
 */
import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import { Accelerator, KvRoles, KvTransfer, ModelSource, PrefillDecodePair, SchedulerConfig } from '../../src';

export function build(app: App): void {
  const chart = new Chart(app, 'pd-kserve-style', { namespace: 'llm' });
  const namespace = new ApiObject(chart, 'namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'llm' } });
  namespace.addJsonPatch(JsonPatch.remove('/metadata/namespace')); // cluster-scoped
  new PrefillDecodePair(chart, 'qwen2-7b-instruct-pd', {
    model: ModelSource.huggingFace('Qwen/Qwen2.5-7B-Instruct'),
    servedModelName: 'Qwen/Qwen2.5-7B-Instruct',
    accelerator: Accelerator.nvidia({ count: 1 }),
    kvTransfer: KvTransfer.nixl({ roles: KvRoles.PRODUCER_CONSUMER, ucxTransports: 'rc,sm,self,cuda_copy,cuda_ipc' }),
    rdma: { resourceName: 'rdma/roce_gdr', count: 1, networks: 'roce-p2' },
    prefill: { replicas: 2, resources: { cpu: '2', memory: '16Gi' } },
    decode: { replicas: 1, resources: { cpu: '2', memory: '16Gi' } },
    scheduler: SchedulerConfig.prefillDecode(),
    route: { gateway: { name: 'kserve-ingress-gateway', namespace: 'kserve' } },
  });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
