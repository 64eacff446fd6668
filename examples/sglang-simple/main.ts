/**
 * Qwen3-8B served by SGLang on two NVIDIA GPUs (tensor parallel 2), downloaded from Hugging Face with a token kept in
 * the Secret `hf-token`, reachable through an existing Gateway. The pods carry `llm-d.ai/engine-type: sglang`, so the
 * EPP scores them on SGLang's metrics (`sglang:num_queue_reqs`, `sglang:num_running_reqs`, `sglang:token_usage`).
 */
import { ApiObject, App, Chart, Duration, JsonPatch } from 'cdk8s';
import { Accelerator, Engine, LlmService, ModelSource } from '../../src';

export function build(app: App): void {
  const chart = new Chart(app, 'sglang-simple', { namespace: 'llm' });
  const namespace = new ApiObject(chart, 'namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'llm' } });
  namespace.addJsonPatch(JsonPatch.remove('/metadata/namespace')); // cluster-scoped
  new LlmService(chart, 'qwen3-8b', {
    model: ModelSource.huggingFace('Qwen/Qwen3-8B', { token: { name: 'hf-token' } }),
    servedModelName: 'Qwen/Qwen3-8B',
    engine: Engine.sglang({ contextLength: 32768, memFractionStatic: 0.85, chunkedPrefillSize: 8192, extraArgs: ['--tool-call-parser', 'qwen25'] }),
    accelerator: Accelerator.nvidia({ count: 2 }),
    parallelism: { tensor: 2 },
    resources: { cpu: '8', memory: '64Gi' },
    startupTimeout: Duration.minutes(20),
    route: { gateway: { name: 'inference-gateway', namespace: 'gateways' } },
  });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
