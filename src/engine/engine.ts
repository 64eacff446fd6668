import { ParsedFlag, parseFlags } from './flag-parser';
import { checkSglangArgs, checkSglangFlagValue, SGLANG_DISAGGREGATION_FLAGS, SGLANG_MULTI_NODE_FLAGS, SGLANG_OPTION_FLAGS, SGLANG_PARALLELISM_FLAGS } from './sglang-flags';
import { SIMULATOR_FLAG_TABLE } from './simulator-flags';
import { checkVllmArgs, checkVllmFlagValue } from './vllm-flags';
import { ALL2ALL_BACKEND_FLAG, FlagValueKind, flagOf, PARALLELISM_FLAGS, VLLM_OPTION_FLAGS, VLLM_OWNED_FLAGS } from './vllm-prop-flags';
import { FieldContext } from '../internal/context';
import { checkArgs } from '../internal/prop-check';
import { checkSecretEnv, checkSecretFlags, checkSecretTokens } from '../internal/secrets';
import { ParallelismPlan } from '../model/parallelism';
import { Versions } from '../versions';
import { Ports } from '../wiring/ports';

/** vLLM's log levels (`VLLM_LOGGING_LEVEL`, a Python logging level name). */
export enum VllmLogLevel {
  /** Everything, including per-request debugging output. */
  DEBUG = 'DEBUG',
  /** vLLM's default. */
  INFO = 'INFO',
  /** Warnings and errors only. */
  WARNING = 'WARNING',
  /** Errors only. */
  ERROR = 'ERROR',
  /** Fatal errors only. */
  CRITICAL = 'CRITICAL',
}

/** Options for {@link Engine.vllm}. */
export interface VllmOptions {
  /**
   * Server image. Its `vllm serve` flags must match the pinned table (vLLM v0.23.0) unless `allowUnknownFlags`.
   * @default - the accelerator's pinned build: Versions.VLLM_IMAGE (NVIDIA), VLLM_ROCM_IMAGE (AMD),
   * VLLM_GAUDI_IMAGE (Intel Gaudi), VLLM_TPU_IMAGE / VLLM_TPU_IRONWOOD_IMAGE (TPU, TPU7x), VLLM_CPU_IMAGE (CPU);
   * required for custom accelerators
   */
  readonly image?: string;
  /**
   * `--max-model-len`: context length in tokens.
   * @default - the model's own maximum
   */
  readonly maxModelLen?: number;
  /**
   * `--gpu-memory-utilization`, a fraction in (0, 1].
   * @default - vLLM's default (0.92)
   */
  readonly gpuMemoryUtilization?: number;
  /**
   * Automatic prefix caching (`--[no-]enable-prefix-caching`).
   * @default - vLLM's default (on)
   */
  readonly enablePrefixCaching?: boolean;
  /**
   * `--dtype`, e.g. `bfloat16`.
   * @default - 'auto' (the checkpoint's dtype)
   */
  readonly dtype?: string;
  /**
   * `--quantization`, e.g. `fp8`.
   * @default - none (or what the checkpoint declares)
   */
  readonly quantization?: string;
  /**
   * `--block-size`: KV-cache block size in tokens (must match across P/D roles and the EPP's prefix scorer).
   * @default - vLLM's default
   */
  readonly blockSize?: number;
  /**
   * Further `vllm serve` flags, checked against the pinned flag table. Flags the library derives
   * (port, parallelism, model, LoRA, the typed options above) are rejected here.
   * @default - none
   */
  readonly extraArgs?: string[];
  /**
   * Log level of vLLM (`VLLM_LOGGING_LEVEL`).
   * @default VllmLogLevel.INFO
   */
  readonly logLevel?: VllmLogLevel;
  /**
   * Extra environment variables. Secrets must not be given as literals. Rendered after the library's variables,
   * sorted by name, except that a variable referenced as `$(NAME)` by another comes first (Kubernetes expands only
   * references to earlier entries); reference cycles are rejected.
   * @default - none
   */
  readonly env?: Record<string, string>;
  /**
   * Accept flags missing from the pinned table (for vLLM builds newer than v0.23.0). Library-owned flags
   * are still rejected.
   * @default false
   */
  readonly allowUnknownFlags?: boolean;
}

/** Options for {@link Engine.sglang}. */
export interface SglangOptions {
  /**
   * Server image. Its `sglang.launch_server` flags must match the pinned table (SGLang v0.5.10.post1) unless
   * `allowUnknownFlags`.
   * @default Versions.SGLANG_IMAGE on NVIDIA GPUs; required for other accelerators
   */
  readonly image?: string;
  /**
   * `--context-length`: context length in tokens.
   * @default - the model's own maximum
   */
  readonly contextLength?: number;
  /**
   * `--mem-fraction-static`: the fraction of GPU memory for weights and the KV-cache pool, in (0, 1).
   * @default - SGLang's default (derived from the GPU memory and the parallelism)
   */
  readonly memFractionStatic?: number;
  /**
   * `--chunked-prefill-size`: the most tokens of one prefill chunk.
   * @default - SGLang's default (derived from the GPU memory)
   */
  readonly chunkedPrefillSize?: number;
  /**
   * `--dtype`, e.g. `bfloat16`.
   * @default - 'auto' (the checkpoint's dtype)
   */
  readonly dtype?: string;
  /**
   * `--quantization`, e.g. `fp8`.
   * @default - none (or what the checkpoint declares)
   */
  readonly quantization?: string;
  /**
   * `--page-size`: KV-cache page size in tokens (must match across P/D roles and the EPP's prefix scorer).
   * @default - SGLang's default (1)
   */
  readonly pageSize?: number;
  /**
   * Further `sglang.launch_server` flags, checked against the pinned flag table. Flags the library derives
   * (model, port, host, metrics, parallelism, disaggregation, LoRA, the typed options above) are rejected here.
   * @default - none
   */
  readonly extraArgs?: string[];
  /**
   * Extra environment variables, ordered as for {@link VllmOptions.env}.
   * @default - none
   */
  readonly env?: Record<string, string>;
  /**
   * Accept flags missing from the pinned table (for SGLang builds newer than v0.5.10.post1). Library-owned flags
   * are still rejected.
   * @default false
   */
  readonly allowUnknownFlags?: boolean;
}

/** Options for {@link Engine.simulator}. */
export interface SimulatorOptions {
  /**
   * Simulator image.
   * @default Versions.SIMULATOR_IMAGE
   */
  readonly image?: string;
  /**
   * `--mode`: `random` (random tokens) or `echo` (echo the prompt).
   * @default 'random'
   */
  readonly mode?: string;
  /**
   * `--time-to-first-token` in milliseconds.
   * @default - simulator default (0)
   */
  readonly timeToFirstTokenMs?: number;
  /**
   * `--inter-token-latency` in milliseconds.
   * @default - simulator default (0)
   */
  readonly interTokenLatencyMs?: number;
  /**
   * `--max-model-len`.
   * @default - simulator default (1024)
   */
  readonly maxModelLen?: number;
  /**
   * `--max-num-seqs`: concurrent requests before queueing.
   * @default - simulator default (5)
   */
  readonly maxNumSeqs?: number;
  /**
   * Further simulator flags (only the subset the simulator accepts).
   * @default - none
   */
  readonly extraArgs?: string[];
  /**
   * Extra environment variables, ordered as for {@link VllmOptions.env}.
   * @default - none
   */
  readonly env?: Record<string, string>;
}

/** The kind of model server. */
export enum EngineKind {
  /** vLLM (`vllm serve`). */
  VLLM = 'VLLM',
  /** llm-d's GPU-less inference simulator. */
  SIMULATOR = 'SIMULATOR',
  /** SGLang (`python3 -m sglang.launch_server`). */
  SGLANG = 'SGLANG',
}

/** What the engine renders for one serving container. @internal */
export interface EngineInput {
  readonly ctx: FieldContext;
  readonly servedModelName: string;
  readonly modelPath: string;
  readonly port: number;
  readonly plan: ParallelismPlan;
  readonly loraModules: { name: string; path: string }[];
  readonly lora: { maxRank?: number; maxAdapters?: number; engineDefaultMaxAdapters?: boolean; runtimeUpdates?: boolean };
  readonly acceleratorVendor: string;
  /** Accelerator devices the pod requests (0 on CPU). */
  readonly devices: number;
  /** The pinned vLLM image of the accelerator, if any. */
  readonly defaultImage?: string;
  /** KV-cache events for precise prefix-cache routing (vLLM `--kv-events-config`). */
  readonly kvEvents?: { readonly endpoint: string; readonly topic: string };
  /** KV block size required by the scheduler (must match the engine's own setting, if any). */
  readonly requiredBlockSize?: number;
  /** `--kv-transfer-config` JSON for P/D (ignored by the simulator, which simulates the transfer). */
  readonly kvTransferConfig?: string;
  /** Multi-node flags (LeaderWorkerSet groups). */
  readonly multiNode?: MultiNodeEngineFlags;
  /** SGLang P/D disaggregation of this role (the routing sidecar's `sglang` connector). */
  readonly sglangDisaggregation?: SglangDisaggregation;
  /** vLLM `--shutdown-timeout`: seconds to finish in-flight requests after SIGTERM (DrainBudgets). */
  readonly shutdownTimeoutSeconds?: number;
  /** Serve HTTPS with this certificate and key (paths in the container); ignored on headless workers. */
  readonly tls?: { readonly certFile: string; readonly keyFile: string };
}

/** SGLang's disaggregation flags of one role. @internal */
export interface SglangDisaggregation {
  readonly mode: 'prefill' | 'decode';
  readonly transferBackend: string;
  /** `--disaggregation-ib-device`. */
  readonly ibDevice?: string;
  /** The bootstrap port prefill pods listen on. */
  readonly bootstrapPort: number;
}

/** Flags of one pod of a multi-node group. @internal */
export interface MultiNodeEngineFlags {
  /** Native data parallel: every pod runs a DP slice (`--data-parallel-size-local`, rpc port). */
  readonly dataParallel: boolean;
  /** Worker without an API server (`--headless`). */
  readonly headless: boolean;
  /** One API server per local rank (`--data-parallel-multi-port-external-lb`) with this supervisor port. */
  readonly externalLbSupervisorPort?: number;
  readonly rpcPort?: number;
  /** `--distributed-executor-backend ray`. */
  readonly ray: boolean;
  readonly all2allBackend?: string;
  readonly eplb?: boolean;
  /** SGLang's multi-node launch: pods per group and the leader's `--dist-init-addr` port. */
  readonly sglangNodes?: { readonly nodes: number; readonly distInitPort: number };
}

/** @internal */
export interface EngineContainer {
  readonly image: string;
  readonly command?: string[];
  readonly args: string[];
  readonly env: Record<string, string>;
  /** `VLLM_LOGGING_LEVEL` (vLLM only). */
  readonly logLevel?: VllmLogLevel;
}


const API_SERVER_COUNT_FLAG = '--api-server-count';
const SHUTDOWN_TIMEOUT_FLAG = '--shutdown-timeout';
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/**
 * The model server that runs in the serving pods: vLLM, SGLang, or llm-d's inference simulator for GPU-less
 * clusters and tests. Each engine renders only flags it accepts.
 */
export class Engine {
  /** vLLM's OpenAI-compatible server. */
  public static vllm(options: VllmOptions = {}): Engine {
    checkArgs('Engine.vllm', arguments);
    return new Engine(EngineKind.VLLM, options, {});
  }

  /**
   * SGLang's OpenAI-compatible server (`python3 -m sglang.launch_server`), with its metrics on the serving port
   * and its pods labelled `llm-d.ai/engine-type: sglang` for the EPP's SGLang metric names.
   */
  public static sglang(options: SglangOptions = {}): Engine {
    checkArgs('Engine.sglang', arguments);
    return new Engine(EngineKind.SGLANG, {}, {}, options);
  }

  /** llm-d's inference simulator: same API, ports and metrics as vLLM, no GPU and no model weights. */
  public static simulator(options: SimulatorOptions = {}): Engine {
    checkArgs('Engine.simulator', arguments);
    return new Engine(EngineKind.SIMULATOR, {}, options);
  }

  private constructor(
    /** Which engine. */
    public readonly kind: EngineKind,
    private readonly vllmOptions: VllmOptions,
    private readonly simOptions: SimulatorOptions,
    private readonly sglangOptions: SglangOptions = {},
  ) {}

  /** True when the engine needs accelerators and model weights (vLLM, SGLang). */
  public get needsAccelerator(): boolean {
    return this.kind !== EngineKind.SIMULATOR;
  }

  /** The KV-cache block size (SGLang: page size) the engine is configured with, if set. */
  public get blockSize(): number | undefined {
    return this.kind === EngineKind.SGLANG ? this.sglangOptions.pageSize : this.vllmOptions.blockSize;
  }

  /**
   * What the capacity check reads: max-model-len, gpu-memory-utilization, quantization and the KV-cache dtype
   * (`--kv-cache-dtype` in extraArgs, first form `--kv-cache-dtype fp8` or `--kv-cache-dtype=fp8`).
   * @internal
   */
  public get _capacityOptions(): {
    readonly maxModelLen?: number; readonly gpuMemoryUtilization?: number; readonly quantization?: string; readonly kvCacheDtype?: string;
  } {
    const o = this.vllmOptions;
    const extra = o.extraArgs ?? [];
    let kvCacheDtype: string | undefined;
    extra.forEach((a, i) => {
      if (typeof a !== 'string') return;
      const name = a.split('=')[0].replace(/_/g, '-');
      if (name === '--kv-cache-dtype') kvCacheDtype = a.includes('=') ? a.slice(a.indexOf('=') + 1) : extra[i + 1];
    });
    return { maxModelLen: o.maxModelLen, gpuMemoryUtilization: o.gpuMemoryUtilization, quantization: o.quantization, kvCacheDtype };
  }

  /** The context length the engine is configured with, if set. */
  public get maxModelLen(): number | undefined {
    if (this.kind === EngineKind.SGLANG) return this.sglangOptions.contextLength;
    return this.kind === EngineKind.VLLM ? this.vllmOptions.maxModelLen : this.simOptions.maxModelLen;
  }

  /**
   * Render the serving container's image, command, args and env.
   * @internal
   */
  public _render(input: EngineInput): EngineContainer {
    if (this.kind === EngineKind.SGLANG) return this.renderSglang(input);
    return this.kind === EngineKind.VLLM ? this.renderVllm(input) : this.renderSimulator(input);
  }

  /**
   * `python3 -m sglang.launch_server` as llm-d-router v0.10.0's SGLang sample runs it
   * (`config/manifests/sglang/gpu-deployment.yaml`): all addresses, the serving port, `--enable-metrics` (SGLang
   * serves `/metrics` on its HTTP port only with it). GPUs: SGLang runs `--data-parallel-size` replicas of
   * `--tensor-parallel-size` × `--pipeline-parallel-size` GPUs each, the count the parallelism plan requests.
   */
  private renderSglang(input: EngineInput): EngineContainer {
    const o = this.sglangOptions;
    const ctx = input.ctx;
    const image = o.image ?? (input.acceleratorVendor === 'nvidia' ? Versions.SGLANG_IMAGE : undefined);
    if (!image) {
      throw ctx.error('image', o.image, `no SGLang image is pinned for the ${input.acceleratorVendor} accelerator`,
        `pass Engine.sglang({ image: '<an SGLang ${Versions.SGLANG} build for ${input.acceleratorVendor}>' })`);
    }
    ctx.imageRef('image', o.image);
    for (const f of ['contextLength', 'chunkedPrefillSize', 'pageSize'] as const) ctx.positiveInt(f, o[f]);
    if (o.memFractionStatic !== undefined && !(o.memFractionStatic > 0 && o.memFractionStatic < 1)) {
      throw ctx.error('memFractionStatic', o.memFractionStatic, 'must be a fraction in (0, 1)', 'use e.g. 0.85');
    }
    const extra = o.extraArgs ?? [];
    checkSglangArgs(ctx, 'extraArgs', extra, o.allowUnknownFlags ?? false);
    checkSglangFlagValue(ctx, 'dtype', '--dtype', o.dtype);
    checkSglangFlagValue(ctx, 'quantization', '--quantization', o.quantization);

    const p = input.plan;
    // errors about props beside the engine (parallelism, lora) name them below the role, not below `engine`
    const pctx = new FieldContext(ctx.constructPath, ctx.prefix.replace(/(^|\.)engine$/, ''));
    const mn = input.multiNode;
    if (mn?.dataParallel || mn?.ray) {
      throw pctx.error('parallelism', mn.ray ? 'LaunchStrategy.ray()' : `data ${p.data} / dataLocal ${p.dataLocal}`,
        'spreads vLLM data-parallel ranks or a Ray cluster over the pods of a group; SGLang runs one engine over a group with --nnodes/--node-rank/--dist-init-addr, which MultiNodeGroup renders',
        'keep each SGLang role on one node (dataLocal = data, no leaderWorkerSet), use MultiNodeGroup with Engine.sglang() and no launch strategy, or use Engine.vllm()');
    }
    if (p.expert && p.data > 1) {
      throw pctx.error('parallelism.expert', true,
        `expert parallelism across ${p.data} data-parallel ranks needs SGLang's data-parallel attention (--enable-dp-attention), the wide-EP shape, which llm-d does not support with SGLang`,
        'use expert parallelism within one tensor-parallel group (data 1), or Engine.vllm() for wide EP');
    }
    const args: string[] = ['--model-path', input.modelPath, '--served-model-name', input.servedModelName, '--host', '0.0.0.0', '--port', String(input.port), '--enable-metrics'];
    if (p.tensor > 1) args.push(SGLANG_PARALLELISM_FLAGS.tensor, String(p.tensor));
    if (p.pipeline > 1) args.push(SGLANG_PARALLELISM_FLAGS.pipeline, String(p.pipeline));
    if (p.data > 1) args.push(SGLANG_PARALLELISM_FLAGS.data, String(p.data));
    // SGLang's expert-parallel group lives inside the tensor-parallel group: ep_size = tp_size.
    if (p.expert) args.push(SGLANG_PARALLELISM_FLAGS.expert, String(p.tensor));
    // One engine over the LeaderWorkerSet group: LWS sets LWS_WORKER_INDEX (the node rank, 0 on the leader) and
    // LWS_LEADER_ADDRESS in every pod, expanded by the kubelet (LWS's SGLang sample).
    if (mn?.sglangNodes) {
      args.push(SGLANG_MULTI_NODE_FLAGS.nodes, String(mn.sglangNodes.nodes), SGLANG_MULTI_NODE_FLAGS.nodeRank, '$(LWS_WORKER_INDEX)',
        SGLANG_MULTI_NODE_FLAGS.distInitAddr, `$(LWS_LEADER_ADDRESS):${mn.sglangNodes.distInitPort}`);
    }
    if (input.lora.runtimeUpdates) {
      throw pctx.error('lora.runtimeUpdates', true, 'turns on vLLM\'s runtime LoRA API (VLLM_ALLOW_RUNTIME_LORA_UPDATING), which SGLang does not read',
        'drop lora.runtimeUpdates with Engine.sglang(), or use Engine.vllm()');
    }
    if (input.loraModules.length > 0) {
      args.push('--enable-lora');
      if (input.lora.maxRank !== undefined) args.push('--max-lora-rank', String(input.lora.maxRank));
      if (input.lora.maxAdapters !== undefined || !input.lora.engineDefaultMaxAdapters) {
        args.push('--max-loras-per-batch', String(input.lora.maxAdapters ?? Math.max(1, input.loraModules.length)));
      }
      args.push('--lora-paths', ...input.loraModules.map((m) => `${m.name}=${m.path}`));
    }
    for (const row of SGLANG_OPTION_FLAGS) {
      const value = o[row.prop];
      if (value === undefined || row.prop === 'pageSize') continue;
      args.push(row.flag, String(value));
    }
    if (input.requiredBlockSize !== undefined && o.pageSize !== undefined && o.pageSize !== input.requiredBlockSize) {
      throw ctx.error('pageSize', o.pageSize, `differs from the scheduler's KV block size (${input.requiredBlockSize}), so the EPP's prefix hashes would never match SGLang's pages`,
        `set engine pageSize to ${input.requiredBlockSize} or leave it unset (it is derived from the scheduler)`);
    }
    const pageSize = o.pageSize ?? input.requiredBlockSize;
    if (pageSize !== undefined) args.push('--page-size', String(pageSize));
    const d = input.sglangDisaggregation;
    if (d) {
      args.push(SGLANG_DISAGGREGATION_FLAGS.mode, d.mode, SGLANG_DISAGGREGATION_FLAGS.transferBackend, d.transferBackend);
      if (d.mode === 'prefill') args.push(SGLANG_DISAGGREGATION_FLAGS.bootstrapPort, String(d.bootstrapPort));
      if (d.ibDevice !== undefined) args.push(SGLANG_DISAGGREGATION_FLAGS.ibDevice, d.ibDevice);
    }
    if (input.kvEvents) {
      if (p.data > 1) {
        throw pctx.error('parallelism.data', p.data, "precise prefix-cache routing binds one KV-events endpoint per pod, but SGLang's data-parallel replicas each start a publisher",
          'serve one replica per pod (data 1, more replicas), or use SchedulerConfig.default() for approximate prefix routing');
      }
      args.push('--kv-events-config', JSON.stringify({ publisher: 'zmq', endpoint: input.kvEvents.endpoint, topic: input.kvEvents.topic }));
    }
    if (input.tls) args.push('--enable-ssl-refresh', '--ssl-certfile', input.tls.certFile, '--ssl-keyfile', input.tls.keyFile);
    args.push(...extra);
    return {
      image,
      command: ['python3', '-m', 'sglang.launch_server'],
      args,
      env: checkEnv(ctx, o.env ?? {}, input.devices),
    };
  }

  private renderVllm(input: EngineInput): EngineContainer {
    const o = this.vllmOptions;
    const ctx = input.ctx;
    const image = o.image ?? input.defaultImage;
    if (!image) {
      throw ctx.error('image', o.image, `no vLLM image is pinned for the ${input.acceleratorVendor} accelerator`,
        `pass Engine.vllm({ image: '<a vLLM ${Versions.VLLM} build for ${input.acceleratorVendor}>' })`);
    }
    ctx.imageRef('image', o.image);
    ctx.positiveInt('maxModelLen', o.maxModelLen);
    ctx.positiveInt('blockSize', o.blockSize);
    if (o.gpuMemoryUtilization !== undefined && !(o.gpuMemoryUtilization > 0 && o.gpuMemoryUtilization <= 1)) {
      throw ctx.error('gpuMemoryUtilization', o.gpuMemoryUtilization, 'must be a fraction in (0, 1]', 'use e.g. 0.9');
    }
    const extra = o.extraArgs ?? [];
    const parsedExtra = checkVllmArgs(ctx, 'extraArgs', extra, VLLM_OWNED_FLAGS, o.allowUnknownFlags ?? false);
    checkVllmFlagValue(ctx, 'dtype', flagOf(VLLM_OPTION_FLAGS, 'dtype'), o.dtype);
    checkVllmFlagValue(ctx, 'quantization', flagOf(VLLM_OPTION_FLAGS, 'quantization'), o.quantization);
    const levels = Object.values(VllmLogLevel) as string[];
    if (o.logLevel !== undefined && !levels.includes(o.logLevel)) {
      throw ctx.error('logLevel', o.logLevel, 'is not a vLLM log level', `use one of VllmLogLevel.${levels.join(', VllmLogLevel.')}`);
    }

    const p = input.plan;
    const args: string[] = [input.modelPath, '--served-model-name', input.servedModelName, '--port', String(input.port)];
    if (p.tensor > 1) args.push(flagOf(PARALLELISM_FLAGS, 'tensor'), String(p.tensor));
    if (p.pipeline > 1) args.push(flagOf(PARALLELISM_FLAGS, 'pipeline'), String(p.pipeline));
    if (p.data > 1) args.push(flagOf(PARALLELISM_FLAGS, 'data'), String(p.data));
    const mn = input.multiNode;
    if (mn?.dataParallel) {
      args.push(flagOf(PARALLELISM_FLAGS, 'dataLocal'), String(p.dataLocal));
      if (mn.rpcPort !== undefined) args.push(flagOf(PARALLELISM_FLAGS, 'dataRpcPort'), String(mn.rpcPort));
      if (mn.headless) args.push('--headless');
      if (mn.externalLbSupervisorPort !== undefined) args.push('--data-parallel-multi-port-external-lb', '--data-parallel-supervisor-port', String(mn.externalLbSupervisorPort));
    }
    if (mn?.ray) args.push('--distributed-executor-backend', 'ray');
    if (p.expert) args.push(flagOf(PARALLELISM_FLAGS, 'expert'));
    if (mn?.all2allBackend) args.push(ALL2ALL_BACKEND_FLAG, mn.all2allBackend);
    if (mn?.eplb) args.push('--enable-eplb');
    if (input.loraModules.length > 0 || input.lora.runtimeUpdates) {
      args.push('--enable-lora');
      if (input.lora.maxRank !== undefined) args.push('--max-lora-rank', String(input.lora.maxRank));
      if (input.lora.maxAdapters !== undefined || !input.lora.engineDefaultMaxAdapters) {
        args.push('--max-loras', String(input.lora.maxAdapters ?? Math.max(1, input.loraModules.length)));
      }
      if (input.loraModules.length > 0) args.push('--lora-modules', ...input.loraModules.map((m) => JSON.stringify(m)));
    }
    args.push(...runtimeLoraApiServerCount(ctx, input, parsedExtra));
    for (const row of VLLM_OPTION_FLAGS) {
      const value = o[row.prop];
      if (value === undefined || row.prop === 'blockSize') continue;
      if (row.kind === FlagValueKind.NEGATABLE) args.push(value ? row.flag : row.flag.replace(/^--/, '--no-'));
      else args.push(row.flag, String(value));
    }
    if (input.requiredBlockSize !== undefined && o.blockSize !== undefined && o.blockSize !== input.requiredBlockSize) {
      throw ctx.error('blockSize', o.blockSize, `differs from the scheduler's KV block size (${input.requiredBlockSize}), so the EPP's prefix hashes would never match vLLM's blocks`,
        `set engine blockSize to ${input.requiredBlockSize} or leave it unset (it is derived from the scheduler)`);
    }
    const blockSize = o.blockSize ?? input.requiredBlockSize;
    if (blockSize !== undefined) args.push(flagOf(VLLM_OPTION_FLAGS, 'blockSize'), String(blockSize));
    if (input.kvTransferConfig) args.push('--kv-transfer-config', input.kvTransferConfig);
    if (input.kvEvents) {
      args.push('--kv-events-config', JSON.stringify({ enable_kv_cache_events: true, publisher: 'zmq', endpoint: input.kvEvents.endpoint, topic: input.kvEvents.topic }));
    }
    // Headless workers run no API server, so there is nothing to drain there.
    if (input.shutdownTimeoutSeconds !== undefined && !mn?.headless) args.push(SHUTDOWN_TIMEOUT_FLAG, String(input.shutdownTimeoutSeconds));
    // KServe's TLS flags (`enableLLMInferenceServiceTLS`): the certificate is re-read when cert-manager renews it.
    if (input.tls && !mn?.headless) args.push('--enable-ssl-refresh', '--ssl-certfile', input.tls.certFile, '--ssl-keyfile', input.tls.keyFile);
    // `--api-server-count` is refused with `--headless` (vLLM serve.py): an API-server count applies to serving pods only.
    const apiCount = mn?.headless ? parsedExtra.find((f) => f.name === API_SERVER_COUNT_FLAG) : undefined;
    const apiCountEnd = apiCount ? apiCount.index + (apiCount.inline ? 0 : apiCount.values.length) : -1;
    args.push(...(apiCount ? extra.filter((_, i) => i < apiCount.index || i > apiCountEnd) : extra));

    return {
      image,
      command: ['vllm', 'serve'],
      args,
      env: checkEnv(ctx, o.env ?? {}, input.devices),
      logLevel: o.logLevel ?? VllmLogLevel.INFO,
    };
  }

  private renderSimulator(input: EngineInput): EngineContainer {
    const o = this.simOptions;
    const ctx = input.ctx;
    const p = input.plan;
    if (p.pipeline > 1 || p.data > 1 || p.expert) {
      const [field, value] = p.pipeline > 1 ? ['pipeline', p.pipeline] : p.data > 1 ? ['data', p.data] : ['expert', p.expert];
      throw new FieldContext(ctx.constructPath).error(`parallelism.${field}`, value,
        'the inference simulator runs one process per pod and rejects pipeline, data and expert parallelism flags',
        'use Engine.vllm() for this parallelism, or set only tensor (accepted and ignored by the simulator)');
    }
    if (o.mode !== undefined && o.mode !== 'random' && o.mode !== 'echo') {
      throw ctx.error('mode', o.mode, 'is not a simulator mode', "use 'random' or 'echo'");
    }
    ctx.imageRef('image', o.image);
    for (const f of ['timeToFirstTokenMs', 'interTokenLatencyMs'] as const) ctx.positiveInt(f, o[f], 0);
    ctx.positiveInt('maxModelLen', o.maxModelLen);
    ctx.positiveInt('maxNumSeqs', o.maxNumSeqs);
    const extra = o.extraArgs ?? [];
    checkSecretTokens(ctx, 'extraArgs', extra);
    const parsed = parseFlags(ctx, 'extraArgs', extra, SIMULATOR_FLAG_TABLE, false);
    checkSecretFlags(ctx, 'extraArgs', parsed);
    const owned = new Set(['--model', '--port', '--served-model-name', '--lora-modules', '--max-loras', '--mode',
      '--time-to-first-token', '--inter-token-latency', '--max-model-len', '--max-num-seqs', '--ssl-certfile', '--ssl-keyfile']);
    for (const f of parsed) {
      if (owned.has(f.name)) {
        throw ctx.error(`extraArgs[${f.index}]`, f.written, `sets ${f.name}, which the library derives from its props`, 'remove it and use the typed prop instead');
      }
    }
    const args = ['--model', input.servedModelName, '--port', String(input.port), '--served-model-name', input.servedModelName];
    if (input.loraModules.length > 0) {
      args.push('--max-loras', String(input.lora.maxAdapters ?? input.loraModules.length));
      args.push('--lora-modules', ...input.loraModules.map((m) => JSON.stringify(m)));
    }
    args.push('--mode', o.mode ?? 'random');
    if (o.timeToFirstTokenMs !== undefined) args.push('--time-to-first-token', String(o.timeToFirstTokenMs));
    if (o.interTokenLatencyMs !== undefined) args.push('--inter-token-latency', String(o.interTokenLatencyMs));
    if (o.maxModelLen !== undefined) args.push('--max-model-len', String(o.maxModelLen));
    if (o.maxNumSeqs !== undefined) args.push('--max-num-seqs', String(o.maxNumSeqs));
    if (input.tls) args.push('--ssl-certfile', input.tls.certFile, '--ssl-keyfile', input.tls.keyFile);
    if (input.kvEvents) {
      // The simulator's KV cache publishes BlockStored/BlockRemoved events to the EPP (it dials the endpoint; the
      // topic kv@<POD_IP>:<port>@<model> is its own, the same as the library's for vLLM).
      for (const f of ['--enable-kvcache', '--zmq-endpoint', '--block-size']) {
        const given = parsed.find((x) => x.name === f);
        if (given) throw ctx.error(`extraArgs[${given.index}]`, given.written, `sets ${f}, which the library derives from the scheduler's KV-events config`, 'remove it');
      }
      args.push('--enable-kvcache', '--zmq-endpoint', input.kvEvents.endpoint);
      if (input.requiredBlockSize !== undefined) args.push('--block-size', String(input.requiredBlockSize));
    }
    args.push(...extra);
    return { image: o.image ?? Versions.SIMULATOR_IMAGE, args, env: checkEnv(ctx, o.env ?? {}, 0) };
  }
}

/**
 * `--api-server-count 1` when runtime LoRA updates are on and the pod runs data-parallel ranks behind an API server.
 *
 * vLLM v0.23.0 `vllm/entrypoints/cli/serve.py` (`ServeSubcommand.cmd`) defaults `api_server_count` to
 * `data_parallel_size` (internal LB) or `data_parallel_size_local` (hybrid LB, i.e. `--data-parallel-start-rank` set,
 * as the multi-node launcher does), and `run_multi_api_server` raises
 * `VLLM_ALLOW_RUNTIME_LORA_UPDATING cannot be used with api_server_count > 1`. Multi-port external LB defaults to 1
 * (one server per rank), and headless workers must not get the flag (`--api-server-count ... cannot be used with
 * --headless`). Read from vllm-project/vllm v0.23.0 `vllm/entrypoints/cli/serve.py` (copy at
 * Chloe-orz/vllm-23.0@86c94b2d18b9cc8cc27adc94ecb5590a600bc317).
 */
function runtimeLoraApiServerCount(ctx: FieldContext, input: EngineInput, extra: ParsedFlag[]): string[] {
  if (!input.lora.runtimeUpdates) return [];
  const given = extra.find((f) => f.name === API_SERVER_COUNT_FLAG);
  if (given) {
    const n = Number(given.values[0]);
    if (n > 1) {
      throw ctx.error(`extraArgs[${given.index}]`, [given.written, ...(given.inline ? [] : given.values)].join(' '),
        `runs ${n} API servers, but vLLM refuses VLLM_ALLOW_RUNTIME_LORA_UPDATING (lora.runtimeUpdates) with more than one API server`,
        `remove ${API_SERVER_COUNT_FLAG} (the library sets it to 1 with runtime LoRA updates), or turn lora.runtimeUpdates off`);
    }
    return [];
  }
  const mn = input.multiNode;
  if (mn?.headless || mn?.externalLbSupervisorPort !== undefined) return [];
  return input.plan.data > 1 ? [API_SERVER_COUNT_FLAG, '1'] : [];
}

/**
 * Variables that move or hide what the library wires (ports the pods declare and the sidecar, EPP and peers dial;
 * the devices the parallelism is sized for), with the mechanism that owns them.
 */
const OWNED_ENV = new Map<string, string>([
  ['VLLM_NIXL_SIDE_CHANNEL_PORT', `the wiring contract (Ports.NIXL_SIDE_CHANNEL, ${Ports.NIXL_SIDE_CHANNEL}, declared on the pods and dialled by the peers)`],
  ['VLLM_NIXL_SIDE_CHANNEL_HOST', 'kvTransfer (the pod IP)'],
  ['VLLM_PORT', 'the wiring contract (vLLM derives its internal ports from it, next to the ports the pods declare)'],
  ['VLLM_HOST_IP', 'the serving mode (multi-node address)'],
  ['VLLM_DP_SIZE', 'parallelism.data'],
  ['VLLM_DP_RANK', 'the serving mode (multi-node rank)'],
  ['VLLM_DP_MASTER_PORT', 'parallelism.dataRpcPort'],
  ['VLLM_DP_MASTER_IP', 'the serving mode (multi-node leader address)'],
]);
/** Variables that restrict the devices a process sees (the device plugin already assigns the pod's accelerators). */
const DEVICE_ENV = ['CUDA_VISIBLE_DEVICES', 'HIP_VISIBLE_DEVICES', 'ROCR_VISIBLE_DEVICES', 'HABANA_VISIBLE_DEVICES', 'HABANA_VISIBLE_MODULES', 'TPU_VISIBLE_CHIPS'];

/**
 * The user env of an engine: names, literal credentials (the one rule of src/internal/secrets.ts), variables the
 * library owns, and device masks that hide accelerators the parallelism needs.
 */
function checkEnv(ctx: FieldContext, given: Record<string, string>, devices: number): Record<string, string> {
  // an entry holding undefined is unset (as the run-time prop check treats it)
  const env = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
  for (const [k, v] of Object.entries(env)) {
    const at = `env["${k}"]`;
    if (!ENV_NAME.test(k)) throw ctx.error(at, v, 'is not a valid environment variable name', 'use letters, digits, _, - and .');
    checkSecretEnv(ctx, at, k, v);
    const owner = OWNED_ENV.get(k);
    if (owner) throw ctx.error(at, v, `overrides what the library derives from ${owner}`, `remove ${k} from env; the library sets what it needs`);
    if (DEVICE_ENV.includes(k)) {
      const visible = v.split(',').map((d) => d.trim()).filter((d) => d !== '');
      if (visible.length < devices) {
        throw ctx.error(at, v, `shows ${visible.length} device(s), but the parallelism needs ${devices} per pod (the device plugin assigns exactly those to the container)`,
          `remove ${k} from env; the accelerator count follows from the parallelism`);
      }
    }
  }
  return env;
}
