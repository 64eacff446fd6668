import { ApiObject, Chart, Duration, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { NetworkPeer } from './network-policy';
import { ServingWorkloadRef } from './serving-workload';
import { FieldContext } from '../internal/context';
import { checkArgs } from '../internal/prop-check';
import { EndpointPicker } from '../routing/endpoint-picker';
import { MetricNames } from '../wiring/metrics';
import { ResourceNames } from '../wiring/names';
import { resolveNamespace } from '../wiring/namespace';

/** Options of {@link Monitoring.prometheusOperator}. */
export interface PrometheusOperatorMonitoringOptions {
  /**
   * Scrape interval of the model servers.
   * @default Duration.seconds(30) (llm-d's model-service chart)
   */
  readonly interval?: Duration;
  /**
   * Scrape interval of the EPP.
   * @default Duration.seconds(10) (llm-d's router chart)
   */
  readonly eppInterval?: Duration;
  /**
   * Labels of every monitor (e.g. the `release` label a Prometheus `podMonitorSelector` matches).
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * Also write a Grafana dashboard ConfigMap (label `grafana_dashboard: "1"`, the Grafana Helm chart's sidecar).
   * @default false
   */
  readonly dashboards?: boolean;
}

/** Options of {@link Monitoring.gke}. */
export interface GkeMonitoringOptions {
  /**
   * Scrape interval of the model servers.
   * @default Duration.seconds(30)
   */
  readonly interval?: Duration;
  /**
   * Scrape interval of the EPP.
   * @default Duration.seconds(10) (llm-d's router chart)
   */
  readonly eppInterval?: Duration;
  /**
   * Labels of every PodMonitoring.
   * @default - none
   */
  readonly labels?: Record<string, string>;
}

/** What the pipeline hands to the monitoring part. @internal */
export interface MonitoringInput {
  readonly ctx: FieldContext;
  readonly serviceName: string;
  readonly namespace?: string;
  readonly servedModelName: string;
  readonly workloads: ServingWorkloadRef[];
  readonly endpointPicker?: EndpointPicker;
  readonly poolName?: string;
  /** The model servers serve HTTPS (scraped unverified: Prometheus addresses pods by IP). */
  readonly tls?: boolean;
  /** The serving pods run SGLang (its metric names on the dashboard). */
  readonly sglang?: boolean;
}

enum MonitoringMode { PROMETHEUS_OPERATOR = 'prometheus-operator', GKE = 'gke' }

const DEFAULT_INTERVAL = Duration.seconds(30);
/** Namespace of Google Cloud Managed Service for Prometheus' collectors. */
const GKE_COLLECTOR_NAMESPACE = 'gmp-system';
const DEFAULT_EPP_INTERVAL = Duration.seconds(10);
/** Label of the ConfigMaps the Grafana Helm chart's dashboard sidecar loads. */
const GRAFANA_DASHBOARD_LABEL = 'grafana_dashboard';
const TOKEN_KEY = 'token';

/**
 * Prometheus scraping of a serving stack: vLLM `/metrics` on every pod that serves (LeaderWorkerSet leaders
 * only unless every pod serves its own ranks; both roles of a P/D pair) and the EPP's metrics port with the
 * bearer token its `--metrics-endpoint-auth` requires. The routing sidecar serves no metrics by default
 * (its `--metrics-port` is 0 in llm-d router v0.10.0), so it is not scraped.
 */
export class Monitoring {
  /**
   * prometheus-operator: a PodMonitor per serving workload (pods are scraped one by one; the workload Service
   * exposes the serving port only, not every rank or the vLLM port behind a sidecar) and a ServiceMonitor for
   * the EPP (its Service exposes `metrics`), as llm-d's router chart does.
   */
  public static prometheusOperator(options: PrometheusOperatorMonitoringOptions = {}): Monitoring {
    checkArgs('Monitoring.prometheusOperator', arguments);
    return new Monitoring(MonitoringMode.PROMETHEUS_OPERATOR, options.interval, options.eppInterval, options.labels, options.dashboards ?? false);
  }

  /** Google Cloud Managed Service for Prometheus: a PodMonitoring per serving workload and one for the EPP. */
  public static gke(options: GkeMonitoringOptions = {}): Monitoring {
    checkArgs('Monitoring.gke', arguments);
    return new Monitoring(MonitoringMode.GKE, options.interval, options.eppInterval, options.labels, false);
  }

  private constructor(
    private readonly mode: MonitoringMode,
    private readonly interval: Duration | undefined,
    private readonly eppInterval: Duration | undefined,
    private readonly labels: Record<string, string> | undefined,
    private readonly dashboards: boolean,
  ) {}

  /** Who scrapes: GKE's managed collectors run in `gmp-system`; a Prometheus operator's namespace is not known. @internal */
  public get _scrapers(): NetworkPeer[] {
    return [this.mode === MonitoringMode.GKE ? NetworkPeer.namespace(GKE_COLLECTOR_NAMESPACE) : NetworkPeer.cluster()];
  }

  /** Write the monitors of a stack. @internal */
  public _attach(scope: Construct, input: MonitoringInput): ApiObject[] {
    const ctx = input.ctx.child('monitoring');
    const interval = intervalOf(ctx, 'interval', this.interval ?? DEFAULT_INTERVAL);
    const eppInterval = intervalOf(ctx, 'eppInterval', this.eppInterval ?? DEFAULT_EPP_INTERVAL);
    const scraped = input.workloads.filter((w) => w.metricsPortNames.length > 0);
    if (scraped.length === 0) {
      throw ctx.error('monitoring', this.mode, 'no serving pod of this stack declares a metrics port', 'remove monitoring, or use an engine that serves /metrics');
    }
    const namespace = input.namespace;
    const labels = { ...this.labels };
    const out: ApiObject[] = [];
    const gke = this.mode === MonitoringMode.GKE;
    for (const w of scraped) {
      const endpoints = w.metricsPortNames.map((port) => gke
        ? { port, path: MetricNames.METRICS_PATH, interval, scheme: input.tls ? 'https' : 'http', ...(input.tls ? { tls: { insecureSkipVerify: true } } : {}) }
        : { port, path: MetricNames.METRICS_PATH, interval, ...(input.tls ? { scheme: 'https', tlsConfig: { insecureSkipVerify: true } } : {}) });
      out.push(new ApiObject(scope, `Monitor-${w.role}`, {
        apiVersion: gke ? 'monitoring.googleapis.com/v1' : 'monitoring.coreos.com/v1',
        kind: gke ? 'PodMonitoring' : 'PodMonitor',
        metadata: { name: ResourceNames.workloadMonitor(w.name), namespace, labels },
        spec: gke
          ? { selector: { matchLabels: w.servingPodSelector }, endpoints }
          : { selector: { matchLabels: w.servingPodSelector }, podMetricsEndpoints: endpoints },
      }));
    }
    const epp = input.endpointPicker;
    if (epp) {
      const name = ResourceNames.of(input.serviceName).schedulerMonitor;
      const secret = epp.metricsAuth ? this.metricsReader(scope, ctx, input, epp) : undefined;
      if (gke) {
        out.push(new ApiObject(scope, 'EppMonitor', {
          apiVersion: 'monitoring.googleapis.com/v1',
          kind: 'PodMonitoring',
          metadata: { name, namespace, labels },
          spec: {
            selector: { matchLabels: epp.selectorLabels },
            endpoints: [{
              port: EPP_METRICS_PORT_NAME,
              path: MetricNames.METRICS_PATH,
              interval: eppInterval,
              scheme: 'http',
              ...(secret ? { authorization: { type: 'Bearer', credentials: { secret: { name: secret, key: TOKEN_KEY } } } } : {}),
            }],
          },
        }));
      } else {
        out.push(new ApiObject(scope, 'EppMonitor', {
          apiVersion: 'monitoring.coreos.com/v1',
          kind: 'ServiceMonitor',
          metadata: { name, namespace, labels },
          spec: {
            selector: { matchLabels: epp.selectorLabels },
            ...(resolveNamespace(scope, namespace) ? { namespaceSelector: { matchNames: [resolveNamespace(scope, namespace)!] } } : {}),
            endpoints: [{
              port: EPP_METRICS_PORT_NAME,
              path: MetricNames.METRICS_PATH,
              interval: eppInterval,
              ...(secret ? { authorization: { credentials: { name: secret, key: TOKEN_KEY } } } : {}),
            }],
          },
        }));
      }
    }
    if (this.dashboards) {
      out.push(new ApiObject(scope, 'GrafanaDashboard', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: ResourceNames.childName(input.serviceName, '-grafana-dashboard'), namespace, labels: { ...labels, [GRAFANA_DASHBOARD_LABEL]: '1' } },
        data: { [`${input.serviceName}-llm-d.json`]: JSON.stringify(dashboardJson(input, resolveNamespace(scope, namespace)), undefined, 2) },
      }));
    }
    return out;
  }

  /**
   * The identity Prometheus presents to the EPP: a ServiceAccount, its long-lived token Secret, and a
   * ClusterRole allowing `get` on the `/metrics` non-resource URL (what the EPP's SubjectAccessReview checks),
   * as the GIE InferencePool chart renders it.
   */
  private metricsReader(scope: Construct, ctx: FieldContext, input: MonitoringInput, epp: EndpointPicker): string {
    const ns = resolveNamespace(scope, input.namespace);
    if (!ns) throw ctx.error('namespace', ns, 'the metrics-reader ClusterRoleBinding needs the namespace of its ServiceAccount', 'set the Chart namespace');
    const labels = epp.selectorLabels;
    const sa = ResourceNames.of(input.serviceName).metricsReaderServiceAccount;
    const secret = ResourceNames.of(input.serviceName).metricsReaderSecret;
    const role = ResourceNames.of(input.serviceName).metricsReaderClusterRole(ns);
    new ApiObject(scope, 'MetricsReaderServiceAccount', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: sa, namespace: input.namespace, labels } });
    new ApiObject(scope, 'MetricsReaderSecret', {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/service-account-token',
      metadata: { name: secret, namespace: input.namespace, labels, annotations: { 'kubernetes.io/service-account.name': sa } },
    });
    const cr = new ApiObject(scope, 'MetricsReaderRole', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: role, labels },
      rules: [{ nonResourceURLs: [MetricNames.METRICS_PATH], verbs: ['get'] }],
    });
    const crb = new ApiObject(scope, 'MetricsReaderBinding', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: ResourceNames.of(input.serviceName).metricsReaderClusterRoleBinding(ns), labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
      subjects: [{ kind: 'ServiceAccount', name: sa, namespace: ns }],
    });
    if (Chart.of(scope).namespace) for (const o of [cr, crb]) o.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    return secret;
  }
}

/** Name of the EPP container's metrics port (and Service port). @internal */
export const EPP_METRICS_PORT_NAME = 'metrics';

function intervalOf(ctx: FieldContext, field: string, d: Duration): string {
  const ms = d.toMilliseconds();
  if (!(ms >= 1000) || ms % 1000 !== 0 || ms > 3_600_000) {
    throw ctx.error(field, `${ms}ms`, 'must be whole seconds between 1s and 1h', 'use e.g. Duration.seconds(30)');
  }
  return `${ms / 1000}s`;
}

/** A Grafana dashboard built from {@link MetricNames}. */
function dashboardJson(input: MonitoringInput, namespace: string | undefined): Record<string, unknown> {
  const sel = [`model_name="${input.servedModelName}"`, ...(namespace ? [`namespace="${namespace}"`] : [])].join(',');
  const poolSel = [`name="${input.poolName ?? ''}"`, ...(namespace ? [`namespace="${namespace}"`] : [])].join(',');
  const q = (expr: string, legend: string) => ({ expr, legendFormat: legend, refId: 'A' });
  const quantiles = (metric: string) => [0.5, 0.99].map((p, i) => ({
    ...q(`histogram_quantile(${p}, sum by (le) (rate(${metric}_bucket{${sel}}[5m])))`, `p${p * 100}`), refId: String.fromCharCode(65 + i),
  }));
  const panels: Array<{ title: string; unit: string; targets: unknown[] }> = input.sglang ? [
    { title: 'Time to first token', unit: 's', targets: quantiles(MetricNames.SGLANG_TIME_TO_FIRST_TOKEN) },
    { title: 'Inter-token latency', unit: 's', targets: quantiles(MetricNames.SGLANG_INTER_TOKEN_LATENCY) },
    { title: 'Queue depth (waiting requests)', unit: 'short', targets: [q(`sum by (pod) (${MetricNames.SGLANG_QUEUE_REQUESTS}{${sel}})`, '{{pod}}')] },
    { title: 'Running requests', unit: 'short', targets: [q(`sum by (pod) (${MetricNames.SGLANG_RUNNING_REQUESTS}{${sel}})`, '{{pod}}')] },
    { title: 'KV-cache usage', unit: 'percentunit', targets: [q(`max by (pod) (${MetricNames.SGLANG_TOKEN_USAGE}{${sel}})`, '{{pod}}')] },
    { title: 'Prefix-cache hit rate', unit: 'percentunit', targets: [q(`avg(${MetricNames.SGLANG_CACHE_HIT_RATE}{${sel}})`, 'hit rate')] },
  ] : [
    { title: 'Time to first token', unit: 's', targets: quantiles(MetricNames.VLLM_TIME_TO_FIRST_TOKEN) },
    { title: 'Inter-token latency', unit: 's', targets: quantiles(MetricNames.VLLM_INTER_TOKEN_LATENCY) },
    { title: 'Queue depth (waiting requests)', unit: 'short', targets: [q(`sum by (pod) (${MetricNames.VLLM_REQUESTS_WAITING}{${sel}})`, '{{pod}}')] },
    { title: 'Running requests', unit: 'short', targets: [q(`sum by (pod) (${MetricNames.VLLM_REQUESTS_RUNNING}{${sel}})`, '{{pod}}')] },
    { title: 'KV-cache usage', unit: 'percentunit', targets: [q(`max by (pod) (${MetricNames.VLLM_KV_CACHE_USAGE}{${sel}})`, '{{pod}}')] },
    {
      title: 'Prefix-cache hit rate',
      unit: 'percentunit',
      targets: [q(`sum(rate(${MetricNames.VLLM_PREFIX_CACHE_HITS}{${sel}}[5m])) / clamp_min(sum(rate(${MetricNames.VLLM_PREFIX_CACHE_QUERIES}{${sel}}[5m])), 1)`, 'hit rate')],
    },
  ];
  if (input.endpointPicker) {
    panels.push(
      { title: 'Request rate per pool', unit: 'reqps', targets: [q(`sum by (target_model_name) (rate(${MetricNames.EPP_REQUEST_TOTAL}{model_name="${input.servedModelName}"}[5m]))`, '{{target_model_name}}')] },
      { title: 'Pool average queue size', unit: 'short', targets: [q(`${MetricNames.EPP_POOL_AVERAGE_QUEUE_SIZE}{${poolSel}}`, '{{name}}')] },
    );
  }
  return {
    title: `llm-d ${input.serviceName}`,
    uid: ResourceNames.childName(input.serviceName, '-llm-d').slice(0, 40),
    schemaVersion: 39,
    tags: ['llm-d', 'vllm'],
    time: { from: 'now-1h', to: 'now' },
    templating: { list: [{ name: 'datasource', type: 'datasource', query: 'prometheus' }] },
    panels: panels.map((p, i) => ({
      id: i + 1,
      type: 'timeseries',
      title: p.title,
      datasource: { type: 'prometheus', uid: '${datasource}' },
      gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
      fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
      targets: p.targets,
    })),
  };
}
