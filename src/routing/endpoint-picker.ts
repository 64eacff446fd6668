import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { FailureMode, IInferencePool, InferencePoolApi } from './inference-pool';
import { latencyPredictor, LATENCY_PRODUCER_PLUGIN } from './latency-predictor';
import { ENVOY_CONFIG_KEY, standaloneEnvoyConfig, standaloneProxyContainer } from './standalone-proxy';
import * as k8s from '../imports/k8s';
import { FieldContext } from '../internal/context';
import { checkArgs } from '../internal/prop-check';
import { ImageRegistry } from '../operations/image-registry';
import { addTracingEnv, resolveTracing, TracedComponent, tracingEnv, TracingOptions } from '../operations/tracing';
import { SchedulerConfig } from '../scheduler/scheduler-config';
import { registerSynthValidation } from '../validation/synth-validation';
import { Versions } from '../versions';
import { LabelKeys, WiringLabels } from '../wiring/labels';
import { ResourceNames } from '../wiring/names';
import { resolveNamespace } from '../wiring/namespace';
import { Ports } from '../wiring/ports';
import { restrictedSecurityContext } from '../wiring/security';
import { TlsFiles } from '../wiring/tls';

/** CPU and memory of the EPP container. */
export interface EndpointPickerResources {
  /**
   * CPU request.
   * @default '1' (KServe)
   */
  readonly cpu?: string;
  /**
   * Memory request.
   * @default '2Gi' (KServe)
   */
  readonly memory?: string;
  /**
   * Memory limit.
   * @default '16Gi' (KServe and llm-d)
   */
  readonly memoryLimit?: string;
}

/** TLS of an {@link EndpointPicker} (see `Tls`). */
export interface EndpointPickerTlsOptions {
  /**
   * `kubernetes.io/tls` Secret (`tls.crt`, `tls.key`, `ca.crt`) the EPP serves ext_proc with instead of its self-signed
   * certificate, mounted at `/var/run/kserve/tls` and reloaded when it is renewed.
   */
  readonly secretName: string;
  /**
   * The model servers of the pool serve HTTPS under this DNS name: the EPP scrapes their metrics over HTTPS
   * (`metrics-data-source` `scheme: https`, unverified: pods are addressed by IP) and the standalone Envoy originates
   * TLS to them, verifying this name against the Secret's `ca.crt`.
   * @default - the model servers serve HTTP
   */
  readonly modelServerName?: string;
}

/** Props of {@link EndpointPicker}. */
export interface EndpointPickerProps {
  /** The LLM service name `N`; objects are named `N-kserve-router-scheduler`, `N-epp-service`, `N-epp-sa`, … */
  readonly serviceName: string;
  /** The pool the EPP picks endpoints from (its `--pool-name/--pool-namespace/--pool-group`). */
  readonly pool: IInferencePool;
  /** Scheduling configuration (the EndpointPickerConfig). */
  readonly config: SchedulerConfig;
  /**
   * Namespace.
   * @default - the Chart's namespace
   */
  readonly namespace?: string;
  /**
   * EPP replicas; more than one turns on leader election (only the leader is ready).
   * @default 1
   */
  readonly replicas?: number;
  /**
   * EPP image.
   * @default Versions.EPP_IMAGE
   */
  readonly image?: string;
  /**
   * Where the EPP pod (and the standalone Envoy) pulls images from, with its pull secrets.
   * @default ImageRegistry.upstream()
   */
  readonly imageRegistry?: ImageRegistry;
  /**
   * Protect `/metrics` with TokenReview/SubjectAccessReview (`--metrics-endpoint-auth`), which needs a
   * ClusterRoleBinding to `system:auth-delegator` (created). Set false for namespace-only installs: the flag is
   * turned off and no cluster-scoped object is created.
   * @default true
   */
  readonly metricsAuth?: boolean;
  /**
   * Resources of the EPP container.
   * @default - requests cpu 1, memory 2Gi; limit memory 16Gi
   */
  readonly resources?: EndpointPickerResources;
  /**
   * llm-d's standalone mode: an Envoy proxy in the EPP pod serves inference on the EPP Service port 80 and asks
   * the EPP over ext_proc, so no Gateway is needed.
   * @default false
   */
  readonly standaloneProxy?: boolean;
  /**
   * Failure mode of the standalone proxy (`failure_mode_allow`); keep it equal to the pool's.
   * @default FailureMode.FAIL_OPEN
   */
  readonly failureMode?: FailureMode;
  /**
   * Extra labels of the EPP pods (never part of a selector; wiring label keys are refused).
   * @default - the scheduler labels of the wiring contract only
   */
  readonly extraPodLabels?: Record<string, string>;
  /**
   * Annotations of the EPP pods.
   * @default - none
   */
  readonly podAnnotations?: Record<string, string>;
  /**
   * OpenTelemetry tracing (`--tracing=true` and KServe's OTEL_* env with `OTEL_SERVICE_NAME=inference-scheduler`).
   * @default - tracing off (`--tracing=false`: the pinned EPP defaults it to on)
   */
  readonly tracing?: TracingOptions;
  /**
   * Serve ext_proc with a certificate from a Secret, and reach HTTPS model servers.
   * @default - the EPP's self-signed certificate; model servers over HTTP
   */
  readonly tls?: EndpointPickerTlsOptions;
}

/** Where the EPP reads its config. @internal */
export const EPP_CONFIG_DIR = '/config';
/** The ConfigMap key of the config. @internal */
export const EPP_CONFIG_KEY = 'epp-config.yaml';
/** Container name of the EPP. @internal */
export const EPP_CONTAINER = 'epp';
const TERMINATION_GRACE_SECONDS = 130;

/**
 * The Endpoint Picker (EPP) of llm-d's router: Deployment `N-kserve-router-scheduler`, Service `N-epp-service`
 * (only the ports the container serves), ServiceAccount, a namespaced Role/RoleBinding with what it watches,
 * the scheduler config in a ConfigMap, and (with metrics auth) the auth-delegator ClusterRoleBinding.
 */
export class EndpointPicker extends Construct {
  /** The EPP Deployment. */
  public readonly deployment: ApiObject;
  /** The EPP Service. */
  public readonly service: ApiObject;
  /** The ConfigMap holding the EndpointPickerConfig. */
  public readonly configMap: ApiObject;
  /** The ServiceAccount. */
  public readonly serviceAccount: ApiObject;
  /** The Role. */
  public readonly role: ApiObject;
  /** The RoleBinding. */
  public readonly roleBinding: ApiObject;
  /** The auth-delegator ClusterRoleBinding (metrics auth on). */
  public readonly clusterRoleBinding?: ApiObject;
  /** The standalone Envoy ConfigMap, in standalone mode. */
  public readonly proxyConfigMap?: ApiObject;
  /** Name of the EPP Service (the pool's endpointPickerRef). */
  public readonly serviceNameOfEpp: string;
  /** Port of the EPP Service the gateway calls. */
  public readonly grpcPort: number;
  /** Labels of the EPP pods. */
  public readonly podLabels: Record<string, string>;
  /** Labels the EPP Deployment and Service select its pods by. */
  public readonly selectorLabels: Record<string, string>;
  /** Whether `/metrics` requires a bearer token (`--metrics-endpoint-auth`, the EPP's default). */
  public readonly metricsAuth: boolean;
  /** Whether Envoy runs beside the EPP (standalone mode). @internal */
  public readonly _standalone: boolean;
  /** The EPP's ZMQ port for centralized KV events. @internal */
  public readonly _kvEventsPort?: number;

  constructor(scope: Construct, id: string, props: EndpointPickerProps) {
    super(scope, id);
    checkArgs('EndpointPicker.constructor', arguments, this.node.path);
    registerSynthValidation(this);
    const ctx = new FieldContext(scope.node.path, 'scheduler');
    ctx.positiveInt('replicas', props.replicas);
    const replicas = props.replicas ?? 1;
    if (props.pool.poolGroup !== InferencePoolApi.V1.group) {
      throw ctx.error('pool', `${props.pool.poolGroup}/${props.pool.poolName}`,
        `the EPP ${Versions.LLM_D_ROUTER} watches InferencePools of ${InferencePoolApi.V1.group} only (its --pool-group supports v1 only)`,
        'point the EPP at a v1 pool; keep a legacy v1alpha2 pool only as a mirror for gateways (InferencePool legacyV1alpha2)');
    }
    props.config._validate(ctx.child('config'));
    const registry = props.imageRegistry ?? ImageRegistry.upstream();
    registry._validate(ctx, 'imageRegistry');

    const names = ResourceNames.of(props.serviceName);
    const namespace = props.namespace;
    const labels = WiringLabels.scheduler(props.serviceName);
    for (const [k, v] of Object.entries(props.extraPodLabels ?? {})) {
      if (LabelKeys.isWiringKey(k)) throw ctx.error(`extraPodLabels["${k}"]`, v, 'overrides a wiring label that the EPP Service selects on', 'remove it; the library sets it');
    }
    this.podLabels = { ...props.extraPodLabels, ...labels };
    const leaderElection = replicas > 1;
    const metricsAuth = props.metricsAuth ?? true;
    this.metricsAuth = metricsAuth;
    this.selectorLabels = labels;
    const kvEventsPort = props.config._eppKvEventsPort;
    this._kvEventsPort = kvEventsPort;
    this._standalone = props.standaloneProxy ?? false;
    this.serviceNameOfEpp = names.schedulerService;
    this.grpcPort = Ports.EPP_GRPC;
    const poolNamespace = props.pool.poolNamespace ?? resolveNamespace(this, namespace);

    this.serviceAccount = new ApiObject(this, 'ServiceAccount', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: names.schedulerServiceAccount, namespace, labels },
    });

    const read = ['get', 'list', 'watch'];
    const rules: k8s.PolicyRule[] = [
      { apiGroups: [''], resources: ['pods'], verbs: read },
      { apiGroups: [props.pool.poolGroup], resources: ['inferencepools'], verbs: read },
      { apiGroups: ['llm-d.ai'], resources: ['inferenceobjectives', 'inferencemodelrewrites'], verbs: read },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: read },
    ];
    if (leaderElection) {
      rules.push(
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
        { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
      );
    }
    const roleName = names.schedulerRole;
    this.role = new ApiObject(this, 'Role', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: roleName, namespace, labels },
      rules: rules.map((r) => k8s.toJson_PolicyRule(r)),
    });
    const subject = { kind: 'ServiceAccount', name: names.schedulerServiceAccount, namespace: poolNamespace };
    this.roleBinding = new ApiObject(this, 'RoleBinding', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: names.schedulerRoleBinding, namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: roleName },
      subjects: [{ kind: 'ServiceAccount', name: names.schedulerServiceAccount }],
    });
    if (metricsAuth) {
      const ns = resolveNamespace(this, namespace);
      if (!ns) {
        throw ctx.error('namespace', ns, 'the metrics-auth ClusterRoleBinding names the EPP ServiceAccount with its namespace, and neither the prop nor the Chart sets one',
          "pass namespace to the Chart (new Chart(app, 'x', { namespace: 'llm' })), or set endpointPicker metricsAuth: false for a namespace-only install");
      }
      this.clusterRoleBinding = new ApiObject(this, 'AuthDelegator', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: names.schedulerAuthDelegatorBinding(ns), labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:auth-delegator' },
        subjects: [{ ...subject, namespace: ns }],
      });
      // cluster-scoped: never carries the chart's namespace
      if (Chart.of(this).namespace) this.clusterRoleBinding.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    }

    const tls = props.tls;
    if (tls !== undefined) {
      ctx.dnsSubdomain('tls.secretName', tls.secretName);
      ctx.dnsSubdomain('tls.modelServerName', tls.modelServerName);
    }
    const config = tls?.modelServerName !== undefined ? props.config._withMetricsScheme(ctx.child('config'), 'https') : props.config;
    const configName = names.schedulerConfig;
    this.configMap = new ApiObject(this, 'Config', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: configName, namespace, labels },
      data: { [EPP_CONFIG_KEY]: config._render() },
    });

    const args = ['--pool-name', props.pool.poolName];
    if (poolNamespace) args.push('--pool-namespace', poolNamespace); // else the EPP reads NAMESPACE (downward API)
    args.push('--pool-group', props.pool.poolGroup,
      '--zap-encoder', 'json',
      '--grpc-port', String(Ports.EPP_GRPC),
      '--grpc-health-port', String(Ports.EPP_GRPC_HEALTH),
      '--metrics-port', String(Ports.EPP_METRICS),
      '--config-file', `${EPP_CONFIG_DIR}/${EPP_CONFIG_KEY}`);
    if (leaderElection) args.push('--ha-enable-leader-election');
    if (!metricsAuth) args.push('--metrics-endpoint-auth=false');
    if (props.config.requiresExperimentalPlugins) args.push('--allow-experimental-plugins');
    const tracing = resolveTracing(ctx, props.tracing);
    args.push(`--tracing=${tracing !== undefined}`);
    // KServe's EPP TLS flags (`enableLLMInferenceServiceTLS`); without them the EPP serves a self-signed certificate.
    if (tls) args.push('--secure-serving=true', `--cert-path=${TlsFiles.MOUNT_PATH}`, '--enable-cert-reload=true');

    const ports: k8s.ContainerPort[] = [
      { name: Ports.EPP_GRPC_NAME, containerPort: Ports.EPP_GRPC, protocol: 'TCP' },
      { name: Ports.EPP_GRPC_HEALTH_NAME, containerPort: Ports.EPP_GRPC_HEALTH, protocol: 'TCP' },
      { name: Ports.EPP_METRICS_NAME, containerPort: Ports.EPP_METRICS, protocol: 'TCP' },
    ];
    if (kvEventsPort !== undefined && [Ports.EPP_GRPC, Ports.EPP_GRPC_HEALTH, Ports.EPP_METRICS].includes(kvEventsPort)) {
      throw ctx.error('config.kvEvents.port', kvEventsPort, `collides with an EPP port (${Ports.EPP_GRPC} gRPC, ${Ports.EPP_GRPC_HEALTH} health, ${Ports.EPP_METRICS} metrics)`, `use another port, e.g. ${Ports.KV_EVENTS_ZMQ}`);
    }
    const proxyPorts = [Ports.STANDALONE_PROXY, Ports.STANDALONE_PROXY_ADMIN, Ports.STANDALONE_PROXY_READY, Ports.STANDALONE_SERVICE];
    if (kvEventsPort !== undefined && props.standaloneProxy && proxyPorts.includes(kvEventsPort)) {
      throw ctx.error('config.kvEvents.port', kvEventsPort, `collides with a port of the standalone Envoy in the EPP pod (${proxyPorts.join(', ')})`, `use another port, e.g. ${Ports.KV_EVENTS_ZMQ}`);
    }
    if (kvEventsPort !== undefined) ports.push({ name: Ports.KV_EVENTS_ZMQ_NAME, containerPort: kvEventsPort, protocol: 'TCP' });

    const res = props.resources ?? {};
    ctx.quantity('resources.cpu', res.cpu, "'1' or '500m'");
    ctx.quantity('resources.memory', res.memory, "'2Gi'");
    ctx.quantity('resources.memoryLimit', res.memoryLimit, "'16Gi'");
    ctx.imageRef('image', props.image);
    const grpcProbe = (service: string, periodSeconds: number, initialDelaySeconds: number): k8s.Probe => ({
      grpc: { port: Ports.EPP_GRPC_HEALTH, service }, initialDelaySeconds, periodSeconds, timeoutSeconds: 1, failureThreshold: 3,
    });
    const container: k8s.Container = {
      name: EPP_CONTAINER,
      image: props.image ?? Versions.EPP_IMAGE,
      imagePullPolicy: 'IfNotPresent',
      args,
      env: [
        { name: 'NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
        { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        ...(tls ? [{ name: 'SSL_CERT_DIR', value: TlsFiles.SSL_CERT_DIR }] : []),
      ],
      ports,
      livenessProbe: grpcProbe('liveness', 10, 5),
      readinessProbe: grpcProbe('readiness', 2, 5),
      resources: {
        requests: { cpu: k8s.Quantity.fromString(res.cpu ?? '1'), memory: k8s.Quantity.fromString(res.memory ?? '2Gi') },
        limits: { memory: k8s.Quantity.fromString(res.memoryLimit ?? '16Gi') },
      },
      volumeMounts: [{ name: 'epp-config', mountPath: EPP_CONFIG_DIR, readOnly: true }, ...(tls ? [TlsFiles.mount()] : [])],
      terminationMessagePolicy: 'FallbackToLogsOnError',
      securityContext: restrictedSecurityContext({ readOnlyRootFilesystem: true }),
    };
    // The latency predictor's servers beside the EPP when the config predicts latency (KServe's preset).
    const predictor = props.config.hasPlugin(LATENCY_PRODUCER_PLUGIN) ? latencyPredictor() : undefined;
    if (predictor) container.env!.push(...predictor.eppEnv);
    const containers: k8s.Container[] = [tracing
      ? addTracingEnv(container, tracingEnv(tracing, TracedComponent.SCHEDULER, resolveNamespace(this, namespace), props.serviceName))
      : container, ...(predictor?.containers ?? [])];
    const volumes: k8s.Volume[] = [{ name: 'epp-config', configMap: { name: configName } }, ...(tls ? [TlsFiles.volume(tls.secretName)] : []),
      ...(predictor?.volumes ?? [])];
    const servicePorts: k8s.ServicePort[] = ports.map((p) => ({
      name: p.name,
      port: p.containerPort,
      targetPort: k8s.IntOrString.fromString(p.name!),
      protocol: 'TCP',
      appProtocol: p.name === Ports.EPP_GRPC_NAME ? 'kubernetes.io/h2c' : undefined,
    }));
    if (props.standaloneProxy) {
      const envoyName = names.standaloneProxyConfig;
      this.proxyConfigMap = new ApiObject(this, 'ProxyConfig', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: envoyName, namespace, labels },
        data: {
          [ENVOY_CONFIG_KEY]: standaloneEnvoyConfig((props.failureMode ?? FailureMode.FAIL_OPEN) === FailureMode.FAIL_OPEN, tls?.modelServerName),
        },
      });
      containers.push(standaloneProxyContainer(tls?.modelServerName !== undefined));
      volumes.push({ name: 'envoy-config', configMap: { name: envoyName } });
      servicePorts.push({ name: Ports.STANDALONE_PROXY_NAME, port: Ports.STANDALONE_SERVICE, targetPort: k8s.IntOrString.fromString(Ports.STANDALONE_PROXY_NAME), protocol: 'TCP', appProtocol: 'http' });
    }
    const spec: k8s.DeploymentSpec = {
      replicas,
      strategy: { type: 'Recreate' },
      selector: { matchLabels: labels },
      template: {
        metadata: {
          labels: this.podLabels,
          annotations: props.podAnnotations && Object.keys(props.podAnnotations).length ? props.podAnnotations : undefined,
        },
        spec: registry._applyTo({
          serviceAccountName: names.schedulerServiceAccount,
          terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
          containers,
          volumes,
        }),
      },
    };
    this.deployment = new ApiObject(this, 'Deployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: names.schedulerDeployment, namespace, labels },
      spec: k8s.toJson_DeploymentSpec(spec),
    });
    this.service = new ApiObject(this, 'Service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: names.schedulerService, namespace, labels },
      spec: k8s.toJson_ServiceSpec({ type: 'ClusterIP', selector: labels, ports: servicePorts }),
    });
  }
}
