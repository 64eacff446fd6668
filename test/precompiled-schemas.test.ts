/**
 * What the compile task prepares for synth-time validation (lib/validation/precompiled/: one module per kind
 * written with `ManifestValidator.standaloneModules`, CEL rules parsed with `parsedRuleTable`; lib/validation/
 * runtime.js: the validator bundled with its CEL evaluator) gives the same issues as the validator from the sources
 * with the schemas compiled and the rules parsed on first use, on every object the examples emit and on broken
 * copies of them.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from '@bufbuild/cel';
import type { ValidateFunction } from 'ajv';
import { exampleNames, synthExample } from '../scripts/examples';
import { buildValidationRuntime } from '../scripts/validation-runtime';
import { loadYamlDocuments } from './harness/yaml';
import { BUNDLED_SCHEMAS } from '../src/validation/bundled';
import { decodeCelExpr, ManifestValidator } from '../src/validation/manifest-validator';

const { openapi, crds } = JSON.parse(fs.readFileSync(BUNDLED_SCHEMAS, 'utf8'));

/** Loads a module the compile task would write (its `require`s resolve from this folder). */
function loadModule(code: string): ValidateFunction {
  const mod = { exports: {} as any };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  new Function('require', 'module', 'exports', code)(require, mod, mod.exports);
  return mod.exports;
}

/** Every object of every example, and copies broken in the ways a schema catches. */
function objects(): any[] {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'precompiled-')), 'examples');
  const objs = exampleNames().flatMap((name) => synthExample(name, path.join(out, name)).flatMap((f) => loadYamlDocuments(fs.readFileSync(f, 'utf8'))));
  const broken = objs.flatMap((o) => {
    const unknown = { ...o, spec: { ...o.spec, notAField: 1 } };
    const badName = { ...o, metadata: { ...o.metadata, name: 'Not_A_Name' } };
    const wrongType = { ...o, spec: typeof o.spec === 'object' ? { ...o.spec, replicas: 'two' } : 3 };
    const deep = JSON.parse(JSON.stringify(o));
    const c = deep.spec?.template?.spec?.containers?.[0] ?? deep.spec?.leaderWorkerTemplate?.leaderTemplate?.spec?.containers?.[0];
    if (c) {
      c.ports = [{ containerPort: 'http' }, { containerPort: 70000, protocol: 'XTP' }];
      c.resources = { limits: { cpu: 'lots' } };
    }
    return [unknown, badName, wrongType, deep];
  });
  return [...objs, ...broken];
}

describe('precompiled schema validators and parsed CEL rules', () => {
  const runtime = new ManifestValidator({ openapi, crds });
  const build = new ManifestValidator({ openapi, crds, keepSource: true });
  const generated = build.standaloneModules(path.join(__dirname, '..', 'src', 'validation', 'k8s-keywords'));
  const parsedRules = build.parsedRuleTable();
  const calls = new Map<string, number>();
  const precompiled = Object.fromEntries(generated.kinds.map(({ ref, code }) => {
    const fn = loadModule(code);
    const counted = ((data: unknown) => {
      calls.set(ref, (calls.get(ref) ?? 0) + 1);
      const ok = fn(data);
      counted.errors = fn.errors;
      return ok;
    }) as ValidateFunction;
    return [ref, counted];
  }));
  const looked = new Set<string>();
  // the bundle the compile task writes, built here
  const runtimeFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'validation-runtime-')), 'runtime.js');
  const runtimeBytes = buildValidationRuntime(runtimeFile);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Bundled = (require(runtimeFile) as typeof import('../src/validation/manifest-validator')).ManifestValidator;
  const ahead = new Bundled({
    openapi,
    crds,
    precompiled,
    parsedRules: new Proxy(parsedRules, { get: (t, k: string) => (looked.add(k), t[k]) }),
  });

  test('the runtime is one file that carries the CEL evaluator and leaves ajv outside', () => {
    const code = fs.readFileSync(runtimeFile, 'utf8');
    expect(runtimeBytes).toBeGreaterThan(100_000);
    expect(code).toMatch(/Bundles @bufbuild\/cel \d+\.\d+\.\d+ \(Apache-2\.0\)/);
    expect(code).not.toMatch(/require\("@bufbuild\//);
    expect(code).toMatch(/require\("ajv"\)/);
    expect(Bundled).not.toBe(ManifestValidator);
  });

  test('every kind of the shipped schemas is precompiled, in its own module', () => {
    expect(generated.kinds.length).toBeGreaterThan(25);
    expect(generated.left).toEqual([]);
    expect(new Set(generated.kinds.map((k) => k.ref)).size).toBe(generated.kinds.length);
    for (const k of generated.kinds) expect(k.code).toMatch(/module\.exports = validate/);
  });

  test('a parsed rule reads back as the syntax tree the parser gives', () => {
    const exprs = Object.keys(parsedRules);
    expect(exprs.length).toBeGreaterThan(80);
    for (const e of exprs) expect(decodeCelExpr(parsedRules[e])).toEqual(parse(e).expr);
    // int64 node ids and constants come back as bigints
    expect(decodeCelExpr(parsedRules['self.numerator <= self.denominator']).id).toEqual(expect.any(BigInt));
  });

  test('every CEL rule of the shipped schemas is parsed ahead of time', () => {
    const rules = new Set<string>();
    const visit = (n: any): void => {
      if (Array.isArray(n)) {n.forEach(visit);} else if (n && typeof n === 'object') {
        for (const r of n['x-kubernetes-validations'] ?? []) if (!/\boldSelf\b/.test(r.rule)) rules.add(r.rule);
        Object.values(n).forEach(visit);
      }
    };
    visit(crds);
    expect(rules.size).toBeGreaterThan(80);
    for (const r of rules) expect(parsedRules[r]).toBeDefined();
  });

  test('the same issues as the schemas compiled and the rules parsed on first use, on every example object and broken copies', () => {
    const all = objects();
    expect(all.length).toBeGreaterThan(400);
    let withIssues = 0;
    for (const o of all) {
      const expected = runtime.validate(o);
      if (expected.length) withIssues++;
      expect(ahead.validate(o)).toEqual(expected);
    }
    expect(withIssues).toBeGreaterThan(all.length / 2);
    // the precompiled functions did the schema checks, and the rules came from the table
    expect([...calls.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(all.length / 2);
    expect([...looked].filter((k) => k in parsedRules).length).toBeGreaterThan(50);
    expect(ahead.unsupportedRules).toEqual(runtime.unsupportedRules);
  });
});
