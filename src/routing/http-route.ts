import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { GatewayRef, RoutePathOptions, RouteOptions } from './gateway-ref';
import * as gw from '../imports/gateway';
import { FieldContext } from '../internal/context';
import { recordOrigin } from '../validation/synth-validation';
import { Versions } from '../versions';
import { DrainBudgets } from '../wiring/drain';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const MAX_PATH_LENGTH = 1024;
const GATEWAY_GROUP = 'gateway.networking.k8s.io';
/** Gateway API `HTTPPathMatch` value rules for `PathPrefix` (the CEL rules of the HTTPRoute CRD, v1.6.1). */
const PATH_RULES: [(p: string) => boolean, string][] = [
  [(p) => !p.startsWith('/'), "must start with '/'"],
  [(p) => p.length > MAX_PATH_LENGTH, `must be at most ${MAX_PATH_LENGTH} characters`],
  [(p) => p.includes('//'), "must not contain '//'"],
  [(p) => p.includes('/./') || p.endsWith('/.'), "must not contain a '.' segment ('/./' or a trailing '/.')"],
  [(p) => p.includes('/../') || p.endsWith('/..'), "must not contain a '..' segment ('/../' or a trailing '/..')"],
  [(p) => /%2f/i.test(p), "must not contain an encoded slash '%2F'"],
  [(p) => p.includes('#'), "must not contain '#'"],
  [(p) => !/^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})+$/.test(p), 'contains characters not allowed in a URL path (spaces, ?, unencoded %, …)'],
];

/**
 * Check a route path against the Gateway API rules.
 * @internal
 */
export function checkRoutePath(ctx: FieldContext, field: string, path: unknown): string {
  if (typeof path !== 'string') throw ctx.error(field, path, 'must be a path string', "give an absolute path such as '/v1'");
  for (const [bad, problem] of PATH_RULES) {
    if (bad(path)) {
      throw ctx.error(field, path, `is not a valid Gateway API path: it ${problem}`, "use an absolute path of plain segments, e.g. '/amd' or '/team-a/qwen'");
    }
  }
  return path;
}

/**
 * The match and URL rewrite of a route rule from {@link RoutePathOptions}: a `PathPrefix` match on `pathPrefix`
 * (or `defaultPrefix`), and a `ReplacePrefixMatch` rewrite to `rewritePrefix` ('/' by default) unless it equals the
 * prefix. The one place every HTTPRoute of the library gets its path from.
 * @internal
 */
export function routePathRule(ctx: FieldContext, options: RoutePathOptions, defaultPrefix: string): Pick<gw.HttpRouteSpecRules, 'matches' | 'filters'> {
  const prefix = checkRoutePath(ctx, 'pathPrefix', options.pathPrefix ?? defaultPrefix);
  const rewrite = checkRoutePath(ctx, 'rewritePrefix', options.rewritePrefix ?? '/');
  const same = stripSlash(rewrite) === stripSlash(prefix);
  return {
    matches: [{ path: { type: gw.HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: prefix } }],
    filters: same ? undefined : [{
      type: gw.HttpRouteSpecRulesFiltersType.URL_REWRITE,
      urlRewrite: { path: { type: gw.HttpRouteSpecRulesFiltersUrlRewritePathType.REPLACE_PREFIX_MATCH, replacePrefixMatch: rewrite } },
    }],
  };
}

/** Gateway API prefix matching ignores a trailing slash. */
function stripSlash(p: string): string {
  return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p;
}

/** The backend of a route: a Service or an InferencePool. @internal */
export interface RouteBackend {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  readonly port?: number;
  /** Namespace of the backend when it differs from the route's (needs a ReferenceGrant). */
  readonly namespace?: string;
  /** Relative weight among the rule's backends (default 1). */
  readonly weight?: number;
}

/** A rule that sends requests carrying a header value to one backend (A/B by header). @internal */
export interface HeaderRouteRule {
  readonly name: string;
  readonly header: string;
  readonly value: string;
  readonly backend: RouteBackend;
}

/** Everything an HTTPRoute of the library is built from. @internal */
export interface HttpRouteSpecInput {
  readonly ctx: FieldContext;
  readonly name: string;
  readonly namespace?: string;
  readonly labels: Record<string, string>;
  readonly annotations?: Record<string, string>;
  /** The parent Gateways (at least one), validated here. */
  readonly parents: GatewayRef[];
  /** Prop prefix of `parents` in error messages (`gateway`, `additionalGateways[0]`, …). */
  readonly parentFields?: string[];
  readonly hostnames?: string[];
  readonly path: RoutePathOptions;
  /** Path prefix when `path.pathPrefix` is unset. */
  readonly defaultPrefix: string;
  readonly backend: RouteBackend;
  /** Weighted backends of the path rule (and the model-header rule) instead of `backend` alone. */
  readonly backends?: RouteBackend[];
  /** Header rules on the same path (Gateway API prefers them to the path rule: more header matches win). */
  readonly headerRules?: HeaderRouteRule[];
  /** `timeouts.request` in seconds; undefined renders no timeouts (GKE policies own them). */
  readonly timeoutSeconds?: number;
  /** Name of the path rule. */
  readonly pathRuleName?: string;
  /** A second rule matching the `X-Gateway-Model-Name` header (model-name routing). */
  readonly modelHeader?: string;
}

/** The model-name header of the optional header rule. @internal */
export const MODEL_NAME_HEADER = 'X-Gateway-Model-Name';

/**
 * The one HTTPRoute writer of the library: parentRefs, hostnames, path match and rewrite, backend, timeouts and
 * the optional model-header rule, validated against the Gateway API rules.
 * @internal
 */
export function writeHttpRoute(scope: Construct, id: string, input: HttpRouteSpecInput): ApiObject {
  const { ctx } = input;
  if (input.parents.length === 0) {
    throw ctx.error('gateway', undefined, 'an HTTPRoute needs a parent Gateway (parentRef)', "set route.gateway, e.g. { gateway: { name: 'inference-gateway', namespace: 'gateways' } }");
  }
  const parentRefs = input.parents.map((g, i) => {
    const field = input.parentFields?.[i] ?? (i === 0 ? 'gateway' : `additionalGateways[${i - 1}]`);
    if (!g || !g.name) {
      throw ctx.error(field, g, 'an HTTPRoute needs a parent Gateway (parentRef)', "set route.gateway, e.g. { gateway: { name: 'inference-gateway', namespace: 'gateways' } }");
    }
    if (!DNS_SUBDOMAIN.test(g.name) || g.name.length > 253) throw ctx.error(`${field}.name`, g.name, 'is not a valid Gateway name', 'use a DNS-1123 subdomain');
    if (g.namespace !== undefined && (!DNS_LABEL.test(g.namespace) || g.namespace.length > 63)) {
      throw ctx.error(`${field}.namespace`, g.namespace, 'is not a valid namespace', 'use a DNS-1123 label');
    }
    if (g.sectionName !== undefined && !DNS_SUBDOMAIN.test(g.sectionName)) {
      throw ctx.error(`${field}.sectionName`, g.sectionName, 'is not a valid listener name', 'use the listener name as written on the Gateway');
    }
    return { group: GATEWAY_GROUP, kind: 'Gateway', name: g.name, namespace: g.namespace, sectionName: g.sectionName };
  });
  (input.hostnames ?? []).forEach((h, i) => {
    if (!HOSTNAME.test(h)) throw ctx.error(`hostnames[${i}]`, h, 'is not a valid hostname', "use a DNS name such as 'llm.example.com' or '*.example.com'");
  });
  const path = routePathRule(ctx, input.path, input.defaultPrefix);
  const timeouts = input.timeoutSeconds === undefined ? undefined : { request: `${input.timeoutSeconds}s` };
  const refOf = (b: RouteBackend) => ({ group: b.group, kind: b.kind, name: b.name, namespace: b.namespace, port: b.port, weight: b.weight ?? 1 });
  const backendRefs = (input.backends ?? [input.backend]).map(refOf);
  const rules: gw.HttpRouteSpecRules[] = [{ name: input.pathRuleName, ...path, backendRefs, timeouts }];
  if (input.modelHeader !== undefined) {
    rules.push({
      name: 'model-header',
      matches: [{
        path: { type: gw.HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: '/' },
        headers: [{ type: gw.HttpRouteSpecRulesMatchesHeadersType.EXACT, name: MODEL_NAME_HEADER, value: input.modelHeader }],
      }],
      backendRefs,
      timeouts,
    });
  }
  for (const h of input.headerRules ?? []) {
    rules.push({
      name: h.name,
      matches: [{ ...path.matches![0], headers: [{ type: gw.HttpRouteSpecRulesMatchesHeadersType.EXACT, name: h.header, value: h.value }] }],
      filters: path.filters,
      backendRefs: [refOf({ ...h.backend, weight: 1 })],
      timeouts,
    });
  }
  const annotations = input.annotations && Object.keys(input.annotations).length ? input.annotations : undefined;
  const route = new ApiObject(scope, id, {
    apiVersion: Versions.GATEWAY_API_VERSION,
    kind: 'HTTPRoute',
    metadata: { name: input.name, namespace: input.namespace, labels: input.labels, annotations },
    spec: gw.toJson_HttpRouteSpec({ parentRefs, hostnames: input.hostnames?.length ? input.hostnames : undefined, rules }),
  });
  recordOrigin(route, ctx, {
    '/spec/parentRefs': input.parentFields?.[0] ?? 'gateway',
    '/metadata/annotations': 'annotations[*]',
    '/spec/hostnames': 'hostnames',
    '/spec/rules/0': 'pathPrefix',
    ...(input.modelHeader !== undefined ? { '/spec/rules/1': 'servedModelName' } : {}),
  });
  return route;
}

/** Whole seconds of a route timeout, validated. @internal */
export function routeTimeoutSeconds(ctx: FieldContext, field: string, timeout: Duration): number {
  const seconds = ctx.seconds(field, timeout);
  if (!Number.isInteger(seconds) || seconds < 0) throw ctx.error(field, `${seconds}s`, 'must be a whole number of seconds >= 0', 'use e.g. Duration.minutes(5)');
  return seconds;
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
 * Create the HTTPRoute `N-kserve-route` from the `route` prop of a pattern.
 * @internal
 */
export function createHttpRoute(scope: Construct, id: string, input: HttpRouteInput): ApiObject {
  const { ctx, options } = input;
  if (options === null || typeof options !== 'object') {
    throw ctx.error('gateway', options, 'an HTTPRoute needs a parent Gateway (parentRef)', "set route.gateway, e.g. { gateway: { name: 'inference-gateway', namespace: 'gateways' } }");
  }
  return writeHttpRoute(scope, id, {
    ctx,
    name: input.name,
    namespace: input.namespace,
    labels: input.labels,
    annotations: options.annotations,
    parents: [options.gateway, ...(options.additionalGateways ?? [])],
    hostnames: options.hostnames,
    path: options,
    defaultPrefix: '/',
    backend: input.backend,
    timeoutSeconds: routeTimeoutSeconds(ctx, 'requestTimeout', options.requestTimeout ?? DrainBudgets.DEFAULT_REQUEST_TIMEOUT),
  });
}
