/** Routing inputs the library refuses (issue: intelligent routing). Each asserts path, field, value and fix. */
import { App, Chart, Testing } from 'cdk8s';
import {
  Engine, EndpointPicker, GatewayProvider, InferenceGateway, InferencePool, InferencePoolApi, KvEvents, LlmService, LlmServiceProps,
  ModelSource, SchedulerConfig, SchedulerPlugin, SchedulingProfile, InferenceObjective, Accelerator,
} from '../src';
import { expectConfigError } from './util/expect-error';
import { synth, testChart } from './util/synth';

const MODEL = ModelSource.huggingFace('Qwen/Qwen3-8B');
const PATH = 'test/svc';
const make = (props: Partial<LlmServiceProps>, chart: Chart = testChart()) => new LlmService(chart, 'svc', { model: MODEL, ...props });
const custom = (plugins: SchedulerPlugin[], profiles: SchedulingProfile[]) => SchedulerConfig.custom({ plugins, profiles });

describe('scheduler config errors surface with the construct path', () => {
  test('profile references an undeclared plugin', () => {
    const q = SchedulerPlugin.queueScorer();
    expectConfigError(() => make({ scheduler: custom([q], [new SchedulingProfile({ name: 'default', plugins: [q.ref(1), { pluginRef: 'kv-cache-utilization-scorer', weight: 1 }] })]) }),
      { path: PATH, field: 'scheduler.config.schedulingProfiles[0].plugins[1].pluginRef', value: 'kv-cache-utilization-scorer', mentions: 'queue-scorer' });
  });
  test('duplicate plugin names', () => {
    const a = SchedulerPlugin.queueScorer();
    expectConfigError(() => make({ scheduler: custom([a, SchedulerPlugin.queueScorer()], [new SchedulingProfile({ name: 'default', plugins: [a.ref(1)] })]) }),
      { path: PATH, field: 'scheduler.config.plugins[1].type', value: 'queue-scorer', mentions: 'unique' });
  });
  test('two pickers in one profile', () => {
    const a = SchedulerPlugin.maxScorePicker();
    const b = SchedulerPlugin.randomPicker();
    expectConfigError(() => make({ scheduler: custom([a, b], [new SchedulingProfile({ name: 'default', plugins: [a.ref(), b.ref()] })]) }),
      { path: PATH, field: 'scheduler.config.schedulingProfiles[0].plugins[1].pluginRef', value: 'random-picker', mentions: 'picker' });
  });
  test('unknown plugin type for the pinned EPP', () => {
    const x = SchedulerPlugin.custom('gpu-temperature-scorer');
    expectConfigError(() => make({ scheduler: custom([x], [new SchedulingProfile({ name: 'default', plugins: [x.ref(1)] })]) }),
      { path: PATH, field: 'scheduler.config.plugins[0].type', value: 'gpu-temperature-scorer' });
  });
  test('weight <= 0', () => {
    const q = SchedulerPlugin.queueScorer();
    expectConfigError(() => make({ scheduler: custom([q], [new SchedulingProfile({ name: 'default', plugins: [q.ref(0)] })]) }),
      { path: PATH, field: 'scheduler.config.schedulingProfiles[0].plugins[0].weight', value: '0' });
  });
  test('several profiles without a profile handler', () => {
    const q = SchedulerPlugin.queueScorer();
    expectConfigError(() => make({ scheduler: custom([q], [new SchedulingProfile({ name: 'a', plugins: [q.ref(1)] }), new SchedulingProfile({ name: 'b', plugins: [q.ref(1)] })]) }),
      { path: PATH, field: 'scheduler.config.schedulingProfiles', value: 'a', mentions: 'profile handler' });
  });
});

describe('wiring errors', () => {
  test('pool selector that matches no pod of the stack (synth-time validation)', () => {
    const chart = testChart();
    make({ engine: Engine.simulator() }, chart);
    const pool = new InferencePool(chart, 'stray', { name: 'stray-pool', selector: { app: 'nothing' }, targetPorts: [8000], endpointPickerService: 'svc-epp-service' });
    expect(pool.poolName).toBe('stray-pool');
    expect(() => Testing.synth(chart)).toThrow(/pool\.selector = \{"app":"nothing"\}: matches no pod template.*Fix: select/);
  });
  test('pool selector that also selects the EPP pods', () => {
    const chart = testChart();
    const svc = make({ engine: Engine.simulator(), scheduler: SchedulerConfig.default(), endpointPicker: { metricsAuth: false } }, chart);
    new InferencePool(chart, 'broad', { name: 'broad', selector: { 'app.kubernetes.io/name': svc.name }, targetPorts: [8000], endpointPickerService: 'x' });
    expect(() => Testing.synth(chart)).toThrow(/also selects the Endpoint Picker pods of Deployment\/svc-kserve-router-scheduler/);
  });
  test('route to a pool in another namespace without a ReferenceGrant', () => {
    const chart = testChart();
    const gw = new InferenceGateway(chart, 'gw', { provider: GatewayProvider.kgateway() });
    expectConfigError(() => gw.routeToPool('ext', InferencePool.fromName('shared-pool', InferencePoolApi.V1, 'models'), { name: 'shared' }),
      { path: 'test/gw/ext', field: 'pool', value: 'models/shared-pool', mentions: 'ReferenceGrant' });
    gw.routeToPool('ok', InferencePool.fromName('shared-pool', InferencePoolApi.V1, 'models'), { name: 'shared', referenceGrant: true });
    const grant = synth(chart).find((o) => o.kind === 'ReferenceGrant');
    expect(grant.metadata.namespace).toBe('models');
    expect(grant.spec.from).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'llm' }]);
  });
  test('KV-events port colliding with the serving port', () => {
    expectConfigError(() => make({ scheduler: SchedulerConfig.precisePrefixCache({ modelName: 'svc', kvEvents: KvEvents.podDiscovery({ socketPort: 8000 }) }) }),
      { path: PATH, field: 'scheduler.kvEvents.socketPort', value: '8000', mentions: 'serving port' });
  });
  test('centralized KV-events port colliding with the EPP gRPC port', () => {
    expectConfigError(() => make({ scheduler: SchedulerConfig.precisePrefixCache({ modelName: 'svc', kvEvents: KvEvents.centralized({ port: 9002 }) }) }),
      { path: PATH, field: 'scheduler.config.kvEvents.port', value: '9002', mentions: 'collides' });
  });
  test('precise prefix cache with pod discovery on the simulator, which dials and never binds', () => {
    expectConfigError(() => make({ engine: Engine.simulator(), scheduler: SchedulerConfig.precisePrefixCache({ modelName: 'svc' }) }),
      { path: PATH, field: 'scheduler.kvEvents.discoverPods', value: 'true', mentions: 'never binds' });
  });
  test('precise prefix cache on the simulator with a topic filter its topics do not match', () => {
    expectConfigError(() => make({
      engine: Engine.simulator(), scheduler: SchedulerConfig.precisePrefixCache({ modelName: 'svc', kvEvents: KvEvents.centralized({ topicFilter: 'vllm@' }) }),
    }), { path: PATH, field: 'scheduler.kvEvents.topicFilter', value: 'vllm@', mentions: 'kv@' });
  });
  test('block size mismatch between vLLM and the EPP', () => {
    expectConfigError(() => make({ engine: Engine.vllm({ blockSize: 16 }), scheduler: SchedulerConfig.precisePrefixCache({ modelName: 'svc', blockSize: 64 }) }),
      { path: PATH, field: 'engine.blockSize', value: '16', mentions: '(64)' });
  });
  test('tokenizer model name differing from the served model', () => {
    expectConfigError(() => make({ servedModelName: 'Qwen/Qwen3-8B', scheduler: SchedulerConfig.precisePrefixCache({ modelName: 'Qwen/Qwen3-32B' }) }),
      { path: PATH, field: 'scheduler.modelName', value: 'Qwen/Qwen3-32B' });
  });
  test('centralized KV events with two EPP replicas', () => {
    expectConfigError(() => make({ scheduler: SchedulerConfig.precisePrefixCache({ modelName: 'svc', kvEvents: KvEvents.centralized() }), endpointPicker: { replicas: 2 } }),
      { path: PATH, field: 'endpointPicker.replicas', value: '2', mentions: 'one EPP replica' });
  });
  test('lora-affinity scorer without LoRA adapters', () => {
    expectConfigError(() => make({ scheduler: SchedulerConfig.default({ lora: true }) }), { path: PATH, field: 'scheduler', value: 'lora-affinity-scorer', mentions: 'loraAdapters' });
  });
  test('two models claiming the same path on one gateway', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a', { namespace: 'llm' });
    const b = new Chart(app, 'b', { namespace: 'llm' });
    const gw = new InferenceGateway(a, 'gw', { provider: GatewayProvider.istio() });
    new LlmService(a, 'svc', { model: MODEL, engine: Engine.simulator(), gateway: gw });
    expectConfigError(() => new LlmService(b, 'svc', { model: MODEL, engine: Engine.simulator(), gateway: gw }),
      { path: 'b/svc', field: 'gateway', value: 'a/gw', mentions: '/llm/svc' });
  });
  test('provider extras for a provider that is not selected', () => {
    expectConfigError(() => new InferenceGateway(testChart(), 'gw', { provider: GatewayProvider.gke(), extras: { istioDestinationRule: true } }),
      { path: 'test/gw', field: 'extras.istioDestinationRule', value: 'true', mentions: 'GatewayProvider.istio()' });
  });
  test('v1alpha2 pool with the v1-only EPP', () => {
    expectConfigError(() => new EndpointPicker(testChart(), 'epp', { serviceName: 'svc', pool: InferencePool.fromName('legacy', InferencePoolApi.V1ALPHA2), config: SchedulerConfig.default() }),
      { path: 'test', field: 'scheduler.pool', value: 'inference.networking.x-k8s.io/legacy', mentions: 'v1 only' });
  });
  test('both route and gateway', () => {
    const chart = testChart();
    const gw = new InferenceGateway(chart, 'gw', { provider: GatewayProvider.istio() });
    expectConfigError(() => make({ gateway: gw, route: { gateway: { name: 'x' } } }, chart), { path: PATH, field: 'route', value: '{"gateway":{"name":"x"}}' });
  });
  test('EPP options without a scheduler', () => {
    expectConfigError(() => make({ endpointPicker: { replicas: 2 } }), { path: PATH, field: 'endpointPicker', value: '{"replicas":2}', mentions: 'no scheduler' });
  });
  test('metrics auth (cluster-scoped binding) without any namespace', () => {
    expectConfigError(() => make({ engine: Engine.simulator(), scheduler: SchedulerConfig.default() }, testChart(null)),
      { path: PATH, field: 'scheduler.namespace', value: '(unset)', mentions: 'metricsAuth: false' });
  });
  test('HTTPS listener without a certificate', () => {
    expectConfigError(() => new InferenceGateway(testChart(), 'gw', { provider: GatewayProvider.istio(), listeners: [{ name: 'https', port: 443, protocol: 'HTTPS' }] }),
      { path: 'test/gw', field: 'listeners[0].tlsSecretName', value: '(unset)' });
  });
  test('InferencePool with more than 8 target ports', () => {
    expectConfigError(() => new InferencePool(testChart(), 'p', { name: 'p', selector: { a: 'b' }, targetPorts: [1, 2, 3, 4, 5, 6, 7, 8, 9], endpointPickerService: 'e' }),
      { path: 'test', field: 'pool.targetPorts', value: '[1,2,3,4,5,6,7,8,9]', mentions: '1 to 8' });
  });
  test('objective priority that is not an integer', () => {
    expectConfigError(() => new InferenceObjective(testChart(), 'o', { pool: InferencePool.fromName('p'), priority: 1.5 }), { path: 'test/o', field: 'priority', value: '1.5' });
  });
  test('CPU-only EPP-less model behind a GKE gateway still gets no GKE policies (they need a pool)', () => {
    const chart = testChart();
    const gw = new InferenceGateway(chart, 'gw', { provider: GatewayProvider.gke() });
    make({ engine: Engine.simulator(), accelerator: Accelerator.cpu(), gateway: gw }, chart);
    expect(synth(chart).filter((o) => o.apiVersion === 'networking.gke.io/v1')).toEqual([]);
  });
});

describe('a working app with a scheduler synthesizes (validations pass)', () => {
  test('App.synth runs the pool validation without errors', () => {
    const app = new App({ outdir: '/dev/null' });
    const chart = new Chart(app, 'ok', { namespace: 'llm' });
    new LlmService(chart, 'svc', { model: MODEL, engine: Engine.simulator(), scheduler: SchedulerConfig.default() });
    expect(app.synthYaml()).toContain('kind: InferencePool');
  });
});
