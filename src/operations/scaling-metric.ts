import { ScalingContext } from './serving-workload';
import * as k8s from '../imports/k8s';
import { FieldContext } from '../internal/context';
import { checkArgs } from '../internal/prop-check';
import { MetricNames } from '../wiring/metrics';

/** Options of a per-pod vLLM metric read through a Prometheus adapter. */
export interface PodMetricOptions {
  /**
   * Name under which the Prometheus adapter serves the series in the custom metrics API (HPA only; KEDA
   * queries Prometheus directly with the vLLM name).
   * @default - the vLLM series name, e.g. `vllm:num_requests_waiting`
   */
  readonly adapterMetricName?: string;
}

enum MetricSource { POD = 'pod', POOL = 'pool', CPU = 'cpu' }

/**
 * A signal an autoscaler scales on, with its target value. vLLM signals are per pod (averaged over the workload's
 * serving pods; a LeaderWorkerSet's HPA reads leader pods only); EPP signals are per InferencePool and need a
 * scheduler. Metric names: {@link MetricNames}.
 */
export class ScalingMetric {
  /** Waiting requests per serving pod (`vllm:num_requests_waiting`): the queue signal, good for prefill. */
  public static vllmWaitingRequests(target: number, options: PodMetricOptions = {}): ScalingMetric {
    checkArgs('ScalingMetric.vllmWaitingRequests', arguments);
    return new ScalingMetric('vllmWaitingRequests', MetricSource.POD, MetricNames.VLLM_REQUESTS_WAITING, target, options.adapterMetricName);
  }

  /** Running requests per serving pod (`vllm:num_requests_running`): the batch signal, good for decode. */
  public static vllmRunningRequests(target: number, options: PodMetricOptions = {}): ScalingMetric {
    checkArgs('ScalingMetric.vllmRunningRequests', arguments);
    return new ScalingMetric('vllmRunningRequests', MetricSource.POD, MetricNames.VLLM_REQUESTS_RUNNING, target, options.adapterMetricName);
  }

  /** KV-cache usage per serving pod, a ratio in (0, 1] (`vllm:kv_cache_usage_perc`). */
  public static vllmKvCacheUsage(target: number, options: PodMetricOptions = {}): ScalingMetric {
    checkArgs('ScalingMetric.vllmKvCacheUsage', arguments);
    return new ScalingMetric('vllmKvCacheUsage', MetricSource.POD, MetricNames.VLLM_KV_CACHE_USAGE, target, options.adapterMetricName, true);
  }

  /** Waiting requests per SGLang serving pod (`sglang:num_queue_reqs`): the queue signal of `Engine.sglang()` pods. */
  public static sglangWaitingRequests(target: number, options: PodMetricOptions = {}): ScalingMetric {
    checkArgs('ScalingMetric.sglangWaitingRequests', arguments);
    return new ScalingMetric('sglangWaitingRequests', MetricSource.POD, MetricNames.SGLANG_QUEUE_REQUESTS, target, options.adapterMetricName);
  }

  /** Running requests per SGLang serving pod (`sglang:num_running_reqs`). */
  public static sglangRunningRequests(target: number, options: PodMetricOptions = {}): ScalingMetric {
    checkArgs('ScalingMetric.sglangRunningRequests', arguments);
    return new ScalingMetric('sglangRunningRequests', MetricSource.POD, MetricNames.SGLANG_RUNNING_REQUESTS, target, options.adapterMetricName);
  }

  /** KV-cache token usage per SGLang serving pod, a ratio in (0, 1] (`sglang:token_usage`). */
  public static sglangTokenUsage(target: number, options: PodMetricOptions = {}): ScalingMetric {
    checkArgs('ScalingMetric.sglangTokenUsage', arguments);
    return new ScalingMetric('sglangTokenUsage', MetricSource.POD, MetricNames.SGLANG_TOKEN_USAGE, target, options.adapterMetricName, true);
  }

  /** The EPP's average model-server queue size of the pool (`llm_d_epp_average_queue_size`, external metric). */
  public static eppQueueSize(target: number): ScalingMetric {
    checkArgs('ScalingMetric.eppQueueSize', arguments);
    return new ScalingMetric('eppQueueSize', MetricSource.POOL, MetricNames.EPP_POOL_AVERAGE_QUEUE_SIZE, target);
  }

  /** The EPP's average running requests of the pool (`llm_d_epp_average_running_requests`, external metric). */
  public static eppRunningRequests(target: number): ScalingMetric {
    checkArgs('ScalingMetric.eppRunningRequests', arguments);
    return new ScalingMetric('eppRunningRequests', MetricSource.POOL, MetricNames.EPP_POOL_AVERAGE_RUNNING_REQUESTS, target);
  }

  /** CPU utilization of the serving container in percent of its request (needs a CPU request). */
  public static cpuUtilization(percent: number): ScalingMetric {
    checkArgs('ScalingMetric.cpuUtilization', arguments);
    return new ScalingMetric('cpuUtilization', MetricSource.CPU, 'cpu', percent);
  }

  /** The factory that made this metric, e.g. `vllmWaitingRequests`. */
  public readonly kind: string;
  /** The Prometheus series (or resource) name. */
  public readonly metricName: string;
  /** The target value. */
  public readonly target: number;

  private constructor(
    kind: string,
    private readonly source: MetricSource,
    metricName: string,
    target: number,
    private readonly adapterMetricName?: string,
    private readonly ratio = false,
  ) {
    this.kind = kind;
    this.metricName = metricName;
    this.target = target;
  }

  /** Whether the signal comes from the EPP (needs a scheduler). */
  public get needsScheduler(): boolean {
    return this.source === MetricSource.POOL;
  }

  /** @internal */
  public _validate(ctx: FieldContext, field: string, scaling: ScalingContext): void {
    const t = this.target;
    if (typeof t !== 'number' || !Number.isFinite(t) || t <= 0) {
      throw ctx.error(`${field}.target`, t, `${this.kind} needs a target above 0`, 'pass a positive target value');
    }
    if (this.ratio && t > 1) {
      throw ctx.error(`${field}.target`, t, 'KV-cache usage is a ratio in (0, 1]', 'pass e.g. 0.8 for 80 percent');
    }
    if (this.source === MetricSource.CPU && (!Number.isInteger(t) || t > 1000)) {
      throw ctx.error(`${field}.target`, t, 'CPU utilization is an integer percentage of the CPU request', 'pass e.g. 70');
    }
    const engine = this.kind.startsWith('sglang') ? 'sglang' : this.kind.startsWith('vllm') ? 'vllm' : undefined;
    if (engine !== undefined && scaling.podMetrics !== undefined && engine !== scaling.podMetrics) {
      const other = scaling.podMetrics === 'sglang' ? 'ScalingMetric.sglangWaitingRequests(5)' : 'ScalingMetric.vllmWaitingRequests(5)';
      throw ctx.error(field, this.kind, `reads ${this.metricName}, which the ${scaling.podMetrics === 'sglang' ? 'SGLang' : 'vLLM'} serving pods do not expose`,
        `scale on a metric of the engine, e.g. ${other}`);
    }
    if (this.needsScheduler && !scaling.poolName) {
      throw ctx.error(field, this.kind, 'reads the InferencePool gauges of the Endpoint Picker, and this stack has no scheduler',
        'add a scheduler (SchedulerConfig) or scale on a vLLM metric, e.g. ScalingMetric.vllmWaitingRequests(5)');
    }
  }

  /** The HPA metric spec. @internal */
  public _hpaMetric(scaling: ScalingContext): k8s.MetricSpecV2 {
    switch (this.source) {
      case MetricSource.CPU:
        return { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: this.target } } };
      case MetricSource.POOL:
        return {
          type: 'External',
          external: {
            metric: { name: this.metricName, selector: { matchLabels: { [MetricNames.EPP_POOL_LABEL]: scaling.poolName! } } },
            // The gauge is already an average per pod of the pool: scale in proportion to it.
            target: { type: 'Value', value: quantity(this.target) },
          },
        };
      default:
        return {
          type: 'Pods',
          pods: { metric: { name: this.adapterMetricName ?? this.metricName }, target: { type: 'AverageValue', averageValue: quantity(this.target) } },
        };
    }
  }

  /** The KEDA trigger (Prometheus query, or the cpu scaler). @internal */
  public _kedaTrigger(scaling: ScalingContext, serverAddress: string | undefined): Record<string, unknown> {
    if (this.source === MetricSource.CPU) {
      return { type: 'cpu', metricType: 'Utilization', metadata: { value: String(this.target) } };
    }
    const ref = scaling.target;
    if (this.source === MetricSource.POOL) {
      return {
        type: 'prometheus',
        name: kedaTriggerName(this.kind),
        // An average per pod already: KEDA's Value metric type scales in proportion to it.
        metricType: 'Value',
        metadata: {
          serverAddress,
          query: `max(${this.metricName}{${MetricNames.EPP_POOL_LABEL}="${scaling.poolName}"})`,
          threshold: String(this.target),
        },
      };
    }
    const matchers = [`pod=~"${servingPodNamePattern(ref.name, ref.kind)}"`];
    if (ref.namespace) matchers.unshift(`namespace="${ref.namespace}"`);
    return {
      type: 'prometheus',
      name: kedaTriggerName(this.kind),
      metadata: { serverAddress, query: `sum(${this.metricName}{${matchers.join(',')}})`, threshold: String(this.target) },
    };
  }
}

/** A regular expression matching the names of a workload's serving pods (Deployment pods, LeaderWorkerSet leaders). */
function servingPodNamePattern(workload: string, kind: string): string {
  // Deployment pods: <deployment>-<pod-template-hash>-<suffix>; LWS leaders: <lws>-<group index>.
  return kind === 'LeaderWorkerSet' ? `${workload}-[0-9]+` : `${workload}-[a-z0-9]+-[a-z0-9]+`;
}

function kedaTriggerName(kind: string): string {
  return kind.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** A Kubernetes quantity for a positive number: integers as is, fractions in milli-units. @internal */
export function quantity(n: number): k8s.Quantity {
  return k8s.Quantity.fromString(Number.isInteger(n) ? String(n) : `${Math.round(n * 1000)}m`);
}
