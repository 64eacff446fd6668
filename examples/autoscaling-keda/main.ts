/**
 * Scale to zero with KEDA: a Qwen3 8B service behind the Endpoint Picker, scaled by a KEDA ScaledObject on the
 * EPP's average queue size of the pool. With no load it goes to zero replicas (`idleReplicaCount: 0`); requests that
 * arrive meanwhile wait in the EPP while the first replica loads the model. The Deployment has no `spec.replicas`,
 * so re-applying never fights KEDA.
 */
import { ApiObject, App, Chart, Duration, JsonPatch } from 'cdk8s';
import { Autoscaling, LlmService, ModelSource, ScalingMetric, SchedulerConfig } from '../../src';

export function build(app: App): void {
  const chart = new Chart(app, 'autoscaling-keda', { namespace: 'llm' });
  const namespace = new ApiObject(chart, 'namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'llm' } });
  namespace.addJsonPatch(JsonPatch.remove('/metadata/namespace')); // cluster-scoped
  new LlmService(chart, 'qwen3-8b', {
    model: ModelSource.huggingFace('Qwen/Qwen3-8B', { token: { name: 'hf-token' } }),
    servedModelName: 'Qwen/Qwen3-8B',
    scheduler: SchedulerConfig.default(),
    autoscaling: Autoscaling.keda({
      minReplicas: 1,
      maxReplicas: 6,
      idleReplicaCount: 0,
      serverAddress: 'http://prometheus-operated.monitoring.svc:9090',
      metric: ScalingMetric.eppQueueSize(4),
      cooldownPeriod: Duration.minutes(15),
      initialCooldownPeriod: Duration.minutes(10),
    }),
  });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
