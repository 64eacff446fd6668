import { App, Chart, Testing } from 'cdk8s';
import {
  Accelerator, ConfigErrors, Engine, GatewayProvider, InferenceGateway, LlmdValidation, LlmService, LlmServiceProps, ModelSource,
  PrefillDecodePair, SchedulerConfig,
} from '../src';
import { expectConfigError } from './util/expect-error';
import { findAppProblems, findDuplicateObjects, findRouteCollisions } from '../src/validation/app-checks';

const MODEL = ModelSource.huggingFace('Qwen/Qwen3-8B');
const service = (scope: Chart, id: string, props: Partial<LlmServiceProps> = {}) =>
  new LlmService(scope, id, { model: MODEL, engine: Engine.simulator(), accelerator: Accelerator.cpu(), ...props });
const GATEWAY = { name: 'inference-gateway', namespace: 'gateways' };

describe('app-wide checks at synth: duplicate objects', () => {
  test('two services of one name in two charts of one namespace are refused, naming both constructs', () => {
    const app = Testing.app();
    service(new Chart(app, 'a', { namespace: 'llm' }), 'qwen');
    service(new Chart(app, 'b', { namespace: 'llm' }), 'qwen');
    const err = expectConfigError(() => app.synthYaml(), { path: 'b/qwen', field: 'name', value: '"qwen-kserve"', mentions: '[a/qwen]' });
    expect(err.message).toContain('Deployment llm/qwen-kserve');
    expect(ConfigErrors.parse(err.message)?.constructPath).toBe('b/qwen');
  });

  test('the same names in two namespaces synthesize', () => {
    const app = Testing.app();
    service(new Chart(app, 'a', { namespace: 'llm' }), 'qwen');
    service(new Chart(app, 'b', { namespace: 'llm-2' }), 'qwen');
    expect(app.synthYaml()).toContain('namespace: llm-2');
  });

  test('a service and a P/D pair of one name in one chart are refused (Testing.synth of the chart)', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'llm' });
    service(chart, 'qwen', { scheduler: SchedulerConfig.default() });
    new PrefillDecodePair(chart, 'pd', { name: 'qwen', model: MODEL, prefill: {}, decode: {} });
    expectConfigError(() => Testing.synth(chart), { path: 'c/pd', field: 'name', value: 'qwen-', mentions: '[c/qwen' });
  });

  test('cluster-scoped metrics-auth bindings whose namespace-qualified names meet across namespaces are refused', () => {
    const app = Testing.app();
    service(new Chart(app, 'a', { namespace: 'team-a' }), 'qwen', { scheduler: SchedulerConfig.default() });
    service(new Chart(app, 'b', { namespace: 'team' }), 'a-qwen', { scheduler: SchedulerConfig.default() });
    const err = expectConfigError(() => app.synthYaml(), { path: 'b/a-qwen', field: 'name', value: '"team-a-qwen-epp-auth-rb"', mentions: 'cluster-scoped ClusterRoleBinding' });
    expect(err.message).toContain('[a/qwen');
  });

  test('the cluster-scoped names of one service in two namespaces stay distinct', () => {
    const app = Testing.app();
    service(new Chart(app, 'a', { namespace: 'team-a' }), 'qwen', { scheduler: SchedulerConfig.default() });
    service(new Chart(app, 'b', { namespace: 'team-b' }), 'qwen', { scheduler: SchedulerConfig.default() });
    const text = app.synthYaml();
    expect(text).toContain('name: team-a-qwen-epp-auth-rb');
    expect(text).toContain('name: team-b-qwen-epp-auth-rb');
  });

  test('on plain objects: group, kind, namespace and name; the namespace of cluster-scoped kinds does not count', () => {
    const o = (apiVersion: string, kind: string, name: string, namespace?: string) => ({ apiVersion, kind, metadata: { name, namespace } });
    expect(findDuplicateObjects([o('v1', 'Service', 'x', 'a'), o('v1', 'Service', 'x', 'b'), o('v1', 'ConfigMap', 'x', 'a')])).toEqual([]);
    expect(findDuplicateObjects([o('apps/v1', 'Deployment', 'x', 'a'), o('apps/v1', 'Deployment', 'x', 'a')]).map((p) => [p.index, p.other])).toEqual([[1, 0]]);
    // the API group is part of the identity; the version is not
    expect(findDuplicateObjects([o('inference.networking.k8s.io/v1', 'InferencePool', 'p', 'a'), o('inference.networking.x-k8s.io/v1alpha2', 'InferencePool', 'p', 'a')])).toEqual([]);
    expect(findDuplicateObjects([o('gateway.networking.k8s.io/v1', 'HTTPRoute', 'r', 'a'), o('gateway.networking.k8s.io/v1beta1', 'HTTPRoute', 'r', 'a')])).toHaveLength(1);
    expect(findDuplicateObjects([o('rbac.authorization.k8s.io/v1', 'ClusterRole', 'r', 'a'), o('rbac.authorization.k8s.io/v1', 'ClusterRole', 'r', 'b')])).toHaveLength(1);
    // malformed input is skipped, never thrown on
    expect(findAppProblems([null, 'text', { kind: 'Service' }, { kind: 'HTTPRoute', apiVersion: 'gateway.networking.k8s.io/v1', spec: null }])).toEqual([]);
  });
});

describe('app-wide checks at synth: route collisions', () => {
  test('two services with route: { gateway } on one Gateway (both PathPrefix /) are refused', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'llm' });
    service(chart, 'qwen', { route: { gateway: GATEWAY } });
    service(chart, 'llama', { route: { gateway: GATEWAY } });
    const err = expectConfigError(() => Testing.synth(chart), { path: 'c/llama', field: 'route.pathPrefix', value: 'PathPrefix /', mentions: 'unreachable' });
    expect(err.message).toContain('Gateway gateways/inference-gateway');
    expect(err.message).toContain('HTTPRoute llm/qwen-kserve-route of [c/qwen]');
  });

  test('the same explicit pathPrefix (trailing slash ignored) in two charts is refused', () => {
    const app = Testing.app();
    service(new Chart(app, 'a', { namespace: 'team-a' }), 'qwen', { route: { gateway: GATEWAY, pathPrefix: '/v1/qwen' } });
    service(new Chart(app, 'b', { namespace: 'team-b' }), 'qwen', { route: { gateway: GATEWAY, pathPrefix: '/v1/qwen/' } });
    expectConfigError(() => app.synthYaml(), { path: 'b/qwen', field: 'route.pathPrefix', value: 'PathPrefix /v1/qwen/', mentions: '[a/qwen]' });
  });

  test('distinct prefixes, distinct hostnames, distinct listeners or distinct Gateways synthesize', () => {
    const ok = (a: object, b: object) => {
      const chart = new Chart(Testing.app(), 'c', { namespace: 'llm' });
      service(chart, 'qwen', { route: { gateway: GATEWAY, ...a } });
      service(chart, 'llama', { route: { gateway: GATEWAY, ...b } });
      return Testing.synth(chart).filter((o) => o.kind === 'HTTPRoute').length;
    };
    expect(ok({}, { pathPrefix: '/llama' })).toBe(2);
    expect(ok({ hostnames: ['qwen.example.com'] }, { hostnames: ['llama.example.com'] })).toBe(2);
    expect(ok({ gateway: { ...GATEWAY, sectionName: 'a' } }, { gateway: { ...GATEWAY, sectionName: 'b' } })).toBe(2);
    expect(ok({}, { gateway: { name: 'other' } })).toBe(2);
  });

  test('overlapping hostnames (a wildcard and a name it covers, or no hostnames) collide', () => {
    const clash = (a: object, b: object) => {
      const chart = new Chart(Testing.app(), 'c', { namespace: 'llm' });
      service(chart, 'qwen', { route: { gateway: GATEWAY, ...a } });
      service(chart, 'llama', { route: { gateway: GATEWAY, ...b } });
      return () => Testing.synth(chart);
    };
    expectConfigError(clash({ hostnames: ['*.example.com'] }, { hostnames: ['llm.example.com'] }), { path: 'c/llama', field: 'route.pathPrefix', value: '/', mentions: 'hostname llm.example.com' });
    expectConfigError(clash({}, { hostnames: ['llm.example.com'] }), { path: 'c/llama', field: 'route.pathPrefix', value: '/', mentions: 'llm.example.com' });
    expectConfigError(clash({ gateway: { ...GATEWAY, sectionName: 'https' } }, {}), { path: 'c/llama', field: 'route.pathPrefix', value: '/' });
  });

  test('a pattern route and an InferenceGateway route with the same path on one Gateway are refused', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'llm' });
    const gw = new InferenceGateway(chart, 'gw', { provider: GatewayProvider.istio(), name: 'inference-gateway' });
    service(chart, 'qwen', { gateway: gw, scheduler: SchedulerConfig.default() });
    service(chart, 'other', { route: { gateway: { name: 'inference-gateway' }, pathPrefix: '/llm/qwen' } });
    expectConfigError(() => Testing.synth(chart), { path: 'c/other', field: 'route.pathPrefix', value: '/llm/qwen', mentions: '[c/qwen]' });
  });

  test('model-header rules of two models with one served model name on one InferenceGateway are refused', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'llm' });
    const gw = new InferenceGateway(chart, 'gw', { provider: GatewayProvider.istio(), name: 'inference-gateway', modelHeaderMatching: true });
    service(chart, 'qwen', { gateway: gw, scheduler: SchedulerConfig.default(), servedModelName: 'qwen3' });
    service(chart, 'qwen-b', { gateway: gw, scheduler: SchedulerConfig.default(), servedModelName: 'qwen3' });
    expectConfigError(() => Testing.synth(chart), { path: 'c/qwen-b', field: 'servedModelName', value: 'X-Gateway-Model-Name: qwen3', mentions: '[c/qwen]' });
  });

  test('on plain objects: parentRef namespace defaults to the route namespace; other kinds of parents are ignored', () => {
    const route = (ns: string, parent: object, path = '/') => ({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: `r-${ns}`, namespace: ns },
      spec: { parentRefs: [parent], rules: [{ matches: [{ path: { type: 'PathPrefix', value: path } }] }] },
    });
    expect(findRouteCollisions([route('a', { name: 'gw' }), route('b', { name: 'gw' })])).toEqual([]);
    expect(findRouteCollisions([route('a', { name: 'gw' }), route('b', { name: 'gw', namespace: 'a' })])).toHaveLength(1);
    expect(findRouteCollisions([route('a', { name: 'gw' }), route('a', { name: 'gw' }, '/x')])).toEqual([]);
    expect(findRouteCollisions([route('a', { kind: 'Service', name: 'gw' }), route('a', { kind: 'Service', name: 'gw' })])).toEqual([]);
    // a rule without matches matches every path
    const bare = { ...route('a', { name: 'gw' }), spec: { parentRefs: [{ name: 'gw' }], rules: [{}] } };
    expect(findRouteCollisions([bare, route('a', { name: 'gw' })])).toHaveLength(1);
  });
});

describe('synth-time validation opt-out', () => {
  test(`the context key ${LlmdValidation.CONTEXT_KEY} = false (or LlmdValidation.disable) turns the app-wide checks off`, () => {
    for (const disable of [(app: App) => app.node.setContext(LlmdValidation.CONTEXT_KEY, false), (app: App) => LlmdValidation.disable(app)]) {
      const app = Testing.app();
      disable(app);
      service(new Chart(app, 'a', { namespace: 'llm' }), 'qwen');
      service(new Chart(app, 'b', { namespace: 'llm' }), 'qwen');
      expect(LlmdValidation.isEnabled(app)).toBe(false);
      expect(app.synthYaml().match(/name: qwen-kserve\n/g)?.length).toBe(2);
    }
  });

  test('a Chart can opt out on its own', () => {
    const app = Testing.app();
    const quiet = new Chart(app, 'b', { namespace: 'llm' });
    LlmdValidation.disable(quiet);
    service(new Chart(app, 'a', { namespace: 'llm' }), 'qwen');
    service(quiet, 'qwen');
    expect(LlmdValidation.isEnabled(app)).toBe(true);
    expect(LlmdValidation.isEnabled(quiet)).toBe(false);
    expect(() => app.synthYaml()).not.toThrow();
  });
});
