/**
 * Accelerators claimed through Dynamic Resource Allocation (`Accelerator.*({ dra })`): one ResourceClaimTemplate
 * `N-managed-dra` (resource.k8s.io/v1, KServe's managed-DRA name and shape), pod `resourceClaims` and the claim on
 * the model-server container, no device-plugin resource; validated against the Kubernetes 1.35 schema (the shipped
 * one included) and the wiring checker (invariants 33 and 120).
 */
import { Accelerator, DeviceClaimOptions, Engine, KvTransfer, LaunchStrategy, LlmService, ModelSource, MultiNodeGroup, PrefillDecodePair, SchedulerConfig } from '../src';
import { SchemaValidator } from './harness/schema-validator';
import { checkWiring, formatViolations } from './harness/wiring-checker';
import { expectConfigError } from './util/expect-error';
import { find, mainContainer, synth, testChart } from './util/synth';
import { bundledValidator } from '../src/validation/bundled';

const H100 = "device.attributes['gpu.nvidia.com'].productName == 'NVIDIA H100 80GB HBM3'";
const clean = (objs: any[]) => {
  expect(formatViolations(checkWiring(objs, { namespace: 'llm' }))).toBe('no wiring violations');
  expect(SchemaValidator.get().validateAll(objs)).toEqual([]);
  expect(objs.flatMap((o) => bundledValidator().validate(o))).toEqual([]);
};

function single(accelerator: Accelerator, tensor = 2): any[] {
  const chart = testChart();
  new LlmService(chart, 'qwen', {
    model: ModelSource.huggingFace('Qwen/Qwen3-8B'),
    engine: Engine.vllm(),
    accelerator,
    parallelism: { tensor },
    scheduler: SchedulerConfig.default(),
  });
  return synth(chart);
}

describe('LlmService with Accelerator.nvidia({ dra })', () => {
  const objs = single(Accelerator.nvidia({ dra: { deviceClassName: 'gpu.nvidia.com', selectors: [H100] } }));

  test('valid (test and shipped schemas) and wired', () => clean(objs));

  test('one ResourceClaimTemplate N-managed-dra with the parallelism\'s device count and the selectors', () => {
    const rct = find(objs, 'ResourceClaimTemplate', 'qwen-managed-dra');
    expect(rct.apiVersion).toBe('resource.k8s.io/v1');
    expect(rct.spec.spec.devices.requests).toEqual([
      { name: 'device', exactly: { deviceClassName: 'gpu.nvidia.com', count: 2, selectors: [{ cel: { expression: H100 } }] } },
    ]);
    expect(objs.filter((o) => o.kind === 'ResourceClaimTemplate')).toHaveLength(1);
  });

  test('the pod claims it and main holds the claim instead of nvidia.com/gpu', () => {
    const d = find(objs, 'Deployment', 'qwen-kserve');
    expect(d.spec.template.spec.resourceClaims).toEqual([{ name: 'managed-device', resourceClaimTemplateName: 'qwen-managed-dra' }]);
    const main = mainContainer(d);
    expect(main.resources.claims).toEqual([{ name: 'managed-device' }]);
    expect(JSON.stringify(main.resources)).not.toContain('nvidia.com/gpu');
    expect(main.image).toMatch(/vllm/);
  });

  test('the shipped validator rejects a malformed ResourceClaimTemplate (the kind is really checked)', () => {
    const bad = JSON.parse(JSON.stringify(find(objs, 'ResourceClaimTemplate')));
    bad.spec.spec.devices.requests[0].exactly.deviceClass = 'x';
    expect(bundledValidator().validate(bad).map((i) => i.message).join()).toMatch(/additional properties \(deviceClass\)/);
  });
});

test('without dra nothing changes: the device-plugin resource, no claims', () => {
  const objs = single(Accelerator.nvidia());
  expect(objs.some((o) => o.kind === 'ResourceClaimTemplate')).toBe(false);
  const d = find(objs, 'Deployment', 'qwen-kserve');
  expect(d.spec.template.spec.resourceClaims).toBeUndefined();
  expect(mainContainer(d).resources.limits['nvidia.com/gpu']).toBe('2');
});

test('P/D with different prefill and decode parallelism: two templates, prefill gets N-prefill-managed-dra', () => {
  const chart = testChart();
  const dra = Accelerator.amd({ dra: { deviceClassName: 'gpu.amd.com' } });
  new PrefillDecodePair(chart, 'qwen', {
    model: ModelSource.huggingFace('Qwen/Qwen3-8B'),
    engine: Engine.vllm(),
    accelerator: dra,
    kvTransfer: KvTransfer.nixl(),
    prefill: { replicas: 2 },
    decode: { replicas: 1, parallelism: { tensor: 2 } },
    scheduler: SchedulerConfig.prefillDecode(),
  });
  const objs = synth(chart);
  clean(objs);
  expect(find(objs, 'ResourceClaimTemplate', 'qwen-managed-dra').spec.spec.devices.requests[0].exactly).toEqual({ deviceClassName: 'gpu.amd.com', count: 2 });
  expect(find(objs, 'ResourceClaimTemplate', 'qwen-prefill-managed-dra').spec.spec.devices.requests[0].exactly).toEqual({ deviceClassName: 'gpu.amd.com' });
  expect(find(objs, 'Deployment', 'qwen-kserve-prefill').spec.template.spec.resourceClaims[0].resourceClaimTemplateName).toBe('qwen-prefill-managed-dra');
  expect(find(objs, 'Deployment', 'qwen-kserve').spec.template.spec.resourceClaims[0].resourceClaimTemplateName).toBe('qwen-managed-dra');
});

test('multi-node: leader and worker pods each claim from the one template', () => {
  const chart = testChart();
  new MultiNodeGroup(chart, 'big', {
    model: ModelSource.huggingFace('deepseek-ai/DeepSeek-R1'),
    engine: Engine.vllm(),
    accelerator: Accelerator.nvidia({ dra: { deviceClassName: 'gpu.nvidia.com' } }),
    parallelism: { tensor: 8, pipeline: 2 },
    launch: LaunchStrategy.ray(),
  });
  const objs = synth(chart);
  clean(objs);
  const lws = find(objs, 'LeaderWorkerSet');
  for (const t of [lws.spec.leaderWorkerTemplate.leaderTemplate, lws.spec.leaderWorkerTemplate.workerTemplate]) {
    expect(t.spec.resourceClaims).toEqual([{ name: 'managed-device', resourceClaimTemplateName: 'big-managed-dra' }]);
  }
  expect(find(objs, 'ResourceClaimTemplate', 'big-managed-dra').spec.spec.devices.requests[0].exactly.count).toBe(8);
});

describe('bad DRA input', () => {
  test.each<[DeviceClaimOptions, string, string, string]>([
    [{ deviceClassName: '' }, 'accelerator.dra.deviceClassName', '""', 'is required'],
    [{ deviceClassName: 'GPU_NVIDIA' }, 'accelerator.dra.deviceClassName', 'GPU_NVIDIA', 'DNS-1123 subdomain'],
    [{ deviceClassName: 'gpu.nvidia.com', selectors: [' '] }, 'accelerator.dra.selectors[0]', '" "', 'non-empty CEL'],
  ])('%j', (dra, field, value, mentions) => {
    expectConfigError(() => single(Accelerator.nvidia({ dra })), { path: 'test/qwen', field, value, mentions });
  });

  test('a CPU accelerator claims no devices', () => {
    expectConfigError(() => single(Accelerator.cpu({ dra: { deviceClassName: 'gpu.nvidia.com' } }), 1),
      { path: 'test/qwen', field: 'accelerator.dra', value: 'gpu.nvidia.com', mentions: 'CPU' });
  });

  test('count still cross-checks the parallelism', () => {
    expectConfigError(() => single(Accelerator.nvidia({ count: 4, dra: { deviceClassName: 'gpu.nvidia.com' } })),
      { path: 'test/qwen', field: 'accelerator.count', value: '4' });
  });
});
