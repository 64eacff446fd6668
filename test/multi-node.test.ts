/**
 * MultiNodeGroup: KServe Mode C (kserve-llmisvc.md §3.5), llm-d wide-EP (llm-d-wiring.md §4, invariants 5–8,
 * 31–37) and vLLM's Ray LWS example (crds-and-epp.md §C.6). The rendered leader/worker commands are executed
 * with bash and stubbed `vllm`, `ray` and `python3` that print their arguments.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthExample } from '../scripts/examples';
import {
  Accelerator, DataParallelLoadBalancing, Engine, LaunchStrategy, LlmService, ModelSource, MultiNodeGroup, MultiNodeGroupProps, PrefillDecodePair,
  SchedulerConfig,
} from '../src';
import { loadYamlDocuments } from './harness/yaml';
import { expectConfigError } from './util/expect-error';
import { containerPorts, flagNames, loadReference, probePorts } from './util/reference';
import { synth, testChart } from './util/synth';

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-llm-d-mn-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

const MODEL = ModelSource.huggingFace('deepseek-ai/DeepSeek-V2-Lite-Chat');
const make = (props: Partial<MultiNodeGroupProps>) => {
  const chart = testChart();
  const group = new MultiNodeGroup(chart, 'mn', { model: MODEL, parallelism: { data: 4, dataLocal: 2, expert: true }, ...props });
  return { group, objs: synth(chart) };
};
const lwsOf = (objs: any[]) => objs.find((o) => o.kind === 'LeaderWorkerSet');
const templates = (lws: any) => ({ leader: lws.spec.leaderWorkerTemplate.leaderTemplate, worker: lws.spec.leaderWorkerTemplate.workerTemplate });
const main = (t: any) => t.spec.containers.find((c: any) => c.name === 'main');

/** Stub binaries that print their argv as JSON lines, one file per tool. */
const bin = fs.mkdtempSync(path.join(out, 'bin-'));
for (const tool of ['vllm', 'ray']) {
  fs.writeFileSync(path.join(bin, tool), `#!/usr/bin/env bash\nprintf '%s\\0' "${tool}" "$@" > "$STUB_OUT/${tool}.$$"\n[ "${tool}" = ray ] && [ "$1" = start ] && exit 0\nexit 0\n`, { mode: 0o755 });
}
fs.writeFileSync(path.join(bin, 'python3'), '#!/usr/bin/env bash\necho "$STUB_RAY_NODES"\n', { mode: 0o755 });
// getent resolves unless STUB_GETENT_FAIL is set; every call is counted.
fs.writeFileSync(path.join(bin, 'getent'), '#!/usr/bin/env bash\nprintf "x\\0" >> "$STUB_OUT/getent-calls"\n[ -z "${STUB_GETENT_FAIL:-}" ] && echo "10.0.0.1 $2" && exit 0\nexit 2\n', { mode: 0o755 });

/** Run a container's command+args as the kubelet would (after $(VAR) expansion, which these commands do not use). */
function run(container: any, env: Record<string, string>): Record<string, string[]> {
  const dir = fs.mkdtempSync(path.join(out, 'run-'));
  const [cmd, ...rest] = [...container.command, ...(container.args ?? [])];
  execFileSync(cmd, rest, { env: { PATH: `${bin}:/usr/bin:/bin`, STUB_OUT: dir, ...env }, stdio: 'pipe', timeout: 20_000 });
  const calls: Record<string, string[]> = {};
  for (const f of fs.readdirSync(dir)) calls[f.split('.')[0]] = fs.readFileSync(path.join(dir, f), 'utf8').split('\0').slice(0, -1);
  return calls;
}
const flag = (argv: string[], name: string) => {
  const i = argv.indexOf(name);
  return i < 0 ? undefined : argv[i + 1];
};

describe('native data parallel, internal load balancing (KServe)', () => {
  const { group, objs } = make({});
  const lws = lwsOf(objs);
  const { leader, worker } = templates(lws);

  test('LeaderWorkerSet shape: N-kserve-mn, size = data / dataLocal, RecreateGroupOnPodRestart, LeaderCreated', () => {
    expect(lws.metadata.name).toBe('mn-kserve-mn');
    expect(lws.spec.leaderWorkerTemplate.size).toBe(2);
    expect(lws.spec.leaderWorkerTemplate.restartPolicy).toBe('RecreateGroupOnPodRestart');
    expect(lws.spec.startupPolicy).toBe('LeaderCreated');
    expect(group.groupSize).toBe(2);
  });

  test('size × GPUs per pod = TP × DP', () => {
    for (const t of [leader, worker]) expect(Number(main(t).resources.limits['nvidia.com/gpu'])).toBe(2);
    expect(lws.spec.leaderWorkerTemplate.size * 2).toBe(4);
  });

  test.each([0, 1])('executed command for LWS_WORKER_INDEX=%i prints the right rank, sizes, address and headless flag', (index) => {
    const t = index === 0 ? leader : worker;
    const { vllm } = run(main(t), { LWS_WORKER_INDEX: String(index), LWS_LEADER_ADDRESS: 'mn-kserve-mn-0.mn-kserve-mn.llm' });
    expect(vllm.slice(0, 2)).toEqual(['vllm', 'serve']);
    expect(vllm[2]).toBe('/mnt/models');
    expect(flag(vllm, '--data-parallel-size')).toBe('4');
    expect(flag(vllm, '--data-parallel-size-local')).toBe('2');
    expect(flag(vllm, '--data-parallel-start-rank')).toBe(String(index * 2));
    expect(flag(vllm, '--data-parallel-address')).toBe('mn-kserve-mn-0.mn-kserve-mn.llm');
    expect(flag(vllm, '--data-parallel-rpc-port')).toBe('5555');
    expect(vllm.includes('--headless')).toBe(index !== 0);
    expect(vllm).toContain('--enable-expert-parallel');
  });

  test('only the leader serves: probes and port on the leader, none on workers; Service and pool select leaders only', () => {
    expect(main(leader).readinessProbe.httpGet.port).toBe(8000);
    expect(main(worker).readinessProbe).toBeUndefined();
    expect(main(worker).ports).toBeUndefined();
    const selects = (sel: Record<string, string>, t: any) => Object.entries(sel).every(([k, v]) => t.metadata.labels[k] === v);
    const svc = objs.find((o) => o.kind === 'Service' && o.metadata.name === 'mn-kserve-workload-svc');
    expect(selects(svc.spec.selector, leader)).toBe(true);
    expect(selects(svc.spec.selector, worker)).toBe(false);
  });
});

describe('native data parallel, external per-rank load balancing (llm-d wide-EP)', () => {
  const { objs } = make({
    parallelism: { data: 16, dataLocal: 8, expert: true },
    accelerator: Accelerator.nvidia(),
    launch: LaunchStrategy.dataParallel(DataParallelLoadBalancing.EXTERNAL_PER_RANK),
    scheduler: SchedulerConfig.default(),
  });
  const lws = lwsOf(objs);
  const { leader, worker } = templates(lws);

  test('no leader template: every pod serves one port per local rank plus the supervisor, and the pool lists every rank port', () => {
    expect(leader).toBeUndefined();
    expect(containerPorts(main(worker))).toEqual([8000, 8001, 8002, 8003, 8004, 8005, 8006, 8007, 8008]);
    const pool = objs.find((o) => o.kind === 'InferencePool');
    expect(pool.spec.targetPorts.map((p: any) => p.number)).toEqual([8000, 8001, 8002, 8003, 8004, 8005, 8006, 8007]);
    expect(Object.entries(pool.spec.selector.matchLabels).every(([k, v]) => worker.metadata.labels[k] === v)).toBe(true);
    expect(probePorts(main(worker))).toEqual([8008]);
  });

  test.each([0, 1])('executed command for LWS_WORKER_INDEX=%i: start rank = index × 8, multi-port external LB, no --headless', (index) => {
    const { vllm } = run(main(worker), { LWS_WORKER_INDEX: String(index), LWS_LEADER_ADDRESS: 'leader.svc' });
    expect(flag(vllm, '--data-parallel-start-rank')).toBe(String(index * 8));
    expect(flag(vllm, '--data-parallel-size')).toBe('16');
    expect(vllm).toContain('--data-parallel-multi-port-external-lb');
    expect(flag(vllm, '--data-parallel-supervisor-port')).toBe('8008');
    expect(vllm).not.toContain('--headless');
  });
});

describe('Ray across nodes (TP 8 × PP 2)', () => {
  const { group, objs } = make({ parallelism: { tensor: 8, pipeline: 2 }, launch: LaunchStrategy.ray(), model: ModelSource.pvc('models', 'llama-405b') });
  const { leader, worker } = templates(lwsOf(objs));

  test('group size 2 with 8 GPUs each: size × GPUs = TP × PP', () => {
    expect(group.groupSize).toBe(2);
    expect(Number(main(leader).resources.limits['nvidia.com/gpu']) * group.groupSize).toBe(16);
  });

  test('leader: starts the Ray head, waits for the group, then serves with the Ray executor', () => {
    const calls = run(main(leader), { LWS_WORKER_INDEX: '0', LWS_LEADER_ADDRESS: 'leader', STUB_RAY_NODES: '2' });
    expect(calls.ray).toEqual(['ray', 'start', '--head', '--port=6379', '--num-gpus=8']);
    expect(flag(calls.vllm, '--tensor-parallel-size')).toBe('8');
    expect(flag(calls.vllm, '--pipeline-parallel-size')).toBe('2');
    expect(flag(calls.vllm, '--distributed-executor-backend')).toBe('ray');
    expect(calls.vllm).not.toContain('--headless');
  });

  test('worker: joins the leader\'s Ray head and does not run vLLM', () => {
    const calls = run(main(worker), { LWS_WORKER_INDEX: '1', LWS_LEADER_ADDRESS: 'llama-leader.llm' });
    expect(calls.ray).toEqual(['ray', 'start', '--address=llama-leader.llm:6379', '--num-gpus=8', '--block']);
    expect(calls.vllm).toBeUndefined();
    expect(main(worker).readinessProbe).toBeUndefined();
  });
});

describe('wide-ep vs kustomize-era-v0.8.0/rendered/wide-ep-lws.rendered.yaml (the prefill LWS: vLLM serves the rank ports itself)', () => {
  const ref = loadReference('llm-d/kustomize-era-v0.8.0/rendered/wide-ep-lws.rendered.yaml');
  const lib = synthExample('wide-ep', path.join(out, 'wide-ep')).flatMap((f) => loadYamlDocuments(f));
  const refLws = ref.find((o) => o.kind === 'LeaderWorkerSet' && o.metadata.name.includes('prefill'));
  const libLws = lwsOf(lib);
  const refMain = refLws.spec.leaderWorkerTemplate.workerTemplate.spec.containers[0];
  const libMain = main(libLws.spec.leaderWorkerTemplate.workerTemplate);

  test('same group size, worker-only template, GPUs per pod, rank + supervisor ports and probe port', () => {
    expect(libLws.spec.leaderWorkerTemplate.size).toBe(refLws.spec.leaderWorkerTemplate.size);
    expect(Object.keys(libLws.spec.leaderWorkerTemplate).includes('leaderTemplate')).toBe(false);
    expect(String(libMain.resources.limits['nvidia.com/gpu'])).toBe(String(refMain.resources.limits['nvidia.com/gpu']));
    expect(containerPorts(libMain)).toEqual(containerPorts(refMain));
    expect(probePorts(libMain)).toEqual(probePorts(refMain));
  });

  test('same pool target ports', () => {
    const ports = (objs: any[]) => objs.find((o) => o.kind === 'InferencePool').spec.targetPorts;
    expect(ports(lib)).toEqual(ports(ref));
  });

  test('executed commands: same DP flags and ranks as the reference script (kv-transfer and MoE kernel flags are P/D/tuning options of the guide)', () => {
    const refScript = (index: number) => run({ command: refMain.command, args: refMain.args }, {
      LWS_WORKER_INDEX: String(index), LWS_LEADER_ADDRESS: 'leader', LWS_GROUP_SIZE: '2', DP_SIZE_LOCAL: '8', TP_SIZE: '1',
    }).vllm;
    for (const index of [0, 1]) {
      const r = refScript(index);
      const l = run(libMain, { LWS_WORKER_INDEX: String(index), LWS_LEADER_ADDRESS: 'leader' }).vllm;
      for (const f of ['--data-parallel-size', '--data-parallel-size-local', '--data-parallel-start-rank', '--data-parallel-rpc-port', '--data-parallel-supervisor-port', '--all2all-backend', '--data-parallel-address']) {
        expect([f, flag(l, f)]).toEqual([f, flag(r, f)]);
      }
      const only = (a: string[], b: string[]) => flagNames(a).filter((x) => !flagNames(b).includes(x));
      expect(only(r, l).sort()).toEqual(['--gpu-memory-utilization', '--kv_transfer_config', '--moe-backend', '--tensor-parallel-size'].sort());
      // every rank serves its own API port (external LB), so every pod drains with --shutdown-timeout
      expect(only(l, r).sort()).toEqual(['--served-model-name', '--shutdown-timeout'].sort());
    }
  });
});

describe('MultiNodeGroup rejects bad input', () => {
  const P = 'test/mn';
  test('data not divisible by dataLocal', () => {
    expectConfigError(() => make({ parallelism: { data: 6, dataLocal: 4 } }), { path: P, field: 'parallelism.dataLocal', value: '4', mentions: 'divide' });
  });
  test('TP × dataLocal greater than gpusPerNode', () => {
    expectConfigError(() => make({ parallelism: { data: 16, dataLocal: 8, tensor: 2 } }), { path: P, field: 'parallelism.tensor', value: '2', mentions: 'more than the 8 per node' });
  });
  test('a group of size 1 points to LlmService', () => {
    expectConfigError(() => make({ parallelism: { data: 4, dataLocal: 4 } }), { path: P, field: 'parallelism.dataLocal', value: '4', mentions: 'LlmService' });
    expectConfigError(() => make({ parallelism: { tensor: 8 }, launch: LaunchStrategy.ray() }), { path: P, field: 'parallelism.tensor', value: '8', mentions: 'LlmService' });
  });
  test('expert without data parallelism', () => {
    expectConfigError(() => make({ parallelism: { tensor: 8, expert: true }, launch: LaunchStrategy.dataParallel() }), { path: P, field: 'parallelism.expert', value: 'true', mentions: 'data > 1' });
  });
  test('Ray with dataLocal', () => {
    expectConfigError(() => make({ parallelism: { tensor: 8, pipeline: 2, dataLocal: 1 }, launch: LaunchStrategy.ray() }), { path: P, field: 'parallelism.dataLocal', value: '1', mentions: 'Ray' });
  });
  test('pipeline parallelism with the native DP strategy', () => {
    expectConfigError(() => make({ parallelism: { data: 4, dataLocal: 2, pipeline: 2 } }), { path: P, field: 'parallelism.pipeline', value: '2', mentions: 'LaunchStrategy.ray()' });
  });
  test('RPC port colliding with the HTTP port', () => {
    expectConfigError(() => make({ parallelism: { data: 4, dataLocal: 2, dataRpcPort: 8000 } }), { path: P, field: 'parallelism.dataRpcPort', value: '8000', mentions: 'collides' });
  });
  test('more than 8 per-rank ports', () => {
    const launch = LaunchStrategy.dataParallel(DataParallelLoadBalancing.EXTERNAL_PER_RANK);
    expectConfigError(() => make({ parallelism: { data: 32, dataLocal: 16 }, accelerator: Accelerator.nvidia({ perNode: 16 }), launch }),
      { path: P, field: 'parallelism.dataLocal', value: '16', mentions: 'at most 8' });
  });
  test('simulator engine in a multi-node group', () => {
    expectConfigError(() => make({ engine: Engine.simulator() }), { path: P, field: 'engine', value: 'simulator', mentions: 'multi-node' });
  });
  test('Ray parallelism that does not fill whole pods', () => {
    expectConfigError(() => make({ parallelism: { tensor: 4, pipeline: 3 }, launch: LaunchStrategy.ray() }), { path: P, field: 'parallelism.tensor', value: '4', mentions: 'whole pods' });
  });
  test('CPU accelerator', () => {
    expectConfigError(() => make({ accelerator: Accelerator.cpu() }), { path: P, field: 'accelerator', value: 'cpu' });
  });
  test('all2all backend without expert parallelism', () => {
    expectConfigError(() => make({ parallelism: { data: 4, dataLocal: 2 }, all2allBackend: 'pplx' }), { path: P, field: 'all2allBackend', value: 'pplx' });
  });
  test('zero groups', () => {
    expectConfigError(() => make({ replicas: 0 }), { path: P, field: 'replicas', value: '0' });
  });
  test('LlmService names the MultiNodeGroup group size when parallelism does not fit a node', () => {
    expectConfigError(() => new LlmService(testChart(), 'big', { model: MODEL, parallelism: { tensor: 8, pipeline: 2 } }),
      { path: 'test/big', field: 'parallelism.tensor', value: '8', mentions: 'group of 2 pods' });
  });
});

describe('wide-ep-pd vs kustomize-era-v0.8.0/rendered/wide-ep-lws.rendered.yaml (decode and prefill groups, sidecar per rank)', () => {
  const ref = loadReference('llm-d/kustomize-era-v0.8.0/rendered/wide-ep-lws.rendered.yaml');
  const lib = synthExample('wide-ep-pd', path.join(out, 'wide-ep-pd')).flatMap((f) => loadYamlDocuments(f));
  const group = (objs: any[], role: string) => objs.filter((o) => o.kind === 'LeaderWorkerSet')
    .find((o) => o.spec.leaderWorkerTemplate.workerTemplate.metadata.labels['llm-d.ai/role'] === role).spec.leaderWorkerTemplate;
  const engine = (t: any) => t.workerTemplate.spec.containers.find((c: any) => /vllm|llm-d-cuda/.test(c.image));
  const sidecarOf = (t: any) => (t.workerTemplate.spec.initContainers ?? []).find((c: any) => c.restartPolicy === 'Always');

  test.each(['decode', 'prefill'])('%s: same group size, worker-only template, GPUs per pod and engine ports', (role) => {
    const r = group(ref, role);
    const l = group(lib, role);
    expect(l.size).toBe(r.size);
    expect(l.leaderTemplate).toBeUndefined();
    expect(String(engine(l).resources.limits['nvidia.com/gpu'])).toBe(String(engine(r).resources.limits['nvidia.com/gpu']));
    const servingPorts = (c: any) => containerPorts(c).filter((p: number) => p >= 8000 && p < 9000);
    expect(servingPorts(engine(l))).toEqual(servingPorts(engine(r)));
    expect(probePorts(engine(l))).toEqual(probePorts(engine(r)));
  });

  test('decode sidecar: same ports and model-server port / --data-parallel-size; flags equal modulo the v0.10 SSRF flags, the v0.10 rename --vllm-port → --model-server-port and guide tuning', () => {
    const r = sidecarOf(group(ref, 'decode'));
    const l = sidecarOf(group(lib, 'decode'));
    expect(containerPorts(l)).toEqual(containerPorts(r));
    const v = (c: any, f: string) => c.args.find((a: string) => a.startsWith(`${f}=`))?.slice(f.length + 1);
    for (const f of ['--port', '--data-parallel-size', '--kv-connector']) expect(v(l, f)).toBe(v(r, f));
    expect(v(l, '--model-server-port')).toBe(v(r, '--vllm-port'));
    const renamed = (f: string) => (f === '--vllm-port' ? '--model-server-port' : f);
    const rf = flagNames(r.args).map(renamed).filter((f) => !['--zap-log-level', '--enable-prefiller-sampling'].includes(f)).sort();
    const lf = flagNames(l.args).filter((f) => !['--enable-ssrf-protection', '--pool-group', '--inference-pool'].includes(f));
    expect(lf).toEqual(rf);
  });

  test('same pool target ports', () => {
    const ports = (objs: any[]) => objs.find((o) => o.kind === 'InferencePool').spec.targetPorts;
    expect(ports(lib)).toEqual(ports(ref));
  });
});

describe('allowSinglePodGroups', () => {
  test('a one-pod group renders a LeaderWorkerSet of size 1 (refused without it)', () => {
    const props = { model: ModelSource.huggingFace('Qwen/Qwen3-8B'), parallelism: { data: 2, dataLocal: 2 } };
    expectConfigError(() => new MultiNodeGroup(testChart(), 'one', props), { path: 'test/one', field: 'parallelism.dataLocal', value: '2', mentions: 'fits one node' });
    const chart = testChart();
    const g = new MultiNodeGroup(chart, 'one', { ...props, allowSinglePodGroups: true });
    expect(g.groupSize).toBe(1);
    const lws = synth(chart).find((o) => o.kind === 'LeaderWorkerSet');
    expect(lws.spec.leaderWorkerTemplate.size).toBe(1);
  });

  test('PrefillDecodeRole.leaderWorkerSet makes a one-pod role a LeaderWorkerSet', () => {
    const chart = testChart();
    new PrefillDecodePair(chart, 'pd', { model: ModelSource.huggingFace('Qwen/Qwen3-8B'), prefill: { leaderWorkerSet: true }, decode: {} });
    expect(synth(chart).filter((o) => o.kind === 'LeaderWorkerSet').map((o) => o.metadata.name)).toEqual(['pd-kserve-mn-prefill']);
  });
});

describe('the data-parallel launcher waits for the leader\'s DNS name (KServe\'s DP presets)', () => {
  const { objs } = make({});
  const worker = lwsOf(objs).spec.leaderWorkerTemplate.workerTemplate;
  const env = { LWS_WORKER_INDEX: '1', LWS_LEADER_ADDRESS: 'mn-kserve-mn-0.mn-kserve-mn.llm' };

  test('resolves once and starts vLLM when the name resolves', () => {
    const calls = run(main(worker), env);
    expect(calls['getent-calls']).toHaveLength(1);
    expect(flag(calls.vllm, '--data-parallel-address')).toBe('mn-kserve-mn-0.mn-kserve-mn.llm');
  });

  test('retries DP_ADDRESS_RESOLVE_ATTEMPTS times, then starts vLLM anyway', () => {
    const calls = run(main(worker), { ...env, STUB_GETENT_FAIL: '1', DP_ADDRESS_RESOLVE_ATTEMPTS: '2' });
    expect(calls['getent-calls']).toHaveLength(2);
    expect(calls.vllm).toBeDefined();
  });
});

test('--api-server-count in extraArgs reaches the serving leader only (vLLM refuses it with --headless)', () => {
  const { objs } = make({ engine: Engine.vllm({ extraArgs: ['--api-server-count', '4'] }) });
  const { leader, worker } = templates(lwsOf(objs));
  expect(flag(main(leader).args, '--api-server-count')).toBe('4');
  expect(main(worker).args).not.toContain('--api-server-count');
  expect(main(worker).args.slice(-2)).toEqual(['--headless', '--enable-expert-parallel']);
});
