/** LlmService: what the synthesized objects contain (KServe Mode A: kserve-llmisvc.md §3.2–§3.3, §3.7). */
import { Duration, JsonPatch, Size } from 'cdk8s';
import { Accelerator, Engine, LlmInferenceService, LlmService, ModelSource, ResourceNames, Versions } from '../src';
import { expectConfigError } from './util/expect-error';
import { find, mainContainer, synth, testChart } from './util/synth';
import { expectValid } from './util/validated';

const MODEL = ModelSource.huggingFace('Qwen/Qwen3-0.6B');

function build(props: Partial<ConstructorParameters<typeof LlmService>[2]> = {}, id = 'qwen') {
  const chart = testChart();
  const svc = new LlmService(chart, id, { model: MODEL, ...props });
  return { svc, objs: synth(chart) };
}

describe('names, labels and selectors (wiring contract)', () => {
  const { svc, objs } = build();
  const dep = find(objs, 'Deployment', 'qwen-kserve');
  const service = find(objs, 'Service', 'qwen-kserve-workload-svc');

  test('Deployment N-kserve carries the KServe workload labels on metadata, selector and template', () => {
    const expected = {
      'app.kubernetes.io/component': 'llminferenceservice-workload',
      'app.kubernetes.io/name': 'qwen',
      'app.kubernetes.io/part-of': 'llminferenceservice',
      'kserve.io/component': 'workload',
      'llm-d.ai/role': 'both',
    };
    expect(dep.metadata.labels).toEqual(expected);
    expect(dep.spec.selector.matchLabels).toEqual(expected);
    expect(dep.spec.template.metadata.labels).toEqual(expected);
    expect(dep.metadata.namespace).toBe('llm');
  });

  test('workload Service selects every serving pod on port 8000 and exposes it as http', () => {
    expect(service.spec.selector).toEqual({
      'app.kubernetes.io/part-of': 'llminferenceservice',
      'app.kubernetes.io/name': 'qwen',
      'kserve.io/component': 'workload',
    });
    expect(svc.selectorLabels).toEqual(service.spec.selector);
    expect(service.spec.ports).toEqual([{ name: 'http', protocol: 'TCP', appProtocol: 'http', port: 8000, targetPort: 8000 }]);
    expect(mainContainer(dep).ports).toEqual([{ name: 'http', containerPort: 8000, protocol: 'TCP' }]);
    expect(svc.port).toBe(8000);
  });

  test('url embeds the namespace', () => {
    expect(svc.url).toBe('http://qwen-kserve-workload-svc.llm.svc.cluster.local:8000');
  });
});

describe('ResourceNames.childName matches knative kmeta.ChildName (vectors computed independently with Python hashlib)', () => {
  test.each([
    ['qwen', '-kserve', 'qwen-kserve'],
    ['a'.repeat(50), '-kserve-workload-svc', 'aaaaaaaaaaa6eb6a030bcce166534b95bc2ab45d9cf-kserve-workload-svc'],
    ['my-very-long-llm-inference-service-name-for-testing', '-kserve-router-scheduler', 'my-very4d46f1b065fd73ba817dfa9e3d539722-kserve-router-scheduler'],
    ['x'.repeat(40), '-this-is-a-very-long-suffix-over-31-chars', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx25a1bb58102d27006890aeb69d864704'],
  ])('childName(%s, %s)', (parent, suffix, expected) => {
    const name = ResourceNames.childName(parent, suffix);
    expect(name).toBe(expected);
    expect(name.length).toBeLessThanOrEqual(63);
  });

  test('a long service name gives hashed, distinct, valid object names', () => {
    const name = 'a-very-long-service-name-that-is-still-a-valid-label-abcdefghij';
    const { objs } = build({ name });
    const names = objs.map((o) => o.metadata.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n.length).toBeLessThanOrEqual(63);
    expect(find(objs, 'Deployment').metadata.labels['app.kubernetes.io/name']).toBe(name);
  });
});

describe('GPUs and engine flags derive from the parallelism', () => {
  test('TP 2 × PP 2 → 4 GPUs (requests = limits), both flags, 8Gi /dev/shm', () => {
    const { svc, objs } = build({ parallelism: { tensor: 2, pipeline: 2 } });
    const c = mainContainer(find(objs, 'Deployment'));
    expect(c.resources.limits['nvidia.com/gpu']).toBe('4');
    expect(c.resources.requests['nvidia.com/gpu']).toBe('4');
    expect(c.args).toEqual(expect.arrayContaining(['--tensor-parallel-size', '2', '--pipeline-parallel-size', '2']));
    expect(c.args.join(' ')).toContain('--tensor-parallel-size 2');
    expect(svc.acceleratorsPerPod).toBe(4);
    const shm = find(objs, 'Deployment').spec.template.spec.volumes.find((v: any) => v.name === 'dshm');
    expect(shm.emptyDir).toEqual({ medium: 'Memory', sizeLimit: '8Gi' });
    expect(c.volumeMounts).toContainEqual({ name: 'dshm', mountPath: '/dev/shm' });
  });

  test('single-pod data parallelism: DP 2 × TP 2 → 4 GPUs, --data-parallel-size 2, expert parallel flag', () => {
    const { objs } = build({ parallelism: { tensor: 2, data: 2, expert: true } });
    const c = mainContainer(find(objs, 'Deployment'));
    expect(c.resources.limits['nvidia.com/gpu']).toBe('4');
    expect(c.args.join(' ')).toContain('--data-parallel-size 2');
    expect(c.args).toContain('--enable-expert-parallel');
    expect(c.args).not.toContain('--data-parallel-size-local');
  });

  test('one GPU: no parallel flags, 1Gi /dev/shm (KServe preset)', () => {
    const { objs } = build();
    const dep = find(objs, 'Deployment');
    const c = mainContainer(dep);
    expect(c.resources.limits).toEqual({ 'nvidia.com/gpu': '1' });
    expect(c.args.filter((a: string) => a.includes('parallel'))).toEqual([]);
    expect(dep.spec.template.spec.volumes.find((v: any) => v.name === 'dshm').emptyDir.sizeLimit).toBe('1Gi');
  });

  test('vLLM command line: model path, served name, port, typed options, then extra args', () => {
    const { objs } = build({
      servedModelName: 'Qwen/Qwen3-0.6B',
      engine: Engine.vllm({ maxModelLen: 4096, gpuMemoryUtilization: 0.85, enablePrefixCaching: false, dtype: 'bfloat16', blockSize: 64, extraArgs: ['--max-num-seqs=128'] }),
    });
    const c = mainContainer(find(objs, 'Deployment'));
    expect(c.image).toBe(Versions.VLLM_IMAGE);
    expect(c.command).toEqual(['vllm', 'serve']);
    expect(c.args).toEqual(['/mnt/models', '--served-model-name', 'Qwen/Qwen3-0.6B', '--port', '8000', '--max-model-len', '4096',
      '--gpu-memory-utilization', '0.85', '--no-enable-prefix-caching', '--dtype', 'bfloat16', '--block-size', '64', '--shutdown-timeout', '40', '--max-num-seqs=128']);
  });

  test('AMD, Gaudi, TPU and custom accelerators request their own resource; TPU adds node selectors', () => {
    const cases: [Accelerator, string][] = [
      [Accelerator.amd(), 'amd.com/gpu'],
      [Accelerator.intelGaudi(), 'habana.ai/gaudi'],
      [Accelerator.tpu({ type: 'tpu-v6e-slice', topology: '2x2' }), 'google.com/tpu'],
      [Accelerator.custom('gpu.intel.com/xe'), 'gpu.intel.com/xe'],
    ];
    for (const [accelerator, resource] of cases) {
      const { objs } = build({ accelerator, parallelism: { tensor: 2 }, engine: Engine.vllm({ image: 'registry.example/vllm:v0.23.0' }) });
      const dep = find(objs, 'Deployment');
      expect(mainContainer(dep).resources.limits).toEqual({ [resource]: '2' });
      if (resource === 'google.com/tpu') {
        expect(dep.spec.template.spec.nodeSelector).toEqual({ 'cloud.google.com/gke-tpu-accelerator': 'tpu-v6e-slice', 'cloud.google.com/gke-tpu-topology': '2x2' });
      }
    }
  });

  test('extra RDMA resources go to requests and limits with equal values; tolerations are passed through', () => {
    const { objs } = build({ accelerator: Accelerator.nvidia({ extraResources: { 'rdma/roce_gdr': '1' }, tolerations: [{ key: 'nvidia.com/gpu', effect: 'NoSchedule' }] }) });
    const dep = find(objs, 'Deployment');
    const c = mainContainer(dep);
    expect(c.resources.requests).toEqual({ 'nvidia.com/gpu': '1', 'rdma/roce_gdr': '1' });
    expect(c.resources.limits).toEqual(c.resources.requests);
    expect(dep.spec.template.spec.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
  });

  test('CPU and memory: CPU request only, memory request = limit', () => {
    const { objs } = build({ resources: { cpu: '8', memory: '64Gi' } });
    const c = mainContainer(find(objs, 'Deployment'));
    expect(c.resources.requests).toEqual({ 'nvidia.com/gpu': '1', 'cpu': '8', 'memory': '64Gi' });
    expect(c.resources.limits).toEqual({ 'nvidia.com/gpu': '1', 'memory': '64Gi' });
  });
});

describe('probes, lifecycle, security', () => {
  test('startup budget comes from startupTimeout (default 10 min = 60 × 10 s)', () => {
    expect(mainContainer(find(build().objs, 'Deployment')).startupProbe).toEqual({
      httpGet: { path: '/health', port: 8000, scheme: 'HTTP' }, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 60,
    });
    const c = mainContainer(find(build({ startupTimeout: Duration.minutes(45) }).objs, 'Deployment'));
    expect(c.startupProbe.failureThreshold).toBe(270);
    expect(c.livenessProbe).toMatchObject({ periodSeconds: 10, failureThreshold: 10 });
    expect(c.readinessProbe).toMatchObject({ periodSeconds: 1, failureThreshold: 2 });
    expect(c.lifecycle.preStop.exec.command).toEqual(['/bin/sleep', '15']);
  });

  test('hardened container security context and grace period', () => {
    const dep = find(build().objs, 'Deployment');
    expect(mainContainer(dep).securityContext).toMatchObject({
      allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(dep.spec.template.spec.terminationGracePeriodSeconds).toBe(60);
  });
});

describe('model sources (kserve-llmisvc.md §3.7)', () => {
  test('hf:// with a token Secret: storage-initializer into an emptyDir, HF_TOKEN from the Secret', () => {
    const { objs } = build({ model: ModelSource.huggingFace('Qwen/Qwen3-8B', { token: { name: 'hf-token' } }) });
    const pod = find(objs, 'Deployment').spec.template.spec;
    const init = pod.initContainers.find((c: any) => c.name === 'storage-initializer');
    expect(init.image).toBe(Versions.STORAGE_INITIALIZER_IMAGE);
    expect(init.args).toEqual(['hf://Qwen/Qwen3-8B', '/mnt/models']);
    expect(init.env).toContainEqual({ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf-token', key: 'HF_TOKEN' } } });
    expect(pod.volumes).toContainEqual({ name: 'kserve-provision-location', emptyDir: {} });
    expect(mainContainer({ spec: { template: { spec: pod } } }).volumeMounts).toContainEqual({ name: 'kserve-provision-location', mountPath: '/mnt/models', readOnly: true });
    expect(JSON.stringify(objs)).not.toMatch(/hf_[A-Za-z0-9]{8}/);
  });

  test('s3:// with credentials and endpoint', () => {
    const { objs } = build({ model: ModelSource.s3('models/qwen', { credentials: 's3-creds', endpoint: 'minio.storage.svc:9000' }) });
    const init = find(objs, 'Deployment').spec.template.spec.initContainers[0];
    expect(init.args).toEqual(['s3://models/qwen', '/mnt/models']);
    expect(init.env).toContainEqual({ name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: 's3-creds', key: 'AWS_SECRET_ACCESS_KEY' } } });
    expect(init.env).toContainEqual({ name: 'S3_ENDPOINT', value: 'minio.storage.svc:9000' });
  });

  test('gs:// with a service-account key mounted from a Secret', () => {
    const { objs } = build({ model: ModelSource.gcs('bucket-a/qwen', { credentials: { name: 'gcp-sa' } }) });
    const pod = find(objs, 'Deployment').spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'gcs-credentials', secret: { secretName: 'gcp-sa' } });
    expect(pod.initContainers[0].env).toContainEqual({ name: 'GOOGLE_APPLICATION_CREDENTIALS', value: '/var/secrets/gcp/gcloud-application-credentials.json' });
  });

  test('pvc:// mounts the claim read-only at /mnt/models with the sub-path; no init container; cache PVC for downloads', () => {
    const { objs } = build({ model: ModelSource.fromUri('pvc://models/qwen3') });
    const pod = find(objs, 'Deployment').spec.template.spec;
    expect(pod.initContainers).toBeUndefined();
    expect(pod.volumes).toContainEqual({ name: 'kserve-pvc-source', persistentVolumeClaim: { claimName: 'models', readOnly: true } });
    expect(mainContainer({ spec: { template: { spec: pod } } }).volumeMounts).toContainEqual({ name: 'kserve-pvc-source', mountPath: '/mnt/models', readOnly: true, subPath: 'qwen3' });
    const cached = find(build({ modelCacheClaim: 'hf-cache' }).objs, 'Deployment').spec.template.spec;
    expect(cached.volumes).toContainEqual({ name: 'kserve-provision-location', persistentVolumeClaim: { claimName: 'hf-cache' } });
  });

  test('oci:// uses the modelcar sidecar, shared process namespace and MODEL_INIT_MODE=async', () => {
    const { objs } = build({ model: ModelSource.oci('quay.io/org/qwen-modelcar:1.0') });
    const pod = find(objs, 'Deployment').spec.template.spec;
    expect(pod.shareProcessNamespace).toBe(true);
    expect(pod.containers.map((c: any) => c.name)).toEqual(['main', 'modelcar']);
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(['modelcar-init']);
    expect(mainContainer({ spec: { template: { spec: pod } } }).env).toContainEqual({ name: 'MODEL_INIT_MODE', value: 'async' });
  });

  test('fromUri round-trips every scheme', () => {
    for (const uri of ['hf://Qwen/Qwen3-0.6B', 's3://bucket-a/x/y', 'gs://bucket-a/x', 'pvc://claim/sub/dir', 'oci://quay.io/org/model:1']) {
      expect(ModelSource.fromUri(uri).uri).toBe(uri);
    }
  });
});

describe('LoRA adapters', () => {
  test('downloaded and PVC adapters: sorted --lora-modules, shared storage-initializer, read-only PVC mounts', () => {
    const { objs } = build({
      loraAdapters: [
        { name: 'sql', source: ModelSource.huggingFace('org/sql-lora') },
        { name: 'chat', source: ModelSource.pvc('adapters', 'chat') },
      ],
      lora: { maxRank: 64, runtimeUpdates: true },
    });
    const pod = find(objs, 'Deployment').spec.template.spec;
    const c = mainContainer({ spec: { template: { spec: pod } } });
    const i = c.args.indexOf('--lora-modules');
    expect(c.args.slice(i + 1, i + 3)).toEqual(['{"name":"chat","path":"/mnt/lora/chat"}', '{"name":"sql","path":"/mnt/lora/sql"}']);
    expect(c.args).toEqual(expect.arrayContaining(['--enable-lora', '--max-lora-rank', '64']));
    expect(pod.initContainers[0].args).toEqual(['hf://Qwen/Qwen3-0.6B', '/mnt/models', 'hf://org/sql-lora', '/mnt/lora/sql']);
    expect(c.volumeMounts).toContainEqual({ name: 'lora-pvc-chat', mountPath: '/mnt/lora/chat', readOnly: true, subPath: 'chat' });
    expect(c.env).toContainEqual({ name: 'VLLM_ALLOW_RUNTIME_LORA_UPDATING', value: 'true' });
  });
});

describe('simulator engine', () => {
  test('renders simulator flags only, no GPU, no /dev/shm, no model download', () => {
    const { svc, objs } = build({ engine: Engine.simulator({ interTokenLatencyMs: 20 }), accelerator: Accelerator.cpu(), servedModelName: 'Qwen/Qwen3-0.6B' });
    const pod = find(objs, 'Deployment').spec.template.spec;
    const c = mainContainer({ spec: { template: { spec: pod } } });
    expect(c.image).toBe(Versions.SIMULATOR_IMAGE);
    expect(c.command).toBeUndefined();
    expect(c.args).toEqual(['--model', 'Qwen/Qwen3-0.6B', '--port', '8000', '--served-model-name', 'Qwen/Qwen3-0.6B', '--mode', 'random', '--inter-token-latency', '20']);
    expect(c.resources).toBeUndefined();
    expect(pod.volumes).toBeUndefined();
    expect(pod.initContainers).toBeUndefined();
    expect(svc.acceleratorsPerPod).toBe(0);
  });

  test('the simulator drops GPU resources even with an NVIDIA accelerator', () => {
    const c = mainContainer(find(build({ engine: Engine.simulator() }).objs, 'Deployment'));
    expect(c.resources).toBeUndefined();
  });
});

describe('route and escape hatches', () => {
  test('HTTPRoute to the workload Service with parentRef, path prefix and timeout', () => {
    const { objs } = build({ route: { gateway: { name: 'gw', namespace: 'gateways', sectionName: 'https' }, hostnames: ['llm.example.com'], requestTimeout: Duration.minutes(10) } });
    const route = find(objs, 'HTTPRoute', 'qwen-kserve-route');
    expect(route.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(route.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gw', namespace: 'gateways', sectionName: 'https' }]);
    expect(route.spec.rules[0].backendRefs).toEqual([{ group: '', kind: 'Service', name: 'qwen-kserve-workload-svc', port: 8000, weight: 1 }]);
    expect(route.spec.rules[0].timeouts).toEqual({ request: '600s' });
    expect(route.metadata.labels['app.kubernetes.io/component']).toBe('llminferenceservice-router');
  });

  test('JSON patches on the exposed ApiObjects reach the output, including extended-resource keys', () => {
    const chart = testChart();
    const svc = new LlmService(chart, 'qwen', { model: MODEL, sharedMemory: Size.gibibytes(3) });
    svc.deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', 'llm-high'));
    svc.deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/resources/limits/rdma~1ib', '1'));
    const dep = find(synth(chart), 'Deployment');
    expect(dep.spec.template.spec.priorityClassName).toBe('llm-high');
    expect(mainContainer(dep).resources.limits['rdma/ib']).toBe('1');
    expect(dep.spec.template.spec.volumes.find((v: any) => v.name === 'dshm').emptyDir.sizeLimit).toBe('3Gi');
  });
});

describe('ephemeral storage of the model download', () => {
  test('resources.ephemeralStorage sets the container request and limit and the download emptyDir size limit', () => {
    const chart = testChart();
    new LlmService(chart, 'big', { model: ModelSource.huggingFace('deepseek-ai/DeepSeek-R1'), resources: { ephemeralStorage: '800Gi' } });
    const objs = expectValid(synth(chart));
    const dep = find(objs, 'Deployment');
    const c = mainContainer(dep);
    expect(c.resources.requests['ephemeral-storage']).toBe('800Gi');
    expect(c.resources.limits['ephemeral-storage']).toBe('800Gi');
    const mount = c.volumeMounts.find((m: any) => m.mountPath === '/mnt/models');
    expect(dep.spec.template.spec.volumes.find((v: any) => v.name === mount.name).emptyDir).toEqual({ sizeLimit: '800Gi' });
  });
  test.each(['0Gi', 'lots', '-5Gi'])('%s is refused', (v) => {
    expectConfigError(() => new LlmService(testChart(), 'big', { model: ModelSource.huggingFace('deepseek-ai/DeepSeek-R1'), resources: { ephemeralStorage: v } }),
      { path: 'test/big', field: 'resources.ephemeralStorage', value: v });
  });
  test('KServe templates carry ephemeral-storage through', () => {
    const chart = testChart();
    new LlmInferenceService(chart, 'svc', {
      resource: {
        apiVersion: 'serving.kserve.io/v1alpha2',
        kind: 'LLMInferenceService',
        metadata: { name: 'q', namespace: 'llm' },
        spec: {
          model: { uri: 'hf://Qwen/Qwen2.5-7B-Instruct', name: 'Qwen/Qwen2.5-7B-Instruct' },
          template: { containers: [{ name: 'main', resources: { limits: { 'nvidia.com/gpu': '1', 'ephemeral-storage': '100Gi' } } }] },
        },
      },
    });
    const c = mainContainer(find(expectValid(synth(chart)), 'Deployment'));
    expect(c.resources.limits['ephemeral-storage']).toBe('100Gi');
  });
});

describe('workload metadata (workloadLabels / workloadAnnotations)', () => {
  test('land on the Deployment metadata only, never in the selector or the pods', () => {
    const { objs } = build({ workloadLabels: { 'kueue.x-k8s.io/queue-name': 'q' }, workloadAnnotations: { 'example.com/owner': 'search' } });
    const d = find(objs, 'Deployment', 'qwen-kserve');
    expect(d.metadata.labels['kueue.x-k8s.io/queue-name']).toBe('q');
    expect(d.metadata.annotations).toEqual({ 'example.com/owner': 'search' });
    expect(d.spec.selector.matchLabels['kueue.x-k8s.io/queue-name']).toBeUndefined();
    expect(d.spec.template.metadata.labels['kueue.x-k8s.io/queue-name']).toBeUndefined();
    expectValid(objs);
  });

  test('a wiring label key in workloadLabels is an LlmdConfigError', () => {
    expectConfigError(() => build({ workloadLabels: { 'app.kubernetes.io/name': 'x' } }),
      { path: 'test/qwen', field: 'workloadLabels["app.kubernetes.io/name"]', value: '"x"', mentions: 'wiring label' });
  });
});

describe('resources: cpuLimit and extraResources', () => {
  test('render as limits (and equal requests for extra resources)', () => {
    const { objs } = build({ resources: { cpu: '4', cpuLimit: '8', extraResources: { 'hugepages-2Mi': '1Gi' } } });
    const c = mainContainer(find(objs, 'Deployment', 'qwen-kserve'));
    expect(c.resources.limits.cpu).toBe('8');
    expect(c.resources.requests.cpu).toBe('4');
    expect([c.resources.requests['hugepages-2Mi'], c.resources.limits['hugepages-2Mi']]).toEqual(['1Gi', '1Gi']);
    expectValid(objs);
  });

  test('a resource with its own prop in extraResources, or a bad quantity, is an LlmdConfigError', () => {
    expectConfigError(() => build({ resources: { extraResources: { cpu: '2' } } }),
      { path: 'test/qwen', field: 'resources.extraResources["cpu"]', value: '"2"', mentions: 'its own prop' });
    expectConfigError(() => build({ resources: { cpuLimit: 'lots' } }), { path: 'test/qwen', field: 'resources.cpuLimit', value: '"lots"', mentions: 'quantity' });
  });
});
