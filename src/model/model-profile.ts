import { FieldContext } from '../internal/context';
import { checkArgs } from '../internal/prop-check';

/** The architecture figures of a model that decide its GPU memory: weights, KV cache per token, context. */
export interface ModelProfileProps {
  /** Hugging Face model id, e.g. `meta-llama/Llama-3.1-8B-Instruct`. */
  readonly id: string;
  /** Total parameters in billions (all experts of an MoE model). */
  readonly parametersBillions: number;
  /**
   * Parameters active per token in billions (MoE models).
   * @default - equal to parametersBillions (dense)
   */
  readonly activeParametersBillions?: number;
  /**
   * Bytes per weight of the checkpoint: 2 for bf16/fp16, 1 for fp8/int8, 0.5 for int4.
   * @default 2
   */
  readonly bytesPerWeight?: number;
  /**
   * Size of the checkpoint's weights in GiB, when mixed precision makes `parameters × bytesPerWeight` wrong
   * (e.g. MXFP4 experts with bf16 attention).
   * @default - parametersBillions × bytesPerWeight
   */
  readonly checkpointGib?: number;
  /** `num_hidden_layers`. */
  readonly layers: number;
  /** `num_attention_heads`. */
  readonly attentionHeads: number;
  /**
   * `num_key_value_heads` (GQA); ignored with `kvLoraRank` (MLA).
   * @default - attentionHeads (multi-head attention)
   */
  readonly kvHeads?: number;
  /**
   * `head_dim`.
   * @default 128
   */
  readonly headDim?: number;
  /**
   * `kv_lora_rank` of multi-head latent attention (DeepSeek): the cache holds one latent of
   * `kvLoraRank + qkRopeHeadDim` values per layer and token, the same on every tensor-parallel rank.
   * @default - no MLA
   */
  readonly kvLoraRank?: number;
  /**
   * `qk_rope_head_dim` of MLA.
   * @default 64 with kvLoraRank
   */
  readonly qkRopeHeadDim?: number;
  /**
   * `sliding_window` in tokens of the layers with local attention.
   * @default - no sliding-window layers
   */
  readonly slidingWindow?: number;
  /**
   * How many of the layers use the sliding window (the rest attend to the whole context).
   * @default 0
   */
  readonly slidingWindowLayers?: number;
  /**
   * Routed experts per MoE layer (`num_experts`, `n_routed_experts`, `num_local_experts`).
   * @default - dense
   */
  readonly experts?: number;
  /**
   * Experts per token (`num_experts_per_tok`).
   * @default - dense
   */
  readonly activeExperts?: number;
  /** Longest context the model supports (`max_position_embeddings`), vLLM's default `--max-model-len`. */
  readonly maxContext: number;
}

/** Bytes of one GiB. */
const GIB = 1024 ** 3;

/**
 * A model's memory figures: how much its weights weigh, how many bytes one token of KV cache takes, and its
 * longest context. The presets carry the numbers of each model's published `config.json`; use
 * {@link ModelProfile.custom} for any other model.
 */
export class ModelProfile {
  /**
   * Llama 3.1 8B (also the Instruct model).
   * Figures: huggingface.co/meta-llama/Llama-3.1-8B-Instruct config.json (num_hidden_layers 32, num_attention_heads 32,
   * num_key_value_heads 8, head_dim 128, max_position_embeddings 131072); 8.03 B parameters (model card).
   */
  public static readonly LLAMA_3_1_8B = ModelProfile.preset({ id: 'meta-llama/Llama-3.1-8B-Instruct', parametersBillions: 8.03, layers: 32, attentionHeads: 32, kvHeads: 8, headDim: 128, maxContext: 131072 });

  /**
   * Llama 3.1 70B (Llama 3.3 70B has the same shape).
   * Figures: huggingface.co/meta-llama/Llama-3.1-70B-Instruct config.json (80 layers, 64 heads, 8 KV heads, head_dim 128,
   * max_position_embeddings 131072); 70.6 B parameters (model card).
   */
  public static readonly LLAMA_3_1_70B = ModelProfile.preset({ id: 'meta-llama/Llama-3.1-70B-Instruct', parametersBillions: 70.6, layers: 80, attentionHeads: 64, kvHeads: 8, headDim: 128, maxContext: 131072 });

  /**
   * Llama 3.3 70B Instruct.
   * Figures: huggingface.co/meta-llama/Llama-3.3-70B-Instruct config.json (same shape as Llama 3.1 70B).
   */
  public static readonly LLAMA_3_3_70B = ModelProfile.preset({ id: 'meta-llama/Llama-3.3-70B-Instruct', parametersBillions: 70.6, layers: 80, attentionHeads: 64, kvHeads: 8, headDim: 128, maxContext: 131072 });

  /**
   * Llama 3.1 405B in bf16 (for the FP8 checkpoint use `.withBytesPerWeight(1)` or `quantization: 'fp8'`).
   * Figures: huggingface.co/meta-llama/Llama-3.1-405B-Instruct config.json (126 layers, 128 heads, 8 KV heads, head_dim 128,
   * max_position_embeddings 131072); 405.9 B parameters (model card).
   */
  public static readonly LLAMA_3_1_405B = ModelProfile.preset({ id: 'meta-llama/Llama-3.1-405B-Instruct', parametersBillions: 405.9, layers: 126, attentionHeads: 128, kvHeads: 8, headDim: 128, maxContext: 131072 });

  /**
   * Qwen2.5 7B Instruct. Figures: huggingface.co/Qwen/Qwen2.5-7B-Instruct config.json (28 layers, 28 heads, 4 KV heads,
   * head_dim 128 = hidden_size 3584 / 28, max_position_embeddings 32768); 7.61 B parameters (model card).
   */
  public static readonly QWEN_2_5_7B = ModelProfile.preset({ id: 'Qwen/Qwen2.5-7B-Instruct', parametersBillions: 7.61, layers: 28, attentionHeads: 28, kvHeads: 4, headDim: 128, maxContext: 32768 });

  /**
   * Qwen3 0.6B. Figures: huggingface.co/Qwen/Qwen3-0.6B config.json (28 layers, 16 heads, 8 KV heads, head_dim 128,
   * max_position_embeddings 40960); 0.6 B parameters (model card).
   */
  public static readonly QWEN3_0_6B = ModelProfile.preset({ id: 'Qwen/Qwen3-0.6B', parametersBillions: 0.6, layers: 28, attentionHeads: 16, kvHeads: 8, headDim: 128, maxContext: 40960 });

  /**
   * Qwen3 1.7B. Figures: huggingface.co/Qwen/Qwen3-1.7B config.json (28 layers, 16 heads, 8 KV heads, head_dim 128,
   * max_position_embeddings 40960); 1.7 B parameters (model card).
   */
  public static readonly QWEN3_1_7B = ModelProfile.preset({ id: 'Qwen/Qwen3-1.7B', parametersBillions: 1.7, layers: 28, attentionHeads: 16, kvHeads: 8, headDim: 128, maxContext: 40960 });

  /**
   * Qwen3 4B. Figures: huggingface.co/Qwen/Qwen3-4B config.json (36 layers, 32 heads, 8 KV heads, head_dim 128,
   * max_position_embeddings 40960); 4.0 B parameters (model card).
   */
  public static readonly QWEN3_4B = ModelProfile.preset({ id: 'Qwen/Qwen3-4B', parametersBillions: 4.0, layers: 36, attentionHeads: 32, kvHeads: 8, headDim: 128, maxContext: 40960 });

  /**
   * Qwen3 8B. Figures: huggingface.co/Qwen/Qwen3-8B config.json (36 layers, 32 heads, 8 KV heads, head_dim 128,
   * max_position_embeddings 40960); 8.2 B parameters (model card).
   */
  public static readonly QWEN3_8B = ModelProfile.preset({ id: 'Qwen/Qwen3-8B', parametersBillions: 8.2, layers: 36, attentionHeads: 32, kvHeads: 8, headDim: 128, maxContext: 40960 });

  /**
   * Qwen3 14B. Figures: huggingface.co/Qwen/Qwen3-14B config.json (40 layers, 40 heads, 8 KV heads, head_dim 128,
   * max_position_embeddings 40960); 14.8 B parameters (model card).
   */
  public static readonly QWEN3_14B = ModelProfile.preset({ id: 'Qwen/Qwen3-14B', parametersBillions: 14.8, layers: 40, attentionHeads: 40, kvHeads: 8, headDim: 128, maxContext: 40960 });

  /**
   * Qwen3 32B. Figures: huggingface.co/Qwen/Qwen3-32B config.json (64 layers, 64 heads, 8 KV heads, head_dim 128,
   * max_position_embeddings 40960); 32.8 B parameters (model card).
   */
  public static readonly QWEN3_32B = ModelProfile.preset({ id: 'Qwen/Qwen3-32B', parametersBillions: 32.8, layers: 64, attentionHeads: 64, kvHeads: 8, headDim: 128, maxContext: 40960 });

  /**
   * Qwen3 30B-A3B (MoE). Figures: huggingface.co/Qwen/Qwen3-30B-A3B config.json (48 layers, 32 heads, 4 KV heads,
   * head_dim 128, num_experts 128, num_experts_per_tok 8, max_position_embeddings 40960); 30.5 B total, 3.3 B active
   * (model card).
   */
  public static readonly QWEN3_30B_A3B = ModelProfile.preset({
    id: 'Qwen/Qwen3-30B-A3B',
    parametersBillions: 30.5,
    activeParametersBillions: 3.3,
    layers: 48,
    attentionHeads: 32,
    kvHeads: 4,
    headDim: 128,
    experts: 128,
    activeExperts: 8,
    maxContext: 40960,
  });

  /**
   * Qwen3 235B-A22B (MoE). Figures: huggingface.co/Qwen/Qwen3-235B-A22B config.json (94 layers, 64 heads, 4 KV heads,
   * head_dim 128, num_experts 128, num_experts_per_tok 8, max_position_embeddings 40960; the same shape appears in
   * github.com/zyzshishui/slime scripts/models/qwen3-235B-A22B.sh); 235 B total, 22 B active (model card).
   */
  public static readonly QWEN3_235B_A22B = ModelProfile.preset({
    id: 'Qwen/Qwen3-235B-A22B',
    parametersBillions: 235,
    activeParametersBillions: 22,
    layers: 94,
    attentionHeads: 64,
    kvHeads: 4,
    headDim: 128,
    experts: 128,
    activeExperts: 8,
    maxContext: 40960,
  });

  /**
   * DeepSeek-V3 (MoE with multi-head latent attention), as published in FP8.
   * Figures: huggingface.co/deepseek-ai/DeepSeek-V3 config.json (num_hidden_layers 61, num_attention_heads 128,
   * kv_lora_rank 512, qk_rope_head_dim 64, n_routed_experts 256, num_experts_per_tok 8, max_position_embeddings 163840,
   * quantization_config fp8); 671 B total, 37 B active (model card; the 14 B multi-token-prediction module is not loaded).
   */
  public static readonly DEEPSEEK_V3 = ModelProfile.preset(deepseekV3Props('deepseek-ai/DeepSeek-V3'));

  /** DeepSeek-R1: the DeepSeek-V3 architecture (huggingface.co/deepseek-ai/DeepSeek-R1 config.json, same figures). */
  public static readonly DEEPSEEK_R1 = ModelProfile.preset(deepseekV3Props('deepseek-ai/DeepSeek-R1'));

  /**
   * gpt-oss-20b (MoE, MXFP4 experts, alternating 128-token sliding-window layers).
   * Figures: huggingface.co/openai/gpt-oss-20b config.json (num_hidden_layers 24, num_attention_heads 64,
   * num_key_value_heads 8, head_dim 64, sliding_window 128 on every other layer, num_local_experts 32,
   * num_experts_per_tok 4, max_position_embeddings 131072; the same figures, with attention kept in bf16 and the
   * experts in MXFP4, in github.com/EchoCog/gpt-oss-20b docs/gpt-oss-20b-architecture.md); 20.9 B total, 3.6 B active,
   * 12.8 GiB checkpoint (OpenAI gpt-oss model card).
   */
  public static readonly GPT_OSS_20B = ModelProfile.preset({
    id: 'openai/gpt-oss-20b',
    parametersBillions: 20.9,
    activeParametersBillions: 3.6,
    checkpointGib: 12.8,
    layers: 24,
    attentionHeads: 64,
    kvHeads: 8,
    headDim: 64,
    slidingWindow: 128,
    slidingWindowLayers: 12,
    experts: 32,
    activeExperts: 4,
    maxContext: 131072,
  });

  /**
   * gpt-oss-120b. Figures: huggingface.co/openai/gpt-oss-120b config.json (num_hidden_layers 36, num_attention_heads 64,
   * num_key_value_heads 8, head_dim 64, sliding_window 128 on every other layer, num_local_experts 128,
   * num_experts_per_tok 4, max_position_embeddings 131072); 116.8 B total, 5.1 B active, 60.8 GiB checkpoint
   * (OpenAI gpt-oss model card).
   */
  public static readonly GPT_OSS_120B = ModelProfile.preset({
    id: 'openai/gpt-oss-120b',
    parametersBillions: 116.8,
    activeParametersBillions: 5.1,
    checkpointGib: 60.8,
    layers: 36,
    attentionHeads: 64,
    kvHeads: 8,
    headDim: 64,
    slidingWindow: 128,
    slidingWindowLayers: 18,
    experts: 128,
    activeExperts: 4,
    maxContext: 131072,
  });

  /**
   * Mistral Small 3.1 24B Instruct. Figures: huggingface.co/mistralai/Mistral-Small-3.1-24B-Instruct-2503 config.json
   * text_config (40 layers, 32 heads, 8 KV heads, head_dim 128, max_position_embeddings 131072); 24 B parameters.
   */
  public static readonly MISTRAL_SMALL_3_1_24B = ModelProfile.preset({ id: 'mistralai/Mistral-Small-3.1-24B-Instruct-2503', parametersBillions: 24, layers: 40, attentionHeads: 32, kvHeads: 8, headDim: 128, maxContext: 131072 });

  /**
   * Mistral Large 2 (2411). Figures: huggingface.co/mistralai/Mistral-Large-Instruct-2411 config.json (88 layers, 96 heads,
   * 8 KV heads, head_dim 128, max_position_embeddings 131072); 123 B parameters (model card).
   */
  public static readonly MISTRAL_LARGE_2 = ModelProfile.preset({ id: 'mistralai/Mistral-Large-Instruct-2411', parametersBillions: 123, layers: 88, attentionHeads: 96, kvHeads: 8, headDim: 128, maxContext: 131072 });

  /**
   * Gemma 3 1B. Figures: huggingface.co/google/gemma-3-1b-it config.json (26 layers, 4 heads, 1 KV head, head_dim 256,
   * sliding_window 512, sliding_window_pattern 6: 22 local and 4 global layers, max_position_embeddings 32768).
   */
  public static readonly GEMMA3_1B = ModelProfile.preset({
    id: 'google/gemma-3-1b-it',
    parametersBillions: 1.0,
    layers: 26,
    attentionHeads: 4,
    kvHeads: 1,
    headDim: 256,
    slidingWindow: 512,
    slidingWindowLayers: 22,
    maxContext: 32768,
  });

  /**
   * Gemma 3 4B. Figures: huggingface.co/google/gemma-3-4b-it config.json text_config (34 layers, 8 heads, 4 KV heads,
   * head_dim 256, sliding_window 1024, sliding_window_pattern 6: 29 local and 5 global layers, 131072 context; the
   * layer, head and window figures also appear in public gemma3_text config.json test fixtures).
   */
  public static readonly GEMMA3_4B = ModelProfile.preset({
    id: 'google/gemma-3-4b-it',
    parametersBillions: 4.3,
    layers: 34,
    attentionHeads: 8,
    kvHeads: 4,
    headDim: 256,
    slidingWindow: 1024,
    slidingWindowLayers: 29,
    maxContext: 131072,
  });

  /**
   * Gemma 3 12B. Figures: huggingface.co/google/gemma-3-12b-it config.json text_config (48 layers, 16 heads, 8 KV heads,
   * head_dim 256, sliding_window 1024, sliding_window_pattern 6: 40 local and 8 global layers, 131072 context).
   */
  public static readonly GEMMA3_12B = ModelProfile.preset({
    id: 'google/gemma-3-12b-it',
    parametersBillions: 12.2,
    layers: 48,
    attentionHeads: 16,
    kvHeads: 8,
    headDim: 256,
    slidingWindow: 1024,
    slidingWindowLayers: 40,
    maxContext: 131072,
  });

  /**
   * Gemma 3 27B. Figures: huggingface.co/google/gemma-3-27b-it config.json text_config (62 layers, 32 heads, 16 KV heads,
   * head_dim 128, sliding_window 1024, sliding_window_pattern 6: 52 local and 10 global layers, 131072 context).
   */
  public static readonly GEMMA3_27B = ModelProfile.preset({
    id: 'google/gemma-3-27b-it',
    parametersBillions: 27.4,
    layers: 62,
    attentionHeads: 32,
    kvHeads: 16,
    headDim: 128,
    slidingWindow: 1024,
    slidingWindowLayers: 52,
    maxContext: 131072,
  });

  /** The preset of a Hugging Face model id (case-insensitive; an `-Instruct` / `-it` suffix may be left out). */
  public static of(id: string): ModelProfile {
    checkArgs('ModelProfile.of', arguments);
    const found = ModelProfile._lookup(id);
    if (!found) {
      throw new FieldContext('ModelProfile.of').error('id', id, 'has no preset',
        `use one of ${ModelProfile.presetIds().join(', ')}, or ModelProfile.custom({...}) with the figures of its config.json`);
    }
    return found;
  }

  /** The ids of every preset. */
  public static presetIds(): string[] {
    return PRESETS().map((p) => p.id);
  }

  /** Any model, from the figures of its `config.json`. */
  public static custom(props: ModelProfileProps): ModelProfile {
    checkArgs('ModelProfile.custom', arguments);
    const p = new ModelProfile(props);
    p._validate(new FieldContext('ModelProfile.custom'));
    return p;
  }

  /**
   * The preset of `id`, or undefined.
   * @internal
   */
  public static _lookup(id: string): ModelProfile | undefined {
    if (typeof id !== 'string') return undefined;
    const key = normalise(id);
    return PRESETS().find((p) => normalise(p.id) === key || normalise(stripName(p.id)) === key);
  }

  private static preset(props: ModelProfileProps): ModelProfile {
    return new ModelProfile(props);
  }

  /** Hugging Face model id. */
  public readonly id: string;
  /** Total parameters in billions. */
  public readonly parametersBillions: number;
  /** Parameters active per token in billions. */
  public readonly activeParametersBillions: number;
  /** Bytes per weight (with `checkpointGib`: the checkpoint's average). */
  public readonly bytesPerWeight: number;
  /** Layers. */
  public readonly layers: number;
  /** Attention heads. */
  public readonly attentionHeads: number;
  /** KV heads (GQA). */
  public readonly kvHeads: number;
  /** Head dimension. */
  public readonly headDim: number;
  /** MLA latent rank, 0 without MLA. */
  public readonly kvLoraRank: number;
  /** MLA rope head dimension. */
  public readonly qkRopeHeadDim: number;
  /** Sliding window in tokens, 0 without one. */
  public readonly slidingWindow: number;
  /** Layers with a sliding window. */
  public readonly slidingWindowLayers: number;
  /** Routed experts, 0 for dense models. */
  public readonly experts: number;
  /** Experts per token, 0 for dense models. */
  public readonly activeExperts: number;
  /** Longest context. */
  public readonly maxContext: number;
  private readonly props: ModelProfileProps;

  private constructor(props: ModelProfileProps) {
    this.props = props;
    this.id = props.id;
    this.parametersBillions = props.parametersBillions;
    this.activeParametersBillions = props.activeParametersBillions ?? props.parametersBillions;
    this.bytesPerWeight = props.bytesPerWeight ?? (props.checkpointGib !== undefined && props.parametersBillions > 0
      ? props.checkpointGib * GIB / (props.parametersBillions * 1e9) : 2);
    this.layers = props.layers;
    this.attentionHeads = props.attentionHeads;
    this.kvHeads = props.kvHeads ?? props.attentionHeads;
    this.headDim = props.headDim ?? 128;
    this.kvLoraRank = props.kvLoraRank ?? 0;
    this.qkRopeHeadDim = props.kvLoraRank !== undefined ? (props.qkRopeHeadDim ?? 64) : 0;
    this.slidingWindow = props.slidingWindow ?? 0;
    this.slidingWindowLayers = props.slidingWindow !== undefined ? (props.slidingWindowLayers ?? 0) : 0;
    this.experts = props.experts ?? 0;
    this.activeExperts = props.activeExperts ?? 0;
    this.maxContext = props.maxContext;
  }

  /** Whether the model caches MLA latents instead of per-head keys and values. */
  public get isMla(): boolean {
    return this.kvLoraRank > 0;
  }

  /** Whether the model is a mixture of experts. */
  public get isMoe(): boolean {
    return this.experts > 0;
  }

  /** Bytes of the checkpoint's weights as loaded (parameters × bytes per weight, or the given checkpoint size). */
  public get weightBytes(): number {
    return this.parametersBillions * 1e9 * this.bytesPerWeight;
  }

  /**
   * Bytes of the routed experts' weights (MoE): with `E` experts of which `k` are active, total = shared + experts and
   * active = shared + experts × k / E, so experts = (total − active) / (1 − k / E).
   */
  public get expertWeightBytes(): number {
    if (!this.isMoe || this.activeExperts <= 0 || this.activeExperts >= this.experts) return 0;
    const share = (this.parametersBillions - this.activeParametersBillions) / (1 - this.activeExperts / this.experts) / this.parametersBillions;
    return this.weightBytes * Math.min(1, Math.max(0, share));
  }

  /** The same model with another weight precision (e.g. 1 for an FP8 checkpoint). */
  public withBytesPerWeight(bytesPerWeight: number): ModelProfile {
    const ctx = new FieldContext('ModelProfile.withBytesPerWeight');
    if (typeof bytesPerWeight !== 'number' || !(bytesPerWeight > 0 && bytesPerWeight <= 4)) {
      throw ctx.error('bytesPerWeight', bytesPerWeight, 'must be a number in (0, 4]', 'use 2 (bf16), 1 (fp8/int8) or 0.5 (int4)');
    }
    return new ModelProfile({ ...this.props, bytesPerWeight, checkpointGib: undefined });
  }

  /**
   * Check the figures.
   * @internal
   */
  public _validate(ctx: FieldContext): void {
    const p = this.props;
    if (typeof p.id !== 'string' || p.id.trim() === '') throw ctx.error('id', p.id, 'must name the model', "use its Hugging Face id, e.g. 'org/model'");
    const positive = (field: keyof ModelProfileProps, v: number | undefined, fix: string) => {
      if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v > 0)) throw ctx.error(field, v, 'must be a positive number', fix);
    };
    positive('parametersBillions', p.parametersBillions, 'give the total parameters in billions, e.g. 8.03');
    positive('activeParametersBillions', p.activeParametersBillions, 'give the active parameters per token in billions');
    positive('bytesPerWeight', p.bytesPerWeight, 'use 2 (bf16), 1 (fp8/int8) or 0.5 (int4)');
    positive('checkpointGib', p.checkpointGib, 'give the size of the weights in GiB');
    for (const f of ['layers', 'attentionHeads', 'kvHeads', 'headDim', 'kvLoraRank', 'qkRopeHeadDim', 'slidingWindow', 'experts', 'activeExperts', 'maxContext'] as const) {
      ctx.positiveInt(f, p[f]);
    }
    ctx.positiveInt('slidingWindowLayers', p.slidingWindowLayers, 0);
    if (this.activeParametersBillions > this.parametersBillions) {
      throw ctx.error('activeParametersBillions', p.activeParametersBillions, `exceeds the total parameters (${p.parametersBillions} B)`, 'give the parameters active per token, at most the total');
    }
    if (this.kvHeads > this.attentionHeads || this.attentionHeads % this.kvHeads !== 0) {
      throw ctx.error('kvHeads', this.kvHeads, `must divide attentionHeads (${this.attentionHeads})`, 'copy num_key_value_heads from config.json');
    }
    if (this.slidingWindowLayers > this.layers) {
      throw ctx.error('slidingWindowLayers', this.slidingWindowLayers, `exceeds the layers (${this.layers})`, 'count only the layers with local attention');
    }
    if ((p.experts === undefined) !== (p.activeExperts === undefined) || this.activeExperts > this.experts) {
      throw ctx.error(p.experts === undefined ? 'activeExperts' : 'experts', p.experts ?? p.activeExperts,
        'an MoE model needs both experts and activeExperts, with activeExperts <= experts', 'copy num_experts and num_experts_per_tok from config.json');
    }
    if (p.qkRopeHeadDim !== undefined && p.kvLoraRank === undefined) {
      throw ctx.error('qkRopeHeadDim', p.qkRopeHeadDim, 'only applies to multi-head latent attention', 'set kvLoraRank too, or drop qkRopeHeadDim');
    }
  }
}

function deepseekV3Props(id: string): ModelProfileProps {
  return {
    id,
    parametersBillions: 671,
    activeParametersBillions: 37,
    bytesPerWeight: 1,
    layers: 61,
    attentionHeads: 128,
    kvLoraRank: 512,
    qkRopeHeadDim: 64,
    experts: 256,
    activeExperts: 8,
    maxContext: 163840,
  };
}

function PRESETS(): ModelProfile[] {
  return [
    ModelProfile.LLAMA_3_1_8B, ModelProfile.LLAMA_3_1_70B, ModelProfile.LLAMA_3_3_70B, ModelProfile.LLAMA_3_1_405B,
    ModelProfile.QWEN_2_5_7B, ModelProfile.QWEN3_0_6B, ModelProfile.QWEN3_1_7B,
    ModelProfile.QWEN3_4B, ModelProfile.QWEN3_8B, ModelProfile.QWEN3_14B,
    ModelProfile.QWEN3_32B, ModelProfile.QWEN3_30B_A3B, ModelProfile.QWEN3_235B_A22B,
    ModelProfile.DEEPSEEK_V3, ModelProfile.DEEPSEEK_R1, ModelProfile.GPT_OSS_20B, ModelProfile.GPT_OSS_120B,
    ModelProfile.MISTRAL_SMALL_3_1_24B, ModelProfile.MISTRAL_LARGE_2,
    ModelProfile.GEMMA3_1B, ModelProfile.GEMMA3_4B, ModelProfile.GEMMA3_12B, ModelProfile.GEMMA3_27B,
  ];
}

function normalise(id: string): string {
  return id.trim().toLowerCase().replace(/-(instruct(-\d+)?|it)$/, '');
}

function stripName(id: string): string {
  return id.slice(id.indexOf('/') + 1);
}
