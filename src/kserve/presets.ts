import { Versions } from '../versions';
import { AnnotationKeys } from '../wiring/labels';
import { Ports } from '../wiring/ports';

/**
 * KServe's 11 well-known LLMInferenceServiceConfig presets (`kserve/kserve:config/llmisvcconfig/*.yaml` at
 * `aaac4e29`, after v0.20.0; `kserve-llmisvc.md` §2, §3) as data: when each applies and what the library does
 * with its effect. The library does not merge the presets' pod specs: it renders the same objects with its own
 * constructs (names, labels, selectors and ports from the wiring contract) and runs `vllm serve` directly instead
 * of the presets' bash launcher.
 */

/** One well-known preset. */
export interface KServePreset {
  /** Object name (`kserve-` + the file name). */
  readonly name: string;
  /** When the controller applies it. */
  readonly appliesWhen: string;
  /** How the library reproduces its effect. */
  readonly libraryEquivalent: string;
}

/** The name prefix of the well-known presets (`LLM_INFERENCE_SERVICE_CONFIG_PREFIX`). */
export const KSERVE_PRESET_PREFIX = 'kserve-';

/** The KServe presets' vLLM image (llm-d CUDA build, KServe HEAD after v0.20.0). */
export const KSERVE_VLLM_IMAGE = Versions.KSERVE_PRESET_VLLM_IMAGE;

/** The global Gateway every managed HTTPRoute attaches to by default (`ingress.kserveIngressGateway`). */
export const KSERVE_DEFAULT_GATEWAY = { name: 'kserve-ingress-gateway', namespace: 'kserve' };

/** The well-known presets, in the controller's merge order (§2.2). */
export const KSERVE_PRESETS: readonly KServePreset[] = [
  { name: 'kserve-config-llm-scheduler', appliesWhen: 'spec.router.scheduler is set (and no pool.ref)', libraryEquivalent: 'EndpointPicker + InferencePool (SchedulerConfig.default()/prefillDecode() or the inline config)' },
  { name: 'kserve-config-llm-tokenizer', appliesWhen: 'scheduler.tokenizer, or an inline config with token-producer / precise-prefix-cache-scorer', libraryEquivalent: 'the precise-prefix tokenizer Deployment/Service N-tokenizer' },
  { name: 'kserve-config-llm-scheduler-latency-predictor', appliesWhen: 'an inline config with predicted-latency-producer', libraryEquivalent: 'the EndpointPicker adds the training and prediction servers for the same plugin' },
  { name: 'kserve-config-llm-router-route', appliesWhen: 'spec.router.route is set without http.refs', libraryEquivalent: 'HTTPRoute N-kserve-route on /NS/N rewritten to / (path rule only)' },
  { name: 'kserve-config-llm-tracing', appliesWhen: 'spec.tracing is set', libraryEquivalent: 'tracing prop with the same defaults (OTLP args and OTEL env on vLLM, --tracing=true on the EPP)' },
  { name: 'kserve-config-llm-prefill-template', appliesWhen: 'spec.prefill without prefill.worker', libraryEquivalent: 'PrefillDecodePair prefill Deployment N-kserve-prefill' },
  { name: 'kserve-config-llm-decode-template', appliesWhen: 'spec.prefill without top-level worker', libraryEquivalent: `PrefillDecodePair decode Deployment N-kserve with the routing sidecar (vLLM on ${Ports.VLLM_BEHIND_SIDECAR})` },
  { name: 'kserve-config-llm-prefill-worker-data-parallel', appliesWhen: 'spec.prefill.worker with data parallelism', libraryEquivalent: 'PrefillDecodePair role with data / dataLocal > 1 (LeaderWorkerSet)' },
  { name: 'kserve-config-llm-decode-worker-data-parallel', appliesWhen: 'spec.prefill and spec.worker with data parallelism', libraryEquivalent: 'PrefillDecodePair role with data / dataLocal > 1 (LeaderWorkerSet)' },
  { name: 'kserve-config-llm-worker-data-parallel', appliesWhen: 'spec.worker with data parallelism, no prefill', libraryEquivalent: 'MultiNodeGroup (LaunchStrategy.dataParallel(INTERNAL)) LeaderWorkerSet N-kserve-mn' },
  { name: 'kserve-config-llm-template', appliesWhen: 'no prefill and no worker', libraryEquivalent: 'LlmService Deployment N-kserve' },
];

/** The preset pipeline-parallel multi-node would need; KServe does not ship it (§3.5, §9 item 10). */
export const PIPELINE_PARALLEL_PRESET = 'kserve-config-llm-worker-pipeline-parallel';

/** True when `name` is one of the 11 well-known presets. @internal */
export function isWellKnownPreset(name: string): boolean {
  return KSERVE_PRESETS.some((p) => p.name === name);
}

/** Annotation the controller sets on a managed HTTPRoute once its backend is the v1 InferencePool. @internal */
export const KSERVE_POOL_MIGRATED_ANNOTATION = AnnotationKeys.KSERVE_POOL_MIGRATED;
