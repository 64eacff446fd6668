import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { enginePortNames, PodKind, podKindsOf, rolePodSpec, SharedPodInputs } from './pod-builder';
import { declaredPorts, planRole, RolePlan, RoleSpec } from './role-plan';
import { ModelInputs } from './serving-inputs';
import { podTemplateLabels, writeWorkload, writeWorkloadService, WrittenWorkload } from './workload-writer';
import { EngineKind } from '../engine/engine';
import { FieldContext } from '../internal/context';
import { CAPACITY_WARNING } from '../model/capacity';
import { writeDeviceClaims } from '../model/device-claims';
import { KvCache } from '../model/kv-cache';
import { RdmaOptions, validateRdma } from '../model/rdma';
import { checkReplicasOrAutoscaling } from '../operations/autoscaling';
import { DisruptionBudget } from '../operations/disruption-budget';
import { ImageRegistry } from '../operations/image-registry';
import { Monitoring } from '../operations/monitoring';
import { NetworkPolicies } from '../operations/network-policy';
import { placementMetadata, PlacementOptions, placePod, resolvePlacement } from '../operations/placement';
import { ScalingContext, ServingWorkloadRef } from '../operations/serving-workload';
import { Tls, writeBackendTlsPolicy } from '../operations/tls';
import { exporterPort, resolveTracing, TracingOptions } from '../operations/tracing';
import { InferenceGateway } from '../patterns/inference-gateway';
import { precisePrefixWiring } from '../patterns/precise-prefix';
import { attachServingRouting, checkSchedulerFitsServer, EndpointPickerOptions, ServingRouting } from '../patterns/serving-routing';
import { RouteOptions } from '../routing/gateway-ref';
import { InferencePoolApi, IInferencePool } from '../routing/inference-pool';
import { SchedulerConfig } from '../scheduler/scheduler-config';
import { RoutingSidecar } from '../serving/routing-sidecar';
import { recordOrigin } from '../validation/synth-validation';
import { DrainBudgets } from '../wiring/drain';
import { AnnotationKeys, LabelKeys, ServingRole, WiringLabels } from '../wiring/labels';
import { ResourceNames } from '../wiring/names';
import { resolveNamespace } from '../wiring/namespace';
import { Ports } from '../wiring/ports';

/** A role of a stack, as the pattern hands it to the pipeline. @internal */
export interface PipelineRole extends RoleSpec {
  /** Construct id of the role's workload when it is a Deployment / a LeaderWorkerSet. */
  readonly workloadIds: { readonly deployment: string; readonly group: string };
}

/** Everything a pattern hands to the serving pipeline. @internal */
export interface ServingPipelineInput {
  readonly ctx: FieldContext;
  /** Service name `N`, validated. */
  readonly name: string;
  readonly namespace?: string;
  readonly model: ModelInputs;
  /** The roles, in the order their workloads are written. */
  readonly roles: PipelineRole[];
  readonly scheduler?: SchedulerConfig;
  readonly endpointPicker?: EndpointPickerOptions;
  readonly route?: RouteOptions;
  readonly gateway?: InferenceGateway;
  /** Grace period of the serving pods (validated against the request timeout). */
  readonly terminationGracePeriod?: Duration;
  readonly rdma?: RdmaOptions;
  readonly monitoring?: Monitoring;
  readonly tracing?: TracingOptions;
  /** Where every pod of the stack pulls its images from. */
  readonly imageRegistry?: ImageRegistry;
  /** Scheduling of the serving pods (spread, priority, scheduler, Kueue, LWS exclusive placement). */
  readonly placement?: PlacementOptions;
  /** The stack's NetworkPolicies (validated in step 1). */
  readonly networkPolicy: NetworkPolicies;
  /** TLS on every hop of the stack. */
  readonly tls?: Tls;
}

/** What the pipeline built. @internal */
export interface ServingStack {
  readonly plans: RolePlan[];
  readonly workloads: WrittenWorkload[];
  readonly service: ApiObject;
  readonly sidecar?: RoutingSidecar;
  readonly routing: ServingRouting;
  /** The InferencePool's target ports (the public ports of every serving pod). */
  readonly targetPorts: number[];
  readonly selectorLabels: Record<string, string>;
  /** The workloads as the extras (autoscaling, disruption budgets, monitoring) see them. */
  readonly workloadRefs: ServingWorkloadRef[];
}

const NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Validate the props every pattern shares: the service name. Errors name the construct and the field.
 * @internal
 */
export function validateServiceName(ctx: FieldContext, name: string): void {
  if (typeof name !== 'string' || !NAME.test(name) || name.length > 63) {
    throw ctx.error('name', name, 'must be a DNS-1035 label of at most 63 characters (it is the Service name and a label value)',
      "use lowercase letters, digits and '-', starting with a letter, e.g. 'qwen3-chat'");
  }
}

/**
 * The one serving pipeline of the library. Every pattern (and through them the KServe translation) goes
 * through the same steps:
 *
 * 1. validate — checks shared by every pattern (RDMA, pod labels, scheduler fit);
 * 2. plan — parallelism, rank-port layout and workload kind per role ({@link planRole});
 * 3. engine side of routing — precise prefix-cache wiring and the routing sidecar;
 * 4. pods — one pod spec per pod kind of a role ({@link rolePodSpec});
 * 5. workloads — one Deployment or LeaderWorkerSet writer ({@link writeWorkload}) and the workload Service;
 * 6. routing — pool, EPP, objective and route ({@link attachServingRouting});
 * 7. extras — what attaches to every workload (see {@link ServingStack.workloadRefs}).
 * @internal
 */
export function runServingPipeline(scope: Construct, input: ServingPipelineInput): ServingStack {
  const { ctx, name, namespace } = input;
  const names = ResourceNames.of(name);

  // 1. validate
  validateRdma(ctx, input.rdma, input.roles);
  for (const role of input.roles) {
    checkPodLabels(role);
    checkReplicasOrAutoscaling(role.ctx, role.replicas, role.autoscaling);
    if (role.kvCache !== undefined) {
      const field = role.kvCacheField ?? 'kvCache';
      KvCache.prototype._validate.call(role.kvCache, role.ctx, field);
      if (role.kvCache.enabled && role.engine.kind === EngineKind.SIMULATOR) {
        throw role.ctx.error(field, 'KvCache', 'the inference simulator keeps no KV cache to offload (it ignores --kv-transfer-config)', 'remove kvCache, or use Engine.vllm()');
      }
      if (role.kvCache.enabled && role.engine.kind === EngineKind.SGLANG) {
        throw role.ctx.error(field, 'KvCache', "renders vLLM's KV-offloading connectors (--kv-transfer-config, LMCache); SGLang tiers its cache with HiCache, which this library does not render",
          'remove kvCache (pass SGLang\'s --enable-hierarchical-cache flags in engine extraArgs), or use Engine.vllm()');
      }
    }
    if (role.disruptionBudget !== undefined && !(role.disruptionBudget instanceof DisruptionBudget)) {
      throw role.ctx.error('disruptionBudget', role.disruptionBudget, 'must be a DisruptionBudget', 'use DisruptionBudget.maxUnavailable(1), … or DisruptionBudget.none()');
    }
  }
  const tracing = resolveTracing(ctx, input.tracing);
  input.networkPolicy._validate(ctx, 'networkPolicy');
  ctx.dnsSubdomain('modelCacheClaim', input.model.modelCacheClaim);
  const registry = input.imageRegistry ?? ImageRegistry.upstream();
  registry._validate(ctx, 'imageRegistry');
  if (input.tls !== undefined && !(input.tls instanceof Tls)) {
    throw ctx.error('tls', input.tls, 'must be a Tls', 'use Tls.certManager({ issuerRef }), Tls.secret(name) or Tls.none()');
  }
  const tlsOption = input.tls ?? Tls.none();
  tlsOption._validate(ctx, 'tls');
  checkSchedulerFitsServer(ctx, input.scheduler, input.model.loraAdapters.length, input.model.lora.runtimeUpdates ?? false);
  // llm-d-router v0.10.0 `pkg/epp/framework/plugins/datalayer/extractor/metrics/factories.go`: the sglang engine config
  // has no LoRA metric (LoRASpec ""), so the EPP never learns which adapters SGLang pods hold.
  if (input.scheduler?.usesLora && input.roles.some((r) => r.engine.kind === EngineKind.SGLANG)) {
    throw ctx.error('scheduler', 'lora-affinity-scorer', 'scores pods by the adapters their LoRA metric reports, but the pinned EPP reads no LoRA metric from SGLang pods',
      'drop the lora option of the scheduler config with Engine.sglang() (requests still reach the adapters), or use Engine.vllm()');
  }
  if (input.scheduler && input.roles.some((r) => r.behindSidecar) && !input.scheduler.hasPlugin('disagg-headers-handler') && !input.scheduler.hasPlugin('prefill-header-handler')) {
    throw ctx.error('scheduler', input.scheduler.profileNames, 'has no disagg headers handler, so the EPP never tells the decode sidecar which prefill pod it chose and disaggregation never happens',
      'use SchedulerConfig.prefillDecode() with headersHandler left on (the default)');
  }

  const drain = planDrain(ctx, input);

  // 2. plan
  const plans = input.roles.map(planRole);
  for (const plan of plans) {
    for (const w of plan.capacity?.warnings ?? []) scope.node.addMetadata(CAPACITY_WARNING, `${plan.spec.role.value}: ${w}`);
  }
  const targetPorts = plans[plans.length - 1].ports.publicPorts;
  for (const plan of plans) {
    if (plan.ports.publicPorts.length !== targetPorts.length) {
      const last = plans[plans.length - 1];
      throw last.ctx.error('loadBalancing', last.spec.loadBalancing,
        `${last.spec.role.value} serves ${targetPorts.length} rank port(s) per pod and ${plan.spec.role.value} ${plan.ports.publicPorts.length}; one InferencePool lists one set of target ports for every role`,
        'use the same loadBalancing and dataLocal on every role');
    }
  }

  for (const plan of plans) {
    if (tlsOption.enabled && plan.ports.perRank) {
      throw plan.ctx.error('loadBalancing', plan.spec.loadBalancing,
        "serves one port per rank behind vLLM's data-parallel supervisor, whose health port the pinned vLLM does not serve over TLS, so HTTPS probes and clients would fail",
        'use the internal load balancing (the default) with tls, or turn tls off');
    }
  }

  // 3. engine side of routing
  const servingEngine = plans[plans.length - 1].spec.engine;
  const precise = precisePrefixWiring(scope, ctx, {
    name,
    namespace,
    servedModelName: input.model.servedModelName,
    model: input.model.model,
    engine: servingEngine,
    scheduler: input.scheduler,
    eppReplicas: input.endpointPicker?.replicas,
    imageRegistry: registry,
  });
  const bindPort = precise.kvEvents?.bindPort;
  for (const plan of plans) {
    const clash = bindPort === undefined ? undefined : declaredPorts(plan).find(([, p]) => p === bindPort);
    if (clash) {
      throw ctx.error('scheduler.kvEvents.socketPort', bindPort, `the KV-events publisher port is also the ${clash[0]} of the ${plan.spec.role.value} pods; each port of a pod is bound by one listener`,
        `use another port, e.g. ${Ports.KV_EVENTS_POD_DISCOVERY}`);
    }
  }
  const poolRef: IInferencePool | undefined = input.scheduler
    ? { poolName: names.inferencePool, poolGroup: InferencePoolApi.V1.group, poolNamespace: namespace }
    : undefined;
  // ServiceAccounts (KServe workload_single_node.go / workload_multi_node.go): the role's own when given; else each
  // LeaderWorkerSet runs as one named after it (created), and a decode Deployment as the routing sidecar's `N-kserve`.
  const serviceAccounts = plans.map((plan) => {
    const own = plan.spec.serviceAccountName;
    plan.ctx.dnsSubdomain('serviceAccountName', own);
    if (own !== undefined || !plan.multiPod) return own;
    const saName = plan.spec.role === ServingRole.PREFILL ? names.prefillGroupServiceAccount : names.mainGroupServiceAccount;
    new ApiObject(scope, plan.spec.role === ServingRole.PREFILL ? 'PrefillServiceAccount' : 'ServiceAccount', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: saName, namespace, labels: WiringLabels.owned(name) },
    });
    return saName;
  });
  const sidecarAt = plans.findIndex((p) => p.spec.behindSidecar);
  const sidecarPlan = sidecarAt >= 0 ? plans[sidecarAt] : undefined;
  const sidecar = sidecarPlan ? new RoutingSidecar(scope, 'RoutingSidecar', {
    serviceName: name,
    namespace,
    kvTransfer: sidecarPlan.spec.kvTransfer!,
    pool: poolRef,
    vllmPort: sidecarPlan.ports.enginePort,
    ranks: sidecarPlan.ports.publicPorts.length,
    multiNode: sidecarPlan.multiPod,
    serviceAccountName: serviceAccounts[sidecarAt],
    tls: tlsOption.enabled,
  }) : undefined;

  // 4. pods and 5. workloads
  const tls = tlsOption._resolve(scope, name, namespace);
  const placement = resolvePlacement(ctx, input.placement, plans.some((p) => p.multiPod));
  const deviceClaims = writeDeviceClaims(scope, name, namespace, plans);
  const workloads: WrittenWorkload[] = [];
  for (const [i, plan] of plans.entries()) {
    const role = input.roles[i];
    const shared: SharedPodInputs = {
      model: input.model,
      kvEvents: precise.kvEvents,
      requiredBlockSize: precise.requiredBlockSize,
      rdma: input.rdma,
      sidecar: role.behindSidecar ? sidecar?._container : undefined,
      drain,
      serviceAccountName: role.behindSidecar ? sidecar?.serviceAccountName : serviceAccounts[i],
      tracing: tracing ? { options: tracing, namespace: resolveNamespace(scope, namespace), serviceName: name } : undefined,
      tls: tls ? { secretName: tls.secretName } : undefined,
      deviceClaimTemplate: deviceClaims[i],
    };
    // pods to spread: Deployment pods, LWS leaders, or every pod of a group without a leader; autoscaled = several
    const hasLeader = podKindsOf(plan).includes(PodKind.LEADER);
    const spreadOf = (kind: PodKind) => ({
      selector: kind === PodKind.WORKER && hasLeader ? undefined : podTemplateLabels(name, plan, kind, hasLeader),
      deployment: kind === PodKind.SERVING,
      replicas: (role.autoscaling ? Number.MAX_SAFE_INTEGER : plan.replicas) * (kind === PodKind.WORKER ? plan.parallelism.podsPerGroup : 1),
    });
    const podOf = (kind: PodKind) => registry._applyTo(placePod(rolePodSpec(plan, kind, shared), placement, spreadOf(kind)));
    const pods = new Map(podKindsOf(plan).map((kind) => [kind, podOf(kind)] as const));
    const annotations: Record<string, string> = { ...role.podAnnotations };
    if (input.rdma?.networks) annotations[AnnotationKeys.MULTUS_NETWORKS] = input.rdma.networks;
    const placed = placementMetadata(placement, plan.multiPod);
    const engineLabels = role.engine.kind === EngineKind.SGLANG ? WiringLabels.sglangEngine() : {};
    const workload = writeWorkload(scope, plan.multiPod ? role.workloadIds.group : role.workloadIds.deployment, {
      serviceName: name,
      namespace,
      plan,
      pods,
      metadata: { labels: { ...role.podLabels, ...placed.labels, ...engineLabels }, annotations },
      workloadMetadata: {
        labels: { ...role.workloadLabels, ...placed.labels },
        annotations: {
          ...role.workloadAnnotations,
          ...placed.annotations,
          ...(plan.capacity ? { [AnnotationKeys.CAPACITY]: JSON.stringify(plan.capacity) } : {}),
        },
      },
      autoscaled: role.autoscaling !== undefined,
    });
    const templates = plan.multiPod ? ['/spec/leaderWorkerTemplate/leaderTemplate', '/spec/leaderWorkerTemplate/workerTemplate'] : ['/spec/template'];
    recordOrigin(workload.object, role.ctx, Object.fromEntries([
      ['/metadata/labels', `${role.workloadLabelsField ?? 'workloadLabels'}[*]`],
      ['/metadata/annotations', 'workloadAnnotations[*]'],
      ...templates.flatMap((t) => [
        [`${t}/metadata/labels`, `${role.podLabelsField ?? 'podLabels'}[*]`],
        [`${t}/metadata/annotations`, 'podAnnotations[*]'],
      ]),
    ]));
    workloads.push(workload);
  }
  const service = writeWorkloadService(scope, name, namespace, tls !== undefined);

  // 6. routing
  const routing = attachServingRouting(scope, {
    ctx,
    name,
    namespace,
    servedModelName: input.model.servedModelName,
    targetPorts,
    scheduler: precise.scheduler,
    endpointPicker: input.endpointPicker,
    route: input.route,
    gateway: input.gateway,
    workloadService: names.workloadService,
    servicePort: Ports.SERVING,
    tracing: input.tracing,
    imageRegistry: registry,
    tls: tls ? { secretName: tls.secretName, modelServerName: tls.serverName } : undefined,
  });
  if (tls) {
    writeBackendTlsPolicy(scope, tls, name, namespace, routing.pool
      ? { group: InferencePoolApi.V1.group, kind: 'InferencePool', name: routing.pool.poolName }
      : { group: '', kind: 'Service', name: names.workloadService });
  }
  if (poolRef && routing.pool && routing.pool.poolName !== poolRef.poolName) {
    throw ctx.error('scheduler', routing.pool.poolName, `the pool differs from the one the routing sidecar protects (${poolRef.poolName})`, 'report this as a bug');
  }

  // 7. extras: the workloads as every extra part sees them.
  const workloadRefs: ServingWorkloadRef[] = workloads.map((w, i) => ({
    role: plans[i].spec.role.value,
    object: w.object,
    apiVersion: w.apiVersion,
    kind: w.kind,
    name: w.name,
    namespace: resolveNamespace(scope, namespace),
    serviceName: name,
    podSelector: w.podSelector,
    servingPodSelector: w.servingPodSelector,
    metricsPortNames: enginePortNames(plans[i]),
    autoscaled: input.roles[i].autoscaling !== undefined,
    replicas: plans[i].replicas,
    groupSize: plans[i].parallelism.podsPerGroup,
  }));

  // 7a. autoscaling and disruption budgets
  for (const [i, ref] of workloadRefs.entries()) {
    const role = input.roles[i];
    const plan = plans[i];
    const prefill = role.role === ServingRole.PREFILL;
    const idPrefix = prefill ? 'Prefill' : '';
    const groupSize = plan.parallelism.podsPerGroup;
    if (role.autoscaling) {
      const scaling: ScalingContext = {
        target: ref,
        prefill,
        poolName: routing.pool?.poolName,
        servedModelName: input.model.servedModelName,
        podMetrics: role.engine.kind === EngineKind.SGLANG ? 'sglang' : 'vllm',
      };
      role.autoscaling._validate(role.ctx, 'autoscaling', scaling);
      role.autoscaling._bind(scope, scaling);
    }
    const budget = role.disruptionBudget ?? DisruptionBudget.maxUnavailable(1);
    const minReplicas = role.autoscaling ? (role.autoscaling.scalesToZero ? 0 : role.autoscaling.minReplicas) : plan.replicas;
    budget._validate(role.ctx, 'disruptionBudget', minReplicas * groupSize);
    budget._bind(scope, `${idPrefix}DisruptionBudget`, ref, prefill);
  }

  // 7b. monitoring and tracing (tracing is rendered into the pods in step 4 and the EPP in step 6)
  input.monitoring?._attach(scope, {
    ctx,
    serviceName: name,
    namespace,
    servedModelName: input.model.servedModelName,
    workloads: workloadRefs,
    endpointPicker: routing.endpointPicker,
    poolName: routing.pool?.poolName,
    tls: tls !== undefined,
    sglang: servingEngine.kind === EngineKind.SGLANG,
  });

  // 7c. network policies, from the flows the stack has
  const epp = routing.endpointPicker;
  input.networkPolicy._bind(scope, {
    serviceName: name,
    namespace,
    servingComponents: [...new Set(plans.flatMap((p) => (p.multiPod ? [PodKind.LEADER, PodKind.WORKER] : [PodKind.SERVING])
      .map((kind) => podTemplateLabels(name, p, kind, false)[LabelKeys.COMPONENT])))],
    publicPorts: targetPorts,
    metricsPortNames: [...new Set(workloadRefs.flatMap((r) => r.metricsPortNames))],
    scrapers: input.monitoring?._scrapers,
    intraStack: plans.length > 1 || plans.some((p) => p.multiPod),
    servingNeedsApiServer: sidecar !== undefined,
    endpointPicker: epp ? {
      podSelector: epp.selectorLabels,
      routed: !epp._standalone, // any gateway may route to the pool, also one registered later
      standalone: epp._standalone,
      kvEventsPort: epp._kvEventsPort,
    } : undefined,
    podKvEventsPort: bindPort,
    tokenizerSelector: precise.tokenizerSelector,
    tracingPort: tracing ? exporterPort(tracing) : undefined,
  });

  return { plans, workloads, service, sidecar, routing, targetPorts, selectorLabels: WiringLabels.workloadSelector(name), workloadRefs };
}

/** The grace period and vLLM's drain of the serving pods, from the request timeout of the stack's route. */
function planDrain(ctx: FieldContext, input: ServingPipelineInput): { readonly graceSeconds: number; readonly shutdownTimeoutSeconds: number } {
  const timeout = input.route
    ? (input.route.requestTimeout ?? DrainBudgets.DEFAULT_REQUEST_TIMEOUT)
    : (input.gateway ? input.gateway.requestTimeout : Duration.seconds(0));
  ctx.seconds(input.route ? 'route.requestTimeout' : 'gateway.requestTimeout', timeout);
  const grace = input.terminationGracePeriod ?? DrainBudgets.defaultGrace(timeout);
  if (!(grace instanceof Duration)) throw ctx.error('terminationGracePeriod', grace, 'must be a Duration', 'use e.g. Duration.minutes(6)');
  const graceSeconds = ctx.seconds('terminationGracePeriod', grace);
  const min = DrainBudgets.minimumGrace(timeout);
  if (!Number.isInteger(graceSeconds) || graceSeconds < min.toSeconds()) {
    throw ctx.error('terminationGracePeriod', `${graceSeconds}s`,
      `is shorter than the preStop pause (${DrainBudgets.PRE_STOP.toSeconds()} s) + the request timeout (${timeout.toSeconds()} s) + ${DrainBudgets.EXIT_MARGIN.toSeconds()} s, so every rollout cuts requests the route still allows`,
      `set it to at least Duration.seconds(${min.toSeconds()}), or lower the route's requestTimeout`);
  }
  return { graceSeconds, shutdownTimeoutSeconds: DrainBudgets.vllmShutdownTimeout(grace).toSeconds() };
}

function checkPodLabels(role: PipelineRole): void {
  for (const [labels, field] of [[role.podLabels, role.podLabelsField ?? 'podLabels'], [role.workloadLabels, role.workloadLabelsField ?? 'workloadLabels']] as const) {
    for (const [key, value] of Object.entries(labels ?? {})) {
      if (LabelKeys.isWiringKey(key)) {
        throw role.ctx.error(`${field}["${key}"]`, value, 'overrides a wiring label that selectors depend on', 'remove it; the library sets it');
      }
    }
  }
}


