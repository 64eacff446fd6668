import { FieldContext } from '../internal/context';
import { checkArgs } from '../internal/prop-check';
import { Versions } from '../versions';
import { LabelKeys } from '../wiring/labels';

const MIB = 1024 ** 2;
const GIB = 1024 ** 3;

/**
 * An accelerator model and its memory, for the capacity check and, optionally, the node selector. Memory is what
 * the device reports to the framework (nvidia-smi's MiB for NVIDIA GPUs), else the vendor's nominal capacity.
 */
export class AcceleratorType {
  /** NVIDIA A100 40GB (40960 MiB). */
  public static readonly A100_40GB = new AcceleratorType('A100_40GB', 'nvidia', 40960 * MIB, 'NVIDIA-A100-SXM4-40GB', 'nvidia-tesla-a100');
  /** NVIDIA A100 80GB (81920 MiB). */
  public static readonly A100_80GB = new AcceleratorType('A100_80GB', 'nvidia', 81920 * MIB, 'NVIDIA-A100-SXM4-80GB', 'nvidia-a100-80gb');
  /** NVIDIA H100 80GB HBM3 (81559 MiB). */
  public static readonly H100_80GB = new AcceleratorType('H100_80GB', 'nvidia', 81559 * MIB, 'NVIDIA-H100-80GB-HBM3', 'nvidia-h100-80gb');
  /** NVIDIA H200 141GB (143771 MiB). */
  public static readonly H200 = new AcceleratorType('H200', 'nvidia', 143771 * MIB, 'NVIDIA-H200', 'nvidia-h200-141gb');
  /** NVIDIA B200 180GB (183359 MiB). */
  public static readonly B200 = new AcceleratorType('B200', 'nvidia', 183359 * MIB, 'NVIDIA-B200', 'nvidia-b200');
  /** NVIDIA L4 24GB (23034 MiB). */
  public static readonly L4 = new AcceleratorType('L4', 'nvidia', 23034 * MIB, 'NVIDIA-L4', 'nvidia-l4');
  /** NVIDIA L40S 48GB (46068 MiB). */
  public static readonly L40S = new AcceleratorType('L40S', 'nvidia', 46068 * MIB, 'NVIDIA-L40S', undefined);
  /** AMD Instinct MI300X (192 GiB HBM3). */
  public static readonly MI300X = new AcceleratorType('MI300X', 'amd', 192 * GIB, undefined, undefined);
  /** AMD Instinct MI325X (256 GiB HBM3E). */
  public static readonly MI325X = new AcceleratorType('MI325X', 'amd', 256 * GIB, undefined, undefined);
  /** Intel Gaudi 3 (128 GiB HBM2e). */
  public static readonly GAUDI3 = new AcceleratorType('GAUDI3', 'intel-gaudi', 128 * GIB, undefined, undefined);
  /** Google Cloud TPU v5e (16 GiB HBM per chip; GKE `tpu-v5-lite-podslice`). */
  public static readonly TPU_V5E = new AcceleratorType('TPU_V5E', 'tpu', 16 * GIB, undefined, 'tpu-v5-lite-podslice');
  /** Google Cloud TPU v6e Trillium (32 GiB HBM per chip; GKE `tpu-v6e-slice`). */
  public static readonly TPU_V6E = new AcceleratorType('TPU_V6E', 'tpu', 32 * GIB, undefined, 'tpu-v6e-slice');

  /** Every type of the catalog. */
  public static all(): AcceleratorType[] {
    return [AcceleratorType.A100_40GB, AcceleratorType.A100_80GB, AcceleratorType.H100_80GB, AcceleratorType.H200, AcceleratorType.B200,
      AcceleratorType.L4, AcceleratorType.L40S, AcceleratorType.MI300X, AcceleratorType.MI325X, AcceleratorType.GAUDI3,
      AcceleratorType.TPU_V5E, AcceleratorType.TPU_V6E];
  }

  /** The type of a catalog name (`H100_80GB`), or of a node label value (`NVIDIA-H100-80GB-HBM3`, `nvidia-h100-80gb`). */
  public static of(name: string): AcceleratorType {
    checkArgs('AcceleratorType.of', arguments);
    const found = AcceleratorType._lookup(name);
    if (!found) {
      throw new FieldContext('AcceleratorType.of').error('name', name, 'is not a known accelerator type',
        `use one of ${AcceleratorType.all().map((t) => t.name).join(', ')}, or AcceleratorType.custom(name, memoryGib)`);
    }
    return found;
  }

  /** Any other accelerator, by its memory in GiB. */
  public static custom(name: string, memoryGib: number, vendor?: string): AcceleratorType {
    checkArgs('AcceleratorType.custom', arguments);
    const ctx = new FieldContext('AcceleratorType.custom');
    if (typeof name !== 'string' || name.trim() === '') throw ctx.error('name', name, 'must name the accelerator', "use e.g. 'RTX6000_ADA'");
    if (typeof memoryGib !== 'number' || !(memoryGib > 0)) throw ctx.error('memoryGib', memoryGib, 'must be a positive number of GiB', 'give the memory per device, e.g. 48');
    return new AcceleratorType(name, vendor, memoryGib * GIB, undefined, undefined);
  }

  /**
   * The type a catalog name or a node selector value names, or undefined.
   * @internal
   */
  public static _lookup(value: string | undefined): AcceleratorType | undefined {
    if (typeof value !== 'string') return undefined;
    const v = value.trim();
    return AcceleratorType.all().find((t) => t.name === v.toUpperCase() || t.productLabel === v || t.gkeLabel === v);
  }

  /**
   * The type named by a pod's node selector (`nvidia.com/gpu.product`, `cloud.google.com/gke-accelerator`,
   * `cloud.google.com/gke-tpu-accelerator`), or undefined.
   * @internal
   */
  public static _fromNodeSelector(selector: Record<string, string> | undefined): AcceleratorType | undefined {
    for (const key of [LabelKeys.NVIDIA_GPU_PRODUCT, LabelKeys.GKE_ACCELERATOR, LabelKeys.GKE_TPU_ACCELERATOR]) {
      const t = AcceleratorType._lookup(selector?.[key]);
      if (t) return t;
    }
    return undefined;
  }

  private constructor(
    /** Catalog name, e.g. `H100_80GB`. */
    public readonly name: string,
    /** Vendor of the matching `Accelerator` factory (nvidia, amd, intel-gaudi, tpu), or undefined for custom types. */
    public readonly vendor: string | undefined,
    /** Memory per device in bytes. */
    public readonly memoryBytes: number,
    /** Value of `nvidia.com/gpu.product` (NVIDIA GPU feature discovery), if known. */
    public readonly productLabel: string | undefined,
    /** Value of `cloud.google.com/gke-accelerator` (GPUs) or `cloud.google.com/gke-tpu-accelerator` (TPUs) on GKE, if any. */
    public readonly gkeLabel: string | undefined,
  ) {}

  /** Memory per device in GiB. */
  public get memoryGib(): number {
    return this.memoryBytes / GIB;
  }
}

/** Which node label selects the accelerator type. */
export enum AcceleratorTypeSelector {
  /** No node selector: the type only sizes the capacity check. */
  NONE = 'NONE',
  /** `nvidia.com/gpu.product`, as NVIDIA GPU feature discovery (GPU Operator) labels nodes. */
  GPU_FEATURE_DISCOVERY = 'GPU_FEATURE_DISCOVERY',
  /** `cloud.google.com/gke-accelerator`, as GKE labels GPU node pools. */
  GKE = 'GKE',
}

/** A node toleration (mirrors the Kubernetes Toleration). */
export interface TolerationSpec {
  /** Taint key. */
  readonly key: string;
  /**
   * `Exists` or `Equal`.
   * @default 'Exists'
   */
  readonly operator?: string;
  /**
   * Taint value (with `Equal`).
   * @default - none
   */
  readonly value?: string;
  /**
   * `NoSchedule`, `PreferNoSchedule` or `NoExecute`.
   * @default - all effects
   */
  readonly effect?: string;
}

/**
 * Dynamic Resource Allocation (DRA, `resource.k8s.io/v1`): the pods claim their devices through a
 * ResourceClaimTemplate instead of a device-plugin resource. The DRA driver of the device class must be
 * installed on the cluster. The claim holds the accelerators per pod derived from the parallelism (TP × PP × local
 * DP; `count` of the accelerator options cross-checks it).
 */
export interface DeviceClaimOptions {
  /** The DeviceClass the devices are allocated from, e.g. `gpu.nvidia.com`. */
  readonly deviceClassName: string;
  /**
   * CEL expressions every allocated device must satisfy, e.g.
   * `device.attributes['gpu.nvidia.com'].productName == 'NVIDIA H100 80GB HBM3'`.
   * @default - none (any device of the class)
   */
  readonly selectors?: string[];
}

/** Options shared by every accelerator. */
export interface AcceleratorOptions {
  /**
   * Accelerators per pod you expect. When set it must equal the count derived from the parallelism
   * (TP × PP × local DP); use it as a cross-check.
   * @default - derived from the parallelism
   */
  readonly count?: number;
  /**
   * Accelerators on one node; a pod needing more is rejected (use multi-node serving).
   * @default 8; for TPUs derived from the topology (1x1 → 1, 2x2 → 4, 2x4 → 8 single-host v5e/v6e; 4 per host on
   * multi-host and 3D slices)
   */
  readonly perNode?: number;
  /**
   * Node selector added to the pods.
   * @default - the accelerator's own selector only (TPU), none otherwise
   */
  readonly nodeSelector?: Record<string, string>;
  /**
   * Tolerations added to the pods.
   * @default - none
   */
  readonly tolerations?: TolerationSpec[];
  /**
   * Extra extended resources per pod (requests = limits), e.g. `{ 'rdma/roce_gdr': '1' }`.
   * @default - none
   */
  readonly extraResources?: Record<string, string>;
  /**
   * Claim the accelerators through DRA (a ResourceClaimTemplate per service, pod `resourceClaims` and a claim on
   * the model-server container) instead of requesting the device-plugin resource.
   * @default - the device-plugin resource (e.g. `nvidia.com/gpu`)
   */
  readonly dra?: DeviceClaimOptions;
}

/** Options of the GPU accelerators (NVIDIA, AMD, Intel Gaudi). */
export interface GpuOptions extends AcceleratorOptions {
  /**
   * The GPU model: sizes the capacity check (with a model profile) and, with `selectType`, selects nodes.
   * @default - read from a `nvidia.com/gpu.product` or `cloud.google.com/gke-accelerator` node selector; else unknown
   * (no memory check)
   */
  readonly type?: AcceleratorType;
  /**
   * Which node label selects `type`.
   * @default AcceleratorTypeSelector.NONE
   */
  readonly selectType?: AcceleratorTypeSelector;
}

/** Options for {@link Accelerator.tpu}. */
export interface TpuOptions extends AcceleratorOptions {
  /** TPU type for the `cloud.google.com/gke-tpu-accelerator` node selector, e.g. `tpu-v6e-slice`. */
  readonly type: string;
  /** Slice topology for `cloud.google.com/gke-tpu-topology`, e.g. `2x2`. */
  readonly topology: string;
}

const TPU_ACCELERATOR_LABEL = LabelKeys.GKE_TPU_ACCELERATOR;
const TPU_TOPOLOGY_LABEL = LabelKeys.GKE_TPU_TOPOLOGY;
/** Chips on the largest single-host 2D (v5e/v6e) slice, 2x4; larger 2D slices are multi-host. */
const TPU_SINGLE_HOST_2D_MAX_CHIPS = 8;
/** Chips per TPU VM on multi-host slices (ct5lp-hightpu-4t, ct6e-standard-4t) and on 3D slices (v4, v5p, TPU7x). */
const TPU_MULTI_HOST_CHIPS_PER_VM = 4;

/**
 * TPU chips on one GKE node (TPU VM) of a slice of this topology. Google Cloud docs (retrieved for this library):
 * - v6e (https://docs.cloud.google.com/tpu/docs/v6e, "Supported configurations"): 1x1 → 1 chip (ct6e-standard-1t),
 *   2x2 → 4 (ct6e-standard-4t), 2x4 → 8 on one VM (ct6e-standard-8t); 4x4 and larger are multi-host slices of
 *   ct6e-standard-4t VMs (4 chips each). The GKE-only 2x4-on-two-VMs shape needs `perNode: 4`.
 * - v5e (https://docs.cloud.google.com/tpu/docs/v5e, "VM types"): each VM holds 1, 4 or 8 chips, same shapes as v6e.
 * - v5p (https://docs.cloud.google.com/tpu/docs/v5p): 2x2x1 is 4 chips on 1 host, 2x2x2 is 8 chips on 2 hosts: 4 per
 *   host on every 3D slice (v4 and TPU7x likewise).
 * An unparseable topology gives the multi-host value; `_validate` reports it.
 */
function tpuChipsPerHost(topology: string | undefined): number {
  const dims = (topology ?? '').split('x').map(Number);
  if (!dims.every((d) => Number.isInteger(d) && d > 0) || dims.length < 2) return TPU_MULTI_HOST_CHIPS_PER_VM;
  const chips = dims.reduce((a, b) => a * b, 1);
  if (dims.length === 2) return chips <= TPU_SINGLE_HOST_2D_MAX_CHIPS ? chips : TPU_MULTI_HOST_CHIPS_PER_VM;
  return Math.min(chips, TPU_MULTI_HOST_CHIPS_PER_VM);
}

/** The node selector of a GPU type (none unless `selectType` asks for one; `_validate` reports unknown labels). */
function typeSelector(options: GpuOptions | undefined): Record<string, string> {
  const t = options?.type;
  if (!(t instanceof AcceleratorType)) return {};
  const gfd = options?.selectType === AcceleratorTypeSelector.GPU_FEATURE_DISCOVERY;
  if (gfd && t.productLabel) return { [LabelKeys.NVIDIA_GPU_PRODUCT]: t.productLabel };
  if (options?.selectType === AcceleratorTypeSelector.GKE && t.gkeLabel) return { [LabelKeys.GKE_ACCELERATOR]: t.gkeLabel };
  return {};
}

/** GKE accelerator type of TPU7x (Ironwood), which has its own vLLM build. */
const TPU_IRONWOOD = /^tpu7/;
const EXTENDED_RESOURCE = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/**
 * The device a model server runs on: which extended resource to request, how many fit on a node, and the
 * scheduling constraints. Requests always equal limits.
 */
export class Accelerator {
  /** NVIDIA GPUs (`nvidia.com/gpu`). The default. */
  public static nvidia(options: GpuOptions = {}): Accelerator {
    checkArgs('Accelerator.nvidia', arguments);
    return new Accelerator('nvidia', 'nvidia.com/gpu', 8, options, typeSelector(options));
  }

  /** AMD GPUs (`amd.com/gpu`). */
  public static amd(options: GpuOptions = {}): Accelerator {
    checkArgs('Accelerator.amd', arguments);
    return new Accelerator('amd', 'amd.com/gpu', 8, options, typeSelector(options));
  }

  /** Intel Gaudi HPUs (`habana.ai/gaudi`). */
  public static intelGaudi(options: GpuOptions = {}): Accelerator {
    checkArgs('Accelerator.intelGaudi', arguments);
    return new Accelerator('intel-gaudi', 'habana.ai/gaudi', 8, options, typeSelector(options));
  }

  /**
   * Google Cloud TPUs (`google.com/tpu`) on GKE, selected by type and topology. The chips per node (TPU VM) follow
   * from the topology: 1, 4 or 8 for the single-host v5e/v6e shapes 1x1, 2x2, 2x4, and 4 on every multi-host slice
   * and on 3D (v4, v5p, TPU7x) slices.
   */
  public static tpu(options: TpuOptions): Accelerator {
    checkArgs('Accelerator.tpu', arguments);
    return new Accelerator('tpu', 'google.com/tpu', tpuChipsPerHost(options?.topology), options, {
      [TPU_ACCELERATOR_LABEL]: options.type,
      [TPU_TOPOLOGY_LABEL]: options.topology,
    });
  }

  /** CPU only: no extended resource; tensor/pipeline parallelism is not available. */
  public static cpu(options: AcceleratorOptions = {}): Accelerator {
    checkArgs('Accelerator.cpu', arguments);
    return new Accelerator('cpu', undefined, 1, options, {});
  }

  /** Any other device plugin resource, e.g. `gpu.intel.com/i915`. */
  public static custom(resourceName: string, options: AcceleratorOptions = {}): Accelerator {
    checkArgs('Accelerator.custom', arguments);
    return new Accelerator('custom', resourceName, 8, options, {});
  }

  /** Accelerators that fit on one node. */
  public readonly perNode: number;
  /** The accelerator model (memory per device), when known. */
  public readonly type?: AcceleratorType;

  private constructor(
    /** Vendor identifier: nvidia, amd, intel-gaudi, tpu, cpu or custom. */
    public readonly vendor: string,
    /** The extended resource name, or undefined for CPU. */
    public readonly resourceName: string | undefined,
    defaultPerNode: number,
    private readonly options: AcceleratorOptions,
    private readonly ownNodeSelector: Record<string, string>,
  ) {
    this.perNode = options.perNode ?? defaultPerNode;
    const given = vendor === 'tpu' ? undefined : (options as GpuOptions).type;
    this.type = given ?? AcceleratorType._fromNodeSelector({ ...ownNodeSelector, ...(options.nodeSelector ?? {}) });
  }

  /** True when the accelerator is a device resource (everything but CPU). */
  public get isDevice(): boolean {
    return this.resourceName !== undefined;
  }

  /** The count the user asked for, if any. */
  public get requestedCount(): number | undefined {
    return this.options.count;
  }

  /** Node selector for the pods. */
  public get nodeSelector(): Record<string, string> {
    return { ...this.ownNodeSelector, ...(this.options.nodeSelector ?? {}) };
  }

  /** Tolerations for the pods. */
  public get tolerations(): TolerationSpec[] {
    return this.options.tolerations ?? [];
  }

  /** Extra extended resources per pod. */
  public get extraResources(): Record<string, string> {
    return this.options.extraResources ?? {};
  }

  /** The DRA claim, when the accelerators are claimed through DRA instead of the device-plugin resource. */
  public get deviceClaim(): DeviceClaimOptions | undefined {
    return this.options.dra;
  }

  /**
   * The vLLM image used when the engine names none: the pinned build for this vendor (see {@link Versions}), or
   * undefined for custom devices, which need an explicit image.
   * @internal
   */
  public get _defaultVllmImage(): string | undefined {
    switch (this.vendor) {
      case 'nvidia': return Versions.VLLM_IMAGE;
      case 'amd': return Versions.VLLM_ROCM_IMAGE;
      case 'intel-gaudi': return Versions.VLLM_GAUDI_IMAGE;
      case 'tpu': return TPU_IRONWOOD.test(this.ownNodeSelector[TPU_ACCELERATOR_LABEL] ?? '') ? Versions.VLLM_TPU_IRONWOOD_IMAGE : Versions.VLLM_TPU_IMAGE;
      case 'cpu': return Versions.VLLM_CPU_IMAGE;
      default: return undefined;
    }
  }

  /**
   * A copy of a GPU accelerator with its type set (the KServe translation's accelerator-type annotation).
   * @internal
   */
  public _withType(type: AcceleratorType): Accelerator {
    return new Accelerator(this.vendor, this.resourceName, this.perNode, { ...this.options, type } as GpuOptions, this.ownNodeSelector);
  }

  /**
   * A copy with more extra resources (RDMA for P/D).
   * @internal
   */
  public _withExtraResources(extra: Record<string, string>): Accelerator {
    return new Accelerator(this.vendor, this.resourceName, this.perNode,
      { ...this.options, extraResources: { ...this.options.extraResources, ...extra } }, this.ownNodeSelector);
  }

  /**
   * Validate the options on their own (counts are checked against the parallelism elsewhere).
   * @internal
   */
  public _validate(ctx: FieldContext): void {
    if (this.resourceName !== undefined && !EXTENDED_RESOURCE.test(this.resourceName)) {
      throw ctx.error('resourceName', this.resourceName, 'is not a valid extended resource name', "use a qualified name such as 'vendor.com/device'");
    }
    if (this.options.count !== undefined) {
      if (!Number.isInteger(this.options.count) || this.options.count < 0) {
        throw ctx.error('count', this.options.count, 'must be a non-negative integer', 'set the accelerator count to the number of devices per pod');
      }
      if (this.isDevice && this.options.count === 0) {
        throw ctx.error('count', 0, `a ${this.vendor} accelerator with 0 devices cannot run the model`,
          'remove count (it is derived from the parallelism) or use Accelerator.cpu() for CPU-only serving');
      }
    }
    ctx.positiveInt('perNode', this.options.perNode);
    const gpu: GpuOptions = this.vendor === 'tpu' ? {} : this.options;
    if (gpu.type !== undefined && !(gpu.type instanceof AcceleratorType)) {
      throw ctx.error('type', gpu.type, 'must be an AcceleratorType', 'use e.g. AcceleratorType.H100_80GB or AcceleratorType.custom(name, memoryGib)');
    }
    if (gpu.type?.vendor !== undefined && gpu.type.vendor !== this.vendor) {
      throw ctx.error('type', gpu.type.name, `is a ${gpu.type.vendor} accelerator, not a ${this.vendor} one`,
        `use a ${this.vendor} type (${AcceleratorType.all().filter((t) => t.vendor === this.vendor).map((t) => t.name).join(', ') || 'AcceleratorType.custom'}) or the matching Accelerator factory`);
    }
    if (gpu.selectType !== undefined && gpu.selectType !== AcceleratorTypeSelector.NONE) {
      const label = gpu.selectType === AcceleratorTypeSelector.GKE ? gpu.type?.gkeLabel : gpu.type?.productLabel;
      if (label === undefined) {
        throw ctx.error('selectType', gpu.selectType, gpu.type ? `${gpu.type.name} has no known ${gpu.selectType} label value` : 'selects by type, but no type is given',
          gpu.type ? 'select the nodes with nodeSelector instead' : 'set type, e.g. AcceleratorType.H100_80GB');
      }
    }
    if (this.vendor === 'tpu') {
      const o = this.options as TpuOptions;
      if (!/^\d+(x\d+){1,2}$/.test(o.topology ?? '')) {
        throw ctx.error('topology', o.topology, 'is not a TPU topology', "use AxB or AxBxC, e.g. '2x2' or '2x2x4'");
      }
    }
    const dra = this.options.dra;
    if (dra !== undefined) {
      if (!this.isDevice) {
        throw ctx.error('dra', dra.deviceClassName, 'a CPU accelerator claims no devices', 'use a device accelerator, e.g. Accelerator.nvidia({ dra: { deviceClassName } })');
      }
      if (typeof dra.deviceClassName !== 'string' || dra.deviceClassName === '') {
        throw ctx.error('dra.deviceClassName', dra.deviceClassName, 'is required', "name the DeviceClass, e.g. 'gpu.nvidia.com'");
      }
      ctx.dnsSubdomain('dra.deviceClassName', dra.deviceClassName);
      for (const [i, sel] of (dra.selectors ?? []).entries()) {
        if (typeof sel !== 'string' || sel.trim() === '') {
          throw ctx.error(`dra.selectors[${i}]`, sel, 'must be a non-empty CEL expression', "write e.g. \"device.attributes['gpu.nvidia.com'].type == 'A100'\"");
        }
      }
    }
    for (const [k, v] of Object.entries(this.options.extraResources ?? {})) {
      if (!EXTENDED_RESOURCE.test(k) || !k.includes('/')) {
        throw ctx.error(`extraResources["${k}"]`, v, 'is not a qualified extended resource name', "use e.g. 'rdma/roce_gdr' or 'rdma/ib'");
      }
      if (!/^[1-9]\d*$/.test(v)) {
        throw ctx.error(`extraResources["${k}"]`, v, 'must be a positive integer quantity', "give a count such as '1'");
      }
      if (k === this.resourceName) {
        throw ctx.error(`extraResources["${k}"]`, v, 'repeats the accelerator resource, whose count is derived from the parallelism', 'remove it from extraResources');
      }
    }
  }
}
