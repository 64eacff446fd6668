import { Duration, Size } from 'cdk8s';
import { KvTransferRead, readKvTransferConfig } from './kv-cache-offloading';
import { cloneJson, isPlainObject } from './merge';
import { KSERVE_VLLM_IMAGE } from './presets';
import { Engine, VllmLogLevel, VllmOptions } from '../engine/engine';
import { parseFlags, ParsedFlag } from '../engine/flag-parser';
import { VLLM_FLAG_TABLE } from '../engine/vllm-flags';
import { FieldContext } from '../internal/context';
import { checkSecretFlags, checkSecretTokens } from '../internal/secrets';
import { Accelerator, AcceleratorOptions, DeviceClaimOptions, TolerationSpec } from '../model/accelerator';
import { KvRoles } from '../model/kv-transfer';
import { Parallelism } from '../model/parallelism';
import { ServingResources } from '../serving/model-server';
import { Versions } from '../versions';
import { AnnotationKeys } from '../wiring/labels';
import { RunAsUsers } from '../wiring/security';
import { StartupBudgets } from '../wiring/startup';

/** What one KServe workload (`spec`, `spec.prefill`) maps to in the library's pattern props. @internal */
export interface WorkloadPlan {
  readonly engine: Engine;
  readonly simulator: boolean;
  readonly accelerator: Accelerator;
  readonly parallelism: Parallelism;
  readonly replicas?: number;
  readonly resources: ServingResources;
  readonly sharedMemory?: Size;
  readonly startupTimeout: Duration;
  readonly rdma?: { readonly resourceName: string; readonly count: number };
  /** `kv_role` of the `--kv-transfer-config` NixlConnector the template sets (P/D). */
  readonly kvRole?: string;
  /** The rest of the template's `--kv-transfer-config`: NIXL options and the KV-cache connector. */
  readonly kvTransferRead?: KvTransferRead;
  readonly ucxTransports?: string;
  readonly serviceAccountName?: string;
  readonly hfToken?: { readonly name: string; readonly key?: string };
  readonly kvEventsFromTemplate: boolean;
  readonly blockSize?: number;
  /** The image is known to ship NIXL (llm-d's CUDA/ROCm images, vLLM's GPU images), so NixlConnector can start. */
  readonly nixlImage: boolean;
  /** The `main` container as written, for comparing leader and worker. */
  readonly mainContainer?: Record<string, any>;
  /** The template's other containers (user sidecars), copied into the pods unchanged as the controller does. */
  readonly extraContainers: Record<string, any>[];
}

/** Options of {@link readWorkload}. @internal */
export interface ReadWorkloadOptions {
  /** `spec` or `spec.prefill`. */
  readonly base: string;
  /** The workload is one role of a P/D pair (KV transfer env is owned by KvTransfer). */
  readonly disaggregated: boolean;
  /** Extra vLLM flags the controller adds (LoRA `--max-cpu-loras`). */
  readonly extraFlags: string[];
  readonly warn: (message: string) => void;
  /** Accept flags missing from the pinned vLLM table. */
  readonly allowUnknownFlags: boolean;
  /**
   * The workload runs KServe's data-parallel worker presets: the leader serves with `--api-server-count
   * ${VLLM_API_SERVER_COUNT:-8}`, and (decode) workers set `VLLM_RANDOMIZE_DP_DUMMY_INPUTS=1`.
   */
  readonly dataParallelPreset?: 'decode' | 'other';
  /** Accept extra (non-`main`) template containers, copied into the pods unchanged. */
  readonly extraContainers?: boolean;
  /** KServe's managed DRA (the `serving.kserve.io/exp-dra-*` annotations): the accelerators are claimed through DRA. */
  readonly deviceClaim?: { readonly claim: DeviceClaimOptions; readonly count: number };
}

const GPU_RESOURCES: Record<string, (o: AcceleratorOptions) => Accelerator> = {
  'nvidia.com/gpu': (o) => Accelerator.nvidia(o),
  'amd.com/gpu': (o) => Accelerator.amd(o),
  'habana.ai/gaudi': (o) => Accelerator.intelGaudi(o),
};
/** The accelerator vendor of a DRA DeviceClass (`gpu.nvidia.com`, `gpu.amd.com`, …); NVIDIA when it names none. */
function draVendor(deviceClassName: string): (o: AcceleratorOptions) => Accelerator {
  if (/(^|\.)amd(\.|$)/.test(deviceClassName)) return GPU_RESOURCES['amd.com/gpu'];
  if (/(^|\.)(habana|gaudi|intel)(\.|$)/.test(deviceClassName)) return GPU_RESOURCES['habana.ai/gaudi'];
  return GPU_RESOURCES['nvidia.com/gpu'];
}
/** Env the library owns: the paths of its writable emptyDirs. */
const LIBRARY_ENV: Record<string, string> = { HOME: '/home', HF_HUB_CACHE: '/models' };
const DROPPED_FLAGS = new Set(['--served-model-name', '--port', '--host']);
const KNOWN_POD_KEYS = new Set(['containers', 'volumes', 'serviceAccountName', 'nodeSelector', 'tolerations']);
/** KServe's preset startup probe: 60 × 10 s (`kserve-llmisvc.md` §3.3). */
const PRESET_STARTUP_SECONDS = StartupBudgets.SINGLE_NODE.toSeconds();

/**
 * Read the pod template of one workload into the library's typed props. What has no typed equivalent is
 * reported through `warn` (dropped) or rejected (when dropping it would change what the pods do).
 * @internal
 */
export function readWorkload(ctx: FieldContext, w: Record<string, any>, opts: ReadWorkloadOptions): WorkloadPlan {
  const base = opts.base;
  requireShape(ctx, `${base}.template`, w.template, 'object');
  requireShape(ctx, `${base}.parallelism`, w.parallelism, 'object');
  requireShape(ctx, `${base}.template.containers`, w.template?.containers, 'array');
  requireShape(ctx, `${base}.template.tolerations`, w.template?.tolerations, 'array');
  requireShape(ctx, `${base}.template.nodeSelector`, w.template?.nodeSelector, 'object');
  const template = isPlainObject(w.template) ? w.template : {};
  const containers: any[] = Array.isArray(template.containers) ? template.containers : [];
  const extraContainers: Record<string, any>[] = [];
  containers.forEach((c, i) => {
    if (c?.name === 'main') return;
    const at = `${base}.template.containers[${i}]`;
    if (!opts.extraContainers) {
      throw ctx.error(`${at}.name`, c?.name, 'is an extra container, which the library renders only in single-node and P/D Deployments',
        'remove it, or add it to the synthesized LeaderWorkerSet with addJsonPatch');
    }
    if (typeof c?.name !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(c.name) || c.name.length > 63) {
      throw ctx.error(`${at}.name`, c?.name, 'is not a container name (a DNS label)', 'name the container, e.g. log-shipper');
    }
    if (typeof c.image !== 'string' || c.image === '') {
      throw ctx.error(`${at}.image`, c.image, 'is required: an extra container has no preset image to inherit', 'set the image');
    }
    for (const key of ['ports', 'volumeMounts', 'volumeDevices'] as const) {
      if (c[key] !== undefined) {
        throw ctx.error(`${at}.${key}`, c[key], 'of an extra container would share the ports and volumes the library owns in the pod (and the library renders none of the template volumes)',
          `remove ${key}, or add the container to the synthesized workload with addJsonPatch`);
      }
    }
    extraContainers.push(cloneJson(c));
  });
  const main: Record<string, any> = containers.find((c) => c?.name === 'main') ?? {};
  const mctx = `${base}.template.containers[main]`;
  for (const key of ['command', 'args', 'env'] as const) requireShape(ctx, `${mctx}.${key}`, main[key], 'array');
  requireShape(ctx, `${mctx}.resources`, main.resources, 'object');
  requireShape(ctx, `${mctx}.resources.limits`, main.resources?.limits, 'object');
  requireShape(ctx, `${mctx}.resources.requests`, main.resources?.requests, 'object');
  for (const key of Object.keys(template)) {
    if (!KNOWN_POD_KEYS.has(key)) opts.warn(`${base}.template.${key}: not rendered (the library owns the pod spec); add it with addJsonPatch if needed`);
  }
  const image: string = typeof main.image === 'string' ? main.image : KSERVE_VLLM_IMAGE;
  const simulator = /inference-sim/.test(image);
  // KServe's LLMInferenceService runs vLLM only: the pinned KServe (v0.20.0 conventions; kserve/kserve master of
  // 2026-08-21, commit aaac4e294dae2c7b1aa1886447793f3aa1c30912) has no SGLang preset, runtime or template in
  // pkg/ or config/, so an SGLang template has no KServe meaning to translate.
  const sglangCommand = [...(Array.isArray(main.command) ? main.command : []), ...(Array.isArray(main.args) ? main.args : [])].map(String).some((t) => /\bsglang\.launch_server\b/.test(t));
  if (sglangCommand || /(^|\/)sglang(:|@|$)/.test(image.split('/').pop() ?? '')) {
    throw ctx.error(`${mctx}`, sglangCommand ? 'sglang.launch_server' : image,
      `runs SGLang, but KServe ${Versions.KSERVE}'s LLMInferenceService has no SGLang runtime (its presets and controller render vLLM), so there is no KServe form to translate`,
      'serve SGLang with LlmService, PrefillDecodePair or MultiNodeGroup and Engine.sglang()');
  }
  const cpuImage = /-cpu(:|@|$)/.test(image);

  // ---- env ----
  const env: Record<string, string> = {};
  let additional: string | undefined;
  let hfToken: { name: string; key?: string } | undefined;
  let ucxTransports: string | undefined;
  let logLevel: VllmLogLevel | undefined;
  for (const [i, e] of (Array.isArray(main.env) ? main.env : []).entries()) {
    const name = e?.name;
    const at = `${mctx}.env[${i}]`;
    if (typeof name !== 'string') throw ctx.error(`${at}.name`, name, 'is required', 'name every env entry');
    if (name === 'VLLM_ADDITIONAL_ARGS') {
      additional = String(e.value ?? '');
    } else if (name === 'VLLM_LOGGING_LEVEL' && e.value !== undefined) {
      // Env merges by name (config_merge.go strategic merge), so a baseRef's or the service's level wins over the preset's.
      const level = String(e.value).toUpperCase();
      if (!(Object.values(VllmLogLevel) as string[]).includes(level)) {
        throw ctx.error(`${at}.value`, e.value, 'is not a vLLM log level', `use one of ${Object.values(VllmLogLevel).join(', ')}`);
      }
      logLevel = level as VllmLogLevel;
    } else if (name in LIBRARY_ENV) {
      if (e.value !== LIBRARY_ENV[name]) {
        opts.warn(`${at} ${name}=${JSON.stringify(e.value)}: the library owns ${name}=${LIBRARY_ENV[name]} (its writable emptyDir for the UID ${RunAsUsers.VLLM} vLLM user); yours is dropped`);
      }
    } else if (name === 'HF_TOKEN' && e.valueFrom?.secretKeyRef?.name) {
      hfToken = { name: e.valueFrom.secretKeyRef.name, key: e.valueFrom.secretKeyRef.key };
    } else if (opts.disaggregated && name === 'UCX_TLS' && e.value !== undefined) {
      ucxTransports = String(e.value);
    } else if (e.valueFrom !== undefined) {
      const owned = name === 'POD_IP' || (opts.disaggregated && name === 'VLLM_NIXL_SIDE_CHANNEL_HOST');
      if (!owned) opts.warn(`${at} ${name}: valueFrom env is not rendered (only HF_TOKEN from a Secret is mapped); add it with addJsonPatch`);
    } else {
      env[name] = String(e.value ?? '');
    }
  }
  if (env.KSERVE_INFER_ROCE === 'true') {
    opts.warn(`${mctx}.env KSERVE_INFER_ROCE=true: the library runs vllm serve without KServe's launcher, so RoCE HCAs and GID indexes are not auto-detected; set NCCL_IB_HCA / UCX_NET_DEVICES / *_GID_INDEX explicitly`);
  }

  // ---- flags: command script, args ($@), VLLM_ADDITIONAL_ARGS ----
  const tokens: { field: string; list: string[] }[] = [];
  const command: string[] = Array.isArray(main.command) ? main.command.map(String) : [];
  const args: string[] = Array.isArray(main.args) ? main.args.map(String) : [];
  if (simulator) {
    tokens.push({ field: `${mctx}.args`, list: args });
  } else if (command.length > 0) {
    const script = [...command, ...args].join(' ');
    const m = /\bvllm\s+serve\b([\s\S]*)$/.exec(script);
    if (!m) {
      throw ctx.error(`${mctx}.command`, command, 'does not run `vllm serve`; the library renders the vLLM command itself and cannot carry another launcher',
        'remove command and pass vLLM flags through args or VLLM_ADDITIONAL_ARGS');
    }
    const list = shellSplit(m[1]).flatMap((t) => {
      const v = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(t);
      return v === null ? [t] : v[1] in env ? [env[v[1]]] : [];
    });
    if (list.length > 0 && !list[0].startsWith('-')) list.shift(); // the model path (/mnt/models)
    opts.warn(`${mctx}.command: replaced by the library's \`vllm serve\` (no bash launcher); its flags are carried over`);
    tokens.push({ field: `${mctx}.command`, list });
  } else {
    tokens.push({ field: `${mctx}.args`, list: args });
  }
  if (additional !== undefined) tokens.push({ field: `${mctx}.env[VLLM_ADDITIONAL_ARGS]`, list: shellSplit(additional) });
  if (opts.dataParallelPreset && !simulator) {
    // config-llm-*-worker-data-parallel.yaml: `--api-server-count ${VLLM_API_SERVER_COUNT:-8}` on the leader (the
    // library drops it on headless workers, where vLLM refuses it), unless the user's flags set it.
    const given = tokens.some((t) => t.list.some((x) => /^--api[-_]server[-_]count(=|$)/.test(x)));
    const count = env.VLLM_API_SERVER_COUNT ?? '8';
    if (!/^[1-9][0-9]*$/.test(count)) throw ctx.error(`${mctx}.env[VLLM_API_SERVER_COUNT]`, count, 'must be a positive integer', 'set e.g. 8');
    if (!given) tokens.push({ field: `${base}.parallelism`, list: ['--api-server-count', count] });
    if (opts.dataParallelPreset === 'decode' && env.VLLM_RANDOMIZE_DP_DUMMY_INPUTS === undefined) env.VLLM_RANDOMIZE_DP_DUMMY_INPUTS = '1';
  }
  tokens.push({ field: 'spec.model.lora', list: opts.extraFlags });

  const p = isPlainObject(w.parallelism) ? w.parallelism : {};
  const parallelism: { -readonly [K in keyof Parallelism]: Parallelism[K] } = {
    tensor: p.tensor, pipeline: p.pipeline, data: p.data, dataLocal: p.dataLocal, expert: p.expert, dataRpcPort: p.dataRPCPort,
  };
  const vllm: { -readonly [K in keyof VllmOptions]: VllmOptions[K] } = {};
  const simExtra: string[] = [];
  let simMode: string | undefined;
  const extraArgs: string[] = [];
  let kvRole: string | undefined;
  let kvTransferRead: KvTransferRead | undefined;
  let kvEventsFromTemplate = false;
  for (const { field, list } of tokens) {
    if (simulator) {
      for (let i = 0; i < list.length; i++) {
        const t = list[i];
        const takes = i + 1 < list.length && !list[i + 1].startsWith('--');
        if (['--port', '--model', '--served-model-name'].includes(t)) {
          if (takes) i++;
        } else if (t === '--mode' && takes) {
          simMode = list[++i];
        } else if (['--enable-kvcache', '--zmq-endpoint', '--block-size'].includes(t)) {
          // KV events: the library derives them from the scheduler config (endpoint and block size)
          if (t !== '--enable-kvcache' && takes) i++;
          kvEventsFromTemplate = true;
        } else {
          simExtra.push(t);
        }
      }
      continue;
    }
    checkSecretTokens(ctx, field, list);
    const parsed = parseFlags(ctx, field, list, VLLM_FLAG_TABLE, opts.allowUnknownFlags);
    checkSecretFlags(ctx, field, parsed);
    for (const f of parsed) {
      const v = f.values[0];
      const num = (what: string) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1) throw ctx.error(`${field}[${f.index}]`, f.written, `${what} must be a positive integer`, `fix ${f.name}`);
        return n;
      };
      const fromFlag = (key: 'tensor' | 'pipeline' | 'data' | 'dataLocal') => {
        const n = num(f.name);
        if (parallelism[key] !== undefined && parallelism[key] !== n) {
          throw ctx.error(`${field}[${f.index}]`, `${f.name}=${n}`, `contradicts ${base}.parallelism.${key} (${parallelism[key]})`, `remove the flag; ${base}.parallelism sets it`);
        }
        parallelism[key] = n;
      };
      switch (f.name) {
        case '--tensor-parallel-size': fromFlag('tensor'); break;
        case '--pipeline-parallel-size': fromFlag('pipeline'); break;
        case '--data-parallel-size': fromFlag('data'); break;
        case '--data-parallel-size-local': fromFlag('dataLocal'); break;
        case '--enable-expert-parallel': parallelism.expert = true; break;
        case '--max-model-len': vllm.maxModelLen = num(f.name); break;
        case '--gpu-memory-utilization': vllm.gpuMemoryUtilization = Number(v); break;
        case '--dtype': vllm.dtype = v; break;
        case '--quantization': vllm.quantization = v; break;
        case '--block-size': vllm.blockSize = num(f.name); break;
        case '--enable-prefix-caching': vllm.enablePrefixCaching = !f.written.startsWith('--no-'); break;
        case '--kv-events-config': kvEventsFromTemplate = true; break;
        case '--kv-transfer-config':
          kvTransferRead = readKvTransferConfig(ctx, `${field}[${f.index}]`, v);
          kvRole = kvTransferRead.nixlRole;
          if (kvRole !== undefined && !opts.disaggregated) {
            opts.warn(`${field}: the NixlConnector of --kv-transfer-config dropped; it moves KV blocks between P/D roles and this workload has no prefill role`);
          }
          break;
        default:
          if (DROPPED_FLAGS.has(f.name)) {
            opts.warn(`${field}: ${f.written} dropped; the library derives it (served name from spec.model.name, port from the wiring contract)`);
          } else {
            extraArgs.push(...flagTokens(f));
          }
      }
    }
  }
  if (!simulator) vllm.extraArgs = extraArgs;

  // ---- resources ----
  const res = isPlainObject(main.resources) ? main.resources : {};
  const limits = isPlainObject(res.limits) ? res.limits : {};
  const requests = isPlainObject(res.requests) ? res.requests : {};
  const keys = [...new Set([...Object.keys(limits), ...Object.keys(requests)])];
  let gpu: { key: string; count: number } | undefined;
  let rdma: { resourceName: string; count: number } | undefined;
  const extraResources: Record<string, string> = {};
  for (const key of keys) {
    const value = limits[key] ?? requests[key];
    if (key in GPU_RESOURCES || key.startsWith('rdma/')) {
      const count = Number(value);
      if (!Number.isInteger(count) || count < 0 || (typeof value !== 'number' && typeof value !== 'string')) {
        throw ctx.error(`${mctx}.resources.${limits[key] !== undefined ? 'limits' : 'requests'}["${key}"]`, value, 'is not a whole device count', 'give a whole number, e.g. "1"');
      }
      if (key in GPU_RESOURCES) gpu = { key, count };
      else rdma = { resourceName: key, count };
    } else if (key !== 'cpu' && key !== 'memory' && key !== 'ephemeral-storage' && key !== 'google.com/tpu') {
      // Extended resources and hugepages: Kubernetes requires request = limit, so one value carries both.
      if (limits[key] !== undefined && requests[key] !== undefined && String(limits[key]) !== String(requests[key])) {
        throw ctx.error(`${mctx}.resources.requests["${key}"]`, requests[key], `differs from its limit ${limits[key]} (Kubernetes requires request = limit for extended resources and hugepages)`, 'set the same value in both');
      }
      extraResources[key] = String(value);
    }
  }
  // The controller copies the template's resources unchanged (workload_single_node.go:139, workload_multi_node.go:201).
  const resources: ServingResources = {
    cpu: str(requests.cpu ?? limits.cpu),
    cpuLimit: str(limits.cpu),
    memory: str(limits.memory ?? requests.memory),
    ephemeralStorage: str(limits['ephemeral-storage'] ?? requests['ephemeral-storage']),
    extraResources: Object.keys(extraResources).length ? extraResources : undefined,
  };
  if (requests.memory !== undefined && limits.memory !== undefined && String(requests.memory) !== String(limits.memory)) {
    opts.warn(`${mctx}.resources.memory: requests ${requests.memory} / limits ${limits.memory}; the library sets request = limit = ${limits.memory}`);
  }
  const accelOpts: { -readonly [K in keyof AcceleratorOptions]: AcceleratorOptions[K] } = {};
  if (isPlainObject(template.nodeSelector)) accelOpts.nodeSelector = template.nodeSelector;
  if (Array.isArray(template.tolerations)) {
    template.tolerations.forEach((t: unknown, i: number) => {
      if (!isPlainObject(t)) throw ctx.error(`${base}.template.tolerations[${i}]`, t, 'must be a toleration (a mapping)', 'write it as { key, operator, value, effect }');
    });
    accelOpts.tolerations = template.tolerations.map((t: any): TolerationSpec => ({
      key: t.key, operator: t.operator, value: t.value, effect: t.effect,
    }));
  }
  let accelerator: Accelerator;
  const dra = opts.deviceClaim;
  if (dra) {
    // The claim replaces the device-plugin resource; the vendor (and so the default image) follows the DeviceClass.
    if (gpu) opts.warn(`${mctx}.resources ${gpu.key}: not requested; managed DRA claims the devices (requesting both would allocate twice)`);
    const perPod = (parallelism.tensor ?? 1) * (parallelism.pipeline ?? 1) * (parallelism.dataLocal ?? 1);
    if (dra.count !== perPod) {
      opts.warn(`metadata.annotations["${AnnotationKeys.KSERVE_DRA_DEVICE_COUNT}"]: ${dra.count} device(s), but vLLM uses tensor × pipeline × dataLocal = ${perPod} per pod; `
        + `the library claims ${perPod} (KServe would claim ${dra.count}${dra.count > perPod ? ', leaving the rest idle' : ', too few to start'}); set the parallelism to use them all`);
    }
    const vendor = gpu ? GPU_RESOURCES[gpu.key] : draVendor(dra.claim.deviceClassName);
    accelerator = vendor({ ...accelOpts, dra: dra.claim });
  } else if (gpu) {
    accelerator = GPU_RESOURCES[gpu.key]({ ...accelOpts, count: gpu.count });
  } else if (keys.includes('google.com/tpu')) {
    throw ctx.error(`${mctx}.resources`, 'google.com/tpu', 'TPUs need a type and topology node selector that the KServe spec does not carry', 'use LlmService with Accelerator.tpu({ type, topology })');
  } else if (cpuImage || simulator) {
    accelerator = Accelerator.cpu(accelOpts);
  } else {
    accelerator = Accelerator.nvidia(accelOpts);
    opts.warn(`${mctx}.resources: no accelerator resource; the library requests tensor × pipeline × dataLocal nvidia.com/gpu (KServe would request none)`);
  }

  // ---- volumes, probes, security ----
  let sharedMemory: Size | undefined;
  for (const [i, v] of (Array.isArray(template.volumes) ? template.volumes : []).entries()) {
    if (v?.emptyDir?.medium === 'Memory' && /^(d?shm)$/.test(v.name ?? '')) {
      sharedMemory = parseSize(ctx, `${base}.template.volumes[${i}].emptyDir.sizeLimit`, v.emptyDir.sizeLimit);
    } else {
      opts.warn(`${base}.template.volumes[${i}] ${v?.name}: not rendered (the library owns the pod volumes)`);
    }
  }
  let startupSeconds = PRESET_STARTUP_SECONDS;
  const sp = main.startupProbe;
  if (isPlainObject(sp) && (sp.periodSeconds !== undefined || sp.failureThreshold !== undefined)) {
    startupSeconds = (sp.initialDelaySeconds ?? 0) + (sp.periodSeconds ?? 10) * (sp.failureThreshold ?? 3);
  }
  for (const probe of ['livenessProbe', 'readinessProbe']) {
    if (main[probe] !== undefined) opts.warn(`${mctx}.${probe}: not rendered; the library's /health probes are used (HTTP: TLS is off, as upstream's default)`);
  }
  if (main.securityContext !== undefined) opts.warn(`${mctx}.securityContext: not rendered; the library runs vLLM as UID ${RunAsUsers.VLLM}, runAsNonRoot, no privilege escalation`);

  let engine: Engine;
  if (simulator) {
    engine = Engine.simulator({ image, mode: simMode, extraArgs: simExtra, env });
  } else {
    engine = Engine.vllm({ ...vllm, image, env, logLevel, allowUnknownFlags: opts.allowUnknownFlags || undefined });
  }
  return {
    engine,
    simulator,
    accelerator,
    parallelism,
    replicas: w.replicas,
    resources,
    sharedMemory,
    startupTimeout: Duration.seconds(startupSeconds),
    rdma,
    kvRole,
    kvTransferRead,
    ucxTransports,
    serviceAccountName: typeof template.serviceAccountName === 'string' ? template.serviceAccountName : undefined,
    hfToken,
    kvEventsFromTemplate,
    blockSize: vllm.blockSize,
    nixlImage: !simulator && !cpuImage && /(^|\/)(llm-d-(cuda|rocm)|vllm-openai)(:|@|$)/.test(image),
    mainContainer: cloneJson(main),
    extraContainers,
  };
}

/** `kv_role`s of prefill and decode → the KvTransfer roles. @internal */
export function kvRolesOf(prefill?: string, decode?: string): KvRoles | undefined {
  if (prefill === undefined && decode === undefined) return undefined;
  if (prefill === 'kv_producer' && decode === 'kv_consumer') return KvRoles.PRODUCER_CONSUMER;
  if (prefill === 'kv_both' && decode === 'kv_both') return KvRoles.BOTH;
  return undefined;
}

function flagTokens(f: ParsedFlag): string[] {
  return f.inline ? [f.written] : [f.written, ...f.values];
}

function str(v: unknown): string | undefined {
  return v === undefined || v === null ? undefined : String(v);
}

function parseSize(ctx: FieldContext, field: string, v: unknown): Size | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+)(Gi|Mi)$/.exec(String(v));
  if (!m) throw ctx.error(field, v, 'is not a size in Gi or Mi', "write e.g. '8Gi'");
  return m[2] === 'Gi' ? Size.gibibytes(Number(m[1])) : Size.mebibytes(Number(m[1]));
}

/** Split a shell word list (single and double quotes, backslash escapes in double quotes). @internal */
export function shellSplit(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let has = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      if (has) out.push(cur);
      cur = '';
      has = false;
      i++;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      const stop = end < 0 ? text.length : end;
      cur += text.slice(i + 1, stop);
      has = true;
      i = stop + 1;
    } else if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        cur += text[i++];
      }
      has = true;
      i++;
    } else {
      cur += c;
      has = true;
      i++;
    }
  }
  if (has) out.push(cur);
  return out;
}

/**
 * A field of the pod template the reader relies on, when present, must have the JSON type the CRD gives it; a value
 * of another type is refused rather than dropped.
 */
function requireShape(ctx: FieldContext, field: string, value: unknown, shape: 'object' | 'array'): void {
  if (value === undefined || value === null) return;
  const ok = shape === 'array' ? Array.isArray(value) : isPlainObject(value);
  if (!ok) {
    throw ctx.error(field, value, `must be ${shape === 'array' ? 'a list' : 'an object'}, got ${Array.isArray(value) ? 'a list' : typeof value}`,
      `write ${field} as ${shape === 'array' ? 'a YAML list' : 'a YAML mapping'}, as in the KServe CRD`);
  }
}
