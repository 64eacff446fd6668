import { Duration } from 'cdk8s';

/** How long a model may load before its startup probe restarts the pod (the startup probe budget). */
export class StartupBudgets {
  /** Single-node pods: KServe's 60 probes × 10 s. */
  public static readonly SINGLE_NODE = Duration.minutes(10);
  /** Pods of a group that spans nodes (weights are loaded by every pod and the group forms first). */
  public static readonly MULTI_NODE = Duration.minutes(30);

  private constructor() {}
}
