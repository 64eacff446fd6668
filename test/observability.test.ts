/**
 * Monitoring and tracing on every pattern: prometheus-operator PodMonitor/ServiceMonitor and GKE PodMonitoring
 * (llm-d's router and model-service charts in shared/reference/llm-d/helm-era-v0.6.0/rendered/
 * inference-scheduling.*.rendered.yaml), Grafana dashboard ConfigMaps, and KServe's tracing (kserve-llmisvc.md §3.9).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Duration, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import {
  Accelerator, DataParallelLoadBalancing, Engine, LaunchStrategy, LlmInferenceService, LlmService, MetricNames, ModelSource, Monitoring,
  MultiNodeGroup, PrefillDecodePair, SchedulerConfig,
} from '../src';
import { expectConfigError } from './util/expect-error';
import { synth, testChart } from './util/synth';
import { expectValid } from './util/validated';

const MODEL = ModelSource.huggingFace('Qwen/Qwen3-8B');
const TRACING = { exporterEndpoint: 'http://otel-collector.observability:4317' };
type Pattern = 'llm' | 'pd' | 'mn';
const MODES: Array<[string, () => Monitoring]> = [
  ['prometheus-operator', () => Monitoring.prometheusOperator({ dashboards: true, labels: { release: 'kube-prometheus' } })],
  ['gke', () => Monitoring.gke()],
];

function build(pattern: Pattern, extra: Record<string, unknown>): any[] {
  const chart = testChart();
  if (pattern === 'llm') {
    new LlmService(chart, 'qwen', { model: MODEL, scheduler: SchedulerConfig.default(), ...extra });
  } else if (pattern === 'pd') {
    new PrefillDecodePair(chart, 'pd', { model: MODEL, prefill: { replicas: 2 }, decode: { replicas: 1 }, scheduler: SchedulerConfig.prefillDecode(), ...extra });
  } else {
    new MultiNodeGroup(chart, 'mn', {
      model: MODEL,
      parallelism: { data: 4, dataLocal: 2, expert: true },
      launch: LaunchStrategy.dataParallel(DataParallelLoadBalancing.INTERNAL),
      scheduler: SchedulerConfig.default(),
      ...extra,
    });
  }
  return synth(chart);
}
const of = (objs: any[], kind: string) => objs.filter((o) => o.kind === kind);
const main = (t: any) => t.spec.containers.find((c: any) => c.name === 'main');
const envOf = (c: any) => Object.fromEntries((c.env ?? []).map((e: any) => [e.name, e.value ?? e.valueFrom]));
const servingTemplates = (objs: any[]) => [
  ...of(objs, 'Deployment').filter((d) => !d.metadata.name.includes('router-scheduler')).map((d) => ({ name: d.metadata.name, t: d.spec.template })),
  ...of(objs, 'LeaderWorkerSet').flatMap((l) => [
    { name: `${l.metadata.name}/leader`, t: l.spec.leaderWorkerTemplate.leaderTemplate },
    { name: `${l.metadata.name}/worker`, t: l.spec.leaderWorkerTemplate.workerTemplate },
  ]),
];
const eppDeployment = (objs: any[]) => of(objs, 'Deployment').find((d) => d.metadata.name.endsWith('-kserve-router-scheduler'));

describe.each(['llm', 'pd', 'mn'] as Pattern[])('%s', (pattern) => {
  test.each(MODES)('monitoring %s: serving and EPP monitors select pods that declare the scraped ports', (mode, monitoring) => {
    const objs = expectValid(build(pattern, { monitoring: monitoring() }));
    const gke = mode === 'gke';
    const podMonitors = of(objs, gke ? 'PodMonitoring' : 'PodMonitor').filter((m) => !m.metadata.name.endsWith('-epp-metrics'));
    expect(podMonitors.length).toBe(pattern === 'pd' ? 2 : 1);
    for (const m of podMonitors) {
      const eps = gke ? m.spec.endpoints : m.spec.podMetricsEndpoints;
      expect(eps.every((e: any) => e.path === MetricNames.METRICS_PATH && e.interval === '30s')).toBe(true);
      const matches = (t: any) => Object.entries(m.spec.selector.matchLabels).every(([k, v]) => t.metadata.labels[k] === v);
      const selected = servingTemplates(objs).filter(({ t }) => matches(t));
      expect(selected.length).toBeGreaterThan(0);
      for (const { t } of selected) {
        const names = main(t).ports.map((p: any) => p.name);
        for (const e of eps) expect(names).toContain(e.port);
      }
      if (pattern === 'mn') expect(selected.map((s) => s.name)).toEqual(['mn-kserve-mn/leader']); // INTERNAL: workers are headless
      if (pattern === 'pd') expect(eps.map((e: any) => e.port)).toEqual([m.metadata.name.includes('prefill') ? 'http' : 'vllm']);
    }
    // EPP: bearer token of the metrics-reader ServiceAccount, allowed to GET /metrics
    const secret = of(objs, 'Secret').find((s) => s.type === 'kubernetes.io/service-account-token');
    expect(secret.metadata.annotations['kubernetes.io/service-account.name']).toMatch(/-epp-metrics-reader$/);
    const role = of(objs, 'ClusterRole').find((r) => r.metadata.name.endsWith('-epp-metrics-reader'));
    expect(role.rules).toEqual([{ nonResourceURLs: ['/metrics'], verbs: ['get'] }]);
    const binding = of(objs, 'ClusterRoleBinding').find((b) => b.roleRef.name === role.metadata.name);
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: secret.metadata.annotations['kubernetes.io/service-account.name'], namespace: 'llm' }]);
    const epp = eppDeployment(objs);
    expect(epp.spec.template.spec.containers[0].args).not.toContain('--metrics-endpoint-auth=false');
    if (gke) {
      const m = of(objs, 'PodMonitoring').find((x) => x.metadata.name.endsWith('-epp-metrics'));
      expect(m.spec.endpoints).toEqual([{
        port: 'metrics',
        path: '/metrics',
        interval: '10s',
        scheme: 'http',
        authorization: { type: 'Bearer', credentials: { secret: { name: secret.metadata.name, key: 'token' } } },
      }]);
      expect(m.spec.selector.matchLabels).toEqual(epp.spec.selector.matchLabels);
    } else {
      const m = of(objs, 'ServiceMonitor')[0];
      expect(m.metadata.labels).toEqual({ release: 'kube-prometheus' });
      expect(m.spec.endpoints).toEqual([{ port: 'metrics', path: '/metrics', interval: '10s', authorization: { credentials: { name: secret.metadata.name, key: 'token' } } }]);
      const svc = of(objs, 'Service').find((s) => s.metadata.name.endsWith('-epp-service'));
      expect(m.spec.selector.matchLabels).toEqual(svc.metadata.labels);
      expect(svc.spec.ports.map((p: any) => p.name)).toContain('metrics');
      expect(m.spec.namespaceSelector).toEqual({ matchNames: ['llm'] });
      const dash = of(objs, 'ConfigMap').find((c) => c.metadata.labels?.grafana_dashboard === '1');
      const json = JSON.parse(Object.values(dash.data)[0] as string);
      const exprs = json.panels.flatMap((p: any) => p.targets.map((t: any) => t.expr)).join('\n');
      for (const metric of [MetricNames.VLLM_TIME_TO_FIRST_TOKEN, MetricNames.VLLM_INTER_TOKEN_LATENCY, MetricNames.VLLM_REQUESTS_WAITING,
        MetricNames.VLLM_REQUESTS_RUNNING, MetricNames.VLLM_KV_CACHE_USAGE, MetricNames.VLLM_PREFIX_CACHE_HITS, MetricNames.EPP_REQUEST_TOTAL]) {
        expect(exprs).toContain(metric);
      }
    }
  });

  test('tracing: vLLM args and OTEL env on every pod kind, EPP --tracing=true, user env kept', () => {
    const engine = Engine.vllm({ env: { OTEL_TRACES_SAMPLER_ARG: '1' } });
    const extra: Record<string, unknown> = pattern === 'pd'
      ? { tracing: TRACING, prefill: { replicas: 1, engine }, decode: { replicas: 1, engine } }
      : { tracing: TRACING, engine };
    const objs = expectValid(build(pattern, extra));
    const templates = servingTemplates(objs);
    expect(templates.length).toBeGreaterThan(0);
    for (const { name, t } of templates) {
      const c = main(t);
      const env = envOf(c);
      const args: string[] = c.args ?? [];
      if (!(pattern === 'mn' && name.endsWith('/worker'))) {
        expect(args.slice(args.indexOf('--otlp-traces-endpoint'), args.indexOf('--otlp-traces-endpoint') + 4))
          .toEqual(['--otlp-traces-endpoint', TRACING.exporterEndpoint, '--collect-detailed-traces', 'all']);
      }
      expect(env.OTEL_SERVICE_NAME).toBe(name.includes('prefill') ? 'inference-server-prefill' : 'inference-server-decode');
      expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBe(TRACING.exporterEndpoint);
      expect(env.OTEL_TRACES_EXPORTER).toBe('otlp');
      expect(env.OTEL_TRACES_SAMPLER).toBe('parentbased_traceidratio');
      expect(env.OTEL_TRACES_SAMPLER_ARG).toBe('1'); // the user's value is not overwritten
      expect(c.env.filter((e: any) => e.name === 'OTEL_TRACES_SAMPLER_ARG')).toHaveLength(1);
      expect(env.OTEL_RESOURCE_ATTRIBUTES_NODE_NAME).toEqual({ fieldRef: { fieldPath: 'spec.nodeName' } });
      expect(env.OTEL_RESOURCE_ATTRIBUTES_POD_NAME).toEqual({ fieldRef: { fieldPath: 'metadata.name' } });
      expect(env.OTEL_RESOURCE_ATTRIBUTES).toBe(`k8s.namespace.name=llm,k8s.node.name=$(OTEL_RESOURCE_ATTRIBUTES_NODE_NAME),k8s.pod.name=$(OTEL_RESOURCE_ATTRIBUTES_POD_NAME),llmisvc.name=${pattern === 'llm' ? 'qwen' : pattern}`);
    }
    const epp = eppDeployment(objs).spec.template.spec.containers[0];
    expect(epp.args).toContain('--tracing=true');
    expect(epp.args).not.toContain('--tracing=false');
    expect(envOf(epp).OTEL_SERVICE_NAME).toBe('inference-scheduler');
    expect(envOf(epp).OTEL_TRACES_SAMPLER_ARG).toBe('0.05');
  });
});

test('without tracing the EPP gets --tracing=false (the pinned EPP defaults it to on) and vLLM no OTLP flag', () => {
  const objs = expectValid(build('llm', {}));
  expect(eppDeployment(objs).spec.template.spec.containers[0].args).toContain('--tracing=false');
  const d = of(objs, 'Deployment').find((x) => x.metadata.name === 'qwen-kserve');
  expect(main(d.spec.template).args).not.toContain('--otlp-traces-endpoint');
  expect(envOf(main(d.spec.template)).OTEL_SERVICE_NAME).toBeUndefined();
});

test('metricsAuth false: no metrics-reader token, the monitors scrape without authorization', () => {
  const objs = expectValid(build('llm', { monitoring: Monitoring.gke(), endpointPicker: { metricsAuth: false } }));
  expect(of(objs, 'Secret')).toHaveLength(0);
  const m = of(objs, 'PodMonitoring').find((x) => x.metadata.name.endsWith('-epp-metrics'));
  expect(m.spec.endpoints[0].authorization).toBeUndefined();
});

test('without a scheduler only the model servers are scraped; the simulator serves /metrics too', () => {
  const chart = testChart();
  new LlmService(chart, 'sim', { model: MODEL, engine: Engine.simulator(), accelerator: Accelerator.cpu(), monitoring: Monitoring.prometheusOperator({ interval: Duration.seconds(15) }) });
  const objs = expectValid(synth(chart));
  expect(of(objs, 'ServiceMonitor')).toHaveLength(0);
  expect(of(objs, 'PodMonitor').map((m) => [m.metadata.name, m.spec.podMetricsEndpoints])).toEqual([
    ['sim-kserve-metrics', [{ port: 'http', path: '/metrics', interval: '15s' }]],
  ]);
});

describe('bad input', () => {
  const llm = (extra: Record<string, unknown>) => () => build('llm', extra);
  test.each([
    ['exporterEndpoint', 'otel-collector:4317', { exporterEndpoint: 'otel-collector:4317' }],
    ['exporterEndpoint', 'ftp://x', { exporterEndpoint: 'ftp://x' }],
    ['exporterEndpoint', '99999', { exporterEndpoint: 'http://x:99999' }],
    ['sampler', 'sometimes', { exporterEndpoint: 'http://x:4317', sampler: 'sometimes' }],
    ['samplerArg', '1.5', { exporterEndpoint: 'http://x:4317', samplerArg: '1.5' }],
    ['samplerArg', 'half', { exporterEndpoint: 'http://x:4317', sampler: 'traceidratio', samplerArg: 'half' }],
    ['exporter', 'zipkin', { exporterEndpoint: 'http://x:4317', exporter: 'zipkin' }],
  ])('tracing.%s %s', (field, value, tracing) => {
    expectConfigError(llm({ tracing }), { path: 'test/qwen', field: `tracing.${field}`, value });
  });
  test('a non-ratio sampler takes any argument', () => {
    expect(() => build('llm', { tracing: { exporterEndpoint: 'grpc://x:4317', sampler: 'always_on', samplerArg: 'x' } })).not.toThrow();
  });
  test.each([['interval', Duration.millis(500), '500ms'], ['eppInterval', Duration.millis(1500), '1500ms'], ['interval', Duration.hours(2), '7200000ms']])(
    'monitoring.%s %s', (field, d, value) => {
      const monitoring = field === 'interval' ? Monitoring.prometheusOperator({ interval: d as Duration }) : Monitoring.gke({ eppInterval: d as Duration });
      expectConfigError(llm({ monitoring }), { path: 'test/qwen', field: `monitoring.${field}`, value });
    });
});

describe('KServe spec.tracing', () => {
  const SAMPLE = path.join(__dirname, '..', 'imports', 'reference', 'kserve', 'samples', 'multi-gpu-vendor__llm-inference-service-qwen2-7b-nvidia-with-scheduler.yaml');
  const resource = (tracing: unknown) => {
    const r = YAML.parseAllDocuments(fs.readFileSync(SAMPLE, 'utf8')).map((d) => d.toJS()).find((d) => d?.kind === 'LLMInferenceService');
    r.spec.tracing = tracing;
    return r;
  };
  const render = (tracing: unknown) => {
    const chart = new Chart(Testing.app(), 'kserve', { namespace: 'llm' });
    new LlmInferenceService(chart, 'svc', { resource: resource(tracing) });
    return Testing.synth(chart);
  };
  test('{} renders the preset defaults (kserve-config-llm-tracing) on vLLM and the EPP', () => {
    const objs = expectValid(render({}));
    const d = of(objs, 'Deployment').find((x) => x.metadata.name.endsWith('-kserve'));
    const c = main(d.spec.template);
    expect(c.args.slice(c.args.indexOf('--otlp-traces-endpoint'))).toEqual(['--otlp-traces-endpoint', 'http://otel-collector:4317', '--collect-detailed-traces', 'all']);
    expect(envOf(c)).toMatchObject({
      OTEL_SERVICE_NAME: 'inference-server-decode', OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.05', OTEL_TRACES_EXPORTER: 'otlp',
    });
    expect(envOf(c).OTEL_RESOURCE_ATTRIBUTES).toContain(`llmisvc.name=${d.metadata.name.replace(/-kserve$/, '')}`);
    const epp = eppDeployment(objs).spec.template.spec.containers[0];
    expect(epp.args).toContain('--tracing=true');
    expect(envOf(epp).OTEL_SERVICE_NAME).toBe('inference-scheduler');
  });
  test('user values override the preset; a bad sampler names spec.tracing.sampler', () => {
    const objs = render({ exporterEndpoint: 'https://collector.example:4318', samplerArg: 1 });
    const c = main(of(objs, 'Deployment').find((x) => x.metadata.name.endsWith('-kserve')).spec.template);
    expect(envOf(c)).toMatchObject({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector.example:4318', OTEL_TRACES_SAMPLER_ARG: '1' });
    expectConfigError(() => render({ sampler: 'often' }), { path: 'kserve/svc', field: 'spec.tracing.sampler', value: 'often' });
  });
});

test('per-rank load balancing: every pod of the group is scraped on each rank port', () => {
  const objs = expectValid(build('mn', {
    launch: LaunchStrategy.dataParallel(DataParallelLoadBalancing.EXTERNAL_PER_RANK), monitoring: Monitoring.prometheusOperator(),
  }));
  const [m] = of(objs, 'PodMonitor');
  expect(m.spec.podMetricsEndpoints.map((e: any) => e.port)).toEqual(['rank0', 'rank1']);
  const lws = of(objs, 'LeaderWorkerSet')[0];
  const worker = lws.spec.leaderWorkerTemplate.workerTemplate;
  expect(Object.entries(m.spec.selector.matchLabels).every(([k, v]) => worker.metadata.labels[k] === v)).toBe(true);
});
