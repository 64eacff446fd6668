import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { PodKind } from './pod-builder';
import { RolePlan } from './role-plan';
import * as k8s from '../imports/k8s';
import { Versions } from '../versions';
import { LabelKeys, ServingRole, WiringLabels, workloadComponent } from '../wiring/labels';
import { ResourceNames } from '../wiring/names';
import { Ports } from '../wiring/ports';

/** The workload of one role: a Deployment, or a LeaderWorkerSet when a group spans pods. @internal */
export interface WrittenWorkload {
  readonly object: ApiObject;
  readonly apiVersion: string;
  readonly kind: 'Deployment' | 'LeaderWorkerSet';
  readonly name: string;
  /** Labels selecting exactly this workload's pods. */
  readonly podSelector: Record<string, string>;
  /** Labels selecting the pods of this workload that serve (leaders, or every pod). */
  readonly servingPodSelector: Record<string, string>;
}

/** Pod metadata the writer puts on every pod template of a role. @internal */
export interface PodMetadata {
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

/**
 * The wiring labels of a role's pod template of one kind — the one place they are derived. KServe's LeaderWorkerSet
 * labels (kserve-llmisvc.md §3.1): leaders carry the workload selector and the role; workers carry them only when
 * the group has no leader template.
 * @internal
 */
export function podTemplateLabels(serviceName: string, plan: Pick<RolePlan, 'spec'>, kind: PodKind, hasLeader: boolean): Record<string, string> {
  const role = plan.spec.role;
  switch (kind) {
    case PodKind.SERVING: return WiringLabels.servingPod(serviceName, workloadComponent(role, 'deployment'), role);
    case PodKind.LEADER: return WiringLabels.servingPod(serviceName, workloadComponent(role, 'leader'), role);
    case PodKind.WORKER: return hasLeader
      ? WiringLabels.component(serviceName, workloadComponent(role, 'worker'))
      : WiringLabels.servingPod(serviceName, workloadComponent(role, 'worker'), role);
  }
}

/**
 * Write a role's workload from its pod specs (one per pod kind). The one Deployment writer and the one
 * LeaderWorkerSet writer of the library: names, labels and selectors come from the wiring contract.
 * @internal
 */
export function writeWorkload(scope: Construct, id: string, input: {
  readonly serviceName: string;
  readonly namespace?: string;
  readonly plan: RolePlan;
  readonly pods: Map<PodKind, k8s.PodSpec>;
  readonly metadata: PodMetadata;
  /** Extra labels and annotations of the workload object itself (Kueue, LeaderWorkerSet placement, propagated metadata). */
  readonly workloadMetadata?: PodMetadata;
  /** Omit `spec.replicas` (an autoscaler owns it). */
  readonly autoscaled?: boolean;
}): WrittenWorkload {
  const { serviceName, namespace, plan } = input;
  const role = plan.spec.role;
  const names = ResourceNames.of(serviceName);
  const prefill = role === ServingRole.PREFILL;
  const replicas = input.autoscaled ? undefined : plan.replicas;
  const annotations = input.metadata.annotations && Object.keys(input.metadata.annotations).length ? input.metadata.annotations : undefined;
  const labelsWith = (wiring: Record<string, string>) => ({ ...input.metadata.labels, ...wiring });
  const wl = input.workloadMetadata ?? {};
  const workloadMeta = (wiring: Record<string, string>) => ({
    labels: { ...wl.labels, ...wiring },
    annotations: wl.annotations && Object.keys(wl.annotations).length ? wl.annotations : undefined,
  });

  const rollout = rolloutOf(plan);
  if (!plan.multiPod) {
    const wiringLabels = podTemplateLabels(serviceName, plan, PodKind.SERVING, false);
    const name = prefill ? names.prefillDeployment : names.mainDeployment;
    const spec: k8s.DeploymentSpec = {
      replicas,
      // KServe sets the strategy only when rolloutStrategy has a value (workload_single_node.go:522-537); the patterns
      // roll accelerator Deployments without surge by default.
      strategy: rollout ? { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: rollout.maxUnavailable, maxSurge: rollout.maxSurge } } : undefined,
      selector: { matchLabels: wiringLabels },
      template: { metadata: { labels: labelsWith(wiringLabels), annotations }, spec: input.pods.get(PodKind.SERVING)! },
    };
    const object = new ApiObject(scope, id, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace, ...workloadMeta(wiringLabels) },
      spec: k8s.toJson_DeploymentSpec(spec),
    });
    return { object, apiVersion: 'apps/v1', kind: 'Deployment', name, podSelector: wiringLabels, servingPodSelector: wiringLabels };
  }

  // The LWS metadata shares the workers' label map.
  const hasLeader = input.pods.has(PodKind.LEADER);
  const leaderLabels = podTemplateLabels(serviceName, plan, PodKind.LEADER, hasLeader);
  const workerLabels = podTemplateLabels(serviceName, plan, PodKind.WORKER, hasLeader);
  const template = (labels: Record<string, string>, spec: k8s.PodSpec) =>
    k8s.toJson_PodTemplateSpec({ metadata: { labels: labelsWith(labels), annotations }, spec });
  const name = prefill ? names.prefillLeaderWorkerSet : names.mainLeaderWorkerSet;
  const size = plan.parallelism.podsPerGroup;
  const object = new ApiObject(scope, id, {
    apiVersion: Versions.LEADER_WORKER_SET_API,
    kind: 'LeaderWorkerSet',
    metadata: { name, namespace, ...workloadMeta(workerLabels) },
    spec: {
      replicas,
      startupPolicy: 'LeaderCreated',
      // KServe: unset limits default to maxUnavailable 1, maxSurge 0 (workload_multi_node.go:674-693).
      rolloutStrategy: {
        type: 'RollingUpdate',
        rollingUpdateConfiguration: { maxUnavailable: rollout?.maxUnavailable?.value ?? 1, maxSurge: rollout?.maxSurge?.value ?? 0 },
      },
      leaderWorkerTemplate: {
        size,
        restartPolicy: 'RecreateGroupOnPodRestart',
        // KServe gives the prefill group a subGroupPolicy of the whole group (kserve-llmisvc.md §3.6).
        subGroupPolicy: prefill ? { subGroupSize: size } : undefined,
        leaderTemplate: hasLeader ? template(leaderLabels, input.pods.get(PodKind.LEADER)!) : undefined,
        workerTemplate: template(workerLabels, input.pods.get(PodKind.WORKER)!),
      },
    },
  });
  // Every pod of every group carries the LWS name label (set by the LWS controller).
  const podSelector = { [LabelKeys.LWS_NAME]: name };
  return {
    object,
    apiVersion: Versions.LEADER_WORKER_SET_API,
    kind: 'LeaderWorkerSet',
    name,
    podSelector,
    servingPodSelector: hasLeader ? leaderLabels : workerLabels,
  };
}

const INT_OR_PERCENT = /^(0|[1-9][0-9]*)%?$/;

/** The role's rolling-update limits as IntOrStrings (counts as integers, percentages as strings), validated. */
function rolloutOf(plan: RolePlan): { maxUnavailable?: k8s.IntOrString; maxSurge?: k8s.IntOrString } | undefined {
  const r = plan.spec.rolloutStrategy;
  if (r === undefined || (r.maxUnavailable === undefined && r.maxSurge === undefined)) {
    // A surge pod of a GPU workload needs accelerators beyond the ones the workload holds: it sits Pending (or
    // scales up a GPU node) while the rollout waits. Replace one pod at a time instead.
    const accelerators = plan.spec.engine.needsAccelerator && plan.spec.accelerator.isDevice && plan.parallelism.acceleratorsPerPod > 0;
    if (plan.spec.noSurgeOnAccelerators && accelerators && !plan.multiPod) {
      return { maxUnavailable: k8s.IntOrString.fromNumber(1), maxSurge: k8s.IntOrString.fromNumber(0) };
    }
    return undefined;
  }
  const field = plan.spec.rolloutField ?? 'rolloutStrategy';
  const parse = (key: 'maxUnavailable' | 'maxSurge'): k8s.IntOrString | undefined => {
    const v = r[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || !INT_OR_PERCENT.test(v)) {
      throw plan.ctx.error(`${field}.${key}`, v, 'must be a count or a percentage', "write e.g. '1' or '25%'");
    }
    // apps/v1 validation (ValidateRollingUpdateDeployment): maxUnavailable may not exceed 100%
    if (key === 'maxUnavailable' && v.endsWith('%') && Number(v.slice(0, -1)) > 100) {
      throw plan.ctx.error(`${field}.${key}`, v, 'is above 100% (Kubernetes rejects it)', "use at most '100%'");
    }
    return v.endsWith('%') ? k8s.IntOrString.fromString(v) : k8s.IntOrString.fromNumber(Number(v));
  };
  const out = { maxUnavailable: parse('maxUnavailable'), maxSurge: parse('maxSurge') };
  const zero = (v: k8s.IntOrString | undefined, d: number) => (v === undefined ? d === 0 : String(v.value).replace('%', '') === '0');
  // Kubernetes rejects a rolling update that may neither remove nor add a pod (Deployment defaults 25%/25%, LWS 1/0).
  if (zero(out.maxUnavailable, plan.multiPod ? 1 : 25) && zero(out.maxSurge, plan.multiPod ? 0 : 25)) {
    throw plan.ctx.error(field, `maxUnavailable ${r.maxUnavailable ?? 'default'} / maxSurge ${r.maxSurge ?? 'default'}`,
      'lets a rollout neither take a pod down nor add one, so it never progresses (Kubernetes rejects both 0)', "set maxUnavailable or maxSurge above 0, e.g. maxSurge: '1'");
  }
  return out;
}

/** The workload Service `N-kserve-workload-svc` selecting every serving pod on the serving port. @internal */
export function writeWorkloadService(scope: Construct, serviceName: string, namespace?: string, tls = false): ApiObject {
  // With TLS the port is `https` / appProtocol `https`, as the KServe controller names it.
  const portName = tls ? Ports.SERVING_TLS_NAME : Ports.SERVING_NAME;
  const spec: k8s.ServiceSpec = {
    type: 'ClusterIP',
    selector: WiringLabels.workloadSelector(serviceName),
    ports: [{ name: portName, protocol: 'TCP', appProtocol: portName, port: Ports.SERVING, targetPort: k8s.IntOrString.fromNumber(Ports.SERVING) }],
  };
  return new ApiObject(scope, 'Service', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: ResourceNames.of(serviceName).workloadService, namespace, labels: WiringLabels.workloadService(serviceName) },
    spec: k8s.toJson_ServiceSpec(spec),
  });
}
