import { ApiObject, Duration, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { readKvCacheOffloading } from './kv-cache-offloading';
import { cloneJson, isPlainObject, strategicMerge } from './merge';
import { isWellKnownPreset, KSERVE_DEFAULT_GATEWAY, KSERVE_POOL_MIGRATED_ANNOTATION, KSERVE_PRESETS, PIPELINE_PARALLEL_PRESET } from './presets';
import { kserveAutoscaling } from './scaling';
import { checkSpec, KSERVE_API_VERSIONS } from './spec-check';
import { KServeConditionReport, KServeMode, kserveStatusReport } from './status';
import { renderTemplates } from './template';
import { kvRolesOf, readWorkload, WorkloadPlan } from './workload-reader';
import { FieldContext } from '../internal/context';
import { checkArgs } from '../internal/prop-check';
import { Accelerator, AcceleratorType, DeviceClaimOptions } from '../model/accelerator';
import { CAPACITY_WARNING, derivedStartupSeconds } from '../model/capacity';
import { KvCache } from '../model/kv-cache';
import { KvTransfer } from '../model/kv-transfer';
import { LoraAdapter, LoraOptions } from '../model/lora';
import { ModelProfile } from '../model/model-profile';
import { ModelSource } from '../model/model-source';
import { DataParallelLoadBalancing } from '../model/parallelism';
import { RdmaOptions } from '../model/rdma';
import { Autoscaling } from '../operations/autoscaling';
import { DisruptionBudget } from '../operations/disruption-budget';
import { ImageRegistry } from '../operations/image-registry';
import { NetworkPolicies } from '../operations/network-policy';
import { SpreadMode } from '../operations/placement';
import { Tls } from '../operations/tls';
import { resolveTracing, TRACING_DEFAULTS, TracingOptions } from '../operations/tracing';
import { LlmService } from '../patterns/llm-service';
import { LaunchStrategy, MultiNodeGroup } from '../patterns/multi-node-group';
import { PrefillDecodePair } from '../patterns/prefill-decode-pair';
import { RolloutOptions } from '../patterns/serving-props';
import { EndpointPickerOptions } from '../patterns/serving-routing';
import { keepKServeRolloutDefaults } from '../pipeline/role-plan';
import { GatewayRef, RouteOptions } from '../routing/gateway-ref';
import { FailureMode } from '../routing/inference-pool';
import { LATENCY_PRODUCER_PLUGIN } from '../routing/latency-predictor';
import { SchedulerConfig } from '../scheduler/scheduler-config';
import { parseConfigText } from '../scheduler/yaml-text';
import { registerSynthValidation } from '../validation/synth-validation';
import { DrainBudgets } from '../wiring/drain';
import { AnnotationKeys, LabelKeys, WiringLabels } from '../wiring/labels';
import { ResourceNames } from '../wiring/names';
import { resolveNamespace } from '../wiring/namespace';
import { Ports } from '../wiring/ports';
import { StartupBudgets } from '../wiring/startup';

/** KServe's controller creates no PodDisruptionBudget; the translation renders what it renders. */
const NO_BUDGET = DisruptionBudget.none();

/** Props of {@link LlmInferenceService}. */
export interface LlmInferenceServiceProps {
  /**
   * The parsed `LLMInferenceService` object (`serving.kserve.io/v1alpha1` or `v1alpha2`): `apiVersion`, `kind`,
   * `metadata` and `spec`, as read from YAML.
   */
  readonly resource: Record<string, any>;
  /**
   * `LLMInferenceServiceConfig` objects that `spec.baseRefs` may name (the well-known `kserve-config-llm-*`
   * presets are built in).
   * @default - none
   */
  readonly configs?: Record<string, any>[];
  /**
   * Namespace of the objects.
   * @default - `metadata.namespace`, else the Chart's namespace
   */
  readonly namespace?: string;
  /**
   * The Gateway a managed route attaches to when `router.gateway` has no refs (KServe's
   * `ingress.kserveIngressGateway`).
   * @default - kserve/kserve-ingress-gateway
   */
  readonly defaultGateway?: GatewayRef;
  /**
   * Request timeout of the managed route.
   * @default Duration.seconds(0) (KServe's routes disable it)
   */
  readonly requestTimeout?: Duration;
  /**
   * Also emit the `inference.networking.x-k8s.io/v1alpha2` InferencePool KServe creates when that CRD exists.
   * @default false
   */
  readonly legacyV1alpha2Pool?: boolean;
  /**
   * Prometheus server for `spec.scaling.wva.keda` (KServe reads it from its `autoscaling-wva-controller-config`).
   * @default - none (WVA with KEDA is refused)
   */
  readonly prometheusServerAddress?: string;
  /**
   * Accept vLLM flags missing from the pinned vLLM v0.23.0 table (KServe's `llm-d-cuda` image may bundle another
   * vLLM). Library-owned flags are still rejected.
   * @default false
   */
  readonly allowUnknownFlags?: boolean;
  /**
   * NetworkPolicies of the rendered pods (a library extra; the controller creates none).
   * @default NetworkPolicies.none()
   */
  readonly networkPolicy?: NetworkPolicies;
  /**
   * Where the rendered pods pull their images from (air-gapped clusters).
   * @default ImageRegistry.upstream()
   */
  readonly imageRegistry?: ImageRegistry;
  /**
   * TLS on every hop, what the controller's global `enableLLMInferenceServiceTLS` switches on, with the certificate from
   * cert-manager or a Secret instead of the controller's self-signed one.
   * @default Tls.none() (the controller's default)
   */
  readonly tls?: Tls;
  /**
   * The model's memory figures: the capacity check, the capacity annotation and a startup budget raised to what the
   * model needs (see `ModelServingProps.profile`).
   * @default - the `llm-d.cdk8s.io/model-profile` annotation (a ModelProfile preset id), else no capacity check
   */
  readonly profile?: ModelProfile;
  /**
   * The accelerator type of the pods, for the capacity check.
   * @default - the `llm-d.cdk8s.io/accelerator-type` annotation, else read from the template's `nvidia.com/gpu.product`
   * or `cloud.google.com/gke-accelerator` node selector
   */
  readonly acceleratorType?: AcceleratorType;
}

/**
 * Metadata of the LLMInferenceService copied onto the workload objects and their pod templates
 * (workload_single_node.go:305-325 propagateDeploymentMetadata; workload_multi_node.go:619-664, which adds the
 * `leaderworkerset.sigs.k8s.io` annotations for LeaderWorkerSets).
 */
const CARRIED_ANNOTATION_PREFIXES = ['k8s.v1.cni.cncf.io', 'kueue.x-k8s.io', 'prometheus.io', AnnotationKeys.KSERVE_LOCAL_MODEL];
const CARRIED_LWS_ANNOTATION_PREFIXES = [...CARRIED_ANNOTATION_PREFIXES, 'leaderworkerset.sigs.k8s.io'];
const CARRIED_LABEL_PREFIXES = ['kueue.x-k8s.io', AnnotationKeys.KSERVE_LOCAL_MODEL];
const MODEL_ROUTING_ANNOTATION = AnnotationKeys.KSERVE_MODEL_BASED_ROUTING;
const SUPPORTED_SCHEMES = 'hf://, s3://, pvc://, oci://, oci+native://';

/**
 * The service whose InferencePool `spec.labels` asks to join: the labels carry that service's pool selector
 * (`app.kubernetes.io/name: N2`, `app.kubernetes.io/part-of: llminferenceservice`, `kserve.io/component: workload`),
 * which in KServe makes N2's pool select these pods too.
 */
function sharedPoolOwner(labels: Record<string, any>, self: string): string | undefined {
  const name = labels[LabelKeys.NAME];
  if (typeof name !== 'string' || name === self) return undefined;
  const selector = WiringLabels.workloadSelector(name);
  return Object.entries(selector).every(([k, v]) => String(labels[k]) === v) ? name : undefined;
}

/**
 * The port of the EPP a simulator template's `--zmq-endpoint tcp://<host>:<port>` dials (its KV-events publisher),
 * when the main container runs the inference simulator with its KV cache on.
 */
function simulatorKvEventsPort(spec: Record<string, any>): number | undefined {
  const containers: any[] = Array.isArray(spec.template?.containers) ? spec.template.containers : [];
  const main = containers.find((c) => c?.name === 'main');
  if (typeof main?.image !== 'string' || !/inference-sim/.test(main.image) || !Array.isArray(main.args)) return undefined;
  const args: string[] = main.args.map(String);
  if (!args.includes('--enable-kvcache')) return undefined;
  const at = args.indexOf('--zmq-endpoint');
  const m = at >= 0 ? /^tcp:\/\/[^*:][^:]*:([0-9]+)$/.exec(args[at + 1] ?? '') : null;
  return m ? Number(m[1]) : undefined;
}

/**
 * The template's extra containers, after the library's own (the controller keeps them in the merged pod spec).
 * Only Deployments take them (readWorkload refuses them on LeaderWorkerSets).
 */
function appendContainers(workload: ApiObject, containers: Record<string, any>[]): void {
  for (const c of containers) workload.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/-', c));
}

/**
 * KServe's managed DRA (kserve-llmisvc.md §3.9): `serving.kserve.io/exp-dra-device-class` switches it on, with the
 * device count (default 1), newline-separated CEL selectors and the container that gets the claim. Validated as the
 * webhook does (ValidateManagedDRAAnnotations).
 */
function managedDra(ctx: FieldContext, annotations: Record<string, any> | undefined): { claim: DeviceClaimOptions; count: number } | undefined {
  const a = isPlainObject(annotations) ? annotations : {};
  const at = (k: string) => `metadata.annotations["${k}"]`;
  const present = (k: string) => a[k] !== undefined && a[k] !== null;
  const others = [AnnotationKeys.KSERVE_DRA_DEVICE_COUNT, AnnotationKeys.KSERVE_DRA_CEL_SELECTOR, AnnotationKeys.KSERVE_DRA_CONTAINER_NAME];
  const known = [AnnotationKeys.KSERVE_DRA_DEVICE_CLASS, ...others];
  const unknown = Object.keys(a).find((k) => k.startsWith(AnnotationKeys.KSERVE_DRA_PREFIX) && !known.includes(k));
  if (unknown !== undefined) {
    throw ctx.error(at(unknown), a[unknown], 'is not a managed-DRA annotation KServe reads', `use ${known.join(', ')}`);
  }
  if (!present(AnnotationKeys.KSERVE_DRA_DEVICE_CLASS)) {
    const set = others.find(present);
    if (set !== undefined) {
      throw ctx.error(at(AnnotationKeys.KSERVE_DRA_DEVICE_CLASS), undefined, `is required when ${set} is set (webhook rule)`, 'name the DeviceClass, e.g. gpu.nvidia.com');
    }
    return undefined;
  }
  const deviceClassName = String(a[AnnotationKeys.KSERVE_DRA_DEVICE_CLASS]).trim();
  if (deviceClassName === '' || deviceClassName.length > 253 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(deviceClassName)) {
    throw ctx.error(at(AnnotationKeys.KSERVE_DRA_DEVICE_CLASS), a[AnnotationKeys.KSERVE_DRA_DEVICE_CLASS], 'must be a DeviceClass name (a DNS subdomain; webhook rule)', 'write e.g. gpu.nvidia.com');
  }
  let count = 1;
  const rawCount = present(AnnotationKeys.KSERVE_DRA_DEVICE_COUNT) ? String(a[AnnotationKeys.KSERVE_DRA_DEVICE_COUNT]).trim() : '';
  if (rawCount !== '') {
    count = Number(rawCount);
    if (!/^[0-9]+$/.test(rawCount) || count < 1) {
      throw ctx.error(at(AnnotationKeys.KSERVE_DRA_DEVICE_COUNT), a[AnnotationKeys.KSERVE_DRA_DEVICE_COUNT], 'must be an integer >= 1 (webhook rule)', 'write e.g. "2"');
    }
  }
  let selectors: string[] | undefined;
  if (present(AnnotationKeys.KSERVE_DRA_CEL_SELECTOR)) {
    selectors = String(a[AnnotationKeys.KSERVE_DRA_CEL_SELECTOR]).split('\n').map((x) => x.trim()).filter((x) => x !== '');
    if (selectors.length === 0) {
      throw ctx.error(at(AnnotationKeys.KSERVE_DRA_CEL_SELECTOR), a[AnnotationKeys.KSERVE_DRA_CEL_SELECTOR], 'holds no CEL expression (webhook rule)', 'write one expression per line, or remove the annotation');
    }
  }
  if (present(AnnotationKeys.KSERVE_DRA_CONTAINER_NAME)) {
    const container = String(a[AnnotationKeys.KSERVE_DRA_CONTAINER_NAME]).trim();
    if (container !== 'main') {
      throw ctx.error(at(AnnotationKeys.KSERVE_DRA_CONTAINER_NAME), a[AnnotationKeys.KSERVE_DRA_CONTAINER_NAME],
        'gives the claim to a container other than the model server; the library renders the template\'s main container only and claims the devices for it',
        'set it to main, or remove it (KServe then gives the claim to the first container, main)');
    }
  }
  return { claim: { deviceClassName, selectors }, count };
}

/**
 * A KServe `LLMInferenceService` rendered without the operator. The object (and the LLMInferenceServiceConfigs its
 * `baseRefs` name) is merged in the controller's order, its template variables are rendered, the serving mode is
 * detected as the controller does, and the objects are built by composing {@link LlmService},
 * {@link PrefillDecodePair} or {@link MultiNodeGroup}: names, labels, selectors and ports come from the one wiring
 * contract. What the library cannot represent is either rejected with an `LlmdConfigError` (when dropping it
 * would change what the pods do) or listed in {@link LlmInferenceService.warnings}.
 */
export class LlmInferenceService extends Construct {
  /** The serving mode the controller would pick for a (merged) spec (`kserve-llmisvc.md` §3.3–§3.6). */
  public static detectMode(spec: Record<string, any>): KServeMode {
    const prefill = isPlainObject(spec.prefill);
    const worker = spec.worker !== undefined && spec.worker !== null;
    const prefillWorker = prefill && spec.prefill.worker !== undefined && spec.prefill.worker !== null;
    if (prefill) return worker || prefillWorker ? KServeMode.PREFILL_DECODE_MULTI_NODE : KServeMode.PREFILL_DECODE;
    return worker ? KServeMode.MULTI_NODE : KServeMode.SIMPLE;
  }

  /** Service name `N` (`metadata.name`). */
  public readonly name: string;
  /** Namespace, when known. */
  public readonly namespace?: string;
  /** The detected mode. */
  public readonly mode: KServeMode;
  /** The served model name (`spec.model.name`, default `metadata.name`). */
  public readonly servedModelName: string;
  /** The spec after merging baseRefs and rendering template variables. */
  public readonly mergedSpec: Record<string, any>;
  /** Configs combined, in merge order (well-known presets and baseRefs), as `status.appliedConfigs` would list. */
  public readonly appliedConfigs: string[];
  /** Fields pruned or not rendered, one message each. */
  public readonly warnings: string[];
  /** Paths of input fields the API server would prune (unknown to the CRD schema), e.g. `spec.workload`. */
  public readonly prunedFields: string[];
  /** The composed single-node service (mode SIMPLE). */
  public readonly llmService?: LlmService;
  /** The composed P/D pair (mode PREFILL_DECODE). */
  public readonly prefillDecodePair?: PrefillDecodePair;
  /** The composed multi-node group (mode MULTI_NODE). */
  public readonly multiNodeGroup?: MultiNodeGroup;
  /** The managed HTTPRoute, when rendered. */
  public readonly route?: ApiObject;
  private readonly gateways: string[] = [];
  private readonly hasScheduler: boolean;
  private readonly hasTokenizer: boolean;
  private readonly hasLatencyPredictor: boolean;

  constructor(scope: Construct, id: string, props: LlmInferenceServiceProps) {
    super(scope, id);
    checkArgs('LlmInferenceService.constructor', arguments, this.node.path);
    registerSynthValidation(this);
    const ctx = new FieldContext(this.node.path);
    const warnings: string[] = [];
    const warn = (m: string) => warnings.push(m);
    this.warnings = warnings;
    const pruned: string[] = [];
    this.prunedFields = pruned;
    const r = props?.resource;
    if (!isPlainObject(r)) throw ctx.error('resource', r, 'must be a parsed LLMInferenceService object', 'pass the YAML document parsed into an object');
    if (!KSERVE_API_VERSIONS.includes(r.apiVersion) || r.kind !== 'LLMInferenceService') {
      throw ctx.error('apiVersion/kind', `${r.apiVersion}/${r.kind}`, 'is not an LLMInferenceService', `use apiVersion ${KSERVE_API_VERSIONS.join(' or ')} with kind LLMInferenceService`);
    }
    const version = String(r.apiVersion).split('/')[1];
    const meta = isPlainObject(r.metadata) ? r.metadata : {};
    this.name = meta.name;
    if (typeof this.name !== 'string' || !/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(this.name) || this.name.length > 63) {
      throw ctx.error('metadata.name', meta.name, 'must be a DNS-1035 label of at most 63 characters', 'name the service with lowercase letters, digits and -');
    }
    const namespace = props.namespace ?? meta.namespace;
    this.namespace = resolveNamespace(this, namespace);
    const own = checkSpec(ctx, version, r.spec, 'LLMInferenceService');
    warnings.push(...own.warnings);
    pruned.push(...own.pruned);

    // ---- baseRefs (§2.2 steps 7–8) ----
    const configs = new Map<string, Record<string, any>>();
    for (const [i, c] of (props.configs ?? []).entries()) {
      const cctx = new FieldContext(this.node.path, `configs[${i}]`);
      if (!isPlainObject(c) || !KSERVE_API_VERSIONS.includes(c.apiVersion) || c.kind !== 'LLMInferenceServiceConfig') {
        throw cctx.error('apiVersion/kind', `${c?.apiVersion}/${c?.kind}`, 'is not an LLMInferenceServiceConfig', `use apiVersion ${KSERVE_API_VERSIONS.join(' or ')}`);
      }
      const checked = checkSpec(cctx, String(c.apiVersion).split('/')[1], c.spec, 'LLMInferenceServiceConfig');
      if (checked.spec.baseRefs !== undefined) throw cctx.error('spec.baseRefs', checked.spec.baseRefs, 'an LLMInferenceServiceConfig cannot have baseRefs (the webhook forbids it)', 'merge them into this config');
      warnings.push(...checked.warnings.map((w) => `config ${c.metadata?.name}: ${w}`));
      pruned.push(...checked.pruned.map((f) => `config ${c.metadata?.name}: ${f}`));
      configs.set(c.metadata?.name, checked.spec);
    }
    const userRefs: string[] = [];
    let merged: Record<string, any> = {};
    const baseRefs = own.spec.baseRefs ?? [];
    if (!Array.isArray(baseRefs)) throw ctx.error('spec.baseRefs', baseRefs, 'must be a list of {name}', 'write baseRefs: [{ name: my-config }]');
    for (const [i, ref] of baseRefs.entries()) {
      const refName = ref?.name;
      const cfg = configs.get(refName);
      if (cfg !== undefined) {
        merged = strategicMerge(merged, cfg);
        userRefs.push(refName);
      } else if (!isWellKnownPreset(refName)) {
        throw ctx.error(`spec.baseRefs[${i}].name`, refName, 'names no LLMInferenceServiceConfig given and no well-known preset (KServe: PresetsCombined=False, ConfigNotFound)',
          `pass the config (a document of the same input, or props.configs), or use one of ${KSERVE_PRESETS.map((p) => p.name).join(', ')}`);
      }
    }
    const ownSpec = cloneJson(own.spec);
    delete ownSpec.baseRefs;
    // §2.1: a model.name from a baseRef replaces the service's own.
    const refModelName = merged.model?.name;
    merged = strategicMerge(merged, ownSpec);
    if (refModelName !== undefined) merged.model = { ...merged.model, name: refModelName };
    this.servedModelName = merged.model?.name ?? this.name;
    const modelUri = merged.model?.uri;
    if (typeof modelUri !== 'string' || modelUri === '') throw ctx.error('spec.model.uri', modelUri, 'is required (the CRD marks model.uri required)', 'set spec.model.uri, e.g. hf://Qwen/Qwen3-0.6B');

    // ---- template variables (§2.3 step 3): .Spec is the service's own spec with the resolved model name ----
    const dataSpec = cloneJson(ownSpec);
    dataSpec.model = { ...dataSpec.model, name: this.servedModelName };
    // KServe's SchedulerSpec.InferencePoolName: kmeta.ChildName(name, "-inference-pool"), the pattern's pool name.
    const poolName = ResourceNames.of(this.name).inferencePool;
    const gwDefault = props.defaultGateway ?? KSERVE_DEFAULT_GATEWAY;
    merged = renderTemplates(ctx, 'spec', merged, {
      ObjectMeta: { Name: this.name, Namespace: this.namespace ?? '', Labels: meta.labels ?? {}, Annotations: meta.annotations ?? {} },
      Spec: dataSpec,
      GlobalConfig: {
        SystemNamespace: 'kserve',
        IngressGatewayName: gwDefault.name,
        IngressGatewayNamespace: gwDefault.namespace ?? 'kserve',
        EnableTLS: false,
        ModelBasedRoutingHeaderName: 'X-Gateway-Model-Name',
        InferencePoolNamespacedName: `${this.namespace ?? ''}/${poolName}`,
      },
    });
    this.mergedSpec = merged;
    this.mode = LlmInferenceService.detectMode(merged);

    // ---- validation the webhook does (§1.1) ----
    const checkWorker = (base: string, w: Record<string, any>) => {
      if (w.worker === undefined || w.worker === null) return;
      const p = w.parallelism ?? {};
      const data = p.data !== undefined || p.dataLocal !== undefined;
      if (!data && p.pipeline === undefined) {
        throw ctx.error(`${base}.worker`, 'set', 'a worker needs parallelism with data (data/dataLocal) or pipeline; without it the group size is unknown (webhook rejects it)',
          `set ${base}.parallelism.data and dataLocal (e.g. 16 / 8), or remove ${base}.worker`);
      }
      if (data && p.pipeline !== undefined) {
        throw ctx.error(`${base}.parallelism.pipeline`, p.pipeline, 'pipeline and data parallelism cannot be combined (webhook rule)', 'keep one of them');
      }
      if (data && (p.data === undefined || p.dataLocal === undefined)) {
        throw ctx.error(`${base}.parallelism.${p.data === undefined ? 'data' : 'dataLocal'}`, undefined, 'data and dataLocal must be set together (webhook rule)', 'set both');
      }
      if (p.pipeline !== undefined && !configs.has(PIPELINE_PARALLEL_PRESET)) {
        throw ctx.error(`${base}.parallelism.pipeline`, p.pipeline,
          `pipeline-parallel multi-node needs the preset ${PIPELINE_PARALLEL_PRESET}, which KServe does not ship, so the controller reports PresetsCombined=False (ConfigNotFound) and creates nothing`,
          `use data parallelism (data/dataLocal) with worker, provide an LLMInferenceServiceConfig named ${PIPELINE_PARALLEL_PRESET}, or use MultiNodeGroup with LaunchStrategy.ray()`);
      }
    };
    checkWorker('spec', merged);
    if (isPlainObject(merged.prefill)) checkWorker('spec.prefill', merged.prefill);
    // spec.kvCacheOffloading / spec.prefill.kvCacheOffloading (v1alpha2), or a cache connector in the template's own
    // --kv-transfer-config; the controller skips its KV_TRANSFER_ARGS when the template sets one, so both at once is refused.
    const kvCacheOf = (base: string, w: Record<string, any> | undefined, plan: WorkloadPlan): KvCache | undefined => {
      const typed = readKvCacheOffloading(ctx, `${base}.kvCacheOffloading`, w?.kvCacheOffloading, warn);
      if (typed && plan.kvTransferRead !== undefined) {
        throw ctx.error(`${base}.kvCacheOffloading`, w?.kvCacheOffloading, 'the template also sets --kv-transfer-config, so the controller would not render this offloading config',
          'remove one of them (a MultiConnector with NixlConnector and OffloadingConnector in the template, or kvCacheOffloading alone)');
      }
      return typed ?? plan.kvTransferRead?.cache;
    };
    const mainScaling = kserveAutoscaling(ctx, 'spec', merged.scaling, warn, props.prometheusServerAddress);
    const prefillScaling = isPlainObject(merged.prefill) ? kserveAutoscaling(ctx, 'spec.prefill', merged.prefill.scaling, warn, props.prometheusServerAddress) : undefined;
    // workload_single_node.go:522-537 (Deployment) and workload_multi_node.go:674-693 (LeaderWorkerSet); prefill
    // reads spec.prefill.rolloutStrategy only.
    const rolloutOf = (base: string, w: Record<string, any> | undefined): RolloutOptions | undefined => {
      const rs = w?.rolloutStrategy;
      if (rs === undefined || rs === null) return undefined;
      if (!isPlainObject(rs)) throw ctx.error(`${base}.rolloutStrategy`, rs, 'must be an object', "write rolloutStrategy: { maxUnavailable: 1, maxSurge: '25%' }");
      const str = (key: string) => {
        const v = rs[key];
        if (v === undefined || v === null) return undefined;
        if (!/^(0|[1-9][0-9]*)%?$/.test(String(v))) throw ctx.error(`${base}.rolloutStrategy.${key}`, v, 'must be an integer or a percentage (IntOrString)', "write e.g. 1 or '25%'");
        return String(v);
      };
      return { maxUnavailable: str('maxUnavailable'), maxSurge: str('maxSurge') };
    };
    const mainRollout = rolloutOf('spec', merged);
    const prefillRollout = rolloutOf('spec.prefill', merged.prefill);
    const tracing = this.tracingOf(ctx, merged.tracing);
    if (merged.storageInitializer?.enabled === false) warn('spec.storageInitializer.enabled=false: the library always attaches the model (storage-initializer, PVC or modelcar)');
    if (merged.model?.confidential !== undefined) warn('spec.model.confidential: not rendered (no model decryption)');
    const deviceClaim = managedDra(ctx, meta.annotations);

    // ---- model and LoRA ----
    const model = this.modelSource(ctx, modelUri);
    const lora = isPlainObject(merged.model?.lora) ? merged.model.lora : {};
    const adapters = this.loraAdapters(ctx, lora.adapters);
    // addLoRAVLLMArgs (workload_lora.go:244-258) passes --max-lora-rank / --max-loras / --max-cpu-loras only when set.
    const loraOptions: LoraOptions = { maxRank: lora.maxRank, maxAdapters: lora.maxAdapters, engineDefaultMaxAdapters: true };
    const allowUnknownFlags = props.allowUnknownFlags ?? false;
    const extraFlags = lora.maxCpuAdapters !== undefined && adapters.length > 0 ? [`--max-cpu-loras=${lora.maxCpuAdapters}`] : [];

    // ---- router ----
    const router = isPlainObject(merged.router) ? merged.router : {};
    const pd = this.mode === KServeMode.PREFILL_DECODE || this.mode === KServeMode.PREFILL_DECODE_MULTI_NODE;
    const scheduler = this.schedulerConfig(ctx, router.scheduler, pd, adapters.length > 0, simulatorKvEventsPort(merged), warn);
    this.hasScheduler = scheduler !== undefined;
    this.hasTokenizer = scheduler?.hasPlugin('token-producer') ?? false;
    this.hasLatencyPredictor = scheduler?.hasPlugin(LATENCY_PRODUCER_PLUGIN) ?? false;
    const endpointPicker: EndpointPickerOptions | undefined = scheduler
      ? {
        replicas: router.scheduler?.replicas,
        legacyV1alpha2Pool: props.legacyV1alpha2Pool,
        ...this.endpointPickerOverrides(ctx, router.scheduler, warn),
      }
      : undefined;
    const routeOpts = this.routeOptions(ctx, router, gwDefault, props.requestTimeout, warn);
    // The controller's settled state of the v1alpha2 → v1 pool migration (kserve-llmisvc.md §6.2).
    const route: RouteOptions | undefined = routeOpts && scheduler
      ? { ...routeOpts, annotations: { [KSERVE_POOL_MIGRATED_ANNOTATION]: 'v1' } }
      : routeOpts;
    if (router.ingress !== undefined) warn('spec.router.ingress: has no effect (KServe creates no Ingress either)');

    // ---- pods ----
    const pick = (m: Record<string, any> | undefined, prefixes: string[]) =>
      Object.fromEntries(Object.entries(m ?? {}).filter(([k]) => prefixes.some((p) => k.startsWith(p))).map(([k, v]) => [k, String(v)]));
    /** The carried metadata of a workload (a LeaderWorkerSet when `group`), for the object and its pod templates. */
    const carried = (group: boolean) => ({
      labels: pick(meta.labels, CARRIED_LABEL_PREFIXES),
      annotations: pick(meta.annotations, group ? CARRIED_LWS_ANNOTATION_PREFIXES : CARRIED_ANNOTATION_PREFIXES),
    });
    const isGroup = (w: Record<string, any> | undefined) => w?.worker !== undefined && w?.worker !== null;
    const mainCarried = carried(isGroup(merged));
    const podAnnotations: Record<string, string> = { ...mainCarried.annotations };
    const podLabels: Record<string, string> = { ...mainCarried.labels };
    const nonEmpty = (m: Record<string, string>) => (Object.keys(m).length ? m : undefined);
    let joinPoolOf: string | undefined;
    const ownLabels = (base: string, w: Record<string, any>) => {
      const labels: Record<string, string> = {};
      const raw: Record<string, any> = isPlainObject(w.labels) ? w.labels : {};
      const poolOwner = base === 'spec' ? sharedPoolOwner(raw, this.name) : undefined;
      for (const [k, v] of Object.entries(raw)) {
        if (poolOwner !== undefined && k in WiringLabels.workloadSelector(poolOwner)) continue;
        if (LabelKeys.isWiringKey(k)) {
          throw ctx.error(`${base}.labels["${k}"]`, v, 'overrides a wiring label: KServe puts spec.labels into the Deployment selector too, and the library keeps selectors to the wiring labels',
            `remove it; to join another service's InferencePool, set exactly its pool selector (${Object.keys(WiringLabels.workloadSelector('N')).join(', ')}) and no other wiring label`);
        }
        labels[k] = String(v);
      }
      if (poolOwner !== undefined) joinPoolOf = poolOwner;
      const annotations = Object.fromEntries(Object.entries(isPlainObject(w.annotations) ? w.annotations : {})
        .filter(([k]) => k !== MODEL_ROUTING_ANNOTATION).map(([k, v]) => [k, String(v)]));
      return { labels, annotations };
    };
    const main = ownLabels('spec', merged);
    Object.assign(podLabels, main.labels);
    Object.assign(podAnnotations, main.annotations);
    const withToken = (plan: WorkloadPlan) => plan.hfToken && model.scheme === 'hf'
      ? ModelSource.huggingFace(model.location.split(':')[0], { revision: model.uri.split(':')[2], token: plan.hfToken })
      : model;
    const kvEventsCheck = (base: string, plan: WorkloadPlan) => {
      if (plan.kvEventsFromTemplate && !(scheduler?.usesPrecisePrefixCache ?? false)) {
        throw ctx.error(`${base}.template.containers[main]`, '--kv-events-config', 'publishes KV events but the scheduler config has no precise prefix-cache plugin to receive them',
          'add precise-prefix-cache-producer to router.scheduler.config.inline, or drop --kv-events-config');
      }
      if (plan.kvEventsFromTemplate) warn(`${base}.template.containers[main]: --kv-events-config replaced by the one derived from the scheduler config (same endpoint, port and block size)`);
    };
    // ---- capacity: the model profile and accelerator type (props, else annotations) ----
    const profileId = meta.annotations?.[AnnotationKeys.MODEL_PROFILE];
    const profile = props.profile ?? (profileId === undefined ? undefined : ModelProfile._lookup(profileId));
    if (profileId !== undefined && profile === undefined) {
      throw ctx.error(`metadata.annotations["${AnnotationKeys.MODEL_PROFILE}"]`, profileId, 'is not a model profile preset',
        `use one of ${ModelProfile.presetIds().join(', ')}, or pass profile: ModelProfile.custom({...}) (CLI: --profile)`);
    }
    const typeName = meta.annotations?.[AnnotationKeys.ACCELERATOR_TYPE];
    const acceleratorType = props.acceleratorType ?? (typeName === undefined ? undefined : AcceleratorType._lookup(typeName));
    if (typeName !== undefined && acceleratorType === undefined) {
      throw ctx.error(`metadata.annotations["${AnnotationKeys.ACCELERATOR_TYPE}"]`, typeName, 'is not an accelerator type',
        `use one of ${AcceleratorType.all().map((t) => t.name).join(', ')}`);
    }
    const sized = (a: Accelerator) => (acceleratorType && a.isDevice ? a._withType(acceleratorType) : a);
    const startupFor = (given: Duration, multiPod: boolean, field: string) => {
      if (!profile) return given;
      const needed = derivedStartupSeconds(profile, multiPod, undefined, ctx);
      if (needed <= given.toSeconds()) return given;
      warn(`${field}.template.containers[main].startupProbe: budget raised from ${given.toSeconds()} s to ${needed} s for ${profile.id} `
        + `(${Math.round(profile.weightBytes / 1024 ** 3)} GiB read at ${StartupBudgets.DEFAULT_LOAD_RATE.toMebibytes()} MiB/s + engine start)`);
      return Duration.seconds(needed);
    };

    const common = {
      profile,
      name: this.name,
      namespace,
      servedModelName: this.servedModelName,
      loraAdapters: adapters,
      lora: loraOptions,
      endpointPicker,
      route,
      tracing,
      networkPolicy: props.networkPolicy ?? NetworkPolicies.none(),
      // the controller writes no spread constraints; the template's own scheduling fields carry over
      placement: { nodeSpread: SpreadMode.NONE },
      imageRegistry: props.imageRegistry,
      tls: props.tls,
      // The controller's pods keep the template's grace period (60 s from the presets).
      terminationGracePeriod: typeof merged.template?.terminationGracePeriodSeconds === 'number'
        ? Duration.seconds(merged.template.terminationGracePeriodSeconds) : DrainBudgets.DEFAULT_GRACE,
    };

    // The ServiceAccount of a workload (workload_single_node.go expectedSingleNodeMainServiceAccount,
    // workload_multi_node.go expectedMultiNodeMainServiceAccount / expectedMultiNodePrefillServiceAccount): the
    // template's, else (LeaderWorkerSet) the worker's; the controller's own name means "create it".
    const names = ResourceNames.of(this.name);
    const userServiceAccount = (w: Record<string, any>, groupName: string, sidecarName: string | undefined): string | undefined => {
      const group = w.worker !== undefined && w.worker !== null;
      const sa = [w.template?.serviceAccountName, group ? w.worker?.serviceAccountName : undefined].find((x) => typeof x === 'string' && x !== '');
      return sa === (group ? groupName : sidecarName) ? undefined : sa;
    };

    // The data-parallel worker presets apply to a workload with a worker and data parallelism (kserve-llmisvc.md §2.1).
    const dpPreset = (w: Record<string, any> | undefined, kind: 'decode' | 'other') =>
      (isGroup(w) && (w?.parallelism?.data !== undefined || w?.parallelism?.dataLocal !== undefined) ? kind : undefined);

    // spec.labels carrying another service's pool selector (the multi-vendor idiom): join that service's pool.
    let joinPool: LlmService | undefined;
    if (joinPoolOf !== undefined) {
      const at = `spec.labels["${LabelKeys.NAME}"]`;
      if (this.mode !== KServeMode.SIMPLE) {
        throw ctx.error(at, joinPoolOf, `joins the InferencePool of ${joinPoolOf}, which the library renders for single-node services only (this one is ${this.mode})`,
          'drop prefill and worker from this service, or give it its own router.scheduler');
      }
      if (scheduler !== undefined || route !== undefined) {
        throw ctx.error(at, joinPoolOf, `joins the InferencePool of ${joinPoolOf}, whose EPP and route serve it; its own router.${scheduler !== undefined ? 'scheduler' : 'route'} would be a second, competing entry`,
          `remove spec.router from this service, or remove the ${LabelKeys.NAME} label`);
      }
      const owner = this.node.root.node.findAll().find((c): c is LlmInferenceService => c instanceof LlmInferenceService && c !== this
        && c.name === joinPoolOf && (c.namespace ?? '') === (this.namespace ?? ''));
      if (owner?.llmService?.inferencePool === undefined) {
        throw ctx.error(at, joinPoolOf,
          owner === undefined
            ? `names the InferencePool selector of LLMInferenceService ${joinPoolOf}, which is not rendered with this one (the library shares the pool by rendering both together)`
            : `names the pool selector of ${joinPoolOf}, which renders no InferencePool (it needs a single-node spec with router.scheduler)`,
          `render ${joinPoolOf} in the same run (pass both files, or one multi-document file; with LlmInferenceService, construct it first in the same app)`);
      }
      joinPool = owner.llmService;
      warn(`spec.labels: the pool selector of ${joinPoolOf}; rendered as a member of its InferencePool (the pool selects ${LabelKeys.INFERENCE_POOL}, and each Deployment keeps its own selector)`);
    }

    if (this.mode === KServeMode.SIMPLE) {
      const plan = readWorkload(ctx, merged, { base: 'spec', disaggregated: false, extraFlags, warn, allowUnknownFlags, deviceClaim, extraContainers: true });
      kvEventsCheck('spec', plan);
      if (plan.rdma) warn(`spec.template.containers[main].resources ${plan.rdma.resourceName}: RDMA is only rendered for P/D and multi-node`);
      keepKServeRolloutDefaults(this);
      this.llmService = new LlmService(this, 'Service', {
        ...common,
        model: withToken(plan),
        engine: plan.engine,
        accelerator: sized(plan.accelerator),
        parallelism: plan.parallelism,
        replicas: plan.replicas,
        autoscaling: mainScaling,
        disruptionBudget: NO_BUDGET,
        resources: plan.resources,
        sharedMemory: plan.sharedMemory,
        startupTimeout: startupFor(plan.startupTimeout, false, 'spec'),
        kvCache: kvCacheOf('spec', merged, plan),
        serviceAccountName: plan.serviceAccountName,
        rolloutStrategy: mainRollout,
        workloadLabels: nonEmpty(mainCarried.labels),
        workloadAnnotations: nonEmpty(mainCarried.annotations),
        podLabels: Object.keys(podLabels).length ? podLabels : undefined,
        podAnnotations: Object.keys(podAnnotations).length ? podAnnotations : undefined,
        scheduler,
        joinPool,
      });
      this.route = this.llmService.route;
      appendContainers(this.llmService.deployment, plan.extraContainers);
    } else if (pd) {
      const decode = readWorkload(ctx, merged, {
        base: 'spec', disaggregated: true, extraFlags, warn, allowUnknownFlags, deviceClaim, dataParallelPreset: dpPreset(merged, 'decode'), extraContainers: !isGroup(merged),
      });
      const prefill = readWorkload(ctx, merged.prefill, {
        base: 'spec.prefill',
        disaggregated: true,
        extraFlags,
        warn,
        allowUnknownFlags,
        deviceClaim,
        dataParallelPreset: dpPreset(merged.prefill, 'other'),
        extraContainers: !isGroup(merged.prefill),
      });
      kvEventsCheck('spec', decode);
      kvEventsCheck('spec.prefill', prefill);
      // The controller renders both workloads without a scheduler (workload_single_node.go:199-222,
      // workload_multi_node.go:89-112 depend on spec.prefill only); the envtests create P/D services without one.
      if (!scheduler) {
        warn('spec.router.scheduler: not set, so no EPP picks a prefill pod: the workload Service balances requests over decode and prefill pods and none is disaggregated (rendered as the controller does); set router.scheduler: {} for P/D routing');
      }
      const roles = kvRolesOf(prefill.kvRole, decode.kvRole);
      if ((prefill.kvRole !== undefined || decode.kvRole !== undefined) && roles === undefined) {
        throw ctx.error('spec.template.containers[main].env[VLLM_ADDITIONAL_ARGS]', `prefill ${prefill.kvRole} / decode ${decode.kvRole}`,
          'the KV roles of prefill and decode do not pair (kv_producer → kv_consumer, or kv_both on both)', 'set kv_producer on prefill and kv_consumer on decode');
      }
      // The presets add no KV connector (kserve-llmisvc.md §3.4): without one the routing sidecar runs but no KV moves.
      // The library adds NixlConnector only where it can start: GPU pods whose image ships NIXL.
      const nixlSafe = [decode, prefill].every((p) => p.nixlImage && p.accelerator.isDevice);
      const ucx = decode.ucxTransports ?? prefill.ucxTransports;
      let kvTransfer: KvTransfer;
      const [pRead, dRead] = [prefill.kvTransferRead, decode.kvTransferRead];
      for (const key of ['loadFailurePolicy', 'bidirectional'] as const) {
        if (pRead?.nixlRole !== undefined && dRead?.nixlRole !== undefined && pRead[key] !== dRead[key]) {
          throw ctx.error('spec.prefill.template.containers[main]', `prefill ${pRead[key]} / decode ${dRead[key]}`,
            `the NixlConnector ${key === 'bidirectional' ? 'bidirectional_kv_xfer' : 'kv_load_failure_policy'} differs between prefill and decode`, 'set the same value on both roles');
        }
      }
      if (roles !== undefined) {
        kvTransfer = KvTransfer.nixl({ roles, ucxTransports: ucx, loadFailurePolicy: dRead?.loadFailurePolicy, bidirectional: dRead?.bidirectional });
      } else if (nixlSafe) {
        warn('spec.prefill: no --kv-transfer-config in the templates (KServe presets add none); the library adds NixlConnector kv_both on both roles (their GPU images ship NIXL), so KV blocks move as P/D intends');
        kvTransfer = KvTransfer.nixl({ ucxTransports: ucx });
      } else {
        warn('spec.prefill: no --kv-transfer-config in the templates and the images are not known to ship NIXL (CPU images, or others), so as in KServe no KV connector is rendered: decode recomputes every prompt; add NixlConnector to VLLM_ADDITIONAL_ARGS on both roles to move KV blocks');
        kvTransfer = KvTransfer.none();
      }
      const rdmaRes = decode.rdma ?? prefill.rdma;
      const rdma: RdmaOptions | undefined = rdmaRes
        ? { resourceName: rdmaRes.resourceName, count: rdmaRes.count, networks: podAnnotations[AnnotationKeys.MULTUS_NETWORKS] }
        : undefined;
      if (rdma?.networks) delete podAnnotations[AnnotationKeys.MULTUS_NETWORKS];
      const prefillMeta = ownLabels('spec.prefill', merged.prefill);
      const prefillCarried = carried(isGroup(merged.prefill));
      const role = (plan: WorkloadPlan, labels: Record<string, string>, annotations: Record<string, string>,
        autoscaling: Autoscaling | undefined, serviceAccountName: string | undefined,
        workload: { labels: Record<string, string>; annotations: Record<string, string> },
        rolloutStrategy: RolloutOptions | undefined, group: boolean, kvCache: KvCache | undefined) => ({
        kvCache,
        serviceAccountName,
        rolloutStrategy,
        leaderWorkerSet: group || undefined,
        workloadLabels: nonEmpty(workload.labels),
        workloadAnnotations: nonEmpty(workload.annotations),
        podLabels: Object.keys(labels).length ? labels : undefined,
        podAnnotations: Object.keys(annotations).length ? annotations : undefined,
        replicas: plan.replicas,
        autoscaling,
        disruptionBudget: NO_BUDGET,
        parallelism: plan.parallelism,
        accelerator: sized(plan.accelerator),
        engine: plan.engine,
        resources: plan.resources,
        sharedMemory: plan.sharedMemory,
      });
      keepKServeRolloutDefaults(this);
      this.prefillDecodePair = new PrefillDecodePair(this, 'Service', {
        ...common,
        model: withToken(decode),
        prefill: role(prefill, { ...prefillCarried.labels, ...prefillMeta.labels },
          { ...prefillCarried.annotations, ...prefillMeta.annotations }, prefillScaling,
          userServiceAccount(merged.prefill, names.prefillGroupServiceAccount, undefined), prefillCarried, prefillRollout, isGroup(merged.prefill),
          kvCacheOf('spec.prefill', merged.prefill, prefill)),
        decode: role(decode, podLabels, podAnnotations, mainScaling,
          userServiceAccount(merged, names.mainGroupServiceAccount, names.mainDeployment), mainCarried, mainRollout, isGroup(merged),
          kvCacheOf('spec', merged, decode)),
        scheduler: scheduler,
        withoutScheduler: scheduler === undefined ? true : undefined,
        kvTransfer,
        rdma,
        startupTimeout: startupFor(decode.startupTimeout, isGroup(merged) || isGroup(merged.prefill), 'spec'),
      });
      this.route = this.prefillDecodePair.route;
      appendContainers(this.prefillDecodePair.decodeDeployment, decode.extraContainers);
      appendContainers(this.prefillDecodePair.prefillDeployment, prefill.extraContainers);
    } else {
      const plan = readWorkload(ctx, merged, { base: 'spec', disaggregated: false, extraFlags, warn, allowUnknownFlags, deviceClaim, dataParallelPreset: dpPreset(merged, 'other') });
      const worker = readWorkload(ctx, { ...merged, template: merged.worker }, {
        base: 'spec.worker', disaggregated: false, extraFlags, warn: () => undefined, allowUnknownFlags, deviceClaim, dataParallelPreset: dpPreset(merged, 'other'),
      });
      const strip = (c?: Record<string, any>) => {
        const { livenessProbe: _l, readinessProbe: _r, startupProbe: _s, ...rest } = c ?? {};
        return JSON.stringify(rest);
      };
      if (strip(plan.mainContainer) !== strip(worker.mainContainer)) {
        warn('spec.worker.containers[main]: differs from spec.template (beyond probes); the library renders leader and workers from spec.template');
      }
      const rdma: RdmaOptions | undefined = plan.rdma
        ? { resourceName: plan.rdma.resourceName, count: plan.rdma.count, networks: podAnnotations[AnnotationKeys.MULTUS_NETWORKS] }
        : undefined;
      if (rdma?.networks) delete podAnnotations[AnnotationKeys.MULTUS_NETWORKS];
      const pipeline = (merged.parallelism?.pipeline ?? 1) > 1;
      if (pipeline) warn(`spec.worker: rendered with the Ray launch (the ${PIPELINE_PARALLEL_PRESET} config's launcher is not used)`);
      this.multiNodeGroup = new MultiNodeGroup(this, 'Service', {
        ...common,
        model: withToken(plan),
        parallelism: plan.parallelism,
        launch: pipeline ? LaunchStrategy.ray() : LaunchStrategy.dataParallel(DataParallelLoadBalancing.INTERNAL),
        // A worker means a LeaderWorkerSet, even of one-pod groups (workload_multi_node.go:64-87; size from
        // Parallelism.GetSize, :174).
        allowSinglePodGroups: true,
        engine: plan.engine,
        accelerator: sized(plan.accelerator),
        replicas: plan.replicas,
        autoscaling: mainScaling,
        disruptionBudget: NO_BUDGET,
        resources: plan.resources,
        sharedMemory: plan.sharedMemory,
        startupTimeout: startupFor(plan.startupTimeout, true, 'spec'),
        kvCache: kvCacheOf('spec', merged, plan),
        rdma,
        scheduler,
        serviceAccountName: userServiceAccount(merged, names.mainGroupServiceAccount, undefined),
        rolloutStrategy: mainRollout,
        workloadLabels: nonEmpty(mainCarried.labels),
        workloadAnnotations: nonEmpty(mainCarried.annotations),
        podLabels: Object.keys(podLabels).length ? podLabels : undefined,
        podAnnotations: Object.keys(podAnnotations).length ? podAnnotations : undefined,
      });
      this.route = this.multiNodeGroup.route;
    }
    const pattern = this.llmService ?? this.prefillDecodePair ?? this.multiNodeGroup;
    for (const m of pattern?.node.metadata ?? []) if (m.type === CAPACITY_WARNING) warn(String(m.data));

    const applied = KSERVE_PRESETS.filter((p) => this.presetApplies(p.name, router)).map((p) => p.name);
    this.appliedConfigs = [...applied, ...userRefs];
  }


  /** The controller's conditions with what the rendered YAML guarantees and what the cluster must provide. */
  public statusReport(): KServeConditionReport[] {
    return kserveStatusReport({
      name: this.name,
      mode: this.mode,
      scheduler: this.hasScheduler,
      route: this.route !== undefined,
      tokenizer: this.hasTokenizer,
      gateways: this.gateways,
      appliedConfigs: this.appliedConfigs,
    });
  }

  private presetApplies(name: string, router: Record<string, any>): boolean {
    const single = this.mode === KServeMode.SIMPLE;
    switch (name) {
      case 'kserve-config-llm-scheduler': return this.hasScheduler;
      case 'kserve-config-llm-tokenizer': return this.hasTokenizer;
      case 'kserve-config-llm-scheduler-latency-predictor': return this.hasLatencyPredictor;
      case 'kserve-config-llm-router-route': return this.route !== undefined;
      case 'kserve-config-llm-tracing': return this.mergedSpec.tracing !== undefined;
      case 'kserve-config-llm-prefill-template':
      case 'kserve-config-llm-decode-template': return this.mode === KServeMode.PREFILL_DECODE;
      case 'kserve-config-llm-worker-data-parallel': return this.mode === KServeMode.MULTI_NODE && router !== undefined;
      case 'kserve-config-llm-template': return single;
      default: return false;
    }
  }

  private modelSource(ctx: FieldContext, uri: string): ModelSource {
    const scheme = /^([a-z0-9+]+):\/\//.exec(uri)?.[1];
    if (scheme === 'oci+native') {
      throw ctx.error('spec.model.uri', uri, 'oci+native:// (a Kubernetes ImageVolume) is not rendered by the library', 'use oci:// (modelcar), or hf://, s3://, pvc://');
    }
    if (!['hf', 's3', 'pvc', 'oci'].includes(scheme ?? '')) {
      throw ctx.error('spec.model.uri', uri, `unsupported schema in model URI "${scheme ?? uri}" (the KServe controller fails the same way)`, `use one of ${SUPPORTED_SCHEMES}`);
    }
    const source = ModelSource.fromUri(uri);
    source._validate(ctx.constructPath, 'spec.model.uri');
    return source;
  }

  private loraAdapters(ctx: FieldContext, raw: unknown): LoraAdapter[] {
    if (raw === undefined) return [];
    if (!Array.isArray(raw)) throw ctx.error('spec.model.lora.adapters', raw, 'must be a list of {name, uri}', 'write adapters: [{ name: a, uri: hf://org/adapter }]');
    const seen = new Map<string, number>();
    return raw.map((a: any, i: number) => {
      const at = `spec.model.lora.adapters[${i}]`;
      if (typeof a?.name !== 'string' || a.name === '') throw ctx.error(`${at}.name`, a?.name, 'is required (webhook rule)', 'name every adapter');
      if (a.name === '.' || a.name === '..') throw ctx.error(`${at}.name`, a.name, 'must not be "." or ".." (webhook rule: path traversal risk)', 'rename the adapter');
      if (seen.has(a.name)) throw ctx.error(`${at}.name`, a.name, `duplicates spec.model.lora.adapters[${seen.get(a.name)}] (webhook rule: names are unique)`, 'give every adapter a unique name');
      if (a.name === this.servedModelName) throw ctx.error(`${at}.name`, a.name, 'equals the base model name (webhook rule)', 'rename the adapter');
      seen.set(a.name, i);
      const uri = String(a.uri ?? '');
      const scheme = /^([a-z0-9+]+):\/\//.exec(uri)?.[1];
      if (!['hf', 's3', 'pvc'].includes(scheme ?? '')) {
        throw ctx.error(`${at}.uri`, uri, `LoRA adapters cannot come from ${scheme ? scheme + '://' : 'this URI'} (the controller rejects it)`, 'use hf://, s3:// or pvc://');
      }
      return { name: a.name, source: ModelSource.fromUri(uri) };
    });
  }

  private schedulerConfig(ctx: FieldContext, s: unknown, pd: boolean, lora: boolean, simulatorDials: number | undefined,
    warn: (m: string) => void): SchedulerConfig | undefined {
    if (s === undefined || s === null) return undefined;
    if (!isPlainObject(s)) throw ctx.error('spec.router.scheduler', s, 'must be an object', 'write scheduler: {}');
    if (s.replicas !== undefined && (!Number.isInteger(s.replicas) || s.replicas < 1)) {
      throw ctx.error('spec.router.scheduler.replicas', s.replicas, 'must be > 0 (webhook rule)', 'set 1 or more');
    }
    if (s.pool?.ref !== undefined) {
      throw ctx.error('spec.router.scheduler.pool.ref', s.pool.ref, 'references an InferencePool managed elsewhere; the library patterns always create the pool and EPP',
        'drop pool.ref to let the library create N-inference-pool, or build the route to InferencePool.fromName() yourself');
    }
    const config = s.config;
    if (config === undefined) return pd ? SchedulerConfig.prefillDecode({ lora }) : SchedulerConfig.default({ lora });
    if (!isPlainObject(config) || (config.inline === undefined) === (config.ref === undefined)) {
      throw ctx.error('spec.router.scheduler.config', config, 'needs exactly one of inline and ref (webhook rule)', 'set config.inline to the EndpointPickerConfig');
    }
    if (config.ref !== undefined) {
      throw ctx.error('spec.router.scheduler.config.ref', config.ref, 'names a ConfigMap the generator cannot read offline', 'put the EndpointPickerConfig in config.inline');
    }
    let doc: unknown = config.inline;
    if (typeof doc === 'string') {
      const p = parseConfigText(doc);
      if (p.error !== undefined || p.documents.length !== 1) {
        throw ctx.error('spec.router.scheduler.config.inline', doc.slice(0, 60), p.error ?? `holds ${p.documents.length} documents`, 'give one EndpointPickerConfig document');
      }
      doc = p.documents[0];
    }
    // token-producer without vllm.url: the library's tokenizer N-tokenizer serves the model at /mnt/models/base and
    // that path becomes its modelName, as the controller's ≥0.9.0 config migration sets it (kserve-llmisvc.md §3.9).
    // A simulator that dials the EPP (--zmq-endpoint tcp://…:P) under a config that discovers pods: the simulator never
    // binds, so the EPP would receive nothing; the EPP binds P instead (centralized), as the simulator's flag intends.
    if (simulatorDials !== undefined && isPlainObject(doc) && Array.isArray((doc as any).plugins)) {
      doc = cloneJson(doc as Record<string, any>);
      for (const plugin of (doc as any).plugins) {
        const kv = plugin?.parameters?.kvEventsConfig;
        if (!isPlainObject(kv) || kv.discoverPods !== true) continue;
        const { podDiscoveryConfig: _pd, ...rest } = kv;
        plugin.parameters.kvEventsConfig = { ...rest, discoverPods: false, zmqEndpoint: `tcp://*:${simulatorDials}` };
        warn(`spec.router.scheduler.config.inline: ${plugin.type} kvEventsConfig discoverPods: true rendered as discoverPods: false, zmqEndpoint tcp://*:${simulatorDials}; `
          + 'the simulator (llm-d-inference-sim) publishes by dialing its --zmq-endpoint and never binds, so with pod discovery no KV event would reach the EPP (as in KServe)');
      }
    }
    // predicted-latency-producer switches on KServe's latency-predictor preset; the EndpointPicker renders its
    // training and prediction servers beside the EPP from the same plugin.
    return SchedulerConfig.fromYaml(JSON.stringify(doc));
  }

  /**
   * What of `router.scheduler.{labels, annotations, template, pool.spec}` the EPP and pool take (§3.1: labels and
   * annotations go to the EPP pod template; the template's `main` image and resources merge over the preset's;
   * `pool.spec.endpointPickerRef.failureMode` is the pool's). The rest is reported.
   */
  private endpointPickerOverrides(ctx: FieldContext, s: Record<string, any>, warn: (m: string) => void): Partial<EndpointPickerOptions> {
    const strings = (field: string, m: unknown): Record<string, string> | undefined => {
      if (m === undefined || m === null) return undefined;
      if (!isPlainObject(m)) throw ctx.error(`spec.router.scheduler.${field}`, m, 'must be a map of strings', `write ${field}: { key: value }`);
      return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, String(v)]));
    };
    const podLabels = strings('labels', s.labels);
    for (const [k, v] of Object.entries(podLabels ?? {})) {
      if (LabelKeys.isWiringKey(k)) throw ctx.error(`spec.router.scheduler.labels["${k}"]`, v, 'overrides a wiring label that the EPP Service selects on', 'remove it');
    }
    const out: { -readonly [K in keyof EndpointPickerOptions]: EndpointPickerOptions[K] } = { podLabels, podAnnotations: strings('annotations', s.annotations) };
    const template = s.template;
    if (isPlainObject(template)) {
      const containers: any[] = Array.isArray(template.containers) ? template.containers : [];
      const mainC = containers.find((c) => c?.name === 'main');
      if (typeof mainC?.image === 'string') out.image = mainC.image;
      const res = isPlainObject(mainC?.resources) ? mainC.resources : {};
      const req = isPlainObject(res.requests) ? res.requests : {};
      const lim = isPlainObject(res.limits) ? res.limits : {};
      if (req.cpu !== undefined || req.memory !== undefined || lim.memory !== undefined) {
        out.resources = {
          cpu: req.cpu === undefined ? undefined : String(req.cpu),
          memory: req.memory === undefined ? undefined : String(req.memory),
          memoryLimit: lim.memory === undefined ? undefined : String(lim.memory),
        };
      }
      const rest = [
        ...Object.keys(template).filter((k) => k !== 'containers').map((k) => `template.${k}`),
        ...containers.filter((c) => c?.name !== 'main').map((c) => `template.containers[${c?.name}]`),
        ...Object.keys(mainC ?? {}).filter((k) => !['name', 'image', 'resources'].includes(k)).map((k) => `template.containers[main].${k}`),
        ...Object.keys(lim).filter((k) => k !== 'memory').map((k) => `template.containers[main].resources.limits.${k}`),
      ];
      if (rest.length) warn(`spec.router.scheduler: ${rest.join(', ')} not rendered; the library renders the EPP pod (flags, probes, volumes); the main image and resources are taken`);
    }
    const pool = s.pool?.spec;
    if (isPlainObject(pool)) {
      const fm = pool.endpointPickerRef?.failureMode;
      if (fm !== undefined) {
        if (fm !== FailureMode.FAIL_OPEN && fm !== FailureMode.FAIL_CLOSE) throw ctx.error('spec.router.scheduler.pool.spec.endpointPickerRef.failureMode', fm, 'is not a failure mode', 'use FailOpen or FailClose');
        out.failureMode = fm;
      }
      const other = Object.keys(pool).filter((k) => k !== 'endpointPickerRef' || Object.keys(pool.endpointPickerRef ?? {}).some((x) => x !== 'failureMode'));
      if (other.length) warn(`spec.router.scheduler.pool.spec: ${other.join(', ')} rendered from the wiring contract (selector, targetPorts ${Ports.SERVING}, EPP ref); endpointPickerRef.failureMode is taken`);
    }
    return out;
  }

  private routeOptions(ctx: FieldContext, router: Record<string, any>, gwDefault: GatewayRef, timeout: Duration | undefined,
    warn: (m: string) => void): RouteOptions | undefined {
    const route = router.route;
    if (route === undefined || route === null) return undefined;
    const http = isPlainObject(route.http) ? route.http : {};
    const refs = router.gateway?.refs;
    if (http.refs !== undefined && http.spec !== undefined) {
      throw ctx.error('spec.router.route.http', 'refs and spec', 'route.http.refs and route.http.spec cannot both be set (webhook rule)', 'keep one of them');
    }
    if (http.refs !== undefined) {
      if (isPlainObject(router.gateway) && refs === undefined) {
        throw ctx.error('spec.router.gateway', router.gateway, 'route.http.refs with gateway: {} (no refs) is rejected by the webhook', 'remove gateway, or list gateway.refs');
      }
      warn('spec.router.route.http.refs: user-managed HTTPRoutes; no managed route is rendered');
      return undefined;
    }
    if (http.spec !== undefined) warn('spec.router.route.http.spec: custom route rules are not rendered; the library\'s path rule /NS/N → / is used');
    if (route.group !== undefined || route.weight !== undefined) warn('spec.router.route.group/weight: routing groups are not rendered');
    let gws: GatewayRef[] = [gwDefault];
    if (Array.isArray(refs) && refs.length > 0) {
      gws = refs.map((g: any, i: number) => {
        if (typeof g?.name !== 'string') throw ctx.error(`spec.router.gateway.refs[${i}].name`, g?.name, 'is required', 'name the Gateway');
        return { name: g.name, namespace: g.namespace, sectionName: g.sectionName };
      });
    }
    this.gateways.push(...gws.map((g) => `${g.namespace ?? this.namespace ?? '<route namespace>'}/${g.name}`));
    let pathPrefix = '/';
    if (this.namespace !== undefined) pathPrefix = `/${this.namespace}/${this.name}`;
    else warn('spec.router.route: no namespace known, so the route matches / instead of KServe\'s /NS/N');
    return {
      gateway: gws[0], additionalGateways: gws.length > 1 ? gws.slice(1) : undefined, pathPrefix, requestTimeout: timeout ?? Duration.seconds(0),
    };
  }

  /**
   * `spec.tracing` (even `{}`) with the defaults of KServe's `kserve-config-llm-tracing` preset
   * (kserve-llmisvc.md §3.9), validated here so errors name the spec field.
   */
  private tracingOf(ctx: FieldContext, spec: unknown): TracingOptions | undefined {
    if (spec === undefined || spec === null) return undefined;
    if (!isPlainObject(spec)) throw ctx.error('spec.tracing', spec, 'must be an object', 'use {} for the preset defaults, or { exporterEndpoint, sampler, samplerArg }');
    const t = spec as Record<string, unknown>;
    const str = (v: unknown, d: string) => (v === undefined || v === null ? d : String(v));
    const options: TracingOptions = {
      exporterEndpoint: str(t.exporterEndpoint, TRACING_DEFAULTS.exporterEndpoint),
      sampler: str(t.sampler, TRACING_DEFAULTS.sampler),
      samplerArg: str(t.samplerArg, TRACING_DEFAULTS.samplerArg),
      exporter: str(t.exporter, TRACING_DEFAULTS.exporter),
    };
    resolveTracing(ctx.child('spec'), options);
    return options;
  }
}
