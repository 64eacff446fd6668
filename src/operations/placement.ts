import * as k8s from '../imports/k8s';
import { FieldContext } from '../internal/context';
import { AnnotationKeys, LabelKeys } from '../wiring/labels';

/** How strongly replicas are spread over a topology domain (nodes, zones). */
export enum SpreadMode {
  /** No constraint. */
  NONE = 'none',
  /** Spread when possible (`whenUnsatisfiable: ScheduleAnyway`): never leaves a pod pending. */
  PREFERRED = 'preferred',
  /** Spread or stay pending (`whenUnsatisfiable: DoNotSchedule`). */
  REQUIRED = 'required',
}

/** Where and how the serving pods are scheduled. */
export interface PlacementOptions {
  /**
   * Spread the replicas (Deployment pods, LeaderWorkerSet leaders) over nodes (`kubernetes.io/hostname`).
   * @default SpreadMode.PREFERRED
   */
  readonly nodeSpread?: SpreadMode;
  /**
   * Spread the replicas over zones (`topology.kubernetes.io/zone`).
   * @default SpreadMode.NONE
   */
  readonly zoneSpread?: SpreadMode;
  /**
   * `priorityClassName` of the serving pods (the PriorityClass is not created).
   * @default - the cluster's default priority
   */
  readonly priorityClassName?: string;
  /**
   * `schedulerName` of the serving pods, for a gang or topology-aware scheduler (e.g. Volcano, a scheduler plugin).
   * @default - the default scheduler
   */
  readonly schedulerName?: string;
  /**
   * Kueue LocalQueue the workloads are admitted through: the `kueue.x-k8s.io/queue-name` label on each Deployment or
   * LeaderWorkerSet and its pod templates (Kueue then admits a whole group at once).
   * @default - not queued
   */
  readonly kueueQueueName?: string;
  /**
   * LeaderWorkerSet exclusive placement: each group gets a topology domain of its own, e.g.
   * `cloud.google.com/gke-nodepool` (`leaderworkerset.sigs.k8s.io/exclusive-topology`). Only for multi-pod groups.
   * @default - no exclusive placement
   */
  readonly exclusiveTopology?: string;
}

const QUALIFIED = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const MODES = Object.values(SpreadMode) as string[];

/** Placement of one workload's pods, resolved and checked. @internal */
export interface ResolvedPlacement {
  readonly nodeSpread: SpreadMode;
  readonly zoneSpread: SpreadMode;
  readonly priorityClassName?: string;
  readonly schedulerName?: string;
  readonly kueueQueueName?: string;
  readonly exclusiveTopology?: string;
}

/** Check the placement options of a stack; errors name the field, the value and the fix. @internal */
export function resolvePlacement(ctx: FieldContext, options: PlacementOptions | undefined, multiPod: boolean): ResolvedPlacement {
  const o = options ?? {};
  const p = ctx.child('placement');
  for (const key of ['nodeSpread', 'zoneSpread'] as const) {
    if (o[key] !== undefined && !MODES.includes(o[key] as string)) {
      throw p.error(key, o[key], `is not a SpreadMode (${MODES.join(', ')})`, 'use SpreadMode.PREFERRED, SpreadMode.REQUIRED or SpreadMode.NONE');
    }
  }
  p.dnsSubdomain('priorityClassName', o.priorityClassName);
  p.dnsSubdomain('schedulerName', o.schedulerName);
  p.dnsSubdomain('kueueQueueName', o.kueueQueueName);
  if (o.kueueQueueName !== undefined && o.kueueQueueName.length > 63) {
    throw p.error('kueueQueueName', o.kueueQueueName, 'is longer than 63 characters (it is a label value)', 'use a shorter LocalQueue name');
  }
  if (o.exclusiveTopology !== undefined) {
    if (typeof o.exclusiveTopology !== 'string' || !QUALIFIED.test(o.exclusiveTopology) || o.exclusiveTopology.length > 316) {
      throw p.error('exclusiveTopology', o.exclusiveTopology, 'is not a node label key', "use a topology label such as 'cloud.google.com/gke-nodepool'");
    }
    if (!multiPod) {
      throw p.error('exclusiveTopology', o.exclusiveTopology, 'exclusive placement is a LeaderWorkerSet feature, and this stack runs single-pod Deployments',
        'remove exclusiveTopology, or use nodeSpread / zoneSpread');
    }
  }
  return {
    nodeSpread: o.nodeSpread ?? SpreadMode.PREFERRED,
    zoneSpread: o.zoneSpread ?? SpreadMode.NONE,
    priorityClassName: o.priorityClassName,
    schedulerName: o.schedulerName,
    kueueQueueName: o.kueueQueueName,
    exclusiveTopology: o.exclusiveTopology,
  };
}

/** The replicas a pod template's spread constraints count. @internal */
export interface PodSpread {
  /** Labels of the pods to spread (undefined: nothing to spread, e.g. workers of a group with a leader). */
  readonly selector?: Record<string, string>;
  /** A Deployment's pods (spread per revision). */
  readonly deployment: boolean;
  /** How many such pods may run. */
  readonly replicas: number;
}

/**
 * Add the placement to a pod spec. `spreadSelector` selects the replicas to spread (the pods of this template); a
 * Deployment also matches on `pod-template-hash`, so a rollout's new pods are spread among themselves. Nothing is
 * spread for a single replica (there is nothing to spread).
 * @internal
 */
export function placePod(pod: k8s.PodSpec, placement: ResolvedPlacement, spread: PodSpread): k8s.PodSpec {
  const constraints: k8s.TopologySpreadConstraint[] = [];
  const add = (mode: SpreadMode, topologyKey: string) => {
    if (mode === SpreadMode.NONE || spread.selector === undefined || spread.replicas < 2) return;
    constraints.push({
      maxSkew: 1,
      topologyKey,
      whenUnsatisfiable: mode === SpreadMode.REQUIRED ? 'DoNotSchedule' : 'ScheduleAnyway',
      labelSelector: { matchLabels: { ...spread.selector } },
      matchLabelKeys: spread.deployment ? [LabelKeys.POD_TEMPLATE_HASH] : undefined,
    });
  };
  add(placement.nodeSpread, LabelKeys.HOSTNAME);
  add(placement.zoneSpread, LabelKeys.ZONE);
  return {
    ...pod,
    priorityClassName: placement.priorityClassName ?? pod.priorityClassName,
    schedulerName: placement.schedulerName ?? pod.schedulerName,
    topologySpreadConstraints: constraints.length ? [...(pod.topologySpreadConstraints ?? []), ...constraints] : pod.topologySpreadConstraints,
  };
}

/** Labels and annotations of a workload object. @internal */
export interface WorkloadMetadata {
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

/** Labels and annotations the placement puts on the workload object (and, for Kueue, on its pod templates). @internal */
export function placementMetadata(placement: ResolvedPlacement, multiPod: boolean): WorkloadMetadata {
  const labels: Record<string, string> = {};
  const annotations: Record<string, string> = {};
  if (placement.kueueQueueName) labels[LabelKeys.KUEUE_QUEUE_NAME] = placement.kueueQueueName;
  if (multiPod && placement.exclusiveTopology) annotations[AnnotationKeys.LWS_EXCLUSIVE_TOPOLOGY] = placement.exclusiveTopology;
  return { labels, annotations };
}
