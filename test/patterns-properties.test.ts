/**
 * Property tests (fast-check) across all three patterns — LlmService, PrefillDecodePair, MultiNodeGroup — ×
 * scheduler presets × RDMA / LoRA / routes / accelerators: every valid combination synthesizes schema-valid (with
 * CEL) and wiring-valid manifests, and each injected fault raises LlmdConfigError naming the construct.
 * Category coverage is asserted (fc.statistics prints the table with FC_STATISTICS=1).
 */
import * as fc from 'fast-check';
import {
  Accelerator, DataParallelLoadBalancing, Engine, ImageRegistry, KvEvents, LaunchStrategy, LlmService, ModelSource, MultiNodeGroup, NetworkPeer,
  NetworkPolicies, Ports, PrefillDecodePair, SchedulerConfig, SpreadMode,
} from '../src';
import { LlmdConfigError } from '../src/errors';
import { statisticsLogger } from './util/fc-stats';
import { assertProperty, propertyParams, propertyRuns } from './util/property-runs';
import { synth, testChart } from './util/synth';
import { expectValid } from './util/validated';

const RUNS = propertyRuns(200);
const FAULT_RUNS = propertyRuns(300);
const PATTERNS = ['llm', 'pd', 'mn'] as const;
const SCHEDULERS = ['none', 'default', 'sessionAffinity', 'precisePrefixCache', 'prefillDecode'] as const;
const ACCELERATORS = ['nvidia', 'amd', 'intel-gaudi'] as const;

interface Case {
  readonly pattern: typeof PATTERNS[number];
  readonly scheduler: typeof SCHEDULERS[number];
  readonly accelerator: typeof ACCELERATORS[number];
  readonly rdma: boolean;
  readonly lora: boolean;
  readonly route: boolean;
  readonly ray: boolean;
  /** Network policies with restricted clients and egress, placement options, an image mirror. */
  readonly secure: boolean;
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  pattern: fc.constantFrom(...PATTERNS),
  scheduler: fc.constantFrom(...SCHEDULERS),
  accelerator: fc.constantFrom(...ACCELERATORS),
  rdma: fc.boolean(),
  lora: fc.boolean(),
  route: fc.boolean(),
  ray: fc.boolean(),
  secure: fc.boolean(),
}).map((c) => {
  // P/D needs the P/D profiles; the other patterns take the non-P/D presets. RDMA is a multi-GPU-network option.
  // (Gaudi has no GPUDirect RDMA.)
  if (c.pattern === 'pd') return { ...c, scheduler: 'prefillDecode' as const };
  if (c.scheduler === 'prefillDecode') return { ...c, scheduler: 'default' as const };
  return c;
}).map((c) => ({ ...c, rdma: c.rdma && c.pattern !== 'llm' && c.accelerator !== 'intel-gaudi' }));

const MODEL = ModelSource.huggingFace('Qwen/Qwen3-8B');

function accelerator(kind: Case['accelerator']): Accelerator {
  switch (kind) {
    case 'nvidia': return Accelerator.nvidia();
    case 'amd': return Accelerator.amd();
    case 'intel-gaudi': return Accelerator.intelGaudi();
  }
}

function scheduler(c: Case): SchedulerConfig | undefined {
  switch (c.scheduler) {
    case 'none': return undefined;
    case 'default': return SchedulerConfig.default({ lora: c.lora });
    case 'sessionAffinity': return SchedulerConfig.sessionAffinity({ lora: c.lora });
    case 'precisePrefixCache': return SchedulerConfig.precisePrefixCache({ modelName: 'svc' });
    case 'prefillDecode': return SchedulerConfig.prefillDecode({ lora: c.lora });
  }
}

/** Props shared by every pattern. */
function common(c: Case): any {
  return {
    model: MODEL,
    servedModelName: 'svc',
    engine: Engine.vllm({ image: c.accelerator === 'nvidia' ? undefined : 'registry.example.com/vllm:v0.23.0', maxModelLen: 4096 }),
    accelerator: accelerator(c.accelerator),
    scheduler: scheduler(c),
    loraAdapters: c.lora ? [{ name: 'adapter-a', source: ModelSource.huggingFace('org/adapter-a') }, { name: 'adapter-b', source: ModelSource.pvc('adapters', 'b') }] : undefined,
    route: c.route ? { gateway: { name: 'inference-gateway', namespace: 'gateways' } } : undefined,
    rdma: c.rdma ? { networks: 'rdma-net' } : undefined,
    ...(c.secure ? {
      networkPolicy: NetworkPolicies.derived({ clients: [NetworkPeer.namespace('gateways')], monitoring: [NetworkPeer.namespace('monitoring')], egress: true }),
      placement: { zoneSpread: SpreadMode.REQUIRED, priorityClassName: 'llm', kueueQueueName: 'gpu' },
      imageRegistry: ImageRegistry.mirror(MIRROR, { pullSecrets: ['pull'] }),
    } : {}),
  };
}

const MIRROR = 'mirror.example.com:5000';

/** Build the case's pattern with `edit` applied to its props; returns the chart. */
function build(c: Case, edit: (p: any) => any = (p) => p) {
  const chart = testChart();
  const props = common(c);
  switch (c.pattern) {
    case 'llm':
      delete props.rdma;
      new LlmService(chart, 'svc', edit({ ...props, parallelism: { tensor: 2 } }));
      break;
    case 'pd':
      new PrefillDecodePair(chart, 'svc', edit({ ...props, prefill: { replicas: 2, parallelism: { tensor: 2 } }, decode: { parallelism: { tensor: 2 } } }));
      break;
    case 'mn':
      new MultiNodeGroup(chart, 'svc', edit(c.ray
        ? { ...props, parallelism: { tensor: 8, pipeline: 2 }, launch: LaunchStrategy.ray() }
        : { ...props, parallelism: { data: 16, dataLocal: 8 }, launch: LaunchStrategy.dataParallel() }));
      break;
  }
  return chart;
}

test('coverage of the generated categories (fc.statistics)', () => {
  const seen = new Set<string>();
  fc.statistics(caseArb, (c) => {
    seen.add(`${c.pattern}/${c.scheduler}`);
    seen.add(`rdma=${c.rdma}`); seen.add(`lora=${c.lora}`); seen.add(`route=${c.route}`); seen.add(`accelerator=${c.accelerator}`); seen.add(`secure=${c.secure}`);
    return `${c.pattern} × ${c.scheduler}`;
  }, { ...propertyParams(500, 42), logger: statisticsLogger });
  for (const p of ['llm', 'mn']) for (const s of ['none', 'default', 'sessionAffinity', 'precisePrefixCache']) expect(seen).toContain(`${p}/${s}`);
  expect(seen).toContain('pd/prefillDecode');
  for (const k of ['rdma', 'lora', 'route', 'secure']) for (const v of [true, false]) expect(seen).toContain(`${k}=${v}`);
  for (const a of ACCELERATORS) expect(seen).toContain(`accelerator=${a}`);
});

test(`valid props of every pattern → schema-, CEL- and wiring-valid output (${RUNS} runs)`, () => {
  const hit = new Set<string>();
  assertProperty(fc.property(caseArb, (c) => {
    hit.add(c.pattern);
    hit.add(c.scheduler);
    const objs = expectValid(synth(build(c)));
    const pool = objs.find((o) => o.kind === 'InferencePool');
    expect(pool !== undefined).toBe(c.scheduler !== 'none');
    expect(objs.some((o) => o.kind === 'NetworkPolicy')).toBe(true);
    const images: string[] = JSON.stringify(objs).match(/"image":"[^"]+"/g) ?? [];
    expect(images.length).toBeGreaterThan(0);
    if (c.secure) expect(images.filter((i) => !i.startsWith(`"image":"${MIRROR}/`))).toEqual([]);
  }), RUNS, 7);
  expect([...hit].sort()).toEqual([...PATTERNS, ...SCHEDULERS].sort());
});

type Fault = { readonly applies: (c: Case) => boolean; readonly edit: (p: any, c: Case) => any };
const any = () => true;
const pd = (c: Case) => c.pattern === 'pd';
/** One fault each; every one must be rejected with LlmdConfigError. */
const FAULTS: Record<string, Fault> = {
  'network policy admitting no client': { applies: any, edit: (p) => ({ ...p, networkPolicy: NetworkPolicies.derived({ clients: [] }) }) },
  'image mirror that is a URL': { applies: any, edit: (p) => ({ ...p, imageRegistry: ImageRegistry.mirror('https://mirror.example.com') }) },
  'exclusive topology without groups': { applies: (c) => c.pattern !== 'mn', edit: (p) => ({ ...p, placement: { exclusiveTopology: 'cloud.google.com/gke-nodepool' } }) },
  'zero replicas': { applies: (c) => c.pattern !== 'pd', edit: (p) => ({ ...p, replicas: 0 }) },
  'invalid name': { applies: any, edit: (p) => ({ ...p, name: 'Not_Valid' }) },
  'duplicate LoRA': { applies: any, edit: (p) => ({ ...p, loraAdapters: [{ name: 'x', source: ModelSource.huggingFace('o/x') }, { name: 'x', source: ModelSource.huggingFace('o/y') }] }) },
  'route and gateway-less route': { applies: any, edit: (p) => ({ ...p, route: {} }) },
  'wiring label on pods': { applies: any, edit: (p) => ({ ...p, podLabels: { 'llm-d.ai/role': 'decode' } }) },
  'RDMA count 0': { applies: (c) => c.pattern !== 'llm', edit: (p) => ({ ...p, rdma: { resourceName: 'not-rdma', count: 0 } }) },
  'P/D without headers handler': { applies: pd, edit: (p) => ({ ...p, scheduler: SchedulerConfig.prefillDecode({ headersHandler: false }) }) },
  'P/D decode vllmPort = NIXL port': { applies: pd, edit: (p) => ({ ...p, decode: { ...p.decode, vllmPort: Ports.NIXL_SIDE_CHANNEL } }) },
  'P/D dataRpcPort = NIXL port': {
    applies: pd, edit: (p) => ({ ...p, prefill: { ...p.prefill, parallelism: { data: 16, dataLocal: 8, dataRpcPort: Ports.NIXL_SIDE_CHANNEL } } }),
  },
  'P/D vllmPort out of range': { applies: pd, edit: (p) => ({ ...p, decode: { ...p.decode, vllmPort: 70000 } }) },
  'P/D invalid LoRA name': { applies: pd, edit: (p) => ({ ...p, loraAdapters: [{ name: 'ok', source: ModelSource.huggingFace('o/a') }, { name: 'Bad Name', source: ModelSource.huggingFace('o/b') }] }) },
  'legacy v1alpha2 pool with several rank ports': {
    applies: pd,
    edit: (p) => {
      const perRank = { parallelism: { data: 2, dataLocal: 2 }, loadBalancing: DataParallelLoadBalancing.EXTERNAL_PER_RANK };
      return { ...p, prefill: { ...p.prefill, ...perRank }, decode: { ...p.decode, ...perRank }, endpointPicker: { legacyV1alpha2Pool: true } };
    },
  },
  'KV-events socket port = data-parallel RPC port': {
    applies: (c) => c.pattern === 'mn' && !c.ray,
    edit: (p) => ({ ...p, scheduler: SchedulerConfig.precisePrefixCache({ modelName: 'svc', kvEvents: KvEvents.podDiscovery({ socketPort: Ports.DATA_PARALLEL_RPC }) }) }),
  },
  'centralized KV events on a standalone Envoy port': {
    applies: (c) => c.pattern === 'llm',
    edit: (p) => ({
      ...p,
      route: undefined,
      scheduler: SchedulerConfig.precisePrefixCache({ modelName: 'svc', kvEvents: KvEvents.centralized({ port: Ports.STANDALONE_PROXY }) }),
      endpointPicker: { standaloneProxy: true },
    }),
  },
};

/** The case moved to another pattern (native launch), with a scheduler and RDMA that pattern takes. */
function fitTo(c: Case, pattern: Case['pattern']): Case {
  return { ...c, pattern, scheduler: pattern === 'pd' ? 'prefillDecode' : 'default', rdma: false, ray: false };
}

test(`props with one injected fault → LlmdConfigError naming the construct (${FAULT_RUNS} runs)`, () => {
  const names = Object.keys(FAULTS);
  const hit = new Set<string>();
  assertProperty(fc.property(caseArb, fc.constantFrom(...names), (c0, fault) => {
    const f = FAULTS[fault];
    const c = f.applies(c0) ? c0 : PATTERNS.map((pattern) => fitTo(c0, pattern)).find(f.applies)!;
    hit.add(fault);
    let error: unknown;
    try {
      build(c, (p) => f.edit(p, c));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LlmdConfigError);
    expect((error as LlmdConfigError).message).toContain('[test/svc]');
  }), FAULT_RUNS, 11);
  expect([...hit].sort()).toEqual(names.sort());
});

/** Values a JavaScript or jsii caller can pass where the types say otherwise. */
const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  fc.constantFrom(NaN, Infinity, -Infinity, -1, 0, 0.5, 1e9, '', ' ', 'Bad Name', 'a/b/c', 'hf_abcdefghijklmnopqrstuvwx', null, [], {}, [null], { x: 1 }, true),
);
/** Top-level props of every pattern, each replaced by junk in turn. */
const JUNK_KEYS = ['name', 'namespace', 'servedModelName', 'engine', 'accelerator', 'loraAdapters', 'lora', 'startupTimeout', 'terminationGracePeriod',
  'modelCacheClaim', 'endpointPicker', 'route', 'rolloutStrategy', 'serviceAccountName', 'podLabels', 'podAnnotations', 'workloadLabels',
  'workloadAnnotations', 'placement', 'networkPolicy', 'imageRegistry', 'scheduler', 'monitoring', 'tracing', 'parallelism', 'replicas'] as const;
/** Factories and nested props given junk. */
const JUNK_PLACES: Record<string, (p: any, v: any) => any> = {
  'Engine.vllm options': (p, v) => ({ ...p, engine: Engine.vllm(v) }),
  'Engine.vllm extraArgs': (p, v) => ({ ...p, engine: Engine.vllm({ extraArgs: [v] }) }),
  'Engine.vllm env value': (p, v) => ({ ...p, engine: Engine.vllm({ env: { VLLM_X: v } }) }),
  'Accelerator.nvidia options': (p, v) => ({ ...p, accelerator: Accelerator.nvidia(v) }),
  'parallelism.tensor': (p, v) => ({ ...p, parallelism: { ...p.parallelism, tensor: v } }),
  'route.gateway': (p, v) => ({ ...p, route: { gateway: v } }),
  'route.requestTimeout': (p, v) => ({ ...p, route: { gateway: { name: 'gw' }, requestTimeout: v } }),
  'placement.zoneSpread': (p, v) => ({ ...p, placement: { zoneSpread: v } }),
  'podLabels value': (p, v) => ({ ...p, podLabels: { team: v } }),
  'ModelSource.huggingFace repo': (p, v) => ({ ...p, model: ModelSource.huggingFace(v) }),
  'ImageRegistry.mirror host': (p, v) => ({ ...p, imageRegistry: ImageRegistry.mirror(v) }),
  'NetworkPeer.namespace': (p, v) => ({ ...p, networkPolicy: NetworkPolicies.derived({ clients: [NetworkPeer.namespace(v)] }) }),
  'SchedulerConfig.default options': (p, v) => ({ ...p, scheduler: SchedulerConfig.default(v) }),
};

test(`random junk in any prop or factory → LlmdConfigError or valid output, never another error (${FAULT_RUNS} runs)`, () => {
  const places = [...JUNK_KEYS.map((k) => `prop ${k}`), ...Object.keys(JUNK_PLACES)];
  const outcome = { refused: 0, accepted: 0 };
  assertProperty(fc.property(caseArb, fc.constantFrom(...places), junk, (c, place, v) => {
    let error: unknown;
    try {
      const chart = build(c, (p) => (place.startsWith('prop ') ? { ...p, [place.slice(5)]: v } : JUNK_PLACES[place](p, v)));
      expectValid(synth(chart));
    } catch (e) {
      error = e;
    }
    if (error === undefined) {
      outcome.accepted++;
      return;
    }
    outcome.refused++;
    if (!(error instanceof LlmdConfigError)) throw new Error(`${place} = ${String(v)} raised ${(error as Error)?.stack ?? String(error)}`);
    expect(error.message).toMatch(/^\[[^\]]+\] .+ = .*: .*\. Fix: \S/s);
  }), FAULT_RUNS, 13);
  expect(outcome.refused).toBeGreaterThan(outcome.accepted);
});

describe('the defects these properties found, with their messages', () => {
  const pdCase: Case = { pattern: 'pd', scheduler: 'prefillDecode', accelerator: 'nvidia', rdma: false, lora: false, route: false, ray: false, secure: false };
  const errorOf = (c: Case, edit: (p: any) => any): LlmdConfigError => {
    try {
      build(c, edit);
    } catch (e) {
      return e as LlmdConfigError;
    }
    throw new Error('accepted');
  };
  test('vllmPort 70000 is refused for its range', () => {
    const e = errorOf(pdCase, FAULTS['P/D vllmPort out of range'].edit as any);
    expect(e.field).toBe('decode.vllmPort');
    expect(e.message).toContain('1..65535');
  });
  test('P/D LoRA errors name the field path', () => {
    expect(errorOf(pdCase, FAULTS['P/D invalid LoRA name'].edit as any).field).toMatch(/loraAdapters\[1\]\.name$/);
  });
  test('NIXL collisions name the port field', () => {
    expect(errorOf(pdCase, FAULTS['P/D decode vllmPort = NIXL port'].edit as any).field).toBe('decode.vllmPort');
    expect(errorOf(pdCase, FAULTS['P/D dataRpcPort = NIXL port'].edit as any).field).toBe('prefill.parallelism.dataRpcPort');
  });
  test('a KV-events port on a port the pod already declares is refused', () => {
    const mn: Case = { ...pdCase, pattern: 'mn', scheduler: 'default' };
    const e = errorOf(mn, FAULTS['KV-events socket port = data-parallel RPC port'].edit as any);
    expect(e.field).toBe('scheduler.kvEvents.socketPort');
    expect(e.message).toContain('data-parallel RPC port');
  });
  test('the v1alpha2 mirror with several target ports is refused, not truncated', () => {
    expect(errorOf(pdCase, FAULTS['legacy v1alpha2 pool with several rank ports'].edit as any).field).toBe('endpointPicker.legacyV1alpha2Pool');
  });
});
