import { FlagTable } from './flag-parser';

/**
 * Flags the llm-d inference simulator accepts (llm-d/llm-d-inference-sim @ eec055a39e6b, v0.10.x): the
 * vLLM-compatible subset it implements or ignores, plus its own latency/KV/failure knobs. Any other vLLM
 * flag is a parse error in the simulator. Value arity: 0 = switch, 1 = one value, 'many' = list.
 * @internal
 */
const SIMULATOR_FLAGS: Record<string, 0 | 1 | 'many'> = {
  // vLLM-compatible, implemented
  '--model': 1,
  '--served-model-name': 'many',
  '--port': 1,
  '--lora-modules': 'many',
  '--max-loras': 1,
  '--max-cpu-loras': 1,
  '--max-model-len': 1,
  '--max-num-seqs': 1,
  '--block-size': 1,
  '--data-parallel-size': 1,
  '--data-parallel-rank': 1,
  '--enable-sleep-mode': 0,
  '--enable-request-id-headers': 0,
  '--ssl-certfile': 1,
  '--ssl-keyfile': 1,
  '--config': 1,
  // vLLM-compatible, accepted and ignored
  '--tensor-parallel-size': 1,
  '--enforce-eager': 0,
  '--no-enforce-eager': 0,
  '--enable-prefix-caching': 0,
  '--no-enable-prefix-caching': 0,
  '--mm-processor-kwargs': 1,
  '--ec-transfer-config': 1,
  // simulator-only
  '--mode': 1,
  '--time-to-first-token': 1,
  '--inter-token-latency': 1,
  '--kv-cache-transfer-latency': 1,
  '--enable-kvcache': 0,
  '--kv-cache-size': 1,
  '--zmq-endpoint': 1,
  '--event-batch-size': 1,
  '--kv-events-replay-endpoint': 1,
  '--kv-events-replay-queue-size': 1,
  '--hash-seed': 1,
  '--fake-metrics': 1,
  '--failure-injection-rate': 1,
  '--startup-duration': 1,
};

/** @internal */
export const SIMULATOR_FLAG_TABLE: FlagTable = {
  resolve: (name) => (name in SIMULATOR_FLAGS ? { canonical: name, negated: false } : undefined),
  arity: (canonical) => SIMULATOR_FLAGS[canonical],
  names: () => Object.keys(SIMULATOR_FLAGS),
};
