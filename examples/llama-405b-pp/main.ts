/**
 * Llama 3.1 405B across two nodes with Ray (vLLM's LeaderWorkerSet example): tensor parallel 8 inside a node,
 * pipeline parallel 2 across the two nodes of a group. The leader starts the Ray head, waits for the worker, and
 * runs `vllm serve … --distributed-executor-backend ray`; the worker joins and blocks. Two groups.
 */
import { ApiObject, App, Chart, Duration, JsonPatch } from 'cdk8s';
import { Accelerator, Engine, LaunchStrategy, ModelSource, MultiNodeGroup } from '../../src';

export function build(app: App): void {
  const chart = new Chart(app, 'llama-405b-pp', { namespace: 'llm' });
  const namespace = new ApiObject(chart, 'namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'llm' } });
  namespace.addJsonPatch(JsonPatch.remove('/metadata/namespace')); // cluster-scoped
  new MultiNodeGroup(chart, 'llama-405b', {
    model: ModelSource.pvc('models', 'llama-3.1-405b-instruct'),
    servedModelName: 'meta-llama/Llama-3.1-405B-Instruct',
    engine: Engine.vllm({ maxModelLen: 32768 }),
    accelerator: Accelerator.nvidia(),
    parallelism: { tensor: 8, pipeline: 2 },
    launch: LaunchStrategy.ray(),
    replicas: 2,
    resources: { cpu: '64', memory: '1000Gi' },
    network: { socketInterface: 'eth0', ncclDebug: 'WARN' },
    startupTimeout: Duration.minutes(90),
    route: { gateway: { name: 'inference-gateway', namespace: 'gateways' } },
  });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
