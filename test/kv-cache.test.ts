/**
 * KV-cache tiers below GPU memory: vLLM's OffloadingConnector as the KServe controller renders `spec.kvCacheOffloading`
 * (config_merge.go kvTransferConfig, workload_kvcache.go), LMCache, and MultiConnector with NIXL for P/D.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Size, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import {
  Engine, KvCache, KvCacheEvictionPolicy, KvCacheTier, KvRoles, KvTransfer, LlmInferenceService, LlmService, ModelSource, PrefillDecodePair,
  SchedulerConfig,
} from '../src';
import { SchemaValidator } from './harness/schema-validator';
import { checkWiring, formatViolations } from './harness/wiring-checker';
import { expectConfigError } from './util/expect-error';
import { find, mainContainer, synth, testChart } from './util/synth';

const validator = SchemaValidator.get();
const clean = (objs: any[]) => {
  expect(formatViolations(checkWiring(objs))).toBe('no wiring violations');
  expect(validator.validateAll(objs)).toEqual([]);
};
const flag = (args: string[], name: string) => args[args.indexOf(name) + 1];
const MODEL = ModelSource.huggingFace('Qwen/Qwen3-8B');

describe('KvCache.offload on an LlmService', () => {
  const chart = testChart();
  new LlmService(chart, 'qwen', {
    model: MODEL,
    resources: { memory: '64Gi', ephemeralStorage: '50Gi' },
    scheduler: SchedulerConfig.default(),
    kvCache: KvCache.offload({
      cpu: Size.gibibytes(100),
      evictionPolicy: KvCacheEvictionPolicy.ARC,
      secondary: [
        KvCacheTier.emptyDir(Size.gibibytes(200)),
        KvCacheTier.claim('kv-shared', { path: 'cache/' }),
        KvCacheTier.ephemeralVolume({ size: Size.gibibytes(500), storageClassName: 'local-nvme' }),
      ],
    }),
  });
  const objs = synth(chart);
  const deployment = find(objs, 'Deployment', 'qwen-kserve');
  const main = mainContainer(deployment);

  test('valid and wired', () => clean(objs));

  test('--kv-transfer-config is the controller\'s OffloadingConnector JSON (sorted keys, one fs tier per secondary entry)', () => {
    expect(flag(main.args, '--kv-transfer-config')).toBe(JSON.stringify({
      kv_connector: 'OffloadingConnector',
      kv_connector_extra_config: {
        cpu_bytes_to_use: 100 * 2 ** 30,
        eviction_policy: 'arc',
        secondary_tiers: [0, 1, 2].map((i) => ({ root_dir: `/mnt/kv-cache-${i}`, type: 'fs' })),
        spec_name: 'TieringOffloadingSpec',
      },
      kv_role: 'kv_both',
    }));
  });

  test('each tier is a volume kv-cache-secondary-<i> at /mnt/kv-cache-<i>: emptyDir, existing claim with subPath, ephemeral claim', () => {
    const volumes = deployment.spec.template.spec.volumes.filter((v: any) => v.name.startsWith('kv-cache-secondary-'));
    expect(volumes).toEqual([
      { name: 'kv-cache-secondary-0', emptyDir: { sizeLimit: '200Gi' } },
      { name: 'kv-cache-secondary-1', persistentVolumeClaim: { claimName: 'kv-shared' } },
      {
        name: 'kv-cache-secondary-2',
        ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'local-nvme', resources: { requests: { storage: '500Gi' } } } } },
      },
    ]);
    expect(main.volumeMounts.filter((m: any) => m.name.startsWith('kv-cache-'))).toEqual([
      { name: 'kv-cache-secondary-0', mountPath: '/mnt/kv-cache-0' },
      { name: 'kv-cache-secondary-1', mountPath: '/mnt/kv-cache-1', subPath: 'cache/' },
      { name: 'kv-cache-secondary-2', mountPath: '/mnt/kv-cache-2' },
    ]);
  });

  test('the emptyDir tier is added to ephemeral storage and the CPU tier to memory (requests and limits)', () => {
    expect(main.resources.requests['ephemeral-storage']).toBe('250Gi');
    expect(main.resources.limits['ephemeral-storage']).toBe('250Gi');
    expect(main.resources.requests.memory).toBe('164Gi');
    expect(main.resources.limits.memory).toBe('164Gi');
  });
});

test('without a memory prop the CPU tier alone is requested (no limit)', () => {
  const chart = testChart();
  new LlmService(chart, 'qwen', { model: MODEL, kvCache: KvCache.offload({ cpu: Size.gibibytes(32) }) });
  const main = mainContainer(find(synth(chart), 'Deployment'));
  expect(main.resources.requests.memory).toBe('32Gi');
  expect(main.resources.limits.memory).toBeUndefined();
});

describe('P/D with NIXL and offloading: a MultiConnector on each role', () => {
  const chart = testChart();
  new PrefillDecodePair(chart, 'pd', {
    model: MODEL,
    kvTransfer: KvTransfer.nixl({ roles: KvRoles.PRODUCER_CONSUMER, loadFailurePolicy: 'fail', bidirectional: true }),
    kvCache: KvCache.offload({ cpu: Size.gibibytes(200), lazyOffload: true }),
    prefill: { replicas: 2 },
    decode: { replicas: 1, kvCache: KvCache.none() },
  });
  const objs = synth(chart);

  test('valid and wired (the checker finds NixlConnector inside the MultiConnector)', () => clean(objs));

  test('prefill: NIXL producer first, the offloading connector second, the load-failure policy on top', () => {
    const cfg = JSON.parse(flag(mainContainer(find(objs, 'Deployment', 'pd-kserve-prefill')).args, '--kv-transfer-config'));
    expect(cfg).toEqual({
      kv_connector: 'MultiConnector',
      kv_role: 'kv_both',
      kv_load_failure_policy: 'fail',
      kv_connector_extra_config: {
        connectors: [
          { kv_connector: 'NixlConnector', kv_role: 'kv_producer', kv_connector_extra_config: { bidirectional_kv_xfer: true } },
          {
            kv_connector: 'OffloadingConnector',
            kv_role: 'kv_both',
            kv_connector_extra_config: { cpu_bytes_to_use: 200 * 2 ** 30, eviction_policy: 'lru', lazy_offload: true, spec_name: 'TieringOffloadingSpec' },
          },
        ],
      },
    });
  });

  test('decode overrides the pair\'s kvCache with none: NIXL consumer alone', () => {
    const cfg = JSON.parse(flag(mainContainer(find(objs, 'Deployment', 'pd-kserve')).args, '--kv-transfer-config'));
    expect(cfg).toEqual({
      kv_connector: 'NixlConnector', kv_role: 'kv_consumer', kv_load_failure_policy: 'fail', kv_connector_extra_config: { bidirectional_kv_xfer: true },
    });
  });
});

test('KvCache.lmcache: LMCacheConnectorV1 with its env, the disk tier mounted as LMCache\'s local disk', () => {
  const chart = testChart();
  new LlmService(chart, 'lm', {
    model: MODEL,
    kvCache: KvCache.lmcache({
      cpu: Size.gibibytes(200), disk: KvCacheTier.emptyDir(Size.gibibytes(1000)), diskSize: Size.gibibytes(900), chunkSize: 256,
    }),
  });
  const objs = synth(chart);
  clean(objs);
  const main = mainContainer(find(objs, 'Deployment'));
  expect(flag(main.args, '--kv-transfer-config')).toBe('{"kv_connector":"LMCacheConnectorV1","kv_role":"kv_both"}');
  const env = Object.fromEntries(main.env.filter((e: any) => e.name.startsWith('LMCACHE_')).map((e: any) => [e.name, e.value]));
  expect(env).toEqual({ LMCACHE_MAX_LOCAL_CPU_SIZE: '200.0', LMCACHE_CHUNK_SIZE: '256', LMCACHE_LOCAL_DISK: 'file:///mnt/kv-cache-0/', LMCACHE_MAX_LOCAL_DISK_SIZE: '900.0' });
  expect(main.resources.requests['ephemeral-storage']).toBe('1000Gi');
});

describe('KServe translation', () => {
  const SAMPLES = path.join(__dirname, '..', 'imports', 'reference', 'kserve', 'samples');
  const sample = (f: string) => YAML.parseAllDocuments(fs.readFileSync(path.join(SAMPLES, f), 'utf8')).map((d) => d.toJS()).find((d) => d?.kind === 'LLMInferenceService');
  const render = (resource: any) => {
    const chart = new Chart(Testing.app(), 'kserve', { namespace: 'llm' });
    new LlmInferenceService(chart, 'svc', { resource });
    return Testing.synth(chart);
  };

  test('spec.kvCacheOffloading (the sample, moved out of spec.workload where the CRD prunes it) renders as the controller does', () => {
    const resource = sample('kv-cache-offloading__llm-inference-service-kv-cache-offloading.yaml');
    const { workload, ...spec } = resource.spec;
    const objs = render({
      ...resource,
      spec: {
        ...spec,
        kvCacheOffloading: {
          ...workload.kvCacheOffloading,
          secondary: [
            ...workload.kvCacheOffloading.secondary,
            { fileSystem: { pvc: { ref: { name: 'my-shared-kv-cache-pvc', path: 'kv-cache/' } } } },
          ],
        },
      },
    });
    clean(objs);
    const deployment = find(objs, 'Deployment', 'qwen2-7b-kv-cache-offloading-kserve');
    const main = deployment.spec.template.spec.containers.find((c: any) => c.name === 'main');
    // config_merge.go kvTransferConfig: json.Marshal of the map (sorted keys), CPU.Value() bytes, one fs tier per entry
    expect(flag(main.args, '--kv-transfer-config')).toBe('{"kv_connector":"OffloadingConnector","kv_connector_extra_config":{"cpu_bytes_to_use":10737418240,'
      + '"eviction_policy":"lru","secondary_tiers":[{"root_dir":"/mnt/kv-cache-0","type":"fs"},{"root_dir":"/mnt/kv-cache-1","type":"fs"}],'
      + '"spec_name":"TieringOffloadingSpec"},"kv_role":"kv_both"}');
    expect(main.resources.requests['ephemeral-storage']).toBe('100Gi');
    expect(main.resources.requests.memory).toBe('64Gi'); // the controller keeps the template's memory
    expect(main.volumeMounts).toContainEqual({ name: 'kv-cache-secondary-1', mountPath: '/mnt/kv-cache-1', subPath: 'kv-cache/' });
  });

  test('the nemotron P/D sample keeps its MultiConnector, NIXL roles typed and the offloading entry as written', () => {
    const resource = sample('agentic-tool-calling__nemotron-3-ultra-pd.yaml');
    const objs = render(resource);
    clean(objs);
    const args = (name: string) => find(objs, 'Deployment', name).spec.template.spec.containers.find((c: any) => c.name === 'main').args;
    for (const [name, role] of [['nemotron-ultra-pd-kserve', 'kv_consumer'], ['nemotron-ultra-pd-kserve-prefill', 'kv_producer']]) {
      const cfg = JSON.parse(flag(args(name), '--kv-transfer-config'));
      expect(cfg.kv_connector).toBe('MultiConnector');
      expect(cfg.kv_load_failure_policy).toBe('fail');
      expect(cfg.kv_connector_extra_config.connectors).toEqual([
        { kv_connector: 'NixlConnector', kv_role: role, kv_connector_extra_config: { bidirectional_kv_xfer: true } },
        { kv_connector: 'OffloadingConnector', kv_role: 'kv_both', kv_connector_extra_config: { cpu_bytes_to_use: 214748364800, lazy_offload: true } },
      ]);
    }
  });

  test('bad kvCacheOffloading input', () => {
    const base = { apiVersion: 'serving.kserve.io/v1alpha2', kind: 'LLMInferenceService', metadata: { name: 'x' }, spec: { model: { uri: 'hf://Qwen/Qwen3-0.6B', name: 'q' } } };
    const withOffload = (o: any) => ({ ...base, spec: { ...base.spec, kvCacheOffloading: o } });
    expectConfigError(() => render(withOffload({ cpu: '10Gi', evictionPolicy: 'fifo' })), { path: 'kserve/svc', field: 'spec.kvCacheOffloading.evictionPolicy', value: 'fifo' });
    expectConfigError(() => render(withOffload({ cpu: 'lots' })), { path: 'kserve/svc', field: 'spec.kvCacheOffloading.cpu', value: 'lots' });
    expectConfigError(() => render(withOffload({ cpu: '1Gi', secondary: [{ fileSystem: {} }] })), { path: 'kserve/svc', field: 'spec.kvCacheOffloading.secondary[0].fileSystem', value: '{}' });
    const both = withOffload({ cpu: '1Gi' });
    (both.spec as any).template = { containers: [{ name: 'main', args: ['--kv-transfer-config', '{"kv_connector":"OffloadingConnector","kv_role":"kv_both"}'] }] };
    expectConfigError(() => render(both), { path: 'kserve/svc', field: 'spec.kvCacheOffloading', value: '1Gi', mentions: '--kv-transfer-config' });
  });
});

describe('bad KvCache input', () => {
  const at = 'test/qwen';
  test.each([
    ['a CPU tier of zero bytes', KvCache.offload({ cpu: Size.gibibytes(0) }), 'kvCache.cpu', '0Gi'],
    ['a claim path that leaves the claim', KvCache.offload({ cpu: Size.gibibytes(1), secondary: [KvCacheTier.claim('kv', { path: '../etc' })] }), 'kvCache.secondary[0].path', '../etc'],
    ['a claim name that is not a DNS subdomain', KvCache.offload({ cpu: Size.gibibytes(1), secondary: [KvCacheTier.claim('KV_Cache')] }), 'kvCache.secondary[0].claimName', 'KV_Cache'],
    ['an access mode Kubernetes does not have', KvCache.offload({ cpu: Size.gibibytes(1), secondary: [KvCacheTier.ephemeralVolume({ size: Size.gibibytes(1), accessModes: ['RWO'] })] }),
      'kvCache.secondary[0].accessModes[0]', 'RWO'],
    ['an LMCache disk without the size it may fill', KvCache.lmcache({ cpu: Size.gibibytes(1), disk: KvCacheTier.emptyDir(Size.gibibytes(10)) }), 'kvCache.disk', '(unset)'],
  ])('%s', (_n, kvCache, field, value) => {
    expectConfigError(() => synth((() => {
      const chart = testChart();
      new LlmService(chart, 'qwen', { model: MODEL, kvCache });
      return chart;
    })()), { path: at, field, value });
  });

  test('an eviction policy vLLM does not have (JS callers) is refused by the factory', () => {
    expectConfigError(() => KvCache.offload({ cpu: Size.gibibytes(1), evictionPolicy: 'fifo' as any }), { path: 'KvCache.offload', field: 'options.evictionPolicy', value: 'fifo' });
  });

  test('the simulator keeps no KV cache', () => {
    const chart = testChart();
    expectConfigError(() => new LlmService(chart, 'qwen', { model: MODEL, engine: Engine.simulator(), kvCache: KvCache.offload({ cpu: Size.gibibytes(1) }) }),
      { path: at, field: 'kvCache', value: 'KvCache', mentions: 'simulator' });
  });

  test('a plain object instead of a KvCache (JS callers)', () => {
    const chart = testChart();
    expectConfigError(() => new LlmService(chart, 'qwen', { model: MODEL, kvCache: { cpu: '1Gi' } as any }), { path: at, field: 'kvCache', value: 'cpu' });
  });

  test('--kv-transfer-config in extraArgs names both owning props', () => {
    const chart = testChart();
    expectConfigError(() => new LlmService(chart, 'qwen', { model: MODEL, engine: Engine.vllm({ extraArgs: ['--kv-transfer-config', '{}'] }) }),
      { path: at, field: 'engine.extraArgs[0]', value: '--kv-transfer-config', mentions: 'kvCache' });
  });
});
