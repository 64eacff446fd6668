/** Bad LLMInferenceService input is rejected with `LlmdConfigError` naming path, field and value (kserve-llmisvc.md §1.1, §2, §3.5, §3.7). */
import { Chart, Testing } from 'cdk8s';
import { LlmInferenceService, LlmInferenceServiceProps } from '../src';
import { expectConfigError } from './util/expect-error';

const PATH = 'kserve/svc';

function base(spec: Record<string, any> = {}): Record<string, any> {
  return {
    apiVersion: 'serving.kserve.io/v1alpha2',
    kind: 'LLMInferenceService',
    metadata: { name: 'qwen' },
    spec: {
      model: { uri: 'hf://Qwen/Qwen2.5-7B-Instruct', name: 'Qwen/Qwen2.5-7B-Instruct' },
      replicas: 1,
      router: { scheduler: {}, route: {} },
      template: { containers: [{ name: 'main', resources: { limits: { 'nvidia.com/gpu': '1' } } }] },
      ...spec,
    },
  };
}

function build(resource: Record<string, any>, extra: Partial<LlmInferenceServiceProps> = {}): LlmInferenceService {
  const chart = new Chart(Testing.app(), 'kserve', { namespace: 'llm' });
  const svc = new LlmInferenceService(chart, 'svc', { resource, ...extra });
  Testing.synth(chart);
  return svc;
}

const worker = { containers: [{ name: 'main', resources: { limits: { 'nvidia.com/gpu': '8' } } }] };

describe('LlmInferenceService bad input', () => {
  test('unknown preset in baseRefs (ConfigNotFound)', () => {
    expectConfigError(() => build(base({ baseRefs: [{ name: 'kserve-config-llm-nope' }] })),
      { path: PATH, field: 'spec.baseRefs[0].name', value: '"kserve-config-llm-nope"', mentions: 'ConfigNotFound' });
  });

  test('a well-known preset in baseRefs is accepted', () => {
    expect(build(base({ baseRefs: [{ name: 'kserve-config-llm-template' }] })).mode).toBe('SIMPLE');
  });

  test('worker without data or pipeline parallelism', () => {
    expectConfigError(() => build(base({ worker })), { path: PATH, field: 'spec.worker', value: '"set"', mentions: 'data (data/dataLocal) or pipeline' });
  });

  test('pipeline-parallel multi-node without the preset KServe lacks', () => {
    const err = expectConfigError(() => build(base({ worker, parallelism: { pipeline: 2, tensor: 8 } })),
      { path: PATH, field: 'spec.parallelism.pipeline', value: '2', mentions: 'kserve-config-llm-worker-pipeline-parallel' });
    expect(err.message).toMatch(/KServe does not ship.*PresetsCombined=False \(ConfigNotFound\)/);
  });

  test('gs:// model URI names the supported schemes', () => {
    expectConfigError(() => build(base({ model: { uri: 'gs://bucket/qwen' } })),
      { path: PATH, field: 'spec.model.uri', value: '"gs://bucket/qwen"', mentions: 'hf://, s3://, pvc://, oci://, oci+native://' });
  });

  test('modelscope:// is unsupported too', () => {
    expectConfigError(() => build(base({ model: { uri: 'modelscope://qwen/Qwen' } })),
      { path: PATH, field: 'spec.model.uri', value: '"modelscope://qwen/Qwen"', mentions: 'unsupported schema in model URI' });
  });

  test('LoRA adapter from oci://', () => {
    expectConfigError(() => build(base({ model: { uri: 'hf://Qwen/Qwen2.5-7B-Instruct', lora: { adapters: [{ name: 'a', uri: 'oci://quay.io/x/a:1' }] } } })),
      { path: PATH, field: 'spec.model.lora.adapters[0].uri', value: '"oci://quay.io/x/a:1"', mentions: 'hf://, s3:// or pvc://' });
  });

  test('duplicate adapter names', () => {
    const adapters = [{ name: 'a', uri: 'hf://org/a' }, { name: 'a', uri: 'hf://org/b' }];
    expectConfigError(() => build(base({ model: { uri: 'hf://Qwen/Qwen2.5-7B-Instruct', lora: { adapters } } })),
      { path: PATH, field: 'spec.model.lora.adapters[1].name', value: '"a"', mentions: 'duplicates spec.model.lora.adapters[0]' });
  });

  test('adapter named like the base model', () => {
    const adapters = [{ name: 'qwen', uri: 'hf://org/a' }];
    expectConfigError(() => build(base({ model: { uri: 'hf://Qwen/Qwen2.5-7B-Instruct', lora: { adapters } } })),
      { path: PATH, field: 'spec.model.lora.adapters[0].name', value: '"qwen"', mentions: 'equals the base model name' });
  });

  test('both replicas and scaling (CRD CEL rule)', () => {
    expectConfigError(() => build(base({ replicas: 2, scaling: { minReplicas: 1, maxReplicas: 3 } })),
      { path: PATH, field: 'spec.scaling', value: '"minReplicas"', mentions: 'mutually exclusive' });
  });

  test('wrong apiVersion', () => {
    expectConfigError(() => build({ ...base(), apiVersion: 'serving.kserve.io/v1beta1' }),
      { path: PATH, field: 'apiVersion/kind', value: 'serving.kserve.io/v1beta1/LLMInferenceService', mentions: 'serving.kserve.io/v1alpha2' });
  });

  test('wrong kind', () => {
    expectConfigError(() => build({ ...base(), kind: 'InferenceService' }), { path: PATH, field: 'apiVersion/kind', value: 'InferenceService', mentions: 'is not an LLMInferenceService' });
  });

  test('a template variable that does not resolve', () => {
    const template = { containers: [{ name: 'main', resources: { limits: { 'nvidia.com/gpu': '1' } }, args: ['--max-model-len', '{{ .Spec.Parallelism.Tensor }}'] }] };
    expectConfigError(() => build(base({ template })),
      { path: PATH, field: 'spec.template.containers[0].args[1]', value: '{{ .Spec.Parallelism.Tensor }}', mentions: 'missingkey=error' });
  });

  test('an unsupported template action', () => {
    const template = { containers: [{ name: 'main', args: ['{{ if .GlobalConfig.EnableTLS }}--x{{ end }}'] }] };
    expectConfigError(() => build(base({ template })), { path: PATH, field: 'spec.template.containers[0].args[0]', value: 'EnableTLS', mentions: 'does not evaluate' });
  });

  test('template variables resolve (ChildName, .ObjectMeta, .Spec.Model.Name)', () => {
    const env = [{ name: 'X_EPP', value: '{{ ChildName .ObjectMeta.Name `-epp-service` }}.{{ .ObjectMeta.Namespace }}/{{ .Spec.Model.Name }}' }];
    const svc = build(base({ template: { containers: [{ name: 'main', env, resources: { limits: { 'nvidia.com/gpu': '1' } } }] } }));
    expect(svc.mergedSpec.template.containers[0].env[0].value).toBe('qwen-epp-service.llm/Qwen/Qwen2.5-7B-Instruct');
  });

  test('GPU count that disagrees with the parallelism', () => {
    expectConfigError(() => build(base({ parallelism: { tensor: 2 } })), { path: `${PATH}/Service`, field: 'accelerator.count', value: '1', mentions: 'tensor 2' });
  });

  test('--tensor-parallel-size in VLLM_ADDITIONAL_ARGS contradicting spec.parallelism', () => {
    const template = { containers: [{ name: 'main', env: [{ name: 'VLLM_ADDITIONAL_ARGS', value: '--tensor-parallel-size=4' }], resources: { limits: { 'nvidia.com/gpu': '2' } } }] };
    expectConfigError(() => build(base({ parallelism: { tensor: 2 }, template })),
      { path: PATH, field: 'spec.template.containers[main].env[VLLM_ADDITIONAL_ARGS][0]', value: '--tensor-parallel-size=4', mentions: 'contradicts spec.parallelism.tensor' });
  });

  test('unknown vLLM flag in VLLM_ADDITIONAL_ARGS', () => {
    const template = { containers: [{ name: 'main', env: [{ name: 'VLLM_ADDITIONAL_ARGS', value: '--enable-magic' }], resources: { limits: { 'nvidia.com/gpu': '1' } } }] };
    expectConfigError(() => build(base({ template })), { path: PATH, field: 'spec.template.containers[main].env[VLLM_ADDITIONAL_ARGS][0]', value: '--enable-magic', mentions: 'not a known flag' });
  });

  test('P/D without a scheduler is not bad input: it renders with a warning, as the controller renders it (kserve-parity.test.ts)', () => {
    const svc = build(base({ router: { route: {} }, prefill: { template: base().spec.template } }));
    expect(svc.warnings.join('\n')).toMatch(/spec\.router\.scheduler: not set.*none is disaggregated/);
  });

  test('scheduler config ref cannot be read offline', () => {
    expectConfigError(() => build(base({ router: { scheduler: { config: { ref: { name: 'cm' } } } } })),
      { path: PATH, field: 'spec.router.scheduler.config.ref', value: '"cm"', mentions: 'config.inline' });
  });

  test('scheduler config with both inline and ref', () => {
    expectConfigError(() => build(base({ router: { scheduler: { config: { ref: { name: 'cm' }, inline: 'a: b' } } } })),
      { path: PATH, field: 'spec.router.scheduler.config', value: '"cm"', mentions: 'exactly one of inline and ref' });
  });

  test('route.http.refs with gateway {} (webhook rule)', () => {
    expectConfigError(() => build(base({ router: { route: { http: { refs: [{ name: 'r' }] } }, gateway: {} } })),
      { path: PATH, field: 'spec.router.gateway', value: '{}', mentions: 'rejected by the webhook' });
  });

  test('an extra container with ports (it would share the pod ports the library owns)', () => {
    const template = { containers: [{ name: 'sidecar', image: 'busybox', ports: [{ containerPort: 8000 }] }, { name: 'main' }] };
    expectConfigError(() => build(base({ template })), { path: PATH, field: 'spec.template.containers[0].ports', value: '8000', mentions: 'remove ports' });
  });

  test('an extra container mounting a volume the library does not render', () => {
    const template = { containers: [{ name: 'sidecar', image: 'busybox', volumeMounts: [{ name: 'logs', mountPath: '/logs' }] }, { name: 'main' }] };
    expectConfigError(() => build(base({ template })), { path: PATH, field: 'spec.template.containers[0].volumeMounts', value: 'logs', mentions: 'volumes' });
  });

  test('an extra container without an image', () => {
    const template = { containers: [{ name: 'sidecar' }, { name: 'main' }] };
    expectConfigError(() => build(base({ template })), { path: PATH, field: 'spec.template.containers[0].image', value: '(unset)', mentions: 'is required' });
  });

  test('an extra container is kept in a Deployment, after main', () => {
    const template = { containers: [{ name: 'sidecar', image: 'busybox', command: ['sleep', 'infinity'] }, { name: 'main', resources: { limits: { 'nvidia.com/gpu': '1' } } }] };
    const svc = build(base({ template }));
    const d = Testing.synth(Chart.of(svc)).find((o: any) => o.kind === 'Deployment' && o.metadata.name === 'qwen-kserve');
    expect(d.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['main', 'sidecar']);
  });

  test('an extra container on a LeaderWorkerSet worker', () => {
    const template = { containers: [{ name: 'sidecar', image: 'busybox' }, { name: 'main', resources: { limits: { 'nvidia.com/gpu': '8' } } }] };
    expectConfigError(() => build(base({ template, worker: template, parallelism: { data: 16, dataLocal: 8, expert: true } })),
      { path: PATH, field: 'spec.template.containers[0].name', value: '"sidecar"', mentions: 'single-node and P/D Deployments' });
  });

  test('data without dataLocal on a worker', () => {
    expectConfigError(() => build(base({ worker, parallelism: { data: 16 } })), { path: PATH, field: 'spec.parallelism.dataLocal', value: '(unset)', mentions: 'set together' });
  });

  test('config given to baseRefs with its own baseRefs', () => {
    const cfg = { apiVersion: 'serving.kserve.io/v1alpha2', kind: 'LLMInferenceServiceConfig', metadata: { name: 'c' }, spec: { baseRefs: [{ name: 'x' }] } };
    expectConfigError(() => build(base({ baseRefs: [{ name: 'c' }] }), { configs: [cfg] }),
      { path: PATH, field: 'configs[0].spec.baseRefs', value: '"x"', mentions: 'cannot have baseRefs' });
  });

  test('unknown spec fields are pruned with a warning; a wrong type is an error', () => {
    const svc = build(base({ replicaz: 3 }));
    expect(svc.warnings[0]).toMatch(/^spec\.replicaz: PRUNED — unknown field, dropped by the API server.*did you mean spec\.replicas\?$/);
    expect(svc.prunedFields).toEqual(['spec.replicaz']);
    expectConfigError(() => build(base({ replicas: 'two' })), { path: PATH, field: 'spec.replicas', value: '"two"', mentions: 'CRD schema rejects it' });
  });

  test('a known field nested one level too deep (upstream kv-cache-offloading sample) is reported with where it belongs', () => {
    const svc = build(base({ workload: { kvCacheOffloading: { cpu: '10Gi' } } }));
    expect(svc.prunedFields).toEqual(['spec.workload']);
    expect(svc.warnings[0]).toContain('spec.workload.kvCacheOffloading belong(s) directly under spec: move to spec.kvCacheOffloading');
  });

  test('baseRef merge: user config under the service spec, its model.name wins (§2.1)', () => {
    const cfg = {
      apiVersion: 'serving.kserve.io/v1alpha2',
      kind: 'LLMInferenceServiceConfig',
      metadata: { name: 'c' },
      spec: { model: { name: 'from-config' }, template: { containers: [{ name: 'main', env: [{ name: 'A', value: '1' }, { name: 'B', value: '1' }] }] } },
    };
    const own = base({ baseRefs: [{ name: 'c' }] });
    own.spec.template.containers[0].env = [{ name: 'B', value: '2' }];
    const svc = build(own, { configs: [cfg] });
    expect(svc.servedModelName).toBe('from-config');
    expect(svc.mergedSpec.template.containers[0].env).toEqual([{ name: 'A', value: '1' }, { name: 'B', value: '2' }]);
    expect(svc.mergedSpec.template.containers[0].resources).toEqual({ limits: { 'nvidia.com/gpu': '1' } });
    expect(svc.appliedConfigs).toEqual(['kserve-config-llm-scheduler', 'kserve-config-llm-router-route', 'kserve-config-llm-template', 'c']);
  });
});
