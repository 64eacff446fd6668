/**
 * Prometheus metric names the library's autoscalers (and dashboards) read, in one place.
 *
 * vLLM names are those of the pinned vLLM release (`Versions.VLLM`, v0.23.0, `vllm/v1/metrics/loggers.py`);
 * every series carries a `model_name` label with the served model name. EPP names are those of the pinned llm-d
 * router (v0.10.0, `pkg/epp/metrics/llm_d_router_metrics.go`, subsystem `llm_d_epp`); pool gauges carry the
 * pool name in the label `name` (`poolLabels` in `pkg/epp/metrics/metrics.go`).
 */
export class MetricNames {
  /** vLLM: requests waiting to be scheduled (gauge). */
  public static readonly VLLM_WAITING_REQUESTS = 'vllm:num_requests_waiting';
  /** vLLM: requests in the running batch (gauge). */
  public static readonly VLLM_RUNNING_REQUESTS = 'vllm:num_requests_running';
  /** vLLM: KV-cache usage, 0..1 (gauge). */
  public static readonly VLLM_KV_CACHE_USAGE = 'vllm:kv_cache_usage_perc';
  /** Label of every vLLM series naming the served model. */
  public static readonly VLLM_MODEL_LABEL = 'model_name';
  /** EPP: average model-server queue size of a pool (gauge). */
  public static readonly EPP_POOL_AVERAGE_QUEUE_SIZE = 'llm_d_epp_average_queue_size';
  /** EPP: average running requests of a pool (gauge). */
  public static readonly EPP_POOL_AVERAGE_RUNNING_REQUESTS = 'llm_d_epp_average_running_requests';
  /** EPP: average KV-cache utilization of a pool (gauge). */
  public static readonly EPP_POOL_AVERAGE_KV_CACHE_UTILIZATION = 'llm_d_epp_average_kv_cache_utilization';
  /** Label of the EPP pool gauges naming the InferencePool. */
  public static readonly EPP_POOL_LABEL = 'name';
  /**
   * Workload Variant Autoscaler: desired replicas of a variant (external metric), labelled `variant_name` (the
   * VariantAutoscaling's name) and `exported_namespace` (llm-d/llm-d-workload-variant-autoscaler v0.5.1,
   * `internal/constants/metrics.go`, `config/samples/hpa-integration.yaml`).
   */
  public static readonly WVA_DESIRED_REPLICAS = 'wva_desired_replicas';
  /** Label of the WVA metric naming the variant. */
  public static readonly WVA_VARIANT_LABEL = 'variant_name';
  /** Label of the WVA metric naming the namespace of the variant. */
  public static readonly WVA_NAMESPACE_LABEL = 'exported_namespace';
}
