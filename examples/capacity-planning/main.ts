/**
 * Capacity planning at synth time: three models with their profiles and accelerator types. Each workload gets the
 * `llm-d.cdk8s.io/capacity` annotation (weights and KV cache per GPU, sequences that fit at max-model-len) that
 * `cdk8s-llm-d plan` and `Plan.of(app)` print, and a startup probe budget derived from the checkpoint size.
 * - Llama 3.3 70B, TP 4 on H100 80GB nodes selected by their GPU feature discovery label, 32k context;
 * - gpt-oss-120b, P/D on H200: 2 prefill pods (TP 1) and 1 decode pod (TP 2) at the full 131072-token context;
 * - Llama 3.1 405B in bf16, TP 8 × PP 2 over two H100 nodes with Ray, 16k context.
 */
import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import {
  Accelerator, AcceleratorType, AcceleratorTypeSelector, Engine, LaunchStrategy, LlmService, ModelProfile, ModelSource, MultiNodeGroup, PrefillDecodePair,
  SchedulerConfig,
} from '../../src';

export function build(app: App): void {
  const chart = new Chart(app, 'capacity-planning', { namespace: 'llm' });
  const namespace = new ApiObject(chart, 'namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'llm' } });
  namespace.addJsonPatch(JsonPatch.remove('/metadata/namespace')); // cluster-scoped
  const gateway = { name: 'inference-gateway', namespace: 'gateways' };
  const route = (name: string) => ({ gateway, pathPrefix: `/llm/${name}` });
  const h100 = Accelerator.nvidia({ type: AcceleratorType.H100_80GB, selectType: AcceleratorTypeSelector.GPU_FEATURE_DISCOVERY });

  new LlmService(chart, 'llama-70b', {
    model: ModelSource.pvc('models', 'llama-3.3-70b-instruct'),
    servedModelName: 'meta-llama/Llama-3.3-70B-Instruct',
    profile: ModelProfile.LLAMA_3_3_70B,
    engine: Engine.vllm({ maxModelLen: 32768 }),
    accelerator: h100,
    parallelism: { tensor: 4 },
    replicas: 2,
    route: route('llama-70b'),
  });

  new PrefillDecodePair(chart, 'gpt-oss-120b', {
    model: ModelSource.huggingFace('openai/gpt-oss-120b', { token: { name: 'hf-token' } }),
    servedModelName: 'openai/gpt-oss-120b',
    profile: ModelProfile.GPT_OSS_120B,
    engine: Engine.vllm({ blockSize: 128 }),
    accelerator: Accelerator.nvidia({ type: AcceleratorType.H200, selectType: AcceleratorTypeSelector.GPU_FEATURE_DISCOVERY }),
    prefill: { replicas: 2, parallelism: { tensor: 1 } },
    decode: { replicas: 1, parallelism: { tensor: 2 } },
    scheduler: SchedulerConfig.prefillDecode(),
    route: route('gpt-oss-120b'),
  });

  new MultiNodeGroup(chart, 'llama-405b', {
    model: ModelSource.pvc('models', 'llama-3.1-405b-instruct'),
    servedModelName: 'meta-llama/Llama-3.1-405B-Instruct',
    profile: ModelProfile.LLAMA_3_1_405B,
    engine: Engine.vllm({ maxModelLen: 16384 }),
    accelerator: h100,
    parallelism: { tensor: 8, pipeline: 2 },
    launch: LaunchStrategy.ray(),
    route: route('llama-405b'),
  });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
