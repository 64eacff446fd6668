import { Construct } from 'constructs';
import { Engine, EngineKind } from '../engine/engine';
import { FieldContext } from '../internal/context';
import { ModelSource } from '../model/model-source';
import { TOKENIZER_MODEL_PATH } from '../model/storage';
import { ImageRegistry } from '../operations/image-registry';
import { KvEventsMode } from '../scheduler/kv-events';
import { SchedulerConfig } from '../scheduler/scheduler-config';
import { createTokenizer } from '../serving/tokenizer';
import { Versions } from '../versions';
import { WiringLabels } from '../wiring/labels';
import { ResourceNames } from '../wiring/names';
import { Ports } from '../wiring/ports';

/** @internal */
export interface PrecisePrefixWiring {
  readonly scheduler?: SchedulerConfig;
  readonly kvEvents?: { readonly endpoint: string; readonly topic: string; readonly bindPort?: number };
  readonly requiredBlockSize?: number;
  /** Labels of the tokenizer pods, when the stack runs one. */
  readonly tokenizerSelector?: Record<string, string>;
}

/** The topic prefix the inference simulator publishes KV events under (`kv@<ip>:<port>@<model>`). */
const SIMULATOR_TOPIC_PREFIX = 'kv@';

/**
 * Derive the engine side of precise prefix-cache routing from the scheduler config (llm-d-wiring.md §5,
 * invariants 38–42): KV-events endpoint and topic, block size, and a tokenizer Service when the config names none.
 * Returns the scheduler unchanged when it does not use precise prefix caching.
 * @internal
 */
export function precisePrefixWiring(scope: Construct, ctx: FieldContext, input: {
  name: string;
  namespace?: string;
  servedModelName: string;
  model: ModelSource;
  engine: Engine;
  scheduler?: SchedulerConfig;
  eppReplicas?: number;
  imageRegistry?: ImageRegistry;
}): PrecisePrefixWiring {
  const scheduler = input.scheduler;
  if (!scheduler || !scheduler.usesPrecisePrefixCache) return { scheduler };
  const kv = scheduler.kvEvents;
  if (!kv) {
    throw ctx.error('scheduler', 'precisePrefixCache', 'the precise prefix-cache plugin has no kvEventsConfig, so no KV events would reach the EPP',
      'build the config with SchedulerConfig.precisePrefixCache({ kvEvents: KvEvents.podDiscovery() })');
  }
  if (input.engine.kind === EngineKind.SIMULATOR) {
    // llm-d-inference-sim (pkg/common/publisher.go at the pinned commit) dials --zmq-endpoint and never binds, and
    // names its topic kv@<POD_IP>:<port>@<model> itself (pkg/kv-cache/block_cache.go).
    if (kv.mode === KvEventsMode.POD_DISCOVERY) {
      throw ctx.error('scheduler.kvEvents.discoverPods', true,
        `the inference simulator ${Versions.INFERENCE_SIMULATOR} publishes KV events by dialing its --zmq-endpoint and never binds a socket, so an EPP that discovers pods and dials each one's socketPort receives nothing`,
        `use KvEvents.centralized() (kvEventsConfig discoverPods: false, zmqEndpoint tcp://*:${Ports.KV_EVENTS_ZMQ}): the EPP binds on its Service and the simulator dials it`);
    }
    if (kv.topicFilter !== undefined && !SIMULATOR_TOPIC_PREFIX.startsWith(kv.topicFilter)) {
      throw ctx.error('scheduler.kvEvents.topicFilter', kv.topicFilter, `the simulator's topics start with ${SIMULATOR_TOPIC_PREFIX}, which the EPP's filter would drop`,
        `use topicFilter '${SIMULATOR_TOPIC_PREFIX}' or leave it unset`);
    }
  }
  const modelName = scheduler.tokenizerModelName;
  const libraryTokenizer = scheduler.tokenizerUrl === undefined && scheduler.hasPlugin('token-producer');
  // The library's tokenizer serves the model under its path (KServe's /mnt/models/base), which may be named too.
  if (modelName !== undefined && modelName !== input.servedModelName && !(libraryTokenizer && modelName === TOKENIZER_MODEL_PATH)) {
    throw ctx.error('scheduler.modelName', modelName, `differs from the served model name "${input.servedModelName}" (the KV-events topic and the tokenizer must name the same model)`,
      `pass modelName: '${input.servedModelName}' to SchedulerConfig.precisePrefixCache`);
  }
  let endpoint: string;
  let bindPort: number | undefined;
  if (kv.mode === KvEventsMode.POD_DISCOVERY) {
    bindPort = kv.socketPort!;
    if (bindPort === Ports.SERVING) throw ctx.error('scheduler.kvEvents.socketPort', bindPort, 'collides with the serving port', `use another port, e.g. ${Ports.KV_EVENTS_POD_DISCOVERY}`);
    endpoint = `tcp://*:${bindPort}`;
  } else {
    if ((input.eppReplicas ?? 1) > 1) {
      throw ctx.error('endpointPicker.replicas', input.eppReplicas, 'centralized KV events are received by one EPP endpoint, so only one EPP replica would see them',
        'run one EPP replica, or use KvEvents.podDiscovery() (every replica dials every pod)');
    }
    endpoint = `tcp://${ResourceNames.of(input.name).schedulerService}:${kv.port ?? Ports.KV_EVENTS_ZMQ}`;
  }
  const topic = `${kv.topicFilter ?? 'kv@'}$(POD_IP):${Ports.SERVING}@${input.servedModelName}`;
  // SGLang publishes KV events in its own form; the pinned EPP decodes them with kvEventsConfig.engineType: sglang.
  let config = input.engine.kind === EngineKind.SGLANG ? scheduler._withKvEventsEngineType(ctx, 'sglang') : scheduler;
  let tokenizerSelector: Record<string, string> | undefined;
  if (libraryTokenizer) {
    const tokenizer = createTokenizer(scope, {
      ctx, serviceName: input.name, namespace: input.namespace, model: input.model, imageRegistry: input.imageRegistry,
    });
    config = config._withTokenizer(tokenizer.url, tokenizer.modelName);
    tokenizerSelector = WiringLabels.tokenizer(input.name);
  }
  return { scheduler: config, kvEvents: { endpoint, topic, bindPort }, requiredBlockSize: scheduler.blockSize, tokenizerSelector };
}
