export { KServeMode, type KServeConditionReport } from './status';
export { type KServePreset } from './presets';
export { type LlmInferenceServiceProps, LlmInferenceService } from './llm-inference-service';
