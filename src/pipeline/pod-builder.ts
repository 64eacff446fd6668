import { EngineLaunch, RolePlan } from './role-plan';
import { ModelInputs } from './serving-inputs';
import { EngineKind, MultiNodeEngineFlags } from '../engine/engine';
import * as k8s from '../imports/k8s';
import { kvTransferConfig } from '../model/kv-cache';
import { RdmaOptions, withRdma } from '../model/rdma';
import { addTracingEnv, ResolvedTracing, TracedComponent, tracingEnv, vllmTracingArgs } from '../operations/tracing';
import { dataParallelLauncher, rayLeaderLauncher, rayWorkerLauncher } from '../serving/launchers';
import { MAIN_CONTAINER, modelServerPodSpec } from '../serving/model-server';
import { ServingRole } from '../wiring/labels';
import { Ports } from '../wiring/ports';

/** The kinds of pod a role runs. @internal */
export enum PodKind {
  /** A Deployment pod: the whole engine, serving. */
  SERVING = 'serving',
  /** A LeaderWorkerSet leader: serves (and runs the Ray head with the Ray launch). */
  LEADER = 'leader',
  /** A LeaderWorkerSet worker: `--headless` DP ranks, serving per-rank ports, or a Ray worker. */
  WORKER = 'worker',
}

/** What every pod of a stack shares, beyond its role plan. @internal */
export interface SharedPodInputs {
  readonly model: ModelInputs;
  readonly kvEvents?: { readonly endpoint: string; readonly topic: string; readonly bindPort?: number };
  readonly requiredBlockSize?: number;
  readonly rdma?: RdmaOptions;
  /** The routing sidecar container (decode pods that serve). */
  readonly sidecar?: k8s.Container;
  readonly serviceAccountName?: string;
  /** Grace period of the pods and vLLM's drain derived from it. */
  readonly drain: { readonly graceSeconds: number; readonly shutdownTimeoutSeconds: number };
  /** OpenTelemetry tracing of the model server (KServe's spec.tracing). */
  readonly tracing?: { readonly options: ResolvedTracing; readonly namespace?: string; readonly serviceName: string };
  /** TLS of the serving pods (the certificate Secret); pods that serve no HTTP get none. */
  readonly tls?: { readonly secretName: string };
  /** The ResourceClaimTemplate of the role's DRA-claimed accelerators. */
  readonly deviceClaimTemplate?: string;
}

/** The pod kinds a role's workload has: one template for a Deployment, leader and/or worker for a group. @internal */
export function podKindsOf(plan: RolePlan): PodKind[] {
  if (!plan.multiPod) return [PodKind.SERVING];
  // Per-rank groups have no leader template: every pod serves its ranks (KServe, llm-d wide EP).
  return plan.ports.perRank ? [PodKind.WORKER] : [PodKind.LEADER, PodKind.WORKER];
}

/** Whether pods of this kind serve HTTP (and so carry serving ports, probes and the routing sidecar). @internal */
export function podServes(plan: RolePlan, kind: PodKind): boolean {
  return kind !== PodKind.WORKER || plan.ports.perRank;
}

/**
 * The pod spec of one pod kind of a role: engine flags, ports, probes and launcher all follow from the plan,
 * so no pattern edits a pod spec after it is built.
 * @internal
 */
export function rolePodSpec(plan: RolePlan, kind: PodKind, shared: SharedPodInputs): k8s.PodSpec {
  const { spec, ports, parallelism } = plan;
  const serves = podServes(plan, kind);
  const ray = spec.launch === EngineLaunch.RAY;
  const sglangNodes = spec.launch === EngineLaunch.SGLANG_NODES;
  const simulated = spec.engine.kind === EngineKind.SIMULATOR;
  const decode = spec.role === ServingRole.DECODE;
  const kv = spec.kvTransfer;
  const flags: MultiNodeEngineFlags = {
    dataParallel: !ray && !sglangNodes && (plan.multiPod || ports.perRank),
    headless: !ray && !sglangNodes && !serves,
    rpcPort: ports.rpcPort,
    ray,
    externalLbSupervisorPort: ports.supervisorPort,
    all2allBackend: spec.all2allBackend,
    eplb: spec.expertLoadBalancing,
    sglangNodes: sglangNodes ? { nodes: parallelism.podsPerGroup, distInitPort: Ports.SGLANG_DIST_INIT } : undefined,
  };
  const portNames = enginePortNames(plan);
  const servingPorts: k8s.ContainerPort[] = !serves ? [] : [
    ...ports.enginePorts.map((containerPort, i) => ({ name: portNames[i], containerPort, protocol: 'TCP' })),
    ...(ports.supervisorPort !== undefined ? [{ name: Ports.SUPERVISOR_NAME, containerPort: ports.supervisorPort, protocol: 'TCP' }] : []),
  ];
  // NIXL: one side-channel port per local DP rank (base + local rank).
  const nixl = kv !== undefined && kv._nixlSideChannel && !simulated;
  const nixlPorts: k8s.ContainerPort[] = !nixl ? [] : Array.from({ length: parallelism.dataLocal }, (_, i) => ({
    name: i === 0 ? Ports.NIXL_SIDE_CHANNEL_NAME : `${Ports.NIXL_SIDE_CHANNEL_NAME}-${i}`, containerPort: kv.sideChannelPort + i, protocol: 'TCP',
  }));
  // SGLang P/D: the prefill pods' bootstrap server, where decode engines register for each request's KV.
  const sglangPd = kv?._sglang !== undefined && spec.engine.kind === EngineKind.SGLANG;
  const bootstrapPorts: k8s.ContainerPort[] = sglangPd && spec.role === ServingRole.PREFILL
    ? [{ name: Ports.SGLANG_BOOTSTRAP_NAME, containerPort: Ports.SGLANG_BOOTSTRAP, protocol: 'TCP' }] : [];
  const rayEnv: k8s.EnvVar[] = ray ? [{ name: 'VLLM_HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }] : [];
  const role = kv === undefined ? undefined : (spec.role === ServingRole.PREFILL ? 'prefill' : 'decode');
  const cache = spec.kvCache?.enabled && !simulated ? spec.kvCache : undefined;
  const pod = modelServerPodSpec({
    ctx: plan.ctx,
    engine: spec.engine,
    ...shared.model,
    plan: parallelism,
    accelerator: withRdma(spec.accelerator, shared.rdma),
    port: ports.enginePort,
    startupTimeout: plan.startupTimeout,
    resources: spec.resources ?? {},
    sharedMemory: spec.sharedMemory,
    serviceAccountName: shared.serviceAccountName,
    terminationGraceSeconds: shared.drain.graceSeconds,
    shutdownTimeoutSeconds: shared.drain.shutdownTimeoutSeconds,
    kvEvents: shared.kvEvents,
    requiredBlockSize: shared.requiredBlockSize,
    kvTransferConfig: simulated ? undefined : kvTransferConfig(kv, role ?? 'decode', cache),
    extraEnv: [...(kv === undefined || simulated ? [] : kv._env()), ...(cache?._env() ?? []), ...(spec.extraEnv ?? []), ...rayEnv],
    kvCache: cache,
    servingPorts,
    extraPorts: [...nixlPorts, ...bootstrapPorts, ...(sglangNodes && kind === PodKind.LEADER
      ? [{ name: Ports.SGLANG_DIST_INIT_NAME, containerPort: Ports.SGLANG_DIST_INIT, protocol: 'TCP' }] : [])],
    sglangDisaggregation: sglangPd ? {
      mode: spec.role === ServingRole.PREFILL ? 'prefill' : 'decode',
      transferBackend: kv._sglang!.backend,
      ibDevice: kv._sglang!.ibDevice,
      bootstrapPort: Ports.SGLANG_BOOTSTRAP,
    } : undefined,
    nativeSidecars: decode && serves && shared.sidecar ? [shared.sidecar] : undefined,
    addCapabilities: shared.rdma ? ['IPC_LOCK'] : undefined,
    multiNode: flags,
    command: launcherOf(plan, kind),
    engineArgs: !(ray && kind === PodKind.WORKER),
    probe: ports.perRank ? { port: ports.supervisorPort!, readinessPath: '/readyz' } : undefined,
    noProbes: !serves,
    tls: serves ? shared.tls : undefined,
    deviceClaimTemplate: shared.deviceClaimTemplate,
  });
  if (!shared.tracing) return pod;
  const component = spec.role === ServingRole.PREFILL ? TracedComponent.PREFILL : TracedComponent.DECODE;
  return withTracing(pod, shared.tracing, component, spec.engine.kind === EngineKind.VLLM);
}

/**
 * KServe's tracing of the model server (LLMInferenceService §3.9): `--otlp-traces-endpoint` and
 * `--collect-detailed-traces all` on vLLM (the simulator has no such flags), the OTEL_* env on every pod kind,
 * never overwriting a variable the user set.
 */
function withTracing(pod: k8s.PodSpec, tracing: NonNullable<SharedPodInputs['tracing']>, component: TracedComponent, vllm: boolean): k8s.PodSpec {
  const env = tracingEnv(tracing.options, component, tracing.namespace, tracing.serviceName);
  return {
    ...pod,
    containers: pod.containers.map((c) => {
      if (c.name !== MAIN_CONTAINER) return c;
      const args = vllm && c.args ? [...c.args, ...vllmTracingArgs(tracing.options)] : c.args;
      return addTracingEnv({ ...c, args }, env);
    }),
  };
}

function launcherOf(plan: RolePlan, kind: PodKind): string[] | undefined {
  if (!plan.multiPod || plan.spec.launch === EngineLaunch.SGLANG_NODES) return undefined;
  const p = plan.parallelism;
  if (plan.spec.launch === EngineLaunch.NATIVE) return dataParallelLauncher(p.dataLocal);
  return kind === PodKind.LEADER ? rayLeaderLauncher(p.podsPerGroup, p.acceleratorsPerPod) : rayWorkerLauncher(p.acceleratorsPerPod);
}

/**
 * Names of vLLM's API ports in a role's serving pods (where it also serves `/metrics`): `http`, or `vllm` behind
 * the routing sidecar; `rank<i>` / `vllm-rank<i>` with per-rank ports.
 * @internal
 */
export function enginePortNames(plan: RolePlan): string[] {
  const behind = plan.spec.behindSidecar ?? false;
  if (plan.ports.perRank) return plan.ports.enginePorts.map((_, i) => (behind ? `${Ports.VLLM_BEHIND_SIDECAR_NAME}-${Ports.rankPortName(i)}` : Ports.rankPortName(i)));
  return [behind ? Ports.VLLM_BEHIND_SIDECAR_NAME : Ports.SERVING_NAME];
}
