export * from './status';
export * from './presets';
export * from './llm-inference-service';
