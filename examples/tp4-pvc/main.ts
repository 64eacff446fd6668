/**
 * Llama 3.3 70B (FP8) with tensor parallelism 4 on 4 NVIDIA GPUs of one node, weights read from the
 * PersistentVolumeClaim `models` (mounted read-only). The GPU count, `--tensor-parallel-size 4` and the
 * `/dev/shm` size are derived from the parallelism.
 */
import { ApiObject, App, Chart, Duration, JsonPatch } from 'cdk8s';
import { Accelerator, Engine, LlmService, ModelSource } from '../../src';

export function build(app: App): void {
  const chart = new Chart(app, 'tp4-pvc', { namespace: 'llm' });
  const namespace = new ApiObject(chart, 'namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'llm' } });
  namespace.addJsonPatch(JsonPatch.remove('/metadata/namespace')); // cluster-scoped
  new LlmService(chart, 'llama-70b', {
    model: ModelSource.pvc('models', 'llama-3.3-70b-instruct-fp8'),
    servedModelName: 'meta-llama/Llama-3.3-70B-Instruct',
    engine: Engine.vllm({ maxModelLen: 16384, quantization: 'fp8', enablePrefixCaching: true }),
    accelerator: Accelerator.nvidia({
      count: 4,
      nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3' },
      tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
    }),
    parallelism: { tensor: 4 },
    replicas: 2,
    resources: { cpu: '16', memory: '200Gi' },
    startupTimeout: Duration.minutes(30),
  });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
