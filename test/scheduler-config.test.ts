/**
 * The typed EndpointPickerConfig (`SchedulerConfig`) for the llm-d router EPP v0.10.0.
 *
 * Presets are compared with their sources:
 * - KServe's default configs: `shared/docs/kserve-llmisvc.md` §4.3, i.e. KServe `pkg/controller/v1alpha2/llmisvc/scheduler.go`
 *   `schedulerConfigText` (quoted below as KSERVE_DEFAULT / KSERVE_PD);
 * - the llm-d V8 renders vendored in `imports/reference/llm-d/kustomize-era-v0.8.0/rendered/` (ConfigMap `<guide>-epp`).
 * Validation cases are what llm-d router v0.10.0 refuses at start-up (`pkg/epp/config/loader`, the plugin factories).
 */
import * as path from 'path';
import * as YAML from 'yaml';
import { loadYamlDocuments } from './harness/yaml';
import { expectConfigError } from './util/expect-error';
import { LlmdConfigError } from '../src/errors';
import { FieldContext } from '../src/internal/context';
import {
  KvEvents,
  KvEventsMode,
  PdDecider,
  SchedulerConfig,
  SchedulerPlugin,
  SchedulerPluginKind,
  SchedulerPluginTypes,
  SchedulingProfile,
} from '../src/scheduler';

const PATH = 'test/scheduler';
const ctx = () => new FieldContext(PATH, 'scheduler');
const V8 = path.join(__dirname, '..', 'imports', 'reference', 'llm-d', 'kustomize-era-v0.8.0', 'rendered');
const V6 = path.join(__dirname, '..', 'imports', 'reference', 'llm-d', 'helm-era-v0.6.0', 'rendered');

/** The EPP config text stored under `key` in the ConfigMap of a vendored render. */
function renderedConfig(dir: string, file: string, key: string): string {
  const cm = loadYamlDocuments(path.join(dir, file)).find((d) => d.kind === 'ConfigMap' && d.data?.[key] !== undefined);
  if (!cm) throw new Error(`${file}: no ConfigMap key ${key}`);
  return cm.data[key];
}

/** Plugins as `type[:name]` and profiles as `name: ref(weight)…` — the plugin graph at a glance. */
function graph(cfg: SchedulerConfig): { plugins: string[]; profiles: Record<string, string[]> } {
  const doc = cfg.toDocument();
  return {
    plugins: doc.plugins.map((p: any) => (p.name ? `${p.type}:${p.name}` : p.type)),
    profiles: Object.fromEntries(doc.schedulingProfiles.map((s: any) => [s.name,
      s.plugins.map((e: any) => (e.weight === undefined ? e.pluginRef : `${e.pluginRef}=${e.weight}`))])),
  };
}

/** KServe `schedulerConfigText`, no prefill, no LoRA (kserve-llmisvc.md §4.3). */
const KSERVE_DEFAULT = `
apiVersion: llm-d.ai/v1alpha1
kind: EndpointPickerConfig
plugins:
- type: single-profile-handler
- type: queue-scorer
- type: kv-cache-utilization-scorer
- type: prefix-cache-scorer
- type: no-hit-lru-scorer
- type: max-score-picker
schedulingProfiles:
- name: default
  plugins:
  - pluginRef: queue-scorer
    weight: 2
  - pluginRef: kv-cache-utilization-scorer
    weight: 2
  - pluginRef: prefix-cache-scorer
    weight: 3
  - pluginRef: no-hit-lru-scorer
    weight: 2
  - pluginRef: max-score-picker
`;

/** KServe `schedulerConfigText`, with prefill, no LoRA (kserve-llmisvc.md §4.3). */
const KSERVE_PD = `
apiVersion: llm-d.ai/v1alpha1
kind: EndpointPickerConfig
plugins:
- type: disagg-headers-handler
- type: prefill-filter
- type: decode-filter
- type: queue-scorer
- type: kv-cache-utilization-scorer
- type: active-request-scorer
- type: prefix-cache-scorer
- type: max-score-picker
- type: always-disagg-pd-decider
- type: disagg-profile-handler
  parameters:
    deciders:
      prefill: always-disagg-pd-decider
schedulingProfiles:
- name: prefill
  plugins:
  - pluginRef: prefill-filter
  - pluginRef: prefix-cache-scorer
    weight: 3
  - pluginRef: queue-scorer
    weight: 2
  - pluginRef: kv-cache-utilization-scorer
    weight: 2
  - pluginRef: max-score-picker
- name: decode
  plugins:
  - pluginRef: decode-filter
  - pluginRef: active-request-scorer
    weight: 2
  - pluginRef: prefix-cache-scorer
    weight: 3
  - pluginRef: max-score-picker
`;

describe('presets render the plugin graph of their source', () => {
  test('default() = KServe default config without prefill (kserve-llmisvc.md §4.3)', () => {
    const cfg = SchedulerConfig.default();
    expect(cfg.toDocument()).toEqual(YAML.parse(KSERVE_DEFAULT));
    expect(graph(cfg)).toEqual({
      plugins: ['single-profile-handler', 'queue-scorer', 'kv-cache-utilization-scorer', 'prefix-cache-scorer', 'no-hit-lru-scorer', 'max-score-picker'],
      profiles: { default: ['queue-scorer=2', 'kv-cache-utilization-scorer=2', 'prefix-cache-scorer=3', 'no-hit-lru-scorer=2', 'max-score-picker'] },
    });
    expect(cfg.usesLora).toBe(false);
    expect(cfg.isPrefillDecode).toBe(false);
    expect(cfg.requiresExperimentalPlugins).toBe(false);
    cfg._validate(ctx());
  });

  test('default({ lora }) appends lora-affinity-scorer and puts it first with weight 4 (kserve-llmisvc.md §4.3)', () => {
    const cfg = SchedulerConfig.default({ lora: true });
    const expected = YAML.parse(KSERVE_DEFAULT);
    expected.plugins.push({ type: 'lora-affinity-scorer' });
    expected.schedulingProfiles[0].plugins.unshift({ pluginRef: 'lora-affinity-scorer', weight: 4 });
    expect(cfg.toDocument()).toEqual(expected);
    expect(cfg.usesLora).toBe(true);
    cfg._validate(ctx());
  });

  test('default() keeps the scorers and weights of the V8 optimized-baseline config (optimized-baseline.rendered.yaml)', () => {
    const v8 = SchedulerConfig.fromYaml(renderedConfig(V8, 'optimized-baseline.rendered.yaml', 'optimized-baseline-plugins.yaml'));
    v8._validate(ctx());
    const scorers = (c: SchedulerConfig) => c.findProfile('default')!.plugins.filter((e) => e.weight !== undefined);
    expect(scorers(SchedulerConfig.default())).toEqual(scorers(v8));
  });

  test('prefillDecode() = KServe default P/D config (kserve-llmisvc.md §4.3)', () => {
    const cfg = SchedulerConfig.prefillDecode();
    expect(cfg.toDocument()).toEqual(YAML.parse(KSERVE_PD));
    expect(graph(cfg).profiles).toEqual({
      prefill: ['prefill-filter', 'prefix-cache-scorer=3', 'queue-scorer=2', 'kv-cache-utilization-scorer=2', 'max-score-picker'],
      decode: ['decode-filter', 'active-request-scorer=2', 'prefix-cache-scorer=3', 'max-score-picker'],
    });
    expect(cfg.findPlugin('disagg-profile-handler')!.parameters).toEqual({ deciders: { prefill: 'always-disagg-pd-decider' } });
    expect(cfg.isPrefillDecode).toBe(true);
    expect(cfg.profileNames).toEqual(['prefill', 'decode']);
    cfg._validate(ctx());
  });

  test('prefillDecode({ lora }) adds lora-affinity-scorer last and weight 4 after each filter (kserve-llmisvc.md §4.3)', () => {
    const cfg = SchedulerConfig.prefillDecode({ lora: true });
    const expected = YAML.parse(KSERVE_PD);
    expected.plugins.push({ type: 'lora-affinity-scorer' });
    for (const p of expected.schedulingProfiles) p.plugins.splice(1, 0, { pluginRef: 'lora-affinity-scorer', weight: 4 });
    expect(cfg.toDocument()).toEqual(expected);
    cfg._validate(ctx());
  });

  test('prefillDecode keeps the V8 pd-config profile weights (pd-disaggregation.rendered.yaml)', () => {
    const v8 = SchedulerConfig.fromYaml(renderedConfig(V8, 'pd-disaggregation.rendered.yaml', 'pd-config.yaml'));
    v8._validate(ctx());
    expect(v8.isPrefillDecode).toBe(true);
    const ours = SchedulerConfig.prefillDecode();
    for (const name of ['prefill', 'decode']) {
      const weighted = (c: SchedulerConfig) => c.findProfile(name)!.plugins.filter((e) => e.pluginRef !== 'max-score-picker');
      expect(weighted(ours)).toEqual(weighted(v8));
    }
  });

  test('prefillDecode({ decider: prefixBased(16) }) swaps in prefix-based-pd-decider{nonCachedTokens} and points the handler at it', () => {
    const cfg = SchedulerConfig.prefillDecode({ decider: PdDecider.prefixBased(16) });
    const doc = cfg.toDocument();
    expect(doc.plugins[8]).toEqual({ type: 'prefix-based-pd-decider', parameters: { nonCachedTokens: 16 } });
    expect(doc.plugins[9]).toEqual({ type: 'disagg-profile-handler', parameters: { deciders: { prefill: 'prefix-based-pd-decider' } } });
    expect(cfg.hasPlugin('always-disagg-pd-decider')).toBe(false);
    cfg._validate(ctx());
  });

  test('prefillDecode({ headersHandler: false }) drops the deprecated disagg-headers-handler only', () => {
    const cfg = SchedulerConfig.prefillDecode({ headersHandler: false });
    expect(cfg.pluginTypes).not.toContain('disagg-headers-handler');
    expect(cfg.pluginTypes).toHaveLength(9);
    expect(cfg.isPrefillDecode).toBe(true);
    cfg._validate(ctx());
  });

  test('precisePrefixCache() = the V8 precise-prefix-cache-routing config (precise-prefix-cache-routing.rendered.yaml)', () => {
    const cfg = SchedulerConfig.precisePrefixCache({ modelName: 'Qwen/Qwen3-32B', tokenizerUrl: 'http://precise-prefix-cache-routing-render:8000' });
    const v8 = YAML.parse(renderedConfig(V8, 'precise-prefix-cache-routing.rendered.yaml', 'precise-prefix-cache-routing-plugins.yaml'));
    expect(cfg.toDocument()).toEqual(v8);
    expect(graph(cfg)).toEqual({
      plugins: ['token-producer', 'endpoint-notification-source', 'precise-prefix-cache-producer', 'prefix-cache-scorer',
        'kv-cache-utilization-scorer', 'queue-scorer', 'no-hit-lru-scorer'],
      profiles: { default: ['kv-cache-utilization-scorer=2', 'queue-scorer=2', 'prefix-cache-scorer=3', 'no-hit-lru-scorer=2'] },
    });
    // what the engine-side wiring reads
    expect(cfg.blockSize).toBe(64);
    expect(cfg.kvEvents!.mode).toBe(KvEventsMode.POD_DISCOVERY);
    expect(cfg.kvEvents!.socketPort).toBe(5556);
    expect(cfg.kvEvents!.topicFilter).toBe('kv@');
    expect(cfg.tokenizerModelName).toBe('Qwen/Qwen3-32B');
    expect(cfg.tokenizerUrl).toBe('http://precise-prefix-cache-routing-render:8000');
    expect(cfg.usesPrecisePrefixCache).toBe(true);
    expect(cfg._eppKvEventsPort).toBeUndefined();
    cfg._validate(ctx());
  });

  test('precisePrefixCache with centralized KV events: EPP binds tcp://*:5557, no notification source (KServe centralized sample)', () => {
    const cfg = SchedulerConfig.precisePrefixCache({ modelName: 'm', blockSize: 16, kvEvents: KvEvents.centralized() });
    const producer = cfg.findPlugin('precise-prefix-cache-producer')!.parameters!;
    expect(producer.kvEventsConfig).toEqual({ zmqEndpoint: 'tcp://*:5557', topicFilter: 'kv@', discoverPods: false });
    expect(producer.tokenProcessorConfig).toEqual({ blockSize: 16 });
    expect(cfg.hasPlugin('endpoint-notification-source')).toBe(false);
    expect(cfg.toDocument().dataLayer).toBeUndefined();
    expect(cfg.kvEvents!.mode).toBe(KvEventsMode.CENTRALIZED);
    expect(cfg._eppKvEventsPort).toBe(5557);
    expect(cfg.blockSize).toBe(16);
    expect(cfg.tokenizerUrl).toBeUndefined();
    cfg._validate(ctx());
  });

  test('sessionAffinity() = default profile + session-affinity-scorer (Alpha: needs --allow-experimental-plugins)', () => {
    const cfg = SchedulerConfig.sessionAffinity();
    expect(graph(cfg)).toEqual({
      plugins: ['single-profile-handler', 'queue-scorer', 'kv-cache-utilization-scorer', 'prefix-cache-scorer', 'no-hit-lru-scorer',
        'session-affinity-scorer', 'max-score-picker'],
      profiles: {
        default: ['queue-scorer=2', 'kv-cache-utilization-scorer=2', 'prefix-cache-scorer=3', 'no-hit-lru-scorer=2', 'session-affinity-scorer=1', 'max-score-picker'],
      },
    });
    expect(cfg.requiresExperimentalPlugins).toBe(true);
    expect(SchedulerConfig.sessionAffinity({ weight: 5 }).findProfile('default')!.weightOf('session-affinity-scorer')).toBe(5);
    cfg._validate(ctx());
  });

  test('custom() composes plugins, profiles, data layer, parsers and gates', () => {
    const approx = SchedulerPlugin.approxPrefixCacheProducer({ name: 'gpu-prefix', autoTune: false, lruCapacityPerServer: 82000 });
    const prefix = SchedulerPlugin.prefixCacheScorer({ name: 'gpu-prefix-scorer', prefixMatchInfoProducerName: 'gpu-prefix' });
    const picker = SchedulerPlugin.weightedRandomPicker({ maxNumOfEndpoints: 2 });
    const cfg = SchedulerConfig.custom({
      plugins: [approx, prefix, picker, SchedulerPlugin.custom('passthrough-parser')],
      profiles: [new SchedulingProfile({ name: 'default', plugins: [prefix.ref(3), picker.ref()] })],
      featureGates: ['flowControl=true'],
      dataLayer: { injectDefaults: false },
      parsers: ['passthrough-parser'],
    });
    expect(cfg.toDocument()).toEqual({
      apiVersion: 'llm-d.ai/v1alpha1',
      kind: 'EndpointPickerConfig',
      featureGates: ['flowControl=true'],
      plugins: [
        { type: 'approx-prefix-cache-producer', name: 'gpu-prefix', parameters: { autoTune: false, lruCapacityPerServer: 82000 } },
        { type: 'prefix-cache-scorer', name: 'gpu-prefix-scorer', parameters: { prefixMatchInfoProducerName: 'gpu-prefix' } },
        { type: 'weighted-random-picker', parameters: { maxNumOfEndpoints: 2 } },
        { type: 'passthrough-parser' },
      ],
      dataLayer: { injectDefaults: false },
      requestHandler: { parsers: [{ pluginRef: 'passthrough-parser' }] },
      schedulingProfiles: [{ name: 'default', plugins: [{ pluginRef: 'gpu-prefix-scorer', weight: 3 }, { pluginRef: 'weighted-random-picker' }] }],
    });
    cfg._validate(ctx());
  });
});

describe('fromYaml reads the reference configs', () => {
  test.each([
    ['optimized-baseline.rendered.yaml', 'default-plugins.yaml'],
    ['optimized-baseline.rendered.yaml', 'payload-agnostic.yaml'],
    ['optimized-baseline.rendered.yaml', 'optimized-baseline-plugins.yaml'],
    ['pd-disaggregation.rendered.yaml', 'pd-config.yaml'],
    ['precise-prefix-cache-routing.rendered.yaml', 'precise-prefix-cache-routing-plugins.yaml'],
    ['tiered-prefix-cache.rendered.yaml', 'tiered-prefix-cache-plugins.yaml'],
    ['wide-ep-lws.rendered.yaml', 'wide-ep-lws-config.yaml'],
  ])('V8 %s key %s is valid for EPP v0.10.0 and round-trips', (file, key) => {
    const text = renderedConfig(V8, file, key);
    const cfg = SchedulerConfig.fromYaml(text);
    cfg._validate(ctx());
    expect(cfg.toDocument()).toEqual(YAML.parse(text));
    expect(SchedulerConfig.fromYaml(cfg.toYaml()).toYaml()).toBe(cfg.toYaml());
  });

  test('queries on parsed configs: payload-agnostic uses the Alpha session-affinity-scorer; V8 pd uses the legacy deciderPluginName', () => {
    const agnostic = SchedulerConfig.fromYaml(renderedConfig(V8, 'optimized-baseline.rendered.yaml', 'payload-agnostic.yaml'));
    expect(agnostic.requiresExperimentalPlugins).toBe(true);
    expect(agnostic.pluginTypes).toEqual(['passthrough-parser', 'active-request-scorer', 'session-affinity-scorer']);
    const pd = SchedulerConfig.fromYaml(renderedConfig(V8, 'pd-disaggregation.rendered.yaml', 'pd-config.yaml'));
    expect(pd.findPlugin('disagg-profile-handler')!.parameters).toEqual({ deciderPluginName: 'always-disagg-pd-decider' });
    const precise = SchedulerConfig.fromYaml(renderedConfig(V8, 'precise-prefix-cache-routing.rendered.yaml', 'precise-prefix-cache-routing-plugins.yaml'));
    expect(precise.blockSize).toBe(64);
    expect(precise.kvEvents!.socketPort).toBe(5556);
    expect(precise.kvEvents!.concurrency).toBe(8);
  });

  test('the deprecated apiVersion is read and rendered as llm-d.ai/v1alpha1; JSON text works too', () => {
    const json = JSON.stringify({ apiVersion: 'inference.networking.x-k8s.io/v1alpha1', kind: 'EndpointPickerConfig', plugins: [{ type: 'queue-scorer' }] });
    const cfg = SchedulerConfig.fromYaml(json);
    expect(cfg.toDocument()).toEqual({ apiVersion: 'llm-d.ai/v1alpha1', kind: 'EndpointPickerConfig', plugins: [{ type: 'queue-scorer' }], schedulingProfiles: [] });
    cfg._validate(ctx());
  });

  test('a V6 (llm-d-inference-scheduler v0.7) pd-config is refused for EPP v0.10.0: prefix-cache-scorer lost its LRU parameters (invariant 24)', () => {
    const cfg = SchedulerConfig.fromYaml(renderedConfig(V6, 'pd-disaggregation.rendered.yaml', 'pd-config.yaml'));
    expectConfigError(() => cfg._validate(ctx()),
      { path: PATH, field: 'scheduler.plugins[1].parameters.maxPrefixBlocksToMatch', value: '256', mentions: 'approx-prefix-cache-producer' });
  });
  test('a V6 wide-ep config is refused for EPP v0.10.0: pd-profile-handler{threshold, hashBlockSize} belongs to llm-d <= v0.6 (invariant 24)', () => {
    const cfg = SchedulerConfig.fromYaml(renderedConfig(V6, 'wide-ep-lws.rendered.yaml', 'custom-plugins.yaml'));
    expect(cfg.isPrefillDecode).toBe(true);
    expectConfigError(() => cfg._validate(ctx()),
      { path: PATH, field: 'scheduler.plugins[4].parameters.threshold', value: '0', mentions: 'disagg-profile-handler' });
  });

  test('pd-profile-handler without deciderPluginName needs a declared prefix-based-pd-decider', () => {
    const cfg = SchedulerConfig.fromYaml('apiVersion: llm-d.ai/v1alpha1\nkind: EndpointPickerConfig\nplugins:\n- type: pd-profile-handler\n');
    expectConfigError(() => cfg._validate(ctx()), { path: PATH, field: 'scheduler.plugins[0].parameters.deciderPluginName', value: '"prefix-based-pd-decider"' });
    SchedulerConfig.fromYaml('apiVersion: llm-d.ai/v1alpha1\nkind: EndpointPickerConfig\nplugins:\n- type: prefix-based-pd-decider\n- type: pd-profile-handler\n')
      ._validate(ctx());
  });
});

describe('valid edge cases', () => {
  test('a profile without a picker is valid (the EPP adds max-score-picker)', () => {
    const q = SchedulerPlugin.queueScorer();
    SchedulerConfig.custom({ plugins: [q], profiles: [new SchedulingProfile({ name: 'default', plugins: [q.ref(1)] })] })._validate(ctx());
  });

  test('two plugins of one type with distinct names are valid (V8 tiered-prefix-cache)', () => {
    const a = SchedulerPlugin.prefixCacheScorer({ name: 'gpu' });
    const b = SchedulerPlugin.prefixCacheScorer({ name: 'cpu' });
    SchedulerConfig.custom({ plugins: [a, b], profiles: [new SchedulingProfile({ name: 'default', plugins: [a.ref(), b.ref(2.5)] })] })._validate(ctx());
  });

  test('a custom unknown type is accepted with allowUnknownType; fromYaml with allowUnknownTypes', () => {
    const mine = SchedulerPlugin.custom('my-scorer', { allowUnknownType: true, parameters: { x: 1 } });
    SchedulerConfig.custom({ plugins: [mine], profiles: [new SchedulingProfile({ name: 'default', plugins: [mine.ref(1)] })] })._validate(ctx());
    const text = 'apiVersion: llm-d.ai/v1alpha1\nkind: EndpointPickerConfig\nplugins:\n- type: my-scorer\n';
    SchedulerConfig.fromYaml(text, { allowUnknownTypes: true })._validate(ctx());
    expect(() => SchedulerConfig.fromYaml(text)._validate(ctx())).toThrow(LlmdConfigError);
  });
});

describe('bad configs are rejected with LlmdConfigError naming the field and value', () => {
  const q = SchedulerPlugin.queueScorer();
  const profile = (name: string, ...plugins: { pluginRef: string; weight?: number }[]) => new SchedulingProfile({ name, plugins });

  test('profile reference to an undeclared plugin', () => {
    const cfg = SchedulerConfig.custom({ plugins: [q], profiles: [profile('default', q.ref(2), { pluginRef: 'missing-scorer', weight: 1 })] });
    expectConfigError(() => cfg._validate(ctx()),
      { path: PATH, field: 'scheduler.schedulingProfiles[0].plugins[1].pluginRef', value: '"missing-scorer"', mentions: 'declared: queue-scorer' });
  });

  test('duplicate plugin names (two unnamed plugins of one type)', () => {
    const cfg = SchedulerConfig.custom({ plugins: [q, SchedulerPlugin.queueScorer()] });
    expectConfigError(() => cfg._validate(ctx()), { path: PATH, field: 'scheduler.plugins[1].type', value: '"queue-scorer"', mentions: 'unique' });
  });

  test('duplicate explicit plugin names', () => {
    const cfg = SchedulerConfig.custom({ plugins: [SchedulerPlugin.queueScorer({ name: 'x' }), SchedulerPlugin.kvCacheUtilizationScorer({ name: 'x' })] });
    expectConfigError(() => cfg._validate(ctx()), { path: PATH, field: 'scheduler.plugins[1].name', value: '"x"' });
  });

  test('two pickers in one profile', () => {
    const max = SchedulerPlugin.maxScorePicker();
    const rnd = SchedulerPlugin.randomPicker();
    const cfg = SchedulerConfig.custom({ plugins: [q, max, rnd], profiles: [profile('default', q.ref(1), max.ref(), rnd.ref())] });
    expectConfigError(() => cfg._validate(ctx()),
      { path: PATH, field: 'scheduler.schedulingProfiles[0].plugins[2].pluginRef', value: '"random-picker"', mentions: 'one picker' });
  });

  test('unknown plugin type for EPP v0.10.0', () => {
    const cfg = SchedulerConfig.custom({ plugins: [SchedulerPlugin.custom('kv-cache-scorer')] });
    expectConfigError(() => cfg._validate(ctx()), { path: PATH, field: 'scheduler.plugins[0].type', value: '"kv-cache-scorer"', mentions: 'allowUnknownType' });
  });

  test.each([[0, '0'], [-1, '-1']])('scorer weight %p', (weight, shown) => {
    const cfg = SchedulerConfig.custom({ plugins: [q], profiles: [profile('default', { pluginRef: 'queue-scorer', weight })] });
    expectConfigError(() => cfg._validate(ctx()), { path: PATH, field: 'scheduler.schedulingProfiles[0].plugins[0].weight', value: shown, mentions: '> 0' });
  });

  test('scorer weight NaN is refused where it is given, and shown as NaN (not null)', () => {
    expectConfigError(() => profile('default', { pluginRef: 'queue-scorer', weight: Number.NaN }),
      { path: 'SchedulingProfile.constructor', field: 'plugins[0].weight', value: 'NaN', mentions: 'finite number' });
  });

  test('several profiles without a profile handler', () => {
    const cfg = SchedulerConfig.custom({ plugins: [q], profiles: [profile('prefill', q.ref(1)), profile('decode', q.ref(1))] });
    expectConfigError(() => cfg._validate(ctx()), { path: PATH, field: 'scheduler.schedulingProfiles', value: '["prefill","decode"]', mentions: 'no profile handler' });
  });

  test('single-profile-handler with several profiles', () => {
    const cfg = SchedulerConfig.custom({
      plugins: [SchedulerPlugin.singleProfileHandler(), q],
      profiles: [profile('a', q.ref(1)), profile('b', q.ref(1))],
    });
    expectConfigError(() => cfg._validate(ctx()), { path: PATH, field: 'scheduler.plugins[0].type', value: '"single-profile-handler"', mentions: 'cannot run 2 profiles' });
  });

  test('two profile handlers', () => {
    const cfg = SchedulerConfig.custom({ plugins: [SchedulerPlugin.singleProfileHandler(), SchedulerPlugin.disaggProfileHandler(), q] });
    expectConfigError(() => cfg._validate(ctx()), { path: PATH, field: 'scheduler.plugins[1].type', value: '"disagg-profile-handler"', mentions: 'only one' });
  });

  test('decider reference (deciders.prefill) to an undeclared plugin', () => {
    const cfg = SchedulerConfig.custom({ plugins: [SchedulerPlugin.disaggProfileHandler({ prefillDecider: 'always-disagg-pd-decidr' })] });
    expectConfigError(() => cfg._validate(ctx()),
      { path: PATH, field: 'scheduler.plugins[0].parameters.deciders.prefill', value: '"always-disagg-pd-decidr"', mentions: 'no declared plugin' });
  });

  test('legacy deciderPluginName to an undeclared plugin (fromYaml)', () => {
    const cfg = SchedulerConfig.fromYaml(`apiVersion: llm-d.ai/v1alpha1
kind: EndpointPickerConfig
plugins:
- type: disagg-profile-handler
  parameters: {deciderPluginName: my-decider}
`);
    expectConfigError(() => cfg._validate(ctx()), { path: PATH, field: 'scheduler.plugins[0].parameters.deciderPluginName', value: '"my-decider"' });
  });

  test('decider reference to a plugin that is not a decider', () => {
    const cfg = SchedulerConfig.custom({ plugins: [q, SchedulerPlugin.disaggProfileHandler({ prefillDecider: 'queue-scorer' })] });
    expectConfigError(() => cfg._validate(ctx()), { path: PATH, field: 'scheduler.plugins[1].parameters.deciders.prefill', value: '"queue-scorer"', mentions: 'not a decider' });
  });

  test.each([[-1, '-1'], [1.5, '1.5']])('prefix-based decider with threshold %p', (threshold, shown) => {
    const cfg = SchedulerConfig.prefillDecode({ decider: PdDecider.prefixBased(threshold) });
    expectConfigError(() => cfg._validate(ctx()), { path: PATH, field: 'scheduler.plugins[8].parameters.nonCachedTokens', value: shown, mentions: 'integer >= 0' });
  });

  test('prefix-cache-scorer with a parameter it lost in v0.9.0 (strict decoding)', () => {
    const cfg = SchedulerConfig.custom({ plugins: [SchedulerPlugin.prefixCacheScorer({ parameters: { blockSize: 64 } })] });
    expectConfigError(() => cfg._validate(ctx()), { path: PATH, field: 'scheduler.plugins[0].parameters.blockSize', value: '64', mentions: 'approx-prefix-cache-producer' });
  });

  test('a parameter set both typed and in parameters', () => {
    const cfg = SchedulerConfig.custom({ plugins: [SchedulerPlugin.maxScorePicker({ maxNumOfEndpoints: 1, parameters: { maxNumOfEndpoints: 3 } })] });
    expectConfigError(() => cfg._validate(ctx()), { path: PATH, field: 'scheduler.plugins[0].parameters.maxNumOfEndpoints', value: '1', mentions: 'one place' });
  });

  test('picker maxNumOfEndpoints 0', () => {
    const cfg = SchedulerConfig.custom({ plugins: [SchedulerPlugin.randomPicker({ maxNumOfEndpoints: 0 })] });
    expectConfigError(() => cfg._validate(ctx()), { path: PATH, field: 'scheduler.plugins[0].parameters.maxNumOfEndpoints', value: '0' });
  });

  test('unknown feature gate', () => {
    const cfg = SchedulerConfig.custom({ plugins: [q], featureGates: ['prepareDataPlugins'] });
    expectConfigError(() => cfg._validate(ctx()), { path: PATH, field: 'scheduler.featureGates[0]', value: '"prepareDataPlugins"', mentions: 'flowControl' });
  });

  test('prefixMatchInfoProducerName naming an undeclared producer', () => {
    const cfg = SchedulerConfig.custom({ plugins: [SchedulerPlugin.noHitLruScorer({ prefixMatchInfoProducerName: 'precise-prefix-cache-producer' })] });
    expectConfigError(() => cfg._validate(ctx()),
      { path: PATH, field: 'scheduler.plugins[0].parameters.prefixMatchInfoProducerName', value: '"precise-prefix-cache-producer"' });
  });

  test('token-producer with a render URL but no modelName', () => {
    const cfg = SchedulerConfig.custom({ plugins: [SchedulerPlugin.tokenProducer({ vllmUrl: 'http://render:8000' })] });
    expectConfigError(() => cfg._validate(ctx()), { path: PATH, field: 'scheduler.plugins[0].parameters.modelName', value: '(unset)' });
  });

  test('precise preset with a block size of 0 and a bad socket port', () => {
    expectConfigError(() => SchedulerConfig.precisePrefixCache({ modelName: 'm', blockSize: 0 })._validate(ctx()),
      { path: PATH, field: 'scheduler.plugins[2].parameters.tokenProcessorConfig.blockSize', value: '0' });
    expectConfigError(() => SchedulerConfig.precisePrefixCache({ modelName: 'm', kvEvents: KvEvents.podDiscovery({ socketPort: 70000 }) })._validate(ctx()),
      { path: PATH, field: 'scheduler.plugins[2].parameters.kvEventsConfig.podDiscoveryConfig.socketPort', value: '70000' });
  });

  test('dataLayer source naming an undeclared plugin', () => {
    const cfg = SchedulerConfig.custom({ plugins: [q], dataLayer: { sources: [{ pluginRef: 'endpoint-notification-source', extractors: ['x'] }] } });
    expectConfigError(() => cfg._validate(ctx()), { path: PATH, field: 'scheduler.dataLayer.sources[0].pluginRef', value: '"endpoint-notification-source"' });
  });

  test('disagg-profile-handler mixing nested deciders with the flat legacy form', () => {
    const cfg = SchedulerConfig.custom({
      plugins: [SchedulerPlugin.alwaysDisaggPdDecider(),
        SchedulerPlugin.disaggProfileHandler({ prefillDecider: 'always-disagg-pd-decider', parameters: { prefillProfile: 'p' } })],
    });
    expectConfigError(() => cfg._validate(ctx()), { path: PATH, field: 'scheduler.plugins[1].parameters.prefillProfile', value: '"p"', mentions: 'nested' });
  });

  test('duplicate profile names', () => {
    const cfg = SchedulerConfig.custom({ plugins: [SchedulerPlugin.disaggProfileHandler(), q], profiles: [profile('decode', q.ref(1)), profile('decode', q.ref(1))] });
    expectConfigError(() => cfg._validate(ctx()), { path: PATH, field: 'scheduler.schedulingProfiles[1].name', value: '"decode"' });
  });

  test('fromYaml: structural errors name the field (construct path SchedulerConfig.fromYaml)', () => {
    const fy = 'SchedulerConfig.fromYaml';
    expectConfigError(() => SchedulerConfig.fromYaml('apiVersion: v1\nkind: EndpointPickerConfig\n'), { path: fy, field: 'apiVersion', value: '"v1"' });
    expectConfigError(() => SchedulerConfig.fromYaml('apiVersion: llm-d.ai/v1alpha1\nkind: EndpointPickerConfig\nprofiles: []\n'),
      { path: fy, field: 'profiles', value: '[]', mentions: 'strictly' });
    expectConfigError(() => SchedulerConfig.fromYaml('apiVersion: llm-d.ai/v1alpha1\nkind: EndpointPickerConfig\nplugins:\n- {type: queue-scorer, weight: 2}\n'),
      { path: fy, field: 'plugins[0].weight', value: '2' });
    expectConfigError(() => SchedulerConfig.fromYaml('plugins: [\n'), { path: fy, field: 'text', value: 'plugins: [', mentions: 'not valid YAML' });
    expectConfigError(() => SchedulerConfig.fromYaml('kind: A\n---\nkind: B\n'), { path: fy, field: 'text', value: 'kind: A', mentions: '2 documents' });
  });
});

describe('rendering is deterministic', () => {
  test('same input, same text; equal inputs built separately, same text', () => {
    const build = () => SchedulerConfig.precisePrefixCache({ modelName: 'Qwen/Qwen3-32B', tokenizerUrl: 'http://r:8000' });
    const a = build();
    expect(a.toYaml()).toBe(a.toYaml());
    expect(build().toYaml()).toBe(a.toYaml());
    expect(SchedulerConfig.prefillDecode({ lora: true }).toYaml()).toBe(SchedulerConfig.prefillDecode({ lora: true }).toYaml());
    expect(a._render(ctx())).toBe(a.toYaml());
    expect(a._render()).toBe(a.toYaml());
  });

  test('the YAML text parses back to the document, and fromYaml(toYaml()) is a fixed point', () => {
    for (const cfg of [SchedulerConfig.default({ lora: true }), SchedulerConfig.prefillDecode({ decider: PdDecider.prefixBased(32) }),
      SchedulerConfig.sessionAffinity(), SchedulerConfig.precisePrefixCache({ modelName: 'm', kvEvents: KvEvents.centralized({ port: 6000 }) })]) {
      expect(YAML.parse(cfg.toYaml())).toEqual(cfg.toDocument());
      expect(SchedulerConfig.fromYaml(cfg.toYaml()).toYaml()).toBe(cfg.toYaml());
    }
  });

  test('the default YAML text (cdk8s Yaml.stringify style)', () => {
    expect(SchedulerConfig.default().toYaml()).toBe([
      'apiVersion: llm-d.ai/v1alpha1',
      'kind: EndpointPickerConfig',
      'plugins:',
      '  - type: single-profile-handler',
      '  - type: queue-scorer',
      '  - type: kv-cache-utilization-scorer',
      '  - type: prefix-cache-scorer',
      '  - type: no-hit-lru-scorer',
      '  - type: max-score-picker',
      'schedulingProfiles:',
      '  - name: default',
      '    plugins:',
      '      - pluginRef: queue-scorer',
      '        weight: 2',
      '      - pluginRef: kv-cache-utilization-scorer',
      '        weight: 2',
      '      - pluginRef: prefix-cache-scorer',
      '        weight: 3',
      '      - pluginRef: no-hit-lru-scorer',
      '        weight: 2',
      '      - pluginRef: max-score-picker',
      '',
    ].join('\n'));
  });
});

describe('plugin objects and the plugin-type table', () => {
  test('typed factories: type, default name, parameters, ref()', () => {
    const p = SchedulerPlugin.activeRequestScorer({ requestTimeout: '2m', idleThreshold: 0, maxBusyScore: 0 });
    expect(p.type).toBe('active-request-scorer');
    expect(p.name).toBe('active-request-scorer');
    expect(p.hasExplicitName).toBe(false);
    expect(p.parameters).toEqual({ requestTimeout: '2m', idleThreshold: 0, maxBusyScore: 0 });
    expect(p.kind).toBe(SchedulerPluginKind.SCORER);
    expect(p.ref(3)).toEqual({ pluginRef: 'active-request-scorer', weight: 3 });
    expect(SchedulerPlugin.queueScorer().parameters).toBeUndefined();
    expect(SchedulerPlugin.tokenProducer({ modelName: 'm', vllmUrl: 'http://r:8000' }).parameters).toEqual({ modelName: 'm', vllm: { url: 'http://r:8000' } });
    expect(SchedulerPlugin.precisePrefixCacheScorer({ blockSize: 16 }).parameters).toEqual({ tokenProcessorConfig: { blockSize: 16 } });
    expect(SchedulerPlugin.loadAwareScorer({ parameters: { threshold: 128 } }).parameters).toEqual({ threshold: 128 });
    expect(PdDecider.always().type).toBe('always-disagg-pd-decider');
    expect(PdDecider.prefixBased(8).nonCachedTokens).toBe(8);
  });

  test('the v0.10.0 registry: kinds, Alpha plugins and deprecations', () => {
    expect(SchedulerPluginTypes.EPP_VERSION).toBe('v0.10.0');
    for (const t of ['queue-scorer', 'prefill-filter', 'decode-filter', 'disagg-profile-handler', 'prefix-based-pd-decider', 'token-producer',
      'precise-prefix-cache-producer', 'load-aware-scorer', 'no-hit-lru-scorer', 'weighted-random-picker']) {
      expect(SchedulerPluginTypes.isKnown(t)).toBe(true);
    }
    expect(SchedulerPluginTypes.isKnown('kv-cache-scorer')).toBe(false);
    expect(SchedulerPluginTypes.kindOf('max-score-picker')).toBe(SchedulerPluginKind.PICKER);
    expect(SchedulerPluginTypes.kindOf('nope')).toBeUndefined();
    expect(SchedulerPluginTypes.isExperimental('session-affinity-scorer')).toBe(true);
    expect(SchedulerPluginTypes.isExperimental('queue-scorer')).toBe(false);
    expect(SchedulerPluginTypes.replacementOf('disagg-headers-handler')).toBe('disagg-profile-handler');
    expect(SchedulerPluginTypes.replacementOf('tokenizer')).toBe('token-producer');
    expect(new Set(SchedulerPluginTypes.all()).size).toBe(SchedulerPluginTypes.all().length);
  });

  test('KvEvents modes', () => {
    const pd = KvEvents.podDiscovery({ socketPort: 5557 });
    expect([pd.mode, pd.socketPort, pd.port, pd.discoverPods, pd.zmqEndpoint, pd.concurrency])
      .toEqual([KvEventsMode.POD_DISCOVERY, 5557, 5557, true, undefined, 8]);
    const c = KvEvents.centralized({ port: 6000, topicFilter: 'kv@x' });
    expect([c.mode, c.socketPort, c.port, c.discoverPods, c.zmqEndpoint, c.topicFilter])
      .toEqual([KvEventsMode.CENTRALIZED, undefined, 6000, false, 'tcp://*:6000', 'kv@x']);
  });
});
