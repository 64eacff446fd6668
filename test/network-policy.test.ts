/**
 * NetworkPolicies derived from the wiring: for every example, each connection the wiring needs (read from the
 * manifests by test/harness/network-flows.ts, which never imports the library) is admitted, and a pod that is not
 * part of the stack reaches nothing but the entry points (and, with the default monitoring peers, metrics ports).
 */
import * as os from 'os';
import * as path from 'path';
import { Duration, Testing } from 'cdk8s';
import {
  Engine, LlmInferenceService, LlmService, ModelSource, NetworkPeer, NetworkPolicies, PrefillDecodePair, SchedulerConfig,
} from '../src';
import { admits, entryPorts, selects, EPHEMERAL_PORT, FlowParties, metricsPorts, NetPod, podsOf, requiredFlows } from './harness/network-flows';
import { loadYamlDocuments } from './harness/yaml';
import { expectConfigError } from './util/expect-error';
import { find, synth, testChart } from './util/synth';
import { exampleNames, synthExample } from '../scripts/examples';

const PARTIES: FlowParties = {
  gateway: { ns: 'gateway-system', labels: { 'gateway.networking.k8s.io/gateway-name': 'inference-gateway' }, ports: [], ref: 'gateway pod' },
  prometheus: { ns: 'monitoring', labels: { 'app.kubernetes.io/name': 'prometheus' }, ports: [], ref: 'prometheus pod' },
};
/** The gateway's proxy pods sit beside the set's Gateway (labelled with its name, as Istio and kgateway do), else in gateway-system. */
const partiesOf = (objs: any[]): FlowParties => {
  const gw = objs.find((o) => o.kind === 'Gateway');
  return gw ? { ...PARTIES, gateway: { ...PARTIES.gateway, ns: gw.metadata.namespace ?? 'default', labels: { 'gateway.networking.k8s.io/gateway-name': gw.metadata.name } } } : PARTIES;
};
const intruders = (ns: string): NetPod[] => [
  { ns: 'intruder', labels: { app: 'intruder' }, ports: [], ref: 'pod in another namespace' },
  { ns, labels: { 'app': 'intruder', 'app.kubernetes.io/part-of': 'llminferenceservice' }, ports: [], ref: 'unrelated pod of the same namespace' },
];

const out = path.join(os.tmpdir(), 'cdk8s-llm-d-netpol');
const examples = exampleNames().map((name) => [name, synthExample(name, path.join(out, name)).flatMap((f) => loadYamlDocuments(f))] as const);

/** The namespace the example's namespaced objects share. */
const nsOf = (objs: any[]) => objs.find((o) => o.metadata?.namespace)?.metadata.namespace ?? 'default';

describe.each(examples)('example %s', (_name, objs) => {
  const policies = objs.filter((o) => o.kind === 'NetworkPolicy');
  const ns = nsOf(objs);
  const pods = podsOf(objs, ns);
  const ours = pods.filter((p) => p.labels['app.kubernetes.io/part-of'] === 'llminferenceservice');

  test('every pod the stack creates is selected by a policy', () => {
    const unguarded = ours.filter((p) => !policies.some((np) => (np.metadata.namespace ?? ns) === p.ns && selects(np.spec.podSelector, p.labels)));
    expect(unguarded.map((p) => p.ref)).toEqual([]);
  });

  test('every connection the wiring needs is admitted', () => {
    const flows = requiredFlows(objs, ns, partiesOf(objs));
    const blocked = flows.filter((f) => !admits(policies, f.from, f.to, f.port)).map((f) => `${f.why}: ${'ref' in f.from ? f.from.ref : ''} → ${f.to.ref}:${f.port}`);
    expect(blocked).toEqual([]);
  });

  test('an unrelated pod reaches only entry points and metrics ports', () => {
    const leaks: string[] = [];
    for (const pod of ours) {
      const allowed = new Set([...entryPorts(objs, ns, pod), ...metricsPorts(objs, ns, pod, partiesOf(objs))]);
      for (const intruder of intruders(ns)) {
        for (const port of [...pod.ports.map((p) => p.port), EPHEMERAL_PORT]) {
          if (!allowed.has(port) && admits(policies, intruder, pod, port)) leaks.push(`${intruder.ref} → ${pod.ref}:${port}`);
        }
      }
    }
    expect(leaks).toEqual([]);
  });
});

test('secure-pd: with restricted clients and monitoring an unrelated pod reaches nothing at all', () => {
  const objs = examples.find(([n]) => n === 'secure-pd')![1];
  const policies = objs.filter((o) => o.kind === 'NetworkPolicy');
  const pods = podsOf(objs, nsOf(objs)).filter((p) => p.labels['app.kubernetes.io/part-of'] === 'llminferenceservice');
  expect(pods.length).toBeGreaterThanOrEqual(3);
  const leaks = pods.flatMap((pod) => intruders(nsOf(objs)).flatMap((i) => [...pod.ports.map((p) => p.port), EPHEMERAL_PORT]
    .filter((port) => admits(policies, i, pod, port)).map((port) => `${i.ref} → ${pod.ref}:${port}`)));
  expect(leaks).toEqual([]);
  for (const np of policies) expect(np.spec.policyTypes).toEqual(['Ingress', 'Egress']);
});

test('the examples exercise the flows the policies must admit (P/D, LWS, monitors, KV events, tokenizer, standalone)', () => {
  const whys = new Set<string>(examples.flatMap(([, objs]) => requiredFlows(objs, nsOf(objs), partiesOf(objs)).map((f) => f.why.replace(/ [a-z0-9-]+(-inference-pool|-kserve-mn\S*| target port)+.*$/, ''))));
  for (const w of ['gateway → pool', 'EPP → pool', 'decode sidecar / NIXL → prefill', 'NIXL/UCX transfer prefill → decode', 'client → standalone Envoy',
    'EPP dials the KV-events publisher', 'gateway → Service']) {
    expect([w, [...whys].some((x) => x.startsWith(w))]).toEqual([w, true]);
  }
  expect([...whys].some((x) => x.startsWith('LWS'))).toBe(true);
  expect([...whys].some((x) => /^(PodMonitor|ServiceMonitor|PodMonitoring)/.test(x))).toBe(true);
  expect([...whys].some((x) => x.startsWith('EPP → ') && x.includes('tokenizer'))).toBe(true);
});

describe('policy shape', () => {
  const pd = (networkPolicy?: NetworkPolicies) => {
    const chart = testChart();
    new PrefillDecodePair(chart, 'pd', {
      model: ModelSource.huggingFace('Qwen/Qwen3-0.6B'),
      engine: Engine.simulator(),
      decode: { replicas: 1 },
      prefill: { replicas: 1 },
      scheduler: SchedulerConfig.prefillDecode(),
      networkPolicy,
    });
    return synth(chart);
  };

  test('restricted clients: only the gateway pods reach the pool and the EPP; everything else is denied', () => {
    const objs = pd(NetworkPolicies.derived({
      clients: [NetworkPeer.pods({ 'gateway.networking.k8s.io/gateway-name': 'inference-gateway' }, 'gateway-system')],
      monitoring: [NetworkPeer.namespace('monitoring')],
    }));
    const policies = objs.filter((o) => o.kind === 'NetworkPolicy');
    const pods = podsOf(objs, 'llm');
    const decode = pods.find((p) => p.labels['llm-d.ai/role'] === 'decode')!;
    const epp = pods.find((p) => p.labels['app.kubernetes.io/component'] === 'llminferenceservice-router-scheduler')!;
    expect(admits(policies, PARTIES.gateway, decode, 8000)).toBe(true);
    expect(admits(policies, PARTIES.gateway, epp, 9002)).toBe(true);
    for (const intruder of intruders('llm')) {
      expect(admits(policies, intruder, decode, 8000)).toBe(false);
      expect(admits(policies, intruder, epp, 9002)).toBe(false);
      expect(admits(policies, intruder, epp, 9090)).toBe(false);
    }
    expect(admits(policies, PARTIES.prometheus, epp, 9090)).toBe(true);
    expect(admits(policies, { ip: '203.0.113.7', ref: 'internet' }, decode, 8000)).toBe(false);
    const gatewayPeer = find(objs, 'NetworkPolicy', 'pd-epp-netpol').spec.ingress[0].from[0];
    expect(gatewayPeer).toEqual({
      podSelector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'inference-gateway' } },
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateway-system' } },
    });
  });

  test('a CIDR client (a load balancer range) is admitted, other addresses are not', () => {
    const objs = pd(NetworkPolicies.derived({ clients: [NetworkPeer.cidr('35.191.0.0/16')] }));
    const policies = objs.filter((o) => o.kind === 'NetworkPolicy');
    const decode = podsOf(objs, 'llm').find((p) => p.labels['llm-d.ai/role'] === 'decode')!;
    expect(admits(policies, { ip: '35.191.3.4', ref: 'lb' }, decode, 8000)).toBe(true);
    expect(admits(policies, { ip: '35.192.3.4', ref: 'elsewhere' }, decode, 8000)).toBe(false);
  });

  test('egress: DNS, API server for the EPP and the sidecar, intra-stack; nothing else leaves the pods', () => {
    const objs = pd(NetworkPolicies.derived({ egress: true }));
    const policies = objs.filter((o) => o.kind === 'NetworkPolicy');
    for (const np of policies) expect(np.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    const pods = podsOf(objs, 'llm');
    const decode = pods.find((p) => p.labels['llm-d.ai/role'] === 'decode')!;
    const prefill = pods.find((p) => p.labels['llm-d.ai/role'] === 'prefill')!;
    const dns: NetPod = { ns: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, ports: [{ port: 53, protocol: 'UDP' }], ref: 'coredns' };
    const other: NetPod = { ns: 'other', labels: { app: 'db' }, ports: [{ port: 5432, protocol: 'TCP' }], ref: 'database' };
    expect(admits(policies, decode, dns, 53, 'UDP')).toBe(true);
    expect(admits(policies, decode, prefill, 8000)).toBe(true);
    expect(admits(policies, decode, other, 5432)).toBe(false);
    const flows = requiredFlows(objs, 'llm', PARTIES);
    expect(flows.filter((f) => !admits(policies, f.from, f.to, f.port))).toEqual([]);
  });

  test('NetworkPolicies.none() writes no policy; KServe renders have none unless asked', () => {
    expect(pd(NetworkPolicies.none()).filter((o) => o.kind === 'NetworkPolicy')).toEqual([]);
    const resource = {
      apiVersion: 'serving.kserve.io/v1alpha2',
      kind: 'LLMInferenceService',
      metadata: { name: 'q', namespace: 'llm' },
      spec: { model: { uri: 'hf://Qwen/Qwen3-0.6B', name: 'Qwen/Qwen3-0.6B' }, template: { containers: [{ name: 'main', image: 'ghcr.io/llm-d/llm-d-inference-sim:v0.7.1' }] } },
    };
    const kinds = (networkPolicy?: NetworkPolicies) => {
      const app = Testing.app();
      const chart = testChart();
      void app;
      new LlmInferenceService(chart, 'k', { resource, networkPolicy });
      return synth(chart).filter((o) => o.kind === 'NetworkPolicy').map((o) => o.metadata.name);
    };
    expect(kinds()).toEqual([]);
    expect(kinds(NetworkPolicies.derived())).toEqual(['q-kserve-netpol']);
  });

  test('a plain LlmService (no scheduler, no route) gets one policy: the serving port open, nothing else', () => {
    const chart = testChart();
    new LlmService(chart, 'solo', { model: ModelSource.huggingFace('Qwen/Qwen3-0.6B'), engine: Engine.simulator() });
    const policies = synth(chart).filter((o) => o.kind === 'NetworkPolicy');
    expect(policies.map((p) => p.metadata.name)).toEqual(['solo-kserve-netpol']);
    expect(policies[0].spec.ingress).toEqual([{ ports: [{ protocol: 'TCP', port: 8000 }] }]);
  });
});

describe('bad input', () => {
  const build = (networkPolicy: () => any) => () => {
    const chart = testChart();
    new LlmService(chart, 'svc', { model: ModelSource.huggingFace('Qwen/Qwen3-0.6B'), engine: Engine.simulator(), networkPolicy: networkPolicy(), terminationGracePeriod: Duration.seconds(60) });
    synth(chart);
  };
  test.each([
    ['an empty client list', () => NetworkPolicies.derived({ clients: [] }), 'networkPolicy.clients', '[]', 'admits no peer'],
    ['an empty monitoring list', () => NetworkPolicies.derived({ monitoring: [] }), 'networkPolicy.monitoring', '[]', 'admits no peer'],
    ['a CIDR that is not one', () => NetworkPolicies.derived({ clients: [NetworkPeer.cidr('10.0.0.0/33')] }), 'networkPolicy.clients[0].cidr', '10.0.0.0/33', 'is not a CIDR block'],
    ['a bad except block', () => NetworkPolicies.derived({ clients: [NetworkPeer.cidr('10.0.0.0/8', ['10.1.0.0'])] }), 'networkPolicy.clients[0].except[0]', '10.1.0.0', 'is not a CIDR block'],
    ['a namespace that is not a name', () => NetworkPolicies.derived({ clients: [NetworkPeer.namespace('Gateway_System')] }), 'networkPolicy.clients[0]', 'Gateway_System', 'is not a namespace name'],
    ['pods selected by no label', () => NetworkPolicies.derived({ clients: [NetworkPeer.pods({})] }), 'networkPolicy.clients[0]', '{}', 'selects pods by no label'],
    ['egress options without egress', () => NetworkPolicies.derived({ dns: [NetworkPeer.kubeDns()] }), 'networkPolicy.egress', '(unset)', 'only written with egress: true'],
    ['a plain object instead of NetworkPolicies', () => ({ clients: [] }), 'networkPolicy', 'clients', 'NetworkPolicies'],
  ])('%s', (_what, value, field, shown, problem) => {
    expectConfigError(build(value), { path: 'test/svc', field, value: shown, mentions: problem });
  });

  test('a plain object as a peer is refused by the factory (JS callers)', () => {
    expectConfigError(() => NetworkPolicies.derived({ clients: [{ cidr: '10.0.0.0/8' } as any] }),
      { path: 'NetworkPolicies.derived', field: 'options.clients[0]', value: '10.0.0.0/8', mentions: 'NetworkPeer' });
  });
});
