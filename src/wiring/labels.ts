/** The label keys of the wiring contract (KServe LLMInferenceService controller and llm-d). */
export class LabelKeys {
  /** `app.kubernetes.io/name`: the LLM service name. */
  public static readonly NAME = 'app.kubernetes.io/name';
  /** `app.kubernetes.io/component`: which part of the service an object is. */
  public static readonly COMPONENT = 'app.kubernetes.io/component';
  /** `app.kubernetes.io/part-of`: always `llminferenceservice`. */
  public static readonly PART_OF = 'app.kubernetes.io/part-of';
  /** `kserve.io/component`: `workload` on every serving pod (what the workload Service and the pool select). */
  public static readonly KSERVE_COMPONENT = 'kserve.io/component';
  /** `llm-d.ai/role`: `both`, `prefill` or `decode`; read by the EPP's P/D filters. */
  public static readonly ROLE = 'llm-d.ai/role';
  /**
   * `llm-d.ai/engine-type`: the engine of a serving pod (`sglang`); the EPP's `core-metrics-extractor` reads its
   * metric names by this label and falls back to vLLM's when it is absent (llm-d-router v0.10.0
   * `pkg/epp/framework/plugins/datalayer/extractor/metrics/factories.go`).
   */
  public static readonly ENGINE_TYPE = 'llm-d.ai/engine-type';
  /** `leaderworkerset.sigs.k8s.io/name`: set by the LeaderWorkerSet controller on every pod of a set. */
  public static readonly LWS_NAME = 'leaderworkerset.sigs.k8s.io/name';
  /** `llm-d.ai/inference-pool`: the InferencePool a pod serves in, on the pods of a pool shared by several services. */
  public static readonly INFERENCE_POOL = 'llm-d.ai/inference-pool';
  /** `inference.optimization/acceleratorName`: the accelerator of a WVA-scaled variant (KServe, WVA chart). */
  public static readonly WVA_ACCELERATOR_NAME = 'inference.optimization/acceleratorName';

  /** `kubernetes.io/metadata.name`: the name label the API server sets on every Namespace (network policy peers). */
  public static readonly NAMESPACE_NAME = 'kubernetes.io/metadata.name';
  /** `kubernetes.io/hostname`: the node topology key. */
  public static readonly HOSTNAME = 'kubernetes.io/hostname';
  /** `topology.kubernetes.io/zone`: the zone topology key. */
  public static readonly ZONE = 'topology.kubernetes.io/zone';
  /** `pod-template-hash`: set by the Deployment controller on the pods of each revision. */
  public static readonly POD_TEMPLATE_HASH = 'pod-template-hash';
  /** `kueue.x-k8s.io/queue-name`: the Kueue LocalQueue a workload is admitted through. */
  public static readonly KUEUE_QUEUE_NAME = 'kueue.x-k8s.io/queue-name';
  /** `pod-security.kubernetes.io/enforce`: the Pod Security level a namespace enforces. */
  public static readonly POD_SECURITY_ENFORCE = 'pod-security.kubernetes.io/enforce';
  /** `pod-security.kubernetes.io/enforce-version`: the Kubernetes version of the enforced standard. */
  public static readonly POD_SECURITY_ENFORCE_VERSION = 'pod-security.kubernetes.io/enforce-version';
  /** `pod-security.kubernetes.io/warn`: the level a namespace warns about. */
  public static readonly POD_SECURITY_WARN = 'pod-security.kubernetes.io/warn';
  /** `pod-security.kubernetes.io/audit`: the level a namespace audits. */
  public static readonly POD_SECURITY_AUDIT = 'pod-security.kubernetes.io/audit';
  /** `k8s-app`: the label of the cluster DNS pods (`kube-dns`, also on CoreDNS). */
  public static readonly KUBE_DNS_APP = 'k8s-app';
  /** `nvidia.com/gpu.product`: the GPU model of a node, as NVIDIA GPU feature discovery labels it (e.g. `NVIDIA-H100-80GB-HBM3`). */
  public static readonly NVIDIA_GPU_PRODUCT = 'nvidia.com/gpu.product';
  /** `cloud.google.com/gke-accelerator`: the GPU model of a GKE node pool (e.g. `nvidia-h100-80gb`). */
  public static readonly GKE_ACCELERATOR = 'cloud.google.com/gke-accelerator';
  /** `cloud.google.com/gke-tpu-accelerator`: the TPU type of a GKE node pool (e.g. `tpu-v6e-slice`). */
  public static readonly GKE_TPU_ACCELERATOR = 'cloud.google.com/gke-tpu-accelerator';
  /** `cloud.google.com/gke-tpu-topology`: the TPU slice topology of a GKE node pool (e.g. `2x2`). */
  public static readonly GKE_TPU_TOPOLOGY = 'cloud.google.com/gke-tpu-topology';

  /** Whether `key` is a label the wiring sets and selectors depend on (users may not set it on pods). */
  public static isWiringKey(key: string): boolean {
    const keys = [LabelKeys.COMPONENT, LabelKeys.NAME, LabelKeys.PART_OF, LabelKeys.KSERVE_COMPONENT, LabelKeys.ROLE, LabelKeys.LWS_NAME];
    return [...keys, LabelKeys.INFERENCE_POOL, LabelKeys.ENGINE_TYPE].includes(key);
  }

  private constructor() {}
}

/** Annotation keys the library reads or writes on serving pods. */
export class AnnotationKeys {
  /** `k8s.v1.cni.cncf.io/networks`: the Multus networks of a pod (RDMA). */
  public static readonly MULTUS_NETWORKS = 'k8s.v1.cni.cncf.io/networks';
  /** `llm-d.ai/managed`: `"true"` on an autoscaler the Workload Variant Autoscaler drives (KServe). */
  public static readonly WVA_MANAGED = 'llm-d.ai/managed';
  /** `llm-d.ai/model-id`: the model of a WVA-driven autoscaler (KServe). */
  public static readonly WVA_MODEL_ID = 'llm-d.ai/model-id';
  /** `llm-d.ai/variant-cost`: the cost per replica of a WVA variant (KServe; default "10.0"). */
  public static readonly WVA_VARIANT_COST = 'llm-d.ai/variant-cost';
  /** `serving.kserve.io/inference-pool-migrated`: set by the KServe controller on a managed HTTPRoute whose backend is the v1 pool. */
  public static readonly KSERVE_POOL_MIGRATED = 'serving.kserve.io/inference-pool-migrated';
  /** `serving.kserve.io/model-based-routing-enabled`: KServe's switch for model-name header routing (read, never carried). */
  public static readonly KSERVE_MODEL_BASED_ROUTING = 'serving.kserve.io/model-based-routing-enabled';
  /** `internal.serving.kserve.io/localmodel`: KServe's local-model cache marker, carried to the pods. */
  public static readonly KSERVE_LOCAL_MODEL = 'internal.serving.kserve.io/localmodel';
  /** `leaderworkerset.sigs.k8s.io/exclusive-topology`: one LeaderWorkerSet group per topology domain. */
  public static readonly LWS_EXCLUSIVE_TOPOLOGY = 'leaderworkerset.sigs.k8s.io/exclusive-topology';
  /**
   * `llm-d.cdk8s.io/capacity`: JSON the library writes on a serving workload made with a model profile (weights and
   * KV cache per GPU, concurrency at max-model-len, startup budget); `plan` reads it.
   */
  public static readonly CAPACITY = 'llm-d.cdk8s.io/capacity';
  /** `llm-d.cdk8s.io/model-profile`: the model profile id of an LLMInferenceService (a ModelProfile preset id). */
  public static readonly MODEL_PROFILE = 'llm-d.cdk8s.io/model-profile';
  /** `llm-d.cdk8s.io/accelerator-type`: the accelerator type of an LLMInferenceService (an AcceleratorType name, e.g. `H100_80GB`). */
  public static readonly ACCELERATOR_TYPE = 'llm-d.cdk8s.io/accelerator-type';
  /** Prefix of KServe's managed-DRA annotations (`serving.kserve.io/exp-dra-*`). */
  public static readonly KSERVE_DRA_PREFIX = 'serving.kserve.io/exp-dra-';
  /** `serving.kserve.io/exp-dra-device-class`: the DeviceClass of KServe's managed DRA (switches it on). */
  public static readonly KSERVE_DRA_DEVICE_CLASS = 'serving.kserve.io/exp-dra-device-class';
  /** `serving.kserve.io/exp-dra-device-count`: devices in KServe's managed DRA claim (default 1). */
  public static readonly KSERVE_DRA_DEVICE_COUNT = 'serving.kserve.io/exp-dra-device-count';
  /** `serving.kserve.io/exp-dra-cel-selector`: newline-separated CEL selectors of KServe's managed DRA claim. */
  public static readonly KSERVE_DRA_CEL_SELECTOR = 'serving.kserve.io/exp-dra-cel-selector';
  /** `serving.kserve.io/exp-dra-container-name`: the container KServe gives the managed DRA claim (default the first). */
  public static readonly KSERVE_DRA_CONTAINER_NAME = 'serving.kserve.io/exp-dra-container-name';

  private constructor() {}
}

/** The `llm-d.ai/role` of a serving pod. */
export class ServingRole {
  /** A pod that serves whole requests (no disaggregation). */
  public static readonly BOTH = new ServingRole('both');
  /** A P/D prefill pod. */
  public static readonly PREFILL = new ServingRole('prefill');
  /** A P/D decode pod. */
  public static readonly DECODE = new ServingRole('decode');

  private constructor(
    /** The label value. */
    public readonly value: string,
  ) {}
}

const PART_OF = 'llminferenceservice';

/** Label sets derived from the service name. The only place label maps are built. */
export class WiringLabels {
  /**
   * What the workload Service and the InferencePool select: every serving pod of the service
   * (decode, prefill and leader pods alike) and never the EPP.
   */
  public static workloadSelector(name: string): Record<string, string> {
    return {
      [LabelKeys.PART_OF]: PART_OF,
      [LabelKeys.NAME]: name,
      [LabelKeys.KSERVE_COMPONENT]: WorkloadComponents.KSERVE_WORKLOAD,
    };
  }

  /**
   * Labels of a serving pod and of its Deployment (metadata, selector and template share this map).
   * @param component the `app.kubernetes.io/component` value, e.g. `llminferenceservice-workload`
   */
  public static servingPod(name: string, component: string, role: ServingRole): Record<string, string> {
    return {
      [LabelKeys.COMPONENT]: component,
      ...WiringLabels.workloadSelector(name),
      [LabelKeys.ROLE]: role.value,
    };
  }

  /**
   * The engine label of SGLang serving pods (`llm-d.ai/engine-type: sglang`), so the EPP reads SGLang's metric names;
   * vLLM pods carry none (the EPP's default engine is vLLM).
   */
  public static sglangEngine(): Record<string, string> {
    return { [LabelKeys.ENGINE_TYPE]: 'sglang' };
  }

  /** Metadata labels of the workload Service. */
  public static workloadService(name: string): Record<string, string> {
    return WiringLabels.component(name, 'llminferenceservice-workload');
  }

  /** Labels of the EPP objects and the InferencePool (no `kserve.io/component`, so the pool never selects the EPP). */
  public static scheduler(name: string): Record<string, string> {
    return WiringLabels.component(name, 'llminferenceservice-router-scheduler');
  }

  /** Labels of the tokenizer Deployment, Service and pods (precise prefix-cache routing). */
  public static tokenizer(name: string): Record<string, string> {
    return WiringLabels.component(name, 'tokenizer');
  }

  /** Labels of the HTTPRoute. */
  public static router(name: string): Record<string, string> {
    return WiringLabels.component(name, 'llminferenceservice-router');
  }

  /** `name` and `part-of` only (KServe's multi-node ServiceAccounts, Role and RoleBinding). */
  public static owned(name: string): Record<string, string> {
    return { [LabelKeys.NAME]: name, [LabelKeys.PART_OF]: PART_OF };
  }

  /**
   * Selector of an InferencePool shared by several services (heterogeneous accelerators): `part-of`,
   * `kserve.io/component: workload` and `llm-d.ai/inference-pool: <pool>`, which every member's serving pods carry.
   */
  public static sharedPoolSelector(poolName: string): Record<string, string> {
    return {
      [LabelKeys.PART_OF]: PART_OF,
      [LabelKeys.KSERVE_COMPONENT]: WorkloadComponents.KSERVE_WORKLOAD,
      [LabelKeys.INFERENCE_POOL]: poolName,
    };
  }

  /** `component`, `name` and `part-of`. */
  public static component(name: string, component: string): Record<string, string> {
    return { [LabelKeys.COMPONENT]: component, [LabelKeys.NAME]: name, [LabelKeys.PART_OF]: PART_OF };
  }

  private constructor() {}
}

/** `app.kubernetes.io/component` values of serving pods. */
export class WorkloadComponents {
  /** The `kserve.io/component` value of every serving pod (what the workload Service and the pool select). */
  public static readonly KSERVE_WORKLOAD = 'workload';
  /** Single-node main or decode Deployment. */
  public static readonly MAIN = 'llminferenceservice-workload';
  /** Single-node prefill Deployment. */
  public static readonly PREFILL = 'llminferenceservice-workload-prefill';
  /** LeaderWorkerSet leader pods (`-prefill` appended for the prefill role). */
  public static readonly LEADER = 'llminferenceservice-workload-leader';
  /** LeaderWorkerSet worker pods and the LeaderWorkerSet itself (`-prefill` appended for the prefill role). */
  public static readonly WORKER = 'llminferenceservice-workload-worker';

  private constructor() {}
}

/**
 * The `app.kubernetes.io/component` of a role's pods: Deployment pods, or LeaderWorkerSet leaders / workers.
 * @internal
 */
export function workloadComponent(role: ServingRole, workload: 'deployment' | 'leader' | 'worker'): string {
  const prefill = role === ServingRole.PREFILL;
  if (workload === 'deployment') return prefill ? WorkloadComponents.PREFILL : WorkloadComponents.MAIN;
  const base = workload === 'leader' ? WorkloadComponents.LEADER : WorkloadComponents.WORKER;
  return prefill ? `${base}-prefill` : base;
}
