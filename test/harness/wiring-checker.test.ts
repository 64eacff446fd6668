import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import {
  checkWiring,
  DUPLICATE_FLAG_CHECK,
  formatViolations,
  IMPLEMENTED_INVARIANTS,
  MONITOR_EPP_AUTH_CHECK,
  MONITOR_PORT_CHECK,
  MONITOR_SELECTS_CHECK,
  NETWORK_POLICY_PORT_CHECK,
  NETWORK_POLICY_SELECTS_CHECK,
  SERVICE_TARGET_PORT_CHECK,
  SPREAD_SELECTOR_CHECK,
  TRAFFIC_SPLIT_CHECK,
  POOL_POLICY_CHECK,
  FLOW_CONTROL_CHECK,
  TLS_CHECK,
  DEVICE_CLAIM_CHECK,
  DISJOINT_POOLS_CHECK,
  SGLANG_CHECK,
  WiringViolation,
} from './wiring-checker';
import { loadYamlDocuments } from './yaml';

// ---------------------------------------------------------------------------------------------------------------
// helpers

const REFERENCE = path.join(__dirname, '..', '..', 'imports', 'reference', 'llm-d');

/** Loads a vendored render (never `shared/`). */
function load(rel: string): any[] {
  return loadYamlDocuments(path.join(REFERENCE, rel));
}

function nums(v: readonly WiringViolation[]): number[] {
  return [...new Set(v.map((x) => x.invariant))].sort((a, b) => a - b);
}

/** Asserts that exactly these invariant numbers are reported (prints the listing when not). */
function expectInvariants(v: readonly WiringViolation[], expected: number[]): void {
  const got = nums(v);
  const want = [...new Set(expected)].sort((a, b) => a - b);
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    throw new Error(`expected invariants [${want.join(', ')}] but got [${got.join(', ')}]:\n${formatViolations(v)}`);
  }
  expect(got).toEqual(want);
}

function clone<T>(x: T): T {
  return JSON.parse(JSON.stringify(x));
}

function get(set: any[], kind: string, name: string): any {
  const o = set.find((x) => x.kind === kind && x.metadata?.name === name);
  if (!o) throw new Error(`${kind}/${name} not in set`);
  return o;
}

function container(o: any, name: string, init = false): any {
  const spec = o.spec?.template?.spec ?? o.spec?.leaderWorkerTemplate?.workerTemplate?.spec;
  const c = (init ? spec.initContainers : spec.containers).find((x: any) => x.name === name);
  if (!c) throw new Error(`container ${name} not found`);
  return c;
}

function podSpec(o: any): any {
  return o.spec?.template?.spec ?? o.spec?.leaderWorkerTemplate?.workerTemplate?.spec;
}

/** Replaces the value after `flag` (in `--flag v` or `--flag=v` form) in an args array. */
function setFlag(args: string[], flag: string, value: string): void {
  const i = args.findIndex((a) => a === flag || a.startsWith(`${flag}=`));
  if (i < 0) { args.push(`${flag}=${value}`); return; }
  if (args[i] === flag) args[i + 1] = value;
  else args[i] = `${flag}=${value}`;
}

// ---------------------------------------------------------------------------------------------------------------
// hand-written llm-d style fixtures (namespace llm, release demo)

const NS = 'llm';
const MODEL = 'Qwen/Qwen3-0.6B';

const PD_CONFIG = `apiVersion: llm-d.ai/v1alpha1
kind: EndpointPickerConfig
plugins:
- type: disagg-headers-handler
- type: always-disagg-pd-decider
- type: disagg-profile-handler
  parameters:
    deciderPluginName: always-disagg-pd-decider
- type: prefill-filter
- type: decode-filter
- type: queue-scorer
schedulingProfiles:
- name: prefill
  plugins:
  - pluginRef: prefill-filter
  - pluginRef: queue-scorer
    weight: 1
- name: decode
  plugins:
  - pluginRef: decode-filter
  - pluginRef: queue-scorer
    weight: 1
`;

const DEFAULT_CONFIG = `apiVersion: llm-d.ai/v1alpha1
kind: EndpointPickerConfig
plugins:
- type: queue-scorer
schedulingProfiles:
- name: default
  plugins:
  - pluginRef: queue-scorer
    weight: 1
`;

const PRECISE_CONFIG = `apiVersion: llm-d.ai/v1alpha1
kind: EndpointPickerConfig
plugins:
- type: token-producer
  parameters:
    modelName: ${MODEL}
    vllm:
      url: http://demo-render:8000
- type: endpoint-notification-source
- type: precise-prefix-cache-producer
  parameters:
    tokenProcessorConfig:
      blockSize: 64
    kvEventsConfig:
      topicFilter: "kv@"
      discoverPods: true
      podDiscoveryConfig:
        socketPort: 5556
- type: prefix-cache-scorer
  parameters:
    prefixMatchInfoProducerName: precise-prefix-cache-producer
dataLayer:
  sources:
  - pluginRef: endpoint-notification-source
    extractors:
    - pluginRef: precise-prefix-cache-producer
schedulingProfiles:
- name: default
  plugins:
  - pluginRef: prefix-cache-scorer
    weight: 1
`;

const ENVOY_CONFIG = `static_resources:
  listeners:
  - name: vllm
    address:
      socket_address: {address: 0.0.0.0, port_value: 8081}
    filter_chains:
    - filters:
      - name: envoy.filters.network.http_connection_manager
        typed_config:
          route_config:
            virtual_hosts:
            - name: default
              domains: ["*"]
              routes:
              - match: {prefix: /}
                route: {cluster: original_destination_cluster}
          http_filters:
          - name: envoy.filters.http.ext_proc
            typed_config:
              failure_mode_allow: true
              grpc_service:
                envoy_grpc: {cluster_name: ext_proc}
          - name: envoy.filters.http.router
  clusters:
  - name: original_destination_cluster
    type: ORIGINAL_DST
    original_dst_lb_config: {use_http_header: true, http_header_name: x-gateway-destination-endpoint}
  - name: ext_proc
    type: STATIC
    load_assignment:
      cluster_name: ext_proc
      endpoints:
      - lb_endpoints:
        - endpoint:
            address:
              socket_address: {address: 127.0.0.1, port_value: 9002}
`;

interface VllmOpts {
  role: 'prefill' | 'decode' | 'both';
  port?: number;
  tp?: number;
  gpus?: number;
  nixl?: boolean;
  extraArgs?: string[];
  env?: any[];
  ports?: any[];
}

function vllmDeployment(name: string, o: VllmOpts): any {
  const labels = { 'llm-d.ai/guide': 'demo', 'llm-d.ai/model': 'qwen3', 'llm-d.ai/role': o.role };
  const args = [MODEL, `--tensor-parallel-size=${o.tp ?? 1}`, '--block-size=128'];
  if (o.nixl) args.push('--kv-transfer-config', '{"kv_connector":"NixlConnector","kv_role":"kv_both"}');
  if (o.port !== undefined) args.push(`--port=${o.port}`);
  args.push(...(o.extraArgs ?? []));
  const env: any[] = [...(o.env ?? [])];
  if (o.nixl) env.push({ name: 'VLLM_NIXL_SIDE_CHANNEL_HOST', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } });
  const gpus = String(o.gpus ?? o.tp ?? 1);
  const ports = o.ports ?? [
    { containerPort: o.port ?? 8000, name: 'modelserver', protocol: 'TCP' },
    ...(o.nixl ? [{ containerPort: 5600, name: 'nixl', protocol: 'TCP' }] : []),
  ];
  const spec: any = {
    serviceAccountName: 'demo-vllm',
    containers: [{
      name: 'modelserver',
      image: 'vllm/vllm-openai:v0.23.0',
      command: ['vllm', 'serve'],
      args,
      env,
      ports,
      livenessProbe: { httpGet: { path: '/health', port: 'modelserver' } },
      readinessProbe: { httpGet: { path: '/v1/models', port: 'modelserver' } },
      resources: { limits: { 'nvidia.com/gpu': gpus }, requests: { 'cpu': '4', 'nvidia.com/gpu': gpus } },
      volumeMounts: [{ mountPath: '/dev/shm', name: 'shm' }],
    }],
    volumes: [{ name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: '8Gi' } }],
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS, labels: { ...labels } },
    spec: { replicas: 1, selector: { matchLabels: { ...labels } }, template: { metadata: { labels: { ...labels } }, spec } },
  };
}

function routingSidecar(port = 8000, vllmPort = 8200): any {
  return {
    name: 'routing-proxy',
    image: 'ghcr.io/llm-d/llm-d-router-disagg-sidecar:v0.9.0',
    args: [`--port=${port}`, `--vllm-port=${vllmPort}`, '--kv-connector=nixlv2', '--secure-proxy=false'],
    ports: [{ containerPort: port, name: 'sidecar', protocol: 'TCP' }],
    restartPolicy: 'Always',
  };
}

interface SetOpts {
  config?: 'pd' | 'default' | 'precise';
  standalone?: boolean;
}

/** EPP, RBAC, pool, gateway and route of release `demo`. */
function eppObjects(o: SetOpts): any[] {
  const cfgKey = o.config === 'precise' ? 'precise.yaml' : o.config === 'default' ? 'default-plugins.yaml' : 'pd-config.yaml';
  const cfgText = o.config === 'precise' ? PRECISE_CONFIG : o.config === 'default' ? DEFAULT_CONFIG : PD_CONFIG;
  const eppLabels = { 'llm-d-router-gateway': 'demo-epp' };
  const containers: any[] = [{
    name: 'epp',
    image: 'ghcr.io/llm-d/llm-d-router-endpoint-picker:v0.9.0',
    args: ['--pool-name', 'demo', '--pool-namespace', NS, '--pool-group', 'inference.networking.k8s.io',
      '--config-file', `/config/${cfgKey}`, '--grpc-health-port', '9003', '--v=2'],
    ports: [{ name: 'grpc', containerPort: 9002 }, { name: 'grpc-health', containerPort: 9003 }, { name: 'metrics', containerPort: 9090 }],
    livenessProbe: { grpc: { port: 9003, service: 'inference-extension' } },
    readinessProbe: { grpc: { port: 9003, service: 'inference-extension' } },
    env: [{ name: 'NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }],
    volumeMounts: [{ name: 'plugins-config-volume', mountPath: '/config' }],
  }];
  const volumes: any[] = [{ name: 'plugins-config-volume', configMap: { name: 'demo-epp' } }];
  const svcPorts: any[] = [{ name: 'grpc-ext-proc', port: 9002 }, { name: 'http-metrics', port: 9090 }];
  const objs: any[] = [];
  if (o.standalone) {
    containers.unshift({
      name: 'envoy-proxy',
      image: 'docker.io/envoyproxy/envoy:distroless-v1.33.2',
      command: ['envoy'],
      args: ['--service-node', 'envoy-sidecar', '-c', '/etc/envoy/envoy.yaml'],
      ports: [{ containerPort: 8081, name: 'http-8081' }, { containerPort: 19001, name: 'metrics-19001' }],
      readinessProbe: { httpGet: { path: '/ready', port: 19001 } },
      volumeMounts: [{ mountPath: '/etc/envoy', name: 'config' }],
    });
    volumes.push({ name: 'config', configMap: { name: 'demo-envoy', items: [{ key: 'envoy.yaml', path: 'envoy.yaml' }] } });
    svcPorts.push({ name: 'http', port: 80, targetPort: 8081 });
    objs.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'demo-envoy', namespace: NS }, data: { 'envoy.yaml': ENVOY_CONFIG } });
  } else {
    objs.push(
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name: 'demo-gateway', namespace: NS },
        spec: { gatewayClassName: 'istio', listeners: [{ name: 'default', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } }] },
      },
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: 'demo', namespace: NS },
        spec: {
          parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'demo-gateway' }],
          rules: [{ backendRefs: [{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'demo' }], timeouts: { request: '300s' } }],
        },
      },
    );
  }
  objs.push(
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'demo-epp', namespace: NS } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'demo-epp', namespace: NS }, data: { [cfgKey]: cfgText } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'demo-epp-sa', namespace: NS },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'watch', 'list'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'demo-epp-non-sa', namespace: NS },
      rules: [
        { apiGroups: ['llm-d.ai'], resources: ['inferenceobjectives', 'inferencemodelrewrites'], verbs: ['get', 'watch', 'list'] },
        { apiGroups: ['inference.networking.k8s.io'], resources: ['inferencepools'], verbs: ['get', 'watch', 'list'] },
      ],
    },
    ...['demo-epp-sa', 'demo-epp-non-sa'].map((n) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: n, namespace: NS },
      subjects: [{ kind: 'ServiceAccount', name: 'demo-epp', namespace: NS }],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: n },
    })),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'demo-epp', namespace: NS },
      spec: { selector: eppLabels, ports: svcPorts, type: 'ClusterIP' },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'demo-epp', namespace: NS },
      spec: {
        replicas: 1,
        selector: { matchLabels: eppLabels },
        template: { metadata: { labels: { ...eppLabels, 'llm-d.ai/igw-mode': 'llm-d-router-gateway' } }, spec: { serviceAccountName: 'demo-epp', containers, volumes } },
      },
    },
    {
      apiVersion: 'inference.networking.k8s.io/v1',
      kind: 'InferencePool',
      metadata: { name: 'demo', namespace: NS },
      spec: {
        targetPorts: [{ number: 8000 }],
        appProtocol: 'http',
        selector: { matchLabels: { 'llm-d.ai/guide': 'demo' } },
        endpointPickerRef: { name: 'demo-epp', port: { number: 9002 }, failureMode: 'FailOpen' },
      },
    },
  );
  return objs;
}

/** A correct P/D set: decode (vLLM 8200 behind the sidecar on 8000, TP 2) and prefill (vLLM 8000, TP 1). */
function pdSet(o: SetOpts = {}): any[] {
  const decode = vllmDeployment('demo-decode', { role: 'decode', port: 8200, tp: 2, nixl: true });
  podSpec(decode).initContainers = [routingSidecar()];
  const prefill = vllmDeployment('demo-prefill', { role: 'prefill', tp: 1, nixl: true });
  return [...eppObjects({ config: 'pd', ...o }), decode, prefill];
}

/** The P/D set with the prefill GPU claimed through DRA (ResourceClaimTemplate demo-gpu, one device for TP 1). */
function draPdSet(): any[] {
  const set = pdSet();
  const prefill = get(set, 'Deployment', 'demo-prefill');
  podSpec(prefill).resourceClaims = [{ name: 'gpu', resourceClaimTemplateName: 'demo-gpu' }];
  const main = container(prefill, 'modelserver');
  main.resources = { requests: { cpu: '4' }, claims: [{ name: 'gpu' }] };
  set.push({
    apiVersion: 'resource.k8s.io/v1',
    kind: 'ResourceClaimTemplate',
    metadata: { name: 'demo-gpu', namespace: NS },
    spec: { spec: { devices: { requests: [{ name: 'device', exactly: { deviceClassName: 'gpu.nvidia.com' } }] } } },
  });
  return set;
}

/** The P/D set with TLS on every hop: both vLLMs serve HTTPS from a cert-manager Secret, the sidecar and the EPP speak TLS. */
function tlsPdSet(): any[] {
  const s = pdSet();
  const host = `demo-svc.${NS}.svc.cluster.local`;
  for (const name of ['demo-decode', 'demo-prefill']) {
    const d = get(s, 'Deployment', name);
    const c = container(d, 'modelserver');
    c.args.push('--ssl-certfile', '/var/run/tls/tls.crt', '--ssl-keyfile', '/var/run/tls/tls.key');
    for (const k of ['livenessProbe', 'readinessProbe']) c[k].httpGet.scheme = 'HTTPS';
    c.volumeMounts.push({ name: 'tls', mountPath: '/var/run/tls', readOnly: true });
    podSpec(d).volumes.push({ name: 'tls', secret: { secretName: 'demo-tls' } });
  }
  const sc = container(get(s, 'Deployment', 'demo-decode'), 'routing-proxy', true);
  sc.args = [...sc.args.filter((a: string) => a !== '--secure-proxy=false'), '--cert-path=/var/run/tls', '--enable-tls=decoder,prefiller'];
  sc.volumeMounts = [{ name: 'tls', mountPath: '/var/run/tls', readOnly: true }];
  const cm = get(s, 'ConfigMap', 'demo-epp');
  cm.data['pd-config.yaml'] = PD_CONFIG.replace('- type: queue-scorer\n', '- type: queue-scorer\n- type: metrics-data-source\n  parameters:\n    scheme: https\n');
  s.push(
    { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'demo-tls', namespace: NS }, spec: { secretName: 'demo-tls', dnsNames: [host], issuerRef: { name: 'ca' } } },
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'BackendTLSPolicy',
      metadata: { name: 'demo-backend-tls', namespace: NS },
      spec: { targetRefs: [{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'demo' }], validation: { caCertificateRefs: [{ group: '', kind: 'Secret', name: 'demo-tls' }], hostname: host } },
    },
  );
  return s;
}

/**
 * The P/D set served by SGLang: both roles run `sglang.launch_server` on all addresses with metrics and the engine label,
 * prefill in `--disaggregation-mode prefill` declaring the bootstrap port 8998, decode in decode mode behind a sidecar
 * with `--kv-connector=sglang`, both over NIXL.
 */
function sglangPdSet(): any[] {
  const s = pdSet();
  for (const [name, mode, tp, port] of [['demo-decode', 'decode', 2, 8200], ['demo-prefill', 'prefill', 1, 8000]] as const) {
    const d = get(s, 'Deployment', name);
    d.spec.template.metadata.labels['llm-d.ai/engine-type'] = 'sglang';
    const c = container(d, 'modelserver');
    c.image = 'lmsysorg/sglang:v0.5.10.post1';
    c.command = ['python3', '-m', 'sglang.launch_server'];
    c.args = ['--model-path', MODEL, '--host', '0.0.0.0', `--port=${port}`, '--enable-metrics', '--tp-size', String(tp),
      '--disaggregation-mode', mode, '--disaggregation-transfer-backend', 'nixl'];
    c.env = [];
    c.ports = [{ containerPort: port, name: 'modelserver', protocol: 'TCP' }];
    if (mode === 'prefill') {
      c.args.push('--disaggregation-bootstrap-port', '8998');
      c.ports.push({ containerPort: 8998, name: 'bootstrap', protocol: 'TCP' });
    }
  }
  const sc = container(get(s, 'Deployment', 'demo-decode'), 'routing-proxy', true);
  sc.args = sc.args.map((a: string) => (a === '--kv-connector=nixlv2' ? '--kv-connector=sglang' : a));
  return s;
}

/** A NetworkPolicy admitting TCP on named ports of the pods with these labels. */
function networkPolicy(labels: Record<string, string>, ports: string[]): any {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'demo-netpol', namespace: NS },
    spec: { podSelector: { matchLabels: labels }, policyTypes: ['Ingress'], ingress: [{ ports: ports.map((port) => ({ protocol: 'TCP', port })) }] },
  };
}

/** A correct precise-prefix set in pod-discovery mode: one decode Deployment, a render Service and the EPP. */
function preciseSet(): any[] {
  const topic = `kv@$(POD_IP):$(POD_PORT)@${MODEL}`;
  const decode = vllmDeployment('demo-decode', {
    role: 'decode',
    tp: 1,
    extraArgs: ['--kv-events-config', JSON.stringify({ enable_kv_cache_events: true, publisher: 'zmq', endpoint: '$(KV_EVENTS_ENDPOINT)', topic })],
    env: [
      { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
      { name: 'POD_PORT', value: '8000' },
      { name: 'KV_EVENTS_ENDPOINT', value: 'tcp://*:5556' },
    ],
    ports: [{ containerPort: 8000, name: 'modelserver' }, { containerPort: 5556, name: 'kv-events' }],
  });
  setFlag(container(decode, 'modelserver').args, '--block-size', '64');
  const renderLabels = { 'app.kubernetes.io/component': 'vllm-render', 'app.kubernetes.io/part-of': 'demo' };
  return [
    ...eppObjects({ config: 'precise', standalone: true }),
    decode,
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'demo-render', namespace: NS },
      spec: { selector: renderLabels, ports: [{ name: 'render-http', port: 8000, targetPort: 'render-http' }] },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'demo-render', namespace: NS },
      spec: {
        replicas: 1,
        selector: { matchLabels: renderLabels },
        template: {
          metadata: { labels: renderLabels },
          spec: {
            containers: [{
              name: 'vllm-render',
              image: 'docker.io/vllm/vllm-openai-cpu:v0.23.0',
              command: ['vllm', 'launch', 'render'],
              args: [MODEL, '--port=8000'],
              ports: [{ containerPort: 8000, name: 'render-http' }],
              readinessProbe: { httpGet: { path: '/health', port: 'render-http' } },
            }],
          },
        },
      },
    },
  ];
}

/** Switches a precise set to centralized mode (vLLM connects to the EPP Service on 5557). */
function centralized(set: any[]): any[] {
  const cm = get(set, 'ConfigMap', 'demo-epp');
  cm.data['precise.yaml'] = PRECISE_CONFIG.replace(
    'discoverPods: true\n      podDiscoveryConfig:\n        socketPort: 5556',
    'discoverPods: false\n      zmqEndpoint: "tcp://*:5557"',
  );
  const epp = container(get(set, 'Deployment', 'demo-epp'), 'epp');
  epp.ports.push({ name: 'zmq', containerPort: 5557 });
  get(set, 'Service', 'demo-epp').spec.ports.push({ name: 'zmq', port: 5557, targetPort: 5557 });
  const vllm = container(get(set, 'Deployment', 'demo-decode'), 'modelserver');
  vllm.env.find((e: any) => e.name === 'KV_EVENTS_ENDPOINT').value = `tcp://demo-epp.${NS}.svc.cluster.local:5557`;
  vllm.ports = vllm.ports.filter((p: any) => p.name !== 'kv-events');
  return set;
}

function addLeaseRbac(set: any[]): any[] {
  set.push(
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'demo-epp-leader-election', namespace: NS },
      rules: [
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
        { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'demo-epp-leader-election', namespace: NS },
      subjects: [{ kind: 'ServiceAccount', name: 'demo-epp' }],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'demo-epp-leader-election' },
    },
  );
  return set;
}

/** A correct wide-EP style LWS (decode, size 2, DP_SIZE_LOCAL 4, TP 1, 4 GPUs, vLLM in a bash script). */
function lwsSet(): any[] {
  const labels = { 'llm-d.ai/guide': 'demo', 'llm-d.ai/role': 'decode' };
  const script = [
    'START_RANK=$(( ${LWS_WORKER_INDEX:-0} * DP_SIZE_LOCAL ))',
    'exec vllm serve \\',
    `  ${MODEL} \\`,
    '  --port 8200 \\',
    '  --tensor-parallel-size $TP_SIZE \\',
    '  --data-parallel-size $((LWS_GROUP_SIZE * DP_SIZE_LOCAL)) \\',
    '  --data-parallel-size-local $DP_SIZE_LOCAL \\',
    '  --data-parallel-address ${LWS_LEADER_ADDRESS} \\',
    '  --data-parallel-rpc-port 5555 \\',
    '  --data-parallel-start-rank $START_RANK \\',
    '  --data-parallel-hybrid-lb \\',
    '  --kv_transfer_config \'{"kv_connector":"NixlConnector",',
    '                         "kv_role":"kv_both"}\'',
    '  # trailing comment --port 9999',
  ].join('\n');
  const lws = {
    apiVersion: 'leaderworkerset.x-k8s.io/v1',
    kind: 'LeaderWorkerSet',
    metadata: { name: 'demo-decode', namespace: NS, labels },
    spec: {
      replicas: 1,
      leaderWorkerTemplate: {
        size: 2,
        workerTemplate: {
          metadata: { labels },
          spec: {
            initContainers: [routingSidecar()],
            containers: [{
              name: 'vllm',
              image: 'ghcr.io/llm-d/llm-d-cuda:v0.8.0',
              command: ['/bin/bash', '-c'],
              args: [script],
              env: [
                { name: 'DP_SIZE_LOCAL', value: '4' },
                { name: 'TP_SIZE', value: '1' },
                { name: 'VLLM_NIXL_SIDE_CHANNEL_HOST', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
              ],
              ports: [{ containerPort: 8200, name: 'vllm' }, { containerPort: 5600, name: 'nixl' }],
              readinessProbe: { httpGet: { path: '/v1/models', port: 'vllm' } },
              resources: { limits: { 'nvidia.com/gpu': '4', 'rdma/ib': '1' }, requests: { 'nvidia.com/gpu': '4', 'rdma/ib': '1' } },
              volumeMounts: [{ mountPath: '/dev/shm', name: 'dshm' }],
            }],
            volumes: [{ name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: '2Gi' } }],
          },
        },
      },
    },
  };
  return [...eppObjects({ config: 'default' }), lws];
}

// ---------------------------------------------------------------------------------------------------------------
// KServe style fixtures (LLMInferenceService `qwen` in namespace kserve-demo, as the controller would emit them)

const KS_NS = 'kserve-demo';
const KS_WORKLOAD = {
  'app.kubernetes.io/name': 'qwen',
  'app.kubernetes.io/part-of': 'llminferenceservice',
  'kserve.io/component': 'workload',
};

function ksWorkload(): any[] {
  const labels = { ...KS_WORKLOAD, 'app.kubernetes.io/component': 'llminferenceservice-workload', 'llm-d.ai/role': 'both' };
  const script = [
    'eval "exec vllm serve /mnt/models \\',
    '  --served-model-name "qwen" "publishers/kserve-demo/models/qwen" \\',
    '  --port 8000 \\',
    '  ${VLLM_ADDITIONAL_ARGS} \\',
    '  $@"',
  ].join('\n');
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'qwen-kserve', namespace: KS_NS, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: { ...KS_WORKLOAD, 'app.kubernetes.io/component': 'llminferenceservice-workload' } },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: 'qwen-kserve',
            containers: [{
              name: 'main',
              image: 'ghcr.io/llm-d/llm-d-cuda:v0.9.0',
              command: ['/bin/bash', '-c', script, '--'],
              env: [{ name: 'VLLM_ADDITIONAL_ARGS', value: '--max-model-len 8192 --tensor-parallel-size 1' }],
              ports: [{ containerPort: 8000, protocol: 'TCP' }],
              livenessProbe: { httpGet: { path: '/health', port: 8000, scheme: 'HTTP' } },
              readinessProbe: { httpGet: { path: '/health', port: 8000, scheme: 'HTTP' } },
              resources: { limits: { 'cpu': '4', 'memory': '32Gi', 'nvidia.com/gpu': '1' }, requests: { 'cpu': '2', 'memory': '16Gi', 'nvidia.com/gpu': '1' } },
              volumeMounts: [{ mountPath: '/dev/shm', name: 'dshm' }, { mountPath: '/mnt/models', name: 'model-cache' }],
            }],
            volumes: [{ name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: '1Gi' } }, { name: 'model-cache', emptyDir: {} }],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'qwen-kserve-workload-svc', namespace: KS_NS },
      spec: {
        selector: { 'app.kubernetes.io/part-of': 'llminferenceservice', 'app.kubernetes.io/name': 'qwen', 'kserve.io/component': 'workload' },
        ports: [{ name: 'http', port: 8000, targetPort: 8000, protocol: 'TCP', appProtocol: 'http' }],
      },
    },
  ];
}

function ksFull(): any[] {
  const schedLabels = {
    'app.kubernetes.io/name': 'qwen',
    'app.kubernetes.io/part-of': 'llminferenceservice',
    'app.kubernetes.io/component': 'llminferenceservice-router-scheduler',
  };
  const config = DEFAULT_CONFIG;
  return [
    ...ksWorkload(),
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'qwen-epp-sa', namespace: KS_NS } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'qwen-epp-role', namespace: KS_NS },
      rules: [
        { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['inference.networking.k8s.io', 'inference.networking.x-k8s.io'], resources: ['inferencepools'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
        { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'qwen-epp-rb', namespace: KS_NS },
      subjects: [{ kind: 'ServiceAccount', name: 'qwen-epp-sa', namespace: KS_NS }],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'qwen-epp-role' },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'qwen-kserve-router-scheduler', namespace: KS_NS, labels: schedLabels },
      spec: {
        replicas: 1,
        selector: { matchLabels: schedLabels },
        template: {
          metadata: { labels: schedLabels },
          spec: {
            serviceAccountName: 'qwen-epp-sa',
            containers: [{
              name: 'main',
              image: 'ghcr.io/llm-d/llm-d-router-endpoint-picker:v0.10.0',
              command: ['/app/epp', '--pool-name', 'qwen-inference-pool', '--pool-namespace', KS_NS, '--zap-encoder', 'json',
                '--grpc-port', '9002', '--grpc-health-port', '9003', '', '', '--config-text', config],
              ports: [
                { containerPort: 9002, name: 'grpc' }, { containerPort: 9003, name: 'grpc-health' },
                { containerPort: 9090, name: 'metrics' }, { containerPort: 5557, name: 'zmq' },
              ],
              livenessProbe: { grpc: { port: 9003, service: 'liveness' } },
              readinessProbe: { grpc: { port: 9003, service: 'readiness' } },
            }],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'qwen-epp-service', namespace: KS_NS },
      spec: {
        selector: schedLabels,
        ports: [
          { name: 'grpc', port: 9002, targetPort: 'grpc' }, { name: 'grpc-health', port: 9003, targetPort: 9003 },
          { name: 'metrics', port: 9090, targetPort: 9090 }, { name: 'zmq', port: 5557, targetPort: 5557 },
        ],
      },
    },
    {
      apiVersion: 'inference.networking.k8s.io/v1',
      kind: 'InferencePool',
      metadata: { name: 'qwen-inference-pool', namespace: KS_NS },
      spec: {
        selector: { matchLabels: KS_WORKLOAD },
        targetPorts: [{ number: 8000 }],
        endpointPickerRef: { kind: 'Service', name: 'qwen-epp-service', port: { number: 9002 }, failureMode: 'FailOpen' },
      },
    },
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'qwen-kserve-route', namespace: KS_NS },
      spec: {
        parentRefs: [{ name: 'kserve-ingress-gateway', namespace: 'kserve' }],
        rules: [{
          matches: [{ path: { type: 'PathPrefix', value: `/${KS_NS}/qwen/v1/completions` } }],
          backendRefs: [{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'qwen-inference-pool', port: 8000, weight: 1 }],
          timeouts: { request: '0s', backendRequest: '0s' },
        }],
      },
    },
  ];
}

/** ksFull with a v1alpha2 twin pool of the same name (KServe creates both when the CRD exists). */
function ksTwinPools(): any[] {
  const set = ksFull();
  set.push({
    apiVersion: 'inference.networking.x-k8s.io/v1alpha2',
    kind: 'InferencePool',
    metadata: { name: 'qwen-inference-pool', namespace: KS_NS },
    spec: { selector: { ...KS_WORKLOAD }, targetPortNumber: 8000, extensionRef: { name: 'qwen-epp-service', failureMode: 'FailOpen' } },
  });
  return set;
}

/** ksFull with the Deployment replaced by a data-parallel LeaderWorkerSet (leader serves, workers are headless). */
function ksLws(): any[] {
  const set = ksFull().filter((o) => !(o.kind === 'Deployment' && o.metadata.name === 'qwen-kserve'));
  const leaderLabels = { ...KS_WORKLOAD, 'app.kubernetes.io/component': 'llminferenceservice-workload-leader', 'llm-d.ai/role': 'both' };
  const workerLabels = { 'app.kubernetes.io/name': 'qwen', 'app.kubernetes.io/part-of': 'llminferenceservice', 'app.kubernetes.io/component': 'llminferenceservice-workload-worker' };
  const script = (leader: boolean) => [
    leader ? 'START_RANK=0' : 'START_RANK=$(( ${LWS_WORKER_INDEX:-0} * 8 ))',
    'for i in 1 2 3; do',
    '  DP_ADDRESS=$(getent hosts ${LWS_LEADER_ADDRESS} | cut -d\' \' -f1)',
    'done',
    'eval "exec vllm serve /mnt/models \\',
    '  --served-model-name "qwen" \\',
    ...(leader ? ['  --port 8000 --api-server-count 8 \\'] : ['  --headless \\']),
    '  --tensor-parallel-size 1 \\',
    '  --data-parallel-size 16 \\',
    '  --data-parallel-size-local 8 \\',
    '  --data-parallel-address ${DP_ADDRESS} \\',
    '  --data-parallel-rpc-port 5555 \\',
    '  --data-parallel-start-rank $START_RANK \\',
    '  $@"',
  ].join('\n');
  const pod = (leader: boolean) => ({
    metadata: { labels: leader ? leaderLabels : workerLabels },
    spec: {
      containers: [{
        name: 'main',
        image: 'ghcr.io/llm-d/llm-d-cuda:v0.9.0',
        command: ['/bin/bash', '-c', script(leader), '--'],
        ports: leader ? [{ containerPort: 8000, protocol: 'TCP' }] : [],
        resources: { limits: { 'nvidia.com/gpu': '8' }, requests: { 'nvidia.com/gpu': '8' } },
        volumeMounts: [{ mountPath: '/dev/shm', name: 'dshm' }],
      }],
      volumes: [{ name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: '8Gi' } }],
    },
  });
  set.push({
    apiVersion: 'leaderworkerset.x-k8s.io/v1',
    kind: 'LeaderWorkerSet',
    metadata: { name: 'qwen-kserve-mn', namespace: KS_NS },
    spec: { replicas: 1, leaderWorkerTemplate: { size: 2, leaderTemplate: pod(true), workerTemplate: pod(false) } },
  });
  return set;
}

// ---------------------------------------------------------------------------------------------------------------
// reference verdicts

interface Verdict {
  file: string;
  /** Invariants §8 lists as FAIL for this render. */
  docFail: number[];
  /** Violations the checker finds that §8 does not list (each explained in the note). */
  extra?: number[];
  note?: string;
}

const VERDICTS: Verdict[] = [
  // V8 (kustomize era)
  { file: 'kustomize-era-v0.8.0/rendered/optimized-baseline.rendered.yaml', docFail: [] },
  { file: 'kustomize-era-v0.8.0/rendered/optimized-baseline.gateway-agentgateway.rendered.yaml', docFail: [19] },
  { file: 'kustomize-era-v0.8.0/rendered/optimized-baseline.gateway-gke.rendered.yaml', docFail: [19] },
  { file: 'kustomize-era-v0.8.0/rendered/optimized-baseline.gateway-istio.rendered.yaml', docFail: [19] },
  { file: 'kustomize-era-v0.8.0/rendered/pd-disaggregation.rendered.yaml', docFail: [] },
  { file: 'kustomize-era-v0.8.0/rendered/pd-disaggregation.gateway-gke.rendered.yaml', docFail: [19] },
  { file: 'kustomize-era-v0.8.0/rendered/pd-disaggregation.gateway-istio.rendered.yaml', docFail: [19] },
  {
    file: 'kustomize-era-v0.8.0/rendered/precise-prefix-cache-routing.rendered.yaml',
    docFail: [],
    extra: [DUPLICATE_FLAG_CHECK],
    note: 'generic check: the EPP gets --ha-enable-leader-election from the chart and --ha-enable-leader-election=false from the values (§5: the last one wins)',
  },
  { file: 'kustomize-era-v0.8.0/rendered/tiered-prefix-cache.rendered.yaml', docFail: [] },
  { file: 'kustomize-era-v0.8.0/rendered/wide-ep-lws.rendered.yaml', docFail: [] },
  { file: 'kustomize-era-v0.8.0/rendered/wide-ep-lws.gateway-gke.rendered.yaml', docFail: [19] },
  // V6 (helm era)
  { file: 'helm-era-v0.6.0/rendered/inference-scheduling.rendered.yaml', docFail: [] },
  { file: 'helm-era-v0.6.0/rendered/inference-scheduling.agentgateway.rendered.yaml', docFail: [] },
  { file: 'helm-era-v0.6.0/rendered/inference-scheduling.gke.rendered.yaml', docFail: [] },
  { file: 'helm-era-v0.6.0/rendered/pd-disaggregation.rendered.yaml', docFail: [] },
  { file: 'helm-era-v0.6.0/rendered/pd-disaggregation.agentgateway.rendered.yaml', docFail: [] },
  { file: 'helm-era-v0.6.0/rendered/pd-disaggregation.gke.rendered.yaml', docFail: [36] },
  { file: 'helm-era-v0.6.0/rendered/precise-prefix-cache-aware.rendered.yaml', docFail: [38] },
  { file: 'helm-era-v0.6.0/rendered/precise-prefix-cache-aware.agentgateway.rendered.yaml', docFail: [38] },
  { file: 'helm-era-v0.6.0/rendered/precise-prefix-cache-aware.gke.rendered.yaml', docFail: [38] },
  { file: 'helm-era-v0.6.0/rendered/precise-prefix-cache-aware.pod-discovery.rendered.yaml', docFail: [38, 40] },
  { file: 'helm-era-v0.6.0/rendered/simulated-accelerators.rendered.yaml', docFail: [2] },
  { file: 'helm-era-v0.6.0/rendered/simulated-accelerators.agentgateway.rendered.yaml', docFail: [2] },
  { file: 'helm-era-v0.6.0/rendered/simulated-accelerators.gke.rendered.yaml', docFail: [2] },
  {
    file: 'helm-era-v0.6.0/rendered/tiered-prefix-cache-cpu.rendered.yaml',
    docFail: [],
    extra: [2],
    note: 'served Deployment llm-d-model-server has no llm-d.ai/role label; §8.2 requires one on every served template but only lists pd / wide-EP as checked',
  },
  {
    file: 'helm-era-v0.6.0/rendered/tiered-prefix-cache-storage.rendered.yaml',
    docFail: [],
    extra: [33],
    note: 'the lmcache-connector alternative runs vllm serve --tensor-parallel-size 4 with nvidia.com/gpu 2 (command [vllm], args [serve, ...]); §8.33 says "V6 all — pass"',
  },
  { file: 'helm-era-v0.6.0/rendered/wide-ep-lws.rendered.yaml', docFail: [] },
  { file: 'helm-era-v0.6.0/rendered/wide-ep-lws.gke.rendered.yaml', docFail: [] },
  { file: 'helm-era-v0.6.0/rendered/wide-ep-lws.gke-a4.rendered.yaml', docFail: [] },
  // L2 (legacy modelservice)
  { file: 'legacy-v0.2-wide-ep-modelservice/wide-ep-lws.modelservice-v0.2.7.rendered.yaml', docFail: [] },
  { file: 'legacy-v0.2-wide-ep-modelservice/wide-ep-lws.legacy-values.modelservice-v0.4.12.derived.rendered.yaml', docFail: [33, 35] },
];

describe('reference renders (vendored under imports/reference/llm-d)', () => {
  test('the verdict table covers every vendored render', () => {
    const found: string[] = [];
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir)) {
        const p = path.join(dir, e);
        if (fs.statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.rendered.yaml')) found.push(path.relative(REFERENCE, p).split(path.sep).join('/'));
      }
    };
    walk(REFERENCE);
    expect(found.sort()).toEqual(VERDICTS.map((v) => v.file).sort());
    expect(found.filter((f) => f.startsWith('kustomize-era-v0.8.0/')).length).toBe(11);
    expect(found.filter((f) => f.startsWith('helm-era-v0.6.0/')).length).toBe(18);
    expect(found.filter((f) => f.startsWith('legacy-v0.2')).length).toBe(2);
  });

  test.each(VERDICTS.map((v) => [v.file, v] as [string, Verdict]))('%s', (_file, v) => {
    const objs = load(v.file);
    const expected = [...v.docFail, ...(v.extra ?? [])].filter((n) => IMPLEMENTED_INVARIANTS.includes(n));
    expectInvariants(checkWiring(objs), expected);
  });

  test('the derived v0.4.12 file fails 33 on both LWS because the last DP_SIZE_LOCAL (1) wins', () => {
    const v = checkWiring(load('legacy-v0.2-wide-ep-modelservice/wide-ep-lws.legacy-values.modelservice-v0.4.12.derived.rendered.yaml'));
    const gpu = v.filter((x) => x.invariant === 33).map((x) => x.object).sort();
    expect(gpu).toEqual(['LeaderWorkerSet/ms-wide-ep-llm-d-modelservice-decode', 'LeaderWorkerSet/ms-wide-ep-llm-d-modelservice-prefill']);
    expect(v.find((x) => x.invariant === 33)!.message).toMatch(/8 GPU\(s\) but TP 1 x PP 1 x DP_SIZE_LOCAL 1 = 1/);
  });

  test('mutating the V8 wide-EP render: the bash-script flags are read (7, 33, 34, 6)', () => {
    const base = load('kustomize-era-v0.8.0/rendered/wide-ep-lws.rendered.yaml');
    expectInvariants(checkWiring(base), []);
    const portMoved = clone(base);
    const dec = container(get(portMoved, 'LeaderWorkerSet', 'wide-ep-llm-d-decode'), 'vllm');
    dec.args[0] = dec.args[0].replace('--port 8200', '--port 8300');
    expectInvariants(checkWiring(portMoved), [7]);
    const rank = clone(base);
    const pre = container(get(rank, 'LeaderWorkerSet', 'wide-ep-llm-d-prefill'), 'vllm');
    pre.args[0] = pre.args[0].replace('--data-parallel-start-rank $START_RANK', '--data-parallel-start-rank 0');
    expectInvariants(checkWiring(rank), [34]);
    const dpl = clone(base);
    const env = container(get(dpl, 'LeaderWorkerSet', 'wide-ep-llm-d-prefill'), 'vllm').env;
    env.find((e: any) => e.name === 'DP_SIZE_LOCAL').value = '4';
    // 8 GPUs for 1 x 4 ranks, and 8 pool ports for 4 local ranks
    expectInvariants(checkWiring(dpl), [6, 33]);
  });

  test('mutating the V8 standalone render: Envoy failure mode and ext_proc port (17, 18)', () => {
    const base = load('kustomize-era-v0.8.0/rendered/pd-disaggregation.rendered.yaml');
    const closed = clone(base);
    get(closed, 'InferencePool', 'pd-disaggregation').spec.endpointPickerRef.failureMode = 'FailClose';
    expectInvariants(checkWiring(closed), [17]);
    const port = clone(base);
    const cm = get(port, 'ConfigMap', 'envoy');
    cm.data['envoy.yaml'] = cm.data['envoy.yaml'].replace(/port_value: 9002/, 'port_value: 9012');
    expectInvariants(checkWiring(port), [18]);
  });

  test('mutating the V8 precise render: topic port, block size, render Service (39, 38, 42)', () => {
    const base = load('kustomize-era-v0.8.0/rendered/precise-prefix-cache-routing.rendered.yaml');
    const baseNums = nums(checkWiring(base));
    const topic = clone(base);
    const env = container(get(topic, 'Deployment', 'precise-prefix-cache-routing-gpu-vllm-decode'), 'modelserver').env;
    env.find((e: any) => e.name === 'POD_PORT').value = '8001';
    expectInvariants(checkWiring(topic), [...baseNums, 39]);
    const block = clone(base);
    setFlag(container(get(block, 'Deployment', 'precise-prefix-cache-routing-gpu-vllm-decode'), 'modelserver').args, '--block-size', '16');
    expectInvariants(checkWiring(block), [...baseNums, 38]);
    const render = clone(base);
    get(render, 'Service', 'precise-prefix-cache-routing-render').spec.ports[0].port = 8080;
    expectInvariants(checkWiring(render), [...baseNums, 42]);
  });

  test('token-producer modelName against the render server\'s model: a different id, or a local path from another source (42)', () => {
    const base = load('kustomize-era-v0.8.0/rendered/precise-prefix-cache-routing.rendered.yaml');
    const baseNums = nums(checkWiring(base));
    const renderContainer = (s: any[]) => get(s, 'Deployment', 'precise-prefix-cache-routing-render').spec.template.spec.containers[0];
    // The render server started for another model than the one the EPP asks for.
    const other = clone(base);
    const oa = renderContainer(other);
    oa.args = oa.args.map((a: string) => (a === 'Qwen/Qwen3-32B' ? 'Qwen/Qwen3-8B' : a));
    expectInvariants(checkWiring(other), [...baseNums, 42]);
    // KServe's form: the render serves /mnt/models/base, the EPP asks for that path, the files come from the serving
    // pods' source: no violation; from another source: 42.
    const local = (uri: string) => {
      const s = clone(base);
      const c = renderContainer(s);
      c.args = c.args.map((a: string) => (a === 'Qwen/Qwen3-32B' ? '/mnt/models/base' : a));
      const epp = get(s, 'ConfigMap', Object.values(s).find((o: any) => o.kind === 'ConfigMap' && JSON.stringify(o.data ?? {}).includes('token-producer'))!.metadata.name);
      for (const k of Object.keys(epp.data)) epp.data[k] = epp.data[k].replace('modelName: Qwen/Qwen3-32B', 'modelName: /mnt/models/base');
      get(s, 'Deployment', 'precise-prefix-cache-routing-render').spec.template.spec.initContainers = [{ name: 'storage-initializer', image: 'kserve/storage-initializer', args: [uri, '/mnt/models/base'] }];
      for (const d of s.filter((o: any) => o.kind === 'Deployment' && o.metadata.name === 'precise-prefix-cache-routing-gpu-vllm-decode')) {
        d.spec.template.spec.initContainers = [...(d.spec.template.spec.initContainers ?? []), { name: 'storage-initializer', image: 'kserve/storage-initializer', args: ['hf://Qwen/Qwen3-32B', '/mnt/models'] }];
      }
      return s;
    };
    expectInvariants(checkWiring(local('hf://Qwen/Qwen3-32B')), baseNums);
    expectInvariants(checkWiring(local('hf://Qwen/Qwen3-8B')), [...baseNums, 42]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// hand-written sets

describe('valid hand-written sets', () => {
  test('llm-d P/D set (gateway mode)', () => {
    expectInvariants(checkWiring(pdSet()), []);
  });
  test('llm-d P/D set (standalone Envoy)', () => {
    expectInvariants(checkWiring(pdSet({ standalone: true })), []);
  });
  test('precise prefix-cache set, pod discovery and centralized', () => {
    expectInvariants(checkWiring(preciseSet()), []);
    expectInvariants(checkWiring(centralized(preciseSet())), []);
  });
  test('wide-EP style LeaderWorkerSet', () => {
    expectInvariants(checkWiring(lwsSet()), []);
  });
  test('KServe-style single-node workload: Deployment N-kserve + Service N-kserve-workload-svc', () => {
    const v = checkWiring(ksWorkload());
    expect(formatViolations(v)).toBe('no wiring violations');
    expect(v).toEqual([]);
  });
  test('KServe-style single-node set with EPP, pool, RBAC and route', () => {
    expectInvariants(checkWiring(ksFull()), []);
  });
  test('KServe-style set with a v1 pool and its v1alpha2 twin', () => {
    expectInvariants(checkWiring(ksTwinPools()), []);
  });
  test('KServe-style data-parallel LeaderWorkerSet (leader start rank 0, headless workers)', () => {
    expectInvariants(checkWiring(ksLws()), []);
  });
  test('kind: List is flattened and objects without a namespace use opts.namespace', () => {
    const set = pdSet().map((o) => {
      const c = clone(o);
      delete c.metadata.namespace;
      for (const s of c.subjects ?? []) delete s.namespace;
      const epp = c.spec?.template?.spec?.containers?.find((x: any) => x.name === 'epp');
      if (epp) setFlag(epp.args, '--pool-namespace', 'other');
      return c;
    });
    const list = { apiVersion: 'v1', kind: 'List', items: set };
    expectInvariants(checkWiring([list], { namespace: 'other' }), []);
    // without opts.namespace they land in `default`, where the EPP's --pool-namespace names no pool
    expect(nums(checkWiring([list]))).toContain(13);
  });
});

/** pdSet with a decode PodMonitor, a prefill PodMonitoring and an EPP ServiceMonitor that sends the metrics-reader token. */
function monitoringSet(): any[] {
  const set = pdSet();
  const svc = get(set, 'Service', 'demo-epp');
  svc.metadata.labels = { 'llm-d-router-gateway': 'demo-epp' };
  return [...set,
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'demo-metrics-reader', namespace: NS } },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/service-account-token',
      metadata: { name: 'demo-metrics-reader-secret', namespace: NS, annotations: { 'kubernetes.io/service-account.name': 'demo-metrics-reader' } },
    },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'demo-metrics-reader' }, rules: [{ nonResourceURLs: ['/metrics'], verbs: ['get'] }] },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'demo-metrics-reader' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'demo-metrics-reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'demo-metrics-reader', namespace: NS }],
    },
    {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: { name: 'demo-decode', namespace: NS },
      spec: { selector: { matchLabels: { 'llm-d.ai/guide': 'demo', 'llm-d.ai/role': 'decode' } }, podMetricsEndpoints: [{ port: 'modelserver', path: '/metrics' }] },
    },
    {
      apiVersion: 'monitoring.googleapis.com/v1',
      kind: 'PodMonitoring',
      metadata: { name: 'demo-prefill', namespace: NS },
      spec: { selector: { matchLabels: { 'llm-d.ai/guide': 'demo', 'llm-d.ai/role': 'prefill' } }, endpoints: [{ port: 'modelserver', interval: '30s' }] },
    },
    {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name: 'demo-epp', namespace: NS },
      spec: {
        selector: { matchLabels: { 'llm-d-router-gateway': 'demo-epp' } },
        endpoints: [{ port: 'http-metrics', path: '/metrics', authorization: { credentials: { name: 'demo-metrics-reader-secret', key: 'token' } } }],
      },
    }];
}

/** Two versions of the P/D set (`demo` stable, `canary`) behind one weighted HTTPRoute (90/10), each with its own pool and EPP. */
function splitSet(): any[] {
  const stable = pdSet();
  const canary = (JSON.parse(JSON.stringify(pdSet()).replace(/demo/g, 'canary')) as any[])
    .filter((o) => o.kind !== 'Gateway' && o.kind !== 'HTTPRoute');
  const route = get(stable, 'HTTPRoute', 'demo');
  route.spec.rules[0].backendRefs = [
    { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'demo', weight: 90 },
    { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'canary', weight: 10 },
  ];
  return [...stable, ...canary];
}

/** The canary of {@link splitSet} serving another model name, mapped back by an InferenceModelRewrite (or not). */
function renamedCanary(rewrite: boolean, target = 'qwen-canary'): () => any[] {
  return () => {
    const s = splitSet();
    for (const name of ['canary-decode', 'canary-prefill']) container(get(s, 'Deployment', name), 'modelserver').args.push('--served-model-name', 'qwen-canary');
    if (rewrite) {
      s.push({
        apiVersion: 'llm-d.ai/v1alpha2',
        kind: 'InferenceModelRewrite',
        metadata: { name: 'to-canary', namespace: NS },
        spec: { poolRef: { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'canary' }, rules: [{ matches: [{ model: { value: MODEL } }], targets: [{ modelRewrite: target }] }] },
      });
    }
    return s;
  };
}

function objective(pool: string): any {
  return {
    apiVersion: 'llm-d.ai/v1alpha2',
    kind: 'InferenceObjective',
    metadata: { name: 'critical', namespace: NS },
    spec: { priority: 100, poolRef: { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: pool } },
  };
}

/** pdSet with a flowControl section appended to its EPP config text. */
function flowControlSet(section: string, gate: boolean): () => any[] {
  return () => {
    const s = pdSet();
    const cm = get(s, 'ConfigMap', 'demo-epp');
    const key = Object.keys(cm.data)[0];
    cm.data[key] = `${cm.data[key].trimEnd()}\n${gate ? 'featureGates: [flowControl]\n' : ''}${section}\n`;
    return s;
  };
}

interface Case {
  name: string;
  invariant: number[];
  build: () => any[];
}

const mutate = (make: () => any[], fn: (set: any[]) => void) => (): any[] => { const s = make(); fn(s); return s; };

const CASES: Case[] = [
  {
    name: 'pool selector also matches the EPP pod',
    invariant: [1],
    build: mutate(pdSet, (s) => { get(s, 'Deployment', 'demo-epp').spec.template.metadata.labels['llm-d.ai/guide'] = 'demo'; }),
  },
  {
    name: 'pool selector matches no model server (so the decode sidecar serves no pool)',
    invariant: [1, 31],
    build: mutate(pdSet, (s) => { get(s, 'InferencePool', 'demo').spec.selector.matchLabels['llm-d.ai/guide'] = 'typo'; }),
  },
  {
    name: 'served pod without llm-d.ai/role',
    invariant: [2],
    build: mutate(() => eppObjects({ config: 'default' }).concat(vllmDeployment('demo-decode', { role: 'decode' })), (s) => {
      const d = get(s, 'Deployment', 'demo-decode');
      delete d.spec.template.metadata.labels['llm-d.ai/role'];
      delete d.spec.selector.matchLabels['llm-d.ai/role'];
    }),
  },
  {
    name: 'prefill pods in the pool with a non-P/D EPP config',
    invariant: [2],
    build: mutate(pdSet, (s) => {
      const cm = get(s, 'ConfigMap', 'demo-epp');
      cm.data['default-plugins.yaml'] = DEFAULT_CONFIG;
      setFlag(container(get(s, 'Deployment', 'demo-epp'), 'epp').args, '--config-file', '/config/default-plugins.yaml');
    }),
  },
  {
    name: 'Deployment selector does not match its own template',
    invariant: [3],
    build: mutate(pdSet, (s) => { get(s, 'Deployment', 'demo-prefill').spec.selector.matchLabels['llm-d.ai/model'] = 'other'; }),
  },
  {
    name: 'two Deployments select each other\'s pods',
    invariant: [3],
    build: mutate(pdSet, (s) => { get(s, 'Deployment', 'demo-prefill').spec.selector.matchLabels = { 'llm-d.ai/guide': 'demo' }; }),
  },
  {
    name: 'Deployment selector matches the pods of a LeaderWorkerSet',
    invariant: [3],
    build: mutate(lwsSet, (s) => {
      const labels = { 'llm-d.ai/guide': 'demo', 'llm-d.ai/role': 'decode' };
      const d = vllmDeployment('demo-extra', { role: 'decode' });
      d.spec.selector.matchLabels = labels;
      d.spec.template.metadata.labels = { ...labels, 'llm-d.ai/model': 'x' };
      d.spec.template.spec.initContainers = [routingSidecar(8000, 8000)];
      container(d, 'modelserver').args.push('--port=8200');
      container(d, 'modelserver').ports = [{ containerPort: 8200, name: 'modelserver' }];
      d.spec.template.spec.initContainers[0].args[1] = '--vllm-port=8200';
      s.push(d);
    }),
  },
  {
    name: 'EPP Service selector also selects a model server',
    invariant: [4],
    build: mutate(pdSet, (s) => {
      get(s, 'Deployment', 'demo-prefill').spec.template.metadata.labels.tier = 'serving';
      get(s, 'Deployment', 'demo-epp').spec.template.metadata.labels.tier = 'serving';
      get(s, 'Service', 'demo-epp').spec.selector = { tier: 'serving' };
    }),
  },
  {
    name: 'EPP Service selector matches no EPP pod',
    invariant: [4],
    build: mutate(pdSet, (s) => { get(s, 'Service', 'demo-epp').spec.selector = { 'llm-d-router-gateway': 'nope' }; }),
  },
  {
    name: 'pool targetPort not declared by the served pods',
    invariant: [5],
    build: mutate(pdSet, (s) => { get(s, 'InferencePool', 'demo').spec.targetPorts.push({ number: 8001 }); }),
  },
  {
    name: 'duplicate targetPorts',
    invariant: [6],
    build: mutate(pdSet, (s) => { get(s, 'InferencePool', 'demo').spec.targetPorts = [{ number: 8000 }, { number: 8000 }]; }),
  },
  {
    name: 'multi-port external LB with fewer pool ports than local DP ranks',
    invariant: [6],
    build: mutate(lwsSet, (s) => {
      const c = container(get(s, 'LeaderWorkerSet', 'demo-decode'), 'vllm');
      c.args[0] = c.args[0].replace('--data-parallel-hybrid-lb', '--data-parallel-multi-port-external-lb');
      get(s, 'LeaderWorkerSet', 'demo-decode').spec.leaderWorkerTemplate.workerTemplate.spec.initContainers[0].args.push('--data-parallel-size=4');
    }),
  },
  {
    name: 'sidecar --vllm-port differs from vLLM --port',
    invariant: [7],
    build: mutate(pdSet, (s) => { get(s, 'Deployment', 'demo-decode').spec.template.spec.initContainers[0].args[1] = '--vllm-port=8300'; }),
  },
  {
    name: 'sidecar --port is not a pool targetPort',
    invariant: [5, 7],
    build: mutate(pdSet, (s) => {
      const sc = get(s, 'Deployment', 'demo-decode').spec.template.spec.initContainers[0];
      sc.args[0] = '--port=8100';
      sc.ports[0].containerPort = 8100;
    }),
  },
  {
    name: 'prefill vLLM listens on a port that is not a targetPort',
    invariant: [8],
    build: mutate(pdSet, (s) => { container(get(s, 'Deployment', 'demo-prefill'), 'modelserver').args.push('--port', '8100'); }),
  },
  {
    name: 'endpointPickerRef port not exposed by the EPP Service',
    invariant: [9],
    build: mutate(pdSet, (s) => { get(s, 'InferencePool', 'demo').spec.endpointPickerRef.port.number = 9005; }),
  },
  {
    name: 'EPP grpc probe on the wrong port',
    invariant: [10],
    build: mutate(pdSet, (s) => { container(get(s, 'Deployment', 'demo-epp'), 'epp').readinessProbe.grpc.port = 9004; }),
  },
  {
    name: 'httpGet probe names an undeclared port',
    invariant: [11],
    build: mutate(pdSet, (s) => { container(get(s, 'Deployment', 'demo-prefill'), 'modelserver').livenessProbe.httpGet.port = 'http'; }),
  },
  {
    name: 'HTTPRoute backendRef port is not a targetPort',
    invariant: [12],
    build: mutate(pdSet, (s) => { get(s, 'HTTPRoute', 'demo').spec.rules[0].backendRefs[0].port = 8200; }),
  },
  {
    name: 'EPP --pool-name names another pool',
    invariant: [13],
    build: mutate(pdSet, (s) => { setFlag(container(get(s, 'Deployment', 'demo-epp'), 'epp').args, '--pool-name', 'other'); }),
  },
  {
    name: 'EPP --pool-group differs from the pool group',
    invariant: [13],
    build: mutate(pdSet, (s) => {
      setFlag(container(get(s, 'Deployment', 'demo-epp'), 'epp').args, '--pool-group', 'inference.networking.x-k8s.io');
      get(s, 'Role', 'demo-epp-non-sa').rules[1].apiGroups.push('inference.networking.x-k8s.io');
    }),
  },
  {
    name: 'endpointPickerRef names a missing Service',
    invariant: [14],
    build: mutate(pdSet, (s) => { get(s, 'InferencePool', 'demo').spec.endpointPickerRef.name = 'demo-epp-typo'; }),
  },
  {
    name: 'HTTPRoute backendRef uses the v1alpha2 group for a v1 pool',
    invariant: [15],
    build: mutate(pdSet, (s) => { get(s, 'HTTPRoute', 'demo').spec.rules[0].backendRefs[0].group = 'inference.networking.x-k8s.io'; }),
  },
  {
    name: 'HTTPRoute parentRef names a missing Gateway',
    invariant: [16],
    build: mutate(pdSet, (s) => { get(s, 'HTTPRoute', 'demo').spec.parentRefs[0].name = 'nope'; }),
  },
  {
    name: 'Gateway listener does not admit the route namespace',
    invariant: [16],
    build: mutate(pdSet, (s) => {
      get(s, 'Gateway', 'demo-gateway').metadata.namespace = 'gw';
      get(s, 'HTTPRoute', 'demo').spec.parentRefs[0].namespace = 'gw';
    }),
  },
  {
    name: 'unknown failureMode',
    invariant: [17],
    build: mutate(pdSet, (s) => { get(s, 'InferencePool', 'demo').spec.endpointPickerRef.failureMode = 'FailSafe'; }),
  },
  {
    name: 'standalone Envoy fails closed while the pool fails open',
    invariant: [17],
    build: mutate(() => pdSet({ standalone: true }), (s) => {
      const cm = get(s, 'ConfigMap', 'demo-envoy');
      cm.data['envoy.yaml'] = cm.data['envoy.yaml'].replace('failure_mode_allow: true', 'failure_mode_allow: false');
    }),
  },
  {
    name: 'standalone Envoy ext_proc cluster points at the health port',
    invariant: [18],
    build: mutate(() => pdSet({ standalone: true }), (s) => {
      const cm = get(s, 'ConfigMap', 'demo-envoy');
      cm.data['envoy.yaml'] = cm.data['envoy.yaml'].replace('port_value: 9002', 'port_value: 9003');
    }),
  },
  {
    name: 'EPP Service port 80 -> 8081 without an Envoy container',
    invariant: [19],
    build: mutate(pdSet, (s) => { get(s, 'Service', 'demo-epp').spec.ports.push({ name: 'http', port: 80, targetPort: 8081 }); }),
  },
  {
    name: '--config-file names a key missing from the ConfigMap',
    invariant: [20],
    build: mutate(pdSet, (s) => { setFlag(container(get(s, 'Deployment', 'demo-epp'), 'epp').args, '--config-file', '/config/missing.yaml'); }),
  },
  {
    name: 'config apiVersion unknown',
    invariant: [21],
    build: mutate(pdSet, (s) => { const cm = get(s, 'ConfigMap', 'demo-epp'); cm.data['pd-config.yaml'] = cm.data['pd-config.yaml'].replace('llm-d.ai/v1alpha1', 'llm-d.ai/v2'); }),
  },
  {
    name: 'pluginRef names an undeclared plugin',
    invariant: [22],
    build: mutate(pdSet, (s) => {
      const cm = get(s, 'ConfigMap', 'demo-epp');
      cm.data['pd-config.yaml'] = cm.data['pd-config.yaml'].replace('deciderPluginName: always-disagg-pd-decider', 'deciderPluginName: prefix-based-pd-decider');
    }),
  },
  {
    name: 'P/D config without the headers handler',
    invariant: [23],
    build: mutate(pdSet, (s) => { const cm = get(s, 'ConfigMap', 'demo-epp'); cm.data['pd-config.yaml'] = cm.data['pd-config.yaml'].replace('- type: disagg-headers-handler\n', ''); }),
  },
  {
    name: 'Role missing inferencepools',
    invariant: [25],
    build: mutate(pdSet, (s) => { get(s, 'Role', 'demo-epp-non-sa').rules.pop(); }),
  },
  {
    name: 'HA EPP without leases',
    invariant: [26],
    build: mutate(pdSet, (s) => { get(s, 'Deployment', 'demo-epp').spec.replicas = 2; }),
  },
  {
    name: 'SSRF-protected sidecar without RBAC',
    invariant: [27],
    build: mutate(pdSet, (s) => {
      get(s, 'Deployment', 'demo-decode').spec.template.spec.initContainers[0].args.push(
        '--enable-ssrf-protection=true', '--pool-group=inference.networking.k8s.io', `--inference-pool=${NS}/demo`);
    }),
  },
  {
    name: 'NixlConnector without VLLM_NIXL_SIDE_CHANNEL_HOST',
    invariant: [28],
    build: mutate(pdSet, (s) => { container(get(s, 'Deployment', 'demo-prefill'), 'modelserver').env = []; }),
  },
  {
    name: 'prefill and decode block sizes differ',
    invariant: [29],
    build: mutate(pdSet, (s) => { setFlag(container(get(s, 'Deployment', 'demo-prefill'), 'modelserver').args, '--block-size', '64'); }),
  },
  {
    name: 'v0.9 sidecar with the old --connector spelling',
    invariant: [30],
    build: mutate(pdSet, (s) => { get(s, 'Deployment', 'demo-decode').spec.template.spec.initContainers[0].args[2] = '--connector=nixlv2'; }),
  },
  {
    name: 'routing sidecar as a regular container',
    invariant: [31],
    build: mutate(pdSet, (s) => {
      const spec = get(s, 'Deployment', 'demo-decode').spec.template.spec;
      const sc = spec.initContainers.pop();
      delete sc.restartPolicy;
      spec.containers.push(sc);
    }),
  },
  {
    name: 'routing sidecar on a prefill pod',
    invariant: [31],
    build: mutate(pdSet, (s) => {
      const d = get(s, 'Deployment', 'demo-prefill');
      d.spec.template.spec.initContainers = [routingSidecar(8000, 8001)];
      const c = container(d, 'modelserver');
      c.args.push('--port=8001');
      c.ports[0].containerPort = 8001;
    }),
  },
  {
    name: 'nixl port is not the side-channel port',
    invariant: [32],
    build: mutate(pdSet, (s) => { container(get(s, 'Deployment', 'demo-prefill'), 'modelserver').ports[1].containerPort = 5601; }),
  },
  {
    name: 'GPU limit 2 with TP 4',
    invariant: [33],
    build: mutate(pdSet, (s) => { setFlag(container(get(s, 'Deployment', 'demo-decode'), 'modelserver').args, '--tensor-parallel-size', '4'); }),
  },
  {
    name: 'GPU request differs from the limit',
    invariant: [33],
    build: mutate(pdSet, (s) => { container(get(s, 'Deployment', 'demo-decode'), 'modelserver').resources.requests['nvidia.com/gpu'] = '1'; }),
  },
  {
    name: 'LWS --data-parallel-size is not size x DP_SIZE_LOCAL',
    invariant: [34],
    build: mutate(lwsSet, (s) => {
      const c = container(get(s, 'LeaderWorkerSet', 'demo-decode'), 'vllm');
      c.args[0] = c.args[0].replace('$((LWS_GROUP_SIZE * DP_SIZE_LOCAL))', '$DP_SIZE_LOCAL');
    }),
  },
  {
    name: 'LWS address is not the leader address',
    invariant: [34],
    build: mutate(lwsSet, (s) => {
      const c = container(get(s, 'LeaderWorkerSet', 'demo-decode'), 'vllm');
      c.args[0] = c.args[0].replace('${LWS_LEADER_ADDRESS}', 'localhost');
    }),
  },
  {
    name: 'KServe worker start rank ignores LWS_WORKER_INDEX',
    invariant: [34],
    build: mutate(ksLws, (s) => {
      const c = get(s, 'LeaderWorkerSet', 'qwen-kserve-mn').spec.leaderWorkerTemplate.workerTemplate.spec.containers[0];
      c.command[2] = c.command[2].replace('START_RANK=$(( ${LWS_WORKER_INDEX:-0} * 8 ))', 'START_RANK=0');
    }),
  },
  {
    name: 'KServe LWS leader serves with 4 GPUs for DP_SIZE_LOCAL 8',
    invariant: [33],
    build: mutate(ksLws, (s) => {
      const c = get(s, 'LeaderWorkerSet', 'qwen-kserve-mn').spec.leaderWorkerTemplate.leaderTemplate.spec.containers[0];
      c.resources = { limits: { 'nvidia.com/gpu': '4' }, requests: { 'nvidia.com/gpu': '4' } };
    }),
  },
  {
    name: 'HTTPRoute group names the twin that does not exist',
    invariant: [15],
    build: mutate(ksFull, (s) => { get(s, 'HTTPRoute', 'qwen-kserve-route').spec.rules[0].backendRefs[0].group = 'inference.networking.x-k8s.io'; }),
  },
  {
    name: 'duplicate env name',
    invariant: [35],
    build: mutate(pdSet, (s) => { container(get(s, 'Deployment', 'demo-decode'), 'modelserver').env.push({ name: 'USER', value: 'a' }, { name: 'USER', value: 'b' }); }),
  },
  {
    name: 'null resource quantity',
    invariant: [36],
    build: mutate(pdSet, (s) => { container(get(s, 'Deployment', 'demo-decode'), 'modelserver').resources.limits['rdma/ib'] = null; }),
  },
  {
    name: 'RDMA resource only in limits',
    invariant: [36],
    build: mutate(lwsSet, (s) => { delete container(get(s, 'LeaderWorkerSet', 'demo-decode'), 'vllm').resources.requests['rdma/ib']; }),
  },
  {
    name: 'missing /dev/shm with 4 GPUs',
    invariant: [37],
    build: mutate(lwsSet, (s) => { container(get(s, 'LeaderWorkerSet', 'demo-decode'), 'vllm').volumeMounts = []; }),
  },
  {
    name: '/dev/shm on disk for a GPU vLLM container',
    invariant: [37],
    build: mutate(pdSet, (s) => { get(s, 'Deployment', 'demo-prefill').spec.template.spec.volumes[0].emptyDir = {}; }),
  },
  {
    name: 'no /dev/shm for a non-vLLM container with 2 GPUs',
    invariant: [37],
    build: mutate(pdSet, (s) => {
      const c = container(get(s, 'Deployment', 'demo-decode'), 'modelserver');
      c.image = 'example.com/custom-engine:1';
      c.command = ['/app/server'];
      c.volumeMounts = [];
    }),
  },
  {
    name: 'a non-vLLM container with 1 GPU needs no /dev/shm',
    invariant: [],
    build: mutate(pdSet, (s) => {
      const c = container(get(s, 'Deployment', 'demo-prefill'), 'modelserver');
      c.image = 'example.com/custom-engine:1';
      c.command = ['/app/server'];
      c.volumeMounts = [];
    }),
  },
  {
    name: 'GPU limit 2 with -tp 4 (short option, --k v form)',
    invariant: [33],
    build: mutate(pdSet, (s) => {
      const c = container(get(s, 'Deployment', 'demo-decode'), 'modelserver');
      c.args = c.args.filter((a: string) => !a.startsWith('--tensor-parallel-size'));
      c.args.push('-tp', '4');
    }),
  },
  {
    name: 'TP_SIZE env counts when the flag is absent',
    invariant: [33],
    build: mutate(pdSet, (s) => {
      const c = container(get(s, 'Deployment', 'demo-decode'), 'modelserver');
      c.args = c.args.filter((a: string) => !a.startsWith('--tensor-parallel-size'));
      c.env.push({ name: 'TP_SIZE', value: '4' });
    }),
  },
  {
    name: 'sidecar flags in --k v form',
    invariant: [7],
    build: mutate(pdSet, (s) => { get(s, 'Deployment', 'demo-decode').spec.template.spec.initContainers[0].args = ['--port', '8000', '--vllm-port', '8001']; }),
  },
  {
    name: 'EPP blockSize differs from vLLM --block-size',
    invariant: [38],
    build: mutate(preciseSet, (s) => { setFlag(container(get(s, 'Deployment', 'demo-decode'), 'modelserver').args, '--block-size', '16'); }),
  },
  {
    name: 'KV-events topic without the port',
    invariant: [39],
    build: mutate(preciseSet, (s) => {
      const c = container(get(s, 'Deployment', 'demo-decode'), 'modelserver');
      const i = c.args.indexOf('--kv-events-config');
      c.args[i + 1] = c.args[i + 1].replace(':$(POD_PORT)', '');
    }),
  },
  {
    name: 'pod discovery with a connect-mode vLLM endpoint',
    invariant: [40],
    build: mutate(preciseSet, (s) => {
      const c = container(get(s, 'Deployment', 'demo-decode'), 'modelserver');
      c.env.find((e: any) => e.name === 'KV_EVENTS_ENDPOINT').value = 'tcp://demo-epp:5556';
    }),
  },
  {
    name: 'centralized KV events without the Service zmq port',
    invariant: [40],
    build: mutate(() => centralized(preciseSet()), (s) => { get(s, 'Service', 'demo-epp').spec.ports.pop(); }),
  },
  {
    name: 'centralized KV events with two EPP replicas',
    invariant: [41],
    build: mutate(() => addLeaseRbac(centralized(preciseSet())), (s) => { get(s, 'Deployment', 'demo-epp').spec.replicas = 2; }),
  },
  {
    name: 'token-producer modelName differs from the served model',
    invariant: [42],
    build: mutate(preciseSet, (s) => { const cm = get(s, 'ConfigMap', 'demo-epp'); cm.data['precise.yaml'] = cm.data['precise.yaml'].replace(`modelName: ${MODEL}`, 'modelName: other/model'); }),
  },
  {
    name: 'token-producer URL names a missing Service',
    invariant: [42],
    build: mutate(preciseSet, (s) => { const cm = get(s, 'ConfigMap', 'demo-epp'); cm.data['precise.yaml'] = cm.data['precise.yaml'].replace('demo-render:8000', 'demo-tokenizer:8000'); }),
  },
  {
    name: 'the same vLLM flag twice',
    invariant: [DUPLICATE_FLAG_CHECK],
    build: mutate(pdSet, (s) => { container(get(s, 'Deployment', 'demo-prefill'), 'modelserver').args.push('--max-model-len', '4096', '--max_model_len=8192'); }),
  },
  {
    name: 'repeatable flags are allowed',
    invariant: [],
    build: mutate(pdSet, (s) => { container(get(s, 'Deployment', 'demo-prefill'), 'modelserver').args.push('--middleware', 'a.b', '--middleware', 'c.d'); }),
  },
  {
    name: 'KServe workload Service targetPort not served',
    invariant: [SERVICE_TARGET_PORT_CHECK],
    build: mutate(ksWorkload, (s) => { get(s, 'Service', 'qwen-kserve-workload-svc').spec.ports[0].targetPort = 8080; }),
  },
  {
    name: 'KServe workload Service named targetPort not declared',
    invariant: [SERVICE_TARGET_PORT_CHECK],
    build: mutate(ksWorkload, (s) => { get(s, 'Service', 'qwen-kserve-workload-svc').spec.ports[0].targetPort = 'http'; }),
  },
  {
    name: 'KServe VLLM_ADDITIONAL_ARGS raise TP above the GPU count',
    invariant: [33],
    build: mutate(ksWorkload, (s) => {
      container(get(s, 'Deployment', 'qwen-kserve'), 'main').env[0].value = '--max-model-len 8192 --tensor-parallel-size 2';
    }),
  },
  {
    name: 'NetworkPolicy of the prefill pods (named ports declared) is clean',
    invariant: [],
    build: mutate(pdSet, (s) => { s.push(networkPolicy({ 'llm-d.ai/role': 'prefill' }, ['modelserver', 'nixl'])); }),
  },
  {
    name: 'MultiConnector (NIXL + offloading) on both roles is clean',
    invariant: [],
    build: mutate(pdSet, (s) => {
      for (const n of ['demo-decode', 'demo-prefill']) {
        setFlag(container(get(s, 'Deployment', n), 'modelserver').args, '--kv-transfer-config', JSON.stringify({
          kv_connector: 'MultiConnector',
          kv_role: 'kv_both',
          kv_connector_extra_config: { connectors: [{ kv_connector: 'NixlConnector', kv_role: 'kv_both' }, { kv_connector: 'OffloadingConnector', kv_role: 'kv_both' }] },
        }));
      }
    }),
  },
  {
    name: 'MultiConnector on prefill whose NIXL role does not pair with decode',
    invariant: [29],
    build: mutate(pdSet, (s) => {
      setFlag(container(get(s, 'Deployment', 'demo-prefill'), 'modelserver').args, '--kv-transfer-config', JSON.stringify({
        kv_connector: 'MultiConnector',
        kv_role: 'kv_both',
        kv_connector_extra_config: { connectors: [{ kv_connector: 'NixlConnector', kv_role: 'kv_producer' }, { kv_connector: 'OffloadingConnector', kv_role: 'kv_both' }] },
      }));
    }),
  },
  {
    name: 'SGLang P/D is clean',
    invariant: [],
    build: sglangPdSet,
  },
  {
    name: 'SGLang: listens on its default 127.0.0.1',
    invariant: [SGLANG_CHECK],
    build: mutate(sglangPdSet, (s) => {
      const c = container(get(s, 'Deployment', 'demo-prefill'), 'modelserver');
      c.args.splice(c.args.indexOf('--host'), 2);
    }),
  },
  {
    name: 'SGLang: no --enable-metrics',
    invariant: [SGLANG_CHECK],
    build: mutate(sglangPdSet, (s) => {
      const c = container(get(s, 'Deployment', 'demo-decode'), 'modelserver');
      c.args = c.args.filter((a: string) => a !== '--enable-metrics');
    }),
  },
  {
    name: 'SGLang: pods without the engine label',
    invariant: [SGLANG_CHECK],
    build: mutate(sglangPdSet, (s) => { delete get(s, 'Deployment', 'demo-decode').spec.template.metadata.labels['llm-d.ai/engine-type']; }),
  },
  {
    name: 'SGLang: prefill does not declare its bootstrap port',
    invariant: [SGLANG_CHECK],
    build: mutate(sglangPdSet, (s) => {
      const c = container(get(s, 'Deployment', 'demo-prefill'), 'modelserver');
      c.ports = c.ports.filter((p: any) => p.name !== 'bootstrap');
    }),
  },
  {
    name: 'SGLang: the sidecar advertises another bootstrap port',
    invariant: [SGLANG_CHECK],
    build: mutate(sglangPdSet, (s) => { container(get(s, 'Deployment', 'demo-decode'), 'routing-proxy', true).env = [{ name: 'SGLANG_BOOTSTRAP_PORT', value: '9000' }]; }),
  },
  {
    name: 'SGLang: prefill pods not in prefill mode',
    invariant: [SGLANG_CHECK],
    build: mutate(sglangPdSet, (s) => { setFlag(container(get(s, 'Deployment', 'demo-prefill'), 'modelserver').args, '--disaggregation-mode', 'decode'); }),
  },
  {
    name: 'SGLang: decode behind a nixlv2 sidecar',
    invariant: [SGLANG_CHECK],
    build: mutate(sglangPdSet, (s) => {
      const sc = container(get(s, 'Deployment', 'demo-decode'), 'routing-proxy', true);
      sc.args = sc.args.map((a: string) => (a === '--kv-connector=sglang' ? '--kv-connector=nixlv2' : a));
    }),
  },
  {
    name: 'SGLang: roles with different transfer backends',
    invariant: [SGLANG_CHECK],
    build: mutate(sglangPdSet, (s) => { setFlag(container(get(s, 'Deployment', 'demo-prefill'), 'modelserver').args, '--disaggregation-transfer-backend', 'mooncake'); }),
  },
  {
    name: 'SGLang: multi-node group with the wrong --nnodes',
    invariant: [SGLANG_CHECK, 33],
    build: () => {
      const s = sglangPdSet();
      const d = get(s, 'Deployment', 'demo-prefill');
      const lws = {
        apiVersion: 'leaderworkerset.x-k8s.io/v1',
        kind: 'LeaderWorkerSet',
        metadata: { name: 'demo-big', namespace: NS },
        spec: { leaderWorkerTemplate: { size: 2, workerTemplate: clone(d.spec.template) } },
      };
      const c = lws.spec.leaderWorkerTemplate.workerTemplate.spec.containers[0];
      c.args = ['--model-path', MODEL, '--host', '0.0.0.0', '--enable-metrics', '--tp-size', '2', '--nnodes', '3', '--node-rank', '$(LWS_WORKER_INDEX)',
        '--dist-init-addr', '$(LWS_LEADER_ADDRESS):20000'];
      lws.spec.leaderWorkerTemplate.workerTemplate.metadata.labels = { app: 'big' };
      return [...s, lws];
    },
  },
  {
    name: 'SGLang: GPUs do not match TP x DP',
    invariant: [33],
    build: mutate(sglangPdSet, (s) => { container(get(s, 'Deployment', 'demo-decode'), 'modelserver').args.push('--dp-size', '2'); }),
  },
  {
    name: 'SGLang: the sidecar dials a port the engine does not listen on',
    invariant: [7],
    build: mutate(sglangPdSet, (s) => { setFlag(container(get(s, 'Deployment', 'demo-decode'), 'modelserver').args, '--port', '8300'); }),
  },
  {
    name: 'TLS on every hop is clean',
    invariant: [],
    build: tlsPdSet,
  },
  {
    name: 'TLS: prefill probed over HTTP while it serves HTTPS',
    invariant: [TLS_CHECK],
    build: mutate(tlsPdSet, (s) => { container(get(s, 'Deployment', 'demo-prefill'), 'modelserver').readinessProbe.httpGet.scheme = 'HTTP'; }),
  },
  {
    name: 'TLS: the sidecar speaks plain HTTP to HTTPS prefill pods',
    invariant: [TLS_CHECK],
    build: mutate(tlsPdSet, (s) => { setFlag(container(get(s, 'Deployment', 'demo-decode'), 'routing-proxy', true).args, '--enable-tls', 'decoder'); }),
  },
  {
    name: 'TLS: the EPP scrapes HTTPS model servers over http',
    invariant: [TLS_CHECK],
    build: mutate(tlsPdSet, (s) => { get(s, 'ConfigMap', 'demo-epp').data['pd-config.yaml'] = PD_CONFIG; }),
  },
  {
    name: 'TLS: a routed HTTPS pool without BackendTLSPolicy',
    invariant: [TLS_CHECK],
    build: mutate(tlsPdSet, (s) => { s.splice(s.findIndex((o) => o.kind === 'BackendTLSPolicy'), 1); }),
  },
  {
    name: 'TLS: BackendTLSPolicy hostname the certificate does not name',
    invariant: [TLS_CHECK],
    build: mutate(tlsPdSet, (s) => { get(s, 'BackendTLSPolicy', 'demo-backend-tls').spec.validation.hostname = 'demo.example.com'; }),
  },
  {
    name: 'TLS: certificate file not mounted from a Secret',
    invariant: [TLS_CHECK],
    build: mutate(tlsPdSet, (s) => { podSpec(get(s, 'Deployment', 'demo-prefill')).volumes.find((v: any) => v.name === 'tls').secret = undefined; }),
  },
  {
    name: 'TLS: BackendTLSPolicy over a plain-HTTP pool',
    invariant: [TLS_CHECK],
    build: mutate(pdSet, (s) => {
      s.push({
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'BackendTLSPolicy',
        metadata: { name: 'demo-backend-tls', namespace: NS },
        spec: { targetRefs: [{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'demo' }], validation: { caCertificateRefs: [{ group: '', kind: 'Secret', name: 'x' }], hostname: 'demo' } },
      });
    }),
  },
  {
    // the twin reuses the EPP ref, so that EPP also serves a pool it is not run for (13)
    name: 'pools: a second InferencePool over the same decode and prefill pods',
    invariant: [13, DISJOINT_POOLS_CHECK],
    build: mutate(pdSet, (s) => {
      const pool = clone(s.find((o) => o.kind === 'InferencePool'));
      pool.metadata.name = 'demo-twin';
      s.push(pool);
    }),
  },
  {
    name: 'DRA: prefill GPU claimed through a ResourceClaimTemplate of the set is clean',
    invariant: [],
    build: draPdSet,
  },
  {
    name: 'DRA: the pod claim names a ResourceClaimTemplate missing from the set',
    invariant: [DEVICE_CLAIM_CHECK],
    build: mutate(draPdSet, (s) => { s.splice(s.findIndex((o) => o.kind === 'ResourceClaimTemplate'), 1); }),
  },
  {
    name: 'DRA: the ResourceClaimTemplate is in another namespace',
    invariant: [DEVICE_CLAIM_CHECK],
    build: mutate(draPdSet, (s) => { get(s, 'ResourceClaimTemplate', 'demo-gpu').metadata.namespace = 'other'; }),
  },
  {
    name: 'DRA: the container claims a name its pod does not list',
    invariant: [DEVICE_CLAIM_CHECK],
    build: mutate(draPdSet, (s) => { container(get(s, 'Deployment', 'demo-prefill'), 'modelserver').resources.claims = [{ name: 'gpus' }]; }),
  },
  {
    name: 'topology spread over the prefill pods from the decode template',
    invariant: [SPREAD_SELECTOR_CHECK],
    build: mutate(pdSet, (s) => {
      get(s, 'Deployment', 'demo-decode').spec.template.spec.topologySpreadConstraints = [
        { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { 'llm-d.ai/role': 'prefill' } } },
      ];
    }),
  },
  {
    name: 'topology spread over the template\'s own pods is clean',
    invariant: [],
    build: mutate(pdSet, (s) => {
      get(s, 'Deployment', 'demo-decode').spec.template.spec.topologySpreadConstraints = [
        { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { 'llm-d.ai/role': 'decode' } } },
      ];
    }),
  },
  {
    name: 'NetworkPolicy selects no pod (role typo)',
    invariant: [NETWORK_POLICY_SELECTS_CHECK],
    build: mutate(pdSet, (s) => { s.push(networkPolicy({ 'llm-d.ai/role': 'prefil' }, ['modelserver'])); }),
  },
  {
    name: 'NetworkPolicy admits a named port no selected pod declares',
    invariant: [NETWORK_POLICY_PORT_CHECK],
    build: mutate(pdSet, (s) => { s.push(networkPolicy({ 'llm-d.ai/role': 'prefill' }, ['vllm'])); }),
  },
  {
    name: 'PodMonitor selects no pod (role typo)',
    invariant: [MONITOR_SELECTS_CHECK],
    build: mutate(monitoringSet, (s) => { get(s, 'PodMonitor', 'demo-decode').spec.selector.matchLabels['llm-d.ai/role'] = 'decoder'; }),
  },
  {
    name: 'ServiceMonitor selects no Service',
    invariant: [MONITOR_SELECTS_CHECK],
    build: mutate(monitoringSet, (s) => { get(s, 'ServiceMonitor', 'demo-epp').spec.selector.matchLabels = { app: 'nothing' }; }),
  },
  {
    name: 'PodMonitoring scrapes a port the prefill pods do not declare',
    invariant: [MONITOR_PORT_CHECK],
    build: mutate(monitoringSet, (s) => { get(s, 'PodMonitoring', 'demo-prefill').spec.endpoints[0].port = 'vllm'; }),
  },
  {
    name: 'ServiceMonitor names a port the EPP Service does not have',
    invariant: [MONITOR_PORT_CHECK],
    build: mutate(monitoringSet, (s) => { get(s, 'ServiceMonitor', 'demo-epp').spec.endpoints[0].port = 'metrics'; }),
  },
  {
    name: 'EPP ServiceMonitor without the bearer token the EPP metrics auth needs',
    invariant: [MONITOR_EPP_AUTH_CHECK],
    build: mutate(monitoringSet, (s) => { delete get(s, 'ServiceMonitor', 'demo-epp').spec.endpoints[0].authorization; }),
  },
  {
    name: 'EPP metrics token of a ServiceAccount not allowed to GET /metrics',
    invariant: [MONITOR_EPP_AUTH_CHECK],
    build: mutate(monitoringSet, (s) => { get(s, 'ClusterRole', 'demo-metrics-reader').rules[0].nonResourceURLs = ['/healthz']; }),
  }, { name: 'weighted route between two versions serving the same model is clean', invariant: [], build: splitSet },
  {
    name: 'weighted route with a negative weight',
    invariant: [TRAFFIC_SPLIT_CHECK],
    build: mutate(splitSet, (s) => { get(s, 'HTTPRoute', 'demo').spec.rules[0].backendRefs[1].weight = -10; }),
  },
  {
    name: 'weighted route whose weights are all 0',
    invariant: [TRAFFIC_SPLIT_CHECK],
    build: mutate(splitSet, (s) => { for (const b of get(s, 'HTTPRoute', 'demo').spec.rules[0].backendRefs) b.weight = 0; }),
  },
  { name: 'weighted route over pools serving different model names', invariant: [TRAFFIC_SPLIT_CHECK], build: renamedCanary(false) },
  { name: 'weighted route whose canary serves another name mapped by an InferenceModelRewrite is clean', invariant: [], build: renamedCanary(true) },
  { name: 'InferenceModelRewrite to a model its pool does not serve', invariant: [TRAFFIC_SPLIT_CHECK, POOL_POLICY_CHECK], build: renamedCanary(true, 'qwen-canry') },
  {
    name: 'InferenceModelRewrite whose poolRef names no pool',
    invariant: [TRAFFIC_SPLIT_CHECK, POOL_POLICY_CHECK],
    build: mutate(renamedCanary(true), (s) => { get(s, 'InferenceModelRewrite', 'to-canary').spec.poolRef.name = 'canary-pool'; }),
  },
  {
    name: 'EPP RBAC lacks inferencemodelrewrites of llm-d.ai',
    invariant: [POOL_POLICY_CHECK],
    build: mutate(renamedCanary(true), (s) => { get(s, 'Role', 'canary-epp-non-sa').rules[0].resources = ['inferenceobjectives']; }),
  },
  {
    name: 'InferenceObjective of a pool that is not in the set',
    invariant: [POOL_POLICY_CHECK],
    build: mutate(pdSet, (s) => { s.push(objective('demo-pool')); }),
  },
  { name: 'InferenceObjective of the pool is clean', invariant: [], build: mutate(pdSet, (s) => { s.push(objective('demo')); }) },
  { name: 'flowControl settings without the feature gate', invariant: [FLOW_CONTROL_CHECK], build: flowControlSet('flowControl: {maxRequests: "100"}', false) },
  {
    name: 'flowControl bands with one priority twice and an undeclared fairness policy',
    invariant: [FLOW_CONTROL_CHECK],
    build: flowControlSet('flowControl: {priorityBands: [{priority: 1}, {priority: 1, fairnessPolicyRef: round-robin-fairness-policy}]}', true),
  },
  {
    name: 'flowControl with the gate, default policies and unique bands is clean',
    invariant: [],
    build: flowControlSet('flowControl: {priorityBands: [{priority: 100, fairnessPolicyRef: global-strict-fairness-policy}, {priority: 0}], saturationDetector: {pluginRef: utilization-detector}}', true),
  },
];

test('the monitoring set is clean, and without metrics auth the EPP monitor needs no token', () => {
  expect(formatViolations(checkWiring(monitoringSet(), { namespace: NS }))).toBe('no wiring violations');
  const s = monitoringSet();
  const epp = container(get(s, 'Deployment', 'demo-epp'), 'epp');
  epp.args = [...(epp.args ?? []), '--metrics-endpoint-auth=false'];
  delete get(s, 'ServiceMonitor', 'demo-epp').spec.endpoints[0].authorization;
  expect(formatViolations(checkWiring(s, { namespace: NS }))).toBe('no wiring violations');
});

describe('negative hand-written cases', () => {
  test('every implemented §8 invariant has at least one negative case', () => {
    const covered = new Set(CASES.flatMap((c) => c.invariant));
    expect(IMPLEMENTED_INVARIANTS.filter((n) => !covered.has(n))).toEqual([]);
  });

  test.each(CASES.map((c) => [`#${c.invariant.join('+') || 'none'} ${c.name}`, c] as [string, Case]))('%s', (_n, c) => {
    expectInvariants(checkWiring(c.build()), c.invariant);
  });
});

describe('robustness', () => {
  test('arbitrary JSON never throws', () => {
    fc.assert(fc.property(fc.array(fc.anything({ maxDepth: 4 })), (xs) => {
      expect(Array.isArray(checkWiring(xs))).toBe(true);
    }), { numRuns: 300 });
  });

  test('damaged reference objects never throw', () => {
    const files = [
      'kustomize-era-v0.8.0/rendered/pd-disaggregation.rendered.yaml',
      'kustomize-era-v0.8.0/rendered/wide-ep-lws.rendered.yaml',
      'helm-era-v0.6.0/rendered/precise-prefix-cache-aware.rendered.yaml',
      'legacy-v0.2-wide-ep-modelservice/wide-ep-lws.modelservice-v0.2.7.rendered.yaml',
    ];
    for (const f of files) {
      const base = load(f);
      // every (object, path) of the render, so that each can be replaced by a hostile value
      const paths: (string | number)[][] = [];
      const walk = (v: any, p: (string | number)[]): void => {
        if (p.length > 0) paths.push(p);
        if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...p, i]));
        else if (v && typeof v === 'object') for (const k of Object.keys(v)) walk(v[k], [...p, k]);
      };
      walk(base, []);
      fc.assert(fc.property(
        fc.integer({ min: 0, max: paths.length - 1 }),
        fc.constantFrom<any>(null, '', 0, 'x', [], {}, [null], true),
        (i, value) => {
          const set = clone(base);
          const p = paths[i];
          let o: any = set;
          for (const k of p.slice(0, -1)) o = o[k];
          o[p[p.length - 1]] = value;
          expect(Array.isArray(checkWiring(set))).toBe(true);
        },
      ), { numRuns: 150 });
    }
  });
});

describe('formatViolations', () => {
  test('lists one violation per line', () => {
    const v = checkWiring(mutate(pdSet, (s) => { get(s, 'Deployment', 'demo-epp').spec.replicas = 2; })());
    expect(formatViolations(v).split('\n').every((l) => /^#26 Deployment\/demo-epp: /.test(l))).toBe(true);
  });
});
