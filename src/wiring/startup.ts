import { Duration, Size } from 'cdk8s';

/** How long a model may load before its startup probe restarts the pod (the startup probe budget). */
export class StartupBudgets {
  /** Single-node pods: KServe's 60 probes × 10 s. */
  public static readonly SINGLE_NODE = Duration.minutes(10);
  /** Pods of a group that spans nodes (weights are loaded by every pod and the group forms first). */
  public static readonly MULTI_NODE = Duration.minutes(30);
  /**
   * Weights read per second while a model loads, when a model profile derives the budget: 200 MiB/s, a cautious
   * Hugging Face Hub download or network-volume read. A warm local NVMe cache reads 1–3 GiB/s; set `modelLoadRate`.
   */
  public static readonly DEFAULT_LOAD_RATE = Size.mebibytes(200);
  /**
   * Engine start besides reading weights (CUDA context, torch.compile, CUDA graph capture, KV-cache allocation),
   * added to the read time of a derived budget.
   */
  public static readonly ENGINE_INIT = Duration.minutes(5);
  /** Extra time of a group spanning nodes: the pods find each other (Ray, or the data-parallel handshake) first. */
  public static readonly GROUP_FORMATION = Duration.minutes(5);

  private constructor() {}
}
