export * from './plugin-types';
export * from './kv-events';
export * from './scheduling-profile';
export * from './plugin';
export * from './pd-decider';
export * from './scheduler-config';
