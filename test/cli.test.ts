/** The `cdk8s-llm-d` CLI: render and check KServe YAML, with CI-friendly exit codes. */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { loadYamlDocuments } from './harness/yaml';
import { auditRendered } from '../src/cli/audit';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, run } from '../src/cli/main';
import { OUTPUT_MANIFEST } from '../src/cli/output';
import { KServeMode } from '../src/kserve/status';

const SAMPLES = path.join(__dirname, '..', 'imports', 'reference', 'kserve', 'samples');
const sample = (f: string) => path.join(SAMPLES, f);

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  return cliWithStdin('', ...argv);
}

async function cliWithStdin(stdin: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(argv, { stdout: (t) => { out += t; }, stderr: (t) => { err += t; }, stdin: () => stdin });
  return { code, out, err };
}

const SERVICE = (spec: string[], name = 'a') => [
  'apiVersion: serving.kserve.io/v1alpha2', 'kind: LLMInferenceService', `metadata: {name: ${name}}`, 'spec:', '  model: {uri: "hf://Qwen/Qwen3-0.6B"}', ...spec,
].join('\n') + '\n';
const CPU_TEMPLATE = ['  template:', '    containers:', '      - name: main', '        image: docker.io/vllm/vllm-openai-cpu:v0.23.0'];

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

  test('a sample the library cannot render alone exits 1 with the reason', async () => {
    const r = await cli('render', sample('multi-gpu-vendor__llm-inference-service-qwen2-7b-amd-no-scheduler.yaml'));
    expect(r.code).toBe(EXIT_INVALID);
    expect(r.err).toMatch(/error: .*LLMInferenceService qwen2-7b-instruct-amd: spec\.labels\["app\.kubernetes\.io\/name"\] = "qwen2-7b-instruct-nvidia": .*not rendered with this one/);
    expect(r.err).not.toMatch(/\[qwen2-7b-instruct-amd\/svc/); // no construct path
  });

  test('the AMD and NVIDIA samples passed together share one InferencePool (the AMD file first on the command line)', async () => {
    const r = await cli('render', sample('multi-gpu-vendor__llm-inference-service-qwen2-7b-amd-no-scheduler.yaml'),
      sample('multi-gpu-vendor__llm-inference-service-qwen2-7b-nvidia-with-scheduler.yaml'));
    expect(r.code).toBe(0);
    const docs = YAML.parseAllDocuments(r.out).map((d) => d.toJS());
    const pools = docs.filter((d) => d?.kind === 'InferencePool');
    expect(pools).toHaveLength(1);
    expect(pools[0].spec.selector.matchLabels['llm-d.ai/inference-pool']).toBe('qwen2-7b-instruct-nvidia-inference-pool');
    const amd = docs.find((d) => d?.kind === 'Deployment' && d.metadata.name === 'qwen2-7b-instruct-amd-kserve');
    expect(amd.spec.template.metadata.labels['llm-d.ai/inference-pool']).toBe('qwen2-7b-instruct-nvidia-inference-pool');
    // the output keeps the order of the inputs
    expect(docs.findIndex((d) => d?.metadata?.name === 'qwen2-7b-instruct-amd-kserve')).toBeLessThan(docs.findIndex((d) => d?.kind === 'InferencePool'));
  });

  test('an e2e sample renders with the LLMInferenceServiceConfig file it names', async () => {
    const r = await cli('render', sample('e2e-gpt-oss__inference_pd_disaggregation.yaml'), sample('e2e-gpt-oss__llmisvc_config_pd_disagg.yaml'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/kind: InferencePool/);
  });

  test('an e2e sample renders from one multi-document file holding the service and its LLMInferenceServiceConfig', async () => {
    const text = [fs.readFileSync(sample('e2e-gpt-oss__llmisvc_config_pd_disagg.yaml'), 'utf8'), fs.readFileSync(sample('e2e-gpt-oss__inference_pd_disaggregation.yaml'), 'utf8')]
      .map((t) => t.replace(/^---\n/, '').trimEnd()).join('\n---\n');
    const r = await cli('render', tmp('e2e-pd.yaml', text + '\n'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/kind: InferencePool/);
    expect(r.out).toMatch(/name: [a-z0-9-]+-kserve-prefill\n/);
  });

  test('the latency-predictor sample renders; its inline config as YAML text is a warning (the CRD types it as an object)', async () => {
    const r = await cli('render', sample('latency-predictor__llm-inference-service-latency-predictor.yaml'));
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/warning: .*spec\.router\.scheduler\.config\.inline: is YAML text; the CRD types it as an object.*Fix: write spec\.router\.scheduler\.config\.inline as a YAML mapping/);
    expect(r.out).toMatch(/name: training-server\n/);
    expect(r.out).toMatch(/name: prediction-server\n/);
  });

  test('an e2e config that fails the KServe CRD schema is refused as the API server would refuse it', async () => {
    const r = await cli('render', sample('e2e-gpt-oss__inference_default.yaml'), sample('e2e-gpt-oss__llmisvc_config_default.yaml'), '--allow-unknown-flags');
    expect(r.code).toBe(EXIT_INVALID);
    expect(r.err).toMatch(/LLMInferenceServiceConfig llmisvc-intelligent-inference-scheduling: spec\.router\.scheduler\.pool\.spec\.selector: is required/);
    expect(r.err).toMatch(/not rendered: its baseRef LLMInferenceServiceConfig llmisvc-intelligent-inference-scheduling has schema errors/);
  });

  test('a managed-DRA sample renders its ResourceClaimTemplate', async () => {
    const r = await cli('render', sample('managed-dra__llm-inference-service-managed-dra-minimal.yaml'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/kind: ResourceClaimTemplate\n/);
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
    expect(r.out).toMatch(/check passed: 1 service\(s\), 0 error\(s\)/);
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
    expect(r.err).toMatch(/warning: .*spec\.router\.scheduler: not set/);
    expect(r.out).toMatch(/renders \(mode PREFILL_DECODE/);
    expect(r.out).toMatch(/PrefillWorkloadReady: .*\n(\s+requires: .*\n)*\s+requires: a scheduler for disaggregation/);
    expect(r.out).toMatch(/check passed/);
  });

  test('an unknown field fails check (the API server would prune it), reported once, on stderr (kv-cache-offloading sample)', async () => {
    const r = await cli('check', sample('kv-cache-offloading__llm-inference-service-kv-cache-offloading.yaml'));
    expect(r.code).toBe(EXIT_INVALID);
    expect(r.err).toMatch(/error: .*: spec\.workload: PRUNED — unknown field, dropped by the API server/);
    expect(r.err.match(/spec\.workload: PRUNED/g)).toHaveLength(1);
    expect(r.out).toMatch(/check failed: 1 service\(s\), 1 error\(s\)/);
  });

  test('pruned fields are prominent, with where they belong; render warns, render --strict fails', async () => {
    const file = sample('kv-cache-offloading__llm-inference-service-kv-cache-offloading.yaml');
    const plain = await cli('check', file);
    expect(plain.err).toContain('spec.workload: PRUNED');
    expect(plain.err).toContain('move to spec.kvCacheOffloading');
    expect(plain.err).toContain('Fix: move it up one level (to spec.kvCacheOffloading) and remove spec.workload');
    const render = await cli('render', '--strict', file);
    expect(render.code).toBe(EXIT_INVALID);
    expect(render.out).toBe('');
    expect(render.err).toMatch(/error: --strict: \d+ warning\(s\) count as errors; nothing written/);
    const lenient = await cli('render', file);
    expect(lenient.code).toBe(EXIT_OK);
    expect(lenient.err).toContain('warning: ');
    expect(lenient.err).toContain('spec.workload: PRUNED');
  });

  test('misspelled fields fail with "did you mean", each problem once', async () => {
    const r = await cli('check', tmp('typo.yaml', SERVICE(['  replica: 2', '  routr: {scheduler: {}}', ...CPU_TEMPLATE])));
    expect(r.code).toBe(EXIT_INVALID);
    expect(r.err).toMatch(/error: .*: spec\.replica: PRUNED.*did you mean spec\.replicas\?\. Fix: rename spec\.replica to spec\.replicas/);
    expect(r.err).toMatch(/error: .*: spec\.routr: PRUNED.*did you mean spec\.router\?/);
    expect(r.err.match(/spec\.replica:/g)).toHaveLength(1);
    expect(r.err.match(/spec\.routr:/g)).toHaveLength(1);
  });

  test('--strict fails on warnings; --quiet prints only problems; --json is one document', async () => {
    const file = sample('opt-125m-cpu__llm-inference-service-facebook-opt-125m-cpu.yaml');
    const plain = await cli('check', file);
    expect(plain.code).toBe(EXIT_OK);
    expect(plain.err).toMatch(/^warning: /m);
    const strict = await cli('check', '--strict', file);
    expect(strict.code).toBe(EXIT_INVALID);
    expect(strict.out).toMatch(/check failed: .*\(--strict: warnings count as errors\)/);
    const quiet = await cli('check', '--quiet', file);
    expect(quiet.code).toBe(EXIT_OK);
    expect(quiet.out).toBe('');
    expect(quiet.err).toBe(plain.err.split('\n').filter((l) => !l.startsWith('note: ')).join('\n'));
    const json = await cli('check', '--json', file);
    expect(json.code).toBe(EXIT_OK);
    expect(json.err).toBe('');
    const doc = JSON.parse(json.out);
    expect(doc).toMatchObject({ result: 'passed', errors: 0, services: [{ name: 'facebook-opt-125m-single', renders: true, mode: 'SIMPLE' }] });
    expect(doc.warnings).toBe(doc.findings.filter((f: any) => f.level === 'warning').length);
    expect(doc.findings).toEqual(expect.arrayContaining([expect.objectContaining({ level: 'warning', field: 'spec.template.containers[main].resources.memory' })]));
    expect(doc.services[0].conditions.map((c: any) => c.type)).toContain('MainWorkloadReady');
    const unreadable = await cli('check', '--json', '/nonexistent.yaml');
    expect(unreadable.code).toBe(EXIT_USAGE);
    expect(JSON.parse(unreadable.out)).toMatchObject({ result: 'error', findings: [{ level: 'error', message: expect.stringContaining('/nonexistent.yaml: cannot read (ENOENT)') }] });
  });

  test('an input value the rendered objects drop or change is a warning (env the library owns); carried values are not', async () => {
    const r = await cli('check', tmp('cpu.yaml', SERVICE([...CPU_TEMPLATE, '        env: [{name: HOME, value: /root}, {name: VLLM_LOGGING_LEVEL, value: DEBUG}, {name: MY_SETTING, value: "1"}]',
      '        resources: {limits: {cpu: "4", memory: 8Gi}, requests: {cpu: "2", memory: 8Gi}}'])));
    expect(r.code).toBe(EXIT_OK);
    expect(r.err).toMatch(/warning: .*: spec\.template\.containers\[main\]\.env\[0\]: HOME="\/root": the library owns HOME=\/home .*; yours is dropped/);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    // the CPU limit and the user's VLLM_LOGGING_LEVEL are carried into the pod (KServe parity), so nothing is reported
    expect(r.err).not.toMatch(/limits\.cpu|VLLM_LOGGING_LEVEL|MY_SETTING|requests\.cpu|memory/);
  });

  test('node selectors and tolerations reach the rendered pod, or are named', async () => {
    const r = await cli('check', tmp('sched.yaml', SERVICE([...CPU_TEMPLATE.slice(0, 1), '    nodeSelector: {pool: cpu-large}',
      '    tolerations: [{key: dedicated, operator: Equal, value: llm, effect: NoSchedule}]', ...CPU_TEMPLATE.slice(1)])));
    expect(r.code).toBe(EXIT_OK);
    expect(r.err).not.toMatch(/nodeSelector|tolerations/); // both are rendered
    const rendered = loadYamlDocuments((await cli('render', tmp('sched2.yaml', SERVICE([...CPU_TEMPLATE.slice(0, 1), '    nodeSelector: {pool: cpu-large}',
      ...CPU_TEMPLATE.slice(1)])))).out).find((o: any) => o.kind === 'Deployment' && o.metadata.name === 'a-kserve');
    expect(rendered.spec.template.spec.nodeSelector).toMatchObject({ pool: 'cpu-large' });
  });

  test('the audit names what a rendered pod lost (selector, toleration, env, resources) and what changed', () => {
    const main = { name: 'main', image: 'vllm/vllm-openai:v0.23.0', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], resources: { limits: { cpu: '4', memory: '8Gi' } } };
    const rendered = { name: 'main', image: 'vllm/vllm-openai:v0.23.0', env: [{ name: 'B', value: '3' }], resources: { limits: { memory: '8192Mi' } } };
    const spec = { template: { nodeSelector: { pool: 'a' }, tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }], containers: [main] } };
    const objects = [{ kind: 'Deployment', metadata: { name: 'x-kserve' }, spec: { template: { spec: { containers: [rendered] } } } }];
    const found = auditRendered({ name: 'x', mode: KServeMode.SIMPLE, mergedSpec: spec, objects, warnings: [], allowUnknownFlags: false });
    expect(found.map((f) => `${f.field}: ${f.message}`)).toEqual([
      'spec.template.nodeSelector["pool"]: "a" is dropped: the rendered pod has no such node selector',
      'spec.template.tolerations[0]: {"key":"k","operator":"Exists","effect":"NoSchedule"} is dropped or changed: the rendered pod has no equal toleration',
      'spec.template.containers[main].resources.limits.cpu: 4 is dropped: the rendered container has no limits.cpu',
      'spec.template.containers[main].env[0]: A="1" is dropped: the rendered container has no A',
      'spec.template.containers[main].env[1]: B="2" is changed to "3" in the rendered container',
    ]); // 8Gi = 8192Mi is not a change
  });

  test('an image other than the checked vLLM release is named; the pinned one is not', async () => {
    const preset = await cli('check', sample('single-node-gpu__llm-inference-service-qwen2-7b-gpu.yaml'));
    expect(preset.err).toMatch(/warning: .*: spec\.template\.containers\[main\]\.image: ghcr\.io\/llm-d\/llm-d-cuda:v0\.9\.0 \(the default of KServe's presets\) is not vLLM v0\.23\.0 \(vllm\/vllm-openai:v0\.23\.0\), the release whose flags were checked/);
    const old = await cli('check', sample('lora-adapters__test-examples__01-lora-hf-cpu.yaml'));
    expect(old.err).toMatch(/image: vllm\/vllm-openai-cpu:v0\.19\.0 is not vLLM v0\.23\.0/);
    const pd = await cli('check', sample('single-node-gpu__llm-inference-service-pd-qwen2-7b-gpu.yaml'));
    expect(pd.err.match(/is not vLLM v0\.23\.0/g)).toHaveLength(1); // prefill runs the same image: one problem
    const pinned = await cli('check', tmp('pinned.yaml', SERVICE(CPU_TEMPLATE)));
    expect(pinned.err).not.toMatch(/is not vLLM/);
  });

  test('a flag suggestion never proposes the opposite switch', async () => {
    const r = await cli('check', tmp('flag.yaml', SERVICE([...CPU_TEMPLATE, '        args: ["--disable-log-requests"]'])));
    expect(r.code).toBe(EXIT_INVALID);
    expect(r.err).toMatch(/spec\.template\.containers\[main\]\.args\[0\] = "--disable-log-requests": is not a known flag of this engine version \(--enable-log-requests switches the same thing the other way/);
    expect(r.err).not.toMatch(/did you mean --enable-log-requests/);
    expect(r.err).toContain('pass --allow-unknown-flags');
    const typo = await cli('check', tmp('flag2.yaml', SERVICE([...CPU_TEMPLATE, '        args: ["--max-model-lenn=4096"]'])));
    expect(typo.err).toContain('did you mean --max-model-len?');
  });

  test('hints speak YAML and CLI flags: no construct paths, no TypeScript calls, no schema-library dumps (every sample)', async () => {
    const files = fs.readdirSync(SAMPLES).filter((f) => f.endsWith('.yaml')).map(sample);
    const configs = files.filter((f) => /llmisvc_config/.test(f));
    let checked = 0;
    for (const f of files.filter((x) => !configs.includes(x))) {
      const r = await cli('check', f, ...configs);
      if (r.code === EXIT_USAGE) continue; // no LLMInferenceService in the file
      checked++;
      const text = r.out + r.err;
      expect(text).not.toMatch(/\[[a-z0-9-]+\/svc[\]/]/);
      expect(text).not.toMatch(/\b[A-Z][A-Za-z]+\.[a-z][A-Za-z]*\(|addJsonPatch|allowUnknownFlags|props\./);
      expect(text).not.toMatch(/\{"(type|limit|missingProperty|allowedValues)"/);
    }
    expect(checked).toBeGreaterThanOrEqual(20);
    // the simulator sample without its --zmq-endpoint (so nothing says it dials the EPP) under a pod-discovery config
    const text = fs.readFileSync(sample('precise-prefix-kv-cache-routing__llm-inference-service-opt-125m-cpu-kv-cache-routing-simulator.yaml'), 'utf8')
      .replace(/\n\s*- --zmq-endpoint\n\s*- "[^"]*"/, '');
    expect(text).not.toContain('--zmq-endpoint');
    const deep = await cli('check', tmp('sim-pod-discovery.yaml', text));
    expect(deep.err).toMatch(/error: .*: spec\.router\.scheduler: .*never binds a socket.*Fix: set kvEventsConfig discoverPods: false, zmqEndpoint tcp:\/\/\*:5557 in the precise-prefix-cache-producer/);
    expect(deep.err).not.toMatch(/\b[A-Z][A-Za-z]+\.[a-z][A-Za-z]*\(/);
  });

  test('schema errors fail the check with exit 1', async () => {
    const r = await cli('check', tmp('t.yaml', [
      'apiVersion: serving.kserve.io/v1alpha2', 'kind: LLMInferenceService', 'metadata: {name: a}',
      'spec:', '  model: {uri: "hf://a/b"}', '  replicas: "two"', '  parallelism: {tensor: 0}',
    ].join('\n')));
    expect(r.code).toBe(EXIT_INVALID);
    expect(r.err).toMatch(/error: .*: spec\.replicas: must be integer; got "two"\. Fix: write spec\.replicas as an integer/);
    expect(r.err).toMatch(/error: .*: spec\.parallelism\.tensor: must be >= 1; got 0/);
    expect(r.err).toMatch(/error: .*: not rendered: the schema errors above come first/);
    expect(r.err).not.toMatch(/must be an integer >= 0 \(the CRD schema rejects it\)/); // the construct's check of the same field is not run
    expect(r.out).toMatch(/check failed/);
  });

  test('a config with schema errors blocks only the services whose baseRefs name it', async () => {
    const r = await cli('check', sample('e2e-gpt-oss__inference_pd_disaggregation.yaml'), sample('e2e-gpt-oss__llmisvc_config_pd_disagg.yaml'),
      sample('e2e-gpt-oss__llmisvc_config_default.yaml'), sample('e2e-gpt-oss__inference_default.yaml'));
    expect(r.code).toBe(EXIT_INVALID);
    expect(r.err).toMatch(/error: .*LLMInferenceServiceConfig llmisvc-intelligent-inference-scheduling: spec\.router\.scheduler\.pool\.spec\.selector: is required/);
    expect(r.err).toMatch(/inference_default\.yaml: LLMInferenceService gpt-oss-20b: not rendered: its baseRef LLMInferenceServiceConfig llmisvc-intelligent-inference-scheduling has schema errors/);
    expect(r.out).toMatch(/inference_pd_disaggregation\.yaml: LLMInferenceService gpt-oss-20b: renders \(mode PREFILL_DECODE/);
  });

  test('gs:// fails with the supported schemes', async () => {
    const r = await cli('check', tmp('g.yaml', 'apiVersion: serving.kserve.io/v1alpha1\nkind: LLMInferenceService\nmetadata: {name: a}\nspec: {model: {uri: "gs://b/m"}}\n'));
    expect(r.code).toBe(EXIT_INVALID);
    expect(r.err).toMatch(/spec\.model\.uri = "gs:\/\/b\/m": unsupported schema in model URI.*hf:\/\/, s3:\/\/, pvc:\/\/, oci:\/\//);
  });
});

describe('CLI conventions', () => {
  const cpuService = (name: string) => SERVICE(CPU_TEMPLATE, name);

  test('--version prints the package version', async () => {
    const r = await cli('--version');
    expect(r.code).toBe(EXIT_OK);
    expect(r.out.trim()).toBe(JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).version);
  });

  test('a directory input reads its YAML files (recursively); - reads stdin', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-llm-d-in-'));
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(path.join(dir, 'a.yaml'), cpuService('a'));
    fs.writeFileSync(path.join(dir, 'sub', 'b.yml'), cpuService('b'));
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not yaml: [');
    const r = await cli('render', dir);
    expect(r.code).toBe(EXIT_OK);
    expect(loadYamlDocuments(r.out).filter((o: any) => o.kind === 'Deployment').map((o: any) => o.metadata.name).sort()).toEqual(['a-kserve', 'b-kserve']);
    expect(r.err).toMatch(/^rendered 2 service\(s\) \(\d+ objects\) to stdout$/m);
    const piped = await cliWithStdin(cpuService('c'), 'render', '-');
    expect(loadYamlDocuments(piped.out).some((o: any) => o.metadata.name === 'c-kserve')).toBe(true);
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-llm-d-empty-'));
    const none = await cli('render', empty);
    expect(none.code).toBe(EXIT_USAGE);
    expect(none.err).toMatch(/directory holds no \.yaml or \.yml file/);
  });

  test('-o removes the files an earlier render wrote and this one does not, never other files; one summary line', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-llm-d-out-'));
    fs.writeFileSync(path.join(out, 'mine.k8s.yaml'), 'kept: true\n');
    const first = await cli('render', tmp('ab.yaml', cpuService('a') + '---\n' + cpuService('b')), '-o', out);
    expect(first.code).toBe(EXIT_OK);
    expect(fs.readdirSync(out).sort()).toEqual([OUTPUT_MANIFEST, 'a.k8s.yaml', 'b.k8s.yaml', 'mine.k8s.yaml'].sort());
    expect(first.err.trim().split('\n').filter((l) => l.startsWith('rendered'))).toEqual([
      `rendered 2 service(s) (${loadYamlDocuments(path.join(out, 'a.k8s.yaml')).length * 2} objects): wrote ${path.join(out, 'a.k8s.yaml')}, ${path.join(out, 'b.k8s.yaml')}`,
    ]);
    const second = await cli('render', tmp('a.yaml', cpuService('a')), '-o', out);
    expect(second.code).toBe(EXIT_OK);
    expect(fs.readdirSync(out).sort()).toEqual([OUTPUT_MANIFEST, 'a.k8s.yaml', 'mine.k8s.yaml'].sort());
    expect(second.err).toContain(`removed stale ${path.join(out, 'b.k8s.yaml')}`);
    expect(JSON.parse(fs.readFileSync(path.join(out, OUTPUT_MANIFEST), 'utf8')).files).toEqual(['a.k8s.yaml']);
  });

  test('an output path that is a file exits 1 with a message', async () => {
    const file = tmp('out.yaml', 'x: 1\n');
    const r = await cli('render', tmp('a.yaml', cpuService('a')), '-o', file);
    expect(r.code).toBe(EXIT_INVALID);
    expect(r.err).toMatch(/^error: -o .*out\.yaml: is a file, not a directory/m);
    expect(fs.readFileSync(file, 'utf8')).toBe('x: 1\n');
  });

  test('two services of one name and namespace exit 1 instead of overwriting one file', async () => {
    const r = await cli('render', tmp('dup.yaml', cpuService('a') + '---\n' + cpuService('a')), '-o', fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-llm-d-dup-')));
    expect(r.code).toBe(EXIT_INVALID);
    expect(r.err).toMatch(/metadata\.name = "a": a second LLMInferenceService default\/a/);
  });

  test('piped into head, the CLI stops without an EPIPE stack trace', () => {
    const root = path.join(__dirname, '..');
    const input = tmp('many.yaml', Array.from({ length: 30 }, (_, i) => cpuService(`s${i}`)).join('---\n'));
    const command = `${path.join(root, 'node_modules', '.bin', 'ts-node')} --swc -P ${path.join(root, 'test', 'tsconfig.json')} ${path.join(root, 'src', 'cli', 'main.ts')}`
      + ` render -q ${input} 2>${input}.err | head -c 100 >/dev/null; echo "status=\${PIPESTATUS[0]}"`;
    const out = execFileSync('bash', ['-c', command], { encoding: 'utf8' });
    expect(out.trim()).toBe('status=0');
    expect(fs.readFileSync(`${input}.err`, 'utf8')).toBe('');
  });
});

describe('the CLI never crashes on bad input', () => {
  test('a YAML alias bomb exits 1 with a message', async () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (const l of ['b', 'c', 'd', 'e', 'f', 'g']) levels.push(`${l}: &${l} [${Array(9).fill('*' + String.fromCharCode(l.charCodeAt(0) - 1)).join(',')}]`);
    const r = await cli('check', tmp('bomb.yaml', levels.join('\n') + '\n'));
    expect(r.code).toBe(EXIT_INVALID);
    expect(r.err).toMatch(/document 1 expands YAML aliases more than 100 times \(an alias bomb\); refused/);
  });

  test('null, or the wrong type, wherever a KServe field is expected: exit 0 or 1 with a message, never an internal error', async () => {
    const base = YAML.parse(fs.readFileSync(sample('opt-125m-cpu__llm-inference-service-pd-facebook-opt-125m-cpu.yaml'), 'utf8'));
    const paths: string[][] = [];
    const walk = (v: unknown, at: string[]) => {
      if (at.length > 0) paths.push(at);
      if (v !== null && typeof v === 'object') for (const [k, c] of Object.entries(v as object)) walk(c, [...at, k]);
    };
    walk(base.spec, ['spec']);
    walk(base.metadata, ['metadata']);
    expect(paths.length).toBeGreaterThan(30);
    const outcomes = new Map<number, number>();
    for (const at of paths) {
      for (const bad of [null, 'text', 7, [1], { x: 1 }]) {
        const doc = JSON.parse(JSON.stringify(base));
        let node = doc;
        for (const k of at.slice(0, -1)) node = node[k];
        node[at[at.length - 1]] = bad;
        const r = await cli('render', tmp('bad.yaml', YAML.stringify(doc)));
        outcomes.set(r.code, (outcomes.get(r.code) ?? 0) + 1);
        if (r.code !== EXIT_OK) {
          expect(r.code).toBe(EXIT_INVALID);
          expect(r.err).toMatch(/^error: /m);
        }
      }
    }
    expect(outcomes.get(EXIT_INVALID)).toBeGreaterThan(paths.length);
  });
});
