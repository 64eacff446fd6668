/**
 * `cdk8s-llm-d validate` and the cdk8s validation plugin: the library's synth-time checks on users' YAML.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ValidationContext } from 'cdk8s-cli/plugins';
import * as YAML from 'yaml';
import { exampleNames, synthExample } from '../scripts/examples';
import { LlmdValidationPlugin } from '../src/cli/cdk8s-plugin';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, run } from '../src/cli/main';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-llm-d-validate-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(argv, { stdout: (t) => { out += t; }, stderr: (t) => { err += t; } });
  return { code, out, err };
}

function write(name: string, ...docs: unknown[]): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, docs.map((d) => YAML.stringify(d)).join('---\n'));
  return file;
}

const configMap = (name: string, extra: object = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'llm' }, data: { a: 'b' }, ...extra });
const route = (name: string, value: string) => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name, namespace: 'llm' },
  spec: { parentRefs: [{ name: 'gw' }], rules: [{ matches: [{ path: { type: 'PathPrefix', value } }], backendRefs: [{ name: 'svc', port: 80 }] }] },
});

describe('cdk8s-llm-d validate', () => {
  test('the directory of every synthesized example validates (exit 0, one-line summary)', async () => {
    for (const name of exampleNames()) {
      const out = path.join(dir, 'examples', name);
      synthExample(name, out);
      const r = await cli('validate', out);
      // provider kinds (Istio, GKE, KEDA, Prometheus operator) have no shipped schema: warned about, never an error
      expect(r.err.split('\n').filter((l) => l && !/^warning: .* has no schema shipped with cdk8s-llm-d; not validated \[unknown-kind\]$/.test(l))).toEqual([]);
      expect(r.out).toMatch(/^\d+ documents? checked: valid(, \d+ warnings?)?\n$/);
      expect(r.code).toBe(EXIT_OK);
    }
  });

  test('an unknown field and a CEL rule violation fail with exit 1, naming file, object and field', async () => {
    const file = write('bad.yaml', configMap('a', { notAField: 1 }), route('r', '/a//b'));
    const r = await cli('validate', file);
    expect(r.code).toBe(EXIT_INVALID);
    expect(r.err).toContain(`${file}#1 ConfigMap llm/a /: must NOT have additional properties (notAField) [schema]`);
    expect(r.err).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}#2 HTTPRoute llm/r /spec/rules/0/matches/0/path: .*//.* \\[cel\\]`));
    expect(r.out).toContain('2 documents checked: 2 errors');
  });

  test('duplicate objects and route collisions across files are found, naming the other file', async () => {
    const a = write('app/a.yaml', configMap('same'), route('r1', '/x'));
    const b = write('app/sub/b.yml', configMap('same'), route('r2', '/x/'));
    write('app/notes.txt');
    const r = await cli('validate', path.join(dir, 'app'));
    expect(r.code).toBe(EXIT_INVALID);
    expect(r.err).toContain(`${b}#1 ConfigMap llm/same /metadata/name: is the name of the ConfigMap llm/same, which ${a}#1 also synthesizes`);
    expect(r.err).toContain('[duplicate-object]');
    expect(r.err).toContain(`of ${a}#2 on Gateway llm/gw`);
    expect(r.err).toContain('[route-collision]');
  });

  test('kinds without a shipped schema warn, or fail with --strict-kinds; --json lists the findings', async () => {
    const file = write('custom.yaml', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } });
    const warn = await cli('validate', file);
    expect(warn.code).toBe(EXIT_OK);
    expect(warn.err).toContain('warning:');
    expect(warn.out).toContain('1 document checked: valid, 1 warning');
    expect((await cli('validate', '--strict-kinds', file)).code).toBe(EXIT_INVALID);
    const json = JSON.parse((await cli('validate', '--json', file)).out);
    expect(json).toMatchObject({ documents: 1, errors: 0, findings: [{ level: 'warning', rule: 'unknown-kind', object: 'Widget w' }] });
  });

  test('unreadable input, invalid YAML and alias bombs exit 2 with a message', async () => {
    expect((await cli('validate', path.join(dir, 'missing.yaml'))).code).toBe(EXIT_USAGE);
    const bad = path.join(dir, 'broken.yaml');
    fs.writeFileSync(bad, 'a: [1\n');
    const r = await cli('validate', bad);
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.err).toMatch(/^error: .*broken\.yaml: document 1 is not valid YAML/);
    const bomb = path.join(dir, 'bomb.yaml');
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 8; i++) lines.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill('*' + String.fromCharCode(97 + i)).join(',')}]`);
    fs.writeFileSync(bomb, lines.join('\n') + '\n');
    const b = await cli('validate', bomb);
    expect(b.code).toBe(EXIT_USAGE);
    expect(b.err).toContain('bomb.yaml: document 1 cannot be read');
  });
});

describe('cdk8s validation plugin (cdk8s.yaml validations:)', () => {
  test('reports violations through cdk8s-cli\'s ValidationContext and fails the report', async () => {
    const file = write('plugin/bad.yaml', configMap('a', { notAField: 1 }), configMap('a'));
    const context = new ValidationContext([file], 'cdk8s-llm-d', '0.0.0', {}, false);
    await new LlmdValidationPlugin().validate(context as any);
    expect(context.report.success).toBe(false);
    const json = context.report.toJson();
    expect(json.violations.map((v: { ruleName: string }) => v.ruleName).sort()).toEqual(['cdk8s-llm-d/duplicate-object', 'cdk8s-llm-d/schema']);
    expect(json.violations[0].violatingConstructs[0]).toMatchObject({ resourceName: 'a', manifestPath: file });
    expect(json.violations.find((v: { ruleName: string }) => v.ruleName.endsWith('schema'))?.recommendation).toContain('ConfigMap llm/a: must NOT have additional properties (notAField)');
  });

  test('passes valid manifests', async () => {
    const file = write('plugin/good.yaml', configMap('a'), configMap('b'));
    const context = new ValidationContext([file], 'cdk8s-llm-d', '0.0.0', {}, false);
    await new LlmdValidationPlugin().validate(context as any);
    expect(context.report.success).toBe(true);
  });
});
