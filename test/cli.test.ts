/** The `cdk8s-llm-d` CLI: render and check KServe YAML, with CI-friendly exit codes. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadYamlDocuments } from './harness/yaml';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, run } from '../src/cli/main';

const SAMPLES = path.join(__dirname, '..', 'imports', 'reference', 'kserve', 'samples');
const sample = (f: string) => path.join(SAMPLES, f);

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(argv, { stdout: (t) => { out += t; }, stderr: (t) => { err += t; } });
  return { code, out, err };
}

function tmp(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-llm-d-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

describe('cdk8s-llm-d render', () => {
  test('writes one file per service to -o', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-llm-d-out-'));
    const r = await cli('render', sample('single-node-gpu__llm-inference-service-qwen2-7b-gpu.yaml'), '-o', dir);
    expect(r.code).toBe(EXIT_OK);
    const objs = loadYamlDocuments(path.join(dir, 'qwen2-7b-instruct-single.k8s.yaml'));
    expect(objs.map((o: any) => `${o.kind}/${o.metadata.name}`)).toEqual(expect.arrayContaining([
      'Deployment/qwen2-7b-instruct-single-kserve', 'InferencePool/qwen2-7b-instruct-single-inference-pool', 'HTTPRoute/qwen2-7b-instruct-single-kserve-route',
    ]));
    expect(r.err).toMatch(/warning: .*livenessProbe: not rendered/);
  });

  test('uses LLMInferenceServiceConfig documents of other inputs for baseRefs and prints to stdout', async () => {
    const r = await cli('render', sample('e2e-gpt-oss__inference_pd_disaggregation.yaml'), sample('e2e-gpt-oss__llmisvc_config_pd_disagg.yaml'),
      sample('e2e-gpt-oss__gateway.yaml'));
    expect(r.code).toBe(EXIT_OK);
    const objs = loadYamlDocuments(r.out);
    expect(objs.map((o: any) => `${o.kind}/${o.metadata.name}`)).toEqual(expect.arrayContaining(['Deployment/gpt-oss-20b-kserve-prefill']));
    expect(r.err).toMatch(/note: .*Gateway ai-gateway.*skipped/);
  });

  test('a sample the library cannot render exits 1 with the reason', async () => {
    const r = await cli('render', sample('managed-dra__llm-inference-service-managed-dra-minimal.yaml'));
    expect(r.code).toBe(EXIT_INVALID);
    expect(r.err).toMatch(/error: .*LLMInferenceService qwen2-7b-instruct-dra-minimal: \[.*\] metadata\.annotations\["serving\.kserve\.io\/exp-dra-device-class"\]/);
  });

  test('a baseRef naming nothing exits 1', async () => {
    const r = await cli('render', sample('e2e-gpt-oss__inference_pd_disaggregation.yaml'));
    expect(r.code).toBe(EXIT_INVALID);
    expect(r.err).toMatch(/spec\.baseRefs\[0\]\.name = "llmisvc-config-pd-disagg".*ConfigNotFound/);
  });

  test('invalid YAML exits 2', async () => {
    const r = await cli('render', tmp('bad.yaml', 'kind: LLMInferenceService\nspec: [unclosed\n'));
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.err).toMatch(/bad\.yaml: document 1 is not valid YAML/);
  });

  test('wrong apiVersion exits 2', async () => {
    const r = await cli('render', tmp('v.yaml', 'apiVersion: serving.kserve.io/v1beta1\nkind: LLMInferenceService\nmetadata: {name: a}\n'));
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.err).toMatch(/apiVersion serving\.kserve\.io\/v1beta1 is not served/);
  });

  test('no service and missing file exit 2; unknown command exits 2', async () => {
    expect((await cli('render', sample('e2e-gpt-oss__gateway.yaml'))).code).toBe(EXIT_USAGE);
    expect((await cli('render', '/nonexistent.yaml')).code).toBe(EXIT_USAGE);
    expect((await cli('frobnicate')).code).toBe(EXIT_USAGE);
  });
});

describe('cdk8s-llm-d check', () => {
  test('prints the status report of a renderable sample and passes', async () => {
    const r = await cli('check', sample('dp-ep__deepseek-r1-gpu-rdma-roce__llm-inference-service-dp-ep-deepseek-r1-gpu-deepep-ht.yaml'));
    expect(r.code).toBe(EXIT_OK);
    expect(r.out).toMatch(/renders \(mode MULTI_NODE/);
    expect(r.out).toMatch(/WorkerWorkloadReady: .*\n\s+requires: the LeaderWorkerSet CRD and controller/);
    expect(r.out).toMatch(/check passed/);
  });

  test('P/D without a scheduler passes with a warning and the missing scheduler in the status report', async () => {
    const r = await cli('check', tmp('pd.yaml', [
      'apiVersion: serving.kserve.io/v1alpha2',
      'kind: LLMInferenceService',
      'metadata: { name: pd-nosched, namespace: llm }',
      'spec:',
      '  model: { uri: "hf://facebook/opt-125m" }',
      '  router: { route: {}, gateway: {} }',
      '  template: { containers: [{ name: main, resources: { limits: { nvidia.com/gpu: "1" } } }] }',
      '  prefill: { template: { containers: [{ name: main, resources: { limits: { nvidia.com/gpu: "1" } } }] } }',
    ].join('\n')));
    expect(r.code).toBe(EXIT_OK);
    expect(r.out).toMatch(/warning: .*spec\.router\.scheduler: not set/);
    expect(r.out).toMatch(/renders \(mode PREFILL_DECODE/);
    expect(r.out).toMatch(/PrefillWorkloadReady: .*\n(\s+requires: .*\n)*\s+requires: a scheduler for disaggregation/);
    expect(r.out).toMatch(/check passed/);
  });

  test('the CRD schema prunes unknown fields with a warning (kv-cache-offloading sample)', async () => {
    const r = await cli('check', sample('kv-cache-offloading__llm-inference-service-kv-cache-offloading.yaml'));
    expect(r.code).toBe(EXIT_OK);
    expect(r.out).toMatch(/warning: .*: spec\.workload: unknown field, pruned by the API server/);
  });

  test('pruned fields are prominent, with where they belong; --strict makes check and render fail', async () => {
    const file = sample('kv-cache-offloading__llm-inference-service-kv-cache-offloading.yaml');
    const plain = await cli('check', file);
    expect(plain.out).toContain('spec.workload: PRUNED');
    expect(plain.out).toContain('move to spec.kvCacheOffloading');
    const strict = await cli('check', '--strict', file);
    expect(strict.code).toBe(EXIT_INVALID);
    expect(strict.out).toMatch(/error: .*--strict: 1 field\(s\) would be pruned by the API server: spec\.workload/);
    const render = await cli('render', '--strict', file);
    expect(render.code).toBe(EXIT_INVALID);
    expect(render.out).toBe('');
    expect(render.err).toContain('--strict');
    const lenient = await cli('render', file);
    expect(lenient.code).toBe(EXIT_OK);
    expect(lenient.err).toContain('spec.workload: PRUNED');
  });

  test('schema errors fail the check with exit 1', async () => {
    const r = await cli('check', tmp('t.yaml', [
      'apiVersion: serving.kserve.io/v1alpha2', 'kind: LLMInferenceService', 'metadata: {name: a}',
      'spec:', '  model: {uri: "hf://a/b"}', '  replicas: "two"', '  parallelism: {tensor: 0}',
    ].join('\n')));
    expect(r.code).toBe(EXIT_INVALID);
    expect(r.out).toMatch(/error: .*: spec\.replicas: must be integer/);
    expect(r.out).toMatch(/error: .*: spec\.parallelism\.tensor: must be >= 1/);
    expect(r.out).toMatch(/check failed/);
  });

  test('gs:// fails with the supported schemes', async () => {
    const r = await cli('check', tmp('g.yaml', 'apiVersion: serving.kserve.io/v1alpha1\nkind: LLMInferenceService\nmetadata: {name: a}\nspec: {model: {uri: "gs://b/m"}}\n'));
    expect(r.code).toBe(EXIT_INVALID);
    expect(r.out).toMatch(/spec\.model\.uri = "gs:\/\/b\/m": unsupported schema in model URI.*hf:\/\/, s3:\/\/, pvc:\/\/, oci:\/\//);
  });
});
