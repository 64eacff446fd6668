/** Kubernetes resource quantities (`100m`, `2`, `16Gi`, `1e3`) as numbers, and back. */

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { 'n': 1e-9, 'u': 1e-6, 'm': 1e-3, '': 1, 'k': 1e3, 'M': 1e6, 'G': 1e9, 'T': 1e12, 'P': 1e15, 'E': 1e18 };
const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/;

/**
 * The value of a quantity (`100m` → 0.1, `16Gi` → 17179869184); `undefined` for anything else.
 * @internal
 */
export function parseQuantity(q: unknown): number | undefined {
  if (typeof q === 'number') return Number.isFinite(q) ? q : undefined;
  if (typeof q !== 'string') return undefined;
  const m = QUANTITY.exec(q.trim());
  if (!m) return undefined;
  const suffix = m[2] ?? '';
  return Number(m[1]) * (BINARY[suffix] ?? DECIMAL[suffix]);
}

/**
 * A byte count as a Kubernetes quantity: `Gi`, `Mi` or `Ki` when whole, else plain bytes (rounded up).
 * @internal
 */
export function bytesQuantity(bytes: number): string {
  const b = Math.ceil(bytes);
  for (const [unit, f] of [['Gi', BINARY.Gi], ['Mi', BINARY.Mi], ['Ki', BINARY.Ki]] as const) if (b % f === 0) return `${b / f}${unit}`;
  return String(b);
}

/**
 * Millicores as Kubernetes writes CPU: `250m`, `2`, `12.5`.
 * @internal
 */
export function formatCpu(millis: number): string {
  if (millis === 0) return '0';
  if (millis % 1000 === 0) return String(millis / 1000);
  if (millis < 1000) return `${Math.round(millis)}m`;
  return String(Math.round(millis) / 1000);
}

/**
 * Bytes in the largest binary unit that keeps the value readable: `128Mi`, `16Gi`, `1.5Ti`.
 * @internal
 */
export function formatBytes(bytes: number): string {
  if (bytes === 0) return '0';
  for (const unit of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki']) {
    const v = bytes / BINARY[unit];
    if (v >= 1) return `${Math.round(v * 100) / 100}${unit}`;
  }
  return String(bytes);
}
