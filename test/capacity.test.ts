/**
 * Capacity planning: model profiles, accelerator types, the synth-time fit check, the startup budget derived from the
 * model size, the capacity annotation and what `Plan` / `cdk8s-llm-d plan` / `render` show of it. Every expected
 * figure is computed by hand in the comments (GiB = 1024³ bytes).
 */
import * as path from 'path';
import { App, Chart, Duration, Size } from 'cdk8s';
import {
  Accelerator, AcceleratorType, AcceleratorTypeSelector, AnnotationKeys, Engine, LlmdConfigError, LlmInferenceService, LlmService, ModelProfile,
  ModelSource, MultiNodeGroup, LaunchStrategy, Plan, PrefillDecodePair, LabelKeys,
} from '../src';
import { run } from '../src/cli/main';
import { FieldContext } from '../src/internal/context';
import { kvBytesPerToken, planCapacity, weightsPerGpu } from '../src/model/capacity';

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;
/** H100 80GB: 81559 MiB; × 0.92 (vLLM's default utilization). */
const H100_USABLE = 81559 * MIB * 0.92;
const H200_USABLE = 143771 * MIB * 0.92;
const L4_USABLE = 23034 * MIB * 0.92;
const RESERVE = 2 * GIB;

const chart = () => new Chart(new App(), 'test', { namespace: 'ml' });
const dense = (tensor = 1, pipeline = 1, data = 1, expert = false) => ({
  tensor, pipeline, data, dataLocal: data, expert, acceleratorsPerPod: tensor * pipeline * data, podsPerGroup: 1,
});
type EngineFigures = { maxModelLen?: number; kvCacheDtype?: string; quantization?: string };
const capacity = (profile: ModelProfile, type: AcceleratorType | undefined, p = dense(), o: EngineFigures = {}) =>
  planCapacity({ ctx: new FieldContext('test'), profile, type, perNode: 8, parallelism: p, ...o });
const annotation = (o: Record<string, any>) => JSON.parse(o.metadata.annotations[AnnotationKeys.CAPACITY]);
const workloadOf = (c: Chart, kind = 'Deployment') => c.toJson().find((o) => o.kind === kind)!;

function thrown(f: () => unknown): LlmdConfigError {
  try {
    f();
  } catch (e) {
    if (e instanceof LlmdConfigError) return e;
    throw e;
  }
  throw new Error('expected an LlmdConfigError');
}

describe('the formulas against hand-computed cases', () => {
  test('dense GQA, Llama 3.1 8B on one H100: 131072 KV bytes per token, 3 sequences of 131072 tokens (warning band)', () => {
    const c = capacity(ModelProfile.LLAMA_3_1_8B, AcceleratorType.H100_80GB);
    // weights 8.03e9 × 2 = 16.06e9 B = 14.96 GiB; KV/token = 2 × 32 layers × 8 heads × 128 × 2 B = 131072
    expect(c.weightsGibPerGpu).toBeCloseTo(16.06e9 / GIB, 2);
    expect(c.kvBytesPerToken).toBe(2 * 32 * 8 * 128 * 2);
    // KV = 81559 MiB × 0.92 − 16.06e9 − 2 GiB = 60,471,661,537 B → / 131072 = 461,362 tokens; / 131072 = 3.52 → 3
    const kv = H100_USABLE - 16.06e9 - RESERVE;
    expect(c.kvCacheTokens).toBe(Math.floor(kv / 131072));
    expect(c.kvCacheTokens).toBe(461362);
    expect(c.maxConcurrency).toBe(3);
    expect(c.warnings.join()).toMatch(/only 3 sequence\(s\) of 131072 tokens/);
    // at 8192 tokens: 461,362 / 8192 = 56.3 → 56 sequences, no warning
    const short = capacity(ModelProfile.LLAMA_3_1_8B, AcceleratorType.H100_80GB, dense(), { maxModelLen: 8192 });
    expect(short.maxConcurrency).toBe(56);
    expect(short.warnings).toEqual([]);
  });

  test('GQA with fewer KV heads than TP: Qwen3-235B-A22B keeps 1 head per GPU at TP 4 and TP 8 (48128 bytes per token)', () => {
    const q = ModelProfile.QWEN3_235B_A22B;
    // 2 × 94 layers × ceil(4 / 4) × 128 × 2 B = 48128; at TP 8 ceil(4 / 8) = 1 head is replicated: still 48128
    expect(kvBytesPerToken(q, 4, 1, 2)).toBe(48128);
    expect(kvBytesPerToken(q, 8, 1, 2)).toBe(48128);
    // at TP 2: 2 heads per GPU → 96256
    expect(kvBytesPerToken(q, 2, 1, 2)).toBe(96256);
    // fp8 KV halves it: 24064
    expect(kvBytesPerToken(q, 4, 1, 1)).toBe(24064);
  });

  test('against vLLM\'s own log: Qwen3-235B-A22B-FP8 at TP 4 on H100 reports 8.11 GiB → 178,880 tokens (vllm-project/vllm#21348)', () => {
    // The log: "Available KV cache memory: 8.11 GiB", "GPU KV cache size: 178,880 tokens". Our per-token figure
    // gives 8.11 GiB / 48128 B = 180,940 tokens: 1.2 % above vLLM's (which rounds to whole 16-token blocks per layer group
    // and prints the GiB rounded).
    const tokens = 8.11 * GIB / kvBytesPerToken(ModelProfile.QWEN3_235B_A22B, 4, 1, 2);
    expect(Math.abs(tokens - 178880) / 178880).toBeLessThan(0.02);
  });

  test('against vLLM\'s own log: a 14.7 B dense model at TP 2 loads 13.95 GiB per GPU (vllm-project/vllm#13061)', () => {
    // DeepSeek-R1-Distill-Qwen-14B (Qwen2.5-14B shape: 48 layers, 40 heads, 8 KV heads, 14.7 B) at TP 2: the log
    // reads "Loading model weights took 13.9476 GB" (GiB); ours: 14.7e9 × 2 / 2 = 13.69 GiB, 1.8 % below (vocab padding).
    const distill = ModelProfile.custom({ id: 'deepseek-ai/DeepSeek-R1-Distill-Qwen-14B', parametersBillions: 14.7, layers: 48, attentionHeads: 40, kvHeads: 8, maxContext: 131072 });
    const w = weightsPerGpu(distill, dense(2)) / GIB;
    expect(Math.abs(w - 13.9476) / 13.9476).toBeLessThan(0.03);
  });

  test('MoE with expert parallelism: Qwen3-30B-A3B spreads its experts over DP × TP', () => {
    const q = ModelProfile.QWEN3_30B_A3B;
    // experts = (30.5 − 3.3) / (1 − 8/128) = 29.0133 B parameters, shared = 1.4867 B
    expect(q.expertWeightBytes / 2 / 1e9).toBeCloseTo(27.2 / 0.9375, 3);
    // TP 1, DP 4, EP: 1.4867e9 × 2 / 1 + 29.0133e9 × 2 / 4 = 2.9733e9 + 14.5067e9 = 17.48e9 B
    expect(weightsPerGpu(q, dense(1, 1, 4, true))).toBeCloseTo(1.48667e9 * 2 + 29.01333e9 * 2 / 4, -6);
    // without EP every DP rank holds all experts: 61e9 B
    expect(weightsPerGpu(q, dense(1, 1, 4, false))).toBeCloseTo(61e9, -3);
  });

  test('MLA: DeepSeek-R1 at TP 8 on H200 caches 70272 bytes per token on every GPU, 4 sequences of 163840 tokens', () => {
    const c = capacity(ModelProfile.DEEPSEEK_R1, AcceleratorType.H200, dense(8));
    // 61 layers × (512 + 64) × 2 B = 70272, the same on every TP rank (the latent is not split)
    expect(c.kvBytesPerToken).toBe(61 * 576 * 2);
    // weights: 671e9 × 1 B (FP8) / 8 = 83.875e9 B = 78.11 GiB
    expect(c.weightsGibPerGpu).toBeCloseTo(83.875e9 / GIB, 2);
    // KV = 143771 MiB × 0.92 − 83.875e9 − 2 GiB = 52,671,950,840 B → / 70272 = 749,544 tokens → / 163840 = 4.57 → 4
    const kv = H200_USABLE - 83.875e9 - RESERVE;
    expect(c.kvCacheTokens).toBe(Math.floor(kv / 70272));
    expect(c.maxConcurrency).toBe(4);
  });

  test('sliding window: gpt-oss-120b on one H100 keeps only 128 tokens in half of its layers', () => {
    const c = capacity(ModelProfile.GPT_OSS_120B, AcceleratorType.H100_80GB);
    // weights: the 60.8 GiB MXFP4 checkpoint; per layer and token 2 × 8 × 64 × 2 B = 2048; all 36 layers: 73728
    expect(c.weightsGibPerGpu).toBeCloseTo(60.8, 2);
    expect(c.kvBytesPerToken).toBe(36 * 2048);
    // one 131072-token sequence: 2048 × (18 × 131072 + 18 × 128) = 4,836,556,800 B (4.50 GiB)
    const seq = 2048 * (18 * 131072 + 18 * 128);
    const kv = H100_USABLE - 60.8 * GIB - RESERVE; // 10.48 GiB
    expect(c.maxConcurrency).toBe(Math.floor(kv / seq));
    expect(c.maxConcurrency).toBe(2);
    expect(c.kvCacheTokens).toBe(Math.floor(kv / seq * 131072));
  });

  test('sliding window 5:1: Gemma 3 27B on one H100 holds 1 sequence of 131072 tokens', () => {
    const c = capacity(ModelProfile.GEMMA3_27B, AcceleratorType.H100_80GB);
    // 2 × 16 × 128 × 2 B = 8192 per layer; one sequence: 8192 × (10 × 131072 + 52 × 1024) = 11,173,625,856 B (10.41 GiB)
    // KV = 73.28 − 27.4e9 × 2 / GiB (51.04) − 2 = 20.24 GiB → 1.94 → 1
    const seq = 8192 * (10 * 131072 + 52 * 1024);
    expect(c.maxConcurrency).toBe(Math.floor((H100_USABLE - 54.8e9 - RESERVE) / seq));
    expect(c.maxConcurrency).toBe(1);
  });

  test('pipeline parallelism splits the layers: Llama 3.1 405B at TP 8 × PP 2 holds 63 layers per stage', () => {
    // weights 405.9e9 × 2 / 16 = 50.74e9 B; KV per token per GPU = 2 × ceil(126 / 2) × 1 head × 128 × 2 = 32256
    const c = capacity(ModelProfile.LLAMA_3_1_405B, AcceleratorType.H100_80GB, { ...dense(8, 2), acceleratorsPerPod: 8, podsPerGroup: 2 });
    expect(c.kvBytesPerToken).toBe(2 * 63 * 1 * 128 * 2);
    expect(c.weightsGibPerGpu).toBeCloseTo(405.9e9 * 2 / 16 / GIB, 2);
  });

  test('--quantization fp8 and --kv-cache-dtype fp8 halve the weights and the KV cache', () => {
    const c = capacity(ModelProfile.LLAMA_3_1_70B, AcceleratorType.H100_80GB, dense(), { quantization: 'fp8', kvCacheDtype: 'fp8', maxModelLen: 8192 });
    // 70.6e9 × 1 B = 65.75 GiB; KV per token 2 × 80 × 8 × 128 × 1 = 163840
    expect(c.weightsGibPerGpu).toBeCloseTo(70.6e9 / GIB, 2);
    expect(c.kvBytesPerToken).toBe(163840);
  });
});

describe('the fit check refuses an unservable plan', () => {
  test('weights that do not fit name the numbers and the fixes (TP, fp8, larger GPU)', () => {
    const e = thrown(() => new LlmService(chart(), 'llama', {
      name: 'llama',
      model: ModelSource.huggingFace('meta-llama/Llama-3.1-70B-Instruct'),
      profile: ModelProfile.LLAMA_3_1_70B,
      accelerator: Accelerator.nvidia({ type: AcceleratorType.H100_80GB }),
    }));
    // 70.6e9 × 2 = 131.5 GiB on one GPU; usable 79.65 × 0.92 = 73.3 GiB
    expect(e.field).toBe('profile');
    expect(e.message).toContain('131.5 GiB of weights');
    expect(e.message).toContain('73.3 GiB vLLM may use');
    expect(e.message).toContain('raise parallelism.tensor to 2');
    expect(e.message).toContain("quantization: 'fp8'");
    expect(e.message).toContain('B200');
  });

  test('a KV cache that cannot hold one max-model-len sequence names the longest that fits', () => {
    const e = thrown(() => new LlmService(chart(), 'llama', {
      name: 'llama',
      model: ModelSource.huggingFace('meta-llama/Llama-3.1-8B-Instruct'),
      profile: ModelProfile.LLAMA_3_1_8B,
      accelerator: Accelerator.nvidia({ type: AcceleratorType.L4 }),
    }));
    // L4: 23034 MiB × 0.92 − 16.06e9 − 2 GiB = 4,013,183,969 B → / 131072 = 30618 tokens < 131072; fix: 29 × 1024 = 29696
    expect(Math.floor((L4_USABLE - 16.06e9 - RESERVE) / 131072)).toBe(30618);
    expect(e.field).toBe('profile');
    expect(e.message).toContain('30618 tokens');
    expect(e.message).toContain('lower Engine.vllm({ maxModelLen }) to 29696');
    expect(e.message).toContain('--kv-cache-dtype');
    // with the suggested length it synthesizes, in the warning band (30618 / 29696 = 1.03 → 1 sequence)
    const c = chart();
    new LlmService(c, 'llama', {
      name: 'llama',
      model: ModelSource.huggingFace('meta-llama/Llama-3.1-8B-Instruct'),
      profile: ModelProfile.LLAMA_3_1_8B,
      accelerator: Accelerator.nvidia({ type: AcceleratorType.L4 }),
      engine: Engine.vllm({ maxModelLen: 29696 }),
    });
    expect(annotation(workloadOf(c))).toMatchObject({ maxConcurrency: 1, kvCacheTokens: 30618 });
    // and an explicit maxModelLen that does not fit is named as the field
    expect(thrown(() => new LlmService(chart(), 'llama', {
      name: 'llama',
      model: ModelSource.huggingFace('meta-llama/Llama-3.1-8B-Instruct'),
      profile: ModelProfile.LLAMA_3_1_8B,
      accelerator: Accelerator.nvidia({ type: AcceleratorType.L4 }),
      engine: Engine.vllm({ maxModelLen: 65536 }),
    })).field).toBe('engine.maxModelLen');
  });

  test('P/D: the error names the role whose parallelism does not fit, at the top-level profile field', () => {
    const e = thrown(() => new PrefillDecodePair(chart(), 'pd', {
      name: 'llama',
      model: ModelSource.huggingFace('meta-llama/Llama-3.1-70B-Instruct'),
      profile: ModelProfile.LLAMA_3_1_70B,
      accelerator: Accelerator.nvidia({ type: AcceleratorType.H100_80GB }),
      prefill: { parallelism: { tensor: 1 } },
      decode: { parallelism: { tensor: 4 } },
    }));
    expect(e.field).toBe('profile');
    expect(e.message).toContain('the prefill role: meta-llama/Llama-3.1-70B-Instruct weighs 131.5 GiB');
  });

  test('a warning below 4 sequences is recorded on the construct and in the annotation', () => {
    const c = chart();
    const svc = new LlmService(c, 'llama', {
      name: 'llama',
      model: ModelSource.huggingFace('meta-llama/Llama-3.1-8B-Instruct'),
      profile: ModelProfile.LLAMA_3_1_8B,
      accelerator: Accelerator.nvidia({ type: AcceleratorType.H100_80GB }),
    });
    // 461,362 tokens / 131072 = 3 sequences (see above)
    expect(svc.node.metadata.map((m) => String(m.data))).toEqual([expect.stringMatching(/^both: only 3 sequence\(s\) of 131072 tokens/)]);
    expect(annotation(workloadOf(c)).warnings).toHaveLength(1);
    expect(Plan.of(c).toTable()).toMatch(/warning: llama-kserve: only 3 sequence/);
  });

  test('without a profile nothing is checked; without an accelerator type only the weights per GPU are reported', () => {
    const c = chart();
    new LlmService(c, 'llama', { name: 'llama', model: ModelSource.huggingFace('meta-llama/Llama-3.1-70B-Instruct'), accelerator: Accelerator.nvidia({ type: AcceleratorType.L4 }) });
    expect(workloadOf(c).metadata.annotations?.[AnnotationKeys.CAPACITY]).toBeUndefined();
    const u = chart();
    new LlmService(u, 'llama', { name: 'llama', model: ModelSource.huggingFace('meta-llama/Llama-3.1-70B-Instruct'), profile: ModelProfile.LLAMA_3_1_70B });
    const a = annotation(workloadOf(u));
    expect(a.accelerator).toBeUndefined();
    expect(a.weightsGibPerGpu).toBeCloseTo(70.6e9 * 2 / GIB, 2);
    expect(a.kvCacheTokens).toBeUndefined();
  });

  test('the simulator is never checked', () => {
    const c = chart();
    new LlmService(c, 'sim', { name: 'sim', model: ModelSource.huggingFace('meta-llama/Llama-3.1-405B-Instruct'), profile: ModelProfile.LLAMA_3_1_405B, engine: Engine.simulator() });
    expect(workloadOf(c).metadata.annotations?.[AnnotationKeys.CAPACITY]).toBeUndefined();
  });
});

describe('model profiles and accelerator types: bad input', () => {
  test('ModelProfile.of finds presets by id, without -Instruct / -it, and names the presets when it finds none', () => {
    expect(ModelProfile.of('meta-llama/Llama-3.1-8B').id).toBe('meta-llama/Llama-3.1-8B-Instruct');
    expect(ModelProfile.of('google/gemma-3-27b').kvHeads).toBe(16);
    const e = thrown(() => ModelProfile.of('acme/unknown-7b'));
    expect(e.message).toContain('has no preset');
    expect(e.message).toContain('ModelProfile.custom');
  });

  test('ModelProfile.custom checks its figures', () => {
    const base = { id: 'acme/m', parametersBillions: 7, layers: 32, attentionHeads: 32, maxContext: 8192 };
    expect(thrown(() => ModelProfile.custom({ ...base, parametersBillions: -1 })).field).toBe('parametersBillions');
    expect(thrown(() => ModelProfile.custom({ ...base, kvHeads: 5 })).message).toContain('must divide attentionHeads (32)');
    expect(thrown(() => ModelProfile.custom({ ...base, experts: 8 })).message).toContain('needs both experts and activeExperts');
    expect(thrown(() => ModelProfile.custom({ ...base, activeParametersBillions: 9 })).message).toContain('exceeds the total parameters');
    expect(thrown(() => ModelProfile.custom({ ...base, slidingWindow: 512, slidingWindowLayers: 40 })).message).toContain('exceeds the layers (32)');
    expect(thrown(() => ModelProfile.custom({ ...base, qkRopeHeadDim: 64 })).message).toContain('multi-head latent attention');
    expect(ModelProfile.custom({ ...base, kvHeads: 8 }).kvHeads).toBe(8);
  });

  test('a profile that is not a ModelProfile, and a type of another vendor, are refused', () => {
    expect(thrown(() => new LlmService(chart(), 's', { name: 's', model: ModelSource.huggingFace('a/b'), profile: { id: 'a/b' } as any })).message).toMatch(/profile/);
    const e = thrown(() => new LlmService(chart(), 's', { name: 's', model: ModelSource.huggingFace('a/b'), accelerator: Accelerator.nvidia({ type: AcceleratorType.MI300X }) }));
    expect(e.message).toContain('is a amd accelerator, not a nvidia one');
    expect(thrown(() => AcceleratorType.of('H300')).message).toContain('H100_80GB');
    expect(thrown(() => AcceleratorType.custom('x', 0)).field).toBe('memoryGib');
  });

  test('accelerator types select nodes when asked, and are read back from node selectors', () => {
    const gfd = Accelerator.nvidia({ type: AcceleratorType.H100_80GB, selectType: AcceleratorTypeSelector.GPU_FEATURE_DISCOVERY });
    expect(gfd.nodeSelector).toEqual({ [LabelKeys.NVIDIA_GPU_PRODUCT]: 'NVIDIA-H100-80GB-HBM3' });
    expect(Accelerator.nvidia({ type: AcceleratorType.L4, selectType: AcceleratorTypeSelector.GKE }).nodeSelector).toEqual({ [LabelKeys.GKE_ACCELERATOR]: 'nvidia-l4' });
    expect(Accelerator.nvidia({ type: AcceleratorType.H100_80GB }).nodeSelector).toEqual({});
    expect(Accelerator.nvidia({ nodeSelector: { [LabelKeys.GKE_ACCELERATOR]: 'nvidia-h100-80gb' } }).type).toBe(AcceleratorType.H100_80GB);
    expect(Accelerator.tpu({ type: 'tpu-v6e-slice', topology: '2x2' }).type).toBe(AcceleratorType.TPU_V6E);
    expect(AcceleratorType.of('NVIDIA-H200').memoryGib).toBeCloseTo(143771 / 1024, 3);
    // L40S has no GKE node pool label
    expect(thrown(() => new LlmService(chart(), 's', {
      name: 's', model: ModelSource.huggingFace('a/b'), accelerator: Accelerator.nvidia({ type: AcceleratorType.L40S, selectType: AcceleratorTypeSelector.GKE }),
    })).message).toContain('L40S has no known GKE label value');
  });
});

describe('startup budget from the model size', () => {
  const probe = (o: any, kind: 'Deployment' | 'LeaderWorkerSet') => (kind === 'Deployment' ? o.spec.template : o.spec.leaderWorkerTemplate.leaderTemplate).spec.containers[0].startupProbe;

  test('LlmService: 70B reads 141.2 GB at 200 MiB/s → 17 min; 8B stays at 10 min; startupTimeout wins', () => {
    const c = chart();
    new LlmService(c, 'llama', {
      name: 'llama',
      model: ModelSource.huggingFace('meta-llama/Llama-3.1-70B-Instruct'),
      profile: ModelProfile.LLAMA_3_1_70B,
      accelerator: Accelerator.nvidia({ type: AcceleratorType.H100_80GB }),
      parallelism: { tensor: 4 },
      engine: Engine.vllm({ maxModelLen: 32768 }),
    });
    // 141.2e9 B / (200 × 2^20 B/s) = 673 s + 300 s engine start = 973 s → 17 min = 1020 s = 102 × 10 s probes
    expect(probe(workloadOf(c), 'Deployment').failureThreshold).toBe(102);
    expect(annotation(workloadOf(c)).startupSeconds).toBe(1020);
    const small = chart();
    new LlmService(small, 'q', { name: 'q', model: ModelSource.huggingFace('Qwen/Qwen3-8B'), profile: ModelProfile.QWEN3_8B });
    // 16.4e9 / 209,715,200 = 78 s + 300 s = 378 s < the 600 s default
    expect(probe(workloadOf(small), 'Deployment').failureThreshold).toBe(60);
    const given = chart();
    new LlmService(given, 'llama', {
      name: 'llama', model: ModelSource.huggingFace('meta-llama/Llama-3.1-70B-Instruct'), profile: ModelProfile.LLAMA_3_1_70B, parallelism: { tensor: 4 }, startupTimeout: Duration.minutes(12),
    });
    expect(probe(workloadOf(given), 'Deployment').failureThreshold).toBe(72);
  });

  test('MultiNodeGroup: 405B bf16 over two nodes → 75 min; a 2 GiB/s cache keeps the 30 min floor', () => {
    const mk = (modelLoadRate?: Size) => {
      const c = chart();
      new MultiNodeGroup(c, 'llama', {
        name: 'llama',
        model: ModelSource.huggingFace('meta-llama/Llama-3.1-405B-Instruct'),
        profile: ModelProfile.LLAMA_3_1_405B,
        modelLoadRate,
        accelerator: Accelerator.nvidia({ type: AcceleratorType.H100_80GB }),
        launch: LaunchStrategy.ray(),
        parallelism: { tensor: 8, pipeline: 2 },
        engine: Engine.vllm({ maxModelLen: 16384 }),
      });
      return workloadOf(c, 'LeaderWorkerSet');
    };
    // 811.8e9 B / 209,715,200 B/s = 3871 s + 300 s + 300 s (group formation) = 4471 s → 4500 s = 450 probes
    expect(probe(mk(), 'LeaderWorkerSet').failureThreshold).toBe(450);
    // 811.8e9 / 2^31 = 378 s + 600 s = 978 s < the 1800 s multi-node floor
    expect(probe(mk(Size.gibibytes(2)), 'LeaderWorkerSet').failureThreshold).toBe(180);
  });
});

describe('the capacity annotation, Plan and the CLI', () => {
  test('PrefillDecodePair: one annotation per role; Plan.of shows the capacity table and totals', () => {
    const c = chart();
    new PrefillDecodePair(c, 'pd', {
      name: 'qwen',
      model: ModelSource.huggingFace('Qwen/Qwen3-32B'),
      profile: ModelProfile.QWEN3_32B,
      accelerator: Accelerator.nvidia({ type: AcceleratorType.H100_80GB }),
      engine: Engine.vllm({ maxModelLen: 32768 }),
      prefill: { replicas: 2, parallelism: { tensor: 2 } },
      decode: { replicas: 1, parallelism: { tensor: 4 } },
    });
    const p = Plan.of(c);
    const prefill = p.workloads.find((w) => w.role === 'prefill')!.capacity!;
    const decode = p.workloads.find((w) => w.role === 'decode')!.capacity!;
    // prefill TP 2: weights 32.8e9 × 2 / 2 = 30.55 GiB (shown 30.6); KV/token 2 × 64 × 4 × 128 × 2 = 131072;
    // KV = 73.28 − 30.55 − 2 = 40.73 GiB → 333,646 tokens → 10 sequences of 32768, × 2 replicas = 20;
    // startup: 65.6e9 B / 209,715,200 B/s = 313 s + 300 s = 613 s → 660 s (11 min)
    expect(prefill).toMatchObject({ model: 'Qwen/Qwen3-32B', acceleratorType: 'H100_80GB', tensor: 2, kvBytesPerToken: 131072, maxConcurrency: 10, maxConcurrencyTotal: 20 });
    expect(prefill.kvCacheTokens).toBe(Math.floor((H100_USABLE - 32.8e9 - RESERVE) / 131072));
    // decode TP 4: 15.27 GiB weights; KV/token 65536; KV = 56.0 GiB → 917,9xx tokens → 28 sequences
    expect(decode).toMatchObject({ tensor: 4, kvBytesPerToken: 65536 });
    expect(decode.maxConcurrency).toBe(Math.floor((H100_USABLE - 32.8e9 / 2 - RESERVE) / 65536 / 32768));
    expect(decode.maxConcurrency).toBe(28);
    const table = p.toTable();
    expect(table).toContain('Capacity (per GPU');
    expect(table).toMatch(/qwen-kserve-prefill +Qwen\/Qwen3-32B +H100_80GB \(79\.65 GiB\) +2×1×1 +30\.6 GiB +40\.7 GiB +333646 +32768 +10 +20 +11 min/);
    expect(p.toJson().workloads[0].capacity).toBeDefined();
    // the same from YAML
    expect(Plan.fromManifests(c.toJson()).workloads.map((w) => w.capacity)).toEqual(p.workloads.map((w) => w.capacity));
  });

  test('KServe: the model-profile and accelerator-type annotations size the service; a bad id is refused', () => {
    const resource = (annotations: Record<string, string>) => ({
      apiVersion: 'serving.kserve.io/v1alpha2',
      kind: 'LLMInferenceService',
      metadata: { name: 'qwen', namespace: 'ml', annotations },
      spec: { model: { uri: 'hf://Qwen/Qwen3-8B', name: 'Qwen/Qwen3-8B' }, replicas: 1, template: { containers: [{ name: 'main', resources: { limits: { 'nvidia.com/gpu': '1' } } }] } },
    });
    const c = chart();
    new LlmInferenceService(c, 'svc', { resource: resource({ [AnnotationKeys.MODEL_PROFILE]: 'Qwen/Qwen3-8B', [AnnotationKeys.ACCELERATOR_TYPE]: 'H100_80GB' }) });
    // Qwen3-8B on H100: 16.4e9 B weights; 2 × 36 × 8 × 128 × 2 = 147456 B/token; KV = 73.28 − 15.27 − 2 = 56.0 GiB
    // → 407,9xx tokens → 9 sequences of the model's 40960 (no --max-model-len in the template)
    const a = annotation(workloadOf(c));
    expect(a).toMatchObject({ model: 'Qwen/Qwen3-8B', accelerator: 'H100_80GB', kvBytesPerToken: 147456, maxModelLen: 40960 });
    expect(a.maxConcurrency).toBe(Math.floor((H100_USABLE - 16.4e9 - RESERVE) / 147456 / 40960));
    expect(a.maxConcurrency).toBe(9);
    // on an L4: 20.69 − 15.27 − 2 = 3.42 GiB → 24,897 tokens, less than one 40960-token sequence
    expect(() => new LlmInferenceService(chart(), 'svc', { resource: resource({ [AnnotationKeys.MODEL_PROFILE]: 'Qwen/Qwen3-8B', [AnnotationKeys.ACCELERATOR_TYPE]: 'L4' }) }))
      .toThrow(/one 40960-token sequence needs 5\.6 GiB of KV cache per GPU/);
    // the type from the template's GPU feature discovery node selector; the low-concurrency warning joins the service's
    // warnings: Qwen2.5-7B on an L4 holds 84,632 tokens (see the CLI test below) = 2 sequences of 32768
    const l4 = resource({ [AnnotationKeys.MODEL_PROFILE]: 'Qwen/Qwen2.5-7B-Instruct' });
    l4.spec.template = { ...l4.spec.template, nodeSelector: { [LabelKeys.NVIDIA_GPU_PRODUCT]: 'NVIDIA-L4' } } as any;
    const svc = new LlmInferenceService(chart(), 'svc', { resource: l4 });
    expect(svc.warnings).toContainEqual(expect.stringMatching(/^both: only 2 sequence\(s\) of 32768 tokens/));
    expect(() => new LlmInferenceService(chart(), 'svc', { resource: resource({ [AnnotationKeys.MODEL_PROFILE]: 'acme/x' }) }))
      .toThrow(/metadata\.annotations\["llm-d\.cdk8s\.io\/model-profile"\] = "acme\/x": is not a model profile preset/);
    expect(() => new LlmInferenceService(chart(), 'svc', { resource: resource({ [AnnotationKeys.ACCELERATOR_TYPE]: 'H300' }) }))
      .toThrow(/is not an accelerator type/);
  });
});

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(argv, { stdout: (t) => { out += t; }, stderr: (t) => { err += t; }, stdin: () => '' });
  return { code, out, err };
}

describe('cdk8s-llm-d plan / render with --profile', () => {
  const SAMPLES = path.join(__dirname, '..', 'imports', 'reference', 'kserve', 'samples');
  const file = path.join(SAMPLES, 'single-node-gpu__llm-inference-service-qwen2-7b-gpu.yaml');

  test('plan --profile --accelerator-type adds the capacity table; --json carries the figures', async () => {
    const r = await cli('plan', '--profile', 'Qwen/Qwen2.5-7B-Instruct', '--accelerator-type', 'L4', file);
    expect(r.code).toBe(0);
    // L4: 20.69 GiB usable − 7.61e9 × 2 (14.17 GiB) − 2 = 4.52 GiB; 2 × 28 × 4 × 128 × 2 = 57344 B/token → 84,632 tokens
    expect(Math.floor((L4_USABLE - 15.22e9 - RESERVE) / 57344)).toBe(84632);
    expect(r.out).toMatch(/qwen2-7b-instruct-single-kserve +Qwen\/Qwen2\.5-7B-Instruct +L4 \(22\.49 GiB\) +1×1×1 +14\.2 GiB +4\.5 GiB +84632 +32768 +2 +6 +10 min/);
    const json = await cli('plan', '--json', '--profile', 'Qwen/Qwen2.5-7B-Instruct', '--accelerator-type', 'L4', file);
    expect(JSON.parse(json.out).workloads[0].capacity).toMatchObject({ kvCacheTokens: 84632, maxConcurrency: 2, maxConcurrencyTotal: 6 });
  });

  test('render prints one line per serving workload; an unknown --profile is a usage error', async () => {
    const r = await cli('render', '--profile', 'Qwen/Qwen2.5-7B-Instruct', '--accelerator-type', 'L4', file);
    expect(r.err).toMatch(/^workload Deployment default\/qwen2-7b-instruct-single-kserve \(both\): 3 pod\(s\), 3 nvidia\.com\/gpu \(1 per pod\); .*84632 KV-cache tokens/m);
    const bad = await cli('plan', '--profile', 'acme/none', file);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--profile acme/none: no model profile preset');
  });
});
