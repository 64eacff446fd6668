import { FlagTable, ParsedFlag, parseFlags } from './flag-parser';
import { VLLM_SERVE_FLAGS, VllmFlagSpec } from '../imports/vllm-serve-flags';
import { FieldContext } from '../internal/context';
import { checkSecretFlags, checkSecretTokens } from '../internal/secrets';
import { Versions } from '../versions';

const BY_NAME = new Map<string, VllmFlagSpec>();
const ALIASES = new Map<string, { canonical: string; negated: boolean }>();
for (const spec of VLLM_SERVE_FLAGS) {
  BY_NAME.set(spec.flag, spec);
  ALIASES.set(spec.flag, { canonical: spec.flag, negated: false });
  if (spec.negation) ALIASES.set(spec.negation, { canonical: spec.flag, negated: true });
  for (const s of spec.short ?? []) ALIASES.set(s, { canonical: spec.flag, negated: false });
}

/** The pinned `vllm serve` flag table. @internal */
export const VLLM_FLAG_TABLE: FlagTable = {
  resolve: (name) => ALIASES.get(name),
  arity: (canonical) => {
    const spec = BY_NAME.get(canonical)!;
    if (spec.kind !== 'value') return 0;
    return spec.nargs === '+' || spec.nargs === '*' || (spec.type ?? '').startsWith('list[') ? 'many' : 1;
  },
  names: () => [...BY_NAME.keys()],
};

/** Flags whose repetition is meaningful. @internal */
function repeatable(canonical: string): boolean {
  return BY_NAME.get(canonical)?.repeatable === true;
}

/**
 * Parse and check user-supplied vLLM arguments against the pinned flag table: unknown flags (with a
 * suggestion), wrong value types, choices, duplicates, and flags the library owns (`owned` maps the flag to
 * the prop that sets it).
 * @internal
 */
export function checkVllmArgs(
  ctx: FieldContext, field: string, args: string[], owned: ReadonlyMap<string, string>, allowUnknown: boolean,
): ParsedFlag[] {
  checkSecretTokens(ctx, field, args);
  const parsed = parseFlags(ctx, field, args, VLLM_FLAG_TABLE, allowUnknown);
  checkSecretFlags(ctx, field, parsed);
  const seen = new Map<string, number>();
  parsed.forEach((f) => {
    const at = `${field}[${f.index}]`;
    const prop = owned.get(f.name);
    if (prop) {
      throw ctx.error(at, f.written, `sets ${f.name}, which the library derives from ${prop}`, `remove it from ${field} and set ${prop} instead`);
    }
    const key = f.subKey ? `${f.name}.${f.subKey}` : f.name;
    if (seen.has(key) && !repeatable(f.name)) {
      throw ctx.error(at, f.written, `repeats ${key} (already given at ${field}[${seen.get(key)}])`, 'give each flag once');
    }
    seen.set(key, f.index);
    const spec = BY_NAME.get(f.name);
    if (spec && spec.kind === 'value' && !f.subKey) {
      for (const v of f.values) checkValue(ctx, at, f, spec, v);
    }
  });
  return parsed;
}

/**
 * Check a prop that becomes the value of one vLLM flag (e.g. `dtype` → `--dtype`) against the flag table's type
 * and choices; the error names the prop.
 * @internal
 */
export function checkVllmFlagValue(ctx: FieldContext, field: string, flag: string, value: string | undefined): void {
  if (value === undefined) return;
  const spec = BY_NAME.get(flag);
  if (!spec) throw new Error(`no vLLM flag ${flag} in the pinned table`);
  try {
    checkValue(ctx, field, { name: flag, written: flag, values: [value], inline: true, index: 0 }, spec, value);
  } catch (e) {
    const expectedText = /expects (.*), got/.exec((e as Error).message)?.[1] ?? 'a value of the flag table';
    throw ctx.error(field, value, `is not a value vLLM ${Versions.VLLM} accepts for ${flag} (${expectedText})`, `use ${expectedText}`);
  }
}

/**
 * Check one value of a flag against its table row: the element type (`int`, `float`, `int_human`, `json`, …) and the
 * choices. Shared by the vLLM and SGLang flag tables.
 * @internal
 */
export function checkValue(ctx: FieldContext, at: string, f: ParsedFlag, spec: Pick<VllmFlagSpec, 'flag' | 'type' | 'choices'>, v: string): void {
  const type = spec.type ?? 'str';
  const elem = type.startsWith('list[') ? type.slice(5, -1) : type;
  const bad = (what: string) => ctx.error(at, f.written + (f.inline ? '' : ' ' + v), `${spec.flag} expects ${what}, got ${JSON.stringify(v)}`, `give ${spec.flag} ${what}`);
  switch (elem) {
    case 'int':
      if (!/^-?\d+$/.test(v)) throw bad('an integer');
      break;
    case 'float':
      if (!/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v)) throw bad('a number');
      break;
    case 'int_human':
      if (!/^-?\d+(\.\d+)?[kmgtKMGT]?$/.test(v)) throw bad('an integer (k/m/g/t or K/M/G/T suffix allowed)');
      break;
    case 'int_human_or_auto':
      if (!/^(-?\d+(\.\d+)?[kmgtKMGT]?|auto)$/.test(v)) throw bad("an integer or 'auto'");
      break;
    case 'json':
      try {
        JSON.parse(v);
      } catch {
        throw bad('a JSON value');
      }
      break;
    case 'json_or_str':
      break;
    default:
      break;
  }
  if (spec.choices && !spec.choices.map(String).includes(v)) throw bad(`one of ${spec.choices.join(', ')}`);
}
