/** Placement of the serving pods: spread, priority, scheduler, Kueue and LeaderWorkerSet exclusive placement. */
import {
  Engine, LaunchStrategy, LlmService, LlmServiceProps, ModelSource, MultiNodeGroup, MultiNodeGroupProps, PlacementOptions, SpreadMode,
} from '../src';
import { checkWiring, formatViolations } from './harness/wiring-checker';
import { expectConfigError } from './util/expect-error';
import { find, synth, testChart } from './util/synth';

const MODEL = ModelSource.huggingFace('Qwen/Qwen3-0.6B');
const service = (props: Partial<LlmServiceProps> = {}) => {
  const chart = testChart();
  new LlmService(chart, 'svc', { model: MODEL, engine: Engine.simulator(), replicas: 3, ...props });
  return synth(chart);
};
const group = (props: Partial<MultiNodeGroupProps> = {}) => {
  const chart = testChart();
  new MultiNodeGroup(chart, 'mn', { model: ModelSource.huggingFace('deepseek-ai/DeepSeek-V2-Lite-Chat'), parallelism: { tensor: 8, pipeline: 2 }, launch: LaunchStrategy.ray(), replicas: 2, ...props });
  return synth(chart);
};
const podSpec = (objs: any[]) => find(objs, 'Deployment', 'svc-kserve').spec.template.spec;

test('by default replicas are preferably spread over nodes, counted per revision', () => {
  const objs = service();
  expect(podSpec(objs).topologySpreadConstraints).toEqual([{
    maxSkew: 1,
    topologyKey: 'kubernetes.io/hostname',
    whenUnsatisfiable: 'ScheduleAnyway',
    labelSelector: { matchLabels: find(objs, 'Deployment', 'svc-kserve').spec.selector.matchLabels },
    matchLabelKeys: ['pod-template-hash'],
  }]);
  expect(formatViolations(checkWiring(objs))).toBe('no wiring violations');
});

test('a single replica gets no spread constraint (nothing to spread)', () => {
  expect(podSpec(service({ replicas: 1 })).topologySpreadConstraints).toBeUndefined();
});

test('zones required, nodes off; priority class and scheduler name', () => {
  const spec = podSpec(service({ placement: { nodeSpread: SpreadMode.NONE, zoneSpread: SpreadMode.REQUIRED, priorityClassName: 'llm-serving', schedulerName: 'volcano' } }));
  expect(spec.topologySpreadConstraints.map((c: any) => [c.topologyKey, c.whenUnsatisfiable])).toEqual([['topology.kubernetes.io/zone', 'DoNotSchedule']]);
  expect(spec.priorityClassName).toBe('llm-serving');
  expect(spec.schedulerName).toBe('volcano');
});

test('Kueue: the queue label is on the Deployment and on its pods', () => {
  const objs = service({ placement: { kueueQueueName: 'team-a' } });
  const d = find(objs, 'Deployment', 'svc-kserve');
  expect(d.metadata.labels['kueue.x-k8s.io/queue-name']).toBe('team-a');
  expect(d.spec.template.metadata.labels['kueue.x-k8s.io/queue-name']).toBe('team-a');
  expect(d.spec.selector.matchLabels['kueue.x-k8s.io/queue-name']).toBeUndefined();
});

test('LeaderWorkerSet: exclusive topology on the set, Kueue label on the set and both templates, leaders spread', () => {
  const objs = group({ placement: { exclusiveTopology: 'cloud.google.com/gke-nodepool', kueueQueueName: 'gpu' } });
  const lws = find(objs, 'LeaderWorkerSet');
  expect(lws.metadata.annotations['leaderworkerset.sigs.k8s.io/exclusive-topology']).toBe('cloud.google.com/gke-nodepool');
  expect(lws.metadata.labels['kueue.x-k8s.io/queue-name']).toBe('gpu');
  const { leaderTemplate, workerTemplate } = lws.spec.leaderWorkerTemplate;
  expect(leaderTemplate.metadata.labels['kueue.x-k8s.io/queue-name']).toBe('gpu');
  expect(workerTemplate.metadata.labels['kueue.x-k8s.io/queue-name']).toBe('gpu');
  expect(leaderTemplate.spec.topologySpreadConstraints[0].labelSelector.matchLabels['app.kubernetes.io/component']).toBe('llminferenceservice-workload-leader');
  expect(leaderTemplate.spec.topologySpreadConstraints[0].matchLabelKeys).toBeUndefined();
  // a group's workers follow their leader: they are not spread on their own
  expect(workerTemplate.spec.topologySpreadConstraints).toBeUndefined();
  expect(formatViolations(checkWiring(objs))).toBe('no wiring violations');
});

describe('bad input', () => {
  test.each<[string, PlacementOptions, string, string]>([
    ['an unknown spread mode', { nodeSpread: 'sometimes' as SpreadMode }, 'placement.nodeSpread', 'sometimes'],
    ['a priority class that is not a name', { priorityClassName: 'High Priority' }, 'placement.priorityClassName', 'High Priority'],
    ['a queue name that is not a name', { kueueQueueName: 'Team_A' }, 'placement.kueueQueueName', 'Team_A'],
    ['a scheduler name with spaces', { schedulerName: 'my scheduler' }, 'placement.schedulerName', 'my scheduler'],
    ['exclusive placement without a group', { exclusiveTopology: 'cloud.google.com/gke-nodepool' }, 'placement.exclusiveTopology', 'LeaderWorkerSet'],
  ])('%s', (_what, placement, field, value) => {
    expectConfigError(() => service({ placement }), { path: 'test/svc', field, value });
  });

  test('an exclusive topology that is not a label key', () => {
    expectConfigError(() => group({ placement: { exclusiveTopology: 'not a key' } }), { path: 'test/mn', field: 'placement.exclusiveTopology', value: 'not a key' });
  });
});
