import { Duration, Yaml } from 'cdk8s';
import { clone, getPath, isObject } from './json-data';
import { KvEvents, KvEventsMode } from './kv-events';
import { PdDecider } from './pd-decider';
import { SchedulerPlugin } from './plugin';
import { EPP_FEATURE_GATES, EPP_FLOW_CONTROL_DEFAULTS, EPP_FLOW_CONTROL_ROLES, EPP_PLUGIN_TYPES, FlowControlRole, SchedulerPluginKind } from './plugin-types';
import { ProfilePluginRef, SchedulingProfile } from './scheduling-profile';
import { parseConfigText } from './yaml-text';
import { FieldContext } from '../internal/context';
import { checkArgs } from '../internal/prop-check';
import { Versions } from '../versions';

/** Options for {@link SchedulerConfig.default}. */
export interface DefaultSchedulerOptions {
  /**
   * Add `lora-affinity-scorer` (weight 4), as KServe does when the service has LoRA adapters.
   * @default false
   */
  readonly lora?: boolean;
}

/** Options for {@link SchedulerConfig.sessionAffinity}. */
export interface SessionAffinitySchedulerOptions extends DefaultSchedulerOptions {
  /**
   * Weight of `session-affinity-scorer` in the `default` profile (next to the default scorers' 2+2+3+2).
   * @default 1 (the weight llm-d's `payload-agnostic.yaml` gives it)
   */
  readonly weight?: number;
}

/** Options for {@link SchedulerConfig.tieredPrefixCache}. */
export interface TieredPrefixCacheSchedulerOptions {
  /**
   * KV blocks the CPU tier of each model server holds (`lruCapacityPerServer` of the CPU-tier producer): the tier's bytes
   * divided by the bytes of one block (KV bytes per token × block size). llm-d's guide: 82,000 blocks ≈ 200 GB for
   * Qwen3-32B (160 KB per token × 16-token blocks).
   */
  readonly cpuBlocksPerServer: number;
}

/** Options for {@link SchedulerConfig.prefillDecode}. */
export interface PrefillDecodeSchedulerOptions {
  /**
   * When to disaggregate.
   * @default PdDecider.always() (KServe's default P/D config)
   */
  readonly decider?: PdDecider;
  /**
   * Add `lora-affinity-scorer` (weight 4) to both profiles, as KServe does when the service has LoRA adapters.
   * @default false
   */
  readonly lora?: boolean;
  /**
   * Declare `disagg-headers-handler`, as KServe's default P/D config does. It is deprecated in llm-d router
   * v0.9.0+ (the disaggregation profile handler sets the prefill header itself) but still registered in v0.10.0.
   * `PrefillDecodePair` requires it (llm-d wiring invariant 23: a P/D config has a headers handler); turn it off
   * only for configs served by other means.
   * @default true
   */
  readonly headersHandler?: boolean;
}

/** Options for {@link SchedulerConfig.precisePrefixCache}. */
export interface PrecisePrefixCacheSchedulerOptions {
  /**
   * `token-producer` `modelName`: the served model (also the last segment of vLLM's KV-events topic). Without
   * `tokenizerUrl` the library's tokenizer serves the model at `/mnt/models/base` and the EPP is given that path.
   */
  readonly modelName: string;
  /**
   * `token-producer` `vllm.url`: the vLLM render Service that tokenizes for the EPP
   * (V8: `http://precise-prefix-cache-routing-render:8000`).
   * @default - the producer's default, `http://localhost:8000` (a render sidecar in the EPP pod)
   */
  readonly tokenizerUrl?: string;
  /**
   * `tokenProcessorConfig.blockSize`: must equal vLLM's `--block-size` on every served pod.
   * @default 64
   */
  readonly blockSize?: number;
  /**
   * How KV-cache events reach the EPP.
   * @default KvEvents.podDiscovery() (socket port 5556, topic filter `kv@`, concurrency 8)
   */
  readonly kvEvents?: KvEvents;
  /**
   * `speculativeIndexing` of the producer.
   * @default true
   */
  readonly speculativeIndexing?: boolean;
  /**
   * `indexerConfig.kvBlockIndexConfig.enableMetrics`: Prometheus metrics of the KV-block index.
   * @default true
   */
  readonly indexMetrics?: boolean;
}

/** A data-layer source and the extractors it feeds (`dataLayer.sources[]`). */
export interface DataLayerSource {
  /** The source plugin's name. */
  readonly pluginRef: string;
  /**
   * Names of the extractor plugins fed by the source.
   * @default - none
   */
  readonly extractors?: string[];
}

/** The `dataLayer` section. */
export interface DataLayerOptions {
  /**
   * Data-layer sources.
   * @default - none (the EPP still injects metrics-data-source + core-metrics-extractor)
   */
  readonly sources?: DataLayerSource[];
  /**
   * `injectDefaults`: set false to stop the EPP injecting its metrics source and extractor.
   * @default - the EPP's default (true)
   */
  readonly injectDefaults?: boolean;
}

/** Options for {@link SchedulerConfig.custom}. */
export interface CustomSchedulerConfigOptions {
  /** The `plugins[]`, in order. */
  readonly plugins: SchedulerPlugin[];
  /**
   * The `schedulingProfiles[]`, in order.
   * @default - none: the EPP builds a `default` profile from every filter, scorer and picker
   */
  readonly profiles?: SchedulingProfile[];
  /**
   * `featureGates`: `flowControl` and/or `haPopulateNonLeaderDatastore`, optionally `=true`/`=false`.
   * @default - none
   */
  readonly featureGates?: string[];
  /**
   * The `dataLayer` section.
   * @default - none
   */
  readonly dataLayer?: DataLayerOptions;
  /**
   * `requestHandler.parsers`: names of parser plugins (a registered parser type may be named without declaring it).
   * @default - the EPP's default parsers
   */
  readonly parsers?: string[];
  /**
   * The `flowControl` section, as it is (honoured only with the `flowControl` feature gate).
   * @default - none
   */
  readonly flowControl?: Record<string, any>;
}

/** Limits and policies of a flow-control priority band (`flowControl.priorityBands[]` and the band templates). */
export interface PriorityBandOptions {
  /**
   * `maxBytes`: most bytes of queued and running requests the band holds (a Kubernetes quantity, e.g. `'512Mi'`).
   * @default - the EPP's 1G
   */
  readonly maxBytes?: string;
  /**
   * `maxRequests`: most concurrent requests the band holds (a quantity, e.g. `'500'` or `'1k'`); once full, new
   * requests of the band are rejected instead of queued.
   * @default - the EPP's 5000
   */
  readonly maxRequests?: string;
  /**
   * `fairnessPolicyRef`: the plugin choosing which flow (fairness id, header `x-llm-d-inference-fairness-id`) is
   * served next: a declared plugin's name, or a fairness policy type of the pinned EPP (`global-strict-fairness-policy`,
   * `round-robin-fairness-policy`, `program-aware-fairness`), which is then declared.
   * @default - global-strict-fairness-policy
   */
  readonly fairnessPolicy?: string;
  /**
   * `orderingPolicyRef`: the plugin ordering requests within a flow: a declared plugin's name, or an ordering policy
   * type (`fcfs-ordering-policy`, `edf-ordering-policy`, `slo-deadline-ordering-policy`), which is then declared.
   * @default - fcfs-ordering-policy
   */
  readonly orderingPolicy?: string;
}

/** A priority band: requests whose InferenceObjective has this priority. */
export interface PriorityBand extends PriorityBandOptions {
  /** The priority (an InferenceObjective's `priority`; requests without an objective have 0). */
  readonly priority: number;
}

/**
 * The Endpoint Picker's flow control (`flowControl` section and feature gate of llm-d router v0.10.0): requests
 * wait in per-priority queues while the pool is saturated, are dispatched highest priority first and fairly between
 * flows within a band, and are shed when a band is full or a request waits longer than its TTL. It is also what
 * makes scaling from zero safe: requests queue instead of failing while the first replica starts.
 */
export interface FlowControlOptions {
  /**
   * `maxBytes`: global limit on the bytes of all queued and running requests (a quantity).
   * @default - no global byte limit
   */
  readonly maxBytes?: string;
  /**
   * `maxRequests`: global limit on concurrent requests across all bands (a quantity).
   * @default - no global request limit
   */
  readonly maxRequests?: string;
  /**
   * `defaultRequestTTL`: how long a request may wait in the queue before it is shed (with a retryable error);
   * `Duration.seconds(0)` lets requests wait until the client gives up.
   * @default - the EPP's 60 s
   */
  readonly defaultRequestTtl?: Duration;
  /**
   * `priorityBands`: explicitly configured bands (unique priorities).
   * @default - none: every priority gets a band from the templates
   */
  readonly priorityBands?: PriorityBand[];
  /**
   * `defaultPriorityBand`: template of bands for priorities not listed.
   * @default - the EPP's defaults
   */
  readonly defaultPriorityBand?: PriorityBandOptions;
  /**
   * `defaultNegativePriorityBand`: template for priorities below 0 (sheddable traffic), e.g. a small maxRequests.
   * @default - defaultPriorityBand
   */
  readonly defaultNegativePriorityBand?: PriorityBandOptions;
  /**
   * `usageLimitPolicyPluginRef`: the adaptive capacity policy: a declared plugin's name, or a usage-limit policy type
   * (`static-usage-limit-policy`, `priority-holdback-policy`, `soft-reflective-ceiling-policy`), which is then declared.
   * @default - static-usage-limit-policy (threshold 1.0)
   */
  readonly usageLimitPolicy?: string;
  /**
   * `saturationDetector.pluginRef`: what counts as saturated: a declared plugin's name, or `utilization-detector` /
   * `concurrency-detector`, which is then declared.
   * @default - utilization-detector
   */
  readonly saturationDetector?: string;
  /**
   * `enableEviction`: under saturation, evict in-flight requests of negative priority for higher-priority ones.
   * @default false
   */
  readonly enableEviction?: boolean;
}

/** Options for {@link SchedulerConfig.fromYaml}. */
export interface FromYamlOptions {
  /**
   * Accept plugin types the pinned EPP (llm-d router v0.10.0) does not register.
   * @default false
   */
  readonly allowUnknownTypes?: boolean;
}

/** The config's content. */
interface ConfigModel {
  readonly plugins: SchedulerPlugin[];
  readonly profiles: SchedulingProfile[];
  readonly featureGates: string[];
  readonly dataLayer?: Record<string, any>;
  /** requestHandler, flowControl, saturationDetector, parser: verbatim. */
  readonly extras: Record<string, any>;
}

const KIND = 'EndpointPickerConfig';
/** The pre-llm-d group; llm-d router v0.10.0 still reads it (with a deprecation message). */
const LEGACY_API = 'inference.networking.x-k8s.io/v1alpha1';
const EXTRA_KEYS = ['requestHandler', 'flowControl', 'saturationDetector', 'parser'];
/** The data-layer source that scrapes model-server metrics. */
const METRICS_DATA_SOURCE = 'metrics-data-source';
const TOP_LEVEL_KEYS = ['apiVersion', 'kind', 'featureGates', 'plugins', 'schedulingProfiles', 'dataLayer', ...EXTRA_KEYS];
const PRECISE_TYPES = ['precise-prefix-cache-producer', 'precise-prefix-cache-scorer'];
const GO_BOOL = /^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/;

/**
 * The Endpoint Picker's scheduling configuration: the `EndpointPickerConfig` document
 * (`llm-d.ai/v1alpha1`) read by the llm-d router EPP v0.10.0 through `--config-file` or `--config-text`.
 *
 * Use a preset (`default`, `prefillDecode`, `precisePrefixCache`, `sessionAffinity`), compose one with
 * `custom`, or bring a document with `fromYaml`. The config is checked against what the pinned EPP refuses
 * at start-up when a construct uses it.
 */
export class SchedulerConfig {
  /**
   * KServe's default config for a service without prefill (`shared/docs/kserve-llmisvc.md` §4.3; KServe
   * `pkg/controller/v1alpha2/llmisvc/scheduler.go` `schedulerConfigText`): the llm-d optimized baseline,
   * load- and prefix-aware. Profile `default`: queue 2, kv-cache-utilization 2, prefix-cache 3, no-hit-lru 2,
   * max-score picker; with `lora`, lora-affinity 4 first.
   */
  public static default(options: DefaultSchedulerOptions = {}): SchedulerConfig {
    checkArgs('SchedulerConfig.default', arguments);
    return SchedulerConfig.baseline(options.lora ?? false, undefined);
  }

  /**
   * The default config plus `session-affinity-scorer`, which keeps a session on the endpoint that served it.
   * The scorer is Alpha in llm-d router v0.10.0, so the EPP needs `--allow-experimental-plugins`
   * (see {@link SchedulerConfig.requiresExperimentalPlugins}).
   */
  public static sessionAffinity(options: SessionAffinitySchedulerOptions = {}): SchedulerConfig {
    checkArgs('SchedulerConfig.sessionAffinity', arguments);
    return SchedulerConfig.baseline(options.lora ?? false, options.weight ?? 1);
  }

  /**
   * llm-d's tiered-prefix-cache config for model servers with a CPU KV-cache tier (`KvCache.offload` / `KvCache.lmcache`):
   * two approximate prefix producers — one for GPU memory (auto-tuned), one for the CPU tier (`autoTune: false`,
   * `lruCapacityPerServer`) — each read by its own `prefix-cache-scorer`, with queue, kv-cache-utilization and no-hit-lru
   * scorers (`kustomize-era-v0.8.0/rendered/tiered-prefix-cache.rendered.yaml`, `tiered-prefix-cache-plugins.yaml`).
   * `no-hit-lru-scorer` names the GPU producer (the guide leaves it to the EPP's default producer name, which no plugin has).
   */
  public static tieredPrefixCache(options: TieredPrefixCacheSchedulerOptions): SchedulerConfig {
    checkArgs('SchedulerConfig.tieredPrefixCache', arguments);
    const n = options.cpuBlocksPerServer;
    if (!Number.isInteger(n) || n < 1) {
      throw new FieldContext('SchedulerConfig.tieredPrefixCache').error('options.cpuBlocksPerServer', n, 'must be a positive integer (KV blocks the CPU tier holds)',
        'divide the CPU tier bytes by the bytes of one KV block, e.g. 82000 for 200 GB of Qwen3-32B blocks');
    }
    const gpuProducer = SchedulerPlugin.approxPrefixCacheProducer({ name: 'gpu-prefix-cache-producer' });
    const cpuProducer = SchedulerPlugin.approxPrefixCacheProducer({ name: 'cpu-prefix-cache-producer', autoTune: false, lruCapacityPerServer: n });
    const noHit = SchedulerPlugin.noHitLruScorer({ prefixMatchInfoProducerName: gpuProducer.name });
    const queue = SchedulerPlugin.queueScorer();
    const kv = SchedulerPlugin.kvCacheUtilizationScorer();
    const gpuScorer = SchedulerPlugin.prefixCacheScorer({ name: 'gpu-prefix-cache-scorer', prefixMatchInfoProducerName: gpuProducer.name });
    const cpuScorer = SchedulerPlugin.prefixCacheScorer({ name: 'cpu-prefix-cache-scorer', prefixMatchInfoProducerName: cpuProducer.name });
    return new SchedulerConfig({
      plugins: [noHit, gpuProducer, cpuProducer, queue, kv, gpuScorer, cpuScorer],
      profiles: [new SchedulingProfile({ name: 'default', plugins: [queue.ref(), kv.ref(), gpuScorer.ref(), cpuScorer.ref(), noHit.ref()] })],
      featureGates: [],
      extras: {},
    });
  }

  /**
   * KServe's default P/D config (`shared/docs/kserve-llmisvc.md` §4.3; the llm-d V8 `pd-config.yaml` shape):
   * profiles `prefill` = [prefill-filter, prefix-cache 3, queue 2, kv-cache-utilization 2, max-score picker] and
   * `decode` = [decode-filter, active-request 2, prefix-cache 3, max-score picker], run by
   * `disagg-profile-handler` with `deciders.prefill` = the decider.
   */
  public static prefillDecode(options: PrefillDecodeSchedulerOptions = {}): SchedulerConfig {
    checkArgs('SchedulerConfig.prefillDecode', arguments);
    const lora = options.lora ?? false;
    const decider = (options.decider ?? PdDecider.always())._plugin();
    const prefillFilter = SchedulerPlugin.prefillFilter();
    const decodeFilter = SchedulerPlugin.decodeFilter();
    const queue = SchedulerPlugin.queueScorer();
    const kv = SchedulerPlugin.kvCacheUtilizationScorer();
    const active = SchedulerPlugin.activeRequestScorer();
    const prefix = SchedulerPlugin.prefixCacheScorer();
    const picker = SchedulerPlugin.maxScorePicker();
    const handler = SchedulerPlugin.disaggProfileHandler({ prefillDecider: decider.name });
    const loraScorer = SchedulerPlugin.loraAffinityScorer();
    const plugins: SchedulerPlugin[] = [];
    if (options.headersHandler ?? true) plugins.push(SchedulerPlugin.disaggHeadersHandler());
    plugins.push(prefillFilter, decodeFilter, queue, kv, active, prefix, picker, decider, handler);
    if (lora) plugins.push(loraScorer);
    const loraRef: ProfilePluginRef[] = lora ? [loraScorer.ref(4)] : [];
    return new SchedulerConfig({
      plugins,
      profiles: [
        new SchedulingProfile({ name: 'prefill', plugins: [prefillFilter.ref(), ...loraRef, prefix.ref(3), queue.ref(2), kv.ref(2), picker.ref()] }),
        new SchedulingProfile({ name: 'decode', plugins: [decodeFilter.ref(), ...loraRef, active.ref(2), prefix.ref(3), picker.ref()] }),
      ],
      featureGates: [],
      extras: {},
    });
  }

  /**
   * The llm-d V8 precise-prefix-cache-routing config (`kustomize-era-v0.8.0/rendered/precise-prefix-cache-routing.rendered.yaml`,
   * ConfigMap key `precise-prefix-cache-routing-plugins.yaml`): `token-producer`, `precise-prefix-cache-producer`
   * fed by KV-cache events, `prefix-cache-scorer` and `no-hit-lru-scorer` reading its prefix matches, and profile
   * `default` = kv-cache-utilization 2, queue 2, prefix-cache 3, no-hit-lru 2. In pod-discovery mode an
   * `endpoint-notification-source` feeds the producer through `dataLayer` (one subscriber per endpoint); in
   * centralized mode both are left out, as in KServe's centralized sample.
   */
  public static precisePrefixCache(options: PrecisePrefixCacheSchedulerOptions): SchedulerConfig {
    checkArgs('SchedulerConfig.precisePrefixCache', arguments);
    const kvEvents = options.kvEvents ?? KvEvents.podDiscovery();
    const tokens = SchedulerPlugin.tokenProducer({ modelName: options.modelName, vllmUrl: options.tokenizerUrl });
    const source = SchedulerPlugin.endpointNotificationSource();
    const producer = SchedulerPlugin.precisePrefixCacheProducer({
      blockSize: options.blockSize ?? 64,
      speculativeIndexing: options.speculativeIndexing ?? true,
      indexerConfig: { kvBlockIndexConfig: { enableMetrics: options.indexMetrics ?? true } },
      kvEvents,
    });
    const prefix = SchedulerPlugin.prefixCacheScorer({ prefixMatchInfoProducerName: producer.name });
    const kv = SchedulerPlugin.kvCacheUtilizationScorer();
    const queue = SchedulerPlugin.queueScorer();
    const noHit = SchedulerPlugin.noHitLruScorer({ prefixMatchInfoProducerName: producer.name });
    const plugins = kvEvents.discoverPods
      ? [tokens, source, producer, prefix, kv, queue, noHit]
      : [tokens, producer, prefix, kv, queue, noHit];
    return new SchedulerConfig({
      plugins,
      profiles: [new SchedulingProfile({ name: 'default', plugins: [kv.ref(2), queue.ref(2), prefix.ref(3), noHit.ref(2)] })],
      featureGates: [],
      dataLayer: kvEvents.discoverPods ? { sources: [{ pluginRef: source.name, extractors: [{ pluginRef: producer.name }] }] } : undefined,
      extras: {},
    });
  }

  /** A config composed from plugins and profiles. */
  public static custom(options: CustomSchedulerConfigOptions): SchedulerConfig {
    checkArgs('SchedulerConfig.custom', arguments);
    let dataLayer: Record<string, any> | undefined;
    if (options.dataLayer !== undefined) {
      dataLayer = {};
      if (options.dataLayer.injectDefaults !== undefined) dataLayer.injectDefaults = options.dataLayer.injectDefaults;
      if (options.dataLayer.sources !== undefined) {
        dataLayer.sources = options.dataLayer.sources.map((s) => ({
          pluginRef: s.pluginRef,
          ...(s.extractors !== undefined ? { extractors: s.extractors.map((e) => ({ pluginRef: e })) } : {}),
        }));
      }
    }
    const extras: Record<string, any> = {};
    if (options.parsers !== undefined) extras.requestHandler = { parsers: options.parsers.map((p) => ({ pluginRef: p })) };
    if (options.flowControl !== undefined) extras.flowControl = clone(options.flowControl);
    return new SchedulerConfig({
      plugins: [...options.plugins],
      profiles: [...(options.profiles ?? [])],
      featureGates: [...(options.featureGates ?? [])],
      dataLayer,
      extras,
    });
  }

  /**
   * A raw EndpointPickerConfig document (YAML or JSON text). `apiVersion` must be `llm-d.ai/v1alpha1` or the
   * deprecated `inference.networking.x-k8s.io/v1alpha1` (rendered as `llm-d.ai/v1alpha1`). The document's
   * structure is checked here; its content when a construct uses it.
   */
  public static fromYaml(text: string, options: FromYamlOptions = {}): SchedulerConfig {
    checkArgs('SchedulerConfig.fromYaml', arguments);
    const ctx = new FieldContext('SchedulerConfig.fromYaml');
    const parsed = parseConfigText(text);
    if (parsed.error !== undefined) {
      throw ctx.error('text', excerpt(text), parsed.error, 'pass one EndpointPickerConfig document as YAML or JSON');
    }
    if (parsed.documents.length !== 1) {
      throw ctx.error('text', excerpt(text), `holds ${parsed.documents.length} documents`, 'pass exactly one EndpointPickerConfig document');
    }
    return new SchedulerConfig(readDocument(ctx, parsed.documents[0], options.allowUnknownTypes ?? false));
  }

  private static baseline(lora: boolean, sessionWeight: number | undefined): SchedulerConfig {
    const handler = SchedulerPlugin.singleProfileHandler();
    const queue = SchedulerPlugin.queueScorer();
    const kv = SchedulerPlugin.kvCacheUtilizationScorer();
    const prefix = SchedulerPlugin.prefixCacheScorer();
    const noHit = SchedulerPlugin.noHitLruScorer();
    const session = SchedulerPlugin.sessionAffinityScorer();
    const picker = SchedulerPlugin.maxScorePicker();
    const loraScorer = SchedulerPlugin.loraAffinityScorer();
    const withSession = sessionWeight !== undefined;
    const plugins = [handler, queue, kv, prefix, noHit, ...(withSession ? [session] : []), picker, ...(lora ? [loraScorer] : [])];
    const refs: ProfilePluginRef[] = [
      ...(lora ? [loraScorer.ref(4)] : []),
      queue.ref(2), kv.ref(2), prefix.ref(3), noHit.ref(2),
      ...(withSession ? [session.ref(sessionWeight)] : []),
      picker.ref(),
    ];
    return new SchedulerConfig({
      plugins,
      profiles: [new SchedulingProfile({ name: 'default', plugins: refs })],
      featureGates: [],
      extras: {},
    });
  }

  private constructor(private readonly model: ConfigModel) {}

  // ---- queries ----

  /** The declared plugins, in order (a copy of the list). */
  public get plugins(): SchedulerPlugin[] {
    return [...this.model.plugins];
  }

  /** The scheduling profiles, in order (a copy of the list). */
  public get profiles(): SchedulingProfile[] {
    return [...this.model.profiles];
  }

  /** The profile names, in order. */
  public get profileNames(): string[] {
    return this.model.profiles.map((p) => p.name);
  }

  /** The plugin types, in declaration order, each once. */
  public get pluginTypes(): string[] {
    return [...new Set(this.model.plugins.map((p) => p.type))];
  }

  /** The plugin names (explicit name or type), in declaration order. */
  public get pluginNames(): string[] {
    return this.model.plugins.map((p) => p.name);
  }

  /** The feature gates, as written. */
  public get featureGates(): string[] {
    return [...this.model.featureGates];
  }

  /** True when a plugin of `type` is declared. */
  public hasPlugin(type: string): boolean {
    return this.model.plugins.some((p) => p.type === type);
  }

  /** The plugin named `name` (explicit name, or type when unnamed), if declared. */
  public findPlugin(name: string): SchedulerPlugin | undefined {
    return this.model.plugins.find((p) => p.name === name);
  }

  /** The profile named `name`, if any. */
  public findProfile(name: string): SchedulingProfile | undefined {
    return this.model.profiles.find((p) => p.name === name);
  }

  /**
   * True for a prefill/decode config: profiles `prefill` (with a `prefill-filter`) and `decode` (with a
   * `decode-filter`), and a disaggregation profile handler (`disagg-profile-handler`, or the deprecated
   * `pd-profile-handler`). Pools with prefill pods need such a config (`shared/docs/llm-d-wiring.md` invariant 2, 23).
   */
  public get isPrefillDecode(): boolean {
    const usesType = (profileName: string, type: string) =>
      this.findProfile(profileName)?.pluginRefs.some((r) => this.findPlugin(r)?.type === type) ?? false;
    return usesType('prefill', 'prefill-filter') && usesType('decode', 'decode-filter')
      && this.model.plugins.some((p) => p.type === 'disagg-profile-handler' || p.type === 'pd-profile-handler');
  }

  /** True when `lora-affinity-scorer` is declared. */
  public get usesLora(): boolean {
    return this.hasPlugin('lora-affinity-scorer');
  }

  /** True when the precise prefix-cache producer (or the deprecated precise scorer) is declared: vLLM must publish KV events. */
  public get usesPrecisePrefixCache(): boolean {
    return this.model.plugins.some((p) => PRECISE_TYPES.includes(p.type));
  }

  /**
   * The KV-block size the EPP hashes with (`tokenProcessorConfig.blockSize` of the precise prefix-cache
   * producer or scorer). vLLM's `--block-size` must equal it (`shared/docs/llm-d-wiring.md` invariant 38).
   */
  public get blockSize(): number | undefined {
    for (const p of this.model.plugins) {
      if (!PRECISE_TYPES.includes(p.type)) continue;
      const v = p._param('tokenProcessorConfig.blockSize');
      if (typeof v === 'number') return v;
    }
    return undefined;
  }

  /** How KV-cache events reach the EPP (from the precise prefix-cache plugin), if configured. */
  public get kvEvents(): KvEvents | undefined {
    for (const p of this.model.plugins) {
      if (!PRECISE_TYPES.includes(p.type)) continue;
      const kv = KvEvents._fromParameters(p._param('kvEventsConfig'));
      if (kv !== undefined) return kv;
    }
    return undefined;
  }

  /** `token-producer` `modelName`: the served model, or the library tokenizer's `/mnt/models/base`. */
  public get tokenizerModelName(): string | undefined {
    const v = this.model.plugins.find((p) => p.type === 'token-producer')?._param('modelName');
    return typeof v === 'string' ? v : undefined;
  }

  /** `token-producer` `vllm.url`: the render Service the EPP tokenizes with, if set. */
  public get tokenizerUrl(): string | undefined {
    const v = this.model.plugins.find((p) => p.type === 'token-producer')?._param('vllm.url');
    return typeof v === 'string' ? v : undefined;
  }

  /** True when an Alpha plugin is declared: the EPP must run with `--allow-experimental-plugins`. */
  public get requiresExperimentalPlugins(): boolean {
    return this.model.plugins.some((p) => p.isExperimental);
  }

  // ---- flow control ----

  /**
   * A copy with the EPP's flow control on: the `flowControl` feature gate and a typed `flowControl` section
   * (priority bands, fairness and ordering policies, queue limits, the queue TTL, the saturation detector,
   * eviction), replacing any section and gate the config had. A policy named by a registered type that the
   * config does not declare is declared (with its defaults); an Alpha one (`program-aware-fairness`,
   * `priority-holdback-policy`, `soft-reflective-ceiling-policy`) makes {@link requiresExperimentalPlugins} true.
   * Checked against the pinned EPP (llm-d router v0.10.0) when a construct uses the config.
   */
  public withFlowControl(options: FlowControlOptions = {}): SchedulerConfig {
    checkArgs('SchedulerConfig.withFlowControl', arguments);
    const ctx = new FieldContext('SchedulerConfig.withFlowControl');
    const plugins = [...this.model.plugins];
    const declare = (ref: string | undefined, role: FlowControlRole | 'saturation'): string | undefined => {
      if (ref === undefined) return undefined;
      if (typeof ref !== 'string' || ref.length === 0) throw ctx.error(role, ref, 'is empty', 'name a plugin');
      if (plugins.some((p) => p.name === ref)) return ref;
      const known = role === 'saturation' ? EPP_PLUGIN_TYPES.get(ref)?.kind === SchedulerPluginKind.SATURATION_DETECTOR : EPP_FLOW_CONTROL_ROLES.get(ref) === role;
      if (known && !isFlowControlDefault(ref)) plugins.push(SchedulerPlugin.custom(ref));
      return ref;
    };
    const band = (b: PriorityBandOptions | undefined): Record<string, any> | undefined => {
      if (b === undefined) return undefined;
      return omitUndefined({
        maxBytes: b.maxBytes,
        maxRequests: b.maxRequests,
        fairnessPolicyRef: declare(b.fairnessPolicy, 'fairness'),
        orderingPolicyRef: declare(b.orderingPolicy, 'ordering'),
      });
    };
    const ttl = options.defaultRequestTtl === undefined ? undefined : goDuration(options.defaultRequestTtl);
    const saturation = declare(options.saturationDetector, 'saturation');
    const section = omitUndefined({
      maxBytes: options.maxBytes,
      maxRequests: options.maxRequests,
      defaultRequestTTL: ttl,
      defaultPriorityBand: band(options.defaultPriorityBand),
      defaultNegativePriorityBand: band(options.defaultNegativePriorityBand),
      priorityBands: options.priorityBands?.map((b) => ({ priority: b.priority, ...band(b) })),
      usageLimitPolicyPluginRef: declare(options.usageLimitPolicy, 'usage-limit'),
      saturationDetector: saturation === undefined ? undefined : { pluginRef: saturation },
      enableEviction: options.enableEviction ? true : undefined,
    });
    const featureGates = [...this.model.featureGates.filter((g) => typeof g !== 'string' || g.split('=')[0] !== FLOW_CONTROL_GATE), FLOW_CONTROL_GATE];
    return new SchedulerConfig({ ...this.model, plugins, featureGates, extras: { ...this.model.extras, flowControl: section } });
  }

  /** True when the `flowControl` feature gate is on (the EPP then queues requests by priority band). */
  public get flowControlEnabled(): boolean {
    return gateOn(this.model.featureGates, FLOW_CONTROL_GATE);
  }

  /** The priorities of the explicitly configured flow-control bands, in order. */
  public get priorityBandPriorities(): number[] {
    const bands = getPath(this.model.extras, 'flowControl.priorityBands');
    return Array.isArray(bands) ? bands.map((b) => getPath(b, 'priority')).filter((p): p is number => typeof p === 'number') : [];
  }

  // ---- rendering ----

  /** The EndpointPickerConfig document as a plain object. */
  public toDocument(): Record<string, any> {
    const m = this.model;
    const doc: Record<string, any> = { apiVersion: Versions.ENDPOINT_PICKER_CONFIG_API, kind: KIND };
    if (m.featureGates.length > 0) doc.featureGates = [...m.featureGates];
    doc.plugins = m.plugins.map((p) => p._toDocument());
    if (m.dataLayer !== undefined) doc.dataLayer = clone(m.dataLayer);
    for (const key of EXTRA_KEYS) {
      if (m.extras[key] !== undefined) doc[key] = clone(m.extras[key]);
    }
    doc.schedulingProfiles = m.profiles.map((p) => p._toDocument());
    return doc;
  }

  /** The EndpointPickerConfig document as YAML text. The same config always renders the same text. */
  public toYaml(): string {
    return Yaml.stringify(this.toDocument());
  }

  /**
   * Render the YAML text (for `--config-text` or a ConfigMap key); validates first when given a context.
   * @internal
   */
  public _render(ctx?: FieldContext): string {
    if (ctx !== undefined) this._validate(ctx);
    return this.toYaml();
  }

  /**
   * A copy whose `token-producer` calls the library's render/tokenizer Service at `url` for the model `modelName`
   * (only where no URL is set).
   * @internal
   */
  public _withTokenizer(url: string, modelName: string): SchedulerConfig {
    const plugins = this.model.plugins.map((p) => {
      if (p.type !== 'token-producer' || p._param('vllm.url') !== undefined) return p;
      const parameters = { ...(p.parameters ?? {}), modelName, vllm: { url } };
      return SchedulerPlugin.custom(p.type, { name: p.hasExplicitName ? p.name : undefined, parameters });
    });
    return new SchedulerConfig({ ...this.model, plugins });
  }

  /**
   * A copy whose precise prefix-cache plugins decode the KV events of `engineType` (`kvEventsConfig.engineType`; the
   * pinned EPP reads vLLM's format unless it is `sglang`: llm-d-router v0.10.0
   * `pkg/epp/framework/plugins/requestcontrol/dataproducer/preciseprefixcache/README.md`). A config that already names
   * another engine type is refused.
   * @internal
   */
  public _withKvEventsEngineType(ctx: FieldContext, engineType: string): SchedulerConfig {
    const plugins = this.model.plugins.map((p, i) => {
      const kv = p._param('kvEventsConfig');
      if (!PRECISE_TYPES.includes(p.type) || kv === undefined || typeof kv !== 'object' || kv === null) return p;
      const given = (kv as Record<string, unknown>).engineType;
      if (given !== undefined && given !== engineType) {
        throw ctx.error(`scheduler.plugins[${i}].parameters.kvEventsConfig.engineType`, given, `the model servers publish ${engineType} KV events, so the EPP would not decode them`,
          `remove engineType (it is set to ${engineType}) or serve with the engine it names`);
      }
      const parameters = { ...(p.parameters ?? {}), kvEventsConfig: { ...(kv as Record<string, unknown>), engineType } };
      return SchedulerPlugin.custom(p.type, { name: p.hasExplicitName ? p.name : undefined, parameters });
    });
    return new SchedulerConfig({ ...this.model, plugins });
  }

  /**
   * A copy whose `metrics-data-source` scrapes the model servers with `scheme` (added when the config has none, as the
   * KServe controller does for TLS with EPP ≥ v0.10.0; `insecureSkipVerify: true` since pods are addressed by IP).
   * A source that already names another scheme is refused.
   * @internal
   */
  public _withMetricsScheme(ctx: FieldContext, scheme: string): SchedulerConfig {
    const source = this.model.plugins.findIndex((p) => p.type === METRICS_DATA_SOURCE);
    if (source < 0) {
      if (this.model.dataLayer?.injectDefaults === false) return this;
      const plugin = SchedulerPlugin.custom(METRICS_DATA_SOURCE, { parameters: { scheme, insecureSkipVerify: true } });
      return new SchedulerConfig({ ...this.model, plugins: [...this.model.plugins, plugin] });
    }
    const p = this.model.plugins[source];
    const given = p._param('scheme');
    if (given !== undefined && given !== scheme) {
      throw ctx.error(`plugins[${source}].parameters.scheme`, given, `the model servers serve ${scheme.toUpperCase()} (tls), so the EPP could not read their metrics`,
        `remove the scheme (it is set to ${scheme}) or turn tls off`);
    }
    if (given === scheme) return this;
    const plugins = [...this.model.plugins];
    const parameters = { ...(p.parameters ?? {}), scheme };
    plugins[source] = SchedulerPlugin.custom(p.type, { name: p.hasExplicitName ? p.name : undefined, parameters });
    return new SchedulerConfig({ ...this.model, plugins });
  }

  /**
   * The ZMQ port the EPP itself binds for KV events (centralized mode only): the EPP container and Service
   * must expose it. Undefined in pod-discovery mode and without precise prefix caching.
   * @internal
   */
  public get _eppKvEventsPort(): number | undefined {
    const kv = this.kvEvents;
    return kv !== undefined && kv.mode === KvEventsMode.CENTRALIZED ? kv.port : undefined;
  }

  // ---- validation ----

  /**
   * Reject what the pinned EPP (llm-d router v0.10.0, `pkg/epp/config/loader`) refuses at start-up, plus
   * non-positive scorer weights.
   * @internal
   */
  public _validate(ctx: FieldContext): void {
    const m = this.model;
    const byName = new Map<string, SchedulerPlugin>();
    m.plugins.forEach((p, i) => {
      const pctx = ctx.child(`plugins[${i}]`);
      p._validate(pctx);
      if (byName.has(p.name)) {
        throw pctx.error(p.hasExplicitName ? 'name' : 'type', p.name, `duplicates the name of another plugin ('${p.name}'); the EPP requires unique names`,
          'give one of the plugins a distinct name and reference that name in the profiles');
      }
      byName.set(p.name, p);
    });
    const declared = () => [...byName.keys()].join(', ') || 'none';

    this.validateFeatureGates(ctx);

    // plugin-to-plugin references (deciders, prefix-match producers)
    m.plugins.forEach((p, i) => {
      for (const r of p._references()) {
        const target = byName.get(r.ref);
        if (target === undefined) {
          throw ctx.child(`plugins[${i}]`).error(r.field, r.ref, `names no declared plugin (declared: ${declared()})`,
            `declare a plugin named '${r.ref}' or reference a declared one`);
        }
        if (r.kind !== undefined && target.kind !== undefined && target.kind !== r.kind) {
          throw ctx.child(`plugins[${i}]`).error(r.field, r.ref, `names a ${target.type} plugin, which is not a ${r.kind.toLowerCase().replace(/_/g, ' ')}`,
            `reference a ${r.kind.toLowerCase().replace(/_/g, ' ')} plugin, e.g. always-disagg-pd-decider`);
        }
      }
    });

    // scheduling profiles
    const seen = new Set<string>();
    m.profiles.forEach((profile, j) => {
      const sctx = ctx.child(`schedulingProfiles[${j}]`);
      if (typeof profile.name !== 'string' || profile.name.length === 0) {
        throw sctx.error('name', profile.name, 'is empty', "name the profile, e.g. 'default'");
      }
      if (seen.has(profile.name)) {
        throw sctx.error('name', profile.name, 'duplicates another profile name', 'give each profile a unique name');
      }
      seen.add(profile.name);
      let picker: string | undefined;
      profile.plugins.forEach((entry, k) => {
        const ectx = sctx.child(`plugins[${k}]`);
        const target = byName.get(entry.pluginRef);
        if (target === undefined) {
          throw ectx.error('pluginRef', entry.pluginRef, `names no declared plugin (declared: ${declared()})`,
            `declare a plugin named '${entry.pluginRef}' in plugins, or reference a declared one`);
        }
        if (entry.weight !== undefined && (typeof entry.weight !== 'number' || !Number.isFinite(entry.weight) || entry.weight <= 0)) {
          throw ectx.error('weight', entry.weight, 'must be a number > 0', 'use a positive weight such as 1, 2 or 3, or remove the entry to drop the scorer');
        }
        if (target.kind === SchedulerPluginKind.PICKER) {
          if (picker !== undefined) {
            throw ectx.error('pluginRef', entry.pluginRef, `is a second picker in profile '${profile.name}' (after '${picker}'); the EPP allows one picker per profile`,
              'keep one picker in the profile');
          }
          picker = entry.pluginRef;
        }
      });
    });

    // profile handler
    const handlers = m.plugins.map((p, i) => ({ p, i })).filter(({ p }) => p.kind === SchedulerPluginKind.PROFILE_HANDLER);
    if (handlers.length > 1) {
      const { p, i } = handlers[1];
      throw ctx.child(`plugins[${i}]`).error('type', p.type, `is a second profile handler (after '${handlers[0].p.name}'); the EPP allows only one`,
        'declare one profile handler');
    }
    if (m.profiles.length > 1) {
      if (handlers.length === 0) {
        throw ctx.error('schedulingProfiles', this.profileNames,
          `has ${m.profiles.length} profiles but no profile handler; the EPP adds single-profile-handler only to single-profile configs and refuses to start`,
          'declare a multi-profile handler, e.g. disagg-profile-handler for prefill/decode');
      }
      if (handlers[0].p.type === 'single-profile-handler') {
        throw ctx.child(`plugins[${handlers[0].i}]`).error('type', handlers[0].p.type,
          `cannot run ${m.profiles.length} profiles (${this.profileNames.join(', ')})`, 'use one profile, or a multi-profile handler such as disagg-profile-handler');
      }
    }

    this.validateSections(ctx, byName, declared);
    this.validateFlowControl(ctx, byName);
  }

  /** The `flowControl` section as the pinned EPP decodes and resolves it (`pkg/epp/config/loader/flowcontrol.go`). */
  private validateFlowControl(ctx: FieldContext, byName: Map<string, SchedulerPlugin>): void {
    const fc = this.model.extras.flowControl;
    if (fc === undefined) return;
    const fctx = ctx.child('flowControl');
    if (!isObject(fc)) throw ctx.error('flowControl', fc, 'is not a mapping', 'write flowControl as { priorityBands: [...], ... }');
    onlyKeys(fctx, fc, FLOW_CONTROL_KEYS);
    const ref = (field: string, value: unknown, role: FlowControlRole | 'saturation', c: FieldContext = fctx) => {
      if (value === undefined || value === null || value === '') return;
      const wanted = role === 'saturation' ? 'saturation detector' : `${role} policy`;
      const declaredP = typeof value === 'string' ? byName.get(value) : undefined;
      if (declaredP === undefined) {
        if (typeof value === 'string' && isFlowControlDefault(value) && defaultRole(value) === role) return;
        throw c.error(field, value, 'names no declared plugin; the EPP refuses to start ("plugin not found")',
          `declare a ${wanted} plugin named '${value}' in plugins, or use SchedulerConfig.withFlowControl, which declares registered policy types`);
      }
      const ok = role === 'saturation' ? declaredP.kind === SchedulerPluginKind.SATURATION_DETECTOR : EPP_FLOW_CONTROL_ROLES.get(declaredP.type) === role;
      if (!ok && (declaredP.kind !== undefined)) {
        const choices = role === 'saturation' ? 'utilization-detector, concurrency-detector'
          : [...EPP_FLOW_CONTROL_ROLES].filter(([, r]) => r === role).map(([t]) => t).join(', ');
        throw c.error(field, value, `names a ${declaredP.type} plugin, which is not a ${wanted}`, `reference a plugin of type ${choices}`);
      }
    };
    const quantity = (c: FieldContext, field: string, value: unknown) => {
      if (value === undefined || value === null) return;
      if (typeof value === 'number' ? !(Number.isFinite(value) && value >= 0) : (typeof value !== 'string' || !QUANTITY.test(value))) {
        throw c.error(field, value, 'is not a non-negative Kubernetes quantity', "write e.g. '500', '1k' or '512Mi'");
      }
    };
    const bandOf = (field: string, b: unknown, withPriority: boolean) => {
      const c = fctx.child(field);
      if (!isObject(b)) throw fctx.error(field, b, 'is not a mapping', 'write the band as { priority, maxRequests, ... }');
      onlyKeys(c, b, withPriority ? ['priority', ...BAND_KEYS] : BAND_KEYS);
      quantity(c, 'maxBytes', b.maxBytes);
      quantity(c, 'maxRequests', b.maxRequests);
      ref('fairnessPolicyRef', b.fairnessPolicyRef, 'fairness', c);
      ref('orderingPolicyRef', b.orderingPolicyRef, 'ordering', c);
    };
    quantity(fctx, 'maxBytes', fc.maxBytes);
    quantity(fctx, 'maxRequests', fc.maxRequests);
    if (fc.defaultRequestTTL !== undefined && fc.defaultRequestTTL !== null && (typeof fc.defaultRequestTTL !== 'string' || !GO_DURATION.test(fc.defaultRequestTTL))) {
      throw fctx.error('defaultRequestTTL', fc.defaultRequestTTL, 'is not a Go duration', "write e.g. '60s' or '2m30s'");
    }
    if (fc.defaultPriorityBand !== undefined && fc.defaultPriorityBand !== null) bandOf('defaultPriorityBand', fc.defaultPriorityBand, false);
    if (fc.defaultNegativePriorityBand !== undefined && fc.defaultNegativePriorityBand !== null) {
      bandOf('defaultNegativePriorityBand', fc.defaultNegativePriorityBand, false);
    }
    const bands = fc.priorityBands;
    if (bands !== undefined && bands !== null && !Array.isArray(bands)) throw fctx.error('priorityBands', bands, 'is not a list', 'write priorityBands as a list of { priority, ... }');
    const priorities = new Map<number, number>();
    (Array.isArray(bands) ? bands : []).forEach((b, i) => {
      const bctx = fctx.child(`priorityBands[${i}]`);
      bandOf(`priorityBands[${i}]`, b, true);
      const p = b.priority;
      if (!Number.isSafeInteger(p)) throw bctx.error('priority', p, 'must be an integer', 'use the priority of an InferenceObjective, e.g. 100, 0 or -10');
      if (priorities.has(p)) {
        throw bctx.error('priority', p, `duplicates the priority of priorityBands[${priorities.get(p)}]; the EPP refuses duplicate priority levels`, 'configure each priority once');
      }
      priorities.set(p, i);
    });
    ref('usageLimitPolicyPluginRef', fc.usageLimitPolicyPluginRef, 'usage-limit');
    if (fc.saturationDetector !== undefined && fc.saturationDetector !== null) {
      if (!isObject(fc.saturationDetector)) throw fctx.error('saturationDetector', fc.saturationDetector, 'is not a mapping', 'write { pluginRef: utilization-detector }');
      onlyKeys(fctx.child('saturationDetector'), fc.saturationDetector, ['pluginRef']);
      ref('saturationDetector.pluginRef', fc.saturationDetector.pluginRef, 'saturation');
    }
    if (fc.enableEviction !== undefined && fc.enableEviction !== null && typeof fc.enableEviction !== 'boolean') {
      throw fctx.error('enableEviction', fc.enableEviction, 'is not a boolean', 'write true or false');
    }
    const settings = FLOW_CONTROL_KEYS.filter((k) => k !== 'saturationDetector' && fc[k] !== undefined && fc[k] !== null);
    if (settings.length > 0 && !this.flowControlEnabled) {
      throw fctx.error(settings[0], fc[settings[0]], 'is ignored: the flowControl feature gate is off, so the EPP only logs a warning and never queues by priority',
        `add '${FLOW_CONTROL_GATE}' to featureGates, or use SchedulerConfig.withFlowControl`);
    }
  }

  private validateFeatureGates(ctx: FieldContext): void {
    this.model.featureGates.forEach((gate, i) => {
      const [name, value, ...rest] = typeof gate === 'string' ? gate.split('=') : [''];
      if (!EPP_FEATURE_GATES.includes(name)) {
        throw ctx.error(`featureGates[${i}]`, gate, 'is not a feature gate of the pinned EPP (llm-d router v0.10.0), which refuses to start on it',
          `use one of ${EPP_FEATURE_GATES.join(', ')} (optionally =true / =false)`);
      }
      if ((value !== undefined && !GO_BOOL.test(value.trim())) || rest.length > 0) {
        throw ctx.error(`featureGates[${i}]`, gate, 'has a value that is not a boolean', `write '${name}', '${name}=true' or '${name}=false'`);
      }
    });
  }

  private validateSections(ctx: FieldContext, byName: Map<string, SchedulerPlugin>, declared: () => string): void {
    const m = this.model;
    const requireDeclared = (field: string, ref: unknown, autoKind?: SchedulerPluginKind) => {
      if (typeof ref === 'string' && byName.has(ref)) return;
      if (autoKind !== undefined && typeof ref === 'string' && EPP_PLUGIN_TYPES.get(ref)?.kind === autoKind) return;
      throw ctx.error(field, ref, `names no declared plugin (declared: ${declared()})`, 'declare the plugin in plugins, or reference a declared one');
    };
    const sources = getPath(m.dataLayer, 'sources');
    if (Array.isArray(sources)) {
      sources.forEach((s, i) => {
        requireDeclared(`dataLayer.sources[${i}].pluginRef`, getPath(s, 'pluginRef'));
        const extractors = getPath(s, 'extractors');
        if (Array.isArray(extractors)) {
          extractors.forEach((e, k) => requireDeclared(`dataLayer.sources[${i}].extractors[${k}].pluginRef`, getPath(e, 'pluginRef')));
        }
      });
    }
    const discovery = getPath(m.dataLayer, 'discovery.pluginRef');
    if (discovery !== undefined) requireDeclared('dataLayer.discovery.pluginRef', discovery);
    // The EPP registers an undeclared parser whose name is a parser type, so only other names fail.
    const parsers = getPath(m.extras, 'requestHandler.parsers');
    if (Array.isArray(parsers)) {
      parsers.forEach((p, i) => requireDeclared(`requestHandler.parsers[${i}].pluginRef`, getPath(p, 'pluginRef'), SchedulerPluginKind.PARSER));
    }
  }
}

/** Build the model of a parsed document, checking its structure. */
function readDocument(ctx: FieldContext, doc: unknown, allowUnknownTypes: boolean): ConfigModel {
  if (!isObject(doc)) throw ctx.error('text', doc, 'is not a mapping', 'pass an EndpointPickerConfig document');
  if (doc.apiVersion !== Versions.ENDPOINT_PICKER_CONFIG_API && doc.apiVersion !== LEGACY_API) {
    throw ctx.error('apiVersion', doc.apiVersion, 'is not an EndpointPickerConfig API version the pinned EPP reads',
      `use apiVersion: ${Versions.ENDPOINT_PICKER_CONFIG_API}`);
  }
  if (doc.kind !== KIND) throw ctx.error('kind', doc.kind, `is not ${KIND}`, `use kind: ${KIND}`);
  for (const key of Object.keys(doc)) {
    if (!TOP_LEVEL_KEYS.includes(key)) {
      throw ctx.error(key, doc[key], 'is not a field of EndpointPickerConfig (the EPP decodes the config strictly)',
        `use only ${TOP_LEVEL_KEYS.join(', ')}`);
    }
  }
  const plugins = list(ctx, doc, 'plugins').map((entry, i) => {
    const pctx = ctx.child(`plugins[${i}]`);
    if (!isObject(entry)) throw ctx.error(`plugins[${i}]`, entry, 'is not a mapping', 'write each plugin as { type, name?, parameters? }');
    onlyKeys(pctx, entry, ['type', 'name', 'parameters']);
    if (typeof entry.type !== 'string') throw pctx.error('type', entry.type, 'is not a string', "set type, e.g. 'queue-scorer'");
    if (entry.name !== undefined && entry.name !== null && typeof entry.name !== 'string') {
      throw pctx.error('name', entry.name, 'is not a string', 'set name to a string, or remove it');
    }
    if (entry.parameters !== undefined && entry.parameters !== null && !isObject(entry.parameters)) {
      throw pctx.error('parameters', entry.parameters, 'is not a mapping', 'write parameters as a mapping');
    }
    const name = typeof entry.name === 'string' && entry.name.length > 0 ? entry.name : undefined;
    return SchedulerPlugin._fromDocument(entry.type, name, entry.parameters ?? undefined, allowUnknownTypes);
  });
  const profiles = list(ctx, doc, 'schedulingProfiles').map((entry, j) => {
    const sctx = ctx.child(`schedulingProfiles[${j}]`);
    if (!isObject(entry)) throw ctx.error(`schedulingProfiles[${j}]`, entry, 'is not a mapping', 'write each profile as { name, plugins }');
    onlyKeys(sctx, entry, ['name', 'plugins']);
    if (typeof entry.name !== 'string') throw sctx.error('name', entry.name, 'is not a string', 'name the profile');
    const refs = list(sctx, entry, 'plugins').map((ref, k) => {
      const ectx = sctx.child(`plugins[${k}]`);
      if (!isObject(ref)) throw sctx.error(`plugins[${k}]`, ref, 'is not a mapping', 'write each entry as { pluginRef, weight? }');
      onlyKeys(ectx, ref, ['pluginRef', 'weight']);
      if (typeof ref.pluginRef !== 'string') throw ectx.error('pluginRef', ref.pluginRef, 'is not a string', 'name a declared plugin');
      if (ref.weight !== undefined && ref.weight !== null && typeof ref.weight !== 'number') {
        throw ectx.error('weight', ref.weight, 'is not a number', 'use a number such as 2');
      }
      return typeof ref.weight === 'number' ? { pluginRef: ref.pluginRef, weight: ref.weight } : { pluginRef: ref.pluginRef };
    });
    return new SchedulingProfile({ name: entry.name, plugins: refs });
  });
  const featureGates = list(ctx, doc, 'featureGates').map((g, i) => {
    if (typeof g !== 'string') throw ctx.error(`featureGates[${i}]`, g, 'is not a string', "write gates as 'name' or 'name=true'");
    return g;
  });
  if (doc.dataLayer !== undefined && doc.dataLayer !== null && !isObject(doc.dataLayer)) {
    throw ctx.error('dataLayer', doc.dataLayer, 'is not a mapping', 'write dataLayer as { sources: [...] }');
  }
  const extras: Record<string, any> = {};
  for (const key of EXTRA_KEYS) {
    if (doc[key] !== undefined && doc[key] !== null) extras[key] = clone(doc[key]);
  }
  return { plugins, profiles, featureGates, dataLayer: isObject(doc.dataLayer) ? clone(doc.dataLayer) : undefined, extras };
}

const FLOW_CONTROL_GATE = 'flowControl';
/**
 * Fields of the pinned EPP's `FlowControlConfig` and `PriorityBandConfig` (llm-d router v0.10.0,
 * `apix/config/v1alpha1/endpointpickerconfig_types.go`, vendored under imports/llm-d-router/v0.10.0/).
 * @internal
 */
export const FLOW_CONTROL_KEYS = ['maxBytes', 'maxRequests', 'defaultRequestTTL', 'defaultPriorityBand', 'defaultNegativePriorityBand', 'priorityBands',
  'usageLimitPolicyPluginRef', 'saturationDetector', 'enableEviction'];
/** @internal */
export const BAND_KEYS = ['maxBytes', 'maxRequests', 'fairnessPolicyRef', 'orderingPolicyRef'];
/** A Kubernetes quantity without a sign (the EPP rejects negative limits). */
const QUANTITY = /^\+?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/;
const GO_DURATION = /^(0|([0-9]+(\.[0-9]*)?(ns|us|µs|ms|s|m|h))+)$/;

function isFlowControlDefault(ref: string): boolean {
  return (Object.values(EPP_FLOW_CONTROL_DEFAULTS) as string[]).includes(ref);
}

function defaultRole(ref: string): FlowControlRole | 'saturation' | undefined {
  if (ref === EPP_FLOW_CONTROL_DEFAULTS.saturationDetector) return 'saturation';
  return EPP_FLOW_CONTROL_ROLES.get(ref);
}

function gateOn(gates: string[], name: string): boolean {
  let on = false;
  for (const g of gates) {
    if (typeof g !== 'string') continue;
    const [n, v] = g.split('=');
    if (n !== name) continue;
    on = v === undefined || /^(1|t|T|TRUE|true|True)$/.test(v.trim());
  }
  return on;
}

/** A Duration as a Go duration string (`60s`, `1500ms`). */
function goDuration(d: Duration): string {
  const ms = d.toMilliseconds();
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

function omitUndefined(o: Record<string, any>): Record<string, any> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

function list(ctx: FieldContext, obj: Record<string, any>, key: string): unknown[] {
  const v = obj[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw ctx.error(key, v, 'is not a list', `write ${key} as a list`);
  return v;
}

function onlyKeys(ctx: FieldContext, obj: Record<string, any>, allowed: string[]): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      throw ctx.error(key, obj[key], 'is not a known field (the EPP decodes the config strictly)', `use only ${allowed.join(', ')}`);
    }
  }
}

function excerpt(text: string): string {
  const oneLine = String(text).replace(/\s+/g, ' ').trim();
  return oneLine.length > 60 ? `${oneLine.slice(0, 57)}...` : oneLine;
}
