/**
 * PrefillDecodePair: KServe Mode B (kserve-llmisvc.md §3.4) / llm-d P/D (llm-d-wiring.md §3, invariants 2, 5, 7,
 * 8, 23, 27–32), compared with kustomize-era-v0.8.0/rendered/pd-disaggregation.gateway-istio.rendered.yaml.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthExample } from '../scripts/examples';
import {
  Accelerator, DataParallelLoadBalancing, Engine, KvRoles, KvTransfer, ModelSource, PdDecider, PrefillDecodePair,
  PrefillDecodePairProps, SchedulerConfig,
} from '../src';
import { formatIssues, SchemaValidator } from './harness/schema-validator';
import { checkWiring, formatViolations } from './harness/wiring-checker';
import { loadYamlDocuments } from './harness/yaml';
import { expectConfigError } from './util/expect-error';
import { containerPorts, eppConfig, flagNames, loadReference, modelServers, pluginGraph } from './util/reference';
import { synth, testChart } from './util/synth';
import { expectValid } from './util/validated';

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-llm-d-pd-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));
const example = (name: string) => synthExample(name, path.join(out, name)).flatMap((f) => loadYamlDocuments(f));

const MODEL = ModelSource.huggingFace('Qwen/Qwen3-8B');
const BASE: PrefillDecodePairProps = { model: MODEL, prefill: { replicas: 2 }, decode: { replicas: 1 }, scheduler: SchedulerConfig.prefillDecode() };
const make = (props: Partial<PrefillDecodePairProps> = {}) => {
  const chart = testChart();
  const pair = new PrefillDecodePair(chart, 'pd', { ...BASE, ...props });
  return { pair, objs: synth(chart) };
};
const deployment = (objs: any[], name: string) => objs.find((o) => o.kind === 'Deployment' && o.metadata.name === name);
const main = (d: any) => d.spec.template.spec.containers.find((c: any) => c.name === 'main');
const sidecar = (d: any) => (d.spec.template.spec.initContainers ?? []).find((c: any) => c.name === 'llm-d-routing-sidecar');
const argValue = (args: string[], flag: string) => {
  const eq = args.find((a) => a.startsWith(`${flag}=`));
  if (eq) return eq.slice(flag.length + 1);
  const i = args.indexOf(flag);
  return i < 0 ? undefined : args[i + 1];
};

describe('topology and wiring', () => {
  const { objs } = make();
  const prefill = deployment(objs, 'pd-kserve-prefill');
  const decode = deployment(objs, 'pd-kserve');

  test('prefill and decode Deployments carry their roles and KServe components', () => {
    expect(prefill.spec.template.metadata.labels).toMatchObject({ 'llm-d.ai/role': 'prefill', 'app.kubernetes.io/component': 'llminferenceservice-workload-prefill' });
    expect(decode.spec.template.metadata.labels).toMatchObject({ 'llm-d.ai/role': 'decode', 'app.kubernetes.io/component': 'llminferenceservice-workload' });
  });

  test('both roles carry the same NIXL KV connector config, side-channel host from the pod IP and the nixl port', () => {
    for (const d of [prefill, decode]) {
      const c = main(d);
      expect(JSON.parse(argValue(c.args, '--kv-transfer-config')!)).toEqual({ kv_connector: 'NixlConnector', kv_role: 'kv_both' });
      expect(c.env).toContainEqual({ name: 'VLLM_NIXL_SIDE_CHANNEL_HOST', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } });
      expect(c.ports).toContainEqual({ name: 'nixl', containerPort: 5600, protocol: 'TCP' });
    }
  });

  test('the sidecar is a native sidecar on decode only, and its --model-server-port equals vLLM --port', () => {
    const s = sidecar(decode);
    expect(s.restartPolicy).toBe('Always');
    expect(sidecar(prefill)).toBeUndefined();
    expect(argValue(s.args, '--model-server-port')).toBe(argValue(main(decode).args, '--port'));
    expect(argValue(s.args, '--port')).toBe('8000');
    expect(main(decode).ports[0].containerPort).toBe(Number(argValue(s.args, '--model-server-port')));
    expect(argValue(s.args, '--kv-connector')).toBe('nixlv2');
  });

  test('the pool target port is served by the sidecar on decode pods and by vLLM on prefill pods', () => {
    const pool = objs.find((o) => o.kind === 'InferencePool');
    const port = pool.spec.targetPorts[0].number;
    expect(sidecar(decode).ports.map((p: any) => p.containerPort)).toContain(port);
    expect(main(decode).ports.map((p: any) => p.containerPort)).not.toContain(port);
    expect(main(prefill).ports.map((p: any) => p.containerPort)).toContain(port);
    for (const d of [prefill, decode]) expect(d.spec.template.metadata.labels).toMatchObject(pool.spec.selector.matchLabels);
  });

  test('the sidecar watches the pool it protects (SSRF allowlist, invariant 27) and its SA may read pods and pools of that group', () => {
    const s = sidecar(decode);
    const pool = objs.find((o) => o.kind === 'InferencePool');
    expect(argValue(s.args, '--pool-group')).toBe(pool.apiVersion.split('/')[0]);
    expect(argValue(s.args, '--inference-pool')).toBe(`llm/${pool.metadata.name}`);
    expect(decode.spec.template.spec.serviceAccountName).toBe('pd-kserve');
    const role = objs.find((o) => o.kind === 'Role' && o.metadata.name === 'pd-kserve-role');
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['inference.networking.k8s.io'], resources: ['inferencepools'], verbs: ['get', 'list', 'watch'] },
    ]);
  });

  test('the EPP config has prefill and decode profiles whose filters match the role labels used', () => {
    const cfg = eppConfig(objs);
    const graph = pluginGraph(cfg);
    expect(Object.keys(graph.profiles).sort()).toEqual(['decode', 'prefill']);
    expect(graph.profiles.prefill.map(([t]) => t)).toContain('prefill-filter');
    expect(graph.profiles.decode.map(([t]) => t)).toContain('decode-filter');
    const roles = objs.filter((o) => o.kind === 'Deployment' && o.spec.template.metadata.labels['kserve.io/component']).map((d) => d.spec.template.metadata.labels['llm-d.ai/role']).sort();
    expect(roles).toEqual(['decode', 'prefill']);
    expect(graph.types).toContain('disagg-profile-handler');
  });

  test('producer/consumer roles, UCX settings and RDMA when asked', () => {
    const r = make({ kvTransfer: KvTransfer.nixl({ roles: KvRoles.PRODUCER_CONSUMER, ucxTransports: 'rc,sm' }), rdma: { networks: 'roce-p2' } }).objs;
    const p = main(deployment(r, 'pd-kserve-prefill'));
    const d = main(deployment(r, 'pd-kserve'));
    expect(JSON.parse(argValue(p.args, '--kv-transfer-config')!).kv_role).toBe('kv_producer');
    expect(JSON.parse(argValue(d.args, '--kv-transfer-config')!).kv_role).toBe('kv_consumer');
    expect(d.env).toContainEqual({ name: 'UCX_TLS', value: 'rc,sm' });
    expect(d.resources.limits['rdma/roce_gdr']).toBe('1');
    expect(d.securityContext.capabilities.add).toEqual(['IPC_LOCK']);
    expect(deployment(r, 'pd-kserve').spec.template.metadata.annotations).toEqual({ 'k8s.v1.cni.cncf.io/networks': 'roce-p2' });
  });

  test('simulator: same topology, no KV-transfer flags or NIXL env', () => {
    const r = make({ engine: Engine.simulator(), accelerator: Accelerator.cpu() }).objs;
    const d = deployment(r, 'pd-kserve');
    expect(sidecar(d)).toBeDefined();
    expect(main(d).args).not.toContain('--kv-transfer-config');
    expect(argValue(main(d).args, '--port')).toBe('8001');
    expect(main(d).env).toBeUndefined();
  });

  test('per-role parallelism: GPUs per role follow TP', () => {
    const r = make({ prefill: { parallelism: { tensor: 4 } }, decode: { parallelism: { tensor: 2 } } }).objs;
    expect(main(deployment(r, 'pd-kserve-prefill')).resources.limits['nvidia.com/gpu']).toBe('4');
    expect(main(deployment(r, 'pd-kserve')).resources.limits['nvidia.com/gpu']).toBe('2');
  });
});

describe('pd-disaggregation vs kustomize-era-v0.8.0/rendered/pd-disaggregation.gateway-istio.rendered.yaml', () => {
  const ref = loadReference('llm-d/kustomize-era-v0.8.0/rendered/pd-disaggregation.gateway-istio.rendered.yaml');
  const lib = example('pd-disaggregation');
  const byRole = (objs: any[], role: string) => modelServers(objs).find((m) => m.role === role)!;

  test('per role: same engine flags (modulo --port/--served-model-name), same GPU count and block size, same KV config', () => {
    for (const role of ['prefill', 'decode']) {
      const r = byRole(ref, role).container;
      const l = byRole(lib, role).container;
      // The library omits --tensor-parallel-size when it is 1 (vLLM's default); compare the values instead.
      const tp = (args: string[]) => Number(argValue(args, '--tensor-parallel-size') ?? 1);
      expect(tp(l.args)).toBe(tp(r.args));
      const noTp = (names: string[]) => names.filter((f) => f !== '--tensor-parallel-size');
      expect(noTp(flagNames(l.args))).toEqual(noTp([...new Set([...flagNames(r.args), '--port', '--served-model-name', '--shutdown-timeout'])].sort()));
      expect(String(l.resources.limits['nvidia.com/gpu'])).toBe(String(r.resources.limits['nvidia.com/gpu']));
      expect(argValue(l.args, '--block-size')).toBe(argValue(r.args, '--block-size'));
      expect(JSON.parse(argValue(l.args, '--kv-transfer-config')!)).toEqual(JSON.parse(argValue(r.args, '--kv-transfer-config')!));
    }
  });

  test('ports: prefill vLLM and decode sidecar on 8000, nixl 5600 on both; decode vLLM behind the sidecar (8001 here, 8200 in llm-d)', () => {
    expect(containerPorts(byRole(lib, 'prefill').container)).toEqual(containerPorts(byRole(ref, 'prefill').container));
    expect(containerPorts(byRole(lib, 'decode').container)).toEqual([5600, 8001]);
    expect(containerPorts(byRole(ref, 'decode').container)).toEqual([5600, 8200]);
  });

  test('sidecar: same flags as the v0.9 sidecar of the render, plus the v0.10 SSRF flags (normalised), minus its log level, with --vllm-port renamed --model-server-port (v0.10)', () => {
    const s = (objs: any[]) => modelServers(objs).find((m) => m.role === 'decode')!.pod.initContainers.find((c: any) => c.restartPolicy === 'Always');
    const r = flagNames(s(ref).args).filter((f) => f !== '--zap-log-level').map((f) => (f === '--vllm-port' ? '--model-server-port' : f)).sort();
    const l = flagNames(s(lib).args).filter((f) => !['--enable-ssrf-protection', '--pool-group', '--inference-pool'].includes(f));
    expect(l).toEqual(r);
  });

  test('EPP: the same P/D plugin graph (KServe lists the picker explicitly)', () => {
    const r = pluginGraph(eppConfig(ref));
    const l = pluginGraph(eppConfig(lib));
    expect(l.types.filter((t) => t !== 'max-score-picker')).toEqual(r.types);
    for (const p of ['prefill', 'decode']) expect(l.profiles[p].filter(([t]) => t !== 'max-score-picker')).toEqual(r.profiles[p]);
  });
});

describe('PrefillDecodePair rejects bad input', () => {
  const P = 'test/pd';
  test('prefill without decode', () => {
    expectConfigError(() => make({ decode: undefined as any }), { path: P, field: 'decode', value: '(unset)', mentions: 'LlmService' });
  });
  test('decode without prefill', () => {
    expectConfigError(() => make({ prefill: undefined as any }), { path: P, field: 'prefill', value: '(unset)' });
  });
  test('KV connector on one role only', () => {
    expectConfigError(() => make({ decode: { kvTransfer: KvTransfer.nixl() } }), { path: P, field: 'decode.kvTransfer', value: 'NixlConnector', mentions: 'decode only' });
    expectConfigError(() => make({ prefill: { kvTransfer: KvTransfer.nixl() } }), { path: P, field: 'prefill.kvTransfer', value: 'NixlConnector', mentions: 'prefill only' });
  });
  test('different KV roles on the two roles', () => {
    const consumer = KvTransfer.nixl({ roles: KvRoles.PRODUCER_CONSUMER });
    expectConfigError(() => make({ prefill: { kvTransfer: KvTransfer.nixl() }, decode: { kvTransfer: consumer } }),
      { path: P, field: 'decode.kvTransfer', value: 'kv_consumer', mentions: 'does not match' });
  });
  test('different block size between roles', () => {
    expectConfigError(() => make({ prefill: { engine: Engine.vllm({ blockSize: 64 }) }, decode: { engine: Engine.vllm({ blockSize: 128 }) } }),
      { path: P, field: 'decode.engine.blockSize', value: '128', mentions: '(64)' });
  });
  test('different max-model-len between roles', () => {
    expectConfigError(() => make({ prefill: { engine: Engine.vllm({ maxModelLen: 8192 }) } }), { path: P, field: 'decode.engine.maxModelLen', value: '(unset)', mentions: '8192' });
  });
  test('different engines between roles', () => {
    expectConfigError(() => make({ prefill: { engine: Engine.simulator() } }), { path: P, field: 'decode.engine', value: 'VLLM' });
  });
  test('sidecar port equal to the vLLM port', () => {
    expectConfigError(() => make({ decode: { vllmPort: 8000 } }), { path: P, field: 'decode.vllmPort', value: '8000', mentions: 'same port' });
  });
  test('P/D without a scheduler gets SchedulerConfig.prefillDecode() (the only valid config of a pair)', () => {
    const render = (scheduler: SchedulerConfig | undefined) => {
      const chart = testChart();
      new PrefillDecodePair(chart, 'pd', { model: ModelSource.huggingFace('Qwen/Qwen3-8B'), prefill: {}, decode: {}, scheduler });
      return synth(chart);
    };
    const implicit = expectValid(render(undefined));
    const epp = implicit.find((o) => o.kind === 'ConfigMap' && o.metadata.name.endsWith('-epp-config'));
    expect(epp).toBeDefined();
    expect(implicit).toEqual(render(SchedulerConfig.prefillDecode()));
  });
  test('a user-supplied EPP config without the prefill/decode profiles', () => {
    expectConfigError(() => make({ scheduler: SchedulerConfig.default() }), { path: P, field: 'scheduler', value: '["default"]', mentions: 'P/D profiles' });
  });
  test('decider threshold negative', () => {
    expectConfigError(() => make({ scheduler: SchedulerConfig.prefillDecode({ decider: PdDecider.prefixBased(-5) }) }), { path: P, field: 'scheduler.config.plugins[8].parameters.nonCachedTokens', value: '-5' });
  });
  test('RDMA resource on an accelerator that cannot use it', () => {
    expectConfigError(() => make({ rdma: {}, prefill: { accelerator: Accelerator.tpu({ type: 'tpu-v6e-slice', topology: '2x2' }), engine: Engine.vllm({ image: 'vllm/vllm-tpu:v0.23.0' }) } }),
      { path: P, field: 'prefill.accelerator', value: 'tpu', mentions: 'RDMA' });
  });
  test('RDMA resource name that is not an RDMA device', () => {
    expectConfigError(() => make({ rdma: { resourceName: 'nvidia.com/gpu' } }), { path: P, field: 'rdma.resourceName', value: 'nvidia.com/gpu' });
  });
  test('a multi-node role on the simulator', () => {
    expectConfigError(() => make({ engine: Engine.simulator(), accelerator: Accelerator.cpu(), decode: { parallelism: { data: 4, dataLocal: 2 } } }),
      { path: P, field: 'decode.parallelism.dataLocal', value: '2', mentions: 'simulator' });
  });
  test('pipeline parallelism in a multi-node role', () => {
    expectConfigError(() => make({ decode: { parallelism: { data: 4, dataLocal: 2, pipeline: 2 } } }), { path: P, field: 'decode.parallelism.pipeline', value: '2', mentions: 'Ray' });
  });
  test('zero decode replicas', () => {
    expectConfigError(() => make({ decode: { replicas: 0 } }), { path: P, field: 'decode.replicas', value: '0' });
  });
});

describe('P/D with a multi-node decode group (KServe P/D + multi-node mode)', () => {
  const { objs } = make({ decode: { replicas: 1, parallelism: { data: 4, dataLocal: 2, expert: true } }, prefill: { replicas: 2 } });
  const lws = objs.find((o) => o.kind === 'LeaderWorkerSet');
  const leader = lws.spec.leaderWorkerTemplate.leaderTemplate;
  const worker = lws.spec.leaderWorkerTemplate.workerTemplate;

  test('decode runs as LeaderWorkerSet N-kserve-mn of data / dataLocal pods; prefill stays a Deployment', () => {
    expect(lws.metadata.name).toBe('pd-kserve-mn');
    expect(lws.spec.leaderWorkerTemplate.size).toBe(2);
    expect(deployment(objs, 'pd-kserve-prefill')).toBeDefined();
    expect(deployment(objs, 'pd-kserve')).toBeUndefined();
  });

  test('only the leader carries the sidecar and serves; workers are headless; the pool selects decode leaders and prefill pods', () => {
    expect(sidecar({ spec: { template: leader } })).toBeDefined();
    expect(sidecar({ spec: { template: worker } })).toBeUndefined();
    const pool = objs.find((o) => o.kind === 'InferencePool');
    const selects = (t: any) => Object.entries(pool.spec.selector.matchLabels).every(([k, v]) => t.metadata.labels[k] === v);
    expect(selects(leader)).toBe(true);
    expect(selects(worker)).toBe(false);
    expect(leader.metadata.labels['llm-d.ai/role']).toBe('decode');
    expect(main({ spec: { template: worker } }).args).toContain('--headless');
    expect(main({ spec: { template: leader } }).args).not.toContain('--headless');
  });

  test('KV transfer on every decode pod with one NIXL side-channel port per local rank', () => {
    for (const t of [leader, worker]) {
      const c = main({ spec: { template: t } });
      expect(JSON.parse(argValue(c.args, '--kv-transfer-config')!)).toEqual({ kv_connector: 'NixlConnector', kv_role: 'kv_both' });
      expect(c.ports.filter((p: any) => p.name.startsWith('nixl')).map((p: any) => p.containerPort)).toEqual([5600, 5601]);
      expect(c.resources.limits['nvidia.com/gpu']).toBe('2');
    }
  });

  test('the pair synthesizes schema- and wiring-valid objects', () => {
    expect(formatIssues(SchemaValidator.get().validateAll(objs))).toBe('');
    const v = checkWiring(objs);
    expect(v.length ? formatViolations(v) : '').toBe('');
  });
});

test('lora-affinity scorer without adapters is rejected by every serving pattern', () => {
  expectConfigError(() => make({ scheduler: SchedulerConfig.prefillDecode({ lora: true }) }), { path: 'test/pd', field: 'scheduler', value: 'lora-affinity-scorer' });
});

describe('P/D with one port per data-parallel rank (llm-d wide-EP P/D, llm-d-wiring.md §4)', () => {
  const perRank = { loadBalancing: DataParallelLoadBalancing.EXTERNAL_PER_RANK, parallelism: { data: 16, dataLocal: 8, expert: true } };
  const { objs } = make({ accelerator: Accelerator.nvidia(), prefill: perRank, decode: perRank });
  const groups = objs.filter((o) => o.kind === 'LeaderWorkerSet');
  const decode = groups.find((o) => o.metadata.name === 'pd-kserve-mn')!.spec.leaderWorkerTemplate;
  const prefill = groups.find((o) => o.metadata.name === 'pd-kserve-mn-prefill')!.spec.leaderWorkerTemplate;
  const pool = objs.find((o) => o.kind === 'InferencePool');
  const ports = (c: any) => (c.ports ?? []).map((p: any) => p.containerPort);

  test('every pod serves (no leader template); the pool lists ports 8000–8007', () => {
    expect(decode.leaderTemplate).toBeUndefined();
    expect(prefill.leaderTemplate).toBeUndefined();
    expect(pool.spec.targetPorts.map((p: any) => p.number)).toEqual([8000, 8001, 8002, 8003, 8004, 8005, 8006, 8007]);
  });

  test('decode: the sidecar listens on the 8 pool ports and forwards to vLLM ranks 8200–8207 (--data-parallel-size=8)', () => {
    const s = sidecar({ spec: { template: decode.workerTemplate } });
    expect(ports(s)).toEqual([8000, 8001, 8002, 8003, 8004, 8005, 8006, 8007]);
    expect(argValue(s.args, '--model-server-port')).toBe('8200');
    expect(argValue(s.args, '--data-parallel-size')).toBe('8');
    const v = main({ spec: { template: decode.workerTemplate } });
    expect(argValue(v.args, '--port')).toBe('8200');
    expect(ports(v).filter((p: number) => p >= 8200)).toEqual([8200, 8201, 8202, 8203, 8204, 8205, 8206, 8207, 8208]);
    expect(v.args).toContain('--data-parallel-multi-port-external-lb');
  });

  test('prefill: vLLM serves the 8 pool ports itself, supervisor 8008 for probes', () => {
    const v = main({ spec: { template: prefill.workerTemplate } });
    expect(ports(v).filter((p: number) => p >= 8000 && p < 9000)).toEqual([8000, 8001, 8002, 8003, 8004, 8005, 8006, 8007, 8008]);
    expect(v.readinessProbe.httpGet.port).toBe(8008);
  });

  test('schema- and wiring-valid (invariants 5–8: ports served, sidecar ranks = targetPorts = DP_SIZE_LOCAL)', () => {
    expect(formatIssues(SchemaValidator.get().validateAll(objs))).toBe('');
    const v = checkWiring(objs);
    expect(v.length ? formatViolations(v) : '').toBe('');
  });

  test('roles with different rank-port counts are rejected', () => {
    expectConfigError(() => make({ accelerator: Accelerator.nvidia(), prefill: { parallelism: { data: 8 } }, decode: perRank }),
      { path: 'test/pd', field: 'decode.loadBalancing', value: 'EXTERNAL_PER_RANK', mentions: 'one set of target ports' });
  });
});

describe('withoutScheduler (KServe renders P/D without router.scheduler)', () => {
  test('no EPP, no pool; the sidecar has no pool allowlist; the pair validates and is wired', () => {
    const { pair, objs } = make({ scheduler: undefined, withoutScheduler: true, route: { gateway: { name: 'gw', namespace: 'gw' } } });
    expect(pair.inferencePool).toBeUndefined();
    expect(pair.endpointPicker).toBeUndefined();
    expect(objs.filter((o) => o.kind === 'InferencePool')).toEqual([]);
    expect(sidecar(deployment(objs, 'pd-kserve')).args.join(' ')).not.toMatch(/--inference-pool/);
    expect(objs.find((o) => o.kind === 'HTTPRoute').spec.rules[0].backendRefs[0].kind).toBe('Service');
    expectValid(objs);
  });

  test('withoutScheduler with a scheduler is an LlmdConfigError', () => {
    expectConfigError(() => make({ withoutScheduler: true }), { path: 'test/pd', field: 'withoutScheduler', value: 'true', mentions: 'contradicts the scheduler' });
  });
});

describe('KvTransfer.none()', () => {
  test('no --kv-transfer-config, no NIXL env or side-channel port; the sidecar still speaks nixlv2', () => {
    const { objs } = make({ kvTransfer: KvTransfer.none() });
    for (const n of ['pd-kserve', 'pd-kserve-prefill']) {
      const c = main(deployment(objs, n));
      expect(c.args).not.toContain('--kv-transfer-config');
      expect((c.env ?? []).map((e: any) => e.name)).not.toContain('VLLM_NIXL_SIDE_CHANNEL_HOST');
      expect(c.ports.map((p: any) => p.name)).not.toContain('nixl');
    }
    expect(sidecar(deployment(objs, 'pd-kserve')).args).toContain('--kv-connector=nixlv2');
    expect(KvTransfer.none().transfers).toBe(false);
    expectValid(objs);
  });
});
