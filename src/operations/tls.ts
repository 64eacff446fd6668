import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { FieldContext } from '../internal/context';
import { checkArgs } from '../internal/prop-check';
import { WiringLabels } from '../wiring/labels';
import { ResourceNames } from '../wiring/names';
import { resolveNamespace } from '../wiring/namespace';

/** The cert-manager issuer that signs a stack's certificate (`spec.issuerRef` of the Certificate). */
export interface CertManagerIssuerRef {
  /** Name of the Issuer or ClusterIssuer. */
  readonly name: string;
  /**
   * `Issuer` (in the stack's namespace) or `ClusterIssuer`; external issuers name their own kind.
   * @default 'Issuer'
   */
  readonly kind?: string;
  /**
   * API group of the issuer.
   * @default 'cert-manager.io'
   */
  readonly group?: string;
}

/** Options of {@link Tls.certManager}. */
export interface CertManagerTlsOptions {
  /** The issuer that signs the certificate. It must write `ca.crt` into the Secret (CA, self-signed, Vault issuers do). */
  readonly issuerRef: CertManagerIssuerRef;
  /**
   * Lifetime of the certificate (`spec.duration`), at least one hour.
   * @default - cert-manager's default (90 days)
   */
  readonly duration?: Duration;
  /**
   * How long before expiry cert-manager renews it (`spec.renewBefore`), shorter than `duration`.
   * @default - cert-manager's default (a third of the duration)
   */
  readonly renewBefore?: Duration;
  /**
   * DNS names added to the certificate beyond the stack's Service names (e.g. a cluster domain other than `cluster.local`).
   * @default - none
   */
  readonly extraDnsNames?: string[];
  /**
   * ConfigMap (key `ca.crt`) gateways verify the pods' certificate with (BackendTLSPolicy `caCertificateRefs`; a
   * ConfigMap is the Gateway API's core support level, e.g. one written by trust-manager).
   * @default - the certificate Secret itself (its `ca.crt`; Secret references are implementation-specific)
   */
  readonly caConfigMapName?: string;
}

/** Options of {@link Tls.secret}. */
export interface SecretTlsOptions {
  /**
   * ConfigMap (key `ca.crt`) gateways verify the pods' certificate with (BackendTLSPolicy `caCertificateRefs`).
   * @default - the Secret itself (its `ca.crt`)
   */
  readonly caConfigMapName?: string;
}

/** The TLS a stack serves with, as the pipeline wires it. @internal */
export interface ResolvedTls {
  /** The `kubernetes.io/tls` Secret mounted in every TLS-serving pod. */
  readonly secretName: string;
  /** The name gateways and the standalone Envoy verify the pods' certificate against (the workload Service's DNS name). */
  readonly serverName: string;
  /** Where gateways read the CA from (BackendTLSPolicy `caCertificateRefs`). */
  readonly caRef: { readonly kind: 'Secret' | 'ConfigMap'; readonly name: string };
  /** The Certificate, when cert-manager issues it. */
  readonly certificate?: ApiObject;
}

enum TlsMode { NONE = 'none', CERT_MANAGER = 'cert-manager', SECRET = 'secret' }

const ISSUER_KINDS_OF_CERT_MANAGER = ['Issuer', 'ClusterIssuer'];
const CERT_MANAGER_GROUP = 'cert-manager.io';
const MIN_DURATION = Duration.hours(1);
/** cert-manager's default certificate lifetime. */
const DEFAULT_DURATION = Duration.days(90);
const DNS_NAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LOOPBACK_NAME = 'localhost';
const LOOPBACK_IP = '127.0.0.1';

/**
 * TLS on every hop of a serving stack, one switch for all (KServe's `enableLLMInferenceServiceTLS`, with the
 * certificate from cert-manager or an existing Secret instead of the controller's self-signed one):
 *
 * - vLLM (and the simulator) serve HTTPS (`--ssl-certfile/--ssl-keyfile`, vLLM also `--enable-ssl-refresh`), probes use `HTTPS`;
 * - the routing sidecar serves HTTPS (`--secure-proxy=true --cert-path`) and speaks TLS to its vLLM and to the prefill pods
 *   (`--enable-tls=decoder,prefiller`);
 * - the EPP serves ext_proc with the certificate (`--cert-path --enable-cert-reload=true`) and scrapes the pods' metrics over HTTPS;
 * - the workload Service port is `https`; a BackendTLSPolicy tells gateways to originate TLS to the pool's (or the Service's)
 *   pods and verify them against the CA and the workload Service's DNS name; the standalone Envoy does the same;
 * - monitors scrape the pods over HTTPS.
 *
 * Hops addressed by pod IP (sidecar → prefill pod, EPP and Prometheus → pod metrics) and the sidecar's loopback hop to its
 * own vLLM are encrypted but not verified (`--tls-insecure-skip-verify`, `insecureSkipVerify`): certificates carry DNS
 * names, pod IPs are not known at synth time. NetworkPolicies limit who can reach those ports.
 */
export class Tls {
  /** Plain HTTP everywhere (the upstream default). */
  public static none(): Tls {
    return new Tls(TlsMode.NONE);
  }

  /**
   * A cert-manager `Certificate` `N-kserve-tls` (Secret of the same name) for the stack's Service names, signed by `issuerRef`.
   * cert-manager and the issuer must be installed; the Certificate CRD is validated against cert-manager v1.21.1.
   */
  public static certManager(options: CertManagerTlsOptions): Tls {
    checkArgs('Tls.certManager', arguments);
    return new Tls(TlsMode.CERT_MANAGER, options);
  }

  /**
   * An existing `kubernetes.io/tls` Secret in the stack's namespace holding `tls.crt`, `tls.key` and `ca.crt`; its
   * certificate must name the workload Service `N-kserve-workload-svc.<namespace>.svc.cluster.local` (what gateways verify).
   */
  public static secret(secretName: string, options: SecretTlsOptions = {}): Tls {
    checkArgs('Tls.secret', arguments);
    return new Tls(TlsMode.SECRET, { caConfigMapName: options.caConfigMapName }, secretName);
  }

  private constructor(
    private readonly mode: TlsMode,
    private readonly options: Partial<CertManagerTlsOptions> = {},
    private readonly secretName?: string,
  ) {}

  /** Whether the stack serves TLS. */
  public get enabled(): boolean {
    return this.mode !== TlsMode.NONE;
  }

  /** Check the options; errors name `field` (the prop the Tls was given as). @internal */
  public _validate(ctx: FieldContext, field: string): void {
    if (!(this instanceof Tls)) throw ctx.error(field, this, 'must be a Tls', 'use Tls.certManager({ issuerRef }), Tls.secret(name) or Tls.none()');
    const o = this.options;
    if (this.mode === TlsMode.SECRET) ctx.dnsSubdomain(`${field}.secretName`, this.secretName);
    if (o.caConfigMapName !== undefined) ctx.dnsSubdomain(`${field}.caConfigMapName`, o.caConfigMapName);
    if (this.mode !== TlsMode.CERT_MANAGER) return;
    const ref = o.issuerRef!;
    ctx.dnsSubdomain(`${field}.issuerRef.name`, ref.name);
    const group = ref.group ?? CERT_MANAGER_GROUP;
    if (group === CERT_MANAGER_GROUP && ref.kind !== undefined && !ISSUER_KINDS_OF_CERT_MANAGER.includes(ref.kind)) {
      throw ctx.error(`${field}.issuerRef.kind`, ref.kind, `is not a cert-manager issuer kind (${ISSUER_KINDS_OF_CERT_MANAGER.join(', ')})`,
        'use Issuer or ClusterIssuer, or set issuerRef.group for an external issuer');
    }
    if (ref.kind !== undefined && !/^[A-Z][A-Za-z0-9]*$/.test(ref.kind)) {
      throw ctx.error(`${field}.issuerRef.kind`, ref.kind, 'is not a Kubernetes kind', 'use e.g. ClusterIssuer');
    }
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(group)) {
      throw ctx.error(`${field}.issuerRef.group`, group, 'is not an API group', 'use e.g. cert-manager.io or awspca.cert-manager.io');
    }
    const seconds = (f: 'duration' | 'renewBefore'): number | undefined => {
      const d = o[f];
      if (d === undefined) return undefined;
      if (!(d instanceof Duration)) throw ctx.error(`${field}.${f}`, d, 'must be a Duration', 'use e.g. Duration.days(30)');
      const s = d.toSeconds();
      if (!Number.isInteger(s) || s <= 0) throw ctx.error(`${field}.${f}`, `${s}s`, 'must be a whole, positive number of seconds', 'use e.g. Duration.days(30)');
      return s;
    };
    const duration = seconds('duration');
    const renew = seconds('renewBefore');
    if (duration !== undefined && duration < MIN_DURATION.toSeconds()) {
      throw ctx.error(`${field}.duration`, `${duration}s`, 'is shorter than cert-manager accepts (1 hour)', 'use at least Duration.hours(1)');
    }
    const lifetime = duration ?? DEFAULT_DURATION.toSeconds();
    if (renew !== undefined && renew >= lifetime) {
      throw ctx.error(`${field}.renewBefore`, `${renew}s`, `is not shorter than the certificate's lifetime (${lifetime}s), so cert-manager would renew it continuously`,
        'use a shorter renewBefore, e.g. a third of the duration');
    }
    for (const [i, n] of (o.extraDnsNames ?? []).entries()) {
      if (typeof n !== 'string' || !DNS_NAME.test(n) || n.length > 253) {
        throw ctx.error(`${field}.extraDnsNames[${i}]`, n, 'is not a DNS name', "use lowercase names such as 'qwen.example.com' or '*.models.example.com'");
      }
    }
  }

  /**
   * The stack's TLS: its Secret and, with cert-manager, the Certificate `N-kserve-tls` for the workload Service,
   * the EPP Service and loopback. Undefined when TLS is off.
   * @internal
   */
  public _resolve(scope: Construct, serviceName: string, namespace: string | undefined): ResolvedTls | undefined {
    if (!this.enabled) return undefined;
    const names = ResourceNames.of(serviceName);
    const ns = resolveNamespace(scope, namespace);
    const fqdns = (svc: string) => (ns ? [svc, `${svc}.${ns}`, `${svc}.${ns}.svc`, `${svc}.${ns}.svc.cluster.local`] : [svc]);
    const serverName = fqdns(names.workloadService).pop()!;
    const caRef = this.options.caConfigMapName !== undefined
      ? { kind: 'ConfigMap' as const, name: this.options.caConfigMapName }
      : undefined;
    if (this.mode === TlsMode.SECRET) return { secretName: this.secretName!, serverName, caRef: caRef ?? { kind: 'Secret', name: this.secretName! } };
    const o = this.options;
    const secretName = names.tlsCertificate;
    // a Go duration: whole hours as `<n>h`, else seconds
    const goDuration = (d?: Duration) => (d === undefined ? undefined : d.toSeconds() % 3600 === 0 ? `${d.toSeconds() / 3600}h` : `${d.toSeconds()}s`);
    const certificate = new ApiObject(scope, 'TlsCertificate', {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: names.tlsCertificate, namespace, labels: WiringLabels.owned(serviceName) },
      spec: {
        secretName,
        issuerRef: { name: o.issuerRef!.name, kind: o.issuerRef!.kind ?? 'Issuer', group: o.issuerRef!.group ?? CERT_MANAGER_GROUP },
        dnsNames: [...new Set([...fqdns(names.workloadService), ...fqdns(names.schedulerService), LOOPBACK_NAME, ...(o.extraDnsNames ?? [])])],
        ipAddresses: [LOOPBACK_IP],
        duration: goDuration(o.duration),
        renewBefore: goDuration(o.renewBefore),
        usages: ['server auth', 'digital signature'],
        privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
      },
    });
    return { secretName, serverName, caRef: caRef ?? { kind: 'Secret', name: secretName }, certificate };
  }
}

/**
 * The BackendTLSPolicy (Gateway API v1) that tells gateways to originate TLS to a stack's pods — behind its
 * InferencePool, or its workload Service without a scheduler — verifying the workload Service's name against the CA.
 * @internal
 */
export function writeBackendTlsPolicy(scope: Construct, tls: ResolvedTls, serviceName: string, namespace: string | undefined,
  target: { readonly group: string; readonly kind: string; readonly name: string }): ApiObject {
  return new ApiObject(scope, 'BackendTlsPolicy', {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'BackendTLSPolicy',
    metadata: { name: ResourceNames.of(serviceName).backendTlsPolicy, namespace, labels: WiringLabels.owned(serviceName) },
    spec: {
      targetRefs: [target],
      validation: { caCertificateRefs: [{ group: '', kind: tls.caRef.kind, name: tls.caRef.name }], hostname: tls.serverName },
    },
  });
}
