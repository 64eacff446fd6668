/**
 * The request path of synthesized manifests as a Mermaid flowchart: Gateway → HTTPRoute → InferencePool → EPP,
 * pool → the workloads it selects, decode pods with the routing sidecar → the prefill workloads of the same pool.
 */
import { hasRoutingSidecar, K8sObject, matches, podGroups } from './workloads';
import { STANDALONE_PROXY_CONTAINER } from '../routing/standalone-proxy';
import { Versions } from '../versions';
import { LabelKeys, ServingRole, WiringLabels } from '../wiring/labels';
import { Ports } from '../wiring/ports';

const POOL_GROUPS = [Versions.INFERENCE_POOL_API, Versions.INFERENCE_POOL_LEGACY_API].map((v) => v.slice(0, v.lastIndexOf('/')));

function key(kind: string, ns: string | undefined, name: string): string {
  return `${kind}/${ns ?? ''}/${name}`;
}

function label(text: string): string {
  return text.replace(/"/g, '#quot;');
}

class Graph {
  private readonly ids = new Map<string, string>();
  private readonly nodes: string[] = [];
  private readonly edges = new Set<string>();
  private readonly edgeList: string[] = [];

  /** The id of the node for `k`, declared with `text` and `shape` on first use. */
  public node(k: string, text: string, shape: 'box' | 'round' | 'stadium' | 'hex' | 'sub' = 'box'): string {
    let id = this.ids.get(k);
    if (id) return id;
    id = `n${this.ids.size + 1}`;
    this.ids.set(k, id);
    const t = label(text);
    const open = { box: '["', round: '("', stadium: '(["', hex: '{{"', sub: '[["' }[shape];
    const close = { box: '"]', round: '")', stadium: '"])', hex: '"}}', sub: '"]]' }[shape];
    this.nodes.push(`  ${id}${open}${t}${close}`);
    return id;
  }

  public has(k: string): boolean {
    return this.ids.has(k);
  }

  public edge(from: string, to: string, text?: string, dotted = false): void {
    const line = text
      ? `  ${from} ${dotted ? '-.' : '--'} "${label(text)}" ${dotted ? '.->' : '-->'} ${to}`
      : `  ${from} ${dotted ? '-.->' : '-->'} ${to}`;
    if (this.edges.has(line)) return;
    this.edges.add(line);
    this.edgeList.push(line);
  }

  public render(): string {
    return ['flowchart LR', ...this.nodes, ...this.edgeList].join('\n') + '\n';
  }
}

interface Workload {
  readonly o: K8sObject;
  readonly labels: Record<string, unknown>[];
  readonly sidecar: boolean;
  readonly role?: string;
}

/** The Mermaid flowchart of the objects (`flowchart LR`). @internal */
export function mermaidTopology(objects: readonly K8sObject[]): string {
  const g = new Graph();
  const workloads: Workload[] = objects.flatMap((o) => {
    const groups = podGroups(o);
    if (groups.length === 0) return [];
    const labels = groups.map((p) => p.template?.metadata?.labels ?? {});
    const role = labels[labels.length - 1][LabelKeys.ROLE] as string | undefined;
    return [{ o, labels, sidecar: groups.some((p) => hasRoutingSidecar(p.template)), role }];
  });
  const services = objects.filter((o) => o?.apiVersion === 'v1' && o.kind === 'Service');
  const workloadNode = (w: Workload) => {
    const size = podGroups(w.o).reduce((n, p) => n + p.count, 0);
    const replicas = typeof w.o.spec?.replicas === 'number' ? w.o.spec.replicas : 1;
    const pods = size > 1 ? `${replicas} × ${size} pods` : `${replicas} pod${replicas === 1 ? '' : 's'}`;
    const role = w.role ? ` ${w.role}` : '';
    return g.node(key(w.o.kind, w.o.metadata?.namespace, w.o.metadata?.name), `${w.o.kind}${role}<br/>${w.o.metadata?.name}<br/>${pods}${w.sidecar ? ' + routing sidecar' : ''}`);
  };
  const selected = (selector: Record<string, unknown> | undefined, ns: string | undefined) =>
    workloads.filter((w) => w.o.metadata?.namespace === ns && w.labels.some((l) => matches(selector, l)));

  /** The EPP behind a Service name: the Deployment its selector matches (or the Service itself). */
  const eppNode = (name: string, ns: string | undefined): string => {
    const svc = services.find((s) => s.metadata?.name === name && s.metadata?.namespace === ns);
    const ws = svc ? selected(svc.spec?.selector, ns) : [];
    if (ws.length === 0) return g.node(key('Service', ns, name), `EPP Service<br/>${name}`, 'hex');
    const w = ws[0];
    const id = g.node(key(w.o.kind, ns, w.o.metadata?.name), `EPP<br/>${w.o.metadata?.name}`, 'hex');
    // The tokenizer of precise prefix-cache routing: the workload of the same service with the tokenizer labels.
    const tokenizerLabels = WiringLabels.tokenizer(String(w.labels[0]?.[LabelKeys.NAME]));
    for (const t of workloads.filter((x) => x.o.metadata?.namespace === ns && x.labels.some((l) => matches(tokenizerLabels, l)))) {
      g.edge(id, g.node(key(t.o.kind, ns, t.o.metadata?.name), `tokenizer<br/>${t.o.metadata?.name}`), 'tokenize', true);
    }
    const standalone = podGroups(w.o)
      .some((p) => (p.template?.spec?.containers ?? []).some((c: K8sObject) => c?.name === STANDALONE_PROXY_CONTAINER));
    if (standalone) g.edge(g.node('client', 'client', 'stadium'), id, `Envoy in the EPP pod, ${name}:${Ports.STANDALONE_SERVICE}`);
    return id;
  };

  for (const o of objects) {
    if (o?.kind === 'Gateway') g.node(key('Gateway', o.metadata?.namespace, o.metadata?.name), `Gateway<br/>${o.metadata?.name}<br/>class ${o.spec?.gatewayClassName}`, 'stadium');
  }
  const pools = objects.filter((o) => o?.kind === 'InferencePool' && POOL_GROUPS.includes(String(o.apiVersion).slice(0, String(o.apiVersion).lastIndexOf('/'))));
  const poolNode = (o: K8sObject) => g.node(key('InferencePool', o.metadata?.namespace, o.metadata?.name), `InferencePool<br/>${o.metadata?.name}`, 'sub');

  for (const route of objects.filter((o) => o?.kind === 'HTTPRoute' || o?.kind === 'GRPCRoute')) {
    const ns = route.metadata?.namespace;
    const r = g.node(key(route.kind, ns, route.metadata?.name), `${route.kind}<br/>${route.metadata?.name}`, 'round');
    for (const p of route.spec?.parentRefs ?? []) {
      if ((p?.kind ?? 'Gateway') !== 'Gateway') continue;
      const gk = key('Gateway', p.namespace ?? ns, p.name);
      const gw = g.has(gk) ? g.node(gk, '') : g.node(gk, `Gateway<br/>${p.namespace ?? ns}/${p.name}<br/>(existing)`, 'stadium');
      g.edge(gw, r);
    }
    for (const rule of route.spec?.rules ?? []) {
      for (const b of rule?.backendRefs ?? []) {
        const bns = b?.namespace ?? ns;
        if (b?.kind === 'InferencePool') {
          const pool = pools.find((p) => p.metadata?.name === b.name && p.metadata?.namespace === bns);
          g.edge(r, pool ? poolNode(pool) : g.node(key('InferencePool', bns, b.name), `InferencePool<br/>${b.name}`, 'sub'));
        } else if ((b?.kind ?? 'Service') === 'Service') {
          const svc = services.find((s) => s.metadata?.name === b.name && s.metadata?.namespace === bns);
          const s = g.node(key('Service', bns, b.name), `Service<br/>${b.name}`, 'round');
          g.edge(r, s);
          for (const w of selected(svc?.spec?.selector, bns)) g.edge(s, workloadNode(w));
        }
      }
    }
  }
  for (const pool of pools) {
    const ns = pool.metadata?.namespace;
    const p = poolNode(pool);
    const epp = pool.spec?.endpointPickerRef?.name ?? pool.spec?.extensionRef?.name;
    if (typeof epp === 'string') g.edge(p, eppNode(epp, ns), 'endpoint picker', true);
    const selector = pool.spec?.selector?.matchLabels ?? pool.spec?.selector;
    const members = selected(selector, ns);
    for (const w of members) g.edge(p, workloadNode(w));
    const prefill = members.filter((w) => w.role === ServingRole.PREFILL.value);
    for (const w of members.filter((m) => m.sidecar)) {
      for (const pf of prefill) g.edge(workloadNode(w), workloadNode(pf), 'sidecar: prefill', true);
    }
  }
  for (const w of workloads) {
    if (w.role !== undefined) workloadNode(w);
  }
  return g.render();
}
