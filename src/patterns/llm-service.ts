import { ApiObject, JsonPatch, Size } from 'cdk8s';
import { Construct } from 'constructs';
import { modelInputs, ModelServingProps } from './serving-props';
import { Engine } from '../engine/engine';
import { FieldContext } from '../internal/context';
import { checkArgs } from '../internal/prop-check';
import { Accelerator } from '../model/accelerator';
import { DataParallelLoadBalancing, Parallelism } from '../model/parallelism';
import { Autoscaling } from '../operations/autoscaling';
import { DisruptionBudget } from '../operations/disruption-budget';
import { NetworkPolicies } from '../operations/network-policy';
import { EngineLaunch, GroupShape, noSurgeByDefault } from '../pipeline/role-plan';
import { ILlmServingEndpoint, LlmServingEndpoints } from '../pipeline/serving-endpoint';
import { runServingPipeline, validateServiceName } from '../pipeline/serving-pipeline';
import { EndpointPicker } from '../routing/endpoint-picker';
import { InferencePool } from '../routing/inference-pool';
import { SchedulerConfig } from '../scheduler/scheduler-config';
import { ServingResources } from '../serving/model-server';
import { registerSynthValidation } from '../validation/synth-validation';
import { LabelKeys, ServingRole, WiringLabels } from '../wiring/labels';
import { ResourceNames } from '../wiring/names';
import { requireNamespace, resolveNamespace } from '../wiring/namespace';
import { Ports } from '../wiring/ports';
/** Props of {@link LlmService}. */
export interface LlmServiceProps extends ModelServingProps {
  /**
   * Parallelism; it determines accelerators per pod (TP × PP × local DP) and the engine flags.
   * @default - one accelerator, no parallelism
   */
  readonly parallelism?: Parallelism;
  /**
   * Number of pods.
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
   * CPU and memory of the serving container.
   * @default - none (accelerators only)
   */
  readonly resources?: ServingResources;
  /**
   * Size of the `/dev/shm` memory volume.
   * @default - 1Gi for one accelerator, 2Gi per accelerator above that (at most 16Gi)
   */
  readonly sharedMemory?: Size;
  /**
   * The Endpoint Picker's scheduling config. Creates InferencePool `N-inference-pool` (selecting this service's
   * pods on the serving port) and the EPP `N-kserve-router-scheduler` with Service `N-epp-service`.
   * @default - no scheduler: the Service load-balances
   */
  readonly scheduler?: SchedulerConfig;
  /**
   * Serve behind the InferencePool and Endpoint Picker of another LlmService of the same model, e.g. an MI300X
   * variant joining an H100 service's pool (heterogeneous accelerators). The pool then selects the pods of every
   * member by `llm-d.ai/inference-pool: <pool>` (each Deployment keeps its own selector). This service gets no
   * scheduler, route or gateway of its own; it must serve the same model name on the same ports, in the same
   * namespace, with the same TLS setting.
   * @default - the service has its own routing (or none)
   */
  readonly joinPool?: LlmService;
}

/**
 * A single-node LLM service (KServe "simple" mode): a Deployment `N-kserve` of model-server pods and the
 * workload Service `N-kserve-workload-svc`, with an optional HTTPRoute. Accelerators per pod, engine flags,
 * labels, selectors and ports all come from the wiring contract.
 */
export class LlmService extends Construct implements ILlmServingEndpoint {
  /** The service name `N`. */
  public readonly name: string;
  /** Namespace, when known at synth time. */
  public readonly namespace?: string;
  /** The served model name. */
  public readonly servedModelName: string;
  /** The Deployment `N-kserve`. */
  public readonly deployment: ApiObject;
  /** The workload Service `N-kserve-workload-svc`. */
  public readonly service: ApiObject;
  /** The HTTPRoute `N-kserve-route`, when a route or gateway was given. */
  public readonly route?: ApiObject;
  /** The InferencePool, with a scheduler. */
  public readonly inferencePool?: InferencePool;
  /** The Endpoint Picker, with a scheduler. */
  public readonly endpointPicker?: EndpointPicker;
  /** Labels that select every serving pod of this service (what a Service or an InferencePool selects). */
  public readonly selectorLabels: Record<string, string>;
  /** Labels on the serving pods. */
  public readonly podLabels: Record<string, string>;
  /** The public serving port of the pods and of the Service. */
  public readonly port: number;
  /** Ports that serve requests on each pod (the InferencePool's target ports). */
  public readonly targetPorts: number[];
  /** Port of the workload Service. */
  public readonly servicePort: number;
  /** Accelerators per pod. */
  public readonly acceleratorsPerPod: number;
  private readonly tlsEnabled: boolean;
  private readonly scheduler?: SchedulerConfig;
  private readonly poolMembers: LlmService[] = [];

  constructor(scope: Construct, id: string, props: LlmServiceProps) {
    super(scope, id);
    checkArgs('LlmService.constructor', arguments, this.node.path);
    registerSynthValidation(this);
    const ctx = new FieldContext(this.node.path);
    if (!props || !props.model) throw ctx.error('model', props?.model, 'is required', "pass a ModelSource, e.g. ModelSource.huggingFace('Qwen/Qwen3-0.6B')");
    this.name = props.name ?? id;
    validateServiceName(ctx, this.name);
    this.namespace = resolveNamespace(this, props.namespace);
    this.servedModelName = props.servedModelName ?? id;
    const engine = props.engine ?? Engine.vllm();
    const accelerator = props.accelerator ?? Accelerator.nvidia();
    const owner = props.joinPool;
    if (owner !== undefined) checkJoin(ctx, owner, props);
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
        parallelism: props.parallelism,
        launch: EngineLaunch.NATIVE,
        shape: GroupShape.SINGLE_POD,
        loadBalancing: DataParallelLoadBalancing.INTERNAL,
        replicas: props.replicas,
        autoscaling: props.autoscaling,
        disruptionBudget: props.disruptionBudget,
        resources: props.resources,
        sharedMemory: props.sharedMemory,
        startupTimeout: props.startupTimeout,
        profile: props.profile,
        modelLoadRate: props.modelLoadRate,
        serviceAccountName: props.serviceAccountName,
        podLabels: props.podLabels,
        podAnnotations: props.podAnnotations,
        rolloutStrategy: props.rolloutStrategy,
        noSurgeOnAccelerators: noSurgeByDefault(scope),
        workloadLabels: props.workloadLabels,
        workloadAnnotations: props.workloadAnnotations,
        workloadIds: { deployment: 'Deployment', group: 'Deployment' },
      }],
      scheduler: props.scheduler,
      endpointPicker: props.endpointPicker,
      route: props.route,
      gateway: props.gateway,
      terminationGracePeriod: props.terminationGracePeriod,
    });
    const plan = stack.plans[0];
    this.acceleratorsPerPod = engine.needsAccelerator && accelerator.isDevice ? plan.parallelism.acceleratorsPerPod : 0;
    this.port = Ports.SERVING;
    this.servicePort = Ports.SERVING;
    this.targetPorts = stack.targetPorts;
    this.selectorLabels = stack.selectorLabels;
    this.podLabels = { ...props.podLabels, ...stack.workloads[0].podSelector };
    this.deployment = stack.workloads[0].object;
    this.service = stack.service;
    this.route = stack.routing.route;
    this.inferencePool = stack.routing.pool;
    this.endpointPicker = stack.routing.endpointPicker;
    this.tlsEnabled = props.tls?.enabled ?? false;
    this.scheduler = props.scheduler;
    if (owner !== undefined) owner._admitPoolMember(ctx, this);
    LlmServingEndpoints._register(this);
  }

  /**
   * Take `member` into this service's pool (see {@link LlmServiceProps.joinPool}): the pool selects the shared-pool
   * label, which this service's and the member's serving pods carry.
   * @internal
   */
  public _admitPoolMember(ctx: FieldContext, member: LlmService): void {
    const pool = this.inferencePool!;
    const poolName = pool.poolName;
    const differs = (what: string, mine: unknown, theirs: unknown, fix: string) => {
      throw ctx.error('joinPool', this.node.path, `${what} ${JSON.stringify(theirs)} differs from the pool's ${JSON.stringify(mine)} (service ${this.name}); the EPP would route requests the pods cannot serve`, fix);
    };
    if (member.servedModelName !== this.servedModelName) differs('the served model name', this.servedModelName, member.servedModelName, 'serve the same model name in every member of a pool');
    if (JSON.stringify(member.targetPorts) !== JSON.stringify(this.targetPorts)) differs('the target ports', this.targetPorts, member.targetPorts, 'use the same loadBalancing and dataLocal in every member');
    if ((member.namespace ?? '') !== (this.namespace ?? '')) differs('the namespace', this.namespace, member.namespace, 'put the members of a pool in one namespace (an InferencePool selects pods of its own namespace)');
    if (member.tlsEnabled !== this.tlsEnabled) differs('TLS', this.tlsEnabled, member.tlsEnabled, 'give every member of a pool the same tls');
    if (member.name === this.name || this.poolMembers.includes(member)) {
      throw ctx.error('joinPool', this.node.path, 'is this service itself or already a member', 'join a pool once, from another service');
    }
    const label = `/spec/template/metadata/labels/${LabelKeys.INFERENCE_POOL.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (this.poolMembers.length === 0) {
      pool._reselect(WiringLabels.sharedPoolSelector(poolName));
      this.deployment.addJsonPatch(JsonPatch.add(label, poolName));
      (this.podLabels as Record<string, string>)[LabelKeys.INFERENCE_POOL] = poolName;
    }
    member.deployment.addJsonPatch(JsonPatch.add(label, poolName));
    (member.podLabels as Record<string, string>)[LabelKeys.INFERENCE_POOL] = poolName;
    this.poolMembers.push(member);
  }

  /**
   * Whether the scheduler routes on KV events (precise prefix cache).
   * @internal
   */
  public get _precisePrefix(): boolean {
    return this.scheduler?.usesPrecisePrefixCache ?? false;
  }

  /** Name of the workload Service. */
  public get serviceName(): string {
    return ResourceNames.of(this.name).workloadService;
  }

  /** In-cluster URL of the OpenAI-compatible API, e.g. `http://qwen-kserve-workload-svc.llm.svc.cluster.local:8000`. Needs a namespace. */
  public get url(): string {
    const ns = requireNamespace(this, 'namespace', this.namespace);
    return `http://${this.serviceName}.${ns}.svc.cluster.local:${this.port}`;
  }
}

/** What a service joining another's pool may not have, and what the pool must be (see LlmServiceProps.joinPool). */
function checkJoin(ctx: FieldContext, owner: LlmService, props: LlmServiceProps): void {
  if (!(owner instanceof LlmService)) throw ctx.error('joinPool', owner, 'must be an LlmService', 'pass the LlmService whose pool this service joins');
  if (owner.inferencePool === undefined) {
    throw ctx.error('joinPool', owner.node.path, `service ${owner.name} has no InferencePool (no scheduler)`, 'give that service a scheduler, e.g. SchedulerConfig.default()');
  }
  if (owner._precisePrefix) {
    throw ctx.error('joinPool', owner.node.path, `the pool of ${owner.name} routes on KV events, which only its own pods publish to its EPP`, 'use a scheduler without precise prefix-cache scoring for a shared pool');
  }
  for (const [field, value] of [['scheduler', props.scheduler], ['endpointPicker', props.endpointPicker], ['route', props.route], ['gateway', props.gateway]] as const) {
    if (value !== undefined) {
      throw ctx.error(field, field, `a service that joins the pool of ${owner.name} is routed by that pool's EPP and route`, `remove ${field}; configure it on ${owner.name}`);
    }
  }
}
