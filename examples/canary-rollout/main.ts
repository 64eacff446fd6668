/**
 * A canary rollout of a new model version under load. The stable version (`qwen-v1`, Qwen3-8B, namespace `llm`) and
 * the canary (`qwen-v2`, the FP8 build, namespace `llm-canary`) each run as their own LlmService with their own
 * Deployment, InferencePool and Endpoint Picker; one weighted HTTPRoute on `/llm/qwen` sends 90 % of the requests to
 * the stable pool and 10 % to the canary (through a ReferenceGrant in `llm-canary`), and requests carrying
 * `x-model-variant: canary` always go to the canary (for smoke tests).
 *
 * Both versions answer to the model name clients already use, `qwen`: the stable one serves it, the canary serves
 * `qwen-fp8` and an InferenceModelRewrite on its pool maps `qwen` onto it. Interactive traffic has a critical
 * InferenceObjective (priority 100), batch traffic a sheddable one (-10), on both pools (the canary's own namespace
 * lets its objectives carry the same names); the Endpoint Pickers run flow control, so under saturation requests
 * queue by priority band instead of failing, and batch requests are shed first.
 * The GPU Deployments roll one pod at a time without surge (the default for accelerator workloads).
 *
 * Promote by moving the weights (e.g. 50/50, then 0/100), then retire `qwen-v1`: adding or removing a version
 * never changes the other version's objects.
 */
import { ApiObject, App, Chart, Duration, JsonPatch } from 'cdk8s';
import {
  Accelerator, GatewayProvider, InferenceGateway, InferenceModelRewrite, InferenceObjective, LlmService, ModelSource, SchedulerConfig,
} from '../../src';

export function build(app: App): void {
  const chart = new Chart(app, 'canary-rollout', { namespace: 'llm' });
  for (const name of ['llm', 'llm-canary']) {
    const namespace = new ApiObject(chart, `namespace-${name}`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    namespace.addJsonPatch(JsonPatch.remove('/metadata/namespace')); // cluster-scoped
  }
  const gateway = new InferenceGateway(chart, 'inference-gateway', { provider: GatewayProvider.kgateway() });

  // Priority bands of the EPP's flow control: critical traffic gets its own band, sheddable traffic a small one.
  const scheduler = SchedulerConfig.default().withFlowControl({
    defaultRequestTtl: Duration.seconds(60),
    priorityBands: [
      { priority: 100, maxRequests: '2000' },
      { priority: 0, fairnessPolicy: 'round-robin-fairness-policy' },
    ],
    defaultNegativePriorityBand: { maxRequests: '100' },
  });
  const accelerator = Accelerator.nvidia({ nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-L4' } });

  const stable = new LlmService(chart, 'qwen-v1', {
    model: ModelSource.huggingFace('Qwen/Qwen3-8B', { token: { name: 'hf-token' } }),
    servedModelName: 'qwen',
    accelerator,
    replicas: 4,
    scheduler,
  });
  const canary = new LlmService(chart, 'qwen-v2', {
    model: ModelSource.huggingFace('Qwen/Qwen3-8B-FP8', { token: { name: 'hf-token' } }),
    namespace: 'llm-canary',
    servedModelName: 'qwen-fp8',
    accelerator,
    replicas: 1,
    scheduler,
  });

  // Requests for `qwen` that reach the canary's pool are served by the FP8 model.
  new InferenceModelRewrite(chart, 'qwen-to-fp8', {
    pool: canary.inferencePool!,
    rules: [{ matchModels: ['qwen'], targets: [{ model: 'qwen-fp8' }] }],
  });
  // Clients pick an objective with the header `x-llm-d-inference-objective: interactive` (or `batch`); each EPP looks
  // it up by name among the objectives of its own pool, so both pools get both.
  for (const v of [stable, canary]) {
    new InferenceObjective(chart, `${v.name}-interactive`, { pool: v.inferencePool!, name: 'interactive', namespace: v.namespace, priority: 100 });
    new InferenceObjective(chart, `${v.name}-batch`, { pool: v.inferencePool!, name: 'batch', namespace: v.namespace, priority: -10 });
  }

  gateway.route('qwen', {
    name: 'qwen',
    servedModelName: 'qwen',
    header: 'x-model-variant',
    referenceGrant: true,
    backends: [
      { endpoint: stable, weight: 90 },
      { endpoint: canary, weight: 10, headerValue: 'canary' },
    ],
  });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
