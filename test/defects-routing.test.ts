/** Routing defects of issue 11: custom route paths are rewritten (no 404), InferenceGateway paths are choosable and validated. */
import { GatewayProvider, InferenceGateway, InferencePool, InferencePoolApi, LlmService, ModelSource, SchedulerConfig, Versions } from '../src';
import { expectConfigError } from './util/expect-error';
import { find, synth, testChart } from './util/synth';
import { expectValid } from './util/validated';

const MODEL = ModelSource.huggingFace('Qwen/Qwen3-0.6B');
const GW = { name: 'inference-gateway', namespace: 'gateways' };
const REWRITE_TO = (p: string) => [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: p } } }];

describe('route pathPrefix / rewritePrefix', () => {
  const routeOf = (route: Record<string, unknown>, scheduler = false) => {
    const chart = testChart();
    new LlmService(chart, 'amd', { model: MODEL, route: { gateway: GW, ...route }, scheduler: scheduler ? SchedulerConfig.default() : undefined });
    return find(expectValid(synth(chart)), 'HTTPRoute', 'amd-kserve-route');
  };

  test("a custom prefix is rewritten to '/' by default, so /amd/v1/chat/completions reaches vLLM as /v1/chat/completions", () => {
    for (const scheduler of [false, true]) {
      const rule = routeOf({ pathPrefix: '/amd' }, scheduler).spec.rules[0];
      expect(rule.matches).toEqual([{ path: { type: 'PathPrefix', value: '/amd' } }]);
      expect(rule.filters).toEqual(REWRITE_TO('/'));
    }
  });

  test("the default '/' prefix has no filter; rewritePrefix equal to the prefix forwards paths unchanged; another rewrite is rendered", () => {
    expect(routeOf({}).spec.rules[0].filters).toBeUndefined();
    expect(routeOf({ pathPrefix: '/amd', rewritePrefix: '/amd' }).spec.rules[0].filters).toBeUndefined();
    expect(routeOf({ pathPrefix: '/amd', rewritePrefix: '/v1' }).spec.rules[0].filters).toEqual(REWRITE_TO('/v1'));
    expect(routeOf({ rewritePrefix: '/api' }).spec.rules[0].filters).toEqual(REWRITE_TO('/api'));
  });

  test.each([
    ["must start with '/'", 'amd'],
    ["'//'", '/a//b'],
    ["'..' segment", '/a/../b'],
    ["'..' segment", '/a/..'],
    ["'.' segment", '/a/./b'],
    ['%2F', '/a%2Fb'],
    ["'#'", '/a#b'],
    ['not allowed', '/a b'],
    ['at most 1024', '/' + 'x'.repeat(1024)],
  ])('a pathPrefix that breaks the rule %s is refused', (mentions, value) => {
    expectConfigError(() => routeOf({ pathPrefix: value }), { path: 'test/amd', field: 'route.pathPrefix', value: value.slice(0, 40), mentions });
  });

  test('rewritePrefix is validated the same way', () => {
    expectConfigError(() => routeOf({ pathPrefix: '/amd', rewritePrefix: 'v1' }), { path: 'test/amd', field: 'route.rewritePrefix', value: '"v1"', mentions: "must start with '/'" });
  });
});

describe('InferenceGateway paths', () => {
  test('models registered with the gateway keep /<ns>/<name> rewritten to /', () => {
    const chart = testChart();
    const gw = new InferenceGateway(chart, 'gw', { provider: GatewayProvider.istio(), name: 'inference-gateway' });
    new LlmService(chart, 'qwen', { model: MODEL, gateway: gw, scheduler: SchedulerConfig.default() });
    const rule = find(expectValid(synth(chart)), 'HTTPRoute', 'qwen-kserve-route').spec.rules[0];
    expect(rule.matches).toEqual([{ path: { type: 'PathPrefix', value: '/llm/qwen' } }]);
    expect(rule.filters).toEqual(REWRITE_TO('/'));
  });

  test('routeToPool chooses its own path and rewrite; the path is validated and unique per gateway', () => {
    const chart = testChart();
    const gw = new InferenceGateway(chart, 'gw', { provider: GatewayProvider.kgateway(), name: 'inference-gateway' });
    const pool = InferencePool.fromName('shared-pool', InferencePoolApi.V1);
    gw.routeToPool('amd', pool, { name: 'amd', pathPrefix: '/amd' });
    gw.routeToPool('raw', pool, { name: 'raw', pathPrefix: '/raw', rewritePrefix: '/raw' });
    const objs = synth(chart);
    const amd = find(objs, 'HTTPRoute', 'amd-kserve-route').spec.rules[0];
    expect(amd.matches[0].path.value).toBe('/amd');
    expect(amd.filters).toEqual(REWRITE_TO('/'));
    expect(find(objs, 'HTTPRoute', 'raw-kserve-route').spec.rules[0].filters).toBeUndefined();

    expectConfigError(() => gw.routeToPool('bad', pool, { name: 'bad', pathPrefix: '/x/../y' }), { path: 'test/gw/bad', field: 'pathPrefix', value: '/x/../y' });
    expectConfigError(() => gw.routeToPool('dup', pool, { name: 'dup', pathPrefix: '/amd' }), { path: 'test/gw/dup', field: 'gateway', value: 'test/gw', mentions: 'path /amd' });
  });
});

describe('public API without a test before: envoyGateway(), custom(), legacyV1alpha2Pool', () => {
  test.each([
    ['envoyGateway()', GatewayProvider.envoyGateway(), 'envoy-gateway', 'envoy-gateway'],
    ["envoyGateway('eg')", GatewayProvider.envoyGateway('eg'), 'envoy-gateway', 'eg'],
    ["custom('traefik')", GatewayProvider.custom('traefik'), 'custom', 'traefik'],
  ])('GatewayProvider.%s: a Gateway of its class and a route per model, nothing provider-specific', (_n, provider, id, className) => {
    expect(provider.id).toBe(id);
    const chart = testChart();
    const gw = new InferenceGateway(chart, 'gw', { provider, name: 'inference-gateway' });
    new LlmService(chart, 'qwen', { model: MODEL, gateway: gw, scheduler: SchedulerConfig.default() });
    const objs = expectValid(synth(chart));
    const gateway = find(objs, 'Gateway', 'inference-gateway');
    expect(gateway.spec.gatewayClassName).toBe(className);
    expect(gateway.metadata.labels).toBeUndefined();
    const route = find(objs, 'HTTPRoute', 'qwen-kserve-route');
    expect(route.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'inference-gateway' }]);
    expect(route.spec.rules[0].backendRefs[0]).toMatchObject({ group: 'inference.networking.k8s.io', kind: 'InferencePool' });
    expect(objs.filter((o) => /istio|gke/.test(o.apiVersion))).toEqual([]);
    expect(() => new InferenceGateway(testChart(), 'bad', { provider, extras: { istioDestinationRule: true } })).toThrow(/Istio object/);
  });

  test('endpointPicker.legacyV1alpha2Pool mirrors the v1 pool as inference.networking.x-k8s.io/v1alpha2 for the same EPP', () => {
    const chart = testChart();
    new LlmService(chart, 'qwen', { model: MODEL, route: { gateway: GW }, scheduler: SchedulerConfig.default(), endpointPicker: { legacyV1alpha2Pool: true } });
    const objs = expectValid(synth(chart));
    const pools = objs.filter((o) => o.kind === 'InferencePool');
    expect(pools.map((p) => p.apiVersion).sort()).toEqual([Versions.INFERENCE_POOL_API, Versions.INFERENCE_POOL_LEGACY_API].sort());
    const v1 = pools.find((p) => p.apiVersion === Versions.INFERENCE_POOL_API);
    const legacy = pools.find((p) => p.apiVersion === Versions.INFERENCE_POOL_LEGACY_API);
    expect(legacy.metadata.name).toBe(v1.metadata.name);
    expect(legacy.spec.selector).toEqual(v1.spec.selector.matchLabels);
    expect(legacy.spec.targetPortNumber).toBe(v1.spec.targetPorts[0].number);
    expect(legacy.spec.extensionRef.name).toBe(v1.spec.endpointPickerRef.name);
    const route = find(objs, 'HTTPRoute', 'qwen-kserve-route');
    expect(route.spec.rules[0].backendRefs[0]).toMatchObject({ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: v1.metadata.name });
  });

  test('without legacyV1alpha2Pool there is only the v1 pool', () => {
    const chart = testChart();
    new LlmService(chart, 'qwen', { model: MODEL, route: { gateway: GW }, scheduler: SchedulerConfig.default() });
    expect(expectValid(synth(chart)).filter((o) => o.kind === 'InferencePool').map((p) => p.apiVersion)).toEqual([Versions.INFERENCE_POOL_API]);
  });
});
