/** Workloads of synthesized manifests: pods, accelerators, CPU, memory and /dev/shm per pod, as the scheduler counts them. */
import { WorkloadCapacity, WorkloadPlan } from './types';
import { formatBytes, parseQuantity } from '../internal/quantity';
import { EPP_CONTAINER } from '../routing/endpoint-picker';
import { ROUTING_SIDECAR_CONTAINER } from '../serving/routing-sidecar';
import { Versions } from '../versions';
import { AnnotationKeys, LabelKeys, WiringLabels } from '../wiring/labels';

/** A Kubernetes object as read from YAML. @internal */
export type K8sObject = Record<string, any>;

const SHM_PATH = '/dev/shm';
const STANDARD_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage', 'pods', 'storage']);
const SCHEDULER_COMPONENT = WiringLabels.scheduler('-')[LabelKeys.COMPONENT];
const TOKENIZER_COMPONENT = WiringLabels.tokenizer('-')[LabelKeys.COMPONENT];
const LWS_API = Versions.LEADER_WORKER_SET_API;

/** A pod template of a workload with the number of pods of one replica that use it. @internal */
export interface PodGroup {
  readonly template: K8sObject;
  readonly count: number;
}

/** `Kind namespace/name` (or `Kind name`). @internal */
export function describe(o: K8sObject): string {
  const ns = o?.metadata?.namespace;
  return `${o?.kind} ${ns ? `${ns}/` : ''}${o?.metadata?.name}`;
}

/** The pod templates of a workload object (leader and workers of a LeaderWorkerSet); empty for other objects. @internal */
export function podGroups(o: K8sObject): PodGroup[] {
  if (o?.apiVersion === LWS_API && o.kind === 'LeaderWorkerSet') {
    const t = o.spec?.leaderWorkerTemplate ?? {};
    const size = typeof t.size === 'number' ? t.size : 1;
    if (!t.workerTemplate) return [];
    if (t.leaderTemplate) return [{ template: t.leaderTemplate, count: 1 }, ...(size > 1 ? [{ template: t.workerTemplate, count: size - 1 }] : [])];
    return [{ template: t.workerTemplate, count: size }];
  }
  if (o?.apiVersion === 'apps/v1' && (o.kind === 'Deployment' || o.kind === 'StatefulSet') && o.spec?.template) {
    return [{ template: o.spec.template, count: 1 }];
  }
  return [];
}

/** Whether `labels` has every pair of `selector`. @internal */
export function matches(selector: Record<string, unknown> | undefined, labels: Record<string, unknown> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/** The containers of a pod spec that run alongside the app (regular containers and native sidecars). */
function runningContainers(spec: K8sObject): K8sObject[] {
  const init = Array.isArray(spec?.initContainers) ? spec.initContainers : [];
  const main = Array.isArray(spec?.containers) ? spec.containers : [];
  return [...main, ...init.filter((c: K8sObject) => c?.restartPolicy === 'Always')];
}

/** A container's request of `resource` (its limit when only that is set, as the API server defaults it). */
function request(c: K8sObject, resource: string): number {
  return parseQuantity(c?.resources?.requests?.[resource]) ?? parseQuantity(c?.resources?.limits?.[resource]) ?? 0;
}

/**
 * The pod's effective request of `resource`: the larger of the running containers' sum and, for each init container,
 * its own request plus the native sidecars started before it.
 * @internal
 */
export function podRequest(spec: K8sObject, resource: string): number {
  const running = runningContainers(spec).reduce((n, c) => n + request(c, resource), 0);
  let sidecars = 0;
  let peak = 0;
  for (const c of Array.isArray(spec?.initContainers) ? spec.initContainers : []) {
    if (c?.restartPolicy === 'Always') sidecars += request(c, resource);
    else peak = Math.max(peak, sidecars + request(c, resource));
  }
  return Math.max(running, peak);
}

/** Extended resources the pod requests (name → count), without hugepages. */
function extendedResources(spec: K8sObject): Map<string, number> {
  const names = new Set<string>();
  for (const c of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) {
    for (const r of Object.keys({ ...c?.resources?.requests, ...c?.resources?.limits })) {
      if (!STANDARD_RESOURCES.has(r) && !r.startsWith('hugepages-') && r.includes('/')) names.add(r);
    }
  }
  return new Map([...names].sort().map((r) => [r, podRequest(spec, r)]));
}

function isRdma(resource: string): boolean {
  return resource.startsWith('rdma/') || /rdma/i.test(resource);
}

function shmSize(spec: K8sObject): string | undefined {
  const mounted = new Set<string>();
  for (const c of runningContainers(spec)) {
    for (const m of c?.volumeMounts ?? []) if (m?.mountPath === SHM_PATH) mounted.add(m.name);
  }
  const volume = (spec?.volumes ?? []).find((v: K8sObject) => mounted.has(v?.name) && v?.emptyDir?.medium === 'Memory');
  if (!volume) return undefined;
  const limit = volume.emptyDir.sizeLimit;
  const bytes = parseQuantity(limit);
  return bytes === undefined ? (limit === undefined ? 'unbounded' : String(limit)) : formatBytes(bytes);
}

function roleOf(template: K8sObject): string {
  const labels = template?.metadata?.labels ?? {};
  if (typeof labels[LabelKeys.ROLE] === 'string') return labels[LabelKeys.ROLE];
  if (labels[LabelKeys.COMPONENT] === SCHEDULER_COMPONENT) return 'scheduler';
  if (labels[LabelKeys.COMPONENT] === TOKENIZER_COMPONENT) return 'tokenizer';
  if ((template?.spec?.containers ?? []).some((c: K8sObject) => c?.name === EPP_CONTAINER)) return 'scheduler';
  return 'other';
}

/** Whether a pod template runs the routing sidecar. @internal */
export function hasRoutingSidecar(template: K8sObject): boolean {
  const containers: K8sObject[] = [...(template?.spec?.containers ?? []), ...(template?.spec?.initContainers ?? [])];
  return containers.some((c) => c?.name === ROUTING_SIDECAR_CONTAINER);
}

interface Scaling {
  readonly kind: string;
  readonly min: number;
  readonly max: number;
}

/** The autoscalers of the objects by the `Kind/name` of their target. */
function autoscalers(objects: readonly K8sObject[]): Map<string, Scaling> {
  const out = new Map<string, Scaling>();
  for (const o of objects) {
    const ns = o?.metadata?.namespace ?? '';
    const target = o?.spec?.scaleTargetRef;
    if (!target?.name) continue;
    if (o.kind === 'HorizontalPodAutoscaler' && String(o.apiVersion).startsWith('autoscaling/')) {
      out.set(`${ns}/${target.kind}/${target.name}`, { kind: o.kind, min: o.spec.minReplicas ?? 1, max: o.spec.maxReplicas ?? 1 });
    } else if (o.kind === 'ScaledObject' && o.apiVersion === Versions.KEDA_SCALED_OBJECT_API) {
      const min = o.spec.idleReplicaCount ?? o.spec.minReplicaCount ?? 0;
      out.set(`${ns}/${target.kind ?? 'Deployment'}/${target.name}`, { kind: o.kind, min, max: o.spec.maxReplicaCount ?? 100 });
    }
  }
  return out;
}

/** One {@link WorkloadPlan} per workload object, in the order of the objects. @internal */
export function planWorkloads(objects: readonly K8sObject[]): WorkloadPlan[] {
  const scaling = autoscalers(objects);
  const out: WorkloadPlan[] = [];
  for (const o of objects) {
    const groups = podGroups(o);
    if (groups.length === 0) continue;
    const main = groups[groups.length - 1].template;
    const replicas = typeof o.spec?.replicas === 'number' ? o.spec.replicas : 1;
    const podsPerReplica = groups.reduce((n, g) => n + g.count, 0);
    const perGroup = (f: (spec: K8sObject) => number) => groups.reduce((n, g) => n + g.count * f(g.template.spec ?? {}), 0);
    const extended = extendedResources(main.spec ?? {});
    const accelerator = [...extended.keys()].find((r) => !isRdma(r));
    const rdma = [...extended.keys()].find(isRdma);
    const acceleratorsPerReplica = accelerator ? perGroup((s) => podRequest(s, accelerator)) : 0;
    const cpuPerReplica = perGroup((s) => podRequest(s, 'cpu') * 1000);
    const memoryPerReplica = perGroup((s) => podRequest(s, 'memory'));
    const scaler = scaling.get(`${o.metadata?.namespace ?? ''}/${o.kind}/${o.metadata?.name}`);
    const networks = main.metadata?.annotations?.[AnnotationKeys.MULTUS_NETWORKS];
    out.push({
      kind: o.kind,
      name: o.metadata?.name,
      namespace: o.metadata?.namespace,
      role: roleOf(main),
      replicas,
      minReplicas: scaler?.min,
      maxReplicas: scaler?.max,
      autoscaler: scaler?.kind,
      podsPerReplica,
      pods: replicas * podsPerReplica,
      acceleratorResource: accelerator,
      acceleratorsPerPod: accelerator ? extended.get(accelerator)! : 0,
      acceleratorsPerReplica,
      accelerators: replicas * acceleratorsPerReplica,
      maxAccelerators: scaler ? scaler.max * acceleratorsPerReplica : undefined,
      cpuMillisPerPod: Math.round(podRequest(main.spec ?? {}, 'cpu') * 1000),
      memoryBytesPerPod: podRequest(main.spec ?? {}, 'memory'),
      cpuMillis: Math.round(replicas * cpuPerReplica),
      memoryBytes: replicas * memoryPerReplica,
      shmSize: shmSize(main.spec ?? {}),
      rdmaResource: rdma,
      rdmaPerPod: rdma ? extended.get(rdma)! : 0,
      networks: typeof networks === 'string' && networks !== '' ? networks : undefined,
      routingSidecar: groups.some((g) => hasRoutingSidecar(g.template)),
      capacity: capacityOf(o, main, replicas),
    });
  }
  return out;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The startup probe budget of a pod template's first container with one. */
function startupSeconds(template: K8sObject): number | undefined {
  const probe = (template?.spec?.containers ?? []).map((c: K8sObject) => c?.startupProbe).find((p: K8sObject | undefined) => p);
  if (!probe) return undefined;
  return (num(probe.initialDelaySeconds) ?? 0) + (num(probe.periodSeconds) ?? 10) * (num(probe.failureThreshold) ?? 3);
}

/** The capacity annotation of a workload (unparseable JSON or a missing model: none). */
function capacityOf(o: K8sObject, main: K8sObject, replicas: number): WorkloadCapacity | undefined {
  const raw = o.metadata?.annotations?.[AnnotationKeys.CAPACITY];
  if (typeof raw !== 'string') return undefined;
  let c: K8sObject;
  try {
    c = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof c?.model !== 'string') return undefined;
  const data = num(c.data) ?? 1;
  const perEngine = num(c.maxConcurrency);
  return {
    model: c.model,
    acceleratorType: typeof c.accelerator === 'string' ? c.accelerator : undefined,
    acceleratorMemoryGib: num(c.memoryGib),
    gpuMemoryUtilization: num(c.gpuMemoryUtilization) ?? 0,
    tensor: num(c.tensor) ?? 1,
    pipeline: num(c.pipeline) ?? 1,
    data,
    expert: c.expert === true,
    weightsGibPerGpu: num(c.weightsGibPerGpu) ?? 0,
    kvBytesPerToken: num(c.kvBytesPerToken) ?? 0,
    maxModelLen: num(c.maxModelLen) ?? 0,
    kvCacheGibPerGpu: num(c.kvCacheGibPerGpu),
    kvCacheTokens: num(c.kvCacheTokens),
    maxConcurrency: perEngine,
    maxConcurrencyTotal: perEngine === undefined ? undefined : perEngine * data * replicas,
    startupSeconds: startupSeconds(main) ?? num(c.startupSeconds),
    warnings: Array.isArray(c.warnings) ? c.warnings.filter((w: unknown): w is string => typeof w === 'string') : [],
  };
}
