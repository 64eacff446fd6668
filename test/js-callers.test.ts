/**
 * Callers without a compiler (JavaScript, jsii languages): every public entry point checks its input at run time
 * against the shapes generated from the TypeScript declarations (src/imports/prop-shapes.ts), and rejects wrong
 * types, nulls and unknown keys with LlmdConfigError instead of a TypeError or a silent drop.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Duration } from 'cdk8s';
import * as lib from '../src';
import { expectConfigError } from './util/expect-error';
import { synth, testChart } from './util/synth';
import { expectValid } from './util/validated';
import { ARG_SHAPES, EXPORTED_STRUCTS, STRUCT_SHAPES } from '../src/imports/prop-shapes';
import { FieldContext } from '../src/internal/context';
import { checkProps } from '../src/internal/prop-check';
import { suggest } from '../src/internal/suggest';

const js: any = lib;
const PATH = 'test/svc';
const model = () => js.ModelSource.huggingFace('Qwen/Qwen3-0.6B');
const service = (props: any) => new js.LlmService(testChart(), 'svc', props);
const simulated = (extra: any) => service({ model: model(), engine: js.Engine.simulator(), accelerator: js.Accelerator.cpu(), ...extra });

describe('the examples of the issue', () => {
  test('a Hugging Face token given as a string', () => {
    const err = expectConfigError(() => js.ModelSource.huggingFace('org/m', { token: 'hf-token' }),
      { path: 'ModelSource.huggingFace', field: 'options.token', value: '"hf-token"', mentions: 'got a string' });
    expect(err.message).toContain('{ name: "hf-token" }');
    expect(err).not.toBeInstanceOf(TypeError);
  });
  test('replica instead of replicas', () => {
    expectConfigError(() => simulated({ replica: 3 }), { path: PATH, field: 'replica', value: '3', mentions: "did you mean 'replicas'?" });
  });
  test('resources.ephemeralStorage', () => {
    const known = STRUCT_SHAPES.ServingResources.some(([n]) => n === 'ephemeralStorage');
    if (known) {
      // once the field exists, a misspelling of it is what gets the suggestion
      expectConfigError(() => simulated({ resources: { ephemeralStorag: '10Gi' } }),
        { path: PATH, field: 'resources.ephemeralStorag', value: '"10Gi"', mentions: "did you mean 'ephemeralStorage'?" });
    } else {
      expectConfigError(() => simulated({ resources: { ephemeralStorage: '10Gi' } }),
        { path: PATH, field: 'resources.ephemeralStorage', value: '"10Gi"', mentions: 'is not a field of resources (ServingResources)' });
    }
  });
});

describe('a wrong type for each shape kind', () => {
  test.each([
    ['string', { servedModelName: 42 }, 'servedModelName', '42', 'must be a string, got a number'],
    ['number', { replicas: '2' }, 'replicas', '"2"', 'must be a number, got a string'],
    ['boolean', { lora: { runtimeUpdates: 'yes' } }, 'lora.runtimeUpdates', '"yes"', 'must be true or false'],
    ['enum-like class', { engine: 'vllm' }, 'engine', '"vllm"', 'must be an Engine'],
    ['class instance of another class', { accelerator: js.Engine.vllm() }, 'accelerator', '', 'got an Engine'],
    ['nested struct', { parallelism: 4 }, 'parallelism', '4', 'must be a Parallelism object'],
    ['array', { loraAdapters: { name: 'a' } }, 'loraAdapters', '"name"', 'must be an array of LoraAdapter'],
    ['array item', { loraAdapters: [{ name: 'a', source: model() }, { name: 7, source: model() }] }, 'loraAdapters[1].name', '7', 'must be a string'],
    ['map value', { podLabels: { team: 1 } }, 'podLabels.team', '1', 'must be a string'],
    ['map with a dotted key', { podAnnotations: { 'example.com/x': false } }, 'podAnnotations["example.com/x"]', 'false', 'must be a string'],
    ['Duration', { startupTimeout: 600 }, 'startupTimeout', '600', 'must be a cdk8s Duration'],
    ['Size', { sharedMemory: '8Gi' }, 'sharedMemory', '"8Gi"', 'must be a cdk8s Size'],
  ])('%s', (_kind, props, field, value, mentions) => {
    expectConfigError(() => simulated(props), { path: PATH, field, value, mentions });
  });
  test('a TypeScript enum', () => {
    expectConfigError(() => js.LaunchStrategy.dataParallel('per-rank'),
      { path: 'LaunchStrategy.dataParallel', field: 'loadBalancing', value: '"per-rank"', mentions: 'one of DataParallelLoadBalancing.EXTERNAL_PER_RANK, DataParallelLoadBalancing.INTERNAL' });
  });
  test('factory arguments', () => {
    expectConfigError(() => js.ModelSource.pvc({ name: 'models' }), { path: 'ModelSource.pvc', field: 'claim', value: '{"name":"models"}', mentions: 'must be a string' });
    expectConfigError(() => js.Engine.vllm({ maxModelLen: '32k' }), { path: 'Engine.vllm', field: 'options.maxModelLen', value: '"32k"', mentions: 'must be a number' });
    expectConfigError(() => js.Accelerator.nvidia({ count: [1] }), { path: 'Accelerator.nvidia', field: 'options.count', value: '[1]', mentions: 'got an array' });
    expectConfigError(() => js.ModelSource.huggingFace(), { path: 'ModelSource.huggingFace', field: 'repo', value: '(unset)', mentions: 'is required' });
  });
});

describe('unknown keys, with a suggestion', () => {
  test('top level', () => {
    expectConfigError(() => simulated({ servedModelNmae: 'x' }), { path: PATH, field: 'servedModelNmae', value: '"x"', mentions: "did you mean 'servedModelName'?" });
  });
  test('nested struct', () => {
    expectConfigError(() => simulated({ parallelism: { tensr: 2 } }), { path: PATH, field: 'parallelism.tensr', value: '2', mentions: "did you mean 'tensor'?" });
    expectConfigError(() => simulated({ route: { gateway: { name: 'gw', namspace: 'x' } } }),
      { path: PATH, field: 'route.gateway.namspace', value: '"x"', mentions: "did you mean 'namespace'?" });
  });
  test('inside an array item', () => {
    expectConfigError(() => simulated({ loraAdapters: [{ name: 'a', source: model(), revison: 'main' }] }),
      { path: PATH, field: 'loraAdapters[0].revison', value: '"main"', mentions: 'is not a field of loraAdapters[0] (LoraAdapter)' });
  });
  test('in factory options', () => {
    expectConfigError(() => js.Engine.vllm({ maxModelLength: 4096 }), { path: 'Engine.vllm', field: 'options.maxModelLength', value: '4096', mentions: "did you mean 'maxModelLen'?" });
    expectConfigError(() => js.SchedulerConfig.default({ prefixCache: 1 }), { path: 'SchedulerConfig.default', field: 'options.prefixCache', value: '1', mentions: 'Fix: ' });
  });
  test('in other patterns', () => {
    expectConfigError(() => new js.PrefillDecodePair(testChart(), 'pd', {
      model: model(),
      engine: js.Engine.simulator(),
      accelerator: js.Accelerator.cpu(),
      scheduler: js.SchedulerConfig.prefillDecode(),
      prefill: { replica: 2 },
      decode: {},
    }), { path: 'test/pd', field: 'prefill.replica', value: '2', mentions: "did you mean 'replicas'?" });
    expectConfigError(() => new js.InferenceGateway(testChart(), 'gw', { provider: js.GatewayProvider.istio(), nme: 'g' }),
      { path: 'test/gw', field: 'nme', value: '"g"', mentions: "did you mean 'name'?" });
  });
});

describe('null, undefined and the wrong container', () => {
  test('null where an object is expected', () => {
    expectConfigError(() => simulated({ parallelism: null }), { path: PATH, field: 'parallelism', value: 'null', mentions: 'omit parallelism' });
    expectConfigError(() => js.ModelSource.huggingFace('org/m', null), { path: 'ModelSource.huggingFace', field: 'options', value: 'null', mentions: 'is null' });
  });
  test('undefined or a primitive as the props', () => {
    expectConfigError(() => new js.InferenceObjective(testChart(), 'o'), { path: 'test/o', field: 'props', value: '(unset)', mentions: 'is required' });
    expectConfigError(() => new js.InferenceObjective(testChart(), 'o', 'high'), { path: 'test/o', field: '(props)', value: '"high"', mentions: 'got a string' });
    expectConfigError(() => service(null), { path: PATH, field: 'props', value: 'null', mentions: 'is null' });
  });
  test('an array where a map is expected', () => {
    expectConfigError(() => simulated({ podLabels: ['a=b'] }), { path: PATH, field: 'podLabels', value: '["a=b"]', mentions: 'must be an object mapping keys to string' });
  });
  test('a required field missing in a factory struct', () => {
    expectConfigError(() => js.ModelSource.huggingFace('org/m', { token: {} }), { path: 'ModelSource.huggingFace', field: 'options.token.name', value: '(unset)', mentions: 'is required' });
  });
  test('cyclic, null-prototype and odd input never end in a TypeError', () => {
    const cyclic: any = { tensor: 1 };
    cyclic.self = cyclic;
    expectConfigError(() => simulated({ parallelism: cyclic }), { path: PATH, field: 'parallelism.self', value: '[object Object]', mentions: 'is not a field' });
    const bare = Object.create(null);
    bare.self = bare;
    expectConfigError(() => simulated({ parallelism: bare }), { path: PATH, field: 'parallelism.self', value: '[object Object]', mentions: 'is not a field' });
    const list: any[] = [];
    list.push(list);
    expectConfigError(() => simulated({ loraAdapters: list }), { path: PATH, field: 'loraAdapters[0]', value: '', mentions: 'must be a LoraAdapter object' });
    for (const v of [null, undefined, 0, '', 'x', true, Symbol('s'), () => 1, [], new Date(0)]) {
      const ctx = new FieldContext('t');
      try {
        checkProps(ctx, 'LlmServiceProps', v);
      } catch (e) {
        expect(e).toBeInstanceOf(lib.LlmdConfigError);
      }
    }
  });
});

describe('the mechanism covers the whole public API', () => {
  const indexSource = fs.readFileSync(path.join(__dirname, '..', 'src', 'index.ts'), 'utf8');
  test('every props/options interface exported from src/index.ts has a shape', () => {
    const names = [...indexSource.matchAll(/type (\w+(?:Props|Options))\b/g)].map((m) => m[1]);
    const scheduler = fs.readFileSync(path.join(__dirname, '..', 'src', 'scheduler', 'index.ts'), 'utf8');
    names.push(...[...scheduler.matchAll(/type (\w+(?:Props|Options))\b/g)].map((m) => m[1]));
    expect(names.length).toBeGreaterThan(30);
    for (const n of names) {
      expect(EXPORTED_STRUCTS).toContain(n);
      expect(STRUCT_SHAPES[n].length).toBeGreaterThan(0);
    }
  });
  test('inherited members are in the table', () => {
    const fields = STRUCT_SHAPES.LlmServiceProps.map(([n]) => n);
    for (const [n] of STRUCT_SHAPES.ModelServingProps) expect(fields).toContain(n);
    expect(fields).toContain('replicas');
  });
  test('every public constructor of a construct and every factory with arguments calls checkArgs', () => {
    const sources = new Map<string, string>();
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory() && e.name !== 'imports') walk(p);
        else if (e.name.endsWith('.ts')) sources.set(p, fs.readFileSync(p, 'utf8'));
      }
    };
    walk(path.join(__dirname, '..', 'src'));
    const all = [...sources.values()].join('\n');
    // queries and naming helpers that take no props (not entry points of a configuration)
    const helpers = /^(ConfigErrors|LabelKeys|LlmServingEndpoints|LlmdConfigError|SchedulerPluginTypes|ResourceNames|Ports|WiringLabels)\.|^LlmInferenceService\.detectMode$/;
    const missing = Object.keys(ARG_SHAPES).filter((k) => !helpers.test(k) && !all.includes(`checkArgs('${k}', arguments`));
    expect(missing).toEqual([]);
  });
  test('one suggestion helper', () => {
    expect(suggest('replica', ['replicas', 'name'])).toBe('replicas');
    expect(suggest('zzzzzz', ['replicas'])).toBeUndefined();
    const flagParser = fs.readFileSync(path.join(__dirname, '..', 'src', 'engine', 'flag-parser.ts'), 'utf8');
    expect(flagParser).not.toMatch(/function levenshtein/);
  });
});

describe('valid input from JavaScript still passes', () => {
  test('the README example, written untyped', () => {
    const chart = testChart();
    new js.LlmService(chart, 'llama-70b', {
      model: js.ModelSource.pvc('models', 'llama-3.3-70b-instruct-fp8'),
      servedModelName: 'meta-llama/Llama-3.3-70B-Instruct',
      engine: js.Engine.vllm({ maxModelLen: 16384, quantization: 'fp8' }),
      accelerator: js.Accelerator.nvidia({ count: 4 }),
      parallelism: { tensor: 4 },
      replicas: 2,
      startupTimeout: Duration.minutes(30),
      route: { gateway: { name: 'inference-gateway', namespace: 'gateways' } },
      podLabels: { team: 'ml' },
      resources: { cpu: '8' },
      loraAdapters: [{ name: 'sql', source: js.ModelSource.huggingFace('org/sql-lora', { token: { name: 'hf-token' } }) }],
    });
    expect(expectValid(synth(chart)).map((o) => o.kind)).toContain('Deployment');
  });
  test('optional arguments may be omitted or undefined', () => {
    expect(js.ModelSource.huggingFace('org/m', undefined)).toBeInstanceOf(lib.ModelSource);
    expect(js.Engine.vllm()).toBeInstanceOf(lib.Engine);
    expect(js.SchedulerConfig.prefillDecode()).toBeInstanceOf(lib.SchedulerConfig);
  });
});
