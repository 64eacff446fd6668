import { LoraAdapter, LoraOptions } from '../model/lora';
import { ModelSource } from '../model/model-source';

/** The model part of every serving pod of a stack. @internal */
export interface ModelInputs {
  readonly model: ModelSource;
  readonly servedModelName: string;
  readonly loraAdapters: LoraAdapter[];
  readonly lora: LoraOptions;
  readonly modelCacheClaim?: string;
}
