/**
 * Names that come from other Pulumi resources: a namespace, a Secret, a PVC or a Gateway given as a pulumi.Input.
 * The objects registered must be exactly what plain cdk8s synthesizes with the resolved names, and depend on the
 * resources the names come from.
 */
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { App, Chart } from 'cdk8s';
import { Accelerator, Engine, GatewayProvider, InferenceGateway, LlmService, LlmServiceProps, ModelSource, SchedulerConfig } from 'cdk8s-llm-d';
import { Cdk8sChartResource, InferenceGatewayResource, InputNames, LlmServiceResource, nameProblem, objectKey } from '../src';
import { childrenOf, installMocks, plain, Registration, valueOf } from './mocks';

const base = (): LlmServiceProps => ({
  model: ModelSource.huggingFace('Qwen/Qwen3-0.6B'),
  servedModelName: 'Qwen/Qwen3-0.6B',
  engine: Engine.simulator(),
  accelerator: Accelerator.cpu(),
  scheduler: SchedulerConfig.default(),
});

/** What plain cdk8s synthesizes for `props` in namespace `ns`. */
function expected(ns: string, props: LlmServiceProps, name = 'qwen'): any[] {
  const chart = new Chart(new App(), 'expected', { namespace: ns });
  new LlmService(chart, name, props);
  return chart.toJson();
}

beforeAll(installMocks);

describe('namespace from a Namespace resource', () => {
  let ns: k8s.core.v1.Namespace;
  let svc: LlmServiceResource;
  let children: Registration[];
  let nsUrn: string;

  beforeAll(async () => {
    ns = new k8s.core.v1.Namespace('team', { metadata: { name: 'team-a' } });
    svc = new LlmServiceResource('qwen', { namespace: ns.metadata.name, props: base() });
    children = await childrenOf(svc);
    nsUrn = await valueOf(ns.urn);
  });

  test('every object is registered with the resolved namespace, exactly as cdk8s synthesizes it there', () => {
    const want = plain(expected('team-a', base()));
    expect(children).toHaveLength(want.length);
    expect(children.map((r) => r.inputs).sort(byKey)).toEqual(want.sort(byKey));
    expect(JSON.stringify(children.map((r) => r.inputs))).not.toContain('pulumi-input-');
  });

  test('child names and keys read {namespace} while the namespace is unknown; the objects hold the placeholder', () => {
    expect(Object.keys(svc.resources)).toContain('Deployment.apps:{namespace}/qwen-kserve');
    expect(children.map((r) => r.name)).toContain('qwen:Service:{namespace}/qwen-kserve-workload-svc');
    expect(svc.objects.every((o) => o.kind === 'ClusterRoleBinding' || /^pulumi-input-\d+-x$/.test(String(o.metadata.namespace)))).toBe(true);
    expect(svc.find('Deployment', 'qwen-kserve', svc.objects[0].metadata.namespace)).toBe(svc.resources['Deployment.apps:{namespace}/qwen-kserve']);
  });

  test('namespaced objects depend on the Namespace resource; outputs carry the resolved namespace', async () => {
    for (const r of children.filter((c) => c.inputs.metadata.namespace !== undefined)) expect(r.dependencies).toContain(nsUrn);
    expect(await valueOf(svc.serviceUrl)).toBe('http://qwen-kserve-workload-svc.team-a.svc.cluster.local:8000');
    expect(await valueOf(svc.poolName!)).toBe('qwen-inference-pool');
  });
});

test('Secret and PVC names from other resources: the token Secret and the model cache claim', async () => {
  const secret = new k8s.core.v1.Secret('hf', { metadata: { name: 'hf-token-7f3a9' }, stringData: { token: 'x' } });
  const pvc = new k8s.core.v1.PersistentVolumeClaim('cache', { metadata: { name: 'model-cache-1b2c' }, spec: {} });
  const props = (secretName: string, claim: string): LlmServiceProps => ({
    ...base(),
    engine: Engine.vllm(),
    accelerator: Accelerator.nvidia(),
    model: ModelSource.huggingFace('meta-llama/Llama-3.1-8B-Instruct', { token: { name: secretName, key: 'token' } }),
    modelCacheClaim: claim,
  });
  const svc = new LlmServiceResource('llama', {
    namespace: 'llm',
    props: (ref) => props(ref(secret.metadata.name, 'hf-token'), ref(pvc.metadata.name, 'model-cache')),
  });
  const children = await childrenOf(svc);
  expect(children.map((r) => r.inputs).sort(byKey)).toEqual(plain(expected('llm', props('hf-token-7f3a9', 'model-cache-1b2c'), 'llama')).sort(byKey));
  const deployment = children.find((r) => r.inputs.kind === 'Deployment' && r.name === 'llama:Deployment.apps:llm/llama-kserve')!;
  expect(JSON.stringify(deployment.inputs)).toContain('"claimName":"model-cache-1b2c"');
  expect(JSON.stringify(deployment.inputs)).toContain('"name":"hf-token-7f3a9"');
  expect(deployment.dependencies).toEqual(expect.arrayContaining([await valueOf(secret.urn), await valueOf(pvc.urn)]));
  // Objects that name neither do not wait for them.
  const pool = children.find((r) => r.inputs.kind === 'InferencePool')!;
  expect(pool.dependencies).not.toContain(await valueOf(secret.urn));
});

test('a Gateway in a namespace given as an Input: the other component\'s route resolves it too', async () => {
  const gwNs = new k8s.core.v1.Namespace('gw', { metadata: { name: 'gateways-x' } });
  const gw = new InferenceGatewayResource('inference', { namespace: gwNs.metadata.name, props: { provider: GatewayProvider.istio() } });
  const svc = new LlmServiceResource('mistral', { namespace: 'llm', props: { ...base(), gateway: gw.construct } });
  expect(await valueOf(gw.gatewayNamespace)).toBe('gateways-x');
  const children = await childrenOf(svc);
  const route = children.find((r) => r.inputs.kind === 'HTTPRoute')!;
  expect(route.inputs.spec.parentRefs).toEqual([expect.objectContaining({ name: 'inference', namespace: 'gateways-x' })]);

  // The same objects as plain cdk8s with the namespace known up front.
  const app = new App();
  const gwChart = new Chart(app, 'gw', { namespace: 'gateways-x' });
  const gateway = new InferenceGateway(gwChart, 'inference', { provider: GatewayProvider.istio() });
  const chart = new Chart(app, 'svc', { namespace: 'llm' });
  new LlmService(chart, 'mistral', { ...base(), gateway });
  expect(children.map((r) => r.inputs).sort(byKey)).toEqual(plain(chart.toJson()).sort(byKey));
});

test('an existing Gateway named by an Input (RouteOptions.gateway)', async () => {
  const name = pulumi.output('shared-gateway');
  const svc = new LlmServiceResource('phi', {
    namespace: 'llm',
    props: (ref) => ({ ...base(), route: { gateway: { name: ref(name, 'gateway'), namespace: 'gateways' } } }),
  });
  const children = await childrenOf(svc);
  const route = children.find((r) => r.inputs.kind === 'HTTPRoute')!;
  expect(route.inputs.spec.parentRefs).toEqual([expect.objectContaining({ name: 'shared-gateway', namespace: 'gateways' })]);
  const props = { ...base(), route: { gateway: { name: 'shared-gateway', namespace: 'gateways' } } };
  expect(children.map((r) => r.inputs).sort(byKey)).toEqual(plain(expected('llm', props, 'phi')).sort(byKey));
});

test('Cdk8sChartResource: a chart built with InputNames placeholders registers the resolved names', async () => {
  const names = new InputNames();
  const chart = new Chart(new App(), 'c', { namespace: names.ref(pulumi.output('team-c'), 'namespace', 'namespace') });
  new LlmService(chart, 'qwen', base());
  const res = new Cdk8sChartResource('chart', { chart });
  const children = await childrenOf(res);
  expect(children.map((r) => r.inputs).sort(byKey)).toEqual(plain(expected('team-c', base())).sort(byKey));
  expect(Object.keys(res.resources)).toContain('Deployment.apps:{namespace}/qwen-kserve');
});

describe('InputNames', () => {
  test('plain strings pass through; Inputs get placeholders unique across instances, read as {label}', () => {
    const a = new InputNames();
    const b = new InputNames();
    expect(a.ref('llm', 'namespace', 'namespace')).toBe('llm');
    const p1 = a.ref(pulumi.output('x'), 'namespace', 'namespace');
    const p2 = b.ref(pulumi.output('y'), 'hf-token');
    expect(p1).toMatch(/^pulumi-input-\d+-x$/);
    expect(p2).not.toBe(p1);
    expect(nameProblem(p1, 'namespace')).toBeUndefined(); // the library accepts the placeholder as a namespace
    expect(b.describe(`Deployment.apps:${p1}/qwen`)).toBe('Deployment.apps:{namespace}/qwen');
    expect(a.holds(`http://svc.${p2}.svc`)).toBe(true);
    expect(a.holds('pulumi-input-999999-x')).toBe(false);
    expect(() => a.ref(undefined as unknown as string, 'hf-token')).toThrow(/hf-token is undefined/);
  });

  test('resolved names are checked as the library checks plain ones', () => {
    expect(nameProblem('team-a', 'namespace')).toBeUndefined();
    expect(nameProblem('Team_A', 'namespace')).toMatch(/not a DNS label/);
    expect(nameProblem('a'.repeat(64), 'namespace')).toMatch(/at most 63/);
    expect(nameProblem('hf-token.v2', 'name')).toBeUndefined();
    expect(nameProblem('hf-token.v2', 'namespace')).toMatch(/not a DNS label/);
    expect(nameProblem('a'.repeat(254), 'name')).toMatch(/at most 253/);
    expect(nameProblem(42, 'name')).toMatch(/is number/);
  });

  test('resolveString substitutes the value; objectKey of a placeholder object describes it', async () => {
    const names = new InputNames();
    const p = names.ref(pulumi.output('team-b'), 'namespace', 'namespace');
    expect(await valueOf(pulumi.output(names.resolveString(`http://svc.${p}.svc.cluster.local`)))).toBe('http://svc.team-b.svc.cluster.local');
    expect(names.resolveString('no placeholder')).toBe('no placeholder');
    expect(names.describe(objectKey({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: p } }))).toBe('Service:{namespace}/s');
  });
});

const byKey = (a: any, b: any) => `${a.kind}/${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.kind}/${b.metadata.namespace}/${b.metadata.name}`);
