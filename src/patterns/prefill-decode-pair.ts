import { ApiObject, Duration, Size } from 'cdk8s';
import { Construct } from 'constructs';
import { precisePrefixWiring } from './precise-prefix';
import { modelInputs, ModelServingProps } from './serving-props';
import { attachServingRouting, checkSchedulerFitsServer } from './serving-routing';
import { Engine, EngineKind } from '../engine/engine';
import * as k8s from '../imports/k8s';
import { FieldContext } from '../internal/context';
import { Accelerator } from '../model/accelerator';
import { KvTransfer } from '../model/kv-transfer';
import { DataParallelLoadBalancing, Parallelism, planParallelism } from '../model/parallelism';
import { RdmaOptions, withRdma } from '../model/rdma';
import { EndpointPicker } from '../routing/endpoint-picker';
import { InferencePool } from '../routing/inference-pool';
import { SchedulerConfig } from '../scheduler/scheduler-config';
import { dataParallelLauncher } from '../serving/launchers';
import { modelServerPodSpec, ServingResources } from '../serving/model-server';
import { RoutingSidecar } from '../serving/routing-sidecar';
import { createServingDeployment, createWorkloadService } from '../serving/workload';
import { Versions } from '../versions';
import { ServingRole, WiringLabels, WorkloadComponents } from '../wiring/labels';
import { ResourceNames } from '../wiring/names';
import { Ports } from '../wiring/ports';

/** One role (prefill or decode) of a {@link PrefillDecodePair}. */
export interface PrefillDecodeRole {
  /**
   * Pods of this role.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Parallelism of this role (prefill is compute-bound and often uses more TP; decode is memory-bound). When
   * `data / dataLocal` > 1 the role runs as a LeaderWorkerSet (KServe's P/D + multi-node mode): only the leader
   * serves (decode: behind the routing sidecar), workers run `--headless`.
   * @default - one accelerator
   */
  readonly parallelism?: Parallelism;
  /**
   * Accelerator of this role.
   * @default - the pair's accelerator
   */
  readonly accelerator?: Accelerator;
  /**
   * Engine of this role; block size, max model length and model must agree with the other role.
   * @default - the pair's engine
   */
  readonly engine?: Engine;
  /**
   * KV transfer of this role; must equal the other role's.
   * @default - the pair's kvTransfer
   */
  readonly kvTransfer?: KvTransfer;
  /**
   * CPU and memory.
   * @default - none
   */
  readonly resources?: ServingResources;
  /**
   * `/dev/shm` size.
   * @default - derived from the accelerator count
   */
  readonly sharedMemory?: Size;
  /**
   * Port of vLLM (its first rank) behind the routing sidecar (decode only).
   * @default Ports.VLLM_BEHIND_SIDECAR (8001); Ports.VLLM_RANKS_BEHIND_SIDECAR (8200) with per-rank ports
   */
  readonly vllmPort?: number;
  /**
   * How requests reach the data-parallel ranks of a pod: one API port per pod, or one per local rank
   * (`EXTERNAL_PER_RANK`: the pool lists ports 8000..8000+dataLocal-1; on decode the routing sidecar listens on
   * them and forwards each to its vLLM rank). Both roles must then serve the same number of rank ports.
   * @default DataParallelLoadBalancing.INTERNAL
   */
  readonly loadBalancing?: DataParallelLoadBalancing;
  /**
   * `--all2all-backend` of this role's expert parallelism (llm-d: `deepep_high_throughput` on prefill,
   * `deepep_low_latency` on decode).
   * @default - vLLM's default
   */
  readonly all2allBackend?: string;
}

/** Props of {@link PrefillDecodePair}. */
export interface PrefillDecodePairProps extends ModelServingProps {
  /** Prefill role. */
  readonly prefill: PrefillDecodeRole;
  /** Decode role. */
  readonly decode: PrefillDecodeRole;
  /**
   * The EPP config. It must have the P/D profiles (`SchedulerConfig.prefillDecode()`): without them the EPP
   * never picks a prefill pod and disaggregation silently never happens.
   */
  readonly scheduler: SchedulerConfig;
  /**
   * How KV blocks move from prefill to decode.
   * @default KvTransfer.nixl()
   */
  readonly kvTransfer?: KvTransfer;
  /**
   * RDMA resources, network annotation and IPC_LOCK on both roles.
   * @default - none
   */
  readonly rdma?: RdmaOptions;

}

const NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

const RDMA_CAPABLE = ['nvidia', 'amd', 'custom'];

/**
 * Prefill/decode disaggregation (KServe Mode B, llm-d's P/D well-lit path): prefill Deployment `N-kserve-prefill`
 * (`llm-d.ai/role: prefill`, vLLM on 8000) and decode Deployment `N-kserve` (`llm-d.ai/role: decode`, routing
 * sidecar on 8000 in front of vLLM on 8001), both with the same KV connector, block size and model; the
 * workload Service; InferencePool `N-inference-pool` selecting both roles on 8000; the EPP with the P/D
 * profiles; and the route.
 */
export class PrefillDecodePair extends Construct {
  /** Service name `N`. */
  public readonly name: string;
  /** Served model name. */
  public readonly servedModelName: string;
  /** Prefill workload: Deployment `N-kserve-prefill`, or LeaderWorkerSet `N-kserve-mn-prefill` when its parallelism spans pods. */
  public readonly prefillDeployment: ApiObject;
  /** Decode workload: Deployment `N-kserve`, or LeaderWorkerSet `N-kserve-mn` when its parallelism spans pods. */
  public readonly decodeDeployment: ApiObject;
  /** Workload Service. */
  public readonly service: ApiObject;
  /** The routing sidecar of the decode pods. */
  public readonly sidecar: RoutingSidecar;
  /** The InferencePool. */
  public readonly inferencePool: InferencePool;
  /** The Endpoint Picker. */
  public readonly endpointPicker: EndpointPicker;
  /** The route, with a gateway or route. */
  public readonly route?: ApiObject;
  /** Labels that select every serving pod (both roles). */
  public readonly selectorLabels: Record<string, string>;

  constructor(scope: Construct, id: string, props: PrefillDecodePairProps) {
    super(scope, id);
    const ctx = new FieldContext(this.node.path);
    if (!props || !props.model) throw ctx.error('model', props?.model, 'is required', "pass a ModelSource, e.g. ModelSource.huggingFace('Qwen/Qwen3-8B')");
    if (!props.prefill || !props.decode) {
      const missing = !props.prefill ? 'prefill' : 'decode';
      throw ctx.error(missing, undefined, `a P/D pair needs both roles; without ${missing} pods requests cannot be ${missing === 'prefill' ? 'prefilled remotely' : 'decoded'}`,
        `set ${missing}: { replicas, parallelism }, or use LlmService for aggregated serving`);
    }
    if (!props.scheduler) {
      throw ctx.error('scheduler', undefined, 'disaggregation cannot happen without the EPP P/D profiles: nothing would pick a prefill pod',
        'set scheduler: SchedulerConfig.prefillDecode()');
    }
    if (!props.scheduler.isPrefillDecode) {
      throw ctx.error('scheduler', props.scheduler.profileNames, 'lacks the P/D profiles (prefill with prefill-filter, decode with decode-filter, and a disagg profile handler), so every request would be served by one pod',
        'use SchedulerConfig.prefillDecode(), or add those profiles to the custom config');
    }
    this.name = props.name ?? id;
    if (!NAME.test(this.name) || this.name.length > 63) {
      throw ctx.error('name', this.name, 'must be a DNS-1035 label of at most 63 characters', "use lowercase letters, digits and '-', starting with a letter");
    }
    this.servedModelName = props.servedModelName ?? id;
    const namespace = props.namespace;
    const names = ResourceNames.of(this.name);
    this.selectorLabels = WiringLabels.workloadSelector(this.name);

    const pairEngine = props.engine ?? Engine.vllm();
    const prefillEngine = props.prefill.engine ?? pairEngine;
    const decodeEngine = props.decode.engine ?? pairEngine;
    if (prefillEngine.kind !== decodeEngine.kind) {
      throw ctx.error('decode.engine', decodeEngine.kind, `differs from the prefill engine (${prefillEngine.kind})`, 'use the same engine on both roles');
    }
    for (const [field, a, b] of [['blockSize', prefillEngine.blockSize, decodeEngine.blockSize], ['maxModelLen', prefillEngine.maxModelLen, decodeEngine.maxModelLen]] as const) {
      if (a !== b) {
        throw ctx.error(`decode.engine.${field}`, b, `differs from the prefill role's ${field} (${a}); KV blocks computed by prefill must fit decode's layout`,
          `set the same ${field} on both roles (or set it once on the pair's engine)`);
      }
    }
    const simulated = prefillEngine.kind === EngineKind.SIMULATOR;
    if (props.prefill.kvTransfer === undefined && props.decode.kvTransfer !== undefined && props.kvTransfer === undefined) {
      throw ctx.error('decode.kvTransfer', props.decode.kvTransfer.connector, 'is set on decode only; prefill would have no KV connector and never hand blocks over',
        'set kvTransfer on the pair (both roles) or on both roles');
    }
    if (props.decode.kvTransfer === undefined && props.prefill.kvTransfer !== undefined && props.kvTransfer === undefined) {
      throw ctx.error('prefill.kvTransfer', props.prefill.kvTransfer.connector, 'is set on prefill only; decode would never pull the blocks',
        'set kvTransfer on the pair (both roles) or on both roles');
    }
    const kvPrefill = props.prefill.kvTransfer ?? props.kvTransfer ?? KvTransfer.nixl();
    const kvDecode = props.decode.kvTransfer ?? props.kvTransfer ?? KvTransfer.nixl();
    if (!kvPrefill._equals(kvDecode)) {
      throw ctx.error('decode.kvTransfer', kvDecode._config('decode'), `does not match the prefill role's (${kvPrefill._config('prefill')})`, 'use one KvTransfer for both roles');
    }

    const rdma = props.rdma;
    const roleAccel = (r: PrefillDecodeRole) => r.accelerator ?? props.accelerator ?? Accelerator.nvidia();
    if (rdma) {
      for (const role of ['prefill', 'decode'] as const) {
        const a = roleAccel(props[role]);
        if (!RDMA_CAPABLE.includes(a.vendor)) {
          throw ctx.error(`${role}.accelerator`, a.vendor, `cannot use RDMA (${rdma.resourceName ?? 'rdma/roce_gdr'}) for GPUDirect KV transfer`, 'drop rdma, or run this role on NVIDIA/AMD GPUs');
        }
      }
      new FieldContext(this.node.path, 'rdma').positiveInt('count', rdma.count);
      if (rdma.resourceName !== undefined && !/^rdma\/[a-z0-9_]+$/.test(rdma.resourceName)) {
        throw ctx.error('rdma.resourceName', rdma.resourceName, 'is not an RDMA device-plugin resource', "use 'rdma/roce_gdr' or 'rdma/ib'");
      }
    }

    // Plans first: the pool's target ports depend on the per-rank ports of the roles.
    const planOf = (role: 'prefill' | 'decode') => {
      const r = props[role];
      const rctx = new FieldContext(this.node.path, role);
      rctx.positiveInt('replicas', r.replicas);
      const accelerator = roleAccel(r);
      accelerator._validate(rctx.child('accelerator'));
      const plan = planParallelism(rctx.child('parallelism'), r.parallelism, accelerator);
      const perRank = (r.loadBalancing ?? DataParallelLoadBalancing.INTERNAL) === DataParallelLoadBalancing.EXTERNAL_PER_RANK;
      if (perRank && (simulated || plan.dataLocal < 2 || plan.dataLocal > 8)) {
        throw rctx.error('loadBalancing', r.loadBalancing, simulated ? 'the simulator serves one port per pod'
          : `per-rank ports need 2 to 8 local data-parallel ranks (dataLocal is ${plan.dataLocal}; the InferencePool lists at most 8 ports)`,
        'use DataParallelLoadBalancing.INTERNAL, or set parallelism.dataLocal between 2 and 8');
      }
      return { rctx, accelerator, plan, ranks: perRank ? plan.dataLocal : 1 };
    };
    const plans = { prefill: planOf('prefill'), decode: planOf('decode') };
    if (plans.prefill.ranks !== plans.decode.ranks) {
      throw ctx.error('decode.loadBalancing', props.decode.loadBalancing ?? DataParallelLoadBalancing.INTERNAL,
        `decode serves ${plans.decode.ranks} rank port(s) per pod and prefill ${plans.prefill.ranks}; one InferencePool lists one set of target ports for both roles`,
        'use the same loadBalancing and dataLocal on both roles');
    }
    const rankPorts = Array.from({ length: plans.decode.ranks }, (_, i) => Ports.SERVING + i);

    // The pool, EPP and route come first so the sidecar can name the pool it protects.
    const precise = precisePrefixWiring(this, ctx, {
      name: this.name,
      namespace,
      servedModelName: this.servedModelName,
      model: props.model,
      engine: decodeEngine,
      scheduler: props.scheduler,
      eppReplicas: props.endpointPicker?.replicas,
    });
    checkSchedulerFitsServer(ctx, props.scheduler, (props.loraAdapters ?? []).length, props.lora?.runtimeUpdates ?? false);
    const routing = attachServingRouting(this, {
      ctx,
      name: this.name,
      namespace,
      servedModelName: this.servedModelName,
      targetPorts: rankPorts,
      scheduler: precise.scheduler,
      endpointPicker: props.endpointPicker,
      route: props.route,
      gateway: props.gateway,
      workloadService: names.workloadService,
      servicePort: Ports.SERVING,
    });
    this.inferencePool = routing.pool!;
    this.endpointPicker = routing.endpointPicker!;
    this.route = routing.route;
    this.sidecar = new RoutingSidecar(this, 'RoutingSidecar', {
      serviceName: this.name, namespace, kvTransfer: kvDecode, pool: this.inferencePool, vllmPort: props.decode.vllmPort, ranks: plans.decode.ranks,
    });

    const build = (role: 'prefill' | 'decode', r: PrefillDecodeRole, engine: Engine, kv: KvTransfer) => {
      const { rctx, accelerator, plan, ranks } = plans[role];
      const multiNode = plan.podsPerGroup > 1;
      if (multiNode && simulated) {
        throw rctx.error('parallelism.dataLocal', plan.dataLocal, `${plan.podsPerGroup} pods per group, but the simulator cannot form a multi-node group`, 'set dataLocal equal to data, or use Engine.vllm()');
      }
      if (multiNode && (r.parallelism?.pipeline ?? 1) > 1) {
        throw rctx.error('parallelism.pipeline', r.parallelism?.pipeline, 'a multi-node P/D role uses native data parallelism; pipeline stages across pods need Ray, which P/D roles do not use',
          'use data/dataLocal for this role, or a single-node role with pipeline parallelism');
      }
      const isDecode = role === 'decode';
      const perRank = ranks > 1;
      if (r.all2allBackend !== undefined && !plan.expert) {
        throw rctx.error('all2allBackend', r.all2allBackend, 'only applies to expert parallelism', 'set parallelism.expert, or drop all2allBackend');
      }
      const rpcPort = r.parallelism?.dataRpcPort ?? Ports.DATA_PARALLEL_RPC;
      const enginePort = isDecode ? this.sidecar.vllmPort : Ports.SERVING;
      // With per-rank ports vLLM serves ranks enginePort..+N-1 and a supervisor (aggregated health) on the next port.
      const supervisorPort = perRank ? enginePort + ranks : undefined;
      const rankPortsOfEngine = Array.from({ length: ranks }, (_, i) => enginePort + i);
      if ((multiNode || perRank) && [...rankPortsOfEngine, ...rankPorts, supervisorPort].includes(rpcPort)) {
        throw rctx.error('parallelism.dataRpcPort', rpcPort, 'collides with a serving port', `use another port, e.g. ${Ports.DATA_PARALLEL_RPC}`);
      }
      // NIXL: one side-channel port per local DP rank (base + local rank).
      const nixlPorts = simulated ? [] : Array.from({ length: plan.dataLocal }, (_, i) => ({
        name: i === 0 ? 'nixl' : `nixl-${i}`, containerPort: kv.sideChannelPort + i, protocol: 'TCP',
      }));
      const podSpec = (serves: boolean) => modelServerPodSpec({
        ctx: rctx,
        engine,
        ...modelInputs(props, this.servedModelName),
        plan,
        accelerator: withRdma(accelerator, rdma),
        port: enginePort,
        portName: isDecode ? 'vllm' : 'http',
        servingPorts: multiNode && !serves ? [] : perRank
          ? [...rankPortsOfEngine.map((containerPort, i) => ({ name: isDecode ? `vllm-rank${i}` : `rank${i}`, containerPort, protocol: 'TCP' })),
            { name: 'supervisor', containerPort: supervisorPort!, protocol: 'TCP' }]
          : undefined,
        probe: perRank ? { port: supervisorPort!, readinessPath: '/readyz' } : undefined,
        noProbes: multiNode && !serves,
        startupTimeout: props.startupTimeout ?? Duration.minutes(multiNode ? 30 : 10),
        resources: r.resources ?? {},
        sharedMemory: r.sharedMemory,
        serviceAccountName: isDecode ? this.sidecar.serviceAccountName : undefined,
        kvTransferConfig: simulated ? undefined : kv._config(role),
        extraEnv: simulated ? [] : kv._env(),
        extraPorts: nixlPorts,
        nativeSidecars: isDecode && serves ? [this.sidecar._container] : undefined,
        addCapabilities: rdma ? ['IPC_LOCK'] : undefined,
        kvEvents: precise.kvEvents,
        requiredBlockSize: precise.requiredBlockSize,
        multiNode: {
          dataParallel: multiNode || perRank,
          headless: multiNode && !serves,
          rpcPort: multiNode ? rpcPort : undefined,
          ray: false,
          externalLbSupervisorPort: supervisorPort,
          all2allBackend: r.all2allBackend,
        },
        command: multiNode ? dataParallelLauncher(plan.dataLocal) : undefined,
      });
      const roleLabel = isDecode ? ServingRole.DECODE : ServingRole.PREFILL;
      const annotations = rdma?.networks ? { 'k8s.v1.cni.cncf.io/networks': rdma.networks } : undefined;
      if (!multiNode) {
        const component = isDecode ? WorkloadComponents.MAIN : WorkloadComponents.PREFILL;
        return createServingDeployment(this, isDecode ? 'Decode' : 'Prefill', {
          name: isDecode ? names.mainDeployment : names.prefillDeployment,
          namespace,
          wiringLabels: WiringLabels.servingPod(this.name, component, roleLabel),
          podAnnotations: annotations,
          replicas: r.replicas ?? 1,
          podSpec: podSpec(true),
        });
      }
      // KServe Mode D: the role runs as a LeaderWorkerSet; only the leader serves (and, on decode, carries the sidecar).
      const suffix = isDecode ? '' : '-prefill';
      const template = (labels: Record<string, string>, spec: k8s.PodSpec) => k8s.toJson_PodTemplateSpec({ metadata: { labels, annotations }, spec });
      const workerLabels = perRank
        ? WiringLabels.servingPod(this.name, `llminferenceservice-workload-worker${suffix}`, roleLabel)
        : WiringLabels.component(this.name, `llminferenceservice-workload-worker${suffix}`);
      return new ApiObject(this, isDecode ? 'DecodeGroup' : 'PrefillGroup', {
        apiVersion: Versions.LEADER_WORKER_SET_API,
        kind: 'LeaderWorkerSet',
        metadata: { name: isDecode ? names.mainLeaderWorkerSet : names.prefillLeaderWorkerSet, namespace, labels: workerLabels },
        spec: {
          replicas: r.replicas ?? 1,
          startupPolicy: 'LeaderCreated',
          rolloutStrategy: { type: 'RollingUpdate', rollingUpdateConfiguration: { maxUnavailable: 1, maxSurge: 0 } },
          leaderWorkerTemplate: {
            size: plan.podsPerGroup,
            restartPolicy: 'RecreateGroupOnPodRestart',
            subGroupPolicy: isDecode ? undefined : { subGroupSize: plan.podsPerGroup },
            leaderTemplate: perRank ? undefined : template(WiringLabels.servingPod(this.name, `llminferenceservice-workload-leader${suffix}`, roleLabel), podSpec(true)),
            workerTemplate: template(workerLabels, podSpec(perRank)),
          },
        },
      });
    };
    this.prefillDeployment = build('prefill', props.prefill, prefillEngine, kvPrefill);
    this.decodeDeployment = build('decode', props.decode, decodeEngine, kvDecode);
    this.service = createWorkloadService(this, this.name, namespace);
  }
}
