import { Duration, Size } from 'cdk8s';
import { canonicalEnvOrder } from './env-order';
import { Engine, EngineKind, MultiNodeEngineFlags, SglangDisaggregation, VllmLogLevel } from '../engine/engine';
import * as k8s from '../imports/k8s';
import { FieldContext, QUANTITY } from '../internal/context';
import { bytesQuantity, parseQuantity } from '../internal/quantity';
import { Accelerator } from '../model/accelerator';
import { KvCache } from '../model/kv-cache';
import { LORA_RANKS, LoraAdapter, LoraOptions } from '../model/lora';
import { ModelSource } from '../model/model-source';
import { ParallelismPlan } from '../model/parallelism';
import { loraPath, MODEL_PATH, modelArtifacts, sortedAdapters } from '../model/storage';
import { DrainBudgets } from '../wiring/drain';
import { ResourceNames } from '../wiring/names';
import { Ports } from '../wiring/ports';
import { restrictedSecurityContext, RunAsUsers } from '../wiring/security';
import { TlsFiles } from '../wiring/tls';

/** CPU and memory for the serving container (accelerators are derived from the parallelism). */
export interface ServingResources {
  /**
   * CPU request, e.g. `'8'`. No CPU limit is set unless `cpuLimit` is.
   * @default - none
   */
  readonly cpu?: string;
  /**
   * CPU limit, e.g. `'16'`, for namespaces whose ResourceQuota counts `limits.cpu` (a limit throttles tokenization
   * and the API server, so leave it unset otherwise). At least `cpu`.
   * @default - none
   */
  readonly cpuLimit?: string;
  /**
   * Other resources of the serving container, requested and limited alike (Kubernetes requires that of extended
   * resources and hugepages), e.g. `{ 'hugepages-2Mi': '1Gi' }`. Accelerators, RDMA, cpu, memory and
   * ephemeral-storage have their own props and are refused here.
   * @default - none
   */
  readonly extraResources?: Record<string, string>;
  /**
   * Memory request and limit, e.g. `'64Gi'`.
   * @default - none
   */
  readonly memory?: string;
  /**
   * Ephemeral-storage request and limit of the serving container, e.g. `'800Gi'`; also the size limit of the
   * emptyDir the weights are downloaded into (hundreds of GB for large models), so the scheduler places the pod
   * on a node with that much local disk and the kubelet never evicts it mid-download.
   * @default - none (the node's free disk, unchecked)
   */
  readonly ephemeralStorage?: string;
}

/** Everything that shapes one serving pod. @internal */
export interface ModelServerInput {
  readonly ctx: FieldContext;
  readonly engine: Engine;
  readonly model: ModelSource;
  readonly servedModelName: string;
  readonly loraAdapters: LoraAdapter[];
  readonly lora: LoraOptions;
  readonly plan: ParallelismPlan;
  readonly accelerator: Accelerator;
  readonly port: number;
  readonly startupTimeout: Duration;
  readonly resources: ServingResources;
  readonly sharedMemory?: Size;
  readonly modelCacheClaim?: string;
  readonly serviceAccountName?: string;
  /** Termination grace period of the pod (DrainBudgets). */
  readonly terminationGraceSeconds?: number;
  /** vLLM `--shutdown-timeout` (serving pods only). */
  readonly shutdownTimeoutSeconds?: number;
  /** KV-cache events (precise prefix-cache routing); `bindPort` is declared as a container port. */
  readonly kvEvents?: { readonly endpoint: string; readonly topic: string; readonly bindPort?: number };
  /** KV block size required by the scheduler. */
  readonly requiredBlockSize?: number;
  /** `--kv-transfer-config` JSON (vLLM only). */
  readonly kvTransferConfig?: string;
  /** Extra env of the engine container (KV transfer, NCCL, …). */
  readonly extraEnv?: k8s.EnvVar[];
  /** Extra container ports (NIXL side channel, …). */
  readonly extraPorts?: k8s.ContainerPort[];
  /** Native sidecars placed before the other init containers (the routing sidecar). */
  readonly nativeSidecars?: k8s.Container[];
  /** Extra Linux capabilities of the engine container (e.g. IPC_LOCK for RDMA). */
  readonly addCapabilities?: string[];
  /** Multi-node engine flags. */
  readonly multiNode?: MultiNodeEngineFlags;
  /** SGLang P/D disaggregation flags of the role. */
  readonly sglangDisaggregation?: SglangDisaggregation;
  /** Replace the engine command (a launcher script that ends in `exec vllm serve "$@"`). */
  readonly command?: string[];
  /** Whether the container gets the engine args (false for a Ray worker, whose launcher only joins the head). */
  readonly engineArgs?: boolean;
  /** Serving ports (the engine port, or one per local DP rank and the supervisor; none on headless workers). */
  readonly servingPorts?: k8s.ContainerPort[];
  /** Probe target (port and readiness path); `undefined` keeps `/health` on the engine port. */
  readonly probe?: { readonly port: number; readonly readinessPath?: string };
  /** No HTTP probes (headless multi-node workers serve no HTTP). */
  readonly noProbes?: boolean;
  /** KV-cache tiers: their volumes and mounts, ephemeral storage and host memory. */
  readonly kvCache?: KvCache;
  /** Serve HTTPS with the certificate of this `kubernetes.io/tls` Secret (mounted at TlsFiles.MOUNT_PATH). */
  readonly tls?: { readonly secretName: string };
  /** The ResourceClaimTemplate the pod claims its accelerators from (DRA); the device-plugin resource is then not requested. */
  readonly deviceClaimTemplate?: string;
}

/** Container name of the model server in every serving pod (KServe's `main`). @internal */
export const MAIN_CONTAINER = 'main';
const PROBE_PERIOD_SECONDS = 10;
/** vLLM variables the library sets, and the prop that controls each. */
const ENV_PROPS = new Map<string, string>([
  ['VLLM_LOGGING_LEVEL', 'engine logLevel (Engine.vllm({ logLevel: VllmLogLevel.DEBUG }))'],
  ['VLLM_ALLOW_RUNTIME_LORA_UPDATING', 'lora.runtimeUpdates'],
]);
const SERVED_NAME = /^[A-Za-z0-9][A-Za-z0-9._:\/-]{0,255}$/;

/** The numeric value of a quantity matching QUANTITY. */
function quantityValue(q: string): number {
  return parseQuantity(q)!;
}

/**
 * The pod spec of a model server: the engine container with its probes, volumes, accelerators and model
 * artifacts. Shared by every serving pattern.
 * @internal
 */
export function modelServerPodSpec(input: ModelServerInput): k8s.PodSpec {
  const { ctx, engine, plan, accelerator } = input;
  if (!SERVED_NAME.test(input.servedModelName) || input.servedModelName.includes('//')) {
    throw ctx.error('servedModelName', input.servedModelName, 'is not a valid served model name',
      "use letters, digits and . _ : / - (e.g. 'Qwen/Qwen3-0.6B'), starting with a letter or digit, at most 256 characters");
  }
  checkLora(ctx, input);
  const startupSeconds = ctx.seconds('startupTimeout', input.startupTimeout);
  if (!(startupSeconds >= PROBE_PERIOD_SECONDS)) {
    throw ctx.error('startupTimeout', `${startupSeconds}s`, `is shorter than one probe period (${PROBE_PERIOD_SECONDS}s)`,
      'give large models minutes, e.g. Duration.minutes(20)');
  }
  for (const f of ['cpu', 'cpuLimit', 'memory'] as const) {
    const v = input.resources[f];
    ctx.quantity(`resources.${f}`, v, f === 'memory' ? "'64Gi'" : "'8' or '500m'");
  }
  const { cpu, cpuLimit } = input.resources;
  if (cpu !== undefined && cpuLimit !== undefined && quantityValue(cpu) > quantityValue(cpuLimit)) {
    throw ctx.error('resources.cpuLimit', cpuLimit, `is below the CPU request (${cpu}); Kubernetes rejects a request above its limit`, `raise cpuLimit to at least ${cpu}, or lower cpu`);
  }
  const owned = new Set(['cpu', 'memory', 'ephemeral-storage', accelerator.resourceName, ...Object.keys(accelerator.extraResources)]);
  for (const [k, v] of Object.entries(input.resources.extraResources ?? {})) {
    const at = `resources.extraResources["${k}"]`;
    if (owned.has(k) || /^rdma\//.test(k) || !/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(k)) {
      throw ctx.error(at, v, owned.has(k) || /^rdma\//.test(k) ? 'is set by its own prop (cpu, memory, ephemeralStorage, the accelerator, rdma)' : 'is not a resource name',
        'use the dedicated prop, or a resource name such as hugepages-2Mi or example.com/device');
    }
    ctx.quantity(at, v, "'1' or '1Gi'");
  }

  const usesWeights = engine.kind !== EngineKind.SIMULATOR;
  const vllm = engine.kind === EngineKind.VLLM;
  if (usesWeights) input.model._validate(ctx.constructPath, ctx.field('model'));
  for (const [i, a] of input.loraAdapters.entries()) if (usesWeights) a.source._validate(ctx.constructPath, ctx.field(`loraAdapters[${i}].source`));
  const artifacts = usesWeights
    ? modelArtifacts(ctx.child('model'), input.model, input.loraAdapters, input.modelCacheClaim, input.resources.ephemeralStorage)
    : {
      initContainers: [],
      sidecars: [],
      volumes: [],
      mainMounts: [],
      mainEnv: [],
      shareProcessNamespace: false,
      loraModules: sortedAdapters(input.loraAdapters).map((a) => ({ name: a.name, path: a.name })),
    };

  const rendered = engine._render({
    ctx: ctx.child('engine'),
    servedModelName: input.servedModelName,
    modelPath: MODEL_PATH,
    port: input.port,
    plan,
    loraModules: artifacts.loraModules,
    lora: input.lora,
    acceleratorVendor: accelerator.vendor,
    devices: accelerator.isDevice ? plan.acceleratorsPerPod : 0,
    defaultImage: accelerator._defaultVllmImage,
    kvEvents: input.kvEvents,
    requiredBlockSize: input.requiredBlockSize,
    kvTransferConfig: input.kvTransferConfig,
    multiNode: input.multiNode,
    sglangDisaggregation: input.sglangDisaggregation,
    shutdownTimeoutSeconds: input.shutdownTimeoutSeconds,
    tls: input.tls ? { certFile: TlsFiles.path(TlsFiles.CERT_KEY), keyFile: TlsFiles.path(TlsFiles.KEY_KEY) } : undefined,
  });

  const libraryEnv: k8s.EnvVar[] = !usesWeights ? [] : vllm
    ? [{ name: 'HOME', value: '/home' }, { name: 'VLLM_LOGGING_LEVEL', value: rendered.logLevel ?? VllmLogLevel.INFO }, { name: 'HF_HUB_CACHE', value: '/models' }]
    : [{ name: 'HOME', value: '/home' }, { name: 'HF_HUB_CACHE', value: '/models' }];
  if (input.kvEvents) libraryEnv.push({ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } });
  if (input.lora.runtimeUpdates) libraryEnv.push({ name: 'VLLM_ALLOW_RUNTIME_LORA_UPDATING', value: 'true' });
  libraryEnv.push(...artifacts.mainEnv, ...(input.extraEnv ?? []));
  for (const [name, value] of canonicalEnvOrder(ctx, 'engine.env', rendered.env)) {
    const prop = ENV_PROPS.get(name);
    if (libraryEnv.some((e) => e.name === name) || (vllm && prop)) {
      throw ctx.error(`engine.env["${name}"]`, value, `is set by the library${prop ? ` from ${prop}` : ''}`,
        prop ? `remove it from engine env and set ${prop} instead` : 'remove it from engine env (the library derives it from the serving props)');
    }
    libraryEnv.push({ name, value });
  }

  const gpus = engine.needsAccelerator && accelerator.isDevice ? plan.acceleratorsPerPod : 0;
  const requests: Record<string, k8s.Quantity> = {};
  const limits: Record<string, k8s.Quantity> = {};
  const claimed = gpus > 0 && input.deviceClaimTemplate !== undefined;
  if (gpus > 0) {
    if (!claimed) requests[accelerator.resourceName!] = limits[accelerator.resourceName!] = k8s.Quantity.fromString(String(gpus));
    for (const [k, v] of Object.entries(accelerator.extraResources)) requests[k] = limits[k] = k8s.Quantity.fromString(v);
  }
  if (input.resources.cpu) requests.cpu = k8s.Quantity.fromString(input.resources.cpu);
  if (input.resources.cpuLimit) limits.cpu = k8s.Quantity.fromString(input.resources.cpuLimit);
  for (const [k, v] of Object.entries(input.resources.extraResources ?? {})) requests[k] = limits[k] = k8s.Quantity.fromString(v);
  if (input.resources.memory) requests.memory = limits.memory = k8s.Quantity.fromString(input.resources.memory);
  const storage = input.resources.ephemeralStorage;
  if (storage !== undefined) {
    if (typeof storage !== 'string' || !QUANTITY.test(storage) || /^0+(\.0+)?[A-Za-z]*$/.test(storage)) {
      throw ctx.error('resources.ephemeralStorage', storage, 'must be a positive Kubernetes quantity', "use e.g. '800Gi' (about the model's size on disk plus headroom)");
    }
    requests['ephemeral-storage'] = limits['ephemeral-storage'] = k8s.Quantity.fromString(storage);
  }
  // KV-cache tiers: emptyDir tiers are requested as ephemeral storage (KServe's workload_kvcache.go; a limit grows
  // alike so it stays above the request); the CPU tier's pinned host memory is added to the memory request.
  const cache = input.kvCache;
  const tierDisk = (cache?._tiers ?? []).reduce((n, t) => n + t._ephemeralBytes, 0);
  if (tierDisk > 0) {
    const given = storage === undefined ? 0 : quantityValue(storage);
    requests['ephemeral-storage'] = k8s.Quantity.fromString(bytesQuantity(given + tierDisk));
    if (storage !== undefined) limits['ephemeral-storage'] = k8s.Quantity.fromString(bytesQuantity(given + tierDisk));
  }
  if (cache !== undefined && cache.cpuBytes > 0 && !cache._hostMemoryAccounted) {
    const given = input.resources.memory === undefined ? 0 : quantityValue(input.resources.memory);
    requests.memory = k8s.Quantity.fromString(bytesQuantity(given + cache.cpuBytes));
    if (input.resources.memory !== undefined) limits.memory = k8s.Quantity.fromString(bytesQuantity(given + cache.cpuBytes));
  }

  const volumes: k8s.Volume[] = [];
  const mounts: k8s.VolumeMount[] = [];
  if (usesWeights) {
    volumes.push({ name: 'home', emptyDir: {} }, { name: 'tmp-dir', emptyDir: {} }, { name: 'model-cache', emptyDir: {} });
    mounts.push({ name: 'home', mountPath: '/home' }, { name: 'tmp-dir', mountPath: '/tmp' }, { name: 'model-cache', mountPath: '/models' });
    const shm = input.sharedMemory ?? defaultSharedMemory(gpus);
    volumes.push({ name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString(ctx.convert('sharedMemory', shm, () => quantityOf(shm), 'use whole mebibytes, e.g. Size.gibibytes(8)')) } });
    mounts.push({ name: 'dshm', mountPath: '/dev/shm' });
  }
  volumes.push(...artifacts.volumes);
  mounts.push(...artifacts.mainMounts);
  (cache?._tiers ?? []).forEach((t, i) => {
    volumes.push(t._volume(i));
    mounts.push(t._mount(i));
  });
  if (input.tls) {
    volumes.push(TlsFiles.volume(input.tls.secretName));
    mounts.push(TlsFiles.mount());
  }

  // vLLM and SGLang alike answer /health with 503 while starting and draining (SGLang v0.5.10.post1
  // `python/sglang/srt/entrypoints/http_server.py`, `health_generate`), 200 when serving.
  const probePort = input.probe?.port ?? input.port;
  const health = (failureThreshold: number, periodSeconds: number, path = '/health'): k8s.Probe => ({
    httpGet: { path, port: k8s.IntOrString.fromNumber(probePort), scheme: input.tls ? 'HTTPS' : 'HTTP' },
    periodSeconds,
    timeoutSeconds: 1,
    failureThreshold,
  });

  const ports: k8s.ContainerPort[] = [
    ...(input.servingPorts ?? [{ name: Ports.SERVING_NAME, containerPort: input.port, protocol: 'TCP' }]),
    ...(input.extraPorts ?? []),
    ...(input.kvEvents?.bindPort !== undefined ? [{ name: Ports.KV_EVENTS_NAME, containerPort: input.kvEvents.bindPort, protocol: 'TCP' }] : []),
  ];
  const main: k8s.Container = {
    name: MAIN_CONTAINER,
    image: rendered.image,
    imagePullPolicy: 'IfNotPresent',
    command: input.command ?? rendered.command,
    args: input.engineArgs === false ? undefined : rendered.args,
    env: libraryEnv.length ? libraryEnv : undefined,
    ports: ports.length ? ports : undefined,
    resources: Object.keys(requests).length || claimed ? {
      requests: Object.keys(requests).length ? requests : undefined,
      limits: Object.keys(limits).length ? limits : undefined,
      claims: claimed ? [{ name: ResourceNames.DRA_POD_CLAIM }] : undefined,
    } : undefined,
    volumeMounts: mounts.length ? mounts : undefined,
    startupProbe: input.noProbes ? undefined : health(Math.ceil(startupSeconds / PROBE_PERIOD_SECONDS), PROBE_PERIOD_SECONDS),
    livenessProbe: input.noProbes ? undefined : health(10, PROBE_PERIOD_SECONDS),
    readinessProbe: input.noProbes ? undefined : health(2, 1, input.probe?.readinessPath),
    lifecycle: { preStop: { exec: { command: ['/bin/sleep', String(DrainBudgets.PRE_STOP.toSeconds())] } } },
    terminationMessagePolicy: 'FallbackToLogsOnError',
    // vllm/vllm-openai runs as root by default; every writable path (HOME, /tmp, caches) is an emptyDir.
    securityContext: restrictedSecurityContext({
      readOnlyRootFilesystem: false,
      runAsUser: usesWeights ? RunAsUsers.VLLM : undefined,
      addCapabilities: input.addCapabilities,
    }),
  };
  const initContainers = [...(input.nativeSidecars ?? []), ...artifacts.initContainers];

  const nodeSelector = engine.needsAccelerator ? accelerator.nodeSelector : {};
  const tolerations = engine.needsAccelerator ? accelerator.tolerations : [];
  return {
    serviceAccountName: input.serviceAccountName,
    terminationGracePeriodSeconds: input.terminationGraceSeconds ?? DrainBudgets.DEFAULT_GRACE.toSeconds(),
    shareProcessNamespace: artifacts.shareProcessNamespace || undefined,
    initContainers: initContainers.length ? initContainers : undefined,
    containers: [main, ...artifacts.sidecars],
    resourceClaims: claimed ? [{ name: ResourceNames.DRA_POD_CLAIM, resourceClaimTemplateName: input.deviceClaimTemplate }] : undefined,
    volumes: volumes.length ? volumes : undefined,
    nodeSelector: Object.keys(nodeSelector).length ? nodeSelector : undefined,
    tolerations: tolerations.length
      ? tolerations.map((t) => ({ key: t.key, operator: t.operator ?? 'Exists', value: t.value, effect: t.effect }))
      : undefined,
  };
}

/** `Size` as a Kubernetes quantity in Gi when whole, else Mi. @internal */
export function quantityOf(size: Size): string {
  const mi = size.toMebibytes();
  return mi % 1024 === 0 ? `${mi / 1024}Gi` : `${mi}Mi`;
}

/** 1Gi (KServe's preset) for up to one accelerator, 2Gi per accelerator above that, at most 16Gi. @internal */
export function defaultSharedMemory(accelerators: number): Size {
  return Size.gibibytes(accelerators <= 1 ? 1 : Math.min(2 * accelerators, 16));
}

function checkLora(ctx: FieldContext, input: ModelServerInput): void {
  const names = new Map<string, number>();
  input.loraAdapters.forEach((a, i) => {
    // The KServe webhook's rules (ValidateLoRAAdapters): a name, not "." or ".."; the path is sanitized (loraPath).
    if (typeof a.name !== 'string' || a.name === '' || a.name === '.' || a.name === '..' || /[\s\p{Cc}]/u.test(a.name) || a.name.length > 256) {
      throw ctx.error(`loraAdapters[${i}].name`, a.name, 'is not a valid adapter name (empty, "." or "..", whitespace or control characters, or over 256 characters)',
        "use a name such as 'sql-lora' or 'team/sql@v1'");
    }
    const clash = input.loraAdapters.findIndex((b, j) => j < i && b.name !== a.name && loraPath(b.name) === loraPath(a.name));
    if (clash >= 0) {
      throw ctx.error(`loraAdapters[${i}].name`, a.name, `maps to the same directory ${loraPath(a.name)} as loraAdapters[${clash}] (${input.loraAdapters[clash].name}), so one adapter would hide the other`,
        'rename one of them');
    }
    if (names.has(a.name)) {
      throw ctx.error(`loraAdapters[${i}].name`, a.name, `duplicates loraAdapters[${names.get(a.name)}]`, 'give every adapter a unique name');
    }
    if (a.name === input.servedModelName) {
      throw ctx.error(`loraAdapters[${i}].name`, a.name, 'equals the base model served name, so requests could not tell them apart', 'rename the adapter');
    }
    if (a.source.kind === 'OCI') {
      throw ctx.error(`loraAdapters[${i}].source`, a.source.uri, 'OCI adapters are not supported', 'use a huggingFace, s3, gcs or pvc source');
    }
    names.set(a.name, i);
  });
  const o = input.lora;
  if (o.maxRank !== undefined && !LORA_RANKS.includes(o.maxRank)) {
    throw ctx.error('lora.maxRank', o.maxRank, 'is not a rank vLLM accepts', `use one of ${LORA_RANKS.join(', ')}`);
  }
  ctx.positiveInt('lora.maxAdapters', o.maxAdapters);
  if ((o.maxRank !== undefined || o.maxAdapters !== undefined || o.runtimeUpdates) && input.loraAdapters.length === 0 && !o.runtimeUpdates) {
    throw ctx.error('lora', o, 'LoRA settings are given but there are no loraAdapters', 'add loraAdapters or remove the lora settings');
  }
}
