export * from './cdk8s-chart-resource';
export * from './construct-resource';
export * from './llm-service-resource';
export * from './inference-gateway-resource';
export * from './prefill-decode-pair-resource';
export * from './multi-node-group-resource';
export * from './input-names';
