import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../imports/k8s';
import { FieldContext } from '../internal/context';
import { checkArgs } from '../internal/prop-check';
import { KvTransfer } from '../model/kv-transfer';
import { IInferencePool } from '../routing/inference-pool';
import { registerSynthValidation } from '../validation/synth-validation';
import { Versions } from '../versions';
import { WiringLabels } from '../wiring/labels';
import { ResourceNames } from '../wiring/names';
import { resolveNamespace } from '../wiring/namespace';
import { Ports } from '../wiring/ports';
import { restrictedSecurityContext } from '../wiring/security';
import { TlsFiles } from '../wiring/tls';

/** Props of {@link RoutingSidecar}. */
export interface RoutingSidecarProps {
  /** The LLM service name `N` (ServiceAccount `N-kserve`, Role `N-kserve-role`, RoleBinding `N-kserve-rb`). */
  readonly serviceName: string;
  /** How KV blocks travel (its sidecar connector protocol). */
  readonly kvTransfer: KvTransfer;
  /**
   * The pool whose endpoints the sidecar may forward prefill requests to (SSRF protection allowlist).
   * @default - no pool: SSRF protection off
   */
  readonly pool?: IInferencePool;
  /**
   * Namespace.
   * @default - the Chart's namespace
   */
  readonly namespace?: string;
  /**
   * Port of vLLM in the same pod.
   * @default Ports.VLLM_BEHIND_SIDECAR (8001)
   */
  readonly vllmPort?: number;
  /**
   * Data-parallel ranks served per pod: the sidecar listens on `port`..`port`+N-1 and forwards each to
   * `vllmPort`+i (`--data-parallel-size`).
   * @default 1
   */
  readonly ranks?: number;
  /**
   * Sidecar image.
   * @default Versions.ROUTING_SIDECAR_IMAGE
   */
  readonly image?: string;
  /**
   * The decode pods are LeaderWorkerSet pods: the ServiceAccount, Role and RoleBinding get KServe's multi-node
   * names `N-kserve-mn`, `N-kserve-mn-role` and `N-kserve-mn-rb`.
   * @default false (`N-kserve`, `N-kserve-role`, `N-kserve-rb`)
   */
  readonly multiNode?: boolean;
  /**
   * An existing ServiceAccount the decode pods run as: the Role is bound to it and no ServiceAccount is created.
   * @default - a ServiceAccount `N-kserve` (`N-kserve-mn` with `multiNode`) is created
   */
  readonly serviceAccountName?: string;
  /**
   * Serve HTTPS and speak TLS to the local vLLM and the prefill pods, with the certificate of the `tls-certs` volume
   * the pod provides (mounted at `/var/run/kserve/tls`). Both hops are encrypted, not verified: the local vLLM is on
   * loopback and prefill pods are addressed by IP, which certificates do not name.
   * @default false
   */
  readonly tls?: boolean;
}

/** Container name of the routing sidecar (KServe's). @internal */
export const ROUTING_SIDECAR_CONTAINER = 'llm-d-routing-sidecar';

/**
 * llm-d's P/D routing sidecar, run as a native sidecar (init container with `restartPolicy: Always`) in decode
 * pods: it owns the public port 8000, sends the prompt to the prefill pod the EPP chose, then calls local vLLM
 * on `--model-server-port` with the KV-transfer parameters. Creates the ServiceAccount, Role and RoleBinding its
 * SSRF protection needs (get/list/watch pods and inferencepools of the pool's group), namespaced.
 */
export class RoutingSidecar extends Construct {
  /** ServiceAccount of the pods that carry the sidecar. */
  public readonly serviceAccountName: string;
  /** The port the sidecar listens on (the pool's target port). */
  public readonly port: number;
  /** vLLM's (first) port behind it. */
  public readonly vllmPort: number;
  /** Ports the sidecar listens on, one per rank (the pool's target ports on decode pods). */
  public readonly ports: number[];
  /** The ServiceAccount, unless an existing one was given (`serviceAccountName`). */
  public readonly serviceAccount?: ApiObject;
  /** The Role. */
  public readonly role: ApiObject;
  /** The RoleBinding. */
  public readonly roleBinding: ApiObject;
  private readonly spec: k8s.Container;

  constructor(scope: Construct, id: string, props: RoutingSidecarProps) {
    super(scope, id);
    checkArgs('RoutingSidecar.constructor', arguments, this.node.path);
    registerSynthValidation(this);
    const ctx = new FieldContext(scope.node.path, 'decode');
    new FieldContext(this.node.path).imageRef('image', props.image);
    this.port = Ports.SERVING;
    const ranks = props.ranks ?? 1;
    this.vllmPort = props.vllmPort ?? (ranks > 1 ? Ports.VLLM_RANKS_BEHIND_SIDECAR : Ports.VLLM_BEHIND_SIDECAR);
    this.ports = Array.from({ length: ranks }, (_, i) => this.port + i);
    const vllmPorts = Array.from({ length: ranks }, (_, i) => this.vllmPort + i);
    if (!Number.isInteger(this.vllmPort) || this.vllmPort < 1 || this.vllmPort + ranks > 65536 || vllmPorts.some((v) => this.ports.includes(v))) {
      throw ctx.error('vllmPort', this.vllmPort, `vLLM's ports (${vllmPorts.join(', ')}) must differ from the sidecar's (${this.ports.join(', ')}), or both would bind the same port`,
        `leave it unset (${ranks > 1 ? Ports.VLLM_RANKS_BEHIND_SIDECAR : Ports.VLLM_BEHIND_SIDECAR}) or pick another free range`);
    }
    const names = ResourceNames.of(props.serviceName);
    const namespace = props.namespace;
    const multiNode = props.multiNode ?? false;
    // KServe labels the single-node objects as the workload, the multi-node ones with name and part-of only
    // (workload_single_node.go singleNodeLabels; workload_multi_node.go expectedMultiNodeMainRole).
    const labels = multiNode ? WiringLabels.owned(props.serviceName) : WiringLabels.workloadService(props.serviceName);
    if (props.serviceAccountName !== undefined) {
      ctx.dnsSubdomain('serviceAccountName', props.serviceAccountName);
      this.serviceAccountName = props.serviceAccountName;
    } else {
      this.serviceAccountName = multiNode ? names.mainGroupServiceAccount : names.mainDeployment;
      this.serviceAccount = new ApiObject(this, 'ServiceAccount', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: this.serviceAccountName, namespace, labels } });
    }
    const poolGroup = props.pool?.poolGroup;
    const roleName = multiNode ? names.multiNodeSidecarRole : names.sidecarRole;
    const read = ['get', 'list', 'watch'];
    this.role = new ApiObject(this, 'Role', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: roleName, namespace, labels },
      rules: [
        { apiGroups: [''], resources: ['pods'], verbs: read },
        ...(poolGroup ? [{ apiGroups: [poolGroup], resources: ['inferencepools'], verbs: read }] : []),
      ],
    });
    this.roleBinding = new ApiObject(this, 'RoleBinding', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: multiNode ? names.multiNodeSidecarRoleBinding : names.sidecarRoleBinding, namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: roleName },
      subjects: [{ kind: 'ServiceAccount', name: this.serviceAccountName }],
    });

    // --model-server-port replaces --vllm-port (deprecated in llm-d router v0.10.0; see src/imports/llm-d-router-flags.ts).
    const args = [`--port=${this.port}`, `--model-server-port=${this.vllmPort}`];
    if (ranks > 1) args.push(`--data-parallel-size=${ranks}`);
    args.push(`${Versions.ROUTING_SIDECAR_CONNECTOR_FLAG}=${props.kvTransfer.sidecarConnector}`);
    const env: k8s.EnvVar[] = [];
    if (props.pool && Versions.ROUTING_SIDECAR_HAS_SSRF_PROTECTION) {
      const ns = props.pool.poolNamespace ?? resolveNamespace(this, namespace);
      if (!ns) env.push({ name: 'INFERENCE_POOL_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } });
      args.push('--enable-ssrf-protection=true', `--pool-group=${props.pool.poolGroup}`, `--inference-pool=${ns ?? '$(INFERENCE_POOL_NAMESPACE)'}/${props.pool.poolName}`);
    }
    const tls = props.tls ?? false;
    if (tls) {
      // KServe's TLS flags (--secure-proxy=true --cert-path --enable-tls=decoder --enable-tls=prefiller), plus skip-verify
      // for the two hops no certificate can name (llm-d router v0.10.0 pkg/sidecar/proxy/options.go, TLS stages).
      args.push('--secure-proxy=true', `--cert-path=${TlsFiles.MOUNT_PATH}`, '--enable-tls=decoder', '--enable-tls=prefiller',
        '--tls-insecure-skip-verify=decoder', '--tls-insecure-skip-verify=prefiller');
      env.push({ name: 'SSL_CERT_DIR', value: TlsFiles.SSL_CERT_DIR });
    } else {
      args.push('--secure-proxy=false');
    }
    const health = (timeoutSeconds: number, failureThreshold: number): k8s.Probe => ({
      httpGet: { path: '/health', port: k8s.IntOrString.fromNumber(this.port), scheme: tls ? 'HTTPS' : 'HTTP' }, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds, failureThreshold,
    });
    this.spec = {
      name: ROUTING_SIDECAR_CONTAINER,
      image: props.image ?? Versions.ROUTING_SIDECAR_IMAGE,
      imagePullPolicy: 'IfNotPresent',
      restartPolicy: 'Always',
      args,
      env: env.length ? env : undefined,
      ports: this.ports.map((containerPort, i) => ({ name: ranks > 1 ? Ports.rankPortName(i) : Ports.SERVING_NAME, containerPort, protocol: 'TCP' })),
      livenessProbe: health(10, 3),
      readinessProbe: health(5, 10),
      resources: { requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('128Mi') }, limits: { memory: k8s.Quantity.fromString('1Gi') } },
      volumeMounts: tls ? [TlsFiles.mount()] : undefined,
      securityContext: restrictedSecurityContext({ readOnlyRootFilesystem: true }),
    };
  }

  /** The native-sidecar container spec. @internal */
  public get _container(): k8s.Container {
    return this.spec;
  }
}
