/**
 * Every image tag and API version this library emits, in one place.
 *
 * Constructs read pins from here only; changing a pin here changes every manifest that uses it.
 * The compatibility matrix in the README is generated from the same values.
 */
export class Versions {
  /** Kubernetes minor version the generated types and the validation schemas come from. */
  public static readonly KUBERNETES = '1.35';
  /** Gateway API release whose CRDs the HTTPRoute and Gateway objects target. */
  public static readonly GATEWAY_API = 'v1.6.1';
  /** Gateway API Inference Extension release of the InferencePool v1 CRD. */
  public static readonly GATEWAY_API_INFERENCE_EXTENSION = 'v1.6.0';
  /** LeaderWorkerSet release. */
  public static readonly LEADER_WORKER_SET = 'v0.10.0';
  /** llm-d router release (EPP and disaggregation sidecar). */
  public static readonly LLM_D_ROUTER = 'v0.10.0';
  /** vLLM release; the engine's flag table (`imports/vllm/serve-flags.json`) describes this release. */
  public static readonly VLLM = 'v0.23.0';
  /**
   * SGLang release; the engine's flag table (`imports/sglang/server-args.json`) describes this release.
   * (llm-d-router v0.10.0's own SGLang sample, `config/manifests/sglang/gpu-deployment.yaml`, runs v0.5.12.)
   */
  public static readonly SGLANG = 'v0.5.10.post1';
  /** llm-d inference simulator release. */
  public static readonly INFERENCE_SIMULATOR = 'v0.10.2';
  /** KServe release whose storage-initializer and controller conventions are followed. */
  public static readonly KSERVE = 'v0.20.0';

  /** SGLang server image (NVIDIA CUDA build), the upstream `lmsysorg/sglang` release image. */
  public static readonly SGLANG_IMAGE = `lmsysorg/sglang:${Versions.SGLANG}`;
  /** vLLM OpenAI-compatible server image (NVIDIA CUDA build). */
  public static readonly VLLM_IMAGE = `vllm/vllm-openai:${Versions.VLLM}`;
  /**
   * vLLM ROCm build for AMD GPUs (llm-d's image of llm-d v0.9.0, the release of KServe's `llm-d-cuda:v0.9.0` presets).
   * From shared/reference/kserve/samples/multi-gpu-vendor__llm-inference-service-qwen2-7b-amd-no-scheduler.yaml
   * (kserve/kserve master 2026-08-21).
   */
  public static readonly VLLM_ROCM_IMAGE = 'ghcr.io/llm-d/llm-d-rocm:v0.9.0';
  /**
   * vLLM TPU build (vllm-project/tpu-inference) for TPU v5e/v6e and older. From
   * shared/reference/llm-d/helm-era-v0.6.0/values/guides/pd-disaggregation/ms-pd/values_tpu.yaml (`tpu-v6e-slice`,
   * llm-d/llm-d @ 67c983cb, v0.6.0).
   */
  public static readonly VLLM_TPU_IMAGE = 'vllm/vllm-tpu:v0.13.2';
  /**
   * vLLM TPU build for TPU7x (Ironwood). From
   * shared/reference/llm-d/helm-era-v0.6.0/values/guides/inference-scheduling/ms-inference-scheduling/values_tpu_v7.yaml
   * (`tpu7x`, llm-d/llm-d @ 67c983cb, v0.6.0).
   */
  public static readonly VLLM_TPU_IRONWOOD_IMAGE = 'vllm/vllm-tpu:v0.13.2-ironwood';
  /**
   * vLLM build for Intel Gaudi HPUs (llm-d's image). From
   * shared/reference/llm-d/helm-era-v0.6.0/values/guides/inference-scheduling/ms-inference-scheduling/values-hpu.yaml
   * and pd-disaggregation/ms-pd/values_hpu.yaml (llm-d/llm-d @ 67c983cb, v0.6.0), the only Gaudi image of the pins.
   */
  public static readonly VLLM_GAUDI_IMAGE = 'ghcr.io/llm-d/llm-d-hpu:v0.6.0';
  /**
   * vLLM CPU build: the default vLLM image of `Accelerator.cpu()`, and the tokenizer/render Service of precise
   * prefix-cache routing (`vllm launch render`).
   */
  public static readonly VLLM_CPU_IMAGE = `vllm/vllm-openai-cpu:${Versions.VLLM}`;
  /** llm-d inference simulator image (distroless, entrypoint `/app/llm-d-inference-sim`). */
  public static readonly SIMULATOR_IMAGE = `ghcr.io/llm-d/llm-d-inference-sim:${Versions.INFERENCE_SIMULATOR}`;
  /** The registry an image reference without a host is pulled from (Docker Hub). */
  public static readonly DEFAULT_REGISTRY = 'docker.io';
  /** KServe storage-initializer image (downloads `hf://`, `s3://`, `gs://` models into the pod). */
  public static readonly STORAGE_INITIALIZER_IMAGE = `kserve/storage-initializer:${Versions.KSERVE}`;
  /** Endpoint Picker (EPP) image of the llm-d router. */
  public static readonly EPP_IMAGE = `ghcr.io/llm-d/llm-d-router-endpoint-picker:${Versions.LLM_D_ROUTER}`;
  /** Routing (P/D disaggregation) sidecar image of the llm-d router. */
  public static readonly ROUTING_SIDECAR_IMAGE = `ghcr.io/llm-d/llm-d-router-disagg-sidecar:${Versions.LLM_D_ROUTER}`;

  /** llm-d latency predictor release (training and prediction servers beside the EPP; KServe's latency-predictor preset). */
  public static readonly LATENCY_PREDICTOR = '0.9.0';
  /** Training server of the latency predictor (KServe's `kserve-config-llm-scheduler-latency-predictor`). */
  public static readonly LATENCY_TRAINING_SERVER_IMAGE = `ghcr.io/llm-d/llm-d-latency-predictor-training-server:${Versions.LATENCY_PREDICTOR}`;
  /** Prediction server of the latency predictor. */
  public static readonly LATENCY_PREDICTION_SERVER_IMAGE = `ghcr.io/llm-d/llm-d-latency-predictor-prediction-server:${Versions.LATENCY_PREDICTOR}`;
  /** Envoy proxy of llm-d's standalone mode (no Gateway: Envoy beside the EPP calls it over ext_proc). */
  public static readonly ENVOY_IMAGE = 'docker.io/envoyproxy/envoy:distroless-v1.33.2';

  /**
   * Flag that names the KV connector protocol on the routing sidecar of this release (`--kv-connector` since
   * llm-d-router-disagg-sidecar v0.9; `--connector` on llm-d-routing-sidecar ≤ v0.7).
   */
  public static readonly ROUTING_SIDECAR_CONNECTOR_FLAG = '--kv-connector';
  /** Whether the pinned sidecar has SSRF protection with an InferencePool allowlist (v0.10.0 does; v0.9 does not). */
  public static readonly ROUTING_SIDECAR_HAS_SSRF_PROTECTION = true;

  /** apiVersion of InferencePool (GIE v1). */
  public static readonly INFERENCE_POOL_API = 'inference.networking.k8s.io/v1';
  /** apiVersion of the legacy InferencePool (GIE v1alpha2). */
  public static readonly INFERENCE_POOL_LEGACY_API = 'inference.networking.x-k8s.io/v1alpha2';
  /** apiVersion of InferenceObjective and InferenceModelRewrite (llm-d router). */
  public static readonly LLM_D_OBJECTIVE_API = 'llm-d.ai/v1alpha2';
  /** apiVersion of the EPP's EndpointPickerConfig document. */
  public static readonly ENDPOINT_PICKER_CONFIG_API = 'llm-d.ai/v1alpha1';
  /** apiVersion of Gateway and HTTPRoute. */
  public static readonly GATEWAY_API_VERSION = 'gateway.networking.k8s.io/v1';
  /** apiVersions of KServe's LLMInferenceService and LLMInferenceServiceConfig the translation reads. */
  public static readonly LLM_INFERENCE_SERVICE_API_V1ALPHA1 = 'serving.kserve.io/v1alpha1';
  /** The newer served version of LLMInferenceService. */
  public static readonly LLM_INFERENCE_SERVICE_API_V1ALPHA2 = 'serving.kserve.io/v1alpha2';
  /** The KServe presets' vLLM image (llm-d CUDA build, KServe HEAD after v0.20.0). */
  public static readonly KSERVE_PRESET_VLLM_IMAGE = 'ghcr.io/llm-d/llm-d-cuda:v0.9.0';
  /** apiVersion of LeaderWorkerSet. */
  public static readonly LEADER_WORKER_SET_API = 'leaderworkerset.x-k8s.io/v1';
  /** apiVersion of HorizontalPodAutoscaler. */
  public static readonly HPA_API = 'autoscaling/v2';
  /** apiVersion of KEDA's ScaledObject (KEDA 2.x). */
  public static readonly KEDA_SCALED_OBJECT_API = 'keda.sh/v1alpha1';
  /** apiVersion of the Workload Variant Autoscaler's VariantAutoscaling (llm-d WVA v0.5.1). */
  public static readonly VARIANT_AUTOSCALING_API = 'llmd.ai/v1alpha1';
  /** apiVersion of PodDisruptionBudget. */
  public static readonly PDB_API = 'policy/v1';

  private constructor() {}
}
