import { Size } from 'cdk8s';
import { isPlainObject } from './merge';
import { FieldContext } from '../internal/context';
import { parseQuantity } from '../internal/quantity';
import { KvCache, KvCacheEvictionPolicy, KvCacheTier } from '../model/kv-cache';

/** What a `--kv-transfer-config` of a KServe template sets. @internal */
export interface KvTransferRead {
  /** `kv_role` of the NixlConnector (P/D), if any. */
  readonly nixlRole?: string;
  readonly loadFailurePolicy?: string;
  readonly bidirectional?: boolean;
  /** The KV-cache connector (alone, or beside NIXL in a MultiConnector), kept as written. */
  readonly cache?: KvCache;
}

const NIXL_ROLES = ['kv_producer', 'kv_consumer', 'kv_both'];
const CACHE_CONNECTORS = ['OffloadingConnector', 'LMCacheConnectorV1'];

/**
 * Read a `--kv-transfer-config` JSON of a template: NixlConnector (P/D), a KV-cache connector (OffloadingConnector,
 * LMCacheConnectorV1), or a MultiConnector of the two (KServe's nemotron P/D sample). Anything else is refused.
 * @internal
 */
export function readKvTransferConfig(ctx: FieldContext, field: string, text: string | undefined): KvTransferRead {
  let cfg: any;
  try {
    cfg = JSON.parse(text ?? '');
  } catch {
    throw ctx.error(field, text, 'is not JSON', 'write --kv-transfer-config \'{"kv_connector":"NixlConnector","kv_role":"kv_both"}\'');
  }
  if (!isPlainObject(cfg)) throw ctx.error(field, text, 'is not a JSON object', 'write --kv-transfer-config \'{"kv_connector":"NixlConnector","kv_role":"kv_both"}\'');
  if (cfg.kv_connector === 'MultiConnector') {
    const members = cfg.kv_connector_extra_config?.connectors;
    const extra = Object.keys(cfg).filter((k) => !['kv_connector', 'kv_role', 'kv_load_failure_policy', 'kv_connector_extra_config'].includes(k));
    if (!Array.isArray(members) || extra.length > 0 || Object.keys(cfg.kv_connector_extra_config).length !== 1) {
      throw ctx.error(field, text, 'is a MultiConnector the library cannot represent (it renders NixlConnector plus one KV-cache connector)',
        'list connectors: [NixlConnector, OffloadingConnector | LMCacheConnectorV1] under kv_connector_extra_config and nothing else');
    }
    const nixl = members.filter((m: any) => m?.kv_connector === 'NixlConnector');
    const caches = members.filter((m: any) => CACHE_CONNECTORS.includes(m?.kv_connector));
    if (nixl.length > 1 || caches.length > 1 || nixl.length + caches.length !== members.length) {
      throw ctx.error(`${field}.kv_connector_extra_config.connectors`, members.map((m: any) => m?.kv_connector), 'holds connectors the library cannot represent',
        'use at most one NixlConnector and one of OffloadingConnector, LMCacheConnectorV1');
    }
    const n = nixl.length ? readNixl(ctx, `${field}.connectors[NixlConnector]`, nixl[0]) : {};
    const policy = cfg.kv_load_failure_policy ?? n.loadFailurePolicy;
    const cache = caches.length ? KvCache._asWritten(caches[0]) : undefined;
    return { ...n, loadFailurePolicy: policy === undefined ? undefined : String(policy), cache };
  }
  if (CACHE_CONNECTORS.includes(cfg.kv_connector)) return { cache: KvCache._asWritten(cfg) };
  if (cfg.kv_connector !== 'NixlConnector') {
    throw ctx.error(field, cfg.kv_connector,
      'is a KV connector the library cannot represent (NixlConnector for P/D, OffloadingConnector, LMCacheConnectorV1, or a MultiConnector of them)',
      'use one of those, or build the service with the library constructs');
  }
  return readNixl(ctx, field, cfg);
}

function readNixl(ctx: FieldContext, field: string, cfg: Record<string, any>): KvTransferRead {
  const role = cfg.kv_role;
  if (!NIXL_ROLES.includes(role)) throw ctx.error(`${field}.kv_role`, role, 'is not a NixlConnector role', 'use kv_producer, kv_consumer or kv_both');
  const extra = Object.keys(cfg).filter((k) => !['kv_connector', 'kv_role', 'kv_load_failure_policy', 'kv_connector_extra_config'].includes(k));
  const extraConfig = isPlainObject(cfg.kv_connector_extra_config) ? cfg.kv_connector_extra_config : {};
  const unknownExtra = Object.keys(extraConfig).filter((k) => k !== 'bidirectional_kv_xfer');
  if (extra.length > 0 || unknownExtra.length > 0 || (cfg.kv_connector_extra_config !== undefined && !isPlainObject(cfg.kv_connector_extra_config))) {
    throw ctx.error(field, [...extra, ...unknownExtra], 'sets NixlConnector keys the library does not render',
      'remove them, or configure KvTransfer.nixl() directly (roles, loadFailurePolicy, bidirectional, backends)');
  }
  if (cfg.kv_load_failure_policy !== undefined && !['fail', 'recompute'].includes(cfg.kv_load_failure_policy)) {
    throw ctx.error(`${field}.kv_load_failure_policy`, cfg.kv_load_failure_policy, 'is not a load-failure policy of vLLM', 'use fail or recompute');
  }
  const bidi = extraConfig.bidirectional_kv_xfer;
  if (bidi !== undefined && typeof bidi !== 'boolean') throw ctx.error(`${field}.kv_connector_extra_config.bidirectional_kv_xfer`, bidi, 'must be a boolean', 'use true or false');
  return { nixlRole: role, loadFailurePolicy: cfg.kv_load_failure_policy, bidirectional: bidi };
}

/**
 * `spec.kvCacheOffloading` / `spec.prefill.kvCacheOffloading` (KServe v1alpha2 `KVCacheOffloadingSpec`) → the
 * library's `KvCache.offload`, whose rendering is the controller's (`config_merge.go` kvTransferConfig,
 * `workload_kvcache.go`). The template's memory figures are kept (the controller does not raise them).
 * @internal
 */
export function readKvCacheOffloading(ctx: FieldContext, field: string, v: unknown, warn: (m: string) => void): KvCache | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isPlainObject(v)) throw ctx.error(field, v, 'must be an object', 'write kvCacheOffloading: { cpu: 10Gi, secondary: [...] }');
  const unknown = Object.keys(v).filter((k) => !['cpu', 'evictionPolicy', 'secondary'].includes(k));
  if (unknown.length) throw ctx.error(`${field}.${unknown[0]}`, v[unknown[0]], 'is not a field of kvCacheOffloading', 'use cpu, evictionPolicy and secondary');
  const cpu = sizeOf(ctx, `${field}.cpu`, v.cpu, true)!;
  const policy = v.evictionPolicy ?? KvCacheEvictionPolicy.LRU;
  if (!Object.values(KvCacheEvictionPolicy).includes(policy)) throw ctx.error(`${field}.evictionPolicy`, policy, 'is not lru or arc (CRD enum)', 'use lru or arc');
  if (v.secondary !== undefined && !Array.isArray(v.secondary)) throw ctx.error(`${field}.secondary`, v.secondary, 'must be a list', 'write secondary: [{ fileSystem: { emptyDir: { size: 100Gi } } }]');
  const tiers: KvCacheTier[] = [];
  for (const [i, s] of (v.secondary ?? []).entries()) {
    const at = `${field}.secondary[${i}]`;
    const fs = isPlainObject(s) ? s.fileSystem : undefined;
    // the controller skips entries without fileSystem, and keeps their index in the mount paths
    if (!isPlainObject(fs)) {
      throw ctx.error(at, s, 'has no fileSystem tier (the only kind KServe renders)', 'write { fileSystem: { emptyDir: { size: 100Gi } } } or a pvc');
    }
    if (isPlainObject(fs.emptyDir)) {
      tiers.push(KvCacheTier.emptyDir(sizeOf(ctx, `${at}.fileSystem.emptyDir.size`, fs.emptyDir.size, true)!));
    } else if (isPlainObject(fs.pvc) && isPlainObject(fs.pvc.spec)) {
      const spec = fs.pvc.spec;
      const dropped = Object.keys(spec).filter((k) => !['storageClassName', 'accessModes', 'resources'].includes(k));
      if (dropped.length) warn(`${at}.fileSystem.pvc.spec: ${dropped.join(', ')} not rendered (the ephemeral volume takes storageClassName, accessModes and the storage request)`);
      tiers.push(KvCacheTier.ephemeralVolume({
        size: sizeOf(ctx, `${at}.fileSystem.pvc.spec.resources.requests.storage`, spec.resources?.requests?.storage, true)!,
        storageClassName: typeof spec.storageClassName === 'string' ? spec.storageClassName : undefined,
        accessModes: Array.isArray(spec.accessModes) ? spec.accessModes.map(String) : undefined,
      }));
    } else if (isPlainObject(fs.pvc) && isPlainObject(fs.pvc.ref)) {
      tiers.push(KvCacheTier.claim(String(fs.pvc.ref.name), { path: fs.pvc.ref.path === undefined ? undefined : String(fs.pvc.ref.path) }));
    } else {
      throw ctx.error(`${at}.fileSystem`, fs, 'sets neither emptyDir nor pvc.spec nor pvc.ref', 'set exactly one of them');
    }
  }
  return KvCache.offload({ cpu, evictionPolicy: policy, secondary: tiers.length ? tiers : undefined })._withHostMemoryAccounted();
}

function sizeOf(ctx: FieldContext, field: string, v: unknown, required: boolean): Size | undefined {
  if (v === undefined || v === null) {
    if (required) throw ctx.error(field, v, 'is required', 'write a quantity such as 100Gi');
    return undefined;
  }
  const value = parseQuantity(typeof v === 'number' ? v : String(v));
  if (value === undefined || value < 0) throw ctx.error(field, v, 'is not a Kubernetes quantity', 'write e.g. 100Gi');
  return Size.kibibytes(Math.ceil(Math.ceil(value) / 1024));
}
