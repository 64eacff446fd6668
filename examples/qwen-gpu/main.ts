/**
 * Qwen3-8B on one NVIDIA GPU, downloaded from Hugging Face with a token kept in the Secret `hf-token`
 * (create it with `kubectl create secret generic hf-token --from-literal=HF_TOKEN=...`), reachable through an
 * existing Gateway.
 */
import { ApiObject, App, Chart, Duration, JsonPatch } from 'cdk8s';
import { Accelerator, Engine, LlmService, ModelSource } from '../../src';

export function build(app: App): void {
  const chart = new Chart(app, 'qwen-gpu', { namespace: 'llm' });
  const namespace = new ApiObject(chart, 'namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'llm' } });
  namespace.addJsonPatch(JsonPatch.remove('/metadata/namespace')); // cluster-scoped
  new LlmService(chart, 'qwen3-8b', {
    model: ModelSource.huggingFace('Qwen/Qwen3-8B', { token: { name: 'hf-token' } }),
    servedModelName: 'Qwen/Qwen3-8B',
    engine: Engine.vllm({ maxModelLen: 32768, gpuMemoryUtilization: 0.9, extraArgs: ['--enable-auto-tool-choice', '--tool-call-parser', 'hermes'] }),
    accelerator: Accelerator.nvidia({ count: 1 }),
    resources: { cpu: '4', memory: '32Gi' },
    startupTimeout: Duration.minutes(15),
    route: { gateway: { name: 'inference-gateway', namespace: 'gateways' } },
  });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
