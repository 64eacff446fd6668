/**
 * One InferencePool and EPP over several LlmServices of one model on different accelerators (`joinPool`): the pool
 * selects `llm-d.ai/inference-pool`, which every member's serving pods carry; each Deployment keeps its own
 * selector, so the workloads stay disjoint; mismatches are refused at construction.
 */
import { Accelerator, InferencePool, LlmService, ModelSource, SchedulerConfig, Tls } from '../src';
import { SchemaValidator } from './harness/schema-validator';
import { checkWiring, formatViolations } from './harness/wiring-checker';
import { expectConfigError } from './util/expect-error';
import { find, synth, testChart } from './util/synth';
import { LlmServiceProps } from '../src/patterns/llm-service';

const MODEL = ModelSource.huggingFace('Qwen/Qwen2.5-7B-Instruct');
const selects = (sel: Record<string, string>, labels: Record<string, string>) => Object.entries(sel).every(([k, v]) => labels[k] === v);

function pair(extra: Partial<LlmServiceProps> = {}, third = false) {
  const chart = testChart();
  const nvidia = new LlmService(chart, 'qwen-nvidia', {
    model: MODEL,
    servedModelName: 'Qwen/Qwen2.5-7B-Instruct',
    accelerator: Accelerator.nvidia(),
    replicas: 3,
    scheduler: SchedulerConfig.default(),
    route: { gateway: { name: 'inference-gateway' } },
  });
  const amd = new LlmService(chart, 'qwen-amd', {
    model: MODEL, servedModelName: 'Qwen/Qwen2.5-7B-Instruct', accelerator: Accelerator.amd(), replicas: 2, joinPool: nvidia, ...extra,
  });
  if (third) {
    new LlmService(chart, 'qwen-gaudi', { model: MODEL, servedModelName: 'Qwen/Qwen2.5-7B-Instruct', accelerator: Accelerator.intelGaudi(), joinPool: nvidia });
  }
  return { chart, nvidia, amd, objs: synth(chart) };
}

describe('an MI300X service joining an H100 service\'s pool', () => {
  const { nvidia, amd, objs } = pair();
  const pool = find(objs, 'InferencePool', 'qwen-nvidia-inference-pool');
  const nv = find(objs, 'Deployment', 'qwen-nvidia-kserve');
  const md = find(objs, 'Deployment', 'qwen-amd-kserve');

  test('valid and wired', () => {
    expect(SchemaValidator.get().validateAll(objs)).toEqual([]);
    expect(formatViolations(checkWiring(objs, { namespace: 'llm' }))).toBe('no wiring violations');
  });

  test('one pool and one EPP; the pool selects the shared-pool label, which both services\' pods carry', () => {
    expect(objs.filter((o) => o.kind === 'InferencePool')).toHaveLength(1);
    expect(objs.filter((o) => o.kind === 'Deployment' && /router-scheduler/.test(o.metadata.name))).toHaveLength(1);
    expect(pool.spec.selector.matchLabels).toEqual({
      'app.kubernetes.io/part-of': 'llminferenceservice', 'kserve.io/component': 'workload', 'llm-d.ai/inference-pool': 'qwen-nvidia-inference-pool',
    });
    for (const d of [nv, md]) expect(selects(pool.spec.selector.matchLabels, d.spec.template.metadata.labels)).toBe(true);
    expect(nvidia.inferencePool!.selector).toEqual(pool.spec.selector.matchLabels);
    expect(amd.podLabels['llm-d.ai/inference-pool']).toBe('qwen-nvidia-inference-pool');
    expect(amd.inferencePool).toBeUndefined();
  });

  test('the Deployments stay disjoint: neither selects the other\'s pods', () => {
    expect(selects(nv.spec.selector.matchLabels, md.spec.template.metadata.labels)).toBe(false);
    expect(selects(md.spec.selector.matchLabels, nv.spec.template.metadata.labels)).toBe(false);
    expect(md.spec.template.spec.containers[0].resources.limits['amd.com/gpu']).toBe('1');
    expect(nv.spec.template.spec.containers[0].resources.limits['nvidia.com/gpu']).toBe('1');
  });

  test('the member has no route of its own; the owner\'s route sends to the shared pool', () => {
    expect(objs.filter((o) => o.kind === 'HTTPRoute')).toHaveLength(1);
    expect(find(objs, 'HTTPRoute').spec.rules[0].backendRefs[0].name).toBe('qwen-nvidia-inference-pool');
  });
});

test('a third member joins the same pool', () => {
  const { objs } = pair({}, true);
  const sel = find(objs, 'InferencePool').spec.selector.matchLabels;
  const members = objs.filter((o) => o.kind === 'Deployment' && selects(sel, o.spec.template.metadata.labels)).map((o) => o.metadata.name);
  expect(members.sort()).toEqual(['qwen-amd-kserve', 'qwen-gaudi-kserve', 'qwen-nvidia-kserve']);
  expect(formatViolations(checkWiring(objs, { namespace: 'llm' }))).toBe('no wiring violations');
});

test('without joinPool a pool selects only its own service', () => {
  const chart = testChart();
  new LlmService(chart, 'a', { model: MODEL, scheduler: SchedulerConfig.default() });
  new LlmService(chart, 'b', { model: MODEL, scheduler: SchedulerConfig.default() });
  const objs = synth(chart);
  expect(find(objs, 'InferencePool', 'a-inference-pool').spec.selector.matchLabels['app.kubernetes.io/name']).toBe('a');
  expect(JSON.stringify(objs)).not.toContain('llm-d.ai/inference-pool');
});

describe('bad joinPool input', () => {
  test('another served model name', () => {
    expectConfigError(() => pair({ servedModelName: 'qwen-7b' }), { path: 'test/qwen-amd', field: 'joinPool', value: 'test/qwen-nvidia', mentions: 'served model name' });
  });
  test('its own scheduler', () => {
    expectConfigError(() => pair({ scheduler: SchedulerConfig.default() }), { path: 'test/qwen-amd', field: 'scheduler', value: 'scheduler', mentions: 'routed by that pool' });
  });
  test('its own route', () => {
    expectConfigError(() => pair({ route: { gateway: { name: 'gw' } } }), { path: 'test/qwen-amd', field: 'route', value: 'route', mentions: 'remove route' });
  });
  test('TLS on one member only', () => {
    expectConfigError(() => pair({ tls: Tls.secret('qwen-tls') }), { path: 'test/qwen-amd', field: 'joinPool', value: 'test/qwen-nvidia', mentions: 'TLS' });
  });
  test('a service without a pool', () => {
    const chart = testChart();
    const plain = new LlmService(chart, 'plain', { model: MODEL });
    expectConfigError(() => new LlmService(chart, 'm', { model: MODEL, joinPool: plain }), { path: 'test/m', field: 'joinPool', value: 'test/plain', mentions: 'no InferencePool' });
  });
  test('another namespace', () => {
    expectConfigError(() => pair({ namespace: 'other' }), { path: 'test/qwen-amd', field: 'joinPool', value: 'test/qwen-nvidia', mentions: 'namespace' });
  });
});

test('a second pool over a service that already has one is refused at synth (pools stay disjoint)', () => {
  const chart = testChart();
  const svc = new LlmService(chart, 'qwen', { model: MODEL, scheduler: SchedulerConfig.default() });
  new InferencePool(chart, 'twin', { name: 'a-twin-pool', selector: svc.selectorLabels, targetPorts: [8000], endpointPickerService: 'qwen-epp-service' });
  expect(() => synth(chart)).toThrow(/pool\.selector = .*selects the pods of Deployment\/qwen-kserve, which InferencePool qwen-inference-pool selects too.*Fix: .*joinPool/);
});

