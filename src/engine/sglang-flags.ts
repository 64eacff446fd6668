import { FlagTable, ParsedFlag, parseFlags } from './flag-parser';
import { checkValue } from './vllm-flags';
import { FlagValueKind } from './vllm-prop-flags';
import { SGLANG_FLAGS_RELEASE, SGLANG_SERVER_FLAGS, SglangFlagSpec } from '../imports/sglang-server-flags';
import { FieldContext } from '../internal/context';
import { checkSecretFlags, checkSecretTokens } from '../internal/secrets';

const BY_NAME = new Map<string, SglangFlagSpec>();
const ALIASES = new Map<string, { canonical: string; negated: boolean }>();
for (const spec of SGLANG_SERVER_FLAGS) {
  BY_NAME.set(spec.flag, spec);
  ALIASES.set(spec.flag, { canonical: spec.flag, negated: false });
  if (spec.negation) ALIASES.set(spec.negation, { canonical: spec.flag, negated: true });
  for (const a of spec.aliases ?? []) ALIASES.set(a, { canonical: spec.flag, negated: false });
}

/** The pinned `sglang.launch_server` flag table (SGLang's argparse options, aliases resolved). @internal */
export const SGLANG_FLAG_TABLE: FlagTable = {
  resolve: (name) => ALIASES.get(name),
  arity: (canonical) => {
    const spec = BY_NAME.get(canonical)!;
    if (spec.kind !== 'value') return 0;
    return spec.nargs === '+' || spec.nargs === '*' ? 'many' : 1;
  },
  names: () => [...ALIASES.keys()],
};

/** One SGLang flag owned by an engine option (`Engine.sglang({...})`). @internal */
export interface SglangOptionFlag {
  readonly flag: string;
  readonly prop: 'contextLength' | 'memFractionStatic' | 'chunkedPrefillSize' | 'dtype' | 'quantization' | 'pageSize';
  readonly kind: FlagValueKind;
}

/** Engine options, in the order the renderer writes them (`--page-size` is written later, with the scheduler's size). @internal */
export const SGLANG_OPTION_FLAGS: readonly SglangOptionFlag[] = [
  { flag: '--context-length', prop: 'contextLength', kind: FlagValueKind.POSITIVE_INT },
  { flag: '--mem-fraction-static', prop: 'memFractionStatic', kind: FlagValueKind.FRACTION },
  { flag: '--chunked-prefill-size', prop: 'chunkedPrefillSize', kind: FlagValueKind.POSITIVE_INT },
  { flag: '--dtype', prop: 'dtype', kind: FlagValueKind.STRING },
  { flag: '--quantization', prop: 'quantization', kind: FlagValueKind.STRING },
  { flag: '--page-size', prop: 'pageSize', kind: FlagValueKind.POSITIVE_INT },
];

/** SGLang's parallelism flags (canonical names of the pinned table), by parallelism prop. @internal */
export const SGLANG_PARALLELISM_FLAGS = {
  tensor: '--tensor-parallel-size',
  pipeline: '--pipeline-parallel-size',
  data: '--data-parallel-size',
  expert: '--expert-parallel-size',
} as const;

/** SGLang's P/D disaggregation flags (`python/sglang/srt/server_args.py`, "PD disaggregation" options). @internal */
export const SGLANG_DISAGGREGATION_FLAGS = {
  mode: '--disaggregation-mode',
  transferBackend: '--disaggregation-transfer-backend',
  bootstrapPort: '--disaggregation-bootstrap-port',
  ibDevice: '--disaggregation-ib-device',
} as const;

/** SGLang's multi-node flags (one engine across the pods of a group). @internal */
export const SGLANG_MULTI_NODE_FLAGS = {
  nodes: '--nnodes',
  nodeRank: '--node-rank',
  distInitAddr: '--dist-init-addr',
} as const;

/** Flags the library derives from something other than an engine option or a parallelism prop, with their owner. @internal */
const SGLANG_DERIVED_FLAGS: readonly (readonly [string, string])[] = [
  ['--model-path', 'model'],
  ['--tokenizer-path', 'model'],
  ['--served-model-name', 'servedModelName'],
  ['--port', 'the wiring contract (Ports.SERVING)'],
  ['--host', 'the wiring contract (listens on all addresses)'],
  ['--enable-metrics', 'the wiring contract (the EPP scrapes /metrics on the serving port)'],
  [SGLANG_MULTI_NODE_FLAGS.nodes, 'the serving mode (pods per group)'],
  [SGLANG_MULTI_NODE_FLAGS.nodeRank, 'the serving mode (multi-node rank)'],
  [SGLANG_MULTI_NODE_FLAGS.distInitAddr, 'the serving mode (multi-node leader address)'],
  ['--enable-dp-attention', 'parallelism (data-parallel attention is the wide-EP shape, refused with SGLang)'],
  ['--enable-lora', 'loraAdapters'],
  ['--lora-paths', 'loraAdapters'],
  ['--max-loras-per-batch', 'lora.maxAdapters'],
  ['--max-lora-rank', 'lora.maxRank'],
  [SGLANG_DISAGGREGATION_FLAGS.mode, 'the P/D role (PrefillDecodePair)'],
  [SGLANG_DISAGGREGATION_FLAGS.transferBackend, 'kvTransfer (P/D)'],
  [SGLANG_DISAGGREGATION_FLAGS.ibDevice, 'kvTransfer (KvTransfer.sglang({ ibDevice }))'],
  [SGLANG_DISAGGREGATION_FLAGS.bootstrapPort, 'the wiring contract (Ports.SGLANG_BOOTSTRAP, the port the routing sidecar advertises)'],
  ['--kv-events-config', 'scheduler (precise prefix-cache routing)'],
  ['--ssl-certfile', 'tls'],
  ['--ssl-keyfile', 'tls'],
  ['--enable-ssl-refresh', 'tls'],
];

/** Every SGLang flag the library owns → the prop (or mechanism) that sets it. @internal */
export const SGLANG_OWNED_FLAGS: ReadonlyMap<string, string> = new Map([
  ...SGLANG_DERIVED_FLAGS,
  ...Object.entries(SGLANG_PARALLELISM_FLAGS).map(([prop, flag]) => [flag, `parallelism.${prop}`] as const),
  ...SGLANG_OPTION_FLAGS.map((r) => [r.flag, `engine ${r.prop}`] as const),
]);

/**
 * Parse and check user-supplied SGLang arguments against the pinned flag table: unknown flags (with a suggestion),
 * deprecated flags, wrong value types, choices, duplicates, and flags the library owns.
 * @internal
 */
export function checkSglangArgs(ctx: FieldContext, field: string, args: string[], allowUnknown: boolean): ParsedFlag[] {
  checkSecretTokens(ctx, field, args);
  const parsed = parseFlags(ctx, field, args, SGLANG_FLAG_TABLE, allowUnknown);
  checkSecretFlags(ctx, field, parsed);
  const seen = new Map<string, number>();
  for (const f of parsed) {
    const at = `${field}[${f.index}]`;
    const prop = SGLANG_OWNED_FLAGS.get(f.name);
    if (prop) throw ctx.error(at, f.written, `sets ${f.name}, which the library derives from ${prop}`, `remove it from ${field} and set ${prop} instead`);
    const spec = BY_NAME.get(f.name);
    if (spec?.deprecated) {
      throw ctx.error(at, f.written, `${spec.deprecated} (SGLang ${SGLANG_FLAGS_RELEASE})`, 'remove it (or use its replacement)');
    }
    if (seen.has(f.name)) throw ctx.error(at, f.written, `repeats ${f.name} (already given at ${field}[${seen.get(f.name)}])`, 'give each flag once');
    seen.set(f.name, f.index);
    if (spec && spec.kind === 'value') for (const v of f.values) checkValue(ctx, at, f, spec, v);
  }
  return parsed;
}

/** Check a prop that becomes the value of one SGLang flag (e.g. `dtype` → `--dtype`); the error names the prop. @internal */
export function checkSglangFlagValue(ctx: FieldContext, field: string, flag: string, value: string | undefined): void {
  if (value === undefined) return;
  const spec = BY_NAME.get(flag);
  if (!spec) throw new Error(`no SGLang flag ${flag} in the pinned table`);
  try {
    checkValue(ctx, field, { name: flag, written: flag, values: [value], inline: true, index: 0 }, spec, value);
  } catch (e) {
    const expectedText = /expects (.*), got/.exec((e as Error).message)?.[1] ?? 'a value of the flag table';
    throw ctx.error(field, value, `is not a value SGLang ${SGLANG_FLAGS_RELEASE} accepts for ${flag} (${expectedText})`, `use ${expectedText}`);
  }
}

/** Whether the pinned table has this flag (a canonical name or an alias). @internal */
export function sglangHasFlag(name: string): boolean {
  return ALIASES.has(name);
}
