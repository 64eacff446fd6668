import { cloneJson, isPlainObject } from './merge';
import { FieldContext } from '../internal/context';
import { suggest } from '../internal/suggest';
import { Versions } from '../versions';

/** `serving.kserve.io` versions the construct reads. */
export const KSERVE_API_VERSIONS = [Versions.LLM_INFERENCE_SERVICE_API_V1ALPHA1, Versions.LLM_INFERENCE_SERVICE_API_V1ALPHA2];

const WORKLOAD = ['annotations', 'labels', 'parallelism', 'replicas', 'rolloutStrategy', 'scaling', 'template', 'worker'];
/** Known keys of the structural schema, per version (`serving.kserve.io_llminferenceservices.yaml`). */
const KNOWN: Record<string, Record<string, string[]>> = {
  v1alpha1: {
    'spec': [...WORKLOAD, 'baseRefs', 'model', 'prefill', 'router', 'storageInitializer', 'tracing'],
    'spec.model': ['criticality', 'lora', 'name', 'uri'],
    'spec.prefill': WORKLOAD,
  },
  v1alpha2: {
    'spec': [...WORKLOAD, 'baseRefs', 'kvCacheOffloading', 'model', 'prefill', 'router', 'storageInitializer', 'tracing'],
    'spec.model': ['confidential', 'lora', 'name', 'uri'],
    'spec.prefill': [...WORKLOAD, 'kvCacheOffloading'],
  },
};
const COMMON: Record<string, string[]> = {
  'spec.model.lora': ['adapters', 'maxAdapters', 'maxCpuAdapters', 'maxRank'],
  'spec.parallelism': ['data', 'dataLocal', 'dataRPCPort', 'expert', 'pipeline', 'tensor'],
  'spec.prefill.parallelism': ['data', 'dataLocal', 'dataRPCPort', 'expert', 'pipeline', 'tensor'],
  'spec.router': ['gateway', 'ingress', 'route', 'scheduler'],
  'spec.router.scheduler': ['annotations', 'config', 'labels', 'pool', 'replicas', 'template', 'tokenizer'],
  'spec.router.route': ['group', 'http', 'weight'],
  'spec.router.gateway': ['refs'],
  'spec.storageInitializer': ['enabled'],
};

/** Result of the light structural check. @internal */
export interface SpecCheck {
  /** The spec with unknown fields removed, as the API server's structural pruning would. */
  readonly spec: Record<string, any>;
  /** One message per pruned field. */
  readonly warnings: string[];
  /** Paths of the pruned fields, e.g. `spec.workload`. */
  readonly pruned: string[];
}

/**
 * A light version of what the API server does with the CRD's structural schema: unknown fields at the levels
 * above are pruned (with a warning, as `kubectl apply` prints), wrong types and the CEL rule
 * `!(has(self.replicas) && has(self.scaling))` are errors. The CLI `check` runs the full schema.
 * @internal
 */
export function checkSpec(ctx: FieldContext, version: string, spec: unknown, kind: string): SpecCheck {
  if (spec === undefined) return { spec: {}, warnings: [], pruned: [] };
  if (!isPlainObject(spec)) throw ctx.error('spec', spec, 'must be an object', `write the ${kind} spec as a YAML mapping`);
  const out = cloneJson(spec);
  const warnings: string[] = [];
  const pruned: string[] = [];
  const table = { ...KNOWN[version], ...COMMON };
  for (const [path, keys] of Object.entries(table).sort(([a], [b]) => a.split('.').length - b.split('.').length)) {
    const parentPath = path.split('.').slice(1);
    let node: any = out;
    for (const p of parentPath) node = isPlainObject(node) ? node[p] : undefined;
    if (node === undefined || node === null) continue;
    if (!isPlainObject(node)) throw ctx.error(path, node, 'must be an object', `write ${path} as a YAML mapping`);
    for (const key of Object.keys(node)) {
      if (!keys.includes(key)) {
        warnings.push(prunedMessage(path, key, node[key], keys, version));
        pruned.push(`${path}.${key}`);
        delete node[key];
      }
    }
  }
  const int = (path: string, v: unknown, min: number) => {
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < min)) {
      throw ctx.error(path, v, `must be an integer >= ${min} (the CRD schema rejects it)`, `set ${path} to an integer of ${min} or more`);
    }
  };
  for (const base of ['spec', 'spec.prefill']) {
    const w = base === 'spec' ? out : out.prefill;
    if (!isPlainObject(w)) continue;
    int(`${base}.replicas`, w.replicas, 0);
    if (w.replicas !== undefined && w.scaling !== undefined) {
      throw ctx.error(`${base}.scaling`, w.scaling, 'replicas and scaling are mutually exclusive (CRD rule !(has(self.replicas) && has(self.scaling)))',
        `remove ${base}.replicas for autoscaled deployments, or ${base}.scaling for static ones`);
    }
    const p = w.parallelism;
    if (isPlainObject(p)) {
      for (const f of ['tensor', 'pipeline', 'data', 'dataLocal', 'dataRPCPort']) int(`${base}.parallelism.${f}`, p[f], 1);
      if (p.expert !== undefined && typeof p.expert !== 'boolean') throw ctx.error(`${base}.parallelism.expert`, p.expert, 'must be a boolean', 'write true or false');
    }
  }
  return { spec: out, warnings, pruned };
}

/**
 * The message of a pruned field, prominent and with the likely fix: a near-miss of a known field ("did you mean"),
 * or known fields nested one level too deep (`spec.workload.kvCacheOffloading` → `spec.kvCacheOffloading`).
 */
function prunedMessage(path: string, key: string, value: unknown, keys: string[], version: string): string {
  const head = `${path}.${key}: PRUNED — unknown field, dropped by the API server, so nothing under it takes effect (the ${version} schema has no such field)`;
  const hint = unknownFieldHint(path, key, value, keys);
  return hint.suggestion ? `${head}; ${hint.suggestion}` : `${head}; known: ${keys.join(', ')}`;
}

/** How to fix an unknown field. @internal */
export interface UnknownFieldHint {
  /** "did you mean spec.replicas?" or where misplaced fields belong; undefined when nothing is close. */
  readonly suggestion?: string;
  /** The fix, as a YAML edit. */
  readonly fix: string;
}

/**
 * The likely fix of the unknown field `key` under `path` (`''` for the root), given the `known` fields there:
 * a near-miss ("did you mean"), or known fields nested one level too deep under `key`.
 * @internal
 */
export function unknownFieldHint(path: string, key: string, value: unknown, known: readonly string[]): UnknownFieldHint {
  const at = (k: string) => (path ? `${path}.${k}` : k);
  const near = suggest(key, known);
  if (near) return { suggestion: `did you mean ${at(near)}?`, fix: `rename ${at(key)} to ${at(near)}` };
  const misplaced = isPlainObject(value) ? Object.keys(value).filter((k) => known.includes(k)) : [];
  if (misplaced.length) {
    const to = misplaced.map((k) => at(k)).join(', ');
    return {
      suggestion: `${misplaced.map((k) => `${at(key)}.${k}`).join(', ')} belong(s) directly under ${path || 'the object'}: move to ${to}`,
      fix: `move ${to.includes(',') ? 'them' : 'it'} up one level (to ${to}) and remove ${at(key)}`,
    };
  }
  return { fix: `remove ${at(key)}` };
}
