/**
 * Parity with the KServe LLMInferenceService controller, case by case. Each input is rebuilt from a test or a code
 * path of the controller at kserve/kserve@aaac4e294dae2c7b1aa1886447793f3aa1c30912 (the commit the fact sheet
 * `shared/docs/kserve-llmisvc.md` names); the file:line of the controller is cited on each test. Every rendered
 * case passes the schema + CEL validation and the wiring checker.
 */
import { Chart, Duration, Testing } from 'cdk8s';
import { DrainBudgets, LlmInferenceService, LlmInferenceServiceProps } from '../src';
import { LlmdConfigError } from '../src/errors';
import { formatIssues, SchemaValidator } from './harness/schema-validator';
import { checkWiring, formatViolations } from './harness/wiring-checker';

const GPU = (n: number) => ({ limits: { 'nvidia.com/gpu': String(n) }, requests: { 'nvidia.com/gpu': String(n) } });
const main = (extra: Record<string, any> = {}) => ({ name: 'main', resources: GPU(1), ...extra });

function llmisvc(name: string, spec: Record<string, any>, metadata: Record<string, any> = {}): Record<string, any> {
  return { apiVersion: 'serving.kserve.io/v1alpha2', kind: 'LLMInferenceService', metadata: { name, ...metadata }, spec: { model: { uri: 'hf://facebook/opt-125m' }, ...spec } };
}

function render(resource: Record<string, any>, extra: Partial<LlmInferenceServiceProps> = {}) {
  const chart = new Chart(Testing.app(), 'kserve', { namespace: 'llm' });
  const svc = new LlmInferenceService(chart, 'svc', { resource, ...extra });
  const objs = Testing.synth(chart);
  const issues = objs.flatMap((o) => SchemaValidator.get().validate(o));
  expect(formatIssues(issues)).toBe(formatIssues([]));
  expect(formatViolations(checkWiring(objs, { namespace: 'llm' }))).toBe('no wiring violations');
  const find = (kind: string, name: string) => objs.find((o) => o.kind === kind && o.metadata.name === name);
  const names = (kind: string) => objs.filter((o) => o.kind === kind).map((o) => o.metadata.name).sort();
  return { svc, objs, find, names };
}

const leader = (lws: any) => lws.spec.leaderWorkerTemplate.leaderTemplate;
const worker = (lws: any) => lws.spec.leaderWorkerTemplate.workerTemplate;
const ROUTER = { route: {}, gateway: {}, scheduler: {} };

describe('ServiceAccounts and RBAC (issue 22.1, 19.2)', () => {
  // controller_int_multi_node_test.go:387-464 "should create RBAC resources when prefill and decode is used":
  // SA N-kserve-mn, Role N-kserve-mn-role, RoleBinding N-kserve-mn-rb binding that SA, and the LWS leader and
  // worker running as N-kserve-mn (workload_multi_node.go:204-208, 237-241, 575-617).
  test('P/D + multi-node: decode LWS runs as N-kserve-mn with Role/RoleBinding N-kserve-mn-role / -rb', () => {
    const { find, names } = render(llmisvc('mn-rbac', {
      replicas: 1,
      parallelism: { data: 2, dataLocal: 1, tensor: 4 },
      template: { containers: [main({ resources: GPU(4) })] },
      worker: { containers: [main({ resources: GPU(4) })] },
      router: ROUTER,
      prefill: { template: { containers: [main()] } },
    }));
    const lws = find('LeaderWorkerSet', 'mn-rbac-kserve-mn');
    expect(leader(lws).spec.serviceAccountName).toBe('mn-rbac-kserve-mn');
    expect(worker(lws).spec.serviceAccountName).toBe('mn-rbac-kserve-mn');
    expect(names('ServiceAccount')).toEqual(['mn-rbac-epp-sa', 'mn-rbac-kserve-mn']);
    const rb = find('RoleBinding', 'mn-rbac-kserve-mn-rb');
    expect(rb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'mn-rbac-kserve-mn-role' });
    expect(rb.subjects).toEqual([{ kind: 'ServiceAccount', name: 'mn-rbac-kserve-mn' }]);
    expect(find('Role', 'mn-rbac-kserve-mn-role').rules.length).toBeGreaterThan(0);
    // workload_multi_node.go:524-525: name and part-of labels only.
    expect(find('ServiceAccount', 'mn-rbac-kserve-mn').metadata.labels).toEqual({ 'app.kubernetes.io/name': 'mn-rbac', 'app.kubernetes.io/part-of': 'llminferenceservice' });
    // The single-node names are not used for a LeaderWorkerSet decode.
    expect(find('Role', 'mn-rbac-kserve-role')).toBeUndefined();
    // Prefill is a Deployment without a ServiceAccount of its own (workload_single_node.go:262-269).
    expect(find('Deployment', 'mn-rbac-kserve-prefill').spec.template.spec.serviceAccountName).toBeUndefined();
  });

  // workload_multi_node.go:530-573 and controller_int_multi_node_test.go:514-560: the prefill LWS runs as N-kserve-mn-prefill.
  test('prefill LeaderWorkerSet runs as N-kserve-mn-prefill, created', () => {
    const { find, names } = render(llmisvc('mnp', {
      parallelism: { data: 2, dataLocal: 1 },
      template: { containers: [main()] },
      worker: { containers: [main()] },
      router: ROUTER,
      prefill: { parallelism: { data: 2, dataLocal: 1 }, template: { containers: [main()] }, worker: { containers: [main()] } },
    }));
    const p = find('LeaderWorkerSet', 'mnp-kserve-mn-prefill');
    expect(leader(p).spec.serviceAccountName).toBe('mnp-kserve-mn-prefill');
    expect(worker(p).spec.serviceAccountName).toBe('mnp-kserve-mn-prefill');
    expect(names('ServiceAccount')).toEqual(['mnp-epp-sa', 'mnp-kserve-mn', 'mnp-kserve-mn-prefill']);
  });

  // workload_multi_node.go:489-505 (the template's SA, else the worker's, is used and none is created) and :467-477
  // (the RoleBinding binds that SA); workload_multi_node.go:535-540 for prefill.
  test('the user\'s ServiceAccounts are kept for multi-node and P/D, and none is created for them', () => {
    const { find, names } = render(llmisvc('own', {
      parallelism: { data: 2, dataLocal: 1 },
      template: { containers: [main()] },
      worker: { serviceAccountName: 'decode-sa', containers: [main()] },
      router: ROUTER,
      prefill: { parallelism: { data: 2, dataLocal: 1 }, template: { serviceAccountName: 'prefill-sa', containers: [main()] }, worker: { containers: [main()] } },
    }));
    const d = find('LeaderWorkerSet', 'own-kserve-mn');
    expect([leader(d).spec.serviceAccountName, worker(d).spec.serviceAccountName]).toEqual(['decode-sa', 'decode-sa']);
    const p = find('LeaderWorkerSet', 'own-kserve-mn-prefill');
    expect([leader(p).spec.serviceAccountName, worker(p).spec.serviceAccountName]).toEqual(['prefill-sa', 'prefill-sa']);
    expect(names('ServiceAccount')).toEqual(['own-epp-sa']);
    expect(find('RoleBinding', 'own-kserve-mn-rb').subjects).toEqual([{ kind: 'ServiceAccount', name: 'decode-sa' }]);
  });

  // workload_single_node.go:141-158 + :428-446: single-node P/D decode runs as the template's SA (the sidecar Role
  // is bound to it, no SA is created); the prefill Deployment keeps its own (:262-269).
  test('single-node P/D: decode and prefill keep the template ServiceAccounts; the sidecar Role binds the decode one', () => {
    const { find, names } = render(llmisvc('sn', {
      template: { serviceAccountName: 'team-sa', containers: [main()] },
      router: ROUTER,
      prefill: { template: { serviceAccountName: 'prefill-sa', containers: [main()] } },
    }));
    expect(find('Deployment', 'sn-kserve').spec.template.spec.serviceAccountName).toBe('team-sa');
    expect(find('Deployment', 'sn-kserve-prefill').spec.template.spec.serviceAccountName).toBe('prefill-sa');
    expect(names('ServiceAccount')).toEqual(['sn-epp-sa']);
    expect(find('RoleBinding', 'sn-kserve-rb').subjects).toEqual([{ kind: 'ServiceAccount', name: 'team-sa' }]);
    expect(find('RoleBinding', 'sn-kserve-rb').roleRef.name).toBe('sn-kserve-role');
  });

  // workload_single_node.go:437 / workload_multi_node.go:497: naming the controller's own SA means "create it".
  test('a template ServiceAccount equal to the controller\'s name is created as usual', () => {
    const { find } = render(llmisvc('same', {
      template: { serviceAccountName: 'same-kserve', containers: [main()] },
      router: ROUTER,
      prefill: { template: { containers: [main()] } },
    }));
    expect(find('ServiceAccount', 'same-kserve')).toBeDefined();
    expect(find('Deployment', 'same-kserve').spec.template.spec.serviceAccountName).toBe('same-kserve');
  });

  test('a ServiceAccount name that is not an object name is an LlmdConfigError', () => {
    expect(() => render(llmisvc('bad', { template: { serviceAccountName: 'Not_A_Name', containers: [main()] } }))).toThrow(LlmdConfigError);
    expect(() => render(llmisvc('bad', { template: { serviceAccountName: 'Not_A_Name', containers: [main()] } }))).toThrow(/serviceAccountName.*DNS-1123 subdomain/);
  });
});

describe('P/D without a scheduler (issue 19.1)', () => {
  // controller_int_test.go's P/D envtests create spec.prefill without spec.router.scheduler; the decode and prefill
  // workloads depend on spec.prefill only (workload_single_node.go:199-222), and without a scheduler the route's
  // backend is the workload Service (config_merge.go, kserve-llmisvc.md §2.3 step 6).
  const resource = llmisvc('pd-nosched', {
    template: { containers: [main()] },
    router: { route: {}, gateway: {} },
    prefill: { replicas: 2, template: { containers: [main()] } },
  });

  test('renders decode and prefill Deployments, no EPP or pool, the route to the workload Service, with a warning', () => {
    const { svc, find, names } = render(resource);
    expect(names('Deployment')).toEqual(['pd-nosched-kserve', 'pd-nosched-kserve-prefill']);
    expect(names('InferencePool')).toEqual([]);
    const route = find('HTTPRoute', 'pd-nosched-kserve-route');
    expect(route.spec.rules[0].backendRefs[0]).toEqual(expect.objectContaining({ kind: 'Service', name: 'pd-nosched-kserve-workload-svc', port: 8000 }));
    // The decode sidecar runs without the pool's SSRF allowlist (there is no pool).
    const sidecar = find('Deployment', 'pd-nosched-kserve').spec.template.spec.initContainers.find((c: any) => c.name === 'llm-d-routing-sidecar');
    expect(sidecar.args.join(' ')).not.toMatch(/--inference-pool/);
    expect(svc.warnings.join('\n')).toMatch(/spec\.router\.scheduler: not set.*none is disaggregated/);
  });

  test('check\'s status report names the missing scheduler under PrefillWorkloadReady', () => {
    const { svc } = render(resource);
    const prefill = svc.statusReport().find((r) => r.type === 'PrefillWorkloadReady')!;
    expect(prefill.applies).toBe(true);
    expect(prefill.guaranteed).toMatch(/selected by the workload Service pd-nosched-kserve-workload-svc/);
    expect(prefill.requires.join(' ')).toMatch(/without spec\.router\.scheduler no EPP picks a prefill pod/);
    expect(svc.statusReport().find((r) => r.type === 'SchedulerWorkloadReady')!.applies).toBe(false);
  });
});

describe('propagated metadata on the workload objects (issue 22.3)', () => {
  const KUEUE_QUEUE = 'kueue.x-k8s.io/queue-name';
  const KUEUE_RECLAIM = 'kueue.x-k8s.io/preemption-reclaim-if-below-priority';
  const metadata = {
    labels: { [KUEUE_QUEUE]: 'test-local-q', test: 'test' },
    annotations: { [KUEUE_RECLAIM]: '0', 'leaderworkerset.sigs.k8s.io/exclusive-topology': 'rack', 'prometheus.io/scrape': 'true', 'test': 'test' },
  };

  // controller_int_multi_node_test.go:724-797 "should set correct labels and annotation" (workload_multi_node.go:619-664).
  test('LeaderWorkerSet: Kueue labels/annotations and leaderworkerset.sigs.k8s.io annotations on the LWS and both templates', () => {
    const { find } = render(llmisvc('mn-meta', {
      parallelism: { data: 2, dataLocal: 1 },
      template: { containers: [main()] },
      worker: { containers: [main()] },
      router: { route: {}, gateway: {} },
    }, metadata));
    const lws = find('LeaderWorkerSet', 'mn-meta-kserve-mn');
    for (const m of [lws.metadata, leader(lws).metadata, worker(lws).metadata]) {
      expect(m.labels[KUEUE_QUEUE]).toBe('test-local-q');
      expect(m.labels.test).toBeUndefined();
      expect(m.annotations[KUEUE_RECLAIM]).toBe('0');
      expect(m.annotations['leaderworkerset.sigs.k8s.io/exclusive-topology']).toBe('rack');
      expect(m.annotations['prometheus.io/scrape']).toBe('true');
      expect(m.annotations.test).toBeUndefined();
    }
  });

  // workload_single_node.go:305-325: the Deployment and its template get the approved prefixes; labels only kueue and
  // localmodel; no leaderworkerset.sigs.k8s.io annotation on a Deployment.
  test('Deployment: approved annotations and Kueue labels on the Deployment and its template', () => {
    const { find } = render(llmisvc('sn-meta', { template: { containers: [main()] } }, metadata));
    const d = find('Deployment', 'sn-meta-kserve');
    for (const m of [d.metadata, d.spec.template.metadata]) {
      expect(m.labels[KUEUE_QUEUE]).toBe('test-local-q');
      expect(m.labels.test).toBeUndefined();
      expect(m.annotations[KUEUE_RECLAIM]).toBe('0');
      expect(m.annotations['prometheus.io/scrape']).toBe('true');
      expect(m.annotations['leaderworkerset.sigs.k8s.io/exclusive-topology']).toBeUndefined();
    }
    // Workload metadata never enters the selector.
    expect(d.spec.selector.matchLabels[KUEUE_QUEUE]).toBeUndefined();
  });

  test('P/D: both workloads get the metadata; a prefill LWS also the LWS annotations', () => {
    const { find } = render(llmisvc('pd-meta', {
      template: { containers: [main()] },
      router: ROUTER,
      prefill: { parallelism: { data: 2, dataLocal: 1 }, template: { containers: [main()] }, worker: { containers: [main()] } },
    }, metadata));
    expect(find('Deployment', 'pd-meta-kserve').metadata.labels[KUEUE_QUEUE]).toBe('test-local-q');
    expect(find('Deployment', 'pd-meta-kserve').metadata.annotations['leaderworkerset.sigs.k8s.io/exclusive-topology']).toBeUndefined();
    const p = find('LeaderWorkerSet', 'pd-meta-kserve-mn-prefill');
    expect(p.metadata.labels[KUEUE_QUEUE]).toBe('test-local-q');
    expect(p.metadata.annotations['leaderworkerset.sigs.k8s.io/exclusive-topology']).toBe('rack');
  });
});

describe('rolloutStrategy (issue 22.5)', () => {
  // workload_rollout_internal_test.go:51-93 (TestApplyDeploymentRolloutStrategy) / workload_single_node.go:522-537.
  test('Deployment: RollingUpdate with exactly the fields given; none without rolloutStrategy', () => {
    const only = render(llmisvc('ro', { template: { containers: [main()] }, rolloutStrategy: { maxUnavailable: 1 } }));
    expect(only.find('Deployment', 'ro-kserve').spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } });
    const both = render(llmisvc('ro', { template: { containers: [main()] }, rolloutStrategy: { maxUnavailable: 1, maxSurge: '50%' } }));
    expect(both.find('Deployment', 'ro-kserve').spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: '50%' } });
    expect(render(llmisvc('ro', { template: { containers: [main()] } })).find('Deployment', 'ro-kserve').spec.strategy).toBeUndefined();
  });

  // workload_rollout_internal_test.go:111-146 (TestRollingUpdateConfigFromWorkloadSpec): unset → 1 / 0.
  test('LeaderWorkerSet: rollingUpdateConfiguration with the defaults 1 / 0 for unset fields', () => {
    const { find } = render(llmisvc('rol', {
      parallelism: { data: 2, dataLocal: 1 }, template: { containers: [main()] }, worker: { containers: [main()] }, rolloutStrategy: { maxSurge: 2 },
    }));
    expect(find('LeaderWorkerSet', 'rol-kserve-mn').spec.rolloutStrategy).toEqual({ type: 'RollingUpdate', rollingUpdateConfiguration: { maxUnavailable: 1, maxSurge: 2 } });
  });

  // workload_single_node.go:256: the prefill Deployment reads spec.prefill.rolloutStrategy, not the top-level one.
  test('P/D: decode takes spec.rolloutStrategy, prefill spec.prefill.rolloutStrategy', () => {
    const { find } = render(llmisvc('rop', {
      template: { containers: [main()] },
      router: ROUTER,
      rolloutStrategy: { maxSurge: 1 },
      prefill: { template: { containers: [main()] }, rolloutStrategy: { maxUnavailable: '10%' } },
    }));
    expect(find('Deployment', 'rop-kserve').spec.strategy.rollingUpdate).toEqual({ maxSurge: 1 });
    expect(find('Deployment', 'rop-kserve-prefill').spec.strategy.rollingUpdate).toEqual({ maxUnavailable: '10%' });
  });

  test('a value that is not an IntOrString, or a rollout that can never progress, is an LlmdConfigError', () => {
    expect(() => render(llmisvc('rob', { template: { containers: [main()] }, rolloutStrategy: { maxSurge: 'lots' } }))).toThrow(/spec\.rolloutStrategy\.maxSurge.*IntOrString/);
    expect(() => render(llmisvc('rob', { template: { containers: [main()] }, rolloutStrategy: { maxSurge: 0, maxUnavailable: '0%' } }))).toThrow(/never progresses/);
  });
});

describe('LeaderWorkerSet names (issue 22.6)', () => {
  const mn = (name: string) => llmisvc(name, {
    parallelism: { data: 2, dataLocal: 1 }, template: { containers: [main()] }, worker: { containers: [main()] },
  });

  // workload_multi_node.go:666-668: mainLWSName = kmeta.ChildName(N, "-kserve-mn"). Up to 48 characters the
  // library's name is exactly that, so an in-place migration updates the controller's LeaderWorkerSet.
  test('KServe\'s ChildName name up to 48 characters (N of 38)', () => {
    const n = 'a'.repeat(38);
    const { names } = render(mn(n));
    expect(names('LeaderWorkerSet')).toEqual([`${n}-kserve-mn`]);
    expect(`${n}-kserve-mn`).toHaveLength(48);
  });

  // Longer names: KServe's 49..63-character name would make the worker StatefulSet `<lws>-<group>` label its pods
  // controller-revision-hash `<lws>-<group>-<hash>` beyond 63 characters, so the library hashes to 48 (documented);
  // the ServiceAccount keeps KServe's name (workload_multi_node.go:487), which has no such bound.
  test('beyond 48 characters: a 48-character hashed LeaderWorkerSet name; the ServiceAccount keeps KServe\'s name', () => {
    const n = 'b'.repeat(45);
    const { find, names } = render(mn(n));
    const [lws] = names('LeaderWorkerSet');
    expect(lws).toHaveLength(48);
    expect(lws.endsWith('-kserve-mn')).toBe(true);
    expect(names('ServiceAccount')).toEqual([`${n}-kserve-mn`]);
    expect(leader(find('LeaderWorkerSet', lws)).spec.serviceAccountName).toBe(`${n}-kserve-mn`);
  });
});

describe('resources carried through (issue 22.7)', () => {
  // The controller copies spec.template as the pod spec (workload_single_node.go:139), so every resource of the
  // main container reaches the pod: CPU limits (a ResourceQuota on limits.cpu admits the pod), ephemeral-storage,
  // hugepages and other extended resources.
  test('CPU request and limit, memory, ephemeral-storage and extended resources reach the main container', () => {
    const resources = {
      limits: { 'nvidia.com/gpu': '1', 'cpu': '8', 'memory': '64Gi', 'ephemeral-storage': '800Gi', 'hugepages-2Mi': '1Gi', 'intel.com/sriov_netdevice': '1' },
      requests: { 'nvidia.com/gpu': '1', 'cpu': '4', 'memory': '64Gi', 'ephemeral-storage': '800Gi', 'hugepages-2Mi': '1Gi' },
    };
    const { find } = render(llmisvc('res', { template: { containers: [{ name: 'main', resources }] } }));
    const c = find('Deployment', 'res-kserve').spec.template.spec.containers.find((x: any) => x.name === 'main');
    expect(c.resources.limits).toEqual(expect.objectContaining({ 'cpu': '8', 'memory': '64Gi', 'ephemeral-storage': '800Gi', 'hugepages-2Mi': '1Gi', 'intel.com/sriov_netdevice': '1' }));
    expect(c.resources.requests).toEqual(expect.objectContaining({ 'cpu': '4', 'memory': '64Gi', 'ephemeral-storage': '800Gi', 'hugepages-2Mi': '1Gi', 'intel.com/sriov_netdevice': '1' }));
  });

  test('an extended resource whose request differs from its limit, or a CPU limit below the request, is an LlmdConfigError', () => {
    const bad = (resources: any) => () => render(llmisvc('res', { template: { containers: [{ name: 'main', resources }] } }));
    expect(bad({ limits: { 'nvidia.com/gpu': '1', 'example.com/fpga': '2' }, requests: { 'example.com/fpga': '1' } })).toThrow(/requests\["example\.com\/fpga"\].*request = limit/);
    expect(bad({ limits: { 'nvidia.com/gpu': '1', 'cpu': '500m' }, requests: { cpu: '2' } })).toThrow(/cpuLimit.*below the CPU request/);
  });
});

describe('LoRA flags (issue 22.9)', () => {
  const lora = (extra: Record<string, any>) => llmisvc('lo', {
    model: { uri: 'hf://facebook/opt-125m', lora: { adapters: [{ name: 'a', uri: 'hf://x/a' }, { name: 'b', uri: 'hf://x/b' }], ...extra } },
    template: { containers: [main()] },
  });
  const args = (objs: any[]) => objs.find((o) => o.kind === 'Deployment').spec.template.spec.containers.find((c: any) => c.name === 'main').args as string[];

  // workload_lora.go:244-258 addLoRAVLLMArgs; workload_lora_internal_test.go:75-90 ("no optional params") expects no --max-loras.
  test('no --max-loras without maxAdapters; --max-loras N with it', () => {
    expect(args(render(lora({})).objs)).not.toContain('--max-loras');
    const withMax = args(render(lora({ maxAdapters: 2 })).objs);
    expect(withMax.slice(withMax.indexOf('--max-loras'), withMax.indexOf('--max-loras') + 2)).toEqual(['--max-loras', '2']);
  });
});

describe('LoRA adapter names (issue 19.4)', () => {
  // llm_inference_service_validation.go:460-499 (ValidateLoRAAdapters): any non-empty name but "." / ".."; the
  // directory is sanitized (workload_lora.go:95, 270-278: [^a-zA-Z0-9._-] → "-"); adapters sorted by name (:80-82).
  test('team/sql@v1 is served under its own name from /mnt/lora/team-sql-v1', () => {
    const { objs } = render(llmisvc('lora-names', {
      model: { uri: 'hf://facebook/opt-125m', lora: { adapters: [{ name: 'team/sql@v1', uri: 'hf://x/sql' }, { name: 'Zed', uri: 'pvc://adapters/zed' }] } },
      template: { containers: [main()] },
    }));
    const pod = objs.find((o) => o.kind === 'Deployment').spec.template.spec;
    const args: string[] = pod.containers.find((c: any) => c.name === 'main').args;
    const modules = args.slice(args.indexOf('--lora-modules') + 1).filter((a) => a.startsWith('{')).map((a) => JSON.parse(a));
    // Byte order, as Go's strings.Compare: "Zed" < "team/sql@v1".
    expect(modules).toEqual([{ name: 'Zed', path: '/mnt/lora/Zed' }, { name: 'team/sql@v1', path: '/mnt/lora/team-sql-v1' }]);
    const init = pod.initContainers.find((c: any) => c.name === 'storage-initializer');
    expect(init.args).toEqual(expect.arrayContaining(['hf://x/sql', '/mnt/lora/team-sql-v1']));
    // The PVC volume name is a DNS label (KServe's ChildName("lora-pvc-", name), lowercased).
    expect(pod.volumes.map((v: any) => v.name)).toContain('lora-pvc-zed');
  });

  test('"." and ".." are refused, as the webhook refuses them; names that sanitize to one directory are refused', () => {
    const svc = (adapters: any[]) => () => render(llmisvc('lora-bad', { model: { uri: 'hf://facebook/opt-125m', lora: { adapters } }, template: { containers: [main()] } }));
    expect(svc([{ name: '..', uri: 'hf://x/a' }])).toThrow(/adapters\[0\]\.name.*path traversal/);
    expect(svc([{ name: 'a/b', uri: 'hf://x/a' }, { name: 'a@b', uri: 'hf://x/b' }])).toThrow(/same directory \/mnt\/lora\/a-b/);
  });
});

describe('env merged from baseRefs (issue 19.5)', () => {
  const config = (name: string, spec: Record<string, any>) => ({ apiVersion: 'serving.kserve.io/v1alpha2', kind: 'LLMInferenceServiceConfig', metadata: { name }, spec });
  // controller_int_test.go:61-140 "should create a basic single node deployment with just base refs": three
  // configs; the workload config's VLLM_LOGGING_LEVEL=DEBUG overrides the preset's INFO (env merges by name).
  const configs = [
    config('model-fb-opt-125m', { model: { name: 'facebook/opt-125m', uri: 'hf://facebook/opt-125m' } }),
    config('router-managed', { router: { route: {}, gateway: {}, scheduler: {} } }),
    config('workload-single-cpu', {
      template: {
        containers: [{
          name: 'main',
          image: 'quay.io/pierdipi/vllm-cpu:latest',
          env: [{ name: 'VLLM_LOGGING_LEVEL', value: 'DEBUG' }],
          resources: { limits: { cpu: '1', memory: '10Gi' }, requests: { cpu: '100m', memory: '8Gi' } },
        }],
      },
    }),
  ];
  const resource = {
    apiVersion: 'serving.kserve.io/v1alpha2',
    kind: 'LLMInferenceService',
    metadata: { name: 'test-llm' },
    spec: { baseRefs: [{ name: 'model-fb-opt-125m' }, { name: 'router-managed' }, { name: 'workload-single-cpu' }] },
  };

  test('a baseRef\'s VLLM_LOGGING_LEVEL wins over the preset\'s; its CPU limit is carried', () => {
    const { find } = render(resource, { configs });
    const c = find('Deployment', 'test-llm-kserve').spec.template.spec.containers.find((x: any) => x.name === 'main');
    expect(c.env.filter((e: any) => e.name === 'VLLM_LOGGING_LEVEL')).toEqual([{ name: 'VLLM_LOGGING_LEVEL', value: 'DEBUG' }]);
    expect(c.image).toBe('quay.io/pierdipi/vllm-cpu:latest');
    expect(c.resources.limits.cpu).toBe('1');
    expect(c.resources.requests.cpu).toBe('100m');
  });

  // Documented difference: HOME and HF_HUB_CACHE are the library's writable emptyDirs (/home, /models).
  test('HOME / HF_HUB_CACHE from a template stay the library\'s, with a warning naming the field', () => {
    const { svc, find } = render(llmisvc('env-own', { template: { containers: [main({ env: [{ name: 'HOME', value: '/opt/home' }] })] } }));
    const c = find('Deployment', 'env-own-kserve').spec.template.spec.containers.find((x: any) => x.name === 'main');
    expect(c.env.find((e: any) => e.name === 'HOME').value).toBe('/home');
    expect(svc.warnings.join('\n')).toMatch(/env\[\d+\] HOME="\/opt\/home": the library owns HOME=\/home/);
  });

  test('an invalid VLLM_LOGGING_LEVEL is an LlmdConfigError', () => {
    expect(() => render(llmisvc('env-bad', { template: { containers: [main({ env: [{ name: 'VLLM_LOGGING_LEVEL', value: 'LOUD' }] })] } }))).toThrow(/not a vLLM log level/);
  });
});

describe('vLLM drain from the grace period (issue 22.2)', () => {
  // config_merge.go:766-787 "shutdownTimeout": max(0, tgps − preStop − min(5, tgps)), tgps 60 when unset, preStop 15.
  const goShutdownTimeout = (tgps: number, preStop = 15) => Math.max(0, tgps - preStop - Math.min(5, tgps));

  test('DrainBudgets.vllmShutdownTimeout is the controller\'s function', () => {
    for (const g of [0, 3, 5, 19, 20, 21, 60, 61, 320, 3600]) {
      expect(DrainBudgets.vllmShutdownTimeout(Duration.seconds(g)).toSeconds()).toBe(goShutdownTimeout(g));
    }
  });

  test('the template\'s terminationGracePeriodSeconds drives --shutdown-timeout (60 s → 40, 120 s → 100)', () => {
    const arg = (spec: Record<string, any>) => {
      const { objs } = render(llmisvc('drain', spec));
      const pod = objs.find((o) => o.kind === 'Deployment').spec.template.spec;
      const args: string[] = pod.containers.find((c: any) => c.name === 'main').args;
      return [pod.terminationGracePeriodSeconds, args[args.indexOf('--shutdown-timeout') + 1]];
    };
    expect(arg({ template: { containers: [main()] } })).toEqual([60, String(goShutdownTimeout(60))]);
    expect(arg({ template: { terminationGracePeriodSeconds: 120, containers: [main()] } })).toEqual([120, String(goShutdownTimeout(120))]);
  });
});

describe('KV connector only where it can start (issue 22.8)', () => {
  const pd = (image: string, resources: any) => llmisvc('kv', {
    template: { containers: [{ name: 'main', image, resources }] },
    router: ROUTER,
    prefill: { template: { containers: [{ name: 'main', image, resources }] } },
  });
  const mainOf = (objs: any[], name: string) => objs.find((o) => o.kind === 'Deployment' && o.metadata.name === name).spec.template.spec.containers.find((c: any) => c.name === 'main');

  // The presets add no --kv-transfer-config (config/llmisvcconfig prefill/decode templates; kserve-llmisvc.md §3.4).
  test('CPU image without --kv-transfer-config: no connector on either role, as the controller renders it', () => {
    const { svc, objs } = render(pd('docker.io/vllm/vllm-openai-cpu:v0.23.0', { limits: { cpu: '2', memory: '8Gi' } }));
    for (const n of ['kv-kserve', 'kv-kserve-prefill']) {
      const c = mainOf(objs, n);
      expect(c.args).not.toContain('--kv-transfer-config');
      expect((c.env ?? []).map((e: any) => e.name)).not.toContain('VLLM_NIXL_SIDE_CHANNEL_HOST');
    }
    expect(svc.warnings.join('\n')).toMatch(/not known to ship NIXL.*no KV connector is rendered/);
  });

  // Deliberate difference (README): on GPU images that ship NIXL the library adds NixlConnector so KV blocks move.
  test('GPU image shipping NIXL: NixlConnector kv_both on both roles, with a warning saying so', () => {
    const { svc, objs } = render(pd('ghcr.io/llm-d/llm-d-cuda:v0.9.0', GPU(1)));
    for (const n of ['kv-kserve', 'kv-kserve-prefill']) {
      const args: string[] = mainOf(objs, n).args;
      expect(JSON.parse(args[args.indexOf('--kv-transfer-config') + 1])).toEqual({ kv_connector: 'NixlConnector', kv_role: 'kv_both' });
    }
    expect(svc.warnings.join('\n')).toMatch(/the library adds NixlConnector kv_both on both roles \(their GPU images ship NIXL\)/);
  });
});

describe('single-pod LeaderWorkerSet groups (issue 19.3)', () => {
  // controller_int_multi_node_test.go:724-797: data 1 / dataLocal 1 with a worker is a LeaderWorkerSet of size 1
  // (`Expect(expectedLWS.Spec.LeaderWorkerTemplate.Size).To(Equal(ptr.To(int32(1))))`), Kueue metadata on it.
  test('worker with dataLocal = data renders LeaderWorkerSet N-kserve-mn of size 1 with the Kueue metadata', () => {
    const { find, names } = render(llmisvc('one', {
      parallelism: { data: 2, dataLocal: 2 },
      template: { containers: [main({ resources: GPU(2) })] },
      worker: { containers: [main({ resources: GPU(2) })] },
      router: ROUTER,
    }, { labels: { 'kueue.x-k8s.io/queue-name': 'q' } }));
    expect(names('Deployment')).toEqual(['one-kserve-router-scheduler']);
    const lws = find('LeaderWorkerSet', 'one-kserve-mn');
    expect(lws.spec.leaderWorkerTemplate.size).toBe(1);
    for (const m of [lws.metadata, leader(lws).metadata, worker(lws).metadata]) expect(m.labels['kueue.x-k8s.io/queue-name']).toBe('q');
    const args: string[] = leader(lws).spec.containers.find((c: any) => c.name === 'main').args;
    expect(args.slice(args.indexOf('--data-parallel-size'), args.indexOf('--data-parallel-size') + 4)).toEqual(['--data-parallel-size', '2', '--data-parallel-size-local', '2']);
  });

  // workload_multi_node.go:89-112: a prefill worker means a prefill LeaderWorkerSet, whatever its size.
  test('P/D: a prefill worker of one-pod groups is LeaderWorkerSet N-kserve-mn-prefill', () => {
    const { names } = render(llmisvc('onep', {
      template: { containers: [main()] },
      router: ROUTER,
      prefill: { parallelism: { data: 1, dataLocal: 1 }, template: { containers: [main()] }, worker: { containers: [main()] } },
    }));
    expect(names('LeaderWorkerSet')).toEqual(['onep-kserve-mn-prefill']);
    expect(names('Deployment')).toEqual(['onep-kserve', 'onep-kserve-router-scheduler']);
  });
});

describe('data-parallel leaders and workers (issue 22.4)', () => {
  const mainArgs = (t: any) => t.spec.containers.find((c: any) => c.name === 'main');
  // config/llmisvcconfig/config-llm-worker-data-parallel.yaml (vendored presets): the leader runs
  // `--api-server-count ${VLLM_API_SERVER_COUNT:-8}`, the worker `--headless` without it.
  test('leader --api-server-count 8 (or VLLM_API_SERVER_COUNT); headless workers without it', () => {
    const spec = (env: any[]) => ({
      parallelism: { data: 4, dataLocal: 2 },
      template: { containers: [main({ resources: GPU(2), env })] },
      worker: { containers: [main({ resources: GPU(2), env })] },
    });
    for (const [env, want] of [[[], '8'], [[{ name: 'VLLM_API_SERVER_COUNT', value: '2' }], '2']] as const) {
      const lws = render(llmisvc('dp', spec([...env]))).find('LeaderWorkerSet', 'dp-kserve-mn');
      const l: string[] = mainArgs(leader(lws)).args;
      expect(l.slice(l.indexOf('--api-server-count'), l.indexOf('--api-server-count') + 2)).toEqual(['--api-server-count', want]);
      const w: string[] = mainArgs(worker(lws)).args;
      expect(w).toContain('--headless');
      expect(w).not.toContain('--api-server-count');
    }
  });

  // config-llm-decode-worker-data-parallel.yaml: decode DP workers set VLLM_RANDOMIZE_DP_DUMMY_INPUTS=1; the library
  // sets it on every decode pod of the group (documented), prefill groups do not get it.
  test('P/D decode DP group: VLLM_RANDOMIZE_DP_DUMMY_INPUTS=1; not on the prefill group', () => {
    const { find } = render(llmisvc('dpd', {
      parallelism: { data: 2, dataLocal: 1 },
      template: { containers: [main()] },
      worker: { containers: [main()] },
      router: ROUTER,
      prefill: { parallelism: { data: 2, dataLocal: 1 }, template: { containers: [main()] }, worker: { containers: [main()] } },
    }));
    const env = (lws: any) => mainArgs(worker(lws)).env.filter((e: any) => e.name === 'VLLM_RANDOMIZE_DP_DUMMY_INPUTS');
    expect(env(find('LeaderWorkerSet', 'dpd-kserve-mn'))).toEqual([{ name: 'VLLM_RANDOMIZE_DP_DUMMY_INPUTS', value: '1' }]);
    expect(env(find('LeaderWorkerSet', 'dpd-kserve-mn-prefill'))).toEqual([]);
  });
});

describe('tokenizer for precise prefix routing (issue 22.10)', () => {
  const INLINE = [
    'apiVersion: inference.networking.x-k8s.io/v1alpha1',
    'kind: EndpointPickerConfig',
    'plugins:',
    '- type: token-producer',
    '- type: precise-prefix-cache-producer',
    '  parameters:',
    '    tokenProcessorConfig: { blockSize: 64 }',
    '    kvEventsConfig: { topicFilter: "kv@", discoverPods: true, podDiscoveryConfig: { socketPort: 5557 } }',
    '- type: prefix-cache-scorer',
    '  parameters: { prefixMatchInfoProducerName: precise-prefix-cache-producer }',
    '- type: max-score-picker',
    'schedulingProfiles:',
    '- name: default',
    '  plugins: [{ pluginRef: prefix-cache-scorer }, { pluginRef: max-score-picker }]',
  ].join('\n');
  const svc = (uri: string) => llmisvc('tok', {
    model: { uri, name: 'my-served-name' },
    template: { containers: [main()] },
    router: { route: {}, gateway: {}, scheduler: { config: { inline: INLINE } } },
  });
  const eppTokenProducer = (objs: any[]) => {
    const cm = objs.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'tok-epp-config');
    const text = Object.values(cm.data)[0] as string;
    return /- type: token-producer\n(?:.*\n)*?\s+modelName: (\S+)/.exec(text)?.[1];
  };

  // tokenizer.go:255 (model attached at /mnt/models/base) and workload_storage.go:49-52 (tokenizer files only):
  // the EPP asks for /mnt/models/base, whatever the served name (kserve-llmisvc.md §3.9).
  test('hf:// model: storage-initializer downloads the tokenizer files to /mnt/models/base; token-producer modelName is that path', () => {
    const { find, objs } = render(svc('hf://Qwen/Qwen2.5-7B-Instruct'));
    const pod = find('Deployment', 'tok-tokenizer').spec.template.spec;
    expect(pod.containers[0].args[0]).toBe('/mnt/models/base');
    const init = pod.initContainers.find((c: any) => c.name === 'storage-initializer');
    expect(init.args).toEqual(['hf://Qwen/Qwen2.5-7B-Instruct', '/mnt/models/base']);
    expect(JSON.parse(init.env.find((e: any) => e.name === 'STORAGE_ALLOW_PATTERNS').value)).toEqual(
      ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.json', 'merges.txt', 'config.json', 'generation_config.json']);
    expect(eppTokenProducer(objs)).toBe('/mnt/models/base');
  });

  test('pvc:// model: the claim is mounted read-only at /mnt/models/base', () => {
    const { find } = render(svc('pvc://models/qwen'));
    const pod = find('Deployment', 'tok-tokenizer').spec.template.spec;
    const claim = pod.volumes.find((v: any) => v.persistentVolumeClaim);
    expect(claim.persistentVolumeClaim.claimName).toBe('models');
    expect(pod.containers[0].volumeMounts).toContainEqual(expect.objectContaining({ name: claim.name, mountPath: '/mnt/models/base', readOnly: true, subPath: 'qwen' }));
  });
});

describe('scheduler and pool overrides (issue 22.11)', () => {
  // scheduler.go (kserve-llmisvc.md §3.1, §4.1): scheduler.labels / annotations go to the EPP pod template; the
  // scheduler template merges over the preset's EPP pod; pool.spec is the pool's spec.
  test('EPP pod labels/annotations, main image and resources, and the pool failure mode are taken', () => {
    const { svc, find } = render(llmisvc('ovr', {
      template: { containers: [main()] },
      router: {
        route: {},
        gateway: {},
        scheduler: {
          labels: { team: 'search' },
          annotations: { 'example.com/owner': 'search' },
          template: { containers: [{ name: 'main', image: 'registry.example.com/epp:v0.10.0', resources: { requests: { cpu: '2', memory: '4Gi' }, limits: { memory: '8Gi' } }, livenessProbe: {} }] },
          pool: { spec: { endpointPickerRef: { failureMode: 'FailClose' } } },
        },
      },
    }));
    const epp = find('Deployment', 'ovr-kserve-router-scheduler');
    expect(epp.spec.template.metadata.labels.team).toBe('search');
    expect(epp.spec.selector.matchLabels.team).toBeUndefined();
    expect(epp.spec.template.metadata.annotations).toEqual({ 'example.com/owner': 'search' });
    const c = epp.spec.template.spec.containers[0];
    expect(c.image).toBe('registry.example.com/epp:v0.10.0');
    expect(c.resources).toEqual({ requests: { cpu: '2', memory: '4Gi' }, limits: { memory: '8Gi' } });
    expect(find('InferencePool', 'ovr-inference-pool').spec.endpointPickerRef.failureMode).toBe('FailClose');
    expect(svc.warnings.join('\n')).toMatch(/spec\.router\.scheduler: template\.containers\[main\]\.livenessProbe not rendered/);
  });

  test('a wiring label in scheduler.labels, or an unknown failure mode, is an LlmdConfigError', () => {
    const svc = (scheduler: any) => () => render(llmisvc('ovr', { template: { containers: [main()] }, router: { scheduler } }));
    expect(svc({ labels: { 'app.kubernetes.io/component': 'x' } })).toThrow(/scheduler\.labels\["app\.kubernetes\.io\/component"\]/);
    expect(svc({ pool: { spec: { endpointPickerRef: { failureMode: 'Maybe' } } } })).toThrow(/failureMode.*not a failure mode/);
  });
});
