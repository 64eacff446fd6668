/**
 * Pod Security: every example's pods meet `restricted`, except where RDMA adds IPC_LOCK (reported field by field);
 * secrets are only ever referenced, never written into args or env.
 */
import * as os from 'os';
import * as path from 'path';
import { loadYamlDocuments } from './harness/yaml';
import { testChart } from './util/synth';
import { exampleNames, synthExample } from '../scripts/examples';
import { Engine, LlmService, ModelSource, PodSecurity, PodSecurityLevel } from '../src';

const out = path.join(os.tmpdir(), 'cdk8s-llm-d-psa');
const examples = exampleNames().map((name) => [name, synthExample(name, path.join(out, name)).flatMap((f) => loadYamlDocuments(f))] as const);
const rdma = (objs: any[]) => JSON.stringify(objs).includes('rdma/');

describe.each(examples)('example %s', (_name, objs) => {
  test('pods meet restricted, or only RDMA\'s IPC_LOCK needs more (and the report says so)', () => {
    const report = PodSecurity.evaluateManifests(objs);
    if (!rdma(objs)) {
      expect(report.findings).toEqual([]);
      expect(report.level).toBe(PodSecurityLevel.RESTRICTED);
      expect(report.namespaceLabels).toEqual({ 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'v1.35' });
      return;
    }
    expect(report.level).toBe(PodSecurityLevel.PRIVILEGED);
    expect(report.findings.length).toBeGreaterThan(0);
    for (const f of report.findings) {
      expect(f.path).toMatch(/containers\[main\]\.securityContext\.capabilities\.add$/);
      expect(f.reason).toContain('IPC_LOCK: RDMA');
    }
    expect(report.namespaceLabels['pod-security.kubernetes.io/warn']).toBe('restricted');
  });

  test('secrets only by reference: no token, key or password literal in any env or arg', () => {
    const leaks: string[] = [];
    const walk = (v: any, where: string) => {
      if (Array.isArray(v)) {v.forEach((x, i) => walk(x, `${where}[${i}]`));} else if (v && typeof v === 'object') {
        if (typeof v.name === 'string' && typeof v.value === 'string' && /TOKEN|API_KEY|SECRET|PASSWORD/i.test(v.name) && v.value !== '') leaks.push(`${where}: ${v.name}`);
        for (const [k, x] of Object.entries(v)) walk(x, `${where}.${k}`);
      } else if (typeof v === 'string' && /\bhf_[A-Za-z0-9]{20,}|\bsk-[A-Za-z0-9]{20,}|--api-key[= ]\S|AKIA[0-9A-Z]{16}/.test(v)) {leaks.push(`${where}: ${v.slice(0, 40)}`);}
    };
    objs.filter((o) => o.kind !== 'Secret').forEach((o) => walk(o, `${o.kind}/${o.metadata?.name}`));
    expect(leaks).toEqual([]);
  });
});

test('the examples include an RDMA stack, so the privileged branch is exercised', () => {
  expect(examples.some(([, objs]) => rdma(objs))).toBe(true);
});

test('each weakening is reported with its level', () => {
  const pod = (patch: (spec: any) => void) => {
    const spec: any = {
      containers: [{ name: 'main', image: 'x', securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } } }],
    };
    patch(spec);
    return PodSecurity.evaluateManifests([{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'n' }, spec: { template: { spec } } }]);
  };
  expect(pod(() => {}).level).toBe(PodSecurityLevel.RESTRICTED);
  const cases: Array<[(s: any) => void, PodSecurityLevel, string]> = [
    [(s) => { s.hostNetwork = true; }, PodSecurityLevel.PRIVILEGED, 'spec.template.spec.hostNetwork'],
    [(s) => { s.volumes = [{ name: 'h', hostPath: { path: '/' } }]; }, PodSecurityLevel.PRIVILEGED, 'spec.template.spec.volumes[h].hostPath'],
    [(s) => { s.volumes = [{ name: 'n', nfs: { server: 'a', path: '/' } }]; }, PodSecurityLevel.BASELINE, 'spec.template.spec.volumes[n].nfs'],
    [(s) => { s.containers[0].securityContext.privileged = true; }, PodSecurityLevel.PRIVILEGED, 'containers[main].securityContext.privileged'],
    [(s) => { s.containers[0].securityContext.capabilities.add = ['CHOWN']; }, PodSecurityLevel.BASELINE, 'containers[main].securityContext.capabilities.add'],
    [(s) => { delete s.containers[0].securityContext.allowPrivilegeEscalation; }, PodSecurityLevel.BASELINE, 'containers[main].securityContext.allowPrivilegeEscalation'],
    [(s) => { delete s.containers[0].securityContext.runAsNonRoot; }, PodSecurityLevel.BASELINE, 'containers[main].securityContext.runAsNonRoot'],
    [(s) => { s.containers[0].securityContext.seccompProfile = { type: 'Unconfined' }; }, PodSecurityLevel.PRIVILEGED, 'containers[main].securityContext.seccompProfile'],
    [(s) => { s.containers[0].ports = [{ name: 'http', containerPort: 80, hostPort: 80 }]; }, PodSecurityLevel.PRIVILEGED, 'containers[main].ports[http].hostPort'],
  ];
  for (const [patch, level, field] of cases) {
    const r = pod(patch);
    expect([field, r.level]).toEqual([field, level]);
    expect(r.findings.map((f) => f.path).some((p) => p.endsWith(field))).toBe(true);
    expect(r.namespaceLabels['pod-security.kubernetes.io/enforce']).toBe(level);
  }
  // the pod-level security context counts for every container
  const podLevel = pod((s) => { delete s.containers[0].securityContext.runAsNonRoot; s.securityContext = { runAsNonRoot: true }; });
  expect(podLevel.level).toBe(PodSecurityLevel.RESTRICTED);
});

test('PodSecurity.evaluate reads a construct tree', () => {
  const chart = testChart();
  new LlmService(chart, 'svc', { model: ModelSource.huggingFace('Qwen/Qwen3-0.6B'), engine: Engine.simulator() });
  const report = PodSecurity.evaluate(chart);
  expect(report.level).toBe(PodSecurityLevel.RESTRICTED);
  expect(report.findings).toEqual([]);
});
