import { Size } from 'cdk8s';
import { KvTransfer } from './kv-transfer';
import * as k8s from '../imports/k8s';
import { FieldContext } from '../internal/context';
import { checkArgs } from '../internal/prop-check';
import { bytesQuantity } from '../internal/quantity';

/** Eviction policy of the CPU tier of {@link KvCache.offload} (vLLM's `eviction_policy`). */
export enum KvCacheEvictionPolicy {
  /** Least recently used (the default). */
  LRU = 'lru',
  /** Adaptive replacement cache. */
  ARC = 'arc',
}

/** Options of {@link KvCacheTier.ephemeralVolume}. */
export interface EphemeralKvCacheVolumeOptions {
  /** Capacity of the volume. */
  readonly size: Size;
  /**
   * StorageClass of the volume (e.g. a local NVMe class).
   * @default - the cluster's default StorageClass
   */
  readonly storageClassName?: string;
  /**
   * Access modes of the claim.
   * @default ['ReadWriteOnce']
   */
  readonly accessModes?: string[];
}

/** Options of {@link KvCacheTier.claim}. */
export interface ExistingClaimKvCacheTierOptions {
  /**
   * Directory inside the claim (the mount's `subPath`).
   * @default - the claim's root
   */
  readonly path?: string;
}

enum TierKind { EMPTY_DIR = 'emptyDir', EPHEMERAL = 'ephemeral', CLAIM = 'claim' }

/** Mount path of the i-th secondary tier (KServe's `/mnt/kv-cache-<i>`). */
const tierMountPath = (i: number) => `/mnt/kv-cache-${i}`;
/** Volume name of the i-th secondary tier (KServe's `kv-cache-secondary-<i>`). */
const tierVolumeName = (i: number) => `kv-cache-secondary-${i}`;

/**
 * A file-system tier below the CPU tier of KV-cache offloading, mounted at `/mnt/kv-cache-<i>` in the engine container
 * (KServe's `spec.kvCacheOffloading.secondary[].fileSystem`).
 */
export class KvCacheTier {
  /** Node-local disk: an emptyDir of `size`, also requested as `ephemeral-storage` so the pod lands where the disk is free. */
  public static emptyDir(size: Size): KvCacheTier {
    checkArgs('KvCacheTier.emptyDir', arguments);
    return new KvCacheTier(TierKind.EMPTY_DIR, size);
  }

  /** One PersistentVolumeClaim per pod, created and deleted with it (a generic ephemeral volume), e.g. on local NVMe. */
  public static ephemeralVolume(options: EphemeralKvCacheVolumeOptions): KvCacheTier {
    checkArgs('KvCacheTier.ephemeralVolume', arguments);
    return new KvCacheTier(TierKind.EPHEMERAL, options.size, options.storageClassName, undefined, undefined, options.accessModes);
  }

  /** An existing PersistentVolumeClaim (ReadWriteMany to share the tier between replicas). */
  public static claim(claimName: string, options: ExistingClaimKvCacheTierOptions = {}): KvCacheTier {
    checkArgs('KvCacheTier.claim', arguments);
    return new KvCacheTier(TierKind.CLAIM, undefined, undefined, claimName, options.path);
  }

  private constructor(
    private readonly kind: TierKind,
    private readonly size?: Size,
    private readonly storageClassName?: string,
    private readonly claimName?: string,
    private readonly path?: string,
    private readonly accessModes?: string[],
  ) {}

  /** @internal */
  public _validate(ctx: FieldContext, field: string): void {
    if (!(this instanceof KvCacheTier)) throw ctx.error(field, this, 'must be a KvCacheTier', 'use KvCacheTier.emptyDir(Size.gibibytes(100)), ephemeralVolume({ size }) or claim(name)');
    if (this.kind !== TierKind.CLAIM) sizeBytes(ctx, `${field}.size`, this.size);
    if (this.storageClassName !== undefined) ctx.dnsSubdomain(`${field}.storageClassName`, this.storageClassName);
    const modes = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'];
    for (const [i, m] of (this.accessModes ?? []).entries()) {
      if (!modes.includes(m)) throw ctx.error(`${field}.accessModes[${i}]`, m, 'is not an access mode', `use one of ${modes.join(', ')}`);
    }
    if (this.kind === TierKind.CLAIM) ctx.dnsSubdomain(`${field}.claimName`, this.claimName);
    if (this.path !== undefined && (typeof this.path !== 'string' || this.path.startsWith('/') || this.path.split('/').includes('..') || this.path === '')) {
      throw ctx.error(`${field}.path`, this.path, 'must be a relative directory inside the claim', "use e.g. 'kv-cache/'");
    }
  }

  /** The pod volume of the tier at position `i`. @internal */
  public _volume(i: number): k8s.Volume {
    const name = tierVolumeName(i);
    if (this.kind === TierKind.EMPTY_DIR) return { name, emptyDir: { sizeLimit: k8s.Quantity.fromString(quantity(this.size!)) } };
    if (this.kind === TierKind.CLAIM) return { name, persistentVolumeClaim: { claimName: this.claimName! } };
    return {
      name,
      ephemeral: {
        volumeClaimTemplate: {
          spec: {
            accessModes: this.accessModes ?? ['ReadWriteOnce'],
            storageClassName: this.storageClassName,
            resources: { requests: { storage: k8s.Quantity.fromString(quantity(this.size!)) } },
          },
        },
      },
    };
  }

  /** The engine container's mount of the tier at position `i`. @internal */
  public _mount(i: number): k8s.VolumeMount {
    return { name: tierVolumeName(i), mountPath: tierMountPath(i), subPath: this.path };
  }

  /** Bytes of node-local disk the tier uses (emptyDir only), requested as ephemeral-storage. @internal */
  public get _ephemeralBytes(): number {
    return this.kind === TierKind.EMPTY_DIR ? this.size!.toKibibytes() * 1024 : 0;
  }
}

/** Options of {@link KvCache.offload}. */
export interface KvCacheOffloadOptions {
  /** Host memory for the CPU tier (`cpu_bytes_to_use`). The serving container's memory request grows by as much. */
  readonly cpu: Size;
  /**
   * Eviction policy of the CPU tier.
   * @default KvCacheEvictionPolicy.LRU
   */
  readonly evictionPolicy?: KvCacheEvictionPolicy;
  /**
   * File-system tiers below the CPU tier, in cascade order (`secondary_tiers`, `/mnt/kv-cache-<i>`).
   * @default - none (CPU tier only)
   */
  readonly secondary?: KvCacheTier[];
  /**
   * Offload blocks only when they are evicted from the GPU instead of as soon as they are computed (`lazy_offload`).
   * @default - vLLM's default (eager)
   */
  readonly lazyOffload?: boolean;
}

/** Options of {@link KvCache.lmcache}. */
export interface LmCacheOptions {
  /** Host memory for LMCache's CPU tier (`LMCACHE_MAX_LOCAL_CPU_SIZE`); the memory request grows by as much. */
  readonly cpu: Size;
  /**
   * A local disk tier (`LMCACHE_LOCAL_DISK` at `/mnt/kv-cache-0`, `LMCACHE_MAX_LOCAL_DISK_SIZE`).
   * @default - none
   */
  readonly disk?: KvCacheTier;
  /**
   * Size of the disk tier LMCache may fill; required with `disk` (LMCache needs the figure, the volume may be larger).
   * @default - none
   */
  readonly diskSize?: Size;
  /**
   * Tokens per LMCache chunk (`LMCACHE_CHUNK_SIZE`).
   * @default - LMCache's default (256)
   */
  readonly chunkSize?: number;
}

enum CacheKind { NONE = 'none', OFFLOAD = 'offload', LMCACHE = 'lmcache', AS_WRITTEN = 'as-written' }

/**
 * KV-cache tiers below GPU memory: vLLM's OffloadingConnector (CPU memory, then file-system tiers) as the KServe
 * controller renders `spec.kvCacheOffloading`, or the LMCache connector as llm-d's tiered-prefix-cache guide does.
 * With P/D (`KvTransfer.nixl()`), each role gets a `MultiConnector` of NIXL (P/D transfer) and the offloading connector.
 * The image must ship the connector: vLLM images have OffloadingConnector, llm-d's CUDA images also LMCache.
 */
export class KvCache {
  /** GPU memory only (the default). */
  public static none(): KvCache {
    return new KvCache(CacheKind.NONE);
  }

  /**
   * vLLM's native OffloadingConnector with `TieringOffloadingSpec`: a CPU tier of `cpu` bytes and optional file-system
   * tiers; `--kv-transfer-config` exactly as the KServe controller writes it (sorted keys).
   */
  public static offload(options: KvCacheOffloadOptions): KvCache {
    checkArgs('KvCache.offload', arguments);
    return new KvCache(CacheKind.OFFLOAD, options);
  }

  /** LMCache (`LMCacheConnectorV1`): a CPU tier and an optional local disk tier, configured through LMCACHE_* env. */
  public static lmcache(options: LmCacheOptions): KvCache {
    checkArgs('KvCache.lmcache', arguments);
    return new KvCache(CacheKind.LMCACHE, undefined, options);
  }

  /**
   * A cache connector entry as a KServe template writes it (OffloadingConnector / LMCacheConnectorV1 keys kept), whose
   * host memory the template's resources already count.
   * @internal
   */
  public static _asWritten(connector: Record<string, any>): KvCache {
    return new KvCache(CacheKind.AS_WRITTEN, undefined, undefined, true, JSON.parse(JSON.stringify(connector)));
  }

  private constructor(
    private readonly kind: CacheKind,
    private readonly offloadOptions?: KvCacheOffloadOptions,
    private readonly lmcacheOptions?: LmCacheOptions,
    /** The memory request already counts the CPU tier (KServe templates): it is not raised. @internal */
    public readonly _hostMemoryAccounted = false,
    private readonly written?: Record<string, any>,
  ) {}

  /** A copy whose CPU tier the serving container's memory figures already include. @internal */
  public _withHostMemoryAccounted(): KvCache {
    return new KvCache(this.kind, this.offloadOptions, this.lmcacheOptions, true, this.written);
  }

  /** Whether blocks leave GPU memory. */
  public get enabled(): boolean {
    return this.kind !== CacheKind.NONE;
  }

  /** Bytes of host memory the CPU tier pins (the serving container's memory request grows by as much). */
  public get cpuBytes(): number {
    if (this.written !== undefined) return Number(this.written.kv_connector_extra_config?.cpu_bytes_to_use ?? 0) || 0;
    const size = this.offloadOptions?.cpu ?? this.lmcacheOptions?.cpu;
    return size instanceof Size ? size.toKibibytes() * 1024 : 0;
  }

  /** @internal */
  public _validate(ctx: FieldContext, field: string): void {
    if (!(this instanceof KvCache)) throw ctx.error(field, this, 'must be a KvCache', 'use KvCache.offload({ cpu: Size.gibibytes(100) }), KvCache.lmcache({ cpu }) or KvCache.none()');
    if (this.kind === CacheKind.OFFLOAD) {
      const o = this.offloadOptions!;
      if (sizeBytes(ctx, `${field}.cpu`, o.cpu) === 0) throw ctx.error(`${field}.cpu`, quantity(o.cpu), 'must be positive', 'use e.g. Size.gibibytes(100)');
      if (o.evictionPolicy !== undefined && !Object.values(KvCacheEvictionPolicy).includes(o.evictionPolicy)) {
        throw ctx.error(`${field}.evictionPolicy`, o.evictionPolicy, 'is not an eviction policy of the OffloadingConnector', 'use KvCacheEvictionPolicy.LRU or ARC');
      }
      if (o.secondary !== undefined && !Array.isArray(o.secondary)) throw ctx.error(`${field}.secondary`, o.secondary, 'must be a list of KvCacheTier', 'use [KvCacheTier.emptyDir(Size.gibibytes(500))]');
      (o.secondary ?? []).forEach((t, i) => KvCacheTier.prototype._validate.call(t, ctx, `${field}.secondary[${i}]`));
      if (o.lazyOffload !== undefined && typeof o.lazyOffload !== 'boolean') throw ctx.error(`${field}.lazyOffload`, o.lazyOffload, 'must be a boolean', 'use true or false');
    }
    if (this.kind === CacheKind.LMCACHE) {
      const o = this.lmcacheOptions!;
      if (sizeBytes(ctx, `${field}.cpu`, o.cpu) === 0) throw ctx.error(`${field}.cpu`, quantity(o.cpu), 'must be positive', 'use e.g. Size.gibibytes(100)');
      if (o.disk !== undefined) KvCacheTier.prototype._validate.call(o.disk, ctx, `${field}.disk`);
      if ((o.disk === undefined) !== (o.diskSize === undefined)) {
        throw ctx.error(o.disk === undefined ? `${field}.diskSize` : `${field}.disk`, o.disk === undefined ? quantity(o.diskSize!) : undefined,
          'LMCache needs both the disk tier and the size it may fill', 'set disk and diskSize together');
      }
      if (o.diskSize !== undefined) sizeBytes(ctx, `${field}.diskSize`, o.diskSize);
      ctx.positiveInt(`${field}.chunkSize`, o.chunkSize);
    }
  }

  /**
   * The connector entry of `--kv-transfer-config` (keys sorted, as KServe's Go `json.Marshal` writes them).
   * @internal
   */
  public _connector(): Record<string, any> | undefined {
    if (this.kind === CacheKind.OFFLOAD) {
      const o = this.offloadOptions!;
      const extra: Record<string, any> = {
        cpu_bytes_to_use: this.cpuBytes,
        eviction_policy: o.evictionPolicy ?? KvCacheEvictionPolicy.LRU,
      };
      if (o.lazyOffload !== undefined) extra.lazy_offload = o.lazyOffload;
      const tiers = (o.secondary ?? []).map((_, i) => ({ root_dir: tierMountPath(i), type: 'fs' }));
      if (tiers.length > 0) extra.secondary_tiers = tiers;
      extra.spec_name = 'TieringOffloadingSpec';
      return sortKeys({ kv_connector: 'OffloadingConnector', kv_connector_extra_config: extra, kv_role: 'kv_both' });
    }
    if (this.kind === CacheKind.LMCACHE) return { kv_connector: 'LMCacheConnectorV1', kv_role: 'kv_both' };
    if (this.kind === CacheKind.AS_WRITTEN) return JSON.parse(JSON.stringify(this.written));
    return undefined;
  }

  /** The tiers below the CPU tier, in order. @internal */
  public get _tiers(): KvCacheTier[] {
    if (this.kind === CacheKind.OFFLOAD) return [...(this.offloadOptions!.secondary ?? [])];
    if (this.kind === CacheKind.LMCACHE && this.lmcacheOptions!.disk) return [this.lmcacheOptions!.disk];
    return [];
  }

  /** Env of the engine container (LMCache's configuration). @internal */
  public _env(): k8s.EnvVar[] {
    if (this.kind !== CacheKind.LMCACHE) return [];
    const o = this.lmcacheOptions!;
    const gb = (s: Size) => (s.toKibibytes() / 1024 / 1024).toFixed(1);
    const env: k8s.EnvVar[] = [{ name: 'LMCACHE_MAX_LOCAL_CPU_SIZE', value: gb(o.cpu) }];
    if (o.chunkSize !== undefined) env.push({ name: 'LMCACHE_CHUNK_SIZE', value: String(o.chunkSize) });
    if (o.disk) {
      env.push({ name: 'LMCACHE_LOCAL_DISK', value: `file://${tierMountPath(0)}/` }, { name: 'LMCACHE_MAX_LOCAL_DISK_SIZE', value: gb(o.diskSize!) });
    }
    return env;
  }
}

function sizeBytes(ctx: FieldContext, field: string, size: Size | undefined): number {
  if (!(size instanceof Size)) throw ctx.error(field, size, 'must be a Size', 'use e.g. Size.gibibytes(100)');
  const kib = size.toKibibytes();
  if (!Number.isInteger(kib) || kib < 0) throw ctx.error(field, `${kib} KiB`, 'must be a whole number of KiB, at least 0', 'use e.g. Size.gibibytes(100)');
  return kib * 1024;
}

/** A Size as a Kubernetes quantity (Gi when whole, else Mi, else Ki). */
function quantity(size: Size): string {
  return bytesQuantity(size.toKibibytes() * 1024);
}

function sortKeys(o: Record<string, any>): Record<string, any> {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k] !== null && typeof o[k] === 'object' && !Array.isArray(o[k]) ? sortKeys(o[k]) : o[k]]));
}

/**
 * The `--kv-transfer-config` JSON of a serving pod: the P/D connector, the KV-cache connector, or — with both — a
 * `MultiConnector` listing NIXL first (KV transfer) and the cache connector second, with the load-failure policy at the
 * top level, where vLLM's scheduler reads it (the layout of KServe's nemotron P/D sample).
 * @internal
 */
export function kvTransferConfig(kvTransfer: KvTransfer | undefined, role: 'prefill' | 'decode', cache: KvCache | undefined): string | undefined {
  const transfer = kvTransfer !== undefined && kvTransfer._nixlSideChannel ? kvTransfer._connectorConfig(role) : undefined;
  const offload = cache?._connector();
  if (transfer === undefined || offload === undefined) {
    const only = transfer ?? offload;
    return only === undefined ? undefined : JSON.stringify(only);
  }
  const { kv_load_failure_policy: policy, ...nixl } = transfer;
  const multi: Record<string, any> = { kv_connector: 'MultiConnector', kv_role: 'kv_both' };
  if (policy !== undefined) multi.kv_load_failure_policy = policy;
  multi.kv_connector_extra_config = { connectors: [nixl, offload] };
  return JSON.stringify(multi);
}
