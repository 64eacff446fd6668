/**
 * Reasoning over NetworkPolicies without a cluster: which pods a set of manifests creates, which connections
 * between them the wiring needs (read from the manifests, not from the library), and whether the set's
 * NetworkPolicies admit a connection — Kubernetes `networking.k8s.io/v1` semantics:
 *
 * - a pod is isolated for ingress (egress) when a policy of its namespace selects it and lists `Ingress`
 *   (`Egress`) in `policyTypes` (`Ingress` when `policyTypes` is absent; `Egress` also when egress rules exist);
 * - an isolated pod admits a connection when some selecting policy has a rule whose peers (none = any) and
 *   ports (none = any) both match; a connection needs the source's egress and the destination's ingress;
 * - peers: `podSelector` alone = pods of the policy's namespace, `namespaceSelector` alone = every pod of the
 *   matching namespaces (labelled `kubernetes.io/metadata.name`), both = the intersection; `ipBlock` matches only
 *   sources outside the cluster (pod IPs are not modelled);
 * - ports: `protocol` defaults to TCP; a number (with `endPort`, a range) or a name, resolved against the
 *   destination pod's container ports.
 *
 * Like the wiring checker it never imports `src/`.
 */

type Obj = Record<string, any>;

export interface PodPort { readonly name?: string; readonly port: number; readonly protocol: string }

/** A pod (template) of the set, or a pod outside it. */
export interface NetPod {
  readonly ns: string;
  readonly labels: Record<string, string>;
  readonly ports: PodPort[];
  /** Owner, for messages. */
  readonly ref: string;
  readonly template?: Obj;
}

/** A source outside the cluster (a load balancer, a client on the internet). */
export interface ExternalSource { readonly ip: string; readonly ref: string }

export type Source = NetPod | ExternalSource;

/** One connection the wiring needs. */
export interface Flow { readonly from: Source; readonly to: NetPod; readonly port: number; readonly protocol?: string; readonly why: string }

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);
const NS_LABEL = 'kubernetes.io/metadata.name';

/** Whether a label selector (matchLabels and matchExpressions) selects `labels`. */
export function selects(sel: unknown, labels: Record<string, string>): boolean {
  if (!isObj(sel)) return false;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of arr(sel.matchExpressions)) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values = arr(e.values);
    if (e.operator === 'In' && !(has && values.includes(labels[e.key]))) return false;
    if (e.operator === 'NotIn' && has && values.includes(labels[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

function nsOf(o: Obj, fallback: string): string {
  return o.metadata?.namespace ?? fallback;
}

function templatePorts(spec: Obj): PodPort[] {
  const containers = [...arr(spec?.containers), ...arr(spec?.initContainers).filter((c) => c?.restartPolicy === 'Always')];
  return containers.flatMap((c) => arr(c.ports)).map((p) => ({ name: p.name, port: p.containerPort, protocol: p.protocol ?? 'TCP' }));
}

/** Every pod template of the set (Deployments and LeaderWorkerSet leaders / workers, with the labels the LWS controller adds). */
export function podsOf(objs: Obj[], defaultNs: string): NetPod[] {
  const pods: NetPod[] = [];
  for (const o of objs) {
    const ns = nsOf(o, defaultNs);
    if (['Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(o.kind)) {
      const t = o.spec?.template;
      pods.push({ ns, labels: { ...t?.metadata?.labels }, ports: templatePorts(t?.spec), ref: `${o.kind}/${o.metadata?.name}`, template: t });
    }
    if (o.kind === 'LeaderWorkerSet') {
      const lt = o.spec?.leaderWorkerTemplate ?? {};
      const name = o.metadata?.name;
      const leader = lt.leaderTemplate ?? lt.workerTemplate;
      const lws = { 'leaderworkerset.sigs.k8s.io/name': name };
      pods.push({ ns, labels: { ...leader?.metadata?.labels, ...lws, 'leaderworkerset.sigs.k8s.io/worker-index': '0' }, ports: templatePorts(leader?.spec), ref: `LeaderWorkerSet/${name} leader`, template: leader });
      if ((lt.size ?? 1) > 1) {
        const w = lt.workerTemplate;
        pods.push({ ns, labels: { ...w?.metadata?.labels, ...lws, 'leaderworkerset.sigs.k8s.io/worker-index': '1' }, ports: templatePorts(w?.spec), ref: `LeaderWorkerSet/${name} worker`, template: w });
      }
    }
  }
  return pods;
}

function isPod(s: Source): s is NetPod {
  return (s as NetPod).labels !== undefined;
}

function peerMatches(peer: Obj, policyNs: string, src: Source): boolean {
  if (isObj(peer.ipBlock)) return !isPod(src) && inCidr(src.ip, peer.ipBlock.cidr) && !arr(peer.ipBlock.except).some((e) => inCidr(src.ip, e));
  if (!isPod(src)) return false;
  const nsOk = isObj(peer.namespaceSelector) ? selects(peer.namespaceSelector, { [NS_LABEL]: src.ns }) : src.ns === policyNs;
  const podOk = isObj(peer.podSelector) ? selects(peer.podSelector, src.labels) : true;
  return nsOk && podOk;
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bitsText] = String(cidr).split('/');
  if (!ip.includes('.') || !base.includes('.')) return false; // IPv6 sources are not modelled
  const toN = (a: string) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const shift = 32 - Number(bitsText);
  return Math.floor(toN(ip) / 2 ** shift) === Math.floor(toN(base) / 2 ** shift);
}

function portMatches(p: Obj, dst: NetPod, port: number, protocol: string): boolean {
  if ((p.protocol ?? 'TCP') !== protocol) return false;
  if (p.port === undefined) return true;
  if (typeof p.port === 'number') return p.endPort !== undefined ? port >= p.port && port <= p.endPort : port === p.port;
  return dst.ports.some((c) => c.name === p.port && c.port === port && c.protocol === protocol);
}

function isolates(np: Obj, pod: NetPod, direction: 'Ingress' | 'Egress'): boolean {
  if (nsOf(np, pod.ns) !== pod.ns || !selects(np.spec?.podSelector ?? {}, pod.labels)) return false;
  const types = np.spec?.policyTypes;
  if (Array.isArray(types)) return types.includes(direction);
  return direction === 'Ingress' || np.spec?.egress !== undefined;
}

function ruleAdmits(rules: unknown, peers: 'from' | 'to', policyNs: string, other: Source, dst: NetPod, port: number, protocol: string): boolean {
  return arr(rules).some((r) => {
    const ps = arr(r?.[peers]);
    const peerOk = ps.length === 0 || ps.some((p) => peerMatches(p, policyNs, other));
    const ports = arr(r?.ports);
    const portOk = ports.length === 0 || ports.some((p) => portMatches(p, dst, port, protocol));
    return peerOk && portOk;
  });
}

/** Whether the policies admit a connection from `src` to `dst` on `port` (both directions' policies). */
export function admits(policies: Obj[], src: Source, dst: NetPod, port: number, protocol = 'TCP'): boolean {
  const ingress = policies.filter((np) => isolates(np, dst, 'Ingress'));
  const inOk = ingress.length === 0 || ingress.some((np) => ruleAdmits(np.spec?.ingress, 'from', nsOf(np, dst.ns), src, dst, port, protocol));
  if (!isPod(src)) return inOk;
  const egress = policies.filter((np) => isolates(np, src, 'Egress'));
  const outOk = egress.length === 0 || egress.some((np) => ruleAdmits(np.spec?.egress, 'to', nsOf(np, src.ns), dst, dst, port, protocol));
  return inOk && outOk;
}

/** Where the flows' outside parties sit. */
export interface FlowParties {
  /** The gateway's proxy pods (or the clients of a Service without a gateway). */
  readonly gateway: Source;
  /** A Prometheus pod. */
  readonly prometheus: Source;
}

/** A port number that no container declares, standing for the ephemeral ports NIXL/UCX and NCCL open. */
export const EPHEMERAL_PORT = 40123;

function servicePods(svc: Obj, pods: NetPod[], ns: string): NetPod[] {
  if (!isObj(svc.spec?.selector)) return [];
  return pods.filter((p) => p.ns === nsOf(svc, ns) && Object.entries(svc.spec.selector).every(([k, v]) => p.labels[k] === v));
}

function resolvePort(pod: NetPod, target: unknown): number | undefined {
  if (typeof target === 'number') return pod.ports.some((p) => p.port === target) ? target : undefined;
  return pod.ports.find((p) => p.name === target)?.port;
}

function flagValue(args: string[], flag: string): string | undefined {
  const i = args.findIndex((a) => a === flag || a.startsWith(`${flag}=`));
  if (i < 0) return undefined;
  return args[i].includes('=') ? args[i].slice(flag.length + 1) : args[i + 1];
}

/**
 * The connections the wiring of a set needs, read from the manifests: gateway → InferencePool target ports and the
 * EPP's ext-proc port (for routed pools), gateway → Service ports of routed Services, EPP → pool pods, routing
 * sidecar → prefill pods (every declared port and an ephemeral one), LeaderWorkerSet workers ↔ leader, monitors →
 * scraped ports, EPP → tokenizer, KV events in both modes.
 */
export function requiredFlows(objs: Obj[], defaultNs: string, parties: FlowParties): Flow[] {
  const pods = podsOf(objs, defaultNs);
  const flows: Flow[] = [];
  const services = objs.filter((o) => o.kind === 'Service');
  const routes = objs.filter((o) => o.kind === 'HTTPRoute');
  const backends = routes.flatMap((r) => arr(r.spec?.rules).flatMap((rule) => arr(rule.backendRefs))
    .map((b) => ({ ...b, ns: b.namespace ?? nsOf(r, defaultNs) })));
  const eppPodsOf = (pool: Obj): NetPod[] => {
    const svc = services.find((s) => s.metadata?.name === pool.spec?.endpointPickerRef?.name && nsOf(s, defaultNs) === nsOf(pool, defaultNs));
    return svc ? servicePods(svc, pods, defaultNs) : [];
  };
  const eppPods = new Set<NetPod>();
  for (const pool of objs.filter((o) => o.kind === 'InferencePool' && String(o.apiVersion).startsWith('inference.networking.k8s.io/'))) {
    const ns = nsOf(pool, defaultNs);
    const served = pods.filter((p) => p.ns === ns && selects(pool.spec?.selector, p.labels));
    const ports = arr(pool.spec?.targetPorts).map((t) => t.number);
    const epps = eppPodsOf(pool);
    epps.forEach((e) => eppPods.add(e));
    const routed = backends.some((b) => b.kind === 'InferencePool' && b.name === pool.metadata?.name && b.ns === ns);
    const standalone = epps.some((e) => arr(e.template?.spec?.containers).some((c) => c.name !== 'epp'));
    for (const pod of served) {
      for (const port of ports) {
        if (routed) flows.push({ from: parties.gateway, to: pod, port, why: `gateway → pool ${pool.metadata.name} target port` });
        for (const e of epps) flows.push({ from: e, to: pod, port, why: `EPP → pool ${pool.metadata.name} target port` });
      }
    }
    const eppPort = pool.spec?.endpointPickerRef?.port?.number;
    const eppSvc = services.find((s) => s.metadata?.name === pool.spec?.endpointPickerRef?.name && nsOf(s, defaultNs) === ns);
    const sp = arr(eppSvc?.spec?.ports).find((p) => p.port === eppPort);
    for (const e of epps) {
      const target = sp ? resolvePort(e, sp.targetPort ?? sp.port) : undefined;
      if (routed && target !== undefined) flows.push({ from: parties.gateway, to: e, port: target, why: `gateway → EPP ext-proc of pool ${pool.metadata.name}` });
      if (standalone) {
        for (const p of arr(eppSvc?.spec?.ports).filter((x) => x.appProtocol === 'http')) {
          const t = resolvePort(e, p.targetPort ?? p.port);
          if (t !== undefined) flows.push({ from: parties.gateway, to: e, port: t, why: 'client → standalone Envoy' });
        }
      }
    }
  }
  for (const b of backends.filter((x) => (x.kind ?? 'Service') === 'Service')) {
    const svc = services.find((s) => s.metadata?.name === b.name && nsOf(s, defaultNs) === b.ns);
    const sp = arr(svc?.spec?.ports).find((p) => p.port === b.port);
    for (const pod of svc ? servicePods(svc, pods, defaultNs) : []) {
      const t = sp ? resolvePort(pod, sp.targetPort ?? sp.port) : undefined;
      if (t !== undefined) flows.push({ from: parties.gateway, to: pod, port: t, why: `gateway → Service ${b.name}` });
    }
  }
  // routing sidecar → prefill pods of the same service (serving port, NIXL side channel, UCX's ephemeral ports)
  const name = (p: NetPod) => p.labels['app.kubernetes.io/name'];
  for (const decode of pods.filter((p) => arr(p.template?.spec?.initContainers).some((c) => /routing-sidecar|disagg-sidecar/.test(String(c.image))))) {
    for (const prefill of pods.filter((p) => p.labels['llm-d.ai/role'] === 'prefill' && name(p) === name(decode) && p.ns === decode.ns)) {
      for (const port of [...prefill.ports.map((x) => x.port), EPHEMERAL_PORT]) flows.push({ from: decode, to: prefill, port, why: 'decode sidecar / NIXL → prefill' });
      flows.push({ from: prefill, to: decode, port: EPHEMERAL_PORT, why: 'NIXL/UCX transfer prefill → decode' });
    }
  }
  // LeaderWorkerSet groups: workers → leader's declared ports, and NCCL / Ray both ways
  for (const leader of pods.filter((p) => p.labels['leaderworkerset.sigs.k8s.io/worker-index'] === '0')) {
    const lws = leader.labels['leaderworkerset.sigs.k8s.io/name'];
    for (const worker of pods.filter((p) => p !== leader && p.labels['leaderworkerset.sigs.k8s.io/name'] === lws)) {
      for (const port of [...leader.ports.map((x) => x.port), EPHEMERAL_PORT]) flows.push({ from: worker, to: leader, port, why: `LWS ${lws} worker → leader` });
      flows.push({ from: leader, to: worker, port: EPHEMERAL_PORT, why: `LWS ${lws} leader → worker (NCCL)` });
    }
  }
  // monitors → scraped ports
  for (const m of objs.filter((o) => ['PodMonitor', 'PodMonitoring', 'ClusterPodMonitoring'].includes(o.kind))) {
    const eps = arr(m.kind === 'PodMonitor' ? m.spec?.podMetricsEndpoints : m.spec?.endpoints);
    for (const pod of pods.filter((p) => (m.kind === 'ClusterPodMonitoring' || p.ns === nsOf(m, defaultNs)) && selects(m.spec?.selector, p.labels))) {
      for (const ep of eps) {
        const t = resolvePort(pod, ep.port);
        if (t !== undefined) flows.push({ from: parties.prometheus, to: pod, port: t, why: `${m.kind} ${m.metadata.name}` });
      }
    }
  }
  for (const m of objs.filter((o) => o.kind === 'ServiceMonitor')) {
    for (const svc of services.filter((s) => nsOf(s, defaultNs) === nsOf(m, defaultNs) && selects(m.spec?.selector, s.metadata?.labels ?? {}))) {
      for (const ep of arr(m.spec?.endpoints)) {
        const sp = arr(svc.spec?.ports).find((p) => p.name === ep.port);
        for (const pod of servicePods(svc, pods, defaultNs)) {
          const t = sp ? resolvePort(pod, sp.targetPort ?? sp.port) : undefined;
          if (t !== undefined) flows.push({ from: parties.prometheus, to: pod, port: t, why: `ServiceMonitor ${m.metadata.name}` });
        }
      }
    }
  }
  // EPP → Services its config names (the tokenizer), and KV events
  for (const epp of eppPods) {
    const config = objs.filter((o) => o.kind === 'ConfigMap' && nsOf(o, defaultNs) === epp.ns).map((c) => JSON.stringify(c.data ?? {})).join('\n');
    for (const svc of services.filter((s) => nsOf(s, defaultNs) === epp.ns)) {
      for (const sp of arr(svc.spec?.ports)) {
        if (!config.includes(`http://${svc.metadata.name}:${sp.port}`)) continue;
        for (const pod of servicePods(svc, pods, defaultNs)) {
          const t = resolvePort(pod, sp.targetPort ?? sp.port);
          if (t !== undefined) flows.push({ from: epp, to: pod, port: t, why: `EPP → ${svc.metadata.name}` });
        }
      }
    }
  }
  for (const pod of pods) {
    for (const c of arr(pod.template?.spec?.containers)) {
      const kv = flagValue([...arr(c.command), ...arr(c.args)].map(String), '--kv-events-config');
      if (kv === undefined) continue;
      const endpoint = String(JSON.parse(kv).endpoint ?? '');
      const bind = /^tcp:\/\/\*:(\d+)$/.exec(endpoint);
      if (bind) for (const e of eppPods) flows.push({ from: e, to: pod, port: Number(bind[1]), why: 'EPP dials the KV-events publisher' });
      const dial = /^tcp:\/\/([^:]+):(\d+)$/.exec(endpoint);
      const svc = dial ? services.find((s) => s.metadata?.name === dial[1] && nsOf(s, defaultNs) === pod.ns) : undefined;
      const sp = arr(svc?.spec?.ports).find((p) => p.port === Number(dial?.[2]));
      for (const e of svc ? servicePods(svc, pods, defaultNs) : []) {
        const t = sp ? resolvePort(e, sp.targetPort ?? sp.port) : undefined;
        if (t !== undefined) flows.push({ from: pod, to: e, port: t, why: 'model server publishes KV events to the EPP' });
      }
    }
  }
  return flows;
}

/**
 * Ports of a pod that any client may call: InferencePool target ports, the EPP's ext-proc port, the standalone
 * Envoy's listener, and the ports of Services in front of serving pods (`kserve.io/component: workload`).
 */
export function entryPorts(objs: Obj[], defaultNs: string, pod: NetPod): number[] {
  const out = new Set<number>();
  const services = objs.filter((o) => o.kind === 'Service');
  for (const pool of objs.filter((o) => o.kind === 'InferencePool' && nsOf(o, defaultNs) === pod.ns)) {
    if (selects(pool.spec?.selector, pod.labels)) arr(pool.spec?.targetPorts).forEach((t) => out.add(t.number));
    const svc = services.find((s) => s.metadata?.name === pool.spec?.endpointPickerRef?.name && nsOf(s, defaultNs) === pod.ns);
    if (!svc || !servicePods(svc, [pod], defaultNs).length) continue;
    for (const sp of arr(svc.spec?.ports).filter((p) => p.port === pool.spec.endpointPickerRef.port?.number || p.appProtocol === 'http')) {
      const t = resolvePort(pod, sp.targetPort ?? sp.port);
      if (t !== undefined) out.add(t);
    }
  }
  if (pod.labels['kserve.io/component'] === 'workload') {
    for (const svc of services.filter((s) => servicePods(s, [pod], defaultNs).length > 0)) {
      for (const sp of arr(svc.spec?.ports)) {
        const t = resolvePort(pod, sp.targetPort ?? sp.port);
        if (t !== undefined) out.add(t);
      }
    }
  }
  return [...out];
}

/** Ports of a pod that a monitor of the set scrapes. */
export function metricsPorts(objs: Obj[], defaultNs: string, pod: NetPod, parties: FlowParties): number[] {
  const scraped = requiredFlows(objs, defaultNs, parties).filter((f) => f.from === parties.prometheus && f.to.ref === pod.ref);
  return [...new Set(scraped.map((f) => f.port))];
}
