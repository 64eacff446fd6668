import { Construct } from 'constructs';
import { ServingWorkloadRef } from './serving-workload';
import * as k8s from '../imports/k8s';
import { FieldContext } from '../internal/context';
import { checkArgs } from '../internal/prop-check';
import { WiringLabels, WorkloadComponents } from '../wiring/labels';
import { ResourceNames } from '../wiring/names';

enum Kind { MAX_UNAVAILABLE = 'maxUnavailable', MIN_AVAILABLE = 'minAvailable', NONE = 'none' }

/**
 * The PodDisruptionBudget of a serving workload (`policy/v1`, `N-kserve-pdb`, prefill `N-kserve-prefill-pdb`).
 *
 * It selects every pod of the workload. For a LeaderWorkerSet that is every pod of every group, and one evicted
 * pod takes its whole group down (the group restarts together), so `maxUnavailable(1)` means at most one group
 * disrupted at a time. Unhealthy pods (a model still loading, a crash loop) may always be evicted
 * (`unhealthyPodEvictionPolicy: AlwaysAllow`), so a budget never blocks a node drain behind a pod that is not
 * serving anyway.
 */
export class DisruptionBudget {
  /** At most `pods` pods voluntarily disrupted at a time (the default is 1). */
  public static maxUnavailable(pods: number): DisruptionBudget {
    checkArgs('DisruptionBudget.maxUnavailable', arguments);
    return new DisruptionBudget(Kind.MAX_UNAVAILABLE, pods, false);
  }

  /** At most `percent` percent of the pods voluntarily disrupted at a time. */
  public static maxUnavailablePercent(percent: number): DisruptionBudget {
    checkArgs('DisruptionBudget.maxUnavailablePercent', arguments);
    return new DisruptionBudget(Kind.MAX_UNAVAILABLE, percent, true);
  }

  /** At least `pods` pods kept available; must leave room for one eviction, or node drains would block. */
  public static minAvailable(pods: number): DisruptionBudget {
    checkArgs('DisruptionBudget.minAvailable', arguments);
    return new DisruptionBudget(Kind.MIN_AVAILABLE, pods, false);
  }

  /** No PodDisruptionBudget. */
  public static none(): DisruptionBudget {
    return new DisruptionBudget(Kind.NONE, 0, false);
  }

  private constructor(private readonly kind: Kind, private readonly value: number, private readonly percent: boolean) {}

  /** Check the budget against the workload's smallest size. @internal */
  public _validate(ctx: FieldContext, field: string, minPods: number): void {
    if (this.kind === Kind.NONE) return;
    const v = this.value;
    const max = this.percent ? 100 : Number.MAX_SAFE_INTEGER;
    if (!Number.isInteger(v) || v < 1 || v > max) {
      throw ctx.error(field, v, this.percent ? 'must be an integer percentage in 1..100' : 'must be an integer >= 1',
        this.percent ? 'pass e.g. DisruptionBudget.maxUnavailablePercent(25)' : 'pass e.g. DisruptionBudget.maxUnavailable(1)');
    }
    if (this.kind === Kind.MIN_AVAILABLE && v >= minPods) {
      throw ctx.error(field, `minAvailable ${v}`, `the workload may run only ${minPods} pod(s), so no pod could ever be evicted and node drains would hang`,
        `use at most ${Math.max(minPods - 1, 0)} (or DisruptionBudget.maxUnavailable(1))`);
    }
  }

  /** Write the budget of one workload. @internal */
  public _bind(scope: Construct, id: string, ref: ServingWorkloadRef, prefill: boolean): k8s.KubePodDisruptionBudget | undefined {
    if (this.kind === Kind.NONE) return undefined;
    const amount = this.percent ? k8s.IntOrString.fromString(`${this.value}%`) : k8s.IntOrString.fromNumber(this.value);
    return new k8s.KubePodDisruptionBudget(scope, id, {
      metadata: {
        name: ResourceNames.of(ref.serviceName).disruptionBudget(prefill),
        namespace: ref.namespace,
        labels: WiringLabels.component(ref.serviceName, prefill ? WorkloadComponents.PREFILL : WorkloadComponents.MAIN),
      },
      spec: {
        selector: { matchLabels: ref.podSelector },
        maxUnavailable: this.kind === Kind.MAX_UNAVAILABLE ? amount : undefined,
        minAvailable: this.kind === Kind.MIN_AVAILABLE ? amount : undefined,
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
    });
  }
}
