import { isIP } from 'net';
import { Construct } from 'constructs';
import * as k8s from '../imports/k8s';
import { FieldContext } from '../internal/context';
import { checkArgs } from '../internal/prop-check';
import { LabelKeys, WiringLabels } from '../wiring/labels';
import { ResourceNames } from '../wiring/names';
import { Ports } from '../wiring/ports';

enum PeerKind { ANYWHERE = 'anywhere', CLUSTER = 'cluster', NAMESPACE = 'namespace', PODS = 'pods', CIDR = 'cidr' }


/**
 * Who may open a connection to (or receive one from) the stack's pods: one entry of a NetworkPolicy `from`/`to` list.
 */
export class NetworkPeer {
  /** Any source or destination, in or outside the cluster (the rule has no `from`/`to`). */
  public static anywhere(): NetworkPeer {
    return new NetworkPeer(PeerKind.ANYWHERE);
  }

  /** Any pod in any namespace of the cluster (`namespaceSelector: {}`), nothing outside it. */
  public static cluster(): NetworkPeer {
    return new NetworkPeer(PeerKind.CLUSTER);
  }

  /** Every pod of one namespace (selected by its `kubernetes.io/metadata.name` label). */
  public static namespace(name: string): NetworkPeer {
    checkArgs('NetworkPeer.namespace', arguments);
    return new NetworkPeer(PeerKind.NAMESPACE, name);
  }

  /**
   * Pods with these labels, in `namespace` or (without one) in the stack's own namespace; e.g. a gateway's proxy
   * pods `{ 'gateway.networking.k8s.io/gateway-name': 'inference-gateway' }` in `gateway-system`.
   */
  public static pods(labels: Record<string, string>, namespace?: string): NetworkPeer {
    checkArgs('NetworkPeer.pods', arguments);
    return new NetworkPeer(PeerKind.PODS, namespace, labels);
  }

  /** An IP block (`ipBlock.cidr`, with optional `except` blocks), e.g. a load balancer's health-check range. */
  public static cidr(cidr: string, except?: string[]): NetworkPeer {
    checkArgs('NetworkPeer.cidr', arguments);
    return new NetworkPeer(PeerKind.CIDR, undefined, undefined, cidr, except);
  }

  /** The cluster DNS: pods `k8s-app: kube-dns` in `kube-system` (egress rules only). */
  public static kubeDns(): NetworkPeer {
    return NetworkPeer.pods({ [LabelKeys.KUBE_DNS_APP]: 'kube-dns' }, 'kube-system');
  }

  private constructor(
    private readonly kind: PeerKind,
    private readonly namespaceName?: string,
    private readonly labels?: Record<string, string>,
    private readonly block?: string,
    private readonly except?: string[],
  ) {}

  /** Whether the peer admits every source (a rule with this peer needs no `from`). @internal */
  public get _isAnywhere(): boolean {
    return this.kind === PeerKind.ANYWHERE;
  }

  /** Check the peer's values. @internal */
  public _validate(ctx: FieldContext, field: string): void {
    if (!(this instanceof NetworkPeer)) throw ctx.error(field, this, 'must be a NetworkPeer', 'use NetworkPeer.namespace(...), NetworkPeer.pods(...), NetworkPeer.cidr(...), …');
    ctx.dnsLabel(field, this.namespaceName, 'is not a namespace name (a DNS-1123 label of at most 63 characters)', "use a namespace such as 'gateway-system'");
    if (this.labels !== undefined && Object.keys(this.labels).length === 0) {
      throw ctx.error(field, this.labels, 'selects pods by no label, so it would admit every pod of the namespace', 'give the pods\' labels, or use NetworkPeer.namespace(...) to mean every pod');
    }
    if (this.kind === PeerKind.CIDR) {
      for (const [i, block] of [this.block, ...(this.except ?? [])].entries()) {
        if (!isCidr(block)) {
          throw ctx.error(i === 0 ? `${field}.cidr` : `${field}.except[${i - 1}]`, block, 'is not a CIDR block', "write an address and prefix length, e.g. '10.0.0.0/8' or 'fd00::/8'");
        }
      }
    }
  }

  /** The NetworkPolicy peer (undefined for {@link NetworkPeer.anywhere}). @internal */
  public _render(): k8s.NetworkPolicyPeer | undefined {
    switch (this.kind) {
      case PeerKind.ANYWHERE: return undefined;
      case PeerKind.CLUSTER: return { namespaceSelector: {} };
      case PeerKind.NAMESPACE: return { namespaceSelector: { matchLabels: { [LabelKeys.NAMESPACE_NAME]: this.namespaceName! } } };
      case PeerKind.PODS: return {
        podSelector: { matchLabels: { ...this.labels } },
        namespaceSelector: this.namespaceName !== undefined ? { matchLabels: { [LabelKeys.NAMESPACE_NAME]: this.namespaceName } } : undefined,
      };
      case PeerKind.CIDR: return { ipBlock: { cidr: this.block!, except: this.except } };
    }
  }
}

function isCidr(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const m = /^([^/]+)\/(\d{1,3})$/.exec(value);
  if (!m) return false;
  const family = isIP(m[1]);
  return family !== 0 && Number(m[2]) <= (family === 4 ? 32 : 128);
}

/** Options of {@link NetworkPolicies.derived}. */
export interface NetworkPolicyOptions {
  /**
   * Who calls the stack's public ports: the gateway's proxy pods (InferencePool target ports, the EPP's ext-proc
   * port), clients of the workload Service without a scheduler, or clients of the standalone Envoy. Managed
   * gateways (GKE) reach pods from load-balancer ranges rather than pods, so the default admits any source.
   * @default [NetworkPeer.anywhere()]
   */
  readonly clients?: NetworkPeer[];
  /**
   * Who scrapes the model servers' metrics ports (also vLLM behind the routing sidecar) and the EPP's `metrics`. vLLM serves
   * its whole API on its metrics port, so name your Prometheus here rather than the whole cluster.
   * @default - with the stack's `monitoring`: `gmp-system` for Monitoring.gke(), NetworkPeer.cluster() for the
   * Prometheus operator; without monitoring no one (those ports stay closed)
   */
  readonly monitoring?: NetworkPeer[];
  /**
   * Also restrict egress (`policyTypes: [Ingress, Egress]`): DNS, the flows inside the stack, the API server for
   * the EPP and the routing sidecar, model downloads and the tracing collector; everything else is dropped.
   * @default false (ingress only: outbound connections are not restricted)
   */
  readonly egress?: boolean;
  /**
   * The API server, for the EPP and the routing sidecar (egress only); its address is not known at synth time.
   * @default [NetworkPeer.anywhere()] on ports 443 and 6443
   */
  readonly apiServer?: NetworkPeer[];
  /**
   * Where model weights and tokenizers are downloaded from over HTTPS (egress only).
   * @default [NetworkPeer.anywhere()] on port 443
   */
  readonly modelDownload?: NetworkPeer[];
  /**
   * The cluster DNS (egress only).
   * @default [NetworkPeer.kubeDns()]
   */
  readonly dns?: NetworkPeer[];
}

/** Everything the network policies of one stack derive from: its pods and the flows between them. @internal */
export interface StackFlows {
  readonly serviceName: string;
  readonly namespace?: string;
  /** `app.kubernetes.io/component` values of every serving pod (Deployment pods, LeaderWorkerSet leaders and workers). */
  readonly servingComponents: string[];
  /** The public ports of every serving pod (the InferencePool's target ports; the workload Service port). */
  readonly publicPorts: number[];
  /** Names of the ports the model servers expose `/metrics` on. */
  readonly metricsPortNames: string[];
  /** Who scrapes, when the stack has monitors. */
  readonly scrapers?: NetworkPeer[];
  /** Serving pods talk to each other (P/D KV transfer, LeaderWorkerSet groups). */
  readonly intraStack: boolean;
  /** Serving pods call the API server (the routing sidecar watches pods and the pool). */
  readonly servingNeedsApiServer: boolean;
  /** The EPP, when the stack has a scheduler. */
  readonly endpointPicker?: {
    readonly podSelector: Record<string, string>;
    /** Its ext-proc port is called by the gateway (not in standalone mode). */
    readonly routed: boolean;
    /** Standalone mode: clients call the Envoy beside the EPP. */
    readonly standalone: boolean;
    /** The EPP's ZMQ port for centralized KV events (serving pods publish to it). */
    readonly kvEventsPort?: number;
  };
  /** Serving pods' KV-events publisher port the EPP dials (pod-discovery mode). */
  readonly podKvEventsPort?: number;
  /** The tokenizer the EPP calls, when the stack runs one. */
  readonly tokenizerSelector?: Record<string, string>;
  /** The OTLP collector port, when tracing is on. */
  readonly tracingPort?: number;
}

const NETWORK_POLICY_COMPONENT = 'llminferenceservice-network-policy';

enum Mode { DERIVED = 'derived', NONE = 'none' }

/**
 * NetworkPolicies derived from the wiring: every pod the stack creates (model servers, EPP, tokenizer) denies
 * ingress except the flows that exist — clients → public ports, EPP → model servers, model server ↔ model server
 * inside the stack (P/D KV transfer, LeaderWorkerSet groups: NIXL/UCX and NCCL open ephemeral ports, so these
 * rules admit every port between the stack's own serving pods), EPP ↔ KV events, EPP → tokenizer and
 * monitoring → metrics ports. Kubelet probes come from the node and are not subject to these policies on common
 * CNIs (Calico, Cilium, GKE Dataplane V2).
 */
export class NetworkPolicies {
  /** Policies derived from the stack's wiring (the default of every pattern). */
  public static derived(options?: NetworkPolicyOptions): NetworkPolicies {
    checkArgs('NetworkPolicies.derived', arguments);
    return new NetworkPolicies(Mode.DERIVED, options ?? {});
  }

  /** No NetworkPolicies (every pod of the stack accepts any connection, as without this library's policies). */
  public static none(): NetworkPolicies {
    return new NetworkPolicies(Mode.NONE, {});
  }

  private constructor(private readonly mode: Mode, private readonly options: NetworkPolicyOptions) {}

  /** Check the options. @internal */
  public _validate(ctx: FieldContext, field: string): void {
    if (!(this instanceof NetworkPolicies)) throw ctx.error(field, this, 'must be NetworkPolicies', 'use NetworkPolicies.derived() or NetworkPolicies.none()');
    if (this.mode === Mode.NONE) return;
    const o = this.options;
    for (const key of ['clients', 'monitoring', 'apiServer', 'modelDownload', 'dns'] as const) {
      const peers = o[key];
      if (peers === undefined) continue;
      if (!Array.isArray(peers)) throw ctx.error(`${field}.${key}`, peers, 'must be a list of NetworkPeer', 'use e.g. [NetworkPeer.namespace(\'gateway-system\')]');
      if (peers.length === 0) {
        throw ctx.error(`${field}.${key}`, peers, `admits no peer, so it would block a flow the stack needs (${PURPOSE[key]})`,
          'name at least one peer (NetworkPeer.anywhere() admits any), or turn policies off with NetworkPolicies.none()');
      }
      peers.forEach((p, i) => NetworkPeer.prototype._validate.call(p, ctx, `${field}.${key}[${i}]`));
    }
    if ((o.apiServer || o.modelDownload || o.dns) && !o.egress) {
      throw ctx.error(`${field}.egress`, o.egress, 'apiServer, modelDownload and dns describe egress rules, which are only written with egress: true',
        'set egress: true, or drop those options');
    }
  }

  /** Write the stack's policies. @internal */
  public _bind(scope: Construct, flows: StackFlows): k8s.KubeNetworkPolicy[] {
    if (this.mode === Mode.NONE) return [];
    const o = this.options;
    const clients = o.clients ?? [NetworkPeer.anywhere()];
    const monitoring = o.monitoring ?? flows.scrapers;
    const names = ResourceNames.of(flows.serviceName);
    // every serving pod, LeaderWorkerSet workers included (they carry no kserve.io/component)
    const serving: k8s.LabelSelector = {
      matchLabels: { [LabelKeys.NAME]: flows.serviceName, [LabelKeys.PART_OF]: WiringLabels.workloadSelector(flows.serviceName)[LabelKeys.PART_OF] },
      matchExpressions: [{ key: LabelKeys.COMPONENT, operator: 'In', values: [...flows.servingComponents] }],
    };
    const epp = flows.endpointPicker;
    const tcp = (ports: Array<number | string>): k8s.NetworkPolicyPort[] => ports.map((p) => ({
      protocol: 'TCP', port: typeof p === 'number' ? k8s.IntOrString.fromNumber(p) : k8s.IntOrString.fromString(p),
    }));
    const fromPeers = (peers: NetworkPeer[]): k8s.NetworkPolicyPeer[] | undefined =>
      peers.some((p) => p._isAnywhere) ? undefined : peers.map((p) => p._render()!);
    const samePods = (selector: Record<string, string> | k8s.LabelSelector): k8s.NetworkPolicyPeer =>
      ({ podSelector: 'matchLabels' in selector || 'matchExpressions' in selector ? selector as k8s.LabelSelector : { matchLabels: { ...selector as Record<string, string> } } });

    // model servers
    const servingIngress: k8s.NetworkPolicyIngressRule[] = [];
    if (!epp?.standalone) servingIngress.push({ from: fromPeers(clients), ports: tcp(flows.publicPorts) });
    const eppToServing = [...flows.publicPorts, ...(flows.podKvEventsPort !== undefined ? [flows.podKvEventsPort] : [])];
    if (epp) servingIngress.push({ from: [samePods(epp.podSelector)], ports: tcp(eppToServing) });
    if (flows.intraStack) servingIngress.push({ from: [samePods(serving)] });
    // all metrics ports, public ones too: restricted clients must not shut Prometheus out
    if (monitoring && flows.metricsPortNames.length > 0) servingIngress.push({ from: fromPeers(monitoring), ports: tcp(flows.metricsPortNames) });

    const egressOn = o.egress === true;
    const dns = o.dns ?? [NetworkPeer.kubeDns()];
    const dnsRule: k8s.NetworkPolicyEgressRule = {
      to: fromPeers(dns),
      ports: [{ protocol: 'UDP', port: k8s.IntOrString.fromNumber(Ports.DNS) }, { protocol: 'TCP', port: k8s.IntOrString.fromNumber(Ports.DNS) }],
    };
    const apiServer = o.apiServer ?? [NetworkPeer.anywhere()];
    const apiServerRule: k8s.NetworkPolicyEgressRule = { to: fromPeers(apiServer), ports: tcp([Ports.HTTPS, Ports.API_SERVER]) };
    const downloadRule: k8s.NetworkPolicyEgressRule = { to: fromPeers(o.modelDownload ?? [NetworkPeer.anywhere()]), ports: tcp([Ports.HTTPS]) };
    const tracingRule: k8s.NetworkPolicyEgressRule[] = flows.tracingPort !== undefined ? [{ ports: tcp([flows.tracingPort]) }] : [];

    const servingEgress: k8s.NetworkPolicyEgressRule[] = [dnsRule, downloadRule, ...tracingRule];
    if (flows.intraStack) servingEgress.push({ to: [samePods(serving)] });
    if (flows.servingNeedsApiServer) servingEgress.push(apiServerRule);
    if (epp?.kvEventsPort !== undefined) servingEgress.push({ to: [samePods(epp.podSelector)], ports: tcp([epp.kvEventsPort]) });

    const written = [this.write(scope, 'WorkloadNetworkPolicy', names.workloadNetworkPolicy, flows, serving, servingIngress, egressOn ? servingEgress : undefined)];

    if (epp) {
      const eppIngress: k8s.NetworkPolicyIngressRule[] = [];
      if (epp.routed) eppIngress.push({ from: fromPeers(clients), ports: tcp([Ports.EPP_GRPC]) });
      if (epp.standalone) eppIngress.push({ from: fromPeers(clients), ports: tcp([Ports.STANDALONE_PROXY]) });
      if (monitoring) eppIngress.push({ from: fromPeers(monitoring), ports: tcp([Ports.EPP_METRICS]) });
      if (epp.kvEventsPort !== undefined) eppIngress.push({ from: [samePods(serving)], ports: tcp([epp.kvEventsPort]) });
      const eppEgress: k8s.NetworkPolicyEgressRule[] = [dnsRule, apiServerRule, ...tracingRule,
        { to: [samePods(serving)], ports: tcp(eppToServing) }];
      if (flows.tokenizerSelector) eppEgress.push({ to: [samePods(flows.tokenizerSelector)], ports: tcp([Ports.SERVING]) });
      written.push(this.write(scope, 'SchedulerNetworkPolicy', names.schedulerNetworkPolicy, flows, { matchLabels: { ...epp.podSelector } }, eppIngress, egressOn ? eppEgress : undefined));
    }
    if (flows.tokenizerSelector && epp) {
      written.push(this.write(scope, 'TokenizerNetworkPolicy', names.tokenizerNetworkPolicy, flows, { matchLabels: { ...flows.tokenizerSelector } },
        [{ from: [samePods(epp.podSelector)], ports: tcp([Ports.SERVING]) }], egressOn ? [dnsRule, downloadRule] : undefined));
    }
    return written;
  }

  private write(scope: Construct, id: string, name: string, flows: StackFlows, podSelector: k8s.LabelSelector,
    ingress: k8s.NetworkPolicyIngressRule[], egress: k8s.NetworkPolicyEgressRule[] | undefined): k8s.KubeNetworkPolicy {
    return new k8s.KubeNetworkPolicy(scope, id, {
      metadata: { name, namespace: flows.namespace, labels: WiringLabels.component(flows.serviceName, NETWORK_POLICY_COMPONENT) },
      spec: {
        podSelector,
        policyTypes: egress ? ['Ingress', 'Egress'] : ['Ingress'],
        ingress,
        egress,
      },
    });
  }
}


const PURPOSE: Record<string, string> = {
  clients: 'the gateway or clients reaching the public ports',
  monitoring: 'Prometheus scraping the metrics ports',
  apiServer: 'the EPP and the routing sidecar watching the API server',
  modelDownload: 'the model servers downloading the model',
  dns: 'name resolution',
};
