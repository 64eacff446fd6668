import { SGLANG_FLAGS_RELEASE, SGLANG_SERVER_FLAGS } from '../imports/sglang-server-flags';
import { FieldContext } from '../internal/context';
import { checkArgs } from '../internal/prop-check';
import { Ports } from '../wiring/ports';

/** vLLM's `kv_load_failure_policy` values (KVTransferConfig). */
const LOAD_FAILURE_POLICIES = ['fail', 'recompute'];

/** KV-cache roles of the two P/D roles. */
export enum KvRoles {
  /** `kv_both` on prefill and decode (llm-d's guides). */
  BOTH = 'BOTH',
  /** `kv_producer` on prefill, `kv_consumer` on decode (vLLM docs, KServe samples). */
  PRODUCER_CONSUMER = 'PRODUCER_CONSUMER',
}

/** Options for {@link KvTransfer.nixl}. */
export interface NixlOptions {
  /**
   * KV roles.
   * @default KvRoles.BOTH
   */
  readonly roles?: KvRoles;
  /**
   * NIXL transport backends (`kv_connector_extra_config.backends`), e.g. `['UCX']` or `['LIBFABRIC']`.
   * @default - NIXL's default (UCX)
   */
  readonly backends?: string[];
  /**
   * `UCX_TLS`, e.g. `rc,sm,self,cuda_copy,cuda_ipc` (KServe samples) on RDMA clusters.
   * @default - UCX's own selection
   */
  readonly ucxTransports?: string;
  /**
   * `UCX_NET_DEVICES`, e.g. `mlx5_0:1`.
   * @default - all devices
   */
  readonly ucxNetDevices?: string;
  /**
   * `kv_load_failure_policy`: `fail` or `recompute` when blocks cannot be loaded.
   * @default - vLLM's default
   */
  readonly loadFailurePolicy?: string;
  /**
   * Multi-turn reuse in both directions (`bidirectional_kv_xfer`): the prefill pod may also read back the blocks
   * decode computed in the previous turn, so only the new tokens of a turn are prefilled.
   * @default - vLLM's default (false)
   */
  readonly bidirectional?: boolean;
}

/** Options for {@link KvTransfer.sglang}. */
export interface SglangTransferOptions {
  /**
   * `--disaggregation-transfer-backend`: one of the pinned SGLang release's backends (`nixl`, `mooncake`, …).
   * @default 'nixl'
   */
  readonly backend?: string;
  /**
   * `--disaggregation-ib-device`, e.g. `mlx5_0` (the RDMA device the backend uses).
   * @default - the backend's own selection
   */
  readonly ibDevice?: string;
  /**
   * `UCX_TLS` (the NIXL backend), e.g. `rc,sm,self,cuda_copy,cuda_ipc` on RDMA clusters.
   * @default - UCX's own selection
   */
  readonly ucxTransports?: string;
}

const SGLANG_DEFAULT_TRANSFER_BACKEND = 'nixl';

/**
 * How KV-cache blocks move from prefill to decode pods. NIXL is the one connector the library wires (the routing
 * sidecar's `nixlv2` protocol); the shape leaves room for others.
 */
export class KvTransfer {
  /** vLLM's NixlConnector: decode pulls KV blocks from the prefill pod over UCX/RDMA, using a side channel on port 5600. */
  public static nixl(options: NixlOptions = {}): KvTransfer {
    checkArgs('KvTransfer.nixl', arguments);
    const ctx = new FieldContext('KvTransfer.nixl');
    if (options.loadFailurePolicy !== undefined && !LOAD_FAILURE_POLICIES.includes(options.loadFailurePolicy)) {
      throw ctx.error('loadFailurePolicy', options.loadFailurePolicy, `is not a vLLM kv_load_failure_policy (${LOAD_FAILURE_POLICIES.join(', ')})`,
        `use ${LOAD_FAILURE_POLICIES.map((p) => `'${p}'`).join(' or ')}`);
    }
    (options.backends ?? []).forEach((b, i) => {
      if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(b)) throw ctx.error(`backends[${i}]`, b, 'is not a NIXL backend plugin name', "use a plugin name such as 'UCX' or 'LIBFABRIC'");
    });
    if (options.backends !== undefined && new Set(options.backends).size !== options.backends.length) {
      throw ctx.error('backends', options.backends, 'names a backend twice', 'list each backend once');
    }
    return new KvTransfer('NixlConnector', 'nixlv2', options);
  }

  /**
   * No KV connector on vLLM: the routing sidecar still runs the P/D protocol, but no KV blocks move and decode
   * recomputes every prompt. For images without NIXL (vLLM's CPU images); it is what KServe's presets render for a P/D
   * service whose templates set no `--kv-transfer-config`.
   */
  public static none(): KvTransfer {
    checkArgs('KvTransfer.none', arguments);
    return new KvTransfer('', 'nixlv2', {});
  }

  /**
   * SGLang's P/D disaggregation (`Engine.sglang()` roles): prefill pods run `--disaggregation-mode prefill` with the
   * bootstrap server on `Ports.SGLANG_BOOTSTRAP`, decode pods `--disaggregation-mode decode`, both with
   * `--disaggregation-transfer-backend`; the routing sidecar runs its `sglang` connector (llm-d-router v0.10.0
   * `pkg/sidecar/proxy/connector_sglang.go`): it adds `bootstrap_host` (the prefill pod), `bootstrap_port` and
   * `bootstrap_room` to the request and sends it to prefill and decode at once.
   */
  public static sglang(options: SglangTransferOptions = {}): KvTransfer {
    checkArgs('KvTransfer.sglang', arguments);
    const ctx = new FieldContext('KvTransfer.sglang');
    const backends = SGLANG_SERVER_FLAGS.find((f) => f.flag === '--disaggregation-transfer-backend')?.choices ?? [];
    if (options.backend !== undefined && !backends.includes(options.backend)) {
      throw ctx.error('backend', options.backend, `is not a transfer backend of SGLang ${SGLANG_FLAGS_RELEASE} (${backends.join(', ')})`,
        `use one of ${backends.map((b) => `'${b}'`).join(', ')}`);
    }
    if (options.ibDevice !== undefined && !/^[A-Za-z0-9_.:,-]+$/.test(options.ibDevice)) {
      throw ctx.error('ibDevice', options.ibDevice, 'is not an RDMA device list', "use device names such as 'mlx5_0' or 'mlx5_0,mlx5_1'");
    }
    return new KvTransfer('', 'sglang', { ucxTransports: options.ucxTransports }, options.backend ?? SGLANG_DEFAULT_TRANSFER_BACKEND, options.ibDevice);
  }

  private constructor(
    /** vLLM `kv_connector`. */
    public readonly connector: string,
    /** The routing sidecar's `--kv-connector` value. */
    public readonly sidecarConnector: string,
    private readonly options: NixlOptions,
    /** SGLang's `--disaggregation-transfer-backend` ({@link KvTransfer.sglang} only). */
    private readonly sglangBackend?: string,
    private readonly sglangIbDevice?: string,
  ) {}

  /** Whether KV blocks move between the roles (false for {@link KvTransfer.none}). */
  public get transfers(): boolean {
    return this.connector !== '' || this.sglangBackend !== undefined;
  }

  /** Whether this is SGLang's disaggregation ({@link KvTransfer.sglang}) rather than a vLLM connector. */
  public get isSglang(): boolean {
    return this.sglangBackend !== undefined;
  }

  /**
   * Whether vLLM's NIXL side channel is used (side-channel ports declared, `VLLM_NIXL_SIDE_CHANNEL_HOST` set).
   * @internal
   */
  public get _nixlSideChannel(): boolean {
    return this.connector !== '';
  }

  /**
   * SGLang's transfer backend and RDMA device ({@link KvTransfer.sglang} only).
   * @internal
   */
  public get _sglang(): { readonly backend: string; readonly ibDevice?: string } | undefined {
    return this.sglangBackend === undefined ? undefined : { backend: this.sglangBackend, ibDevice: this.sglangIbDevice };
  }

  /** The side-channel port (container port `nixl`). */
  public get sideChannelPort(): number {
    return Ports.NIXL_SIDE_CHANNEL;
  }

  /** The KV roles. */
  public get roles(): KvRoles {
    return this.options.roles ?? KvRoles.BOTH;
  }

  /**
   * `--kv-transfer-config` JSON for a role.
   * @internal
   */
  public _config(role: 'prefill' | 'decode'): string {
    return JSON.stringify(this._connectorConfig(role));
  }

  /**
   * The connector entry of a role (also a `MultiConnector` member).
   * @internal
   */
  public _connectorConfig(role: 'prefill' | 'decode'): Record<string, any> {
    const kvRole = this.roles === KvRoles.BOTH ? 'kv_both' : role === 'prefill' ? 'kv_producer' : 'kv_consumer';
    const config: Record<string, any> = { kv_connector: this.connector, kv_role: kvRole };
    if (this.options.loadFailurePolicy) config.kv_load_failure_policy = this.options.loadFailurePolicy;
    const extra: Record<string, unknown> = {};
    if (this.options.backends?.length) extra.backends = this.options.backends;
    if (this.options.bidirectional !== undefined) extra.bidirectional_kv_xfer = this.options.bidirectional;
    if (Object.keys(extra).length > 0) config.kv_connector_extra_config = extra;
    return config;
  }

  /**
   * Env of the engine container: side-channel host from the downward API, UCX settings.
   * @internal
   */
  public _env(): { name: string; value?: string; valueFrom?: any }[] {
    if (!this.transfers) return [];
    const env: { name: string; value?: string; valueFrom?: any }[] = this._nixlSideChannel
      ? [{ name: 'VLLM_NIXL_SIDE_CHANNEL_HOST', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }] : [];
    if (this.options.ucxTransports) env.push({ name: 'UCX_TLS', value: this.options.ucxTransports });
    if (this.options.ucxNetDevices) env.push({ name: 'UCX_NET_DEVICES', value: this.options.ucxNetDevices });
    return env;
  }

  /** @internal */
  public _equals(other: KvTransfer): boolean {
    return this.connector === other.connector && this.sidecarConnector === other.sidecarConnector && this.sglangBackend === other.sglangBackend
      && this.sglangIbDevice === other.sglangIbDevice && this._config('prefill') === other._config('prefill') && this._config('decode') === other._config('decode');
  }
}
