import { LabelKeys, ServingRole } from '../wiring/labels';
import { ResourceNames } from '../wiring/names';
import { Ports } from '../wiring/ports';
/** How a KServe LLMInferenceService is served (the controller's workload modes, `kserve-llmisvc.md` §3.3–§3.6). */
export enum KServeMode {
  /** Single node, no prefill, no worker: Deployment `N-kserve` (§3.3). */
  SIMPLE = 'SIMPLE',
  /** Prefill/decode on single nodes: Deployments `N-kserve` (decode) and `N-kserve-prefill` (§3.4). */
  PREFILL_DECODE = 'PREFILL_DECODE',
  /** Multi-node data (+expert) parallel: LeaderWorkerSet `N-kserve-mn` (§3.5). */
  MULTI_NODE = 'MULTI_NODE',
  /** P/D where at least one role is multi-node (§3.6). */
  PREFILL_DECODE_MULTI_NODE = 'PREFILL_DECODE_MULTI_NODE',
}

/** One status condition of the controller and what the rendered YAML does about it. */
export interface KServeConditionReport {
  /** Condition type, e.g. `MainWorkloadReady`. */
  readonly type: string;
  /** Whether the controller would set this condition for this service. */
  readonly applies: boolean;
  /** What the synthesized objects guarantee for it (statically). */
  readonly guaranteed: string;
  /** What must already exist in the cluster, or happen at runtime, for it to be True. */
  readonly requires: string[];
}

/** What the status report is computed from. */
export interface KServeStatusInput {
  /** Service name `N`. */
  readonly name: string;
  /** The mode. */
  readonly mode: KServeMode;
  /** A managed scheduler (EPP + InferencePool) is rendered. */
  readonly scheduler: boolean;
  /** A managed HTTPRoute is rendered. */
  readonly route: boolean;
  /** The standalone tokenizer is rendered. */
  readonly tokenizer: boolean;
  /** Gateways the route attaches to (`ns/name`). */
  readonly gateways: string[];
  /** baseRefs and presets that were combined. */
  readonly appliedConfigs: string[];
}

/**
 * The controller's conditions (`kserve-llmisvc.md` §1.4) for a service, with what the rendered objects
 * guarantee without the operator and what the cluster must provide. The report is static: no condition is
 * evaluated against a cluster.
 */
export function kserveStatusReport(input: KServeStatusInput): KServeConditionReport[] {
  const n = ResourceNames.of(input.name);
  const lws = input.mode === KServeMode.MULTI_NODE || input.mode === KServeMode.PREFILL_DECODE_MULTI_NODE;
  const pd = input.mode === KServeMode.PREFILL_DECODE || input.mode === KServeMode.PREFILL_DECODE_MULTI_NODE;
  const workloadKind = lws ? `LeaderWorkerSet ${n.mainLeaderWorkerSet} or Deployment ${n.mainDeployment}` : `Deployment ${n.mainDeployment}`;
  const gpuNodes = 'nodes with the accelerator device plugin (e.g. nvidia.com/gpu) and capacity for every replica';
  const lwsNeeds = lws ? ['the LeaderWorkerSet CRD and controller (leaderworkerset.x-k8s.io/v1)'] : [];
  const rows: KServeConditionReport[] = [
    {
      type: 'PresetsCombined',
      applies: true,
      guaranteed: `checked at synth time: baseRefs resolved (${input.appliedConfigs.join(', ') || 'none'}), template variables rendered, the merged spec validated; otherwise synthesis fails (KServe: ConfigNotFound / CombineBaseError / InvalidRenderedConfig)`,
      requires: [],
    },
    {
      type: 'MainWorkloadReady',
      applies: true,
      guaranteed: `${workloadKind}${pd ? ' (decode role)' : ''} with labels, selector, ports and probes wired to the workload Service ${n.workloadService}`,
      requires: [gpuNodes, 'the model reachable (Hugging Face / S3 credentials, or the PVC) and the image pullable', ...lwsNeeds],
    },
    {
      type: 'WorkerWorkloadReady',
      applies: lws,
      guaranteed: 'worker pods in the same LeaderWorkerSet group (size = data / dataLocal), headless vLLM ranks',
      requires: [...lwsNeeds, 'an inter-node network for NCCL/NVSHMEM (RDMA when the template asks for it)'],
    },
    {
      type: 'PrefillWorkloadReady',
      applies: pd,
      guaranteed: `${lws ? `LeaderWorkerSet ${n.prefillLeaderWorkerSet} or ` : ''}Deployment ${n.prefillDeployment} (${LabelKeys.ROLE}: ${ServingRole.PREFILL.value}) selected by ${input.scheduler ? 'the pool' : `the workload Service ${n.workloadService}`}; KV transfer connector on both roles`,
      requires: [gpuNodes, 'a network path for NIXL between prefill and decode pods (RDMA when requested)',
        ...(input.scheduler ? [] : ['a scheduler for disaggregation: without spec.router.scheduler no EPP picks a prefill pod, so the workload Service serves each request on whichever pod it reaches'])],
    },
    {
      type: 'SchedulerWorkloadReady',
      applies: input.scheduler,
      guaranteed: `Deployment ${n.schedulerDeployment} with its config, ServiceAccount and Role; Service ${n.schedulerService} on ${Ports.EPP_GRPC}`,
      requires: ['RBAC to create the EPP Role/RoleBinding (and the ClusterRoleBinding to system:auth-delegator for metrics auth)'],
    },
    {
      type: 'InferencePoolReady',
      applies: input.scheduler,
      guaranteed: `InferencePool ${n.inferencePool} (inference.networking.k8s.io/v1) selecting the serving pods on port ${Ports.SERVING} with the EPP as endpointPickerRef`,
      requires: ['the InferencePool CRD (inference.networking.k8s.io/v1)', 'a Gateway implementation that supports InferencePool and accepts it (Accepted=True)'],
    },
    {
      type: 'TokenizerReady',
      applies: input.tokenizer,
      guaranteed: `Deployment and Service ${n.tokenizer} used by the EPP's token-producer`,
      requires: ['the model reachable from the tokenizer pod'],
    },
    {
      type: 'GatewaysReady',
      applies: input.route,
      guaranteed: 'nothing: the library never creates a Gateway (neither does KServe)',
      requires: input.gateways.map((g) => `Gateway ${g} existing and Programmed=True, with a listener that allows routes from this namespace`),
    },
    {
      type: 'HTTPRoutesReady',
      applies: input.route,
      guaranteed: `HTTPRoute ${n.httpRoute} with parentRefs to ${input.gateways.join(', ') || 'the gateway'} and backend ${input.scheduler ? `InferencePool ${n.inferencePool}` : `Service ${n.workloadService}`}`,
      requires: ['the Gateway API CRDs (gateway.networking.k8s.io/v1)', 'the Gateway controller accepting the route (Accepted, ResolvedRefs)'],
    },
  ];
  const present = rows.filter((r) => r.applies && r.type !== 'PresetsCombined');
  rows.push({
    type: 'WorkloadsReady',
    applies: true,
    guaranteed: 'rollup of the workload conditions above',
    requires: ['every applicable *WorkloadReady condition'],
  });
  rows.push({
    type: 'RouterReady',
    applies: input.scheduler || input.route,
    guaranteed: 'rollup of the router conditions above',
    requires: ['every applicable Gateways/HTTPRoutes/InferencePool/SchedulerWorkload/Tokenizer condition'],
  });
  rows.push({
    type: 'Ready',
    applies: true,
    guaranteed: 'PresetsCombined holds by construction; no controller reports status: observe the children directly (kubectl rollout status, route/pool conditions)',
    requires: [...new Set(present.flatMap((r) => r.requires))],
  });
  return rows;
}
