/**
 * Every example under examples/<name>/ is synthesized exactly as `npm run synth:examples` does (same function,
 * written to disk as YAML), read back, and validated: Kubernetes 1.35 + CRD schemas (strict, with CEL) and the
 * wiring invariants. A snapshot per example sits beside these assertions to make output drift visible in review.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { exampleNames, synthExample } from '../scripts/examples';
import { Plan } from '../src/plan';
import { SchemaValidator, formatIssues } from './harness/schema-validator';
import { checkWiring, formatViolations } from './harness/wiring-checker';
import { loadYamlDocuments } from './harness/yaml';

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-llm-d-examples-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

const names = exampleNames();

test('the examples folder holds the documented examples', () => {
  expect(names).toEqual(expect.arrayContaining(['default', 'qwen-gpu', 'tp4-pvc', 'cdk8s-plus-interop']));
});

describe.each(names)('example %s', (name) => {
  const files = synthExample(name, path.join(out, name));
  const objs = files.flatMap((f) => loadYamlDocuments(f));

  test('synthesizes at least one object per file', () => {
    expect(files.length).toBeGreaterThan(0);
    expect(objs.length).toBeGreaterThan(0);
  });

  test('every object validates against the Kubernetes 1.35 and CRD schemas, including CEL rules', () => {
    const validator = SchemaValidator.get();
    const issues = validator.validateAll(objs);
    expect(formatIssues(issues)).toBe('');
    expect(validator.unsupportedRules).toEqual([]);
  });

  test('the wiring invariants hold', () => {
    const violations = checkWiring(objs);
    expect(violations.length ? formatViolations(violations) : '').toBe('');
  });

  test('creates the Namespace of every object it synthesizes (kubectl apply works on an empty cluster)', () => {
    const namespaces = [...new Set(objs.map((o) => o.metadata?.namespace).filter((n) => typeof n === 'string'))];
    expect(namespaces.length).toBeGreaterThan(0);
    expect(objs.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name).sort()).toEqual(namespaces.sort());
    expect(objs.findIndex((o) => o.kind === 'Namespace')).toBe(0);
    expect(Plan.fromManifests(objs).externalReferences.filter((r) => r.kind === 'Namespace')).toEqual([]);
  });

  test('output matches the reviewed snapshot', () => {
    expect(files.map((f) => fs.readFileSync(f, 'utf8')).join('\n---\n')).toMatchSnapshot();
  });
});

describe('example-specific assertions', () => {
  const load = (name: string) => synthExample(name, path.join(out, `${name}-check`)).flatMap((f) => loadYamlDocuments(f));

  test('default: simulator without GPUs, in its own namespace', () => {
    const objs = load('default');
    expect(objs[0]).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'llm-demo' } });
    const dep = objs.find((o) => o.kind === 'Deployment');
    expect(dep.spec.template.spec.containers[0].image).toMatch(/^ghcr\.io\/llm-d\/llm-d-inference-sim:v/);
    expect(JSON.stringify(dep)).not.toContain('nvidia.com/gpu');
  });

  test('tp4-pvc: 4 GPUs, TP 4, read-only PVC', () => {
    const dep = load('tp4-pvc').find((o) => o.kind === 'Deployment');
    const main = dep.spec.template.spec.containers[0];
    expect(main.resources.limits['nvidia.com/gpu']).toBe('4');
    expect(main.args.join(' ')).toContain('--tensor-parallel-size 4');
    expect(dep.spec.template.spec.volumes).toContainEqual({ name: 'kserve-pvc-source', persistentVolumeClaim: { claimName: 'models', readOnly: true } });
  });

  test('cdk8s-plus-interop: the LlmService references the cdk8s-plus Secret and PVC by their generated names', () => {
    const objs = load('cdk8s-plus-interop');
    const secret = objs.find((o) => o.kind === 'Secret');
    const pvc = objs.find((o) => o.kind === 'PersistentVolumeClaim');
    const pod = objs.find((o) => o.kind === 'Deployment').spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'kserve-provision-location', persistentVolumeClaim: { claimName: pvc.metadata.name } });
    expect(JSON.stringify(pod.initContainers[0].env)).toContain(secret.metadata.name);
  });
});
