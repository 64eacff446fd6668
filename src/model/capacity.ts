/**
 * GPU-fit and KV-cache capacity of one serving role, from a model profile, the accelerator type and the parallelism.
 *
 * Formulas (per GPU of one engine; an engine is one data-parallel rank of tensor × pipeline GPUs):
 * - weights per GPU = dense weights / (TP × PP) + expert weights / (EP × PP), where EP = TP × DP with expert
 *   parallelism and TP otherwise; dense and expert weights come from {@link ModelProfile.expertWeightBytes};
 * - usable memory = device memory × gpu-memory-utilization (vLLM's default 0.92);
 * - KV cache per GPU = usable memory − weights per GPU − {@link CAPACITY_ACTIVATION_RESERVE};
 * - KV bytes per token per GPU = layers per stage × per-layer bytes, where per-layer bytes =
 *   2 × ceil(kv_heads / TP) × head_dim × KV dtype bytes (K and V; heads are replicated when TP > kv_heads), or
 *   (kv_lora_rank + qk_rope_head_dim) × KV dtype bytes for MLA (one latent, the same on every TP rank);
 * - one sequence of L tokens takes per-layer bytes × (full-attention layers × L + sliding-window layers × min(L, window));
 * - concurrent sequences at max-model-len = floor(KV cache per GPU / bytes of one sequence); KV-cache tokens =
 *   that ratio (unfloored) × max-model-len, as vLLM reports `GPU KV cache size`.
 */
import { Size } from 'cdk8s';
import { AcceleratorType } from './accelerator';
import { ModelProfile } from './model-profile';
import { ParallelismPlan } from './parallelism';
import { FieldContext } from '../internal/context';
import { StartupBudgets } from '../wiring/startup';

const GIB = 1024 ** 3;

/**
 * Memory per GPU kept for vLLM's profiling-run activations (at the default `--max-num-batched-tokens`), CUDA graphs
 * and non-torch allocations (CUDA context, NCCL buffers): 2 GiB. vLLM's startup logs show 0.5–2 GiB for dense models.
 * @internal
 */
export const CAPACITY_ACTIVATION_RESERVE = 2 * GIB;
/** vLLM's default `--gpu-memory-utilization` (v0.23.0). @internal */
export const DEFAULT_GPU_MEMORY_UTILIZATION = 0.92;
/** Construct metadata type of a capacity warning (on the pattern's node). @internal */
export const CAPACITY_WARNING = 'llm-d:capacity-warning';
/** Below this many concurrent sequences at max-model-len a role gets a warning. @internal */
export const COMFORTABLE_CONCURRENCY = 4;

/** What vLLM's `--quantization` does to the bytes per weight (methods that quantize at load time or declare the format). */
const QUANTIZED_BYTES: Record<string, number> = {
  'fp8': 1,
  'fbgemm_fp8': 1,
  'ptpc_fp8': 1,
  'fp_quant': 1,
  'modelopt': 1,
  'compressed-tensors': 1,
  'experts_int8': 1,
  'awq': 0.5,
  'awq_marlin': 0.5,
  'gptq': 0.5,
  'gptq_marlin': 0.5,
  'bitsandbytes': 0.5,
  'mxfp4': 0.53,
  'modelopt_fp4': 0.53,
};

/** The capacity figures of one role, as written to the workload's capacity annotation. @internal */
export interface CapacityFigures {
  readonly model: string;
  readonly accelerator?: string;
  readonly memoryGib?: number;
  readonly gpuMemoryUtilization: number;
  readonly tensor: number;
  readonly pipeline: number;
  readonly data: number;
  readonly expert: boolean;
  /** GPUs per engine (TP × PP). */
  readonly gpusPerEngine: number;
  readonly weightsGibPerGpu: number;
  readonly kvBytesPerToken: number;
  readonly kvCacheDtypeBytes: number;
  readonly maxModelLen: number;
  /** KV cache per GPU in GiB (unknown accelerator: undefined). */
  readonly kvCacheGibPerGpu?: number;
  /** KV-cache tokens of one engine. */
  readonly kvCacheTokens?: number;
  /** Sequences of max-model-len one engine holds at once. */
  readonly maxConcurrency?: number;
  /** Sequences of max-model-len one replica (all its data-parallel engines) holds at once. */
  readonly maxConcurrencyPerReplica?: number;
  readonly startupSeconds?: number;
  readonly warnings: string[];
}

/** Inputs of {@link planCapacity}. @internal */
export interface CapacityInput {
  /** The role's props (errors about `engine.maxModelLen`). */
  readonly ctx: FieldContext;
  /** Where `profile` lives (the pattern's top-level props); errors name the role in their text. */
  readonly profileCtx?: FieldContext;
  /** The role's name for error texts (`prefill`, `decode`), when the pattern has several. */
  readonly roleName?: string;
  readonly profile: ModelProfile;
  readonly type?: AcceleratorType;
  readonly perNode: number;
  readonly parallelism: ParallelismPlan;
  readonly maxModelLen?: number;
  readonly gpuMemoryUtilization?: number;
  readonly quantization?: string;
  readonly kvCacheDtype?: string;
}

function gib(bytes: number): number {
  return Math.round(bytes / GIB * 100) / 100;
}

function fmt(bytes: number): string {
  return `${gib(bytes).toFixed(1)} GiB`;
}

/** Bytes per weight after `--quantization`. @internal */
export function bytesPerWeight(profile: ModelProfile, quantization?: string): number {
  const q = quantization === undefined ? undefined : QUANTIZED_BYTES[quantization];
  return q === undefined ? profile.bytesPerWeight : Math.min(q, profile.bytesPerWeight);
}

/** Bytes of the weights as loaded (after quantization). */
function loadedWeights(profile: ModelProfile, quantization?: string): { total: number; experts: number } {
  const scale = bytesPerWeight(profile, quantization) / profile.bytesPerWeight;
  return { total: profile.weightBytes * scale, experts: profile.expertWeightBytes * scale };
}

/** Weights per GPU at a parallelism. @internal */
export function weightsPerGpu(profile: ModelProfile, p: Pick<ParallelismPlan, 'tensor' | 'pipeline' | 'data' | 'expert'>, quantization?: string): number {
  const w = loadedWeights(profile, quantization);
  const expertShards = p.expert ? p.tensor * p.data : p.tensor;
  return (w.total - w.experts) / (p.tensor * p.pipeline) + w.experts / (expertShards * p.pipeline);
}

/** KV-cache bytes per element: 1 for the fp8 / int8 cache dtypes, 0.5 for nvfp4, else 2 (bf16/fp16). @internal */
export function kvDtypeBytes(kvCacheDtype?: string): number {
  if (kvCacheDtype === undefined || kvCacheDtype === 'auto') return 2;
  if (kvCacheDtype.startsWith('fp8') || kvCacheDtype.startsWith('int8')) return 1;
  if (kvCacheDtype === 'nvfp4') return 0.5;
  return 2;
}

/** KV bytes of one layer and token on one GPU. @internal */
export function kvBytesPerLayer(profile: ModelProfile, tensor: number, dtypeBytes: number): number {
  if (profile.isMla) return (profile.kvLoraRank + profile.qkRopeHeadDim) * dtypeBytes;
  return 2 * Math.ceil(profile.kvHeads / tensor) * profile.headDim * dtypeBytes;
}

/** Layers of the largest pipeline stage: full-attention and sliding-window. */
function stageLayers(profile: ModelProfile, pipeline: number): { full: number; sliding: number } {
  return { full: Math.ceil((profile.layers - profile.slidingWindowLayers) / pipeline), sliding: Math.ceil(profile.slidingWindowLayers / pipeline) };
}

/** KV bytes per token on one GPU, every layer counted (the figure for prefix-cache and transfer sizing). @internal */
export function kvBytesPerToken(profile: ModelProfile, tensor: number, pipeline: number, dtypeBytes: number): number {
  const l = stageLayers(profile, pipeline);
  return kvBytesPerLayer(profile, tensor, dtypeBytes) * (l.full + l.sliding);
}

/** KV bytes of one sequence of `tokens` on one GPU (sliding-window layers hold at most their window). @internal */
export function kvBytesPerSequence(profile: ModelProfile, tensor: number, pipeline: number, dtypeBytes: number, tokens: number): number {
  const l = stageLayers(profile, pipeline);
  return kvBytesPerLayer(profile, tensor, dtypeBytes) * (l.full * tokens + l.sliding * Math.min(tokens, profile.slidingWindow || tokens));
}

/**
 * The startup budget of a role from its model: engine start + checkpoint bytes / load rate (+ group formation when
 * the group spans nodes), never below the fixed default, rounded up to whole minutes.
 * @internal
 */
export function derivedStartupSeconds(profile: ModelProfile, multiPod: boolean, loadRate: Size | undefined, ctx: FieldContext): number {
  const rate = ctx.convert('modelLoadRate', loadRate, () => (loadRate ?? StartupBudgets.DEFAULT_LOAD_RATE).toMebibytes(), 'use e.g. Size.mebibytes(500) (read per second)');
  if (!(rate > 0)) throw ctx.error('modelLoadRate', `${rate} MiB/s`, 'must be a positive rate', 'use e.g. Size.mebibytes(500) (read per second)');
  const read = profile.weightBytes / (rate * 1024 * 1024);
  const base = StartupBudgets.ENGINE_INIT.toSeconds() + (multiPod ? StartupBudgets.GROUP_FORMATION.toSeconds() : 0);
  const floor = (multiPod ? StartupBudgets.MULTI_NODE : StartupBudgets.SINGLE_NODE).toSeconds();
  return Math.max(floor, Math.ceil((base + read) / 60) * 60);
}

/** The smallest tensor size (powers of two dividing the attention heads) at which the weights fit, if any up to 64. */
function tensorThatFits(input: CapacityInput, usable: number, bpwQuant?: string): number | undefined {
  for (let t = input.parallelism.tensor * 2; t <= 64; t *= 2) {
    if (input.profile.attentionHeads % t !== 0) continue;
    const w = weightsPerGpu(input.profile, { ...input.parallelism, tensor: t }, bpwQuant ?? input.quantization);
    if (w + CAPACITY_ACTIVATION_RESERVE < usable) return t;
  }
  return undefined;
}

/**
 * Check that the model fits and derive its capacity figures. Throws when the weights do not fit the GPUs or the KV
 * cache cannot hold one sequence of max-model-len; warns below {@link COMFORTABLE_CONCURRENCY} sequences.
 * @internal
 */
export function planCapacity(input: CapacityInput): CapacityFigures {
  const { ctx, profile, type, parallelism: p } = input;
  const util = input.gpuMemoryUtilization ?? DEFAULT_GPU_MEMORY_UTILIZATION;
  const maxModelLen = input.maxModelLen ?? profile.maxContext;
  const dtypeBytes = kvDtypeBytes(input.kvCacheDtype);
  const weights = weightsPerGpu(profile, p, input.quantization);
  const perToken = kvBytesPerToken(profile, p.tensor, p.pipeline, dtypeBytes);
  const perSequence = kvBytesPerSequence(profile, p.tensor, p.pipeline, dtypeBytes, maxModelLen);
  const warnings: string[] = [];
  const where = `tensor ${p.tensor} × pipeline ${p.pipeline}${p.expert ? ` with expert parallelism over ${p.tensor * p.data} GPUs` : ''}`;
  const base = {
    model: profile.id,
    accelerator: type?.name,
    memoryGib: type ? gib(type.memoryBytes) : undefined,
    gpuMemoryUtilization: util,
    tensor: p.tensor,
    pipeline: p.pipeline,
    data: p.data,
    expert: p.expert,
    gpusPerEngine: p.tensor * p.pipeline,
    weightsGibPerGpu: gib(weights),
    kvBytesPerToken: Math.round(perToken),
    kvCacheDtypeBytes: dtypeBytes,
    maxModelLen,
    warnings,
  };
  if (maxModelLen > profile.maxContext) {
    warnings.push(`maxModelLen ${maxModelLen} exceeds ${profile.id}'s ${profile.maxContext}-token context; vLLM refuses it unless the model's rope scaling allows it`);
  }
  if (!type) return base;

  const usable = type.memoryBytes * util;
  if (weights + CAPACITY_ACTIVATION_RESERVE >= usable) {
    const fixes: string[] = [];
    const t = tensorThatFits(input, usable);
    if (t !== undefined) fixes.push(`raise parallelism.tensor to ${t} (${fmt(weightsPerGpu(profile, { ...p, tensor: t }, input.quantization))} per GPU${t * p.pipeline * p.dataLocal > input.perNode ? `; ${t * p.pipeline * p.dataLocal} GPUs per pod exceed the ${input.perNode} per node, so serve it with MultiNodeGroup` : ''})`);
    if (bytesPerWeight(profile, input.quantization) > 1) {
      fixes.push(`quantize to fp8 (Engine.vllm({ quantization: 'fp8' }): ${fmt(weightsPerGpu(profile, p, 'fp8'))} per GPU)`);
    }
    const larger = AcceleratorType.all()
      .filter((a) => a.vendor === type.vendor && weights + CAPACITY_ACTIVATION_RESERVE < a.memoryBytes * util).map((a) => a.name);
    if (larger.length) fixes.push(`use a larger accelerator (${larger.join(', ')})`);
    throw (input.profileCtx ?? ctx).error('profile', profile.id,
      `${input.roleName ? `the ${input.roleName} role: ` : ''}${profile.id} weighs ${fmt(loadedWeights(profile, input.quantization).total)}; at ${where} each ${type.name} holds ${fmt(weights)} of weights + ${fmt(CAPACITY_ACTIVATION_RESERVE)} of activations, `
      + `more than the ${fmt(usable)} vLLM may use (${fmt(type.memoryBytes)} × gpu-memory-utilization ${util})`,
      fixes.length ? fixes.join(', or ') : 'spread the model over more GPUs');
  }
  const kvBytes = usable - weights - CAPACITY_ACTIVATION_RESERVE;
  const ratio = kvBytes / perSequence;
  const maxConcurrency = Math.floor(ratio);
  if (maxConcurrency < 1) {
    const fitsLen = Math.floor(maxLenThatFits(profile, p, dtypeBytes, kvBytes) / 1024) * 1024;
    const fixes = [
      fitsLen >= 1024 ? `lower Engine.vllm({ maxModelLen }) to ${fitsLen} or less` : undefined,
      dtypeBytes > 1 ? "store the KV cache in fp8 (extraArgs ['--kv-cache-dtype', 'fp8'] halves it)" : undefined,
      'raise parallelism.tensor (each GPU then holds fewer weights and fewer KV heads)',
      util < 0.95 ? 'raise Engine.vllm({ gpuMemoryUtilization })' : undefined,
      'or use a larger accelerator',
    ].filter((f): f is string => f !== undefined);
    const lenCtx = input.maxModelLen !== undefined ? ctx : (input.profileCtx ?? ctx);
    throw lenCtx.error(input.maxModelLen !== undefined ? 'engine.maxModelLen' : 'profile', input.maxModelLen ?? profile.id,
      `${input.roleName ? `the ${input.roleName} role: ` : ''}one ${maxModelLen}-token sequence needs ${fmt(perSequence)} of KV cache per GPU (${Math.round(perToken)} bytes per token at ${where}), `
      + `but each ${type.name} has ${fmt(kvBytes)} left after ${fmt(weights)} of weights and ${fmt(CAPACITY_ACTIVATION_RESERVE)} of activations, i.e. ${Math.floor(ratio * maxModelLen)} tokens`,
      fixes.join(', '));
  }
  if (maxConcurrency < COMFORTABLE_CONCURRENCY) {
    warnings.push(`only ${maxConcurrency} sequence(s) of ${maxModelLen} tokens fit the KV cache of one engine (${fmt(kvBytes)} per GPU); `
      + `requests queue early: lower maxModelLen, raise tensor or use fp8 KV cache for at least ${COMFORTABLE_CONCURRENCY}`);
  }
  return {
    ...base,
    kvCacheGibPerGpu: gib(kvBytes),
    kvCacheTokens: Math.floor(ratio * maxModelLen),
    maxConcurrency,
    maxConcurrencyPerReplica: maxConcurrency * p.data,
  };
}

/** The longest sequence the KV cache of one GPU holds. */
function maxLenThatFits(profile: ModelProfile, p: ParallelismPlan, dtypeBytes: number, kvBytes: number): number {
  let lo = 0;
  let hi = profile.maxContext * 4;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (kvBytesPerSequence(profile, p.tensor, p.pipeline, dtypeBytes, mid) <= kvBytes) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
