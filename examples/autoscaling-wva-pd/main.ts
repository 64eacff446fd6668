/**
 * Cost-aware autoscaling of a P/D stack with llm-d's Workload Variant Autoscaler: each role is its own variant
 * (VariantAutoscaling `N-kserve-prefill-hpa` / `N-kserve-hpa`) and an HPA applies WVA's `wva_desired_replicas`
 * to its Deployment, under the names and annotations KServe's controller uses. The EPP runs two replicas (leader
 * election); every serving workload gets a PodDisruptionBudget.
 */
import { ApiObject, App, Chart, Duration, JsonPatch } from 'cdk8s';
import { Autoscaling, DisruptionBudget, KvTransfer, ModelSource, PrefillDecodePair, SchedulerConfig, WvaActuator } from '../../src';

export function build(app: App): void {
  const chart = new Chart(app, 'autoscaling-wva-pd', { namespace: 'llm' });
  const namespace = new ApiObject(chart, 'namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'llm' } });
  namespace.addJsonPatch(JsonPatch.remove('/metadata/namespace')); // cluster-scoped
  new PrefillDecodePair(chart, 'llama-70b', {
    model: ModelSource.huggingFace('meta-llama/Llama-3.3-70B-Instruct', { token: { name: 'hf-token' } }),
    servedModelName: 'meta-llama/Llama-3.3-70B-Instruct',
    kvTransfer: KvTransfer.nixl(),
    scheduler: SchedulerConfig.prefillDecode(),
    endpointPicker: { replicas: 2 },
    prefill: {
      parallelism: { tensor: 2 },
      autoscaling: Autoscaling.wva({ minReplicas: 1, maxReplicas: 8, variantCost: 20, acceleratorType: 'nvidia-h100-80gb' }),
      disruptionBudget: DisruptionBudget.maxUnavailablePercent(25),
    },
    decode: {
      parallelism: { tensor: 4 },
      autoscaling: Autoscaling.wva({
        minReplicas: 1,
        maxReplicas: 4,
        variantCost: 40,
        acceleratorType: 'nvidia-h100-80gb',
        actuator: WvaActuator.hpa({ scaleDown: { stabilizationWindow: Duration.minutes(10), podsPerPeriod: 1 } }),
      }),
    },
  });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
