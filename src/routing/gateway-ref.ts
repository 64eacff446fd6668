import { Duration } from 'cdk8s';

/** A Gateway (Gateway API) that routes reach the service through. The library never creates it. */
export interface GatewayRef {
  /** Gateway name. */
  readonly name: string;
  /**
   * Gateway namespace.
   * @default - the route's namespace
   */
  readonly namespace?: string;
  /**
   * Listener name on the Gateway.
   * @default - every listener that allows the route
   */
  readonly sectionName?: string;
}

/**
 * The path a route matches and what the backend sees. Paths follow the Gateway API rules for `PathPrefix` matches:
 * absolute, no `//`, no `/./` or `/../` segments, no `%2F` or `#`, at most 1024 characters.
 */
export interface RoutePathOptions {
  /**
   * Path prefix routed to the backend (Gateway API `PathPrefix` match, element-wise: `/amd` matches `/amd` and
   * `/amd/v1/...`, not `/amdx`).
   * @default '/' (for InferenceGateway models `/<namespace>/<name>`)
   */
  readonly pathPrefix?: string;
  /**
   * What the matched prefix is replaced with before the request reaches the model server (`URLRewrite` filter,
   * `ReplacePrefixMatch`): with the default, `/amd/v1/chat/completions` reaches vLLM as `/v1/chat/completions`.
   * Set it equal to `pathPrefix` to forward paths unchanged (no filter is rendered then).
   * @default '/' (no filter when pathPrefix is '/')
   */
  readonly rewritePrefix?: string;
}

/** An HTTPRoute from a Gateway to the service. */
export interface RouteOptions extends RoutePathOptions {
  /** The parent Gateway. */
  readonly gateway: GatewayRef;
  /**
   * More Gateways the same route attaches to (one parentRef each, after `gateway`).
   * @default - only `gateway`
   */
  readonly additionalGateways?: GatewayRef[];
  /**
   * Annotations of the HTTPRoute.
   * @default - none
   */
  readonly annotations?: Record<string, string>;
  /**
   * Hostnames the route matches.
   * @default - every hostname of the listener
   */
  readonly hostnames?: string[];
  /**
   * Request timeout (`timeouts.request`). Long generations need minutes; `Duration.seconds(0)` disables it.
   * @default Duration.minutes(5) (llm-d's guides use 300s)
   */
  readonly requestTimeout?: Duration;
}
