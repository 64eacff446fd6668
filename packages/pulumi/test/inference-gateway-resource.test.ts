import * as k8s from '@pulumi/kubernetes';
import { Accelerator, Engine, GatewayProvider, InferenceGateway, LlmService, ModelSource, SchedulerConfig } from 'cdk8s-llm-d';
import { InferenceGatewayResource, LlmServiceResource, PatternResource } from '../src';
import { childrenOf, installMocks, Registration, valueOf } from './mocks';

const model = ModelSource.huggingFace('Qwen/Qwen3-0.6B');

let provider: k8s.Provider;
let gw: InferenceGatewayResource;
let svc: LlmServiceResource;
let gwChildren: Registration[];
let svcChildren: Registration[];

beforeAll(async () => {
  await installMocks();
  provider = new k8s.Provider('cluster', {});
  gw = new InferenceGatewayResource('inference', { namespace: 'gateway', props: { provider: GatewayProvider.istio() } }, { provider });
  svc = new LlmServiceResource('qwen', {
    namespace: 'llm',
    props: { model, engine: Engine.simulator(), accelerator: Accelerator.cpu(), scheduler: SchedulerConfig.default(), gateway: gw.construct },
  }, { provider, dependsOn: [gw] });
  gwChildren = await childrenOf(gw);
  svcChildren = await childrenOf(svc);
});

const one = (regs: Registration[], type: string, name: string) => {
  const hits = regs.filter((r) => r.type === type && r.inputs.metadata.name === name);
  expect(hits).toHaveLength(1);
  return hits[0];
};

test('the gateway component registers exactly its Gateway', async () => {
  expect(await valueOf(gw.urn)).toContain('cdk8s-llm-d:index:InferenceGateway::inference');
  expect(gwChildren).toHaveLength(gw.objects.length);
  expect(gwChildren.map((r) => `${r.type} ${r.name}`)).toEqual([
    'kubernetes:gateway.networking.k8s.io/v1:Gateway inference:Gateway.gateway.networking.k8s.io:gateway/inference',
  ]);
  const gateway = gwChildren[0].inputs;
  expect(gateway.spec.gatewayClassName).toBe('istio');
  expect(gateway.metadata).toMatchObject({ name: 'inference', namespace: 'gateway', labels: { 'istio.io/enable-inference-extproc': 'true' } });
  expect(gateway.spec.listeners).toEqual([expect.objectContaining({ name: 'http', port: 80, protocol: 'HTTP' })]);
});

test('the registered service owns its route and the Istio DestinationRule, each registered once', () => {
  const expected = svc.objects.map((o) => `${o.kind} ${o.metadata.name}`);
  expect(svcChildren.map((r) => `${r.inputs.kind} ${r.inputs.metadata.name}`).sort()).toEqual([...expected].sort());
  expect(new Set(svcChildren.map((r) => r.name)).size).toBe(svcChildren.length);

  const route = one(svcChildren, 'kubernetes:gateway.networking.k8s.io/v1:HTTPRoute', 'qwen-kserve-route').inputs;
  expect(route.metadata.namespace).toBe('llm');
  expect(route.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'inference', namespace: 'gateway' }]);
  expect(route.spec.rules[0].matches[0].path).toEqual({ type: 'PathPrefix', value: '/llm/qwen' });
  expect(route.spec.rules[0].backendRefs[0]).toMatchObject({ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'qwen-inference-pool' });

  const dr = one(svcChildren, 'kubernetes:networking.istio.io/v1beta1:DestinationRule', 'qwen-epp-service').inputs;
  expect(dr.spec.host).toBe('qwen-epp-service.llm.svc.cluster.local');
  // Service and DestinationRule share a name; the type token and the resource name keep them apart.
  one(svcChildren, 'kubernetes:core/v1:Service', 'qwen-epp-service');
});

test('dependsOn on the gateway component and the provider reach the service children', async () => {
  // dependsOn a component means "on all its children": the SDK sends the Gateway's URN.
  const gatewayUrn = await valueOf(gw.resources['Gateway.gateway.networking.k8s.io:gateway/inference'].urn);
  const ref = `${await valueOf(provider.urn)}::${await valueOf(provider.id)}`;
  for (const r of [...svcChildren, ...gwChildren]) expect(r.provider).toBe(ref);
  for (const r of svcChildren) expect(r.dependencies).toContain(gatewayUrn);
});

test('outputs resolve', async () => {
  expect(await valueOf(gw.gatewayName)).toBe('inference');
  expect(await valueOf(gw.gatewayNamespace)).toBe('gateway');
  expect(gw.serviceUrl).toBeUndefined();
  expect(await valueOf(svc.routePath!)).toBe('/llm/qwen');
  expect(await valueOf(svc.poolName!)).toBe('qwen-inference-pool');
  expect(await valueOf(svc.serviceUrl)).toBe('http://qwen-kserve-workload-svc.llm.svc.cluster.local:8000');
});

test('PatternResource: gateway and service built together in one chart', async () => {
  const pattern = new PatternResource('combined', {
    namespace: 'serving',
    build: (chart, id) => {
      const gateway = new InferenceGateway(chart, 'gw', { provider: GatewayProvider.kgateway() });
      return new LlmService(chart, id, {
        model, engine: Engine.simulator(), accelerator: Accelerator.cpu(), scheduler: SchedulerConfig.default(), gateway,
      });
    },
  });
  const regs = await childrenOf(pattern);
  expect(await valueOf(pattern.urn)).toContain('cdk8s-llm-d:index:Pattern::combined');
  expect(regs).toHaveLength(pattern.objects.length);
  one(regs, 'kubernetes:gateway.networking.k8s.io/v1:Gateway', 'gw');
  const route = one(regs, 'kubernetes:gateway.networking.k8s.io/v1:HTTPRoute', 'combined-kserve-route').inputs;
  expect(route.spec.parentRefs[0]).toEqual({ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gw' });
  expect(regs.filter((r) => r.type.includes('DestinationRule'))).toEqual([]);
  expect(await valueOf(pattern.serviceUrl!)).toBe('http://combined-kserve-workload-svc.serving.svc.cluster.local:8000');
  expect(await valueOf(pattern.routePath!)).toBe('/serving/combined');
  expect(pattern.construct).toBeInstanceOf(LlmService);
});
