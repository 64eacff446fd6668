/**
 * The strategic-merge subset the KServe controller applies when it combines presets, baseRefs and the service's
 * own spec (`kserve-llmisvc.md` §2.2): maps merge recursively; `containers`/`initContainers`/`env`/`volumes` merge
 * by `name`, `volumeMounts` by `mountPath`, `ports` by `containerPort`; every other list (args, command,
 * tolerations, route rules, baseRefs) is replaced wholesale; `null` deletes a key.
 */

const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  ports: 'containerPort',
};

/** @internal */
export function isPlainObject(v: unknown): v is Record<string, any> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Deep copy of JSON data. @internal */
export function cloneJson<T>(v: T): T {
  return v === undefined ? v : JSON.parse(JSON.stringify(v));
}

/** `patch` merged over `base` (neither is modified). @internal */
export function strategicMerge(base: any, patch: any): any {
  if (patch === undefined) return cloneJson(base);
  if (!isPlainObject(base) || !isPlainObject(patch)) return cloneJson(patch);
  const out: Record<string, any> = cloneJson(base);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete out[key];
      continue;
    }
    const mergeKey = MERGE_KEYS[key];
    if (mergeKey && Array.isArray(value) && Array.isArray(out[key]) && value.every((x) => isPlainObject(x) && x[mergeKey] !== undefined)) {
      const merged: any[] = cloneJson(out[key]);
      for (const item of value) {
        const at = merged.findIndex((x) => isPlainObject(x) && x[mergeKey] === item[mergeKey]);
        if (at >= 0) merged[at] = strategicMerge(merged[at], item);
        else merged.push(cloneJson(item));
      }
      out[key] = merged;
    } else {
      out[key] = strategicMerge(out[key], value);
    }
  }
  return out;
}
