/** The CRDs, controllers and pre-existing objects synthesized manifests depend on. */
import { ControllerRequirement, CrdRequirement, ExternalReference, WorkloadPlan } from './types';
import { describe, K8sObject, podGroups } from './workloads';
import { Versions } from '../versions';
import { AnnotationKeys, LabelKeys } from '../wiring/labels';

/** API groups the API server serves without a CRD. */
const BUILT_IN_GROUPS = new Set([
  '', 'apps', 'batch', 'autoscaling', 'policy', 'rbac.authorization.k8s.io', 'networking.k8s.io', 'scheduling.k8s.io',
  'storage.k8s.io', 'coordination.k8s.io', 'admissionregistration.k8s.io', 'apiextensions.k8s.io', 'discovery.k8s.io',
  'node.k8s.io', 'resource.k8s.io', 'certificates.k8s.io', 'events.k8s.io', 'flowcontrol.apiserver.k8s.io',
]);

function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';
}

function versionOf(apiVersion: string): string {
  return apiVersion.slice(apiVersion.lastIndexOf('/') + 1);
}

/** Where the CRDs of a group come from. */
function crdSource(group: string): string {
  switch (group) {
    case groupOf(Versions.GATEWAY_API_VERSION):
      return `Gateway API ${Versions.GATEWAY_API} standard CRDs (Prerequisites gatewayApi), or the Gateway implementation's bundle`;
    case groupOf(Versions.INFERENCE_POOL_API):
      return `Gateway API Inference Extension ${Versions.GATEWAY_API_INFERENCE_EXTENSION} (Prerequisites inferencePool)`;
    case groupOf(Versions.INFERENCE_POOL_LEGACY_API):
      return 'Gateway API Inference Extension v1alpha2 InferencePool (Prerequisites legacyInferencePool)';
    case groupOf(Versions.LLM_D_OBJECTIVE_API):
      return `llm-d router ${Versions.LLM_D_ROUTER} (Prerequisites llmdObjectives)`;
    case groupOf(Versions.LEADER_WORKER_SET_API):
      return `LeaderWorkerSet ${Versions.LEADER_WORKER_SET} (Prerequisites leaderWorkerSet, or the LWS release manifest)`;
    case groupOf(Versions.KEDA_SCALED_OBJECT_API):
      return 'KEDA 2.x (installed with KEDA)';
    case groupOf(Versions.VARIANT_AUTOSCALING_API):
      return 'llm-d Workload Variant Autoscaler (installed with its chart)';
    case 'monitoring.coreos.com':
      return 'prometheus-operator (installed with it, e.g. kube-prometheus-stack)';
    case 'monitoring.googleapis.com':
      return 'GKE Managed Service for Prometheus (enabled on the cluster)';
    case 'networking.istio.io':
    case 'security.istio.io':
      return 'Istio (installed with it)';
    case 'networking.gke.io':
      return 'GKE Gateway controller (enabled on the cluster)';
    default:
      return `the CRDs of ${group}`;
  }
}

/** One entry per non-built-in API group of the objects, sorted by group. @internal */
export function crdRequirements(objects: readonly K8sObject[]): CrdRequirement[] {
  const groups = new Map<string, { versions: Set<string>; kinds: Set<string> }>();
  for (const o of objects) {
    if (typeof o?.apiVersion !== 'string' || typeof o?.kind !== 'string') continue;
    const group = groupOf(o.apiVersion);
    if (BUILT_IN_GROUPS.has(group)) continue;
    const g = groups.get(group) ?? { versions: new Set(), kinds: new Set() };
    g.versions.add(versionOf(o.apiVersion));
    g.kinds.add(o.kind);
    groups.set(group, g);
  }
  // Custom resources a controller of the manifests (the EPP) watches: their CRDs must exist for its informers to start.
  const watched = new Map<string, { resources: Set<string>; by: string[] }>();
  for (const o of objects) {
    if ((o?.kind !== 'Role' && o?.kind !== 'ClusterRole') || groupOf(String(o.apiVersion)) !== 'rbac.authorization.k8s.io') continue;
    for (const rule of o.rules ?? []) {
      if (!(rule?.verbs ?? []).includes('watch')) continue;
      for (const group of rule.apiGroups ?? []) {
        if (typeof group !== 'string' || BUILT_IN_GROUPS.has(group) || groups.has(group) || group === '*') continue;
        const w = watched.get(group) ?? { resources: new Set(), by: [] };
        for (const r of rule.resources ?? []) if (typeof r === 'string' && !r.includes('/')) w.resources.add(r);
        if (!w.by.includes(describe(o))) w.by.push(describe(o));
        watched.set(group, w);
      }
    }
  }
  return [
    ...[...groups.entries()].map(([group, g]) => ({ group, versions: [...g.versions].sort(), kinds: [...g.kinds].sort(), source: crdSource(group) })),
    ...[...watched.entries()].map(([group, w]) => ({
      group, versions: [], kinds: [...w.resources].sort(), source: `${crdSource(group)}; watched under ${w.by.join(', ')}, so its informers need the CRDs`,
    })),
  ].sort((a, b) => a.group.localeCompare(b.group));
}

/** The Gateway implementation behind a `gatewayClassName`. */
function gatewayImplementation(className: string): string {
  if (className === 'istio') return 'Istio';
  if (className.startsWith('gke-')) return 'GKE Gateway controller';
  if (className === 'kgateway') return 'kgateway';
  if (className === 'agentgateway') return 'agentgateway';
  if (className === 'envoy-gateway' || className === 'eg') return 'Envoy Gateway';
  return 'a Gateway implementation';
}

const DEVICE_PLUGINS: Record<string, string> = {
  'nvidia.com/gpu': 'NVIDIA device plugin (or the GPU Operator)',
  'amd.com/gpu': 'AMD GPU device plugin (or the AMD GPU Operator)',
  'google.com/tpu': 'GKE TPU node pool (TPU device plugin)',
  'habana.ai/gaudi': 'Intel Gaudi device plugin',
};

/** Controllers and device plugins the objects need, in a stable order. @internal */
export function controllerRequirements(objects: readonly K8sObject[], workloads: readonly WorkloadPlan[]): ControllerRequirement[] {
  const out = new Map<string, { reason: string; objects: string[] }>();
  const need = (name: string, reason: string, o: string) => {
    const r = out.get(name) ?? { reason, objects: [] };
    if (!r.objects.includes(o)) r.objects.push(o);
    out.set(name, r);
  };
  const gateways = new Set(objects.filter((o) => o?.kind === 'Gateway').map((o) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name}`));
  for (const o of objects) {
    const group = typeof o?.apiVersion === 'string' ? groupOf(o.apiVersion) : '';
    const what = describe(o);
    if (o?.kind === 'Gateway' && group === groupOf(Versions.GATEWAY_API_VERSION)) {
      const cls = String(o.spec?.gatewayClassName);
      need(`${gatewayImplementation(cls)} (GatewayClass ${cls})`, 'serves the Gateway; it must support InferencePool backends', what);
    } else if (o?.kind === 'HTTPRoute') {
      for (const p of o.spec?.parentRefs ?? []) {
        if ((p?.kind ?? 'Gateway') !== 'Gateway') continue;
        const ns = p.namespace ?? o.metadata?.namespace ?? '';
        if (!gateways.has(`${ns}/${p.name}`)) {
          need(`the Gateway ${ns ? `${ns}/` : ''}${p.name} and its implementation`, 'the route attaches to a Gateway these manifests do not create', what);
        }
      }
    } else if (o?.kind === 'LeaderWorkerSet') {
      need(`LeaderWorkerSet controller ${Versions.LEADER_WORKER_SET}`, 'creates the pods of each group', what);
    } else if (o?.kind === 'ScaledObject' && group === groupOf(Versions.KEDA_SCALED_OBJECT_API)) {
      need('KEDA 2.x (operator and metrics API server)', 'drives the ScaledObject and its HPA', what);
    } else if (o?.kind === 'VariantAutoscaling') {
      need('llm-d Workload Variant Autoscaler', 'computes the desired replicas of each variant', what);
    } else if (o?.kind === 'HorizontalPodAutoscaler') {
      const custom = (o.spec?.metrics ?? []).some((m: K8sObject) => m?.type === 'Pods' || m?.type === 'External' || m?.type === 'Object');
      if (custom) need('a custom or external metrics adapter (e.g. prometheus-adapter, KEDA)', 'serves the HPA\'s pod or external metrics', what);
      else need('metrics-server', 'serves the HPA\'s resource metrics', what);
    } else if (group === 'monitoring.coreos.com') {
      need('prometheus-operator', `scrapes through the ${o.kind}`, what);
    } else if (group === 'monitoring.googleapis.com') {
      need('GKE Managed Service for Prometheus', `scrapes through the ${o.kind}`, what);
    } else if (group === 'networking.istio.io') {
      need('Istio', `applies the ${o.kind}`, what);
    } else if (o?.kind === 'NetworkPolicy') {
      need('a CNI plugin that enforces NetworkPolicy (Calico, Cilium, …)', 'without one the policies are ignored', what);
    }
    for (const g of podGroups(o)) {
      const queue = o.metadata?.labels?.[LabelKeys.KUEUE_QUEUE_NAME] ?? g.template?.metadata?.labels?.[LabelKeys.KUEUE_QUEUE_NAME];
      if (queue) need(`Kueue (LocalQueue ${queue})`, 'admits the workload', what);
    }
  }
  for (const w of workloads) {
    const what = `${w.kind} ${w.namespace ? `${w.namespace}/` : ''}${w.name}`;
    if (w.acceleratorResource) need(DEVICE_PLUGINS[w.acceleratorResource] ?? `a device plugin for ${w.acceleratorResource}`, `advertises ${w.acceleratorResource} on the nodes`, what);
    if (w.rdmaResource) need(`an RDMA device plugin for ${w.rdmaResource}`, `advertises ${w.rdmaResource} on the nodes`, what);
    if (w.networks) need(`Multus with the NetworkAttachmentDefinitions ${w.networks}`, `attaches the pods to the networks of their ${AnnotationKeys.MULTUS_NETWORKS} annotation`, what);
  }
  return [...out.entries()].map(([name, r]) => ({ name, reason: r.reason, objects: r.objects }));
}

/** Objects the manifests reference by name and do not contain. @internal */
export function externalReferences(objects: readonly K8sObject[]): ExternalReference[] {
  const present = new Set(objects.map((o) => `${o?.kind}/${o?.metadata?.namespace ?? ''}/${o?.metadata?.name}`));
  const hasNs = new Set(objects.filter((o) => o?.kind === 'Namespace').map((o) => o.metadata?.name));
  const out = new Map<string, ExternalReference & { referencedBy: string[] }>();
  const ref = (kind: string, name: unknown, namespace: string | undefined, by: string) => {
    if (typeof name !== 'string' || name === '') return;
    if (kind === 'Namespace' ? hasNs.has(name) : present.has(`${kind}/${namespace ?? ''}/${name}`)) return;
    const key = `${kind}/${namespace ?? ''}/${name}`;
    const r = out.get(key) ?? { kind, name, namespace, referencedBy: [] };
    if (!r.referencedBy.includes(by)) r.referencedBy.push(by);
    out.set(key, r);
  };
  for (const o of objects) {
    const ns: string | undefined = o?.metadata?.namespace;
    const by = describe(o);
    if (ns && ns !== 'default') ref('Namespace', ns, undefined, by);
    for (const g of podGroups(o)) {
      const spec = g.template?.spec ?? {};
      for (const v of spec.volumes ?? []) {
        ref('PersistentVolumeClaim', v?.persistentVolumeClaim?.claimName, ns, by);
        ref('Secret', v?.secret?.secretName, ns, by);
        ref('ConfigMap', v?.configMap?.name, ns, by);
      }
      for (const s of spec.imagePullSecrets ?? []) ref('Secret', s?.name, ns, by);
      for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
        for (const e of c?.env ?? []) {
          if (e?.valueFrom?.secretKeyRef?.optional !== true) ref('Secret', e?.valueFrom?.secretKeyRef?.name, ns, by);
          if (e?.valueFrom?.configMapKeyRef?.optional !== true) ref('ConfigMap', e?.valueFrom?.configMapKeyRef?.name, ns, by);
        }
        for (const f of c?.envFrom ?? []) {
          if (f?.secretRef?.optional !== true) ref('Secret', f?.secretRef?.name, ns, by);
          if (f?.configMapRef?.optional !== true) ref('ConfigMap', f?.configMapRef?.name, ns, by);
        }
      }
      if (spec.serviceAccountName && spec.serviceAccountName !== 'default') ref('ServiceAccount', spec.serviceAccountName, ns, by);
      if (spec.priorityClassName) ref('PriorityClass', spec.priorityClassName, undefined, by);
    }
    if (o?.kind === 'HTTPRoute') {
      for (const p of o.spec?.parentRefs ?? []) if ((p?.kind ?? 'Gateway') === 'Gateway') ref('Gateway', p?.name, p?.namespace ?? ns, by);
    }
  }
  return [...out.values()].sort((a, b) => `${a.kind}/${a.namespace}/${a.name}`.localeCompare(`${b.kind}/${b.namespace}/${b.name}`));
}
