/**
 * Property tests (fast-check): across every accelerator, engine, model-source scheme and parallelism form,
 * valid props synthesize schema-valid (with CEL) and wiring-valid manifests whose GPU counts equal the
 * parallelism, and props with one injected fault raise the library's error. Coverage of the categories is
 * asserted (fc.statistics prints the table with FC_STATISTICS=1).
 */
import * as fc from 'fast-check';
import { Accelerator, Engine, LlmService, LlmServiceProps, ModelSource, Parallelism } from '../src';
import { LlmdConfigError } from '../src/errors';
import { SchemaValidator, formatIssues } from './harness/schema-validator';
import { checkWiring, formatViolations } from './harness/wiring-checker';
import { statisticsLogger } from './util/fc-stats';
import { assertProperty, propertyParams, propertyRuns } from './util/property-runs';
import { find, mainContainer, synth, testChart } from './util/synth';

const RUNS = propertyRuns(500);
const ACCELERATORS = ['nvidia', 'amd', 'intel-gaudi', 'tpu', 'cpu', 'custom'] as const;
const ENGINES = ['vllm', 'simulator'] as const;
const SCHEMES = ['hf', 's3', 'gs', 'pvc', 'oci'] as const;
const FORMS = ['single', 'tensor', 'tensor+pipeline', 'data', 'data+expert'] as const;

interface Case {
  readonly accelerator: typeof ACCELERATORS[number];
  readonly engine: typeof ENGINES[number];
  readonly scheme: typeof SCHEMES[number];
  readonly form: typeof FORMS[number];
  readonly tensor: number;
  readonly pipeline: number;
  readonly data: number;
  readonly replicas: number;
  readonly name: string;
  readonly withLora: boolean;
  readonly withRoute: boolean;
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  accelerator: fc.constantFrom(...ACCELERATORS),
  engine: fc.constantFrom(...ENGINES),
  scheme: fc.constantFrom(...SCHEMES),
  form: fc.constantFrom(...FORMS),
  tensor: fc.constantFrom(1, 2, 4),
  pipeline: fc.constantFrom(1, 2),
  data: fc.constantFrom(1, 2),
  replicas: fc.integer({ min: 1, max: 8 }),
  name: fc.stringMatching(/^[a-z][a-z0-9-]{0,40}[a-z0-9]$/),
  withLora: fc.boolean(),
  withRoute: fc.boolean(),
}).map((c) => {
  // Keep the combination valid: CPU cannot split a model; the simulator has no PP/DP/EP.
  if (c.accelerator === 'cpu' || c.engine === 'simulator') {
    const form = c.accelerator === 'cpu' ? 'single' : (c.form === 'tensor' ? 'tensor' : 'single');
    return { ...c, form };
  }
  return c;
});

function model(scheme: Case['scheme']): ModelSource {
  switch (scheme) {
    case 'hf': return ModelSource.huggingFace('Qwen/Qwen3-8B', { token: { name: 'hf-token' } });
    case 's3': return ModelSource.s3('models/qwen3-8b', { credentials: 's3-creds' });
    case 'gs': return ModelSource.gcs('models-bucket/qwen3-8b');
    case 'pvc': return ModelSource.pvc('models', 'qwen3-8b');
    case 'oci': return ModelSource.oci('quay.io/org/qwen3-8b-modelcar:1.0');
  }
}

function accelerator(kind: Case['accelerator']): Accelerator {
  switch (kind) {
    case 'nvidia': return Accelerator.nvidia();
    case 'amd': return Accelerator.amd();
    case 'intel-gaudi': return Accelerator.intelGaudi();
    case 'tpu': return Accelerator.tpu({ type: 'tpu-v6e-slice', topology: '2x2', perNode: 8 });
    case 'cpu': return Accelerator.cpu();
    case 'custom': return Accelerator.custom('gpu.example.com/xpu');
  }
}

function parallelism(c: Case): Parallelism {
  switch (c.form) {
    case 'single': return {};
    case 'tensor': return { tensor: c.tensor };
    case 'tensor+pipeline': return { tensor: c.tensor, pipeline: c.pipeline };
    case 'data': return { data: c.data, tensor: c.tensor };
    case 'data+expert': return { data: 2, tensor: c.tensor, expert: true };
  }
}

function expectedGpus(c: Case): number {
  if (c.engine === 'simulator' || c.accelerator === 'cpu') return 0;
  const p = parallelism(c);
  return (p.tensor ?? 1) * (p.pipeline ?? 1) * (p.data ?? 1);
}

function props(c: Case): LlmServiceProps {
  return {
    name: c.name,
    model: model(c.scheme),
    engine: c.engine === 'simulator'
      ? Engine.simulator()
      : Engine.vllm({ image: c.accelerator === 'nvidia' ? undefined : 'registry.example.com/vllm:v0.23.0', maxModelLen: 4096 }),
    accelerator: accelerator(c.accelerator),
    parallelism: parallelism(c),
    replicas: c.replicas,
    loraAdapters: c.withLora ? [{ name: 'adapter-a', source: ModelSource.huggingFace('org/adapter-a') }, { name: 'adapter-b', source: ModelSource.pvc('adapters', 'b') }] : undefined,
    route: c.withRoute ? { gateway: { name: 'inference-gateway', namespace: 'gateways' } } : undefined,
  };
}

const classify = (c: Case) => `${c.accelerator}/${c.engine}/${c.scheme}/${c.form}`;

test('coverage of the generated categories (fc.statistics)', () => {
  const seen = { accelerator: new Set<string>(), engine: new Set<string>(), scheme: new Set<string>(), form: new Set<string>() };
  fc.statistics(caseArb, (c) => {
    seen.accelerator.add(c.accelerator);
    seen.engine.add(c.engine);
    seen.scheme.add(c.scheme);
    seen.form.add(c.form);
    return `accelerator=${c.accelerator}`;
  }, { ...propertyParams(RUNS, 42), logger: statisticsLogger });
  fc.statistics(caseArb, (c) => `form=${c.form} engine=${c.engine}`, { ...propertyParams(RUNS, 43), logger: statisticsLogger });
  fc.statistics(caseArb, (c) => `scheme=${c.scheme}`, { ...propertyParams(RUNS, 44), logger: statisticsLogger });
  expect([...seen.accelerator].sort()).toEqual([...ACCELERATORS].sort());
  expect([...seen.engine].sort()).toEqual([...ENGINES].sort());
  expect([...seen.scheme].sort()).toEqual([...SCHEMES].sort());
  expect([...seen.form].sort()).toEqual([...FORMS].sort());
});

test(`valid props → schema-valid, wiring-valid output with derived GPU counts (${RUNS} runs)`, () => {
  const validator = SchemaValidator.get();
  const hit = new Set<string>();
  assertProperty(fc.property(caseArb, (c) => {
    hit.add(classify(c));
    const chart = testChart();
    new LlmService(chart, 'svc', props(c));
    const objs = synth(chart);
    const issues = validator.validateAll(objs);
    if (issues.length) throw new Error(formatIssues(issues));
    const violations = checkWiring(objs);
    if (violations.length) throw new Error(formatViolations(violations));
    const main = mainContainer(find(objs, 'Deployment'));
    const gpus = expectedGpus(c);
    const limits = main.resources?.limits ?? {};
    const device = Object.keys(limits).find((k) => k.includes('/') && !k.startsWith('rdma'));
    expect(device ? Number(limits[device]) : 0).toBe(gpus);
    expect(find(objs, 'Deployment').spec.replicas).toBe(c.replicas);
  }), RUNS, 7);
  expect(validator.unsupportedRules).toEqual([]);
  expect(hit.size).toBeGreaterThan(40);
});

/** One fault each; every one must be rejected with LlmdConfigError. */
const FAULTS: Record<string, (p: LlmServiceProps, c: Case) => LlmServiceProps> = {
  'zero replicas': (p) => ({ ...p, replicas: 0 }),
  'zero tensor': (p) => ({ ...p, parallelism: { ...p.parallelism, tensor: 0 } }),
  'dataLocal does not divide data': (p) => ({ ...p, parallelism: { data: 3, dataLocal: 2 } }),
  'expert without DP×TP': (p) => ({ ...p, parallelism: { expert: true } }),
  'unknown flag': (p, c) => ({ ...p, engine: c.engine === 'simulator' ? Engine.simulator({ extraArgs: ['--no-such-flag'] }) : Engine.vllm({ image: 'x/vllm:1', extraArgs: ['--no-such-flag'] }) }),
  'library-owned flag': (p, c) => ({ ...p, engine: c.engine === 'simulator' ? Engine.simulator({ extraArgs: ['--port', '9'] }) : Engine.vllm({ image: 'x/vllm:1', extraArgs: ['--port', '9'] }) }),
  'invalid name': (p) => ({ ...p, name: 'Not_Valid' }),
  'too many GPUs for a node': (p) => ({ ...p, accelerator: Accelerator.nvidia(), engine: Engine.vllm(), parallelism: { tensor: 16 } }),
  'GPU count mismatch': (p) => ({ ...p, accelerator: Accelerator.nvidia({ count: 3 }), engine: Engine.vllm(), parallelism: { tensor: 2 } }),
  'duplicate LoRA': (p) => ({ ...p, loraAdapters: [{ name: 'x', source: ModelSource.huggingFace('o/x') }, { name: 'x', source: ModelSource.huggingFace('o/y') }] }),
  'literal token': (p, c) => ({ ...p, engine: c.engine === 'simulator' ? Engine.simulator({ env: { HF_TOKEN: 'hf_secret' } }) : Engine.vllm({ image: 'x/vllm:1', env: { HF_TOKEN: 'hf_secret' } }) }),
  'route without gateway': (p) => ({ ...p, route: {} as any }),
};

test(`props with one injected fault → LlmdConfigError (${RUNS} runs)`, () => {
  const faultNames = Object.keys(FAULTS);
  const hit = new Set<string>();
  assertProperty(fc.property(caseArb, fc.constantFrom(...faultNames), (c, fault) => {
    hit.add(fault);
    const bad = FAULTS[fault](props(c), c);
    let error: unknown;
    try {
      new LlmService(testChart(), 'svc', bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LlmdConfigError);
    expect((error as LlmdConfigError).message).toContain('[test/svc]');
  }), RUNS, 11);
  expect([...hit].sort()).toEqual(faultNames.sort());
});
