import { FieldContext } from '../internal/context';
import { checkArgs } from '../internal/prop-check';
import { Versions } from '../versions';

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

/** Options for {@link Accelerator.tpu}. */
export interface TpuOptions extends AcceleratorOptions {
  /** TPU type for the `cloud.google.com/gke-tpu-accelerator` node selector, e.g. `tpu-v6e-slice`. */
  readonly type: string;
  /** Slice topology for `cloud.google.com/gke-tpu-topology`, e.g. `2x2`. */
  readonly topology: string;
}

const TPU_ACCELERATOR_LABEL = 'cloud.google.com/gke-tpu-accelerator';
const TPU_TOPOLOGY_LABEL = 'cloud.google.com/gke-tpu-topology';
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

/** GKE accelerator type of TPU7x (Ironwood), which has its own vLLM build. */
const TPU_IRONWOOD = /^tpu7/;
const EXTENDED_RESOURCE = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/**
 * The device a model server runs on: which extended resource to request, how many fit on a node, and the
 * scheduling constraints. Requests always equal limits.
 */
export class Accelerator {
  /** NVIDIA GPUs (`nvidia.com/gpu`). The default. */
  public static nvidia(options: AcceleratorOptions = {}): Accelerator {
    checkArgs('Accelerator.nvidia', arguments);
    return new Accelerator('nvidia', 'nvidia.com/gpu', 8, options, {});
  }

  /** AMD GPUs (`amd.com/gpu`). */
  public static amd(options: AcceleratorOptions = {}): Accelerator {
    checkArgs('Accelerator.amd', arguments);
    return new Accelerator('amd', 'amd.com/gpu', 8, options, {});
  }

  /** Intel Gaudi HPUs (`habana.ai/gaudi`). */
  public static intelGaudi(options: AcceleratorOptions = {}): Accelerator {
    checkArgs('Accelerator.intelGaudi', arguments);
    return new Accelerator('intel-gaudi', 'habana.ai/gaudi', 8, options, {});
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
