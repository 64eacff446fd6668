/**
 * The vLLM flags that typed props own, in one table: the renderer writes them from the props, the flag checker
 * refuses them in `extraArgs` (naming the prop), and the KServe reader turns them back into props.
 */

/** How a flag's value maps to its prop. @internal */
export enum FlagValueKind {
  /** An integer >= 1. */
  POSITIVE_INT = 'positive-int',
  /** A number in (0, 1]. */
  FRACTION = 'fraction',
  /** A string (choices are checked by the flag table). */
  STRING = 'string',
  /** A boolean flag with a `--no-` form. */
  NEGATABLE = 'negatable',
  /** A flag without a value that sets the prop to true. */
  SWITCH = 'switch',
}

/** One flag owned by an engine option (`Engine.vllm({...})`). @internal */
export interface VllmOptionFlag {
  readonly flag: string;
  readonly prop: 'maxModelLen' | 'gpuMemoryUtilization' | 'enablePrefixCaching' | 'dtype' | 'quantization' | 'blockSize';
  readonly kind: FlagValueKind;
}

/** One flag owned by a parallelism prop. @internal */
export interface ParallelismFlag {
  readonly flag: string;
  readonly prop: 'tensor' | 'pipeline' | 'data' | 'dataLocal' | 'expert' | 'dataRpcPort';
  readonly kind: FlagValueKind;
}

/** Engine options, in the order the renderer writes them (`--block-size` is written later, with the scheduler's size). @internal */
export const VLLM_OPTION_FLAGS: readonly VllmOptionFlag[] = [
  { flag: '--max-model-len', prop: 'maxModelLen', kind: FlagValueKind.POSITIVE_INT },
  { flag: '--gpu-memory-utilization', prop: 'gpuMemoryUtilization', kind: FlagValueKind.FRACTION },
  { flag: '--enable-prefix-caching', prop: 'enablePrefixCaching', kind: FlagValueKind.NEGATABLE },
  { flag: '--dtype', prop: 'dtype', kind: FlagValueKind.STRING },
  { flag: '--quantization', prop: 'quantization', kind: FlagValueKind.STRING },
  { flag: '--block-size', prop: 'blockSize', kind: FlagValueKind.POSITIVE_INT },
];

/** Parallelism props and their flags. @internal */
export const PARALLELISM_FLAGS: readonly ParallelismFlag[] = [
  { flag: '--tensor-parallel-size', prop: 'tensor', kind: FlagValueKind.POSITIVE_INT },
  { flag: '--pipeline-parallel-size', prop: 'pipeline', kind: FlagValueKind.POSITIVE_INT },
  { flag: '--data-parallel-size', prop: 'data', kind: FlagValueKind.POSITIVE_INT },
  { flag: '--data-parallel-size-local', prop: 'dataLocal', kind: FlagValueKind.POSITIVE_INT },
  { flag: '--enable-expert-parallel', prop: 'expert', kind: FlagValueKind.SWITCH },
  { flag: '--data-parallel-rpc-port', prop: 'dataRpcPort', kind: FlagValueKind.POSITIVE_INT },
];

/** The flag of a prop. @internal */
export function flagOf(table: readonly { flag: string; prop: string }[], prop: string): string {
  const row = table.find((r) => r.prop === prop);
  if (!row) throw new Error(`no flag for ${prop}`);
  return row.flag;
}

/** `--all2all-backend`, set from MultiNodeGroup `all2allBackend`. @internal */
export const ALL2ALL_BACKEND_FLAG = '--all2all-backend';

/** Flags the library derives from something other than an engine option or a parallelism prop, with their owner. @internal */
export const VLLM_DERIVED_FLAGS: readonly (readonly [string, string])[] = [
  ['--port', 'the wiring contract (Ports.SERVING)'],
  ['--shutdown-timeout', 'terminationGracePeriod (DrainBudgets)'],
  ['--host', 'the wiring contract (listens on all addresses)'],
  ['--model', 'model'],
  ['--served-model-name', 'servedModelName'],
  ['--data-parallel-address', 'the serving mode (multi-node leader address)'],
  ['--data-parallel-start-rank', 'the serving mode (multi-node rank)'],
  ['--data-parallel-rank', 'the serving mode (multi-node rank)'],
  ['--headless', 'the serving mode (multi-node workers)'],
  ['--nnodes', 'the serving mode (pods per group: parallelism and MultiNodeGroup)'],
  ['--node-rank', 'the serving mode (multi-node rank)'],
  ['--master-addr', 'the serving mode (multi-node leader address)'],
  ['--master-port', 'the serving mode (multi-node leader address)'],
  ['--enable-lora', 'loraAdapters'],
  ['--lora-modules', 'loraAdapters'],
  ['--max-loras', 'lora.maxAdapters'],
  ['--max-lora-rank', 'lora.maxRank'],
  ['--kv-transfer-config', 'kvTransfer (P/D) and kvCache (offloading tiers)'],
  ['--kv-events-config', 'scheduler (precise prefix-cache routing)'],
  ['--data-parallel-multi-port-external-lb', 'the MultiNodeGroup load-balancing mode'],
  ['--data-parallel-hybrid-lb', 'the MultiNodeGroup load-balancing mode (loadBalancing)'],
  ['--data-parallel-external-lb', 'the MultiNodeGroup load-balancing mode (loadBalancing)'],
  ['--data-parallel-backend', 'the MultiNodeGroup launch strategy (LaunchStrategy.ray())'],
  ['--data-parallel-supervisor-port', 'the MultiNodeGroup load-balancing mode'],
  ['--distributed-executor-backend', 'the MultiNodeGroup launch strategy'],
  [ALL2ALL_BACKEND_FLAG, 'MultiNodeGroup all2allBackend'],
  ['--enable-eplb', 'MultiNodeGroup expertLoadBalancing'],
  ['--ssl-certfile', 'tls'],
  ['--ssl-keyfile', 'tls'],
  ['--enable-ssl-refresh', 'tls'],
];

/** Every flag the library owns → the prop (or mechanism) that sets it. @internal */
export const VLLM_OWNED_FLAGS: ReadonlyMap<string, string> = new Map([
  ...VLLM_DERIVED_FLAGS,
  ...PARALLELISM_FLAGS.map((r) => [r.flag, `parallelism.${r.prop}`] as const),
  ...VLLM_OPTION_FLAGS.map((r) => [r.flag, `engine ${r.prop}`] as const),
]);
