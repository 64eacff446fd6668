/** Plan: what synthesized manifests deploy, from the examples' real objects; the `plan` CLI over KServe and synthesized YAML. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { Accelerator, Engine, LlmdConfigError, LlmService, ModelSource, Plan } from '../src';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, run } from '../src/cli/main';

const ROOT = path.join(__dirname, '..');

function exampleApp(name: string): App {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(path.join(ROOT, 'examples', name, 'main.ts')) as { build(app: App): void };
  const app = new App();
  mod.build(app);
  return app;
}

const planOf = (name: string) => Plan.of(exampleApp(name));
const workload = (p: Plan, name: string) => {
  const w = p.workloads.find((x) => x.name === name);
  if (!w) throw new Error(`no workload ${name} in ${p.workloads.map((x) => x.name).join(', ')}`);
  return w;
};

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(argv, { stdout: (t) => { out += t; }, stderr: (t) => { err += t; }, stdin: () => '' });
  return { code, out, err };
}

describe('Plan over the examples', () => {
  test('pd-disaggregation: 8 prefill pods × TP 1 and 2 decode pods × TP 4 are 16 GPUs; decode runs the sidecar', () => {
    const p = planOf('pd-disaggregation');
    const prefill = workload(p, 'gpt-oss-120b-kserve-prefill');
    const decode = workload(p, 'gpt-oss-120b-kserve');
    expect(prefill).toMatchObject({ kind: 'Deployment', role: 'prefill', replicas: 8, pods: 8, acceleratorResource: 'nvidia.com/gpu', acceleratorsPerPod: 1, accelerators: 8, routingSidecar: false });
    expect(decode).toMatchObject({ role: 'decode', replicas: 2, pods: 2, acceleratorsPerPod: 4, accelerators: 8, routingSidecar: true });
    expect(p.totals.accelerators).toBe(8 * 1 + 2 * 4);
    expect(p.totals.acceleratorsByResource).toEqual({ 'nvidia.com/gpu': 16 });
    // The props ask for 8 CPU / 16Gi (prefill) and 16 CPU / 64Gi (decode) for vLLM; the decode pod adds the sidecar's requests.
    expect(prefill.cpuMillisPerPod).toBe(8000);
    expect(prefill.memoryBytesPerPod).toBe(16 * 2 ** 30);
    expect(decode.cpuMillisPerPod).toBeGreaterThan(16000);
    expect(decode.memoryBytesPerPod).toBeGreaterThan(64 * 2 ** 30);
    expect(prefill.cpuMillis).toBe(8 * 8000);
    expect(prefill.shmSize).toBeDefined();
    expect(decode.shmSize).toBeDefined();
    expect(workload(p, 'gpt-oss-120b-kserve-router-scheduler')).toMatchObject({ role: 'scheduler', accelerators: 0, acceleratorResource: undefined });
    expect(p.totals.pods).toBe(8 + 2 + 1);
  });

  test('pd-disaggregation: the Gateway API and InferencePool CRDs, Istio, the NVIDIA device plugin and the HF token Secret', () => {
    const p = planOf('pd-disaggregation');
    expect(p.crds.map((c) => c.group)).toEqual(['gateway.networking.k8s.io', 'inference.networking.k8s.io', 'llm-d.ai', 'networking.istio.io']);
    // No InferenceObjective is emitted, but the EPP's Role watches them: the CRDs must exist for its informers.
    expect(p.crds.find((c) => c.group === 'llm-d.ai')).toMatchObject({ versions: [], kinds: ['inferencemodelrewrites', 'inferenceobjectives'] });
    expect(p.crds.find((c) => c.group === 'llm-d.ai')?.source).toContain('watched under Role llm-d-pd-disaggregation/gpt-oss-120b-epp-role');
    expect(p.crds.find((c) => c.group === 'gateway.networking.k8s.io')?.kinds).toEqual(['Gateway', 'HTTPRoute']);
    const names = p.controllers.map((c) => c.name);
    expect(names).toContain('Istio (GatewayClass istio)');
    expect(names.some((n) => n.startsWith('NVIDIA device plugin'))).toBe(true);
    expect(names.some((n) => n.startsWith('LeaderWorkerSet'))).toBe(false);
    expect(p.externalReferences.map((r) => `${r.kind} ${r.name}`)).toEqual(expect.arrayContaining(['Secret llm-d-hf-token']));
  });

  test('wide-ep-pd: LeaderWorkerSets of 16 / 8 = 2 pods of 8 GPUs with RDMA, and the LWS controller', () => {
    const p = planOf('wide-ep-pd');
    for (const name of ['deepseek-r1-kserve-mn', 'deepseek-r1-kserve-mn-prefill']) {
      expect(workload(p, name)).toMatchObject({ kind: 'LeaderWorkerSet', replicas: 1, podsPerReplica: 2, pods: 2, acceleratorsPerPod: 8, acceleratorsPerReplica: 16, accelerators: 16, rdmaPerPod: 1 });
      expect(workload(p, name).rdmaResource).toMatch(/^rdma\//);
    }
    expect(p.totals.accelerators).toBe(32);
    expect(p.crds.map((c) => c.group)).toContain('leaderworkerset.x-k8s.io');
    expect(p.controllers.find((c) => c.name.startsWith('LeaderWorkerSet controller'))?.objects).toHaveLength(2);
    expect(p.controllers.some((c) => c.name.startsWith(`an RDMA device plugin for ${workload(p, 'deepseek-r1-kserve-mn').rdmaResource}`))).toBe(true);
  });

  test('llama-405b-pp: 2 groups × 2 pods, TP 8 × PP 2 = 16 GPUs a group, 32 in all', () => {
    const p = planOf('llama-405b-pp');
    const w = p.workloads.find((x) => x.kind === 'LeaderWorkerSet')!;
    expect(w).toMatchObject({ replicas: 2, podsPerReplica: 2, pods: 4, acceleratorsPerPod: 8 });
    expect(w).toMatchObject({ acceleratorsPerReplica: 8 * 2, accelerators: 2 * 8 * 2 });
  });

  test('autoscaling-keda: the ScaledObject scales the Deployment between 0 (idle) and 6; KEDA CRD and controller', () => {
    const p = planOf('autoscaling-keda');
    const w = p.workloads.find((x) => x.role === 'both')!;
    expect(w).toMatchObject({ autoscaler: 'ScaledObject', minReplicas: 0, maxReplicas: 6 });
    expect(w.maxAccelerators).toBe(6 * w.acceleratorsPerReplica);
    expect(p.crds.map((c) => c.group)).toContain('keda.sh');
    expect(p.controllers.some((c) => c.name.startsWith('KEDA'))).toBe(true);
    expect(p.toTable()).toMatch(new RegExp(`${w.name} +Deployment +both +${w.replicas} \\(0-6\\)`));
  });

  test('standalone: no accelerator, no Gateway; the Mermaid chart starts at the Envoy of the EPP pod', () => {
    const p = planOf('standalone');
    expect(p.totals.accelerators).toBe(0);
    expect(p.crds.map((c) => c.group)).toEqual(['inference.networking.k8s.io', 'llm-d.ai']);
    expect(p.controllers.some((c) => /Gateway/.test(c.name))).toBe(false);
    const m = p.toMermaid();
    expect(m).toMatch(/^flowchart LR\n/);
    expect(m).not.toMatch(/Gateway/);
    expect(m).toMatch(/n\d+ -- "Envoy in the EPP pod, qwen-epp-service:80" --> n\d+/);
  });

  test('tp4-pvc and qwen-gpu: the PVC and Secret referenced by name are listed as prerequisites', () => {
    expect(planOf('tp4-pvc').externalReferences.some((r) => r.kind === 'PersistentVolumeClaim' && r.name === 'models')).toBe(true);
    expect(planOf('tp4-pvc').workloads.find((w) => w.role === 'both')).toMatchObject({ acceleratorsPerPod: 4 });
    expect(planOf('qwen-gpu').externalReferences.some((r) => r.kind === 'Secret' && r.name === 'hf-token')).toBe(true);
  });

  test('the Mermaid chart of pd-disaggregation follows gateway → route → pool → EPP, pool → workloads, decode → prefill', () => {
    const m = planOf('pd-disaggregation').toMermaid();
    const id = (text: string) => {
      const hit = new RegExp(`^  (n\\d+)\\W+${text}`, 'm').exec(m);
      if (!hit) throw new Error(`no node ${text} in\n${m}`);
      return hit[1];
    };
    const gw = id('Gateway<br/>llm-d-inference-gateway');
    const route = id('HTTPRoute<br/>gpt-oss-120b-kserve-route');
    const pool = id('InferencePool<br/>gpt-oss-120b-inference-pool');
    const epp = id('EPP<br/>gpt-oss-120b-kserve-router-scheduler');
    const prefill = id('Deployment prefill<br/>gpt-oss-120b-kserve-prefill<br/>8 pods');
    const decode = id('Deployment decode<br/>gpt-oss-120b-kserve<br/>2 pods \\+ routing sidecar');
    expect(m).toContain(`  ${gw} --> ${route}\n`);
    expect(m).toContain(`  ${route} --> ${pool}\n`);
    expect(m).toContain(`  ${pool} -. "endpoint picker" .-> ${epp}\n`);
    expect(m).toContain(`  ${pool} --> ${prefill}\n`);
    expect(m).toContain(`  ${pool} --> ${decode}\n`);
    expect(m).toContain(`  ${decode} -. "sidecar: prefill" .-> ${prefill}\n`);
  });

  test('precise-prefix-cache: the EPP uses the CPU tokenizer Deployment, which needs no accelerator', () => {
    const p = planOf('precise-prefix-cache');
    const tokenizer = p.workloads.find((w) => w.role === 'tokenizer')!;
    expect(tokenizer).toMatchObject({ kind: 'Deployment', accelerators: 0 });
    const m = p.toMermaid();
    const id = new RegExp(`^  (n\\d+)\\["tokenizer<br/>${tokenizer.name}"\\]$`, 'm').exec(m)![1];
    const epp = /^ {2}(n\d+)\{\{"EPP<br\/>/m.exec(m)![1];
    expect(m).toContain(`  ${epp} -. "tokenize" .-> ${id}\n`);
  });

  test('Plan.of(chart) equals Plan.fromManifests(chart.toJson()), and an existing Gateway is a prerequisite', () => {
    const app = exampleApp('qwen-gpu');
    const chart = app.charts[0];
    expect(Plan.of(chart).toJson()).toEqual(Plan.fromManifests(chart.toJson()).toJson());
    expect(Plan.of(app).toJson()).toEqual(Plan.fromManifests(app.charts.flatMap((c) => c.toJson())).toJson());
    const p = Plan.of(chart);
    expect(p.controllers.some((c) => /^the Gateway .* and its implementation$/.test(c.name))).toBe(true);
  });

  test('Plan.of(construct) plans only that construct\'s objects', () => {
    const app = new App();
    const chart = new Chart(app, 'c', { namespace: 'ns' });
    const props = { model: ModelSource.huggingFace('Qwen/Qwen3-0.6B'), engine: Engine.simulator(), accelerator: Accelerator.cpu() };
    const a = new LlmService(chart, 'a', { ...props, replicas: 3 });
    new LlmService(chart, 'b', { ...props, replicas: 5 });
    expect(Plan.of(a).totals.pods).toBe(3);
    expect(Plan.of(chart).totals.pods).toBe(8);
  });
});

describe('Plan arithmetic', () => {
  const deployment = (spec: Record<string, unknown>, replicas?: number) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd', namespace: 'ns' },
    spec: { replicas, selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec } },
  });

  test('pod requests count native sidecars with the containers and take the largest init container when it is bigger', () => {
    const p = Plan.fromManifests([deployment({
      initContainers: [
        { name: 'sidecar', restartPolicy: 'Always', resources: { requests: { cpu: '250m', memory: '64Mi' } } },
        { name: 'download', resources: { requests: { cpu: '4', memory: '100Mi' } } },
      ],
      containers: [{ name: 'main', resources: { limits: { 'cpu': '1', 'memory': '1Gi', 'amd.com/gpu': '2' } } }],
      volumes: [{ name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: '2048Mi' } }],
    }, 3)]);
    const w = p.workloads[0];
    expect(w.cpuMillisPerPod).toBe(4250); // the download init container (4) runs after the sidecar (0.25) has started
    expect(w.memoryBytesPerPod).toBe(2 ** 30 + 64 * 2 ** 20); // limits stand in for missing requests
    expect(w).toMatchObject({ acceleratorResource: 'amd.com/gpu', acceleratorsPerPod: 2, accelerators: 6, replicas: 3, shmSize: undefined });
    expect(p.controllers.some((c) => c.name.startsWith('AMD GPU device plugin'))).toBe(true);
  });

  test('/dev/shm is the memory-backed volume mounted there; without a sizeLimit it is unbounded', () => {
    const shm = (sizeLimit?: string) => Plan.fromManifests([deployment({
      containers: [{ name: 'main', volumeMounts: [{ name: 'dshm', mountPath: '/dev/shm' }] }],
      volumes: [{ name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit } }],
    })]).workloads[0];
    expect(shm('8Gi').shmSize).toBe('8Gi');
    expect(shm().shmSize).toBe('unbounded');
    expect(shm().replicas).toBe(1);
  });

  test('a List is expanded; objects that are not Kubernetes objects are refused with the index', () => {
    expect(Plan.fromManifests([{ apiVersion: 'v1', kind: 'List', items: [deployment({ containers: [] }, 2)] }]).totals.pods).toBe(2);
    expect(() => Plan.fromManifests([deployment({ containers: [] }), { kind: 'Deployment' }])).toThrow(LlmdConfigError);
    expect(() => Plan.fromManifests([deployment({ containers: [] }), { kind: 'Deployment' }])).toThrow(/manifests\[1\]/);
  });

  test('the table has a row per workload and a TOTAL row with the sums', () => {
    const table = planOf('pd-disaggregation').toTable();
    expect(table.split('\n')[0]).toBe('Namespace llm-d-pd-disaggregation:');
    expect(table.split('\n')[2]).toMatch(/^WORKLOAD +KIND +ROLE +REPLICAS +PODS +ACCELERATOR +PER POD +TOTAL +CPU\/POD +MEM\/POD +\/DEV\/SHM +RDMA\/POD$/);
    expect(table).toMatch(/\ngpt-oss-120b-kserve-prefill +Deployment +prefill +8 +8 +nvidia\.com\/gpu +1 +8 /);
    expect(table).toMatch(/\ngpt-oss-120b-kserve +Deployment +decode\+sidecar +2 +2 +nvidia\.com\/gpu +4 +8 /);
    expect(table).toMatch(/\nTOTAL +11 +16 /);
    expect(table).toContain('CRDs needed:\n  gateway.networking.k8s.io v1: Gateway, HTTPRoute');
  });
});

describe('cdk8s-llm-d plan', () => {
  const SAMPLE = path.join(ROOT, 'imports', 'reference', 'kserve', 'samples', 'single-node-gpu__llm-inference-service-pd-qwen2-7b-gpu.yaml');

  test('renders an LLMInferenceService and plans what it renders (2 prefill + 1 decode GPUs)', async () => {
    const r = await cli('plan', SAMPLE);
    expect(r.code).toBe(EXIT_OK);
    expect(r.out).toMatch(/^Namespace default:\n/);
    expect(r.out).toMatch(/\nqwen2-7b-instruct-pd-kserve-prefill +Deployment +prefill +2 +2 +nvidia\.com\/gpu +1 +2 /);
    expect(r.out).toMatch(/\nTOTAL +4 +3 /);
    const json = await cli('plan', '--json', '-n', 'team-a', SAMPLE);
    const doc = JSON.parse(json.out);
    expect(doc.totals.accelerators).toBe(3);
    expect(doc.workloads.every((w: { namespace: string }) => w.namespace === 'team-a')).toBe(true);
  });

  test('plans synthesized YAML from a directory; --mermaid prints the flowchart', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-llm-d-plan-'));
    const app = exampleApp('wide-ep-pd');
    fs.writeFileSync(path.join(dir, 'wide-ep-pd.k8s.yaml'), app.synthYaml());
    const r = await cli('plan', '--json', dir);
    expect(r.code).toBe(EXIT_OK);
    expect(JSON.parse(r.out)).toEqual(Plan.of(app).toJson());
    const m = await cli('plan', '--mermaid', dir);
    expect(m.out).toBe(Plan.of(app).toMermaid());
  });

  test('exit codes: 2 for a missing input, 1 for a service that does not render or nothing to plan', async () => {
    expect((await cli('plan', '/nonexistent.yaml')).code).toBe(EXIT_USAGE);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-llm-d-plan-'));
    const bad = path.join(dir, 'bad.yaml');
    fs.writeFileSync(bad, 'apiVersion: serving.kserve.io/v1alpha2\nkind: LLMInferenceService\nmetadata: {name: a}\nspec: {model: {uri: 42}}\n');
    const r = await cli('plan', bad);
    expect(r.code).toBe(EXIT_INVALID);
    expect(r.err).toMatch(/plan failed/);
    const empty = path.join(dir, 'empty.yaml');
    fs.writeFileSync(empty, '---\n');
    expect((await cli('plan', empty)).code).toBe(EXIT_INVALID);
  });
});

describe('the README', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## See what you deploy'));
  const block = (lang: string) => {
    const m = new RegExp('```' + lang + '\\n([\\s\\S]*?)\\n```').exec(section);
    if (!m) throw new Error(`no ${lang} block in the plan section`);
    return m[1] + '\n';
  };

  test('shows the table and the Mermaid chart `plan` prints for examples/pd-disaggregation', () => {
    const p = planOf('pd-disaggregation');
    expect(block('text')).toBe(p.toTable());
    expect(block('mermaid')).toBe(p.toMermaid());
  });
});
