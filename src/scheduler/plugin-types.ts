/**
 * The plugin types the pinned Endpoint Picker (llm-d router v0.10.0) registers, and what each one is.
 *
 * Source: `llm-d/llm-d-router` tag v0.10.0 (commit 71f4f0999f95b96c49a9d0c4afbd18dfdb943c26),
 * `cmd/epp/runner/runner.go` `registerInTreePlugins()`, with each type string read from its plugin package
 * (`pkg/epp/framework/plugins/...`). The EPP refuses to start on a type missing from this registry
 * (`pkg/epp/config/loader/validation.go`: "plugin type '%s' is not registered"), and on an Alpha plugin unless
 * it runs with `--allow-experimental-plugins` (`pkg/epp/framework/interface/plugin/registry.go`).
 * The research notes `shared/docs/crds-and-epp.md` §A.6.7 list the same names (several of them as "not
 * verified as registered"; the v0.10.0 runner registers all of them).
 */

/** What a plugin does in the EPP, which decides where it may appear. */
export enum SchedulerPluginKind {
  /** Scores endpoints; takes a `weight` in a scheduling profile. */
  SCORER = 'SCORER',
  /** Removes endpoints from the candidate list. */
  FILTER = 'FILTER',
  /** Picks the endpoint(s) from the scored list; at most one per profile. */
  PICKER = 'PICKER',
  /** Decides which profiles run for a request; at most one per config. */
  PROFILE_HANDLER = 'PROFILE_HANDLER',
  /** A disaggregation decider referenced by the disaggregation profile handler. */
  DECIDER = 'DECIDER',
  /** Produces per-request data for other plugins (prefix match info, tokens, load). */
  DATA_PRODUCER = 'DATA_PRODUCER',
  /** Request-control plugin: pre-request headers, admission, screening, reporting. */
  REQUEST_CONTROL = 'REQUEST_CONTROL',
  /** Request body parser (`requestHandler.parsers`). */
  PARSER = 'PARSER',
  /** Data-layer source (`dataLayer.sources`). */
  DATA_SOURCE = 'DATA_SOURCE',
  /** Data-layer extractor (`dataLayer.sources[].extractors`). */
  DATA_EXTRACTOR = 'DATA_EXTRACTOR',
  /** Endpoint discovery without Kubernetes (`dataLayer.discovery`). */
  DISCOVERY = 'DISCOVERY',
  /** Flow-control policy (fairness, ordering, usage limits, eviction). */
  FLOW_CONTROL = 'FLOW_CONTROL',
  /** Saturation detector. */
  SATURATION_DETECTOR = 'SATURATION_DETECTOR',
}

/** One registry entry. @internal */
export interface PluginTypeInfo {
  readonly kind: SchedulerPluginKind;
  /** Alpha stability: the EPP needs `--allow-experimental-plugins`. */
  readonly experimental: boolean;
  /** Deprecated in v0.10.0 in favour of this type (still registered). */
  readonly replacedBy?: string;
}

const K = SchedulerPluginKind;

function beta(kind: SchedulerPluginKind, replacedBy?: string): PluginTypeInfo {
  return { kind, experimental: false, replacedBy };
}
function alpha(kind: SchedulerPluginKind): PluginTypeInfo {
  return { kind, experimental: true };
}

/**
 * The registry of llm-d router v0.10.0, in `registerInTreePlugins()` order.
 * @internal
 */
export const EPP_PLUGIN_TYPES: ReadonlyMap<string, PluginTypeInfo> = new Map<string, PluginTypeInfo>([
  // request control screeners
  ['disaggregatedset-rollout-screener', alpha(K.REQUEST_CONTROL)],
  // label / role filters
  ['label-selector-filter', beta(K.FILTER)],
  ['by-label-selector', beta(K.FILTER, 'label-selector-filter')],
  ['by-label', beta(K.FILTER, 'label-selector-filter')],
  ['encode-filter', beta(K.FILTER)],
  ['decode-filter', beta(K.FILTER)],
  ['prefill-filter', beta(K.FILTER)],
  ['session-affinity-filter', alpha(K.FILTER)],
  ['endpoint-attribute-filter', alpha(K.FILTER)],
  ['topology-affinity-filter', alpha(K.FILTER)],
  ['utilization-filter', alpha(K.FILTER)],
  // data-parallel profile handler
  ['data-parallel-profile-handler', beta(K.PROFILE_HANDLER)],
  // extra scorers
  ['load-aware-scorer', beta(K.SCORER)],
  ['context-length-aware', beta(K.SCORER)],
  ['session-affinity-scorer', alpha(K.SCORER)],
  ['header-label-affinity-scorer', alpha(K.SCORER)],
  // data layer
  ['models-data-source', beta(K.DATA_SOURCE)],
  ['models-data-extractor', beta(K.DATA_EXTRACTOR)],
  ['topology-extractor', alpha(K.DATA_EXTRACTOR)],
  ['dcgm-data-source', alpha(K.DATA_SOURCE)],
  ['dcgm-extractor', alpha(K.DATA_EXTRACTOR)],
  // scheduling and profile handlers
  ['prefix-cache-scorer', beta(K.SCORER)],
  ['max-score-picker', beta(K.PICKER)],
  ['random-picker', beta(K.PICKER)],
  ['weighted-random-picker', beta(K.PICKER)],
  ['single-profile-handler', beta(K.PROFILE_HANDLER)],
  ['disagg-headers-handler', beta(K.REQUEST_CONTROL, 'disagg-profile-handler')],
  ['prefill-header-handler', beta(K.REQUEST_CONTROL, 'disagg-profile-handler')],
  ['pd-profile-handler', beta(K.PROFILE_HANDLER, 'disagg-profile-handler')],
  ['disagg-profile-handler', beta(K.PROFILE_HANDLER)],
  ['always-disagg-pd-decider', beta(K.DECIDER)],
  ['prefix-based-pd-decider', beta(K.DECIDER)],
  ['always-disagg-multimodal-decider', beta(K.DECIDER)],
  ['kv-cache-utilization-scorer', beta(K.SCORER)],
  ['queue-scorer', beta(K.SCORER)],
  ['running-requests-size-scorer', beta(K.SCORER)],
  ['lora-affinity-scorer', beta(K.SCORER)],
  ['token-load-scorer', beta(K.SCORER)],
  ['no-hit-lru-scorer', beta(K.SCORER)],
  ['active-request-scorer', beta(K.SCORER)],
  // the all-in-one scorer logs a deprecation and forwards to producer + prefix-cache-scorer
  ['precise-prefix-cache-scorer', beta(K.SCORER, 'precise-prefix-cache-producer')],
  ['mm-embeddings-cache-scorer', beta(K.SCORER)],
  ['precise-prefix-cache-producer', beta(K.DATA_PRODUCER)],
  ['header-profile-handler', alpha(K.PROFILE_HANDLER)],
  ['endpoint-attribute-scorer', alpha(K.SCORER)],
  ['topology-affinity-scorer', alpha(K.SCORER)],
  ['burst-prefix-cache-producer', alpha(K.DATA_PRODUCER)],
  ['p2p-source-producer', alpha(K.DATA_PRODUCER)],
  ['multicluster-session-affinity-filter', alpha(K.FILTER)],
  ['multicluster-queue-scorer', alpha(K.SCORER)],
  ['multicluster-kv-cache-utilization-scorer', alpha(K.SCORER)],
  ['multicluster-prefix-cache-scorer', alpha(K.SCORER)],
  ['multicluster-approx-prefix-cache-producer', alpha(K.DATA_PRODUCER)],
  // flow control
  ['global-strict-fairness-policy', beta(K.FLOW_CONTROL)],
  ['round-robin-fairness-policy', beta(K.FLOW_CONTROL)],
  ['program-aware-fairness', beta(K.FLOW_CONTROL)],
  ['fcfs-ordering-policy', beta(K.FLOW_CONTROL)],
  ['edf-ordering-policy', beta(K.FLOW_CONTROL)],
  ['slo-deadline-ordering-policy', beta(K.FLOW_CONTROL)],
  ['static-usage-limit-policy', beta(K.FLOW_CONTROL)],
  ['sheddable-eviction-filter', alpha(K.FLOW_CONTROL)],
  ['priority-then-time-eviction-order-policy', alpha(K.FLOW_CONTROL)],
  ['priority-holdback-policy', alpha(K.FLOW_CONTROL)],
  ['soft-reflective-ceiling-policy', alpha(K.FLOW_CONTROL)],
  // request-level data producers
  ['approx-prefix-cache-producer', beta(K.DATA_PRODUCER)],
  ['inflight-load-producer', beta(K.DATA_PRODUCER)],
  ['predicted-latency-producer', beta(K.DATA_PRODUCER)],
  ['tokenizer', beta(K.DATA_PRODUCER, 'token-producer')],
  ['mm-embeddings-cache-producer', beta(K.DATA_PRODUCER)],
  ['token-producer', beta(K.DATA_PRODUCER)],
  ['session-id-producer', beta(K.DATA_PRODUCER)],
  // latency predictor, latency scoring and filtering
  ['latency-slo-admitter', beta(K.REQUEST_CONTROL)],
  ['probabilistic-admitter', beta(K.REQUEST_CONTROL)],
  ['prefix-cache-affinity-filter', beta(K.FILTER)],
  ['slo-headroom-tier-filter', beta(K.FILTER)],
  ['latency-scorer', beta(K.SCORER)],
  // test only (conformance)
  ['header-based-testing-filter', beta(K.FILTER)],
  ['destination-endpoint-served-verifier', beta(K.REQUEST_CONTROL)],
  // metrics collection
  ['metrics-data-source', beta(K.DATA_SOURCE)],
  ['core-metrics-extractor', beta(K.DATA_EXTRACTOR)],
  ['multicluster-metrics-data-source', alpha(K.DATA_SOURCE)],
  ['multicluster-metrics-extractor', alpha(K.DATA_EXTRACTOR)],
  // notification sources
  ['k8s-notification-source', beta(K.DATA_SOURCE)],
  ['endpoint-notification-source', beta(K.DATA_SOURCE)],
  // request control and parsers
  ['request-attribute-reporter', beta(K.REQUEST_CONTROL)],
  ['openai-parser', beta(K.PARSER)],
  ['vllmgrpc-parser', beta(K.PARSER)],
  ['passthrough-parser', beta(K.PARSER)],
  ['anthropic-parser', beta(K.PARSER)],
  ['vllmhttp-parser', beta(K.PARSER)],
  ['vertexai-parser', beta(K.PARSER)],
  // saturation detectors
  ['concurrency-detector', beta(K.SATURATION_DETECTOR)],
  ['utilization-detector', beta(K.SATURATION_DETECTOR)],
  // discovery
  ['file-discovery', beta(K.DISCOVERY)],
  ['multicluster-file-discovery', alpha(K.DISCOVERY)],
  // request header processors
  ['agent-identity', alpha(K.REQUEST_CONTROL)],
]);

/**
 * Feature gates the pinned EPP registers (`cmd/epp/runner/runner.go`): any other gate name is a startup error.
 * @internal
 */
export const EPP_FEATURE_GATES: readonly string[] = ['flowControl', 'haPopulateNonLeaderDatastore'];

/**
 * Lookups in the plugin registry of the pinned Endpoint Picker (llm-d router v0.10.0).
 */
export class SchedulerPluginTypes {
  /** The llm-d router release the table describes. */
  public static readonly EPP_VERSION = 'v0.10.0';

  /** Every registered plugin type, in registration order. */
  public static all(): string[] {
    return [...EPP_PLUGIN_TYPES.keys()];
  }

  /** True when the pinned EPP registers `type`. */
  public static isKnown(type: string): boolean {
    return EPP_PLUGIN_TYPES.has(type);
  }

  /** What `type` is, or undefined for a type the pinned EPP does not register. */
  public static kindOf(type: string): SchedulerPluginKind | undefined {
    return EPP_PLUGIN_TYPES.get(type)?.kind;
  }

  /** True for Alpha plugins, which need the EPP flag `--allow-experimental-plugins`. */
  public static isExperimental(type: string): boolean {
    return EPP_PLUGIN_TYPES.get(type)?.experimental ?? false;
  }

  /**
   * The flow-control part a policy type plays: `fairness`, `ordering`, `usage-limit`, `eviction-filter` or
   * `eviction-ordering`; undefined for other types.
   */
  public static flowControlRoleOf(type: string): string | undefined {
    return EPP_FLOW_CONTROL_ROLES.get(type);
  }

  /** The type that replaces a deprecated (but still registered) type, or undefined. */
  public static replacementOf(type: string): string | undefined {
    return EPP_PLUGIN_TYPES.get(type)?.replacedBy;
  }

  private constructor() {}
}

/** The part a flow-control plugin plays, which decides the `flowControl` field that may name it. @internal */
export type FlowControlRole = 'fairness' | 'ordering' | 'usage-limit' | 'eviction-filter' | 'eviction-ordering';

/**
 * The flow-control policies of the pinned EPP by role, and the defaults its loader registers when the config does
 * not declare them. Source: `llm-d/llm-d-router` tag v0.10.0 (commit 71f4f0999f95b96c49a9d0c4afbd18dfdb943c26),
 * `pkg/epp/framework/plugins/flowcontrol/{fairness,ordering,usagelimits,eviction}/...` (the package of each type
 * decides its interface), `pkg/epp/flowcontrol/registry/config.go` (`DefaultOrderingPolicyRef`,
 * `DefaultFairnessPolicyRef`, `DefaultUsageLimitPolicyRef`) and `pkg/epp/config/loader/defaults.go`
 * (`ensureFlowControlLayer`, and `utilization-detector` as the default saturation detector).
 * @internal
 */
export const EPP_FLOW_CONTROL_ROLES: ReadonlyMap<string, FlowControlRole> = new Map<string, FlowControlRole>([
  ['global-strict-fairness-policy', 'fairness'],
  ['round-robin-fairness-policy', 'fairness'],
  ['program-aware-fairness', 'fairness'],
  ['fcfs-ordering-policy', 'ordering'],
  ['edf-ordering-policy', 'ordering'],
  ['slo-deadline-ordering-policy', 'ordering'],
  ['static-usage-limit-policy', 'usage-limit'],
  ['priority-holdback-policy', 'usage-limit'],
  ['soft-reflective-ceiling-policy', 'usage-limit'],
  ['sheddable-eviction-filter', 'eviction-filter'],
  ['priority-then-time-eviction-order-policy', 'eviction-ordering'],
]);

/** Plugins the pinned EPP's loader registers under their type name when the config does not declare them. @internal */
export const EPP_FLOW_CONTROL_DEFAULTS = {
  fairness: 'global-strict-fairness-policy',
  ordering: 'fcfs-ordering-policy',
  usageLimit: 'static-usage-limit-policy',
  saturationDetector: 'utilization-detector',
} as const;
