/**
 * A campaign of bad inputs across every construct, factory, operations option and the KServe translation. Each
 * case must be refused with LlmdConfigError whose message names the field and shows the value as given (or
 * `<redacted>` for credentials) with a fix — never a TypeError, never a plain Error, never synthesized YAML.
 */
import { Duration, Size, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import {
  Accelerator, Autoscaling, DisruptionBudget, Engine, GatewayProvider, ImageRegistry, InferenceGateway, KvTransfer, LaunchStrategy,
  LlmInferenceService, LlmService, ModelSource, MultiNodeGroup, NetworkPeer, NetworkPolicies, PrefillDecodePair, ScalingMetric,
  SchedulerConfig,
} from '../src';
import { LlmdConfigError } from '../src/errors';
import { assertProperty, propertyRuns } from './util/property-runs';
import { synth, testChart } from './util/synth';
import { expectValid } from './util/validated';

const MODEL = ModelSource.huggingFace('Qwen/Qwen3-8B');
const J = (v: any) => v as any;

function llm(props: Record<string, any>): void {
  const chart = testChart();
  new LlmService(chart, 'svc', { model: MODEL, ...props });
  synth(chart);
}

function pd(props: Record<string, any>): void {
  const chart = testChart();
  new PrefillDecodePair(chart, 'svc', { model: MODEL, prefill: {}, decode: {}, ...props });
  synth(chart);
}

function mn(props: Record<string, any>): void {
  const chart = testChart();
  new MultiNodeGroup(chart, 'svc', { model: MODEL, parallelism: { data: 16, dataLocal: 8 }, launch: LaunchStrategy.dataParallel(), ...props });
  synth(chart);
}

function gw(props: Record<string, any>): void {
  const chart = testChart();
  new InferenceGateway(chart, 'gw', { provider: GatewayProvider.istio(), ...props });
  synth(chart);
}

function kserve(spec: Record<string, any>, main: Record<string, any> = {}): void {
  const chart = testChart();
  new LlmInferenceService(chart, 'svc', {
    resource: {
      apiVersion: 'serving.kserve.io/v1alpha2',
      kind: 'LLMInferenceService',
      metadata: { name: 'qwen' },
      spec: {
        model: { uri: 'hf://Qwen/Qwen2.5-7B-Instruct', name: 'Qwen/Qwen2.5-7B-Instruct' },
        replicas: 1,
        router: { scheduler: {}, route: {} },
        template: { containers: [{ name: 'main', resources: { limits: { 'nvidia.com/gpu': '1' } }, ...main }] },
        ...spec,
      },
    },
  });
  synth(chart);
}

const vllm = (o: Record<string, any>) => Engine.vllm(J(o));

/** [what, input, field fragment, value fragment]. */
type Case = readonly [string, () => unknown, string, string];

const CASES: Case[] = [
  // ---- names and metadata ----
  ['namespace with uppercase', () => llm({ namespace: 'Prod' }), 'namespace', '"Prod"'],
  ['namespace too long', () => llm({ namespace: 'n'.repeat(64) }), 'namespace', 'n'.repeat(64)],
  ['name with underscore', () => llm({ name: 'bad_name' }), 'name', '"bad_name"'],
  ['ServiceAccount name with spaces', () => llm({ serviceAccountName: 'my sa' }), 'serviceAccountName', '"my sa"'],
  ['model cache PVC name uppercase', () => llm({ modelCacheClaim: 'Cache' }), 'modelCacheClaim', '"Cache"'],
  ['pod label key with two slashes', () => llm({ podLabels: { 'a/b/c': 'x' } }), 'podLabels', 'a/b/c'],
  ['pod label value too long', () => llm({ podLabels: { team: 'v'.repeat(64) } }), 'podLabels', 'v'.repeat(64)],
  ['pod label value with spaces', () => llm({ podLabels: { team: 'a b' } }), 'podLabels', 'a b'],
  ['pod annotation key invalid', () => llm({ podAnnotations: { 'bad key': 'x' } }), 'podAnnotations', 'bad key'],
  ['workload label key with invalid prefix', () => llm({ workloadLabels: { 'Bad_Prefix/x': 'y' } }), 'workloadLabels', 'Bad_Prefix/x'],
  ['wiring label in podLabels', () => llm({ podLabels: { 'llm-d.ai/role': 'decode' } }), 'podLabels', 'llm-d.ai/role'],
  ['LoRA adapter name with spaces', () => llm({ loraAdapters: [{ name: 'my adapter', source: ModelSource.huggingFace('o/a') }] }), 'loraAdapters[0].name', 'my adapter'],
  ['duplicate LoRA adapter names', () => llm({ loraAdapters: [{ name: 'a', source: ModelSource.huggingFace('o/a') }, { name: 'a', source: ModelSource.huggingFace('o/b') }] }),
    'loraAdapters[1].name', '"a"'],
  ['route hostname with a scheme', () => llm({ route: { gateway: { name: 'gw' }, hostnames: ['https://x.example.com'] } }), 'route.hostnames[0]', 'https://x.example.com'],
  ['route path without leading slash', () => llm({ route: { gateway: { name: 'gw' }, pathPrefix: 'v1' } }), 'route.pathPrefix', '"v1"'],
  ['route gateway name invalid', () => llm({ route: { gateway: { name: 'GW!' } } }), 'route.gateway.name', 'GW!'],
  ['route gateway namespace invalid', () => llm({ route: { gateway: { name: 'gw', namespace: 'Bad' } } }), 'route.gateway.namespace', '"Bad"'],
  ['route sectionName invalid', () => llm({ route: { gateway: { name: 'gw', sectionName: 'Not Valid' } } }), 'route.gateway.sectionName', 'Not Valid'],
  ['route timeout that is not whole seconds', () => llm({ route: { gateway: { name: 'gw' }, requestTimeout: Duration.millis(1500) } }), 'route.requestTimeout', '1500 millis'],
  ['route annotation key invalid', () => llm({ route: { gateway: { name: 'gw' }, annotations: { '-x': 'y' } } }), 'route.annotations', '-x'],
  ['Gateway listener name invalid', () => gw({ listeners: [{ name: 'HTTP Listener', port: 80 }] }), 'listeners[0].name', 'HTTP Listener'],
  ['Gateway listener port 0', () => gw({ listeners: [{ name: 'http', port: 0 }] }), 'listeners[0].port', '0'],
  ['Gateway listener port above 65535', () => gw({ listeners: [{ name: 'http', port: 70000 }] }), 'listeners[0].port', '70000'],
  ['Gateway listener hostname invalid', () => gw({ listeners: [{ name: 'http', port: 80, hostname: 'bad_host!' }] }), 'listeners[0].hostname', 'bad_host!'],
  ['Gateway listener protocol unknown', () => gw({ listeners: [{ name: 'http', port: 80, protocol: 'SMTP' }] }), 'listeners[0].protocol', 'SMTP'],
  ['Gateway duplicate listener names', () => gw({ listeners: [{ name: 'http', port: 80 }, { name: 'http', port: 8080 }] }), 'listeners[1].name', '"http"'],
  ['Gateway HTTPS listener without a TLS secret', () => gw({ listeners: [{ name: 'https', port: 443, protocol: 'HTTPS' }] }), 'listeners[0].tlsSecretName', '(unset)'],
  ['Gateway name invalid', () => gw({ name: 'Gateway_1' }), 'name', 'Gateway_1'],
  ['Gateway namespace invalid', () => gw({ namespace: 'ns.with.dots' }), 'namespace', 'ns.with.dots'],
  ['Gateway request timeout that is not whole seconds', () => gw({ requestTimeout: Duration.millis(2500) }), 'requestTimeout', '2500 millis'],
  ['custom GatewayClass name invalid', () => gw({ provider: GatewayProvider.custom('Bad Class') }), 'gatewayClassName', 'Bad Class'],

  // ---- values from JavaScript ----
  ['extraArgs element that is a number', () => llm({ engine: vllm({ extraArgs: ['--max-num-seqs', 64] }) }), 'extraArgs[1]', '64'],
  ['env value that is a number', () => llm({ engine: vllm({ env: { VLLM_FOO: 1 } }) }), 'env.VLLM_FOO', '1'],
  ['replicas NaN', () => llm({ replicas: NaN }), 'replicas', 'NaN'],
  ['replicas Infinity', () => llm({ replicas: Infinity }), 'replicas', 'Infinity'],
  ['replicas as a string', () => llm({ replicas: '2' }), 'replicas', '"2"'],
  ['tensor parallelism NaN', () => llm({ parallelism: { tensor: NaN } }), 'parallelism.tensor', 'NaN'],
  ['gpuMemoryUtilization NaN', () => llm({ engine: vllm({ gpuMemoryUtilization: NaN }) }), 'gpuMemoryUtilization', 'NaN'],
  ['gpuMemoryUtilization 1.5', () => llm({ engine: vllm({ gpuMemoryUtilization: 1.5 }) }), 'engine.gpuMemoryUtilization', '1.5'],
  ['maxModelLen fractional', () => llm({ engine: vllm({ maxModelLen: 4096.5 }) }), 'engine.maxModelLen', '4096.5'],
  ['unknown prop key', () => llm({ replica: 2 }), 'replica', '2'],
  ['unknown engine option key', () => llm({ engine: vllm({ maxModelLength: 4096 }) }), 'maxModelLength', '4096'],
  ['logLevel outside the enum', () => llm({ engine: vllm({ logLevel: 'TRACE' }) }), 'logLevel', 'TRACE'],
  ['failureMode outside the enum', () => llm({ scheduler: SchedulerConfig.default(), endpointPicker: { failureMode: 'Sometimes' } }), 'endpointPicker.failureMode', 'Sometimes'],
  ['zoneSpread outside the enum', () => llm({ placement: { zoneSpread: 'always' } }), 'placement.zoneSpread', 'always'],
  ['simulator mode unknown', () => llm({ engine: Engine.simulator(J({ mode: 'chaos' })) }), 'mode', 'chaos'],
  ['resources.memory not a quantity', () => llm({ resources: { memory: '16 gigs' } }), 'resources.memory', '16 gigs'],
  ['resources.cpu not a quantity', () => llm({ resources: { cpu: 'two' } }), 'resources.cpu', 'two'],
  ['accelerator extra resource not a quantity', () => llm({ accelerator: Accelerator.nvidia({ extraResources: { 'example.com/fpga': 'lots' } }) }),
    'accelerator.extraResources', 'lots'],
  ['sharedMemory that is not whole mebibytes', () => pd({ decode: { sharedMemory: Size.kibibytes(1500) } }), 'sharedMemory', '1500 kibibytes'],
  ['startupTimeout that is zero', () => llm({ startupTimeout: Duration.seconds(0) }), 'startupTimeout', '0'],
  ['terminationGracePeriod in milliseconds', () => llm({ terminationGracePeriod: Duration.millis(61500) }), 'terminationGracePeriod', '61500 millis'],
  ['rollout maxUnavailable above 100%', () => llm({ rolloutStrategy: { maxUnavailable: '150%' } }), 'rolloutStrategy.maxUnavailable', '150%'],
  ['rollout maxSurge not a count or percent', () => llm({ rolloutStrategy: { maxSurge: 'a few' } }), 'rolloutStrategy.maxSurge', 'a few'],

  // ---- wiring ----
  ['env overrides the NIXL side-channel port', () => pd({ decode: { engine: vllm({ env: { VLLM_NIXL_SIDE_CHANNEL_PORT: '6000' } }) } }),
    'VLLM_NIXL_SIDE_CHANNEL_PORT', '6000'],
  ['env overrides the serving port (VLLM_PORT)', () => llm({ engine: vllm({ env: { VLLM_PORT: '9000' } }) }), 'VLLM_PORT', '9000'],
  ['CUDA_VISIBLE_DEVICES hides GPUs the parallelism needs', () => llm({ parallelism: { tensor: 2 }, engine: vllm({ env: { CUDA_VISIBLE_DEVICES: '0' } }) }),
    'CUDA_VISIBLE_DEVICES', '"0"'],
  ['extraArgs --port=9000 (inline form)', () => llm({ engine: vllm({ extraArgs: ['--port=9000'] }) }), 'engine.extraArgs[0]', '--port=9000'],
  ['extraArgs --kv-transfer-config contradicts KV transfer', () => pd({ decode: { engine: vllm({ extraArgs: ['--kv-transfer-config', '{}'] }) } }),
    'decode.engine.extraArgs[0]', '--kv-transfer-config'],
  ['extraArgs --pipeline-parallel-size=2', () => llm({ engine: vllm({ extraArgs: ['--pipeline-parallel-size=2'] }) }), 'engine.extraArgs[0]', '--pipeline-parallel-size=2'],
  ['extraArgs --data-parallel-size 2', () => llm({ engine: vllm({ extraArgs: ['--data-parallel-size', '2'] }) }), 'engine.extraArgs[0]', '--data-parallel-size'],
  ['extraArgs --nnodes in a single-pod workload', () => llm({ engine: vllm({ extraArgs: ['--nnodes', '2'] }) }), 'engine.extraArgs[0]', '--nnodes'],
  ['extraArgs --data-parallel-hybrid-lb contradicts the load-balancing mode', () => llm({ engine: vllm({ extraArgs: ['--data-parallel-hybrid-lb'] }) }),
    'engine.extraArgs[0]', '--data-parallel-hybrid-lb'],
  ['extraArgs -dpb=ray contradicts the launch strategy', () => mn({ engine: vllm({ extraArgs: ['--data-parallel-backend=ray'] }) }),
    'engine.extraArgs[0]', '--data-parallel-backend=ray'],
  ['extraArgs --node-rank in a single-pod workload', () => llm({ engine: vllm({ extraArgs: ['-r', '1'] }) }), 'engine.extraArgs[0]', '-r'],
  ['extraArgs int flag given a float', () => llm({ engine: vllm({ extraArgs: ['--max-num-seqs=1.5'] }) }), 'engine.extraArgs[0]', '1.5'],
  ['extraArgs float flag given a word', () => llm({ engine: vllm({ extraArgs: ['--cpu-offload-gb', 'lots'] }) }), 'engine.extraArgs[0]', 'lots'],
  ['extraArgs value outside choices (inline)', () => llm({ engine: vllm({ extraArgs: ['--kv-cache-dtype=fp7'] }) }), 'engine.extraArgs[0]', 'fp7'],
  ['dtype outside the choices', () => llm({ engine: vllm({ dtype: 'float7' }) }), 'engine.dtype', 'float7'],
  ['all2allBackend outside the choices', () => mn({ parallelism: { data: 16, dataLocal: 8, expert: true }, all2allBackend: 'magic' }), 'all2allBackend', 'magic'],
  ['GPUs per pod above the node capacity', () => llm({ accelerator: Accelerator.nvidia({ count: 16 }), parallelism: { tensor: 16 } }), 'parallelism.tensor', '16'],
  ['RDMA count fractional', () => mn({ rdma: { count: 1.5 } }), 'rdma.count', '1.5'],
  ['RDMA count zero', () => mn({ rdma: { count: 0 } }), 'rdma.count', '0'],
  ['RDMA networks name invalid', () => mn({ rdma: { networks: 'Bad Net' } }), 'rdma.networks', 'Bad Net'],
  ['toleration with invalid operator', () => llm({ accelerator: Accelerator.nvidia({ tolerations: [{ key: 'gpu', operator: 'Is' }] }) }), 'operator', 'Is'],
  ['toleration with invalid effect', () => llm({ accelerator: Accelerator.nvidia({ tolerations: [{ key: 'gpu', effect: 'Never' }] }) }), 'effect', 'Never'],
  ['nodeSelector key not a qualified name', () => llm({ accelerator: Accelerator.nvidia({ nodeSelector: { 'not a key': 'x' } }) }), 'nodeSelector', 'not a key'],
  ['P/D vllmPort equal to the NIXL port', () => pd({ decode: { vllmPort: 5600 } }), 'decode.vllmPort', '5600'],
  ['P/D vllmPort out of range', () => pd({ decode: { vllmPort: 70000 } }), 'decode.vllmPort', '70000'],
  ['NIXL backend that is not a plugin name', () => pd({ kvTransfer: KvTransfer.nixl({ backends: ['UCX,LIBFABRIC'] }) }), 'backends[0]', 'UCX,LIBFABRIC'],
  ['NIXL load failure policy unknown', () => pd({ kvTransfer: KvTransfer.nixl({ loadFailurePolicy: 'shrug' }) }), 'loadFailurePolicy', 'shrug'],
  ['parallelism dataRpcPort out of range', () => mn({ parallelism: { data: 16, dataLocal: 8, dataRpcPort: 0 } }), 'parallelism.dataRpcPort', '0'],
  ['LoRA maxRank not an integer', () => llm({ lora: { maxRank: 8.5 }, loraAdapters: [{ name: 'a', source: ModelSource.huggingFace('o/a') }] }), 'lora.maxRank', '8.5'],

  // ---- secrets ----
  ['literal HF_TOKEN env', () => llm({ engine: vllm({ env: { HF_TOKEN: 'hf_abcdefghijklmnopqrstuvwx' } }) }), 'HF_TOKEN', '<redacted>'],
  ['literal HUGGING_FACE_HUB_TOKEN env', () => llm({ engine: vllm({ env: { HUGGING_FACE_HUB_TOKEN: 'abc' } }) }), 'HUGGING_FACE_HUB_TOKEN', '<redacted>'],
  ['literal OPENAI_API_KEY env', () => llm({ engine: vllm({ env: { OPENAI_API_KEY: 'sk-123' } }) }), 'OPENAI_API_KEY', '<redacted>'],
  ['literal VLLM_API_KEY env (simulator)', () => llm({ engine: Engine.simulator({ env: { VLLM_API_KEY: 'k' } }) }), 'VLLM_API_KEY', '<redacted>'],
  ['literal DB_PASSWORD env', () => llm({ engine: vllm({ env: { DB_PASSWORD: 'hunter2' } }) }), 'DB_PASSWORD', '<redacted>'],
  ['hf_ token as the value of an innocently named env', () => llm({ engine: vllm({ env: { MY_VAR: 'hf_abcdefghijklmnopqrstuvwxyz' } }) }), 'MY_VAR', '<redacted>'],
  ['--api-key in extraArgs', () => llm({ engine: vllm({ extraArgs: ['--api-key', 'xyz'] }) }), 'engine.extraArgs[0]', '<redacted>'],
  ['--api-key=xyz in extraArgs', () => llm({ engine: vllm({ extraArgs: ['--api-key=xyz'] }) }), 'engine.extraArgs[0]', '<redacted>'],
  ['hf_ token inside an extraArgs value', () => llm({ engine: vllm({ extraArgs: ['--hf-token', 'hf_abcdefghijklmnopqrstuvwxyz'] }) }), 'engine.extraArgs[1]', '<redacted>'],
  ['--hf-token with a literal value', () => llm({ engine: vllm({ extraArgs: ['--hf-token=abc123'] }) }), 'engine.extraArgs[0]', '<redacted>'],
  ['literal token as the HF Secret name', () => llm({ model: ModelSource.huggingFace('o/m', { token: { name: 'hf_abcdefghijklmnopqrstuvwxyz' } }) }), 'token.name', '<redacted>'],

  // ---- factories ----
  ['Accelerator.nvidia count NaN', () => Accelerator.nvidia({ count: NaN }), 'count', 'NaN'],
  ['Accelerator.custom resource name invalid', () => llm({ accelerator: Accelerator.custom('not a resource') }), 'accelerator', 'not a resource'],
  ['Accelerator.tpu topology malformed', () => llm({ accelerator: Accelerator.tpu({ type: 'tpu-v6e-slice', topology: 'big' }), engine: vllm({}) }), 'topology', 'big'],
  ['ModelSource.huggingFace repo empty', () => llm({ model: ModelSource.huggingFace('') }), 'model', '"hf://"'],
  ['ModelSource.pvc claim invalid', () => llm({ model: ModelSource.pvc('Bad_Claim', 'x') }), 'model', 'Bad_Claim'],
  ['ModelSource.oci reference invalid', () => llm({ model: ModelSource.oci('not an image') }), 'model', 'not an image'],
  ['KvTransfer.nixl roles outside the enum', () => KvTransfer.nixl(J({ roles: 'sideways' })), 'roles', 'sideways'],
  ['DisruptionBudget.maxUnavailable negative', () => llm({ disruptionBudget: DisruptionBudget.maxUnavailable(-1) }), 'disruptionBudget', '-1'],
  ['DisruptionBudget percent above 100', () => llm({ disruptionBudget: DisruptionBudget.maxUnavailablePercent(150) }), 'disruptionBudget', '150'],
  ['Autoscaling.hpa minReplicas above maxReplicas', () => llm({ autoscaling: Autoscaling.hpa({ minReplicas: 5, maxReplicas: 2, metrics: [ScalingMetric.cpuUtilization(80)] }) }),
    'autoscaling', '5'],
  ['Autoscaling.hpa maxReplicas NaN', () => Autoscaling.hpa({ maxReplicas: NaN, metrics: [ScalingMetric.cpuUtilization(80)] }), 'maxReplicas', 'NaN'],
  ['Autoscaling.hpa without metrics', () => llm({ autoscaling: Autoscaling.hpa({ maxReplicas: 3, metrics: [] }) }), 'metrics', '[]'],
  ['ScalingMetric.cpuUtilization 0', () => llm({ resources: { cpu: '4' }, autoscaling: Autoscaling.hpa({ maxReplicas: 3, metrics: [ScalingMetric.cpuUtilization(0)] }) }), 'metrics[0]', '0'],
  ['KEDA polling interval in milliseconds', () => llm({
    autoscaling: Autoscaling.keda({
      maxReplicas: 3,
      serverAddress: 'http://prom:9090',
      metric: ScalingMetric.vllmWaitingRequests(5),
      pollingInterval: Duration.millis(500),
    }),
  }), 'pollingInterval', '500'],
  ['NetworkPeer.cidr invalid', () => llm({ networkPolicy: NetworkPolicies.derived({ clients: [NetworkPeer.cidr('10.0.0.0/33')] }) }), 'clients[0]', '10.0.0.0/33'],
  ['NetworkPeer.namespace invalid', () => llm({ networkPolicy: NetworkPolicies.derived({ clients: [NetworkPeer.namespace('Bad NS')] }) }), 'clients[0]', 'Bad NS'],
  ['NetworkPolicies with no clients', () => llm({ networkPolicy: NetworkPolicies.derived({ clients: [] }) }), 'networkPolicy.clients', '[]'],
  ['ImageRegistry.mirror as a URL', () => llm({ imageRegistry: ImageRegistry.mirror('https://mirror.example.com') }), 'imageRegistry', 'https://mirror.example.com'],
  ['ImageRegistry pull secret name invalid', () => llm({ imageRegistry: ImageRegistry.mirror('mirror.example.com', { pullSecrets: ['Bad Secret'] }) }), 'pullSecrets[0]', 'Bad Secret'],
  ['placement priorityClassName invalid', () => llm({ placement: { priorityClassName: 'High Priority' } }), 'placement.priorityClassName', 'High Priority'],
  ['placement kueue queue name invalid', () => llm({ placement: { kueueQueueName: 'gpu queue' } }), 'placement.kueueQueueName', 'gpu queue'],
  ['placement schedulerName invalid', () => llm({ placement: { schedulerName: 'My Scheduler' } }), 'placement.schedulerName', 'My Scheduler'],
  ['EPP memory not a quantity', () => llm({ scheduler: SchedulerConfig.default(), endpointPicker: { resources: { memory: 'lots' } } }), 'endpointPicker.resources.memory', 'lots'],
  ['EPP cpu negative', () => llm({ scheduler: SchedulerConfig.default(), endpointPicker: { resources: { cpu: '-1' } } }), 'endpointPicker.resources.cpu', '-1'],
  ['EPP image not an image reference', () => llm({ scheduler: SchedulerConfig.default(), endpointPicker: { image: 'Bad Image!!' } }), 'endpointPicker.image', 'Bad Image!!'],
  ['vLLM image with a space', () => llm({ engine: vllm({ image: 'vllm/vllm openai:v1' }) }), 'engine.image', 'vllm/vllm openai:v1'],
  ['simulator image with uppercase repository', () => llm({ engine: Engine.simulator({ image: 'ghcr.io/LLM-D/sim:v1' }) }), 'engine.image', 'ghcr.io/LLM-D/sim:v1'],
  ['EPP replicas zero', () => llm({ scheduler: SchedulerConfig.default(), endpointPicker: { replicas: 0 } }), 'endpointPicker.replicas', '0'],
  ['EPP pod label value invalid', () => llm({ scheduler: SchedulerConfig.default(), endpointPicker: { podLabels: { team: 'a b' } } }), 'endpointPicker.podLabels', 'a b'],

  // ---- KServe translation ----
  ['KServe replicas as a string', () => kserve({ replicas: 'two' }), 'spec.replicas', 'two'],
  ['KServe unterminated template action', () => kserve({}, { args: ['--served-model-name', '{{ .Spec.Model.Name'] }), 'args', '{{ .Spec.Model.Name'],
  ['KServe literal HF_TOKEN env', () => kserve({}, { env: [{ name: 'HF_TOKEN', value: 'hf_abcdefghijklmnopqrstuvwxyz' }] }), 'HF_TOKEN', '<redacted>'],
  ['KServe --api-key literal in args', () => kserve({}, { args: ['--api-key', 'xyz'] }), 'args', '<redacted>'],
  ['KServe env overriding VLLM_NIXL_SIDE_CHANNEL_PORT', () => kserve({}, { env: [{ name: 'VLLM_NIXL_SIDE_CHANNEL_PORT', value: '7000' }] }), 'VLLM_NIXL_SIDE_CHANNEL_PORT', '7000'],
  ['KServe env that is not an array', () => kserve({}, { env: { HF_HOME: '/x' } }), 'env', 'HF_HOME'],
  ['KServe args that are not an array', () => kserve({}, { args: '--max-num-seqs 4' }), 'args', '--max-num-seqs 4'],
  ['KServe GPU limit not a count', () => kserve({ template: { containers: [{ name: 'main', resources: { limits: { 'nvidia.com/gpu': 'one' } } }] } }), 'nvidia.com/gpu', 'one'],
  ['KServe parallelism that is not a mapping', () => kserve({ parallelism: 'tp=2' }), 'spec.parallelism', 'tp=2'],
];

describe('every bad input is refused with LlmdConfigError naming the field and the value', () => {
  test('the campaign has at least 80 distinct inputs', () => {
    expect(new Set(CASES.map((c) => c[0])).size).toBe(CASES.length);
    expect(CASES.length).toBeGreaterThanOrEqual(80);
  });

  test.each(CASES.map((c) => [c[0], c] as const))('%s', (_name, [, input, field, value]) => {
    let thrown: unknown;
    try {
      input();
    } catch (e) {
      thrown = e;
    }
    if (thrown === undefined) throw new Error(`accepted (${field} = ${value})`);
    if (!(thrown instanceof LlmdConfigError)) throw new Error(`not an LlmdConfigError: ${String(thrown)}`);
    expect(thrown.field).toContain(field);
    expect(thrown.message).toContain(value);
    expect(thrown.fix.length).toBeGreaterThan(0);
  });
});

describe('secrets are never echoed', () => {
  test('a literal token never appears in the message', () => {
    const token = 'hf_abcdefghijklmnopqrstuvwxyz';
    for (const input of [
      () => llm({ engine: vllm({ env: { MY_VAR: token } }) }),
      () => llm({ engine: vllm({ extraArgs: ['--hf-token', token] }) }),
      () => kserve({}, { env: [{ name: 'HF_TOKEN', value: token }] }),
    ]) {
      let message = '';
      try {
        input();
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toContain('Secret');
      expect(message).not.toContain(token);
    }
  });

  test('a Secret reference is accepted', () => {
    const chart = testChart();
    new LlmService(chart, 'svc', { model: ModelSource.huggingFace('o/m', { token: { name: 'hf-token' } }) });
    const env = JSON.stringify(Testing.synth(chart));
    expect(env).toContain('"secretKeyRef":{"key":"HF_TOKEN","name":"hf-token"}');
  });
});

/** Where random values go in an LLMInferenceService: [path below the resource, as keys]. */
const KSERVE_PLACES: readonly (readonly string[])[] = [
  ['metadata', 'name'], ['metadata', 'namespace'], ['metadata', 'labels'], ['metadata', 'annotations'],
  ['spec', 'replicas'], ['spec', 'model'], ['spec', 'model', 'uri'], ['spec', 'model', 'name'], ['spec', 'model', 'lora'],
  ['spec', 'parallelism'], ['spec', 'parallelism', 'tensor'], ['spec', 'router'], ['spec', 'router', 'route'],
  ['spec', 'router', 'scheduler'], ['spec', 'router', 'gateway'], ['spec', 'template'], ['spec', 'template', 'containers'],
  ['spec', 'template', 'containers', '0', 'args'], ['spec', 'template', 'containers', '0', 'env'],
  ['spec', 'template', 'containers', '0', 'resources'], ['spec', 'template', 'containers', '0', 'image'],
  ['spec', 'template', 'tolerations'], ['spec', 'template', 'nodeSelector'], ['spec', 'baseRefs'], ['spec', 'prefill'], ['spec', 'worker'],
  ['spec', 'labels'], ['spec', 'annotations'],
];

function kserveResource(): Record<string, any> {
  return {
    apiVersion: 'serving.kserve.io/v1alpha2',
    kind: 'LLMInferenceService',
    metadata: { name: 'qwen' },
    spec: {
      model: { uri: 'hf://Qwen/Qwen2.5-7B-Instruct', name: 'Qwen/Qwen2.5-7B-Instruct' },
      replicas: 1,
      router: { scheduler: {}, route: {} },
      template: { containers: [{ name: 'main', resources: { limits: { 'nvidia.com/gpu': '1' } } }] },
    },
  };
}

test(`random values anywhere in an LLMInferenceService → LlmdConfigError or valid output, never another error (${propertyRuns(300)} runs)`, () => {
  const junk = fc.oneof(
    fc.anything({ maxDepth: 2 }),
    fc.constantFrom(NaN, -1, 0, 1.5, '', 'Bad Name', '{{ .Spec.Nope', 'hf_abcdefghijklmnopqrstuvwx', null, [], {}, [{}], { tensor: 'x' }),
  );
  let refused = 0;
  assertProperty(fc.property(fc.constantFrom(...KSERVE_PLACES), junk, (place, v) => {
    const resource = kserveResource();
    let at: any = resource;
    for (const k of place.slice(0, -1)) at = at[k] ??= {};
    at[place[place.length - 1]] = v;
    const chart = testChart();
    try {
      new LlmInferenceService(chart, 'svc', { resource });
      expectValid(synth(chart));
    } catch (e) {
      refused++;
      if (!(e instanceof LlmdConfigError)) throw new Error(`${place.join('.')} = ${JSON.stringify(v)} raised ${(e as Error)?.stack ?? String(e)}`);
    }
  }), 300, 17);
  expect(refused).toBeGreaterThan(0);
});

describe('what the owned-setting checks still accept', () => {
  test('a device mask that shows every device the parallelism needs', () => {
    const chart = testChart();
    new LlmService(chart, 'svc', { model: MODEL, parallelism: { tensor: 2 }, engine: Engine.vllm({ env: { CUDA_VISIBLE_DEVICES: '0,1' } }) });
    const main = synth(chart).find((o) => o.kind === 'Deployment').spec.template.spec.containers.find((c: any) => c.name === 'main');
    expect(main.env).toContainEqual({ name: 'CUDA_VISIBLE_DEVICES', value: '0,1' });
  });
  test('an empty device mask on a CPU pod, which has no devices to hide', () => {
    const chart = testChart();
    new LlmService(chart, 'svc', { model: MODEL, accelerator: Accelerator.cpu(), engine: Engine.vllm({ image: 'vllm-cpu:v0.23.0', env: { CUDA_VISIBLE_DEVICES: '' } }) });
    expect(synth(chart).some((o) => o.kind === 'Deployment')).toBe(true);
  });
  test('variables whose names only contain a credential word', () => {
    const chart = testChart();
    const env = { TOKENIZERS_PARALLELISM: 'false', VLLM_MAX_TOKENS_PER_BATCH: '8192' };
    new LlmService(chart, 'svc', { model: MODEL, engine: Engine.vllm({ env }) });
    const main = synth(chart).find((o) => o.kind === 'Deployment').spec.template.spec.containers.find((c: any) => c.name === 'main');
    expect(main.env).toContainEqual({ name: 'TOKENIZERS_PARALLELISM', value: 'false' });
    expect(() => llm({ engine: vllm({ env: { GITHUB_TOKEN: 'abc' } }) })).toThrow(LlmdConfigError);
    expect(() => llm({ engine: vllm({ env: { AWS_SECRET_ACCESS_KEY: 'abc' } }) })).toThrow(LlmdConfigError);
  });
  test('flags the library does not own, in both forms', () => {
    const chart = testChart();
    new LlmService(chart, 'svc', { model: MODEL, engine: Engine.vllm({ extraArgs: ['--max-num-seqs', '64', '--kv-cache-dtype=fp8'] }) });
    const main = synth(chart).find((o) => o.kind === 'Deployment').spec.template.spec.containers.find((c: any) => c.name === 'main');
    expect(main.args).toEqual(expect.arrayContaining(['--max-num-seqs', '64', '--kv-cache-dtype=fp8']));
  });
});
