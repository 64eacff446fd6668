import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { App, Chart } from 'cdk8s';
import { InputNames } from './input-names';

/** A synthesized Kubernetes object (one element of `Chart.toJson()`). */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name?: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
    readonly [key: string]: unknown;
  };
  readonly [key: string]: unknown;
}

/** How synthesized objects become Pulumi resources. */
export interface RegistrationOptions {
  /**
   * Prefix of every child resource name (`<prefix>:<object key>`).
   * @default - the component's name
   */
  readonly resourcePrefix?: string;
  /**
   * Add the `pulumi.com/skipAwait: "true"` annotation to every object, so `pulumi up` does not wait for Deployments
   * to become ready. Model servers can take longer to load a model than Pulumi's default await timeout (10 minutes).
   * @default false
   */
  readonly skipAwait?: boolean;
  /**
   * Resource options of one object's child resource (`protect`, `ignoreChanges`, `customTimeouts`,
   * `deleteBeforeReplace`, `retainOnDelete`, `transforms`, …), given the object and its {@link objectKey}; merged
   * over the component's (parent, provider, `dependsOn` and the CRD/Namespace ordering, which it can extend).
   * @default - none
   */
  readonly resourceOptions?: (obj: KubeObject, key: string) => pulumi.CustomResourceOptions | undefined;
}

/** Args of {@link Cdk8sChartResource}: a chart, or a whole app (every chart, in dependency order). */
export type Cdk8sChartResourceArgs = RegistrationOptions & (
  | { readonly chart: Chart; readonly app?: never }
  | { readonly app: App; readonly chart?: never }
);

/** Splits `apiVersion` into group ('' for the core group) and version. */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/**
 * The key of an object in `resources`: `Kind[.group]:[namespace/]name`, like kubectl's `kind.group`
 * (e.g. `Deployment.apps:llm/qwen-kserve`, `Service:llm/qwen-kserve-workload-svc`, `Namespace:llm-demo`).
 * The version is left out: one object served at two versions is still one object.
 */
export function objectKey(obj: KubeObject): string {
  const { group } = splitApiVersion(obj.apiVersion);
  const name = obj.metadata?.name;
  if (!name) throw new Error(`cdk8s-llm-d-pulumi: a ${obj.apiVersion} ${obj.kind} has no metadata.name (generateName is not supported)`);
  const ns = obj.metadata.namespace;
  return `${obj.kind}${group ? `.${group}` : ''}:${ns ? `${ns}/` : ''}${name}`;
}

/** The Pulumi type token of an object, e.g. `kubernetes:apps/v1:Deployment`, `kubernetes:core/v1:Service`. */
export function typeToken(obj: KubeObject): string {
  const { group, version } = splitApiVersion(obj.apiVersion);
  return `kubernetes:${group || 'core'}/${version}:${obj.kind}`;
}

/** The synthesized objects of a chart or an app, without writing files. */
export function synthesize(args: { chart?: Chart; app?: App }): KubeObject[] {
  if (args.chart && args.app) throw new Error('cdk8s-llm-d-pulumi: pass either chart or app, not both');
  if (args.chart) return args.chart.toJson();
  if (args.app) return args.app.charts.flatMap((c) => c.toJson());
  throw new Error('cdk8s-llm-d-pulumi: pass a chart or an app');
}

type ResourceCtor = new (name: string, args: object, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;

/**
 * Core-group (`v1`) kinds use the typed class of `@pulumi/kubernetes` (`k8s.core.v1.Service`, …): it carries the
 * canonical token `kubernetes:core/v1:<Kind>` (a generic CustomResource would register `kubernetes:v1:<Kind>`) and
 * marks Secret data as secret. Every other group registers a `k8s.apiextensions.CustomResource`, whose token
 * `kubernetes:<group>/<version>:<Kind>` is already the canonical one.
 */
function resourceClass(obj: KubeObject): ResourceCtor {
  if (obj.apiVersion === 'v1') {
    const ctor = (k8s.core.v1 as unknown as Record<string, unknown>)[obj.kind];
    if (typeof ctor === 'function' && typeof (ctor as { isInstance?: unknown }).isInstance === 'function') return ctor as ResourceCtor;
  }
  return k8s.apiextensions.CustomResource as unknown as ResourceCtor;
}

const isCrd = (o: KubeObject) => o.kind === 'CustomResourceDefinition' && splitApiVersion(o.apiVersion).group === 'apiextensions.k8s.io';
const isNamespace = (o: KubeObject) => o.kind === 'Namespace' && o.apiVersion === 'v1';

/**
 * Registers one child resource per object under `parent`, and returns them by {@link objectKey} (placeholders of
 * `options.inputs` read `{label}` there).
 *
 * Order and dependencies: CustomResourceDefinitions first, then Namespaces, then the rest in synthesized order.
 * An object whose API group is defined by a CRD of the same set (`spec.group`) depends on that CRD; a namespaced
 * object depends on its Namespace when the set contains it. Every child also gets the component's `dependsOn` and
 * kubernetes provider, and the options `resourceOptions` gives for it.
 */
export function registerObjects(
  parent: pulumi.ComponentResource,
  name: string,
  objects: KubeObject[],
  options: RegistrationOptions,
  opts: pulumi.ComponentResourceOptions | undefined,
): Record<string, pulumi.CustomResource> {
  const prefix = options.resourcePrefix ?? name;
  // Placeholders of names given as Inputs (InputNames.ref) become Outputs here and read `{label}` in keys.
  const inputs = new InputNames();
  // The component's kubernetes provider: its `provider`, its `providers` entry, or one inherited from its parent.
  const provider = parent.getProvider('kubernetes:core/v1:Service');
  const ordered = [...objects.filter(isCrd), ...objects.filter(isNamespace), ...objects.filter((o) => !isCrd(o) && !isNamespace(o))];
  const resources: Record<string, pulumi.CustomResource> = {};
  const crdsByGroup = new Map<string, pulumi.CustomResource[]>();
  const namespaces = new Map<string, pulumi.CustomResource>();

  for (const obj of ordered) {
    const key = inputs.describe(objectKey(obj));
    if (resources[key]) throw new Error(`cdk8s-llm-d-pulumi: two objects have the key ${key} (same kind, group, namespace and name)`);
    const { group } = splitApiVersion(obj.apiVersion);
    const internal: pulumi.Resource[] = [];
    if (group && !isCrd(obj)) internal.push(...crdsByGroup.get(group) ?? []);
    const ns = obj.metadata.namespace;
    if (ns && namespaces.has(ns)) internal.push(namespaces.get(ns)!);

    const childOpts = pulumi.mergeOptions(
      pulumi.mergeOptions({ parent, provider, dependsOn: opts?.dependsOn }, internal.length > 0 ? { dependsOn: internal } : {}),
      options.resourceOptions?.(obj, key) ?? {},
    ) as pulumi.CustomResourceOptions;
    const args = options.skipAwait
      ? { ...obj, metadata: { ...obj.metadata, annotations: { ...obj.metadata.annotations, 'pulumi.com/skipAwait': 'true' } } }
      : obj;
    const Ctor = resourceClass(obj);
    const resource = new Ctor(prefix ? `${prefix}:${key}` : key, inputs.resolveObject(args, key), childOpts);
    resources[key] = resource;

    if (isCrd(obj)) {
      const crdGroup = (obj.spec as { group?: string } | undefined)?.group;
      if (crdGroup) crdsByGroup.set(crdGroup, [...crdsByGroup.get(crdGroup) ?? [], resource]);
    }
    if (isNamespace(obj)) namespaces.set(obj.metadata.name!, resource);
  }
  return resources;
}

/**
 * Deploys a cdk8s chart (or every chart of an app) with Pulumi: synthesizes it in-process and registers one
 * child resource per Kubernetes object, with its real type token (`kubernetes:apps/v1:Deployment`,
 * `kubernetes:inference.networking.k8s.io/v1:InferencePool`, …), so previews, diffs and `pulumi state` show each
 * object. See {@link registerObjects} for ordering and dependencies. Names that come from other Pulumi resources go
 * into the chart as `new InputNames().ref(output, label)` and are resolved at registration.
 */
export class Cdk8sChartResource extends pulumi.ComponentResource {
  /** The Pulumi type token. */
  public static readonly TYPE = 'cdk8s-llm-d:index:Chart';

  /** The synthesized objects. */
  public readonly objects: KubeObject[];
  /** One child resource per object, by {@link objectKey} (e.g. `Deployment.apps:llm/qwen-kserve`). */
  public readonly resources: Record<string, pulumi.CustomResource>;

  constructor(name: string, args: Cdk8sChartResourceArgs, opts?: pulumi.ComponentResourceOptions) {
    super(Cdk8sChartResource.TYPE, name, {}, opts);
    this.objects = synthesize(args);
    this.resources = registerObjects(this, name, this.objects, args, opts);
    this.registerOutputs({});
  }
}
