import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { App, Chart } from 'cdk8s';
import { Accelerator, Engine, LlmService, LlmServiceProps, ModelSource, SchedulerConfig } from 'cdk8s-llm-d';
import { LlmServiceResource, objectKey, typeToken } from '../src';
import { childrenOf, installMocks, plain, Registration, registrations, valueOf } from './mocks';

const props = (): LlmServiceProps => ({
  model: ModelSource.huggingFace('Qwen/Qwen3-0.6B'),
  servedModelName: 'Qwen/Qwen3-0.6B',
  engine: Engine.simulator({ timeToFirstTokenMs: 200, interTokenLatencyMs: 20 }),
  accelerator: Accelerator.cpu(),
  replicas: 2,
  scheduler: SchedulerConfig.default(),
});

/** The same service synthesized by plain cdk8s, independently of the component. */
function expectedObjects(): any[] {
  const chart = new Chart(new App(), 'expected', { namespace: 'llm' });
  new LlmService(chart, 'qwen', props());
  return chart.toJson();
}

let provider: k8s.Provider;
let ns: k8s.core.v1.Namespace;
let svc: LlmServiceResource;
let children: Registration[];

beforeAll(async () => {
  await installMocks();
  provider = new k8s.Provider('cluster', { context: 'kind-llm' });
  ns = new k8s.core.v1.Namespace('llm', { metadata: { name: 'llm' } }, { provider });
  svc = new LlmServiceResource('qwen', { namespace: 'llm', props: props() }, { provider, dependsOn: [ns] });
  children = await childrenOf(svc);
});

const byName = (name: string) => {
  const hits = children.filter((r) => r.name === name);
  expect(hits).toHaveLength(1);
  return hits[0];
};

test('the component registers with its own type token', async () => {
  const urn = await valueOf(svc.urn);
  expect(urn).toContain('cdk8s-llm-d:index:LlmService::qwen');
  expect(registrations.filter((r) => r.urn === urn)).toHaveLength(1);
});

test('every synthesized object is registered exactly once, as a child, with its inputs', () => {
  const expected = expectedObjects();
  expect(plain(svc.objects)).toEqual(plain(expected));
  expect(children).toHaveLength(expected.length);
  for (const obj of expected) {
    const reg = byName(`qwen:${objectKey(obj)}`);
    expect(reg.type).toBe(typeToken(obj));
    expect(reg.inputs).toEqual(plain(obj));
  }
});

test('type tokens are the canonical Pulumi Kubernetes tokens', () => {
  const tokens = children.map((r) => `${r.type} ${r.inputs.metadata.name}`);
  expect(tokens).toEqual(expect.arrayContaining([
    'kubernetes:apps/v1:Deployment qwen-kserve',
    'kubernetes:core/v1:Service qwen-kserve-workload-svc',
    'kubernetes:inference.networking.k8s.io/v1:InferencePool qwen-inference-pool',
    'kubernetes:core/v1:ServiceAccount qwen-epp-sa',
    'kubernetes:rbac.authorization.k8s.io/v1:Role qwen-epp-role',
    'kubernetes:rbac.authorization.k8s.io/v1:RoleBinding qwen-epp-rb',
    'kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding llm-qwen-epp-auth-rb',
    'kubernetes:core/v1:ConfigMap qwen-epp-config',
    'kubernetes:apps/v1:Deployment qwen-kserve-router-scheduler',
    'kubernetes:core/v1:Service qwen-epp-service',
  ]));
  expect(svc.resources['Deployment.apps:llm/qwen-kserve']).toBeInstanceOf(k8s.apiextensions.CustomResource);
  expect(svc.resources['Service:llm/qwen-kserve-workload-svc']).toBeInstanceOf(k8s.core.v1.Service);
});

test('resource names are <component>:<Kind>[.<group>]:[<namespace>/]<name>', () => {
  expect(Object.keys(svc.resources)).toEqual(expect.arrayContaining([
    'Deployment.apps:llm/qwen-kserve',
    'Service:llm/qwen-kserve-workload-svc',
    'InferencePool.inference.networking.k8s.io:llm/qwen-inference-pool',
    'ClusterRoleBinding.rbac.authorization.k8s.io:llm-qwen-epp-auth-rb',
  ]));
  expect(byName('qwen:Deployment.apps:llm/qwen-kserve').urn)
    .toBe('urn:pulumi:test::llm-d-test::cdk8s-llm-d:index:LlmService$kubernetes:apps/v1:Deployment::qwen:Deployment.apps:llm/qwen-kserve');
});

test('key fields reach the engine: image, replicas, selectors, pool', () => {
  const dep = byName('qwen:Deployment.apps:llm/qwen-kserve').inputs;
  expect(dep.apiVersion).toBe('apps/v1');
  expect(dep.kind).toBe('Deployment');
  expect(dep.metadata).toMatchObject({ name: 'qwen-kserve', namespace: 'llm' });
  expect(dep.spec.replicas).toBe(2);
  expect(dep.spec.template.spec.containers[0].image).toMatch(/llm-d-inference-sim/);
  expect(dep.spec.template.spec.containers[0].image).toBe(expectedObjects().find((o) => o.kind === 'Deployment' && o.metadata.name === 'qwen-kserve').spec.template.spec.containers[0].image);

  const service = byName('qwen:Service:llm/qwen-kserve-workload-svc').inputs;
  expect(service.spec.ports[0].port).toBe(8000);

  const pool = byName('qwen:InferencePool.inference.networking.k8s.io:llm/qwen-inference-pool').inputs;
  expect(pool.spec.selector.matchLabels).toEqual(service.spec.selector);
  expect(pool.spec.selector.matchLabels).toEqual(svc.construct.selectorLabels);
  expect(pool.spec.targetPorts).toEqual([{ number: 8000 }]);
  expect(pool.spec.endpointPickerRef).toMatchObject({ kind: 'Service', name: 'qwen-epp-service' });
});

test('provider and dependsOn of the component reach every child', async () => {
  const providerRef = `${await valueOf(provider.urn)}::${await valueOf(provider.id)}`;
  const nsUrn = await valueOf(ns.urn);
  for (const reg of children) {
    expect(reg.provider).toBe(providerRef);
    expect(reg.dependencies).toContain(nsUrn);
  }
});

test('outputs resolve', async () => {
  expect(await valueOf(svc.serviceUrl)).toBe('http://qwen-kserve-workload-svc.llm.svc.cluster.local:8000');
  expect(await valueOf(svc.serviceName)).toBe('qwen-kserve-workload-svc');
  expect(await valueOf(svc.poolName!)).toBe('qwen-inference-pool');
  expect(svc.routePath).toBeUndefined();
  expect(svc.gatewayName).toBeUndefined();
});

test('outputs carry a dependency on the object they name', async () => {
  const deps = async (o: pulumi.Output<unknown>) => Promise.all([...await (o as any).allResources()].map((r: pulumi.Resource) => valueOf(r.urn)));
  expect(await deps(svc.serviceUrl)).toEqual([await valueOf(svc.resources['Service:llm/qwen-kserve-workload-svc'].urn)]);
  expect(await deps(svc.poolName!)).toEqual([await valueOf(svc.resources['InferencePool.inference.networking.k8s.io:llm/qwen-inference-pool'].urn)]);
});

test('without a scheduler there is no pool; providers (plural) are passed through too', async () => {
  const p2 = new k8s.Provider('other-cluster', {});
  const plain2 = new LlmServiceResource('simple', {
    namespace: 'llm',
    props: { model: ModelSource.huggingFace('Qwen/Qwen3-0.6B'), engine: Engine.simulator(), accelerator: Accelerator.cpu() },
  }, { providers: [p2] });
  const regs = await childrenOf(plain2);
  expect(regs.map((r) => r.type).sort()).toEqual([
    'kubernetes:apps/v1:Deployment', 'kubernetes:core/v1:Service', 'kubernetes:networking.k8s.io/v1:NetworkPolicy', 'kubernetes:policy/v1:PodDisruptionBudget',
  ]);
  const ref = `${await valueOf(p2.urn)}::${await valueOf(p2.id)}`;
  for (const r of regs) {
    expect(r.provider).toBe(ref);
    expect(r.dependencies).toEqual([]);
  }
  expect(plain2.poolName).toBeUndefined();
  expect(await valueOf(plain2.serviceUrl)).toBe('http://simple-kserve-workload-svc.llm.svc.cluster.local:8000');
});

test('library validation errors surface at construction', () => {
  expect(() => new LlmServiceResource('Bad_Name', { namespace: 'llm', props: { model: ModelSource.huggingFace('x/y') } }))
    .toThrow(/DNS-1035/);
});
