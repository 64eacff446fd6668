import { clone, isObject } from './json-data';
import { FieldContext } from '../internal/context';
import { checkArgs } from '../internal/prop-check';
import { Ports } from '../wiring/ports';

/** How vLLM's KV-cache events reach the Endpoint Picker (`shared/docs/llm-d-wiring.md` §5). */
export enum KvEventsMode {
  /**
   * Every vLLM pod binds a ZMQ publisher on `tcp://*:<socketPort>` and each EPP replica dials every pool
   * endpoint (`discoverPods: true`). The EPP may run several replicas.
   */
  POD_DISCOVERY = 'POD_DISCOVERY',
  /**
   * The EPP binds `tcp://*:<port>` and vLLM connects to the EPP Service on that port (`discoverPods: false`).
   * The EPP Service must expose the port and the EPP must run one replica.
   */
  CENTRALIZED = 'CENTRALIZED',
}

/** Options shared by both KV-events modes. */
export interface KvEventsCommonOptions {
  /**
   * `kvEventsConfig.topicFilter`: the ZMQ topic prefix the EPP subscribes to. vLLM's topic must start with it
   * (the llm-d topic format is `kv@<podIP>:<port>@<model>`).
   * @default 'kv@'
   */
  readonly topicFilter?: string;
  /**
   * `kvEventsConfig.concurrency`: event-processing workers.
   * @default - 8 for pod discovery (the llm-d V8 precise-prefix-cache-routing render); the EPP's default when centralized
   */
  readonly concurrency?: number;
}

/** Options for {@link KvEvents.podDiscovery}. */
export interface KvEventsPodDiscoveryOptions extends KvEventsCommonOptions {
  /**
   * `kvEventsConfig.podDiscoveryConfig.socketPort`: the port every vLLM pod publishes on
   * (`--kv-events-config` endpoint `tcp://*:<socketPort>`).
   * @default 5556 (the llm-d V8 precise-prefix-cache-routing render)
   */
  readonly socketPort?: number;
}

/** Options for {@link KvEvents.centralized}. */
export interface KvEventsCentralizedOptions extends KvEventsCommonOptions {
  /**
   * The port the EPP binds (`kvEventsConfig.zmqEndpoint: tcp://*:<port>`), exposed on the EPP Service.
   * @default Ports.KV_EVENTS_ZMQ (5557)
   */
  readonly port?: number;
}

/** The default pod-discovery socket port of the llm-d V8 precise-prefix-cache-routing render. */
const POD_DISCOVERY_PORT = Ports.KV_EVENTS_POD_DISCOVERY;
/** The default pod-discovery concurrency of the same render. */
const POD_DISCOVERY_CONCURRENCY = 8;
const DEFAULT_TOPIC_FILTER = 'kv@';

/**
 * The `kvEventsConfig` of the precise prefix-cache producer: how KV-cache events travel from vLLM to the EPP.
 */
export class KvEvents {
  /** vLLM pods bind, the EPP discovers and dials each pod (llm-d V8 guide, KServe samples). */
  public static podDiscovery(options: KvEventsPodDiscoveryOptions = {}): KvEvents {
    checkArgs('KvEvents.podDiscovery', arguments);
    return new KvEvents(KvEventsMode.POD_DISCOVERY, options.socketPort ?? POD_DISCOVERY_PORT, undefined,
      options.topicFilter ?? DEFAULT_TOPIC_FILTER, options.concurrency ?? POD_DISCOVERY_CONCURRENCY);
  }

  /** The EPP binds a ZMQ endpoint and vLLM pods connect to the EPP Service (llm-d V6 default). */
  public static centralized(options: KvEventsCentralizedOptions = {}): KvEvents {
    checkArgs('KvEvents.centralized', arguments);
    const port = options.port ?? Ports.KV_EVENTS_ZMQ;
    return new KvEvents(KvEventsMode.CENTRALIZED, port, `tcp://*:${port}`, options.topicFilter ?? DEFAULT_TOPIC_FILTER,
      options.concurrency);
  }

  /**
   * Read a `kvEventsConfig` object of a parsed config. Returns undefined when it is not an object.
   * @internal
   */
  public static _fromParameters(raw: unknown): KvEvents | undefined {
    if (!isObject(raw)) return undefined;
    const topicFilter = typeof raw.topicFilter === 'string' ? raw.topicFilter : undefined;
    const concurrency = typeof raw.concurrency === 'number' ? raw.concurrency : undefined;
    if (raw.discoverPods === true) {
      const pd = isObject(raw.podDiscoveryConfig) ? raw.podDiscoveryConfig : {};
      const socketPort = typeof pd.socketPort === 'number' ? pd.socketPort : undefined;
      return new KvEvents(KvEventsMode.POD_DISCOVERY, socketPort, undefined, topicFilter, concurrency, raw);
    }
    const endpoint = typeof raw.zmqEndpoint === 'string' ? raw.zmqEndpoint : undefined;
    const match = endpoint !== undefined ? /:(\d+)$/.exec(endpoint) : null;
    return new KvEvents(KvEventsMode.CENTRALIZED, match ? Number(match[1]) : undefined, endpoint, topicFilter, concurrency, raw);
  }

  private constructor(
    /** Pod discovery or centralized. */
    public readonly mode: KvEventsMode,
    /**
     * The ZMQ port: the per-pod socket port (pod discovery) or the EPP's bind port (centralized).
     * Undefined only for a parsed config that leaves it to the EPP's default.
     */
    public readonly port: number | undefined,
    /** `kvEventsConfig.zmqEndpoint` (centralized only). */
    public readonly zmqEndpoint: string | undefined,
    /** `kvEventsConfig.topicFilter`, if set. */
    public readonly topicFilter: string | undefined,
    /** `kvEventsConfig.concurrency`, if set. */
    public readonly concurrency: number | undefined,
    private readonly raw?: Record<string, any>,
  ) {}

  /** The port each vLLM pod binds (pod discovery only). */
  public get socketPort(): number | undefined {
    return this.mode === KvEventsMode.POD_DISCOVERY ? this.port : undefined;
  }

  /** True when each vLLM pod binds and the EPP dials it. */
  public get discoverPods(): boolean {
    return this.mode === KvEventsMode.POD_DISCOVERY;
  }

  /**
   * The `kvEventsConfig` parameters object.
   * @internal
   */
  public _toParameters(): Record<string, any> {
    if (this.raw) return clone(this.raw);
    if (this.mode === KvEventsMode.POD_DISCOVERY) {
      const out: Record<string, any> = {};
      if (this.topicFilter !== undefined) out.topicFilter = this.topicFilter;
      if (this.concurrency !== undefined) out.concurrency = this.concurrency;
      out.discoverPods = true;
      out.podDiscoveryConfig = { socketPort: this.port };
      return out;
    }
    const out: Record<string, any> = { zmqEndpoint: this.zmqEndpoint };
    if (this.topicFilter !== undefined) out.topicFilter = this.topicFilter;
    if (this.concurrency !== undefined) out.concurrency = this.concurrency;
    out.discoverPods = false;
    return out;
  }

  /**
   * Check the ports, the concurrency and the topic filter.
   * @internal
   */
  public _validate(ctx: FieldContext): void {
    const portField = this.mode === KvEventsMode.POD_DISCOVERY ? 'podDiscoveryConfig.socketPort' : 'zmqEndpoint';
    if (this.port !== undefined && !Ports.isValidPort(this.port)) {
      throw ctx.error(portField, this.mode === KvEventsMode.POD_DISCOVERY ? this.port : this.zmqEndpoint,
        `is not a TCP port in 1..${Ports.MAX_PORT}`, `use a port such as ${Ports.KV_EVENTS_POD_DISCOVERY} (pod discovery) or ${Ports.KV_EVENTS_ZMQ} (centralized)`);
    }
    if (this.mode === KvEventsMode.CENTRALIZED && this.zmqEndpoint !== undefined && !/^tcp:\/\/[^\s]+:\d+$/.test(this.zmqEndpoint)) {
      throw ctx.error('zmqEndpoint', this.zmqEndpoint, 'is not a ZMQ TCP endpoint', `use 'tcp://*:${Ports.KV_EVENTS_ZMQ}' (the EPP binds it)`);
    }
    if (this.concurrency !== undefined && (!Number.isInteger(this.concurrency) || this.concurrency < 1)) {
      throw ctx.error('concurrency', this.concurrency, 'must be an integer >= 1', 'use e.g. 8');
    }
    if (this.topicFilter !== undefined && this.topicFilter.length === 0) {
      throw ctx.error('topicFilter', this.topicFilter, 'is empty, so the EPP would subscribe to every topic',
        "use 'kv@' (vLLM topics are kv@<podIP>:<port>@<model>)");
    }
  }
}
