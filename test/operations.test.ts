/**
 * Autoscaling (HPA, KEDA, WVA) and PodDisruptionBudgets on every pattern: objects as KServe's controller names
 * them (kserve-llmisvc.md §3.9: `N-kserve-hpa`, `N-kserve-keda`, prefill `N-kserve-prefill-*`), the WVA objects
 * of llm-d's Workload Variant Autoscaler v0.5.1 (VariantAutoscaling llmd.ai/v1alpha1), workloads without
 * spec.replicas when autoscaled, everything through the schema + CEL + wiring harness (invariants 103–106).
 */
import { Duration } from 'cdk8s';
import {
  Autoscaling, DisruptionBudget, LlmInferenceService, LlmService, MetricNames, ModelSource, MultiNodeGroup, PrefillDecodePair, ScalingMetric,
  SchedulerConfig, WvaActuator,
} from '../src';
import { checkWiring } from './harness/wiring-checker';
import { expectConfigError } from './util/expect-error';
import { find, synth, testChart } from './util/synth';
import { expectValid } from './util/validated';

const MODEL = ModelSource.huggingFace('Qwen/Qwen3-8B');
const PROM = 'http://prometheus-operated.monitoring.svc:9090';

describe('HPA', () => {
  test('LlmService: HPA on vLLM and EPP signals targets the Deployment, which has no replicas', () => {
    const chart = testChart();
    new LlmService(chart, 'qwen', {
      model: MODEL,
      scheduler: SchedulerConfig.default(),
      autoscaling: Autoscaling.hpa({
        minReplicas: 2,
        maxReplicas: 8,
        metrics: [ScalingMetric.vllmWaitingRequests(5), ScalingMetric.eppQueueSize(2), ScalingMetric.vllmKvCacheUsage(0.8)],
        behavior: { scaleDown: { stabilizationWindow: Duration.minutes(10), podsPerPeriod: 1 } },
      }),
    });
    const objs = expectValid(synth(chart));
    const hpa = find(objs, 'HorizontalPodAutoscaler', 'qwen-kserve-hpa');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'qwen-kserve' });
    expect(hpa.spec.minReplicas).toBe(2);
    expect(hpa.spec.maxReplicas).toBe(8);
    expect(hpa.spec.metrics[0]).toEqual({ type: 'Pods', pods: { metric: { name: MetricNames.VLLM_REQUESTS_WAITING }, target: { type: 'AverageValue', averageValue: '5' } } });
    expect(hpa.spec.metrics[1].external.metric).toEqual({ name: 'llm_d_epp_average_queue_size', selector: { matchLabels: { name: 'qwen-inference-pool' } } });
    expect(hpa.spec.metrics[2].pods.target.averageValue).toBe('800m');
    expect(hpa.spec.behavior.scaleDown).toEqual({ stabilizationWindowSeconds: 600, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] });
    expect(find(objs, 'Deployment', 'qwen-kserve').spec.replicas).toBeUndefined();
  });

  test('MultiNodeGroup: the HPA targets the LeaderWorkerSet', () => {
    const chart = testChart();
    new MultiNodeGroup(chart, 'big', {
      model: MODEL,
      parallelism: { tensor: 8, pipeline: 2 },
      autoscaling: Autoscaling.hpa({ maxReplicas: 3, metrics: [ScalingMetric.vllmRunningRequests(64)] }),
    });
    const objs = expectValid(synth(chart));
    const hpa = find(objs, 'HorizontalPodAutoscaler', 'big-kserve-hpa');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'leaderworkerset.x-k8s.io/v1', kind: 'LeaderWorkerSet', name: 'big-kserve-mn' });
    expect(find(objs, 'LeaderWorkerSet', 'big-kserve-mn').spec.replicas).toBeUndefined();
    const pdb = find(objs, 'PodDisruptionBudget', 'big-kserve-pdb');
    expect(pdb.spec.selector.matchLabels).toEqual({ 'leaderworkerset.sigs.k8s.io/name': 'big-kserve-mn' });
  });

  test('P/D: each role scales on its own signal under its own name', () => {
    const chart = testChart();
    new PrefillDecodePair(chart, 'pd', {
      model: MODEL,
      scheduler: SchedulerConfig.prefillDecode(),
      prefill: { autoscaling: Autoscaling.hpa({ maxReplicas: 4, metrics: [ScalingMetric.vllmWaitingRequests(3)] }) },
      decode: { autoscaling: Autoscaling.keda({ maxReplicas: 6, serverAddress: PROM, metric: ScalingMetric.vllmRunningRequests(48) }) },
    });
    const objs = expectValid(synth(chart));
    expect(find(objs, 'HorizontalPodAutoscaler', 'pd-kserve-prefill-hpa').spec.scaleTargetRef.name).toBe('pd-kserve-prefill');
    const so = find(objs, 'ScaledObject', 'pd-kserve-keda');
    expect(so.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'pd-kserve' });
    expect(so.spec.triggers[0].metadata.query).toBe('sum(vllm:num_requests_running{namespace="llm",pod=~"pd-kserve-[a-z0-9]+-[a-z0-9]+"})');
    // the decode pod pattern must not match prefill pods (pd-kserve-prefill-<hash>-<id>)
    expect(new RegExp(`^${'pd-kserve-[a-z0-9]+-[a-z0-9]+'}$`).test('pd-kserve-prefill-6d9f-abcde')).toBe(false);
    expect(find(objs, 'PodDisruptionBudget', 'pd-kserve-prefill-pdb').spec.selector.matchLabels['app.kubernetes.io/component']).toBe('llminferenceservice-workload-prefill');
    for (const d of objs.filter((o) => o.kind === 'Deployment' && o.metadata.name.startsWith('pd-kserve') && !o.metadata.name.includes('router-scheduler'))) expect(d.spec.replicas).toBeUndefined();
  });
});

describe('KEDA', () => {
  test('scale to zero with a scheduler: idleReplicaCount 0 and an EPP trigger', () => {
    const chart = testChart();
    new LlmService(chart, 'qwen', {
      model: MODEL,
      scheduler: SchedulerConfig.default(),
      autoscaling: Autoscaling.keda({
        maxReplicas: 4, idleReplicaCount: 0, serverAddress: PROM, metric: ScalingMetric.eppQueueSize(4), cooldownPeriod: Duration.minutes(15),
      }),
    });
    const objs = expectValid(synth(chart));
    const so = find(objs, 'ScaledObject', 'qwen-kserve-keda');
    expect(so.apiVersion).toBe('keda.sh/v1alpha1');
    expect(so.spec).toMatchObject({ minReplicaCount: 1, maxReplicaCount: 4, idleReplicaCount: 0, cooldownPeriod: 900 });
    expect(so.spec.triggers[0]).toEqual({
      type: 'prometheus',
      name: 'epp-queue-size',
      metricType: 'Value',
      metadata: { serverAddress: PROM, query: 'max(llm_d_epp_average_queue_size{name="qwen-inference-pool"})', threshold: '4' },
    });
  });

  test('triggers written as is', () => {
    const chart = testChart();
    new LlmService(chart, 'qwen', {
      model: MODEL,
      autoscaling: Autoscaling.keda({ maxReplicas: 2, triggers: [{ type: 'cpu', metricType: 'Utilization', metadata: { value: '60' } }] }),
    });
    const so = find(expectValid(synth(chart)), 'ScaledObject');
    expect(so.spec.triggers).toEqual([{ type: 'cpu', metricType: 'Utilization', metadata: { value: '60' } }]);
  });
});

describe('WVA', () => {
  test('HPA actuator: VariantAutoscaling and the HPA on wva_desired_replicas with KServe annotations', () => {
    const chart = testChart();
    new LlmService(chart, 'qwen', {
      model: MODEL,
      servedModelName: 'Qwen/Qwen3-8B',
      parallelism: { tensor: 2 },
      autoscaling: Autoscaling.wva({ maxReplicas: 5, variantCost: 40, acceleratorType: 'nvidia-h100-80gb' }),
    });
    const objs = expectValid(synth(chart));
    const va = find(objs, 'VariantAutoscaling', 'qwen-kserve-hpa');
    expect(va.apiVersion).toBe('llmd.ai/v1alpha1');
    expect(va.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'qwen-kserve' },
      modelID: 'Qwen/Qwen3-8B',
      variantCost: '40.0',
    });
    expect(va.metadata.labels['inference.optimization/acceleratorName']).toBe('nvidia-h100-80gb');
    const hpa = find(objs, 'HorizontalPodAutoscaler', 'qwen-kserve-hpa');
    expect(hpa.metadata.annotations).toEqual({ 'llm-d.ai/managed': 'true', 'llm-d.ai/model-id': 'Qwen/Qwen3-8B', 'llm-d.ai/variant-cost': '40.0' });
    expect(hpa.metadata.labels['inference.optimization/acceleratorName']).toBe('nvidia-h100-80gb');
    expect(hpa.spec.metrics).toEqual([{
      type: 'External',
      external: { metric: { name: 'wva_desired_replicas', selector: { matchLabels: { variant_name: 'qwen-kserve-hpa', exported_namespace: 'llm' } } }, target: { type: 'AverageValue', averageValue: '1' } },
    }]);
  });

  test('KEDA actuator on a P/D prefill role: KServe query and names', () => {
    const chart = testChart();
    new PrefillDecodePair(chart, 'pd', {
      model: MODEL,
      scheduler: SchedulerConfig.prefillDecode(),
      prefill: { autoscaling: Autoscaling.wva({ minReplicas: 0, maxReplicas: 4, actuator: WvaActuator.keda({ serverAddress: PROM }) }) },
      decode: { replicas: 2 },
    });
    const objs = expectValid(synth(chart));
    const so = find(objs, 'ScaledObject', 'pd-kserve-prefill-keda');
    expect(so.spec.triggers[0]).toEqual({
      type: 'prometheus',
      name: 'wva-desired-replicas',
      metadata: { serverAddress: PROM, query: 'wva_desired_replicas{variant_name="pd-kserve-prefill-keda",exported_namespace="llm"}', threshold: '1' },
    });
    expect(find(objs, 'VariantAutoscaling', 'pd-kserve-prefill-keda').spec.scaleTargetRef.name).toBe('pd-kserve-prefill');
    expect(find(objs, 'Deployment', 'pd-kserve').spec.replicas).toBe(2);
  });
});

describe('disruption budgets', () => {
  test('on by default, maxUnavailable 1, unhealthy pods always evictable; none() removes it', () => {
    const a = testChart();
    new LlmService(a, 'qwen', { model: MODEL, replicas: 3 });
    const pdb = find(expectValid(synth(a)), 'PodDisruptionBudget', 'qwen-kserve-pdb');
    expect(pdb.spec).toEqual({
      maxUnavailable: 1,
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
      selector: { matchLabels: find(synth(a), 'Deployment').spec.selector.matchLabels },
    });
    const b = testChart();
    new LlmService(b, 'qwen', { model: MODEL, disruptionBudget: DisruptionBudget.none() });
    expect(synth(b).some((o) => o.kind === 'PodDisruptionBudget')).toBe(false);
    const c = testChart();
    new LlmService(c, 'qwen', { model: MODEL, replicas: 4, disruptionBudget: DisruptionBudget.maxUnavailablePercent(25) });
    expect(find(synth(c), 'PodDisruptionBudget').spec.maxUnavailable).toBe('25%');
  });
});

describe('bad input', () => {
  const P = 'test/qwen';
  test.each([
    ['replicas + autoscaling', { replicas: 2, autoscaling: Autoscaling.hpa({ maxReplicas: 2, metrics: [ScalingMetric.vllmWaitingRequests(5)] }) }, 'replicas', '2'],
    ['min > max', { autoscaling: Autoscaling.hpa({ minReplicas: 5, maxReplicas: 2, metrics: [ScalingMetric.vllmWaitingRequests(5)] }) }, 'autoscaling.minReplicas', '5'],
    ['max 0', { autoscaling: Autoscaling.hpa({ maxReplicas: 0, metrics: [ScalingMetric.vllmWaitingRequests(5)] }) }, 'autoscaling.maxReplicas', '0'],
    ['HPA min 0', { autoscaling: Autoscaling.hpa({ minReplicas: 0, maxReplicas: 2, metrics: [ScalingMetric.vllmWaitingRequests(5)] }) }, 'autoscaling.minReplicas', '0'],
    ['no metrics', { autoscaling: Autoscaling.hpa({ maxReplicas: 2, metrics: [] }) }, 'autoscaling.metrics', '[]'],
    ['EPP metric without scheduler', { autoscaling: Autoscaling.hpa({ maxReplicas: 2, metrics: [ScalingMetric.eppQueueSize(2)] }) }, 'autoscaling.metrics[0]', 'eppQueueSize'],
    ['KV usage above 1', { autoscaling: Autoscaling.hpa({ maxReplicas: 2, metrics: [ScalingMetric.vllmKvCacheUsage(80)] }) }, 'autoscaling.metrics[0].target', '80'],
    ['KEDA scale to zero without scheduler', { autoscaling: Autoscaling.keda({ maxReplicas: 2, idleReplicaCount: 0, serverAddress: PROM, metric: ScalingMetric.vllmWaitingRequests(5) }) }, 'autoscaling', 'keda scale to zero'],
    ['KEDA idle 2', { autoscaling: Autoscaling.keda({ maxReplicas: 2, idleReplicaCount: 2, serverAddress: PROM, metric: ScalingMetric.vllmWaitingRequests(5) }) }, 'autoscaling.idleReplicaCount', '2'],
    ['KEDA server not a URL', { autoscaling: Autoscaling.keda({ maxReplicas: 2, serverAddress: 'prometheus:9090', metric: ScalingMetric.vllmWaitingRequests(5) }) }, 'autoscaling.serverAddress', 'prometheus:9090'],
    ['KEDA two sources', { autoscaling: Autoscaling.keda({ maxReplicas: 2, serverAddress: PROM, query: 'x', threshold: 1, metric: ScalingMetric.vllmWaitingRequests(5) }) }, 'autoscaling', 'metric, query'],
    ['WVA negative cost', { autoscaling: Autoscaling.wva({ maxReplicas: 2, variantCost: -1 }) }, 'autoscaling.variantCost', '-1'],
    ['PDB minAvailable blocks drains', { replicas: 2, disruptionBudget: DisruptionBudget.minAvailable(2) }, 'disruptionBudget', 'minAvailable 2'],
  ])('%s', (_name, extra, field, value) => {
    expectConfigError(() => new LlmService(testChart(), 'qwen', { model: MODEL, ...(extra as any) }), { path: P, field, value });
  });

  test('P/D errors name the role', () => {
    expectConfigError(() => new PrefillDecodePair(testChart(), 'pd', {
      model: MODEL,
      scheduler: SchedulerConfig.prefillDecode(),
      prefill: { replicas: 1, autoscaling: Autoscaling.hpa({ maxReplicas: 3, metrics: [ScalingMetric.vllmWaitingRequests(2)] }) },
      decode: {},
    }), { path: 'test/pd', field: 'prefill.replicas', value: '1' });
  });
});

describe('wiring checker: 103–106', () => {
  const base = () => {
    const chart = testChart();
    new LlmService(chart, 'qwen', { model: MODEL, autoscaling: Autoscaling.wva({ maxReplicas: 3 }) });
    return synth(chart);
  };
  const codes = (objs: any[]) => checkWiring(objs, { namespace: 'llm' }).map((v) => v.invariant);
  test('a clean set passes', () => expect(codes(base())).toEqual([]));
  test('103: target missing', () => {
    const objs = base().map((o) => (o.kind === 'HorizontalPodAutoscaler' ? { ...o, spec: { ...o.spec, scaleTargetRef: { ...o.spec.scaleTargetRef, name: 'other' } } } : o));
    expect(codes(objs)).toContain(103);
  });
  test('104: replicas on an autoscaled target', () => {
    const objs = base().map((o) => (o.kind === 'Deployment' ? { ...o, spec: { ...o.spec, replicas: 1 } } : o));
    expect(codes(objs)).toContain(104);
  });
  test('105: PDB selecting nothing', () => {
    const objs = base().map((o) => (o.kind === 'PodDisruptionBudget' ? { ...o, spec: { ...o.spec, selector: { matchLabels: { app: 'x' } } } } : o));
    expect(codes(objs)).toEqual([105]);
  });
  test('106: WVA metric naming no variant', () => {
    expect(codes(base().filter((o) => o.kind !== 'VariantAutoscaling'))).toEqual([106]);
  });
});

describe('KServe translation of spec.scaling (kserve-llmisvc.md §3.9)', () => {
  const resource = (spec: Record<string, any>) => ({
    apiVersion: 'serving.kserve.io/v1alpha2',
    kind: 'LLMInferenceService',
    metadata: { name: 'qwen', namespace: 'llm' },
    spec: {
      model: { uri: 'hf://Qwen/Qwen2.5-7B-Instruct', name: 'Qwen/Qwen2.5-7B-Instruct' },
      router: { scheduler: {}, route: {} },
      template: { containers: [{ name: 'main', resources: { limits: { 'nvidia.com/gpu': '1' } } }] },
      ...spec,
    },
  });
  const render = (spec: Record<string, any>, extra: Record<string, unknown> = {}) => {
    const chart = testChart();
    new LlmInferenceService(chart, 'svc', { resource: resource(spec), ...extra });
    return expectValid(synth(chart));
  };

  test('wva.hpa: VariantAutoscaling + HPA N-kserve-hpa with the WVA annotations; no spec.replicas; no PDB (the controller makes none)', () => {
    const objs = render({ scaling: { minReplicas: 1, maxReplicas: 3, wva: { variantCost: '12.5', hpa: { behavior: { scaleUp: { stabilizationWindowSeconds: 0 } } } } } });
    const hpa = find(objs, 'HorizontalPodAutoscaler', 'qwen-kserve-hpa');
    expect(hpa.metadata.annotations['llm-d.ai/variant-cost']).toBe('12.5');
    expect(hpa.metadata.annotations['llm-d.ai/model-id']).toBe('Qwen/Qwen2.5-7B-Instruct');
    expect(hpa.spec.behavior.scaleUp.stabilizationWindowSeconds).toBe(0);
    expect(find(objs, 'VariantAutoscaling', 'qwen-kserve-hpa').spec.scaleTargetRef.name).toBe('qwen-kserve');
    expect(find(objs, 'Deployment', 'qwen-kserve').spec.replicas).toBeUndefined();
    expect(objs.some((o) => o.kind === 'PodDisruptionBudget')).toBe(false);
  });

  test('direct keda: the user triggers as is, N-kserve-keda', () => {
    const trigger = { type: 'prometheus', metadata: { serverAddress: PROM, query: 'sum(vllm:num_requests_waiting)', threshold: '5' } };
    const objs = render({ scaling: { minReplicas: 1, maxReplicas: 4, keda: { pollingInterval: 15, triggers: [trigger] } } });
    const so = find(objs, 'ScaledObject', 'qwen-kserve-keda');
    expect(so.spec).toMatchObject({ minReplicaCount: 1, maxReplicaCount: 4, pollingInterval: 15, triggers: [trigger] });
  });

  test('wva.keda needs the Prometheus address', () => {
    expectConfigError(() => render({ scaling: { maxReplicas: 2, wva: { keda: {} } } }), { path: 'test/svc', field: 'spec.scaling.wva.keda', value: '{}' });
    const objs = render({ scaling: { maxReplicas: 2, wva: { keda: {} } } }, { prometheusServerAddress: PROM });
    expect(find(objs, 'ScaledObject', 'qwen-kserve-keda').spec.triggers[0].metadata.query)
      .toBe('wva_desired_replicas{variant_name="qwen-kserve-keda",exported_namespace="llm"}');
  });
});

describe('drain: grace period and vLLM --shutdown-timeout (DrainBudgets)', () => {
  const GW = { name: 'gw', namespace: 'gateways' };
  const pod = (extra: Record<string, unknown>) => {
    const chart = testChart();
    new LlmService(chart, 'qwen', { model: MODEL, ...extra });
    const objs = expectValid(synth(chart));
    const spec = find(objs, 'Deployment', 'qwen-kserve').spec.template.spec;
    const args: string[] = spec.containers.find((c: any) => c.name === 'main').args;
    return { grace: spec.terminationGracePeriodSeconds, shutdown: args[args.indexOf('--shutdown-timeout') + 1], preStop: spec.containers[0].lifecycle.preStop.exec.command };
  };
  test('no route: KServe\'s 60 s grace and its 40 s vLLM drain', () => {
    expect(pod({})).toEqual({ grace: 60, shutdown: '40', preStop: ['/bin/sleep', '15'] });
  });
  test('a route with the default 300 s timeout: grace 320 s, so vLLM drains for the whole request timeout', () => {
    expect(pod({ route: { gateway: GW } })).toMatchObject({ grace: 320, shutdown: '300' });
    expect(pod({ route: { gateway: GW, requestTimeout: Duration.minutes(10) } })).toMatchObject({ grace: 620, shutdown: '600' });
    expect(pod({ route: { gateway: GW, requestTimeout: Duration.seconds(0) } })).toMatchObject({ grace: 60, shutdown: '40' });
  });
  test('a user grace period long enough is kept; vLLM drain follows KServe\'s formula', () => {
    expect(pod({ route: { gateway: GW }, terminationGracePeriod: Duration.minutes(10) })).toMatchObject({ grace: 600, shutdown: '580' });
  });
  test('a grace period shorter than preStop + request timeout is refused', () => {
    expectConfigError(() => new LlmService(testChart(), 'qwen', { model: MODEL, route: { gateway: GW }, terminationGracePeriod: Duration.seconds(60) }),
      { path: 'test/qwen', field: 'terminationGracePeriod', value: '60s', mentions: 'Duration.seconds(320)' });
  });
  test('P/D: both roles drain; MultiNodeGroup headless workers get no --shutdown-timeout', () => {
    const chart = testChart();
    new MultiNodeGroup(chart, 'big', { model: MODEL, parallelism: { data: 16, dataLocal: 8, expert: true } });
    const lws = find(expectValid(synth(chart)), 'LeaderWorkerSet');
    const args = (t: any) => t.spec.containers.find((c: any) => c.name === 'main').args.join(' ');
    const templates = [lws.spec.leaderWorkerTemplate.leaderTemplate, lws.spec.leaderWorkerTemplate.workerTemplate].filter(Boolean);
    for (const t of templates) expect(t.spec.terminationGracePeriodSeconds).toBe(60);
    expect(templates.map((t) => args(t).includes('--headless') ? !args(t).includes('--shutdown-timeout') : args(t).includes('--shutdown-timeout 40'))).not.toContain(false);
  });
});
