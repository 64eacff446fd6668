import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { escapeCelPropertyName, formatIssues, SchemaValidator, ValidationIssue } from './schema-validator';
import { loadYamlDocuments } from './yaml';

// ---------------------------------------------------------------------------------------------
// fixtures (realistic llm-d style objects)

const NS = 'llm';
const POOL_LABELS = { 'llm-d.ai/inferenceServing': 'true', 'llm-d.ai/model': 'qwen3-0-6b' };

function vllmDeployment(): any {
  const labels = { ...POOL_LABELS, 'llm-d.ai/role': 'decode', 'app.kubernetes.io/name': 'qwen3-decode' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'qwen3-decode', namespace: NS, labels },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels, annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '8200' } },
        spec: {
          serviceAccountName: 'qwen3',
          // native sidecar: the routing proxy in front of vLLM
          initContainers: [{
            name: 'routing-proxy',
            image: 'ghcr.io/llm-d/llm-d-routing-sidecar:v0.4.0',
            imagePullPolicy: 'IfNotPresent',
            restartPolicy: 'Always',
            args: ['--port=8000', '--vllm-port=8200', '--connector=nixlv2'],
            ports: [{ containerPort: 8000, name: 'proxy', protocol: 'TCP' }],
            securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true },
          }],
          containers: [{
            name: 'vllm',
            image: 'vllm/vllm-openai:v0.11.0',
            imagePullPolicy: 'IfNotPresent',
            command: ['vllm', 'serve'],
            args: ['Qwen/Qwen3-0.6B', '--port', '8200', '--tensor-parallel-size', '1', '--enable-prefix-caching'],
            env: [
              { name: 'HF_HOME', value: '/models' },
              { name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf-token', key: 'token', optional: true } } },
              { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
              { name: 'VLLM_NIXL_SIDE_CHANNEL_PORT', value: '5600' },
            ],
            ports: [
              { containerPort: 8200, name: 'vllm', protocol: 'TCP' },
              { containerPort: 5600, name: 'nixl', protocol: 'TCP' },
            ],
            resources: {
              limits: { 'nvidia.com/gpu': '1', 'memory': '64Gi' },
              requests: { 'nvidia.com/gpu': 1, 'cpu': '8', 'memory': '32Gi' },
            },
            readinessProbe: { httpGet: { path: '/health', port: 8200 }, periodSeconds: 5, failureThreshold: 3 },
            startupProbe: { httpGet: { path: '/health', port: 'vllm' }, periodSeconds: 10, failureThreshold: 60 },
            volumeMounts: [
              { name: 'shm', mountPath: '/dev/shm' },
              { name: 'models', mountPath: '/models' },
            ],
          }],
          volumes: [
            { name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: '8Gi' } },
            { name: 'models', emptyDir: {} },
          ],
          tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
          terminationGracePeriodSeconds: 30,
        },
      },
    },
  };
}

function service(): any {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'qwen3-epp', namespace: NS },
    spec: {
      type: 'ClusterIP',
      selector: { app: 'qwen3-epp' },
      ports: [
        { name: 'grpc-ext-proc', port: 9002, targetPort: 9002, protocol: 'TCP', appProtocol: 'http2' },
        { name: 'http-metrics', port: 9090, targetPort: 'metrics', protocol: 'TCP' },
      ],
    },
  };
}

function serviceAccount(): any {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'qwen3-epp', namespace: NS } };
}

function role(): any {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'qwen3-epp', namespace: NS },
    rules: [
      { apiGroups: ['inference.networking.k8s.io'], resources: ['inferencepools'], verbs: ['get', 'watch', 'list'] },
      { apiGroups: ['llm-d.ai'], resources: ['inferenceobjectives', 'inferencemodelrewrites'], verbs: ['get', 'watch', 'list'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'watch', 'list'] },
    ],
  };
}

function roleBinding(): any {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'qwen3-epp', namespace: NS },
    subjects: [{ kind: 'ServiceAccount', name: 'qwen3-epp', namespace: NS }],
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'qwen3-epp' },
  };
}

function configMap(): any {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'qwen3-epp-config', namespace: NS },
    data: {
      'default-plugins.yaml': [
        'apiVersion: llm-d.ai/v1alpha1',
        'kind: EndpointPickerConfig',
        'plugins:',
        '- type: prefix-cache-scorer',
        '- type: queue-scorer',
        'schedulingProfiles:',
        '- name: default',
        '  plugins:',
        '  - pluginRef: prefix-cache-scorer',
        '    weight: 2',
        '  - pluginRef: queue-scorer',
        '',
      ].join('\n'),
    },
  };
}

function inferencePool(): any {
  return {
    apiVersion: 'inference.networking.k8s.io/v1',
    kind: 'InferencePool',
    metadata: { name: 'qwen3', namespace: NS },
    spec: {
      selector: { matchLabels: POOL_LABELS },
      targetPorts: [{ number: 8000 }],
      endpointPickerRef: { name: 'qwen3-epp', port: { number: 9002 }, failureMode: 'FailOpen' },
    },
  };
}

function inferencePoolV1alpha2(): any {
  return {
    apiVersion: 'inference.networking.x-k8s.io/v1alpha2',
    kind: 'InferencePool',
    metadata: { name: 'qwen3', namespace: NS },
    spec: {
      selector: POOL_LABELS,
      targetPortNumber: 8000,
      extensionRef: { name: 'qwen3-epp', portNumber: 9002 },
    },
  };
}

function httpRoute(): any {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'qwen3', namespace: NS },
    spec: {
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'llm-gateway' }],
      rules: [{
        matches: [{ path: { type: 'PathPrefix', value: '/' } }],
        backendRefs: [{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'qwen3' }],
        timeouts: { request: '300s' },
      }],
    },
  };
}

/** A valid HTTPRoute exercising every filter type (so every HTTPRoute CEL rule is evaluated). */
function kitchenSinkHttpRoute(): any {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'kitchen-sink', namespace: NS },
    spec: {
      parentRefs: [
        { name: 'llm-gateway', sectionName: 'http' },
        { name: 'llm-gateway', sectionName: 'https' },
        { name: 'other-gateway', namespace: 'infra' },
      ],
      hostnames: ['llm.example.com', '*.llm.example.com'],
      rules: [
        {
          name: 'chat',
          matches: [{ path: { type: 'PathPrefix', value: '/v1' }, headers: [{ name: 'x-model', value: 'qwen3' }] }],
          filters: [
            { type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-gateway', value: 'llm' }], remove: ['x-debug'] } },
            { type: 'ResponseHeaderModifier', responseHeaderModifier: { add: [{ name: 'x-served-by', value: 'llm-d' }] } },
            { type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } },
            { type: 'RequestMirror', requestMirror: { backendRef: { name: 'shadow', port: 8000 }, percent: 10 } },
            { type: 'CORS', cors: { allowOrigins: ['https://chat.example.com'], allowMethods: ['GET', 'POST'], allowHeaders: ['*'], maxAge: 60 } },
          ],
          backendRefs: [{
            group: 'inference.networking.k8s.io',
            kind: 'InferencePool',
            name: 'qwen3',
            weight: 1,
            filters: [
              { type: 'RequestHeaderModifier', requestHeaderModifier: { add: [{ name: 'x-pool', value: 'qwen3' }] } },
              { type: 'RequestMirror', requestMirror: { backendRef: { name: 'shadow', port: 8000 }, fraction: { numerator: 1, denominator: 4 } } },
            ],
          }],
          timeouts: { request: '300s', backendRequest: '120s' },
        },
        {
          matches: [{ path: { type: 'Exact', value: '/old' } }],
          filters: [{ type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplaceFullPath', replaceFullPath: '/new' }, statusCode: 301 } }],
        },
        {
          matches: [{ path: { type: 'PathPrefix', value: '/legacy' } }],
          filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/v2' } } }],
        },
        {
          matches: [{ path: { type: 'RegularExpression', value: '/metrics/.*' } }],
          filters: [
            { type: 'ExtensionRef', extensionRef: { group: 'example.com', kind: 'RateLimit', name: 'metrics' } },
            { type: 'URLRewrite', urlRewrite: { hostname: 'metrics.internal', path: { type: 'ReplaceFullPath', replaceFullPath: '/metrics' } } },
          ],
          backendRefs: [{ name: 'qwen3-epp', port: 9090 }],
        },
      ],
    },
  };
}

function gateway(): any {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: 'llm-gateway', namespace: NS },
    spec: {
      gatewayClassName: 'istio',
      addresses: [{ type: 'IPAddress', value: '10.0.0.10' }, { type: 'Hostname', value: 'gw.example.com' }],
      infrastructure: { labels: { 'example.com/team': 'llm' }, annotations: { 'networking.example.com/lb': 'internal' } },
      listeners: [
        { name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } },
        { name: 'https', port: 443, protocol: 'HTTPS', hostname: '*.example.com', tls: { mode: 'Terminate', certificateRefs: [{ name: 'llm-cert' }] } },
      ],
      tls: {
        frontend: {
          default: { validation: { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'ca' }] } },
          perPort: [{ port: 443, tls: { validation: { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'ca' }], mode: 'AllowInsecureFallback' } } }],
        },
      },
    },
  };
}

function referenceGrant(): any {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1beta1',
    kind: 'ReferenceGrant',
    metadata: { name: 'allow-routes', namespace: NS },
    spec: {
      from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'apps' }],
      to: [{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'qwen3' }],
    },
  };
}

function podTemplate(podRole: string): any {
  return {
    metadata: { labels: { ...POOL_LABELS, 'llm-d.ai/role': podRole } },
    spec: {
      containers: [{
        name: 'vllm',
        image: 'vllm/vllm-openai:v0.11.0',
        command: ['sh', '-c'],
        args: ['bash /vllm-workspace/examples/online_serving/multi-node-serving.sh leader --ray_cluster_size=$(LWS_GROUP_SIZE); vllm serve Qwen/Qwen3-235B --tensor-parallel-size 8 --pipeline-parallel-size 2'],
        env: [{ name: 'HF_HOME', value: '/models' }],
        ports: [{ containerPort: 8000, name: 'http' }],
        resources: { limits: { 'nvidia.com/gpu': '8' }, requests: { 'nvidia.com/gpu': '8', 'cpu': '32' } },
        volumeMounts: [{ name: 'dshm', mountPath: '/dev/shm' }],
      }],
      volumes: [{ name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: '16Gi' } }],
    },
  };
}

function leaderWorkerSet(): any {
  return {
    apiVersion: 'leaderworkerset.x-k8s.io/v1',
    kind: 'LeaderWorkerSet',
    metadata: { name: 'qwen3-235b', namespace: NS },
    spec: {
      replicas: 1,
      startupPolicy: 'LeaderCreated',
      leaderWorkerTemplate: {
        size: 2,
        restartPolicy: 'RecreateGroupOnPodRestart',
        leaderTemplate: podTemplate('leader'),
        workerTemplate: podTemplate('worker'),
      },
      rolloutStrategy: { type: 'RollingUpdate', rollingUpdateConfiguration: { maxUnavailable: 1, maxSurge: '25%' } },
    },
  };
}

function inferenceObjective(): any {
  return {
    apiVersion: 'llm-d.ai/v1alpha2',
    kind: 'InferenceObjective',
    metadata: { name: 'qwen3-critical', namespace: NS },
    spec: { priority: 10, poolRef: { name: 'qwen3' } },
  };
}

function inferenceModelRewrite(): any {
  return {
    apiVersion: 'llm-d.ai/v1alpha2',
    kind: 'InferenceModelRewrite',
    metadata: { name: 'qwen3-canary', namespace: NS },
    spec: {
      poolRef: { name: 'qwen3' },
      rules: [{
        matches: [{ model: { value: 'qwen3' } }],
        targets: [{ modelRewrite: 'qwen3-v1', weight: 90 }, { modelRewrite: 'qwen3-v2', weight: 10 }],
      }],
    },
  };
}

// ---------------------------------------------------------------------------------------------

let validator: SchemaValidator;
let loadMs = 0;

beforeAll(() => {
  const t0 = performance.now();
  validator = SchemaValidator.get();
  loadMs = performance.now() - t0;
});

function issuesOf(obj: any): ValidationIssue[] {
  return validator.validate(obj);
}

function expectValid(obj: any): void {
  const issues = issuesOf(obj);
  if (issues.length) throw new Error(`expected ${obj.kind}/${obj.metadata?.name} to be valid:\n${formatIssues(issues)}`);
}

/** Expects exactly the issues matching `match` to exist (at least one), returns them. */
function expectIssue(obj: any, match: { path?: string | RegExp; message: string | RegExp; source?: ValidationIssue['source'] }): ValidationIssue[] {
  const issues = issuesOf(obj);
  const hits = issues.filter(i =>
    (match.path === undefined || (typeof match.path === 'string' ? i.path === match.path : match.path.test(i.path)))
    && (typeof match.message === 'string' ? i.message.includes(match.message) : match.message.test(i.message))
    && (match.source === undefined || i.source === match.source));
  if (!hits.length) {
    throw new Error(`expected an issue ${JSON.stringify({ ...match, path: String(match.path), message: String(match.message) })} for ${obj.kind}/${obj.metadata?.name}, got:\n${formatIssues(issues) || '(no issues)'}`);
  }
  return hits;
}

describe('SchemaValidator: valid objects', () => {
  test('timings are reasonable', () => {
    const t0 = performance.now();
    expectValid(vllmDeployment());
    const first = performance.now() - t0;
    // eslint-disable-next-line no-console
    console.log(`schema harness: load ${loadMs.toFixed(0)} ms (constructor ${validator.loadMs.toFixed(0)} ms), first Deployment validation ${first.toFixed(0)} ms`);
    expect(loadMs).toBeLessThan(2000);
  });

  test.each([
    ['Deployment (vLLM, GPU, native sidecar)', vllmDeployment],
    ['Service', service],
    ['ServiceAccount', serviceAccount],
    ['Role', role],
    ['RoleBinding', roleBinding],
    ['ConfigMap', configMap],
    ['HTTPRoute', httpRoute],
    ['HTTPRoute with every filter type', kitchenSinkHttpRoute],
    ['Gateway', gateway],
    ['ReferenceGrant', referenceGrant],
    ['InferencePool v1', inferencePool],
    ['InferencePool v1alpha2', inferencePoolV1alpha2],
    ['LeaderWorkerSet', leaderWorkerSet],
    ['InferenceObjective (llm-d.ai)', inferenceObjective],
    ['InferenceModelRewrite (llm-d.ai)', inferenceModelRewrite],
  ])('%s passes', (_name, make) => {
    expectValid(make());
  });

  test('InferencePool without endpointPickerRef is valid (optional since v1.6.0)', () => {
    const p = inferencePool();
    delete p.spec.endpointPickerRef;
    expectValid(p);
  });

  test('endpointPickerRef of a non-Service kind needs no port', () => {
    const p = inferencePool();
    p.spec.endpointPickerRef = { group: 'example.com', kind: 'Picker', name: 'picker' };
    expectValid(p);
  });

  test('validateAll and a kind: List are flattened', () => {
    expect(validator.validateAll([service(), serviceAccount()])).toEqual([]);
    expect(validator.validate({ apiVersion: 'v1', kind: 'List', items: [service(), roleBinding()] })).toEqual([]);
  });

  test('the input object is not mutated by defaulting', () => {
    const p = inferencePool();
    const before = JSON.stringify(p);
    validator.validate(p);
    expect(JSON.stringify(p)).toBe(before);
  });

  test('core kinds missing from the OpenAPI v3 files come from _definitions.json (strict)', () => {
    const pc = { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'llm-critical' }, value: 1000000 };
    expectValid(pc);
    expectIssue({ ...pc, valu: 1 }, { path: '', message: 'must NOT have additional properties (valu)', source: 'schema' });
  });
});

describe('SchemaValidator: core schema violations', () => {
  test('container field typo (imagePullPolicyy)', () => {
    const d = vllmDeployment();
    d.spec.template.spec.containers[0].imagePullPolicyy = 'Always';
    expectIssue(d, { path: '/spec/template/spec/containers/0', message: 'must NOT have additional properties (imagePullPolicyy)', source: 'schema' });
  });

  test('lowercase restartpolicy on a container', () => {
    const d = vllmDeployment();
    d.spec.template.spec.initContainers[0].restartpolicy = 'Always';
    delete d.spec.template.spec.initContainers[0].restartPolicy;
    expectIssue(d, { path: '/spec/template/spec/initContainers/0', message: 'must NOT have additional properties (restartpolicy)' });
  });

  test('GPU quantity null', () => {
    const d = vllmDeployment();
    d.spec.template.spec.containers[0].resources.limits['nvidia.com/gpu'] = null;
    const [hit] = expectIssue(d, { path: '/spec/template/spec/containers/0/resources/limits/nvidia.com~1gpu', message: 'must match exactly one schema in oneOf' });
    expect(hit.message).toContain('got null');
  });

  test('duplicate env names within a container', () => {
    const d = vllmDeployment();
    d.spec.template.spec.containers[0].env.push({ name: 'HF_HOME', value: '/cache' });
    expectIssue(d, { path: '/spec/template/spec/containers/0/env/4', message: /Duplicate value: \{"name":"HF_HOME"\}.*keyed by \[name\]/ });
  });

  test('duplicate container names', () => {
    const d = vllmDeployment();
    d.spec.template.spec.containers.push({ name: 'vllm', image: 'busybox' });
    expectIssue(d, { path: '/spec/template/spec/containers/1', message: 'Duplicate value: {"name":"vllm"}' });
  });

  test('duplicate containerPort (protocol defaulted to TCP)', () => {
    const d = vllmDeployment();
    d.spec.template.spec.containers[0].ports.push({ containerPort: 8200, name: 'vllm2' });
    expectIssue(d, { path: '/spec/template/spec/containers/0/ports/2', message: 'Duplicate value: {"containerPort":8200,"protocol":"TCP"}' });
    // same port with another protocol is fine
    const ok = vllmDeployment();
    ok.spec.template.spec.containers[0].ports.push({ containerPort: 8200, name: 'vllm-udp', protocol: 'UDP' });
    expectValid(ok);
  });

  test('Service port given as a string', () => {
    const s = service();
    s.spec.ports[0].port = '9002';
    expectIssue(s, { path: '/spec/ports/0/port', message: 'must be integer', source: 'schema' });
  });

  test('Service name must be an RFC 1035 label', () => {
    const s = service();
    s.metadata.name = '1-epp';
    expectIssue(s, { path: '/metadata/name', message: 'must be an RFC 1035 label' });
  });

  test('invalid object name and label syntax', () => {
    const d = vllmDeployment();
    d.metadata.name = 'Qwen3_Decode';
    d.metadata.labels['bad key!'] = 'x';
    d.spec.template.metadata.labels['llm-d.ai/model'] = 'a'.repeat(64);
    expectIssue(d, { path: '/metadata/name', message: 'RFC 1123 subdomain' });
    expectIssue(d, { path: '/metadata/labels/bad key!', message: 'invalid label key' });
    expectIssue(d, { path: '/spec/template/metadata/labels/llm-d.ai~1model', message: 'invalid label value' });
  });

  test('unknown kind', () => {
    const issues = issuesOf({ apiVersion: 'example.com/v1', kind: 'Foo', metadata: { name: 'foo' }, spec: {} });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ kind: 'Foo', name: 'foo', source: 'unknown-kind' });
    expect(issues[0].message).toContain('example.com/v1');
    expect(validator.isKnownKind('example.com/v1', 'Foo')).toBe(false);
    expect(validator.isKnownKind('apps/v1', 'Deployment')).toBe(true);
  });

  test('unknown version of a known group', () => {
    const p = inferencePool();
    p.apiVersion = 'inference.networking.k8s.io/v2';
    expectIssue(p, { message: 'unknown apiVersion/kind', source: 'unknown-kind' });
  });
});

describe('SchemaValidator: CRD schema and CEL violations', () => {
  test('InferencePool v1 missing targetPorts', () => {
    const p = inferencePool();
    delete p.spec.targetPorts;
    expectIssue(p, { path: '/spec', message: "must have required property 'targetPorts'", source: 'schema' });
  });

  test('InferencePool failureMode: Sometimes', () => {
    const p = inferencePool();
    p.spec.endpointPickerRef.failureMode = 'Sometimes';
    expectIssue(p, { path: '/spec/endpointPickerRef/failureMode', message: 'must be equal to one of the allowed values ["FailOpen","FailClose"]' });
  });

  test('InferencePool endpointPickerRef (kind defaults to Service) without port: only CEL catches it', () => {
    const p = inferencePool();
    delete p.spec.endpointPickerRef.port;
    const issues = issuesOf(p);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      path: '/spec/endpointPickerRef',
      source: 'cel',
      message: "port is required when kind is 'Service' or unspecified (defaults to 'Service')",
    });
  });

  test('InferencePool with more than 8 targetPorts', () => {
    const p = inferencePool();
    p.spec.targetPorts = Array.from({ length: 9 }, (_, i) => ({ number: 8000 + i }));
    expectIssue(p, { path: '/spec/targetPorts', message: 'must NOT have more than 8 items', source: 'schema' });
  });

  test('InferencePool with duplicate targetPorts (CEL)', () => {
    const p = inferencePool();
    p.spec.targetPorts = [{ number: 8000 }, { number: 8001 }, { number: 8000 }];
    expectIssue(p, { path: '/spec/targetPorts', message: 'port number must be unique', source: 'cel' });
  });

  test('InferencePool v1alpha2 without extensionRef', () => {
    const p = inferencePoolV1alpha2();
    delete p.spec.extensionRef;
    expectIssue(p, { path: '/spec', message: "must have required property 'extensionRef'" });
  });

  test('custom resource metadata is validated against ObjectMeta', () => {
    const p = inferencePool();
    p.metadata.lables = { a: 'b' };
    expectIssue(p, { path: '/metadata', message: 'must NOT have additional properties (lables)', source: 'schema' });
    const q = inferencePool();
    q.metadata.name = 'Qwen3';
    expectIssue(q, { path: '/metadata/name', message: 'RFC 1123 subdomain' });
  });

  test('HTTPRoute with two RequestHeaderModifier filters in one rule (CEL)', () => {
    const r = httpRoute();
    r.spec.rules[0].filters = [
      { type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'a', value: '1' }] } },
      { type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'b', value: '2' }] } },
    ];
    expectIssue(r, { path: '/spec/rules/0/filters', message: 'RequestHeaderModifier filter cannot be repeated', source: 'cel' });
  });

  test('HTTPRoute URLRewrite ReplacePrefixMatch without a PathPrefix match (CEL)', () => {
    const r = httpRoute();
    r.spec.rules[0].matches = [{ path: { type: 'Exact', value: '/v1/completions' } }];
    r.spec.rules[0].filters = [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } }];
    expectIssue(r, { path: '/spec/rules/0', message: 'When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified', source: 'cel' });
  });

  test('HTTPRoute filter type without its config, and a Service backendRef without port (CEL)', () => {
    const r = httpRoute();
    r.spec.rules[0].filters = [{ type: 'URLRewrite' }];
    r.spec.rules[0].backendRefs.push({ name: 'plain-service' });
    expectIssue(r, { path: '/spec/rules/0/filters/0', message: 'filter.urlRewrite must be specified for URLRewrite filter.type', source: 'cel' });
    expectIssue(r, { path: '/spec/rules/0/backendRefs/1', message: 'Must have port for Service reference', source: 'cel' });
  });

  test('HTTPRoute timeouts: backendRequest longer than request (CEL with duration())', () => {
    const r = httpRoute();
    r.spec.rules[0].timeouts = { request: '10s', backendRequest: '1m' };
    expectIssue(r, { path: '/spec/rules/0/timeouts', message: 'backendRequest timeout cannot be longer than request timeout', source: 'cel' });
  });

  test('HTTPRoute path with // and parentRefs repeated (CEL)', () => {
    const r = httpRoute();
    r.spec.rules[0].matches = [{ path: { type: 'PathPrefix', value: '/v1//chat' } }];
    r.spec.parentRefs.push({ name: 'llm-gateway' });
    expectIssue(r, { path: '/spec/rules/0/matches/0/path', message: 'must not contain \'//\'', source: 'cel' });
    expectIssue(r, { path: '/spec/parentRefs', message: 'sectionName must be unique when parentRefs includes 2 or more references to the same parent', source: 'cel' });
  });

  test('Gateway: duplicate listener names and TLS on an HTTP listener (CEL)', () => {
    const g = gateway();
    g.spec.listeners.push({ name: 'http', port: 8080, protocol: 'HTTP', tls: { mode: 'Terminate', certificateRefs: [{ name: 'c' }] } });
    expectIssue(g, { path: '/spec/listeners', message: 'Listener name must be unique within the Gateway', source: 'cel' });
    expectIssue(g, { path: '/spec/listeners', message: "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']", source: 'cel' });
    // the listener list is also x-kubernetes-list-type: map keyed by name
    expectIssue(g, { path: '/spec/listeners/2', message: 'Duplicate value: {"name":"http"}', source: 'schema' });
  });

  test('Gateway: a CEL rule on a map walks keys (infrastructure labels)', () => {
    const g = gateway();
    g.spec.infrastructure.labels = { 'Bad_Prefix.example.com/x': 'y' };
    expectIssue(g, { path: '/spec/infrastructure/labels', message: 'Label keys must be in the form of an optional DNS subdomain prefix', source: 'cel' });
  });

  test('LeaderWorkerSet: replicas below minimum, bad enum, and strict embedded PodSpec', () => {
    const l = leaderWorkerSet();
    l.spec.replicas = -1;
    l.spec.leaderWorkerTemplate.restartPolicy = 'Always';
    l.spec.leaderWorkerTemplate.workerTemplate.spec.containers[0].imagePullPolicyy = 'Always';
    expectIssue(l, { path: '/spec/replicas', message: 'must be >= 0' });
    expectIssue(l, { path: '/spec/leaderWorkerTemplate/restartPolicy', message: 'must be equal to one of the allowed values' });
    expectIssue(l, { path: '/spec/leaderWorkerTemplate/workerTemplate/spec/containers/0', message: 'must NOT have additional properties (imagePullPolicyy)' });
  });

  test('LeaderWorkerSet: GPU quantity null and duplicate container names in the worker template', () => {
    const l = leaderWorkerSet();
    l.spec.leaderWorkerTemplate.workerTemplate.spec.containers[0].resources.limits['nvidia.com/gpu'] = null;
    l.spec.leaderWorkerTemplate.leaderTemplate.spec.containers.push({ name: 'vllm', image: 'busybox' });
    expectIssue(l, { path: '/spec/leaderWorkerTemplate/workerTemplate/spec/containers/0/resources/limits/nvidia.com~1gpu', message: /must be (integer|string)|must match/ });
    expectIssue(l, { path: '/spec/leaderWorkerTemplate/leaderTemplate/spec/containers/1', message: 'Duplicate value: {"name":"vllm"}' });
  });

  test('LeaderWorkerSet: rolloutStrategy.type is required but defaulted', () => {
    const l = leaderWorkerSet();
    l.spec.rolloutStrategy = {};
    expectValid(l);
  });

  test('llm-d.ai InferenceObjective without poolRef.name', () => {
    const o = inferenceObjective();
    o.spec.poolRef = { kind: 'InferencePool' };
    expectIssue(o, { path: '/spec/poolRef', message: "must have required property 'name'" });
  });
});

describe('SchemaValidator: CEL support', () => {
  const kinds: Array<[string, string]> = [
    ['inference.networking.k8s.io/v1', 'InferencePool'],
    ['inference.networking.x-k8s.io/v1alpha2', 'InferencePool'],
    ['gateway.networking.k8s.io/v1', 'HTTPRoute'],
    ['gateway.networking.k8s.io/v1', 'Gateway'],
    ['gateway.networking.k8s.io/v1beta1', 'ReferenceGrant'],
    ['gateway.networking.k8s.io/v1', 'ReferenceGrant'],
    ['leaderworkerset.x-k8s.io/v1', 'LeaderWorkerSet'],
    ['llm-d.ai/v1alpha2', 'InferenceObjective'],
    ['llm-d.ai/v1alpha2', 'InferenceModelRewrite'],
  ];

  test('every rule of the relevant CRDs compiles (all functions bound)', () => {
    for (const [apiVersion, kind] of kinds) validator.precompileRules(apiVersion, kind);
    expect(validator.unsupportedRules).toEqual([]);
  });

  test('every spec rule of InferencePool v1 and HTTPRoute/Gateway was evaluated by the fixtures, none unsupported', () => {
    for (const make of [inferencePool, kitchenSinkHttpRoute, gateway, httpRoute, referenceGrant]) validator.validate(make());
    for (const [apiVersion, kind] of kinds) {
      const cov = validator.ruleCoverage(apiVersion, kind);
      const unevaluated = cov.unevaluated.filter(r => !r.schemaPath.startsWith('/status'));
      expect({ gvk: cov.gvk, unevaluated }).toEqual({ gvk: cov.gvk, unevaluated: [] });
    }
    expect(validator.unsupportedRules).toEqual([]);
  });

  test('TLSRoute hostnames: the Kubernetes isIP() library function', () => {
    const route = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'TLSRoute',
      metadata: { name: 'tls', namespace: NS },
      spec: {
        parentRefs: [{ name: 'llm-gateway' }],
        hostnames: ['llm.example.com'],
        rules: [{ backendRefs: [{ name: 'qwen3', port: 8443 }] }],
      },
    };
    expectValid(route);
    route.spec.hostnames = ['10.0.0.1'];
    expectIssue(route, { path: '/spec/hostnames', message: 'Hostnames cannot contain an IP', source: 'cel' });
  });

  test('Kubernetes CEL library functions added to @bufbuild/cel', () => {
    const ev = (expr: string, self: unknown = null) => validator.evaluateCel(expr, self);
    expect(ev("isIP('10.0.0.1') && isIP('fe80::1') && !isIP('010.0.0.1') && !isIP('llm.example.com')")).toBe(true);
    expect(ev("isCIDR('10.0.0.0/8') && !isCIDR('10.0.0.0/33')")).toBe(true);
    expect(ev("isURL('https://example.com:8443/v1?a=b') && !isURL('not a url')")).toBe(true);
    expect(ev("url(self).getScheme() + '|' + url(self).getHostname() + '|' + url(self).getPort() + '|' + url(self).getEscapedPath()", 'https://example.com:8443/v1/chat'))
      .toBe('https|example.com|8443|/v1/chat');
    expect(ev("url(self).getQuery()['a'][0]", 'http://x/?a=1&a=2')).toBe('1');
    expect(ev('self.isSorted() && self.sum() == 6 && self.min() == 1 && self.max() == 3 && self.indexOf(2) == 1', [1, 2, 3])).toBe(true);
    expect(ev("'a1b22'.find('[0-9]+') == '1' && 'a1b22'.findAll('[0-9]+') == ['1', '22']")).toBe(true);
    expect(ev("'ABC'.lowerAscii() == 'abc' && 'a/b'.split('/')[1] == 'b' && 'abc'.indexOf('c') == 2 && 'abc'.substring(1) == 'bc'")).toBe(true);
    expect(ev("self.all(x, x.startsWith('a')) && self.exists_one(x, x.endsWith('c')) && self.filter(x, x.matches('^a')).size() == 2", ['ab', 'ac'])).toBe(true);
    expect(ev("duration('1m') > duration('30s')")).toBe(true);
    expect(ev("isQuantity('500Mi') && !isQuantity('5 Gi')")).toBe(true);
  });

  test('a rule with an unsupported function is reported in unsupportedRules, not silently passed', () => {
    expect(() => validator.evaluateCel('self.frobnicate()', 'x')).toThrow(/unbound function: frobnicate/);
    // drive the (private) schema walk with a synthetic schema
    const schema = { 'type': 'object', 'properties': { a: { type: 'string' } }, 'x-kubernetes-validations': [{ rule: 'self.a.frobnicate()', message: 'never shown' }] };
    const issues: string[] = [];
    (validator as any).walk({ a: 'x' }, { s: schema, doc: 'test' }, '', { gvk: 'test.example.com/v1/Fake' }, (_p: string, m: string) => issues.push(m), []);
    expect(issues).toEqual([]);
    const i = validator.unsupportedRules.findIndex(r => r.gvk === 'test.example.com/v1/Fake');
    expect(validator.unsupportedRules[i]).toEqual({ gvk: 'test.example.com/v1/Fake', path: '', rule: 'self.a.frobnicate()', error: 'unbound function: frobnicate' });
    validator.unsupportedRules.splice(i, 1);
  });

  test('Kubernetes property-name escaping', () => {
    expect(escapeCelPropertyName('namespace')).toBe('__namespace__');
    expect(escapeCelPropertyName('x-prop')).toBe('x__dash__prop');
    expect(escapeCelPropertyName('a.b')).toBe('a__dot__b');
    expect(escapeCelPropertyName('redact__d')).toBe('redact__underscores__d');
    expect(escapeCelPropertyName('name')).toBe('name');
  });
});

describe('loadYamlDocuments', () => {
  test('multi-document text, null documents and kind: List', () => {
    const text = [
      'apiVersion: v1',
      'kind: ServiceAccount',
      'metadata: {name: a}',
      '---',
      '# only a comment',
      '---',
      'apiVersion: v1',
      'kind: List',
      'items:',
      '- {apiVersion: v1, kind: ServiceAccount, metadata: {name: b}}',
      '- {apiVersion: v1, kind: ServiceAccount, metadata: {name: c}}',
      '',
    ].join('\n');
    const docs = loadYamlDocuments(text);
    expect(docs.map(d => d.metadata.name)).toEqual(['a', 'b', 'c']);
    expect(validator.validateAll(docs)).toEqual([]);
  });

  test('reads a file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-yaml-'));
    const file = path.join(dir, 'x.yaml');
    fs.writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: "1"\n');
    try {
      expect(loadYamlDocuments(file)).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: '1' } }]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('invalid YAML throws', () => {
    expect(() => loadYamlDocuments('a: [1, 2\nb: 3\n')).toThrow(/invalid YAML/);
  });
});

describe('provider kinds from @kubernetes-models (Istio, GKE)', () => {
  const v = SchemaValidator.get();
  test('a valid Istio DestinationRule passes and a wrong field type fails', () => {
    const dr = {
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'DestinationRule',
      metadata: { name: 'epp', namespace: 'llm' },
      spec: { host: 'x-epp-service.llm.svc.cluster.local', trafficPolicy: { tls: { mode: 'SIMPLE', insecureSkipVerify: true } } },
    };
    expect(v.validate(dr)).toEqual([]);
    const bad = { ...dr, spec: { ...dr.spec, trafficPolicy: { tls: { mode: 'SIMPLE', insecureSkipVerify: 'yes' } } } };
    expect(v.validate(bad).map((i) => i.source)).toEqual(['schema']);
  });
  test('a GKE HealthCheckPolicy with a bad config type fails', () => {
    const hc = {
      apiVersion: 'networking.gke.io/v1',
      kind: 'HealthCheckPolicy',
      metadata: { name: 'p', namespace: 'llm' },
      spec: { targetRef: { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'p' }, default: { timeoutSec: 2, checkIntervalSec: 2, config: { type: 'HTTP', httpHealthCheck: { requestPath: '/health', port: 8000 } } } },
    };
    expect(v.validate(hc)).toEqual([]);
    expect(v.validate({ ...hc, spec: { ...hc.spec, default: { ...hc.spec.default, timeoutSec: 'two' } } }).length).toBeGreaterThan(0);
  });
});
