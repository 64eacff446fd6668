// The public API. Internals (pipeline steps, pod builders, helper functions) are not exported from here.
import './internal/library-code-cache';
export { LlmdConfigError, ConfigErrors, type ConfigErrorDetails } from './errors';
export { Versions } from './versions';
export { ResourceNames } from './wiring/names';
export { AnnotationKeys, LabelKeys, ServingRole, WiringLabels, WorkloadComponents } from './wiring/labels';
export { Ports } from './wiring/ports';
export { StartupBudgets } from './wiring/startup';
export { DrainBudgets } from './wiring/drain';
export { type SecretKeyRef, type HuggingFaceOptions, type S3Options, type GcsOptions, ModelSourceKind, ModelSource } from './model/model-source';
export {
  type TolerationSpec, type AcceleratorOptions, type DeviceClaimOptions, type GpuOptions, type TpuOptions, Accelerator, AcceleratorType,
  AcceleratorTypeSelector,
} from './model/accelerator';
export { type ModelProfileProps, ModelProfile } from './model/model-profile';
export { DataParallelLoadBalancing, type Parallelism } from './model/parallelism';
export { type LoraAdapter, type LoraOptions } from './model/lora';
export { KvRoles, type NixlOptions, type SglangTransferOptions, KvTransfer } from './model/kv-transfer';
export {
  KvCacheEvictionPolicy, type EphemeralKvCacheVolumeOptions, type ExistingClaimKvCacheTierOptions, KvCacheTier, type KvCacheOffloadOptions,
  type LmCacheOptions, KvCache,
} from './model/kv-cache';
export { type RdmaOptions } from './model/rdma';
export { type VllmOptions, type SglangOptions, type SimulatorOptions, EngineKind, Engine, VllmLogLevel } from './engine/engine';
export { type ServingResources } from './serving/model-server';
export { type RoutingSidecarProps, RoutingSidecar } from './serving/routing-sidecar';
export { type GatewayRef, type RoutePathOptions, type RouteOptions } from './routing/gateway-ref';
export { FailureMode, InferencePoolApi, type IInferencePool, type InferencePoolProps, InferencePool } from './routing/inference-pool';
export { type InferenceObjectiveProps, InferenceObjective } from './routing/inference-objective';
export { type ModelRewriteTarget, type ModelRewriteRule, type InferenceModelRewriteProps, InferenceModelRewrite } from './routing/inference-model-rewrite';
export { type EndpointPickerResources, type EndpointPickerTlsOptions, type EndpointPickerProps, EndpointPicker } from './routing/endpoint-picker';
export * from './scheduler';
export { type ILlmServingEndpoint, LlmServingEndpoints } from './pipeline/serving-endpoint';
export { type ModelServingProps, type RolloutOptions } from './patterns/serving-props';
export { type EndpointPickerOptions } from './patterns/serving-routing';
export { type LlmServiceProps, LlmService } from './patterns/llm-service';
export { type PrefillDecodeRole, type PrefillDecodePairProps, PrefillDecodePair } from './patterns/prefill-decode-pair';
export { LaunchStrategy, type MultiNodeNetworkOptions, type MultiNodeGroupProps, MultiNodeGroup } from './patterns/multi-node-group';
export { GatewayProvider, type GatewayListener, type ProviderExtras, type InferenceGatewayProps, type PoolRouteOptions, type WeightedBackend, type WeightedRouteOptions, InferenceGateway } from './patterns/inference-gateway';
export { type PrerequisitesProps, Prerequisites } from './patterns/prerequisites';
export { KServeMode, type KServeConditionReport, type KServePreset, type LlmInferenceServiceProps, LlmInferenceService } from './kserve';
export { type ScalingRules, type ScalingBehavior, type HpaAutoscalingOptions, type KedaTrigger, type KedaAutoscalingOptions, type WvaKedaOptions, WvaActuator, type WvaAutoscalingOptions, Autoscaling } from './operations/autoscaling';
export { type PodMetricOptions, ScalingMetric } from './operations/scaling-metric';
export { DisruptionBudget } from './operations/disruption-budget';
export { NetworkPeer, type NetworkPolicyOptions, NetworkPolicies } from './operations/network-policy';
export { SpreadMode, type PlacementOptions } from './operations/placement';
export { type ImageMirrorOptions, ImageRegistry } from './operations/image-registry';
export { type CertManagerIssuerRef, type CertManagerTlsOptions, type SecretTlsOptions, Tls } from './operations/tls';
export { PodSecurityLevel, type PodSecurityFinding, type PodSecurityReport, PodSecurity } from './operations/pod-security';
export { type GkeMonitoringOptions, type PrometheusOperatorMonitoringOptions, Monitoring } from './operations/monitoring';
export { type TracingOptions } from './operations/tracing';
export { MetricNames } from './wiring/metrics';
export { LlmdValidation } from './validation/synth-validation';
export * from './plan';
