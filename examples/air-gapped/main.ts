/**
 * An air-gapped install: every image (vLLM, the storage initializer, the routing sidecar, the EPP, the standalone
 * Envoy) is pulled from one internal mirror with a pull secret, the models come from an S3-compatible store inside
 * the network, and the vLLM image is pinned by digest. The P/D pair exercises the sidecar; the second model is
 * served in standalone mode (Envoy beside the EPP, no Gateway).
 */
import { ApiObject, App, Chart, Duration, JsonPatch } from 'cdk8s';
import {
  Accelerator, Engine, ImageRegistry, KvTransfer, LlmService, ModelSource, PrefillDecodePair, SchedulerConfig, Versions,
} from '../../src';

const MIRROR = ImageRegistry.mirror('mirror.corp.internal:5000', {
  repositoryPrefix: 'llm',
  pullSecrets: ['mirror-credentials'],
  digests: { [Versions.VLLM_IMAGE]: 'sha256:7d5f2a0c4b3e8f19a6c2d4e0b1f3a5c7d9e1f2a4b6c8d0e2f4a6b8c0d2e4f6a8' },
});

export function build(app: App): void {
  const chart = new Chart(app, 'air-gapped', { namespace: 'llm-air-gapped' });
  const namespace = new ApiObject(chart, 'namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'llm-air-gapped' } });
  namespace.addJsonPatch(JsonPatch.remove('/metadata/namespace')); // cluster-scoped
  new PrefillDecodePair(chart, 'llama-8b', {
    model: ModelSource.s3('models/meta-llama/Llama-3.1-8B-Instruct', { credentials: 's3-models', endpoint: 'minio.corp.internal:9000' }),
    servedModelName: 'meta-llama/Llama-3.1-8B-Instruct',
    engine: Engine.vllm(),
    accelerator: Accelerator.nvidia(),
    kvTransfer: KvTransfer.nixl(),
    prefill: { replicas: 2 },
    decode: { replicas: 1 },
    startupTimeout: Duration.minutes(20),
    scheduler: SchedulerConfig.prefillDecode(),
    imageRegistry: MIRROR,
  });
  new LlmService(chart, 'qwen3-8b', {
    model: ModelSource.s3('models/Qwen/Qwen3-8B', { credentials: 's3-models', endpoint: 'minio.corp.internal:9000' }),
    servedModelName: 'Qwen/Qwen3-8B',
    engine: Engine.vllm(),
    accelerator: Accelerator.nvidia(),
    replicas: 2,
    scheduler: SchedulerConfig.default(),
    endpointPicker: { standaloneProxy: true },
    imageRegistry: MIRROR,
  });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
