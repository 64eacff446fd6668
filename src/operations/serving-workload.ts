import { ApiObject } from 'cdk8s';
/** One serving workload as the extras step sees it. @internal */
export interface ServingWorkloadRef {
  /** 'both' | 'prefill' | 'decode' (the llm-d.ai/role value). */
  readonly role: string;
  /** The workload object (Deployment apps/v1 or LeaderWorkerSet leaderworkerset.x-k8s.io/v1). */
  readonly object: ApiObject;
  readonly apiVersion: string;
  readonly kind: 'Deployment' | 'LeaderWorkerSet';
  readonly name: string;
  readonly namespace?: string;
  /** The LLM service name N (object names derive from it via ResourceNames in src/wiring/names.ts). */
  readonly serviceName: string;
  /** Labels selecting exactly this workload's pods (for a LWS: all pods of all groups). */
  readonly podSelector: Record<string, string>;
  /** Labels selecting only the pods that serve HTTP/metrics (LWS leaders, or every pod of a Deployment). */
  readonly servingPodSelector: Record<string, string>;
  /** Container port NAMES on which the model server exposes Prometheus /metrics in serving pods. */
  readonly metricsPortNames: string[];
  /** Whether an autoscaler owns the replica count (the manifest has no `spec.replicas`). */
  readonly autoscaled: boolean;
  /** Fixed replica count when not autoscaled. */
  readonly replicas: number;
  /** Pods per LWS group (1 for a Deployment). */
  readonly groupSize: number;
}

/** What an autoscaler of one workload needs to know besides the workload. @internal */
export interface ScalingContext {
  /** The workload to scale. */
  readonly target: ServingWorkloadRef;
  /** Whether the workload is the P/D prefill role (names `N-kserve-prefill-*`). */
  readonly prefill: boolean;
  /** The InferencePool name when the stack has a scheduler (EPP metrics, scale to zero). */
  readonly poolName?: string;
  /** The served model name (WVA model id). */
  readonly servedModelName: string;
  /** Accelerator type label value of the variant (WVA). */
  readonly acceleratorType?: string;
  /** Whose metric names the serving pods expose: `sglang` for SGLang pods, else `vllm` (vLLM and the simulator). */
  readonly podMetrics?: string;
}
