/** Traffic management: weighted routes between pools, model-name rewrites, priorities and EPP flow control. */
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Duration, Testing } from 'cdk8s';
import { parse as parseYaml } from 'yaml';
import {
  Engine, GatewayProvider, InferenceGateway, InferenceModelRewrite, InferenceObjective, InferencePool, InferencePoolApi, LlmService, LlmServiceProps,
  ModelSource,
  SchedulerConfig, SchedulerPlugin, SchedulerPluginTypes, SchedulingProfile,
} from '../src';
import { checkWiring, POOL_POLICY_CHECK } from './harness/wiring-checker';
import { expectConfigError } from './util/expect-error';
import { find, synth, testChart } from './util/synth';
import { expectValid } from './util/validated';
import { BAND_KEYS, FLOW_CONTROL_KEYS } from '../src/scheduler/scheduler-config';

const MODEL = 'Qwen/Qwen3-8B';

function version(chart: Chart, id: string, props: Partial<LlmServiceProps> = {}): LlmService {
  return new LlmService(chart, id, {
    model: ModelSource.huggingFace(MODEL),
    servedModelName: MODEL,
    scheduler: SchedulerConfig.default(),
    ...props,
  });
}

function eppConfigOf(objs: any[], service: string): any {
  const cm = find(objs, 'ConfigMap', `${service}-epp-config`);
  return parseYaml(String(Object.values(cm.data)[0]));
}

describe('InferenceGateway.route: weighted routes between pools', () => {
  test('canary 90/10: one route, one weighted backendRef per pool, valid and wired', () => {
    const chart = testChart();
    const gateway = new InferenceGateway(chart, 'gw', { provider: GatewayProvider.kgateway() });
    const stable = version(chart, 'qwen-v1');
    const canary = version(chart, 'qwen-v2');
    gateway.route('qwen', { name: 'qwen', backends: [{ endpoint: stable, weight: 90 }, { endpoint: canary, weight: 10 }] });
    const objs = expectValid(synth(chart));
    const route = find(objs, 'HTTPRoute', 'qwen-kserve-route');
    expect(route.spec.rules).toHaveLength(1);
    expect(route.spec.rules[0].matches[0].path).toEqual({ type: 'PathPrefix', value: '/llm/qwen' });
    expect(route.spec.rules[0].backendRefs).toEqual([
      { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'qwen-v1-inference-pool', weight: 90 },
      { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'qwen-v2-inference-pool', weight: 10 },
    ]);
    expect(route.spec.rules[0].timeouts).toEqual({ request: '300s' });
    expect(objs.filter((o) => o.kind === 'HTTPRoute')).toHaveLength(1);
  });

  test('A/B by header: a header rule per selected backend on the same path, the split stays on the path rule', () => {
    const chart = testChart();
    const gateway = new InferenceGateway(chart, 'gw', { provider: GatewayProvider.kgateway(), modelHeaderMatching: true });
    const a = version(chart, 'qwen-a');
    const b = version(chart, 'qwen-b');
    gateway.route('qwen', { name: 'qwen', header: 'x-model-variant', backends: [{ endpoint: a, weight: 50, headerValue: 'a' }, { endpoint: b, weight: 50, headerValue: 'b' }] });
    const objs = expectValid(synth(chart));
    const rules = find(objs, 'HTTPRoute', 'qwen-kserve-route').spec.rules;
    expect(rules.map((r: any) => r.name)).toEqual(['path-prefix', 'model-header', 'header-0', 'header-1']);
    expect(rules[1].backendRefs.map((r: any) => r.weight)).toEqual([50, 50]);
    expect(rules[1].matches[0].headers).toEqual([{ type: 'Exact', name: 'X-Gateway-Model-Name', value: MODEL }]);
    expect(rules[3].matches[0]).toEqual({ path: { type: 'PathPrefix', value: '/llm/qwen' }, headers: [{ type: 'Exact', name: 'x-model-variant', value: 'b' }] });
    expect(rules[3].filters).toEqual(rules[0].filters);
    expect(rules[3].backendRefs).toEqual([{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'qwen-b-inference-pool', weight: 1 }]);
  });

  test('provider objects are written once per pool, also when a backend registered with the gateway itself', () => {
    const chart = testChart();
    const gateway = new InferenceGateway(chart, 'gw', { provider: GatewayProvider.gke() });
    const stable = version(chart, 'qwen-v1', { gateway });
    const canary = version(chart, 'qwen-v2');
    gateway.route('qwen', { name: 'qwen', backends: [{ endpoint: stable, weight: 95 }, { endpoint: canary, weight: 5 }] });
    const objs = expectValid(synth(chart));
    const hc = objs.filter((o) => o.kind === 'HealthCheckPolicy').map((o) => o.metadata.name).sort();
    expect(hc).toEqual(['qwen-v1-inference-pool', 'qwen-v2-inference-pool']);
    expect(objs.filter((o) => o.kind === 'GCPBackendPolicy')).toHaveLength(2);
    // the stable service keeps its own route (direct access), the split route has no timeout (GKE policies own it)
    expect(objs.filter((o) => o.kind === 'HTTPRoute').map((o) => o.metadata.name).sort()).toEqual(['qwen-kserve-route', 'qwen-v1-kserve-route']);
    expect(find(objs, 'HTTPRoute', 'qwen-kserve-route').spec.rules[0].timeouts).toBeUndefined();
  });

  test('blue/green end state 0/100 is a valid split', () => {
    const chart = testChart();
    const gateway = new InferenceGateway(chart, 'gw', { provider: GatewayProvider.istio() });
    const blue = version(chart, 'blue');
    const green = version(chart, 'green');
    gateway.route('qwen', { name: 'qwen', backends: [{ endpoint: blue, weight: 0 }, { endpoint: green, weight: 100 }] });
    const objs = expectValid(synth(chart));
    expect(find(objs, 'HTTPRoute', 'qwen-kserve-route').spec.rules[0].backendRefs.map((r: any) => r.weight)).toEqual([0, 100]);
    expect(objs.filter((o) => o.kind === 'DestinationRule').map((o) => o.metadata.name).sort()).toEqual(['blue-epp-service', 'green-epp-service']);
  });
});

describe('stable selectors across versions', () => {
  const stableOnly = () => {
    const chart = testChart();
    const gateway = new InferenceGateway(chart, 'gw', { provider: GatewayProvider.kgateway() });
    const stable = version(chart, 'qwen-v1', { replicas: 4 });
    gateway.route('qwen', { name: 'qwen', backends: [{ endpoint: stable, weight: 100 }] });
    return synth(chart);
  };
  const withCanary = () => {
    const chart = testChart();
    const gateway = new InferenceGateway(chart, 'gw', { provider: GatewayProvider.kgateway() });
    const stable = version(chart, 'qwen-v1', { replicas: 4 });
    const canary = version(chart, 'qwen-v2', { replicas: 1, model: ModelSource.huggingFace('Qwen/Qwen3-8B-FP8') });
    gateway.route('qwen', { name: 'qwen', backends: [{ endpoint: stable, weight: 90 }, { endpoint: canary, weight: 10 }] });
    return synth(chart);
  };
  const own = (objs: any[]) => objs.filter((o) => o.metadata?.name?.startsWith('qwen-v1'));

  test('adding a canary changes no object of the stable version (names, selectors, pool membership)', () => {
    const v1 = own(stableOnly());
    const both = withCanary();
    expect(own(both)).toEqual(v1);
    const deployment = find(v1, 'Deployment', 'qwen-v1-kserve');
    const pool = find(v1, 'InferencePool', 'qwen-v1-inference-pool');
    const canaryPool = find(both, 'InferencePool', 'qwen-v2-inference-pool');
    const canaryDeployment = find(both, 'Deployment', 'qwen-v2-kserve');
    const selects = (sel: Record<string, string>, labels: Record<string, string>) => Object.entries(sel).every(([k, v]) => labels[k] === v);
    // each pool selects exactly its own version's pods
    expect(selects(pool.spec.selector.matchLabels, deployment.spec.template.metadata.labels)).toBe(true);
    expect(selects(pool.spec.selector.matchLabels, canaryDeployment.spec.template.metadata.labels)).toBe(false);
    expect(selects(canaryPool.spec.selector.matchLabels, deployment.spec.template.metadata.labels)).toBe(false);
    expect(selects(deployment.spec.selector.matchLabels, canaryDeployment.spec.template.metadata.labels)).toBe(false);
    expectValid(both);
  });

  test('the split route keeps its name and path; only its backends change', () => {
    const a = find(stableOnly(), 'HTTPRoute', 'qwen-kserve-route');
    const b = find(withCanary(), 'HTTPRoute', 'qwen-kserve-route');
    expect(b.spec.parentRefs).toEqual(a.spec.parentRefs);
    expect(b.spec.rules[0].matches).toEqual(a.spec.rules[0].matches);
    expect(b.spec.rules[0].backendRefs[0]).toEqual({ ...a.spec.rules[0].backendRefs[0], weight: 90 });
  });
});

describe('weighted route bad inputs', () => {
  const PATH = 'test/gw/qwen';
  const setup = () => {
    const chart = testChart();
    const gateway = new InferenceGateway(chart, 'gw', { provider: GatewayProvider.kgateway() });
    return { chart, gateway, v1: version(chart, 'qwen-v1'), v2: version(chart, 'qwen-v2') };
  };
  test('no backends', () => {
    const { gateway } = setup();
    expectConfigError(() => gateway.route('qwen', { name: 'qwen', backends: [] }), { path: PATH, field: 'backends', value: '[]' });
  });
  test('negative and fractional weights', () => {
    const { gateway, v1, v2 } = setup();
    expectConfigError(() => gateway.route('qwen', { name: 'qwen', backends: [{ endpoint: v1, weight: 90 }, { endpoint: v2, weight: -10 }] }),
      { path: PATH, field: 'backends[1].weight', value: '-10', mentions: '0 to 1000000' });
    expectConfigError(() => gateway.route('qwen2', { name: 'qwen2', backends: [{ endpoint: v1, weight: 0.5 }] }),
      { path: 'test/gw/qwen2', field: 'backends[0].weight', value: '0.5' });
  });
  test('every weight 0', () => {
    const { gateway, v1, v2 } = setup();
    expectConfigError(() => gateway.route('qwen', { name: 'qwen', backends: [{ endpoint: v1, weight: 0 }, { endpoint: v2, weight: 0 }] }),
      { path: PATH, field: 'backends', value: 'qwen-v1:0, qwen-v2:0', mentions: 'above 0' });
  });
  test('the same pool twice', () => {
    const { gateway, v1 } = setup();
    expectConfigError(() => gateway.route('qwen', { name: 'qwen', backends: [{ endpoint: v1, weight: 50 }, { endpoint: v1, weight: 50 }] }),
      { path: PATH, field: 'backends[1].endpoint', value: 'qwen-v1', mentions: 'backends[0]' });
  });
  test('a backend without a pool', () => {
    const { chart, gateway, v1 } = setup();
    const plain = new LlmService(chart, 'plain', { model: ModelSource.huggingFace(MODEL), servedModelName: MODEL });
    expectConfigError(() => gateway.route('qwen', { name: 'qwen', backends: [{ endpoint: v1, weight: 50 }, { endpoint: plain, weight: 50 }] }),
      { path: PATH, field: 'backends[1].endpoint', value: 'plain', mentions: 'scheduler' });
  });
  test('a backend in another namespace', () => {
    const { chart, gateway, v1 } = setup();
    const other = version(chart, 'other', { namespace: 'team-b' });
    expectConfigError(() => gateway.route('qwen', { name: 'qwen', backends: [{ endpoint: v1, weight: 50 }, { endpoint: other, weight: 50 }] }),
      { path: PATH, field: 'backends[1].endpoint', value: 'team-b/other' });
  });
  test('headerValue without header, header without values, bad header name, duplicate values', () => {
    const { gateway, v1, v2 } = setup();
    expectConfigError(() => gateway.route('a', { name: 'a', backends: [{ endpoint: v1, weight: 1, headerValue: 'b' }] }),
      { path: 'test/gw/a', field: 'backends[0].headerValue', value: 'b', mentions: 'header' });
    expectConfigError(() => gateway.route('b', { name: 'b', header: 'x-variant', backends: [{ endpoint: v1, weight: 1 }] }),
      { path: 'test/gw/b', field: 'header', value: 'x-variant' });
    expectConfigError(() => gateway.route('c', { name: 'c', header: 'x variant', backends: [{ endpoint: v1, weight: 1, headerValue: 'a' }] }),
      { path: 'test/gw/c', field: 'header', value: 'x variant' });
    expectConfigError(() => gateway.route('d', { name: 'd', header: 'x-v', backends: [{ endpoint: v1, weight: 1, headerValue: 'a' }, { endpoint: v2, weight: 1, headerValue: 'a' }] }),
      { path: 'test/gw/d', field: 'backends[1].headerValue', value: 'a', mentions: 'backends[0]' });
  });
  test('the path of another route on the gateway', () => {
    const { gateway, v1 } = setup();
    gateway.route('qwen', { name: 'qwen', backends: [{ endpoint: v1, weight: 1 }] });
    expectConfigError(() => gateway.route('again', { name: 'qwen', backends: [{ endpoint: v1, weight: 1 }] }),
      { path: 'test/gw/again', field: 'gateway', value: 'test/gw', mentions: '/llm/qwen' });
  });
  test('pools serving different model names are refused at synth', () => {
    const { chart, gateway, v1 } = setup();
    const llama = version(chart, 'llama', { model: ModelSource.huggingFace('meta-llama/Llama-3.1-8B-Instruct'), servedModelName: 'llama' });
    gateway.route('qwen', { name: 'qwen', backends: [{ endpoint: v1, weight: 90 }, { endpoint: llama, weight: 10 }] });
    expectConfigError(() => synth(chart), { path: PATH, field: 'backends[1].endpoint', value: 'llama', mentions: 'InferenceModelRewrite' });
  });
  test('servedModelName that no backend serves', () => {
    const { chart, gateway, v1 } = setup();
    gateway.route('qwen', { name: 'qwen', servedModelName: 'qwen-latest', backends: [{ endpoint: v1, weight: 1 }] });
    expectConfigError(() => synth(chart), { path: PATH, field: 'backends[0].endpoint', value: 'qwen-v1', mentions: 'qwen-latest' });
  });
});

describe('InferenceModelRewrite', () => {
  test('a rewrite maps the requested name onto a version that serves another name; the split then passes', () => {
    const chart = testChart();
    const gateway = new InferenceGateway(chart, 'gw', { provider: GatewayProvider.kgateway() });
    const v1 = version(chart, 'qwen-v1', { servedModelName: 'qwen' });
    const v2 = version(chart, 'qwen-v2', { servedModelName: 'qwen-2607' });
    gateway.route('qwen', { name: 'qwen', backends: [{ endpoint: v1, weight: 90 }, { endpoint: v2, weight: 10 }] });
    new InferenceModelRewrite(chart, 'qwen-to-2607', { pool: v2.inferencePool!, rules: [{ matchModels: ['qwen'], targets: [{ model: 'qwen-2607' }] }] });
    const objs = expectValid(synth(chart));
    expect(find(objs, 'InferenceModelRewrite', 'qwen-to-2607')).toEqual({
      apiVersion: 'llm-d.ai/v1alpha2',
      kind: 'InferenceModelRewrite',
      metadata: { name: 'qwen-to-2607', namespace: 'llm' },
      spec: {
        poolRef: { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'qwen-v2-inference-pool' },
        rules: [{ matches: [{ model: { type: 'Exact', value: 'qwen' } }], targets: [{ modelRewrite: 'qwen-2607' }] }],
      },
    });
  });

  test('weighted targets and a catch-all rule render as the CRD expects', () => {
    const chart = testChart();
    const pool = InferencePool.fromName('qwen-pool');
    new InferenceModelRewrite(chart, 'split', {
      pool,
      rules: [
        { matchModels: ['qwen', 'qwen-latest'], targets: [{ model: 'qwen-a', weight: 90 }, { model: 'qwen-b', weight: 10 }] },
        { targets: [{ model: 'qwen-a' }] },
      ],
    });
    const rw = find(synth(chart), 'InferenceModelRewrite', 'split');
    expect(rw.spec.rules[0].targets).toEqual([{ modelRewrite: 'qwen-a', weight: 90 }, { modelRewrite: 'qwen-b', weight: 10 }]);
    expect(rw.spec.rules[0].matches.map((m: any) => m.model.value)).toEqual(['qwen', 'qwen-latest']);
    expect(rw.spec.rules[1].matches).toBeUndefined();
  });

  test('a rewrite sending the split name to a model the backend does not serve is refused at synth', () => {
    const chart = testChart();
    const gateway = new InferenceGateway(chart, 'gw', { provider: GatewayProvider.kgateway() });
    const v1 = version(chart, 'qwen-v1');
    gateway.route('qwen', { name: 'qwen', backends: [{ endpoint: v1, weight: 1 }] });
    new InferenceModelRewrite(chart, 'typo', { pool: v1.inferencePool!, rules: [{ matchModels: [MODEL], targets: [{ model: 'Qwen/Qwen3-8b' }] }] });
    expectConfigError(() => synth(chart), { path: 'test/gw/qwen', field: 'backends[0].endpoint', value: 'qwen-v1', mentions: 'Qwen/Qwen3-8b' });
  });

  test('bad inputs', () => {
    const chart = testChart();
    const pool = InferencePool.fromName('qwen-pool', InferencePoolApi.V1, 'llm');
    const mk = (id: string, rules: any[], extra: any = {}) => () => new InferenceModelRewrite(chart, id, { pool, rules, ...extra });
    expectConfigError(mk('a', []), { path: 'test/a', field: 'rules', value: '[]' });
    expectConfigError(mk('b', [{ matchModels: ['q'], targets: [] }]), { path: 'test/b', field: 'rules[0].targets', value: '[]' });
    expectConfigError(mk('c', [{ matchModels: ['q'], targets: [{ model: 'x', weight: 1 }, { model: 'y' }] }]),
      { path: 'test/c', field: 'rules[0].targets', value: 'y:unset', mentions: 'every target' });
    expectConfigError(mk('d', [{ matchModels: ['q'], targets: [{ model: 'x', weight: 0 }] }]), { path: 'test/d', field: 'rules[0].targets[0].weight', value: '0' });
    expectConfigError(mk('e', [{ matchModels: ['q'], targets: [{ model: 'x' }] }, { matchModels: ['q'], targets: [{ model: 'y' }] }]),
      { path: 'test/e', field: 'rules[1].matchModels[0]', value: 'q', mentions: 'rules[0]' });
    expectConfigError(mk('f', [{ targets: [{ model: 'x' }] }, { targets: [{ model: 'y' }] }]), { path: 'test/f', field: 'rules[1].matchModels', value: '(unset)', mentions: 'catch-all' });
    expectConfigError(mk('g', [{ matchModels: [''], targets: [{ model: 'x' }] }]), { path: 'test/g', field: 'rules[0].matchModels[0]', value: '""' });
    expectConfigError(mk('h', [{ matchModels: ['q'], targets: [{ model: 'x' }] }], { namespace: 'other' }), { path: 'test/h', field: 'pool', value: 'llm/qwen-pool' });
    expectConfigError(mk('i', [{ matchModels: ['q'], targets: [{ model: 'x' }, { model: 'x' }] }]), { path: 'test/i', field: 'rules[0].targets', value: 'x', mentions: 'twice' });
  });
});

describe('priorities and EPP flow control', () => {
  test('withFlowControl: gate, typed section and the named policies declared, rendered in the EPP config', () => {
    const chart = testChart();
    const scheduler = SchedulerConfig.default().withFlowControl({
      maxRequests: '2k',
      defaultRequestTtl: Duration.seconds(90),
      priorityBands: [
        { priority: 100, fairnessPolicy: 'round-robin-fairness-policy', maxRequests: '1000' },
        { priority: 0 },
      ],
      defaultNegativePriorityBand: { maxRequests: '50', orderingPolicy: 'edf-ordering-policy' },
      saturationDetector: 'concurrency-detector',
    });
    expect(scheduler.flowControlEnabled).toBe(true);
    expect(scheduler.priorityBandPriorities).toEqual([100, 0]);
    expect(SchedulerConfig.default().flowControlEnabled).toBe(false);
    const svc = version(chart, 'qwen', { scheduler, endpointPicker: { objectivePriority: 100 } });
    new InferenceObjective(chart, 'batch', { pool: svc.inferencePool!, priority: -10 });
    const objs = expectValid(synth(chart));
    const doc = eppConfigOf(objs, 'qwen');
    expect(doc.featureGates).toEqual(['flowControl']);
    expect(doc.plugins.map((p: any) => p.type)).toEqual(expect.arrayContaining(['round-robin-fairness-policy', 'edf-ordering-policy', 'concurrency-detector']));
    expect(doc.flowControl).toEqual({
      maxRequests: '2k',
      defaultRequestTTL: '90s',
      defaultNegativePriorityBand: { maxRequests: '50', orderingPolicyRef: 'edf-ordering-policy' },
      priorityBands: [{ priority: 100, maxRequests: '1000', fairnessPolicyRef: 'round-robin-fairness-policy' }, { priority: 0 }],
      saturationDetector: { pluginRef: 'concurrency-detector' },
    });
    expect(find(objs, 'InferenceObjective', 'qwen').spec.priority).toBe(100);
    expect(find(objs, 'InferenceObjective', 'batch').spec.priority).toBe(-10);
  });

  test('default policies are not declared again (the EPP registers them itself); an existing gate is replaced', () => {
    const q = SchedulerPlugin.queueScorer();
    const cfg = SchedulerConfig.custom({ plugins: [q], profiles: [new SchedulingProfile({ name: 'default', plugins: [q.ref(1)] })], featureGates: ['flowControl=false', 'haPopulateNonLeaderDatastore'] })
      .withFlowControl({ defaultPriorityBand: { fairnessPolicy: 'global-strict-fairness-policy', orderingPolicy: 'fcfs-ordering-policy' }, enableEviction: true });
    expect(cfg.pluginTypes).toEqual(['queue-scorer']);
    expect(cfg.featureGates).toEqual(['haPopulateNonLeaderDatastore', 'flowControl']);
    expect(cfg.toDocument().flowControl).toEqual({
      defaultPriorityBand: { fairnessPolicyRef: 'global-strict-fairness-policy', orderingPolicyRef: 'fcfs-ordering-policy' },
      enableEviction: true,
    });
    const chart = testChart();
    expectValid(synth((version(chart, 'q', { scheduler: cfg }), chart)));
  });

  test('an Alpha policy makes the config require experimental plugins', () => {
    expect(SchedulerConfig.default().withFlowControl({ usageLimitPolicy: 'priority-holdback-policy' }).requiresExperimentalPlugins).toBe(true);
    expect(SchedulerConfig.default().withFlowControl({ usageLimitPolicy: 'static-usage-limit-policy' }).requiresExperimentalPlugins).toBe(false);
  });

  test('fromYaml reads a flowControl section and checks it like the typed one', () => {
    const yaml = [
      'apiVersion: llm-d.ai/v1alpha1', 'kind: EndpointPickerConfig', 'featureGates: [flowControl]',
      'plugins: [{type: queue-scorer}, {type: round-robin-fairness-policy, name: rr}]',
      'flowControl: {priorityBands: [{priority: 10, fairnessPolicyRef: rr}]}',
      'schedulingProfiles: [{name: default, plugins: [{pluginRef: queue-scorer}]}]',
    ].join('\n');
    const chart = testChart();
    const svc = version(chart, 'q', { scheduler: SchedulerConfig.fromYaml(yaml) });
    expect(svc.name).toBe('q');
    expect(eppConfigOf(expectValid(synth(chart)), 'q').flowControl.priorityBands[0].fairnessPolicyRef).toBe('rr');
  });

  describe('bad flow-control inputs', () => {
    const PATH = 'test/q';
    const use = (scheduler: SchedulerConfig) => () => version(testChart(), 'q', { scheduler });
    test('duplicate band priority', () => {
      expectConfigError(use(SchedulerConfig.default().withFlowControl({ priorityBands: [{ priority: 5 }, { priority: 5 }] })),
        { path: PATH, field: 'scheduler.config.flowControl.priorityBands[1].priority', value: '5', mentions: 'duplicate' });
    });
    test('non-integer priority', () => {
      expectConfigError(use(SchedulerConfig.default().withFlowControl({ priorityBands: [{ priority: 1.5 }] })),
        { path: PATH, field: 'scheduler.config.flowControl.priorityBands[0].priority', value: '1.5' });
    });
    test('bad quantities', () => {
      expectConfigError(use(SchedulerConfig.default().withFlowControl({ maxBytes: '-1Gi' })), { path: PATH, field: 'scheduler.config.flowControl.maxBytes', value: '-1Gi' });
      expectConfigError(use(SchedulerConfig.default().withFlowControl({ defaultPriorityBand: { maxRequests: 'lots' } })),
        { path: PATH, field: 'scheduler.config.flowControl.defaultPriorityBand.maxRequests', value: 'lots' });
    });
    test('a policy that is neither declared nor registered', () => {
      expectConfigError(use(SchedulerConfig.default().withFlowControl({ priorityBands: [{ priority: 1, fairnessPolicy: 'weighted-fair' }] })),
        { path: PATH, field: 'scheduler.config.flowControl.priorityBands[0].fairnessPolicyRef', value: 'weighted-fair', mentions: 'not found' });
    });
    test('a policy of the wrong role', () => {
      expectConfigError(use(SchedulerConfig.default().withFlowControl({ priorityBands: [{ priority: 1, fairnessPolicy: 'queue-scorer' }] })),
        { path: PATH, field: 'scheduler.config.flowControl.priorityBands[0].fairnessPolicyRef', value: 'queue-scorer', mentions: 'round-robin-fairness-policy' });
      expectConfigError(use(SchedulerConfig.default().withFlowControl({ usageLimitPolicy: 'fcfs-ordering-policy' })),
        { path: PATH, field: 'scheduler.config.flowControl.usageLimitPolicyPluginRef', value: 'fcfs-ordering-policy' });
    });
    test('a flowControl section without the gate is ignored by the EPP, so refused', () => {
      expectConfigError(use(SchedulerConfig.custom({ plugins: [SchedulerPlugin.queueScorer()], flowControl: { maxRequests: '100' } })),
        { path: PATH, field: 'scheduler.config.flowControl.maxRequests', value: '100', mentions: 'feature gate' });
    });
    test('unknown keys (the EPP decodes strictly)', () => {
      expectConfigError(use(SchedulerConfig.custom({ plugins: [SchedulerPlugin.queueScorer()], featureGates: ['flowControl'], flowControl: { queueDepth: 3 } })),
        { path: PATH, field: 'scheduler.config.flowControl.queueDepth', value: '3' });
    });
  });
});

test('Testing.app synth of the traffic objects is deterministic', () => {
  const build = () => {
    const app = Testing.app();
    const chart = new Chart(app, 't', { namespace: 'llm' });
    const gateway = new InferenceGateway(chart, 'gw', { provider: GatewayProvider.kgateway() });
    const a = version(chart, 'a');
    const b = version(chart, 'b');
    gateway.route('r', { name: 'r', backends: [{ endpoint: a, weight: 3 }, { endpoint: b, weight: 1 }] });
    return JSON.stringify(synth(chart));
  };
  expect(build()).toBe(build());
});

describe('rollout safety of the serving workloads', () => {
  const strategyOf = (props: Partial<LlmServiceProps>) => {
    const chart = testChart();
    version(chart, 'qwen', { replicas: 4, ...props });
    return find(synth(chart), 'Deployment', 'qwen-kserve').spec.strategy;
  };
  test('an accelerator Deployment rolls one pod at a time without surge by default', () => {
    expect(strategyOf({})).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
  });
  test('asked-for surge is kept, and a partial rolloutStrategy is left to Kubernetes as before', () => {
    expect(strategyOf({ rolloutStrategy: { maxSurge: '1', maxUnavailable: '0' } })).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
    expect(strategyOf({ rolloutStrategy: { maxSurge: '25%' } })).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%' } });
  });
  test('a Deployment without accelerators keeps the Kubernetes defaults', () => {
    const chart = testChart();
    new LlmService(chart, 'sim', { model: ModelSource.huggingFace(MODEL), engine: Engine.simulator() });
    expect(find(synth(chart), 'Deployment', 'sim-kserve').spec.strategy).toBeUndefined();
  });
  test('the serving pods are ready only when the model server answers its health check', () => {
    const chart = testChart();
    version(chart, 'qwen');
    const main = find(synth(chart), 'Deployment', 'qwen-kserve').spec.template.spec.containers.find((c: any) => c.name === 'main');
    expect(main.readinessProbe.httpGet.path).toBe('/health');
    expect(main.startupProbe).toBeDefined();
  });
});

test('SchedulerPluginTypes knows the flow-control role of each policy type of the pinned EPP', () => {
  expect(SchedulerPluginTypes.flowControlRoleOf('round-robin-fairness-policy')).toBe('fairness');
  expect(SchedulerPluginTypes.flowControlRoleOf('edf-ordering-policy')).toBe('ordering');
  expect(SchedulerPluginTypes.flowControlRoleOf('soft-reflective-ceiling-policy')).toBe('usage-limit');
  expect(SchedulerPluginTypes.flowControlRoleOf('queue-scorer')).toBeUndefined();
  // every flow-control type of the registry has a role
  expect(SchedulerPluginTypes.all().filter((t) => SchedulerPluginTypes.kindOf(t) === 'FLOW_CONTROL' && SchedulerPluginTypes.flowControlRoleOf(t) === undefined)).toEqual([]);
});

test('the flowControl fields the library accepts are those of the pinned EPP API types (vendored Go source)', () => {
  const go = fs.readFileSync(path.join(__dirname, '..', 'imports', 'llm-d-router', 'v0.10.0', 'apix', 'config', 'v1alpha1', 'endpointpickerconfig_types.go'), 'utf8');
  const fieldsOf = (struct: string) => {
    const body = go.slice(go.indexOf(`type ${struct} struct {`));
    return [...body.slice(0, body.indexOf('\n}')).matchAll(/json:"([A-Za-z]+)[,"]/g)].map((m) => m[1]);
  };
  expect([...FLOW_CONTROL_KEYS].sort()).toEqual(fieldsOf('FlowControlConfig').sort());
  expect(['priority', ...BAND_KEYS].sort()).toEqual(fieldsOf('PriorityBandConfig').sort());
  expect(fieldsOf('SaturationDetectorConfig')).toEqual(['pluginRef']);
});

test('JavaScript callers get the type checks: a string weight and a missing backend list are refused', () => {
  const chart = testChart();
  const gateway = new InferenceGateway(chart, 'gw', { provider: GatewayProvider.kgateway() });
  const v1 = version(chart, 'qwen-v1');
  const err = expectConfigError(() => (gateway as any).route('a', { name: 'a', backends: [{ endpoint: v1, weight: '90' }] }),
    { path: 'test/gw', field: 'options.backends[0].weight', value: '90' });
  expect(err.message).toContain('number');
  expectConfigError(() => (gateway as any).route('b', { name: 'b' }), { path: 'test/gw/b', field: 'backends', value: '(unset)' });
  expectConfigError(() => new InferenceModelRewrite(chart, 'rw', { pool: v1.inferencePool!, rules: [{ matchModels: 'qwen', targets: [] }] } as any),
    { path: 'test/rw', field: 'rules[0].matchModels', value: 'qwen' });
});

test('a canary in its own namespace: ReferenceGrant, namespaced backendRef, and objectives of the same names on both pools', () => {
  const chart = testChart();
  const gateway = new InferenceGateway(chart, 'gw', { provider: GatewayProvider.kgateway() });
  const stable = version(chart, 'qwen-v1');
  const canary = version(chart, 'qwen-v2', { namespace: 'llm-canary' });
  for (const v of [stable, canary]) new InferenceObjective(chart, `batch-${v.name}`, { pool: v.inferencePool!, name: 'batch', namespace: v.namespace, priority: -10 });
  expectConfigError(() => gateway.route('bad', { name: 'bad', backends: [{ endpoint: stable, weight: 9 }, { endpoint: canary, weight: 1 }] }),
    { path: 'test/gw/bad', field: 'backends[1].endpoint', value: 'llm-canary/qwen-v2', mentions: 'referenceGrant' });
  gateway.route('qwen', { name: 'qwen', referenceGrant: true, backends: [{ endpoint: stable, weight: 9 }, { endpoint: canary, weight: 1 }] });
  const objs = expectValid(synth(chart));
  expect(find(objs, 'HTTPRoute', 'qwen-kserve-route').spec.rules[0].backendRefs[1])
    .toEqual({ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'qwen-v2-inference-pool', namespace: 'llm-canary', weight: 1 });
  const grant = find(objs, 'ReferenceGrant');
  expect(grant.metadata.namespace).toBe('llm-canary');
  expect(grant.spec).toEqual({
    from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'llm' }],
    to: [{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'qwen-v2-inference-pool' }],
  });
  expect(objs.filter((o) => o.kind === 'InferenceObjective' && o.metadata.name === 'batch').map((o) => o.metadata.namespace).sort()).toEqual(['llm', 'llm-canary']);
});

test('with model-header matching, a backend also registered with the gateway would take the split\'s header rule: refused at synth', () => {
  const chart = testChart();
  const gateway = new InferenceGateway(chart, 'gw', { provider: GatewayProvider.kgateway(), modelHeaderMatching: true });
  const v1 = version(chart, 'qwen-v1', { gateway });
  const v2 = version(chart, 'qwen-v2');
  gateway.route('qwen', { name: 'qwen', backends: [{ endpoint: v1, weight: 9 }, { endpoint: v2, weight: 1 }] });
  expectConfigError(() => synth(chart), { path: 'test/qwen-v1', field: 'servedModelName', value: 'X-Gateway-Model-Name', mentions: 'qwen-kserve-route' });
});

test('the EPP Role of the library reads inferencemodelrewrites of llm-d.ai; without it the wiring checker reports 114', () => {
  const chart = testChart();
  const svc = version(chart, 'qwen');
  new InferenceModelRewrite(chart, 'alias', { pool: svc.inferencePool!, rules: [{ matchModels: ['qwen-latest'], targets: [{ model: MODEL }] }] });
  const objs = expectValid(synth(chart));
  const role = find(objs, 'Role', 'qwen-epp-role');
  expect(role.rules).toContainEqual({ apiGroups: ['llm-d.ai'], resources: ['inferenceobjectives', 'inferencemodelrewrites'], verbs: ['get', 'list', 'watch'] });
  const broken = JSON.parse(JSON.stringify(objs));
  find(broken, 'Role', 'qwen-epp-role').rules = role.rules.filter((r: any) => !r.apiGroups.includes('llm-d.ai'));
  expect(checkWiring(broken, { namespace: 'llm' }).map((v) => v.invariant)).toEqual([POOL_POLICY_CHECK]);
});
