/**
 * scripts/kind-quickstart.sh cannot run here (no kind or cluster), so what it relies on is checked: it parses, the
 * CRD files it applies exist and cover every API group the example's objects use, and the Namespace, EPP Service
 * (port 80 to the standalone Envoy) and served model it names are what the example synthesizes.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { synthExample } from '../scripts/examples';
import { Plan } from '../src/plan';

const ROOT = path.join(__dirname, '..');
const SCRIPT = path.join(ROOT, 'scripts', 'kind-quickstart.sh');
const text = fs.readFileSync(SCRIPT, 'utf8');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-llm-d-quickstart-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

const cases = [...text.matchAll(/^ {2}([a-z-]+)\) NAMESPACE=(\S+) SERVICE=(\S+) ;;$/gm)].map((m) => ({ example: m[1], namespace: m[2], service: m[3] }));
const crdFiles = [...text.matchAll(/kubectl apply --server-side -f (assets\/crds\/\S+\.yaml)/g)].map((m) => m[1]);
const model = /^MODEL="([^"]+)"$/m.exec(text)?.[1];

test('the script parses (bash -n), is executable and names its examples, CRDs and model', () => {
  expect(() => execFileSync('bash', ['-n', SCRIPT])).not.toThrow();
  expect(() => fs.accessSync(SCRIPT, fs.constants.X_OK)).not.toThrow();
  expect(cases.map((c) => c.example)).toEqual(['pd-simulated', 'standalone']);
  expect(/^EXAMPLE="\$\{EXAMPLE:-pd-simulated\}"$/m.test(text)).toBe(true);
  expect(crdFiles.length).toBeGreaterThan(0);
  expect(model).toBeDefined();
});

test('every CRD file the script applies exists and is a CustomResourceDefinition', () => {
  for (const f of crdFiles) {
    const docs = YAML.parseAllDocuments(fs.readFileSync(path.join(ROOT, f), 'utf8')).map((d) => d.toJS());
    expect(docs.map((d) => d.kind)).toEqual(['CustomResourceDefinition']);
  }
  const waited = /crd\/(\S+)/.exec(text)?.[1];
  const names = crdFiles.map((f) => YAML.parse(fs.readFileSync(path.join(ROOT, f), 'utf8')).metadata.name);
  expect(names).toContain(waited);
});

describe.each(cases)('EXAMPLE=$example', ({ example, namespace, service }) => {
  const objs = synthExample(example, path.join(out, example)).flatMap((f) => YAML.parseAllDocuments(fs.readFileSync(f, 'utf8')).map((d) => d.toJS()));
  const plan = Plan.fromManifests(objs);

  test('the CRDs the script installs cover every API group of the example (no Gateway needed)', () => {
    const installed = crdFiles.map((f) => YAML.parse(fs.readFileSync(path.join(ROOT, f), 'utf8')).spec.group);
    for (const c of plan.crds) expect(installed).toContain(c.group);
    expect(plan.crds.map((c) => c.group)).not.toContain('gateway.networking.k8s.io');
  });

  test('the example creates the Namespace first and needs nothing else that is not in the file', () => {
    expect(objs[0]).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    expect(plan.externalReferences).toEqual([]);
    expect(plan.totals.accelerators).toBe(0);
  });

  test('the Service it port-forwards is the EPP Service with the standalone Envoy on port 80', () => {
    const svc = objs.find((o) => o.kind === 'Service' && o.metadata.name === service);
    expect(svc?.metadata.namespace).toBe(namespace);
    expect(svc.spec.ports.map((p: { port: number }) => p.port)).toContain(80);
    expect(plan.toMermaid()).toContain(`Envoy in the EPP pod, ${service}:80`);
  });

  test('the simulator serves the model the script asks for', () => {
    const serving = objs.filter((o) => o.kind === 'Deployment' && o.spec.template.metadata.labels['llm-d.ai/role'] !== undefined);
    expect(serving.length).toBeGreaterThan(0);
    for (const d of serving) {
      const main = d.spec.template.spec.containers.find((c: { name: string }) => c.name === 'main');
      const args: string[] = main.args;
      expect(args[args.indexOf('--served-model-name') + 1]).toBe(model);
    }
  });
});
