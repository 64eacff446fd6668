import { ApiObject, Size } from 'cdk8s';
import { Construct } from 'constructs';
import { modelInputs, ModelServingProps, RolloutOptions } from './serving-props';
import { Engine, EngineKind } from '../engine/engine';
import { FieldContext } from '../internal/context';
import { checkArgs } from '../internal/prop-check';
import { Accelerator } from '../model/accelerator';
import { KvCache } from '../model/kv-cache';
import { KvTransfer } from '../model/kv-transfer';
import { DataParallelLoadBalancing, Parallelism } from '../model/parallelism';
import { RdmaOptions } from '../model/rdma';
import { Autoscaling } from '../operations/autoscaling';
import { DisruptionBudget } from '../operations/disruption-budget';
import { NetworkPolicies } from '../operations/network-policy';
import { EngineLaunch, GroupShape, noSurgeByDefault } from '../pipeline/role-plan';
import { ILlmServingEndpoint, LlmServingEndpoints } from '../pipeline/serving-endpoint';
import { PipelineRole, runServingPipeline, validateServiceName } from '../pipeline/serving-pipeline';
import { EndpointPicker } from '../routing/endpoint-picker';
import { InferencePool } from '../routing/inference-pool';
import { SchedulerConfig } from '../scheduler/scheduler-config';
import { ServingResources } from '../serving/model-server';
import { RoutingSidecar } from '../serving/routing-sidecar';
import { registerSynthValidation } from '../validation/synth-validation';
import { ServingRole } from '../wiring/labels';
import { ResourceNames } from '../wiring/names';
import { resolveNamespace } from '../wiring/namespace';
import { Ports } from '../wiring/ports';

/** One role (prefill or decode) of a {@link PrefillDecodePair}. */
export interface PrefillDecodeRole {
  /**
   * Pods of this role.
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
   * KV-cache tiers of this role.
   * @default - the pair's kvCache
   */
  readonly kvCache?: KvCache;
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
  /**
   * Run this role as a LeaderWorkerSet even when a group is one pod (as KServe does whenever the role has a
   * `worker`; Kueue's LeaderWorkerSet integration keys off that form).
   * @default - a LeaderWorkerSet only when the parallelism spans pods
   */
  readonly leaderWorkerSet?: boolean;
  /**
   * Rolling-update limits of this role's workload.
   * @default - the pair's `rolloutStrategy`
   */
  readonly rolloutStrategy?: RolloutOptions;
  /**
   * ServiceAccount of this role's pods (it must exist; none is created for the role).
   * @default - the pair's `serviceAccountName`, else the role's default (see `ModelServingProps.serviceAccountName`)
   */
  readonly serviceAccountName?: string;
  /**
   * Extra labels of this role's workload object, added to the pair's `workloadLabels`.
   * @default - none
   */
  readonly workloadLabels?: Record<string, string>;
  /**
   * Extra annotations of this role's workload object, added to the pair's `workloadAnnotations`.
   * @default - none
   */
  readonly workloadAnnotations?: Record<string, string>;
  /**
   * Extra labels of this role's pods, added to the pair's `podLabels` (never part of a selector).
   * @default - none
   */
  readonly podLabels?: Record<string, string>;
  /**
   * Extra annotations of this role's pods, added to the pair's `podAnnotations`.
   * @default - none
   */
  readonly podAnnotations?: Record<string, string>;
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
   * @default SchedulerConfig.prefillDecode()
   */
  readonly scheduler?: SchedulerConfig;
  /**
   * Render the pair without an EPP and InferencePool, as the KServe controller does for a P/D service without
   * `router.scheduler`: the workload Service (and a route, if any) balances requests over decode and prefill pods,
   * so no request is disaggregated until a scheduler is added. `scheduler` must then be unset.
   * @default false
   */
  readonly withoutScheduler?: boolean;
  /**
   * How KV blocks move from prefill to decode.
   * @default - KvTransfer.nixl() with vLLM, KvTransfer.sglang() with Engine.sglang()
   */
  readonly kvTransfer?: KvTransfer;
  /**
   * RDMA resources, network annotation and IPC_LOCK on both roles.
   * @default - none
   */
  readonly rdma?: RdmaOptions;

}

/**
 * Prefill/decode disaggregation (KServe Mode B, llm-d's P/D well-lit path): prefill Deployment `N-kserve-prefill`
 * (`llm-d.ai/role: prefill`, vLLM on 8000) and decode Deployment `N-kserve` (`llm-d.ai/role: decode`, routing
 * sidecar on 8000 in front of vLLM on 8001), both with the same KV connector, block size and model; the
 * workload Service; InferencePool `N-inference-pool` selecting both roles on 8000; the EPP with the P/D
 * profiles; and the route.
 */
export class PrefillDecodePair extends Construct implements ILlmServingEndpoint {
  /** Service name `N`. */
  public readonly name: string;
  /** Namespace, when known at synth time. */
  public readonly namespace?: string;
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
  /** The InferencePool (none with `withoutScheduler`). */
  public readonly inferencePool?: InferencePool;
  /** The Endpoint Picker. */
  public readonly endpointPicker?: EndpointPicker;
  /** The route, with a gateway or route. */
  public readonly route?: ApiObject;
  /** Labels that select every serving pod (both roles). */
  public readonly selectorLabels: Record<string, string>;
  /** Ports that serve requests on each serving pod of both roles (the InferencePool's target ports). */
  public readonly targetPorts: number[];
  /** Port of the workload Service. */
  public readonly servicePort: number;

  constructor(scope: Construct, id: string, props: PrefillDecodePairProps) {
    super(scope, id);
    checkArgs('PrefillDecodePair.constructor', arguments, this.node.path);
    registerSynthValidation(this);
    const ctx = new FieldContext(this.node.path);
    if (!props || !props.model) throw ctx.error('model', props?.model, 'is required', "pass a ModelSource, e.g. ModelSource.huggingFace('Qwen/Qwen3-8B')");
    if (!props.prefill || !props.decode) {
      const missing = !props.prefill ? 'prefill' : 'decode';
      throw ctx.error(missing, undefined, `a P/D pair needs both roles; without ${missing} pods requests cannot be ${missing === 'prefill' ? 'prefilled remotely' : 'decoded'}`,
        `set ${missing}: { replicas, parallelism }, or use LlmService for aggregated serving`);
    }
    if (props.withoutScheduler && props.scheduler !== undefined) {
      throw ctx.error('withoutScheduler', true, 'contradicts the scheduler that is set', 'drop scheduler, or drop withoutScheduler to render the EPP');
    }
    // The only valid EPP config of a pair has the P/D profiles: default to the preset.
    const scheduler = props.withoutScheduler ? undefined : (props.scheduler ?? SchedulerConfig.prefillDecode());
    if (scheduler && !scheduler.isPrefillDecode) {
      throw ctx.error('scheduler', scheduler.profileNames, 'lacks the P/D profiles (prefill with prefill-filter, decode with decode-filter, and a disagg profile handler), so every request would be served by one pod',
        'use SchedulerConfig.prefillDecode(), or add those profiles to the custom config');
    }
    this.name = props.name ?? id;
    validateServiceName(ctx, this.name);
    this.namespace = resolveNamespace(this, props.namespace);
    this.servedModelName = props.servedModelName ?? id;

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
    if (props.prefill.kvTransfer === undefined && props.decode.kvTransfer !== undefined && props.kvTransfer === undefined) {
      throw ctx.error('decode.kvTransfer', props.decode.kvTransfer.connector, 'is set on decode only; prefill would have no KV connector and never hand blocks over',
        'set kvTransfer on the pair (both roles) or on both roles');
    }
    if (props.decode.kvTransfer === undefined && props.prefill.kvTransfer !== undefined && props.kvTransfer === undefined) {
      throw ctx.error('prefill.kvTransfer', props.prefill.kvTransfer.connector, 'is set on prefill only; decode would never pull the blocks',
        'set kvTransfer on the pair (both roles) or on both roles');
    }
    const sglang = prefillEngine.kind === EngineKind.SGLANG;
    const defaultTransfer = () => (sglang ? KvTransfer.sglang() : KvTransfer.nixl());
    const kvPrefill = props.prefill.kvTransfer ?? props.kvTransfer ?? defaultTransfer();
    const kvDecode = props.decode.kvTransfer ?? props.kvTransfer ?? defaultTransfer();
    const kvField = props.kvTransfer !== undefined ? 'kvTransfer' : 'prefill.kvTransfer';
    if (sglang && !kvPrefill.isSglang) {
      throw ctx.error(kvField, kvPrefill.connector || 'KvTransfer.none()', "is a vLLM KV connector; SGLang roles move KV with SGLang's own disaggregation (the routing sidecar's sglang connector)",
        "use KvTransfer.sglang() (e.g. KvTransfer.sglang({ backend: 'nixl' })), or leave kvTransfer unset");
    }
    if (!sglang && kvPrefill.isSglang) {
      throw ctx.error(kvField, 'KvTransfer.sglang()', `is SGLang's disaggregation, but the roles run ${prefillEngine.kind}`,
        'use KvTransfer.nixl() (or leave kvTransfer unset) with vLLM, or Engine.sglang() on both roles');
    }
    if (!kvPrefill._equals(kvDecode)) {
      throw ctx.error('decode.kvTransfer', kvDecode._config('decode'), `does not match the prefill role's (${kvPrefill._config('prefill')})`, 'use one KvTransfer for both roles');
    }

    const role = (field: 'prefill' | 'decode', r: PrefillDecodeRole, engine: Engine, kvTransfer: KvTransfer): PipelineRole => {
      const rctx = ctx.child(field);
      const loadBalancing = r.loadBalancing ?? DataParallelLoadBalancing.INTERNAL;
      const decode = field === 'decode';
      return {
        role: decode ? ServingRole.DECODE : ServingRole.PREFILL,
        ctx: rctx,
        engine,
        accelerator: r.accelerator ?? props.accelerator ?? Accelerator.nvidia(),
        parallelism: r.parallelism,
        launch: EngineLaunch.NATIVE,
        shape: GroupShape.ANY,
        forceGroup: r.leaderWorkerSet,
        forceGroupField: 'leaderWorkerSet',
        loadBalancing,
        replicas: r.replicas,
        autoscaling: r.autoscaling,
        disruptionBudget: r.disruptionBudget,
        resources: r.resources,
        sharedMemory: r.sharedMemory,
        startupTimeout: props.startupTimeout,
        profile: props.profile,
        modelLoadRate: props.modelLoadRate,
        all2allBackend: r.all2allBackend,
        kvTransfer,
        kvCache: r.kvCache ?? props.kvCache,
        kvCacheField: r.kvCache ? `${field}.kvCache` : 'kvCache',
        behindSidecar: decode,
        sidecarVllmPort: decode ? r.vllmPort : undefined,
        serviceAccountName: r.serviceAccountName ?? props.serviceAccountName,
        rolloutStrategy: r.rolloutStrategy ?? props.rolloutStrategy,
        rolloutField: r.rolloutStrategy ? `${field}.rolloutStrategy` : 'rolloutStrategy',
        noSurgeOnAccelerators: noSurgeByDefault(scope),
        podLabels: { ...props.podLabels, ...r.podLabels },
        podLabelsField: r.podLabels && Object.keys(r.podLabels).length ? `${field}.podLabels` : 'podLabels',
        podAnnotations: { ...props.podAnnotations, ...r.podAnnotations },
        workloadLabels: { ...props.workloadLabels, ...r.workloadLabels },
        workloadLabelsField: r.workloadLabels && Object.keys(r.workloadLabels).length ? `${field}.workloadLabels` : 'workloadLabels',
        workloadAnnotations: { ...props.workloadAnnotations, ...r.workloadAnnotations },
        workloadIds: decode ? { deployment: 'Decode', group: 'DecodeGroup' } : { deployment: 'Prefill', group: 'PrefillGroup' },
      };
    };
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
      roles: [role('prefill', props.prefill, prefillEngine, kvPrefill), role('decode', props.decode, decodeEngine, kvDecode)],
      scheduler,
      endpointPicker: props.endpointPicker,
      route: props.route,
      gateway: props.gateway,
      terminationGracePeriod: props.terminationGracePeriod,
      rdma: props.rdma,
    });
    this.selectorLabels = stack.selectorLabels;
    this.targetPorts = stack.targetPorts;
    this.servicePort = Ports.SERVING;
    this.prefillDeployment = stack.workloads[0].object;
    this.decodeDeployment = stack.workloads[1].object;
    this.service = stack.service;
    this.sidecar = stack.sidecar!;
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
