export { SchedulerPluginKind, SchedulerPluginTypes } from './plugin-types';
export { KvEventsMode, type KvEventsCommonOptions, type KvEventsPodDiscoveryOptions, type KvEventsCentralizedOptions, KvEvents } from './kv-events';
export { type ProfilePluginRef, type SchedulingProfileProps, SchedulingProfile } from './scheduling-profile';
export {
  type SchedulerPluginOptions, type CustomPluginOptions, type PrefixMatchConsumerOptions,
  type ActiveRequestScorerOptions, type PickerOptions, type ApproxPrefixCacheProducerOptions,
  type PrecisePrefixCacheOptions, type TokenProducerOptions, type DisaggProfileHandlerOptions,
  type PrefixBasedPdDeciderOptions, SchedulerPlugin,
} from './plugin';
export { PdDecider } from './pd-decider';
export {
  type DefaultSchedulerOptions, type SessionAffinitySchedulerOptions, type PrefillDecodeSchedulerOptions,
  type PrecisePrefixCacheSchedulerOptions, type TieredPrefixCacheSchedulerOptions, type DataLayerSource, type DataLayerOptions,
  type CustomSchedulerConfigOptions, type PriorityBandOptions, type PriorityBand, type FlowControlOptions, type FromYamlOptions, SchedulerConfig,
} from './scheduler-config';
