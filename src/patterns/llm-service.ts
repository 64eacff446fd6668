import { ApiObject, Duration, Size } from 'cdk8s';
import { Construct } from 'constructs';
import { precisePrefixWiring } from './precise-prefix';
import { modelInputs, ModelServingProps } from './serving-props';
import { attachServingRouting, checkSchedulerFitsServer } from './serving-routing';
import { Engine } from '../engine/engine';
import { FieldContext } from '../internal/context';
import { Accelerator } from '../model/accelerator';
import { Parallelism, planParallelism } from '../model/parallelism';
import { EndpointPicker } from '../routing/endpoint-picker';
import { InferencePool } from '../routing/inference-pool';
import { SchedulerConfig } from '../scheduler/scheduler-config';
import { modelServerPodSpec, ServingResources } from '../serving/model-server';
import { createServingDeployment, createWorkloadService } from '../serving/workload';
import { WiringLabels, ServingRole, WorkloadComponents } from '../wiring/labels';
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
   * ServiceAccount of the serving pods.
   * @default - the namespace's default ServiceAccount
   */
  readonly serviceAccountName?: string;
  /**
   * Extra pod labels (never part of a selector).
   * @default - none
   */
  readonly podLabels?: Record<string, string>;
  /**
   * Extra pod annotations.
   * @default - none
   */
  readonly podAnnotations?: Record<string, string>;
  /**
   * The Endpoint Picker's scheduling config. Creates InferencePool `N-inference-pool` (selecting this service's
   * pods on the serving port) and the EPP `N-kserve-router-scheduler` with Service `N-epp-service`.
   * @default - no scheduler: the Service load-balances
   */
  readonly scheduler?: SchedulerConfig;

}

const NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/**
 * A single-node LLM service (KServe "simple" mode): a Deployment `N-kserve` of model-server pods and the
 * workload Service `N-kserve-workload-svc`, with an optional HTTPRoute. Accelerators per pod, engine flags,
 * labels, selectors and ports all come from the wiring contract.
 */
export class LlmService extends Construct {
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
  /** Accelerators per pod. */
  public readonly acceleratorsPerPod: number;

  constructor(scope: Construct, id: string, props: LlmServiceProps) {
    super(scope, id);
    const ctx = new FieldContext(this.node.path);
    if (!props || !props.model) throw ctx.error('model', props?.model, 'is required', "pass a ModelSource, e.g. ModelSource.huggingFace('Qwen/Qwen3-0.6B')");
    this.name = props.name ?? id;
    if (!NAME.test(this.name) || this.name.length > 63) {
      throw ctx.error('name', this.name, 'must be a DNS-1035 label of at most 63 characters (it is the Service name and a label value)',
        "use lowercase letters, digits and '-', starting with a letter, e.g. 'qwen3-chat'");
    }
    ctx.positiveInt('replicas', props.replicas);
    this.namespace = resolveNamespace(this, props.namespace);
    this.servedModelName = props.servedModelName ?? id;
    const engine = props.engine ?? Engine.vllm();
    const accelerator = props.accelerator ?? Accelerator.nvidia();
    accelerator._validate(ctx.child('accelerator'));
    const plan = planParallelism(ctx.child('parallelism'), props.parallelism, accelerator);
    if (plan.podsPerGroup > 1) {
      throw ctx.error('parallelism.dataLocal', plan.dataLocal,
        `data ${plan.data} / dataLocal ${plan.dataLocal} = ${plan.podsPerGroup} pods per serving group, but LlmService runs single-node pods`,
        'set dataLocal equal to data to keep all ranks in one pod, or serve it across nodes with MultiNodeGroup');
    }
    this.acceleratorsPerPod = engine.needsAccelerator && accelerator.isDevice ? plan.acceleratorsPerPod : 0;
    this.port = Ports.SERVING;

    const names = ResourceNames.of(this.name);
    this.selectorLabels = WiringLabels.workloadSelector(this.name);
    const wiringLabels = WiringLabels.servingPod(this.name, WorkloadComponents.MAIN, ServingRole.BOTH);
    for (const key of Object.keys(props.podLabels ?? {})) {
      if (key in wiringLabels) {
        throw ctx.error(`podLabels["${key}"]`, props.podLabels![key], 'overrides a wiring label that selectors depend on', 'remove it; the library sets it');
      }
    }
    this.podLabels = { ...props.podLabels, ...wiringLabels };

    const precise = precisePrefixWiring(this, ctx, {
      name: this.name,
      namespace: props.namespace,
      servedModelName: this.servedModelName,
      model: props.model,
      engine,
      scheduler: props.scheduler,
      eppReplicas: props.endpointPicker?.replicas,
    });
    checkSchedulerFitsServer(ctx, props.scheduler, (props.loraAdapters ?? []).length, props.lora?.runtimeUpdates ?? false);

    const podSpec = modelServerPodSpec({
      ctx,
      engine,
      ...modelInputs(props, this.servedModelName),
      plan,
      accelerator,
      port: this.port,
      startupTimeout: props.startupTimeout ?? Duration.minutes(10),
      resources: props.resources ?? {},
      sharedMemory: props.sharedMemory,
      serviceAccountName: props.serviceAccountName,
      kvEvents: precise.kvEvents,
      requiredBlockSize: precise.requiredBlockSize,
    });

    this.deployment = createServingDeployment(this, 'Deployment', {
      name: names.mainDeployment,
      namespace: props.namespace,
      wiringLabels,
      podLabels: props.podLabels,
      podAnnotations: props.podAnnotations,
      replicas: props.replicas ?? 1,
      podSpec,
    });
    this.service = createWorkloadService(this, this.name, props.namespace);

    const routing = attachServingRouting(this, {
      ctx,
      name: this.name,
      namespace: props.namespace,
      servedModelName: this.servedModelName,
      targetPorts: [this.port],
      scheduler: precise.scheduler,
      endpointPicker: props.endpointPicker,
      route: props.route,
      gateway: props.gateway,
      workloadService: names.workloadService,
      servicePort: this.port,
    });
    this.route = routing.route;
    this.inferencePool = routing.pool;
    this.endpointPicker = routing.endpointPicker;
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
