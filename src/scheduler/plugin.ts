import { clone, getPath, isObject } from './json-data';
import { KvEvents } from './kv-events';
import { EPP_PLUGIN_TYPES, SchedulerPluginKind } from './plugin-types';
import { ProfilePluginRef } from './scheduling-profile';
import { FieldContext } from '../internal/context';
import { checkArgs } from '../internal/prop-check';
import { Ports } from '../wiring/ports';

/** Options every plugin factory takes. */
export interface SchedulerPluginOptions {
  /**
   * Instance name that profiles and other plugins reference. Needed when one config declares two plugins of
   * the same type.
   * @default - the plugin type
   */
  readonly name?: string;
  /**
   * Further plugin parameters, passed to the plugin factory as they are (for parameters this library does not
   * type). A key that a typed option also sets is rejected.
   * @default - none
   */
  readonly parameters?: Record<string, any>;
}

/** Options for {@link SchedulerPlugin.custom}. */
export interface CustomPluginOptions extends SchedulerPluginOptions {
  /**
   * Accept a type the pinned EPP (llm-d router v0.10.0) does not register, e.g. for a custom EPP build.
   * Without it such a type is rejected, because the pinned EPP refuses to start on it.
   * @default false
   */
  readonly allowUnknownType?: boolean;
}

/** Options for plugins that read prefix-match data (`prefix-cache-scorer`, `no-hit-lru-scorer`). */
export interface PrefixMatchConsumerOptions extends SchedulerPluginOptions {
  /**
   * `prefixMatchInfoProducerName`: the plugin whose prefix-match data to read, e.g.
   * `precise-prefix-cache-producer`. Must name a declared plugin.
   * @default - the EPP's default producer (`approx-prefix-cache-producer`)
   */
  readonly prefixMatchInfoProducerName?: string;
}

/** Options for {@link SchedulerPlugin.activeRequestScorer} (parameters as in KServe's precise-prefix samples). */
export interface ActiveRequestScorerOptions extends SchedulerPluginOptions {
  /**
   * `requestTimeout`: how long a request counts as active, as a Go duration (e.g. `2m`).
   * @default - the scorer's default
   */
  readonly requestTimeout?: string;
  /**
   * `idleThreshold`: endpoints with at most this many active requests count as idle.
   * @default - 0
   */
  readonly idleThreshold?: number;
  /**
   * `maxBusyScore`: the score of the busiest endpoint, in [0, 1]; 0 scores busy endpoints 0 and idle ones 1.
   * @default - 1.0
   */
  readonly maxBusyScore?: number;
}

/** Options for the pickers. */
export interface PickerOptions extends SchedulerPluginOptions {
  /**
   * `maxNumOfEndpoints`: how many endpoints the picker returns (fallbacks after the first).
   * @default - 1
   */
  readonly maxNumOfEndpoints?: number;
}

/** Options for {@link SchedulerPlugin.approxPrefixCacheProducer} (`shared/docs/crds-and-epp.md` §A.6.7). */
export interface ApproxPrefixCacheProducerOptions extends SchedulerPluginOptions {
  /**
   * `autoTune`: derive block size and LRU capacity from the model servers' metrics.
   * @default - true
   */
  readonly autoTune?: boolean;
  /**
   * `blockSizeTokens`: tokens per hashed block.
   * @default - 16
   */
  readonly blockSizeTokens?: number;
  /**
   * `maxPrefixBlocksToMatch`.
   * @default - 256
   */
  readonly maxPrefixBlocksToMatch?: number;
  /**
   * `maxPrefixTokensToMatch`.
   * @default - derived from maxPrefixBlocksToMatch
   */
  readonly maxPrefixTokensToMatch?: number;
  /**
   * `lruCapacityPerServer`: blocks remembered per endpoint.
   * @default - 31250
   */
  readonly lruCapacityPerServer?: number;
}

/**
 * Options for the precise prefix-cache plugins (`precise-prefix-cache-producer`, and the deprecated all-in-one
 * `precise-prefix-cache-scorer`), as in the llm-d V8 precise-prefix-cache-routing render.
 */
export interface PrecisePrefixCacheOptions extends SchedulerPluginOptions {
  /**
   * `tokenProcessorConfig.blockSize`: tokens per KV block the EPP hashes with. Must equal vLLM's `--block-size`
   * on every served pod.
   * @default - the indexer's default (left unset)
   */
  readonly blockSize?: number;
  /**
   * `kvEventsConfig`: how KV-cache events reach the EPP.
   * @default - the indexer's default (left unset)
   */
  readonly kvEvents?: KvEvents;
  /**
   * `speculativeIndexing`: record the routing decision in the index right away, before vLLM confirms it.
   * @default - false (left unset)
   */
  readonly speculativeIndexing?: boolean;
  /**
   * `indexerConfig`, passed as it is (e.g. `{ kvBlockIndexConfig: { enableMetrics: true } }`).
   * @default - the indexer's default
   */
  readonly indexerConfig?: Record<string, any>;
}

/** Options for {@link SchedulerPlugin.tokenProducer} (llm-d V8 precise-prefix-cache-routing render). */
export interface TokenProducerOptions extends SchedulerPluginOptions {
  /**
   * `modelName`: the model whose tokenizer to use; must equal the served model. Required with `vllmUrl`.
   * @default - none: with neither option the producer estimates tokens without a tokenizer
   */
  readonly modelName?: string;
  /**
   * `vllm.url`: base URL of a vLLM render endpoint (e.g. a `vllm launch render` Service).
   * @default - the producer's default, `http://localhost:8000`, when `modelName` is set
   */
  readonly vllmUrl?: string;
}

/** Options for {@link SchedulerPlugin.disaggProfileHandler}. */
export interface DisaggProfileHandlerOptions extends SchedulerPluginOptions {
  /**
   * `deciders.prefill`: name of the P/D decider plugin. Without it the handler never disaggregates.
   * @default - none (P/D disaggregation disabled)
   */
  readonly prefillDecider?: string;
}

/** Options for {@link SchedulerPlugin.prefixBasedPdDecider}. */
export interface PrefixBasedPdDeciderOptions extends SchedulerPluginOptions {
  /**
   * `nonCachedTokens`: disaggregate when at least this many prompt tokens are not in the decode endpoint's
   * prefix cache. 0 disables disaggregation. Must be an integer >= 0.
   */
  readonly nonCachedTokens: number;
}

/**
 * The parameters of `prefix-cache-scorer` in llm-d router v0.10.0 (`pkg/epp/framework/plugins/scheduling/scorer/prefix`
 * `Config`); the EPP decodes plugin parameters strictly, so any other key stops it at start-up.
 */
const PREFIX_SCORER_PARAMS = ['prefixMatchInfoProducerName', 'matchLengthWeight', 'matchLengthScaleTokens'];
/** Parameters `prefix-cache-scorer` had before llm-d router v0.9.0; they moved to `approx-prefix-cache-producer`. */
const LEGACY_PREFIX_SCORER_PARAMS = ['autoTune', 'blockSize', 'blockSizeTokens', 'maxPrefixBlocksToMatch', 'maxPrefixTokensToMatch',
  'lruCapacityPerServer', 'hashBlockSize'];
/** Nested parameter keys of `disagg-profile-handler` (v0.10.0). */
const DISAGG_NESTED_PARAMS = ['stageOrder', 'profiles', 'deciders'];
/** Deprecated flat parameter keys of `disagg-profile-handler` (v0.10.0 still reads them). */
const DISAGG_LEGACY_PARAMS = ['decodeProfile', 'prefillProfile', 'encodeProfile', 'prefillDeciderPluginName', 'encodeDeciderPluginName',
  'deciderPluginName'];
/** The parameters of the deprecated `pd-profile-handler` in llm-d router v0.10.0 (strictly decoded). */
const PD_HANDLER_PARAMS = ['decodeProfile', 'prefillProfile', 'prefixPluginType', 'prefixPluginName', 'primaryPort', 'deciderPluginName',
  'prefixMatchInfoProducerName'];
const GO_DURATION = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;

/** A reference from one plugin's parameters to another plugin. @internal */
export interface PluginReference {
  /** Field below the plugin, e.g. `parameters.deciders.prefill`. */
  readonly field: string;
  readonly ref: string;
  /** The kind the referenced plugin must have, when the EPP requires one. */
  readonly kind?: SchedulerPluginKind;
}

/**
 * One entry of an EndpointPickerConfig's `plugins[]`: a plugin type, an optional instance name and its
 * parameters. The typed factories cover the plugins of llm-d router v0.10.0 this library presets use;
 * {@link SchedulerPlugin.custom} covers every other type.
 */
export class SchedulerPlugin {
  // ---- scorers ----

  /** `queue-scorer`: prefers endpoints with short waiting queues. */
  public static queueScorer(options: SchedulerPluginOptions = {}): SchedulerPlugin {
    checkArgs('SchedulerPlugin.queueScorer', arguments);
    return SchedulerPlugin.typed('queue-scorer', options, {});
  }

  /** `kv-cache-utilization-scorer`: prefers endpoints with free KV-cache. */
  public static kvCacheUtilizationScorer(options: SchedulerPluginOptions = {}): SchedulerPlugin {
    checkArgs('SchedulerPlugin.kvCacheUtilizationScorer', arguments);
    return SchedulerPlugin.typed('kv-cache-utilization-scorer', options, {});
  }

  /**
   * `prefix-cache-scorer`: prefers endpoints that already hold the prompt's prefix, from the prefix-match data
   * of a producer (the approximate producer by default, or `precise-prefix-cache-producer`).
   */
  public static prefixCacheScorer(options: PrefixMatchConsumerOptions = {}): SchedulerPlugin {
    checkArgs('SchedulerPlugin.prefixCacheScorer', arguments);
    return SchedulerPlugin.typed('prefix-cache-scorer', options, { prefixMatchInfoProducerName: options.prefixMatchInfoProducerName });
  }

  /**
   * `precise-prefix-cache-scorer`: the deprecated all-in-one precise scorer (producer + prefix scorer in one
   * plugin). Prefer {@link SchedulerPlugin.precisePrefixCacheProducer} with {@link SchedulerPlugin.prefixCacheScorer}.
   */
  public static precisePrefixCacheScorer(options: PrecisePrefixCacheOptions = {}): SchedulerPlugin {
    checkArgs('SchedulerPlugin.precisePrefixCacheScorer', arguments);
    return SchedulerPlugin.typed('precise-prefix-cache-scorer', options, precisePrefixParameters(options));
  }

  /** `session-affinity-scorer` (Alpha in v0.10.0: the EPP needs `--allow-experimental-plugins`). */
  public static sessionAffinityScorer(options: SchedulerPluginOptions = {}): SchedulerPlugin {
    checkArgs('SchedulerPlugin.sessionAffinityScorer', arguments);
    return SchedulerPlugin.typed('session-affinity-scorer', options, {});
  }

  /** `active-request-scorer`: prefers endpoints with fewer in-flight requests. */
  public static activeRequestScorer(options: ActiveRequestScorerOptions = {}): SchedulerPlugin {
    checkArgs('SchedulerPlugin.activeRequestScorer', arguments);
    return SchedulerPlugin.typed('active-request-scorer', options, {
      requestTimeout: options.requestTimeout,
      idleThreshold: options.idleThreshold,
      maxBusyScore: options.maxBusyScore,
    });
  }

  /** `no-hit-lru-scorer`: spreads requests without a prefix hit over the least recently used endpoints. */
  public static noHitLruScorer(options: PrefixMatchConsumerOptions = {}): SchedulerPlugin {
    checkArgs('SchedulerPlugin.noHitLruScorer', arguments);
    return SchedulerPlugin.typed('no-hit-lru-scorer', options, { prefixMatchInfoProducerName: options.prefixMatchInfoProducerName });
  }

  /** `lora-affinity-scorer`: prefers endpoints that have the requested LoRA adapter loaded. */
  public static loraAffinityScorer(options: SchedulerPluginOptions = {}): SchedulerPlugin {
    checkArgs('SchedulerPlugin.loraAffinityScorer', arguments);
    return SchedulerPlugin.typed('lora-affinity-scorer', options, {});
  }

  /** `load-aware-scorer` (its parameters are not typed here; use `parameters`). */
  public static loadAwareScorer(options: SchedulerPluginOptions = {}): SchedulerPlugin {
    checkArgs('SchedulerPlugin.loadAwareScorer', arguments);
    return SchedulerPlugin.typed('load-aware-scorer', options, {});
  }

  // ---- filters ----

  /** `prefill-filter`: keeps endpoints whose `llm-d.ai/role` label can prefill. */
  public static prefillFilter(options: SchedulerPluginOptions = {}): SchedulerPlugin {
    checkArgs('SchedulerPlugin.prefillFilter', arguments);
    return SchedulerPlugin.typed('prefill-filter', options, {});
  }

  /** `decode-filter`: keeps endpoints whose `llm-d.ai/role` label can decode, and endpoints without the label. */
  public static decodeFilter(options: SchedulerPluginOptions = {}): SchedulerPlugin {
    checkArgs('SchedulerPlugin.decodeFilter', arguments);
    return SchedulerPlugin.typed('decode-filter', options, {});
  }

  // ---- pickers ----

  /** `max-score-picker`: the highest total score wins (the EPP's default picker). */
  public static maxScorePicker(options: PickerOptions = {}): SchedulerPlugin {
    checkArgs('SchedulerPlugin.maxScorePicker', arguments);
    return SchedulerPlugin.typed('max-score-picker', options, { maxNumOfEndpoints: options.maxNumOfEndpoints });
  }

  /** `random-picker`: a random endpoint among the candidates. */
  public static randomPicker(options: PickerOptions = {}): SchedulerPlugin {
    checkArgs('SchedulerPlugin.randomPicker', arguments);
    return SchedulerPlugin.typed('random-picker', options, { maxNumOfEndpoints: options.maxNumOfEndpoints });
  }

  /** `weighted-random-picker`: a random endpoint, weighted by score. */
  public static weightedRandomPicker(options: PickerOptions = {}): SchedulerPlugin {
    checkArgs('SchedulerPlugin.weightedRandomPicker', arguments);
    return SchedulerPlugin.typed('weighted-random-picker', options, { maxNumOfEndpoints: options.maxNumOfEndpoints });
  }

  // ---- profile handlers, headers, deciders ----

  /** `single-profile-handler`: runs the one profile (the EPP adds it to single-profile configs). */
  public static singleProfileHandler(options: SchedulerPluginOptions = {}): SchedulerPlugin {
    checkArgs('SchedulerPlugin.singleProfileHandler', arguments);
    return SchedulerPlugin.typed('single-profile-handler', options, {});
  }

  /**
   * `disagg-profile-handler`: runs the `decode` profile and, when the prefill decider says so, the `prefill`
   * profile, and sets the prefill header for the routing sidecar.
   */
  public static disaggProfileHandler(options: DisaggProfileHandlerOptions = {}): SchedulerPlugin {
    checkArgs('SchedulerPlugin.disaggProfileHandler', arguments);
    const params: Record<string, any> = {};
    if (options.prefillDecider !== undefined) params.deciders = { prefill: options.prefillDecider };
    return SchedulerPlugin.typed('disagg-profile-handler', options, params);
  }

  /**
   * `disagg-headers-handler`: sets the prefill-endpoint header. Deprecated in llm-d router v0.9.0 (the
   * disaggregation profile handler sets it itself) but still registered in v0.10.0; KServe's default P/D
   * config still lists it.
   */
  public static disaggHeadersHandler(options: SchedulerPluginOptions = {}): SchedulerPlugin {
    checkArgs('SchedulerPlugin.disaggHeadersHandler', arguments);
    return SchedulerPlugin.typed('disagg-headers-handler', options, {});
  }

  /** `always-disagg-pd-decider`: every request is disaggregated into prefill and decode. */
  public static alwaysDisaggPdDecider(options: SchedulerPluginOptions = {}): SchedulerPlugin {
    checkArgs('SchedulerPlugin.alwaysDisaggPdDecider', arguments);
    return SchedulerPlugin.typed('always-disagg-pd-decider', options, {});
  }

  /** `prefix-based-pd-decider`: disaggregate when enough prompt tokens miss the decode endpoint's cache. */
  public static prefixBasedPdDecider(options: PrefixBasedPdDeciderOptions): SchedulerPlugin {
    checkArgs('SchedulerPlugin.prefixBasedPdDecider', arguments);
    return SchedulerPlugin.typed('prefix-based-pd-decider', options, { nonCachedTokens: options.nonCachedTokens });
  }

  // ---- producers and data sources ----

  /** `approx-prefix-cache-producer`: prefix-match data estimated from the traffic the EPP routed. */
  public static approxPrefixCacheProducer(options: ApproxPrefixCacheProducerOptions = {}): SchedulerPlugin {
    checkArgs('SchedulerPlugin.approxPrefixCacheProducer', arguments);
    return SchedulerPlugin.typed('approx-prefix-cache-producer', options, {
      autoTune: options.autoTune,
      blockSizeTokens: options.blockSizeTokens,
      maxPrefixBlocksToMatch: options.maxPrefixBlocksToMatch,
      maxPrefixTokensToMatch: options.maxPrefixTokensToMatch,
      lruCapacityPerServer: options.lruCapacityPerServer,
    });
  }

  /** `precise-prefix-cache-producer`: prefix-match data from vLLM's KV-cache events. */
  public static precisePrefixCacheProducer(options: PrecisePrefixCacheOptions = {}): SchedulerPlugin {
    checkArgs('SchedulerPlugin.precisePrefixCacheProducer', arguments);
    return SchedulerPlugin.typed('precise-prefix-cache-producer', options, precisePrefixParameters(options));
  }

  /** `token-producer`: tokenizes prompts for the precise prefix-cache producer. */
  public static tokenProducer(options: TokenProducerOptions = {}): SchedulerPlugin {
    checkArgs('SchedulerPlugin.tokenProducer', arguments);
    const params: Record<string, any> = { modelName: options.modelName };
    if (options.vllmUrl !== undefined) params.vllm = { url: options.vllmUrl };
    return SchedulerPlugin.typed('token-producer', options, params);
  }

  /** `endpoint-notification-source`: data-layer source that notifies extractors of pool endpoints. */
  public static endpointNotificationSource(options: SchedulerPluginOptions = {}): SchedulerPlugin {
    checkArgs('SchedulerPlugin.endpointNotificationSource', arguments);
    return SchedulerPlugin.typed('endpoint-notification-source', options, {});
  }

  // ---- escape hatch ----

  /**
   * Any plugin type, with raw parameters. A type the pinned EPP does not register is rejected unless
   * `allowUnknownType` is set.
   */
  public static custom(type: string, options: CustomPluginOptions = {}): SchedulerPlugin {
    checkArgs('SchedulerPlugin.custom', arguments);
    return new SchedulerPlugin(type, options.name, {}, options.parameters, options.allowUnknownType ?? false);
  }

  /**
   * A plugin read from a parsed document.
   * @internal
   */
  public static _fromDocument(type: string, name: string | undefined, parameters: Record<string, any> | undefined,
    allowUnknownType: boolean): SchedulerPlugin {
    return new SchedulerPlugin(type, name, {}, parameters, allowUnknownType);
  }

  private static typed(type: string, options: SchedulerPluginOptions, typedParams: Record<string, any>): SchedulerPlugin {
    return new SchedulerPlugin(type, options.name, typedParams, options.parameters, false);
  }

  private readonly params: Record<string, any>;
  private readonly conflicts: string[];

  private constructor(
    /** The plugin type, e.g. `queue-scorer`. */
    public readonly type: string,
    private readonly explicitName: string | undefined,
    typedParams: Record<string, any>,
    extraParams: Record<string, any> | undefined,
    private readonly allowUnknownType: boolean,
  ) {
    const params: Record<string, any> = {};
    for (const [k, v] of Object.entries(typedParams)) {
      if (v !== undefined) params[k] = clone(v);
    }
    this.conflicts = [];
    for (const [k, v] of Object.entries(extraParams ?? {})) {
      if (k in params) {
        this.conflicts.push(k);
        continue;
      }
      params[k] = clone(v);
    }
    this.params = params;
  }

  /** The instance name profiles reference: the explicit name, or the type. */
  public get name(): string {
    return this.explicitName ?? this.type;
  }

  /** True when the plugin was given an explicit name. */
  public get hasExplicitName(): boolean {
    return this.explicitName !== undefined;
  }

  /** The plugin parameters (a copy), or undefined when it has none. */
  public get parameters(): Record<string, any> | undefined {
    return Object.keys(this.params).length === 0 ? undefined : clone(this.params);
  }

  /** What the plugin is, or undefined for a type the pinned EPP does not register. */
  public get kind(): SchedulerPluginKind | undefined {
    return EPP_PLUGIN_TYPES.get(this.type)?.kind;
  }

  /** True for Alpha plugins, which need the EPP flag `--allow-experimental-plugins`. */
  public get isExperimental(): boolean {
    return EPP_PLUGIN_TYPES.get(this.type)?.experimental ?? false;
  }

  /** A profile entry referencing this plugin, with an optional scorer weight. */
  public ref(weight?: number): ProfilePluginRef {
    return weight === undefined ? { pluginRef: this.name } : { pluginRef: this.name, weight };
  }

  /**
   * The parameter at a dotted path, if set.
   * @internal
   */
  public _param(path: string): unknown {
    return getPath(this.params, path);
  }

  /**
   * The `plugins[]` entry of the document.
   * @internal
   */
  public _toDocument(): Record<string, any> {
    const out: Record<string, any> = { type: this.type };
    if (this.explicitName !== undefined) out.name = this.explicitName;
    if (Object.keys(this.params).length > 0) out.parameters = clone(this.params);
    return out;
  }

  /**
   * The other plugins this plugin's parameters name.
   * @internal
   */
  public _references(): PluginReference[] {
    const refs: PluginReference[] = [];
    const add = (path: string, kind?: SchedulerPluginKind) => {
      const v = getPath(this.params, path);
      if (typeof v === 'string' && v.length > 0) refs.push({ field: `parameters.${path}`, ref: v, kind });
    };
    add('prefixMatchInfoProducerName');
    if (this.type === 'disagg-profile-handler') {
      for (const p of ['deciders.prefill', 'deciders.encode', 'deciderPluginName', 'prefillDeciderPluginName', 'encodeDeciderPluginName']) {
        add(p, SchedulerPluginKind.DECIDER);
      }
    }
    if (this.type === 'pd-profile-handler') {
      // the handler's decider defaults to a plugin named prefix-based-pd-decider, which must then be declared
      if (getPath(this.params, 'deciderPluginName') === undefined) {
        refs.push({ field: 'parameters.deciderPluginName', ref: 'prefix-based-pd-decider', kind: SchedulerPluginKind.DECIDER });
      }
      add('deciderPluginName', SchedulerPluginKind.DECIDER);
      add('prefixPluginName');
    }
    return refs;
  }

  /**
   * Check what the plugin can check on its own: type, name, parameter types and the parameter checks the
   * pinned EPP makes at start-up.
   * @internal
   */
  public _validate(ctx: FieldContext): void {
    if (typeof this.type !== 'string' || this.type.length === 0 || /\s/.test(this.type)) {
      throw ctx.error('type', this.type, 'is not a plugin type', "use a registered type such as 'queue-scorer'");
    }
    if (this.explicitName !== undefined && (typeof this.explicitName !== 'string' || this.explicitName.trim().length === 0)) {
      throw ctx.error('name', this.explicitName, 'is empty', 'give a non-empty name, or leave it unset to use the type');
    }
    if (!EPP_PLUGIN_TYPES.has(this.type) && !this.allowUnknownType) {
      throw ctx.error('type', this.type, 'is not a plugin type of the pinned EPP (llm-d router v0.10.0), which refuses to start on it',
        'use a registered type (SchedulerPluginTypes.all()), or SchedulerPlugin.custom(type, { allowUnknownType: true }) for a custom EPP build');
    }
    if (this.conflicts.length > 0) {
      const key = this.conflicts[0];
      throw ctx.error(`parameters.${key}`, this.params[key], 'is set both by a typed option and in `parameters`',
        `set ${key} in one place only`);
    }
    this.validateParameters(ctx);
  }

  private validateParameters(ctx: FieldContext): void {
    const p = this.params;
    switch (this.type) {
      case 'prefix-cache-scorer': {
        const unknown = Object.keys(p).find((k) => !PREFIX_SCORER_PARAMS.includes(k));
        if (unknown !== undefined) {
          const legacy = LEGACY_PREFIX_SCORER_PARAMS.includes(unknown);
          throw ctx.error(`parameters.${unknown}`, p[unknown],
            `is not a parameter of prefix-cache-scorer in llm-d router v0.10.0 (${legacy ? 'it moved to approx-prefix-cache-producer in v0.9.0; ' : ''}`
            + 'the EPP decodes plugin parameters strictly and refuses to start)',
            legacy ? 'set it on an approx-prefix-cache-producer plugin (SchedulerPlugin.approxPrefixCacheProducer), or tokenProcessorConfig.blockSize on precise-prefix-cache-producer'
              : `use only ${PREFIX_SCORER_PARAMS.join(', ')}`);
        }
        checkString(ctx, p, 'prefixMatchInfoProducerName');
        break;
      }
      case 'no-hit-lru-scorer':
        checkString(ctx, p, 'prefixMatchInfoProducerName');
        break;
      case 'approx-prefix-cache-producer':
        checkBoolean(ctx, p, 'autoTune');
        for (const key of ['blockSizeTokens', 'blockSize', 'maxPrefixBlocksToMatch', 'maxPrefixTokensToMatch', 'lruCapacityPerServer']) {
          checkInt(ctx, p, key, 1);
        }
        break;
      case 'precise-prefix-cache-producer':
      case 'precise-prefix-cache-scorer': {
        checkInt(ctx, p, 'tokenProcessorConfig.blockSize', 1);
        checkBoolean(ctx, p, 'speculativeIndexing');
        const kv = p.kvEventsConfig;
        if (kv !== undefined) {
          if (!isObject(kv)) throw ctx.error('parameters.kvEventsConfig', kv, 'is not a mapping', 'use KvEvents.podDiscovery() or KvEvents.centralized()');
          KvEvents._fromParameters(kv)!._validate(ctx.child('parameters.kvEventsConfig'));
        }
        break;
      }
      case 'token-producer': {
        const hasBackend = p.vllm !== undefined || p.udsTokenizerConfig !== undefined;
        if (hasBackend && (typeof p.modelName !== 'string' || p.modelName.length === 0)) {
          throw ctx.error('parameters.modelName', p.modelName, "must be set when a tokenizer backend ('vllm') is configured; the EPP refuses to start without it",
            'set modelName to the served model name');
        }
        checkString(ctx, p, 'modelName');
        const url = getPath(p, 'vllm.url');
        if (url !== undefined && (typeof url !== 'string' || !/^https?:\/\/[^\s/]+/.test(url))) {
          throw ctx.error('parameters.vllm.url', url, 'is not an http(s) URL', `use the render Service URL, e.g. 'http://my-render:${Ports.SERVING}'`);
        }
        break;
      }
      case 'prefix-based-pd-decider':
        checkInt(ctx, p, 'nonCachedTokens', 0);
        checkInt(ctx, p, 'promptTokens', 0);
        break;
      case 'max-score-picker':
      case 'random-picker':
      case 'weighted-random-picker':
        checkInt(ctx, p, 'maxNumOfEndpoints', 1);
        break;
      case 'active-request-scorer': {
        checkInt(ctx, p, 'idleThreshold', 0);
        const t = p.requestTimeout;
        if (t !== undefined && (typeof t !== 'string' || !GO_DURATION.test(t))) {
          throw ctx.error('parameters.requestTimeout', t, 'is not a Go duration', "use e.g. '2m' or '90s'");
        }
        if (p.maxBusyScore !== undefined && (typeof p.maxBusyScore !== 'number' || !(p.maxBusyScore >= 0 && p.maxBusyScore <= 1))) {
          throw ctx.error('parameters.maxBusyScore', p.maxBusyScore, 'must be a number in [0, 1]', 'use e.g. 0 (busy endpoints score 0)');
        }
        break;
      }
      case 'pd-profile-handler': {
        const unknown = Object.keys(p).find((k) => !PD_HANDLER_PARAMS.includes(k));
        if (unknown !== undefined) {
          throw ctx.error(`parameters.${unknown}`, p[unknown],
            'is not a parameter of pd-profile-handler in llm-d router v0.10.0 (threshold and hashBlockSize belong to llm-d <= v0.6; the EPP decodes parameters strictly and refuses to start)',
            'use disagg-profile-handler with deciders: { prefill: always-disagg-pd-decider } (threshold 0) or a prefix-based-pd-decider with nonCachedTokens (threshold > 0)');
        }
        checkInt(ctx, p, 'primaryPort', 0);
        if (typeof p.primaryPort === 'number' && p.primaryPort > Ports.MAX_PORT) {
          throw ctx.error('parameters.primaryPort', p.primaryPort, 'is not a TCP port', 'remove primaryPort (not needed with Istio >= 1.28.1)');
        }
        break;
      }
      case 'disagg-profile-handler': {
        const nested = DISAGG_NESTED_PARAMS.filter((k) => k in p && k !== 'stageOrder');
        const legacy = DISAGG_LEGACY_PARAMS.filter((k) => k in p);
        if (nested.length > 0 && legacy.length > 0) {
          throw ctx.error(`parameters.${legacy[0]}`, p[legacy[0]],
            `mixes the deprecated flat parameters with the nested '${nested[0]}' form, which the EPP refuses`,
            `use the nested form only, e.g. deciders: { prefill: <decider> } instead of ${legacy[0]}`);
        }
        break;
      }
      default:
        break;
    }
  }
}

function precisePrefixParameters(o: PrecisePrefixCacheOptions): Record<string, any> {
  const params: Record<string, any> = {};
  if (o.blockSize !== undefined) params.tokenProcessorConfig = { blockSize: o.blockSize };
  if (o.speculativeIndexing !== undefined) params.speculativeIndexing = o.speculativeIndexing;
  if (o.indexerConfig !== undefined) params.indexerConfig = o.indexerConfig;
  if (o.kvEvents !== undefined) params.kvEventsConfig = o.kvEvents._toParameters();
  return params;
}

function checkInt(ctx: FieldContext, params: Record<string, any>, path: string, min: number): void {
  const v = getPath(params, path);
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw ctx.error(`parameters.${path}`, v, `must be an integer >= ${min}`, `set parameters.${path} to an integer of ${min} or more`);
  }
}

function checkBoolean(ctx: FieldContext, params: Record<string, any>, path: string): void {
  const v = getPath(params, path);
  if (v !== undefined && typeof v !== 'boolean') {
    throw ctx.error(`parameters.${path}`, v, 'must be true or false', `set parameters.${path} to a boolean`);
  }
}

function checkString(ctx: FieldContext, params: Record<string, any>, path: string): void {
  const v = getPath(params, path);
  if (v !== undefined && (typeof v !== 'string' || v.length === 0)) {
    throw ctx.error(`parameters.${path}`, v, 'must be a non-empty string', `set parameters.${path} to a plugin or model name`);
  }
}
