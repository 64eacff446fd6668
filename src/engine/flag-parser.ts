import { FieldContext } from '../internal/context';
import { suggestFlag } from '../internal/suggest';

/** One option as written in an argument list. @internal */
export interface ParsedFlag {
  /** Canonical `--long-name` (underscores turned into dashes, dotted JSON sub-keys removed). */
  readonly name: string;
  /** As written. */
  readonly written: string;
  /** Values that followed the flag (or the `=value`). */
  readonly values: string[];
  /** True for the `--flag=value` form. */
  readonly inline: boolean;
  /** Dotted JSON sub-key, e.g. `kv_connector` in `--kv-transfer-config.kv_connector`. */
  readonly subKey?: string;
  /** Index of the flag in the argument list. */
  readonly index: number;
}

/** What a flag table must answer. @internal */
export interface FlagTable {
  /** The canonical long name of a flag, short or `--no-` form, or undefined when unknown. */
  resolve(name: string): { canonical: string; negated: boolean } | undefined;
  /** How many values the canonical flag takes: 0, 1 or 'many'. */
  arity(canonical: string): 0 | 1 | 'many';
  /** Every canonical long name (for suggestions). */
  names(): string[];
}

/**
 * Split an argument list into flags. `--a=b`, `--a b`, `--a b c` (for list flags), `--no-a`, short
 * aliases and dotted JSON keys are understood. Bare positional tokens are rejected.
 * @internal
 */
export function parseFlags(ctx: FieldContext, field: string, args: string[], table: FlagTable, allowUnknown: boolean): ParsedFlag[] {
  const out: ParsedFlag[] = [];
  for (let i = 0; i < args.length; i++) {
    const token = args[i];
    const index = i;
    if (typeof token !== 'string' || !token.startsWith('-') || token === '-' || token === '--') {
      throw ctx.error(`${field}[${i}]`, token, 'is not a flag (positional arguments such as the model are set by the library)',
        'pass only --flags here; the model comes from the `model` prop');
    }
    const eq = token.indexOf('=');
    const head = eq >= 0 ? token.slice(0, eq) : token;
    const dot = head.startsWith('--') ? head.indexOf('.') : -1;
    const base = (dot >= 0 ? head.slice(0, dot) : head);
    const normalised = base.startsWith('--') ? '--' + base.slice(2).replace(/_/g, '-') : base;
    const subKey = dot >= 0 ? head.slice(dot + 1) : undefined;
    const resolved = table.resolve(normalised);
    if (!resolved) {
      if (!allowUnknown) {
        const hint = suggestFlag(normalised, table.names());
        const opposite = hint.opposite ? ` (${hint.opposite} switches the same thing the other way; it is not a spelling of this flag)` : '';
        throw ctx.error(`${field}[${i}]`, token, `is not a known flag of this engine version${opposite}`,
          hint.suggestion ? `did you mean ${hint.suggestion}? (set allowUnknownFlags for builds newer than the pinned flag table)`
            : 'remove it, or set allowUnknownFlags for builds newer than the pinned flag table');
      }
      const values: string[] = eq >= 0 ? [token.slice(eq + 1)] : [];
      if (eq < 0) while (i + 1 < args.length && !isFlagToken(args[i + 1])) values.push(args[++i]);
      out.push({ name: normalised, written: token, values, inline: eq >= 0, subKey, index });
      continue;
    }
    const arity = subKey !== undefined ? 1 : resolved.negated ? 0 : table.arity(resolved.canonical);
    const values: string[] = [];
    if (eq >= 0) {
      values.push(token.slice(eq + 1));
    } else if (arity === 1) {
      if (i + 1 >= args.length || isFlagToken(args[i + 1])) {
        throw ctx.error(`${field}[${i}]`, token, 'expects a value but none follows', `write ${resolved.canonical}=<value> or put the value in the next element`);
      }
      values.push(args[++i]);
    } else if (arity === 'many') {
      while (i + 1 < args.length && !isFlagToken(args[i + 1])) values.push(args[++i]);
      if (values.length === 0) throw ctx.error(`${field}[${i}]`, token, 'expects one or more values but none follows', `give ${resolved.canonical} at least one value`);
    }
    if (arity === 0 && values.length > 0) {
      throw ctx.error(`${field}[${i}]`, token, 'is an on/off switch and takes no value', `write ${resolved.negated ? '--no-' + resolved.canonical.slice(2) : resolved.canonical} alone`);
    }
    out.push({ name: resolved.canonical, written: token, values, inline: eq >= 0, subKey, index });
  }
  return out;
}

function isFlagToken(t: string | undefined): boolean {
  return typeof t === 'string' && /^--?[A-Za-z]/.test(t);
}
