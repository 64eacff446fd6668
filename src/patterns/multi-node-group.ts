import { ApiObject, Duration, Size } from 'cdk8s';
import { Construct } from 'constructs';
import { modelInputs, ModelServingProps } from './serving-props';
import { attachServingRouting, checkSchedulerFitsServer } from './serving-routing';
import { Engine, EngineKind, MultiNodeEngineFlags } from '../engine/engine';
import * as k8s from '../imports/k8s';
import { FieldContext } from '../internal/context';
import { Accelerator } from '../model/accelerator';
import { DataParallelLoadBalancing, Parallelism, ParallelismPlan, planParallelism } from '../model/parallelism';
import { RdmaOptions, withRdma } from '../model/rdma';
import { EndpointPicker } from '../routing/endpoint-picker';
import { InferencePool } from '../routing/inference-pool';
import { SchedulerConfig } from '../scheduler/scheduler-config';
import { dataParallelLauncher, rayLeaderLauncher, rayWorkerLauncher } from '../serving/launchers';
import { modelServerPodSpec, ServingResources } from '../serving/model-server';
import { createWorkloadService } from '../serving/workload';
import { Versions } from '../versions';
import { ServingRole, WiringLabels } from '../wiring/labels';
import { ResourceNames } from '../wiring/names';
import { Ports } from '../wiring/ports';

/** How the pods of a group start the engine. */
export class LaunchStrategy {
  /** Native vLLM data parallelism: every pod runs `vllm serve` with its DP slice and start rank. */
  public static dataParallel(loadBalancing: DataParallelLoadBalancing = DataParallelLoadBalancing.INTERNAL): LaunchStrategy {
    return new LaunchStrategy('data-parallel', loadBalancing);
  }

  /** Ray for tensor/pipeline parallelism across nodes: the leader starts the Ray head and serves; workers join it. */
  public static ray(): LaunchStrategy {
    return new LaunchStrategy('ray', undefined);
  }

  private constructor(
    /** `data-parallel` or `ray`. */
    public readonly kind: string,
    /** The DP load-balancing mode. */
    public readonly loadBalancing?: DataParallelLoadBalancing,
  ) {}
}

/** NCCL / NVSHMEM / UCX settings of multi-node pods. */
export interface MultiNodeNetworkOptions {
  /**
   * Interface for bootstrap and socket traffic (`NCCL_SOCKET_IFNAME`, `GLOO_SOCKET_IFNAME`, `NVSHMEM_BOOTSTRAP_UID_SOCK_IFNAME`).
   * @default - NCCL's own choice
   */
  readonly socketInterface?: string;
  /**
   * RDMA HCAs (`NCCL_IB_HCA`, `NVSHMEM_HCA_LIST`, `UCX_NET_DEVICES`), e.g. `mlx5_0:1,mlx5_1:1`.
   * @default - all HCAs
   */
  readonly ibHcas?: string;
  /**
   * RoCE GID index (`NCCL_IB_GID_INDEX`, `NVSHMEM_IB_GID_INDEX`, `UCX_IB_GID_INDEX`).
   * @default - the library default of each
   */
  readonly gidIndex?: number;
  /**
   * `NCCL_DEBUG`, e.g. `INFO`.
   * @default - unset (WARN)
   */
  readonly ncclDebug?: string;
}

/** Props of {@link MultiNodeGroup}. */
export interface MultiNodeGroupProps extends ModelServingProps {
  /** Parallelism of one group: data/dataLocal (pods = data / dataLocal) or tensor × pipeline across nodes (Ray). */
  readonly parallelism: Parallelism;
  /**
   * How pods start the engine.
   * @default - LaunchStrategy.dataParallel() when data > 1, otherwise LaunchStrategy.ray()
   */
  readonly launch?: LaunchStrategy;
  /**
   * Number of groups (LeaderWorkerSet replicas).
   * @default 1
   */
  readonly replicas?: number;
  /**
   * CPU and memory per pod.
   * @default - none
   */
  readonly resources?: ServingResources;
  /**
   * `/dev/shm` size.
   * @default - 2Gi per accelerator, at most 16Gi
   */
  readonly sharedMemory?: Size;
  /**
   * RDMA resources, network annotation and IPC_LOCK.
   * @default - none
   */
  readonly rdma?: RdmaOptions;
  /**
   * NCCL / NVSHMEM / UCX settings.
   * @default - none
   */
  readonly network?: MultiNodeNetworkOptions;
  /**
   * `--all2all-backend` for expert parallelism, e.g. `deepep_high_throughput`.
   * @default - vLLM's default (allgather_reducescatter)
   */
  readonly all2allBackend?: string;
  /**
   * Expert-parallel load balancing (`--enable-eplb`).
   * @default false
   */
  readonly expertLoadBalancing?: boolean;
  /**
   * EPP scheduling config (creates pool and EPP).
   * @default - no scheduler
   */
  readonly scheduler?: SchedulerConfig;

}

const NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const MAX_RANK_PORTS = 8;

/**
 * A model served across nodes (KServe Mode C, llm-d wide expert parallelism): a LeaderWorkerSet `N-kserve-mn`
 * whose groups run vLLM with native data parallelism (internal or per-rank external load balancing) or with Ray
 * for tensor × pipeline parallelism, plus the workload Service and, optionally, pool, EPP and route.
 */
export class MultiNodeGroup extends Construct {
  /** Service name `N`. */
  public readonly name: string;
  /** Served model name. */
  public readonly servedModelName: string;
  /** The LeaderWorkerSet. */
  public readonly leaderWorkerSet: ApiObject;
  /** The workload Service. */
  public readonly service: ApiObject;
  /** Pods per group. */
  public readonly groupSize: number;
  /** Accelerators per pod. */
  public readonly acceleratorsPerPod: number;
  /** Ports that serve requests on each serving pod (the pool's targetPorts). */
  public readonly servingPorts: number[];
  /** The pool, with a scheduler. */
  public readonly inferencePool?: InferencePool;
  /** The EPP, with a scheduler. */
  public readonly endpointPicker?: EndpointPicker;
  /** The route. */
  public readonly route?: ApiObject;

  constructor(scope: Construct, id: string, props: MultiNodeGroupProps) {
    super(scope, id);
    const ctx = new FieldContext(this.node.path);
    if (!props || !props.model) throw ctx.error('model', props?.model, 'is required', "pass a ModelSource, e.g. ModelSource.huggingFace('deepseek-ai/DeepSeek-R1')");
    this.name = props.name ?? id;
    if (!NAME.test(this.name) || this.name.length > 63) throw ctx.error('name', this.name, 'must be a DNS-1035 label of at most 63 characters', "use lowercase letters, digits and '-'");
    ctx.positiveInt('replicas', props.replicas);
    this.servedModelName = props.servedModelName ?? id;
    const engine = props.engine ?? Engine.vllm();
    if (engine.kind === EngineKind.SIMULATOR) {
      throw ctx.error('engine', 'simulator', 'the inference simulator runs one process per pod and cannot form a multi-node group', 'use Engine.vllm(), or LlmService/PrefillDecodePair with the simulator');
    }
    const accelerator = props.accelerator ?? Accelerator.nvidia();
    accelerator._validate(ctx.child('accelerator'));
    if (!accelerator.isDevice) throw ctx.error('accelerator', accelerator.vendor, 'multi-node serving splits a model across accelerators', 'use a GPU/TPU accelerator');
    const p = props.parallelism ?? {};
    const pctx = ctx.child('parallelism');
    for (const f of ['tensor', 'pipeline', 'data', 'dataLocal'] as const) pctx.positiveInt(f, p[f]);
    const launch = props.launch ?? ((p.data ?? 1) > 1 ? LaunchStrategy.dataParallel() : LaunchStrategy.ray());
    const ray = launch.kind === 'ray';
    const external = launch.loadBalancing === DataParallelLoadBalancing.EXTERNAL_PER_RANK;

    let plan: ParallelismPlan;
    if (ray) {
      if (p.dataLocal !== undefined || (p.data ?? 1) > 1) {
        throw pctx.error(p.dataLocal !== undefined ? 'dataLocal' : 'data', p.dataLocal ?? p.data, 'the Ray launch spreads one engine (tensor × pipeline) over the group; data parallel ranks are not placed per pod',
          'use LaunchStrategy.dataParallel() for data parallelism, or drop data/dataLocal');
      }
      if (p.expert) throw pctx.error('expert', true, 'expert parallelism needs data parallel ranks', 'use LaunchStrategy.dataParallel() with data > 1');
      const tensor = p.tensor ?? 1;
      const pipeline = p.pipeline ?? 1;
      const perPod = accelerator.requestedCount ?? accelerator.perNode;
      const total = tensor * pipeline;
      if (total % perPod !== 0) {
        throw pctx.error('tensor', tensor, `tensor ${tensor} × pipeline ${pipeline} = ${total} accelerators do not fill whole pods of ${perPod}`,
          `make tensor × pipeline a multiple of ${perPod} (e.g. tensor ${perPod} × pipeline ${Math.max(2, Math.ceil(total / perPod))})`);
      }
      plan = { tensor, pipeline, data: 1, dataLocal: 1, expert: false, acceleratorsPerPod: perPod, podsPerGroup: total / perPod };
    } else {
      if ((p.pipeline ?? 1) > 1) {
        throw pctx.error('pipeline', p.pipeline, 'native data parallelism places whole DP ranks in pods; pipeline stages across pods need Ray',
          'use LaunchStrategy.ray() for pipeline parallelism across nodes');
      }
      if (p.expert && (p.data ?? 1) <= 1) {
        throw pctx.error('expert', true, 'expert parallelism across nodes needs data parallel ranks (data > 1)', 'set data (and dataLocal)');
      }
      plan = planParallelism(pctx, p, accelerator);
    }
    if (plan.podsPerGroup < 2) {
      throw pctx.error(ray ? 'tensor' : 'dataLocal', ray ? plan.tensor : plan.dataLocal, `the computed group size is ${plan.podsPerGroup} pod: it fits one node`,
        'use LlmService for single-node serving, or raise the parallelism');
    }
    if (external && plan.dataLocal > MAX_RANK_PORTS) {
      throw pctx.error('dataLocal', plan.dataLocal, `needs ${plan.dataLocal} per-rank ports but an InferencePool lists at most ${MAX_RANK_PORTS}`, `keep dataLocal <= ${MAX_RANK_PORTS}, or use DataParallelLoadBalancing.INTERNAL`);
    }
    this.groupSize = plan.podsPerGroup;
    this.acceleratorsPerPod = plan.acceleratorsPerPod;
    this.servingPorts = external ? Array.from({ length: plan.dataLocal }, (_, r) => Ports.SERVING + r) : [Ports.SERVING];
    const supervisorPort = external ? Ports.SERVING + plan.dataLocal : undefined;
    const rpcPort = p.dataRpcPort ?? Ports.DATA_PARALLEL_RPC;
    if (!ray && (this.servingPorts.includes(rpcPort) || rpcPort === supervisorPort)) {
      throw pctx.error('dataRpcPort', rpcPort, `collides with a serving port (${this.servingPorts.join(', ')}${supervisorPort ? `, supervisor ${supervisorPort}` : ''})`, `use another port, e.g. ${Ports.DATA_PARALLEL_RPC}`);
    }
    if (props.all2allBackend !== undefined && !plan.expert) {
      throw ctx.error('all2allBackend', props.all2allBackend, 'only applies to expert parallelism', 'set parallelism.expert, or drop all2allBackend');
    }

    const names = ResourceNames.of(this.name);
    const namespace = props.namespace;
    const lwsName = names.mainLeaderWorkerSet;
    const serviceAccountName = lwsName;
    const rdma = props.rdma;
    const env = networkEnv(props.network);
    if (ray) env.push({ name: 'VLLM_HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } });

    checkSchedulerFitsServer(ctx, props.scheduler, (props.loraAdapters ?? []).length, props.lora?.runtimeUpdates ?? false);
    const routing = attachServingRouting(this, {
      ctx,
      name: this.name,
      namespace,
      servedModelName: this.servedModelName,
      targetPorts: this.servingPorts,
      scheduler: props.scheduler,
      endpointPicker: props.endpointPicker,
      route: props.route,
      gateway: props.gateway,
      workloadService: names.workloadService,
      servicePort: Ports.SERVING,
    });
    this.inferencePool = routing.pool;
    this.endpointPicker = routing.endpointPicker;
    this.route = routing.route;

    const launcher = (leader: boolean) => {
      if (!ray) return dataParallelLauncher(plan.dataLocal);
      return leader ? rayLeaderLauncher(plan.podsPerGroup, plan.acceleratorsPerPod) : rayWorkerLauncher(plan.acceleratorsPerPod);
    };
    const pod = (leader: boolean): k8s.PodSpec => {
      const serves = ray ? leader : (external || leader);
      const flags: MultiNodeEngineFlags = {
        dataParallel: !ray,
        headless: !ray && !serves,
        externalLbSupervisorPort: supervisorPort,
        rpcPort: ray ? undefined : rpcPort,
        ray,
        all2allBackend: props.all2allBackend,
        eplb: props.expertLoadBalancing,
      };
      const spec = modelServerPodSpec({
        ctx,
        engine,
        ...modelInputs(props, this.servedModelName),
        plan,
        accelerator: withRdma(accelerator, rdma),
        port: Ports.SERVING,
        startupTimeout: props.startupTimeout ?? Duration.minutes(30),
        resources: props.resources ?? {},
        sharedMemory: props.sharedMemory,
        serviceAccountName,
        extraEnv: env,
        addCapabilities: rdma ? ['IPC_LOCK'] : undefined,
        multiNode: flags,
        command: launcher(leader),
        servingPorts: serves ? this.servingPorts.map((port, r) => ({ name: external ? `rank${r}` : 'http', containerPort: port, protocol: 'TCP' })) : [],
        probe: supervisorPort !== undefined ? { port: supervisorPort, readinessPath: '/readyz' } : undefined,
        noProbes: !serves,
      });
      if (supervisorPort !== undefined && serves) spec.containers[0].ports!.push({ name: 'supervisor', containerPort: supervisorPort, protocol: 'TCP' });
      if (ray && !leader) (spec.containers[0] as any).args = undefined;
      if (!serves && (spec.containers[0].ports ?? []).length === 0) (spec.containers[0] as any).ports = undefined;
      return spec;
    };

    const workerLabels = external
      ? WiringLabels.servingPod(this.name, 'llminferenceservice-workload-worker', ServingRole.BOTH)
      : WiringLabels.component(this.name, 'llminferenceservice-workload-worker');
    const annotations = rdma?.networks ? { 'k8s.v1.cni.cncf.io/networks': rdma.networks } : undefined;
    const template = (labels: Record<string, string>, spec: k8s.PodSpec) => k8s.toJson_PodTemplateSpec({ metadata: { labels, annotations }, spec });
    const leaderWorkerTemplate: Record<string, any> = {
      size: plan.podsPerGroup,
      restartPolicy: 'RecreateGroupOnPodRestart',
      workerTemplate: template(workerLabels, pod(false)),
    };
    if (!external) {
      leaderWorkerTemplate.leaderTemplate = template(WiringLabels.servingPod(this.name, 'llminferenceservice-workload-leader', ServingRole.BOTH), pod(true));
    }
    new ApiObject(this, 'ServiceAccount', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: serviceAccountName, namespace, labels: WiringLabels.component(this.name, 'llminferenceservice-workload') },
    });
    this.leaderWorkerSet = new ApiObject(this, 'LeaderWorkerSet', {
      apiVersion: Versions.LEADER_WORKER_SET_API,
      kind: 'LeaderWorkerSet',
      metadata: { name: lwsName, namespace, labels: WiringLabels.component(this.name, 'llminferenceservice-workload-worker') },
      spec: {
        replicas: props.replicas ?? 1,
        startupPolicy: 'LeaderCreated',
        rolloutStrategy: { type: 'RollingUpdate', rollingUpdateConfiguration: { maxUnavailable: 1, maxSurge: 0 } },
        leaderWorkerTemplate,
      },
    });
    this.service = createWorkloadService(this, this.name, namespace);
  }
}

function networkEnv(n: MultiNodeNetworkOptions = {}): k8s.EnvVar[] {
  const env: k8s.EnvVar[] = [];
  const set = (names: string[], value: string | number | undefined) => {
    if (value !== undefined) for (const name of names) env.push({ name, value: String(value) });
  };
  set(['NCCL_SOCKET_IFNAME', 'GLOO_SOCKET_IFNAME', 'NVSHMEM_BOOTSTRAP_UID_SOCK_IFNAME'], n.socketInterface);
  set(['NCCL_IB_HCA', 'NVSHMEM_HCA_LIST', 'UCX_NET_DEVICES'], n.ibHcas);
  set(['NCCL_IB_GID_INDEX', 'NVSHMEM_IB_GID_INDEX', 'UCX_IB_GID_INDEX'], n.gidIndex);
  set(['NCCL_DEBUG'], n.ncclDebug);
  return env;
}
