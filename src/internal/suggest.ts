/** The closest known name within a small edit distance (3, or a quarter of the name's length), or undefined. @internal */
export function suggest(name: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const n of names) {
    const d = levenshtein(name, n);
    if (d < bestD) {
      bestD = d;
      best = n;
    }
  }
  return bestD <= Math.max(3, Math.floor(name.length / 4)) ? best : undefined;
}

function levenshtein(a: string, b: string): number {
  const prev = new Array(b.length + 1).fill(0).map((_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/** `--enable-x` / `--disable-x`, `--x` / `--no-x`, `--with-x` / `--without-x` (stacked, as in `--no-enable-x`): the stem and whether the flag negates it. */
function polarity(flag: string): { stem: string; negated: boolean } {
  let stem = flag.replace(/^-+/, '');
  let negated = false;
  for (let m = /^(no-|disable-|without-|enable-|with-)(.+)$/.exec(stem); m; m = /^(no-|disable-|without-|enable-|with-)(.+)$/.exec(stem)) {
    if (['no-', 'disable-', 'without-'].includes(m[1])) negated = !negated;
    stem = m[2];
  }
  return { stem, negated };
}

/**
 * Whether `a` and `b` switch the same (or a near-identical) thing in opposite directions
 * (`--disable-log-requests` / `--enable-log-requests`). @internal
 */
export function isOppositeFlag(a: string, b: string): boolean {
  const pa = polarity(a);
  const pb = polarity(b);
  return pa.negated !== pb.negated && levenshtein(pa.stem, pb.stem) <= 2;
}

/**
 * A suggestion for an unknown flag that never proposes its opposite: `opposite` is the flag of the table that
 * switches the same thing the other way, for the caller to name as such. @internal
 */
export function suggestFlag(flag: string, flags: readonly string[]): { suggestion?: string; opposite?: string } {
  const opposite = flags.find((f) => isOppositeFlag(flag, f));
  return { suggestion: suggest(flag, flags.filter((f) => !isOppositeFlag(flag, f))), opposite };
}
