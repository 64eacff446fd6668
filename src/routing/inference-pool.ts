import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import * as ip from '../imports/inference-pool';
import { FieldContext } from '../internal/context';
import { checkArgs } from '../internal/prop-check';
import { endPassUse, passMemo, registerSynthValidation, resolvedJson, usePass } from '../validation/synth-validation';
import { Versions } from '../versions';
import { LabelKeys, WorkloadComponents } from '../wiring/labels';
import { Ports } from '../wiring/ports';

/** What the EPP does when it cannot pick an endpoint. */
export enum FailureMode {
  /** Route anyway (to any endpoint) when the EPP is unavailable. The default of llm-d's charts and KServe. */
  FAIL_OPEN = 'FailOpen',
  /** Reject the request when the EPP is unavailable. The API default. */
  FAIL_CLOSE = 'FailClose',
}

/** The InferencePool API group/version. */
export class InferencePoolApi {
  /** `inference.networking.k8s.io/v1`: the current API; the EPP v0.10.0 watches only this group. */
  public static readonly V1 = new InferencePoolApi('inference.networking.k8s.io', 'v1');
  /** `inference.networking.x-k8s.io/v1alpha2`: the legacy API some gateways still route to. */
  public static readonly V1ALPHA2 = new InferencePoolApi('inference.networking.x-k8s.io', 'v1alpha2');

  private constructor(
    /** API group. */
    public readonly group: string,
    /** Version. */
    public readonly version: string,
  ) {}

  /** `group/version`. */
  public get apiVersion(): string {
    return `${this.group}/${this.version}`;
  }
}

/** An InferencePool that routes and objectives can point at. */
export interface IInferencePool {
  /** Pool name. */
  readonly poolName: string;
  /** API group of the pool (what an HTTPRoute backendRef and the EPP's `--pool-group` must name). */
  readonly poolGroup: string;
  /**
   * Namespace of the pool.
   * @default - the namespace of the objects that reference it
   */
  readonly poolNamespace?: string;
}

/** Props of {@link InferencePool}. */
export interface InferencePoolProps {
  /** Pool name (`N-inference-pool` in the patterns). */
  readonly name: string;
  /**
   * Namespace.
   * @default - the Chart's namespace
   */
  readonly namespace?: string;
  /** Labels that select the serving pods (same namespace only). Must not select the EPP. */
  readonly selector: Record<string, string>;
  /** Pod ports that serve requests; each pod × port is one endpoint (1–8 unique ports). */
  readonly targetPorts: number[];
  /** Name of the EPP Service. */
  readonly endpointPickerService: string;
  /**
   * Port of the EPP Service.
   * @default Ports.EPP_GRPC (9002)
   */
  readonly endpointPickerPort?: number;
  /**
   * What the gateway does when the EPP cannot answer.
   * @default FailureMode.FAIL_OPEN (llm-d's charts and KServe)
   */
  readonly failureMode?: FailureMode;
  /**
   * Also emit a legacy `inference.networking.x-k8s.io/v1alpha2` pool with the same name, for gateways that
   * only route to v1alpha2 (KServe creates both). The EPP keeps watching the v1 pool.
   * @default false
   */
  readonly legacyV1alpha2?: boolean;
  /**
   * Labels of the pool objects.
   * @default - none
   */
  readonly labels?: Record<string, string>;
}

const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/**
 * An InferencePool (`inference.networking.k8s.io/v1`): the set of model-server endpoints (pods × target ports)
 * behind one Endpoint Picker. Optionally mirrored as a legacy v1alpha2 pool.
 */
export class InferencePool extends Construct implements IInferencePool {
  /** A pool created elsewhere (another stack, a Helm chart). */
  public static fromName(name: string, api: InferencePoolApi = InferencePoolApi.V1, namespace?: string): IInferencePool {
    checkArgs('InferencePool.fromName', arguments);
    return { poolName: name, poolGroup: api.group, poolNamespace: namespace };
  }

  public readonly poolName: string;
  public readonly poolGroup: string = InferencePoolApi.V1.group;
  public readonly poolNamespace?: string;
  /** The v1 pool object. */
  public readonly apiObject: ApiObject;
  /** The legacy v1alpha2 pool object, when asked for. */
  public readonly legacyApiObject?: ApiObject;
  /** The selector of the pool. */
  public readonly selector: Record<string, string>;
  /** The target ports of the pool. */
  public readonly targetPorts: number[];

  constructor(scope: Construct, id: string, props: InferencePoolProps) {
    super(scope, id);
    checkArgs('InferencePool.constructor', arguments, this.node.path);
    registerSynthValidation(this);
    const ctx = new FieldContext(scope.node.path, 'pool');
    checkSelector(ctx, props.selector);
    checkTargetPorts(ctx, props.targetPorts);
    const port = props.endpointPickerPort ?? Ports.EPP_GRPC;
    this.poolName = props.name;
    this.poolNamespace = props.namespace;
    this.selector = { ...props.selector };
    this.targetPorts = [...props.targetPorts];
    const failureMode = props.failureMode ?? FailureMode.FAIL_OPEN;

    const spec: ip.InferencePoolSpec = {
      selector: { matchLabels: this.selector },
      targetPorts: this.targetPorts.map((number) => ({ number })),
      endpointPickerRef: {
        kind: 'Service',
        name: props.endpointPickerService,
        port: { number: port },
        failureMode: failureMode === FailureMode.FAIL_OPEN
          ? ip.InferencePoolSpecEndpointPickerRefFailureMode.FAIL_OPEN
          : ip.InferencePoolSpecEndpointPickerRefFailureMode.FAIL_CLOSE,
      },
    };
    const metadata = { name: props.name, namespace: props.namespace, labels: props.labels };
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: Versions.INFERENCE_POOL_API,
      kind: 'InferencePool',
      metadata,
      spec: ip.toJson_InferencePoolSpec(spec),
    });
    usePass(this);
    this.node.addValidation({
      validate: () => {
        try {
          return this.validateSelection();
        } finally {
          endPassUse(this);
        }
      },
    });
    if (props.legacyV1alpha2) {
      this.legacyApiObject = new ApiObject(this, 'LegacyResource', {
        apiVersion: Versions.INFERENCE_POOL_LEGACY_API,
        kind: 'InferencePool',
        metadata,
        spec: {
          selector: this.selector,
          targetPortNumber: this.targetPorts[0],
          extensionRef: { kind: 'Service', name: props.endpointPickerService, portNumber: port, failureMode },
        },
      });
    }
  }

  /**
   * Select other pods instead (a pool shared by several services); both pool objects follow.
   * @internal
   */
  public _reselect(selector: Record<string, string>): void {
    checkSelector(new FieldContext(this.node.path, 'pool'), selector);
    const own = this.selector as Record<string, string>;
    for (const k of Object.keys(own)) delete own[k];
    Object.assign(own, selector);
    this.apiObject.addJsonPatch(JsonPatch.replace('/spec/selector', { matchLabels: { ...selector } }));
    this.legacyApiObject?.addJsonPatch(JsonPatch.replace('/spec/selector', { ...selector }));
  }

  /** The selector must pick some serving pod of the chart and never an EPP pod (llm-d-wiring.md invariant 1). */
  private validateSelection(): string[] {
    const chart = Chart.of(this);
    const ns = this.poolNamespace ?? chart.namespace;
    // Every pool of the app looks at the same workloads: resolved and read once per validation pass.
    const byLabel = passMemo(this, `inference-pool/pod-templates/${JSON.stringify(ns ?? null)}`, () => indexByLabel(podTemplatesOf(
      this.node.root.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject)
        .filter((o) => ['Deployment', 'StatefulSet', 'ReplicaSet', 'DaemonSet', 'LeaderWorkerSet'].includes(o.kind))
        .filter((o) => (o.metadata.namespace ?? Chart.of(o).namespace) === ns)
        .map((o) => resolvedJson(o)))));
    const matches = (labels: Record<string, string>) => Object.entries(this.selector).every(([k, v]) => labels[k] === v);
    // the templates carrying the selector's rarest label (labels every service shares would make this a scan of
    // the app per pool), in order; the selector has at least one
    const selected = (byLabel.get(rarestLabel(this.selector, byLabel)) ?? []).filter((t) => matches(t.labels));
    const errors: string[] = [];
    const shown = JSON.stringify(this.selector);
    if (selected.length === 0) {
      errors.push(`pool.selector = ${shown}: matches no pod template in namespace ${ns ?? '(default)'} of this app, so the pool would stay empty. Fix: select the serving pods' labels (e.g. LlmService.selectorLabels)`);
    }
    for (const t of selected.filter((x) => x.containers.includes('epp'))) {
      errors.push(`pool.selector = ${shown}: also selects the Endpoint Picker pods of ${t.owner}, which would receive inference traffic. Fix: select only serving pods (${LabelKeys.KSERVE_COMPONENT}: ${WorkloadComponents.KSERVE_WORKLOAD})`);
    }
    // Pools stay disjoint: two EPPs picking among the same pods each see only part of their load. The pools of the
    // namespace are indexed once per validation pass by their selector's rarest label (a template a pool selects
    // carries every label of its selector, so also that one), so each pool looks only at the pools that could select
    // one of its own templates.
    const poolsByLabel = passMemo(this, `inference-pool/pools/${JSON.stringify(ns ?? null)}`, () => {
      const index = new Map<string, { pool: InferencePool; order: number }[]>();
      this.node.root.node.findAll().filter((c): c is InferencePool => c instanceof InferencePool && (c.poolNamespace ?? Chart.of(c).namespace) === ns)
        .forEach((pool, order) => {
          const key = rarestLabel(pool.selector, byLabel);
          const list = index.get(key);
          if (list) list.push({ pool, order });
          else index.set(key, [{ pool, order }]);
        });
      return index;
    });
    const candidates = new Map<InferencePool, number>();
    for (const t of selected) {
      for (const [k, v] of Object.entries(t.labels)) {
        for (const c of poolsByLabel.get(labelIndexKey(k, v)) ?? []) {
          if (c.pool !== this && c.pool.poolName !== this.poolName) candidates.set(c.pool, c.order);
        }
      }
    }
    const others = [...candidates.entries()].sort((a, b) => a[1] - b[1]).map(([pool]) => pool);
    for (const other of others) {
      const shared = selected.filter((t) => Object.entries(other.selector).every(([k, v]) => t.labels[k] === v));
      if (shared.length > 0 && this.poolName < other.poolName) {
        errors.push(`pool.selector = ${shown}: selects the pods of ${shared.map((t) => t.owner).join(', ')}, which InferencePool ${other.poolName} selects too, so two EPPs would each route to them seeing only part of their load. `
          + 'Fix: give each pool its own services\' pods (one pool over several services: joinPool)');
      }
    }
    return errors;
  }
}

type PodTemplate = { owner: string; labels: Record<string, string>; containers: string[] };

function labelIndexKey(key: string, value: unknown): string {
  return JSON.stringify([key, value]);
}

/** The `labelIndexKey` of the selector's label that the fewest pod templates carry (the first of equals). */
function rarestLabel(selector: Record<string, string>, byLabel: Map<string, PodTemplate[]>): string {
  let best: string | undefined;
  let fewest = Infinity;
  for (const [k, v] of Object.entries(selector)) {
    const key = labelIndexKey(k, v);
    const n = byLabel.get(key)?.length ?? 0;
    if (n < fewest) {
      best = key;
      fewest = n;
    }
  }
  return best!;
}

/** Pod templates by each of their labels (`labelIndexKey`), in their order. */
function indexByLabel(templates: PodTemplate[]): Map<string, PodTemplate[]> {
  const out = new Map<string, PodTemplate[]>();
  for (const t of templates) {
    for (const [k, v] of Object.entries(t.labels)) {
      const key = labelIndexKey(k, v);
      const list = out.get(key);
      if (list) list.push(t);
      else out.set(key, [t]);
    }
  }
  return out;
}

/** Pod templates of workload objects in a chart: [owner path, pod labels, container names]. @internal */
function podTemplatesOf(objs: any[]): { owner: string; labels: Record<string, string>; containers: string[] }[] {
  const out: { owner: string; labels: Record<string, string>; containers: string[] }[] = [];
  const add = (o: any, t: any) => t && out.push({
    owner: `${o.kind}/${o.metadata?.name}`,
    labels: t.metadata?.labels ?? {},
    containers: (t.spec?.containers ?? []).map((c: any) => c.name),
  });
  for (const o of objs) {
    if (['Deployment', 'StatefulSet', 'ReplicaSet', 'DaemonSet'].includes(o.kind)) add(o, o.spec?.template);
    if (o.kind === 'LeaderWorkerSet') {
      add(o, o.spec?.leaderWorkerTemplate?.leaderTemplate);
      add(o, o.spec?.leaderWorkerTemplate?.workerTemplate);
    }
  }
  return out;
}

function checkSelector(ctx: FieldContext, selector: Record<string, string>): void {
  const entries = Object.entries(selector ?? {});
  if (entries.length === 0 || entries.length > 64) {
    throw ctx.error('selector', selector, 'must have 1 to 64 labels (an empty selector would match every pod, the EPP included)', 'select the serving pods by their wiring labels');
  }
  for (const [k, v] of entries) {
    if (!LABEL_KEY.test(k) || !LABEL_VALUE.test(v)) throw ctx.error(`selector["${k}"]`, v, 'is not a valid label', 'use Kubernetes label syntax');
  }
}

function checkTargetPorts(ctx: FieldContext, ports: number[]): void {
  if (!ports || ports.length < 1 || ports.length > Ports.MAX_POOL_TARGET_PORTS) {
    throw ctx.error('targetPorts', ports, `must list 1 to ${Ports.MAX_POOL_TARGET_PORTS} ports (the CRD limit)`, `serve at most ${Ports.MAX_POOL_TARGET_PORTS} ranks per pod behind one pool`);
  }
  ports.forEach((p, i) => {
    if (!Ports.isValidPort(p)) throw ctx.error(`targetPorts[${i}]`, p, 'is not a TCP port', `use 1..${Ports.MAX_PORT}`);
    if (ports.indexOf(p) !== i) throw ctx.error(`targetPorts[${i}]`, p, 'is listed twice', 'list each port once');
  });
}
