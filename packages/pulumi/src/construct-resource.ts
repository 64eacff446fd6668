import * as pulumi from '@pulumi/pulumi';
import { ApiObject, App, Chart, ChartProps } from 'cdk8s';
import { ILlmServingEndpoint, InferenceGateway, LlmService, LlmServingEndpoints, MultiNodeGroup, PrefillDecodePair } from 'cdk8s-llm-d';
import { Construct } from 'constructs';
import { KubeObject, objectKey, registerObjects, RegistrationOptions } from './cdk8s-chart-resource';

/** Args shared by every construct entry point. */
export interface ConstructResourceOptions extends RegistrationOptions {
  /** Namespace of the chart the construct is built in (its objects' namespace unless the props set one). */
  readonly namespace: string;
  /**
   * Other chart settings (common labels, name hashes).
   * @default - none
   */
  readonly chartProps?: Omit<ChartProps, 'namespace'>;
}

/** Args of {@link PatternResource}. */
export interface PatternResourceArgs<T extends Construct> extends ConstructResourceOptions {
  /** Builds the construct in the given chart; use the component name as the construct id. */
  readonly build: (chart: Chart, id: string) => T;
}

/** The HTTPRoute of one of the library's serving constructs, when it has one. */
function routeOf(c: Construct): ApiObject | undefined {
  if (c instanceof LlmService || c instanceof PrefillDecodePair || c instanceof MultiNodeGroup) return c.route;
  return undefined;
}

/**
 * Base of the typed entry points: builds a cdk8s `App` and `Chart` (in `namespace`) in-process, lets `build`
 * create the library construct in it, and registers one child resource per synthesized object (see
 * {@link registerObjects}). Outputs of a serving construct (`ILlmServingEndpoint`: `LlmService`, `PrefillDecodePair`,
 * `MultiNodeGroup`): `serviceName` and `serviceUrl` (`http://<service>.<namespace>.svc.cluster.local:<port>`), `poolName`
 * (its `inferencePool`), `routePath` (the path prefix of its `route`); of an `InferenceGateway`: `gatewayName`/`gatewayNamespace`. `serviceName`/`serviceUrl` resolve once the Service is
 * registered and `poolName` once the InferencePool is, so resources that use them wait for those objects.
 *
 * A new entry point is one small subclass:
 * ```ts
 * export class FooResource extends ConstructResource<Foo> {
 *   constructor(name: string, args: FooResourceArgs, opts?: pulumi.ComponentResourceOptions) {
 *     super('cdk8s-llm-d:index:Foo', name, args, (chart, id) => new Foo(chart, id, args.props), opts);
 *   }
 * }
 * ```
 */
export class ConstructResource<T extends Construct> extends pulumi.ComponentResource {
  /** The library construct (e.g. pass an InferenceGateway's construct as another service's `gateway`). */
  public readonly construct: T;
  /** The chart the construct was built in. */
  public readonly chart: Chart;
  /** The synthesized objects. */
  public readonly objects: KubeObject[];
  /** One child resource per object, by key `Kind[.group]:[namespace/]name` (e.g. `Deployment.apps:llm/qwen-kserve`). */
  public readonly resources: Record<string, pulumi.CustomResource>;
  /** Name of the construct's Service, when it has one. */
  public readonly serviceName?: pulumi.Output<string>;
  /** In-cluster URL of the construct's Service, e.g. `http://qwen-kserve-workload-svc.llm.svc.cluster.local:8000`. */
  public readonly serviceUrl?: pulumi.Output<string>;
  /** Name of the construct's InferencePool, when it has one. */
  public readonly poolName?: pulumi.Output<string>;
  /** Path prefix of the construct's HTTPRoute on the Gateway (e.g. `/llm/qwen`), when it has one. */
  public readonly routePath?: pulumi.Output<string>;
  /** Name of the construct's Gateway, when it has one. */
  public readonly gatewayName?: pulumi.Output<string>;
  /** Namespace of the construct's Gateway, when it has one. */
  public readonly gatewayNamespace?: pulumi.Output<string>;

  protected constructor(
    type: string,
    name: string,
    args: ConstructResourceOptions,
    build: (chart: Chart, id: string) => T,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super(type, name, {}, opts);
    if (!args.namespace) throw new Error(`${type} ${name}: namespace is required`);
    const app = new App();
    this.chart = new Chart(app, name.replace(/\//g, '-'), { ...args.chartProps, namespace: args.namespace });
    this.construct = build(this.chart, name);
    this.objects = this.chart.toJson();
    this.resources = registerObjects(this, name, this.objects, args, opts);

    // An output that resolves once `res` is registered (so users of it depend on that object), else a plain value.
    const after = (res: pulumi.CustomResource | undefined, value: string) => (res ? res.urn.apply(() => value) : pulumi.output(value));
    const c: Construct = this.construct;
    if (LlmServingEndpoints.isServingConstruct(c)) {
      const endpoint = c as unknown as ILlmServingEndpoint;
      const ns = endpoint.namespace ?? args.namespace;
      const svc = this.resources[`Service:${ns}/${endpoint.serviceName}`];
      this.serviceName = after(svc, endpoint.serviceName);
      this.serviceUrl = after(svc, `http://${endpoint.serviceName}.${ns}.svc.cluster.local:${endpoint.servicePort}`);
      if (endpoint.inferencePool) {
        const poolName = endpoint.inferencePool.poolName;
        this.poolName = after(this.find('InferencePool', poolName, ns), poolName);
      }
      const route = routeOf(c);
      const path = route?.toJson()?.spec?.rules?.[0]?.matches?.[0]?.path?.value;
      if (typeof path === 'string') this.routePath = pulumi.output(path);
    }
    if (c instanceof InferenceGateway) {
      const gatewayName = c.gatewayRef.name;
      this.gatewayName = after(this.find('Gateway', gatewayName), gatewayName);
      this.gatewayNamespace = pulumi.output(c.gatewayRef.namespace ?? args.namespace);
    }
    this.registerOutputs({
      serviceName: this.serviceName,
      serviceUrl: this.serviceUrl,
      poolName: this.poolName,
      routePath: this.routePath,
      gatewayName: this.gatewayName,
      gatewayNamespace: this.gatewayNamespace,
    });
  }

  /** The child resource of the object of `kind` (any API group) named `name`, in `namespace` if given. */
  public find(kind: string, name: string, namespace?: string): pulumi.CustomResource | undefined {
    const hit = this.objects.find((o) => o.kind === kind && o.metadata.name === name
      && (namespace === undefined || o.metadata.namespace === namespace));
    return hit ? this.resources[objectKey(hit)] : undefined;
  }
}

/**
 * Any construct as one Pulumi component (type `cdk8s-llm-d:index:Pattern`):
 * `new PatternResource('pd', { namespace: 'llm', build: (chart, id) => new PrefillDecodePair(chart, id, props) })`.
 */
export class PatternResource<T extends Construct = Construct> extends ConstructResource<T> {
  /** The Pulumi type token. */
  public static readonly TYPE = 'cdk8s-llm-d:index:Pattern';

  constructor(name: string, args: PatternResourceArgs<T>, opts?: pulumi.ComponentResourceOptions) {
    super(PatternResource.TYPE, name, args, args.build, opts);
  }
}
