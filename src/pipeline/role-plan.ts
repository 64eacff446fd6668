import { Duration, Size } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Engine, EngineKind } from '../engine/engine';
import { checkVllmFlagValue } from '../engine/vllm-flags';
import { ALL2ALL_BACKEND_FLAG } from '../engine/vllm-prop-flags';
import * as k8s from '../imports/k8s';
import { FieldContext } from '../internal/context';
import { Accelerator } from '../model/accelerator';
import { CapacityFigures, derivedStartupSeconds, planCapacity } from '../model/capacity';
import { KvCache } from '../model/kv-cache';
import { KvTransfer } from '../model/kv-transfer';
import { ModelProfile } from '../model/model-profile';
import { DataParallelLoadBalancing, Parallelism, ParallelismPlan, planParallelism } from '../model/parallelism';
import { Autoscaling } from '../operations/autoscaling';
import { DisruptionBudget } from '../operations/disruption-budget';
import { RolloutOptions } from '../patterns/serving-props';
import { ServingResources } from '../serving/model-server';
import { ServingRole } from '../wiring/labels';
import { Ports } from '../wiring/ports';
import { StartupBudgets } from '../wiring/startup';

/** How the pods of a role start the engine. @internal */
export enum EngineLaunch {
  /** `vllm serve` in every pod, with vLLM's native data parallelism when the ranks span pods. */
  NATIVE = 'native',
  /** Ray for tensor × pipeline parallelism across pods: the leader runs the Ray head and serves; workers join. */
  RAY = 'ray',
  /**
   * SGLang's own multi-node launch: every pod runs the server with `--nnodes`, `--node-rank` and `--dist-init-addr`
   * (one engine of tensor × pipeline over the group); node rank 0, the leader, serves.
   */
  SGLANG_NODES = 'sglang-nodes',
}

/** How many pods one serving group of a pattern may span. @internal */
export enum GroupShape {
  /** One pod per group (LlmService). */
  SINGLE_POD = 'single-pod',
  /** One pod, or a LeaderWorkerSet group when the parallelism spans pods (P/D roles). */
  ANY = 'any',
  /** At least two pods per group (MultiNodeGroup). */
  MULTI_POD = 'multi-pod',
}

/** What a pattern says about one of its roles (the only per-pattern input of the pipeline). @internal */
export interface RoleSpec {
  /** `llm-d.ai/role` of the pods. */
  readonly role: ServingRole;
  /** Where the role's props live (`''` for a pattern's top-level props, `prefill` / `decode`). */
  readonly ctx: FieldContext;
  readonly engine: Engine;
  readonly accelerator: Accelerator;
  readonly parallelism?: Parallelism;
  readonly launch: EngineLaunch;
  readonly shape: GroupShape;
  /** A LeaderWorkerSet even when a group is one pod (KServe renders one whenever `worker` is set). */
  readonly forceGroup?: boolean;
  /** Which props field forces the group (for errors). */
  readonly forceGroupField?: string;
  readonly loadBalancing: DataParallelLoadBalancing;
  readonly replicas?: number;
  readonly resources?: ServingResources;
  readonly sharedMemory?: Size;
  readonly startupTimeout?: Duration;
  /** The model's memory figures: the fit check, the capacity annotation and the derived startup budget. */
  readonly profile?: ModelProfile;
  /** Weights read per second while loading (derived startup budget). */
  readonly modelLoadRate?: Size;
  readonly all2allBackend?: string;
  readonly expertLoadBalancing?: boolean;
  /** P/D: the KV connector of the role. */
  readonly kvTransfer?: KvTransfer;
  /** KV-cache tiers of the role, and the props field that sets them. */
  readonly kvCache?: KvCache;
  readonly kvCacheField?: string;
  /** P/D decode: vLLM sits behind the routing sidecar on this (first) port. */
  readonly behindSidecar?: boolean;
  readonly sidecarVllmPort?: number;
  /** Env the pattern adds to the engine container (NCCL settings, …). */
  readonly extraEnv?: k8s.EnvVar[];
  /** Extra labels and annotations of the role's pods (never in a selector). */
  readonly podLabels?: Record<string, string>;
  readonly podAnnotations?: Record<string, string>;
  /** Which props field the pod-label check names. */
  readonly podLabelsField?: string;
  /** Rolling-update limits of the role's workload, and the props field that sets them. */
  readonly rolloutStrategy?: RolloutOptions;
  readonly rolloutField?: string;
  /**
   * Without rolloutStrategy, roll an accelerator Deployment without surge (maxUnavailable 1, maxSurge 0) instead of
   * leaving Kubernetes' 25% / 25% (the KServe translation keeps KServe's unset strategy).
   */
  readonly noSurgeOnAccelerators?: boolean;
  /** Extra labels and annotations of the role's workload object (Deployment / LeaderWorkerSet metadata). */
  readonly workloadLabels?: Record<string, string>;
  readonly workloadAnnotations?: Record<string, string>;
  /** Which props field the workload-label check names. */
  readonly workloadLabelsField?: string;
  /** ServiceAccount of the role's pods when the pattern does not derive one. */
  readonly serviceAccountName?: string;
  /** How the role's workload scales (instead of `replicas`). */
  readonly autoscaling?: Autoscaling;
  /** The role's PodDisruptionBudget (default `maxUnavailable(1)`). */
  readonly disruptionBudget?: DisruptionBudget;
}

/** The serving ports of one pod: the one rank-port layout every pattern uses. @internal */
export interface PortLayout {
  /** Ports clients and the InferencePool reach on a serving pod (one, or one per local rank). */
  readonly publicPorts: number[];
  /** vLLM's first API port (the public port, or the port behind the routing sidecar). */
  readonly enginePort: number;
  /** vLLM's API ports (one per local rank with per-rank ports). */
  readonly enginePorts: number[];
  /** The per-rank supervisor (aggregated health) port. */
  readonly supervisorPort?: number;
  /** The data-parallel RPC port on the leader, when ranks span pods or listen per rank. */
  readonly rpcPort?: number;
  readonly perRank: boolean;
}

/** Everything derived for one role: parallelism, workload kind, ports and pod inputs. @internal */
export interface RolePlan {
  readonly spec: RoleSpec;
  readonly ctx: FieldContext;
  readonly parallelism: ParallelismPlan;
  /** A LeaderWorkerSet when a group spans pods, else a Deployment. */
  readonly multiPod: boolean;
  readonly ports: PortLayout;
  readonly replicas: number;
  readonly startupTimeout: Duration;
  /** Capacity figures (with a model profile and vLLM). */
  readonly capacity?: CapacityFigures;
}

/** Validate a role's parallelism and launch, and derive its plan. @internal */
export function planRole(spec: RoleSpec): RolePlan {
  const { ctx, accelerator } = spec;
  ctx.positiveInt('replicas', spec.replicas);
  accelerator._validate(ctx.child('accelerator'));
  const pctx = ctx.child('parallelism');
  const p = spec.parallelism ?? {};
  // SGLang's multi-node launch spreads one engine over the group like Ray does (expert parallelism stays in the TP group).
  const sglangNodes = spec.launch === EngineLaunch.SGLANG_NODES;
  const ray = spec.launch === EngineLaunch.RAY || sglangNodes;
  const perRankAsked = spec.loadBalancing === DataParallelLoadBalancing.EXTERNAL_PER_RANK;
  const parallelism = ray ? planRay(pctx, p, accelerator, sglangNodes) : planNative(pctx, p, accelerator, spec.shape);
  const multiPod = parallelism.podsPerGroup > 1 || spec.forceGroup === true;

  if (spec.shape === GroupShape.SINGLE_POD && multiPod) {
    throw pctx.error('dataLocal', parallelism.dataLocal,
      `data ${parallelism.data} / dataLocal ${parallelism.dataLocal} = ${parallelism.podsPerGroup} pods per serving group, but LlmService runs single-node pods`,
      'set dataLocal equal to data to keep all ranks in one pod, or serve it across nodes with MultiNodeGroup');
  }
  if (spec.forceGroup && spec.shape === GroupShape.SINGLE_POD) {
    throw ctx.error(spec.forceGroupField ?? 'leaderWorkerSet', true, 'LlmService runs single-node pods as a Deployment', 'use MultiNodeGroup with allowSinglePodGroups');
  }
  if (spec.forceGroup && spec.engine.kind === EngineKind.SIMULATOR) {
    throw ctx.error(spec.forceGroupField ?? 'leaderWorkerSet', true, 'the simulator cannot form a LeaderWorkerSet group', 'drop it, or use Engine.vllm()');
  }
  if (spec.shape === GroupShape.MULTI_POD && !multiPod) {
    throw pctx.error(ray ? 'tensor' : 'dataLocal', ray ? parallelism.tensor : parallelism.dataLocal, `the computed group size is ${parallelism.podsPerGroup} pod: it fits one node`,
      'use LlmService for single-node serving, or raise the parallelism');
  }
  const simulated = spec.engine.kind === EngineKind.SIMULATOR;
  if (simulated && perRankAsked) {
    throw ctx.error('loadBalancing', spec.loadBalancing, 'the simulator serves one port per pod', 'use DataParallelLoadBalancing.INTERNAL');
  }
  if (simulated && multiPod) {
    throw pctx.error('dataLocal', parallelism.dataLocal, `${parallelism.podsPerGroup} pods per group, but the simulator cannot form a multi-node group`,
      'set dataLocal equal to data, or use Engine.vllm()');
  }
  if (perRankAsked && parallelism.dataLocal > Ports.MAX_POOL_TARGET_PORTS) {
    throw pctx.error('dataLocal', parallelism.dataLocal, `needs ${parallelism.dataLocal} per-rank ports but an InferencePool lists at most ${Ports.MAX_POOL_TARGET_PORTS}`,
      `keep dataLocal <= ${Ports.MAX_POOL_TARGET_PORTS}, or use DataParallelLoadBalancing.INTERNAL`);
  }
  checkVllmFlagValue(ctx, 'all2allBackend', ALL2ALL_BACKEND_FLAG, spec.all2allBackend);
  if (spec.all2allBackend !== undefined && !parallelism.expert) {
    throw ctx.error('all2allBackend', spec.all2allBackend, 'only applies to expert parallelism', 'set parallelism.expert, or drop all2allBackend');
  }
  if (perRankAsked && spec.shape !== GroupShape.MULTI_POD && parallelism.dataLocal < 2) {
    throw ctx.error('loadBalancing', spec.loadBalancing,
      `per-rank ports need 2 to ${Ports.MAX_POOL_TARGET_PORTS} local data-parallel ranks (dataLocal is ${parallelism.dataLocal}; the InferencePool lists at most ${Ports.MAX_POOL_TARGET_PORTS} ports)`,
      `use DataParallelLoadBalancing.INTERNAL, or set parallelism.dataLocal between 2 and ${Ports.MAX_POOL_TARGET_PORTS}`);
  }
  if (spec.sidecarVllmPort !== undefined && !Ports.isValidPort(spec.sidecarVllmPort)) {
    throw ctx.error('vllmPort', spec.sidecarVllmPort, `is not a TCP port (1..${Ports.MAX_PORT})`, `leave it unset (${Ports.VLLM_BEHIND_SIDECAR}) or use a free port in 1..${Ports.MAX_PORT}`);
  }
  const ports = portLayout(pctx, {
    perRank: perRankAsked,
    ranks: perRankAsked ? parallelism.dataLocal : 1,
    behindSidecar: spec.behindSidecar ?? false,
    sidecarVllmPort: spec.sidecarVllmPort,
    rpcPort: !ray && (multiPod || perRankAsked) ? (p.dataRpcPort ?? Ports.DATA_PARALLEL_RPC) : undefined,
    rpcOnLeader: !ray && multiPod,
  });
  checkUniquePorts(ctx, spec, parallelism, ports);
  const profile = spec.profile;
  if (profile !== undefined && !(profile instanceof ModelProfile)) {
    throw new FieldContext(ctx.constructPath).error('profile', profile, 'must be a ModelProfile', "use a preset such as ModelProfile.LLAMA_3_1_8B, ModelProfile.of('Qwen/Qwen3-8B') or ModelProfile.custom({...})");
  }
  const derived = profile && spec.startupTimeout === undefined && !simulated
    ? Duration.seconds(derivedStartupSeconds(profile, multiPod, spec.modelLoadRate, ctx)) : undefined;
  const startupTimeout = spec.startupTimeout ?? derived ?? (multiPod ? StartupBudgets.MULTI_NODE : StartupBudgets.SINGLE_NODE);
  let capacity: CapacityFigures | undefined;
  if (profile && !simulated && accelerator.isDevice) {
    const engine = spec.engine._capacityOptions;
    const figures = planCapacity({
      ctx,
      profileCtx: new FieldContext(ctx.constructPath),
      roleName: ctx.prefix || undefined,
      profile,
      type: accelerator.type,
      perNode: accelerator.perNode,
      parallelism,
      maxModelLen: engine.maxModelLen,
      gpuMemoryUtilization: engine.gpuMemoryUtilization,
      quantization: engine.quantization,
      kvCacheDtype: engine.kvCacheDtype,
    });
    capacity = { ...figures, startupSeconds: startupTimeout.toSeconds() };
  }
  return {
    spec,
    ctx,
    parallelism,
    multiPod,
    ports,
    replicas: spec.replicas ?? 1,
    startupTimeout,
    capacity,
  };
}

/**
 * Ports of one serving pod. With per-rank ports the pod serves N public ports (8000..8000+N-1); vLLM serves its
 * ranks on the same ports, or behind the routing sidecar from 8200 on, and a supervisor on the port after its
 * last rank.
 */
interface PortLayoutInput {
  readonly perRank: boolean;
  readonly ranks: number;
  readonly behindSidecar: boolean;
  readonly sidecarVllmPort?: number;
  readonly rpcPort?: number;
  readonly rpcOnLeader: boolean;
}

function portLayout(pctx: FieldContext, o: PortLayoutInput): PortLayout {
  const perRank = o.perRank;
  const publicPorts = Array.from({ length: o.ranks }, (_, i) => Ports.SERVING + i);
  const enginePort = o.behindSidecar
    ? (o.sidecarVllmPort ?? (perRank ? Ports.VLLM_RANKS_BEHIND_SIDECAR : Ports.VLLM_BEHIND_SIDECAR))
    : Ports.SERVING;
  const enginePorts = Array.from({ length: o.ranks }, (_, i) => enginePort + i);
  const supervisorPort = perRank ? enginePort + o.ranks : undefined;
  if (o.rpcPort !== undefined && [...enginePorts, ...publicPorts, supervisorPort].includes(o.rpcPort)) {
    throw pctx.error('dataRpcPort', o.rpcPort, `collides with a serving port (${[...new Set([...publicPorts, ...enginePorts])].join(', ')}${supervisorPort ? `, supervisor ${supervisorPort}` : ''})`,
      `use another port, e.g. ${Ports.DATA_PARALLEL_RPC}`);
  }
  return { publicPorts, enginePort, enginePorts, supervisorPort, rpcPort: o.rpcOnLeader ? o.rpcPort : undefined, perRank };
}

/**
 * The ports a pod of the role declares, by what they are (serving, vLLM, supervisor, DP RPC, NIXL side channels).
 * @internal
 */
export function declaredPorts(plan: Pick<RolePlan, 'spec' | 'parallelism' | 'ports'>): Array<[string, number]> {
  const { spec, parallelism, ports } = plan;
  return [...basePorts(ports), ...nixlPorts(spec, parallelism).map((p): [string, number] => ['NIXL side-channel port', p])];
}

function nixlPorts(spec: RoleSpec, parallelism: ParallelismPlan): number[] {
  return spec.kvTransfer !== undefined && spec.kvTransfer._nixlSideChannel && spec.engine.kind !== EngineKind.SIMULATOR
    ? Array.from({ length: parallelism.dataLocal }, (_, i) => spec.kvTransfer!.sideChannelPort + i) : [];
}

function basePorts(ports: PortLayout): Array<[string, number]> {
  return [
    ...ports.publicPorts.map((p): [string, number] => ['serving port', p]),
    ...ports.enginePorts.filter((p) => !ports.publicPorts.includes(p)).map((p): [string, number] => ['vLLM port', p]),
    ...(ports.supervisorPort !== undefined ? [['supervisor port', ports.supervisorPort] as [string, number]] : []),
    ...(ports.rpcPort !== undefined ? [['data-parallel RPC port', ports.rpcPort] as [string, number]] : []),
  ];
}

/** Every port a pod of the role declares is declared once (the NIXL range against the other ports). */
function checkUniquePorts(ctx: FieldContext, spec: RoleSpec, parallelism: ParallelismPlan, ports: PortLayout): void {
  const declared = basePorts(ports);
  const nixl = nixlPorts(spec, parallelism);
  const clash = nixl.find((p) => declared.some(([, d]) => d === p));
  if (clash !== undefined) {
    const [what] = declared.find(([, d]) => d === clash)!;
    const field = what === 'data-parallel RPC port' ? 'parallelism.dataRpcPort' : (spec.behindSidecar && what === 'vLLM port' ? 'vllmPort' : 'kvTransfer');
    const value = field === 'parallelism.dataRpcPort' ? ports.rpcPort : (field === 'vllmPort' ? spec.sidecarVllmPort ?? ports.enginePort : spec.kvTransfer!.sideChannelPort);
    throw ctx.error(field, value, `the ${what} ${clash} is also a NIXL side-channel port (${nixl.join(', ')}); each port of a pod is bound by one listener`,
      `use another port (NIXL uses ${spec.kvTransfer!.sideChannelPort}..${spec.kvTransfer!.sideChannelPort + nixl.length - 1})`);
  }
}

function planNative(pctx: FieldContext, p: Parallelism, accelerator: Accelerator, shape: GroupShape): ParallelismPlan {
  if (shape === GroupShape.MULTI_POD) {
    for (const f of ['tensor', 'pipeline', 'data', 'dataLocal'] as const) pctx.positiveInt(f, p[f]);
    if ((p.pipeline ?? 1) > 1) {
      throw pctx.error('pipeline', p.pipeline, 'native data parallelism places whole DP ranks in pods; pipeline stages across pods need Ray',
        'use LaunchStrategy.ray() for pipeline parallelism across nodes');
    }
    if (p.expert && (p.data ?? 1) <= 1) {
      throw pctx.error('expert', true, 'expert parallelism across nodes needs data parallel ranks (data > 1)', 'set data (and dataLocal)');
    }
  }
  const plan = planParallelism(pctx, p, accelerator);
  if (plan.podsPerGroup > 1 && plan.pipeline > 1) {
    throw pctx.error('pipeline', plan.pipeline, 'a group spanning pods uses native data parallelism; pipeline stages across pods need Ray, which this pattern does not use',
      'use data/dataLocal for this role, or a single-node role with pipeline parallelism (MultiNodeGroup with LaunchStrategy.ray() for pipeline stages across nodes)');
  }
  return plan;
}

function planRay(pctx: FieldContext, p: Parallelism, accelerator: Accelerator, sglang: boolean): ParallelismPlan {
  for (const f of ['tensor', 'pipeline', 'data', 'dataLocal'] as const) pctx.positiveInt(f, p[f]);
  if (p.dataLocal !== undefined || (p.data ?? 1) > 1) {
    if (sglang) {
      throw pctx.error(p.dataLocal !== undefined ? 'dataLocal' : 'data', p.dataLocal ?? p.data,
        "SGLang's multi-node launch spreads one engine (tensor × pipeline) over the group; data-parallel ranks across nodes need its data-parallel attention, the wide-EP shape, which llm-d does not support with SGLang",
        'drop data/dataLocal (raise replicas for more groups), or use Engine.vllm() for data parallelism across nodes');
    }
    throw pctx.error(p.dataLocal !== undefined ? 'dataLocal' : 'data', p.dataLocal ?? p.data, 'the Ray launch spreads one engine (tensor × pipeline) over the group; data parallel ranks are not placed per pod',
      'use LaunchStrategy.dataParallel() for data parallelism, or drop data/dataLocal');
  }
  if (p.expert && !sglang) throw pctx.error('expert', true, 'expert parallelism needs data parallel ranks', 'use LaunchStrategy.dataParallel() with data > 1');
  const tensor = p.tensor ?? 1;
  const pipeline = p.pipeline ?? 1;
  const perPod = accelerator.requestedCount ?? accelerator.perNode;
  const total = tensor * pipeline;
  if (total % perPod !== 0) {
    throw pctx.error('tensor', tensor, `tensor ${tensor} × pipeline ${pipeline} = ${total} accelerators do not fill whole pods of ${perPod}`,
      `make tensor × pipeline a multiple of ${perPod} (e.g. tensor ${perPod} × pipeline ${Math.max(2, Math.ceil(total / perPod))})`);
  }
  return { tensor, pipeline, data: 1, dataLocal: 1, expert: sglang && p.expert === true, acceleratorsPerPod: perPod, podsPerGroup: total / perPod };
}

/** Constructs whose serving patterns keep KServe's rollout defaults (the KServe translation). */
const KSERVE_ROLLOUT_SCOPES = new WeakSet<IConstruct>();

/**
 * Mark `scope`: the patterns created directly below it leave an unset rolloutStrategy unset, as the KServe
 * controller does, instead of rolling accelerator Deployments without surge.
 * @internal
 */
export function keepKServeRolloutDefaults(scope: IConstruct): void {
  KSERVE_ROLLOUT_SCOPES.add(scope);
}

/** Whether a pattern created in `scope` rolls accelerator Deployments without surge by default. @internal */
export function noSurgeByDefault(scope: IConstruct): boolean {
  return !KSERVE_ROLLOUT_SCOPES.has(scope);
}
