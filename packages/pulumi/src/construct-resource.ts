import * as pulumi from '@pulumi/pulumi';
import { ApiObject, App, Chart, ChartProps } from 'cdk8s';
import { ILlmServingEndpoint, InferenceGateway, LlmService, LlmServingEndpoints, MultiNodeGroup, PrefillDecodePair } from 'cdk8s-llm-d';
import { Construct } from 'constructs';
import { KubeObject, objectKey, registerObjects, RegistrationOptions } from './cdk8s-chart-resource';
import { InputNames } from './input-names';

/**
 * Stands for a name that comes from another resource in construct props: `ref(secret.metadata.name, 'hf-token')`.
 * Plain strings are returned as they are; see {@link InputNames}.
 */
export type NameRef = (value: pulumi.Input<string>, label?: string) => string;

/** Construct props, or a function of a {@link NameRef} that returns them (for names that are Pulumi Inputs). */
export type PropsWithInputs<P> = P | ((ref: NameRef) => P);

/** The props of `props` (calls it with `ref` when it is a function). */
export function propsOf<P>(props: PropsWithInputs<P>, ref: NameRef): P {
  return typeof props === 'function' ? (props as (ref: NameRef) => P)(ref) : props;
}

/** Args shared by every construct entry point. */
export interface ConstructResourceOptions extends RegistrationOptions {
  /**
   * Namespace of the chart the construct is built in (its objects' namespace unless the props set one); may be an
   * Output, e.g. a Namespace resource's `metadata.name`, which makes every object depend on it.
   */
  readonly namespace: pulumi.Input<string>;
  /**
   * Other chart settings (common labels, name hashes).
   * @default - none
   */
  readonly chartProps?: Omit<ChartProps, 'namespace'>;
}

/** Args of {@link PatternResource}. */
export interface PatternResourceArgs<T extends Construct> extends ConstructResourceOptions {
  /**
   * Builds the construct in the given chart; use the component name as the construct id. `ref` turns a
   * `pulumi.Input<string>` into a name the props can hold (see {@link NameRef}).
   */
  readonly build: (chart: Chart, id: string, ref: NameRef) => T;
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
  /** Resolves the placeholders of names given as Pulumi Inputs (the namespace, and those passed through `ref`). */
  public readonly inputs: InputNames;

  protected constructor(
    type: string,
    name: string,
    args: ConstructResourceOptions,
    build: (chart: Chart, id: string, ref: NameRef) => T,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super(type, name, {}, opts);
    if (!args.namespace) throw new Error(`${type} ${name}: namespace is required`);
    this.inputs = new InputNames();
    const inputs = this.inputs;
    const namespace = inputs.ref(args.namespace, 'namespace', 'namespace');
    const app = new App();
    this.chart = new Chart(app, name.replace(/\//g, '-'), { ...args.chartProps, namespace });
    this.construct = build(this.chart, name, (value, label) => inputs.ref(value, label));
    this.objects = this.chart.toJson();
    this.resources = registerObjects(this, name, this.objects, args, opts);

    // An output that resolves once `res` is registered (so users of it depend on that object), else a plain value;
    // placeholders of Input names are resolved.
    const after = (res: pulumi.CustomResource | undefined, value: string) => {
      const resolved = pulumi.output(inputs.resolveString(value));
      return res ? pulumi.all([res.urn, resolved]).apply(([, v]) => v) : resolved;
    };
    const c: Construct = this.construct;
    if (LlmServingEndpoints.isServingConstruct(c)) {
      const endpoint = c as unknown as ILlmServingEndpoint;
      const ns = endpoint.namespace ?? namespace;
      const svc = this.find('Service', endpoint.serviceName, ns);
      this.serviceName = after(svc, endpoint.serviceName);
      this.serviceUrl = after(svc, `http://${endpoint.serviceName}.${ns}.svc.cluster.local:${endpoint.servicePort}`);
      if (endpoint.inferencePool) {
        const poolName = endpoint.inferencePool.poolName;
        this.poolName = after(this.find('InferencePool', poolName, ns), poolName);
      }
      const route = routeOf(c);
      const path = route?.toJson()?.spec?.rules?.[0]?.matches?.[0]?.path?.value;
      if (typeof path === 'string') this.routePath = pulumi.output(inputs.resolveString(path));
    }
    if (c instanceof InferenceGateway) {
      const gatewayName = c.gatewayRef.name;
      this.gatewayName = after(this.find('Gateway', gatewayName), gatewayName);
      this.gatewayNamespace = pulumi.output(inputs.resolveString(c.gatewayRef.namespace ?? namespace));
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

  /**
   * The child resource of the object of `kind` (any API group) named `name`, in `namespace` if given (a namespace
   * given as an Input is matched by its placeholder, `inputs.ref(...)`).
   */
  public find(kind: string, name: string, namespace?: string): pulumi.CustomResource | undefined {
    const hit = this.objects.find((o) => o.kind === kind && o.metadata.name === name
      && (namespace === undefined || o.metadata.namespace === namespace));
    return hit ? this.resources[this.inputs.describe(objectKey(hit))] : undefined;
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
