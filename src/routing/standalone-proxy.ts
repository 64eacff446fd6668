import { Yaml } from 'cdk8s';
import * as k8s from '../imports/k8s';
import { Versions } from '../versions';
import { Ports } from '../wiring/ports';
import { restrictedSecurityContext, RunAsUsers } from '../wiring/security';
import { TlsFiles } from '../wiring/tls';

/** Container name of the standalone Envoy. @internal */
export const STANDALONE_PROXY_CONTAINER = 'envoy-proxy';
/** ConfigMap key of the Envoy bootstrap. @internal */
export const ENVOY_CONFIG_KEY = 'envoy.yaml';
const ENVOY_DIR = '/etc/envoy';

const typed = (type: string, body: Record<string, any> = {}) => ({ '@type': `type.googleapis.com/${type}`, ...body });
const socket = (address: string, port: number) => ({ socket_address: { address, port_value: port } });
const limits = { thresholds: [{ max_connections: 40000, max_pending_requests: 40000, max_requests: 40000 }] };

/**
 * The Envoy bootstrap of llm-d's standalone mode (llm-d-wiring.md §1.2, invariant 18): a listener that asks the
 * EPP on localhost over ext_proc and forwards to the `ORIGINAL_DST` named by `x-gateway-destination-endpoint`,
 * a readiness listener, and a localhost admin. `failure_mode_allow` follows the pool's failure mode.
 * @internal
 */
export function standaloneEnvoyConfig(failOpen: boolean, modelServerName?: string): string {
  const router = { name: 'envoy.filters.http.router', typed_config: typed('envoy.extensions.filters.http.router.v3.Router', { suppress_envoy_headers: true }) };
  const config = {
    admin: { address: socket('127.0.0.1', Ports.STANDALONE_PROXY_ADMIN) },
    static_resources: {
      listeners: [
        {
          name: 'ready',
          address: socket('0.0.0.0', Ports.STANDALONE_PROXY_READY),
          filter_chains: [{
            filters: [{
              name: 'envoy.filters.network.http_connection_manager',
              typed_config: typed('envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager', {
                stat_prefix: 'ready',
                route_config: { name: 'ready', virtual_hosts: [{ name: 'stats', domains: ['*'], routes: [{ match: { prefix: '/stats/prometheus' }, route: { cluster: 'prometheus_stats' } }] }] },
                http_filters: [
                  { name: 'envoy.filters.http.health_check', typed_config: typed('envoy.extensions.filters.http.health_check.v3.HealthCheck', { pass_through_mode: false, headers: [{ name: ':path', string_match: { exact: '/ready' } }] }) },
                  { name: 'envoy.filters.http.router', typed_config: typed('envoy.extensions.filters.http.router.v3.Router') },
                ],
              }),
            }],
          }],
        },
        {
          name: 'inference',
          address: socket('0.0.0.0', Ports.STANDALONE_PROXY),
          filter_chains: [{
            filters: [{
              name: 'envoy.filters.network.http_connection_manager',
              typed_config: typed('envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager', {
                stat_prefix: 'inference',
                route_config: {
                  name: 'inference',
                  virtual_hosts: [{
                    name: 'default',
                    domains: ['*'],
                    routes: [{ match: { prefix: '/' }, route: { cluster: 'original_destination_cluster', timeout: '86400s', idle_timeout: '86400s' } }],
                  }],
                },
                http_filters: [
                  {
                    name: 'envoy.filters.http.ext_proc',
                    typed_config: typed('envoy.extensions.filters.http.ext_proc.v3.ExternalProcessor', {
                      failure_mode_allow: failOpen,
                      grpc_service: { envoy_grpc: { cluster_name: 'ext_proc', authority: `localhost:${Ports.EPP_GRPC}` }, timeout: '10s' },
                      processing_mode: {
                        request_header_mode: 'SEND',
                        response_header_mode: 'SEND',
                        request_body_mode: 'FULL_DUPLEX_STREAMED',
                        response_body_mode: 'FULL_DUPLEX_STREAMED',
                        request_trailer_mode: 'SEND',
                        response_trailer_mode: 'SEND',
                      },
                      message_timeout: '1000s',
                    }),
                  },
                  router,
                ],
                use_remote_address: true,
                normalize_path: true,
                merge_slashes: true,
              }),
            }],
          }],
        },
      ],
      clusters: [
        { name: 'prometheus_stats', type: 'STATIC', connect_timeout: '0.250s', load_assignment: { cluster_name: 'prometheus_stats', endpoints: [{ lb_endpoints: [{ endpoint: { address: socket('127.0.0.1', Ports.STANDALONE_PROXY_ADMIN) } }] }] } },
        {
          name: 'original_destination_cluster',
          type: 'ORIGINAL_DST',
          connect_timeout: '1000s',
          lb_policy: 'CLUSTER_PROVIDED',
          circuit_breakers: limits,
          original_dst_lb_config: { use_http_header: true, http_header_name: 'x-gateway-destination-endpoint' },
          // HTTPS model servers: originate TLS, verifying the workload Service's name against the Secret's CA.
          ...(modelServerName === undefined ? {} : {
            transport_socket: {
              name: 'envoy.transport_sockets.tls',
              typed_config: typed('envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext', {
                sni: modelServerName,
                common_tls_context: {
                  validation_context: {
                    trusted_ca: { filename: TlsFiles.path(TlsFiles.CA_KEY) },
                    match_typed_subject_alt_names: [{ san_type: 'DNS', matcher: { exact: modelServerName } }],
                  },
                },
              }),
            },
          }),
        },
        {
          name: 'ext_proc',
          type: 'STATIC',
          connect_timeout: '86400s',
          lb_policy: 'LEAST_REQUEST',
          circuit_breakers: limits,
          transport_socket: { name: 'envoy.transport_sockets.tls', typed_config: typed('envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext', { common_tls_context: {} }) },
          typed_extension_protocol_options: {
            'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': typed('envoy.extensions.upstreams.http.v3.HttpProtocolOptions', { explicit_http_config: { http2_protocol_options: {} } }),
          },
          load_assignment: { cluster_name: 'ext_proc', endpoints: [{ lb_endpoints: [{ endpoint: { address: socket('127.0.0.1', Ports.EPP_GRPC) } }] }] },
        },
      ],
    },
  };
  return Yaml.stringify(config);
}

/** The Envoy container beside the EPP. @internal */
export function standaloneProxyContainer(tls = false): k8s.Container {
  return {
    name: STANDALONE_PROXY_CONTAINER,
    image: Versions.ENVOY_IMAGE,
    imagePullPolicy: 'IfNotPresent',
    command: ['envoy'],
    args: ['--service-node', 'envoy-sidecar', '--log-level', 'warn', '--concurrency', '8', '--drain-strategy', 'immediate', '--drain-time-s', '60', '-c', `${ENVOY_DIR}/${ENVOY_CONFIG_KEY}`],
    ports: [
      { name: Ports.STANDALONE_PROXY_NAME, containerPort: Ports.STANDALONE_PROXY, protocol: 'TCP' },
      { name: Ports.STANDALONE_PROXY_READY_NAME, containerPort: Ports.STANDALONE_PROXY_READY, protocol: 'TCP' },
    ],
    readinessProbe: { httpGet: { path: '/ready', port: k8s.IntOrString.fromNumber(Ports.STANDALONE_PROXY_READY), scheme: 'HTTP' }, periodSeconds: 5, timeoutSeconds: 1, failureThreshold: 1 },
    resources: { requests: { cpu: k8s.Quantity.fromString('1'), memory: k8s.Quantity.fromString('1Gi') }, limits: { memory: k8s.Quantity.fromString('4Gi') } },
    volumeMounts: [{ name: 'envoy-config', mountPath: ENVOY_DIR, readOnly: true }, ...(tls ? [TlsFiles.mount()] : [])],
    securityContext: restrictedSecurityContext({ readOnlyRootFilesystem: true, runAsUser: RunAsUsers.ENVOY }),
  };
}
