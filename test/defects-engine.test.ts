/**
 * Engine defects of issue 11: runtime LoRA with data parallelism (vLLM v0.23.0 `vllm/entrypoints/cli/serve.py`
 * defaults --api-server-count to the DP size and then refuses VLLM_ALLOW_RUNTIME_LORA_UPDATING with more than one
 * API server).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Accelerator, DataParallelLoadBalancing, Engine, LaunchStrategy, LlmService, ModelSource, MultiNodeGroup, Versions, VllmLogLevel } from '../src';
import { expectConfigError } from './util/expect-error';
import { REFERENCE_DIR } from './util/reference';
import { find, mainContainer, synth, testChart } from './util/synth';
import { expectValid } from './util/validated';
import { VLLM_SERVE_FLAGS } from '../src/imports/vllm-serve-flags';

const MODEL = ModelSource.huggingFace('Qwen/Qwen3-0.6B');
const flagValue = (args: string[], name: string) => {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args[i + 1];
};
const count = (args: string[], name: string) => args.filter((a) => a === name || a.startsWith(`${name}=`)).length;

describe('runtime LoRA updates with data parallelism', () => {
  test('--api-server-count is a flag of the pinned vLLM table', () => {
    expect(VLLM_SERVE_FLAGS.find((f) => f.flag === '--api-server-count')).toMatchObject({ kind: 'value', type: 'int' });
  });

  test('LlmService with data 2 and runtimeUpdates runs one API server', () => {
    const chart = testChart();
    new LlmService(chart, 'qwen', { model: MODEL, parallelism: { data: 2 }, lora: { runtimeUpdates: true } });
    const c = mainContainer(find(expectValid(synth(chart)), 'Deployment', 'qwen-kserve'));
    expect(c.env).toContainEqual({ name: 'VLLM_ALLOW_RUNTIME_LORA_UPDATING', value: 'true' });
    expect(flagValue(c.args, '--data-parallel-size')).toBe('2');
    expect(flagValue(c.args, '--api-server-count')).toBe('1');
    expect(count(c.args, '--api-server-count')).toBe(1);
  });

  test('no --api-server-count without data parallelism or without runtime updates', () => {
    const chart = testChart();
    new LlmService(chart, 'a', { model: MODEL, lora: { runtimeUpdates: true } });
    new LlmService(chart, 'b', { model: MODEL, parallelism: { data: 2 } });
    const objs = expectValid(synth(chart));
    for (const n of ['a', 'b']) expect(mainContainer(find(objs, 'Deployment', `${n}-kserve`)).args).not.toContain('--api-server-count');
  });

  test('a user --api-server-count 1 is kept once; more than one is refused', () => {
    const chart = testChart();
    new LlmService(chart, 'one', { model: MODEL, parallelism: { data: 2 }, lora: { runtimeUpdates: true }, engine: Engine.vllm({ extraArgs: ['--api-server-count', '1'] }) });
    const c = mainContainer(find(expectValid(synth(chart)), 'Deployment', 'one-kserve'));
    expect(count(c.args, '--api-server-count')).toBe(1);

    expectConfigError(() => {
      const ch = testChart();
      new LlmService(ch, 'many', { model: MODEL, parallelism: { data: 2 }, lora: { runtimeUpdates: true }, engine: Engine.vllm({ extraArgs: ['--api-server-count=2'] }) });
      synth(ch);
    }, { path: 'test/many', field: 'engine.extraArgs[0]', value: '--api-server-count=2', mentions: 'lora.runtimeUpdates' });
    expectConfigError(() => {
      const ch = testChart();
      new LlmService(ch, 'short', { model: MODEL, lora: { runtimeUpdates: true }, engine: Engine.vllm({ extraArgs: ['-asc', '4'] }) });
      synth(ch);
    }, { path: 'test/short', field: 'engine.extraArgs[0]', value: '-asc 4' });
  });

  test('MultiNodeGroup (internal LB): the leader runs one API server, headless workers get no flag', () => {
    const chart = testChart();
    new MultiNodeGroup(chart, 'mn', {
      model: MODEL,
      parallelism: { data: 4, dataLocal: 2 },
      lora: { runtimeUpdates: true },
      launch: LaunchStrategy.dataParallel(DataParallelLoadBalancing.INTERNAL),
    });
    const lws = find(expectValid(synth(chart)), 'LeaderWorkerSet');
    const leader = lws.spec.leaderWorkerTemplate.leaderTemplate.spec.containers.find((c: any) => c.name === 'main');
    const worker = lws.spec.leaderWorkerTemplate.workerTemplate.spec.containers.find((c: any) => c.name === 'main');
    expect(flagValue(leader.args, '--api-server-count')).toBe('1');
    expect(worker.args).toContain('--headless');
    expect(worker.args).not.toContain('--api-server-count');
  });

  test('MultiNodeGroup (external per-rank LB): one server per rank already, no flag', () => {
    const chart = testChart();
    new MultiNodeGroup(chart, 'mn', {
      model: MODEL,
      parallelism: { data: 4, dataLocal: 2 },
      lora: { runtimeUpdates: true },
      launch: LaunchStrategy.dataParallel(DataParallelLoadBalancing.EXTERNAL_PER_RANK),
    });
    const lws = find(expectValid(synth(chart)), 'LeaderWorkerSet');
    for (const t of [lws.spec.leaderWorkerTemplate.leaderTemplate, lws.spec.leaderWorkerTemplate.workerTemplate].filter(Boolean)) {
      expect(t.spec.containers.find((c: any) => c.name === 'main').args).not.toContain('--api-server-count');
    }
  });
});

describe('engine env order is canonical', () => {
  const envOf = (env: Record<string, string>, engine = Engine.vllm({ env })) => {
    const chart = testChart();
    new LlmService(chart, 'qwen', { model: MODEL, engine });
    return mainContainer(find(expectValid(synth(chart)), 'Deployment', 'qwen-kserve')).env as { name: string; value?: string }[];
  };

  test('the same env written in another key order gives the same container env, sorted by name after the library variables', () => {
    const a = envOf({ ZED: '1', ALPHA: '2', MIDDLE: '3' });
    const b = envOf({ MIDDLE: '3', ALPHA: '2', ZED: '1' });
    expect(a).toEqual(b);
    expect(a.slice(-3).map((e) => e.name)).toEqual(['ALPHA', 'MIDDLE', 'ZED']);
    expect(a.slice(0, 3).map((e) => e.name)).toEqual(['HOME', 'VLLM_LOGGING_LEVEL', 'HF_HUB_CACHE']);
  });

  test('a variable referenced with $(VAR) comes before the one that uses it; $$(VAR) is a literal', () => {
    const env = envOf({ A_URL: 'http://$(Z_HOST):$(M_PORT)/x', M_PORT: '80', Z_HOST: 'h', B_LIT: '$$(A_URL)' });
    const names = env.map((e) => e.name);
    expect(names.slice(-4)).toEqual(['B_LIT', 'M_PORT', 'Z_HOST', 'A_URL']);
    expect(envOf({ M_PORT: '80', A_URL: 'http://$(Z_HOST):$(M_PORT)/x', B_LIT: '$$(A_URL)', Z_HOST: 'h' })).toEqual(env);
  });

  test('simulator env is ordered the same way', () => {
    const sim = (env: Record<string, string>) => envOf(env, Engine.simulator({ env }));
    expect(sim({ B: '$(A)', A: '1', C: '2' })).toEqual([{ name: 'A', value: '1' }, { name: 'B', value: '$(A)' }, { name: 'C', value: '2' }]);
  });

  test('reference cycles and self references are refused', () => {
    expectConfigError(() => envOf({ A: '$(B)', B: '$(C)', C: '$(A)' }), { path: 'test/qwen', field: 'engine.env["A"]', value: '$(B)', mentions: 'A -> B -> C -> A' });
    expectConfigError(() => envOf({ PATH_X: '$(PATH_X):/bin' }), { path: 'test/qwen', field: 'engine.env["PATH_X"]', value: '$(PATH_X):/bin', mentions: 'refers to itself' });
  });
});

describe('vLLM log level', () => {
  test('logLevel sets VLLM_LOGGING_LEVEL (INFO by default)', () => {
    const chart = testChart();
    new LlmService(chart, 'dbg', { model: MODEL, engine: Engine.vllm({ logLevel: VllmLogLevel.DEBUG }) });
    new LlmService(chart, 'def', { model: MODEL });
    const objs = expectValid(synth(chart));
    expect(mainContainer(find(objs, 'Deployment', 'dbg-kserve')).env).toContainEqual({ name: 'VLLM_LOGGING_LEVEL', value: 'DEBUG' });
    expect(mainContainer(find(objs, 'Deployment', 'def-kserve')).env).toContainEqual({ name: 'VLLM_LOGGING_LEVEL', value: 'INFO' });
  });

  test('VLLM_LOGGING_LEVEL in engine env names the logLevel prop; an unknown level is refused', () => {
    const build = (engine: Engine) => {
      const chart = testChart();
      new LlmService(chart, 'qwen', { model: MODEL, engine });
      synth(chart);
    };
    expectConfigError(() => build(Engine.vllm({ env: { VLLM_LOGGING_LEVEL: 'DEBUG' } })),
      { path: 'test/qwen', field: 'engine.env["VLLM_LOGGING_LEVEL"]', value: 'DEBUG', mentions: 'set engine logLevel' });
    expectConfigError(() => build(Engine.vllm({ env: { VLLM_ALLOW_RUNTIME_LORA_UPDATING: 'true' } })),
      { path: 'test/qwen', field: 'engine.env["VLLM_ALLOW_RUNTIME_LORA_UPDATING"]', value: 'true', mentions: 'lora.runtimeUpdates' });
    // refused by the run-time shape check of Engine.vllm, before any construct sees it
    expectConfigError(() => build(Engine.vllm({ logLevel: 'VERBOSE' as VllmLogLevel })),
      { path: 'Engine.vllm', field: 'options.logLevel', value: 'VERBOSE', mentions: 'VllmLogLevel.DEBUG' });
  });
});

describe('default vLLM image per accelerator vendor', () => {
  test.each([
    ['NVIDIA', Accelerator.nvidia(), Versions.VLLM_IMAGE, 'vllm/vllm-openai:v0.23.0'],
    ['AMD', Accelerator.amd(), Versions.VLLM_ROCM_IMAGE, 'ghcr.io/llm-d/llm-d-rocm:v0.9.0'],
    ['Intel Gaudi', Accelerator.intelGaudi(), Versions.VLLM_GAUDI_IMAGE, 'ghcr.io/llm-d/llm-d-hpu:v0.6.0'],
    ['TPU v6e', Accelerator.tpu({ type: 'tpu-v6e-slice', topology: '2x2' }), Versions.VLLM_TPU_IMAGE, 'vllm/vllm-tpu:v0.13.2'],
    ['TPU7x', Accelerator.tpu({ type: 'tpu7x', topology: '2x2x1' }), Versions.VLLM_TPU_IRONWOOD_IMAGE, 'vllm/vllm-tpu:v0.13.2-ironwood'],
    ['CPU', Accelerator.cpu(), Versions.VLLM_CPU_IMAGE, 'vllm/vllm-openai-cpu:v0.23.0'],
  ])('%s without an image uses the pinned build', (_vendor, accelerator, pinned, literal) => {
    expect(pinned).toBe(literal);
    const chart = testChart();
    new LlmService(chart, 'm', { model: MODEL, accelerator });
    expect(mainContainer(find(expectValid(synth(chart)), 'Deployment', 'm-kserve')).image).toBe(pinned);
  });

  test('an explicit image wins; a custom device without an image is refused', () => {
    const chart = testChart();
    new LlmService(chart, 'm', { model: MODEL, accelerator: Accelerator.amd(), engine: Engine.vllm({ image: 'rocm/vllm:custom' }) });
    expect(mainContainer(find(synth(chart), 'Deployment', 'm-kserve')).image).toBe('rocm/vllm:custom');
    expectConfigError(() => {
      const ch = testChart();
      new LlmService(ch, 'x', { model: MODEL, accelerator: Accelerator.custom('gpu.intel.com/xe') });
      synth(ch);
    }, { path: 'test/x', field: 'engine.image', value: '(unset)', mentions: 'no vLLM image is pinned for the custom accelerator' });
  });

  test('each pinned image comes from the vendored reference data (imports/reference)', () => {
    const files: Record<string, string> = {
      [Versions.VLLM_ROCM_IMAGE]: 'kserve/samples/multi-gpu-vendor__llm-inference-service-qwen2-7b-amd-no-scheduler.yaml',
      [Versions.VLLM_TPU_IMAGE]: 'llm-d/helm-era-v0.6.0/values/guides/pd-disaggregation/ms-pd/values_tpu.yaml',
      [Versions.VLLM_TPU_IRONWOOD_IMAGE]: 'llm-d/helm-era-v0.6.0/values/guides/inference-scheduling/ms-inference-scheduling/values_tpu_v7.yaml',
      [Versions.VLLM_GAUDI_IMAGE]: 'llm-d/helm-era-v0.6.0/values/guides/inference-scheduling/ms-inference-scheduling/values-hpu.yaml',
    };
    for (const [image, file] of Object.entries(files)) {
      const p = path.join(REFERENCE_DIR, file);
      expect(fs.readFileSync(p, 'utf8')).toContain(image);
    }
  });
});

describe('TPU chips per node follow the slice topology (GKE machine shapes)', () => {
  test.each([
    ['tpu-v6e-slice', '1x1', 1],
    ['tpu-v6e-slice', '2x2', 4],
    ['tpu-v6e-slice', '2x4', 8],
    ['tpu-v6e-slice', '4x4', 4],
    ['tpu-v5-lite-podslice', '2x4', 8],
    ['tpu-v5-lite-podslice', '8x16', 4],
    ['tpu-v5p-slice', '2x2x1', 4],
    ['tpu-v5p-slice', '2x2x2', 4],
    ['tpu7x', '2x2x1', 4],
  ])('%s %s: %d chips per node', (type, topology, chips) => {
    expect(Accelerator.tpu({ type, topology }).perNode).toBe(chips);
  });

  test('tpu-v6e-slice 2x4 serves TP 8 in one pod (llm-d values_tpu.yaml shape)', () => {
    const chart = testChart();
    new LlmService(chart, 'tpu', { model: MODEL, accelerator: Accelerator.tpu({ type: 'tpu-v6e-slice', topology: '2x4' }), parallelism: { tensor: 8 } });
    const c = mainContainer(find(expectValid(synth(chart)), 'Deployment', 'tpu-kserve'));
    expect(c.resources.limits).toEqual({ 'google.com/tpu': '8' });
    expect(flagValue(c.args, '--tensor-parallel-size')).toBe('8');
  });

  test('TP 8 on a 2x2 host, or on a multi-host 4x4 slice (4 per VM), is refused; an explicit perNode still wins', () => {
    for (const topology of ['2x2', '4x4']) {
      expectConfigError(() => {
        const chart = testChart();
        new LlmService(chart, 'tpu', { model: MODEL, accelerator: Accelerator.tpu({ type: 'tpu-v6e-slice', topology }), parallelism: { tensor: 8 } });
        synth(chart);
      }, { path: 'test/tpu', field: 'parallelism.tensor', value: '8', mentions: 'more than the 4 per node' });
    }
    expect(Accelerator.tpu({ type: 'tpu-v6e-slice', topology: '2x4', perNode: 4 }).perNode).toBe(4);
  });
});
