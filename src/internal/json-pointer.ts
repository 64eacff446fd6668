/** One segment of a JSON pointer, unescaped (`~1` → `/`, `~0` → `~`). @internal */
export function unescapePointer(seg: string): string {
  return seg.includes('~') ? seg.replace(/~1/g, '/').replace(/~0/g, '~') : seg;
}

/** The value at a JSON pointer (`/spec/containers/0`) of `json`; undefined where the path leaves the value. @internal */
export function valueAtPointer(json: unknown, pointer: string): unknown {
  let v: any = json;
  for (const seg of pointer.split('/').slice(1)) {
    if (v === null || typeof v !== 'object') return undefined;
    v = v[unescapePointer(seg)];
  }
  return v;
}
