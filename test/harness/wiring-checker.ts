/**
 * Wiring checker: an independent check of synthesized llm-d / KServe-style manifests.
 *
 * It reads ONLY plain Kubernetes objects (JSON parsed from YAML) and never imports `src/`, so it can judge the
 * library's output and the llm-d reference renders with the same rules. The rules are the machine-checkable
 * invariants of `shared/docs/llm-d-wiring.md` §8; `invariant` numbers below are that section's numbers.
 * Two generic checks that §8 does not number get numbers above 100.
 *
 * Terms (as in §8): *pool* = InferencePool (v1 `spec.selector.matchLabels`, v1alpha2 flat `spec.selector`);
 * *served pod template* = a Deployment / StatefulSet / ReplicaSet / DaemonSet / Job / Pod template or an LWS
 * leaderTemplate / workerTemplate whose labels satisfy a pool selector; *EPP pod* = a template with a container named
 * `epp` (KS: the container of Deployment `*-router-scheduler`, or a container carrying `--pool-name`).
 * Objects without `metadata.namespace` are placed in `opts.namespace`; when that is not given, in the single namespace
 * used by the namespaced objects of the set (this mirrors `kubectl apply -n NS`, which is how the reference renders are
 * applied); otherwise in `default`. `kind: List` objects are flattened.
 *
 * | #   | rule (short)                                                                                      | status |
 * |-----|---------------------------------------------------------------------------------------------------|--------|
 * | 1   | pool selector matches >=1 served template and no EPP / render / tokenizer / gateway template      | implemented |
 * | 2   | served templates have llm-d.ai/role in {prefill,decode,both}; prefill in pool => P/D EPP config   | implemented |
 * | 3   | controller selector matches its template; no controller selects another controller's templates   | implemented (selectors of Deployment / StatefulSet / ReplicaSet / DaemonSet; targets also LWS leader / worker templates; an LWS selects by its own name label, so it is never the selecting side; objects of the same kind and name count as one) |
 * | 4   | EPP Service selector matches EPP pods and no model-server pod                                     | implemented |
 * | 5   | every served template declares every pool targetPort (containers + native sidecars)               | implemented |
 * | 6   | 1..8 unique targetPorts; multi-port external LB: count = DP_SIZE_LOCAL = sidecar DP, contiguous   | implemented |
 * | 7   | sidecar --port in targetPorts, --vllm-port = vLLM --port != --port, vLLM declares --vllm-port     | implemented (sidecar defaults --port 8000, --vllm-port 8001) |
 * | 8   | served templates without sidecar: engine --port (default 8000) in targetPorts                      | implemented |
 * | 9   | EPP Service has port = endpointPickerRef port (v1alpha2 extensionRef.portNumber, default 9002), targetPort served by the EPP | implemented |
 * | 10  | EPP grpc probes on --grpc-health-port (default 9003), port declared, allowed service name          | implemented |
 * | 11  | httpGet / tcpSocket probes with a named port name a port of the same container                    | implemented |
 * | 12  | GKE HealthCheckPolicy port and HTTPRoute backendRef port in pool targetPorts                       | implemented |
 * | 13  | EPP --pool-name/--pool-namespace/--pool-group (L2 camelCase) match an existing pool               | implemented |
 * | 14  | endpointPickerRef / extensionRef names a Service in the pool namespace; kind Service, group ""    | implemented |
 * | 15  | HTTPRoute InferencePool backendRefs name a pool in the route namespace with the pool's group      | implemented |
 * | 16  | HTTPRoute parentRefs name an existing Gateway whose listeners admit the route namespace            | implemented only when the set contains a Gateway (L2 / KS use external gateways) |
 * | 17  | failureMode in {FailOpen, FailClose}; standalone Envoy failure_mode_allow = (FailOpen)             | implemented |
 * | 18  | standalone Envoy: ext_proc -> 127.0.0.1:<EPP grpc port>, ORIGINAL_DST header, Service -> listener | implemented |
 * | 19  | every EPP Service targetPort is served by the EPP pod                                             | implemented |
 * | 20  | --config-file key exists in the ConfigMap mounted on the epp container; --config-text parses      | implemented |
 * | 21  | config apiVersion in {llm-d.ai/v1alpha1, inference.networking.x-k8s.io/v1alpha1}, kind EndpointPickerConfig | implemented |
 * | 22  | every pluginRef / deciderPluginName / prefixMatchInfoProducerName names a declared plugin; names unique | implemented |
 * | 23  | P/D config: exactly profiles prefill+decode with the filters, disagg/pd handler, headers handler; else one profile | implemented |
 * | 24  | plugin names agree with the EPP image era                                                         | not implemented (era boundaries are not machine-checkable from image tags alone) |
 * | 25  | EPP SA bound to get/list/watch on pods and on inferencepools of the pool's group                  | implemented |
 * | 26  | HA EPP (replicas > 1 or --ha-enable-leader-election) => leases + events RBAC                       | implemented |
 * | 27  | sidecar --enable-ssrf-protection => pod SA reads pods + pools of --pool-group; --inference-pool exists | implemented |
 * | 28  | NixlConnector => VLLM_NIXL_SIDE_CHANNEL_HOST from status.podIP                                     | implemented |
 * | 29  | within a pool prefill and decode agree on kv_connector, kv roles, block size, model; sidecar nixlv2 | implemented |
 * | 30  | sidecar connector flag spelling matches the sidecar image                                          | implemented |
 * | 31  | routing sidecar is a native sidecar, never on prefill pods, only on pool-served pods              | implemented ("only on served pods" only when the set has a pool) |
 * | 32  | declared NIXL side-channel port = VLLM_NIXL_SIDE_CHANNEL_PORT or 5600                              | implemented |
 * | 33  | GPU limit = request = TP x PP x DP_SIZE_LOCAL per vLLM container (DRA: GPU devices of the claims)  | implemented (a vLLM container with no accelerator at all and TPxPPxDP = 1 is a CPU run and skipped) |
 * | 34  | LWS: --data-parallel-size = size x DP_SIZE_LOCAL, address LWS_LEADER_ADDRESS, start rank = index x DP_SIZE_LOCAL | implemented |
 * | 35  | no duplicate env names in a container                                                              | implemented |
 * | 36  | resource quantities non-null; RDMA resources in both requests and limits with equal values        | implemented |
 * | 37  | GPU vLLM containers mount /dev/shm from emptyDir medium Memory; any container with > 1 GPU mounts /dev/shm | implemented |
 * | 38  | EPP tokenProcessorConfig.blockSize = vLLM --block-size (default 16) on every served pod            | implemented (active config only) |
 * | 39  | KV-events topic kv@<podIP>:<port>@<model>, port in targetPorts, starts with topicFilter           | implemented |
 * | 40  | KV-events transport mode consistency (discoverPods true: bind + port; false: zmq Service + connect) | implemented |
 * | 41  | discoverPods false => EPP replicas = 1                                                            | implemented |
 * | 42  | token-producer vllm.url resolves to a served Service port; modelName = the render server's model (a local path downloaded from the serving pods' source), else the served model | implemented |
 * | 43  | images come from one era                                                                           | not implemented (pin lists are release data, not wiring) |
 * | 44  | model name agrees in all places                                                                    | partly, through 29, 39 and 42 |
 * | 45  | names unique per namespace                                                                         | not implemented (reference renders list alternatives under one name) |
 * | 101 | generic: no container passes the same flag twice (allowlist: repeatable flags)                    | implemented |
 * | 102 | generic: every non-EPP Service targetPort (number or name) is declared by each selected pod template | implemented |
 * | 103 | autoscaling: every HPA / ScaledObject / VariantAutoscaling scaleTargetRef names an object of the set (same namespace, apiVersion and kind; Deployment, StatefulSet or LeaderWorkerSet) | implemented |
 * | 104 | autoscaling: an autoscaled target has no spec.replicas; minReplicas <= maxReplicas; one autoscaler per target | implemented (a VariantAutoscaling sits beside the HPA / ScaledObject that applies it) |
 * | 105 | disruption budgets: every PodDisruptionBudget selects >= 1 pod template, and only templates of one workload (LWS pods carry leaderworkerset.sigs.k8s.io/name) | implemented |
 * | 106 | WVA: an HPA metric / KEDA query on wva_desired_replicas names (variant_name) a VariantAutoscaling of the set with the same scale target | implemented |
 * | 107 | monitoring: every PodMonitor / PodMonitoring selects >= 1 pod template; every ServiceMonitor selects >= 1 Service that selects >= 1 pod template | implemented |
 * | 108 | monitoring: every scraped port (name or number; a ServiceMonitor's Service port, through its targetPort) is declared by every selected pod template | implemented |
 * | 110 | network policies: every NetworkPolicy selects >= 1 pod template of its namespace (a policy selecting nothing guards nothing) | implemented |
 * | 111 | network policies: every named port of an ingress rule is declared by a selected pod template (an undeclared name admits nothing) | implemented |
 * | 112 | placement: every topologySpreadConstraint's labelSelector selects the pods of its own template (else it counts other pods and spreads nothing) | implemented |
 * | 113 | traffic split: a rule's backendRef weights are integers >= 0 with one > 0; the InferencePools of a weighted rule accept the same model names (served by their pods, or rewritten by an InferenceModelRewrite of the pool to a name they serve) | implemented (pools whose pods' model names cannot be read are skipped) |
 * | 114 | InferenceObjective / InferenceModelRewrite: poolRef names a pool of the set in the object's namespace with its group; rewrite targets are served by the pool's pods; the pool's EPP ServiceAccount can get/list/watch the kind in the object's API group | implemented |
 * | 115 | EPP flow control: a flowControl section with settings has the flowControl feature gate on; band priorities are unique; fairness / ordering / usage-limit / saturation refs name declared plugins or the EPP's auto-registered defaults | implemented |
 * | 116 | TLS: a model server serving HTTPS mounts its certificate from a Secret and is probed over HTTPS; the routing sidecar's `--enable-tls` stages, the EPP's metrics-data-source scheme, the Services' appProtocol and the BackendTLSPolicy of a routed pool match what the pods serve; the policy's hostname is a DNS name of the Certificate the pods serve with | implemented |
 * | 117 | SGLang: a served SGLang engine listens on all addresses (--host 0.0.0.0 or ::; its default 127.0.0.1 is unreachable), serves metrics (--enable-metrics) and its pods carry llm-d.ai/engine-type: sglang (else the EPP reads vLLM metric names); with precise prefix routing the EPP's kvEventsConfig.engineType is sglang (vllm, its default, for vLLM); P/D: prefill runs --disaggregation-mode prefill and declares its bootstrap port (--disaggregation-bootstrap-port, default 8998), which equals the routing sidecars' SGLANG_BOOTSTRAP_PORT (default 8998); decode runs --disaggregation-mode decode behind a sidecar with --kv-connector=sglang; both roles use one --disaggregation-transfer-backend; in a LeaderWorkerSet --nnodes = size, --node-rank $(LWS_WORKER_INDEX), --dist-init-addr $(LWS_LEADER_ADDRESS):<port> declared by the leader | implemented |
 * | 120 | DRA: every pod `resourceClaims[].resourceClaimTemplateName` names a ResourceClaimTemplate of the set (same namespace), and every container `resources.claims[].name` names a claim of its pod (the kubelet refuses either dangling reference and the pod never starts) | implemented |
 * | 121 | pools: no model-server pod template is selected by two InferencePools of different names (the v1 pool and its v1alpha2 mirror count as one): two EPPs would route to the same pods, each seeing part of their load | implemented |
 * | 109 | monitoring: a monitor scraping an EPP whose --metrics-endpoint-auth is on sends a bearer token from a Secret of the set whose ServiceAccount is bound to a ClusterRole allowing GET /metrics | implemented |
 *
 * Reading rules and defaults (documented assumptions):
 * - vLLM container: `vllm serve` in command/args (also inside a `bash -c` script, after the script's own `NAME=...`
 *   assignments, `$VAR` / `${VAR:-d}` / `$((...))` expansion and `\`-continuations), `vllm.entrypoints.openai.api_server`,
 *   or an image matching vllm / llm-d-cuda / llm-d-rocm / ... (without a command, args are the serve arguments).
 *   `vllm launch render` containers are render servers, not vLLM engines. Flags are read in `--k=v`, `--k v` and short
 *   (`-tp`, `-pp`, `-dpl`, ...) forms, `_` = `-`, last occurrence wins; kubelet `$(VAR)` references are expanded first
 *   (last env entry wins; `metadata.namespace` field refs resolve to the object's namespace).
 * - `bash -c <script> <$0> <args...>`: a `"$@"` in the script stands for the container args after `$0`.
 * - Ray (`--distributed-executor-backend ray`) in a LeaderWorkerSet of size N: each pod holds TP x PP / N GPUs (33).
 * - SGLang container: `sglang.launch_server` in command/args (`python3 -m sglang.launch_server ...`); its flags are read
 *   with SGLang's aliases (`--tp-size`, `--dp-size`, `--ep-size`, `--model`) folded into the long names. It is an engine
 *   for the port (5, 7, 8), GPU (33: TP x PP x DP / --nnodes), /dev/shm (37), duplicate-flag (101), block-size (38,
 *   --page-size, default 1) and KV-events (39-41) checks, and for 117. Defaults: --port 30000, bootstrap port 8998.
 * - Defaults: vLLM --port 8000, --block-size 16; routing sidecar --port 8000, --vllm-port 8001; EPP gRPC 9002,
 *   health 9003; v1alpha2 extensionRef.portNumber 9002; kvEventsConfig zmqEndpoint tcp://*:5557, socketPort 5557.
 * - Routing sidecar: image routing-sidecar / disagg-sidecar / pd-sidecar, or a container passing --vllm-port.
 * - GPUs: nvidia.com/gpu, amd.com/gpu, habana.ai/gaudi, google.com/tpu, gpu.intel.com/{i915,xe}, plus DRA claims
 *   (devices of a gpu/tpu device class in the referenced ResourceClaimTemplate).
 * - EPP config: `--config-file` / `-configFile` (relative paths resolve against workingDir or /) through the volume
 *   mounted on the EPP container (items and subPath honoured), or `--config-text`; without either, the built-in
 *   default (non-P/D). 21 - 23 check the active config and every other EndpointPickerConfig key of the same ConfigMap.
 */
import { parse as parseYaml } from 'yaml';

export interface WiringViolation {
  /** §8 invariant number (or 101 / 102 for the generic checks). */
  readonly invariant: number;
  /** `Kind/name` of the object the violation is reported on. */
  readonly object: string;
  readonly message: string;
}

export interface CheckWiringOptions {
  /** Namespace for objects without `metadata.namespace`. */
  readonly namespace?: string;
}

/** Generic check: the same flag appears twice in one container. */
export const DUPLICATE_FLAG_CHECK = 101;
/** Generic check: a (non-EPP) Service targetPort is not declared by the pods it selects. */
export const SERVICE_TARGET_PORT_CHECK = 102;
/** Autoscaling: a scale target that is not in the set. */
export const SCALE_TARGET_CHECK = 103;
/** Autoscaling: replicas on an autoscaled target, min > max, or two autoscalers on one target. */
export const AUTOSCALED_REPLICAS_CHECK = 104;
/** Disruption budgets: a PDB that selects no pods or pods of several workloads. */
export const PDB_SELECTOR_CHECK = 105;
/** WVA: the desired-replicas metric names no VariantAutoscaling of the same target. */
export const WVA_VARIANT_CHECK = 106;
/** Monitoring: a monitor selects no pod template (or a ServiceMonitor no Service with pods). */
export const MONITOR_SELECTS_CHECK = 107;
/** Monitoring: a scraped port is not declared by a selected pod template. */
export const MONITOR_PORT_CHECK = 108;
/** Monitoring: an EPP monitor lacks the bearer token the EPP's metrics auth requires. */
export const MONITOR_EPP_AUTH_CHECK = 109;
/** Network policies: a NetworkPolicy selects no pod template. */
export const NETWORK_POLICY_SELECTS_CHECK = 110;
/** Network policies: a named port of an ingress rule is declared by no selected pod template. */
export const NETWORK_POLICY_PORT_CHECK = 111;
/** Placement: a topology spread constraint that does not select its own template's pods. */
export const SPREAD_SELECTOR_CHECK = 112;

/**
 * TLS: a model server that serves HTTPS (`--ssl-certfile`) mounts its certificate, is probed over HTTPS, and every client
 * of it speaks TLS (the routing sidecar's `--enable-tls` stages, the EPP's metrics-data-source scheme, the Services'
 * appProtocol, a BackendTLSPolicy for routed pools whose hostname the mounted certificate names); and the reverse — no
 * client speaks TLS to a plain-HTTP server.
 */
export const TLS_CHECK = 116;
/** Traffic split: bad weights, or pools of one weighted rule accepting different model names. */
export const TRAFFIC_SPLIT_CHECK = 113;
/** InferenceObjective / InferenceModelRewrite: pool, targets and EPP RBAC. */
export const POOL_POLICY_CHECK = 114;
/** EPP flow control: gate, unique bands, policy refs. */
export const FLOW_CONTROL_CHECK = 115;

/** SGLang engines: listen address, metrics, engine label and the P/D bootstrap wiring. */
export const SGLANG_CHECK = 117;

/**
 * DRA: pod `resourceClaims` that name a ResourceClaimTemplate name one of the set, and container `resources.claims`
 * name a claim of their pod.
 */
export const DEVICE_CLAIM_CHECK = 120;

/** Pools are disjoint: a model-server template is selected by at most one pool name (the v1alpha2 mirror included). */
export const DISJOINT_POOLS_CHECK = 121;

/** Every invariant number `checkWiring` can report. */
export const IMPLEMENTED_INVARIANTS: readonly number[] = [
  1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
  25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42,
  DUPLICATE_FLAG_CHECK, SERVICE_TARGET_PORT_CHECK, MONITOR_SELECTS_CHECK, MONITOR_PORT_CHECK, MONITOR_EPP_AUTH_CHECK,
  NETWORK_POLICY_SELECTS_CHECK, NETWORK_POLICY_PORT_CHECK, SPREAD_SELECTOR_CHECK, TRAFFIC_SPLIT_CHECK, POOL_POLICY_CHECK, FLOW_CONTROL_CHECK,
  TLS_CHECK, SGLANG_CHECK, DEVICE_CLAIM_CHECK, DISJOINT_POOLS_CHECK,
];

/** Plugins the EPP registers itself when the config does not declare them (llm-d router v0.10.0 loader defaults). */
const FLOW_CONTROL_DEFAULT_REFS: Record<string, string> = {
  'fairness': 'global-strict-fairness-policy',
  'ordering': 'fcfs-ordering-policy',
  'usage-limit': 'static-usage-limit-policy',
  'saturation': 'utilization-detector',
};
/** Plugin types by flow-control role (llm-d router v0.10.0 `pkg/epp/framework/plugins/flowcontrol/...`). */
const FLOW_CONTROL_TYPES: Record<string, string[]> = {
  'fairness': ['global-strict-fairness-policy', 'round-robin-fairness-policy', 'program-aware-fairness'],
  'ordering': ['fcfs-ordering-policy', 'edf-ordering-policy', 'slo-deadline-ordering-policy'],
  'usage-limit': ['static-usage-limit-policy', 'priority-holdback-policy', 'soft-reflective-ceiling-policy'],
  'saturation': ['utilization-detector', 'concurrency-detector'],
};
const MODEL_NAME_HEADER = 'x-gateway-model-name';

/** Flags that may legitimately be given more than once (vLLM, sidecar). */
const REPEATABLE_FLAGS = new Set(['middleware', 'api-key', 'enable-tls', 'tls-insecure-skip-verify']);

const GPU_RESOURCES = ['nvidia.com/gpu', 'amd.com/gpu', 'habana.ai/gaudi', 'google.com/tpu', 'gpu.intel.com/i915', 'gpu.intel.com/xe'];
/** Known accelerators, or any other vendor-qualified extended resource that is not a network/RDMA/hugepage resource. */
function isAcceleratorResource(key: string): boolean {
  if (GPU_RESOURCES.includes(key)) return true;
  return key.includes('/') && !/^(rdma\/|hugepages-|kubernetes\.io\/)|networking|network|sriov|\/(ib|roce)/i.test(key);
}
/** Accelerator resource keys present in a container's requests or limits. */
function acceleratorKeys(res: any): string[] {
  const keys = new Set<string>([...Object.keys(isObj(res?.limits) ? res.limits : {}), ...Object.keys(isObj(res?.requests) ? res.requests : {})]);
  return [...keys].filter(isAcceleratorResource).sort();
}
const VLLM_IMAGE = /vllm|llm-d-(cuda|rocm|xpu|hpu|gaudi|tpu|cpu|aws)|\/llm-d:/i;
const SIM_IMAGE = /inference-sim/i;
/** SGLang's own default port (`ServerArgs.port`, v0.5.10.post1) and P/D bootstrap port (`disaggregation_bootstrap_port`). */
const DEFAULT_SGLANG_PORT = 30000;
const DEFAULT_SGLANG_BOOTSTRAP_PORT = 8998;
const DEFAULT_SGLANG_PAGE_SIZE = 1;
const SGLANG_ENGINE_LABEL = 'llm-d.ai/engine-type';
/** SGLang option aliases (v0.5.10.post1 server_args.py) mapped to the keys the checks read. */
const SGLANG_ALIASES: Record<string, string> = {
  'tp-size': 'tensor-parallel-size',
  'pp-size': 'pipeline-parallel-size',
  'dp-size': 'data-parallel-size',
  'ep-size': 'expert-parallel-size',
  'ep': 'expert-parallel-size',
  'model': 'model-path',
  'nccl-init-addr': 'dist-init-addr',
};
const SIDECAR_IMAGE = /routing-sidecar|disagg-sidecar|pd-sidecar/i;
const DEFAULT_VLLM_PORT = 8000;
const DEFAULT_SIDECAR_PORT = 8000;
const DEFAULT_SIDECAR_VLLM_PORT = 8001;
const DEFAULT_EPP_GRPC_PORT = 9002;
const DEFAULT_EPP_HEALTH_PORT = 9003;
const DEFAULT_VLLM_BLOCK_SIZE = 16;
const DEFAULT_ZMQ_ENDPOINT = 'tcp://*:5557';
const DEFAULT_SOCKET_PORT = 5557;
const NIXL_DEFAULT_PORT = 5600;
const ALLOWED_GRPC_SERVICES = new Set(['inference-extension', 'liveness', 'readiness', 'envoy.service.ext_proc.v3.ExternalProcessor']);
const CONFIG_API_VERSIONS = new Set(['llm-d.ai/v1alpha1', 'inference.networking.x-k8s.io/v1alpha1']);
const PD_HANDLERS = new Set(['disagg-profile-handler', 'pd-profile-handler']);
const HEADER_HANDLERS = new Set(['disagg-headers-handler', 'prefill-header-handler']);
const ROLES = new Set(['prefill', 'decode', 'both']);
const CLUSTER_SCOPED = new Set(['ClusterRole', 'ClusterRoleBinding', 'Namespace', 'CustomResourceDefinition', 'PriorityClass',
  'StorageClass', 'PersistentVolume', 'GatewayClass', 'DeviceClass', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration']);

/** vLLM short options (v0.23.0) that matter here. */
const VLLM_SHORT: Record<string, string> = {
  tp: 'tensor-parallel-size',
  pp: 'pipeline-parallel-size',
  dp: 'data-parallel-size',
  dpl: 'data-parallel-size-local',
  dpr: 'data-parallel-start-rank',
  dpn: 'data-parallel-rank',
  dpa: 'data-parallel-address',
  dpp: 'data-parallel-rpc-port',
  dpb: 'data-parallel-backend',
  dph: 'data-parallel-hybrid-lb',
  dpe: 'data-parallel-external-lb',
  dpm: 'data-parallel-multi-port-external-lb',
  ep: 'enable-expert-parallel',
  q: 'quantization',
  asc: 'api-server-count',
};

type Obj = Record<string, any>;
type Env = Map<string, string | undefined>;

// ---------------------------------------------------------------------------------------------------------------
// small helpers

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function arr(v: unknown): any[] {
  return Array.isArray(v) ? v : [];
}

function ref(o: Obj): string {
  return `${o?.kind ?? '?'}/${o?.metadata?.name ?? '?'}`;
}

function groupOf(apiVersion: unknown): string {
  const s = String(apiVersion ?? '');
  return s.includes('/') ? s.slice(0, s.lastIndexOf('/')) : '';
}

function toInt(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v)) return parseInt(v, 10);
  return undefined;
}

function isTrue(v: string | undefined): boolean {
  return v === undefined || v === '' || /^(true|1|yes)$/i.test(v);
}

function labelsOf(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isObj(v)) for (const [k, x] of Object.entries(v)) out[k] = String(x);
  return out;
}

function stripQuotes(s: string): string {
  const t = s.trim();
  if (t.length >= 2 && ((t[0] === '\'' && t.endsWith('\'')) || (t[0] === '"' && t.endsWith('"')))) return t.slice(1, -1);
  return t;
}

function parseJsonLoose(s: string | undefined): Obj | undefined {
  if (s === undefined) return undefined;
  try {
    const v = JSON.parse(stripQuotes(s));
    return isObj(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

function parseYamlObject(text: string): Obj | undefined {
  try {
    const v = parseYaml(text);
    return isObj(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// label selectors

interface Selector {
  matchLabels: Record<string, string>;
  matchExpressions: { key: string; operator: string; values: string[] }[];
}

function selectorFrom(v: unknown, flat = false): Selector {
  if (!isObj(v)) return { matchLabels: {}, matchExpressions: [] };
  if (flat) return { matchLabels: labelsOf(v), matchExpressions: [] };
  return {
    matchLabels: labelsOf(v.matchLabels),
    matchExpressions: arr(v.matchExpressions).filter(isObj).map((e) => ({
      key: String(e.key), operator: String(e.operator), values: arr(e.values).map(String),
    })),
  };
}

function selectorEmpty(s: Selector): boolean {
  return Object.keys(s.matchLabels).length === 0 && s.matchExpressions.length === 0;
}

/** An empty selector matches nothing here (Service / pool semantics). */
function selects(s: Selector, labels: Record<string, string>): boolean {
  if (selectorEmpty(s)) return false;
  for (const [k, v] of Object.entries(s.matchLabels)) if (labels[k] !== v) return false;
  for (const e of s.matchExpressions) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    switch (e.operator) {
      case 'In': if (!has || !e.values.includes(labels[e.key])) return false; break;
      case 'NotIn': if (has && e.values.includes(labels[e.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

function fmtSelector(s: Selector): string {
  return JSON.stringify(s.matchExpressions.length ? s : s.matchLabels);
}

// ---------------------------------------------------------------------------------------------------------------
// shell / kubelet expansion and flag parsing

/** Kubelet `$(VAR)` expansion; `$$` escapes. Unknown references stay verbatim. */
function kubeExpand(s: string, env: Env): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '$' && s[i + 1] === '$') { out += '$'; i++; continue; }
    if (s[i] === '$' && s[i + 1] === '(') {
      const m = /^\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/.exec(s.slice(i));
      if (m && env.get(m[1]) !== undefined) { out += env.get(m[1]); i += m[0].length - 1; continue; }
    }
    out += s[i];
  }
  return out;
}

/** Evaluates an integer arithmetic expression (+ - * / % and parentheses). */
function evalArith(expr: string): number | undefined {
  const toks = expr.match(/\d+|[-+*/%()]|\S/g) ?? [];
  let p = 0;
  const bad = (): never => { throw new Error('bad'); };
  const primary = (): number => {
    const t = toks[p++];
    if (t === undefined) return bad();
    if (t === '(') { const v = sum(); if (toks[p++] !== ')') bad(); return v; }
    if (t === '-') return -primary();
    if (t === '+') return primary();
    if (/^\d+$/.test(t)) return parseInt(t, 10);
    return bad();
  };
  const product = (): number => {
    let v = primary();
    while (toks[p] === '*' || toks[p] === '/' || toks[p] === '%') {
      const op = toks[p++];
      const r = primary();
      if (op === '*') v *= r; else if (r === 0) bad(); else if (op === '/') v = Math.trunc(v / r); else v %= r;
    }
    return v;
  };
  const sum = (): number => {
    let v = product();
    while (toks[p] === '+' || toks[p] === '-') { const op = toks[p++]; const r = product(); v = op === '+' ? v + r : v - r; }
    return v;
  };
  try {
    const v = sum();
    return p === toks.length ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Expands `$((...))`, `${X}`, `${X:-d}`, `${X-d}`, `$X` (bash) with `env`; unknown variables stay verbatim. */
function shellExpand(s: string, env: Env): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    if (s[i] !== '$') { out += s[i++]; continue; }
    if (s.startsWith('$((', i)) {
      let depth = 0;
      let j = i + 1;
      for (; j < s.length; j++) {
        if (s[j] === '(') {depth++;} else if (s[j] === ')') { depth--; if (depth === 0) break; }
      }
      const whole = s.slice(i, j + 1);
      const inner = shellExpand(s.slice(i + 3, j - 1), env)
        .replace(/[A-Za-z_][A-Za-z0-9_]*/g, (name) => env.get(name) ?? name);
      const v = evalArith(inner);
      out += v === undefined ? whole : String(v);
      i = j + 1;
      continue;
    }
    if (s[i + 1] === '{') {
      const j = s.indexOf('}', i);
      if (j < 0) { out += s[i++]; continue; }
      const body = s.slice(i + 2, j);
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)(.*))?$/.exec(body);
      if (m) {
        const v = env.get(m[1]);
        if (v !== undefined && !(m[2] === ':-' && v === '')) out += v;
        else if (m[2] !== undefined) out += shellExpand(m[3], env);
        else out += s.slice(i, j + 1);
      } else {
        out += s.slice(i, j + 1);
      }
      i = j + 1;
      continue;
    }
    const m = /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(s.slice(i));
    if (m) {
      const v = env.get(m[1]);
      out += v ?? m[0];
      i += m[0].length;
      continue;
    }
    out += s[i++];
  }
  return out;
}

interface Word { text: string; unquotedExpansion: boolean }

/**
 * Splits one shell command starting at `start` into words (quotes removed, `\`-newline joined), stopping at an unquoted
 * newline, `;`, `&&`, `||` or `|`, skipping `#` comments.
 */
function shellCommandWords(script: string, start: number, env: Env): string[] {
  const words: Word[] = [];
  let cur = '';
  let inWord = false;
  let onlyVar = true;
  let i = start;
  const push = () => {
    if (inWord) words.push({ text: cur, unquotedExpansion: onlyVar && /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/.test(cur) });
    cur = ''; inWord = false; onlyVar = true;
  };
  while (i < script.length) {
    const ch = script[i];
    if (ch === '\\' && script[i + 1] === '\n') { i += 2; continue; }
    if (ch === '\\') { cur += script[i + 1] ?? ''; inWord = true; onlyVar = false; i += 2; continue; }
    if (ch === '\'') {
      const j = script.indexOf('\'', i + 1);
      const end = j < 0 ? script.length : j;
      cur += script.slice(i + 1, end).replace(/\$/g, '\u0000');
      inWord = true; onlyVar = false; i = end + 1; continue;
    }
    if (ch === '"') {
      let j = i + 1;
      let body = '';
      while (j < script.length && script[j] !== '"') {
        if (script[j] === '\\' && j + 1 < script.length) { body += script[j + 1]; j += 2; continue; }
        body += script[j++];
      }
      cur += body;
      inWord = true; onlyVar = false; i = j + 1; continue;
    }
    if (ch === '$' && (script[i + 1] === '(' || script[i + 1] === '{')) {
      // `$((...))`, `$(...)` and `${...}` are one unit even when they contain blanks
      const open = script[i + 1];
      const close = open === '(' ? ')' : '}';
      let depth = 0;
      let j = i + 1;
      for (; j < script.length; j++) {
        if (script[j] === open) {depth++;} else if (script[j] === close) { depth--; if (depth === 0) break; }
      }
      cur += script.slice(i, j + 1);
      inWord = true; i = j + 1; continue;
    }
    if (ch === '#' && !inWord) {
      while (i < script.length && script[i] !== '\n') i++;
      continue;
    }
    if (ch === '\n' || ch === ';' || ch === '|' || (ch === '&' && script[i + 1] === '&')) { push(); break; }
    if (ch === ' ' || ch === '\t' || ch === '\r') { push(); i++; continue; }
    cur += ch; inWord = true; i++;
  }
  push();
  const out: string[] = [];
  for (const w of words) {
    const expanded = shellExpand(w.text, env).replace(/\u0000/g, '$');
    if (w.unquotedExpansion && expanded !== w.text) out.push(...expanded.split(/\s+/).filter((x) => x.length > 0));
    else out.push(expanded);
  }
  return out;
}

/** Collects `NAME=value` assignments of a script before `end` into `env` (in order). */
function scriptAssignments(script: string, end: number, env: Env): void {
  for (const line of script.slice(0, end).split('\n')) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m) continue;
    let rhs = m[2];
    if (rhs.startsWith('$(') && !rhs.startsWith('$((')) {
      // command substitution: its output is one opaque word at run time (kept readable, blanks shown as ␣)
      const words = shellCommandWords(rhs, 0, env);
      env.set(m[1], (words[0] ?? '').replace(/\s+/g, '␣'));
    } else if (rhs.startsWith('$((')) {
      const close = rhs.indexOf('))');
      rhs = close >= 0 ? rhs.slice(0, close + 2) : rhs;
      env.set(m[1], shellExpand(rhs, env));
    } else {
      const words = shellCommandWords(rhs, 0, env);
      env.set(m[1], words[0] ?? '');
    }
  }
}

interface Flag { key: string; raw: string; value?: string }

class Flags {
  readonly list: Flag[];
  readonly positional: string[];
  constructor(list: Flag[], positional: string[]) {
    this.list = list;
    this.positional = positional;
  }
  has(key: string): boolean {
    return this.list.some((f) => f.key === key);
  }
  /** Last value wins (argparse and Go flag semantics). */
  get(key: string): string | undefined {
    let v: string | undefined;
    let found = false;
    for (const f of this.list) if (f.key === key) { v = f.value; found = true; }
    return found ? (v ?? '') : undefined;
  }
  int(key: string): number | undefined {
    const v = this.get(key);
    return v === undefined ? undefined : toInt(v);
  }
  duplicates(): string[] {
    const seen = new Map<string, number>();
    for (const f of this.list) seen.set(f.key, (seen.get(f.key) ?? 0) + 1);
    const out: string[] = [];
    for (const [k, n] of seen) {
      if (REPEATABLE_FLAGS.has(k)) continue;
      if (n > 1) out.push(k);
      else if (k.startsWith('no-') && seen.has(k.slice(3))) out.push(k.slice(3));
    }
    return [...new Set(out)];
  }
}

/** Parses `--k=v`, `--k v`, `-k v` and boolean flags. `normalize` maps a raw flag name to its key. */
function parseFlags(tokens: string[], normalize: (name: string, dashes: number) => string): Flags {
  const list: Flag[] = [];
  const positional: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const m = /^(-{1,2})([A-Za-z][\w.-]*)(?:=([\s\S]*))?$/.exec(t);
    if (!m) { if (t !== '') positional.push(t); continue; }
    const key = normalize(m[2], m[1].length);
    if (m[3] !== undefined) { list.push({ key, raw: t, value: m[3] }); continue; }
    const next = tokens[i + 1];
    if (next !== undefined && !/^-{1,2}[A-Za-z]/.test(next)) {
      list.push({ key, raw: t, value: next });
      i++;
    } else {
      list.push({ key, raw: t });
    }
  }
  return new Flags(list, positional);
}

function vllmKey(name: string, dashes: number): string {
  if (dashes === 1 && VLLM_SHORT[name]) return VLLM_SHORT[name];
  const dot = name.indexOf('.');
  const base = dot >= 0 ? name.slice(0, dot) : name;
  return base.replace(/_/g, '-') + (dot >= 0 ? name.slice(dot) : '');
}

function sglangKey(name: string): string {
  const key = name.replace(/_/g, '-');
  return SGLANG_ALIASES[key] ?? key;
}

function goKey(name: string): string {
  return name;
}

/** EPP flags: `--pool-name` and `--poolName` share the key `poolname`. */
function eppKey(name: string): string {
  return name.replace(/[-_]/g, '').toLowerCase();
}

// ---------------------------------------------------------------------------------------------------------------
// model

interface EnvEntry { name: string; value?: string; fieldPath?: string; hasValueFrom: boolean }

interface Container {
  readonly c: Obj;
  readonly name: string;
  readonly image: string;
  readonly init: boolean;
  readonly nativeSidecar: boolean;
  readonly envList: EnvEntry[];
  /** Literal env values after kubelet expansion (last entry wins); field refs to metadata.namespace resolved. */
  readonly env: Env;
  /** command + args after kubelet expansion. */
  readonly argv: string[];
  readonly ports: { port: number; name?: string }[];
  readonly vllm?: VllmInfo;
  /** Flags after `sglang.launch_server` (SGLang engines; aliases resolved). */
  readonly sglang?: Flags;
  readonly isSim: boolean;
  readonly isRender: boolean;
  readonly isSidecar: boolean;
}

interface VllmInfo {
  /** Arguments after `vllm serve` (or the image entrypoint), undefined when the command line could not be read. */
  readonly flags?: Flags;
  /** The script text when vLLM runs inside `bash -c`. */
  readonly script?: string;
  readonly scriptStart?: number;
  /** Arguments bash passes to the script as `$@` (`bash -c <script> <$0> <args...>`). */
  readonly scriptArgs?: string[];
}

interface Template {
  readonly owner: Obj;
  readonly ownerRef: string;
  readonly ownerKind: string;
  readonly ns: string;
  readonly slot: string;
  readonly labels: Record<string, string>;
  readonly spec: Obj;
  readonly containers: Container[];
  readonly lwsSize?: number;
  readonly isEpp: boolean;
}

interface EppRef { name?: string; kind?: string; group?: string; port?: number; failureMode?: string }

interface Pool {
  readonly obj: Obj;
  readonly ref: string;
  readonly name: string;
  readonly ns: string;
  readonly group: string;
  readonly v1alpha2: boolean;
  readonly selector: Selector;
  readonly targetPorts: number[];
  readonly epp?: EppRef;
  served: Template[];
}

interface EppConfig {
  readonly source: string;
  readonly text?: string;
  readonly doc?: Obj;
  readonly error?: string;
  readonly cm?: Obj;
}

class Checker {
  readonly out: WiringViolation[] = [];
  readonly objs: Obj[];
  readonly defaultNs: string;
  readonly templates: Template[] = [];
  readonly pools: Pool[] = [];

  constructor(objs: Obj[], opts: CheckWiringOptions) {
    this.objs = objs;
    this.defaultNs = opts.namespace ?? inferNamespace(objs);
    for (const o of objs) this.templates.push(...this.templatesOf(o));
    for (const o of objs) if (o.kind === 'InferencePool') this.pools.push(this.poolOf(o));
    for (const p of this.pools) p.served = this.templates.filter((t) => t.ns === p.ns && selects(p.selector, t.labels));
  }

  report(invariant: number, object: string, message: string): void {
    const dup = this.out.some((v) => v.invariant === invariant && v.object === object && v.message === message);
    if (!dup) this.out.push({ invariant, object, message });
  }

  ns(o: Obj): string {
    return o?.metadata?.namespace ?? this.defaultNs;
  }

  find(kind: string, name: string | undefined, ns: string): Obj | undefined {
    if (name === undefined) return undefined;
    return this.objs.find((o) => o.kind === kind && o.metadata?.name === name && (CLUSTER_SCOPED.has(kind) || this.ns(o) === ns));
  }

  byKind(kind: string): Obj[] {
    return this.objs.filter((o) => o.kind === kind);
  }

  // --- construction ------------------------------------------------------------------------------------------

  templatesOf(o: Obj): Template[] {
    const kind = o.kind;
    const ns = this.ns(o);
    const mk = (slot: string, t: Obj | undefined, lwsSize?: number): Template[] => {
      if (!isObj(t) || !isObj(t.spec)) return [];
      const spec = t.spec;
      // LWS injects these; index 0 is the leader, which is enough for the per-container checks.
      const extra: Env = lwsSize === undefined ? new Map() : new Map([['LWS_GROUP_SIZE', String(lwsSize)], ['LWS_WORKER_INDEX', '0']]);
      const containers = [
        ...arr(spec.initContainers).filter(isObj).map((c) => this.containerOf(c, true, ns, extra)),
        ...arr(spec.containers).filter(isObj).map((c) => this.containerOf(c, false, ns, extra)),
      ];
      const isEpp = containers.some((c) => !c.init && c.name === 'epp')
        || (kind === 'Deployment' && String(o.metadata?.name ?? '').endsWith('-router-scheduler'))
        || containers.some((c) => !c.init && eppFlags(c).has('poolname'));
      const ownerRef = ref(o);
      return [{
        owner: o, ownerRef, ownerKind: kind, ns, slot, labels: labelsOf(t.metadata?.labels), spec, containers, lwsSize, isEpp,
      }];
    };
    switch (kind) {
      case 'Deployment': case 'StatefulSet': case 'ReplicaSet': case 'DaemonSet': case 'Job':
        return mk('template', o.spec?.template);
      case 'CronJob':
        return mk('template', o.spec?.jobTemplate?.spec?.template);
      case 'Pod':
        return mk('pod', o);
      case 'LeaderWorkerSet': {
        const lwt = o.spec?.leaderWorkerTemplate ?? {};
        const size = toInt(lwt.size) ?? 1;
        return [...mk('leaderTemplate', lwt.leaderTemplate, size), ...mk('workerTemplate', lwt.workerTemplate, size)];
      }
      default:
        return [];
    }
  }

  containerOf(c: Obj, init: boolean, ns: string, extra: Env): Container {
    const envList: EnvEntry[] = arr(c.env).filter(isObj).map((e) => ({
      name: String(e.name),
      value: e.value === undefined || e.value === null ? undefined : String(e.value),
      fieldPath: e.valueFrom?.fieldRef?.fieldPath,
      hasValueFrom: isObj(e.valueFrom),
    }));
    const env: Env = new Map();
    for (const e of envList) {
      if (e.value !== undefined) env.set(e.name, kubeExpand(e.value, env));
      else if (e.fieldPath === 'metadata.namespace') env.set(e.name, ns);
      else if (e.hasValueFrom || e.value === undefined) env.set(e.name, e.hasValueFrom ? undefined : '');
    }
    const argv = [...arr(c.command), ...arr(c.args)].map((x) => kubeExpand(String(x ?? ''), env));
    const image = String(c.image ?? '');
    const ports = arr(c.ports).filter(isObj).map((p) => ({
      port: toInt(p.containerPort) ?? -1,
      name: p.name === undefined ? undefined : String(p.name),
    }));
    const joined = argv.join(' ');
    const isRender = /\bvllm\s+launch\s+render\b/.test(joined) || /\blaunch\s+render\b/.test(joined);
    const isSidecar = SIDECAR_IMAGE.test(image) || argv.some((a) => /^--?(vllm|model-server)-port(=|$)/.test(a));
    const isSim = SIM_IMAGE.test(image);
    let vllm: VllmInfo | undefined;
    const sglangAt = argv.findIndex((a) => a === 'sglang.launch_server');
    const sglang = sglangAt >= 0 && !isSidecar ? parseFlags(argv.slice(sglangAt + 1), sglangKey) : undefined;
    if (!isRender && !isSidecar && !isSim && !sglang) vllm = vllmInfo(c, argv, image);
    if (vllm?.script !== undefined && vllm.scriptStart !== undefined) {
      vllm = { ...vllm, flags: scriptFlags(vllm.script, vllm.scriptStart, new Map([...env, ...extra]), vllm.scriptArgs) };
    }
    return {
      c,
      name: String(c.name ?? ''),
      image,
      init,
      nativeSidecar: init && c.restartPolicy === 'Always',
      envList,
      env,
      argv,
      ports,
      vllm,
      sglang,
      isSim,
      isRender,
      isSidecar,
    };
  }

  poolOf(o: Obj): Pool {
    const v1alpha2 = groupOf(o.apiVersion) === 'inference.networking.x-k8s.io' || o.spec?.targetPortNumber !== undefined;
    const spec = o.spec ?? {};
    const selector = v1alpha2 ? selectorFrom(spec.selector, !isObj(spec.selector?.matchLabels)) : selectorFrom(spec.selector);
    const targetPorts = v1alpha2
      ? [toInt(spec.targetPortNumber)].filter((x): x is number => x !== undefined)
      : arr(spec.targetPorts).map((t) => toInt(t?.number)).filter((x): x is number => x !== undefined);
    let epp: EppRef | undefined;
    if (isObj(spec.endpointPickerRef)) {
      const r = spec.endpointPickerRef;
      epp = { name: r.name, kind: r.kind, group: r.group, port: toInt(r.port?.number), failureMode: r.failureMode };
    } else if (isObj(spec.extensionRef)) {
      const r = spec.extensionRef;
      epp = { name: r.name, kind: r.kind, group: r.group, port: toInt(r.portNumber) ?? DEFAULT_EPP_GRPC_PORT, failureMode: r.failureMode };
    }
    return {
      obj: o,
      ref: ref(o),
      name: String(o.metadata?.name ?? ''),
      ns: this.ns(o),
      group: groupOf(o.apiVersion) || 'inference.networking.k8s.io',
      v1alpha2,
      selector,
      targetPorts,
      epp,
      served: [],
    };
  }

  // --- shared lookups -------------------------------------------------------------------------------------------

  eppContainer(t: Template): Container | undefined {
    const main = t.containers.filter((c) => !c.init);
    return main.find((c) => c.name === 'epp') ?? main.find((c) => eppFlags(c).has('poolname'))
      ?? (t.isEpp ? main.find((c) => c.name === 'main') ?? main[0] : undefined);
  }

  modelServers(t: Template): boolean {
    return !t.isEpp && t.containers.some((c) => c.vllm !== undefined || c.sglang !== undefined || c.isSim || c.isSidecar);
  }

  eppServiceOf(p: Pool): Obj | undefined {
    if (!p.epp?.name) return undefined;
    return this.find('Service', p.epp.name, p.ns);
  }

  serviceSelector(svc: Obj): Selector {
    return selectorFrom(svc.spec?.selector, true);
  }

  selectedBy(svc: Obj): Template[] {
    const sel = this.serviceSelector(svc);
    const ns = this.ns(svc);
    return this.templates.filter((t) => t.ns === ns && selects(sel, t.labels));
  }

  /** EPP templates of a pool: selected by its EPP Service, or naming the pool with --pool-name. */
  eppsOf(p: Pool): Template[] {
    const out = new Set<Template>();
    const svc = this.eppServiceOf(p);
    if (svc) for (const t of this.selectedBy(svc)) if (t.isEpp) out.add(t);
    for (const t of this.templates) {
      if (!t.isEpp) continue;
      const c = this.eppContainer(t);
      if (!c) continue;
      const f = eppFlags(c);
      const poolNs = f.get('poolnamespace') ?? c.env.get('NAMESPACE') ?? t.ns;
      if (f.get('poolname') === p.name && poolNs === p.ns) out.add(t);
    }
    return [...out];
  }

  templatePorts(t: Template): { port: number; name?: string; container: string }[] {
    const out: { port: number; name?: string; container: string }[] = [];
    for (const c of t.containers) if (!c.init || c.nativeSidecar) for (const p of c.ports) out.push({ ...p, container: c.name });
    return out;
  }

  /** Resolves a Service targetPort against a template; returns the port number or undefined. */
  resolveTargetPort(t: Template, target: unknown): number | undefined {
    const ports = this.templatePorts(t);
    const n = toInt(target);
    if (n !== undefined) return ports.some((p) => p.port === n) ? n : undefined;
    return ports.find((p) => p.name === String(target))?.port;
  }

  eppConfig(t: Template, c: Container): EppConfig {
    const f = eppFlags(c);
    const text = f.get('configtext');
    if (text !== undefined) {
      const doc = parseYamlObject(text);
      return doc ? { source: '--config-text', text, doc } : { source: '--config-text', text, error: '--config-text does not parse as a YAML object' };
    }
    const file = f.get('configfile');
    if (file === undefined) return { source: 'built-in default' };
    const wd = String(c.c.workingDir ?? '/');
    const path = file.startsWith('/') ? file : `${wd.replace(/\/$/, '')}/${file}`;
    const mounts = arr(c.c.volumeMounts).filter(isObj)
      .filter((m) => path === m.mountPath || path.startsWith(String(m.mountPath).replace(/\/$/, '') + '/'))
      .sort((a, b) => String(b.mountPath).length - String(a.mountPath).length);
    const m = mounts[0];
    if (!m) return { source: file, error: `--config-file ${file}: no volume of the ${c.name} container is mounted there` };
    const vol = arr(t.spec.volumes).find((v) => v?.name === m.name);
    const rel = m.subPath ? String(m.subPath) : path.slice(String(m.mountPath).replace(/\/$/, '').length + 1);
    let cmName: string | undefined;
    let items: any[] = [];
    if (isObj(vol?.configMap)) { cmName = vol.configMap.name; items = arr(vol.configMap.items); }
    const projected = arr(vol?.projected?.sources).find((s) => isObj(s?.configMap));
    if (!cmName && projected) { cmName = projected.configMap.name; items = arr(projected.configMap.items); }
    if (!cmName) return { source: file, error: `--config-file ${file}: volume ${m.name} is not a ConfigMap volume` };
    let key = rel;
    if (items.length > 0 && !m.subPath) {
      const item = items.find((it) => it?.path === rel);
      if (!item) return { source: file, error: `--config-file ${file}: ConfigMap volume ${m.name} projects no item at path ${rel}` };
      key = String(item.key);
    }
    const cm = this.find('ConfigMap', cmName, t.ns);
    if (!cm) return { source: file, error: `--config-file ${file}: ConfigMap ${cmName} is not in the set` };
    const data = cm.data ?? {};
    if (!Object.prototype.hasOwnProperty.call(data, key)) {
      return { source: `ConfigMap/${cmName}[${key}]`, cm, error: `--config-file ${file}: ConfigMap ${cmName} has no key ${key} (keys: ${Object.keys(data).join(', ')})` };
    }
    const doc = parseYamlObject(String(data[key]));
    if (!doc) return { source: `ConfigMap/${cmName}[${key}]`, cm, text: String(data[key]), error: `ConfigMap ${cmName} key ${key} does not parse as a YAML object` };
    return { source: `ConfigMap/${cmName}[${key}]`, cm, text: String(data[key]), doc };
  }

  /** Active EPP configs (resolved) of the EPPs of a pool. */
  poolConfigs(p: Pool): { t: Template; c: Container; cfg: EppConfig }[] {
    const out: { t: Template; c: Container; cfg: EppConfig }[] = [];
    for (const t of this.eppsOf(p)) {
      const c = this.eppContainer(t);
      if (c) out.push({ t, c, cfg: this.eppConfig(t, c) });
    }
    return out;
  }

  // --- RBAC -------------------------------------------------------------------------------------------------------

  rulesFor(saNs: string, sa: string, bindingNs: string): Obj[] {
    const rules: Obj[] = [];
    const subjectMatches = (s: Obj, defaultNs: string | undefined) =>
      s?.kind === 'ServiceAccount' && s.name === sa && (s.namespace ?? defaultNs) === saNs;
    for (const rb of this.byKind('RoleBinding')) {
      if (this.ns(rb) !== bindingNs) continue;
      if (!arr(rb.subjects).some((s) => subjectMatches(s, this.ns(rb)))) continue;
      const roleKind = rb.roleRef?.kind;
      const role = roleKind === 'ClusterRole' ? this.find('ClusterRole', rb.roleRef?.name, '') : this.find('Role', rb.roleRef?.name, bindingNs);
      if (role) rules.push(...arr(role.rules).filter(isObj));
    }
    for (const crb of this.byKind('ClusterRoleBinding')) {
      if (!arr(crb.subjects).some((s) => subjectMatches(s, undefined))) continue;
      const role = this.find('ClusterRole', crb.roleRef?.name, '');
      if (role) rules.push(...arr(role.rules).filter(isObj));
    }
    return rules;
  }

  // --- checks -----------------------------------------------------------------------------------------------------

  run(): WiringViolation[] {
    this.checkPools();
    this.checkControllers();
    this.checkEppServices();
    this.checkSidecars();
    this.checkEpps();
    this.checkRoutes();
    this.checkContainers();
    this.checkLws();
    this.checkSglang();
    this.checkGenericServices();
    this.checkMonitors();
    this.checkAutoscalers();
    this.checkDisruptionBudgets();
    this.checkNetworkPolicies();
    this.checkSpread();
    this.checkTrafficSplits();
    this.checkPoolPolicies();
    this.checkTls();
    this.checkDeviceClaims();
    this.checkDisjointPools();
    return this.out;
  }

  checkPools(): void {
    for (const p of this.pools) {
      const served = p.served;
      // 1
      if (selectorEmpty(p.selector)) this.report(1, p.ref, 'pool selector is empty');
      const servers = served.filter((t) => !t.isEpp && !isRenderTemplate(t) && !isGatewayTemplate(t) && !isTokenizerOnly(t));
      if (!selectorEmpty(p.selector) && servers.length === 0) {
        this.report(1, p.ref, `pool selector ${fmtSelector(p.selector)} matches no model-server pod template in namespace ${p.ns}`);
      }
      for (const t of served) {
        if (t.isEpp) this.report(1, p.ref, `pool selector selects the EPP pod template of ${t.ownerRef}`);
        else if (isRenderTemplate(t)) this.report(1, p.ref, `pool selector selects the render pod template of ${t.ownerRef}`);
        else if (isGatewayTemplate(t)) this.report(1, p.ref, `pool selector selects the gateway pod template of ${t.ownerRef}`);
        else if (isTokenizerOnly(t)) this.report(1, p.ref, `pool selector selects the tokenizer pod template of ${t.ownerRef}`);
      }
      // 2
      const roles = new Set<string>();
      for (const t of servers) {
        const role = t.labels['llm-d.ai/role'];
        if (role === undefined || !ROLES.has(role)) {
          this.report(2, t.ownerRef, `served pod template (${t.slot}) has llm-d.ai/role=${role ?? '<none>'}, expected prefill, decode or both`);
        } else {
          roles.add(role);
        }
      }
      if (roles.has('prefill')) {
        for (const { t, cfg } of this.poolConfigs(p)) {
          if (cfg.error) continue;
          const types = new Set(pluginsOf(cfg.doc).map((x) => x.type));
          const missing = ['prefill-filter', 'decode-filter'].filter((x) => !types.has(x));
          if (![...PD_HANDLERS].some((h) => types.has(h))) missing.push('disagg-profile-handler|pd-profile-handler');
          if (missing.length > 0) {
            this.report(2, t.ownerRef, `pool ${p.name} serves role=prefill pods but the EPP config (${cfg.source}) lacks ${missing.join(', ')}`);
          }
        }
      }
      // 6
      const tp = p.targetPorts;
      if (tp.length < 1 || tp.length > 8) this.report(6, p.ref, `pool has ${tp.length} targetPorts; 1..8 required`);
      if (new Set(tp).size !== tp.length) this.report(6, p.ref, `pool targetPorts are not unique: ${tp.join(', ')}`);
      // 5, 7, 8
      for (const t of servers) this.checkServedPorts(p, t);
      // 12 (HealthCheckPolicy)
      for (const hc of this.byKind('HealthCheckPolicy')) {
        const tr = hc.spec?.targetRef;
        if (tr?.kind !== 'InferencePool' || tr?.name !== p.name || this.ns(hc) !== p.ns) continue;
        const port = toInt(hc.spec?.default?.config?.httpHealthCheck?.port ?? hc.spec?.default?.config?.httpsHealthCheck?.port
          ?? hc.spec?.default?.config?.grpcHealthCheck?.port);
        if (port !== undefined && !tp.includes(port)) this.report(12, ref(hc), `health-check port ${port} is not a targetPort of pool ${p.name} (${tp.join(', ')})`);
      }
      // 14
      if (!p.epp) {
        this.report(14, p.ref, 'pool has no endpointPickerRef / extensionRef');
      } else {
        if (p.epp.kind !== undefined && p.epp.kind !== 'Service') this.report(14, p.ref, `EPP reference kind is ${p.epp.kind}, expected Service`);
        if (p.epp.group !== undefined && p.epp.group !== '') this.report(14, p.ref, `EPP reference group is ${p.epp.group}, expected ""`);
        const svc = this.eppServiceOf(p);
        if (!svc) this.report(14, p.ref, `EPP Service ${p.epp.name} is not in namespace ${p.ns}`);
        // 9
        if (svc) {
          const want = p.epp.port ?? DEFAULT_EPP_GRPC_PORT;
          const sp = arr(svc.spec?.ports).find((x) => toInt(x?.port) === want);
          if (!sp) {
            this.report(9, ref(svc), `EPP Service has no port ${want} (endpointPickerRef port of pool ${p.name})`);
          } else {
            const target = sp.targetPort ?? sp.port;
            const epps = this.selectedBy(svc).filter((t) => t.isEpp);
            for (const t of epps) {
              const c = this.eppContainer(t);
              const n = toInt(target);
              const ok = c !== undefined && (n !== undefined ? c.ports.some((x) => x.port === n) : c.ports.some((x) => x.name === String(target)));
              if (!ok) this.report(9, ref(svc), `port ${want} targets ${target}, which the EPP container of ${t.ownerRef} does not declare`);
            }
          }
        }
        // 17
        const fm = p.epp.failureMode;
        if (fm !== undefined && fm !== 'FailOpen' && fm !== 'FailClose') this.report(17, p.ref, `failureMode ${fm} is not FailOpen or FailClose`);
      }
      this.checkPoolPd(p, servers);
      this.checkKvEvents(p, servers);
    }
  }

  checkServedPorts(p: Pool, t: Template): void {
    const ports = this.templatePorts(t);
    for (const n of p.targetPorts) {
      if (!ports.some((x) => x.port === n)) {
        this.report(5, t.ownerRef, `served pod template (${t.slot}) declares no containerPort ${n} (targetPort of pool ${p.name})`);
      }
    }
    const sidecar = t.containers.find((c) => c.isSidecar);
    const engine = engineContainer(t);
    if (sidecar) {
      const f = parseFlags(sidecar.argv, goKey);
      const sport = f.int('port') ?? DEFAULT_SIDECAR_PORT;
      if (!p.targetPorts.includes(sport)) {
        this.report(7, t.ownerRef, `routing sidecar --port ${sport} is not a targetPort of pool ${p.name} (${p.targetPorts.join(', ')})`);
      }
    } else if (engine) {
      const port = enginePort(engine);
      if (port !== undefined && !p.targetPorts.includes(port)) {
        this.report(8, t.ownerRef, `${engine.name} listens on ${port}, which is not a targetPort of pool ${p.name} (${p.targetPorts.join(', ')})`);
      }
    }
    // 6: multi-port external LB
    const v = t.containers.find((c) => c.vllm?.flags?.has('data-parallel-multi-port-external-lb'));
    if (v) {
      const dpl = dpLocal(v);
      const tp = [...p.targetPorts].sort((a, b) => a - b);
      if (dpl !== undefined && tp.length !== dpl) {
        this.report(6, p.ref, `${t.ownerRef} runs multi-port external LB with DP_SIZE_LOCAL ${dpl} but the pool has ${tp.length} targetPorts`);
      }
      if (tp.some((x, i) => x !== tp[0] + i)) this.report(6, p.ref, `targetPorts ${tp.join(', ')} are not contiguous`);
      if (sidecar) {
        const sdp = parseFlags(sidecar.argv, goKey).int('data-parallel-size') ?? 1;
        if (sdp !== tp.length) this.report(6, t.ownerRef, `routing sidecar --data-parallel-size ${sdp} differs from the ${tp.length} pool targetPorts`);
      }
    }
  }

  checkPoolPd(p: Pool, servers: Template[]): void {
    const prefill = servers.filter((t) => t.labels['llm-d.ai/role'] === 'prefill');
    const decode = servers.filter((t) => t.labels['llm-d.ai/role'] === 'decode' || t.labels['llm-d.ai/role'] === 'both');
    if (prefill.length === 0 || decode.length === 0) return;
    const info = (t: Template) => {
      const c = t.containers.find((x) => x.vllm?.flags);
      if (!c || !c.vllm?.flags) return undefined;
      const f = c.vllm.flags;
      const kv = transferConnectorOf(parseJsonLoose(f.get('kv-transfer-config') ?? kvFromAdditionalArgs(c)));
      return {
        t,
        c,
        connector: kv?.kv_connector as string | undefined,
        role: kv?.kv_role as string | undefined,
        block: f.int('block-size'),
        model: servedModel(c),
      };
    };
    const ps = prefill.map(info).filter((x) => x !== undefined);
    const ds = decode.map(info).filter((x) => x !== undefined);
    for (const a of ps) {
      for (const b of ds) {
        if (a.connector !== b.connector) this.report(29, p.ref, `kv_connector differs: ${a.t.ownerRef} ${a.connector ?? '<none>'} vs ${b.t.ownerRef} ${b.connector ?? '<none>'}`);
        const rolesOk = (a.role === 'kv_both' && b.role === 'kv_both') || (a.role === 'kv_producer' && b.role === 'kv_consumer');
        if (a.connector && b.connector && !rolesOk) this.report(29, p.ref, `kv_role pair prefill ${a.role} / decode ${b.role} is not kv_both/kv_both or kv_producer/kv_consumer`);
        if ((a.block ?? DEFAULT_VLLM_BLOCK_SIZE) !== (b.block ?? DEFAULT_VLLM_BLOCK_SIZE)) {
          this.report(29, p.ref, `--block-size differs: ${a.t.ownerRef} ${a.block ?? 'default'} vs ${b.t.ownerRef} ${b.block ?? 'default'}`);
        }
        if (a.model !== undefined && b.model !== undefined && a.model !== b.model) this.report(29, p.ref, `served model differs: ${a.model} vs ${b.model}`);
      }
    }
    for (const b of ds) {
      if (b.connector !== 'NixlConnector') continue;
      const sc = b.t.containers.find((c) => c.isSidecar);
      if (!sc) continue;
      const f = parseFlags(sc.argv, goKey);
      const conn = f.get('kv-connector') ?? f.get('connector');
      if (conn !== undefined && conn !== 'nixlv2') this.report(29, b.t.ownerRef, `routing sidecar connector ${conn} with NixlConnector, expected nixlv2`);
    }
  }

  checkKvEvents(p: Pool, servers: Template[]): void {
    for (const { t: eppT, c: eppC, cfg } of this.poolConfigs(p)) {
      if (!cfg.doc) continue;
      let blockSize: number | undefined;
      let kvc: Obj | undefined;
      let tokenProducer: Obj | undefined;
      for (const pl of pluginsOf(cfg.doc)) {
        const params = pl.parameters;
        const tpc = findKey(params, 'tokenProcessorConfig');
        if (isObj(tpc) && toInt(tpc.blockSize) !== undefined) blockSize = toInt(tpc.blockSize);
        const k = findKey(params, 'kvEventsConfig');
        if (isObj(k)) kvc = k;
        if (pl.type === 'token-producer') tokenProducer = params;
      }
      const vllms = servers.flatMap((t) => t.containers.filter((c) => c.vllm?.flags || c.sglang).map((c) => ({ t, c })));
      // 38 (SGLang: --page-size)
      if (blockSize !== undefined) {
        for (const { t, c } of vllms) {
          const b = c.sglang ? c.sglang.int('page-size') ?? DEFAULT_SGLANG_PAGE_SIZE : c.vllm!.flags!.int('block-size') ?? DEFAULT_VLLM_BLOCK_SIZE;
          const flag = c.sglang ? 'SGLang --page-size' : 'vLLM --block-size';
          if (b !== blockSize) this.report(38, t.ownerRef, `${flag} ${b} differs from the EPP tokenProcessorConfig.blockSize ${blockSize} (${cfg.source})`);
        }
      }
      if (kvc) {
        // 117: the EPP decodes SGLang's KV events only with kvEventsConfig.engineType sglang (and vLLM's without it)
        const engineType = kvc.engineType === undefined ? 'vllm' : String(kvc.engineType);
        for (const { t, c } of vllms) {
          const want = c.sglang ? 'sglang' : 'vllm';
          if (engineType !== want) this.report(SGLANG_CHECK, t.ownerRef, `${c.name} publishes ${want} KV events, but the EPP (${cfg.source}) decodes kvEventsConfig.engineType ${engineType}`);
        }
        const discover = kvc.discoverPods === true || kvc.discoverPods === 'true';
        const socketPort = toInt(kvc.podDiscoveryConfig?.socketPort) ?? DEFAULT_SOCKET_PORT;
        const zmq = String(kvc.zmqEndpoint ?? DEFAULT_ZMQ_ENDPOINT);
        const filter = kvc.topicFilter === undefined ? undefined : String(kvc.topicFilter);
        const svc = this.eppServiceOf(p);
        for (const { t, c } of vllms) {
          const ev = kvEventsConfig(c);
          if (!ev) {
            this.report(40, t.ownerRef, `the EPP (${cfg.source}) consumes KV events but ${c.name} has no --kv-events-config`);
            continue;
          }
          // 39
          const topic = ev.topic === undefined ? undefined : String(ev.topic);
          const m = topic === undefined ? null : /^kv@(.+):([^:@]+)@(.+)$/.exec(topic);
          if (!m) {
            this.report(39, t.ownerRef, `KV-events topic ${topic ?? '<none>'} is not kv@<podIP>:<port>@<model>`);
          } else {
            if (!podIpRef(m[1], c)) this.report(39, t.ownerRef, `KV-events topic host ${m[1]} is not the pod IP from the downward API`);
            const port = toInt(kubeExpand(m[2], c.env)) ?? toInt(m[2]);
            if (port === undefined || !p.targetPorts.includes(port)) this.report(39, t.ownerRef, `KV-events topic port ${m[2]} is not a targetPort of pool ${p.name}`);
            const model = servedModel(c);
            if (model !== undefined && m[3] !== model) this.report(39, t.ownerRef, `KV-events topic model ${m[3]} differs from the served model ${model}`);
            if (filter !== undefined && !topic!.startsWith(filter)) this.report(39, t.ownerRef, `KV-events topic does not start with topicFilter ${filter}`);
          }
          // 40
          const endpoint = ev.endpoint === undefined ? undefined : String(ev.endpoint);
          if (discover) {
            if (endpoint !== `tcp://*:${socketPort}`) this.report(40, t.ownerRef, `discoverPods is true but the vLLM KV-events endpoint is ${endpoint ?? '<none>'}, expected tcp://*:${socketPort}`);
            if (!this.templatePorts(t).some((x) => x.port === socketPort)) this.report(40, t.ownerRef, `discoverPods is true but the pod declares no containerPort ${socketPort}`);
          } else {
            const zm = /^tcp:\/\/\*:(\d+)$/.exec(zmq);
            const zp = zm ? parseInt(zm[1], 10) : undefined;
            if (zp === undefined) { this.report(40, eppT.ownerRef, `zmqEndpoint ${zmq} is not tcp://*:<port>`); continue; }
            const em = endpoint === undefined ? null : /^tcp:\/\/([^:/]+):(\d+)$/.exec(endpoint);
            const host = em?.[1] ?? '';
            const svcName = svc?.metadata?.name;
            const hostOk = svcName !== undefined && (host === svcName || host.startsWith(`${svcName}.${p.ns}.svc`) || host === `${svcName}.${p.ns}`);
            if (!em || !hostOk || parseInt(em[2], 10) !== zp) {
              this.report(40, t.ownerRef, `discoverPods is false but the vLLM KV-events endpoint is ${endpoint ?? '<none>'}, expected tcp://${svcName ?? '<epp-service>'}.${p.ns}.svc...:${zp}`);
            }
          }
        }
        if (!discover) {
          const zm = /^tcp:\/\/\*:(\d+)$/.exec(zmq);
          if (zm) {
            const zp = parseInt(zm[1], 10);
            if (!eppC.ports.some((x) => x.port === zp)) this.report(40, eppT.ownerRef, `EPP container does not declare the zmq port ${zp}`);
            if (svc && !arr(svc.spec?.ports).some((x) => toInt(x?.port) === zp)) this.report(40, ref(svc), `EPP Service does not expose the zmq port ${zp}`);
          }
          // 41
          const replicas = toInt(eppT.owner.spec?.replicas) ?? 1;
          if (eppT.ownerKind !== 'Pod' && replicas !== 1) this.report(41, eppT.ownerRef, `discoverPods is false but the EPP has ${replicas} replicas`);
        }
      }
      // 42
      if (tokenProducer) this.checkTokenProducer(p, eppT, tokenProducer, vllms.map((x) => x.c));
    }
  }

  checkTokenProducer(p: Pool, eppT: Template, params: Obj, vllms: Container[]): void {
    const url = params?.vllm?.url;
    let renders: Template[] = [];
    if (url !== undefined) {
      const m = /^https?:\/\/([^/:]+)(?::(\d+))?/.exec(String(url));
      if (!m) {
        this.report(42, eppT.ownerRef, `token-producer vllm.url ${url} is not an http URL`);
      } else {
        const [svcName, svcNs] = m[1].split('.');
        const port = m[2] ? parseInt(m[2], 10) : 80;
        const svc = this.find('Service', svcName, svcNs ?? p.ns);
        const sp = svc ? arr(svc.spec?.ports).find((x) => toInt(x?.port) === port) : undefined;
        if (!svc) {
          this.report(42, eppT.ownerRef, `token-producer vllm.url ${url}: Service ${svcName} is not in the set`);
        } else if (!sp) {
          this.report(42, ref(svc), `token-producer vllm.url ${url}: the Service has no port ${port}`);
        } else {
          const sel = this.selectedBy(svc);
          if (sel.length === 0 || sel.some((t) => this.resolveTargetPort(t, sp.targetPort ?? sp.port) === undefined)) {
            this.report(42, ref(svc), `token-producer vllm.url ${url}: port ${port} is not served by a selected pod`);
          }
          renders = sel.filter(isRenderTemplate);
        }
      }
    }
    const model = params?.modelName;
    if (model !== undefined && renders.length > 0) {
      // The render server answers for the model it was started with (`vllm launch render <model>`): a Hugging Face id,
      // or a local path holding the model's tokenizer files (KServe's /mnt/models/base), then downloaded from the same
      // source as the serving pods'.
      for (const t of renders) {
        const c = t.containers.find((x) => x.isRender)!;
        const at = c.argv.indexOf('render');
        const renderModel = at >= 0 ? c.argv.slice(at + 1).find((a) => !a.startsWith('-')) : undefined;
        if (renderModel !== undefined && renderModel !== String(model)) this.report(42, eppT.ownerRef, `token-producer modelName ${model} is not the model ${renderModel} the render server ${t.ownerRef} serves`);
        const source = (x: Template) => x.containers.find((k) => k.init && k.name === 'storage-initializer')?.argv[0];
        const servingSources = this.templates.filter((x) => x.containers.some((k) => k.vllm !== undefined))
          .map(source).filter((u) => u !== undefined);
        const mine = source(t);
        if (renderModel?.startsWith('/') && mine !== undefined && servingSources.length > 0 && !servingSources.includes(mine)) {
          this.report(42, t.ownerRef, `the render server downloads ${mine}, not the serving pods' model (${[...new Set(servingSources)].join(', ')})`);
        }
      }
    } else if (model !== undefined) {
      for (const c of vllms) {
        const served = servedModels(c);
        if (served.length > 0 && !served.includes(String(model))) this.report(42, eppT.ownerRef, `token-producer modelName ${model} is not served by ${c.name} (${served.join(', ')})`);
      }
    }
  }

  checkControllers(): void {
    const selectorKinds = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'DaemonSet']);
    const controllers = this.objs.filter((o) => selectorKinds.has(o.kind));
    for (const o of controllers) {
      const sel = selectorFrom(o.spec?.selector);
      const own = this.templates.filter((t) => t.owner === o);
      if (selectorEmpty(sel)) { this.report(3, ref(o), 'controller has no spec.selector'); continue; }
      for (const t of own) if (!selects(sel, t.labels)) this.report(3, ref(o), `spec.selector ${fmtSelector(sel)} does not match its own template labels`);
      for (const t of this.templates) {
        if (t.owner === o || t.ns !== this.ns(o)) continue;
        if (t.ownerKind === o.kind && t.owner.metadata?.name === o.metadata?.name) continue; // alternative renders of one object
        if (selects(sel, t.labels)) this.report(3, ref(o), `spec.selector ${fmtSelector(sel)} also selects the pod template of ${t.ownerRef} (${t.slot})`);
      }
    }
  }

  checkEppServices(): void {
    const eppServices = new Set<Obj>();
    for (const p of this.pools) { const s = this.eppServiceOf(p); if (s) eppServices.add(s); }
    for (const s of this.byKind('Service')) if (this.selectedBy(s).some((t) => t.isEpp)) eppServices.add(s);
    for (const svc of eppServices) {
      const sel = this.selectedBy(svc);
      const epps = sel.filter((t) => t.isEpp);
      if (epps.length === 0) this.report(4, ref(svc), `EPP Service selector ${fmtSelector(this.serviceSelector(svc))} matches no EPP pod template`);
      for (const t of sel) if (!t.isEpp && (this.modelServers(t) || this.pools.some((p) => p.served.includes(t)))) this.report(4, ref(svc), `EPP Service selector also selects the model-server template of ${t.ownerRef}`);
      // 19
      for (const sp of arr(svc.spec?.ports).filter(isObj)) {
        const target = sp.targetPort ?? sp.port;
        for (const t of epps) {
          if (this.resolveTargetPort(t, target) === undefined) {
            this.report(19, ref(svc), `port ${sp.name ?? sp.port} targets ${target}, which no container of the EPP pod ${t.ownerRef} serves`);
          }
        }
      }
    }
  }

  checkSidecars(): void {
    const anyPool = this.pools.length > 0;
    for (const t of this.templates) {
      for (const sc of t.containers.filter((c) => c.isSidecar)) {
        const f = parseFlags(sc.argv, goKey);
        // 31
        if (!sc.nativeSidecar) this.report(31, t.ownerRef, `routing sidecar ${sc.name} is not an initContainer with restartPolicy: Always`);
        if (t.labels['llm-d.ai/role'] === 'prefill') this.report(31, t.ownerRef, `routing sidecar ${sc.name} on a role=prefill pod template`);
        if (anyPool && !this.pools.some((p) => p.served.includes(t))) this.report(31, t.ownerRef, `routing sidecar ${sc.name} on a pod template (${t.slot}) that no pool serves`);
        // 7 (pool-independent part)
        const sport = f.int('port') ?? DEFAULT_SIDECAR_PORT;
        // --model-server-port (llm-d router v0.10+) wins over its deprecated alias --vllm-port
        const vport = f.int('model-server-port') ?? f.int('vllm-port') ?? DEFAULT_SIDECAR_VLLM_PORT;
        if (sport === vport) this.report(7, t.ownerRef, `routing sidecar --port equals --vllm-port (${sport})`);
        const engine = engineContainer(t);
        if (engine) {
          const ep = enginePort(engine);
          if (ep !== undefined && ep !== vport) this.report(7, t.ownerRef, `routing sidecar --vllm-port ${vport} differs from ${engine.name} --port ${ep}`);
          if (!engine.ports.some((x) => x.port === vport)) this.report(7, t.ownerRef, `${engine.name} does not declare containerPort ${vport} (sidecar --vllm-port)`);
        }
        // 30
        if (/llm-d-routing-sidecar/.test(sc.image) && f.has('kv-connector')) this.report(30, t.ownerRef, `${sc.image} takes --connector, not --kv-connector`);
        if (/disagg-sidecar/.test(sc.image) && f.has('connector')) this.report(30, t.ownerRef, `${sc.image} takes --kv-connector, not --connector`);
        // 27
        const ssrf = f.get('enable-ssrf-protection');
        if (ssrf !== undefined && isTrue(ssrf)) {
          const group = f.get('pool-group') ?? 'inference.networking.k8s.io';
          const sa = t.spec.serviceAccountName ?? t.spec.serviceAccount ?? 'default';
          const rules = this.rulesFor(t.ns, sa, t.ns);
          for (const [g, r] of [['', 'pods'], [group, 'inferencepools']]) {
            if (!allows(rules, g, r, ['get', 'list', 'watch'])) this.report(27, t.ownerRef, `SSRF-protected sidecar: ServiceAccount ${sa} cannot get/list/watch ${g || 'core'}/${r}`);
          }
          const ip = f.get('inference-pool') ?? sc.env.get('INFERENCE_POOL_NAME');
          if (ip) {
            const [a, b] = ip.includes('/') ? ip.split('/') : [sc.env.get('INFERENCE_POOL_NAMESPACE') ?? t.ns, ip];
            if (!this.pools.some((p) => p.ns === a && p.name === b && p.group === group)) this.report(27, t.ownerRef, `SSRF-protected sidecar: no ${group} InferencePool ${a}/${b}`);
          }
        }
      }
    }
  }

  checkEpps(): void {
    for (const t of this.templates.filter((x) => x.isEpp)) {
      const c = this.eppContainer(t);
      if (!c) continue;
      const f = eppFlags(c);
      // 10
      const hp = f.int('grpchealthport') ?? DEFAULT_EPP_HEALTH_PORT;
      const probes = ['livenessProbe', 'readinessProbe', 'startupProbe'].map((k) => c.c[k]).filter(isObj);
      const grpc = probes.filter((x) => isObj(x.grpc));
      if (grpc.length === 0) this.report(10, t.ownerRef, `EPP container ${c.name} has no grpc probe`);
      for (const pr of grpc) {
        if (toInt(pr.grpc.port) !== hp) this.report(10, t.ownerRef, `EPP grpc probe port ${pr.grpc.port} differs from the health port ${hp}`);
        if (pr.grpc.service !== undefined && !ALLOWED_GRPC_SERVICES.has(String(pr.grpc.service))) this.report(10, t.ownerRef, `EPP grpc probe service ${pr.grpc.service} is not an allowed name`);
      }
      if (!c.ports.some((x) => x.port === hp)) this.report(10, t.ownerRef, `EPP container does not declare the health port ${hp}`);
      // 13
      const poolName = f.get('poolname');
      const poolNs = f.get('poolnamespace') ?? c.env.get('NAMESPACE') ?? t.ns;
      const pg = f.get('poolgroup');
      // KServe may emit a v1 pool and a v1alpha2 twin with the same name: prefer the one of --pool-group (default v1)
      const named = this.pools.filter((p) => p.name === poolName && p.ns === poolNs);
      const pool = named.find((p) => p.group === (pg ?? 'inference.networking.k8s.io')) ?? named[0];
      if (poolName === undefined) this.report(13, t.ownerRef, 'EPP has no --pool-name');
      else if (!pool) this.report(13, t.ownerRef, `EPP --pool-name ${poolName} / --pool-namespace ${poolNs} names no InferencePool in the set`);
      if (pool && pg !== undefined && pg !== pool.group) this.report(13, t.ownerRef, `EPP --pool-group ${pg} differs from the pool's group ${pool.group}`);
      for (const p of this.pools) {
        const svc = this.eppServiceOf(p);
        if (svc && this.selectedBy(svc).includes(t) && poolName !== undefined && (p.name !== poolName || p.ns !== poolNs)) {
          this.report(13, t.ownerRef, `EPP serves pool ${p.name} (through Service ${svc.metadata?.name}) but runs with --pool-name ${poolName}`);
        }
      }
      // 20 - 23
      const cfg = this.eppConfig(t, c);
      if (cfg.error) this.report(20, t.ownerRef, cfg.error);
      const docs: { source: string; doc: Obj }[] = [];
      if (cfg.doc) docs.push({ source: cfg.source, doc: cfg.doc });
      if (cfg.cm) {
        for (const [k, v] of Object.entries(cfg.cm.data ?? {})) {
          const src = `ConfigMap/${cfg.cm.metadata?.name}[${k}]`;
          if (src === cfg.source) continue;
          const d = parseYamlObject(String(v));
          if (d && d.kind === 'EndpointPickerConfig') docs.push({ source: src, doc: d });
        }
      }
      for (const d of docs) this.checkEppConfigDoc(t, d.source, d.doc);
      // 25, 26
      const sa = t.spec.serviceAccountName ?? t.spec.serviceAccount ?? 'default';
      const bindingNs = pool?.ns ?? poolNs;
      const group = pg ?? pool?.group ?? 'inference.networking.k8s.io';
      const rules = this.rulesFor(t.ns, sa, bindingNs);
      if (!allows(rules, '', 'pods', ['get', 'list', 'watch'])) this.report(25, t.ownerRef, `EPP ServiceAccount ${sa} cannot get/list/watch pods in ${bindingNs}`);
      if (!allows(rules, group, 'inferencepools', ['get', 'list', 'watch'])) this.report(25, t.ownerRef, `EPP ServiceAccount ${sa} cannot get/list/watch ${group}/inferencepools in ${bindingNs}`);
      const replicas = t.ownerKind === 'Pod' ? 1 : toInt(t.owner.spec?.replicas) ?? 1;
      if (replicas > 1 || f.has('haenableleaderelection')) {
        const own = this.rulesFor(t.ns, sa, t.ns);
        if (!allows(own, 'coordination.k8s.io', 'leases', ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'])) {
          this.report(26, t.ownerRef, `HA EPP (replicas ${replicas}) but ServiceAccount ${sa} lacks full coordination.k8s.io/leases access`);
        }
        if (!allows(own, '', 'events', ['create', 'patch']) && !allows(own, 'events.k8s.io', 'events', ['create', 'patch'])) {
          this.report(26, t.ownerRef, `HA EPP (replicas ${replicas}) but ServiceAccount ${sa} cannot create/patch events`);
        }
      }
      // 17, 18: standalone Envoy in the EPP pod
      this.checkEnvoy(t, c, pool);
    }
  }

  checkEppConfigDoc(t: Template, source: string, doc: Obj): void {
    // 21
    if (!CONFIG_API_VERSIONS.has(String(doc.apiVersion))) this.report(21, t.ownerRef, `${source}: apiVersion ${doc.apiVersion} is not llm-d.ai/v1alpha1 or inference.networking.x-k8s.io/v1alpha1`);
    if (doc.kind !== 'EndpointPickerConfig') this.report(21, t.ownerRef, `${source}: kind ${doc.kind} is not EndpointPickerConfig`);
    // 22
    const plugins = pluginsOf(doc);
    const names = plugins.map((p) => p.name);
    const dupNames = names.filter((n, i) => names.indexOf(n) !== i);
    for (const n of new Set(dupNames)) this.report(22, t.ownerRef, `${source}: plugin name ${n} is declared twice`);
    const declared = new Set(names);
    const refs: string[] = [];
    collectRefs(doc.schedulingProfiles, refs);
    collectRefs(doc.dataLayer, refs);
    collectRefs(doc.requestHandler, refs);
    for (const p of plugins) collectRefs(p.parameters, refs);
    for (const r of refs) if (!declared.has(r)) this.report(22, t.ownerRef, `${source}: reference ${r} names no declared plugin`);
    // 23
    const byName = new Map(plugins.map((p) => [p.name, p.type] as [string, string]));
    const types = new Set(plugins.map((p) => p.type));
    const profiles = arr(doc.schedulingProfiles).filter(isObj);
    const isPd = [...PD_HANDLERS].some((h) => types.has(h));
    if (isPd) {
      const pnames = profiles.map((p) => String(p.name)).sort();
      if (pnames.join(',') !== 'decode,prefill') this.report(23, t.ownerRef, `${source}: P/D config has profiles ${pnames.join(', ')}, expected exactly prefill and decode`);
      const hasFilter = (profile: string, type: string) => {
        const pr = profiles.find((p) => p.name === profile);
        return arr(pr?.plugins).some((x) => byName.get(String(x?.pluginRef)) === type);
      };
      if (!hasFilter('prefill', 'prefill-filter')) this.report(23, t.ownerRef, `${source}: profile prefill lacks prefill-filter`);
      if (!hasFilter('decode', 'decode-filter')) this.report(23, t.ownerRef, `${source}: profile decode lacks decode-filter`);
      if (![...HEADER_HANDLERS].some((h) => types.has(h))) this.report(23, t.ownerRef, `${source}: P/D config lacks disagg-headers-handler / prefill-header-handler`);
    } else if (profiles.length !== 1) {
      this.report(23, t.ownerRef, `${source}: non-P/D config has ${profiles.length} scheduling profiles, expected 1`);
    }
    this.checkFlowControl(t, source, doc);
  }

  /** 115: the flowControl section of an EPP config. */
  checkFlowControl(t: Template, source: string, doc: Obj): void {
    const fc = doc.flowControl;
    if (!isObj(fc)) return;
    const gates = arr(doc.featureGates).map(String);
    let on = false;
    for (const g of gates) {
      const [n, v] = g.split('=');
      if (n === 'flowControl') on = v === undefined || isTrue(v.trim());
    }
    const settings = ['maxBytes', 'maxRequests', 'defaultRequestTTL', 'defaultPriorityBand', 'defaultNegativePriorityBand', 'priorityBands', 'usageLimitPolicyPluginRef']
      .filter((k) => fc[k] !== undefined && fc[k] !== null && !(Array.isArray(fc[k]) && fc[k].length === 0));
    if (settings.length && !on) this.report(FLOW_CONTROL_CHECK, t.ownerRef, `${source}: flowControl sets ${settings.join(', ')} but the flowControl feature gate is off (the EPP ignores them)`);
    const plugins = new Map(pluginsOf(doc).map((p) => [p.name, p.type] as [string, string]));
    const check = (where: string, refName: unknown, role: string) => {
      if (refName === undefined || refName === null || refName === '') return;
      const type = plugins.get(String(refName));
      if (type === undefined) {
        if (refName !== FLOW_CONTROL_DEFAULT_REFS[role]) this.report(FLOW_CONTROL_CHECK, t.ownerRef, `${source}: ${where} ${refName} names no declared plugin`);
        return;
      }
      if (!FLOW_CONTROL_TYPES[role].includes(type)) this.report(FLOW_CONTROL_CHECK, t.ownerRef, `${source}: ${where} ${refName} is a ${type}, not a ${role} plugin`);
    };
    const band = (where: string, b: unknown) => {
      if (!isObj(b)) return;
      check(`${where}.fairnessPolicyRef`, b.fairnessPolicyRef, 'fairness');
      check(`${where}.orderingPolicyRef`, b.orderingPolicyRef, 'ordering');
    };
    band('defaultPriorityBand', fc.defaultPriorityBand);
    band('defaultNegativePriorityBand', fc.defaultNegativePriorityBand);
    const seen = new Set<number>();
    arr(fc.priorityBands).forEach((b, i) => {
      band(`priorityBands[${i}]`, b);
      const pr = toInt(b?.priority);
      if (pr === undefined) this.report(FLOW_CONTROL_CHECK, t.ownerRef, `${source}: priorityBands[${i}] has no integer priority`);
      else if (seen.has(pr)) this.report(FLOW_CONTROL_CHECK, t.ownerRef, `${source}: priority ${pr} has two bands`);
      else seen.add(pr);
    });
    check('usageLimitPolicyPluginRef', fc.usageLimitPolicyPluginRef, 'usage-limit');
    check('saturationDetector.pluginRef', fc.saturationDetector?.pluginRef, 'saturation');
  }

  /** Model names a pool's served pods serve (undefined when a served pod's names cannot be read). */
  servedNames(p: Pool): Set<string> | undefined {
    const out = new Set<string>();
    for (const t of p.served) {
      for (const c of t.containers) {
        if (c.init || c.vllm === undefined) continue;
        const names = servedModels(c);
        if (names.length === 0) return undefined;
        names.forEach((n) => out.add(n));
      }
    }
    return out.size ? out : undefined;
  }

  /** The InferenceModelRewrites of a pool: `{ matches, targets }` per rule (empty matches: catch-all). */
  rewritesOf(p: Pool): { obj: Obj; matches: string[]; targets: string[] }[] {
    const out: { obj: Obj; matches: string[]; targets: string[] }[] = [];
    for (const rw of this.byKind('InferenceModelRewrite')) {
      const pr = rw.spec?.poolRef ?? {};
      if (this.ns(rw) !== p.ns || pr.name !== p.name || (pr.group ?? 'inference.networking.k8s.io') !== p.group) continue;
      for (const rule of arr(rw.spec?.rules)) {
        out.push({
          obj: rw,
          matches: arr(rule?.matches).map((m) => m?.model?.value).filter((v): v is string => typeof v === 'string'),
          targets: arr(rule?.targets).map((x) => x?.modelRewrite).filter((v): v is string => typeof v === 'string'),
        });
      }
    }
    return out;
  }

  /** 113: weights and model names of weighted rules. */
  checkTrafficSplits(): void {
    for (const r of this.byKind('HTTPRoute')) {
      const rns = this.ns(r);
      arr(r.spec?.rules).forEach((rule, i) => {
        const refs = arr(rule?.backendRefs).filter(isObj);
        if (refs.length === 0) return;
        const weights = refs.map((b) => (b.weight === undefined ? 1 : b.weight));
        weights.forEach((w, k) => {
          if (!Number.isInteger(w) || w < 0 || w > 1000000) this.report(TRAFFIC_SPLIT_CHECK, ref(r), `rules[${i}].backendRefs[${k}] weight ${w} is not an integer in 0..1000000`);
        });
        if (weights.every((w) => w === 0)) this.report(TRAFFIC_SPLIT_CHECK, ref(r), `rules[${i}]: every backendRef has weight 0`);
        const pools = refs.filter((b) => b.kind === 'InferencePool')
          .map((b) => this.pools.find((p) => p.name === b.name && p.ns === (b.namespace ?? rns) && p.group === (b.group ?? '')))
          .filter((p): p is Pool => p !== undefined);
        if (pools.length < 2) return;
        const views = pools.map((p) => {
          const served = this.servedNames(p);
          if (!served) return undefined;
          const rws = this.rewritesOf(p).filter((x) => x.targets.length > 0 && x.targets.every((tg) => served.has(tg)));
          if (rws.some((x) => x.matches.length === 0)) return undefined; // a catch-all accepts every name
          const targets = new Set(rws.flatMap((x) => x.targets));
          const matches = rws.flatMap((x) => x.matches);
          return { p, accepts: new Set([...served, ...matches]), public: new Set([...[...served].filter((n) => !targets.has(n)), ...matches]) };
        });
        if (views.some((v) => v === undefined)) return;
        const header = arr(rule?.matches).flatMap((m) => arr(m?.headers)).find((h) => String(h?.name).toLowerCase() === MODEL_NAME_HEADER);
        const requested = header ? [String(header.value)] : [...new Set(views.flatMap((v) => [...v!.public]))];
        for (const v of views) {
          for (const name of requested) {
            if (!v!.accepts.has(name)) {
              this.report(TRAFFIC_SPLIT_CHECK, ref(r), `rules[${i}]: pool ${v!.p.name} does not serve model ${name}, which another backend of the rule serves (and no InferenceModelRewrite of the pool maps it)`);
            }
          }
        }
      });
    }
  }

  /** 114: InferenceObjectives and InferenceModelRewrites. */
  checkPoolPolicies(): void {
    for (const kind of ['InferenceObjective', 'InferenceModelRewrite']) {
      for (const o of this.byKind(kind)) {
        const ns = this.ns(o);
        const pr = o.spec?.poolRef ?? {};
        const group = pr.group ?? 'inference.networking.k8s.io';
        const pool = this.pools.find((p) => p.name === pr.name && p.ns === ns && p.group === group);
        if (!pool) { this.report(POOL_POLICY_CHECK, ref(o), `poolRef ${group}/${pr.name} names no InferencePool in namespace ${ns}`); continue; }
        if (kind === 'InferenceModelRewrite') {
          const served = this.servedNames(pool);
          for (const rule of arr(o.spec?.rules)) {
            for (const tg of arr(rule?.targets)) {
              if (served && !served.has(String(tg?.modelRewrite))) this.report(POOL_POLICY_CHECK, ref(o), `target ${tg?.modelRewrite} is not served by pool ${pool.name} (serves ${[...served].join(', ')})`);
            }
          }
        }
        const resource = kind === 'InferenceObjective' ? 'inferenceobjectives' : 'inferencemodelrewrites';
        for (const t of this.eppsOf(pool)) {
          const sa = t.spec.serviceAccountName ?? t.spec.serviceAccount ?? 'default';
          if (!allows(this.rulesFor(t.ns, sa, ns), groupOf(o.apiVersion), resource, ['get', 'list', 'watch'])) {
            this.report(POOL_POLICY_CHECK, ref(o), `EPP ServiceAccount ${sa} of pool ${pool.name} cannot get/list/watch ${groupOf(o.apiVersion)}/${resource} in ${ns}`);
          }
        }
      }
    }
  }

  checkEnvoy(t: Template, eppC: Container, pool: Pool | undefined): void {
    const envoy = t.containers.find((c) => !c.init && c !== eppC && /envoy/i.test(c.image + ' ' + c.name) && !/istio/i.test(c.image));
    if (!envoy) return;
    const f = parseFlags(envoy.argv.filter((a) => a !== 'envoy'), goKey);
    const path = f.get('c') ?? f.get('config-path');
    if (!path) return;
    const m = arr(envoy.c.volumeMounts).filter(isObj).find((x) => path.startsWith(String(x.mountPath).replace(/\/$/, '') + '/'));
    const vol = m ? arr(t.spec.volumes).find((v) => v?.name === m.name) : undefined;
    const rel = m ? path.slice(String(m.mountPath).replace(/\/$/, '').length + 1) : '';
    const items = arr(vol?.configMap?.items);
    const key = items.find((it) => it?.path === rel)?.key ?? rel;
    const cm = vol?.configMap?.name ? this.find('ConfigMap', vol.configMap.name, t.ns) : undefined;
    const cfg = cm ? parseYamlObject(String(cm.data?.[key] ?? '')) : undefined;
    if (!cfg) {
      this.report(18, t.ownerRef, `standalone Envoy config ${path} cannot be resolved to a ConfigMap key`);
      return;
    }
    const listeners = arr(cfg.static_resources?.listeners).filter(isObj);
    const clusters = arr(cfg.static_resources?.clusters).filter(isObj);
    let extProc: Obj | undefined;
    let listenerPort: number | undefined;
    const routeClusters = new Set<string>();
    for (const l of listeners) {
      const filters: Obj[] = [];
      walk(l, (o) => { if (Array.isArray(o.http_filters)) filters.push(...o.http_filters.filter(isObj)); });
      const ep = filters.find((x) => x.name === 'envoy.filters.http.ext_proc');
      if (ep) {
        extProc = ep;
        listenerPort = toInt(l.address?.socket_address?.port_value);
        walk(l, (o) => { if (typeof o.cluster === 'string') routeClusters.add(o.cluster); });
      }
    }
    if (!extProc) { this.report(18, t.ownerRef, 'standalone Envoy has no ext_proc filter'); return; }
    // 17
    const allow = extProc.typed_config?.failure_mode_allow === true;
    const failOpen = (pool?.epp?.failureMode ?? 'FailClose') === 'FailOpen';
    if (pool && allow !== failOpen) this.report(17, t.ownerRef, `Envoy failure_mode_allow ${allow} but pool ${pool.name} failureMode is ${pool.epp?.failureMode ?? 'FailClose (default)'}`);
    // 18
    const grpcPort = eppFlags(eppC).int('grpcport') ?? DEFAULT_EPP_GRPC_PORT;
    const cname = extProc.typed_config?.grpc_service?.envoy_grpc?.cluster_name;
    const cluster = clusters.find((c) => c.name === cname);
    const addrs: { address: string; port?: number }[] = [];
    walk(cluster?.load_assignment, (o) => {
      if (isObj(o.socket_address)) addrs.push({ address: String(o.socket_address.address), port: toInt(o.socket_address.port_value) });
    });
    if (!addrs.some((a) => /^(127\.0\.0\.1|localhost|::1)$/.test(a.address) && a.port === grpcPort)) {
      this.report(18, t.ownerRef, `Envoy ext_proc cluster ${cname} does not point at 127.0.0.1:${grpcPort}`);
    }
    const od = clusters.filter((c) => routeClusters.has(String(c.name)) && c.type === 'ORIGINAL_DST');
    if (od.length === 0 || od.some((c) => c.original_dst_lb_config?.http_header_name !== 'x-gateway-destination-endpoint')) {
      this.report(18, t.ownerRef, 'Envoy route cluster is not ORIGINAL_DST keyed on x-gateway-destination-endpoint');
    }
    const svc = pool ? this.eppServiceOf(pool) : undefined;
    if (svc && listenerPort !== undefined) {
      const ok = arr(svc.spec?.ports).some((sp) => this.resolveTargetPort(t, sp?.targetPort ?? sp?.port) === listenerPort);
      if (!ok) this.report(18, ref(svc), `no EPP Service port targets the Envoy listener port ${listenerPort}`);
    }
  }

  checkRoutes(): void {
    const gateways = this.byKind('Gateway');
    for (const r of this.byKind('HTTPRoute')) {
      const rns = this.ns(r);
      // 15, 12
      for (const rule of arr(r.spec?.rules)) {
        for (const b of arr(rule?.backendRefs).filter(isObj)) {
          if (b.kind !== 'InferencePool') continue;
          const bns = b.namespace ?? rns;
          const named = this.pools.filter((p) => p.name === b.name && p.ns === bns);
          const pool = named.find((p) => p.group === (b.group ?? '')) ?? named[0];
          if (!pool) { this.report(15, ref(r), `backendRef InferencePool ${b.name} is not in namespace ${bns}`); continue; }
          if ((b.group ?? '') !== pool.group) this.report(15, ref(r), `backendRef group ${b.group ?? '""'} differs from pool ${pool.name}'s group ${pool.group}`);
          const port = toInt(b.port);
          if (port !== undefined && !pool.targetPorts.includes(port)) this.report(12, ref(r), `backendRef port ${port} is not a targetPort of pool ${pool.name}`);
        }
      }
      // 16
      if (gateways.length === 0) continue;
      for (const pr of arr(r.spec?.parentRefs).filter(isObj)) {
        if ((pr.kind ?? 'Gateway') !== 'Gateway') continue;
        const gns = pr.namespace ?? rns;
        const gw = this.find('Gateway', pr.name, gns);
        if (!gw) { this.report(16, ref(r), `parentRef Gateway ${gns}/${pr.name} is not in the set`); continue; }
        const listeners = arr(gw.spec?.listeners).filter(isObj).filter((l) => pr.sectionName === undefined || l.name === pr.sectionName);
        const admits = listeners.some((l) => {
          const from = l.allowedRoutes?.namespaces?.from ?? 'Same';
          return from === 'All' || from === 'Selector' || (from === 'Same' && gns === rns);
        });
        if (!admits) this.report(16, ref(r), `no listener of Gateway ${pr.name} admits routes from namespace ${rns}`);
      }
    }
  }

  checkContainers(): void {
    for (const t of this.templates) {
      for (const c of t.containers) {
        // 11
        for (const k of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
          const pr = c.c[k];
          if (!isObj(pr)) continue;
          for (const h of [pr.httpGet, pr.tcpSocket]) {
            if (!isObj(h) || h.port === undefined || toInt(h.port) !== undefined) continue;
            if (!c.ports.some((x) => x.name === String(h.port))) this.report(11, t.ownerRef, `${c.name} ${k} uses port name ${h.port}, which the container does not declare`);
          }
        }
        // 35
        const names = c.envList.map((e) => e.name);
        for (const n of new Set(names.filter((x, i) => names.indexOf(x) !== i))) this.report(35, t.ownerRef, `container ${c.name} declares env ${n} more than once`);
        // 36
        const res = isObj(c.c.resources) ? c.c.resources : {};
        for (const part of ['requests', 'limits']) {
          for (const [k, v] of Object.entries(isObj(res[part]) ? res[part] : {})) {
            if (v === null || v === undefined || v === '') this.report(36, t.ownerRef, `container ${c.name} resources.${part}.${k} is null`);
          }
        }
        const rdmaKeys = new Set([...Object.keys(res.requests ?? {}), ...Object.keys(res.limits ?? {})].filter(isRdma));
        for (const k of rdmaKeys) {
          const a = res.requests?.[k];
          const b = res.limits?.[k];
          if (a === undefined || b === undefined) this.report(36, t.ownerRef, `container ${c.name} RDMA resource ${k} is not in both requests and limits`);
          else if (a !== null && b !== null && String(a) !== String(b)) this.report(36, t.ownerRef, `container ${c.name} RDMA resource ${k} request ${a} != limit ${b}`);
        }
        // 101
        const flags = c.sglang ?? c.vllm?.flags ?? (c.vllm ? undefined : parseFlags(c.argv, goKey));
        if (flags) for (const d of flags.duplicates()) this.report(DUPLICATE_FLAG_CHECK, t.ownerRef, `container ${c.name} passes --${d} more than once`);
        // 32
        const nixl = c.ports.find((x) => x.name === 'nixl');
        if (nixl) {
          const want = toInt(c.env.get('VLLM_NIXL_SIDE_CHANNEL_PORT')) ?? NIXL_DEFAULT_PORT;
          if (nixl.port !== want) this.report(32, t.ownerRef, `container ${c.name} declares nixl port ${nixl.port}, but the side channel listens on ${want}`);
        }
        const gpus = this.gpuCount(t, c);
        if (c.vllm) {
          // 28
          if (usesNixl(c)) {
            const host = c.envList.filter((e) => e.name === 'VLLM_NIXL_SIDE_CHANNEL_HOST').pop();
            if (!host || host.fieldPath !== 'status.podIP') this.report(28, t.ownerRef, `container ${c.name} uses NixlConnector without VLLM_NIXL_SIDE_CHANNEL_HOST from status.podIP`);
          }
          // 33
          this.checkGpuArithmetic(t, c, gpus);
        }
        if (c.sglang) this.checkSglangGpus(t, c, gpus);
        // 37: GPU vLLM containers need /dev/shm from a Memory emptyDir; any container with > 1 GPU needs a /dev/shm mount
        const gpuVllm = (c.vllm !== undefined || c.sglang !== undefined) && gpus.limit !== undefined && gpus.limit > 0;
        if (gpuVllm || (gpus.limit !== undefined && gpus.limit > 1)) {
          const mount = arr(c.c.volumeMounts).find((m) => m?.mountPath === '/dev/shm');
          const vol = mount ? arr(t.spec.volumes).find((v) => v?.name === mount.name) : undefined;
          if (!mount) this.report(37, t.ownerRef, `container ${c.name} has ${gpus.limit} GPU(s) but no /dev/shm mount`);
          else if (gpuVllm && (!isObj(vol?.emptyDir) || vol.emptyDir.medium !== 'Memory')) this.report(37, t.ownerRef, `container ${c.name} /dev/shm is not an emptyDir with medium Memory`);
        }
      }
    }
  }

  gpuCount(t: Template, c: Container): { limit?: number; request?: number; dra: boolean; unknown: boolean } {
    const res = isObj(c.c.resources) ? c.c.resources : {};
    let limit: number | undefined;
    let request: number | undefined;
    for (const k of acceleratorKeys(res)) {
      const l = res.limits?.[k];
      const r = res.requests?.[k];
      if (l !== undefined && l !== null) limit = (limit ?? 0) + (toInt(l) ?? NaN);
      if (r !== undefined && r !== null) request = (request ?? 0) + (toInt(r) ?? NaN);
    }
    const claims = arr(res.claims).filter(isObj);
    if (claims.length === 0) return { limit, request, dra: false, unknown: false };
    let n = 0;
    let unknown = false;
    for (const cl of claims) {
      const pc = arr(t.spec.resourceClaims).find((x) => x?.name === cl.name);
      const tmpl = pc?.resourceClaimTemplateName ? this.find('ResourceClaimTemplate', pc.resourceClaimTemplateName, t.ns) : undefined;
      if (!tmpl) { unknown = true; continue; }
      for (const rq of arr(tmpl.spec?.spec?.devices?.requests).filter(isObj)) {
        const ex = isObj(rq.exactly) ? rq.exactly : rq;
        if (!/gpu|tpu/i.test(String(ex.deviceClassName ?? ''))) continue;
        if (ex.allocationMode === 'All') { unknown = true; continue; }
        n += toInt(ex.count) ?? 1;
      }
    }
    return { limit: (limit ?? 0) + n, request: (request ?? limit ?? 0) + n, dra: true, unknown };
  }

  checkGpuArithmetic(t: Template, c: Container, gpus: { limit?: number; request?: number; dra: boolean; unknown: boolean }): void {
    const f = c.vllm?.flags;
    if (!f || gpus.unknown) return;
    const tp = parallel(f, 'tensor-parallel-size', c.env.get('TP_SIZE'));
    const pp = parallel(f, 'pipeline-parallel-size', undefined);
    const dpl = dpLocal(c);
    if (tp === undefined || pp === undefined || dpl === undefined) return;
    // Ray spreads one engine (TP x PP) over every pod of a LeaderWorkerSet group: each pod holds its share.
    const raySpread = f.get('distributed-executor-backend') === 'ray' && t.lwsSize !== undefined && t.lwsSize > 1 ? t.lwsSize : 1;
    const want = (tp * pp * dpl) / raySpread;
    const res = isObj(c.c.resources) ? c.c.resources : {};
    if (!gpus.dra) {
      for (const k of acceleratorKeys(res)) {
        const l = res.limits?.[k];
        const r = res.requests?.[k];
        if (r !== undefined && l === undefined) this.report(33, t.ownerRef, `container ${c.name} requests ${k} without a limit`);
        else if (r !== undefined && l !== undefined && String(r) !== String(l)) this.report(33, t.ownerRef, `container ${c.name} ${k} request ${r} != limit ${l}`);
      }
    }
    const have = gpus.limit ?? 0;
    if (have === 0 && want === 1) return; // CPU run
    if (Number.isNaN(have) || have !== want) {
      this.report(33, t.ownerRef, `container ${c.name} has ${have} GPU(s) but TP ${tp} x PP ${pp} x DP_SIZE_LOCAL ${dpl}${raySpread > 1 ? ` / Ray group size ${raySpread}` : ''} = ${want}`);
    }
  }

  /**
   * 33 for SGLang: `--data-parallel-size` replicas of `--tensor-parallel-size` × `--pipeline-parallel-size` GPUs
   * each (without data-parallel attention, which shares the TP group), over `--nnodes` pods.
   */
  checkSglangGpus(t: Template, c: Container, gpus: { limit?: number; dra: boolean; unknown: boolean }): void {
    const f = c.sglang!;
    if (gpus.unknown) return;
    const tp = parallel(f, 'tensor-parallel-size', undefined);
    const pp = parallel(f, 'pipeline-parallel-size', undefined);
    const dp = f.has('enable-dp-attention') ? 1 : parallel(f, 'data-parallel-size', undefined);
    const nodes = parallel(f, 'nnodes', undefined);
    if (tp === undefined || pp === undefined || dp === undefined || nodes === undefined) return;
    const want = (tp * pp * dp) / nodes;
    const have = gpus.limit ?? 0;
    if (have !== want) this.report(33, t.ownerRef, `SGLang container ${c.name} has ${have} GPU(s) but TP ${tp} x PP ${pp} x DP ${dp} / nnodes ${nodes} = ${want}`);
    const ep = f.int('expert-parallel-size');
    if (ep !== undefined && ep > tp) this.report(33, t.ownerRef, `SGLang container ${c.name} --expert-parallel-size ${ep} exceeds --tensor-parallel-size ${tp}`);
  }

  /** 117: SGLang engines of served templates, their P/D bootstrap wiring, and SGLang's multi-node launch in LWS groups. */
  checkSglang(): void {
    for (const t of this.templates) {
      if (t.ownerKind !== 'LeaderWorkerSet' || t.lwsSize === undefined) continue;
      for (const c of t.containers) {
        const f = c.sglang;
        if (!f) continue;
        const nodes = f.int('nnodes') ?? 1;
        if (nodes !== t.lwsSize) this.report(SGLANG_CHECK, t.ownerRef, `SGLang container ${c.name} --nnodes ${nodes} != LWS size ${t.lwsSize}`);
        if (t.lwsSize < 2) continue;
        if (!/LWS_WORKER_INDEX/.test(f.get('node-rank') ?? '')) this.report(SGLANG_CHECK, t.ownerRef, `SGLang container ${c.name} --node-rank ${f.get('node-rank') ?? '<none>'} is not $(LWS_WORKER_INDEX)`);
        const addr = f.get('dist-init-addr') ?? '';
        if (!/LWS_LEADER_ADDRESS/.test(addr)) this.report(SGLANG_CHECK, t.ownerRef, `SGLang container ${c.name} --dist-init-addr ${addr || '<none>'} is not the leader ($(LWS_LEADER_ADDRESS):<port>)`);
        const port = toInt(/:(\d+)$/.exec(addr)?.[1]);
        if (t.slot === 'leaderTemplate' && port !== undefined && !c.ports.some((x) => x.port === port)) {
          this.report(SGLANG_CHECK, t.ownerRef, `SGLang leader container ${c.name} does not declare its --dist-init-addr port ${port}`);
        }
      }
    }
    for (const p of this.pools) {
      const sidecars = p.served.flatMap((t) => t.containers.filter((c) => c.isSidecar).map((c) => ({ t, c })));
      const backends = new Map<string, string>();
      for (const t of p.served) {
        const c = t.containers.find((x) => !x.init && x.sglang) ?? t.containers.find((x) => x.sglang);
        if (!c) continue;
        const f = c.sglang!;
        const host = f.get('host');
        if (host !== '0.0.0.0' && host !== '::') this.report(SGLANG_CHECK, t.ownerRef, `SGLang container ${c.name} listens on ${host ?? '127.0.0.1 (its default)'}, unreachable from the EPP, sidecar and gateway`);
        if (!f.has('enable-metrics')) this.report(SGLANG_CHECK, t.ownerRef, `SGLang container ${c.name} does not pass --enable-metrics, so the EPP scrapes no /metrics`);
        if (t.labels[SGLANG_ENGINE_LABEL] !== 'sglang') {
          this.report(SGLANG_CHECK, t.ownerRef, `SGLang pods lack ${SGLANG_ENGINE_LABEL}: sglang, so the EPP reads vLLM metric names from them`);
        }
        const role = t.labels['llm-d.ai/role'];
        const mode = f.get('disaggregation-mode');
        const backend = f.get('disaggregation-transfer-backend') ?? 'mooncake';
        if (mode === 'prefill' || mode === 'decode') backends.set(`${t.ownerRef} (${mode})`, backend);
        if (role === 'prefill') {
          if (mode !== 'prefill') this.report(SGLANG_CHECK, t.ownerRef, `SGLang prefill pods run --disaggregation-mode ${mode ?? 'null'}, not prefill`);
          const bootstrap = f.int('disaggregation-bootstrap-port') ?? DEFAULT_SGLANG_BOOTSTRAP_PORT;
          if (!c.ports.some((x) => x.port === bootstrap)) this.report(SGLANG_CHECK, t.ownerRef, `SGLang prefill container ${c.name} does not declare its bootstrap port ${bootstrap}`);
          for (const s of sidecars) {
            const advertised = toInt(s.c.env.get('SGLANG_BOOTSTRAP_PORT')) ?? DEFAULT_SGLANG_BOOTSTRAP_PORT;
            if (advertised !== bootstrap) {
              this.report(SGLANG_CHECK, s.t.ownerRef, `routing sidecar advertises SGLang bootstrap port ${advertised}, but prefill ${t.ownerRef} listens on ${bootstrap}`);
            }
          }
        }
        if (role === 'decode' && mode !== undefined && mode !== 'null') {
          if (mode !== 'decode') this.report(SGLANG_CHECK, t.ownerRef, `SGLang decode pods run --disaggregation-mode ${mode}, not decode`);
          const sidecar = t.containers.find((x) => x.isSidecar);
          const connector = sidecar ? parseFlags(sidecar.argv, goKey).get('kv-connector') : undefined;
          if (!sidecar || connector !== 'sglang') {
            this.report(SGLANG_CHECK, t.ownerRef, `SGLang decode pods need a routing sidecar with --kv-connector=sglang (got ${sidecar ? connector ?? 'nixlv2 (its default)' : 'no sidecar'})`);
          }
        }
      }
      if (new Set(backends.values()).size > 1) {
        this.report(SGLANG_CHECK, p.ref, `SGLang roles of pool ${p.name} use different transfer backends: ${[...backends].map(([k, v]) => `${k} ${v}`).join(', ')}`);
      }
    }
  }

  checkLws(): void {
    for (const t of this.templates) {
      if (t.ownerKind !== 'LeaderWorkerSet' || t.lwsSize === undefined) continue;
      for (const c of t.containers) {
        if (!c.vllm?.flags) continue;
        const dpl = dpLocal(c);
        const dp = c.vllm.flags.get('data-parallel-size');
        if (dpl === undefined || dp === undefined) continue;
        const size = t.lwsSize;
        const reparsed = (idx: number) => vllmFlagsWith(c, new Map([['LWS_GROUP_SIZE', String(size)], ['LWS_WORKER_INDEX', String(idx)]]));
        const f0 = reparsed(0) ?? c.vllm.flags;
        const dpv = f0.int('data-parallel-size');
        if (dpv === undefined || dpv !== size * dpl) {
          this.report(34, t.ownerRef, `${c.name} --data-parallel-size ${dpv ?? dp} != LWS size ${size} x DP_SIZE_LOCAL ${dpl}`);
        }
        if (size > 1 || f0.has('data-parallel-address')) {
          const addr = f0.get('data-parallel-address');
          if (addr === undefined || !/LWS_LEADER_ADDRESS/.test(addr)) this.report(34, t.ownerRef, `${c.name} --data-parallel-address ${addr ?? '<none>'} is not $(LWS_LEADER_ADDRESS)`);
        }
        if (size > 1 || f0.has('data-parallel-start-rank')) {
          // a leaderTemplate only runs index 0; a workerTemplate runs 1.. (and also 0 when there is no leaderTemplate)
          const hasLeader = isObj(t.owner.spec?.leaderWorkerTemplate?.leaderTemplate);
          const indexes = t.slot === 'leaderTemplate' ? [0] : hasLeader ? [1] : size > 1 ? [0, 1] : [0];
          for (const idx of indexes) {
            const fi = reparsed(idx) ?? c.vllm.flags;
            const sr = fi.int('data-parallel-start-rank') ?? (fi.has('data-parallel-start-rank') ? undefined : 0);
            if (sr !== idx * dpl) {
              this.report(34, t.ownerRef, `${c.name} --data-parallel-start-rank is ${fi.get('data-parallel-start-rank') ?? '<none>'} for LWS_WORKER_INDEX ${idx}, expected ${idx * dpl}`);
              break;
            }
          }
        }
      }
    }
  }

  /** 103, 104, 106: HorizontalPodAutoscaler, KEDA ScaledObject and WVA VariantAutoscaling. */
  checkAutoscalers(): void {
    const scalable = new Set(['Deployment', 'StatefulSet', 'LeaderWorkerSet']);
    const targetOf = (a: Obj) => {
      const r = a.spec?.scaleTargetRef ?? {};
      const kind = r.kind ?? (a.kind === 'ScaledObject' ? 'Deployment' : undefined);
      const apiVersion = r.apiVersion ?? (a.kind === 'ScaledObject' || kind === 'Deployment' ? 'apps/v1' : undefined);
      return { kind, apiVersion, name: r.name, key: `${kind}/${this.ns(a)}/${r.name}` };
    };
    const drivers = new Map<string, string[]>();
    const scalers = this.objs.filter((o) => o.kind === 'HorizontalPodAutoscaler' || o.kind === 'ScaledObject' || o.kind === 'VariantAutoscaling');
    for (const a of scalers) {
      const t = targetOf(a);
      const target = this.objs.find((o) => o.kind === t.kind && o.metadata?.name === t.name && this.ns(o) === this.ns(a));
      if (!target || !scalable.has(String(t.kind)) || target.apiVersion !== t.apiVersion) {
        this.report(SCALE_TARGET_CHECK, ref(a), `scaleTargetRef ${t.apiVersion}/${t.kind}/${t.name} is not a scalable object of the set`);
        continue;
      }
      if (target.spec?.replicas !== undefined) {
        this.report(AUTOSCALED_REPLICAS_CHECK, ref(a), `target ${ref(target)} sets spec.replicas, which every apply resets under the autoscaler`);
      }
      const min = toInt(a.kind === 'ScaledObject' ? a.spec?.minReplicaCount : a.spec?.minReplicas);
      const max = toInt(a.kind === 'ScaledObject' ? a.spec?.maxReplicaCount : a.spec?.maxReplicas);
      if (min !== undefined && max !== undefined && min > max) this.report(AUTOSCALED_REPLICAS_CHECK, ref(a), `minReplicas ${min} > maxReplicas ${max}`);
      if (a.kind !== 'VariantAutoscaling') drivers.set(t.key, [...(drivers.get(t.key) ?? []), ref(a)]);
      // 106: the WVA metric must name a VariantAutoscaling of the same target
      const variants: string[] = [];
      for (const m of arr(a.spec?.metrics).filter(isObj)) {
        if (m.external?.metric?.name === 'wva_desired_replicas') variants.push(String(m.external.metric.selector?.matchLabels?.variant_name));
      }
      for (const tr of arr(a.spec?.triggers).filter(isObj)) {
        const q = String(tr.metadata?.query ?? '');
        if (q.includes('wva_desired_replicas')) variants.push(/variant_name="([^"]*)"/.exec(q)?.[1] ?? '<none>');
      }
      for (const v of variants) {
        const va = this.find('VariantAutoscaling', v, this.ns(a));
        if (!va || targetOf(va).key !== t.key) {
          this.report(WVA_VARIANT_CHECK, ref(a), `wva_desired_replicas of variant ${v} has no VariantAutoscaling of the same target ${t.key} in the set`);
        }
      }
    }
    for (const [key, list] of drivers) {
      if (list.length > 1) this.report(AUTOSCALED_REPLICAS_CHECK, list[1], `${key} is driven by ${list.length} autoscalers: ${list.join(', ')}`);
    }
  }

  /** 121: a model-server template belongs to one pool (by name). */
  checkDisjointPools(): void {
    for (const t of this.templates.filter((x) => !x.isEpp)) {
      const names = [...new Set(this.pools.filter((p) => p.served.includes(t)).map((p) => `${p.ns}/${p.name}`))];
      if (names.length > 1) this.report(DISJOINT_POOLS_CHECK, t.ownerRef, `${t.slot} is selected by ${names.length} InferencePools: ${names.join(', ')}`);
    }
  }

  /** 120: DRA claims resolve: pod claims to a ResourceClaimTemplate of the set, container claims to a pod claim. */
  checkDeviceClaims(): void {
    for (const t of this.templates) {
      const podClaims = arr(t.spec.resourceClaims).filter(isObj);
      for (const pc of podClaims) {
        const tmpl = pc.resourceClaimTemplateName;
        if (typeof tmpl === 'string' && !this.find('ResourceClaimTemplate', tmpl, t.ns)) {
          this.report(DEVICE_CLAIM_CHECK, t.ownerRef, `${t.slot} claim ${pc.name} names ResourceClaimTemplate ${t.ns}/${tmpl}, which is not in the set`);
        }
      }
      for (const c of [...arr(t.spec.containers), ...arr(t.spec.initContainers)].filter(isObj)) {
        for (const cl of arr(c.resources?.claims).filter(isObj)) {
          if (!podClaims.some((pc) => pc.name === cl.name)) {
            this.report(DEVICE_CLAIM_CHECK, t.ownerRef, `${t.slot} container ${c.name} claims ${cl.name}, which is not a resourceClaims entry of its pod`);
          }
        }
      }
    }
  }

  /** 112: topology spread constraints count the template's own pods. */
  checkSpread(): void {
    for (const t of this.templates) {
      const labels = t.ownerKind === 'LeaderWorkerSet' ? { ...t.labels, 'leaderworkerset.sigs.k8s.io/name': String(t.owner.metadata?.name) } : t.labels;
      for (const c of arr(t.spec.topologySpreadConstraints).filter(isObj)) {
        const sel = selectorFrom(c.labelSelector);
        if (selectorEmpty(sel) || !selects(sel, labels)) {
          this.report(SPREAD_SELECTOR_CHECK, t.ownerRef, `${t.slot} spreads over ${c.topologyKey} with labelSelector ${fmtSelector(sel)}, which does not select the template's own pods`);
        }
      }
    }
  }

  /** 110–111: NetworkPolicies select pods, and their named ports exist on those pods. */
  checkTls(): void {
    const tlsOf = (t: Template): boolean => {
      const e = engineContainer(t);
      return e !== undefined && e.argv.includes('--ssl-certfile');
    };
    const httpProbes = (c: Container) => ['livenessProbe', 'readinessProbe', 'startupProbe'].map((k) => [k, c.c[k]] as const).filter(([, pr]) => isObj(pr) && isObj(pr.httpGet));
    const secretOfMount = (t: Template, c: Container, path: string): string | undefined => {
      const m = arr(c.c.volumeMounts).find((x) => typeof x?.mountPath === 'string' && (path === x.mountPath || path.startsWith(`${x.mountPath}/`)));
      const v = m && arr(t.spec.volumes).find((x) => x?.name === m.name);
      return v?.secret?.secretName;
    };
    const certificates = this.byKind('Certificate').filter((c) => String(c.apiVersion).startsWith('cert-manager.io/'));
    for (const t of this.templates.filter((x) => !x.isEpp)) {
      const e = engineContainer(t);
      if (!e) continue;
      const tls = tlsOf(t);
      if (tls) {
        const certFile = e.argv[e.argv.indexOf('--ssl-certfile') + 1];
        const secret = certFile ? secretOfMount(t, e, certFile) : undefined;
        if (!secret) this.report(TLS_CHECK, t.ownerRef, `${e.name} serves TLS with ${certFile}, which no Secret volume of the pod provides`);
      }
      for (const [k, pr] of httpProbes(e)) {
        const scheme = String(pr.httpGet.scheme ?? 'HTTP').toUpperCase();
        if ((scheme === 'HTTPS') !== tls) this.report(TLS_CHECK, t.ownerRef, `${e.name} ${k} uses ${scheme} but the server serves ${tls ? 'HTTPS' : 'HTTP'}`);
      }
      for (const sc of t.containers.filter((c) => c.isSidecar)) {
        const f = parseFlags(sc.argv, goKey);
        const stages = f.list.filter((x) => x.key === 'enable-tls').flatMap((x) => (x.value ?? '').split(',')).filter((x) => x !== '');
        if (stages.includes('decoder') !== tls) {
          this.report(TLS_CHECK, t.ownerRef, `routing sidecar ${sc.name} ${tls ? 'speaks plain HTTP to' : 'speaks TLS (--enable-tls=decoder) to'} its ${tls ? 'HTTPS' : 'plain-HTTP'} vLLM`);
        }
        // --secure-proxy defaults to true in llm-d router v0.10.0
        const secure = f.get('secure-proxy') === undefined || isTrue(f.get('secure-proxy'));
        for (const [k, pr] of httpProbes(sc)) {
          const scheme = String(pr.httpGet.scheme ?? 'HTTP').toUpperCase();
          if ((scheme === 'HTTPS') !== secure) this.report(TLS_CHECK, t.ownerRef, `routing sidecar ${sc.name} ${k} uses ${scheme} but the sidecar serves ${secure ? 'HTTPS' : 'HTTP'}`);
        }
        if (secure && f.get('cert-path') !== undefined && !secretOfMount(t, sc, f.get('cert-path')!)) {
          this.report(TLS_CHECK, t.ownerRef, `routing sidecar ${sc.name} --cert-path ${f.get('cert-path')} is not a mounted Secret`);
        }
        for (const p of this.pools.filter((x) => x.served.includes(t))) {
          const prefills = p.served.filter((x) => x.labels['llm-d.ai/role'] === 'prefill');
          for (const pt of prefills) {
            if (tlsOf(pt) !== stages.includes('prefiller')) {
              this.report(TLS_CHECK, t.ownerRef, `routing sidecar ${sc.name} ${stages.includes('prefiller') ? 'speaks TLS to' : 'speaks plain HTTP to'} prefill pods of ${pt.ownerRef}, which serve ${tlsOf(pt) ? 'HTTPS' : 'HTTP'}`);
            }
          }
        }
      }
    }
    for (const p of this.pools) {
      const servers = p.served.filter((t) => !t.isEpp && engineContainer(t) !== undefined);
      if (servers.length === 0) continue;
      const tls = servers.map(tlsOf);
      if (tls.some((x) => x !== tls[0])) this.report(TLS_CHECK, p.ref, 'pool mixes model servers that serve HTTPS with ones that serve HTTP');
      for (const { t, cfg } of this.poolConfigs(p)) {
        if (!cfg.doc) continue;
        const source = pluginsOf(cfg.doc).find((x) => x.type === 'metrics-data-source');
        const scheme = String(source?.parameters?.scheme ?? 'http').toLowerCase();
        if ((scheme === 'https') !== tls[0]) this.report(TLS_CHECK, t.ownerRef, `EPP scrapes pool ${p.name} over ${scheme} but its model servers serve ${tls[0] ? 'HTTPS' : 'HTTP'}`);
      }
      const routed = this.byKind('HTTPRoute').some((r) => arr(r.spec?.rules).some((rule: any) => arr(rule?.backendRefs)
        .some((b: any) => b?.kind === 'InferencePool' && b?.name === p.name && (b?.namespace ?? this.ns(r)) === p.ns)));
      const policies = this.byKind('BackendTLSPolicy').filter((b) => this.ns(b) === p.ns
        && arr(b.spec?.targetRefs).some((r: any) => r?.kind === 'InferencePool' && r?.name === p.name));
      if (tls[0] && routed && policies.length === 0) this.report(TLS_CHECK, p.ref, `routed pool ${p.name} serves HTTPS but no BackendTLSPolicy tells gateways to speak TLS to it`);
      if (!tls[0] && policies.length > 0) this.report(TLS_CHECK, p.ref, `BackendTLSPolicy ${policies[0].metadata?.name} makes gateways speak TLS to pool ${p.name}, whose model servers serve HTTP`);
      for (const b of policies) {
        const host = b.spec?.validation?.hostname;
        for (const t of servers) {
          const e = engineContainer(t)!;
          const certFile = e.argv[e.argv.indexOf('--ssl-certfile') + 1];
          const secret = certFile ? secretOfMount(t, e, certFile) : undefined;
          const cert = certificates.find((c) => this.ns(c) === t.ns && c.spec?.secretName === secret);
          if (cert && !arr(cert.spec?.dnsNames).includes(host)) {
            this.report(TLS_CHECK, ref(b), `BackendTLSPolicy hostname ${host} is not a DNS name of Certificate ${cert.metadata?.name}, which the pool's pods serve with`);
          }
        }
      }
    }
    for (const svc of this.byKind('Service')) {
      const targets = this.selectedBy(svc).filter((t) => !t.isEpp && engineContainer(t) !== undefined);
      if (targets.length === 0) continue;
      const tls = targets.some(tlsOf);
      for (const port of arr(svc.spec?.ports)) {
        const app = port?.appProtocol;
        if (app !== undefined && ['http', 'https'].includes(String(app)) && (app === 'https') !== tls) {
          this.report(TLS_CHECK, ref(svc), `port ${port.name ?? port.port} has appProtocol ${app} but the pods serve ${tls ? 'HTTPS' : 'HTTP'}`);
        }
      }
    }
  }

  checkNetworkPolicies(): void {
    for (const np of this.byKind('NetworkPolicy')) {
      const sel = selectorFrom(np.spec?.podSelector);
      const hit = this.templates.filter((t) => t.ns === this.ns(np) && selects(sel, t.ownerKind === 'LeaderWorkerSet'
        ? { ...t.labels, 'leaderworkerset.sigs.k8s.io/name': String(t.owner.metadata?.name) } : t.labels));
      if (hit.length === 0) {
        this.report(NETWORK_POLICY_SELECTS_CHECK, ref(np), `podSelector ${fmtSelector(sel)} matches no pod template`);
        continue;
      }
      for (const rule of arr(np.spec?.ingress).filter(isObj)) {
        for (const p of arr(rule.ports).filter(isObj)) {
          if (typeof p.port !== 'string' || toInt(p.port) !== undefined) continue;
          if (!hit.some((t) => this.resolveTargetPort(t, p.port) !== undefined)) {
            this.report(NETWORK_POLICY_PORT_CHECK, ref(np), `ingress port ${p.port} is declared by none of the selected pod templates (${[...new Set(hit.map((t) => t.ownerRef))].join(', ')})`);
          }
        }
      }
    }
  }

  /** 105: PodDisruptionBudgets. */
  checkDisruptionBudgets(): void {
    for (const pdb of this.byKind('PodDisruptionBudget')) {
      const sel = selectorFrom(pdb.spec?.selector);
      // LWS pods carry the LWS name label, set by the controller.
      const hit = this.templates.filter((t) => t.ns === this.ns(pdb) && selects(sel, t.ownerKind === 'LeaderWorkerSet'
        ? { ...t.labels, 'leaderworkerset.sigs.k8s.io/name': String(t.owner.metadata?.name) } : t.labels));
      const owners = [...new Set(hit.map((t) => t.ownerRef))];
      if (selectorEmpty(sel) || owners.length === 0) this.report(PDB_SELECTOR_CHECK, ref(pdb), `selector ${fmtSelector(sel)} matches no pod template`);
      else if (owners.length > 1) this.report(PDB_SELECTOR_CHECK, ref(pdb), `selects the pods of ${owners.length} workloads: ${owners.join(', ')}`);
    }
  }

  /** 107–109: prometheus-operator PodMonitor / ServiceMonitor and GKE PodMonitoring. */
  checkMonitors(): void {
    const inNs = (m: Obj, ns: string) => {
      const ms = m.spec?.namespaceSelector;
      if (m.kind === 'PodMonitoring' || !isObj(ms)) return ns === this.ns(m);
      return ms.any === true || arr(ms.matchNames).includes(ns);
    };
    for (const m of this.objs.filter((o) => o.kind === 'PodMonitor' || o.kind === 'PodMonitoring' || o.kind === 'ServiceMonitor')) {
      const sel = selectorFrom(m.spec?.selector);
      const eps = arr(m.kind === 'PodMonitor' ? m.spec?.podMetricsEndpoints : m.spec?.endpoints).filter(isObj);
      // each scraped target: the pod templates it reaches and the port to resolve in them
      const targets: { t: Template; port: unknown; ep: Obj }[] = [];
      if (m.kind === 'ServiceMonitor') {
        const svcs = this.byKind('Service').filter((svc) => inNs(m, this.ns(svc)) && selects(sel, labelsOf(svc.metadata?.labels)));
        const withPods = svcs.filter((svc) => this.selectedBy(svc).length > 0);
        if (withPods.length === 0) this.report(MONITOR_SELECTS_CHECK, ref(m), `selector ${fmtSelector(sel)} matches no Service that selects a pod template`);
        for (const svc of withPods) {
          for (const ep of eps) {
            const byTarget = (p: Obj) => ep.targetPort !== undefined && String(p.targetPort ?? p.port) === String(ep.targetPort);
            const sp = arr(svc.spec?.ports).find((p) => isObj(p) && (p.name === ep.port || byTarget(p)));
            if (!sp) {
              this.report(MONITOR_PORT_CHECK, ref(m), `endpoint port ${ep.port ?? ep.targetPort} is not a port of ${ref(svc)}`);
              continue;
            }
            for (const t of this.selectedBy(svc)) targets.push({ t, port: sp.targetPort ?? sp.port, ep });
          }
        }
      } else {
        const sel0 = this.templates.filter((t) => inNs(m, t.ns) && selects(sel, t.labels));
        if (selectorEmpty(sel) || sel0.length === 0) this.report(MONITOR_SELECTS_CHECK, ref(m), `selector ${fmtSelector(sel)} matches no pod template`);
        for (const t of sel0) for (const ep of eps) targets.push({ t, port: ep.port ?? ep.targetPort, ep });
      }
      for (const { t, port, ep } of targets) {
        if (port === undefined || this.resolveTargetPort(t, port) === undefined) {
          this.report(MONITOR_PORT_CHECK, ref(m), `scrapes port ${port ?? '<none>'}, which the selected pod template of ${t.ownerRef} does not declare`);
          continue;
        }
        if (!t.isEpp) continue;
        const c = this.eppContainer(t);
        if (!c || eppFlags(c).get('metricsendpointauth') === 'false') continue;
        const cred = m.kind === 'PodMonitoring' ? ep.authorization?.credentials?.secret : ep.authorization?.credentials ?? ep.bearerTokenSecret;
        const secret = isObj(cred) ? this.find('Secret', cred.name, this.ns(m)) : undefined;
        if (!secret) {
          this.report(MONITOR_EPP_AUTH_CHECK, ref(m), `scrapes the EPP of ${t.ownerRef}, whose /metrics requires a bearer token, ${isObj(cred) ? `but the Secret ${cred.name} is not in the set` : 'without authorization credentials'}`);
          continue;
        }
        const sa = secret.metadata?.annotations?.['kubernetes.io/service-account.name'];
        const boundToSa = (crb: Obj) => arr(crb.subjects).some((s) => s?.kind === 'ServiceAccount' && s.name === sa && (s.namespace ?? this.ns(secret)) === this.ns(secret));
        const allowed = this.byKind('ClusterRoleBinding').some((crb) => boundToSa(crb)
          && arr(this.find('ClusterRole', crb.roleRef?.name, '')?.rules).some((r) => isObj(r) && arr(r.nonResourceURLs).some((u) => u === '/metrics' || u === '*') && arr(r.verbs).some((v) => v === 'get' || v === '*')));
        if (secret.type !== 'kubernetes.io/service-account-token' || !sa || !allowed) {
          this.report(MONITOR_EPP_AUTH_CHECK, ref(m), `token Secret ${secret.metadata?.name} is not the token of a ServiceAccount bound to a ClusterRole allowing GET /metrics`);
        }
      }
    }
  }

  checkGenericServices(): void {
    const eppServices = new Set<Obj>();
    for (const p of this.pools) { const s = this.eppServiceOf(p); if (s) eppServices.add(s); }
    for (const svc of this.byKind('Service')) {
      if (eppServices.has(svc)) continue;
      const sel = this.selectedBy(svc);
      if (sel.some((t) => t.isEpp)) continue;
      for (const sp of arr(svc.spec?.ports).filter(isObj)) {
        const target = sp.targetPort ?? sp.port;
        for (const t of sel) {
          if (this.resolveTargetPort(t, target) === undefined) {
            this.report(SERVICE_TARGET_PORT_CHECK, ref(svc), `port ${sp.name ?? sp.port} targets ${target}, which the selected pod template of ${t.ownerRef} does not declare`);
          }
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// container helpers

function vllmInfo(c: Obj, argv: string[], image: string): VllmInfo | undefined {
  const serveAt = argv.findIndex((a, i) => /(^|\/)vllm$/.test(a) && argv[i + 1] === 'serve');
  if (serveAt >= 0) return { flags: parseFlags(argv.slice(serveAt + 2), vllmKey) };
  const apiAt = argv.findIndex((a) => a === 'vllm.entrypoints.openai.api_server');
  if (apiAt >= 0) return { flags: parseFlags(argv.slice(apiAt + 1), vllmKey) };
  for (const [k, a] of argv.entries()) {
    const m = /(^|[\s;&|(])(exec\s+)?vllm\s+serve\b/.exec(a);
    if (m) {
      const start = m.index + m[1].length;
      const scriptArgs = argv[k - 1] === '-c' ? argv.slice(k + 2) : [];
      return { script: a, scriptStart: start, scriptArgs, flags: undefined };
    }
  }
  if (VLLM_IMAGE.test(image)) {
    if (arr(c.command).length === 0) return { flags: parseFlags(argv, vllmKey) };
    return {};
  }
  return undefined;
}

/** Parses the `vllm serve` command of a shell script (after the script's own assignments). */
function scriptFlags(script: string, start: number, env: Env, scriptArgs: string[] = []): Flags {
  const e: Env = new Map(env);
  scriptAssignments(script, start, e);
  // "$@" is the script's own arguments (the container args after `bash -c <script> <$0>`).
  const words = shellCommandWords(script, start, e).flatMap((w) => (w === '$@' ? scriptArgs : [w]));
  const serve = words.indexOf('serve');
  return parseFlags(words.slice(serve + 1), vllmKey);
}

/** Re-parses the vLLM flags of a script container with extra (controller-injected) environment. */
function vllmFlagsWith(c: Container, extra: Env): Flags | undefined {
  const v = c.vllm;
  if (!v?.script || v.scriptStart === undefined) return undefined;
  return scriptFlags(v.script, v.scriptStart, new Map([...c.env, ...extra]), v.scriptArgs);
}

function eppFlags(c: Container): Flags {
  return parseFlags(c.argv, (n) => eppKey(n));
}

/** vLLM connectors that keep KV blocks in lower tiers of the same pod (not P/D transfer). */
const KV_CACHE_CONNECTORS = new Set(['OffloadingConnector', 'SimpleCPUOffloadConnector', 'LMCacheConnectorV1']);

/** The P/D transfer connector of a `--kv-transfer-config`: itself, or the transfer member of a MultiConnector; none for a cache-only config. */
function transferConnectorOf(kv: any): any {
  if (!isObj(kv)) return kv;
  if (kv.kv_connector === 'MultiConnector') return arr(kv.kv_connector_extra_config?.connectors).find((m) => isObj(m) && !KV_CACHE_CONNECTORS.has(String(m.kv_connector)));
  return KV_CACHE_CONNECTORS.has(String(kv.kv_connector)) ? undefined : kv;
}

function engineContainer(t: Template): Container | undefined {
  const main = t.containers.filter((c) => !c.init);
  return main.find((c) => c.vllm !== undefined || c.sglang !== undefined) ?? main.find((c) => c.isSim);
}

function enginePort(c: Container): number | undefined {
  if (c.sglang) {
    const p = c.sglang.get('port');
    return p === undefined ? DEFAULT_SGLANG_PORT : toInt(p);
  }
  if (c.vllm) {
    if (!c.vllm.flags) return undefined;
    const p = c.vllm.flags.get('port');
    return p === undefined ? DEFAULT_VLLM_PORT : toInt(p);
  }
  const f = parseFlags(c.argv, goKey);
  const p = f.get('port');
  return p === undefined ? DEFAULT_VLLM_PORT : toInt(p);
}

function parallel(f: Flags, key: string, env: string | undefined): number | undefined {
  const v = f.get(key);
  if (v !== undefined) return toInt(v);
  if (env !== undefined) return toInt(env);
  return 1;
}

function dpLocal(c: Container): number | undefined {
  const f = c.vllm?.flags;
  if (!f) return undefined;
  const v = f.get('data-parallel-size-local');
  if (v !== undefined) return toInt(v);
  const e = c.env.get('DP_SIZE_LOCAL');
  if (e !== undefined) return toInt(e);
  const dp = f.get('data-parallel-size');
  const external = f.has('data-parallel-rank') || f.has('data-parallel-external-lb') || f.has('headless') || f.has('data-parallel-address');
  if (dp !== undefined && !external) return toInt(dp);
  return 1;
}

function servedModels(c: Container): string[] {
  const f = c.vllm?.flags;
  if (!f) return [];
  const out: string[] = [];
  const i = f.list.findIndex((x) => x.key === 'served-model-name');
  if (i >= 0) {
    const smn = f.list[i].value;
    if (smn !== undefined) out.push(...smn.split(/\s+/));
  }
  const model = f.get('model') ?? f.positional[0];
  if (out.length === 0 && model !== undefined) out.push(model);
  return out;
}

function servedModel(c: Container): string | undefined {
  return servedModels(c)[0];
}

function kvFromAdditionalArgs(c: Container): string | undefined {
  const extra = c.env.get('VLLM_ADDITIONAL_ARGS');
  if (!extra) return undefined;
  const m = /--kv[-_]transfer[-_]config(?:=|\s+)('[^']*'|"(?:[^"\\]|\\.)*"|\S+)/.exec(extra);
  return m?.[1];
}

function usesNixl(c: Container): boolean {
  const f = c.vllm?.flags;
  const texts = [f?.get('kv-transfer-config') ?? '', c.env.get('VLLM_ADDITIONAL_ARGS') ?? '', c.vllm?.script ?? ''];
  return texts.some((x) => /NixlConnector/.test(x));
}

function kvEventsConfig(c: Container): Obj | undefined {
  const f = c.sglang ?? c.vllm?.flags;
  if (!f) return undefined;
  const base = parseJsonLoose(f.get('kv-events-config')) ?? {};
  let any = f.has('kv-events-config');
  for (const x of f.list) {
    if (x.key.startsWith('kv-events-config.')) { base[x.key.slice('kv-events-config.'.length)] = x.value; any = true; }
  }
  return any ? base : undefined;
}

/** True when `host` is a reference to an env var that holds status.podIP (or a literal pod-IP reference). */
function podIpRef(host: string, c: Container): boolean {
  const m = /^\$\(?\{?([A-Za-z_][A-Za-z0-9_]*)\}?\)?$/.exec(host);
  if (!m) return false;
  const e = c.envList.filter((x) => x.name === m[1]).pop();
  return e?.fieldPath === 'status.podIP';
}

function isRdma(k: string): boolean {
  return k.startsWith('rdma/') || k.startsWith('networking.gke.io.networks/');
}

function isRenderTemplate(t: Template): boolean {
  return t.containers.some((c) => c.isRender) || t.labels['app.kubernetes.io/component'] === 'vllm-render';
}

function isGatewayTemplate(t: Template): boolean {
  if (t.labels['gateway.networking.k8s.io/gateway-name'] !== undefined) return true;
  const main = t.containers.filter((c) => !c.init);
  return main.length > 0 && main.every((c) => /envoyproxy|istio\/proxy|proxyv2|agentgateway/i.test(c.image)) && !t.isEpp;
}

function isTokenizerOnly(t: Template): boolean {
  const main = t.containers.filter((c) => !c.init);
  return main.length > 0 && main.every((c) => /tokenizer/i.test(c.image));
}

// ---------------------------------------------------------------------------------------------------------------
// EPP config helpers

function pluginsOf(doc: Obj | undefined): { name: string; type: string; parameters: any }[] {
  return arr(doc?.plugins).filter(isObj).map((p) => ({ name: String(p.name ?? p.type), type: String(p.type), parameters: p.parameters }));
}

const REF_KEYS = new Set(['pluginRef', 'deciderPluginName', 'prefixMatchInfoProducerName']);

function collectRefs(v: unknown, out: string[]): void {
  if (Array.isArray(v)) { for (const x of v) collectRefs(x, out); return; }
  if (!isObj(v)) return;
  for (const [k, x] of Object.entries(v)) {
    if (REF_KEYS.has(k) && typeof x === 'string') {out.push(x);} else if (k === 'deciders' && isObj(x)) { for (const d of Object.values(x)) if (typeof d === 'string') out.push(d); } else {collectRefs(x, out);}
  }
}

function findKey(v: unknown, key: string): unknown {
  if (Array.isArray(v)) {
    for (const x of v) { const r = findKey(x, key); if (r !== undefined) return r; }
    return undefined;
  }
  if (!isObj(v)) return undefined;
  if (Object.prototype.hasOwnProperty.call(v, key)) return v[key];
  for (const x of Object.values(v)) { const r = findKey(x, key); if (r !== undefined) return r; }
  return undefined;
}

function walk(v: unknown, fn: (o: Obj) => void): void {
  if (Array.isArray(v)) { for (const x of v) walk(x, fn); return; }
  if (!isObj(v)) return;
  fn(v);
  for (const x of Object.values(v)) walk(x, fn);
}

function allows(rules: Obj[], group: string, resource: string, verbs: string[]): boolean {
  return verbs.every((verb) => rules.some((r) =>
    arr(r.apiGroups).some((g) => g === group || g === '*')
    && arr(r.resources).some((x) => x === resource || x === '*')
    && arr(r.verbs).some((x) => x === verb || x === '*')
    && arr(r.resourceNames).length === 0));
}

// ---------------------------------------------------------------------------------------------------------------
// entry points

function flatten(objs: unknown[], out: Obj[] = []): Obj[] {
  for (const o of objs) {
    if (!isObj(o)) continue;
    if (o.kind === 'List' || (typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items))) flatten(o.items, out);
    else out.push(o);
  }
  return out;
}

function inferNamespace(objs: Obj[]): string {
  const seen = new Set<string>();
  for (const o of objs) if (typeof o.metadata?.namespace === 'string' && !CLUSTER_SCOPED.has(o.kind)) seen.add(o.metadata.namespace);
  return seen.size === 1 ? [...seen][0] : 'default';
}

/**
 * Checks the cross-object wiring of a set of synthesized Kubernetes objects against llm-d-wiring.md §8.
 * Returns one entry per violation (empty when the set is wired correctly).
 */
export function checkWiring(objs: any[], opts: CheckWiringOptions = {}): WiringViolation[] {
  const flat = flatten(objs ?? []);
  const checker = new Checker(flat, opts);
  return checker.run().sort((a, b) => a.invariant - b.invariant || a.object.localeCompare(b.object));
}

/** Human-readable listing, one violation per line. */
export function formatViolations(violations: readonly WiringViolation[]): string {
  if (violations.length === 0) return 'no wiring violations';
  return violations.map((v) => `#${v.invariant} ${v.object}: ${v.message}`).join('\n');
}
