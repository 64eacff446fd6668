import { LlmdConfigError } from '../errors';
import { checkArgs } from '../internal/prop-check';

/** A reference to a Kubernetes Secret holding credentials; the value never appears in the manifests. */
export interface SecretKeyRef {
  /** Secret name. */
  readonly name: string;
  /**
   * Key inside the Secret.
   * @default - depends on the use: `HF_TOKEN` for Hugging Face tokens
   */
  readonly key?: string;
}

/** Options for {@link ModelSource.huggingFace}. */
export interface HuggingFaceOptions {
  /**
   * Git revision (branch, tag or commit) of the repository.
   * @default - the repository's default branch
   */
  readonly revision?: string;
  /**
   * Secret holding a Hugging Face token (for gated models). Exposed as the env var `HF_TOKEN`.
   * @default - no token (public models only)
   */
  readonly token?: SecretKeyRef;
}

/** Options for {@link ModelSource.s3}. */
export interface S3Options {
  /**
   * Secret with `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` keys.
   * @default - no credentials (IRSA / workload identity or a public bucket)
   */
  readonly credentials?: string;
  /**
   * S3 endpoint for S3-compatible stores (MinIO, Ceph), e.g. `minio.storage.svc:9000`.
   * @default - AWS S3
   */
  readonly endpoint?: string;
  /**
   * Region of the bucket.
   * @default - the storage-initializer default
   */
  readonly region?: string;
}

/** Options for {@link ModelSource.gcs}. */
export interface GcsOptions {
  /**
   * Secret holding a service-account JSON key, mounted and passed as `GOOGLE_APPLICATION_CREDENTIALS`.
   * @default - no key (GKE workload identity or a public bucket)
   */
  readonly credentials?: SecretKeyRef;
}

/** How the model artifacts reach the pod. */
export enum ModelSourceKind {
  /** Downloaded by the storage-initializer init container (`hf://`, `s3://`, `gs://`). */
  DOWNLOAD = 'DOWNLOAD',
  /** Mounted read-only from a PersistentVolumeClaim (`pvc://`). */
  PVC = 'PVC',
  /** Mounted from an OCI image with the modelcar pattern (`oci://`). */
  OCI = 'OCI',
}

const HF_REPO = /^[A-Za-z0-9][A-Za-z0-9._-]*\/[A-Za-z0-9][A-Za-z0-9._-]*$/;
const BUCKET_PATH = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[^\s]*)?$/;
const PVC_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const OCI_REF = /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;

/**
 * Where the model weights come from. Credentials are only ever referenced by Secret name.
 *
 * `hf://`, `s3://` and `gs://` models are downloaded by KServe's storage-initializer into an emptyDir at
 * `/mnt/models`; `pvc://` mounts the claim read-only there; `oci://` uses the modelcar sidecar.
 */
export class ModelSource {
  /** A Hugging Face repository, e.g. `Qwen/Qwen3-0.6B`. */
  public static huggingFace(repo: string, options: HuggingFaceOptions = {}): ModelSource {
    checkArgs('ModelSource.huggingFace', arguments);
    const uri = `hf://${repo}${options.revision ? ':' + options.revision : ''}`;
    return new ModelSource(ModelSourceKind.DOWNLOAD, 'hf', uri, repo, { hfToken: options.token });
  }

  /** An S3 (or S3-compatible) prefix, e.g. `my-bucket/models/qwen`. */
  public static s3(bucketPath: string, options: S3Options = {}): ModelSource {
    checkArgs('ModelSource.s3', arguments);
    return new ModelSource(ModelSourceKind.DOWNLOAD, 's3', `s3://${bucketPath}`, bucketPath, { s3: options });
  }

  /** A Google Cloud Storage prefix, e.g. `my-bucket/models/qwen`. */
  public static gcs(bucketPath: string, options: GcsOptions = {}): ModelSource {
    checkArgs('ModelSource.gcs', arguments);
    return new ModelSource(ModelSourceKind.DOWNLOAD, 'gs', `gs://${bucketPath}`, bucketPath, { gcsKey: options.credentials });
  }

  /**
   * A PersistentVolumeClaim that already holds the model.
   * @param claim the PVC name (or the `metadata.name` of a cdk8s PVC object)
   * @param path sub-path of the model inside the volume (no leading slash)
   */
  public static pvc(claim: string, path?: string): ModelSource {
    checkArgs('ModelSource.pvc', arguments);
    const uri = `pvc://${claim}${path ? '/' + path : ''}`;
    return new ModelSource(ModelSourceKind.PVC, 'pvc', uri, claim, { claim, subPath: path });
  }

  /** An OCI image holding the model under `/models` (KServe modelcar), e.g. `quay.io/org/qwen-modelcar:1.0`. */
  public static oci(image: string): ModelSource {
    checkArgs('ModelSource.oci', arguments);
    return new ModelSource(ModelSourceKind.OCI, 'oci', `oci://${image}`, image, { image });
  }

  /**
   * Parse a KServe storage URI: `hf://org/model[:revision]`, `s3://bucket/path`, `gs://bucket/path`,
   * `pvc://claim[/path]`, `oci://image`.
   */
  public static fromUri(uri: string): ModelSource {
    checkArgs('ModelSource.fromUri', arguments);
    const m = /^([a-z0-9+]+):\/\/(.*)$/.exec(uri);
    const scheme = m?.[1];
    const rest = m?.[2] ?? '';
    switch (scheme) {
      case 'hf': {
        const [repo, revision] = rest.split(':');
        return ModelSource.huggingFace(repo, { revision });
      }
      case 's3':
        return ModelSource.s3(rest);
      case 'gs':
        return ModelSource.gcs(rest);
      case 'pvc': {
        const slash = rest.indexOf('/');
        return slash < 0 ? ModelSource.pvc(rest) : ModelSource.pvc(rest.slice(0, slash), rest.slice(slash + 1));
      }
      case 'oci':
        return ModelSource.oci(rest);
      default:
        return new ModelSource(ModelSourceKind.DOWNLOAD, scheme ?? '', uri, rest, {});
    }
  }

  private constructor(
    /** How the artifacts reach the pod. */
    public readonly kind: ModelSourceKind,
    /** URI scheme: `hf`, `s3`, `gs`, `pvc` or `oci`. */
    public readonly scheme: string,
    /** The KServe storage URI. */
    public readonly uri: string,
    /** Scheme-specific location: the HF repo, the bucket path, the claim name or the image. */
    public readonly location: string,
    private readonly detail: ModelSourceDetail,
  ) {}

  /**
   * Check the source; throws {@link LlmdConfigError} naming `field` of the construct at `constructPath`.
   * @internal
   */
  public _validate(constructPath: string, field: string): void {
    const fail = (problem: string, fix: string) => new LlmdConfigError(constructPath, field, this.uri, problem, fix);
    switch (this.scheme) {
      case 'hf':
        if (!HF_REPO.test(this.location)) throw fail('is not a Hugging Face repository id', "use ModelSource.huggingFace('org/model'), e.g. 'Qwen/Qwen3-0.6B'");
        break;
      case 's3':
      case 'gs':
        if (!BUCKET_PATH.test(this.location)) throw fail('is not a bucket path', `use ${this.scheme}://<bucket>/<prefix> with a lowercase DNS-style bucket name`);
        break;
      case 'pvc':
        if (!PVC_NAME.test(this.location) || this.location.length > 253) throw fail('does not name a valid PersistentVolumeClaim', 'use pvc://<claim-name>[/<path>] with a DNS-1123 claim name');
        if (this.detail.subPath !== undefined && (this.detail.subPath.startsWith('/') || this.detail.subPath.split('/').includes('..'))) {
          throw fail('has a sub-path that is absolute or contains ".."', 'give the path inside the volume, relative, without ".."');
        }
        break;
      case 'oci':
        if (!OCI_REF.test(this.location)) throw fail('is not an OCI image reference', 'use oci://registry/repo:tag (lowercase repository, optional @sha256 digest)');
        break;
      default:
        throw fail(`has an unsupported scheme "${this.scheme}"`, 'use one of hf://, s3://, gs://, pvc://, oci:// (ModelSource.huggingFace/s3/gcs/pvc/oci)');
    }
  }

  /** @internal */
  public get _detail(): ModelSourceDetail {
    return this.detail;
  }
}

/** @internal */
export interface ModelSourceDetail {
  readonly hfToken?: SecretKeyRef;
  readonly s3?: S3Options;
  readonly gcsKey?: SecretKeyRef;
  readonly claim?: string;
  readonly subPath?: string;
  readonly image?: string;
}
