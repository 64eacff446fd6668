import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import * as gw from '../imports/gateway';
import { FieldContext } from '../internal/context';
import { checkArgs } from '../internal/prop-check';
import { ILlmServingEndpoint } from '../pipeline/serving-endpoint';
import { EndpointPicker } from '../routing/endpoint-picker';
import { GatewayRef, RoutePathOptions } from '../routing/gateway-ref';
import { HeaderRouteRule, RouteBackend, routePathRule, routeTimeoutSeconds, writeHttpRoute } from '../routing/http-route';
import { InferenceModelRewrite } from '../routing/inference-model-rewrite';
import { IInferencePool, InferencePool } from '../routing/inference-pool';
import { registerSynthValidation } from '../validation/synth-validation';
import { Versions } from '../versions';
import { DrainBudgets } from '../wiring/drain';
import { WiringLabels } from '../wiring/labels';
import { ResourceNames } from '../wiring/names';
import { requireNamespace, resolveNamespace } from '../wiring/namespace';
import { Ports } from '../wiring/ports';

/** The Gateway API implementation in front of the pools, and the extra objects it needs. */
export class GatewayProvider {
  /** Istio (`gatewayClassName: istio`): adds a DestinationRule per EPP so the gateway accepts the EPP's self-signed TLS. */
  public static istio(): GatewayProvider {
    return new GatewayProvider('istio', 'istio', { 'istio.io/enable-inference-extproc': 'true' });
  }

  /**
   * GKE Gateway (`gke-l7-regional-external-managed` unless given): adds a HealthCheckPolicy (HTTP `/health` on the
   * pool port) and a GCPBackendPolicy (request timeout) per pool; the route itself carries no timeout.
   */
  public static gke(gatewayClassName?: string): GatewayProvider {
    checkArgs('GatewayProvider.gke', arguments);
    new FieldContext('GatewayProvider.gke').dnsSubdomain('gatewayClassName', gatewayClassName);
    return new GatewayProvider('gke', gatewayClassName ?? 'gke-l7-regional-external-managed', {});
  }

  /** kgateway (`gatewayClassName: kgateway`); nothing extra. */
  public static kgateway(): GatewayProvider {
    return new GatewayProvider('kgateway', 'kgateway', {});
  }

  /** agentgateway (`gatewayClassName: agentgateway`); nothing extra. */
  public static agentgateway(): GatewayProvider {
    return new GatewayProvider('agentgateway', 'agentgateway', {});
  }

  /** Envoy Gateway / Envoy AI Gateway (`gatewayClassName: envoy-gateway` unless given); nothing extra. */
  public static envoyGateway(gatewayClassName?: string): GatewayProvider {
    checkArgs('GatewayProvider.envoyGateway', arguments);
    new FieldContext('GatewayProvider.envoyGateway').dnsSubdomain('gatewayClassName', gatewayClassName);
    return new GatewayProvider('envoy-gateway', gatewayClassName ?? 'envoy-gateway', {});
  }

  /** Any other implementation by GatewayClass name; nothing extra. */
  public static custom(gatewayClassName: string): GatewayProvider {
    checkArgs('GatewayProvider.custom', arguments);
    new FieldContext('GatewayProvider.custom').dnsSubdomain('gatewayClassName', gatewayClassName);
    return new GatewayProvider('custom', gatewayClassName, {});
  }

  private constructor(
    /** Provider id: istio, gke, kgateway, agentgateway, envoy-gateway or custom. */
    public readonly id: string,
    /** GatewayClass name of a created Gateway. */
    public readonly gatewayClassName: string,
    /** @internal */
    public readonly _gatewayLabels: Record<string, string>,
  ) {}
}

/** A Gateway listener. */
export interface GatewayListener {
  /** Listener name (the routes' `sectionName`). */
  readonly name: string;
  /** Port. */
  readonly port: number;
  /**
   * `HTTP` or `HTTPS`.
   * @default 'HTTP'
   */
  readonly protocol?: string;
  /**
   * Hostname the listener accepts.
   * @default - any
   */
  readonly hostname?: string;
  /**
   * TLS Secret (in the Gateway's namespace) for an HTTPS listener.
   * @default - none (required for HTTPS)
   */
  readonly tlsSecretName?: string;
}

/** Opt-in provider objects; each is only valid with its provider. */
export interface ProviderExtras {
  /**
   * Istio DestinationRule per EPP (TLS SIMPLE, insecureSkipVerify: the EPP serves a self-signed certificate).
   * @default true with GatewayProvider.istio(), otherwise false
   */
  readonly istioDestinationRule?: boolean;
  /**
   * GKE HealthCheckPolicy and GCPBackendPolicy per pool.
   * @default true with GatewayProvider.gke(), otherwise false
   */
  readonly gkePolicies?: boolean;
}

/** Props of {@link InferenceGateway}. */
export interface InferenceGatewayProps {
  /** The Gateway implementation. */
  readonly provider: GatewayProvider;
  /**
   * Gateway name.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Namespace of the Gateway.
   * @default - the Chart's namespace
   */
  readonly namespace?: string;
  /**
   * Reference an existing Gateway instead of creating one.
   * @default false (a Gateway is created)
   */
  readonly existing?: boolean;
  /**
   * Listeners of the created Gateway.
   * @default - one HTTP listener `http` on port 80 accepting routes from all namespaces
   */
  readonly listeners?: GatewayListener[];
  /**
   * Request timeout of every route. Streaming generations last minutes: llm-d's v0.8 guides use 300 s, KServe
   * disables the timeout (0 s), and provider defaults (GKE's backend default is 30 s) cut long answers.
   * `Duration.seconds(0)` disables it. With GKE it goes into the GCPBackendPolicy instead of the route.
   * @default Duration.minutes(5)
   */
  readonly requestTimeout?: Duration;
  /**
   * Add a rule per model that matches the header `X-Gateway-Model-Name: <served model name>` on `/`
   * (model-based routing, as KServe's routes do).
   * @default false
   */
  readonly modelHeaderMatching?: boolean;
  /**
   * Provider objects.
   * @default - those of the selected provider
   */
  readonly extras?: ProviderExtras;
}

/**
 * Options of {@link InferenceGateway.routeToPool}. The route matches `pathPrefix` (default `/<namespace>/<name>`)
 * and rewrites it to `rewritePrefix` (default `/`).
 */
export interface PoolRouteOptions extends RoutePathOptions {
  /** Name used for the route (`N-kserve-route`) and its default path prefix `/<namespace>/<name>`. */
  readonly name: string;
  /**
   * Namespace of the route.
   * @default - the Chart's namespace
   */
  readonly namespace?: string;
  /**
   * Served model name for the optional model-header rule.
   * @default - the name
   */
  readonly servedModelName?: string;
  /**
   * Create the ReferenceGrant (in the pool's namespace) that lets a route in another namespace use the pool.
   * Without it a cross-namespace pool is rejected: gateways refuse such a backend.
   * @default false
   */
  readonly referenceGrant?: boolean;
}

/** One backend of a weighted route ({@link InferenceGateway.route}). */
export interface WeightedBackend {
  /** A serving construct with an InferencePool (one with a scheduler), in the route's namespace. */
  readonly endpoint: ILlmServingEndpoint;
  /**
   * Relative weight (0 - 1,000,000): the backend's share is weight / sum of weights; 0 sends it no traffic
   * (except header-matched requests).
   */
  readonly weight: number;
  /**
   * Requests whose `header` (see {@link WeightedRouteOptions.header}) has this value go to this backend only
   * (A/B testing by header, whatever the weights).
   * @default - no header rule
   */
  readonly headerValue?: string;
}

/**
 * Options of {@link InferenceGateway.route}: one route `N-kserve-route` on `/<namespace>/<name>` (rewritten to
 * `/`) that splits requests between InferencePools by weight (canary, blue/green), optionally sending requests
 * with a header value to one pool (A/B).
 */
export interface WeightedRouteOptions extends RoutePathOptions {
  /** Name of the route (`N-kserve-route`) and of its default path prefix `/<namespace>/<name>`. */
  readonly name: string;
  /**
   * Namespace of the route.
   * @default - the Chart's namespace
   */
  readonly namespace?: string;
  /**
   * Allow backends in other namespaces than the route's, creating a ReferenceGrant in each of them (e.g. a canary in
   * its own namespace, where it can carry InferenceObjectives of the same names as the stable version's).
   * @default false (every backend must be in the route's namespace)
   */
  readonly referenceGrant?: boolean;
  /** The pools and their weights; at least one weight above 0. */
  readonly backends: WeightedBackend[];
  /**
   * The model name clients request. Every backend must serve it: as its served model name, or through an
   * InferenceModelRewrite on its pool whose targets it serves.
   * @default - the served model name of the first backend
   */
  readonly servedModelName?: string;
  /**
   * Header whose value picks a backend (`headerValue`), e.g. `x-model-variant`.
   * @default - none (required when a backend sets headerValue)
   */
  readonly header?: string;
}

/** A model registered with the gateway. @internal */
export interface GatewayModel {
  readonly scope: Construct;
  readonly serviceName: string;
  readonly namespace?: string;
  readonly servedModelName: string;
  readonly backend: RouteBackend;
  readonly pool?: InferencePool;
  readonly endpointPicker?: EndpointPicker;
  readonly ctx: FieldContext;
  /** Path of the model's rule; `/<namespace>/<name>` rewritten to `/` by default. */
  readonly path?: RoutePathOptions;
  /** Weighted backends instead of `backend` alone. */
  readonly backends?: RouteBackend[];
  /** Header rules to single backends. */
  readonly headerRules?: HeaderRouteRule[];
  /** Write the provider objects of the model's pool (default true). */
  readonly providerObjects?: boolean;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Gateway API `backendRef.weight` maximum. */
const MAX_ROUTE_WEIGHT = 1000000;
/** Gateway API `HTTPHeaderName`. */
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+\-.^_\x60|~]{1,256}$/;
const HEADER_VALUE = /^[\x21-\x7e]([\x20-\x7e]{0,4094}[\x21-\x7e])?$/;

/**
 * A backend of a weighted route must serve the requested model: directly, or through a rewrite on its pool
 * whose every target it serves.
 */
function checkServesModel(ctx: FieldContext, endpoint: ILlmServingEndpoint, pool: InferencePool, model: string): void {
  const rewrites = InferenceModelRewrite._forPool(endpoint, pool.poolName, pool.poolNamespace ?? endpoint.namespace ?? resolveNamespace(endpoint));
  for (const r of rewrites) {
    const targets = r._targetsOf(model);
    if (targets === undefined) continue;
    const foreign = targets.filter((t) => t !== endpoint.servedModelName);
    if (foreign.length) {
      throw ctx.error('endpoint', endpoint.name, `receives ${model}, which the InferenceModelRewrite ${r.rewriteName} on its pool rewrites to ${foreign.join(', ')}, a model it does not serve (it serves ${endpoint.servedModelName})`,
        `rewrite ${model} on pool ${pool.poolName} to ${endpoint.servedModelName}`);
    }
    return;
  }
  if (endpoint.servedModelName !== model) {
    throw ctx.error('endpoint', endpoint.name, `serves ${endpoint.servedModelName}, not the requested model ${model}; its Endpoint Picker would pass requests for ${model} to servers that refuse them`,
      `serve the same servedModelName on every backend, or add an InferenceModelRewrite on pool ${pool.poolName} from ${model} to ${endpoint.servedModelName}`);
  }
}

/**
 * The entry point for inference traffic: owns (or references) a Gateway and every HTTPRoute to the models that
 * register with it. Each model gets a path prefix `/<namespace>/<name>` (rewritten to `/`), optionally a
 * model-name header rule, and the provider's extra objects.
 */
export class InferenceGateway extends Construct {
  /** The parentRef routes use. */
  public readonly gatewayRef: GatewayRef;
  /** The provider. */
  public readonly provider: GatewayProvider;
  /** The created Gateway, unless `existing`. */
  public readonly gateway?: ApiObject;
  private readonly paths = new Map<string, string>();
  /** Pools whose provider objects exist (`namespace/name`). */
  private readonly providerPools = new Set<string>();
  private readonly timeout: Duration;
  private readonly headerMatching: boolean;
  private readonly istioDr: boolean;
  private readonly gkePolicies: boolean;

  constructor(scope: Construct, id: string, props: InferenceGatewayProps) {
    super(scope, id);
    checkArgs('InferenceGateway.constructor', arguments, this.node.path);
    registerSynthValidation(this);
    const ctx = new FieldContext(this.node.path);
    const name = props.name ?? id;
    if (!DNS_LABEL.test(name) || name.length > 63) throw ctx.error('name', name, 'is not a valid Gateway name', 'use a DNS-1123 label');
    this.provider = props.provider;
    const extras = props.extras ?? {};
    if (extras.istioDestinationRule && props.provider.id !== 'istio') {
      throw ctx.error('extras.istioDestinationRule', true, `is an Istio object but the provider is ${props.provider.id}`, 'remove it or use GatewayProvider.istio()');
    }
    if (extras.gkePolicies && props.provider.id !== 'gke') {
      throw ctx.error('extras.gkePolicies', true, `are GKE objects but the provider is ${props.provider.id}`, 'remove them or use GatewayProvider.gke()');
    }
    this.istioDr = extras.istioDestinationRule ?? props.provider.id === 'istio';
    this.gkePolicies = extras.gkePolicies ?? props.provider.id === 'gke';
    this.timeout = props.requestTimeout ?? DrainBudgets.DEFAULT_REQUEST_TIMEOUT;
    routeTimeoutSeconds(ctx, 'requestTimeout', this.timeout);
    this.headerMatching = props.modelHeaderMatching ?? false;
    const namespace = props.namespace;
    this.gatewayRef = { name, namespace: namespace ?? resolveNamespace(this) };

    if (!props.existing) {
      const listeners = props.listeners ?? [{ name: Ports.GATEWAY_HTTP_NAME, port: Ports.GATEWAY_HTTP, protocol: 'HTTP' }];
      if (listeners.length === 0) throw ctx.error('listeners', listeners, 'a Gateway needs at least one listener', 'add e.g. { name: "http", port: 80 }');
      const spec: gw.GatewaySpec = {
        gatewayClassName: props.provider.gatewayClassName,
        listeners: listeners.map((l, i) => {
          const first = listeners.findIndex((o) => o.name === l.name);
          if (first !== i) throw ctx.error(`listeners[${i}].name`, l.name, `repeats the name of listeners[${first}]`, 'give every listener its own name');
          const protocol = l.protocol ?? 'HTTP';
          if (protocol !== 'HTTP' && protocol !== 'HTTPS') throw ctx.error(`listeners[${i}].protocol`, protocol, 'is not an HTTP protocol', "use 'HTTP' or 'HTTPS'");
          if (protocol === 'HTTPS' && !l.tlsSecretName) throw ctx.error(`listeners[${i}].tlsSecretName`, l.tlsSecretName, 'an HTTPS listener needs a certificate', 'name the TLS Secret');
          return {
            name: l.name,
            port: l.port,
            protocol,
            hostname: l.hostname,
            tls: protocol === 'HTTPS' ? { mode: gw.GatewaySpecListenersTlsMode.TERMINATE, certificateRefs: [{ kind: 'Secret', name: l.tlsSecretName! }] } : undefined,
            allowedRoutes: { namespaces: { from: gw.GatewaySpecListenersAllowedRoutesNamespacesFrom.ALL } },
          };
        }),
      };
      this.gateway = new ApiObject(this, 'Gateway', {
        apiVersion: Versions.GATEWAY_API_VERSION,
        kind: 'Gateway',
        metadata: { name, namespace, labels: Object.keys(props.provider._gatewayLabels).length ? props.provider._gatewayLabels : undefined },
        spec: gw.toJson_GatewaySpec(spec),
      });
    }
  }

  /**
   * Route to a pool managed elsewhere (e.g. `InferencePool.fromName(...)`): creates the HTTPRoute, and the
   * ReferenceGrant when the pool is in another namespace and `referenceGrant` is set.
   */
  public routeToPool(id: string, pool: IInferencePool, options: PoolRouteOptions): ApiObject {
    const scope = new Construct(this, id);
    const ctx = new FieldContext(scope.node.path);
    const routeNs = options.namespace ?? resolveNamespace(scope);
    const crossNamespace = pool.poolNamespace !== undefined && pool.poolNamespace !== routeNs;
    if (crossNamespace && !options.referenceGrant) {
      throw ctx.error('pool', `${pool.poolNamespace}/${pool.poolName}`, `is in another namespace than the route (${routeNs ?? '(default)'}); gateways refuse cross-namespace backends without a ReferenceGrant`,
        'set referenceGrant: true (a ReferenceGrant is created in the pool namespace), or route from the pool namespace');
    }
    if (crossNamespace) {
      new ApiObject(scope, 'ReferenceGrant', {
        apiVersion: Versions.GATEWAY_API_VERSION,
        kind: 'ReferenceGrant',
        metadata: { name: ResourceNames.of(options.name).routeReferenceGrant, namespace: pool.poolNamespace },
        spec: {
          from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: routeNs }],
          to: [{ group: pool.poolGroup, kind: 'InferencePool', name: pool.poolName }],
        },
      });
    }
    return this._addModel({
      scope,
      ctx,
      serviceName: options.name,
      namespace: options.namespace,
      servedModelName: options.servedModelName ?? options.name,
      backend: { group: pool.poolGroup, kind: 'InferencePool', name: pool.poolName, namespace: crossNamespace ? pool.poolNamespace : undefined },
      path: { pathPrefix: options.pathPrefix, rewritePrefix: options.rewritePrefix },
    });
  }

  /**
   * A weighted route between InferencePools: canary (`95/5`), blue/green (`100/0` then `0/100`) or A/B by header.
   * Creates the HTTPRoute `N-kserve-route` on `/<namespace>/<name>` with one weighted backendRef per pool (and,
   * with `modelHeaderMatching`, the model-header rule with the same weights), plus the provider objects of each
   * pool not registered with this gateway yet. The backends are refused unless every one serves the requested
   * model name (directly, or through an InferenceModelRewrite on its pool); this is checked at synth, when every
   * rewrite of the app exists. The backends keep their own names, selectors and pools: adding or removing a
   * backend never changes another one's workload.
   */
  public route(id: string, options: WeightedRouteOptions): ApiObject {
    checkArgs('InferenceGateway.route', arguments, this.node.path);
    const scope = new Construct(this, id);
    const ctx = new FieldContext(scope.node.path);
    const routeNs = options.namespace ?? resolveNamespace(scope);
    const backends = options.backends;
    if (!Array.isArray(backends) || backends.length === 0) {
      throw ctx.error('backends', backends, 'is empty; a weighted route needs at least one pool', 'add { endpoint, weight } per version, e.g. the stable service with 90 and the canary with 10');
    }
    const seen = new Map<string, number>();
    const headerValues = new Map<string, number>();
    type Picked = { endpoint: ILlmServingEndpoint; pool: InferencePool; ns?: string; weight: number; headerValue?: string };
    const pools: Picked[] = backends.map((b, i) => {
      const bctx = ctx.child(`backends[${i}]`);
      const endpoint = b.endpoint;
      if (!Construct.isConstruct(endpoint)) throw bctx.error('endpoint', (endpoint as any)?.name, 'is not a construct', 'pass a serving construct such as an LlmService');
      const pool = endpoint.inferencePool;
      if (!pool) {
        throw bctx.error('endpoint', endpoint.name, 'has no InferencePool (no scheduler); a weighted route splits traffic between pools, each behind its Endpoint Picker',
          'give the service a scheduler, e.g. scheduler: SchedulerConfig.default()');
      }
      const ns = endpoint.namespace ?? resolveNamespace(endpoint);
      if (ns !== routeNs && !options.referenceGrant) {
        throw bctx.error('endpoint', `${ns ?? '(default)'}/${endpoint.name}`,
          `is in another namespace than the route (${routeNs ?? '(default)'}); gateways refuse cross-namespace backends without a ReferenceGrant`,
          'set referenceGrant: true (a ReferenceGrant is created in the backend namespace), or create the route in the namespace of the pools');
      }
      const key = `${ns ?? ''}/${pool.poolName}`;
      if (seen.has(key)) throw bctx.error('endpoint', endpoint.name, `names the pool ${key} of backends[${seen.get(key)}] again`, 'list each pool once and add up its weights');
      seen.set(key, i);
      if (!Number.isInteger(b.weight) || b.weight < 0 || b.weight > MAX_ROUTE_WEIGHT) {
        throw bctx.error('weight', b.weight, `must be an integer from 0 to ${MAX_ROUTE_WEIGHT}`, 'use relative weights such as 90 and 10');
      }
      if (b.headerValue !== undefined) {
        if (options.header === undefined) {
          throw bctx.error('headerValue', b.headerValue, 'needs the header it is matched on', "set header on the route, e.g. header: 'x-model-variant'");
        }
        if (typeof b.headerValue !== 'string' || !HEADER_VALUE.test(b.headerValue)) {
          throw bctx.error('headerValue', b.headerValue, 'is not a valid header value (1 - 4096 visible characters)', "use a token such as 'b'");
        }
        if (headerValues.has(b.headerValue)) {
          throw bctx.error('headerValue', b.headerValue, `is also the header value of backends[${headerValues.get(b.headerValue)}]`, 'give each backend its own header value');
        }
        headerValues.set(b.headerValue, i);
      }
      return { endpoint, pool, ns: ns !== routeNs ? ns : undefined, weight: b.weight, headerValue: b.headerValue };
    });
    if (pools.every((p) => p.weight === 0)) {
      throw ctx.error('backends', pools.map((p) => `${p.endpoint.name}:${p.weight}`).join(', '), 'gives every backend weight 0, so the gateway answers every request with 500',
        'give at least one backend a weight above 0');
    }
    if (options.header !== undefined) {
      if (typeof options.header !== 'string' || !HEADER_NAME.test(options.header)) {
        throw ctx.error('header', options.header, 'is not a valid HTTP header name', "use e.g. 'x-model-variant'");
      }
      if (headerValues.size === 0) throw ctx.error('header', options.header, 'is set but no backend sets headerValue', 'set headerValue on the backend(s) the header selects, or remove header');
    }
    const servedModelName = options.servedModelName ?? pools[0].endpoint.servedModelName;
    if (typeof servedModelName !== 'string' || servedModelName.length === 0) {
      throw ctx.error('servedModelName', servedModelName, 'is empty', 'give the model name clients request');
    }
    scope.node.addValidation({
      validate: () => {
        pools.forEach((p, i) => checkServesModel(ctx.child(`backends[${i}]`), p.endpoint, p.pool, servedModelName));
        return [];
      },
    });
    const foreign = new Map<string, InferencePool[]>();
    for (const p of pools) if (p.ns !== undefined) foreign.set(p.ns, [...(foreign.get(p.ns) ?? []), p.pool]);
    if (foreign.size > 0 && routeNs === undefined) {
      throw ctx.error('namespace', undefined, 'is needed: the ReferenceGrant names the namespace the route is in', "set namespace (or the Chart's namespace)");
    }
    const backendOf = (p: { pool: InferencePool; ns?: string; weight?: number }): RouteBackend => ({
      group: p.pool.poolGroup, kind: 'InferencePool', name: p.pool.poolName, namespace: p.ns, weight: p.weight,
    });
    const route = this._addModel({
      scope,
      ctx,
      serviceName: options.name,
      namespace: options.namespace,
      servedModelName,
      backend: backendOf(pools[0]),
      backends: pools.map(backendOf),
      headerRules: pools.filter((p) => p.headerValue !== undefined).map((p) => ({
        name: `header-${pools.indexOf(p)}`,
        header: options.header!,
        value: p.headerValue!,
        backend: backendOf({ pool: p.pool, ns: p.ns }),
      })),
      path: { pathPrefix: options.pathPrefix, rewritePrefix: options.rewritePrefix },
      providerObjects: false,
    });
    for (const [ns, nsPools] of foreign) {
      new ApiObject(scope, `ReferenceGrant-${ns}`, {
        apiVersion: Versions.GATEWAY_API_VERSION,
        kind: 'ReferenceGrant',
        metadata: { name: ResourceNames.of(options.name).routeReferenceGrant, namespace: ns },
        spec: {
          from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: routeNs }],
          to: nsPools.map((pl) => ({ group: pl.poolGroup, kind: 'InferencePool', name: pl.poolName })),
        },
      });
    }
    for (const p of pools) {
      const e = p.endpoint;
      this.writeProviderObjects({
        scope: e, ctx: new FieldContext(e.node.path), serviceName: e.name, namespace: e.namespace, pool: p.pool, endpointPicker: e.endpointPicker,
      });
    }
    return route;
  }

  /** Request timeout of the routes this gateway writes (serving pods' grace periods cover it). */
  public get requestTimeout(): Duration {
    return this.timeout;
  }

  /**
   * Register a serving construct (one of the library's patterns, or your own construct implementing
   * `ILlmServingEndpoint`): creates its HTTPRoute `N-kserve-route` on `/<namespace>/<name>` (and the provider
   * objects) under that construct, to its InferencePool when it has one, else to its Service.
   */
  public addModel(endpoint: ILlmServingEndpoint): ApiObject {
    if (!Construct.isConstruct(endpoint)) {
      throw new FieldContext(this.node.path).error('addModel(endpoint)', (endpoint as any)?.name, 'is not a construct', 'pass a construct that implements ILlmServingEndpoint');
    }
    const scope = endpoint as unknown as Construct;
    const pool = endpoint.inferencePool;
    return this._addModel({
      scope,
      ctx: new FieldContext(scope.node.path),
      serviceName: endpoint.name,
      namespace: endpoint.namespace,
      servedModelName: endpoint.servedModelName,
      backend: pool
        ? { group: pool.poolGroup, kind: 'InferencePool', name: pool.poolName }
        : { group: '', kind: 'Service', name: endpoint.serviceName, port: endpoint.servicePort },
      pool,
      endpointPicker: endpoint.endpointPicker,
    });
  }

  /**
   * Register a model: creates its HTTPRoute (and provider objects) in the model's namespace.
   * @internal
   */
  public _addModel(model: GatewayModel): ApiObject {
    const ns = model.namespace ?? resolveNamespace(model.scope);
    const path = routePathRule(model.ctx, model.path ?? {}, `/${ns ?? 'default'}/${model.serviceName}`);
    const prefix = path.matches![0].path!.value!;
    const owner = this.paths.get(prefix);
    if (owner) {
      throw model.ctx.error('gateway', this.node.path, `path ${prefix} on this gateway is already routed to ${owner}`,
        'give the model a different name or namespace, or use another gateway');
    }
    this.paths.set(prefix, model.scope.node.path);
    const seconds = routeTimeoutSeconds(model.ctx, 'gateway.requestTimeout', this.timeout);
    const parentNs = this.gatewayRef.namespace !== ns ? this.gatewayRef.namespace : undefined;
    const route = writeHttpRoute(model.scope, 'HTTPRoute', {
      ctx: model.ctx,
      name: ResourceNames.of(model.serviceName).httpRoute,
      namespace: model.namespace,
      labels: WiringLabels.router(model.serviceName),
      parents: [{ name: this.gatewayRef.name, namespace: parentNs }],
      parentFields: ['gateway'],
      path: model.path ?? {},
      defaultPrefix: `/${ns ?? 'default'}/${model.serviceName}`,
      backend: model.backend,
      timeoutSeconds: this.gkePolicies ? undefined : seconds,
      pathRuleName: 'path-prefix',
      modelHeader: this.headerMatching ? model.servedModelName : undefined,
      backends: model.backends,
      headerRules: model.headerRules,
    });

    if (model.providerObjects ?? true) {
      this.writeProviderObjects({
        scope: model.scope,
        ctx: model.ctx,
        serviceName: model.serviceName,
        namespace: model.namespace,
        pool: model.pool,
        endpointPicker: model.endpointPicker,
      });
    }
    return route;
  }

  /** The provider objects of a pool (Istio DestinationRule of its EPP, GKE policies), once per pool. */
  private writeProviderObjects(m: {
    scope: Construct; ctx: FieldContext; serviceName: string; namespace?: string; pool?: InferencePool; endpointPicker?: EndpointPicker;
  }): void {
    if (m.pool) {
      const key = `${m.namespace ?? resolveNamespace(m.scope) ?? ''}/${m.pool.poolName}`;
      if (this.providerPools.has(key)) return;
      this.providerPools.add(key);
    }
    const seconds = routeTimeoutSeconds(m.ctx, 'gateway.requestTimeout', this.timeout);
    if (this.istioDr && m.endpointPicker) {
      const eppNs = requireNamespace(m.scope, 'namespace (the Istio DestinationRule host is the EPP Service FQDN)', m.namespace);
      new ApiObject(m.scope, 'EppDestinationRule', {
        apiVersion: 'networking.istio.io/v1beta1',
        kind: 'DestinationRule',
        metadata: { name: m.endpointPicker.serviceNameOfEpp, namespace: m.namespace, labels: WiringLabels.scheduler(m.serviceName) },
        spec: {
          host: `${m.endpointPicker.serviceNameOfEpp}.${eppNs}.svc.cluster.local`,
          trafficPolicy: { tls: { mode: 'SIMPLE', insecureSkipVerify: true } },
        },
      });
    }
    if (this.gkePolicies && m.pool) {
      const targetRef = { group: m.pool.poolGroup, kind: 'InferencePool', name: m.pool.poolName };
      const labels = WiringLabels.scheduler(m.serviceName);
      new ApiObject(m.scope, 'GkeHealthCheckPolicy', {
        apiVersion: 'networking.gke.io/v1',
        kind: 'HealthCheckPolicy',
        metadata: { name: m.pool.poolName, namespace: m.namespace, labels },
        spec: { targetRef, default: { timeoutSec: 2, checkIntervalSec: 2, config: { type: 'HTTP', httpHealthCheck: { requestPath: '/health', port: m.pool.targetPorts[0] ?? Ports.SERVING } } } },
      });
      new ApiObject(m.scope, 'GkeBackendPolicy', {
        apiVersion: 'networking.gke.io/v1',
        kind: 'GCPBackendPolicy',
        metadata: { name: m.pool.poolName, namespace: m.namespace, labels },
        spec: { targetRef, default: { timeoutSec: seconds, logging: { enabled: true } } },
      });
    }
  }
}
