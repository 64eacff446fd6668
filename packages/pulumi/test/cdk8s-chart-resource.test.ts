import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import { Cdk8sChartResource, objectKey, splitApiVersion, typeToken } from '../src';
import { childrenOf, installMocks, registrations, valueOf } from './mocks';

beforeAll(installMocks);

function fixture(app: App, id: string, ns: string, group = 'example.com'): Chart {
  const chart = new Chart(app, id, { namespace: ns });
  // Deliberately out of order: the component puts CRDs and Namespaces first.
  new ApiObject(chart, 'widget', { apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'w1' }, spec: { size: 3 } });
  new ApiObject(chart, 'deploy', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 1 } });
  const crd = new ApiObject(chart, 'crd', {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `widgets.${group}` },
    spec: { group, names: { kind: 'Widget', plural: 'widgets' }, scope: 'Namespaced', versions: [{ name: 'v1', served: true, storage: true }] },
  });
  crd.addJsonPatch(JsonPatch.remove('/metadata/namespace')); // cluster-scoped
  const nsObj = new ApiObject(chart, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  nsObj.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  new ApiObject(chart, 'other', { apiVersion: 'other.io/v1', kind: 'Gadget', metadata: { name: 'g1' } });
  new ApiObject(chart, 'secret', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'token' }, stringData: { token: 'abc' } });
  return chart;
}

test('helpers', () => {
  expect(splitApiVersion('v1')).toEqual({ group: '', version: 'v1' });
  expect(splitApiVersion('apps/v1')).toEqual({ group: 'apps', version: 'v1' });
  expect(typeToken({ apiVersion: 'v1', kind: 'Service', metadata: {} })).toBe('kubernetes:core/v1:Service');
  expect(typeToken({ apiVersion: 'inference.networking.k8s.io/v1', kind: 'InferencePool', metadata: {} })).toBe('kubernetes:inference.networking.k8s.io/v1:InferencePool');
  expect(objectKey({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'llm' } })).toBe('Namespace:llm');
  expect(() => objectKey({ apiVersion: 'v1', kind: 'Pod', metadata: { generateName: 'x-' } })).toThrow(/metadata.name/);
});

test('chart: CRDs and Namespaces first, CRD-typed objects depend on their CRD, namespaced objects on their Namespace', async () => {
  const app = new App();
  const res = new Cdk8sChartResource('demo', { chart: fixture(app, 'demo', 'team') });
  const regs = await childrenOf(res);
  expect(await valueOf(res.urn)).toContain('cdk8s-llm-d:index:Chart::demo');
  // Construction order (the engine's order comes from the dependencies below).
  expect(Object.keys(res.resources).map((k) => `demo:${k}`)).toEqual([
    'demo:CustomResourceDefinition.apiextensions.k8s.io:widgets.example.com',
    'demo:Namespace:team',
    'demo:Widget.example.com:team/w1',
    'demo:Deployment.apps:team/web',
    'demo:Gadget.other.io:team/g1',
    'demo:Secret:team/token',
  ]);
  const urn = async (key: string) => valueOf(res.resources[key].urn);
  const crd = await urn('CustomResourceDefinition.apiextensions.k8s.io:widgets.example.com');
  const ns = await urn('Namespace:team');
  const deps = Object.fromEntries(regs.map((r) => [r.name.replace('demo:', ''), r.dependencies]));
  expect(deps['CustomResourceDefinition.apiextensions.k8s.io:widgets.example.com']).toEqual([]);
  expect(deps['Namespace:team']).toEqual([]);
  expect(deps['Widget.example.com:team/w1'].sort()).toEqual([crd, ns].sort());
  expect(deps['Deployment.apps:team/web']).toEqual([ns]);
  expect(deps['Gadget.other.io:team/g1']).toEqual([ns]); // its CRD is not in the chart
  expect(Object.keys(res.resources).map((k) => regs.find((r) => r.name === `demo:${k}`)!.type)).toEqual([
    'kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition',
    'kubernetes:core/v1:Namespace',
    'kubernetes:example.com/v1:Widget',
    'kubernetes:apps/v1:Deployment',
    'kubernetes:other.io/v1:Gadget',
    'kubernetes:core/v1:Secret',
  ]);
  expect(res.objects).toHaveLength(6);
});

test('core Secrets use the typed class, so their data is a secret output', async () => {
  const res = new Cdk8sChartResource('secrets', { chart: fixture(new App(), 'secrets', 'sec') });
  await childrenOf(res);
  const secret = res.resources['Secret:sec/token'] as any;
  expect(await pulumi.isSecret(secret.stringData)).toBe(true);
});

test('app: every chart, user dependsOn merged with the internal ones, skipAwait and resourcePrefix', async () => {
  const app = new App();
  fixture(app, 'one', 'ns-one', 'one.example.com');
  fixture(app, 'two', 'ns-two', 'two.example.com');
  // dependsOn as an Output, on a custom resource (depending on a component means depending on its children).
  const upstream = new k8s.core.v1.ConfigMap('upstream', { metadata: { name: 'upstream' } });
  const res = new Cdk8sChartResource('both', { app, skipAwait: true, resourcePrefix: 'p' }, { dependsOn: pulumi.output([upstream]) as any });
  const regs = await childrenOf(res);
  expect(regs).toHaveLength(12);
  expect(regs.every((r) => r.name.startsWith('p:'))).toBe(true);
  const up = await valueOf(upstream.urn);
  for (const r of regs) {
    expect(r.dependencies).toContain(up);
    expect(r.inputs.metadata.annotations).toEqual({ 'pulumi.com/skipAwait': 'true' });
  }
  expect(res.objects.every((o) => o.metadata.annotations === undefined)).toBe(true);
  const widget = regs.find((r) => r.name === 'p:Widget.two.example.com:ns-two/w1')!;
  expect(widget.dependencies.sort()).toEqual([
    up, await valueOf(res.resources['CustomResourceDefinition.apiextensions.k8s.io:widgets.two.example.com'].urn), await valueOf(res.resources['Namespace:ns-two'].urn),
  ].sort());
});

test('resourceOptions adds per-object options (protect, ignoreChanges, dependsOn) over the component\'s own', async () => {
  const extra = new k8s.core.v1.ConfigMap('extra-dependency', { metadata: { name: 'extra' } });
  const seen: string[] = [];
  const res = new Cdk8sChartResource('opts', {
    chart: fixture(new App(), 'opts', 'optns'),
    resourceOptions: (obj, key) => {
      seen.push(key);
      if (obj.kind === 'Deployment') return { protect: true, ignoreChanges: ['spec.replicas'], dependsOn: [extra] };
      return undefined;
    },
  });
  const regs = await childrenOf(res);
  expect(seen).toEqual(Object.keys(res.resources));
  const deployment = regs.find((r) => r.name === 'opts:Deployment.apps:optns/web')!;
  expect(deployment.protect).toBe(true);
  expect(deployment.ignoreChanges).toEqual(['spec.replicas']);
  expect(deployment.dependencies.sort()).toEqual([await valueOf(res.resources['Namespace:optns'].urn), await valueOf(extra.urn)].sort());
  const widget = regs.find((r) => r.name === 'opts:Widget.example.com:optns/w1')!;
  expect(widget.protect).toBe(false);
  expect(widget.ignoreChanges).toEqual([]);
});

test('bad args and duplicate objects are rejected', () => {
  expect(() => new Cdk8sChartResource('none', {} as any)).toThrow(/chart or an app/);
  const app = new App();
  const chart = new Chart(app, 'dup', { namespace: 'd' });
  new ApiObject(chart, 'a', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'same' } });
  new ApiObject(chart, 'b', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'same' } });
  expect(() => new Cdk8sChartResource('dup', { chart })).toThrow(/two objects have the key ConfigMap:d\/same/);
  expect(registrations.some((r) => r.name === 'dup')).toBe(false);
});

test('the kubernetes provider is inherited from an enclosing component', async () => {
  const k8sProvider = new k8s.Provider('outer-cluster', {});
  const outer = new pulumi.ComponentResource('test:index:Outer', 'outer', {}, { providers: [k8sProvider] });
  const chart = new Chart(new App(), 'inner', { namespace: 'inner' });
  new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { a: 'b' } });
  const res = new Cdk8sChartResource('inner', { chart }, { parent: outer });
  const [cm] = await childrenOf(res);
  expect(cm.provider).toBe(`${await valueOf(k8sProvider.urn)}::${await valueOf(k8sProvider.id)}`);
  expect(cm.type).toBe('kubernetes:core/v1:ConfigMap');
  expect(cm.inputs.data).toEqual({ a: 'b' });
});
