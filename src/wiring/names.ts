import { createHash } from 'crypto';

const LONGEST = 63;
const HEAD = 31;
/**
 * The longest LeaderWorkerSet name whose pods can be created. The LWS controller runs each group's workers as a
 * StatefulSet `<lws>-<group>`, and the StatefulSet controller labels its pods `controller-revision-hash:
 * <statefulset>-<hash of up to 10 characters>`, a label value of at most 63 characters: 63 − 11 − 4 (`-<group>`
 * for up to 1000 groups) = 48. KServe's `ChildName(N, "-kserve-mn")` is used exactly up to this length.
 */
const LWS_NAME_MAX = 48;

/**
 * Object names of the wiring contract. They follow the KServe LLMInferenceService controller: every child
 * name is `ChildName(N, suffix)`, which keeps names within 63 characters by hashing instead of truncating.
 */
export class ResourceNames {
  /** Name of the pod's DRA claim (`spec.resourceClaims[].name`) that the model-server container claims (KServe's). */
  public static readonly DRA_POD_CLAIM = 'managed-device';
  /** Name of the device request inside the DRA claim (KServe's). */
  public static readonly DRA_DEVICE_REQUEST = 'device';

  /**
   * knative `kmeta.ChildName(parent, suffix)` as used by KServe: `parent + suffix` when that fits in 63
   * characters, otherwise a prefix of the parent, the md5 of the parent and the suffix.
   */
  public static childName(parent: string, suffix: string): string {
    if (parent.length + suffix.length <= LONGEST) return parent + suffix;
    if (suffix.length < HEAD) {
      const md5 = createHash('md5').update(parent).digest('hex');
      return parent.slice(0, HEAD - suffix.length) + md5 + suffix;
    }
    const h = createHash('md5').update(parent + suffix).digest('hex');
    let ret = parent.slice(0, HEAD) + h;
    if (ret.length < LONGEST) ret += suffix.slice(0, LONGEST - ret.length);
    return ret.replace(/[^a-zA-Z0-9]+$/, '');
  }

  /**
   * Like {@link childName} but at most `max` characters, shortening with an 8-character md5 prefix. Used for
   * LeaderWorkerSets, whose StatefulSets and pods append `-<group>[-<worker>]` and a revision hash that must still fit
   * in 63-character names and label values.
   */
  public static boundedChildName(parent: string, suffix: string, max: number): string {
    if (parent.length + suffix.length <= max) return parent + suffix;
    const md5 = createHash('md5').update(parent).digest('hex').slice(0, 8);
    return parent.slice(0, Math.max(1, max - suffix.length - 8)).replace(/-+$/, '') + md5 + suffix;
  }

  /** Monitor of a workload's model servers: `<workload>-metrics`. */
  public static workloadMonitor(workload: string): string {
    return ResourceNames.childName(workload, '-metrics');
  }

  /** Names for the service named `name`. */
  public static of(name: string): ResourceNames {
    return new ResourceNames(name);
  }

  private constructor(
    /** The LLM service name (`N`). */
    public readonly parent: string,
  ) {}

  /** Main (or decode) Deployment: `N-kserve`. */
  public get mainDeployment(): string {
    return ResourceNames.childName(this.parent, '-kserve');
  }

  /** Prefill Deployment: `N-kserve-prefill`. */
  public get prefillDeployment(): string {
    return ResourceNames.childName(this.parent, '-kserve-prefill');
  }

  /**
   * Main (or decode) LeaderWorkerSet: `N-kserve-mn` (KServe's name), hashed to 48 characters when longer (a longer
   * name leaves the group's worker pods uncreatable).
   */
  public get mainLeaderWorkerSet(): string {
    return ResourceNames.boundedChildName(this.parent, '-kserve-mn', LWS_NAME_MAX);
  }

  /** Prefill LeaderWorkerSet: `N-kserve-mn-prefill` (KServe's name), hashed to 48 characters when longer. */
  public get prefillLeaderWorkerSet(): string {
    return ResourceNames.boundedChildName(this.parent, '-kserve-mn-prefill', LWS_NAME_MAX);
  }

  /** ServiceAccount of the main (or decode) LeaderWorkerSet's pods: `N-kserve-mn`, KServe's name at any length. */
  public get mainGroupServiceAccount(): string {
    return ResourceNames.childName(this.parent, '-kserve-mn');
  }

  /** ServiceAccount of the prefill LeaderWorkerSet's pods: `N-kserve-mn-prefill`, KServe's name at any length. */
  public get prefillGroupServiceAccount(): string {
    return ResourceNames.childName(this.parent, '-kserve-mn-prefill');
  }

  /** Workload Service selecting every serving pod: `N-kserve-workload-svc`. */
  public get workloadService(): string {
    return ResourceNames.childName(this.parent, '-kserve-workload-svc');
  }

  /** InferencePool (both API groups): `N-inference-pool`. */
  public get inferencePool(): string {
    return ResourceNames.childName(this.parent, '-inference-pool');
  }

  /** ResourceClaimTemplate of the DRA-claimed accelerators (KServe's managed DRA): `N-managed-dra`. */
  public get managedDra(): string {
    return ResourceNames.childName(this.parent, '-managed-dra');
  }

  /** ResourceClaimTemplate of the prefill pods when their DRA claim differs from decode's: `N-prefill-managed-dra`. */
  public get prefillManagedDra(): string {
    return ResourceNames.childName(this.parent, '-prefill-managed-dra');
  }

  /** EPP Deployment: `N-kserve-router-scheduler`. */
  public get schedulerDeployment(): string {
    return ResourceNames.childName(this.parent, '-kserve-router-scheduler');
  }

  /** EPP Service: `N-epp-service`. */
  public get schedulerService(): string {
    return ResourceNames.childName(this.parent, '-epp-service');
  }

  /** EPP ServiceAccount: `N-epp-sa`. */
  public get schedulerServiceAccount(): string {
    return ResourceNames.childName(this.parent, '-epp-sa');
  }

  /** EPP Role: `N-epp-role`. */
  public get schedulerRole(): string {
    return ResourceNames.childName(this.parent, '-epp-role');
  }

  /** EPP RoleBinding: `N-epp-rb`. */
  public get schedulerRoleBinding(): string {
    return ResourceNames.childName(this.parent, '-epp-rb');
  }

  /** EPP config ConfigMap: `N-epp-config`. */
  public get schedulerConfig(): string {
    return ResourceNames.childName(this.parent, '-epp-config');
  }

  /** Standalone Envoy config ConfigMap beside the EPP: `N-epp-envoy`. */
  public get standaloneProxyConfig(): string {
    return ResourceNames.childName(this.parent, '-epp-envoy');
  }

  /**
   * Cluster-scoped metrics-auth ClusterRoleBinding of the EPP: `<namespace>-N-epp-auth-rb` (the namespace keeps
   * services of the same name in different namespaces apart).
   */
  public schedulerAuthDelegatorBinding(namespace: string): string {
    return ResourceNames.childName(namespace, `-${this.parent}-epp-auth-rb`);
  }

  /** Routing sidecar Role (reads pods and the pool): `N-kserve-role`. */
  public get sidecarRole(): string {
    return ResourceNames.childName(this.parent, '-kserve-role');
  }

  /** Routing sidecar RoleBinding: `N-kserve-rb`. */
  public get sidecarRoleBinding(): string {
    return ResourceNames.childName(this.parent, '-kserve-rb');
  }

  /** Routing sidecar Role of LeaderWorkerSet decode pods: `N-kserve-mn-role`. */
  public get multiNodeSidecarRole(): string {
    return ResourceNames.childName(this.parent, '-kserve-mn-role');
  }

  /** Routing sidecar RoleBinding of LeaderWorkerSet decode pods: `N-kserve-mn-rb`. */
  public get multiNodeSidecarRoleBinding(): string {
    return ResourceNames.childName(this.parent, '-kserve-mn-rb');
  }

  /** ReferenceGrant that lets route `N` reach a pool in another namespace: `N-route-to-pool`. */
  public get routeReferenceGrant(): string {
    return ResourceNames.childName(this.parent, '-route-to-pool');
  }

  /** Tokenizer (render) Deployment and Service of precise prefix-cache routing: `N-tokenizer`. */
  public get tokenizer(): string {
    return ResourceNames.childName(this.parent, '-tokenizer');
  }

  /** Managed HTTPRoute: `N-kserve-route`. */
  public get httpRoute(): string {
    return ResourceNames.childName(this.parent, '-kserve-route');
  }

  /** HorizontalPodAutoscaler of a role's workload: `N-kserve-hpa`, prefill `N-kserve-prefill-hpa` (KServe's names). */
  public horizontalPodAutoscaler(prefill: boolean): string {
    return ResourceNames.childName(this.parent, prefill ? '-kserve-prefill-hpa' : '-kserve-hpa');
  }

  /** KEDA ScaledObject of a role's workload: `N-kserve-keda`, prefill `N-kserve-prefill-keda` (KServe's names). */
  public scaledObject(prefill: boolean): string {
    return ResourceNames.childName(this.parent, prefill ? '-kserve-prefill-keda' : '-kserve-keda');
  }

  /** PodDisruptionBudget of a role's workload: `N-kserve-pdb`, prefill `N-kserve-prefill-pdb`. */
  public disruptionBudget(prefill: boolean): string {
    return ResourceNames.childName(this.parent, prefill ? '-kserve-prefill-pdb' : '-kserve-pdb');
  }

  /** Monitor of the EPP: `N-epp-metrics`. */
  public get schedulerMonitor(): string {
    return ResourceNames.childName(this.parent, '-epp-metrics');
  }

  /** ServiceAccount whose token scrapes the EPP's authenticated /metrics: `N-epp-metrics-reader`. */
  public get metricsReaderServiceAccount(): string {
    return ResourceNames.childName(this.parent, '-epp-metrics-reader');
  }

  /** Token Secret of the metrics-reader ServiceAccount: `N-epp-metrics-reader-secret`. */
  public get metricsReaderSecret(): string {
    return ResourceNames.childName(this.parent, '-epp-metrics-reader-secret');
  }

  /** Cluster-scoped metrics-reader ClusterRole (namespace-qualified): `NS-N-epp-metrics-reader`. */
  public metricsReaderClusterRole(namespace: string): string {
    return ResourceNames.childName(namespace, `-${this.parent}-epp-metrics-reader`);
  }

  /** Binding of the metrics-reader ClusterRole: `<role>-rb`. */
  public metricsReaderClusterRoleBinding(namespace: string): string {
    return `${this.metricsReaderClusterRole(namespace)}-rb`;
  }

  /** NetworkPolicy of the serving pods: `N-kserve-netpol`. */
  public get workloadNetworkPolicy(): string {
    return ResourceNames.childName(this.parent, '-kserve-netpol');
  }

  /** NetworkPolicy of the EPP pods: `N-epp-netpol`. */
  public get schedulerNetworkPolicy(): string {
    return ResourceNames.childName(this.parent, '-epp-netpol');
  }

  /** cert-manager Certificate of the stack's serving TLS, and the Secret it writes: `N-kserve-tls`. */
  public get tlsCertificate(): string {
    return ResourceNames.childName(this.parent, '-kserve-tls');
  }

  /** BackendTLSPolicy telling gateways to speak TLS to the stack's pods: `N-kserve-backend-tls`. */
  public get backendTlsPolicy(): string {
    return ResourceNames.childName(this.parent, '-kserve-backend-tls');
  }

  /** NetworkPolicy of the tokenizer pods: `N-tokenizer-netpol`. */
  public get tokenizerNetworkPolicy(): string {
    return ResourceNames.childName(this.parent, '-tokenizer-netpol');
  }
}
