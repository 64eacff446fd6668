/**
 * The latency predictor beside the EPP: a scheduler config with `predicted-latency-producer` gives the EPP pod the
 * training and prediction servers of KServe's `kserve-config-llm-scheduler-latency-predictor` preset.
 */
import { ImageRegistry, LlmService, ModelSource, SchedulerConfig, Versions } from '../src';
import { SchemaValidator } from './harness/schema-validator';
import { checkWiring, formatViolations } from './harness/wiring-checker';
import { find, synth, testChart } from './util/synth';

const CONFIG = `apiVersion: llm-d.ai/v1alpha1
kind: EndpointPickerConfig
plugins:
- type: predicted-latency-producer
- type: latency-scorer
- type: weighted-random-picker
schedulingProfiles:
- name: default
  plugins:
  - pluginRef: predicted-latency-producer
  - pluginRef: latency-scorer
  - pluginRef: weighted-random-picker
`;

function render(imageRegistry?: ImageRegistry): any[] {
  const chart = testChart();
  new LlmService(chart, 'qwen', { model: ModelSource.huggingFace('Qwen/Qwen3-8B'), scheduler: SchedulerConfig.fromYaml(CONFIG), imageRegistry });
  return synth(chart);
}

test('the EPP pod runs the training and prediction servers on localhost, valid and wired', () => {
  const objs = render();
  expect(SchemaValidator.get().validateAll(objs)).toEqual([]);
  expect(formatViolations(checkWiring(objs, { namespace: 'llm' }))).toBe('no wiring violations');
  const pod = find(objs, 'Deployment', 'qwen-kserve-router-scheduler').spec.template.spec;
  expect(pod.containers.map((c: any) => c.image))
    .toEqual([Versions.EPP_IMAGE, Versions.LATENCY_TRAINING_SERVER_IMAGE, Versions.LATENCY_PREDICTION_SERVER_IMAGE]);
  const [epp, training, prediction] = pod.containers;
  expect(epp.env).toEqual(expect.arrayContaining([{ name: 'PREDICTION_SERVER_URL', value: 'http://localhost:8001' }]));
  expect(prediction.env).toEqual(expect.arrayContaining([{ name: 'TRAINING_SERVER_URL', value: 'http://localhost:8000' }, { name: 'PREDICT_PORT', value: '8001' }]));
  for (const c of [training, prediction]) {
    expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true });
    for (const m of c.volumeMounts) expect(pod.volumes.map((v: any) => v.name)).toContain(m.name);
  }
  // the EPP Service exposes the EPP's ports only
  expect(find(objs, 'Service', 'qwen-epp-service').spec.ports.map((p: any) => p.port)).not.toContain(8001);
});

test('the predictor images move to a mirror with the rest', () => {
  const pod = find(render(ImageRegistry.mirror('mirror.corp.internal:5000')), 'Deployment', 'qwen-kserve-router-scheduler').spec.template.spec;
  expect(pod.containers.map((c: any) => c.image).every((i: string) => i.startsWith('mirror.corp.internal:5000/'))).toBe(true);
});

test('a config without the latency producer keeps the EPP alone', () => {
  const chart = testChart();
  new LlmService(chart, 'qwen', { model: ModelSource.huggingFace('Qwen/Qwen3-8B'), scheduler: SchedulerConfig.default() });
  expect(find(synth(chart), 'Deployment', 'qwen-kserve-router-scheduler').spec.template.spec.containers).toHaveLength(1);
});
