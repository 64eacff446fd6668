import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { InferenceGateway } from './inference-gateway';
import { FieldContext } from '../internal/context';
import { ImageRegistry } from '../operations/image-registry';
import { TracingOptions } from '../operations/tracing';
import { EndpointPicker, EndpointPickerResources, EndpointPickerTlsOptions } from '../routing/endpoint-picker';
import { RouteOptions } from '../routing/gateway-ref';
import { createHttpRoute, RouteBackend } from '../routing/http-route';
import { InferenceObjective } from '../routing/inference-objective';
import { FailureMode, InferencePool, InferencePoolApi } from '../routing/inference-pool';
import { SchedulerConfig } from '../scheduler/scheduler-config';
import { recordOrigin } from '../validation/synth-validation';
import { LabelKeys, WiringLabels } from '../wiring/labels';
import { ResourceNames } from '../wiring/names';

/** Settings of the Endpoint Picker and pool a pattern creates for its scheduler. */
export interface EndpointPickerOptions {
  /**
   * EPP replicas (more than one turns on leader election).
   * @default 1
   */
  readonly replicas?: number;
  /**
   * EPP image.
   * @default Versions.EPP_IMAGE
   */
  readonly image?: string;
  /**
   * Metrics authentication (needs a cluster-scoped auth-delegator binding); false for namespace-only installs.
   * @default true
   */
  readonly metricsAuth?: boolean;
  /**
   * Pool failure mode.
   * @default FailureMode.FAIL_OPEN
   */
  readonly failureMode?: FailureMode;
  /**
   * Also emit a legacy v1alpha2 InferencePool mirror for gateways that need it.
   * @default false
   */
  readonly legacyV1alpha2Pool?: boolean;
  /**
   * EPP resources.
   * @default - requests cpu 1, memory 2Gi; limit memory 16Gi
   */
  readonly resources?: EndpointPickerResources;
  /**
   * llm-d's standalone mode: an Envoy proxy beside the EPP serves inference on the EPP Service port 80, with no
   * Gateway (cannot be combined with `route` or `gateway`).
   * @default false
   */
  readonly standaloneProxy?: boolean;
  /**
   * Create an InferenceObjective `N` for the pool with this priority (higher is served first under load).
   * @default - no objective
   */
  readonly objectivePriority?: number;
  /**
   * Extra labels of the EPP pods (KServe's `router.scheduler.labels`; never part of a selector, wiring keys refused).
   * @default - none
   */
  readonly podLabels?: Record<string, string>;
  /**
   * Extra annotations of the EPP pods (KServe's `router.scheduler.annotations`).
   * @default - none
   */
  readonly podAnnotations?: Record<string, string>;
}

/**
 * Reject a scheduler config that scores something the model server does not have (LoRA affinity without
 * adapters). Shared by every serving pattern.
 * @internal
 */
export function checkSchedulerFitsServer(
  ctx: FieldContext, scheduler: SchedulerConfig | undefined, loraAdapters: number, runtimeLora: boolean,
): void {
  if (scheduler?.usesLora && loraAdapters === 0 && !runtimeLora) {
    throw ctx.error('scheduler', 'lora-affinity-scorer', 'scores pods by loaded LoRA adapters, but this service serves none',
      'add loraAdapters (or lora.runtimeUpdates), or drop the lora option of the scheduler config');
  }
}

/** What a serving pattern hands to the routing composition. @internal */
export interface ServingRoutingInput {
  readonly ctx: FieldContext;
  readonly name: string;
  readonly namespace?: string;
  readonly servedModelName: string;
  readonly targetPorts: number[];
  readonly scheduler?: SchedulerConfig;
  readonly endpointPicker?: EndpointPickerOptions;
  readonly route?: RouteOptions;
  readonly gateway?: InferenceGateway;
  readonly workloadService: string;
  readonly servicePort: number;
  readonly tracing?: TracingOptions;
  readonly imageRegistry?: ImageRegistry;
  /** TLS of the stack: the EPP serves with its Secret and reaches the HTTPS model servers. */
  readonly tls?: EndpointPickerTlsOptions;
}

/** @internal */
export interface ServingRouting {
  readonly pool?: InferencePool;
  readonly endpointPicker?: EndpointPicker;
  readonly objective?: InferenceObjective;
  readonly route?: ApiObject;
}

/**
 * Pool + EPP (+ objective) when a scheduler is given, and the route through a gateway or a plain parentRef.
 * The one place serving patterns get their routing from.
 * @internal
 */
export function attachServingRouting(scope: Construct, input: ServingRoutingInput): ServingRouting {
  const { ctx } = input;
  if (input.route !== undefined && input.gateway !== undefined) {
    throw ctx.error('route', input.route, 'both route and gateway are set; the gateway owns the route of every model registered with it', 'keep one of them');
  }
  if (input.endpointPicker !== undefined && input.scheduler === undefined) {
    throw ctx.error('endpointPicker', input.endpointPicker, 'configures an Endpoint Picker but no scheduler is set', 'set scheduler (e.g. SchedulerConfig.default()) or remove endpointPicker');
  }
  if (input.endpointPicker?.standaloneProxy && (input.route !== undefined || input.gateway !== undefined)) {
    throw ctx.error('endpointPicker.standaloneProxy', true, 'standalone mode serves through the Envoy beside the EPP, without a Gateway, so a route or gateway would be a second entry point',
      'drop route/gateway, or turn standaloneProxy off');
  }
  if (input.endpointPicker?.legacyV1alpha2Pool && input.scheduler !== undefined && input.targetPorts.length > 1) {
    throw ctx.error('endpointPicker.legacyV1alpha2Pool', true,
      `a v1alpha2 InferencePool has a single targetPortNumber, but the pods serve ${input.targetPorts.length} rank ports (${input.targetPorts.join(', ')}); the mirror would drop all but the first`,
      'drop legacyV1alpha2Pool (gateways with v1 support route to every rank port), or use DataParallelLoadBalancing.INTERNAL');
  }
  const names = ResourceNames.of(input.name);
  let pool: InferencePool | undefined;
  let endpointPicker: EndpointPicker | undefined;
  let objective: InferenceObjective | undefined;
  let backend: RouteBackend = { group: '', kind: 'Service', name: input.workloadService, port: input.servicePort };
  if (input.scheduler !== undefined) {
    const o = input.endpointPicker ?? {};
    pool = new InferencePool(scope, 'InferencePool', {
      name: names.inferencePool,
      namespace: input.namespace,
      selector: WiringLabels.workloadSelector(input.name),
      targetPorts: input.targetPorts,
      endpointPickerService: names.schedulerService,
      failureMode: o.failureMode,
      legacyV1alpha2: o.legacyV1alpha2Pool,
      labels: WiringLabels.scheduler(input.name),
    });
    for (const [k, v] of Object.entries(o.podLabels ?? {})) {
      if (LabelKeys.isWiringKey(k)) throw ctx.error(`endpointPicker.podLabels["${k}"]`, v, 'overrides a wiring label that the EPP Service selects on', 'remove it; the library sets it');
    }
    const eppCtx = ctx.child('endpointPicker');
    eppCtx.positiveInt('replicas', o.replicas);
    eppCtx.imageRef('image', o.image);
    eppCtx.quantity('resources.cpu', o.resources?.cpu, "'1' or '500m'");
    eppCtx.quantity('resources.memory', o.resources?.memory, "'2Gi'");
    eppCtx.quantity('resources.memoryLimit', o.resources?.memoryLimit, "'16Gi'");
    endpointPicker = new EndpointPicker(scope, 'EndpointPicker', {
      serviceName: input.name,
      namespace: input.namespace,
      pool,
      config: input.scheduler,
      replicas: o.replicas,
      image: o.image,
      metricsAuth: o.metricsAuth,
      resources: o.resources,
      standaloneProxy: o.standaloneProxy,
      failureMode: o.failureMode,
      extraPodLabels: o.podLabels,
      podAnnotations: o.podAnnotations,
      tracing: input.tracing,
      imageRegistry: input.imageRegistry,
      tls: input.tls,
    });
    recordOrigin(endpointPicker.deployment, ctx, {
      '/spec/template/metadata/labels': 'endpointPicker.podLabels[*]',
      '/spec/template/metadata/annotations': 'endpointPicker.podAnnotations[*]',
    });
    if (o.objectivePriority !== undefined) {
      objective = new InferenceObjective(scope, 'InferenceObjective', { pool, name: input.name, namespace: input.namespace, priority: o.objectivePriority, labels: WiringLabels.scheduler(input.name) });
    }
    backend = { group: InferencePoolApi.V1.group, kind: 'InferencePool', name: pool.poolName };
  }
  let route: ApiObject | undefined;
  if (input.gateway !== undefined) {
    route = input.gateway._addModel({
      scope, ctx, serviceName: input.name, namespace: input.namespace, servedModelName: input.servedModelName, backend, pool, endpointPicker,
    });
  } else if (input.route !== undefined) {
    route = createHttpRoute(scope, 'HTTPRoute', {
      ctx: ctx.child('route'),
      name: names.httpRoute,
      namespace: input.namespace,
      labels: WiringLabels.router(input.name),
      options: input.route,
      backend,
    });
  }
  return { pool, endpointPicker, objective, route };
}
