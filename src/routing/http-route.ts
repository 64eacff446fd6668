import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { RouteOptions } from './gateway-ref';
import * as gw from '../imports/gateway';
import { FieldContext } from '../internal/context';
import { Versions } from '../versions';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The backend of a route: a Service or an InferencePool. @internal */
export interface RouteBackend {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  readonly port?: number;
  /** Namespace of the backend when it differs from the route's (needs a ReferenceGrant). */
  readonly namespace?: string;
}

/** @internal */
export interface HttpRouteInput {
  readonly ctx: FieldContext;
  readonly name: string;
  readonly namespace?: string;
  readonly labels: Record<string, string>;
  readonly options: RouteOptions;
  readonly backend: RouteBackend;
}

/**
 * Create the HTTPRoute `N-kserve-route` from the Gateway to a backend.
 * @internal
 */
export function createHttpRoute(scope: Construct, id: string, input: HttpRouteInput): ApiObject {
  const { ctx, options } = input;
  const g = options?.gateway;
  if (!g || !g.name) {
    throw ctx.error('gateway', g, 'an HTTPRoute needs a parent Gateway (parentRef)', "set route.gateway, e.g. { gateway: { name: 'inference-gateway', namespace: 'gateways' } }");
  }
  if (!DNS_SUBDOMAIN.test(g.name) || g.name.length > 253) throw ctx.error('gateway.name', g.name, 'is not a valid Gateway name', 'use a DNS-1123 subdomain');
  if (g.namespace !== undefined && (!DNS_LABEL.test(g.namespace) || g.namespace.length > 63)) throw ctx.error('gateway.namespace', g.namespace, 'is not a valid namespace', 'use a DNS-1123 label');
  if (g.sectionName !== undefined && !DNS_SUBDOMAIN.test(g.sectionName)) throw ctx.error('gateway.sectionName', g.sectionName, 'is not a valid listener name', 'use the listener name as written on the Gateway');
  (options.hostnames ?? []).forEach((h, i) => {
    if (!HOSTNAME.test(h)) throw ctx.error(`hostnames[${i}]`, h, 'is not a valid hostname', "use a DNS name such as 'llm.example.com' or '*.example.com'");
  });
  const prefix = options.pathPrefix ?? '/';
  if (!prefix.startsWith('/') || /\s/.test(prefix) || prefix.length > 1024) {
    throw ctx.error('pathPrefix', prefix, 'is not an absolute path', "start it with '/', e.g. '/v1'");
  }
  const timeout = options.requestTimeout ?? Duration.minutes(5);
  const seconds = timeout.toSeconds();
  if (!Number.isInteger(seconds) || seconds < 0) throw ctx.error('requestTimeout', `${seconds}s`, 'must be a whole number of seconds >= 0', 'use e.g. Duration.minutes(5)');

  const spec: gw.HttpRouteSpec = {
    parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: g.name, namespace: g.namespace, sectionName: g.sectionName }],
    hostnames: options.hostnames?.length ? options.hostnames : undefined,
    rules: [{
      matches: [{ path: { type: gw.HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: prefix } }],
      backendRefs: [{ group: input.backend.group, kind: input.backend.kind, name: input.backend.name, port: input.backend.port, weight: 1 }],
      timeouts: { request: `${seconds}s` },
    }],
  };
  return new ApiObject(scope, id, {
    apiVersion: Versions.GATEWAY_API_VERSION,
    kind: 'HTTPRoute',
    metadata: { name: input.name, namespace: input.namespace, labels: input.labels },
    spec: gw.toJson_HttpRouteSpec(spec),
  });
}
