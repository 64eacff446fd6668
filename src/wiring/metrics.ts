/**
 * Prometheus metric names of the model server and the EPP, in one place: dashboards, monitors and autoscaling
 * metric helpers read them from here.
 *
 * vLLM names are those of the v1 engine's Prometheus logger (`vllm/v1/metrics/loggers.py` of vllm-project/vllm,
 * the engine of the pinned v0.23.0);
 * counters are exposed with a `_total` suffix and histograms with `_bucket`/`_sum`/`_count`.
 * SGLang names are those of SGLang v0.5.10.post1 `python/sglang/srt/observability/metrics_collector.py` (served on the
 * HTTP port with `--enable-metrics`); the EPP reads the queue, running, token-usage and cache-info ones from pods
 * labelled `llm-d.ai/engine-type: sglang` (llm-d-router v0.10.0 `pkg/epp/framework/plugins/datalayer/extractor/metrics/factories.go`,
 * `defaultEngineConfigs`).
 * EPP names are the `llm_d_epp` subsystem of llm-d router v0.10.0 (`pkg/epp/metrics/llm_d_router_metrics.go`, tag v0.10.0,
 * commit 71f4f0999f95b96c49a9d0c4afbd18dfdb943c26); the `inference_objective_*` / `inference_pool_*` names of
 * `pkg/epp/metrics/metrics.go` are deprecated there in their favour.
 */
export class MetricNames {
  /** vLLM histogram: time to first token, seconds. */
  public static readonly VLLM_TIME_TO_FIRST_TOKEN = 'vllm:time_to_first_token_seconds';
  /** vLLM histogram: inter-token latency, seconds. */
  public static readonly VLLM_INTER_TOKEN_LATENCY = 'vllm:inter_token_latency_seconds';
  /** vLLM gauge: requests waiting in the engine queue. */
  public static readonly VLLM_REQUESTS_WAITING = 'vllm:num_requests_waiting';
  /** vLLM gauge: requests running on the engine. */
  public static readonly VLLM_REQUESTS_RUNNING = 'vllm:num_requests_running';
  /** vLLM gauge: KV-cache usage, 0..1. */
  public static readonly VLLM_KV_CACHE_USAGE = 'vllm:kv_cache_usage_perc';
  /** vLLM counter: prefix-cache hits, in tokens. */
  public static readonly VLLM_PREFIX_CACHE_HITS = 'vllm:prefix_cache_hits_total';
  /** vLLM counter: prefix-cache queries, in tokens. */
  public static readonly VLLM_PREFIX_CACHE_QUERIES = 'vllm:prefix_cache_queries_total';
  /** SGLang gauge: requests waiting in the scheduler's queue (the EPP's SGLang queue metric). */
  public static readonly SGLANG_QUEUE_REQUESTS = 'sglang:num_queue_reqs';
  /** SGLang gauge: running requests (the EPP's SGLang running-requests metric). */
  public static readonly SGLANG_RUNNING_REQUESTS = 'sglang:num_running_reqs';
  /** SGLang gauge: KV-cache token usage, 0..1 (the EPP's SGLang KV-usage metric). */
  public static readonly SGLANG_TOKEN_USAGE = 'sglang:token_usage';
  /** SGLang info gauge with `page_size` and `num_pages` labels (the EPP's SGLang cache-info metric). */
  public static readonly SGLANG_CACHE_CONFIG_INFO = 'sglang:cache_config_info';
  /** SGLang gauge: prefix-cache hit rate, 0..1. */
  public static readonly SGLANG_CACHE_HIT_RATE = 'sglang:cache_hit_rate';
  /** SGLang histogram: time to first token, seconds. */
  public static readonly SGLANG_TIME_TO_FIRST_TOKEN = 'sglang:time_to_first_token_seconds';
  /** SGLang histogram: inter-token latency, seconds. */
  public static readonly SGLANG_INTER_TOKEN_LATENCY = 'sglang:inter_token_latency_seconds';
  /** EPP counter: processed requests (labels `model_name`, `target_model_name`, `fairness_id`, `priority`). */
  public static readonly EPP_REQUEST_TOTAL = 'llm_d_epp_request_total';
  /** EPP gauge: average number of requests waiting in the pool's model servers (label `name` = pool). */
  public static readonly EPP_POOL_AVERAGE_QUEUE_SIZE = 'llm_d_epp_average_queue_size';
  /** EPP gauge: average KV-cache utilization of the pool's model servers (label `name` = pool). */
  public static readonly EPP_POOL_AVERAGE_KV_CACHE_UTILIZATION = 'llm_d_epp_average_kv_cache_utilization';
  /** EPP gauge: ready endpoints of the pool (label `name` = pool). */
  public static readonly EPP_POOL_READY_ENDPOINTS = 'llm_d_epp_ready_endpoints';
  /** Label of every vLLM series naming the served model. */
  public static readonly VLLM_MODEL_LABEL = 'model_name';
  /** EPP gauge: average running requests of the pool's model servers (label `name` = pool). */
  public static readonly EPP_POOL_AVERAGE_RUNNING_REQUESTS = 'llm_d_epp_average_running_requests';
  /** Label of the EPP pool gauges naming the InferencePool (`poolLabels` in `pkg/epp/metrics/metrics.go`). */
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
  /** Path of the Prometheus endpoint of vLLM and the EPP. */
  public static readonly METRICS_PATH = '/metrics';

  private constructor() {}
}
