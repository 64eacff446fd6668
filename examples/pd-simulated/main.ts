/**
 * The P/D topology on llm-d's inference simulator (no GPU): prefill and decode pods, the routing sidecar on
 * decode, the pool over both roles and the EPP's P/D profiles with a prefix-based decider — everything but the
 * KV transfer, which the simulator only simulates. Runs on any cluster; `kubectl port-forward
 * svc/sim-pd-epp-service 8080:80` reaches it through the standalone Envoy.
 */
import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import { Accelerator, Engine, ModelSource, PdDecider, PrefillDecodePair, SchedulerConfig } from '../../src';

export function build(app: App): void {
  const chart = new Chart(app, 'pd-simulated', { namespace: 'llm-sim' });
  const namespace = new ApiObject(chart, 'namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'llm-sim' } });
  namespace.addJsonPatch(JsonPatch.remove('/metadata/namespace')); // cluster-scoped
  new PrefillDecodePair(chart, 'sim-pd', {
    model: ModelSource.huggingFace('Qwen/Qwen3-0.6B'),
    servedModelName: 'Qwen/Qwen3-0.6B',
    engine: Engine.simulator({ timeToFirstTokenMs: 200, interTokenLatencyMs: 20 }),
    accelerator: Accelerator.cpu(),
    prefill: { replicas: 1, resources: { cpu: '100m', memory: '128Mi' } },
    decode: { replicas: 3, resources: { cpu: '100m', memory: '128Mi' } },
    scheduler: SchedulerConfig.prefillDecode({ decider: PdDecider.prefixBased(16) }),
    endpointPicker: { standaloneProxy: true, metricsAuth: false },
  });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
