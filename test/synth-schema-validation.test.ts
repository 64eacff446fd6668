/**
 * The schema, strictness and CEL validation the library runs at synth, over the compact schema set it ships
 * (assets/validation/schemas.json): bad objects become LlmdConfigErrors naming the prop, the shipped subset
 * covers every kind the examples emit, and it gives the same verdicts as the tests' harness over every vendored
 * input.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { exampleNames, synthExample } from '../scripts/examples';
import { Accelerator, Engine, LlmdValidation, LlmService, LlmServiceProps, ModelSource } from '../src';
import { formatIssues, SchemaValidator } from './harness/schema-validator';
import { loadYamlDocuments } from './harness/yaml';
import { expectConfigError } from './util/expect-error';
import { bundledValidator } from '../src/validation/bundled';

const MODEL = ModelSource.huggingFace('Qwen/Qwen3-8B');
const chartWith = (props: Partial<LlmServiceProps>) => {
  const chart = new Chart(Testing.app(), 'c', { namespace: 'llm' });
  new LlmService(chart, 'qwen', { model: MODEL, engine: Engine.simulator(), accelerator: Accelerator.cpu(), ...props });
  return chart;
};

/** Kinds the library emits without a shipped schema (their validation stays with the tests' provider models). */
const PROVIDER_KINDS = ['DestinationRule', 'GCPBackendPolicy', 'HealthCheckPolicy', 'PodMonitor', 'ScaledObject', 'ServiceMonitor'];

describe('schema validation at synth', () => {
  test('an invalid pod annotation key is refused at synth, naming the prop and key', () => {
    const err = expectConfigError(() => Testing.synth(chartWith({ podAnnotations: { 'bad key!': 'x' } })),
      { path: 'c/qwen', field: 'podAnnotations["bad key!"]', value: '"x"', mentions: 'the API server would reject Deployment llm/qwen-kserve' });
    expect(err.message).toContain('invalid annotation key');
  });

  test('an invalid pod label value is refused at synth', () => {
    expectConfigError(() => Testing.synth(chartWith({ podLabels: { team: 'a b' } })),
      { path: 'c/qwen', field: 'podLabels["team"]', value: '"a b"', mentions: 'invalid label value' });
  });

  test('an invalid route annotation key is refused at synth', () => {
    expectConfigError(() => Testing.synth(chartWith({ route: { gateway: { name: 'gw' }, annotations: { 'x/y/z': 'v' } } })),
      { path: 'c/qwen', field: 'route.annotations["x/y/z"]', value: '"v"', mentions: 'HTTPRoute llm/qwen-kserve-route' });
  });

  test('what pod validation checks beyond the schema: toleration operator/effect and nodeSelector keys', () => {
    const synthWith = (accelerator: Accelerator) => () => Testing.synth(chartWith({ engine: Engine.vllm(), accelerator }));
    expectConfigError(synthWith(Accelerator.nvidia({ tolerations: [{ key: 'a', operator: 'Bogus', effect: 'NoSchedule' }] })),
      { path: 'c/qwen', field: '(Deployment llm/qwen-kserve).spec.template.spec.tolerations[0].operator', value: '"Bogus"', mentions: 'Unsupported value' });
    expectConfigError(synthWith(Accelerator.nvidia({ tolerations: [{ key: 'a', operator: 'Exists', effect: 'Sometimes' }] })),
      { path: 'c/qwen', field: '(Deployment llm/qwen-kserve).spec.template.spec.tolerations[0].effect', value: '"Sometimes"' });
    expectConfigError(synthWith(Accelerator.nvidia({ nodeSelector: { 'bad key!': 'x' } })),
      { path: 'c/qwen', field: '(Deployment llm/qwen-kserve).spec.template.spec.nodeSelector.bad key!', value: '"x"', mentions: 'invalid nodeSelector key' });
    expect(synthWith(Accelerator.nvidia({ tolerations: [{ key: 'a', operator: 'Equal', value: 'b', effect: 'NoSchedule' }] }))()[0].spec.template.spec.tolerations).toEqual([{ effect: 'NoSchedule', key: 'a', operator: 'Equal', value: 'b' }]);
  });

  test('the opt-out also turns the schema validation off', () => {
    const chart = chartWith({ podAnnotations: { 'bad key!': 'x' } });
    const app = new App();
    LlmdValidation.disable(app);
    const quiet = new Chart(app, 'c', { namespace: 'llm' });
    new LlmService(quiet, 'qwen', { model: MODEL, engine: Engine.simulator(), accelerator: Accelerator.cpu(), podAnnotations: { 'bad key!': 'x' } });
    expect(JSON.stringify(Testing.synth(quiet))).toContain('bad key!');
    expect(() => Testing.synth(chart)).toThrow(/invalid annotation key/);
  });

  test("the user's own objects are not schema-checked (only app-wide checks apply to them)", () => {
    const chart = chartWith({});
    new ApiObject(chart, 'mine', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'mine' }, unknownField: 1 });
    expect(Testing.synth(chart).find((o) => o.metadata.name === 'mine').unknownField).toBe(1);
  });
});

describe('the shipped schema subset', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-llm-d-bundle-'));
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));
  const objs = exampleNames().flatMap((name) => synthExample(name, path.join(out, name)).flatMap((f) => loadYamlDocuments(f)));
  const bundled = bundledValidator();

  test('covers every kind the examples emit, except the provider kinds validated by the tests only', () => {
    const kinds = Array.from(new Set(objs.map((o) => `${o.apiVersion}/${o.kind}`))).sort();
    const missing = kinds.filter((k) => {
      const [kind] = k.split('/').slice(-1);
      return !bundled.isKnownKind(k.slice(0, k.length - kind.length - 1), kind) && !PROVIDER_KINDS.includes(kind);
    });
    expect(missing).toEqual([]);
    expect(kinds.length).toBeGreaterThan(10);
  });

  test('gives the same verdicts as the harness over every vendored input, on valid and broken objects', () => {
    const harness = SchemaValidator.get();
    const known = objs.filter((o) => bundled.isKnownKind(o.apiVersion, o.kind));
    const broken = known.flatMap((o) => {
      const unknownField = structuredClone(o);
      unknownField.spec = { ...(unknownField.spec ?? {}), notAField: true };
      const badName = structuredClone(o);
      // RBAC names are path segments (`system:auth-delegator`): only '/' and '%' are refused there
      badName.metadata.name = 'Not_A_Name/x';
      const badLabel = structuredClone(o);
      badLabel.metadata.labels = { ...badLabel.metadata.labels, 'a/b/c': 'x' };
      return [unknownField, badName, badLabel];
    });
    for (const o of [...known, ...broken]) expect(formatIssues(bundled.validate(o))).toBe(formatIssues(harness.validate(o)));
    expect(known.length).toBeGreaterThan(50);
    // the broken objects are really rejected
    expect(broken.filter((o) => bundled.validate(o).length === 0).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([]);
    expect(bundled.unsupportedRules).toEqual([]);
  });
});
