/**
 * P/D disaggregation locked down for a multi-tenant GPU cluster: NetworkPolicies that admit only the Istio gateway's
 * proxy pods to the pool and the EPP, Prometheus (namespace `monitoring`) to the metrics ports, and — with egress
 * restricted — only DNS, the API server, Hugging Face downloads and the stack's own flows out of the pods; prefill
 * and decode replicas spread over nodes and zones, a priority class, admission through a Kueue LocalQueue, and TLS on
 * every hop with a cert-manager certificate.
 */
import { ApiObject, App, Chart, Duration, JsonPatch } from 'cdk8s';
import {
  Accelerator, Engine, GatewayProvider, InferenceGateway, KvTransfer, ModelSource, Monitoring, NetworkPeer, NetworkPolicies, PrefillDecodePair,
  SchedulerConfig, SpreadMode, Tls,
} from '../../src';

export function build(app: App): void {
  const chart = new Chart(app, 'secure-pd', { namespace: 'llm-secure-pd' });
  const namespace = new ApiObject(chart, 'namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'llm-secure-pd' } });
  namespace.addJsonPatch(JsonPatch.remove('/metadata/namespace')); // cluster-scoped
  const gateway = new InferenceGateway(chart, 'inference-gateway', { provider: GatewayProvider.istio() });
  new PrefillDecodePair(chart, 'qwen3-32b', {
    model: ModelSource.huggingFace('Qwen/Qwen3-32B', { token: { name: 'hf-token' } }),
    servedModelName: 'Qwen/Qwen3-32B',
    engine: Engine.vllm(),
    accelerator: Accelerator.nvidia(),
    kvTransfer: KvTransfer.nixl(),
    prefill: { replicas: 4, parallelism: { tensor: 1 } },
    decode: { replicas: 2, parallelism: { tensor: 2 } },
    startupTimeout: Duration.minutes(30),
    scheduler: SchedulerConfig.prefillDecode(),
    gateway,
    monitoring: Monitoring.prometheusOperator(),
    networkPolicy: NetworkPolicies.derived({
      // Istio labels the proxy pods of a Gateway with its name; they run beside the Gateway (same namespace).
      clients: [NetworkPeer.pods({ 'gateway.networking.k8s.io/gateway-name': 'inference-gateway' })],
      monitoring: [NetworkPeer.namespace('monitoring')],
      egress: true,
    }),
    // One certificate from cert-manager for vLLM, the routing sidecar and the EPP; every client speaks TLS to them.
    tls: Tls.certManager({ issuerRef: { name: 'llm-serving-ca', kind: 'ClusterIssuer' } }),
    placement: { nodeSpread: SpreadMode.REQUIRED, zoneSpread: SpreadMode.PREFERRED, priorityClassName: 'llm-serving', kueueQueueName: 'gpu-serving' },
  });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
