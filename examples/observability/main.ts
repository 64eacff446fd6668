/**
 * Production observability for a P/D stack: prometheus-operator PodMonitors for the prefill and decode vLLM pods,
 * a ServiceMonitor for the EPP with the bearer token its metrics auth requires, a Grafana dashboard ConfigMap
 * (loaded by the Grafana Helm chart's sidecar), and OpenTelemetry traces from vLLM and the EPP to a collector.
 */
import { ApiObject, App, Chart, Duration, JsonPatch } from 'cdk8s';
import { KvTransfer, ModelSource, Monitoring, PrefillDecodePair, SchedulerConfig } from '../../src';

export function build(app: App): void {
  const chart = new Chart(app, 'observability', { namespace: 'llm' });
  const namespace = new ApiObject(chart, 'namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'llm' } });
  namespace.addJsonPatch(JsonPatch.remove('/metadata/namespace')); // cluster-scoped
  new PrefillDecodePair(chart, 'qwen3-32b', {
    model: ModelSource.huggingFace('Qwen/Qwen3-32B', { token: { name: 'hf-token' } }),
    servedModelName: 'Qwen/Qwen3-32B',
    prefill: { replicas: 2, parallelism: { tensor: 1 } },
    decode: { replicas: 1, parallelism: { tensor: 2 } },
    kvTransfer: KvTransfer.nixl(),
    scheduler: SchedulerConfig.prefillDecode(),
    monitoring: Monitoring.prometheusOperator({ interval: Duration.seconds(15), labels: { release: 'kube-prometheus-stack' }, dashboards: true }),
    tracing: { exporterEndpoint: 'http://otel-collector.observability:4317', samplerArg: '0.1' },
  });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
