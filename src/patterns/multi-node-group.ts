import { ApiObject, Size } from 'cdk8s';
import { Construct } from 'constructs';
import { modelInputs, ModelServingProps } from './serving-props';
import { Engine, EngineKind } from '../engine/engine';
import * as k8s from '../imports/k8s';
import { FieldContext } from '../internal/context';
import { checkArgs } from '../internal/prop-check';
import { Accelerator } from '../model/accelerator';
import { DataParallelLoadBalancing, Parallelism } from '../model/parallelism';
import { RdmaOptions } from '../model/rdma';
import { Autoscaling } from '../operations/autoscaling';
import { DisruptionBudget } from '../operations/disruption-budget';
import { NetworkPolicies } from '../operations/network-policy';
import { EngineLaunch, GroupShape } from '../pipeline/role-plan';
import { ILlmServingEndpoint, LlmServingEndpoints } from '../pipeline/serving-endpoint';
import { runServingPipeline, validateServiceName } from '../pipeline/serving-pipeline';
import { EndpointPicker } from '../routing/endpoint-picker';
import { InferencePool } from '../routing/inference-pool';
import { SchedulerConfig } from '../scheduler/scheduler-config';
import { ServingResources } from '../serving/model-server';
import { registerSynthValidation } from '../validation/synth-validation';
import { ServingRole } from '../wiring/labels';
import { ResourceNames } from '../wiring/names';
import { resolveNamespace } from '../wiring/namespace';
import { Ports } from '../wiring/ports';

/** How the pods of a group start the engine. */
export class LaunchStrategy {
  /** Native vLLM data parallelism: every pod runs `vllm serve` with its DP slice and start rank. */
  public static dataParallel(loadBalancing: DataParallelLoadBalancing = DataParallelLoadBalancing.INTERNAL): LaunchStrategy {
    checkArgs('LaunchStrategy.dataParallel', arguments);
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
  /**
   * Accept a computed group size of 1 (`dataLocal` equal to `data`): each LeaderWorkerSet group is then one leader
   * pod. The KServe controller renders a LeaderWorkerSet whenever `worker` is set, and Kueue's LeaderWorkerSet
   * integration keys off that form.
   * @default false (a one-pod group is refused: use LlmService)
   */
  readonly allowSinglePodGroups?: boolean;
  /** Parallelism of one group: data/dataLocal (pods = data / dataLocal) or tensor × pipeline across nodes (Ray). */
  readonly parallelism: Parallelism;
  /**
   * How pods start the engine.
   * @default - LaunchStrategy.dataParallel() when data > 1, otherwise LaunchStrategy.ray(); with Engine.sglang(), SGLang's
   * own multi-node launch (`--nnodes`, `--node-rank`, `--dist-init-addr`; no other launch is accepted)
   */
  readonly launch?: LaunchStrategy;
  /**
   * Number of groups (LeaderWorkerSet replicas).
   * @default 1
   */
  readonly replicas?: number;
  /**
   * How the workload scales (instead of `replicas`); the manifest then has no `spec.replicas`.
   * @default - a fixed replica count
   */
  readonly autoscaling?: Autoscaling;
  /**
   * PodDisruptionBudget of the workload.
   * @default DisruptionBudget.maxUnavailable(1)
   */
  readonly disruptionBudget?: DisruptionBudget;
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

/**
 * A model served across nodes (KServe Mode C, llm-d wide expert parallelism): a LeaderWorkerSet `N-kserve-mn`
 * whose groups run vLLM with native data parallelism (internal or per-rank external load balancing) or with Ray
 * for tensor × pipeline parallelism, plus the workload Service and, optionally, pool, EPP and route.
 */
export class MultiNodeGroup extends Construct implements ILlmServingEndpoint {
  /** Service name `N`. */
  public readonly name: string;
  /** Namespace, when known at synth time. */
  public readonly namespace?: string;
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
  /** Ports that serve requests on each serving pod (the InferencePool's target ports; same as `servingPorts`). */
  public readonly targetPorts: number[];
  /** Port of the workload Service. */
  public readonly servicePort: number;
  /** Labels that select every serving pod. */
  public readonly selectorLabels: Record<string, string>;
  /** The pool, with a scheduler. */
  public readonly inferencePool?: InferencePool;
  /** The EPP, with a scheduler. */
  public readonly endpointPicker?: EndpointPicker;
  /** The route. */
  public readonly route?: ApiObject;

  constructor(scope: Construct, id: string, props: MultiNodeGroupProps) {
    super(scope, id);
    checkArgs('MultiNodeGroup.constructor', arguments, this.node.path);
    registerSynthValidation(this);
    const ctx = new FieldContext(this.node.path);
    if (!props || !props.model) throw ctx.error('model', props?.model, 'is required', "pass a ModelSource, e.g. ModelSource.huggingFace('deepseek-ai/DeepSeek-R1')");
    this.name = props.name ?? id;
    validateServiceName(ctx, this.name);
    this.namespace = resolveNamespace(this, props.namespace);
    this.servedModelName = props.servedModelName ?? id;
    const engine = props.engine ?? Engine.vllm();
    if (engine.kind === EngineKind.SIMULATOR) {
      throw ctx.error('engine', 'simulator', 'the inference simulator runs one process per pod and cannot form a multi-node group', 'use Engine.vllm(), or LlmService/PrefillDecodePair with the simulator');
    }
    const accelerator = props.accelerator ?? Accelerator.nvidia();
    accelerator._validate(ctx.child('accelerator'));
    if (!accelerator.isDevice) throw ctx.error('accelerator', accelerator.vendor, 'multi-node serving splits a model across accelerators', 'use a GPU/TPU accelerator');
    const p = props.parallelism ?? {};
    const sglang = engine.kind === EngineKind.SGLANG;
    if (sglang && props.launch !== undefined) {
      throw ctx.error('launch', props.launch.kind, "is a vLLM launch (Ray, or vLLM's data-parallel ranks); SGLang joins the nodes itself with --nnodes/--node-rank/--dist-init-addr",
        'leave launch unset with Engine.sglang()');
    }
    const launch = props.launch ?? ((p.data ?? 1) > 1 && !sglang ? LaunchStrategy.dataParallel() : LaunchStrategy.ray());
    const stack = runServingPipeline(this, {
      ctx,
      monitoring: props.monitoring,
      tracing: props.tracing,
      networkPolicy: props.networkPolicy ?? NetworkPolicies.derived(),
      tls: props.tls,
      placement: props.placement,
      imageRegistry: props.imageRegistry,
      name: this.name,
      namespace: props.namespace,
      model: modelInputs(props, this.servedModelName),
      roles: [{
        role: ServingRole.BOTH,
        ctx,
        kvCache: props.kvCache,
        engine,
        accelerator,
        parallelism: p,
        launch: sglang ? EngineLaunch.SGLANG_NODES : launch.kind === 'ray' ? EngineLaunch.RAY : EngineLaunch.NATIVE,
        shape: GroupShape.MULTI_POD,
        forceGroup: props.allowSinglePodGroups,
        forceGroupField: 'allowSinglePodGroups',
        loadBalancing: launch.loadBalancing ?? DataParallelLoadBalancing.INTERNAL,
        replicas: props.replicas,
        autoscaling: props.autoscaling,
        disruptionBudget: props.disruptionBudget,
        resources: props.resources,
        sharedMemory: props.sharedMemory,
        startupTimeout: props.startupTimeout,
        profile: props.profile,
        modelLoadRate: props.modelLoadRate,
        all2allBackend: props.all2allBackend,
        expertLoadBalancing: props.expertLoadBalancing,
        extraEnv: networkEnv(props.network),
        serviceAccountName: props.serviceAccountName,
        podLabels: props.podLabels,
        podAnnotations: props.podAnnotations,
        rolloutStrategy: props.rolloutStrategy,
        workloadLabels: props.workloadLabels,
        workloadAnnotations: props.workloadAnnotations,
        workloadIds: { deployment: 'LeaderWorkerSet', group: 'LeaderWorkerSet' },
      }],
      scheduler: props.scheduler,
      endpointPicker: props.endpointPicker,
      route: props.route,
      gateway: props.gateway,
      terminationGracePeriod: props.terminationGracePeriod,
      rdma: props.rdma,
    });
    const plan = stack.plans[0];
    this.groupSize = plan.parallelism.podsPerGroup;
    this.acceleratorsPerPod = plan.parallelism.acceleratorsPerPod;
    this.servingPorts = stack.targetPorts;
    this.targetPorts = stack.targetPorts;
    this.servicePort = Ports.SERVING;
    this.selectorLabels = stack.selectorLabels;
    this.leaderWorkerSet = stack.workloads[0].object;
    this.service = stack.service;
    this.inferencePool = stack.routing.pool;
    this.endpointPicker = stack.routing.endpointPicker;
    this.route = stack.routing.route;
    LlmServingEndpoints._register(this);
  }

  /** Name of the workload Service. */
  public get serviceName(): string {
    return ResourceNames.of(this.name).workloadService;
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
