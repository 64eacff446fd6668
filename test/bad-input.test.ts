/**
 * Inputs the library must refuse to synthesize. Each case asserts the library's error class and that the
 * message names the construct path, the field, the value and a fix.
 */
import { Duration } from 'cdk8s';
import { Accelerator, Engine, LlmService, LlmServiceProps, ModelSource } from '../src';
import { expectConfigError } from './util/expect-error';
import { testChart } from './util/synth';

const MODEL = ModelSource.huggingFace('Qwen/Qwen3-0.6B');
const PATH = 'test/svc';

function make(props: Partial<LlmServiceProps>, namespace: string | null = 'llm'): LlmService {
  return new LlmService(testChart(namespace), 'svc', { model: MODEL, ...props });
}

describe('LlmService rejects bad input', () => {
  test('TP × PP does not match the accelerator count', () => {
    expectConfigError(() => make({ parallelism: { tensor: 2, pipeline: 2 }, accelerator: Accelerator.nvidia({ count: 2 }) }),
      { path: PATH, field: 'accelerator.count', value: '2', mentions: '= 4' });
  });
  test('dataLocal does not divide data', () => {
    expectConfigError(() => make({ parallelism: { data: 6, dataLocal: 4 } }), { path: PATH, field: 'parallelism.dataLocal', value: '4', mentions: 'does not divide data (6)' });
  });
  test('a model cache claim that is not a PVC name', () => {
    expectConfigError(() => make({ modelCacheClaim: 'Bad_Claim' }), { path: PATH, field: 'modelCacheClaim', value: 'Bad_Claim', mentions: 'DNS-1123 subdomain' });
  });
  test('zero replicas', () => {
    expectConfigError(() => make({ replicas: 0 }), { path: PATH, field: 'replicas', value: '0' });
  });
  test('negative replicas', () => {
    expectConfigError(() => make({ replicas: -2 }), { path: PATH, field: 'replicas', value: '-2' });
  });
  test('fractional replicas', () => {
    expectConfigError(() => make({ replicas: 1.5 }), { path: PATH, field: 'replicas', value: '1.5' });
  });
  test('zero tensor parallelism', () => {
    expectConfigError(() => make({ parallelism: { tensor: 0 } }), { path: PATH, field: 'parallelism.tensor', value: '0' });
  });
  test('negative pipeline parallelism', () => {
    expectConfigError(() => make({ parallelism: { pipeline: -1 } }), { path: PATH, field: 'parallelism.pipeline', value: '-1' });
  });
  test('expert parallelism with no data or tensor parallelism', () => {
    expectConfigError(() => make({ parallelism: { expert: true } }), { path: PATH, field: 'parallelism.expert', value: 'true', mentions: 'DP × TP' });
  });
  test('unknown vLLM flag, with a suggestion', () => {
    expectConfigError(() => make({ engine: Engine.vllm({ extraArgs: ['--max-num-seq', '64'] }) }),
      { path: PATH, field: 'engine.extraArgs[0]', value: '"--max-num-seq"', mentions: 'did you mean --max-num-seqs' });
  });
  test('duplicate vLLM flag', () => {
    expectConfigError(() => make({ engine: Engine.vllm({ extraArgs: ['--max-num-seqs', '64', '--max-num-seqs=32'] }) }),
      { path: PATH, field: 'engine.extraArgs[2]', value: '--max-num-seqs=32', mentions: 'repeats --max-num-seqs' });
  });
  test('mistyped vLLM flag value (int expected)', () => {
    expectConfigError(() => make({ engine: Engine.vllm({ extraArgs: ['--max-num-seqs', 'many'] }) }),
      { path: PATH, field: 'engine.extraArgs[0]', value: '"many"', mentions: 'expects an integer' });
  });
  test('vLLM flag value outside its choices', () => {
    expectConfigError(() => make({ engine: Engine.vllm({ extraArgs: ['--kv-cache-dtype', 'fp7'] }) }),
      { path: PATH, field: 'engine.extraArgs[0]', value: 'fp7', mentions: 'one of' });
  });
  test('extraArgs sets --port, which the wiring owns', () => {
    expectConfigError(() => make({ engine: Engine.vllm({ extraArgs: ['--port', '9000'] }) }),
      { path: PATH, field: 'engine.extraArgs[0]', value: '--port', mentions: 'Ports.SERVING' });
  });
  test('extraArgs sets --tensor-parallel-size (also the -tp and underscore spellings)', () => {
    for (const spelling of ['--tensor-parallel-size=2', '-tp', '--tensor_parallel_size']) {
      const args = spelling.includes('=') ? [spelling] : [spelling, '2'];
      expectConfigError(() => make({ engine: Engine.vllm({ extraArgs: args }) }),
        { path: PATH, field: 'engine.extraArgs[0]', value: spelling, mentions: 'parallelism.tensor' });
    }
  });
  test('positional argument in extraArgs', () => {
    expectConfigError(() => make({ engine: Engine.vllm({ extraArgs: ['Qwen/Qwen3-8B'] }) }), { path: PATH, field: 'engine.extraArgs[0]', value: 'Qwen/Qwen3-8B' });
  });
  test('switch flag given a value', () => {
    expectConfigError(() => make({ engine: Engine.vllm({ extraArgs: ['--enforce-eager=yes'] }) }),
      { path: PATH, field: 'engine.extraArgs[0]', value: '--enforce-eager=yes', mentions: 'takes no value' });
  });
  test('unsupported model URI scheme', () => {
    expectConfigError(() => make({ model: ModelSource.fromUri('ftp://models/qwen') }), { path: PATH, field: 'model', value: 'ftp://models/qwen', mentions: 'unsupported scheme' });
  });
  test('malformed Hugging Face repository', () => {
    expectConfigError(() => make({ model: ModelSource.fromUri('hf://just-a-name') }), { path: PATH, field: 'model', value: 'hf://just-a-name' });
  });
  test('malformed PVC URI (absolute sub-path)', () => {
    expectConfigError(() => make({ model: ModelSource.pvc('models', '/abs/path') }), { path: PATH, field: 'model', value: 'pvc://models//abs/path' });
  });
  test('invalid served model name', () => {
    expectConfigError(() => make({ servedModelName: 'my model' }), { path: PATH, field: 'servedModelName', value: '"my model"' });
  });
  test('invalid name', () => {
    expectConfigError(() => make({ name: 'Qwen_Chat' }), { path: PATH, field: 'name', value: '"Qwen_Chat"', mentions: 'DNS-1035' });
  });
  test('too-long name', () => {
    const name = 'a'.repeat(64);
    expectConfigError(() => make({ name }), { path: PATH, field: 'name', value: name, mentions: 'at most 63' });
  });
  test('GPU accelerator with count 0', () => {
    expectConfigError(() => make({ accelerator: Accelerator.nvidia({ count: 0 }) }), { path: PATH, field: 'accelerator.count', value: '0', mentions: 'Accelerator.cpu()' });
  });
  test('CPU accelerator with tensor parallelism', () => {
    expectConfigError(() => make({ accelerator: Accelerator.cpu(), parallelism: { tensor: 2 }, engine: Engine.vllm({ image: 'vllm-cpu:v0.23.0' }) }),
      { path: PATH, field: 'parallelism.tensor', value: '2', mentions: 'CPU' });
  });
  test('more GPUs per pod than gpusPerNode', () => {
    expectConfigError(() => make({ parallelism: { tensor: 8, pipeline: 2 } }), { path: PATH, field: 'parallelism.tensor', value: '8', mentions: 'MultiNodeGroup' });
    expectConfigError(() => make({ parallelism: { tensor: 4 }, accelerator: Accelerator.amd({ perNode: 2 }), engine: Engine.vllm({ image: 'rocm/vllm:x' }) }),
      { path: PATH, field: 'parallelism.tensor', value: '4', mentions: 'more than the 2 per node' });
  });
  test('data parallelism that spans pods (multi-node) in a single-node service', () => {
    expectConfigError(() => make({ parallelism: { data: 4, dataLocal: 2 } }), { path: PATH, field: 'parallelism.dataLocal', value: '2', mentions: 'MultiNodeGroup' });
  });
  test('HTTPRoute without a parentRef', () => {
    expectConfigError(() => make({ route: {} as any }), { path: PATH, field: 'route.gateway', value: '(unset)', mentions: 'parent Gateway' });
  });
  test('HF token given as a literal env var', () => {
    expectConfigError(() => make({ engine: Engine.vllm({ env: { HF_TOKEN: 'hf_abcdefghijklmnop' } }) }),
      { path: PATH, field: 'engine.env["HF_TOKEN"]', value: '<redacted>', mentions: 'Secret' });
  });
  test('HF token literal passed where a Secret name belongs', () => {
    expectConfigError(() => make({ model: ModelSource.huggingFace('Qwen/Qwen3-0.6B', { token: { name: 'hf_abcdefghijklmnop' } }) }),
      { path: PATH, field: 'model.token.name', value: '<redacted>', mentions: 'literal credential' });
  });
  test('duplicate LoRA names', () => {
    const source = ModelSource.huggingFace('org/adapter');
    expectConfigError(() => make({ loraAdapters: [{ name: 'sql', source }, { name: 'sql', source }] }),
      { path: PATH, field: 'loraAdapters[1].name', value: '"sql"', mentions: 'loraAdapters[0]' });
  });
  test('LoRA name equal to the served model name', () => {
    expectConfigError(() => make({ servedModelName: 'qwen', loraAdapters: [{ name: 'qwen', source: ModelSource.huggingFace('org/adapter') }] }),
      { path: PATH, field: 'loraAdapters[0].name', value: '"qwen"', mentions: 'served name' });
  });
  test('LoRA max rank vLLM does not accept', () => {
    expectConfigError(() => make({ loraAdapters: [{ name: 'a', source: ModelSource.huggingFace('org/a') }], lora: { maxRank: 24 } }),
      { path: PATH, field: 'lora.maxRank', value: '24' });
  });
  test('simulator with multi-node (data) parallelism', () => {
    expectConfigError(() => make({ engine: Engine.simulator(), accelerator: Accelerator.cpu(), parallelism: { data: 2 } }),
      { path: PATH, field: 'parallelism.data', value: '2', mentions: 'simulator' });
  });
  test('simulator given a vLLM-only flag', () => {
    expectConfigError(() => make({ engine: Engine.simulator({ extraArgs: ['--gpu-memory-utilization', '0.9'] }) }),
      { path: PATH, field: 'engine.extraArgs[0]', value: '--gpu-memory-utilization', mentions: 'not a known flag' });
  });
  test('missing namespace where one is embedded (the service URL)', () => {
    const svc = make({}, null);
    expectConfigError(() => svc.url, { path: PATH, field: 'namespace', value: '(unset)', mentions: 'namespace' });
  });
  test('custom accelerator (no pinned vLLM build) without an image for vLLM', () => {
    expectConfigError(() => make({ accelerator: Accelerator.custom('gpu.intel.com/xe') }), { path: PATH, field: 'engine.image', value: '(unset)', mentions: 'custom' });
  });
  test('gpuMemoryUtilization above 1', () => {
    expectConfigError(() => make({ engine: Engine.vllm({ gpuMemoryUtilization: 1.2 }) }), { path: PATH, field: 'engine.gpuMemoryUtilization', value: '1.2' });
  });
  test('startup timeout shorter than a probe period', () => {
    expectConfigError(() => make({ startupTimeout: Duration.seconds(5) }), { path: PATH, field: 'startupTimeout', value: '5s' });
  });
  test('pod label overriding a selector label', () => {
    expectConfigError(() => make({ podLabels: { 'llm-d.ai/role': 'prefill' } }), { path: PATH, field: 'podLabels["llm-d.ai/role"]', value: '"prefill"' });
  });
  test('bad TPU topology', () => {
    expectConfigError(() => make({ accelerator: Accelerator.tpu({ type: 'tpu-v6e-slice', topology: 'big' }), engine: Engine.vllm({ image: 'vllm/vllm-tpu:v0.23.0' }) }),
      { path: PATH, field: 'accelerator.topology', value: '"big"' });
  });
  test('RDMA extra resource that is not a count', () => {
    expectConfigError(() => make({ accelerator: Accelerator.nvidia({ extraResources: { 'rdma/roce_gdr': 'lots' } }) }),
      { path: PATH, field: 'accelerator.extraResources["rdma/roce_gdr"]', value: 'lots' });
  });
  test('invalid memory quantity', () => {
    expectConfigError(() => make({ resources: { memory: '64 GB' } }), { path: PATH, field: 'resources.memory', value: '64 GB' });
  });
});
