/**
 * `npm run bench`: synthesis cost as users run it, as ratios to a Node + cdk8s floor (the compiled library in lib/;
 * the task compiles first).
 *
 * 1. Whole process, one P/D stack (PrefillDecodePair + scheduler + gateway, the pd-disaggregation example) in a
 *    user-like cdk8s project made in a temporary directory: the compiled JS app, and the TypeScript app run the ways
 *    a cdk8s user runs it (`npx ts-node main.ts`, type-checked, as `cdk8s init` sets up; `npx ts-node --swc`;
 *    `npx tsx`; and without npx, `node -r ts-node/register main.ts` type-checked and with swc from the tsconfig, as
 *    the README's cdk8s.yaml runs it), each against two floors: `node` with a plain cdk8s App that writes the same
 *    objects, and that App as a TypeScript file under the same runner (the runner's own cost, which no library can
 *    remove). The library's
 *    cache in the project (node_modules/.cache/cdk8s-llm-d) is warm, as on every synth but the first; the compiled
 *    app also runs after an edit (the compiled code cached, every object validated) and with no cache
 *    (CDK8S_LLMD_CACHE=off). The runs are alternated (floor, subject, runner floor, …) and the medians and their
 *    ratios printed; the children run without NODE_EXTRA_CA_CERTS (its CA bundle read costs every node process
 *    the same ~90 ms, which would hide the ratios). Then the CLI,
 *    `cdk8s-llm-d render` of a KServe P/D sample, against the node floor writing the objects it writes.
 * 2. In one process, 1, 100 and 1000 stacks of every pattern (LlmService, PrefillDecodePair + scheduler,
 *    MultiNodeGroup, `cdk8s-llm-d render` of a KServe P/D sample): construct + `app.synthYaml()` (validation on, no
 *    cache: every object is validated),
 *    ms per stack and per object, the ratio to the floor of the same objects in the same process, t(1000)/t(100)
 *    and the maximum RSS. Each size runs in a fresh process after a one-stack warm-up (module loading, JIT and the
 *    first schema compilation are printed apart, as `first_ms`).
 *
 * Targets: P/D + scheduler ≤ 1.5 ms per object and t(1000)/t(100) ≤ 11 for every pattern.
 *
 * Environment: BENCH_ROUNDS (whole-process runs per runner, default 5), BENCH_REPEAT (in-process runs per size,
 * default 3), BENCH_SIZES (default 1,100,1000), BENCH_MAX_STACKS (sizes above it are skipped, default none),
 * BENCH_SKIP_PROCESS=1 / BENCH_SKIP_SCALE=1 (leave out part 1 / part 2).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import * as YAML from 'yaml';
import type * as Lib from '../src';
import { CACHE_ENV, CACHE_NAME } from '../src/internal/cache-dir';
import { VERDICTS_PREFIX } from '../src/validation/verdict-cache';

const ROOT = path.resolve(__dirname, '..');
const LIB = path.join(ROOT, 'lib');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);
const SIZES = (process.env.BENCH_SIZES ?? '1,100,1000').split(',').map(Number);
const MAX_STACKS = Number(process.env.BENCH_MAX_STACKS ?? Infinity);
const KSERVE_SAMPLE = path.join(ROOT, 'imports', 'reference', 'kserve', 'samples', 'single-node-gpu__llm-inference-service-pd-qwen2-7b-gpu.yaml');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

// ---------------------------------------------------------------------------------------------------------------
// the stacks

const PD_STACK = `
const chart = new Chart(app, 'pd-disaggregation', { namespace: 'llm-d-pd-disaggregation' });
const gateway = new InferenceGateway(chart, 'llm-d-inference-gateway', { provider: GatewayProvider.istio() });
new PrefillDecodePair(chart, 'gpt-oss-120b', {
  model: ModelSource.huggingFace('openai/gpt-oss-120b', { token: { name: 'llm-d-hf-token' } }),
  servedModelName: 'openai/gpt-oss-120b',
  engine: Engine.vllm({ blockSize: 128, extraArgs: ['--no-disable-hybrid-kv-cache-manager'] }),
  accelerator: Accelerator.nvidia(),
  kvTransfer: KvTransfer.nixl(),
  prefill: { replicas: 8, parallelism: { tensor: 1 }, resources: { cpu: '8', memory: '16Gi' } },
  decode: { replicas: 2, parallelism: { tensor: 4 }, resources: { cpu: '16', memory: '64Gi' } },
  startupTimeout: Duration.minutes(60),
  scheduler: SchedulerConfig.prefillDecode(),
  gateway,
});
`;

/** The user's app, as `cdk8s init typescript-app` lays it out. */
const MAIN_TS = `import { App, Chart, Duration } from 'cdk8s';
import { Accelerator, Engine, GatewayProvider, InferenceGateway, KvTransfer, ModelSource, PrefillDecodePair, SchedulerConfig } from 'cdk8s-llm-d';

const app = new App();
${PD_STACK}
app.synth();
`;

const MAIN_JS = `'use strict';
const { App, Chart, Duration } = require('cdk8s');
const { Accelerator, Engine, GatewayProvider, InferenceGateway, KvTransfer, ModelSource, PrefillDecodePair, SchedulerConfig } = require('cdk8s-llm-d');

const app = new App();
${PD_STACK}
app.synth();
`;

/** The floor: a plain cdk8s App writing the same objects (read from JSON) the same way. */
const FLOOR_APP = `const app = new App();
const chart = new Chart(app, 'pd-disaggregation');
objects.forEach((o, i) => new ApiObject(chart, 'o' + i, o));
app.synth();
`;

const FLOOR_JS = `'use strict';
const { ApiObject, App, Chart } = require('cdk8s');
const objects = require('./floor-objects.json');
${FLOOR_APP}`;

/** The same floor as a TypeScript app, for each TypeScript runner: what the runner costs a plain cdk8s app. */
const FLOOR_TS = `import { ApiObject, App, Chart } from 'cdk8s';
declare const require: (id: string) => any;
const objects: any[] = require('./floor-objects.json');
${FLOOR_APP}`;

type Pattern = 'LlmService' | 'PrefillDecodePair' | 'MultiNodeGroup' | 'KServe render';
const PATTERNS: Pattern[] = ['LlmService', 'PrefillDecodePair', 'MultiNodeGroup', 'KServe render'];

function lib(): typeof Lib {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(LIB);
}

function cdk8s(): typeof import('cdk8s') {
  // the cdk8s the compiled library loads
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(require.resolve('cdk8s', { paths: [LIB] }));
}

/** n stacks of a pattern in one app (one chart); returns the app. */
function buildStacks(pattern: Exclude<Pattern, 'KServe render'>, n: number): import('cdk8s').App {
  const L = lib();
  const { App, Chart, Duration } = cdk8s();
  const app = new App();
  const chart = new Chart(app, 'bench', { namespace: 'llm' });
  for (let i = 0; i < n; i++) {
    const route = { gateway: { name: 'gw' }, pathPrefix: `/s-${i}` };
    if (pattern === 'LlmService') {
      const gpu = i % 3 !== 2;
      new L.LlmService(chart, `model-${i}`, {
        model: i % 2 ? L.ModelSource.huggingFace('Qwen/Qwen3-8B', { token: { name: 'hf-token' } }) : L.ModelSource.pvc('models', `m${i}`),
        engine: gpu ? L.Engine.vllm({ maxModelLen: 8192, extraArgs: ['--max-num-seqs', '128'] }) : L.Engine.simulator(),
        accelerator: gpu ? L.Accelerator.nvidia() : L.Accelerator.cpu(),
        parallelism: gpu ? { tensor: 1 << (i % 3) } : {},
        route,
      });
    } else if (pattern === 'PrefillDecodePair') {
      new L.PrefillDecodePair(chart, `pd-${i}`, {
        model: L.ModelSource.huggingFace('openai/gpt-oss-120b', { token: { name: 'hf-token' } }),
        engine: L.Engine.vllm({ blockSize: 128 }),
        accelerator: L.Accelerator.nvidia(),
        kvTransfer: L.KvTransfer.nixl(),
        prefill: { replicas: 4, parallelism: { tensor: 1 } },
        decode: { replicas: 2, parallelism: { tensor: 4 } },
        startupTimeout: Duration.minutes(30),
        scheduler: L.SchedulerConfig.prefillDecode(),
        route,
      });
    } else {
      new L.MultiNodeGroup(chart, `mn-${i}`, {
        model: L.ModelSource.pvc('models', `llama-${i}`),
        servedModelName: 'meta-llama/Llama-3.1-405B-Instruct',
        engine: L.Engine.vllm({ maxModelLen: 32768 }),
        accelerator: L.Accelerator.nvidia(),
        parallelism: { tensor: 8, pipeline: 2 },
        launch: L.LaunchStrategy.ray(),
        replicas: 2,
        resources: { cpu: '64', memory: '1000Gi' },
        route,
      });
    }
  }
  return app;
}

/** The documents of a YAML stream. */
function parseYaml(text: string): any[] {
  return YAML.parseAllDocuments(text).map((d) => d.toJSON()).filter((d) => d !== null);
}

/** n copies of the KServe P/D sample (renamed) in one multi-document YAML file. */
function kserveInput(n: number, dir: string): string {
  const text = fs.readFileSync(KSERVE_SAMPLE, 'utf8');
  const name = /^ {2}name: (\S+)$/m.exec(text)![1];
  const file = path.join(dir, `kserve-${n}.yaml`);
  const docs: string[] = [];
  for (let i = 0; i < n; i++) docs.push(text.replace(/^( {2}name: )\S+$/m, `$1${name}-${i}`));
  fs.writeFileSync(file, docs.join('\n---\n'));
  return file;
}

/** `cdk8s-llm-d render <file>` in this process; returns the YAML written to stdout. */
function renderKServe(file: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { render } = require(path.join(LIB, 'cli', 'render')) as typeof import('../src/cli/render');
  let out = '';
  const code = render([file], { namespace: 'llm', quiet: true }, {
    stdout: (s: string) => { out += s; },
    stderr: () => undefined,
    stdin: () => '',
  } as any);
  if (code !== 0) throw new Error(`render ${file} exited ${code}`);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// part 2, one (pattern, size) in a child process

interface ScaleResult { ms: number; floorMs: number; objects: number; firstMs: number; maxRssMb: number }

function child(pattern: Pattern, n: number): ScaleResult {
  const { App, Chart, ApiObject } = cdk8s();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-llm-d-bench-'));
  const synth = (size: number): { ms: number; objs: any[] } => {
    if (pattern === 'KServe render') {
      const file = kserveInput(size, tmp);
      const t0 = performance.now();
      const yaml = renderKServe(file);
      const ms = performance.now() - t0;
      return { ms, objs: parseYaml(yaml) };
    }
    const t0 = performance.now();
    const app = buildStacks(pattern, size);
    const yaml = app.synthYaml();
    const ms = performance.now() - t0;
    if (!yaml.length) throw new Error('empty output');
    return { ms, objs: app.charts.flatMap((c) => c.toJson()) };
  };
  let t = performance.now();
  synth(1);
  const firstMs = performance.now() - t;
  const times: number[] = [];
  const floors: number[] = [];
  let objects = 0;
  for (let r = 0; r < REPEAT; r++) {
    const { ms, objs } = synth(n);
    times.push(ms);
    objects = objs.length;
    t = performance.now();
    const app = new App();
    const chart = new Chart(app, 'floor');
    objs.forEach((o, i) => new ApiObject(chart, `o${i}`, o));
    if (!app.synthYaml().length) throw new Error('empty floor');
    floors.push(performance.now() - t);
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  return { ms: median(times), floorMs: median(floors), objects, firstMs, maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

function scale(): void {
  console.log(`\nIn one process: construct + app.synthYaml() of n stacks, validation on, no cache (median of ${REPEAT}; floor: a plain cdk8s App`);
  console.log('synthesizing the same objects in the same process; first_ms: the one-stack warm-up before, with module loading)');
  console.log('pattern            stacks objects    total_ms ms/stack ms/object floor_ms  /floor first_ms  max_rss_mb');
  for (const pattern of PATTERNS) {
    const totals = new Map<number, number>();
    for (const n of SIZES) {
      if (n > MAX_STACKS) {
        console.log(`${pattern.padEnd(18)} ${String(n).padStart(6)}  skipped (BENCH_MAX_STACKS=${MAX_STACKS})`);
        continue;
      }
      const r = spawnSync(process.execPath, ['-r', require.resolve('ts-node/register'), __filename, '--child', pattern, String(n)], {
        // no cache: every size validates every object (a warm record of passed objects would skip the validation)
        encoding: 'utf8', env: childEnv({ TS_NODE_SWC: 'true', TS_NODE_PROJECT: path.join(ROOT, 'test', 'tsconfig.json'), [CACHE_ENV]: 'off' }), maxBuffer: 1 << 26,
      });
      if (r.status !== 0) throw new Error(`${pattern} ${n}: ${r.stderr}`);
      const m = JSON.parse(r.stdout.trim().split('\n').pop()!) as ScaleResult;
      totals.set(n, m.ms);
      console.log([
        pattern.padEnd(18), String(n).padStart(6), String(m.objects).padStart(7), m.ms.toFixed(1).padStart(11),
        (m.ms / n).toFixed(2).padStart(8), (m.ms / m.objects).toFixed(3).padStart(9), m.floorMs.toFixed(1).padStart(8),
        (m.ms / m.floorMs).toFixed(1).padStart(7), m.firstMs.toFixed(0).padStart(8), m.maxRssMb.toFixed(0).padStart(11),
      ].join(' '));
    }
    if (totals.has(100) && totals.has(1000)) {
      console.log(`${pattern.padEnd(18)} t(1000)/t(100) = ${(totals.get(1000)! / totals.get(100)!).toFixed(2)}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// part 1, whole processes

/** A user-like cdk8s project: node_modules links to this package and the tools beside it. */
function userProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-llm-d-user-'));
  const nm = path.join(dir, 'node_modules');
  fs.mkdirSync(path.join(nm, '.bin'), { recursive: true });
  fs.mkdirSync(path.join(nm, '@types'));
  fs.symlinkSync(ROOT, path.join(nm, 'cdk8s-llm-d'));
  for (const p of ['cdk8s', 'constructs', 'typescript', 'ts-node', '@swc', 'tsx']) {
    const from = path.join(ROOT, 'node_modules', p);
    if (fs.existsSync(from)) fs.symlinkSync(from, path.join(nm, p));
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules', '@types', 'node'), path.join(nm, '@types', 'node'));
  for (const bin of ['ts-node', 'tsx']) {
    const from = path.join(ROOT, 'node_modules', '.bin', bin);
    if (fs.existsSync(from)) fs.symlinkSync(fs.realpathSync(from), path.join(nm, '.bin', bin));
  }
  const template = path.join(ROOT, 'node_modules', 'cdk8s-cli', 'templates', 'typescript-app', 'tsconfig.json');
  fs.copyFileSync(template, path.join(dir, 'tsconfig.json'));
  const swc = JSON.parse(fs.readFileSync(template, 'utf8'));
  fs.writeFileSync(path.join(dir, 'tsconfig.swc.json'), JSON.stringify({ ...swc, 'ts-node': { swc: true } }, null, 2));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'bench-app', version: '1.0.0', private: true, main: 'main.js' }));
  fs.writeFileSync(path.join(dir, 'main.ts'), MAIN_TS);
  fs.writeFileSync(path.join(dir, 'main.js'), MAIN_JS);
  fs.writeFileSync(path.join(dir, 'floor.js'), FLOOR_JS);
  fs.writeFileSync(path.join(dir, 'floor.ts'), FLOOR_TS);
  return dir;
}

/**
 * The children's environment: without NODE_EXTRA_CA_CERTS, which makes every node process read a CA bundle when it
 * starts (~90 ms on a machine with the system bundle; synthesis opens no connection), and without ts-node settings.
 */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  delete env.NODE_EXTRA_CA_CERTS;
  for (const k of Object.keys(env)) if (k.startsWith('TS_NODE_') && !(k in extra)) delete env[k];
  return env;
}

interface Runner {
  readonly name: string;
  readonly cmd: string;
  readonly args: string[];
  readonly env?: Record<string, string>;
  /** before each run of the subject */
  readonly before?: () => void;
}

function wholeProcess(): void {
  const dir = userProject();
  const cache = path.join(dir, 'node_modules', '.cache', CACHE_NAME);
  const noCache = { [CACHE_ENV]: 'off' };
  const run = (cmd: string, args: string[], env: Record<string, string> = {}): number => {
    fs.rmSync(path.join(dir, 'dist'), { recursive: true, force: true });
    const t = performance.now();
    const r = spawnSync(cmd, args, { cwd: dir, encoding: 'utf8', env: childEnv(env) });
    const ms = performance.now() - t;
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed in ${dir}:\n${r.stderr}${r.stdout}`);
    return ms;
  };
  const written = () => fs.readdirSync(path.join(dir, 'dist')).map((f) => fs.readFileSync(path.join(dir, 'dist', f), 'utf8')).join('');
  run('node', ['main.js'], noCache);
  const expected = written();
  const objects = parseYaml(expected);
  fs.writeFileSync(path.join(dir, 'floor-objects.json'), JSON.stringify(objects));
  const forgetVerdicts = () => {
    for (const f of fs.existsSync(cache) ? fs.readdirSync(cache) : []) if (f.startsWith(VERDICTS_PREFIX)) fs.rmSync(path.join(cache, f));
  };

  const runners = ([
    { name: 'node main.js (compiled)', cmd: 'node', args: ['main.js'] },
    { name: '  after an edit (objects not seen)', cmd: 'node', args: ['main.js'], before: forgetVerdicts },
    { name: `  no cache (${CACHE_ENV}=off)`, cmd: 'node', args: ['main.js'], env: noCache },
    { name: 'npx ts-node main.ts (type-checked)', cmd: 'npx', args: ['ts-node', 'main.ts'] },
    { name: 'node -r ts-node/register main.ts (checked)', cmd: 'node', args: ['-r', 'ts-node/register', 'main.ts'] },
    { name: 'npx ts-node --swc main.ts', cmd: 'npx', args: ['ts-node', '--swc', 'main.ts'] },
    // the README's cdk8s.yaml: swc from tsconfig.json's "ts-node" section, no npx
    { name: 'node -r ts-node/register main.ts (swc)', cmd: 'node', args: ['-r', 'ts-node/register', 'main.ts'], env: { TS_NODE_PROJECT: 'tsconfig.swc.json' } },
    { name: 'npx tsx main.ts', cmd: 'npx', args: ['tsx', 'main.ts'] },
  ] as Runner[]).filter((r) => r.cmd === 'node' || fs.existsSync(path.join(dir, 'node_modules', '.bin', r.args[0])));
  const compiled = (r: Runner) => r.args.includes('main.js');
  const floorOf = (r: { args: string[] }): string[] => r.args.map((a) => a.replace(/^main\.(js|ts)$/, 'floor.$1'));
  for (const r of runners) {
    run(r.cmd, r.args, r.env); // warm-up (disk cache and the library's cache), and the output must be the compiled app's
    if (written() !== expected) throw new Error(`${r.name} wrote other manifests than node main.js`);
    run(r.cmd, floorOf(r), r.env);
  }
  console.log(`Whole process, one P/D stack (${objects.length} objects; PrefillDecodePair + scheduler + InferenceGateway) in a user-like`);
  console.log(`cdk8s project; median of ${ROUNDS} alternated runs. node floor: node + a plain cdk8s App writing the same ${objects.length} objects;`);
  console.log('runner floor: that App as main.ts under the same runner (what the runner costs any cdk8s app). The library\'s cache');
  console.log('(node_modules/.cache/cdk8s-llm-d) is warm unless a row says otherwise; "after an edit": its compiled code is, its');
  console.log('record of objects that passed validation is not (every object is validated). No NODE_EXTRA_CA_CERTS in the children.');
  console.log('runner                                     subject_ms  node_floor_ms  /node_floor  runner_floor_ms  /runner_floor');
  for (const r of runners) {
    const subject: number[] = [];
    const floor: number[] = [];
    const runnerFloor: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      floor.push(run('node', ['floor.js']));
      r.before?.();
      subject.push(run(r.cmd, r.args, r.env));
      runnerFloor.push(compiled(r) ? floor[floor.length - 1] : run(r.cmd, floorOf(r), r.env));
    }
    const rm = median(runnerFloor);
    console.log(`${processRow(r.name, median(subject), median(floor))} ${rm.toFixed(0).padStart(16)} ${(median(subject) / rm).toFixed(2).padStart(14)}`);
  }
  cliRender(dir, run);
  fs.rmSync(dir, { recursive: true, force: true });
}

/** `cdk8s-llm-d render` of the KServe P/D sample as a whole process, against the floor writing the same objects. */
function cliRender(dir: string, run: (cmd: string, args: string[]) => number): void {
  const cli = path.join(LIB, 'cli', 'main.js');
  const args = [cli, 'render', KSERVE_SAMPLE, '-q', '-o', 'dist'];
  run('node', args);
  const objects = fs.readdirSync(path.join(dir, 'dist')).filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => parseYaml(fs.readFileSync(path.join(dir, 'dist', f), 'utf8')));
  fs.writeFileSync(path.join(dir, 'floor-objects.json'), JSON.stringify(objects));
  const subject: number[] = [];
  const floor: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    floor.push(run('node', ['floor.js']));
    subject.push(run('node', args));
  }
  console.log(`${processRow('cdk8s-llm-d render (KServe P/D)', median(subject), median(floor))}`
    + `   (${objects.length} objects; the CLI validates the input against the KServe CRD and the output as at synth)`);
}

/** A row of the whole-process table: name, subject and node floor (ms), their ratio. */
function processRow(name: string, subjectMs: number, floorMs: number): string {
  return `${name.padEnd(42)} ${subjectMs.toFixed(0).padStart(10)} ${floorMs.toFixed(0).padStart(14)} ${(subjectMs / floorMs).toFixed(2).padStart(12)}`;
}

// ---------------------------------------------------------------------------------------------------------------

if (process.argv[2] === '--child') {
  console.log(JSON.stringify(child(process.argv[3] as Pattern, Number(process.argv[4]))));
} else {
  console.log(`cdk8s-llm-d synth benchmark (node ${process.version}, ${os.cpus().length} CPUs)`);
  if (!fs.existsSync(path.join(LIB, 'index.js'))) throw new Error('lib/ is not compiled: run `npx projen compile`');
  if (!process.env.BENCH_SKIP_PROCESS) wholeProcess();
  if (!process.env.BENCH_SKIP_SCALE) scale();
}
