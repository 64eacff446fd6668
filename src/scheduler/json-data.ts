/**
 * Helpers for the JSON-like data of an EndpointPickerConfig (plugin parameters, parsed documents).
 * Not part of the public API.
 */

/** True for a plain object (not null, not an array). @internal */
export function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep copy of JSON-like data. @internal */
export function clone<T>(v: T): T {
  return v === undefined ? v : JSON.parse(JSON.stringify(v));
}

/** Read a dotted path (`a.b.c`) from JSON-like data. @internal */
export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const key of path.split('.')) {
    if (!isObject(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}
