/**
 * The KServe translation names the pool as the controller does (`kmeta.ChildName(name, "-inference-pool")`,
 * KServe's SchedulerSpec.InferencePoolName), which is also the name the patterns give it: at 49–63 characters the
 * name is hashed, not concatenated, and `.GlobalConfig.InferencePoolNamespacedName` names the pool that exists.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { LlmInferenceService, ResourceNames } from '../src';
import { expectValid } from './util/validated';

const SAMPLE = path.join(__dirname, '..', 'imports', 'reference', 'kserve', 'samples', 'opt-125m-cpu__llm-inference-service-facebook-opt-125m-cpu.yaml');
const base = YAML.parseAllDocuments(fs.readFileSync(SAMPLE, 'utf8')).map((d) => d.toJS()).find((d) => d?.kind === 'LLMInferenceService');

const nameOf = (length: number) => `m${'x'.repeat(length - 2)}0`;

describe.each([48, 49, 63])('service name of %i characters', (length) => {
  const name = nameOf(length);
  const resource = structuredClone(base);
  resource.metadata = { ...resource.metadata, name };
  const main = resource.spec.template.containers.find((c: any) => c.name === 'main');
  main.env = [...(main.env ?? []), { name: 'POOL', value: '{{ .GlobalConfig.InferencePoolNamespacedName }}' }];
  const chart = new Chart(Testing.app(), 'kserve', { namespace: 'llm' });
  new LlmInferenceService(chart, 'svc', { resource });
  const objs = Testing.synth(chart);
  const pool = objs.find((o) => o.kind === 'InferencePool');

  test('the pool is named ChildName(name, "-inference-pool") and fits a DNS label', () => {
    expect(pool.metadata.name).toBe(ResourceNames.childName(name, '-inference-pool'));
    expect(pool.metadata.name.length).toBeLessThanOrEqual(63);
    if (length + '-inference-pool'.length > 63) expect(pool.metadata.name).not.toBe(`${name}-inference-pool`);
    else expect(pool.metadata.name).toBe(`${name}-inference-pool`);
  });

  test('the template variable names the same pool', () => {
    const deployment = objs.find((o) => o.kind === 'Deployment' && o.spec.template.metadata.labels['kserve.io/component'] === 'workload');
    const env = deployment.spec.template.spec.containers.find((c: any) => c.name === 'main').env;
    expect(env.find((e: any) => e.name === 'POOL').value).toBe(`llm/${pool.metadata.name}`);
    expectValid(objs);
  });
});
