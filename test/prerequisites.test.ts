/** Prerequisites: the pinned CRDs, valid apiextensions objects, chosen by option. */
import { Testing } from 'cdk8s';
import { Prerequisites } from '../src';
import { SchemaValidator, formatIssues } from './harness/schema-validator';

test('default: Gateway API, InferencePool v1 and llm-d.ai CRDs, no namespace, schema-valid', () => {
  const objs = Testing.synth(new Prerequisites(Testing.app(), 'crds'));
  const names = objs.map((o) => o.metadata.name).sort();
  expect(names).toEqual([
    'backendtlspolicies.gateway.networking.k8s.io', 'gatewayclasses.gateway.networking.k8s.io', 'gateways.gateway.networking.k8s.io',
    'grpcroutes.gateway.networking.k8s.io', 'httproutes.gateway.networking.k8s.io', 'inferencemodelrewrites.llm-d.ai',
    'inferenceobjectives.llm-d.ai', 'inferencepools.inference.networking.k8s.io', 'referencegrants.gateway.networking.k8s.io',
  ]);
  for (const o of objs) {
    expect(o.kind).toBe('CustomResourceDefinition');
    expect(o.metadata.namespace).toBeUndefined();
  }
  expect(formatIssues(SchemaValidator.get().validateAll(objs))).toBe('');
  const gw = objs.find((o) => o.metadata.name === 'httproutes.gateway.networking.k8s.io');
  expect(gw.metadata.annotations['gateway.networking.k8s.io/bundle-version']).toBe('v1.6.1');
});

test('options add LeaderWorkerSet and the legacy pool, and drop Gateway API', () => {
  const objs = Testing.synth(new Prerequisites(Testing.app(), 'crds', { gatewayApi: false, leaderWorkerSet: true, legacyInferencePool: true }));
  expect(objs.map((o) => o.metadata.name).sort()).toEqual([
    'inferencemodelrewrites.llm-d.ai', 'inferenceobjectives.llm-d.ai', 'inferencepools.inference.networking.k8s.io',
    'inferencepools.inference.networking.x-k8s.io', 'leaderworkersets.leaderworkerset.x-k8s.io',
  ]);
});
