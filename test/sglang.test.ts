/** Engine.sglang(): SGLang's server flags, GPU counts, probes, metrics label and the refusals of unsupported paths. */
import { Chart, Size, Testing } from 'cdk8s';
import { Accelerator, Autoscaling, Engine, KvCache, KvEvents, KvTransfer, LlmInferenceService, LlmService, MetricNames, ModelSource, Monitoring, LaunchStrategy, MultiNodeGroup, PrefillDecodePair, ScalingMetric, SchedulerConfig, Versions } from '../src';
import { checkWiring } from './harness/wiring-checker';
import { expectConfigError } from './util/expect-error';
import { find, mainContainer, synth, testChart } from './util/synth';
import { SGLANG_SERVER_FLAGS } from '../src/imports/sglang-server-flags';

const MODEL = ModelSource.huggingFace('Qwen/Qwen3-8B');

function build(props: Partial<ConstructorParameters<typeof LlmService>[2]> = {}) {
  const chart = testChart();
  new LlmService(chart, 'qwen', { model: MODEL, engine: Engine.sglang(), ...props });
  const objs = synth(chart);
  return { objs, main: mainContainer(find(objs, 'Deployment', 'qwen-kserve')), pod: find(objs, 'Deployment', 'qwen-kserve').spec.template };
}

describe('the pinned flag table', () => {
  test('describes SGLang v0.5.10.post1 with its aliases, choices and deprecations', () => {
    const by = new Map(SGLANG_SERVER_FLAGS.map((f) => [f.flag, f]));
    expect(by.get('--tensor-parallel-size')?.aliases).toContain('--tp-size');
    expect(by.get('--disaggregation-mode')?.choices).toEqual(['decode', 'null', 'prefill']);
    expect(by.get('--disaggregation-transfer-backend')?.choices).toContain('nixl');
    expect(by.get('--enable-metrics')?.kind).toBe('switch');
    expect(by.get('--hybrid-kvcache-ratio')?.deprecated).toMatch(/deprecated/);
    expect(SGLANG_SERVER_FLAGS.length).toBeGreaterThan(300);
  });
});

describe('single-node LlmService', () => {
  test('runs sglang.launch_server with the model path, served name, host, port and metrics', () => {
    const { main } = build();
    expect(main.image).toBe(Versions.SGLANG_IMAGE);
    expect(main.command).toEqual(['python3', '-m', 'sglang.launch_server']);
    expect(main.args).toEqual(['--model-path', '/mnt/models', '--served-model-name', 'qwen', '--host', '0.0.0.0', '--port', '8000', '--enable-metrics']);
    expect(main.env.map((e: any) => e.name)).not.toContain('VLLM_LOGGING_LEVEL');
  });

  test('labels the pods llm-d.ai/engine-type: sglang (the EPP reads SGLang metric names by it), not the selector', () => {
    const chart = testChart();
    new LlmService(chart, 'qwen', { model: MODEL, engine: Engine.sglang() });
    const dep = find(synth(chart), 'Deployment', 'qwen-kserve');
    expect(dep.spec.template.metadata.labels['llm-d.ai/engine-type']).toBe('sglang');
    expect(dep.spec.selector.matchLabels['llm-d.ai/engine-type']).toBeUndefined();
  });

  test('probes /health on the serving port; metrics on the serving port', () => {
    const { main } = build();
    for (const p of [main.startupProbe, main.livenessProbe, main.readinessProbe]) expect(p.httpGet).toMatchObject({ path: '/health', port: 8000 });
    expect(main.ports).toEqual([{ name: 'http', containerPort: 8000, protocol: 'TCP' }]);
  });

  test('TP, PP and DP become SGLang flags and the GPU count is their product', () => {
    const { main } = build({ accelerator: Accelerator.nvidia({ count: 8 }), parallelism: { tensor: 2, pipeline: 2, data: 2 } });
    expect(main.args).toEqual(expect.arrayContaining(['--tensor-parallel-size', '2', '--pipeline-parallel-size', '2', '--data-parallel-size', '2']));
    expect(main.resources.limits['nvidia.com/gpu']).toBe('8');
  });

  test('expert parallelism within one TP group: --expert-parallel-size = tensor', () => {
    const { main } = build({ accelerator: Accelerator.nvidia({ count: 4 }), parallelism: { tensor: 4, expert: true } });
    expect(main.args).toEqual(expect.arrayContaining(['--tensor-parallel-size', '4', '--expert-parallel-size', '4']));
  });

  test('typed options become their flags', () => {
    const { main } = build({ engine: Engine.sglang({ contextLength: 8192, memFractionStatic: 0.8, chunkedPrefillSize: 4096, dtype: 'bfloat16', quantization: 'fp8', pageSize: 16 }) });
    expect(main.args.slice(9)).toEqual(['--context-length', '8192', '--mem-fraction-static', '0.8', '--chunked-prefill-size', '4096',
      '--dtype', 'bfloat16', '--quantization', 'fp8', '--page-size', '16']);
  });

  test('extraArgs pass through after the table check; aliases resolve', () => {
    const { main } = build({ engine: Engine.sglang({ extraArgs: ['--trust-remote-code', '--attention-backend', 'fa3'] }) });
    expect(main.args.slice(-3)).toEqual(['--trust-remote-code', '--attention-backend', 'fa3']);
  });
});

describe('flag checks', () => {
  const bad = (extraArgs: string[], value: string, mentions: string): void => {
    expectConfigError(() => build({ engine: Engine.sglang({ extraArgs }) }), { path: 'test/qwen', field: 'engine.extraArgs[0]', value, mentions });
  };

  test('unknown flag, with a did-you-mean', () => bad(['--mem-fraction-statik', '0.8'], '--mem-fraction-statik', 'did you mean'));
  test('deprecated flag', () => bad(['--hybrid-kvcache-ratio'], '--hybrid-kvcache-ratio', 'deprecated'));
  test('bad choice', () => bad(['--attention-backend', 'nope'], 'nope', 'one of'));
  test('bad type', () => bad(['--max-running-requests', 'many'], 'many', 'an integer'));
  test('owned flag (alias of a parallelism flag)', () => bad(['--tp-size', '2'], '--tp-size', 'parallelism.tensor'));
  test('owned flag (port)', () => bad(['--port', '30000'], '--port', 'Ports.SERVING'));
  test('duplicate', () => void expectConfigError(() => build({ engine: Engine.sglang({ extraArgs: ['--trust-remote-code', '--trust-remote-code'] }) }),
    { path: 'test/qwen', field: 'engine.extraArgs[1]', value: '--trust-remote-code', mentions: 'repeats' }));
  test('allowUnknownFlags accepts flags of newer builds but not owned ones', () => {
    const { main } = build({ engine: Engine.sglang({ allowUnknownFlags: true, extraArgs: ['--some-new-flag', 'x'] }) });
    expect(main.args.slice(-2)).toEqual(['--some-new-flag', 'x']);
    expectConfigError(() => build({ engine: Engine.sglang({ allowUnknownFlags: true, extraArgs: ['--host', '::'] }) }),
      { path: 'test/qwen', field: 'engine.extraArgs[0]', value: '--host' });
  });
  test('dtype choice', () => void expectConfigError(() => build({ engine: Engine.sglang({ dtype: 'fp64' }) }),
    { path: 'test/qwen', field: 'engine.dtype', value: 'fp64', mentions: 'SGLang v0.5.10.post1' }));
  test('memFractionStatic range', () => void expectConfigError(() => build({ engine: Engine.sglang({ memFractionStatic: 1 }) }),
    { path: 'test/qwen', field: 'engine.memFractionStatic', value: '1' }));
  test('no pinned image for other accelerators', () => void expectConfigError(() => build({ accelerator: Accelerator.amd({ count: 1 }) }),
    { path: 'test/qwen', field: 'engine.image', value: '(unset)', mentions: 'no SGLang image is pinned' }));
});

describe('refused combinations', () => {
  test('expert parallelism across DP ranks (wide EP) is not supported by llm-d with SGLang', () => {
    expectConfigError(() => build({ accelerator: Accelerator.nvidia({ count: 8 }), parallelism: { tensor: 4, data: 2, expert: true } }),
      { path: 'test/qwen', field: 'parallelism.expert', value: 'true', mentions: 'wide-EP' });
  });
  test('runtime LoRA updates are vLLM-only', () => {
    expectConfigError(() => build({ lora: { runtimeUpdates: true } }), { path: 'test/qwen', field: 'lora.runtimeUpdates', value: 'true', mentions: 'SGLang' });
  });
});

describe('precise prefix-cache routing (the pinned EPP decodes SGLang KV events with kvEventsConfig.engineType: sglang)', () => {
  test('SGLang publishes KV events over ZMQ, its page size follows the scheduler, the EPP decodes sglang events', () => {
    const chart = testChart();
    new LlmService(chart, 'qwen', {
      model: MODEL,
      servedModelName: 'Qwen/Qwen3-8B',
      engine: Engine.sglang(),
      scheduler: SchedulerConfig.precisePrefixCache({ modelName: 'Qwen/Qwen3-8B', blockSize: 64, kvEvents: KvEvents.podDiscovery() }),
    });
    const objs = synth(chart);
    const main = mainContainer(find(objs, 'Deployment', 'qwen-kserve'));
    const at = main.args.indexOf('--kv-events-config');
    expect(JSON.parse(main.args[at + 1])).toEqual({ publisher: 'zmq', endpoint: 'tcp://*:5556', topic: 'kv@$(POD_IP):8000@Qwen/Qwen3-8B' });
    expect(main.args).toEqual(expect.arrayContaining(['--page-size', '64']));
    expect(main.ports).toContainEqual({ name: 'kv-events', containerPort: 5556, protocol: 'TCP' });
    const config = JSON.stringify(objs.filter((o) => o.kind === 'ConfigMap').map((o) => o.data));
    expect(config).toContain('engineType: sglang');
    expect(checkWiring(objs)).toEqual([]);
  });

  test('with data-parallel replicas in one pod it is refused (each replica would bind the publisher)', () => {
    const chart = testChart();
    expectConfigError(() => new LlmService(chart, 'qwen', {
      model: MODEL,
      engine: Engine.sglang(),
      accelerator: Accelerator.nvidia({ count: 2 }),
      parallelism: { data: 2 },
      scheduler: SchedulerConfig.precisePrefixCache({ modelName: 'qwen', kvEvents: KvEvents.podDiscovery() }),
    }), { path: 'test/qwen', field: 'parallelism.data', value: '2', mentions: 'KV-events' });
  });
});

describe('P/D (PrefillDecodePair)', () => {
  const pair = (props: Partial<ConstructorParameters<typeof PrefillDecodePair>[2]> = {}) => {
    const chart = testChart();
    new PrefillDecodePair(chart, 'pd', {
      model: MODEL,
      engine: Engine.sglang(),
      prefill: { parallelism: { tensor: 1 } },
      decode: { parallelism: { tensor: 2 } },
      ...props,
    });
    return synth(chart);
  };

  test('prefill: disaggregation-mode prefill, nixl, bootstrap port declared; decode: decode mode behind the sglang sidecar connector', () => {
    const objs = pair();
    const prefill = mainContainer(find(objs, 'Deployment', 'pd-kserve-prefill'));
    expect(prefill.args).toEqual(expect.arrayContaining(['--disaggregation-mode', 'prefill', '--disaggregation-transfer-backend', 'nixl', '--disaggregation-bootstrap-port', '8998']));
    expect(prefill.ports).toContainEqual({ name: 'bootstrap', containerPort: 8998, protocol: 'TCP' });
    const decodeDep = find(objs, 'Deployment', 'pd-kserve');
    const decode = mainContainer(decodeDep);
    expect(decode.args).toEqual(expect.arrayContaining(['--disaggregation-mode', 'decode', '--disaggregation-transfer-backend', 'nixl', '--port', '8001']));
    expect(decode.args).not.toContain('--disaggregation-bootstrap-port');
    const sidecar = decodeDep.spec.template.spec.initContainers.find((c: any) => c.args?.includes('--kv-connector=sglang'));
    expect(sidecar).toBeDefined();
    expect(JSON.stringify(objs)).not.toContain('VLLM_NIXL_SIDE_CHANNEL');
    expect(JSON.stringify(objs)).not.toContain('kv-transfer-config');
    expect(checkWiring(objs)).toEqual([]);
  });

  test('mooncake backend and RDMA device', () => {
    const objs = pair({ kvTransfer: KvTransfer.sglang({ backend: 'mooncake', ibDevice: 'mlx5_0' }) });
    const prefill = mainContainer(find(objs, 'Deployment', 'pd-kserve-prefill'));
    expect(prefill.args).toEqual(expect.arrayContaining(['--disaggregation-transfer-backend', 'mooncake', '--disaggregation-ib-device', 'mlx5_0']));
  });

  test('a vLLM connector with SGLang roles, and SGLang transfer with vLLM roles, are refused', () => {
    expectConfigError(() => pair({ kvTransfer: KvTransfer.nixl() }), { path: 'test/pd', field: 'kvTransfer', value: 'NixlConnector', mentions: 'KvTransfer.sglang()' });
    expectConfigError(() => pair({ engine: Engine.vllm(), kvTransfer: KvTransfer.sglang() }), { path: 'test/pd', field: 'kvTransfer', value: 'KvTransfer.sglang()', mentions: 'VLLM' });
  });

  test('an unknown transfer backend is refused with the pinned choices', () => {
    expectConfigError(() => KvTransfer.sglang({ backend: 'rdma' }), { path: 'KvTransfer.sglang', field: 'backend', value: 'rdma', mentions: 'nixl' });
  });

  test('wide EP on the decode role is refused: llm-d does not support it with SGLang', () => {
    expectConfigError(() => pair({ decode: { parallelism: { tensor: 1, data: 2, expert: true } } }),
      { path: 'test/pd', field: 'decode.parallelism.expert', value: 'true', mentions: 'wide-EP' });
  });

  test('a multi-node SGLang role of a pair is refused with the reason', () => {
    expect(() => pair({ decode: { parallelism: { tensor: 8 }, leaderWorkerSet: true } })).toThrow(/SGLang runs one engine over a group with --nnodes/);
  });

  test('KV-cache offloading tiers are vLLM connectors and are refused', () => {
    const chart = testChart();
    expect(() => new LlmService(chart, 'qwen', { model: MODEL, engine: Engine.sglang(), kvCache: KvCache.offload({ cpu: Size.gibibytes(8) }) }))
      .toThrow(/SGLang tiers its cache with HiCache/);
  });
});

describe('MultiNodeGroup: SGLang\'s own multi-node launch over a LeaderWorkerSet', () => {
  const group = (props: Partial<ConstructorParameters<typeof MultiNodeGroup>[2]> = {}) => {
    const chart = testChart();
    new MultiNodeGroup(chart, 'big', { model: MODEL, engine: Engine.sglang(), accelerator: Accelerator.nvidia({ count: 8 }), parallelism: { tensor: 16 }, ...props });
    return synth(chart);
  };

  test('every pod runs the engine with --nnodes, --node-rank and --dist-init-addr from LWS env; the leader serves', () => {
    const objs = group();
    const lws = find(objs, 'LeaderWorkerSet', 'big-kserve-mn');
    expect(lws.spec.leaderWorkerTemplate.size).toBe(2);
    const leader = lws.spec.leaderWorkerTemplate.leaderTemplate.spec.containers[0];
    const worker = lws.spec.leaderWorkerTemplate.workerTemplate.spec.containers[0];
    for (const c of [leader, worker]) {
      expect(c.command).toEqual(['python3', '-m', 'sglang.launch_server']);
      expect(c.args).toEqual(expect.arrayContaining(['--tensor-parallel-size', '16', '--nnodes', '2', '--node-rank', '$(LWS_WORKER_INDEX)',
        '--dist-init-addr', '$(LWS_LEADER_ADDRESS):20000']));
      expect(c.resources.limits['nvidia.com/gpu']).toBe('8');
    }
    expect(leader.ports).toEqual([{ name: 'http', containerPort: 8000, protocol: 'TCP' }, { name: 'dist-init', containerPort: 20000, protocol: 'TCP' }]);
    expect(leader.readinessProbe.httpGet.path).toBe('/health');
    expect(worker.readinessProbe).toBeUndefined();
    expect(lws.spec.leaderWorkerTemplate.leaderTemplate.metadata.labels['llm-d.ai/engine-type']).toBe('sglang');
    expect(checkWiring(objs)).toEqual([]);
  });

  test('expert parallelism stays in the TP group across nodes', () => {
    const lws = find(group({ parallelism: { tensor: 16, expert: true } }), 'LeaderWorkerSet', 'big-kserve-mn');
    expect(lws.spec.leaderWorkerTemplate.leaderTemplate.spec.containers[0].args).toEqual(expect.arrayContaining(['--expert-parallel-size', '16']));
  });

  test('data parallelism across nodes (wide EP) is refused: llm-d does not support it with SGLang', () => {
    expectConfigError(() => group({ parallelism: { tensor: 8, data: 2, dataLocal: 1, expert: true } }),
      { path: 'test/big', field: 'parallelism.dataLocal', value: '1', mentions: 'wide-EP' });
  });

  test('a vLLM launch strategy is refused', () => {
    expectConfigError(() => group({ launch: LaunchStrategy.ray() }), { path: 'test/big', field: 'launch', value: 'ray', mentions: '--nnodes' });
  });
});

describe('KServe: LLMInferenceService has no SGLang runtime in the pinned KServe, so SGLang templates are refused', () => {
  const resource = (main: Record<string, any>) => ({
    apiVersion: 'serving.kserve.io/v1alpha2',
    kind: 'LLMInferenceService',
    metadata: { name: 'qwen' },
    spec: {
      model: { uri: 'hf://Qwen/Qwen3-8B', name: 'Qwen/Qwen3-8B' },
      router: { scheduler: {}, route: {} },
      template: { containers: [{ name: 'main', resources: { limits: { 'nvidia.com/gpu': '1' } }, ...main }] },
    },
  });
  const buildKServe = (main: Record<string, any>) => {
    const chart = new Chart(Testing.app(), 'kserve', { namespace: 'llm' });
    new LlmInferenceService(chart, 'svc', { resource: resource(main) });
    Testing.synth(chart);
  };

  test('an SGLang image', () => void expectConfigError(() => buildKServe({ image: Versions.SGLANG_IMAGE }),
    { path: 'kserve/svc', field: 'spec.template.containers[main]', value: 'lmsysorg/sglang', mentions: 'no SGLang runtime' }));
  test('an SGLang command', () => void expectConfigError(() => buildKServe({ command: ['python3', '-m', 'sglang.launch_server'] }),
    { path: 'kserve/svc', field: 'spec.template.containers[main]', value: 'sglang.launch_server', mentions: 'Engine.sglang()' }));
});

describe('metrics of SGLang pods (MetricNames.SGLANG_*, the EPP\'s SGLang mapping)', () => {
  test('an HPA scales SGLang pods on sglang:num_queue_reqs', () => {
    const chart = testChart();
    new LlmService(chart, 'qwen', { model: MODEL, engine: Engine.sglang(), autoscaling: Autoscaling.hpa({ maxReplicas: 4, metrics: [ScalingMetric.sglangWaitingRequests(5)] }) });
    const hpa = find(synth(chart), 'HorizontalPodAutoscaler');
    expect(JSON.stringify(hpa.spec.metrics)).toContain(MetricNames.SGLANG_QUEUE_REQUESTS);
  });

  test('a vLLM metric on SGLang pods (and the reverse) is refused', () => {
    expectConfigError(() => new LlmService(testChart(), 'qwen', {
      model: MODEL, engine: Engine.sglang(), autoscaling: Autoscaling.hpa({ maxReplicas: 4, metrics: [ScalingMetric.vllmWaitingRequests(5)] }),
    }), { path: 'test/qwen', field: 'autoscaling.metrics[0]', value: 'vllmWaitingRequests', mentions: 'sglangWaitingRequests' });
    expectConfigError(() => new LlmService(testChart(), 'qwen', {
      model: MODEL, engine: Engine.vllm(), autoscaling: Autoscaling.hpa({ maxReplicas: 4, metrics: [ScalingMetric.sglangTokenUsage(0.8)] }),
    }), { path: 'test/qwen', field: 'autoscaling.metrics[0]', value: 'sglangTokenUsage', mentions: 'vllmWaitingRequests' });
  });
});

test('the Grafana dashboard of an SGLang service charts SGLang metric names', () => {
  const chart = testChart();
  new LlmService(chart, 'qwen', { model: MODEL, engine: Engine.sglang(), monitoring: Monitoring.prometheusOperator({ dashboards: true }) });
  const dashboards = JSON.stringify(synth(chart).filter((o) => o.kind === 'ConfigMap').map((o) => o.data));
  expect(dashboards).toContain(MetricNames.SGLANG_QUEUE_REQUESTS);
  expect(dashboards).toContain(MetricNames.SGLANG_TIME_TO_FIRST_TOKEN);
  expect(dashboards).not.toContain('vllm:');
});

describe('LoRA with SGLang', () => {
  test('static adapters become --enable-lora --lora-paths name=path', () => {
    const { main } = build({ loraAdapters: [{ name: 'sql', source: ModelSource.huggingFace('org/sql-lora') }] });
    expect(main.args).toEqual(expect.arrayContaining(['--enable-lora', '--max-loras-per-batch', '1', '--lora-paths']));
    expect(main.args.find((a: string) => a.startsWith('sql='))).toBeDefined();
  });

  test('a LoRA-aware scheduler is refused: the pinned EPP reads no LoRA metric from SGLang pods', () => {
    expectConfigError(() => new LlmService(testChart(), 'qwen', {
      model: MODEL, engine: Engine.sglang(), loraAdapters: [{ name: 'sql', source: ModelSource.huggingFace('org/sql-lora') }], scheduler: SchedulerConfig.default({ lora: true }),
    }), { path: 'test/qwen', field: 'scheduler', value: 'lora-affinity-scorer', mentions: 'SGLang' });
  });
});
