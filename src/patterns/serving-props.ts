import { Duration, Size } from 'cdk8s';
import { InferenceGateway } from './inference-gateway';
import { EndpointPickerOptions } from './serving-routing';
import { Engine } from '../engine/engine';
import { Accelerator } from '../model/accelerator';
import { KvCache } from '../model/kv-cache';
import { LoraAdapter, LoraOptions } from '../model/lora';
import { ModelProfile } from '../model/model-profile';
import { ModelSource } from '../model/model-source';
import { ImageRegistry } from '../operations/image-registry';
import { Monitoring } from '../operations/monitoring';
import { NetworkPolicies } from '../operations/network-policy';
import { PlacementOptions } from '../operations/placement';
import { Tls } from '../operations/tls';
import { TracingOptions } from '../operations/tracing';
import { ModelInputs } from '../pipeline/serving-inputs';
import { RouteOptions } from '../routing/gateway-ref';

/**
 * Rolling-update limits of a serving workload: the Deployment's `strategy.rollingUpdate`, or the LeaderWorkerSet's
 * `rolloutStrategy.rollingUpdateConfiguration` (counted in groups). Each is a count (`'1'`) or a percentage (`'25%'`).
 * Without them, a Deployment on accelerators is replaced one pod at a time with no surge (maxUnavailable 1,
 * maxSurge 0): a surge pod needs GPUs beyond the ones the workload holds. Set `maxSurge` when spare GPUs exist.
 * New pods receive traffic only once ready (vLLM's `/health` answers after the model is loaded).
 */
export interface RolloutOptions {
  /**
   * Pods (groups) that may be unavailable during a rollout.
   * @default - 1 for a Deployment on accelerators and for a LeaderWorkerSet; Kubernetes' 25% for other Deployments
   */
  readonly maxUnavailable?: string;
  /**
   * Pods (groups) created above the desired count during a rollout.
   * @default - 0 for a Deployment on accelerators and for a LeaderWorkerSet; Kubernetes' 25% for other Deployments
   */
  readonly maxSurge?: string;
}

/** Props every serving pattern (`LlmService`, `PrefillDecodePair`, `MultiNodeGroup`) shares. */
export interface ModelServingProps {
  /** The model weights. The simulator engine only uses the served name. */
  readonly model: ModelSource;
  /**
   * Service name `N`; objects are named `N-kserve`, `N-kserve-workload-svc`, … (a DNS-1035 label, at most 63 characters).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Namespace of the objects.
   * @default - the Chart's namespace
   */
  readonly namespace?: string;
  /**
   * Name clients put in the `model` field of OpenAI requests (slashes allowed).
   * @default - the construct id
   */
  readonly servedModelName?: string;
  /**
   * The model server.
   * @default Engine.vllm()
   */
  readonly engine?: Engine;
  /**
   * The accelerator the pods run on.
   * @default Accelerator.nvidia()
   */
  readonly accelerator?: Accelerator;
  /**
   * LoRA adapters served with the base model.
   * @default - none
   */
  readonly loraAdapters?: LoraAdapter[];
  /**
   * LoRA settings.
   * @default - vLLM defaults
   */
  readonly lora?: LoraOptions;
  /**
   * How long the model may take to load before the pod is restarted (the startup probe budget).
   * @default - with a `profile`: 5 min + the checkpoint read at `modelLoadRate` (+ 5 min for groups spanning
   * nodes), at least the fixed defaults; without: Duration.minutes(10) (KServe's 60 × 10 s), Duration.minutes(30)
   * for groups spanning nodes
   */
  readonly startupTimeout?: Duration;
  /**
   * The model's memory figures (a preset such as `ModelProfile.LLAMA_3_1_70B`, or `ModelProfile.custom`). With a
   * profile the synth refuses a model whose weights do not fit the GPUs or whose KV cache cannot hold one
   * max-model-len sequence (when the accelerator's type is known), writes the capacity annotation `plan` reads,
   * and derives the startup budget.
   * @default - no capacity check
   */
  readonly profile?: ModelProfile;
  /**
   * Weights read per second while the model loads, for the startup budget derived from `profile`
   * (e.g. `Size.gibibytes(2)` from a local NVMe cache).
   * @default StartupBudgets.DEFAULT_LOAD_RATE (200 MiB/s)
   */
  readonly modelLoadRate?: Size;
  /**
   * Termination grace period of the serving pods; vLLM's `--shutdown-timeout` is derived from it. It must cover the
   * preStop pause, the route's request timeout and a 5 s exit margin.
   * @default - 60 s (KServe's), or request timeout + 20 s when a route or gateway sets a longer request timeout
   */
  readonly terminationGracePeriod?: Duration;
  /**
   * PersistentVolumeClaim that caches downloaded models across restarts instead of an emptyDir.
   * @default - an emptyDir (downloaded at every start)
   */
  readonly modelCacheClaim?: string;
  /**
   * Settings of the EPP and pool (with a scheduler).
   * @default - one replica, metrics auth on, FailOpen, v1 pool only
   */
  readonly endpointPicker?: EndpointPickerOptions;
  /**
   * Register with an InferenceGateway, which creates the route (`/<namespace>/<name>`) and provider objects.
   * @default - no gateway
   */
  readonly gateway?: InferenceGateway;
  /**
   * An HTTPRoute from a Gateway to this service: to the InferencePool with a scheduler, else to the workload
   * Service. Use `gateway` instead to let an InferenceGateway own the route.
   * @default - no route
   */
  readonly route?: RouteOptions;
  /**
   * Rolling-update limits of the serving workloads (KServe's `rolloutStrategy`).
   * @default - maxUnavailable 1, maxSurge 0 for accelerator Deployments and LeaderWorkerSets (no surge beyond the
   * GPUs the workload holds); the Kubernetes defaults for CPU Deployments
   */
  readonly rolloutStrategy?: RolloutOptions;
  /**
   * ServiceAccount the serving pods run as (it must exist; the library creates none for them and binds the routing
   * sidecar's Role to it).
   * @default - the namespace's default ServiceAccount for Deployments without the routing sidecar; a ServiceAccount
   * created per workload otherwise: `N-kserve` (decode Deployment), `N-kserve-mn` / `N-kserve-mn-prefill`
   * (LeaderWorkerSets), as the KServe controller does
   */
  readonly serviceAccountName?: string;
  /**
   * Extra labels of every serving pod (never part of a selector; wiring label keys are refused).
   * @default - none
   */
  readonly podLabels?: Record<string, string>;
  /**
   * Extra annotations of every serving pod.
   * @default - none
   */
  readonly podAnnotations?: Record<string, string>;
  /**
   * Extra labels of the workload objects themselves (Deployment / LeaderWorkerSet metadata), e.g. Kueue's
   * `kueue.x-k8s.io/queue-name`, which Kueue reads from the workload object (wiring label keys are refused).
   * @default - none
   */
  readonly workloadLabels?: Record<string, string>;
  /**
   * Extra annotations of the workload objects themselves (Deployment / LeaderWorkerSet metadata).
   * @default - none
   */
  readonly workloadAnnotations?: Record<string, string>;
  /**
   * Prometheus scraping of the model servers and the EPP (`Monitoring.prometheusOperator()` or `Monitoring.gke()`).
   * @default - no monitors
   */
  readonly monitoring?: Monitoring;
  /**
   * OpenTelemetry tracing of the model servers and the EPP (KServe's `spec.tracing`).
   * @default - no tracing
   */
  readonly tracing?: TracingOptions;
  /**
   * NetworkPolicies of the stack's pods, derived from its wiring: each pod admits only the flows the stack has.
   * @default NetworkPolicies.derived() (public ports open to any client, metrics to the cluster, egress unrestricted)
   */
  readonly networkPolicy?: NetworkPolicies;
  /**
   * Scheduling of the serving pods: spread over nodes and zones, priority class, scheduler name, Kueue queue,
   * LeaderWorkerSet exclusive placement.
   * @default - replicas preferably spread over nodes; nothing else
   */
  readonly placement?: PlacementOptions;
  /**
   * Where every pod of the stack pulls its images from (air-gapped clusters): `ImageRegistry.mirror(host, …)`
   * rewrites vLLM, the sidecar, the storage initializer, the EPP, Envoy and the tokenizer, and adds pull secrets.
   * @default ImageRegistry.upstream()
   */
  readonly imageRegistry?: ImageRegistry;
  /**
   * TLS on every hop of the stack, one switch for all: vLLM, the routing sidecar and the EPP serve with one certificate,
   * every client speaks TLS to them (probes, EPP, Prometheus, gateways through a BackendTLSPolicy, the standalone Envoy).
   * @default Tls.none() (plain HTTP, the upstream default)
   */
  readonly tls?: Tls;
  /**
   * KV-cache tiers below GPU memory (`KvCache.offload({ cpu, secondary })`, `KvCache.lmcache({ cpu })`); with P/D
   * both roles get it (each role may override it), combined with NIXL in a MultiConnector.
   * @default KvCache.none() (GPU memory only)
   */
  readonly kvCache?: KvCache;
}

/** The model part of a serving pod, read from the shared props. @internal */
export function modelInputs(props: ModelServingProps, servedModelName: string): ModelInputs {
  return {
    model: props.model,
    servedModelName,
    loraAdapters: props.loraAdapters ?? [],
    lora: props.lora ?? {},
    modelCacheClaim: props.modelCacheClaim,
  };
}
