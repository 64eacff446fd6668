import * as k8s from '../imports/k8s';

/**
 * Where every TLS-serving container of a stack finds its certificate: KServe's layout (LLMInferenceService
 * controller, `enableLLMInferenceServiceTLS`): a `kubernetes.io/tls` Secret mounted read-only at
 * `/var/run/kserve/tls` as volume `tls-certs`, holding `tls.crt`, `tls.key` and `ca.crt`.
 * @internal
 */
export class TlsFiles {
  /** Volume name of the certificate Secret in every pod that serves TLS. */
  public static readonly VOLUME = 'tls-certs';
  /** Mount path of the certificate Secret (the EPP's and the sidecar's `--cert-path`). */
  public static readonly MOUNT_PATH = '/var/run/kserve/tls';
  /** Certificate chain key of the Secret. */
  public static readonly CERT_KEY = 'tls.crt';
  /** Private key of the Secret. */
  public static readonly KEY_KEY = 'tls.key';
  /** CA certificate key of the Secret (written by cert-manager's CA and self-signed issuers). */
  public static readonly CA_KEY = 'ca.crt';
  /**
   * `SSL_CERT_DIR` of the Go binaries (routing sidecar, EPP): the mounted Secret (its `ca.crt`), the
   * ServiceAccount's CA and the system bundle, as KServe sets it.
   */
  public static readonly SSL_CERT_DIR = `${TlsFiles.MOUNT_PATH}:/var/run/secrets/kubernetes.io/serviceaccount:/etc/pki/tls/certs`;

  /** Path of a key of the mounted Secret. */
  public static path(key: string): string {
    return `${TlsFiles.MOUNT_PATH}/${key}`;
  }

  /** The pod volume of the certificate Secret. */
  public static volume(secretName: string): k8s.Volume {
    return { name: TlsFiles.VOLUME, secret: { secretName } };
  }

  /** The container mount of the certificate Secret. */
  public static mount(): k8s.VolumeMount {
    return { name: TlsFiles.VOLUME, mountPath: TlsFiles.MOUNT_PATH, readOnly: true };
  }
}
