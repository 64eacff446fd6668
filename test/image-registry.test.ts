/** Air-gapped installs: one registry mirror rewrites every image of every pod, with pull secrets and digests. */
import * as os from 'os';
import * as path from 'path';
import { loadYamlDocuments } from './harness/yaml';
import { expectConfigError } from './util/expect-error';
import { synth, testChart } from './util/synth';
import { synthExample } from '../scripts/examples';
import {
  Accelerator, Engine, ImageMirrorOptions, ImageRegistry, KvEvents, KvTransfer, LaunchStrategy, LlmService, ModelSource, MultiNodeGroup,
  PrefillDecodePair, SchedulerConfig, Versions,
} from '../src';

/** Every pod template of a set, with its images and pull secrets. */
function podTemplates(objs: any[]): Array<{ ref: string; spec: any }> {
  const out: Array<{ ref: string; spec: any }> = [];
  for (const o of objs) {
    if (o.kind === 'Deployment') out.push({ ref: `Deployment/${o.metadata.name}`, spec: o.spec.template.spec });
    if (o.kind === 'LeaderWorkerSet') {
      const t = o.spec.leaderWorkerTemplate;
      if (t.leaderTemplate) out.push({ ref: `LeaderWorkerSet/${o.metadata.name} leader`, spec: t.leaderTemplate.spec });
      out.push({ ref: `LeaderWorkerSet/${o.metadata.name} worker`, spec: t.workerTemplate.spec });
    }
  }
  return out;
}
const imagesOf = (spec: any): string[] => [...(spec.initContainers ?? []), ...spec.containers].map((c: any) => c.image);

/** One stack of every kind of pod the library writes: vLLM + storage initializer, sidecar, EPP, Envoy, tokenizer, modelcar, LWS, simulator. */
function everything(imageRegistry?: ImageRegistry): any[] {
  const chart = testChart();
  new PrefillDecodePair(chart, 'pd', {
    model: ModelSource.huggingFace('Qwen/Qwen3-8B'),
    engine: Engine.vllm(),
    accelerator: Accelerator.nvidia(),
    kvTransfer: KvTransfer.nixl(),
    prefill: { replicas: 1 },
    decode: { replicas: 1 },
    scheduler: SchedulerConfig.prefillDecode(),
    imageRegistry,
  });
  new LlmService(chart, 'precise', {
    model: ModelSource.huggingFace('Qwen/Qwen3-8B'),
    servedModelName: 'qwen',
    engine: Engine.vllm(),
    accelerator: Accelerator.nvidia(),
    scheduler: SchedulerConfig.precisePrefixCache({ modelName: 'qwen', kvEvents: KvEvents.podDiscovery() }),
    imageRegistry,
  });
  new LlmService(chart, 'standalone', {
    model: ModelSource.oci('quay.io/acme/qwen-modelcar:1.0'),
    engine: Engine.vllm(),
    accelerator: Accelerator.nvidia(),
    scheduler: SchedulerConfig.default(),
    endpointPicker: { standaloneProxy: true },
    imageRegistry,
  });
  new LlmService(chart, 'sim', { model: ModelSource.huggingFace('Qwen/Qwen3-0.6B'), engine: Engine.simulator(), accelerator: Accelerator.cpu(), imageRegistry });
  new MultiNodeGroup(chart, 'mn', {
    model: ModelSource.huggingFace('deepseek-ai/DeepSeek-V2-Lite-Chat'), parallelism: { tensor: 8, pipeline: 2 }, launch: LaunchStrategy.ray(), imageRegistry,
  });
  return synth(chart);
}

const MIRROR_HOST = 'mirror.corp.internal:5000';

test('every image of every pod moves to the mirror, keeping its repository path, tag and digest', () => {
  const upstream = podTemplates(everything());
  const mirrored = podTemplates(everything(ImageRegistry.mirror(MIRROR_HOST, { pullSecrets: ['mirror-credentials'] })));
  expect(mirrored.map((p) => p.ref)).toEqual(upstream.map((p) => p.ref));
  const all = upstream.flatMap((p) => imagesOf(p.spec));
  // the stack uses every image the library can emit
  const emitted = [Versions.VLLM_IMAGE, Versions.STORAGE_INITIALIZER_IMAGE, Versions.ROUTING_SIDECAR_IMAGE, Versions.EPP_IMAGE,
    Versions.ENVOY_IMAGE, Versions.VLLM_CPU_IMAGE, Versions.SIMULATOR_IMAGE, 'quay.io/acme/qwen-modelcar:1.0'];
  for (const image of emitted) {
    expect(all).toContain(image);
  }
  mirrored.forEach((pod, i) => {
    const before = imagesOf(upstream[i].spec);
    const after = imagesOf(pod.spec);
    expect(after.length).toBe(before.length);
    after.forEach((image, j) => {
      expect(image.startsWith(`${MIRROR_HOST}/`)).toBe(true);
      // the source registry host is dropped, the rest is kept
      expect(image).toBe(`${MIRROR_HOST}/${before[j].replace(/^[^/]+\.[^/]+\//, '')}`);
    });
    expect(pod.spec.imagePullSecrets).toEqual([{ name: 'mirror-credentials' }]);
  });
});

test('the air-gapped example pulls nothing from outside the mirror, and every pod has the pull secret', () => {
  const objs = synthExample('air-gapped', path.join(os.tmpdir(), 'cdk8s-llm-d-air-gapped')).flatMap((f) => loadYamlDocuments(f));
  const pods = podTemplates(objs);
  expect(pods.length).toBeGreaterThanOrEqual(4);
  for (const pod of pods) {
    for (const image of imagesOf(pod.spec)) expect(image).toMatch(/^mirror\.corp\.internal:5000\/llm\//);
    expect(pod.spec.imagePullSecrets).toEqual([{ name: 'mirror-credentials' }]);
  }
  const vllm = pods.flatMap((p) => imagesOf(p.spec)).filter((i) => i.includes('/vllm/vllm-openai:'));
  expect(vllm.length).toBeGreaterThan(0);
  for (const image of vllm) expect(image).toMatch(new RegExp(`/vllm/vllm-openai:${Versions.VLLM}@sha256:[a-f0-9]{64}$`));
  // nothing in any object names an upstream registry image
  expect(JSON.stringify(objs)).not.toMatch(/"image":"(?!mirror\.corp\.internal)/);
});

test('layouts: a path prefix, the source registry kept (Docker Hub as docker.io), images already on the mirror untouched', () => {
  const image = (options: ImageMirrorOptions, model = ModelSource.huggingFace('Qwen/Qwen3-0.6B')) => {
    const chart = testChart();
    const imageRegistry = ImageRegistry.mirror(MIRROR_HOST, options);
    new LlmService(chart, 'svc', { model, engine: Engine.vllm(), accelerator: Accelerator.nvidia(), imageRegistry });
    return imagesOf(podTemplates(synth(chart))[0].spec);
  };
  expect(image({ repositoryPrefix: 'ai/llm', keepSourceRegistry: true })).toEqual([
    `${MIRROR_HOST}/ai/llm/docker.io/kserve/storage-initializer:${Versions.KSERVE}`,
    `${MIRROR_HOST}/ai/llm/docker.io/vllm/vllm-openai:${Versions.VLLM}`,
  ]);
  expect(image({}, ModelSource.oci(`${MIRROR_HOST}/models/qwen:1`))).toContain(`${MIRROR_HOST}/models/qwen:1`);
  expect(ImageRegistry.upstream()).toBeInstanceOf(ImageRegistry);
});

describe('bad input', () => {
  const build = (registry: () => ImageRegistry) => () => {
    const chart = testChart();
    new LlmService(chart, 'svc', { model: ModelSource.huggingFace('Qwen/Qwen3-0.6B'), engine: Engine.simulator(), imageRegistry: registry() });
    synth(chart);
  };
  test.each<[string, () => ImageRegistry, string, string]>([
    ['a URL instead of a host', () => ImageRegistry.mirror('https://mirror.corp.internal'), 'imageRegistry.host', 'https://mirror.corp.internal'],
    ['a Docker Hub namespace instead of a host', () => ImageRegistry.mirror('mirror'), 'imageRegistry.host', 'mirror'],
    ['a host with a path', () => ImageRegistry.mirror('mirror.corp.internal/llm'), 'imageRegistry.host', 'mirror.corp.internal/llm'],
    ['a prefix with upper case', () => ImageRegistry.mirror(MIRROR_HOST, { repositoryPrefix: 'LLM' }), 'imageRegistry.repositoryPrefix', 'LLM'],
    ['a pull secret that is not a name', () => ImageRegistry.mirror(MIRROR_HOST, { pullSecrets: ['my secret'] }), 'imageRegistry.pullSecrets[0]', 'my secret'],
    ['a digest that is not one', () => ImageRegistry.mirror(MIRROR_HOST, { digests: { [Versions.VLLM_IMAGE]: 'sha256:abc' } }), `imageRegistry.digests["${Versions.VLLM_IMAGE}"]`, 'sha256:abc'],
  ])('%s', (_what, registry, field, value) => {
    expectConfigError(build(registry), { path: 'test/svc', field, value });
  });
  test('a plain object instead of an ImageRegistry', () => {
    expectConfigError(build(() => ({ host: MIRROR_HOST }) as any), { path: 'test/svc', field: 'imageRegistry', value: MIRROR_HOST, mentions: 'ImageRegistry' });
  });
});
