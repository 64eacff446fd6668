/**
 * The KServe adapter is a pure mapper: an LLMInferenceService becomes pattern props, and every object comes from the
 * patterns — no JSON patches on synthesized objects. Pod metadata of every mode, several gateways and the pool
 * migration annotation all travel as props.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Chart, Testing } from 'cdk8s';
import { IConstruct } from 'constructs';
import * as YAML from 'yaml';
import { LlmInferenceService } from '../src';
import { SchemaValidator } from './harness/schema-validator';
import { checkWiring } from './harness/wiring-checker';

const SAMPLES = path.join(__dirname, '..', 'imports', 'reference', 'kserve', 'samples');
const sample = (file: string) => YAML.parseAllDocuments(fs.readFileSync(path.join(SAMPLES, file), 'utf8')).map((d) => d.toJS()).find((d) => d?.kind === 'LLMInferenceService');
const validator = SchemaValidator.get();

function render(resource: any) {
  const chart = new Chart(Testing.app(), 'kserve', { namespace: 'llm' });
  new LlmInferenceService(chart, 'svc', { resource });
  return { chart, objs: Testing.synth(chart) };
}

function apiObjects(root: IConstruct): ApiObject[] {
  return root.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c));
}

const templatesOf = (o: any): any[] => (o.kind === 'Deployment'
  ? [o.spec.template]
  : [o.spec.leaderWorkerTemplate.leaderTemplate, o.spec.leaderWorkerTemplate.workerTemplate].filter(Boolean));

describe.each([
  ['simple', 'opt-125m-cpu__llm-inference-service-facebook-opt-125m-cpu.yaml'],
  ['P/D', 'opt-125m-cpu__llm-inference-service-pd-facebook-opt-125m-cpu.yaml'],
  ['multi-node', 'dp-ep__deepseek-r1-gpu-rdma-roce__llm-inference-service-dp-ep-deepseek-r1-gpu-naive.yaml'],
  ['P/D + multi-node', 'dp-ep__deepseek-r1-gpu-rdma-roce__llm-inference-service-dp-ep-deepseek-r1-pd-gpu-p-deepep-ht-d-deepep-ht.yaml'],
])('%s', (_mode, file) => {
  const resource = structuredClone(sample(file));
  // spec.labels / spec.annotations go to the pods (KServe); the prefill role has its own.
  for (const w of [resource.spec, resource.spec.prefill].filter(Boolean)) {
    w.labels = { ...w.labels, team: 'search' };
    w.annotations = { ...w.annotations, 'example.com/owner': 'search' };
  }
  const { chart, objs } = render(resource);

  test('no synthesized object carries a JSON patch', () => {
    // The EPP's ClusterRoleBinding drops the Chart's namespace with a patch (it is cluster-scoped); nothing else is patched.
    const patched = apiObjects(chart).filter((o) => o.kind !== 'ClusterRoleBinding' && (o as any).patches?.length > 0).map((o) => `${o.kind}/${o.name}`);
    expect(patched).toEqual([]);
  });

  test('metadata labels and annotations reach every pod template of every workload', () => {
    const workloads = objs.filter((o) => o.kind === 'LeaderWorkerSet' || (o.kind === 'Deployment' && o.spec.template.metadata.labels['kserve.io/component'] === 'workload'));
    expect(workloads.length).toBeGreaterThan(0);
    for (const w of workloads) {
      for (const t of templatesOf(w)) {
        expect(t.metadata.labels.team).toBe('search');
        expect(t.metadata.annotations['example.com/owner']).toBe('search');
      }
    }
    expect(validator.formatIssues(validator.validateAll(objs))).toBe('');
    expect(checkWiring(objs)).toEqual([]);
  });
});

describe('route', () => {
  test('every gateway of spec.router.gateway.refs is a parentRef; the v1 pool annotation is set with a scheduler', () => {
    const resource = structuredClone(sample('opt-125m-cpu__llm-inference-service-facebook-opt-125m-cpu.yaml'));
    resource.spec.router.gateway = { refs: [{ name: 'public', namespace: 'gw' }, { name: 'internal', namespace: 'gw' }] };
    const { objs } = render(resource);
    const route = objs.find((o) => o.kind === 'HTTPRoute');
    expect(route.spec.parentRefs).toEqual([
      { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'gw' },
      { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'internal', namespace: 'gw' },
    ]);
    expect(route.metadata.annotations).toEqual({ 'serving.kserve.io/inference-pool-migrated': 'v1' });
    expect(route.spec.rules[0].filters[0].urlRewrite.path.replacePrefixMatch).toBe('/');
    expect(validator.formatIssues(validator.validateAll(objs))).toBe('');
  });

  test('without a scheduler the route has no pool annotation', () => {
    const resource = structuredClone(sample('opt-125m-cpu__llm-inference-service-facebook-opt-125m-cpu-no-scheduler.yaml'));
    const { objs } = render(resource);
    const route = objs.find((o) => o.kind === 'HTTPRoute');
    if (route) expect(route.metadata.annotations).toBeUndefined();
  });
});
