import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { ScalingMetric } from './scaling-metric';
import { ScalingContext } from './serving-workload';
import * as k8s from '../imports/k8s';
import { FieldContext } from '../internal/context';
import { checkArgs } from '../internal/prop-check';
import { Versions } from '../versions';
import { AnnotationKeys, LabelKeys, WiringLabels, WorkloadComponents } from '../wiring/labels';
import { MetricNames } from '../wiring/metrics';
import { ResourceNames } from '../wiring/names';
import { Ports } from '../wiring/ports';

/** How fast one direction of scaling may go. */
export interface ScalingRules {
  /**
   * How long a recommendation must hold before it is applied.
   * @default - Kubernetes' default (0 for scale-up, 5 minutes for scale-down)
   */
  readonly stabilizationWindow?: Duration;
  /**
   * At most this many pods added or removed per period.
   * @default - no pod-count policy
   */
  readonly podsPerPeriod?: number;
  /**
   * At most this percentage of the current replicas added or removed per period.
   * @default - no percentage policy
   */
  readonly percentPerPeriod?: number;
  /**
   * The period of the policies.
   * @default Duration.minutes(1)
   */
  readonly period?: Duration;
}

/** HPA scaling behavior. */
export interface ScalingBehavior {
  /**
   * Scale-up rules.
   * @default - Kubernetes' defaults
   */
  readonly scaleUp?: ScalingRules;
  /**
   * Scale-down rules.
   * @default - Kubernetes' defaults
   */
  readonly scaleDown?: ScalingRules;
}

/** Options of {@link Autoscaling.hpa}. */
export interface HpaAutoscalingOptions {
  /**
   * Fewest replicas (HPA scale to zero is an alpha feature gate; use KEDA's `idleReplicaCount` instead).
   * @default 1
   */
  readonly minReplicas?: number;
  /** Most replicas. */
  readonly maxReplicas: number;
  /** The signals; the HPA follows the one asking for most replicas. */
  readonly metrics: ScalingMetric[];
  /**
   * Scaling behavior.
   * @default - Kubernetes' defaults
   */
  readonly behavior?: ScalingBehavior;
}

/** A KEDA trigger written as is (`spec.triggers[]` of a ScaledObject). */
export interface KedaTrigger {
  /** Scaler type, e.g. `prometheus`. */
  readonly type: string;
  /** Scaler metadata. */
  readonly metadata: Record<string, string>;
  /**
   * Trigger name.
   * @default - none
   */
  readonly name?: string;
  /**
   * `AverageValue`, `Value` or `Utilization`.
   * @default - the scaler's default (AverageValue)
   */
  readonly metricType?: string;
  /**
   * Name of a TriggerAuthentication in the namespace.
   * @default - none
   */
  readonly authenticationRef?: string;
}

/** Options of {@link Autoscaling.keda}. */
export interface KedaAutoscalingOptions {
  /**
   * Fewest replicas while active.
   * @default 1
   */
  readonly minReplicas?: number;
  /** Most replicas. */
  readonly maxReplicas: number;
  /**
   * Prometheus server KEDA queries (needed with `metric` or `query` unless the signal is CPU).
   * @default - none
   */
  readonly serverAddress?: string;
  /**
   * A typed signal; the library writes the Prometheus query that selects this workload's serving pods.
   * @default - `query` or `triggers`
   */
  readonly metric?: ScalingMetric;
  /**
   * A PromQL query whose value KEDA divides by `threshold`.
   * @default - `metric` or `triggers`
   */
  readonly query?: string;
  /**
   * Target value per replica of `query`.
   * @default - none (required with `query`)
   */
  readonly threshold?: number;
  /**
   * Triggers written as is (what KServe's `spec.scaling.keda.triggers` holds).
   * @default - `metric` or `query`
   */
  readonly triggers?: KedaTrigger[];
  /**
   * Replicas while there is no load: only 0 (scale to zero), which needs a scheduler in front so that requests
   * wait in the Endpoint Picker while a replica starts.
   * @default - no idle state
   */
  readonly idleReplicaCount?: number;
  /**
   * How often KEDA checks the triggers.
   * @default - KEDA's default (30 s)
   */
  readonly pollingInterval?: Duration;
  /**
   * How long after the last active trigger KEDA waits before scaling to idle.
   * @default - KEDA's default (5 minutes)
   */
  readonly cooldownPeriod?: Duration;
  /**
   * Wait after creation before the first scale to idle (a model must load first).
   * @default - KEDA's default (0)
   */
  readonly initialCooldownPeriod?: Duration;
}

/** Options of WVA's KEDA actuator. */
export interface WvaKedaOptions {
  /** Prometheus server that holds `wva_desired_replicas`. */
  readonly serverAddress: string;
  /**
   * How often KEDA polls.
   * @default - KEDA's default (30 s)
   */
  readonly pollingInterval?: Duration;
}

/** What applies the Workload Variant Autoscaler's desired replicas to the workload. */
export class WvaActuator {
  /** An HPA on the external metric `wva_desired_replicas` (needs a Prometheus adapter). */
  public static hpa(behavior?: ScalingBehavior): WvaActuator {
    checkArgs('WvaActuator.hpa', arguments);
    return new WvaActuator('hpa', behavior, undefined);
  }

  /** A KEDA ScaledObject with a Prometheus trigger on `wva_desired_replicas`. */
  public static keda(options: WvaKedaOptions): WvaActuator {
    checkArgs('WvaActuator.keda', arguments);
    return new WvaActuator('keda', undefined, options);
  }

  private constructor(
    /** `hpa` or `keda`. */
    public readonly kind: string,
    /** @internal */ public readonly _behavior: ScalingBehavior | undefined,
    /** @internal */ public readonly _keda: WvaKedaOptions | undefined,
  ) {}
}

/** Options of {@link Autoscaling.wva}. */
export interface WvaAutoscalingOptions {
  /**
   * Fewest replicas (0 only with the KEDA actuator and a scheduler).
   * @default 1
   */
  readonly minReplicas?: number;
  /** Most replicas. */
  readonly maxReplicas: number;
  /**
   * Cost of one replica of this variant; WVA prefers the cheaper variant of a model.
   * @default 10
   */
  readonly variantCost?: number;
  /**
   * Accelerator type of the variant (label `inference.optimization/acceleratorName` of the VariantAutoscaling and
   * its autoscaler).
   * @default - 'unknown'
   */
  readonly acceleratorType?: string;
  /**
   * What applies the desired replicas.
   * @default WvaActuator.hpa()
   */
  readonly actuator?: WvaActuator;
}

enum Mode { HPA = 'hpa', KEDA = 'keda', WVA = 'wva' }

/**
 * How a serving workload scales. Mutually exclusive with a fixed `replicas`; an autoscaled workload's manifest has
 * no `spec.replicas`, so re-applying it never fights the autoscaler. P/D roles scale independently.
 */
export class Autoscaling {
  /** A HorizontalPodAutoscaler (`autoscaling/v2`) `N-kserve-hpa` on the given signals. */
  public static hpa(options: HpaAutoscalingOptions): Autoscaling {
    checkArgs('Autoscaling.hpa', arguments);
    return new Autoscaling(Mode.HPA, options.minReplicas, options.maxReplicas, options);
  }

  /** A KEDA ScaledObject (`keda.sh/v1alpha1`) `N-kserve-keda`; with `idleReplicaCount: 0` it scales to zero. */
  public static keda(options: KedaAutoscalingOptions): Autoscaling {
    checkArgs('Autoscaling.keda', arguments);
    return new Autoscaling(Mode.KEDA, options.minReplicas, options.maxReplicas, options);
  }

  /**
   * The Workload Variant Autoscaler (llm-d WVA v0.5.1): a VariantAutoscaling (`llmd.ai/v1alpha1`) for the
   * workload, and the HPA or ScaledObject KServe creates for it on `wva_desired_replicas`.
   */
  public static wva(options: WvaAutoscalingOptions): Autoscaling {
    checkArgs('Autoscaling.wva', arguments);
    return new Autoscaling(Mode.WVA, options.minReplicas, options.maxReplicas, options);
  }

  /** `hpa`, `keda` or `wva`. */
  public readonly mode: string;
  /** Fewest replicas. */
  public readonly minReplicas: number;
  /** Most replicas. */
  public readonly maxReplicas: number;

  private constructor(mode: Mode, minReplicas: number | undefined, maxReplicas: number, private readonly options: any) {
    this.mode = mode;
    this.minReplicas = minReplicas ?? 1;
    this.maxReplicas = maxReplicas;
  }

  /** The replicas while scaled to zero: 0 for KEDA idle or WVA with minReplicas 0. */
  public get scalesToZero(): boolean {
    if (this.mode === Mode.KEDA && this.options.idleReplicaCount === 0) return true;
    return this.mode !== Mode.HPA && this.minReplicas === 0;
  }

  /** Check the options against the workload; errors name `field`. @internal */
  public _validate(ctx: FieldContext, field: string, scaling: ScalingContext): void {
    const o = this.options ?? {};
    const f = (name: string) => `${field}.${name}`;
    const mode = this.mode as Mode;
    if (!Number.isInteger(this.maxReplicas) || this.maxReplicas < 1) {
      throw ctx.error(f('maxReplicas'), this.maxReplicas, 'must be an integer >= 1', 'set the most replicas the workload may have, e.g. 4');
    }
    const minFloor = mode === Mode.HPA ? 1 : 0;
    if (!Number.isInteger(this.minReplicas) || this.minReplicas < minFloor) {
      const fix = mode === Mode.HPA ? 'use 1 or more (HPA scale to zero is an alpha feature gate); for scale to zero use Autoscaling.keda({ idleReplicaCount: 0 })'
        : 'use an integer of 0 or more';
      throw ctx.error(f('minReplicas'), this.minReplicas, `must be an integer >= ${minFloor}`, fix);
    }
    if (this.minReplicas > this.maxReplicas) {
      throw ctx.error(f('minReplicas'), this.minReplicas, `is above maxReplicas (${this.maxReplicas})`, 'make minReplicas <= maxReplicas');
    }
    if (mode === Mode.HPA) {
      if (!Array.isArray(o.metrics) || o.metrics.length === 0) {
        throw ctx.error(f('metrics'), o.metrics, 'an HPA needs at least one signal', 'pass e.g. [ScalingMetric.vllmWaitingRequests(5)]');
      }
      o.metrics.forEach((m: unknown, i: number) => checkMetric(ctx, `${f('metrics')}[${i}]`, m, scaling));
      checkBehavior(ctx, f('behavior'), o.behavior);
    }
    if (mode === Mode.KEDA) {
      const sources = ['metric', 'query', 'triggers'].filter((k) => o[k] !== undefined);
      if (sources.length !== 1) {
        throw ctx.error(field, sources.join(', ') || 'none', 'KEDA needs exactly one of metric, query or triggers', 'pass one signal source, e.g. metric: ScalingMetric.vllmWaitingRequests(5)');
      }
      if (o.metric !== undefined) checkMetric(ctx, f('metric'), o.metric, scaling);
      const cpu = o.metric instanceof ScalingMetric && o.metric.kind === 'cpuUtilization';
      if ((o.metric !== undefined && !cpu) || o.query !== undefined) checkUrl(ctx, f('serverAddress'), o.serverAddress, true);
      if (o.query !== undefined) {
        if (typeof o.query !== 'string' || !o.query.trim()) throw ctx.error(f('query'), o.query, 'must be a PromQL expression', 'pass a query, e.g. sum(vllm:num_requests_waiting)');
        if (typeof o.threshold !== 'number' || !(o.threshold > 0)) throw ctx.error(f('threshold'), o.threshold, 'a query needs a threshold above 0', 'set threshold to the target value per replica');
      }
      if (o.triggers !== undefined) {
        if (!Array.isArray(o.triggers) || o.triggers.length === 0) throw ctx.error(f('triggers'), o.triggers, 'must be a non-empty list', 'pass at least one trigger');
        o.triggers.forEach((t: any, i: number) => {
          if (!t || typeof t.type !== 'string' || !t.type) throw ctx.error(`${f('triggers')}[${i}].type`, t?.type, 'is required', "set the scaler type, e.g. 'prometheus'");
        });
      }
      if (o.idleReplicaCount !== undefined) {
        if (o.idleReplicaCount !== 0) throw ctx.error(f('idleReplicaCount'), o.idleReplicaCount, 'KEDA supports only 0 (scale to zero)', 'set 0 or leave it out');
        if (this.minReplicas < 1) throw ctx.error(f('minReplicas'), this.minReplicas, 'must be >= 1 with idleReplicaCount 0 (KEDA requires idle < min)', 'set minReplicas to 1 or more');
      }
      for (const d of ['pollingInterval', 'cooldownPeriod', 'initialCooldownPeriod']) checkDuration(ctx, f(d), o[d]);
    }
    if (mode === Mode.WVA) {
      if (o.variantCost !== undefined && (typeof o.variantCost !== 'number' || !Number.isFinite(o.variantCost) || o.variantCost < 0)) {
        throw ctx.error(f('variantCost'), o.variantCost, 'must be a number >= 0', 'pass the cost of one replica, e.g. 10');
      }
      if (o.acceleratorType !== undefined && (typeof o.acceleratorType !== 'string' || !/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(o.acceleratorType))) {
        throw ctx.error(f('acceleratorType'), o.acceleratorType, 'must be a label value (alphanumerics, -, _, ., at most 63)', "use e.g. 'nvidia-h100-80gb'");
      }
      const actuator = o.actuator ?? WvaActuator.hpa();
      if (!(actuator instanceof WvaActuator)) throw ctx.error(f('actuator'), o.actuator, 'must be a WvaActuator', 'use WvaActuator.hpa() or WvaActuator.keda({ serverAddress })');
      if (actuator.kind === 'hpa' && this.minReplicas < 1) {
        throw ctx.error(f('minReplicas'), this.minReplicas, 'the HPA actuator cannot scale to zero', 'use WvaActuator.keda({ serverAddress }) for scale to zero, or minReplicas 1');
      }
      if (actuator.kind === 'keda') {
        checkUrl(ctx, f('actuator.serverAddress'), actuator._keda?.serverAddress, true);
        checkDuration(ctx, f('actuator.pollingInterval'), actuator._keda?.pollingInterval);
      }
      checkBehavior(ctx, f('actuator.behavior'), actuator._behavior);
    }
    if (this.scalesToZero && !scaling.poolName) {
      throw ctx.error(field, `${this.mode} scale to zero`, 'with no replica running, requests have nowhere to wait and fail while a replica starts',
        'add a scheduler (SchedulerConfig) so that requests queue in the Endpoint Picker, or keep at least one replica');
    }
  }

  /** Write the autoscaler objects of one workload. @internal */
  public _bind(scope: Construct, scaling: ScalingContext): ApiObject[] {
    const ref = scaling.target;
    const names = ResourceNames.of(ref.serviceName);
    const scaleTargetRef = { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name };
    const component = scaling.prefill ? WorkloadComponents.PREFILL : WorkloadComponents.MAIN;
    const labels = WiringLabels.component(ref.serviceName, component);
    const o = this.options;
    const id = (s: string) => `${scaling.prefill ? 'Prefill' : ''}${s}`;
    if (this.mode === Mode.HPA) {
      return [hpa(scope, id('HorizontalPodAutoscaler'), names.horizontalPodAutoscaler(scaling.prefill), ref.namespace, labels, undefined, {
        scaleTargetRef,
        minReplicas: this.minReplicas,
        maxReplicas: this.maxReplicas,
        metrics: (o.metrics as ScalingMetric[]).map((m) => m._hpaMetric(scaling)),
        behavior: behaviorSpec(o.behavior),
      })];
    }
    if (this.mode === Mode.KEDA) {
      const triggers = o.triggers
        ? (o.triggers as KedaTrigger[]).map(kedaTrigger)
        : o.metric
          ? [(o.metric as ScalingMetric)._kedaTrigger(scaling, o.serverAddress)]
          : [{ type: 'prometheus', metadata: { serverAddress: o.serverAddress, query: o.query, threshold: String(o.threshold) } }];
      return [scaledObject(scope, id('ScaledObject'), names.scaledObject(scaling.prefill), ref.namespace, labels, undefined, {
        scaleTargetRef,
        minReplicaCount: this.minReplicas,
        maxReplicaCount: this.maxReplicas,
        idleReplicaCount: o.idleReplicaCount,
        pollingInterval: o.pollingInterval?.toSeconds(),
        cooldownPeriod: o.cooldownPeriod?.toSeconds(),
        initialCooldownPeriod: o.initialCooldownPeriod?.toSeconds(),
        triggers,
      })];
    }
    // WVA (kserve-llmisvc.md §3.9): the autoscaler carries the WVA annotations; its variant is the
    // VariantAutoscaling of the same name (WVA labels its metric with the VariantAutoscaling's name).
    const actuator: WvaActuator = o.actuator ?? WvaActuator.hpa();
    const variantName = actuator.kind === 'hpa' ? names.horizontalPodAutoscaler(scaling.prefill) : names.scaledObject(scaling.prefill);
    const accelerator = o.acceleratorType ?? scaling.acceleratorType ?? 'unknown';
    const cost = variantCost(o.variantCost ?? 10);
    const wvaLabels = { ...labels, [LabelKeys.WVA_ACCELERATOR_NAME]: accelerator };
    const annotations = { [AnnotationKeys.WVA_MANAGED]: 'true', [AnnotationKeys.WVA_MODEL_ID]: scaling.servedModelName, [AnnotationKeys.WVA_VARIANT_COST]: cost };
    const variant = new ApiObject(scope, id('VariantAutoscaling'), {
      apiVersion: Versions.VARIANT_AUTOSCALING_API,
      kind: 'VariantAutoscaling',
      metadata: { name: variantName, namespace: ref.namespace, labels: wvaLabels },
      // WVA v0.5.1's spec is the target, the model and the cost; the accelerator is the label above, the replica
      // bounds are the actuator's.
      spec: { scaleTargetRef, modelID: scaling.servedModelName, variantCost: cost },
    });
    const selector: Record<string, string> = { [MetricNames.WVA_VARIANT_LABEL]: variantName };
    if (ref.namespace) selector[MetricNames.WVA_NAMESPACE_LABEL] = ref.namespace;
    if (actuator.kind === 'hpa') {
      return [variant, hpa(scope, id('HorizontalPodAutoscaler'), variantName, ref.namespace, wvaLabels, annotations, {
        scaleTargetRef,
        minReplicas: this.minReplicas,
        maxReplicas: this.maxReplicas,
        // The metric is the desired replica count: AverageValue 1 makes the HPA follow it (WVA's
        // config/samples/hpa-integration.yaml; a Value target would multiply it by the current replicas).
        metrics: [{
          type: 'External',
          external: { metric: { name: MetricNames.WVA_DESIRED_REPLICAS, selector: { matchLabels: selector } }, target: { type: 'AverageValue', averageValue: k8s.Quantity.fromString('1') } },
        }],
        behavior: behaviorSpec(actuator._behavior),
      })];
    }
    const matchers = Object.entries(selector).map(([k, v]) => `${k}="${v}"`).join(',');
    return [variant, scaledObject(scope, id('ScaledObject'), variantName, ref.namespace, wvaLabels, annotations, {
      scaleTargetRef,
      minReplicaCount: this.minReplicas,
      maxReplicaCount: this.maxReplicas,
      pollingInterval: actuator._keda!.pollingInterval?.toSeconds(),
      triggers: [{
        type: 'prometheus',
        name: 'wva-desired-replicas',
        metadata: { serverAddress: actuator._keda!.serverAddress, query: `${MetricNames.WVA_DESIRED_REPLICAS}{${matchers}}`, threshold: '1' },
      }],
    })];
  }
}

/**
 * Refuse a fixed replica count next to an autoscaler (the autoscaler owns `spec.replicas`).
 * @internal
 */
export function checkReplicasOrAutoscaling(ctx: FieldContext, replicas: number | undefined, autoscaling: Autoscaling | undefined, field = 'autoscaling'): void {
  if (autoscaling === undefined) return;
  if (!(autoscaling instanceof Autoscaling)) {
    throw ctx.error(field, autoscaling, 'must be an Autoscaling', 'use Autoscaling.hpa(...), Autoscaling.keda(...) or Autoscaling.wva(...)');
  }
  if (replicas !== undefined) {
    throw ctx.error('replicas', replicas, `is set together with ${ctx.field(field)}; the autoscaler owns the replica count`,
      `remove replicas and set ${ctx.field(field)}.minReplicas instead`);
  }
}

function hpa(scope: Construct, id: string, name: string, namespace: string | undefined, labels: Record<string, string>,
  annotations: Record<string, string> | undefined, spec: k8s.HorizontalPodAutoscalerSpecV2): ApiObject {
  return new k8s.KubeHorizontalPodAutoscalerV2(scope, id, { metadata: { name, namespace, labels, annotations }, spec });
}

function scaledObject(scope: Construct, id: string, name: string, namespace: string | undefined, labels: Record<string, string>,
  annotations: Record<string, string> | undefined, spec: Record<string, unknown>): ApiObject {
  return new ApiObject(scope, id, { apiVersion: Versions.KEDA_SCALED_OBJECT_API, kind: 'ScaledObject', metadata: { name, namespace, labels, annotations }, spec });
}

function kedaTrigger(t: KedaTrigger): Record<string, unknown> {
  return {
    type: t.type,
    name: t.name,
    metricType: t.metricType,
    metadata: { ...t.metadata },
    authenticationRef: t.authenticationRef ? { name: t.authenticationRef } : undefined,
  };
}

function behaviorSpec(b: ScalingBehavior | undefined): k8s.HorizontalPodAutoscalerBehaviorV2 | undefined {
  if (!b) return undefined;
  const rules = (r: ScalingRules | undefined): k8s.HpaScalingRulesV2 | undefined => {
    if (!r) return undefined;
    const period = r.period?.toSeconds() ?? 60;
    const policies: k8s.HpaScalingPolicyV2[] = [];
    if (r.podsPerPeriod !== undefined) policies.push({ type: 'Pods', value: r.podsPerPeriod, periodSeconds: period });
    if (r.percentPerPeriod !== undefined) policies.push({ type: 'Percent', value: r.percentPerPeriod, periodSeconds: period });
    return { stabilizationWindowSeconds: r.stabilizationWindow?.toSeconds(), policies: policies.length ? policies : undefined };
  };
  return { scaleUp: rules(b.scaleUp), scaleDown: rules(b.scaleDown) };
}

function checkMetric(ctx: FieldContext, field: string, m: unknown, scaling: ScalingContext): void {
  if (!(m instanceof ScalingMetric)) {
    throw ctx.error(field, m, 'must be a ScalingMetric', 'use ScalingMetric.vllmWaitingRequests(5), ScalingMetric.eppQueueSize(2), …');
  }
  m._validate(ctx, field, scaling);
}

function checkBehavior(ctx: FieldContext, field: string, b: ScalingBehavior | undefined): void {
  if (b === undefined) return;
  for (const dir of ['scaleUp', 'scaleDown'] as const) {
    const r = b[dir];
    if (!r) continue;
    const f = `${field}.${dir}`;
    checkDuration(ctx, `${f}.stabilizationWindow`, r.stabilizationWindow, 3600);
    checkDuration(ctx, `${f}.period`, r.period, 1800);
    if (r.period !== undefined && r.period.toSeconds() < 1) throw ctx.error(`${f}.period`, r.period.toSeconds(), 'must be at least 1 second', 'use a period of 1 s to 30 min');
    for (const k of ['podsPerPeriod', 'percentPerPeriod'] as const) {
      const v = r[k];
      if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw ctx.error(`${f}.${k}`, v, 'must be an integer >= 1', `set ${k} to 1 or more`);
    }
  }
}

function checkDuration(ctx: FieldContext, field: string, d: unknown, maxSeconds?: number): void {
  if (d === undefined) return;
  if (!(d instanceof Duration)) throw ctx.error(field, d, 'must be a Duration', 'use Duration.seconds(30)');
  const seconds = ctx.seconds(field, d);
  if (maxSeconds !== undefined && seconds > maxSeconds) {
    throw ctx.error(field, `${seconds}s`, `is above the Kubernetes maximum of ${maxSeconds} s`, `use at most ${maxSeconds} seconds`);
  }
}

function checkUrl(ctx: FieldContext, field: string, url: unknown, required: boolean): void {
  if (url === undefined && !required) return;
  if (typeof url !== 'string' || !/^https?:\/\/[^\s/$.?#][^\s]*$/.test(url)) {
    throw ctx.error(field, url, 'must be the http(s) URL of the Prometheus server', `pass e.g. 'http://prometheus-operated.monitoring.svc:${Ports.PROMETHEUS}'`);
  }
}

/** WVA's cost string (`^\d+(\.\d+)?$`, KServe's default "10.0"). */
function variantCost(cost: number): string {
  return Number.isInteger(cost) ? cost.toFixed(1) : String(cost);
}
