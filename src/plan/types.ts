/** What `Plan` reports: plain readonly structs, so new columns can be added without breaking callers. */

/** One workload (Deployment, StatefulSet or LeaderWorkerSet) of the manifests and what it asks the cluster for. */
export interface WorkloadPlan {
  /** `Deployment`, `StatefulSet` or `LeaderWorkerSet`. */
  readonly kind: string;
  /** `metadata.name`. */
  readonly name: string;
  /**
   * `metadata.namespace`.
   * @default - the object names none
   */
  readonly namespace?: string;
  /**
   * What the pods do: `both`, `prefill` or `decode` (the `llm-d.ai/role` label of serving pods), `scheduler`
   * (the EPP), `tokenizer`, or `other`.
   */
  readonly role: string;
  /** `spec.replicas` (1 when unset); a LeaderWorkerSet replica is one group of pods. */
  readonly replicas: number;
  /**
   * Fewest replicas an autoscaler targeting the workload keeps (a KEDA `idleReplicaCount`, usually 0, counts).
   * @default - not autoscaled
   */
  readonly minReplicas?: number;
  /**
   * Most replicas an autoscaler targeting the workload scales to.
   * @default - not autoscaled
   */
  readonly maxReplicas?: number;
  /**
   * Kind of the autoscaler targeting the workload (`HorizontalPodAutoscaler`, `ScaledObject`).
   * @default - not autoscaled
   */
  readonly autoscaler?: string;
  /** Pods per replica: 1, or the LeaderWorkerSet's `size`. */
  readonly podsPerReplica: number;
  /** `replicas × podsPerReplica`. */
  readonly pods: number;
  /**
   * The accelerator's extended resource (`nvidia.com/gpu`, `amd.com/gpu`, `google.com/tpu`, `habana.ai/gaudi`, …).
   * @default - no accelerator
   */
  readonly acceleratorResource?: string;
  /** Accelerators per pod (a LeaderWorkerSet's worker pod). */
  readonly acceleratorsPerPod: number;
  /** Accelerators per replica (a LeaderWorkerSet group: leader plus workers). */
  readonly acceleratorsPerReplica: number;
  /** Accelerators of all replicas. */
  readonly accelerators: number;
  /**
   * Accelerators at `maxReplicas`.
   * @default - not autoscaled
   */
  readonly maxAccelerators?: number;
  /** CPU request per pod in millicores, as the scheduler counts it (containers, native sidecars, init containers). */
  readonly cpuMillisPerPod: number;
  /** Memory request per pod in bytes, counted like `cpuMillisPerPod`. */
  readonly memoryBytesPerPod: number;
  /** CPU requests of all pods in millicores. */
  readonly cpuMillis: number;
  /** Memory requests of all pods in bytes. */
  readonly memoryBytes: number;
  /**
   * `sizeLimit` of the memory-backed volume mounted at `/dev/shm` (`unbounded` without one); it counts against
   * the pod's memory limit.
   * @default - no /dev/shm volume
   */
  readonly shmSize?: string;
  /**
   * RDMA extended resource of the pods (`rdma/roce_gdr`, `rdma/ib`).
   * @default - no RDMA
   */
  readonly rdmaResource?: string;
  /** RDMA devices per pod. */
  readonly rdmaPerPod: number;
  /**
   * Multus networks of the pods (the `k8s.v1.cni.cncf.io/networks` annotation).
   * @default - none
   */
  readonly networks?: string;
  /** Whether the pods run the llm-d routing sidecar (P/D decode pods). */
  readonly routingSidecar: boolean;
  /**
   * GPU fit and KV-cache capacity, from the workload's `llm-d.cdk8s.io/capacity` annotation (written when the
   * serving pattern has a model profile).
   * @default - no model profile
   */
  readonly capacity?: WorkloadCapacity;
}

/** The capacity of a serving workload: how the model fits its GPUs and how many sequences its KV cache holds. */
export interface WorkloadCapacity {
  /** Model profile id. */
  readonly model: string;
  /**
   * Accelerator type (`H100_80GB`, …).
   * @default - unknown: no memory figures
   */
  readonly acceleratorType?: string;
  /**
   * Memory per accelerator in GiB.
   * @default - unknown accelerator type
   */
  readonly acceleratorMemoryGib?: number;
  /** `--gpu-memory-utilization` used (vLLM's default 0.92 when unset). */
  readonly gpuMemoryUtilization: number;
  /** Tensor parallel size. */
  readonly tensor: number;
  /** Pipeline parallel size. */
  readonly pipeline: number;
  /** Data parallel ranks (engines) per replica. */
  readonly data: number;
  /** Whether experts are spread over the DP × TP GPUs. */
  readonly expert: boolean;
  /** Weights on each GPU in GiB. */
  readonly weightsGibPerGpu: number;
  /** KV-cache bytes of one token on one GPU (every layer counted). */
  readonly kvBytesPerToken: number;
  /** `--max-model-len` (the model's context when unset). */
  readonly maxModelLen: number;
  /**
   * KV cache on each GPU in GiB.
   * @default - unknown accelerator type
   */
  readonly kvCacheGibPerGpu?: number;
  /**
   * KV-cache tokens of one engine (TP × PP GPUs), as vLLM reports `GPU KV cache size`.
   * @default - unknown accelerator type
   */
  readonly kvCacheTokens?: number;
  /**
   * Sequences of `maxModelLen` tokens one engine holds at once.
   * @default - unknown accelerator type
   */
  readonly maxConcurrency?: number;
  /**
   * Sequences of `maxModelLen` tokens all replicas hold at once (engines × replicas).
   * @default - unknown accelerator type
   */
  readonly maxConcurrencyTotal?: number;
  /**
   * Startup probe budget of the serving container in seconds (`periodSeconds × failureThreshold` + initial delay).
   * @default - no startup probe
   */
  readonly startupSeconds?: number;
  /** Capacity warnings (low concurrency, a max-model-len beyond the model's context). */
  readonly warnings: string[];
}

/** A CustomResourceDefinition the manifests need before the API server accepts them. */
export interface CrdRequirement {
  /** API group, e.g. `inference.networking.k8s.io`. */
  readonly group: string;
  /** API versions the manifests use (empty when the group is only watched, see `kinds`). */
  readonly versions: string[];
  /** Kinds of the group the manifests use; for a group only watched by a Role, the resources it watches (plural names). */
  readonly kinds: string[];
  /** Where the CRDs come from (the pinned release, the `Prerequisites` option, or the controller that installs them). */
  readonly source: string;
}

/** A controller (or device plugin) that must run in the cluster for the objects to do anything. */
export interface ControllerRequirement {
  /** What to install, e.g. `LeaderWorkerSet controller v0.10.0`. */
  readonly name: string;
  /** Why: which objects or fields need it. */
  readonly reason: string;
  /** The objects that need it, as `Kind namespace/name`. */
  readonly objects: string[];
}

/** An object the manifests reference by name but do not contain: it must exist before the pods start. */
export interface ExternalReference {
  /** `Namespace`, `Secret`, `PersistentVolumeClaim`, `ConfigMap`, `PriorityClass`, `Gateway` or `ServiceAccount`. */
  readonly kind: string;
  /** Its name. */
  readonly name: string;
  /**
   * Its namespace.
   * @default - cluster-scoped, or the referencing object names no namespace
   */
  readonly namespace?: string;
  /** The objects that reference it, as `Kind namespace/name`. */
  readonly referencedBy: string[];
}

/** Sums over every workload. */
export interface PlanTotals {
  /** Pods of all workloads. */
  readonly pods: number;
  /** Accelerators of all workloads (any resource). */
  readonly accelerators: number;
  /** Accelerators per extended resource name. */
  readonly acceleratorsByResource: { [resource: string]: number };
  /** CPU requests in millicores. */
  readonly cpuMillis: number;
  /** Memory requests in bytes. */
  readonly memoryBytes: number;
}
