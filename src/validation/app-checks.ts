/**
 * Checks over a whole set of manifests (an app, a directory of YAML): objects that would overwrite each other in
 * the cluster, and HTTPRoutes that match the same requests on one Gateway. They work on plain JSON objects, so the
 * synth-time validation and the CLI's `validate` share them.
 */

/** Kinds that are not namespaced (Kubernetes 1.35 and the CRDs the library knows). @internal */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition',
  'StorageClass', 'CSIDriver', 'CSINode', 'VolumeAttachment', 'PriorityClass', 'RuntimeClass', 'IngressClass',
  'GatewayClass', 'APIService', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding',
  'CertificateSigningRequest', 'FlowSchema', 'PriorityLevelConfiguration', 'ComponentStatus', 'IPAddress', 'ServiceCIDR',
  'DeviceClass', 'ResourceSlice', 'ClusterTrustBundle', 'SelfSubjectReview', 'TokenReview', 'SubjectAccessReview',
  'SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'StorageVersion', 'StorageVersionMigration', 'VolumeAttributesClass',
  'ClusterTriggerAuthentication', 'ClusterIssuer',
]);

/** Stands for the other object's origin (its construct path, or its file) in {@link AppProblem.problem}. @internal */
export const OTHER = '\u0000other\u0000';

/** One problem found across objects: `index` is the object at fault, `other` the one it clashes with. @internal */
export interface AppProblem {
  readonly index: number;
  readonly other: number;
  /** JSON pointer of the clashing part of `index` (`/metadata/name`, `/spec/rules/0/matches/0`). */
  readonly pointer: string;
  /** The clashing value (default: the value at `pointer`). */
  readonly value?: unknown;
  /** What is wrong; {@link OTHER} marks where the other object is named. */
  readonly problem: string;
  readonly fix: string;
}

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function groupOf(apiVersion: unknown): string {
  const v = typeof apiVersion === 'string' ? apiVersion : '';
  return v.includes('/') ? v.slice(0, v.indexOf('/')) : '';
}

/** `Kind ns/name` (cluster-scoped: `Kind name`) as shown in messages. @internal */
export function describeObject(o: any): string {
  const kind = isObject(o) && typeof o.kind === 'string' ? o.kind : '<no kind>';
  const name = isObject(o) && isObject(o.metadata) && typeof o.metadata.name === 'string' ? o.metadata.name : '<unnamed>';
  const ns = isObject(o) && isObject(o.metadata) && typeof o.metadata.namespace === 'string' ? o.metadata.namespace : undefined;
  return CLUSTER_SCOPED_KINDS.has(kind) || ns === undefined ? `${kind} ${name}` : `${kind} ${ns}/${name}`;
}

/**
 * Objects with the same API group, kind, namespace and name: the second overwrites the first in the cluster
 * (`kubectl apply` keeps the last one). A cluster-scoped object's namespace does not count, so two namespaces whose
 * qualified names meet (`team-a` + `qwen` and `team` + `a-qwen`) are found too.
 * @internal
 */
export function findDuplicateObjects(objs: readonly unknown[]): AppProblem[] {
  const first = new Map<string, number>();
  const out: AppProblem[] = [];
  objs.forEach((o, i) => {
    if (!isObject(o) || typeof o.kind !== 'string' || !isObject(o.metadata) || typeof o.metadata.name !== 'string') return;
    const clusterScoped = CLUSTER_SCOPED_KINDS.has(o.kind);
    const ns = clusterScoped ? '' : (typeof o.metadata.namespace === 'string' ? o.metadata.namespace : '');
    const key = `${groupOf(o.apiVersion)}\0${o.kind}\0${ns}\0${o.metadata.name}`;
    const j = first.get(key);
    if (j === undefined) {
      first.set(key, i);
      return;
    }
    out.push({
      index: i,
      other: j,
      pointer: '/metadata/name',
      problem: `is the name of the ${clusterScoped ? 'cluster-scoped ' : ''}${describeObject(o)}, which ${OTHER} also synthesizes `
        + '(one would overwrite the other in the cluster)',
      fix: clusterScoped
        ? 'give the services names that stay distinct once their namespace is prefixed (cluster-scoped names are namespace-name-suffix)'
        : 'give one of the two constructs another name or namespace',
    });
  });
  return out;
}

interface RouteParent { readonly ns: string; readonly name: string; readonly section?: string }

/** The requests one HTTPRoute rule match takes, as a comparable signature. */
function matchSignature(m: any): string {
  const path = isObject(m?.path) ? m.path : { type: 'PathPrefix', value: '/' };
  const type = typeof path.type === 'string' ? path.type : 'PathPrefix';
  let value = typeof path.value === 'string' ? path.value : '/';
  // prefix matching ignores a trailing slash
  if (type === 'PathPrefix' && value.length > 1 && value.endsWith('/')) value = value.slice(0, -1);
  const headers = (Array.isArray(m?.headers) ? m.headers : [])
    .map((h: any) => `${h?.type ?? 'Exact'}:${String(h?.name ?? '').toLowerCase()}=${h?.value}`).sort();
  const query = (Array.isArray(m?.queryParams) ? m.queryParams : [])
    .map((q: any) => `${q?.type ?? 'Exact'}:${q?.name}=${q?.value}`).sort();
  return JSON.stringify([type, value, m?.method ?? '', headers, query]);
}

function hostnamesOverlap(a: string[], b: string[]): string | undefined {
  if (a.length === 0 && b.length === 0) return 'every hostname';
  if (a.length === 0) return b[0];
  if (b.length === 0) return a[0];
  const covers = (w: string, h: string) => w === h || (w.startsWith('*.') && h.endsWith(w.slice(1)));
  for (const x of a) for (const y of b) if (covers(x, y) || covers(y, x)) return x.length >= y.length ? x : y;
  return undefined;
}

/**
 * HTTPRoutes on one Gateway (and overlapping listeners and hostnames) with a rule match that is the same request
 * set: the Gateway serves only the oldest route for it, so the other backend is unreachable.
 * @internal
 */
export function findRouteCollisions(objs: readonly unknown[]): AppProblem[] {
  interface Entry { index: number; parents: RouteParent[]; hostnames: string[]; matches: Array<{ sig: string; pointer: string; shown: string }> }
  const routes: Entry[] = [];
  objs.forEach((o, index) => {
    if (!isObject(o) || o.kind !== 'HTTPRoute' || groupOf(o.apiVersion) !== 'gateway.networking.k8s.io' || !isObject(o.spec)) return;
    const routeNs = isObject(o.metadata) && typeof o.metadata.namespace === 'string' ? o.metadata.namespace : '';
    const parents = (Array.isArray(o.spec.parentRefs) ? o.spec.parentRefs : [])
      .filter((p: any) => isObject(p) && typeof p.name === 'string' && (p.kind ?? 'Gateway') === 'Gateway')
      .map((p: any) => ({ ns: typeof p.namespace === 'string' ? p.namespace : routeNs, name: p.name, section: typeof p.sectionName === 'string' ? p.sectionName : undefined }));
    const hostnames = (Array.isArray(o.spec.hostnames) ? o.spec.hostnames : []).filter((h: unknown): h is string => typeof h === 'string');
    const matches: Entry['matches'] = [];
    (Array.isArray(o.spec.rules) ? o.spec.rules : []).forEach((r: any, ri: number) => {
      const ms = Array.isArray(r?.matches) && r.matches.length ? r.matches : [{}];
      ms.forEach((m: any, mi: number) => {
        const path = isObject(m?.path) ? m.path : {};
        const headers = Array.isArray(m?.headers) && m.headers.length ? ` with header ${m.headers.map((h: any) => `${h?.name}: ${h?.value}`).join(', ')}` : '';
        matches.push({ sig: matchSignature(m), pointer: `/spec/rules/${ri}/matches/${mi}`, shown: `${path.type ?? 'PathPrefix'} ${path.value ?? '/'}${headers}` });
      });
    });
    routes.push({ index, parents, hostnames, matches });
  });
  const out: AppProblem[] = [];
  for (let b = 1; b < routes.length; b++) {
    const rb = routes[b];
    let found = false;
    for (let a = 0; a < b && !found; a++) {
      const ra = routes[a];
      const gateway = rb.parents.find((p) => ra.parents.some((q) => q.ns === p.ns && q.name === p.name
        && (p.section === undefined || q.section === undefined || p.section === q.section)));
      if (!gateway) continue;
      const host = hostnamesOverlap(ra.hostnames, rb.hostnames);
      if (host === undefined) continue;
      const clash = rb.matches.find((m) => ra.matches.some((n) => n.sig === m.sig));
      if (!clash) continue;
      const gw = `${gateway.ns ? gateway.ns + '/' : ''}${gateway.name}`;
      out.push({
        index: rb.index,
        other: ra.index,
        pointer: clash.pointer,
        value: clash.shown,
        problem: `is also the match of ${describeObject(objs[ra.index])} of ${OTHER} on Gateway ${gw} (${host === 'every hostname' ? 'every hostname' : `hostname ${host}`}); `
          + 'the Gateway sends those requests to only one of them, so the other model is unreachable',
        fix: 'give one of the routes its own pathPrefix (with rewritePrefix, e.g. pathPrefix \'/llm/qwen\'), distinct hostnames or another Gateway',
      });
      found = true;
    }
  }
  return out;
}

/** Every app-wide problem of a set of objects, duplicates first. @internal */
export function findAppProblems(objs: readonly unknown[]): AppProblem[] {
  return [...findDuplicateObjects(objs), ...findRouteCollisions(objs)];
}
