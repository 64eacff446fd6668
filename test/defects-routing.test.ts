/** Routing defects of issue 11: custom route paths are rewritten (no 404), InferenceGateway paths are choosable and validated. */
import { GatewayProvider, InferenceGateway, InferencePool, InferencePoolApi, LlmService, ModelSource, SchedulerConfig } from '../src';
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
