/**
 * `npm run bench`: synthesis cost of 1, 100 and 1000 LlmServices in one process.
 *
 * For each size it prints the construction time, the resolve time (`chart.toJson()`: cdk8s resolves tokens,
 * applies patches and sorts keys), the YAML time (cdk8s `Yaml.stringify` of those objects, what `cdk8s synth`
 * writes), ms per service end to end, and the ratios of resolve and resolve+YAML to the serialization floor
 * (`JSON.stringify` of the same objects). Targets: 1000 services in ≤ 10 s end to end; synth ≤ 3× the floor.
 * Each size is measured REPEAT times after a warm-up and the median is printed.
 */
import { performance } from 'perf_hooks';
import { App, Chart, Yaml } from 'cdk8s';
import { Accelerator, Engine, LlmdValidation, LlmService, ModelSource } from '../src';

const SIZES = [1, 100, 1000];
const REPEAT = Number(process.env.BENCH_REPEAT ?? 5);

function build(n: number, validate = true): App {
  const app = new App();
  if (!validate) LlmdValidation.disable(app);
  const chart = new Chart(app, 'bench', { namespace: 'llm' });
  for (let i = 0; i < n; i++) {
    const gpu = i % 3 !== 2;
    new LlmService(chart, `model-${i}`, {
      model: i % 2 ? ModelSource.huggingFace('Qwen/Qwen3-8B', { token: { name: 'hf-token' } }) : ModelSource.pvc('models', `m${i}`),
      engine: gpu ? Engine.vllm({ maxModelLen: 8192, extraArgs: ['--max-num-seqs', '128'] }) : Engine.simulator(),
      accelerator: gpu ? Accelerator.nvidia() : Accelerator.cpu(),
      parallelism: gpu ? { tensor: 1 << (i % 3) } : {},
      route: { gateway: { name: 'gw' }, pathPrefix: `/llm/model-${i}` },
    });
  }
  return app;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function measure(n: number) {
  const construct: number[] = [];
  const resolve: number[] = [];
  const yaml: number[] = [];
  const floor: number[] = [];
  let objects = 0;
  for (let r = 0; r < REPEAT; r++) {
    let t = performance.now();
    const app = build(n);
    construct.push(performance.now() - t);
    t = performance.now();
    const objs = app.charts.flatMap((c) => c.toJson());
    resolve.push(performance.now() - t);
    t = performance.now();
    const text = Yaml.stringify(...objs);
    yaml.push(performance.now() - t);
    objects = objs.length;
    t = performance.now();
    const json = JSON.stringify(objs);
    floor.push(performance.now() - t);
    if (!text.length || !json.length) throw new Error('empty output');
  }
  return { construct: median(construct), resolve: median(resolve), yaml: median(yaml), floor: median(floor), objects };
}

/** `app.synthYaml()` (what `cdk8s synth` runs: validations, resolve, YAML) with and without synth-time validation. */
function measureValidation(n: number) {
  const on: number[] = [];
  const off: number[] = [];
  for (let r = 0; r < REPEAT; r++) {
    for (const [validate, into] of [[true, on], [false, off]] as const) {
      const app = build(n, validate);
      const t = performance.now();
      app.synthYaml();
      into.push(performance.now() - t);
    }
  }
  return { on: median(on), off: median(off) };
}

// The first validation in a process compiles the schemas of the kinds it meets (ajv); later ones reuse them.
let t0 = performance.now();
build(1).synthYaml();
const coldMs = performance.now() - t0;
t0 = performance.now();
build(1, false).synthYaml();
const coldOffMs = performance.now() - t0;
build(10).synthYaml(); // warm-up (JIT, module loading)
console.log(`cdk8s-llm-d synth benchmark (median of ${REPEAT} runs; node ${process.version})`);
console.log('services objects construct_ms resolve_ms yaml_ms total_ms ms/service floor_ms resolve/floor synth/floor');
for (const n of SIZES) {
  const m = measure(n);
  const total = m.construct + m.resolve + m.yaml;
  console.log([
    String(n).padStart(8), String(m.objects).padStart(7), m.construct.toFixed(1).padStart(12), m.resolve.toFixed(1).padStart(10),
    m.yaml.toFixed(1).padStart(7), total.toFixed(1).padStart(8), (total / n).toFixed(3).padStart(10), m.floor.toFixed(2).padStart(8),
    (m.resolve / m.floor).toFixed(1).padStart(13), ((m.resolve + m.yaml) / m.floor).toFixed(1).padStart(11),
  ].join(' '));
}

console.log('');
console.log(`synth-time validation (schemas + CEL + app-wide checks; opt out: context ${LlmdValidation.CONTEXT_KEY}=false)`);
console.log(`first synth in a process (schema compilation): ${coldMs.toFixed(0)} ms validated, ${coldOffMs.toFixed(0)} ms without (1 service)`);
console.log('services synthYaml_ms no_validation_ms validation_ms validated/unvalidated');
for (const n of SIZES) {
  const v = measureValidation(n);
  console.log([
    String(n).padStart(8), v.on.toFixed(1).padStart(13), v.off.toFixed(1).padStart(16), (v.on - v.off).toFixed(1).padStart(13),
    (v.on / v.off).toFixed(2).padStart(21),
  ].join(' '));
}
