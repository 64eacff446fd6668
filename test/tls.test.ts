/**
 * TLS on every hop, one switch: every server of a TLS stack serves with the stack's certificate and every client of it
 * speaks TLS (probes, routing sidecar, EPP, Prometheus, gateways, the standalone Envoy); with TLS off nothing changes.
 */
import * as os from 'os';
import * as path from 'path';
import { Duration } from 'cdk8s';
import * as YAML from 'yaml';
import {
  Accelerator, DataParallelLoadBalancing, Engine, KvTransfer, LaunchStrategy, LlmInferenceService, LlmService, ModelSource, Monitoring,
  MultiNodeGroup, PrefillDecodePair, SchedulerConfig, SchedulerPlugin, Tls,
} from '../src';
import { SchemaValidator } from './harness/schema-validator';
import { checkWiring, formatViolations } from './harness/wiring-checker';
import { loadYamlDocuments } from './harness/yaml';
import { expectConfigError } from './util/expect-error';
import { find, synth, testChart } from './util/synth';
import { synthExample } from '../scripts/examples';

const validator = SchemaValidator.get();
const TLS = Tls.certManager({ issuerRef: { name: 'llm-ca', kind: 'ClusterIssuer' } });

/** Every pod template of a set. */
function templates(objs: any[]): Array<{ ref: string; spec: any }> {
  return objs.flatMap((o) => {
    if (o.kind === 'Deployment') return [{ ref: `Deployment/${o.metadata.name}`, spec: o.spec.template.spec }];
    if (o.kind !== 'LeaderWorkerSet') return [];
    const t = o.spec.leaderWorkerTemplate;
    return [...(t.leaderTemplate ? [{ ref: `LWS/${o.metadata.name} leader`, spec: t.leaderTemplate.spec }] : []), { ref: `LWS/${o.metadata.name} worker`, spec: t.workerTemplate.spec }];
  });
}
const containerOf = (spec: any, name: string) => [...(spec.initContainers ?? []), ...spec.containers].find((c: any) => c.name === name);
const probesOf = (c: any) => ['startupProbe', 'livenessProbe', 'readinessProbe'].map((k) => c[k]).filter((p) => p?.httpGet);
const clean = (objs: any[]) => {
  expect(formatViolations(checkWiring(objs))).toBe('no wiring violations');
  expect(validator.validateAll(objs)).toEqual([]);
};

function pd(tls?: Tls, extra: Partial<ConstructorParameters<typeof PrefillDecodePair>[2]> = {}): any[] {
  const chart = testChart();
  new PrefillDecodePair(chart, 'qwen', {
    model: ModelSource.huggingFace('Qwen/Qwen3-8B'),
    engine: Engine.vllm(),
    accelerator: Accelerator.nvidia(),
    kvTransfer: KvTransfer.nixl(),
    prefill: { replicas: 2 },
    decode: { replicas: 1, parallelism: { tensor: 2 } },
    scheduler: SchedulerConfig.prefillDecode(),
    route: { gateway: { name: 'inference-gateway' } },
    monitoring: Monitoring.prometheusOperator(),
    tls,
    ...extra,
  });
  return synth(chart);
}

describe('P/D with Tls.certManager', () => {
  const objs = pd(TLS);
  const cert = find(objs, 'Certificate', 'qwen-kserve-tls');

  test('valid against the vendored cert-manager, Gateway API and Kubernetes schemas, and wired (invariant 116 included)', () => clean(objs));

  test('the vendored cert-manager schema rejects what cert-manager would (the Certificate is really checked)', () => {
    const bad = JSON.parse(JSON.stringify(cert));
    bad.spec.privateKey.algorithm = 'DSA';
    delete bad.spec.issuerRef.name;
    expect(validator.validate(bad).map((i) => i.path).sort()).toEqual(['/spec/issuerRef', '/spec/privateKey/algorithm']);
  });

  test('one Certificate for the workload and EPP Services and loopback, its Secret mounted in every serving pod', () => {
    expect(cert.spec.issuerRef).toEqual({ name: 'llm-ca', kind: 'ClusterIssuer', group: 'cert-manager.io' });
    expect(cert.spec.secretName).toBe('qwen-kserve-tls');
    expect(cert.spec.dnsNames).toEqual(expect.arrayContaining([
      'qwen-kserve-workload-svc.llm.svc.cluster.local', 'qwen-kserve-workload-svc', 'qwen-epp-service.llm.svc', 'localhost',
    ]));
    expect(cert.spec.privateKey.rotationPolicy).toBe('Always');
    for (const t of templates(objs)) {
      expect(t.spec.volumes).toContainEqual({ name: 'tls-certs', secret: { secretName: 'qwen-kserve-tls' } });
    }
  });

  test('vLLM serves HTTPS on both roles, reloads the certificate, and is probed over HTTPS', () => {
    for (const name of ['qwen-kserve', 'qwen-kserve-prefill']) {
      const main = containerOf(find(objs, 'Deployment', name).spec.template.spec, 'main');
      const args: string[] = main.args;
      expect(args[args.indexOf('--ssl-certfile') + 1]).toBe('/var/run/kserve/tls/tls.crt');
      expect(args[args.indexOf('--ssl-keyfile') + 1]).toBe('/var/run/kserve/tls/tls.key');
      expect(args).toContain('--enable-ssl-refresh');
      expect(main.volumeMounts).toContainEqual({ name: 'tls-certs', mountPath: '/var/run/kserve/tls', readOnly: true });
      expect(probesOf(main).map((p) => p.httpGet.scheme)).toEqual(['HTTPS', 'HTTPS', 'HTTPS']);
    }
  });

  test('the routing sidecar serves HTTPS and speaks TLS to its vLLM and to the prefill pods', () => {
    const sidecar = containerOf(find(objs, 'Deployment', 'qwen-kserve').spec.template.spec, 'llm-d-routing-sidecar');
    expect(sidecar.args).toEqual(expect.arrayContaining(['--secure-proxy=true', '--cert-path=/var/run/kserve/tls', '--enable-tls=decoder', '--enable-tls=prefiller']));
    expect(sidecar.args).not.toContain('--secure-proxy=false');
    expect(sidecar.env).toContainEqual({ name: 'SSL_CERT_DIR', value: '/var/run/kserve/tls:/var/run/secrets/kubernetes.io/serviceaccount:/etc/pki/tls/certs' });
    expect(probesOf(sidecar).map((p) => p.httpGet.scheme)).toEqual(['HTTPS', 'HTTPS']);
  });

  test('the EPP serves ext_proc with the certificate and scrapes the pods over HTTPS', () => {
    const epp = find(objs, 'Deployment', 'qwen-kserve-router-scheduler');
    const c = containerOf(epp.spec.template.spec, 'epp');
    expect(c.args).toEqual(expect.arrayContaining(['--secure-serving=true', '--cert-path=/var/run/kserve/tls', '--enable-cert-reload=true']));
    const config = YAML.parse(find(objs, 'ConfigMap', 'qwen-epp-config').data['epp-config.yaml']);
    expect(config.plugins.filter((p: any) => p.type === 'metrics-data-source')).toEqual([{ type: 'metrics-data-source', parameters: { scheme: 'https', insecureSkipVerify: true } }]);
  });

  test('the workload Service port is https, a BackendTLSPolicy makes gateways verify the pods, Prometheus scrapes over HTTPS', () => {
    const svc = find(objs, 'Service', 'qwen-kserve-workload-svc');
    expect(svc.spec.ports[0]).toMatchObject({ name: 'https', appProtocol: 'https', port: 8000 });
    const policy = find(objs, 'BackendTLSPolicy', 'qwen-kserve-backend-tls');
    expect(policy.spec.targetRefs).toEqual([{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'qwen-inference-pool' }]);
    expect(cert.spec.dnsNames).toContain(policy.spec.validation.hostname);
    expect(policy.spec.validation.caCertificateRefs).toEqual([{ group: '', kind: 'Secret', name: 'qwen-kserve-tls' }]);
    for (const m of objs.filter((o) => o.kind === 'PodMonitor')) {
      expect(m.spec.podMetricsEndpoints.map((e: any) => e.scheme)).toEqual(m.spec.podMetricsEndpoints.map(() => 'https'));
    }
  });
});

test('GKE managed Prometheus scrapes the HTTPS pods too (PodMonitoring scheme and tls validated against its CRD)', () => {
  const objs = pd(TLS, { monitoring: Monitoring.gke() });
  clean(objs);
  const monitors = objs.filter((o) => o.kind === 'PodMonitoring' && o.metadata.name !== 'qwen-epp-metrics');
  expect(monitors.length).toBe(2);
  for (const m of monitors) expect(m.spec.endpoints.map((e: any) => [e.scheme, e.tls])).toEqual(m.spec.endpoints.map(() => ['https', { insecureSkipVerify: true }]));
});

test('TLS off (the default) writes no TLS object, flag, mount or scheme', () => {
  const objs = pd();
  clean(objs);
  expect(objs.filter((o) => ['Certificate', 'BackendTLSPolicy'].includes(o.kind))).toEqual([]);
  const text = JSON.stringify(objs);
  for (const s of ['--ssl-certfile', 'HTTPS', 'tls-certs', '--enable-tls', 'SSL_CERT_DIR']) expect(text).not.toContain(s);
  expect(text).toContain('--secure-proxy=false');
});

test('Tls.secret with the simulator: no Certificate, the Secret mounted, simulator flags, a Service-targeted BackendTLSPolicy without a scheduler', () => {
  const chart = testChart();
  new LlmService(chart, 'sim', {
    model: ModelSource.huggingFace('Qwen/Qwen3-0.6B'),
    engine: Engine.simulator(),
    route: { gateway: { name: 'inference-gateway' } },
    tls: Tls.secret('sim-serving-tls', { caConfigMapName: 'llm-ca-bundle' }),
  });
  const objs = synth(chart);
  clean(objs);
  expect(objs.filter((o) => o.kind === 'Certificate')).toEqual([]);
  const main = containerOf(find(objs, 'Deployment', 'sim-kserve').spec.template.spec, 'main');
  expect(main.args).toEqual(expect.arrayContaining(['--ssl-certfile', '/var/run/kserve/tls/tls.crt', '--ssl-keyfile', '/var/run/kserve/tls/tls.key']));
  expect(main.args).not.toContain('--enable-ssl-refresh'); // the simulator has no such flag
  expect(find(objs, 'Deployment', 'sim-kserve').spec.template.spec.volumes).toContainEqual({ name: 'tls-certs', secret: { secretName: 'sim-serving-tls' } });
  const policy = find(objs, 'BackendTLSPolicy');
  expect(policy.spec.targetRefs).toEqual([{ group: '', kind: 'Service', name: 'sim-kserve-workload-svc' }]);
  expect(policy.spec.validation).toEqual({ caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'llm-ca-bundle' }], hostname: 'sim-kserve-workload-svc.llm.svc.cluster.local' });
});

test('standalone mode: Envoy originates TLS to the pods, verifying the workload Service name against the CA', () => {
  const chart = testChart();
  new LlmService(chart, 'sa', {
    model: ModelSource.huggingFace('Qwen/Qwen3-0.6B'),
    engine: Engine.simulator(),
    scheduler: SchedulerConfig.default(),
    endpointPicker: { standaloneProxy: true },
    tls: TLS,
  });
  const objs = synth(chart);
  clean(objs);
  const envoy = YAML.parse(find(objs, 'ConfigMap', 'sa-epp-envoy').data['envoy.yaml']);
  const cluster = envoy.static_resources.clusters.find((c: any) => c.name === 'original_destination_cluster');
  const ctx = cluster.transport_socket.typed_config;
  expect(ctx.sni).toBe('sa-kserve-workload-svc.llm.svc.cluster.local');
  expect(ctx.common_tls_context.validation_context).toEqual({
    trusted_ca: { filename: '/var/run/kserve/tls/ca.crt' },
    match_typed_subject_alt_names: [{ san_type: 'DNS', matcher: { exact: 'sa-kserve-workload-svc.llm.svc.cluster.local' } }],
  });
  const pod = find(objs, 'Deployment', 'sa-kserve-router-scheduler').spec.template.spec;
  expect(containerOf(pod, 'envoy-proxy').volumeMounts).toContainEqual({ name: 'tls-certs', mountPath: '/var/run/kserve/tls', readOnly: true });
});

test('multi-node (leader serves, workers headless): TLS flags and HTTPS probes on the leader only', () => {
  const chart = testChart();
  new MultiNodeGroup(chart, 'big', {
    model: ModelSource.huggingFace('deepseek-ai/DeepSeek-V3'),
    parallelism: { data: 16, dataLocal: 8, expert: true },
    accelerator: Accelerator.nvidia(),
    tls: TLS,
  });
  const objs = synth(chart);
  clean(objs);
  const t = find(objs, 'LeaderWorkerSet').spec.leaderWorkerTemplate;
  expect(JSON.stringify(containerOf(t.leaderTemplate.spec, 'main'))).toContain('--ssl-certfile');
  expect(JSON.stringify(containerOf(t.workerTemplate.spec, 'main'))).not.toContain('--ssl-certfile');
});

test('the KServe translation keeps TLS off unless asked, and renders it when asked', () => {
  const resource = {
    apiVersion: 'serving.kserve.io/v1alpha1',
    kind: 'LLMInferenceService',
    metadata: { name: 'ks', namespace: 'llm' },
    spec: { model: { uri: 'hf://Qwen/Qwen3-0.6B', name: 'Qwen/Qwen3-0.6B' }, replicas: 1, router: { scheduler: {}, route: {}, gateway: {} } },
  };
  const render = (tls?: Tls) => {
    const chart = testChart();
    new LlmInferenceService(chart, 'ks', { resource, tls });
    return synth(chart);
  };
  expect(JSON.stringify(render())).not.toContain('--ssl-certfile');
  const on = render(TLS);
  clean(on);
  expect(find(on, 'Certificate').metadata.name).toBe('ks-kserve-tls');
  expect(find(on, 'Service', 'ks-kserve-workload-svc').spec.ports[0].name).toBe('https');
});

test('the secure-pd example serves TLS on every hop', () => {
  const objs = synthExample('secure-pd', path.join(os.tmpdir(), 'cdk8s-llm-d-tls', 'secure-pd')).flatMap((f) => loadYamlDocuments(f));
  expect(find(objs, 'Certificate').spec.issuerRef.kind).toBe('ClusterIssuer');
  for (const t of templates(objs).filter((x) => containerOf(x.spec, 'main'))) {
    expect(probesOf(containerOf(t.spec, 'main')).every((p) => p.httpGet.scheme === 'HTTPS')).toBe(true);
  }
  expect(find(objs, 'BackendTLSPolicy')).toBeDefined();
});

describe('bad TLS input', () => {
  const at = 'test/qwen';
  test.each([
    ['issuer kind that cert-manager does not have', Tls.certManager({ issuerRef: { name: 'ca', kind: 'Issuers' } }), 'tls.issuerRef.kind', 'Issuers'],
    ['issuer name that is not a DNS subdomain', Tls.certManager({ issuerRef: { name: 'My_CA' } }), 'tls.issuerRef.name', 'My_CA'],
    ['a certificate shorter than an hour', Tls.certManager({ issuerRef: { name: 'ca' }, duration: Duration.minutes(30) }), 'tls.duration', '1800s'],
    ['renewal no earlier than expiry', Tls.certManager({ issuerRef: { name: 'ca' }, duration: Duration.days(2), renewBefore: Duration.days(2) }), 'tls.renewBefore', '172800s'],
    ['an extra DNS name that is not one', Tls.certManager({ issuerRef: { name: 'ca' }, extraDnsNames: ['Qwen.Example.com'] }), 'tls.extraDnsNames[0]', 'Qwen.Example.com'],
    ['a Secret name that is not a DNS subdomain', Tls.secret('serving_tls'), 'tls.secretName', 'serving_tls'],
  ])('%s', (_n, tls, field, value) => {
    expectConfigError(() => pd(tls), { path: at, field, value });
  });

  test('a plain object instead of a Tls (JS callers)', () => {
    expectConfigError(() => pd({ secretName: 'x' } as any), { path: at, field: 'tls', value: 'secretName' });
  });

  test('--ssl-certfile in extraArgs contradicts the tls prop', () => {
    expectConfigError(() => pd(TLS, { engine: Engine.vllm({ extraArgs: ['--ssl-certfile', '/x.crt'] }) }), { path: at, field: 'prefill.engine.extraArgs[0]', value: '--ssl-certfile', mentions: 'tls' });
  });

  test('a scheduler whose metrics source scrapes over http', () => {
    const scheduler = SchedulerConfig.custom({
      plugins: [...SchedulerConfig.prefillDecode().plugins, SchedulerPlugin.custom('metrics-data-source', { parameters: { scheme: 'http' } })],
      profiles: SchedulerConfig.prefillDecode().profiles,
    });
    expectConfigError(() => pd(TLS, { scheduler }), { path: at, field: 'scheduler.config.plugins[10].parameters.scheme', value: 'http', mentions: 'tls' });
  });

  test('per-rank load balancing (its supervisor serves no TLS) is refused with the reason', () => {
    const chart = testChart();
    expectConfigError(() => new MultiNodeGroup(chart, 'wide', {
      model: ModelSource.huggingFace('deepseek-ai/DeepSeek-V3'),
      parallelism: { data: 16, dataLocal: 8, expert: true },
      accelerator: Accelerator.nvidia(),
      launch: LaunchStrategy.dataParallel(DataParallelLoadBalancing.EXTERNAL_PER_RANK),
      tls: TLS,
    }), { path: 'test/wide', field: 'loadBalancing', value: 'EXTERNAL_PER_RANK', mentions: 'supervisor' });
  });
});
