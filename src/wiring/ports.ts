/**
 * Port numbers and names of the wiring contract (llm-d and the KServe LLMInferenceService controller).
 * Every construct that opens, selects or references a port reads it from here.
 */
export class Ports {
  /** The public serving port of every model-server pod: vLLM itself, or the routing sidecar in front of it. */
  public static readonly SERVING = 8000;
  /** Prometheus server's default port (what an autoscaler's `serverAddress` usually names). */
  public static readonly PROMETHEUS = 9090;
  /** vLLM's port when the routing sidecar owns {@link Ports.SERVING} (KServe's decode pods). */
  public static readonly VLLM_BEHIND_SIDECAR = 8001;
  /**
   * vLLM's first rank port behind a routing sidecar that listens on one port per data-parallel rank
   * (8000..8000+N-1); the ranks take 8200..8200+N-1 (llm-d's wide-EP convention), clear of the sidecar's range.
   */
  public static readonly VLLM_RANKS_BEHIND_SIDECAR = 8200;
  /** The InferencePool's `targetPorts` lists at most this many ports (GIE v1 CRD `maxItems`), so at most this many ranks per pod. */
  public static readonly MAX_POOL_TARGET_PORTS = 8;

  /** Name of the serving port on the container and on the workload Service. */
  public static readonly SERVING_NAME = 'http';
  /** Name (and appProtocol) of the workload Service's serving port when the stack serves TLS. */
  public static readonly SERVING_TLS_NAME = 'https';
  /** Name of vLLM's port behind the routing sidecar. */
  public static readonly VLLM_BEHIND_SIDECAR_NAME = 'vllm';
  /** Name of the per-rank supervisor (aggregated health) port. */
  public static readonly SUPERVISOR_NAME = 'supervisor';
  /** Name of the first NIXL side-channel port (`nixl-<i>` for the other local ranks). */
  public static readonly NIXL_SIDE_CHANNEL_NAME = 'nixl';
  /** Name of the KV-events publisher port (precise prefix-cache routing, pod discovery). */
  public static readonly KV_EVENTS_NAME = 'kv-events';
  /** NIXL side-channel port (vLLM's default `VLLM_NIXL_SIDE_CHANNEL_PORT`). */
  public static readonly NIXL_SIDE_CHANNEL = 5600;
  /** vLLM data-parallel RPC port on the LeaderWorkerSet leader. */
  public static readonly DATA_PARALLEL_RPC = 5555;
  /** EPP ext-proc gRPC port (the InferencePool's endpointPickerRef port). */
  public static readonly EPP_GRPC = 9002;
  /** EPP gRPC health port. */
  public static readonly EPP_GRPC_HEALTH = 9003;
  /** EPP Prometheus metrics port. */
  public static readonly EPP_METRICS = 9090;
  /** Latency predictor training server, beside the EPP (KServe's latency-predictor preset). */
  public static readonly LATENCY_TRAINING = 8000;
  /** Latency predictor prediction server, beside the EPP. */
  public static readonly LATENCY_PREDICTION = 8001;
  /** Standalone Envoy's inference listener (beside the EPP). */
  public static readonly STANDALONE_PROXY = 8081;
  /** Standalone Envoy's readiness and Prometheus listener. */
  public static readonly STANDALONE_PROXY_READY = 19001;
  /** Standalone Envoy's admin listener (localhost only). */
  public static readonly STANDALONE_PROXY_ADMIN = 19000;
  /** Port clients call on the EPP Service in standalone mode. */
  public static readonly STANDALONE_SERVICE = 80;
  /**
   * SGLang's P/D bootstrap port on prefill pods: the port the routing sidecar advertises to both legs as
   * `bootstrap_port` (llm-d-router v0.10.0 `pkg/sidecar/proxy/connector_sglang.go`, default 8998 unless
   * `SGLANG_BOOTSTRAP_PORT`), and the default of SGLang's `--disaggregation-bootstrap-port`.
   */
  public static readonly SGLANG_BOOTSTRAP = 8998;
  /** Name of the SGLang bootstrap port on prefill pods. */
  public static readonly SGLANG_BOOTSTRAP_NAME = 'bootstrap';
  /**
   * `--dist-init-addr` port of SGLang's multi-node launch on the group leader (node rank 0), where the other nodes
   * join the engine's process group (LeaderWorkerSet's SGLang sample uses 20000).
   */
  public static readonly SGLANG_DIST_INIT = 20000;
  /** Name of the SGLang dist-init port on the leader. */
  public static readonly SGLANG_DIST_INIT_NAME = 'dist-init';
  /** KV-events ZMQ port. */
  public static readonly KV_EVENTS_ZMQ = 5557;
  /** vLLM's KV-events publisher port in pod-discovery mode (the EPP dials every pod; llm-d's precise prefix-cache render). */
  public static readonly KV_EVENTS_POD_DISCOVERY = 5556;
  /** Ray head (GCS) port on the leader of a Ray-launched group. */
  public static readonly RAY_HEAD = 6379;
  /** Port of the default HTTP listener of a Gateway the library creates. */
  public static readonly GATEWAY_HTTP = 80;
  /** Cluster DNS port (UDP and TCP). */
  public static readonly DNS = 53;
  /** HTTP's default port. */
  public static readonly HTTP = 80;
  /** OTLP over gRPC, the collector's default port. */
  public static readonly OTLP_GRPC = 4317;
  /** HTTPS: model hubs and object stores, and the API server's Service port. */
  public static readonly HTTPS = 443;
  /** The API server's port on the control-plane endpoints (kubeadm's default). */
  public static readonly API_SERVER = 6443;
  /** Highest TCP port number. */
  public static readonly MAX_PORT = 65535;

  /** Name of the EPP's ext-proc gRPC port. */
  public static readonly EPP_GRPC_NAME = 'grpc';
  /** Name of the EPP's gRPC health port. */
  public static readonly EPP_GRPC_HEALTH_NAME = 'grpc-health';
  /** Name of the EPP's Prometheus metrics port. */
  public static readonly EPP_METRICS_NAME = 'metrics';
  /** Name of the EPP's centralized KV-events ZMQ port. */
  public static readonly KV_EVENTS_ZMQ_NAME = 'zmq';
  /** Name of the standalone Envoy's inference listener (and of the EPP Service port clients call in standalone mode). */
  public static readonly STANDALONE_PROXY_NAME = 'http';
  /** Name of the latency predictor training server port. */
  public static readonly LATENCY_TRAINING_NAME = 'training-port';
  /** Name of the latency predictor prediction server port. */
  public static readonly LATENCY_PREDICTION_NAME = 'predict-port';
  /** Name of the standalone Envoy's readiness listener. */
  public static readonly STANDALONE_PROXY_READY_NAME = 'proxy-ready';
  /** Name of the default HTTP listener of a Gateway the library creates. */
  public static readonly GATEWAY_HTTP_NAME = 'http';

  /** Whether `port` is a TCP port number (an integer in 1..65535). */
  public static isValidPort(port: number): boolean {
    return Number.isInteger(port) && port >= 1 && port <= Ports.MAX_PORT;
  }

  /** Name of the port of local data-parallel rank `rank` when every rank has its own API port (`rank<i>`). */
  public static rankPortName(rank: number): string {
    return `rank${rank}`;
  }

  private constructor() {}
}
