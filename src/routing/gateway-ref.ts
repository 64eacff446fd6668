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

/** An HTTPRoute from a Gateway to the service. */
export interface RouteOptions {
  /** The parent Gateway. */
  readonly gateway: GatewayRef;
  /**
   * Hostnames the route matches.
   * @default - every hostname of the listener
   */
  readonly hostnames?: string[];
  /**
   * Path prefix routed to the service.
   * @default '/'
   */
  readonly pathPrefix?: string;
  /**
   * Request timeout (`timeouts.request`). Long generations need minutes; `Duration.seconds(0)` disables it.
   * @default Duration.minutes(5) (llm-d's guides use 300s)
   */
  readonly requestTimeout?: Duration;
}
