import * as pulumi from '@pulumi/pulumi';
import { ApiObject, App, Chart, ChartProps } from 'cdk8s';
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

/** The members of cdk8s-llm-d's serving constructs that outputs are read from (each one optional). */
interface ServingMembers {
  readonly serviceName?: unknown;
  readonly url?: unknown;
  readonly service?: unknown;
  readonly namespace?: unknown;
  readonly inferencePool?: { readonly poolName?: unknown };
  readonly route?: unknown;
  readonly gatewayRef?: { readonly name?: unknown; readonly namespace?: unknown };
}

/** A getter's value, or undefined when it throws (e.g. `url` of a construct without a namespace). */
function readSafely(get: () => unknown): unknown {
  try {
    return get();
  } catch {
    return undefined;
  }
}

/**
 * Base of the typed entry points: builds a cdk8s `App` and `Chart` (in `namespace`) in-process, lets `build`
 * create the library construct in it, and registers one child resource per synthesized object (see
 * {@link registerObjects}). Outputs are read from the construct when it has the member: `serviceName` and
 * `serviceUrl` (its `serviceName`/`url`, else from its `service` ApiObject:
 * `http://<name>.<namespace>.svc.cluster.local:<first port>`), `poolName` (its `inferencePool`), `routePath` (the path prefix of its `route`),
 * `gatewayName`/`gatewayNamespace` (its `gatewayRef`). `serviceName`/`serviceUrl` resolve once the Service is
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

    const c = this.construct as ServingMembers;
    const ns = typeof c.namespace === 'string' ? c.namespace : args.namespace;
    // An output that resolves once `res` is registered (so users of it depend on that object), else a plain value.
    const after = (res: pulumi.CustomResource | undefined, value: string) => (res ? res.urn.apply(() => value) : pulumi.output(value));

    // `serviceName`/`url` of the construct, else those of its `service` ApiObject (a core Service).
    const isCoreService = ApiObject.isApiObject(c.service) && c.service.kind === 'Service' && c.service.apiVersion === 'v1';
    const serviceObj = isCoreService ? (c.service as ApiObject).toJson() : undefined;
    const serviceName = typeof c.serviceName === 'string' ? c.serviceName : serviceObj?.metadata?.name;
    if (typeof serviceName === 'string') {
      const svcNs = serviceObj?.metadata?.namespace ?? ns;
      const svc = this.resources[`Service:${svcNs}/${serviceName}`];
      this.serviceName = after(svc, serviceName);
      const port = serviceObj?.spec?.ports?.[0]?.port;
      const url = readSafely(() => c.url) ?? (typeof port === 'number' ? `http://${serviceName}.${svcNs}.svc.cluster.local:${port}` : undefined);
      if (typeof url === 'string') this.serviceUrl = after(svc, url);
    }
    const poolName = c.inferencePool?.poolName;
    if (typeof poolName === 'string') {
      const pool = this.find('InferencePool', poolName, ns);
      this.poolName = after(pool, poolName);
    }
    if (ApiObject.isApiObject(c.route)) {
      const route = (c.route as ApiObject).toJson();
      const path = route?.spec?.rules?.[0]?.matches?.[0]?.path?.value;
      if (typeof path === 'string') this.routePath = pulumi.output(path);
    }
    if (c.gatewayRef && typeof c.gatewayRef.name === 'string') {
      const gatewayName = c.gatewayRef.name;
      const gateway = this.find('Gateway', gatewayName);
      this.gatewayName = after(gateway, gatewayName);
      this.gatewayNamespace = pulumi.output(typeof c.gatewayRef.namespace === 'string' ? c.gatewayRef.namespace : args.namespace);
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
