import { App, Chart } from 'cdk8s';
import {
  Accelerator, Engine, LaunchStrategy, ModelSource, MultiNodeGroup, MultiNodeGroupProps, PrefillDecodePair, PrefillDecodePairProps, SchedulerConfig,
} from 'cdk8s-llm-d';
import { MultiNodeGroupResource, objectKey, PrefillDecodePairResource, typeToken } from '../src';
import { childrenOf, installMocks, plain, valueOf } from './mocks';

const pdProps = (): PrefillDecodePairProps => ({
  model: ModelSource.huggingFace('Qwen/Qwen3-0.6B'),
  engine: Engine.simulator(),
  accelerator: Accelerator.cpu(),
  prefill: { replicas: 1 },
  decode: { replicas: 2 },
  scheduler: SchedulerConfig.prefillDecode(),
});
const mnProps = (): MultiNodeGroupProps => ({
  model: ModelSource.pvc('models', 'llama-405b'),
  parallelism: { tensor: 8, pipeline: 2 },
  launch: LaunchStrategy.ray(),
});

function expected(build: (chart: Chart) => void): any[] {
  const chart = new Chart(new App(), 'expected', { namespace: 'llm' });
  build(chart);
  return chart.toJson();
}

beforeAll(async () => {
  await installMocks();
});

test('PrefillDecodePair: every object once, with the right type token and inputs; pool output', async () => {
  const pd = new PrefillDecodePairResource('pd', { namespace: 'llm', props: pdProps() });
  const children = await childrenOf(pd);
  const objs = expected((c) => new PrefillDecodePair(c, 'pd', pdProps()));
  expect(children).toHaveLength(objs.length);
  for (const obj of objs) {
    const reg = children.filter((r) => r.name === `pd:${objectKey(obj)}`);
    expect(reg).toHaveLength(1);
    expect(reg[0].type).toBe(typeToken(obj));
    expect(reg[0].inputs).toEqual(plain(obj));
  }
  expect(children.map((r) => r.type)).toEqual(expect.arrayContaining(['kubernetes:apps/v1:Deployment', 'kubernetes:inference.networking.k8s.io/v1:InferencePool']));
  expect(await valueOf(pd.poolName!)).toBe('pd-inference-pool');
});

test('MultiNodeGroup: the LeaderWorkerSet is registered with its CRD type token', async () => {
  const mn = new MultiNodeGroupResource('llama', { namespace: 'llm', props: mnProps() });
  const children = await childrenOf(mn);
  const objs = expected((c) => new MultiNodeGroup(c, 'llama', mnProps()));
  expect(children).toHaveLength(objs.length);
  const lws = children.find((r) => r.type === 'kubernetes:leaderworkerset.x-k8s.io/v1:LeaderWorkerSet');
  expect(lws?.inputs.spec.leaderWorkerTemplate.size).toBe(2);
  expect(await valueOf(mn.serviceName!)).toBe('llama-kserve-workload-svc');
});
