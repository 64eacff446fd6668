/**
 * Every LLMInferenceService sample of KServe (`imports/reference/kserve/samples/`, vendored unchanged from
 * `shared/reference/kserve/samples/`) either renders — and the result passes the schema + CEL validation and the
 * wiring checker — or is rejected with the asserted reason. Expected tables are written by hand from
 * `shared/docs/kserve-llmisvc.md` §3.0 (names), §3.1 (labels and selectors), §3.3–§3.5 (pods, ports, args),
 * §4.3 (EPP config), §5 (pool) and §6.2 (route).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { KServeMode, LlmInferenceService, LlmInferenceServiceProps } from '../src';
import { LlmdConfigError } from '../src/errors';
import { formatIssues, SchemaValidator } from './harness/schema-validator';
import { checkWiring, formatViolations } from './harness/wiring-checker';
import { loadYamlDocuments } from './harness/yaml';
import { KSERVE_PRESETS } from '../src/kserve/presets';

const SAMPLES = path.join(__dirname, '..', 'imports', 'reference', 'kserve', 'samples');
const ALL = fs.readdirSync(SAMPLES).filter((f) => f.endsWith('.yaml')).sort();
const DOCS = ALL.flatMap((f) => loadYamlDocuments(path.join(SAMPLES, f)).map((d: any) => ({ file: f, doc: d })));
const CONFIGS = DOCS.filter((x) => x.doc?.kind === 'LLMInferenceServiceConfig').map((x) => x.doc);
const SERVICES = DOCS.filter((x) => x.doc?.kind === 'LLMInferenceService');

/** Samples rendered together with another sample's service (constructed first, in the same app). */
const RENDERED_WITH: Record<string, string> = {
  'multi-gpu-vendor__llm-inference-service-qwen2-7b-amd-no-scheduler.yaml': 'multi-gpu-vendor__llm-inference-service-qwen2-7b-nvidia-with-scheduler.yaml',
};

function render(file: string, extra: Partial<LlmInferenceServiceProps> = {}): { svc: LlmInferenceService; objs: any[] } {
  const doc = (f: string) => {
    const hit = SERVICES.find((x) => x.file === f);
    if (!hit) throw new Error(`no LLMInferenceService in ${f}`);
    return hit.doc;
  };
  const app = Testing.app();
  const first = RENDERED_WITH[file];
  const before = first ? new Chart(app, 'first', { namespace: 'llm' }) : undefined;
  if (before) new LlmInferenceService(before, 'svc', { resource: doc(first), configs: CONFIGS });
  const chart = new Chart(app, 'kserve', { namespace: 'llm' });
  const svc = new LlmInferenceService(chart, 'svc', { resource: doc(file), configs: CONFIGS, ...extra });
  return { svc, objs: [...(before ? Testing.synth(before) : []), ...Testing.synth(chart)] };
}

type Verdict =
  | { render: true; mode: KServeMode; allowUnknownFlags?: boolean }
  | { render: false; field: string; because: RegExp; allowUnknownFlags?: boolean };

/** One verdict per LLMInferenceService sample. */
const VERDICTS: Record<string, Verdict> = {
  'agentic-tool-calling__llmisvc-single-gpu.yaml': { render: true, mode: KServeMode.SIMPLE },
  // MultiConnector (NixlConnector producer/consumer + OffloadingConnector) in the templates: NIXL typed, the offloading entry as written.
  'agentic-tool-calling__nemotron-3-ultra-pd.yaml': { render: true, mode: KServeMode.PREFILL_DECODE },
  'dp-ep__deepseek-r1-gpu-rdma-roce__llm-inference-service-dp-ep-deepseek-r1-gpu-deepep-ht.yaml': { render: true, mode: KServeMode.MULTI_NODE },
  'dp-ep__deepseek-r1-gpu-rdma-roce__llm-inference-service-dp-ep-deepseek-r1-gpu-naive.yaml': { render: true, mode: KServeMode.MULTI_NODE },
  // P/D + multi-node (KServe mode D): decode and prefill LeaderWorkerSets, the decode leader behind the routing sidecar.
  'dp-ep__deepseek-r1-gpu-rdma-roce__llm-inference-service-dp-ep-deepseek-r1-pd-gpu-p-deepep-ht-d-deepep-ht.yaml': { render: true, mode: KServeMode.PREFILL_DECODE_MULTI_NODE },
  // P/D + multi-node (KServe mode D): decode and prefill LeaderWorkerSets, the decode leader behind the routing sidecar.
  'dp-ep__deepseek-r1-gpu-rdma-roce__llm-inference-service-dp-ep-deepseek-r1-pd-gpu-p-deepep-ht-d-pplx.yaml': { render: true, mode: KServeMode.PREFILL_DECODE_MULTI_NODE },
  // `--disable-log-requests` is gone from vLLM v0.23.0 (the pinned flag table); it renders with allowUnknownFlags.
  'e2e-gpt-oss__inference_default.yaml': { render: true, mode: KServeMode.SIMPLE, allowUnknownFlags: true },
  'e2e-gpt-oss__inference_pd_disaggregation.yaml': { render: true, mode: KServeMode.PREFILL_DECODE },
  // Needs allowUnknownFlags (--disable-log-requests); the tokenizer reads the pvc:// model's tokenizer files at /mnt/models/base.
  'e2e-gpt-oss__inference_prefix_cache.yaml': { render: true, mode: KServeMode.SIMPLE, allowUnknownFlags: true },
  // The sample nests kvCacheOffloading under spec.workload, which the CRD prunes (reported): rendered without offloading, as the
  // controller would; test/kv-cache.test.ts renders the corrected spec.kvCacheOffloading.
  'kv-cache-offloading__llm-inference-service-kv-cache-offloading.yaml': { render: true, mode: KServeMode.SIMPLE },
  // §3.9 latency predictor: training and prediction servers in the EPP pod; the config is an inline YAML string.
  'latency-predictor__llm-inference-service-latency-predictor.yaml': { render: true, mode: KServeMode.SIMPLE },
  'lora-adapters__test-examples__01-lora-hf-cpu.yaml': { render: true, mode: KServeMode.SIMPLE },
  'lora-adapters__test-examples__02-lora-multi-hf-cpu.yaml': { render: true, mode: KServeMode.SIMPLE },
  'lora-adapters__test-examples__04-lora-pvc-cpu.yaml': { render: true, mode: KServeMode.SIMPLE },
  // §3.9 managed DRA: ResourceClaimTemplate N-managed-dra, pod resourceClaims and the main container's claim.
  'managed-dra__llm-inference-service-managed-dra-minimal.yaml': { render: true, mode: KServeMode.SIMPLE },
  'managed-dra__llm-inference-service-managed-dra-multi-device.yaml': { render: true, mode: KServeMode.SIMPLE },
  // spec.labels carry the NVIDIA service's pool selector: rendered with that service, as a member of its pool.
  'multi-gpu-vendor__llm-inference-service-qwen2-7b-amd-no-scheduler.yaml': { render: true, mode: KServeMode.SIMPLE },
  'multi-gpu-vendor__llm-inference-service-qwen2-7b-nvidia-with-scheduler.yaml': { render: true, mode: KServeMode.SIMPLE },
  'opt-125m-cpu__llm-inference-service-facebook-opt-125m-cpu-no-scheduler.yaml': { render: true, mode: KServeMode.SIMPLE },
  'opt-125m-cpu__llm-inference-service-facebook-opt-125m-cpu.yaml': { render: true, mode: KServeMode.SIMPLE },
  'opt-125m-cpu__llm-inference-service-pd-facebook-opt-125m-cpu.yaml': { render: true, mode: KServeMode.PREFILL_DECODE },
  // Mis-wired upstream: the EPP config discovers pods (it dials each pod's socketPort) while the pinned simulator only
  // dials its --zmq-endpoint (the EPP Service) and never binds; rendered with the EPP binding that port instead.
  'precise-prefix-kv-cache-routing__llm-inference-service-opt-125m-cpu-kv-cache-routing-simulator.yaml': { render: true, mode: KServeMode.SIMPLE },
  'precise-prefix-kv-cache-routing__llm-inference-service-qwen2-7b-gpu-kv-cache-routing.yaml': { render: true, mode: KServeMode.SIMPLE },
  'single-node-gpu__llm-inference-service-pd-qwen2-7b-gpu.yaml': { render: true, mode: KServeMode.PREFILL_DECODE },
  'single-node-gpu__llm-inference-service-qwen2-7b-gpu-no-scheduler.yaml': { render: true, mode: KServeMode.SIMPLE },
  'single-node-gpu__llm-inference-service-qwen2-7b-gpu.yaml': { render: true, mode: KServeMode.SIMPLE },
};

test('the 11 well-known presets are the vendored kserve-config-llm-* objects (kserve-llmisvc.md §2.1)', () => {
  const dir = path.join(__dirname, '..', 'imports', 'reference', 'kserve', 'presets');
  const names = fs.readdirSync(dir).flatMap((f) => loadYamlDocuments(path.join(dir, f)).map((d: any) => d.metadata.name));
  expect(KSERVE_PRESETS.map((p) => p.name).sort()).toEqual(names.sort());
});

describe('every KServe LLMInferenceService sample', () => {
  test('the verdict table covers every sample holding an LLMInferenceService', () => {
    expect(Object.keys(VERDICTS).sort()).toEqual([...new Set(SERVICES.map((x) => x.file))].sort());
  });

  test.each(Object.entries(VERDICTS).filter(([, v]) => v.render))('%s renders, validates and is wired', (file) => {
    const v = VERDICTS[file] as { mode: KServeMode; allowUnknownFlags?: boolean };
    const { svc, objs } = render(file, { allowUnknownFlags: v.allowUnknownFlags });
    expect(svc.mode).toBe(v.mode);
    const issues = objs.flatMap((o) => SchemaValidator.get().validate(o));
    expect(formatIssues(issues)).toBe(formatIssues([]));
    expect(formatViolations(checkWiring(objs, { namespace: 'llm' }))).toBe('no wiring violations');
  });

  const rejected = Object.entries(VERDICTS).filter(([, v]) => !v.render);
  test('every sample renders: none is refused (a refusal would have to be for a feature that needs a running controller)', () => {
    expect(rejected.map(([f]) => f)).toEqual([]);
  });

  test('e2e-gpt-oss default is rejected without allowUnknownFlags (vLLM v0.23.0 has no --disable-log-requests)', () => {
    expect(() => render('e2e-gpt-oss__inference_default.yaml')).toThrow(/--disable-log-requests.*not a known flag/);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Expected tables (kserve-llmisvc.md). N = metadata.name, NS = llm (the chart namespace) unless the sample sets one.

interface Expected {
  /** §3.0: kind/name of every object. */
  readonly objects: string[];
  /** §3.1: pod labels of each workload (Deployment name or `LWS/leader|worker`). */
  readonly podLabels: Record<string, Record<string, string>>;
  /** §3.3–§3.5: args of the `main` container that must appear, in order, per workload. */
  readonly args: Record<string, string[]>;
  /** §3.3–§3.5: container ports of `main` per workload. */
  readonly ports: Record<string, number[]>;
  /** Accelerators per pod. */
  readonly gpus?: Record<string, string>;
  /** §4.3: EPP profile → plugin refs (with weights). */
  readonly epp?: Record<string, string[]>;
  /** §6.2 (path rule only): route parentRef and backend kind. */
  readonly route?: { parent: string; path: string; backend: string };
  readonly replicas?: Record<string, number>;
}

const selector = (n: string) => ({ 'app.kubernetes.io/name': n, 'app.kubernetes.io/part-of': 'llminferenceservice', 'kserve.io/component': 'workload' });
const podLabels = (n: string, component: string, role?: string) => ({
  'app.kubernetes.io/component': component, ...selector(n), ...(role ? { 'llm-d.ai/role': role } : {}),
});
const schedulerObjects = (n: string, ns = 'llm') => [
  `InferencePool/${n}-inference-pool`, `ServiceAccount/${n}-epp-sa`, `Role/${n}-epp-role`, `RoleBinding/${n}-epp-rb`,
  `ClusterRoleBinding/${ns}-${n}-epp-auth-rb`, `ConfigMap/${n}-epp-config`, `Deployment/${n}-kserve-router-scheduler`, `Service/${n}-epp-service`,
];
const DEFAULT_EPP = { default: ['queue-scorer:2', 'kv-cache-utilization-scorer:2', 'prefix-cache-scorer:3', 'no-hit-lru-scorer:2', 'max-score-picker'] };
const PD_EPP = {
  prefill: ['prefill-filter', 'prefix-cache-scorer:3', 'queue-scorer:2', 'kv-cache-utilization-scorer:2', 'max-score-picker'],
  decode: ['decode-filter', 'active-request-scorer:2', 'prefix-cache-scorer:3', 'max-score-picker'],
};

const EXPECTED: Record<string, Expected> = {
  // §3.3 Mode A with the managed scheduler, route and global gateway.
  'opt-125m-cpu__llm-inference-service-facebook-opt-125m-cpu.yaml': {
    objects: [...schedulerObjects('facebook-opt-125m-single'), 'Deployment/facebook-opt-125m-single-kserve', 'Service/facebook-opt-125m-single-kserve-workload-svc',
      'HTTPRoute/facebook-opt-125m-single-kserve-route'],
    podLabels: { 'facebook-opt-125m-single-kserve': podLabels('facebook-opt-125m-single', 'llminferenceservice-workload', 'both') },
    args: { 'facebook-opt-125m-single-kserve': ['/mnt/models', '--served-model-name', 'facebook/opt-125m', '--port', '8000'] },
    ports: { 'facebook-opt-125m-single-kserve': [8000] },
    gpus: { 'facebook-opt-125m-single-kserve': 'none' },
    epp: DEFAULT_EPP,
    route: { parent: 'kserve/kserve-ingress-gateway', path: '/llm/facebook-opt-125m-single', backend: 'InferencePool/facebook-opt-125m-single-inference-pool' },
    replicas: { 'facebook-opt-125m-single-kserve': 1 },
  },
  // §3.3 + §6.2 "no scheduler": the route goes to the workload Service.
  'opt-125m-cpu__llm-inference-service-facebook-opt-125m-cpu-no-scheduler.yaml': {
    objects: ['Deployment/facebook-opt-125m-single-kserve', 'Service/facebook-opt-125m-single-kserve-workload-svc', 'HTTPRoute/facebook-opt-125m-single-kserve-route'],
    podLabels: { 'facebook-opt-125m-single-kserve': podLabels('facebook-opt-125m-single', 'llminferenceservice-workload', 'both') },
    args: { 'facebook-opt-125m-single-kserve': ['--served-model-name', 'facebook/opt-125m', '--port', '8000'] },
    ports: { 'facebook-opt-125m-single-kserve': [8000] },
    route: { parent: 'kserve/kserve-ingress-gateway', path: '/llm/facebook-opt-125m-single', backend: 'Service/facebook-opt-125m-single-kserve-workload-svc' },
  },
  // §3.3: 3 replicas, 1 GPU each from the template.
  'single-node-gpu__llm-inference-service-qwen2-7b-gpu.yaml': {
    objects: [...schedulerObjects('qwen2-7b-instruct-single'), 'Deployment/qwen2-7b-instruct-single-kserve', 'Service/qwen2-7b-instruct-single-kserve-workload-svc',
      'HTTPRoute/qwen2-7b-instruct-single-kserve-route'],
    podLabels: { 'qwen2-7b-instruct-single-kserve': podLabels('qwen2-7b-instruct-single', 'llminferenceservice-workload', 'both') },
    args: { 'qwen2-7b-instruct-single-kserve': ['--served-model-name', 'Qwen/Qwen2.5-7B-Instruct', '--port', '8000'] },
    ports: { 'qwen2-7b-instruct-single-kserve': [8000] },
    gpus: { 'qwen2-7b-instruct-single-kserve': '1' },
    epp: DEFAULT_EPP,
    route: { parent: 'kserve/kserve-ingress-gateway', path: '/llm/qwen2-7b-instruct-single', backend: 'InferencePool/qwen2-7b-instruct-single-inference-pool' },
    replicas: { 'qwen2-7b-instruct-single-kserve': 3 },
  },
  // §3.4 Mode B on CPU: decode behind the sidecar on 8001, prefill on 8000, sidecar SA/Role/RoleBinding, P/D EPP config (§4.3).
  'opt-125m-cpu__llm-inference-service-pd-facebook-opt-125m-cpu.yaml': {
    objects: [...schedulerObjects('facebook-opt-125m-pd'), 'Deployment/facebook-opt-125m-pd-kserve', 'Deployment/facebook-opt-125m-pd-kserve-prefill',
      'ServiceAccount/facebook-opt-125m-pd-kserve', 'Role/facebook-opt-125m-pd-kserve-role', 'RoleBinding/facebook-opt-125m-pd-kserve-rb',
      'Service/facebook-opt-125m-pd-kserve-workload-svc', 'HTTPRoute/facebook-opt-125m-pd-kserve-route'],
    podLabels: {
      'facebook-opt-125m-pd-kserve': podLabels('facebook-opt-125m-pd', 'llminferenceservice-workload', 'decode'),
      'facebook-opt-125m-pd-kserve-prefill': podLabels('facebook-opt-125m-pd', 'llminferenceservice-workload-prefill', 'prefill'),
    },
    args: {
      'facebook-opt-125m-pd-kserve': ['--served-model-name', 'facebook/opt-125m', '--port', '8001'],
      'facebook-opt-125m-pd-kserve-prefill': ['--served-model-name', 'facebook/opt-125m', '--port', '8000'],
    },
    // vllm-openai-cpu ships no NIXL and the sample sets no --kv-transfer-config: no connector, so no side-channel port (§3.4).
    ports: { 'facebook-opt-125m-pd-kserve': [8001], 'facebook-opt-125m-pd-kserve-prefill': [8000] },
    epp: PD_EPP,
    route: { parent: 'kserve/kserve-ingress-gateway', path: '/llm/facebook-opt-125m-pd', backend: 'InferencePool/facebook-opt-125m-pd-inference-pool' },
  },
  // §3.4 GPU P/D: NixlConnector kv_consumer/kv_producer, rdma/roce_gdr, the Multus annotation, prefill replicas 2.
  'single-node-gpu__llm-inference-service-pd-qwen2-7b-gpu.yaml': {
    objects: [...schedulerObjects('qwen2-7b-instruct-pd'), 'Deployment/qwen2-7b-instruct-pd-kserve', 'Deployment/qwen2-7b-instruct-pd-kserve-prefill',
      'ServiceAccount/qwen2-7b-instruct-pd-kserve', 'Role/qwen2-7b-instruct-pd-kserve-role', 'RoleBinding/qwen2-7b-instruct-pd-kserve-rb',
      'Service/qwen2-7b-instruct-pd-kserve-workload-svc', 'HTTPRoute/qwen2-7b-instruct-pd-kserve-route'],
    podLabels: {
      'qwen2-7b-instruct-pd-kserve': podLabels('qwen2-7b-instruct-pd', 'llminferenceservice-workload', 'decode'),
      'qwen2-7b-instruct-pd-kserve-prefill': podLabels('qwen2-7b-instruct-pd', 'llminferenceservice-workload-prefill', 'prefill'),
    },
    args: {
      'qwen2-7b-instruct-pd-kserve': ['--port', '8001', '--kv-transfer-config', '{"kv_connector":"NixlConnector","kv_role":"kv_consumer"}'],
      'qwen2-7b-instruct-pd-kserve-prefill': ['--port', '8000', '--kv-transfer-config', '{"kv_connector":"NixlConnector","kv_role":"kv_producer"}'],
    },
    ports: { 'qwen2-7b-instruct-pd-kserve': [8001, 5600], 'qwen2-7b-instruct-pd-kserve-prefill': [8000, 5600] },
    gpus: { 'qwen2-7b-instruct-pd-kserve': '1', 'qwen2-7b-instruct-pd-kserve-prefill': '1' },
    epp: PD_EPP,
    replicas: { 'qwen2-7b-instruct-pd-kserve': 1, 'qwen2-7b-instruct-pd-kserve-prefill': 2 },
  },
  // §3.5 Mode C: data 32 / dataLocal 8 → LWS size 4, 8 GPUs per pod, leader serves, workers --headless.
  // The template names ServiceAccount hfsa, so none is created (workload_multi_node.go:491-505).
  'dp-ep__deepseek-r1-gpu-rdma-roce__llm-inference-service-dp-ep-deepseek-r1-gpu-deepep-ht.yaml': {
    objects: [...schedulerObjects('deepseek-r1-0528'), 'LeaderWorkerSet/deepseek-r1-0528-kserve-mn',
      'Service/deepseek-r1-0528-kserve-workload-svc', 'HTTPRoute/deepseek-r1-0528-kserve-route'],
    podLabels: {
      'LWS/leader': podLabels('deepseek-r1-0528', 'llminferenceservice-workload-leader', 'both'),
      'LWS/worker': { 'app.kubernetes.io/component': 'llminferenceservice-workload-worker', 'app.kubernetes.io/name': 'deepseek-r1-0528', 'app.kubernetes.io/part-of': 'llminferenceservice' },
    },
    args: {
      'LWS/leader': ['--served-model-name', 'deepseek-ai/DeepSeek-R1-0528', '--port', '8000', '--data-parallel-size', '32', '--data-parallel-size-local', '8',
        '--data-parallel-rpc-port', '5555', '--enable-expert-parallel'],
      'LWS/worker': ['--data-parallel-size', '32', '--data-parallel-size-local', '8', '--data-parallel-rpc-port', '5555', '--headless', '--enable-expert-parallel'],
    },
    ports: { 'LWS/leader': [8000] },
    gpus: { 'LWS/leader': '8', 'LWS/worker': '8' },
    epp: DEFAULT_EPP,
    replicas: { 'LWS/size': 4, 'LWS/replicas': 1 },
  },
  // §3.5 naive all2all: data 16 / dataLocal 8 → size 2.
  'dp-ep__deepseek-r1-gpu-rdma-roce__llm-inference-service-dp-ep-deepseek-r1-gpu-naive.yaml': {
    objects: [...schedulerObjects('deepseek-coder-v2'), 'LeaderWorkerSet/deepseek-coder-v2-kserve-mn',
      'Service/deepseek-coder-v2-kserve-workload-svc', 'HTTPRoute/deepseek-coder-v2-kserve-route'],
    podLabels: { 'LWS/leader': podLabels('deepseek-coder-v2', 'llminferenceservice-workload-leader', 'both') },
    args: { 'LWS/leader': ['--data-parallel-size', '16', '--data-parallel-size-local', '8'] },
    ports: { 'LWS/leader': [8000] },
    gpus: { 'LWS/leader': '8' },
    epp: DEFAULT_EPP,
    replicas: { 'LWS/size': 2 },
  },
  // §3.7 LoRA + §4.3 lora-affinity-scorer weight 4 first.
  'lora-adapters__test-examples__02-lora-multi-hf-cpu.yaml': {
    objects: [...schedulerObjects('lora-multi-hf-test', 'kserve-ci-e2e-test'), 'Deployment/lora-multi-hf-test-kserve', 'Service/lora-multi-hf-test-kserve-workload-svc',
      'HTTPRoute/lora-multi-hf-test-kserve-route'],
    podLabels: { 'lora-multi-hf-test-kserve': podLabels('lora-multi-hf-test', 'llminferenceservice-workload', 'both') },
    args: { 'lora-multi-hf-test-kserve': ['--enable-lora', '--max-lora-rank', '64', '--max-loras', '2', '--lora-modules'] },
    ports: { 'lora-multi-hf-test-kserve': [8000] },
    epp: { default: ['lora-affinity-scorer:4', ...DEFAULT_EPP.default] },
    route: { parent: 'kserve/kserve-ingress-gateway', path: '/kserve-ci-e2e-test/lora-multi-hf-test', backend: 'InferencePool/lora-multi-hf-test-inference-pool' },
  },
  // §2.2 baseRefs: the user config llmisvc-config-pd-disagg supplies the router and the KV env; the service the GPUs.
  'e2e-gpt-oss__inference_pd_disaggregation.yaml': {
    objects: [...schedulerObjects('gpt-oss-20b'), 'Deployment/gpt-oss-20b-kserve', 'Deployment/gpt-oss-20b-kserve-prefill', 'ServiceAccount/gpt-oss-20b-kserve',
      'Role/gpt-oss-20b-kserve-role', 'RoleBinding/gpt-oss-20b-kserve-rb', 'Service/gpt-oss-20b-kserve-workload-svc', 'HTTPRoute/gpt-oss-20b-kserve-route'],
    podLabels: { 'gpt-oss-20b-kserve-prefill': podLabels('gpt-oss-20b', 'llminferenceservice-workload-prefill', 'prefill') },
    args: { 'gpt-oss-20b-kserve': ['--served-model-name', 'RedHatAI/gpt-oss-20b', '--port', '8001'] },
    ports: { 'gpt-oss-20b-kserve': [8001, 5600] },
    gpus: { 'gpt-oss-20b-kserve': '1', 'gpt-oss-20b-kserve-prefill': '1' },
    epp: PD_EPP,
    replicas: { 'gpt-oss-20b-kserve': 1, 'gpt-oss-20b-kserve-prefill': 2 },
  },
};

function workloads(objs: any[]): Record<string, { labels: Record<string, string>; spec: any; replicas?: number }> {
  const out: Record<string, { labels: Record<string, string>; spec: any; replicas?: number }> = {};
  for (const o of objs) {
    if (o.kind === 'Deployment') out[o.metadata.name] = { labels: o.spec.template.metadata.labels, spec: o.spec.template.spec, replicas: o.spec.replicas };
    if (o.kind === 'LeaderWorkerSet') {
      const t = o.spec.leaderWorkerTemplate;
      out['LWS/leader'] = { labels: t.leaderTemplate.metadata.labels, spec: t.leaderTemplate.spec };
      out['LWS/worker'] = { labels: t.workerTemplate.metadata.labels, spec: t.workerTemplate.spec };
      out['LWS/size'] = { labels: {}, spec: {}, replicas: t.size };
      out['LWS/replicas'] = { labels: {}, spec: {}, replicas: o.spec.replicas };
    }
  }
  return out;
}

function eppProfiles(objs: any[]): Record<string, string[]> {
  const cm = objs.find((o) => o.kind === 'ConfigMap' && o.metadata.name.endsWith('-epp-config'));
  const doc = loadYamlDocuments(Object.values(cm.data)[0] as string)[0];
  return Object.fromEntries(doc.schedulingProfiles.map((p: any) => [p.name, p.plugins.map((r: any) => (r.weight ? `${r.pluginRef}:${r.weight}` : r.pluginRef))]));
}

describe('expected tables (kserve-llmisvc.md §3.0, §3.1, §3.3–§3.5, §4.3, §5, §6.2)', () => {
  test('at least 8 samples covering simple, P/D and multi-node', () => {
    expect(Object.keys(EXPECTED).length).toBeGreaterThanOrEqual(8);
    const modes = new Set(Object.keys(EXPECTED).map((f) => render(f).svc.mode));
    expect([...modes].sort()).toEqual([KServeMode.MULTI_NODE, KServeMode.PREFILL_DECODE, KServeMode.SIMPLE]);
  });

  test.each(Object.keys(EXPECTED))('%s', (file) => {
    const e = EXPECTED[file];
    const { svc, objs } = render(file);
    const n = svc.name;
    const ns = svc.namespace ?? 'llm';
    // §3.0 names
    expect(objs.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([...e.objects].sort());
    // §3.2 / §3.1 workload Service: selector and port 8000 http
    const wsvc = objs.find((o) => o.kind === 'Service' && o.metadata.name === `${n}-kserve-workload-svc`);
    expect(wsvc.spec.selector).toEqual(selector(n));
    expect(wsvc.spec.ports).toEqual([expect.objectContaining({ name: 'http', port: 8000, targetPort: 8000, appProtocol: 'http' })]);
    const w = workloads(objs);
    for (const [k, labels] of Object.entries(e.podLabels)) expect(w[k].labels).toEqual(labels);
    for (const [k, args] of Object.entries(e.args)) {
      const main = w[k].spec.containers.find((c: any) => c.name === 'main');
      const have: string[] = main.args;
      const at = have.indexOf(args[0]);
      expect(at).toBeGreaterThanOrEqual(0);
      expect(have.slice(at, at + args.length)).toEqual(args);
    }
    for (const [k, ports] of Object.entries(e.ports)) {
      expect(w[k].spec.containers.find((c: any) => c.name === 'main').ports.map((p: any) => p.containerPort)).toEqual(ports);
    }
    for (const [k, gpus] of Object.entries(e.gpus ?? {})) {
      const lim = w[k].spec.containers.find((c: any) => c.name === 'main').resources?.limits ?? {};
      expect(lim['nvidia.com/gpu'] ?? 'none').toBe(gpus);
    }
    for (const [k, r] of Object.entries(e.replicas ?? {})) expect(w[k].replicas).toBe(r);
    const pool = objs.find((o) => o.kind === 'InferencePool');
    if (e.epp) {
      // §4.3 EPP profiles and §5 pool spec
      expect(eppProfiles(objs)).toEqual(e.epp);
      expect(pool.apiVersion).toBe('inference.networking.k8s.io/v1');
      expect(pool.spec).toEqual({
        selector: { matchLabels: selector(n) },
        targetPorts: [{ number: 8000 }],
        endpointPickerRef: { kind: 'Service', name: `${n}-epp-service`, port: { number: 9002 }, failureMode: 'FailOpen' },
      });
      const eppSvc = objs.find((o) => o.kind === 'Service' && o.metadata.name === `${n}-epp-service`);
      expect(eppSvc.spec.ports.find((p: any) => p.name === 'grpc').port).toBe(9002);
      const epp = objs.find((o) => o.kind === 'Deployment' && o.metadata.name === `${n}-kserve-router-scheduler`);
      const args: string[] = epp.spec.template.spec.containers[0].args;
      expect(args.slice(args.indexOf('--pool-name'), args.indexOf('--pool-name') + 4)).toEqual(['--pool-name', `${n}-inference-pool`, '--pool-namespace', ns]);
    } else {
      expect(pool).toBeUndefined();
    }
    if (e.route) {
      // §6.2 path rule `/NS/N` rewritten to `/`, KServe's disabled timeout, the global gateway
      const route = objs.find((o) => o.kind === 'HTTPRoute');
      const pr = route.spec.parentRefs[0];
      expect(`${pr.namespace}/${pr.name}`).toBe(e.route.parent);
      const rule = route.spec.rules[0];
      expect(rule.matches[0].path).toEqual({ type: 'PathPrefix', value: e.route.path });
      expect(rule.filters).toEqual([{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } }]);
      expect(rule.timeouts.request).toBe('0s');
      expect(`${rule.backendRefs[0].kind}/${rule.backendRefs[0].name}`).toBe(e.route.backend);
      expect(route.metadata.labels['app.kubernetes.io/component']).toBe('llminferenceservice-router');
    }
  });

  test('the sidecar of the decode pods names the pool and vLLM on 8001 (§3.4)', () => {
    const { objs } = render('single-node-gpu__llm-inference-service-pd-qwen2-7b-gpu.yaml');
    const decode = objs.find((o) => o.kind === 'Deployment' && o.metadata.name === 'qwen2-7b-instruct-pd-kserve');
    const sidecar = decode.spec.template.spec.initContainers.find((c: any) => c.name === 'llm-d-routing-sidecar');
    expect(sidecar.restartPolicy).toBe('Always');
    expect(sidecar.args).toEqual(expect.arrayContaining(['--port=8000', '--model-server-port=8001', '--inference-pool=llm/qwen2-7b-instruct-pd-inference-pool']));
    expect(decode.spec.template.metadata.annotations).toEqual({ 'k8s.v1.cni.cncf.io/networks': 'roce-p2' });
    const main = decode.spec.template.spec.containers.find((c: any) => c.name === 'main');
    expect(main.resources.limits['rdma/roce_gdr']).toBe('1');
    expect(main.env).toEqual(expect.arrayContaining([{ name: 'UCX_TLS', value: 'rc,sm,self,cuda_copy,cuda_ipc' }, { name: 'UCX_PROTO_INFO', value: 'y' }]));
  });

  test('HF_TOKEN from a Secret and VLLM_ADDITIONAL_ARGS become the token and flags (agentic sample)', () => {
    const { objs } = render('agentic-tool-calling__llmisvc-single-gpu.yaml');
    const d = objs.find((o) => o.kind === 'Deployment' && o.metadata.name === 'qwen3-coder-tool-calling-kserve');
    const main = d.spec.template.spec.containers.find((c: any) => c.name === 'main');
    expect(main.args).toEqual(expect.arrayContaining(['--enable-auto-tool-choice', '--tool-call-parser=qwen3_coder', '--enable-log-requests']));
    const init = d.spec.template.spec.initContainers.find((c: any) => c.name === 'storage-initializer');
    expect(JSON.stringify(init.env ?? [])).toContain('"secretKeyRef":{"key":"HF_TOKEN","name":"hf-token"}');
    expect(main.image).toBe('ghcr.io/llm-d/llm-d-cuda:v0.9.0');
  });

  test('kv-cache-offloading: spec.workload is pruned with a warning, as the API server does', () => {
    const { svc } = render('kv-cache-offloading__llm-inference-service-kv-cache-offloading.yaml');
    expect(svc.warnings.join('\n')).toMatch(/spec\.workload: PRUNED — unknown field, dropped by the API server.*move to spec\.kvCacheOffloading/);
    expect(svc.prunedFields).toEqual(['spec.workload']);
  });

  test('precise prefix GPU sample: KV events and block size derived from the inline config, tokenizer N-tokenizer', () => {
    const { svc, objs } = render('precise-prefix-kv-cache-routing__llm-inference-service-qwen2-7b-gpu-kv-cache-routing.yaml');
    const d = objs.find((o) => o.kind === 'Deployment' && o.metadata.name === 'qwen2-7b-kv-cache-routing-kserve');
    const args: string[] = d.spec.template.spec.containers[0].args;
    expect(args.slice(args.indexOf('--block-size'), args.indexOf('--block-size') + 2)).toEqual(['--block-size', '64']);
    expect(args.filter((a) => a === '--kv-events-config')).toHaveLength(1);
    expect(objs.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(expect.arrayContaining(['Deployment/qwen2-7b-kv-cache-routing-tokenizer']));
    expect(svc.appliedConfigs).toEqual(expect.arrayContaining(['kserve-config-llm-scheduler', 'kserve-config-llm-tokenizer', 'kserve-config-llm-template']));
  });

  test('status report lists what exists and what the cluster must provide', () => {
    const { svc } = render('dp-ep__deepseek-r1-gpu-rdma-roce__llm-inference-service-dp-ep-deepseek-r1-gpu-deepep-ht.yaml');
    const report = Object.fromEntries(svc.statusReport().map((r) => [r.type, r]));
    expect(report.WorkerWorkloadReady.applies).toBe(true);
    expect(report.PrefillWorkloadReady.applies).toBe(false);
    expect(report.MainWorkloadReady.requires.join(' ')).toMatch(/LeaderWorkerSet CRD and controller/);
    expect(report.InferencePoolReady.requires.join(' ')).toMatch(/InferencePool CRD/);
    expect(report.GatewaysReady.requires).toEqual(['Gateway kserve/kserve-ingress-gateway existing and Programmed=True, with a listener that allows routes from this namespace']);
    expect(report.Ready.requires.length).toBeGreaterThan(3);
    expect(Object.keys(report)).toEqual(expect.arrayContaining(['PresetsCombined', 'SchedulerWorkloadReady', 'HTTPRoutesReady', 'WorkloadsReady', 'RouterReady']));
  });

  test('managed DRA minimal: ResourceClaimTemplate N-managed-dra, pod claim and main container claim, no nvidia.com/gpu (§3.9)', () => {
    const { objs } = render('managed-dra__llm-inference-service-managed-dra-minimal.yaml');
    const rct = objs.find((o) => o.kind === 'ResourceClaimTemplate');
    expect(rct.apiVersion).toBe('resource.k8s.io/v1');
    expect(rct.metadata.name).toBe('qwen2-7b-instruct-dra-minimal-managed-dra');
    // count 1 is left out, as the controller writes it
    expect(rct.spec.spec.devices.requests).toEqual([{ name: 'device', exactly: { deviceClassName: 'gpu.nvidia.com' } }]);
    const pod = objs.find((o) => o.kind === 'Deployment' && o.metadata.name === 'qwen2-7b-instruct-dra-minimal-kserve').spec.template.spec;
    expect(pod.resourceClaims).toEqual([{ name: 'managed-device', resourceClaimTemplateName: 'qwen2-7b-instruct-dra-minimal-managed-dra' }]);
    const main = pod.containers.find((c: any) => c.name === 'main');
    expect(main.resources.claims).toEqual([{ name: 'managed-device' }]);
    expect(main.resources.limits['nvidia.com/gpu']).toBeUndefined();
    expect(main.image).toBe('ghcr.io/llm-d/llm-d-cuda:v0.9.0');
    expect(pod.containers.filter((c: any) => c.resources?.claims)).toHaveLength(1);
  });

  test('managed DRA multi-device: one CEL selector per annotation line; the count follows the parallelism, with a warning', () => {
    const { svc, objs } = render('managed-dra__llm-inference-service-managed-dra-multi-device.yaml');
    expect(svc.warnings.join('\n')).toMatch(/exp-dra-device-count.*2 device\(s\), but vLLM uses tensor × pipeline × dataLocal = 1.*claims 1 \(KServe would claim 2, leaving the rest idle\)/);
    const rct = objs.find((o) => o.kind === 'ResourceClaimTemplate');
    expect(rct.spec.spec.devices.requests).toEqual([{
      name: 'device',
      exactly: {
        deviceClassName: 'gpu.nvidia.com',
        selectors: [
          { cel: { expression: "device.attributes['gpu.nvidia.com']['type'] == 'A100'" } },
          { cel: { expression: "device.capacity['gpu.nvidia.com']['memory'].compareTo(quantity('40Gi')) >= 0" } },
        ],
      },
    }]);
    // the template's busybox sidecar is kept, after main, without the claim (the annotation names main)
    const pod = objs.find((o) => o.kind === 'Deployment' && o.metadata.name === 'qwen2-7b-instruct-dra-multi-kserve').spec.template.spec;
    expect(pod.containers.map((c: any) => c.name)).toEqual(['main', 'sidecar']);
    expect(pod.containers[1]).toEqual({
      name: 'sidecar', image: 'busybox:1.36', command: ['sh', '-c', 'while true; do sleep 3600; done'], resources: { requests: { cpu: '100m', memory: '64Mi' } },
    });
    expect(pod.containers[0].resources.claims).toEqual([{ name: 'managed-device' }]);
  });

  test('managed DRA with tensor parallelism 2 claims 2 devices (count written above 1)', () => {
    const hit = SERVICES.find((x) => x.file === 'managed-dra__llm-inference-service-managed-dra-minimal.yaml')!;
    const doc = JSON.parse(JSON.stringify(hit.doc));
    doc.metadata.annotations['serving.kserve.io/exp-dra-device-count'] = '2';
    doc.spec.parallelism = { tensor: 2 };
    const chart = new Chart(Testing.app(), 'kserve', { namespace: 'llm' });
    const svc = new LlmInferenceService(chart, 'svc', { resource: doc });
    const objs = Testing.synth(chart);
    expect(svc.warnings.join('\n')).not.toMatch(/exp-dra-device-count/);
    expect(objs.find((o) => o.kind === 'ResourceClaimTemplate').spec.spec.devices.requests[0].exactly.count).toBe(2);
    expect(formatViolations(checkWiring(objs, { namespace: 'llm' }))).toBe('no wiring violations');
  });

  describe('managed DRA annotations: bad input is refused as the webhook refuses it', () => {
    const withAnnotations = (annotations: Record<string, string>) => {
      const hit = SERVICES.find((x) => x.file === 'managed-dra__llm-inference-service-managed-dra-minimal.yaml')!;
      const doc = JSON.parse(JSON.stringify(hit.doc));
      doc.metadata.annotations = annotations;
      return () => new LlmInferenceService(new Chart(Testing.app(), 'kserve', { namespace: 'llm' }), 'svc', { resource: doc });
    };
    test.each([
      [{ 'serving.kserve.io/exp-dra-device-count': '2' }, 'exp-dra-device-class', /is required when/],
      [{ 'serving.kserve.io/exp-dra-device-class': 'GPU_Nvidia' }, 'exp-dra-device-class', /DNS subdomain/],
      [{ 'serving.kserve.io/exp-dra-device-class': 'gpu.nvidia.com', 'serving.kserve.io/exp-dra-device-count': '0' }, 'exp-dra-device-count', /integer >= 1/],
      [{ 'serving.kserve.io/exp-dra-device-class': 'gpu.nvidia.com', 'serving.kserve.io/exp-dra-device-count': 'two' }, 'exp-dra-device-count', /integer >= 1/],
      [{ 'serving.kserve.io/exp-dra-device-class': 'gpu.nvidia.com', 'serving.kserve.io/exp-dra-cel-selector': ' \n ' }, 'exp-dra-cel-selector', /no CEL/],
      [{ 'serving.kserve.io/exp-dra-device-class': 'gpu.nvidia.com', 'serving.kserve.io/exp-dra-container-name': 'sidecar' }, 'exp-dra-container-name', /other than the model server/],
      [{ 'serving.kserve.io/exp-dra-device-class': 'gpu.nvidia.com', 'serving.kserve.io/exp-dra-sharing': 'true' }, 'exp-dra-sharing', /not a managed-DRA annotation/],
    ])('%j', (annotations, key, because) => {
      let err: unknown;
      try {
        withAnnotations(annotations)();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(LlmdConfigError);
      expect((err as Error).message).toMatch(because);
      expect((err as LlmdConfigError).field).toBe(`metadata.annotations["serving.kserve.io/${key}"]`);
    });
  });

  test('multi-gpu-vendor: one InferencePool over the NVIDIA and AMD pods, disjoint Deployments, the AMD ROCm image', () => {
    const { svc, objs } = render('multi-gpu-vendor__llm-inference-service-qwen2-7b-amd-no-scheduler.yaml');
    const selects = (sel: Record<string, string>, labels: Record<string, string>) => Object.entries(sel).every(([k, v]) => labels[k] === v);
    const pools = objs.filter((o) => o.kind === 'InferencePool');
    expect(pools.map((p) => p.metadata.name)).toEqual(['qwen2-7b-instruct-nvidia-inference-pool']);
    const nv = objs.find((o) => o.kind === 'Deployment' && o.metadata.name === 'qwen2-7b-instruct-nvidia-kserve');
    const amd = objs.find((o) => o.kind === 'Deployment' && o.metadata.name === 'qwen2-7b-instruct-amd-kserve');
    const sel = pools[0].spec.selector.matchLabels;
    expect(selects(sel, nv.spec.template.metadata.labels) && selects(sel, amd.spec.template.metadata.labels)).toBe(true);
    expect(selects(nv.spec.selector.matchLabels, amd.spec.template.metadata.labels)).toBe(false);
    expect(amd.spec.template.metadata.labels['app.kubernetes.io/name']).toBe('qwen2-7b-instruct-amd');
    expect(amd.spec.template.spec.containers[0].image).toBe('ghcr.io/llm-d/llm-d-rocm:v0.9.0');
    expect(amd.spec.template.spec.containers[0].resources.limits['amd.com/gpu']).toBe('1');
    expect(amd.spec.replicas).toBe(2);
    expect(svc.warnings.join('\n')).toMatch(/pool selector of qwen2-7b-instruct-nvidia; rendered as a member of its InferencePool/);
  });

  test('multi-gpu-vendor AMD alone: refused, naming the service to render with it', () => {
    const hit = SERVICES.find((x) => x.file === 'multi-gpu-vendor__llm-inference-service-qwen2-7b-amd-no-scheduler.yaml')!;
    let err: unknown;
    try {
      new LlmInferenceService(new Chart(Testing.app(), 'kserve', { namespace: 'llm' }), 'svc', { resource: hit.doc });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LlmdConfigError);
    expect((err as LlmdConfigError).field).toBe('spec.labels["app.kubernetes.io/name"]');
    expect((err as Error).message).toMatch(/qwen2-7b-instruct-nvidia, which is not rendered with this one.*Fix: render qwen2-7b-instruct-nvidia in the same run/);
  });

  test('spec.labels with part of a pool selector (a wiring key alone) is still refused', () => {
    const hit = SERVICES.find((x) => x.file === 'multi-gpu-vendor__llm-inference-service-qwen2-7b-amd-no-scheduler.yaml')!;
    const doc = JSON.parse(JSON.stringify(hit.doc));
    doc.spec.labels = { 'kserve.io/component': 'workload', 'app.kubernetes.io/name': 'other' };
    expect(() => new LlmInferenceService(new Chart(Testing.app(), 'kserve', { namespace: 'llm' }), 'svc', { resource: doc })).toThrow(/overrides a wiring label/);
  });

  test('latency predictor: the preset\'s two servers, env and volumes in the EPP pod; the inline YAML config is the EPP\'s (§3.9)', () => {
    const { svc, objs } = render('latency-predictor__llm-inference-service-latency-predictor.yaml');
    expect(svc.appliedConfigs).toContain('kserve-config-llm-scheduler-latency-predictor');
    const epp = objs.find((o) => o.kind === 'Deployment' && o.metadata.name === 'qwen2-7b-latency-predictor-kserve-router-scheduler').spec.template.spec;
    expect(epp.containers.map((c: any) => c.name)).toEqual(['epp', 'training-server', 'prediction-server']);
    const main = epp.containers[0];
    expect(main.env).toEqual(expect.arrayContaining([
      { name: 'PREDICTION_SERVER_URL', value: 'http://localhost:8001' }, { name: 'TRAINING_SERVER_URL', value: 'http://localhost:8000' },
      { name: 'LATENCY_MAX_SAMPLE_SIZE', value: '10000' }, { name: 'LATENCY_MAX_CONCURRENT_DISPATCHES', value: '36' }, { name: 'LATENCY_COALESCE_WINDOW_MS', value: '1' },
    ]));
    expect(epp.containers.slice(1).map((c: any) => [c.name, c.image, c.ports[0].containerPort])).toEqual([
      ['training-server', 'ghcr.io/llm-d/llm-d-latency-predictor-training-server:0.9.0', 8000],
      ['prediction-server', 'ghcr.io/llm-d/llm-d-latency-predictor-prediction-server:0.9.0', 8001],
    ]);
    expect(epp.volumes.filter((v: any) => /server-(storage|tmp)$/.test(v.name))).toEqual([
      { name: 'training-server-storage', emptyDir: { sizeLimit: '20Gi' } },
      { name: 'prediction-server-storage', emptyDir: { sizeLimit: '10Gi' } },
      { name: 'training-server-tmp', emptyDir: {} },
      { name: 'prediction-server-tmp', emptyDir: {} },
    ]);
    const config = objs.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'qwen2-7b-latency-predictor-epp-config');
    expect(JSON.stringify(config.data)).toMatch(/predicted-latency-producer/);
    expect(JSON.stringify(config.data)).toMatch(/weighted-random-picker/);
  });

  test('without predicted-latency-producer the EPP pod has the EPP container only', () => {
    const { objs } = render('single-node-gpu__llm-inference-service-qwen2-7b-gpu.yaml');
    const epp = objs.find((o) => o.kind === 'Deployment' && /router-scheduler$/.test(o.metadata.name)).spec.template.spec;
    expect(epp.containers).toHaveLength(1);
  });

  test('precise prefix simulator sample: the simulator dials the EPP Service, which binds the KV-events port (centralized)', () => {
    const { svc, objs } = render('precise-prefix-kv-cache-routing__llm-inference-service-opt-125m-cpu-kv-cache-routing-simulator.yaml');
    expect(svc.warnings.join('\n')).toMatch(/discoverPods: true rendered as discoverPods: false, zmqEndpoint tcp:\/\/\*:5557; the simulator .* never binds/);
    const config = objs.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'precise-prefix-test-epp-config');
    const text = Object.values(config.data).join('\n');
    expect(text).toMatch(/discoverPods: false/);
    expect(text).toMatch(/zmqEndpoint: tcp:\/\/\*:5557/);
    expect(text).not.toMatch(/podDiscoveryConfig/);
    // the user's spec is left as written
    expect(JSON.stringify(svc.mergedSpec)).toMatch(/"discoverPods":true/);
    const main = objs.find((o) => o.kind === 'Deployment' && o.metadata.name === 'precise-prefix-test-kserve').spec.template.spec.containers[0];
    expect(main.image).toBe('ghcr.io/llm-d/llm-d-inference-sim:v0.10.0');
    const args: string[] = main.args;
    expect(args.slice(args.indexOf('--enable-kvcache'), args.indexOf('--enable-kvcache') + 5))
      .toEqual(['--enable-kvcache', '--zmq-endpoint', 'tcp://precise-prefix-test-epp-service:5557', '--block-size', '16']);
    expect(args).toEqual(expect.arrayContaining(['--hash-seed', '42', '--event-batch-size', '1']));
    expect(args.filter((a) => a === '--zmq-endpoint')).toHaveLength(1);
    expect(main.env).toEqual(expect.arrayContaining([{ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }]));
    expect(svc.warnings.join('\n')).toMatch(/--kv-events-config replaced by the one derived from the scheduler config/);
  });

  test('router.ingress renders as the controller does: no Ingress object, a warning (§6.4)', () => {
    const hit = SERVICES.find((x) => x.file === 'single-node-gpu__llm-inference-service-qwen2-7b-gpu.yaml')!;
    const doc = JSON.parse(JSON.stringify(hit.doc));
    doc.spec.router.ingress = { refs: [{ name: 'my-ingress' }] };
    const chart = new Chart(Testing.app(), 'kserve', { namespace: 'llm' });
    const svc = new LlmInferenceService(chart, 'svc', { resource: doc });
    const objs = Testing.synth(chart);
    expect(objs.filter((o) => o.kind === 'Ingress')).toEqual([]);
    const plain = render('single-node-gpu__llm-inference-service-qwen2-7b-gpu.yaml').objs;
    expect(objs.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(plain.map((o) => `${o.kind}/${o.metadata.name}`));
    expect(svc.warnings).toContain('spec.router.ingress: has no effect (KServe creates no Ingress either)');
  });
});
