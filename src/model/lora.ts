import { ModelSource } from './model-source';

/** A LoRA adapter served next to the base model. */
export interface LoraAdapter {
  /** Adapter name clients put in the `model` field. Unique, and different from the base model's served name. */
  readonly name: string;
  /** Where the adapter weights come from (`huggingFace`, `s3`, `gcs` or `pvc`). */
  readonly source: ModelSource;
}

/** LoRA serving settings. */
export interface LoraOptions {
  /**
   * `--max-lora-rank`: the largest adapter rank (one of 1, 8, 16, 32, 64, 128, 256, 320, 512).
   * @default - vLLM's default (16)
   */
  readonly maxRank?: number;
  /**
   * `--max-loras`: adapters in one batch.
   * @default - the number of adapters
   */
  readonly maxAdapters?: number;
  /**
   * Without `maxAdapters`, pass no `--max-loras` and leave it to vLLM (one adapter per batch), as the KServe
   * controller does.
   * @default false (`--max-loras` is the number of adapters)
   */
  readonly engineDefaultMaxAdapters?: boolean;
  /**
   * Allow loading and unloading adapters at run time (`VLLM_ALLOW_RUNTIME_LORA_UPDATING`,
   * `POST /v1/load_lora_adapter`).
   * @default false
   */
  readonly runtimeUpdates?: boolean;
}

/** vLLM's accepted `--max-lora-rank` values (v0.23.0). @internal */
export const LORA_RANKS = [1, 8, 16, 32, 64, 128, 256, 320, 512];
