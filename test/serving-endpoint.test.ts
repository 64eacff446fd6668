/**
 * The serving interface (ILlmServingEndpoint) every pattern implements, InferenceGateway.addModel for users'
 * own constructs, the configuration-error helpers for every jsii language, and the public surface of the package.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as api from '../src';
import {
  Accelerator, ConfigErrors, Engine, GatewayProvider, ILlmServingEndpoint, InferenceGateway, KvEvents, LaunchStrategy, LlmService,
  LlmServingEndpoints, ModelSource, MultiNodeGroup, PrefillDecodePair, SchedulerConfig,
} from '../src';
import { LlmdConfigError } from '../src/errors';
import { SchemaValidator } from './harness/schema-validator';
import { checkWiring } from './harness/wiring-checker';
import { find, synth, testChart } from './util/synth';

const validator = SchemaValidator.get();
const formatIssues = (issues: any[]) => validator.formatIssues(issues);
const MODEL = ModelSource.huggingFace('Qwen/Qwen3-8B');

function expectValid(objs: any[]): void {
  const issues = validator.validateAll(objs);
  expect(formatIssues(issues)).toBe('');
  expect(checkWiring(objs)).toEqual([]);
}

describe('every pattern is an ILlmServingEndpoint', () => {
  const chart = testChart();
  const simple = new LlmService(chart, 'simple', { model: MODEL, scheduler: SchedulerConfig.default() });
  const pd = new PrefillDecodePair(chart, 'pd', { model: MODEL, prefill: {}, decode: {}, scheduler: SchedulerConfig.prefillDecode() });
  const mn = new MultiNodeGroup(chart, 'mn', { model: MODEL, parallelism: { data: 16, dataLocal: 8, expert: true }, launch: LaunchStrategy.dataParallel() });
  const endpoints: [string, ILlmServingEndpoint][] = [['LlmService', simple], ['PrefillDecodePair', pd], ['MultiNodeGroup', mn]];
  const objs = synth(chart);

  test.each(endpoints)('%s: registered, and its fields name the objects it synthesized', (_kind, e) => {
    expect(LlmServingEndpoints.isServingConstruct(e)).toBe(true);
    const service = find(objs, 'Service', e.serviceName);
    expect(service.spec.selector).toEqual(e.selectorLabels);
    expect(service.spec.ports[0].port).toBe(e.servicePort);
    expect(e.namespace).toBe('llm');
    if (e.inferencePool) {
      const pool = find(objs, 'InferencePool', e.inferencePool.poolName);
      expect(pool.spec.selector.matchLabels).toEqual(e.selectorLabels);
      expect(pool.spec.targetPorts.map((p: any) => p.number)).toEqual(e.targetPorts);
    }
  });

  test('a plain object or construct is not a serving construct', () => {
    expect(LlmServingEndpoints.isServingConstruct({ name: 'x', serviceName: 'y' })).toBe(false);
    expect(LlmServingEndpoints.isServingConstruct(new Construct(chart, 'plain'))).toBe(false);
    expect(LlmServingEndpoints.isServingConstruct(undefined)).toBe(false);
  });
});

/** A user's own serving construct: a Deployment and Service it writes itself. */
class MyServer extends Construct implements ILlmServingEndpoint {
  public readonly name = 'custom';
  public readonly namespace = 'llm';
  public readonly servedModelName = 'my-model';
  public readonly selectorLabels = { app: 'custom-llm' };
  public readonly targetPorts = [8000];
  public readonly serviceName = 'custom-svc';
  public readonly servicePort = 8000;
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new ApiObject(this, 'Service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: this.serviceName },
      spec: { selector: this.selectorLabels, ports: [{ name: 'http', port: 8000, targetPort: 8000 }] },
    });
  }
}

describe('InferenceGateway.addModel', () => {
  test('registers a user construct: the route goes to its Service on its port, on /<ns>/<name>', () => {
    const chart = testChart();
    const gateway = new InferenceGateway(chart, 'gw', { provider: GatewayProvider.istio() });
    const route = gateway.addModel(new MyServer(chart, 'mine'));
    const objs = synth(chart);
    const r = find(objs, 'HTTPRoute', 'custom-kserve-route');
    expect(route.name).toBe('custom-kserve-route');
    expect(r.spec.rules[0].matches[0].path.value).toBe('/llm/custom');
    expect(r.spec.rules[0].backendRefs[0]).toMatchObject({ kind: 'Service', name: 'custom-svc', port: 8000 });
    expect(formatIssues(validator.validateAll(objs))).toBe('');
  });

  test('registers a pattern built without a gateway: the route goes to its InferencePool', () => {
    const chart = testChart();
    const gateway = new InferenceGateway(chart, 'gw', { provider: GatewayProvider.istio() });
    const svc = new LlmService(chart, 'qwen', { model: MODEL, scheduler: SchedulerConfig.default() });
    gateway.addModel(svc);
    const objs = synth(chart);
    const r = find(objs, 'HTTPRoute', 'qwen-kserve-route');
    expect(r.spec.rules[0].backendRefs[0]).toMatchObject({ kind: 'InferencePool', name: 'qwen-inference-pool' });
    expectValid(objs);
  });

  test('the same path twice is refused', () => {
    const chart = testChart();
    const gateway = new InferenceGateway(chart, 'gw', { provider: GatewayProvider.istio() });
    const svc = new LlmService(chart, 'qwen', { model: MODEL, gateway });
    expect(() => gateway.addModel(svc)).toThrow(LlmdConfigError);
  });
});

describe('defects the shared pipeline fixes', () => {
  test('MultiNodeGroup with precise prefix-cache routing gets KV events, the block size and a tokenizer', () => {
    const chart = testChart();
    new MultiNodeGroup(chart, 'mn', {
      model: MODEL,
      servedModelName: 'Qwen/Qwen3-8B',
      parallelism: { data: 4, dataLocal: 2 },
      scheduler: SchedulerConfig.precisePrefixCache({ kvEvents: KvEvents.podDiscovery(), modelName: 'Qwen/Qwen3-8B' }),
    });
    const objs = synth(chart);
    const lws = find(objs, 'LeaderWorkerSet', 'mn-kserve-mn');
    const leader = lws.spec.leaderWorkerTemplate.leaderTemplate.spec.containers[0];
    expect(leader.args).toContain('--kv-events-config');
    expect(leader.args).toContain('--block-size');
    expect(objs.some((o) => o.kind === 'Deployment' && o.metadata.name === 'mn-tokenizer')).toBe(true);
    expectValid(objs);
  });

  test('MultiNodeGroup refuses RDMA options PrefillDecodePair refuses', () => {
    const make = (rdma: any) => () => new MultiNodeGroup(testChart(), 'mn', { model: MODEL, parallelism: { data: 4, dataLocal: 2 }, rdma });
    expect(make({ resourceName: 'not-rdma' })).toThrow(/rdma\.resourceName = "not-rdma"/);
    expect(make({ count: 0 })).toThrow(/rdma\.count = 0/);
    expect(() => new MultiNodeGroup(testChart(), 'mn', {
      model: MODEL, parallelism: { data: 4, dataLocal: 2 }, accelerator: Accelerator.tpu({ type: 'tpu-v6e-slice', topology: '2x4' }), rdma: {},
    })).toThrow(LlmdConfigError);
  });
});

describe('configuration errors in every language', () => {
  test('parse reads path, field, value, problem and fix back from the message', () => {
    let err: unknown;
    try {
      new LlmService(testChart(), 'bad', { model: MODEL, replicas: 0 });
    } catch (e) {
      err = e;
    }
    expect(ConfigErrors.isConfigError(err)).toBe(true);
    const message = (err as Error).message;
    expect(ConfigErrors.isConfigErrorMessage(message)).toBe(true);
    expect(ConfigErrors.parse(`RuntimeError: ${message}`)).toEqual({
      constructPath: 'test/bad', field: 'replicas', value: '0', problem: 'must be an integer >= 1', fix: 'set replicas to an integer of 1 or more',
    });
  });

  test('other errors are not configuration errors', () => {
    expect(ConfigErrors.isConfigError(new TypeError('x'))).toBe(false);
    expect(ConfigErrors.isConfigErrorMessage('Cannot read properties of undefined')).toBe(false);
    expect(ConfigErrors.parse('')).toBeUndefined();
  });
});

describe('public surface', () => {
  test('the package root exports classes and enums only, no internal helper functions or constants', () => {
    const exported = Object.keys(api);
    const notClasses = exported.filter((k) => typeof (api as any)[k] !== 'function' && typeof (api as any)[k] !== 'object');
    expect(notClasses).toEqual([]);
    // Internal helpers are lower-case functions or UPPER_CASE constants; public classes and enums are PascalCase.
    expect(exported.filter((k) => !/^[A-Z][a-zA-Z0-9]*$/.test(k) || /^[A-Z0-9_]+$/.test(k))).toEqual([]);
    for (const internal of ['modelServerPodSpec', 'attachServingRouting', 'runServingPipeline', 'withRdma', 'modelInputs', 'MAIN_CONTAINER']) {
      expect(exported).not.toContain(internal);
    }
  });

  test('LlmdConfigError is exported for TypeScript', () => {
    expect(api.LlmdConfigError).toBe(LlmdConfigError);
    expect(Engine.vllm()).toBeInstanceOf(api.Engine);
  });
});
