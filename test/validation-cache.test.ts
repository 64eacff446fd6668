/**
 * What synth-time validation keeps between processes (the cache folder): V8's compiled code of the package's large
 * generated files (`requireWithCodeCache`), and the digests of objects that passed the shipped validator
 * (`VerdictCache`), so that an unchanged object is not validated again while a changed or broken one always is.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import { Accelerator, Engine, LlmdValidation, LlmService, ModelSource } from '../src';
import { expectConfigError } from './util/expect-error';
import { CACHE_ENV, cacheDir, flushWriters } from '../src/internal/cache-dir';
import { CODE_CACHE_USE, requireWithCodeCache } from '../src/internal/code-cache';
import { setBundledVerdicts, verdictCacheOfBuild } from '../src/validation/bundled';
import { VerdictCache } from '../src/validation/verdict-cache';

const ROOT = path.join(__dirname, '..');
const tempDir = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

/** Loads `file` with requireWithCodeCache in a new Node process (cache folder `dir`); what it saw. */
function loadInChild(file: string, dir: string): { value: number; same: boolean; use: { fromCache: number; compiled: number } } {
  const script = `
    const { requireWithCodeCache, CODE_CACHE_USE } = require(${JSON.stringify(path.join(ROOT, 'src', 'internal', 'code-cache'))});
    const m = requireWithCodeCache(${JSON.stringify(file)});
    console.log(JSON.stringify({ value: m.sum(40), same: require(${JSON.stringify(file)}) === m, use: CODE_CACHE_USE }));`;
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, [CACHE_ENV]: dir, TS_NODE_SWC: 'true', TS_NODE_PROJECT: path.join(ROOT, 'test', 'tsconfig.json') },
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

describe('code cache of the generated runtime files', () => {
  const src = tempDir('code-cache-src-');
  const file = path.join(src, 'runtime.js');
  const write = (n: number) => fs.writeFileSync(file, `'use strict';\nexports.sum = (k) => { let s = ${n}; for (let i = 0; i <= k; i++) s += i; return s; };\n`);
  const cached = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith('.v8'));

  test('the first process compiles and writes the cache; the next one loads from it, with the same exports', () => {
    write(0);
    const dir = tempDir('code-cache-');
    expect(loadInChild(file, dir)).toEqual({ value: 820, same: true, use: { fromCache: 0, compiled: 1 } });
    expect(cached(dir)).toHaveLength(1);
    expect(cached(dir)[0]).toMatch(/^runtime-[0-9a-f]{32}\.v8$/);
    expect(loadInChild(file, dir)).toEqual({ value: 820, same: true, use: { fromCache: 1, compiled: 0 } });
  });

  test('data V8 rejects is compiled again and rewritten; a changed source gets its own entry and the old one goes', () => {
    write(0);
    const dir = tempDir('code-cache-');
    loadInChild(file, dir);
    const [entry] = cached(dir);
    fs.writeFileSync(path.join(dir, entry), 'not V8 code cache data');
    expect(loadInChild(file, dir).use).toEqual({ fromCache: 0, compiled: 1 });
    expect(fs.readFileSync(path.join(dir, entry), 'utf8')).not.toBe('not V8 code cache data');
    expect(loadInChild(file, dir).use).toEqual({ fromCache: 1, compiled: 0 });
    write(1);
    expect(loadInChild(file, dir)).toMatchObject({ value: 821, use: { fromCache: 0, compiled: 1 } });
    expect(cached(dir)).toHaveLength(1);
    expect(cached(dir)[0]).not.toBe(entry);
  });

  test('CDK8S_LLMD_CACHE=off loads the file with require and writes nothing', () => {
    write(0);
    const dir = tempDir('code-cache-');
    const off = path.join(dir, 'off');
    const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', `
      const { requireWithCodeCache, CODE_CACHE_USE } = require('./src/internal/code-cache');
      console.log(JSON.stringify([requireWithCodeCache(${JSON.stringify(file)}).sum(2), CODE_CACHE_USE]));`], {
      cwd: ROOT, encoding: 'utf8', env: { ...process.env, [CACHE_ENV]: 'off', TS_NODE_SWC: 'true', TS_NODE_PROJECT: path.join(ROOT, 'test', 'tsconfig.json') },
    });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual([3, { fromCache: 0, compiled: 0 }]);
    expect(fs.existsSync(off)).toBe(false);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

test('in a module sandbox (this jest context) the file is loaded with the sandbox\'s require, in its realm', () => {
  const dir = tempDir('code-cache-');
  const file = path.join(dir, 'mod.js');
  fs.writeFileSync(file, 'exports.list = [1, 2];\n');
  process.env[CACHE_ENV] = path.join(dir, 'cache');
  try {
    const before = { ...CODE_CACHE_USE };
    const m = requireWithCodeCache(file);
    expect(m.list).toBeInstanceOf(Array);
    expect(CODE_CACHE_USE).toEqual(before);
    flushWriters();
    expect(fs.existsSync(path.join(dir, 'cache'))).toBe(false);
  } finally {
    delete process.env[CACHE_ENV];
  }
});

describe('code cache of the compiled library\'s modules', () => {
  const lib = tempDir('code-cache-lib-');
  fs.mkdirSync(path.join(lib, 'sub'));
  fs.writeFileSync(path.join(lib, 'a.js'), `'use strict';
const b = require('./sub/b');
exports.value = b.twice(21);
exports.resolved = require.resolve('./sub/b');
exports.self = [__filename, __dirname, module.id === __filename];`);
  fs.writeFileSync(path.join(lib, 'sub', 'b.js'), '\'use strict\';\nmodule.exports = { twice: (n) => n * 2 };\n');
  fs.writeFileSync(path.join(lib, 'sub', 'bin.js'), '#!/usr/bin/env node\nexports.bin = true;\n');
  fs.writeFileSync(path.join(lib, 'sub', 'throws.js'), '\'use strict\';\n\nthrow new Error(\'boom\');\n');
  const outside = path.join(tempDir('code-cache-outside-'), 'c.js');
  fs.writeFileSync(outside, 'exports.c = 3;\n');

  const run = (dir: string) => {
    const script = `
      const { cacheCodeOf, CODE_CACHE_USE } = require('./src/internal/code-cache');
      cacheCodeOf(${JSON.stringify(lib)});
      const a = require(${JSON.stringify(path.join(lib, 'a.js'))});
      const bin = require(${JSON.stringify(path.join(lib, 'sub', 'bin.js'))}).bin;
      const c = require(${JSON.stringify(outside)}).c;
      let stack = '';
      try { require(${JSON.stringify(path.join(lib, 'sub', 'throws.js'))}); } catch (e) { stack = e.stack; }
      console.log(JSON.stringify({ a, bin, c, stack, use: CODE_CACHE_USE }));`;
    const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
      cwd: ROOT, encoding: 'utf8', env: { ...process.env, [CACHE_ENV]: dir, TS_NODE_SWC: 'true', TS_NODE_PROJECT: path.join(ROOT, 'test', 'tsconfig.json') },
    });
    if (r.status !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout.trim().split('\n').pop()!);
  };

  test('modules below the folder compile through the cache and behave as under Node\'s loader; others do not', () => {
    const dir = tempDir('code-cache-');
    const first = run(dir);
    expect(first.a).toEqual({ value: 42, resolved: path.join(lib, 'sub', 'b.js'), self: [path.join(lib, 'a.js'), lib, true] });
    expect(first.bin).toBe(true);
    expect(first.c).toBe(3);
    // the error names the file and its line
    expect(first.stack).toContain(`${path.join(lib, 'sub', 'throws.js')}:3`);
    // a.js, b.js and throws.js; not the hashbang file, not the file outside
    expect(first.use).toEqual({ fromCache: 0, compiled: 3 });
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.v8'))).toHaveLength(3);
    const second = run(dir);
    expect(second).toEqual({ ...first, use: { fromCache: 3, compiled: 0 } });
  });
});

describe('where the cache is', () => {
  const saved = { env: process.env[CACHE_ENV], cwd: process.cwd() };
  afterEach(() => {
    if (saved.env === undefined) delete process.env[CACHE_ENV];
    else process.env[CACHE_ENV] = saved.env;
    process.chdir(saved.cwd);
  });

  test('node_modules/.cache/cdk8s-llm-d of the nearest package.json with node_modules; none without; the variable wins', () => {
    delete process.env[CACHE_ENV];
    const project = tempDir('cache-project-');
    fs.writeFileSync(path.join(project, 'package.json'), '{}');
    fs.mkdirSync(path.join(project, 'src', 'deep'), { recursive: true });
    process.chdir(path.join(project, 'src', 'deep'));
    expect(cacheDir()).toBeUndefined();
    fs.mkdirSync(path.join(project, 'node_modules'));
    expect(cacheDir()).toBe(path.join(fs.realpathSync(project), 'node_modules', '.cache', 'cdk8s-llm-d'));
    process.env[CACHE_ENV] = 'relative/dir';
    expect(cacheDir()).toBe(path.resolve('relative/dir'));
    for (const off of ['off', 'false', '0']) {
      process.env[CACHE_ENV] = off;
      expect(cacheDir()).toBeUndefined();
    }
  });
});

describe('verdict cache', () => {
  const key = (i: number) => i.toString(16).padStart(32, '0');

  test('passes are written when the process ends and read by the next process; junk lines are ignored', () => {
    const file = path.join(tempDir('verdicts-'), 'sub', 'valid-objects-x.txt');
    const first = new VerdictCache(file);
    const k = first.keyOf({ kind: 'Service', metadata: { name: 'a' } });
    expect(k).toMatch(/^[0-9a-f]{32}$/);
    expect(first.keyOf({ kind: 'Service', metadata: { name: 'b' } })).not.toBe(k);
    expect(first.passed(k)).toBe(false);
    first.recordPass(k);
    expect(first.passed(k)).toBe(true);
    expect(fs.existsSync(file)).toBe(false);
    flushWriters();
    expect(fs.readFileSync(file, 'utf8')).toBe(`${k}\n`);
    fs.appendFileSync(file, 'garbage\n');
    const second = new VerdictCache(file);
    expect(second.passed(k)).toBe(true);
    expect(second.passed('garbage')).toBe(false);
    second.recordPass(key(7));
    flushWriters();
    expect(fs.readFileSync(file, 'utf8').split('\n').filter(Boolean)).toEqual([k, 'garbage', key(7)]);
  });

  test('past its size the file keeps the newest half', () => {
    const file = path.join(tempDir('verdicts-'), 'valid-objects-y.txt');
    const cache = new VerdictCache(file, 10);
    for (let i = 0; i < 12; i++) cache.recordPass(key(i));
    flushWriters();
    expect(fs.readFileSync(file, 'utf8').split('\n').filter(Boolean)).toEqual([7, 8, 9, 10, 11].map(key));
  });

  test('a build is named by its id file and the schema set; without the runtime or the id there is none', () => {
    const dir = tempDir('verdict-build-');
    const [runtime, id, schemas] = ['runtime.js', 'id.txt', 'schemas.json'].map((f) => path.join(dir, f));
    fs.writeFileSync(schemas, '{}');
    process.env[CACHE_ENV] = path.join(dir, 'cache');
    try {
      expect(verdictCacheOfBuild(runtime, id, schemas)).toBeUndefined();
      fs.writeFileSync(runtime, '');
      expect(verdictCacheOfBuild(runtime, id, schemas)).toBeUndefined();
      fs.writeFileSync(id, 'a\n');
      const a = verdictCacheOfBuild(runtime, id, schemas)!.file;
      expect(path.dirname(a)).toBe(path.join(dir, 'cache'));
      fs.writeFileSync(id, 'b\n');
      const b = verdictCacheOfBuild(runtime, id, schemas)!.file;
      expect(b).not.toBe(a);
      fs.writeFileSync(schemas, '{ }');
      expect(verdictCacheOfBuild(runtime, id, schemas)!.file).not.toBe(b);
    } finally {
      delete process.env[CACHE_ENV];
    }
  });

  describe('at synth', () => {
    afterEach(() => setBundledVerdicts(null));
    const chart = () => {
      const c = new Chart(Testing.app(), 'c', { namespace: 'llm' });
      const svc = new LlmService(c, 'qwen', { model: ModelSource.huggingFace('Qwen/Qwen3-8B'), engine: Engine.simulator(), accelerator: Accelerator.cpu() });
      return { c, svc };
    };

    test('objects that passed are recorded; the same objects synthesize the same YAML from the cache', () => {
      const cache = new VerdictCache(path.join(tempDir('verdicts-'), 'v.txt'));
      setBundledVerdicts(cache);
      const { c } = chart();
      const yaml = Testing.synth(c);
      const keys = yaml.map((o) => cache.keyOf(o));
      expect(keys.every((k) => cache.passed(k))).toBe(true);
      flushWriters();
      const again = new VerdictCache(cache.file);
      setBundledVerdicts(again);
      expect(Testing.synth(chart().c)).toEqual(yaml);
    });

    test('a recorded pass is not validated again (the cache is consulted before the validator)', () => {
      const broken = (validate = true) => {
        const app = Testing.app();
        if (!validate) LlmdValidation.disable(app);
        const c = new Chart(app, 'c', { namespace: 'llm' });
        new LlmService(c, 'qwen', { model: ModelSource.huggingFace('Qwen/Qwen3-8B'), engine: Engine.simulator(), accelerator: Accelerator.cpu() })
          .node.findAll().find((x): x is ApiObject => x instanceof ApiObject && x.kind === 'Deployment')!
          .addJsonPatch(JsonPatch.add('/spec/notAField', 1));
        return c;
      };
      const cache = new VerdictCache(path.join(tempDir('verdicts-'), 'v.txt'));
      setBundledVerdicts(cache);
      expect(() => Testing.synth(broken())).toThrow(/notAField/);
      // only a build of the validator records passes; a forged record shows that a recorded object is skipped
      for (const o of Testing.synth(broken(false))) cache.recordPass(cache.keyOf(o));
      setBundledVerdicts(cache);
      expect(Testing.synth(broken()).find((o) => o.kind === 'Deployment').spec.notAField).toBe(1);
    });

    test('an object changed after it passed is validated again, and its problem reported', () => {
      const cache = new VerdictCache(path.join(tempDir('verdicts-'), 'v.txt'));
      setBundledVerdicts(cache);
      const passed = Testing.synth(chart().c).filter((o) => cache.passed(cache.keyOf(o)));
      expect(passed.map((o) => o.kind)).toContain('Deployment');
      const { c, svc } = chart();
      const deployment = svc.node.findAll().find((x): x is ApiObject => x instanceof ApiObject && x.kind === 'Deployment')!;
      deployment.addJsonPatch(JsonPatch.add('/spec/notAField', 1));
      const err = expectConfigError(() => Testing.synth(c),
        { path: 'c/qwen', field: '(Deployment llm/qwen-kserve).spec', value: 'notAField', mentions: 'the API server would reject Deployment llm/qwen-kserve' });
      expect(err.message).toContain('notAField');
    });
  });
});
