import { LoraAdapter } from './lora';
import { ModelSource, ModelSourceKind } from './model-source';
import * as k8s from '../imports/k8s';
import { FieldContext } from '../internal/context';
import { looksLikeSecret, REDACTED } from '../internal/secrets';
import { Versions } from '../versions';
import { ResourceNames } from '../wiring/names';
import { restrictedSecurityContext, RunAsUsers } from '../wiring/security';

/** Where the serving container finds the base model. @internal */
export const MODEL_PATH = '/mnt/models';
/** Where the tokenizer Deployment finds the model's tokenizer files (KServe's tokenizer.go: /mnt/models/base). @internal */
export const TOKENIZER_MODEL_PATH = '/mnt/models/base';
/** The files the tokenizer downloads (KServe's STORAGE_ALLOW_PATTERNS for the tokenizer, workload_storage.go:49-52). @internal */
export const TOKENIZER_FILES = ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.json', 'merges.txt', 'config.json', 'generation_config.json'];
/** Parent of the LoRA adapter directories. @internal */
export const LORA_ROOT = '/mnt/lora';
const PROVISION_VOLUME = 'kserve-provision-location';

/** Pod pieces that carry model artifacts into the `main` container. @internal */
export interface ModelArtifacts {
  readonly initContainers: k8s.Container[];
  readonly sidecars: k8s.Container[];
  readonly volumes: k8s.Volume[];
  readonly mainMounts: k8s.VolumeMount[];
  readonly mainEnv: k8s.EnvVar[];
  readonly shareProcessNamespace: boolean;
  /** `--lora-modules` entries. */
  readonly loraModules: { name: string; path: string }[];
}

/**
 * The directory of an adapter: `/mnt/lora/<name>` with every character other than letters, digits, `.`, `_` and
 * `-` replaced by `-`, and `adapter` for a name that sanitizes to nothing, `.` or `..` (KServe's
 * sanitizeLoRAPathSegment, workload_lora.go:270-278).
 * @internal
 */
export function loraPath(name: string): string {
  const segment = name.replace(/[^a-zA-Z0-9._-]/g, '-');
  return `${LORA_ROOT}/${segment === '' || segment === '.' || segment === '..' ? 'adapter' : segment}`;
}

/**
 * The PVC volume of an adapter: KServe's `ChildName("lora-pvc-", name)`, lowercased with characters a volume name
 * (a DNS label) cannot hold replaced by `-`, so adapter names such as `team/sql@v1` still give a valid volume.
 * @internal
 */
export function loraVolumeName(name: string): string {
  return ResourceNames.childName('lora-pvc-', name).toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/-+$/, '');
}

/** Adapters in the controller's order: by name, byte-wise (Go's strings.Compare). @internal */
export function sortedAdapters<T extends { readonly name: string }>(adapters: T[]): T[] {
  return [...adapters].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Attach the base model and LoRA adapters the way the KServe controller does (storage-initializer for
 * downloads, read-only PVC mounts, modelcar for OCI).
 * @internal
 */
export function modelArtifacts(ctx: FieldContext, model: ModelSource, adapters: LoraAdapter[], cacheClaim?: string,
  downloadSizeLimit?: string, opts: { readonly modelPath?: string; readonly allowPatterns?: string[] } = {}): ModelArtifacts {
  const modelPath = opts.modelPath ?? MODEL_PATH;
  const initContainers: k8s.Container[] = [];
  const sidecars: k8s.Container[] = [];
  const volumes: k8s.Volume[] = [];
  const mainMounts: k8s.VolumeMount[] = [];
  const mainEnv: k8s.EnvVar[] = [];
  let shareProcessNamespace = false;

  const downloads: ModelSource[] = [];
  const storageArgs: string[] = [];
  if (model.kind === ModelSourceKind.DOWNLOAD) {
    downloads.push(model);
    storageArgs.push(model.uri, modelPath);
  }
  const loraModules: { name: string; path: string }[] = [];
  const sorted = sortedAdapters(adapters);
  for (const a of sorted) {
    const path = loraPath(a.name);
    loraModules.push({ name: a.name, path });
    if (a.source.kind === ModelSourceKind.DOWNLOAD) {
      downloads.push(a.source);
      storageArgs.push(a.source.uri, path);
    } else if (a.source.kind === ModelSourceKind.PVC) {
      const volume = loraVolumeName(a.name);
      volumes.push({ name: volume, persistentVolumeClaim: { claimName: a.source._detail.claim!, readOnly: true } });
      mainMounts.push({ name: volume, mountPath: path, readOnly: true, subPath: a.source._detail.subPath });
    }
  }
  const downloadsLora = downloads.some((d) => d !== model);
  const provisionMount = downloadsLora || model.kind === ModelSourceKind.OCI ? '/mnt' : modelPath;

  if (downloads.length > 0 || model.kind === ModelSourceKind.OCI) {
    volumes.push(cacheClaim
      ? { name: PROVISION_VOLUME, persistentVolumeClaim: { claimName: cacheClaim } }
      : { name: PROVISION_VOLUME, emptyDir: downloadSizeLimit ? { sizeLimit: k8s.Quantity.fromString(downloadSizeLimit) } : {} });
    mainMounts.push({ name: PROVISION_VOLUME, mountPath: provisionMount, readOnly: model.kind !== ModelSourceKind.OCI });
  }

  if (downloads.length > 0) {
    const env: k8s.EnvVar[] = [];
    const extraMounts: k8s.VolumeMount[] = [];
    const add = (e: k8s.EnvVar) => {
      if (!env.some((x) => x.name === e.name)) env.push(e);
    };
    if (opts.allowPatterns) add({ name: 'STORAGE_ALLOW_PATTERNS', value: JSON.stringify(opts.allowPatterns) });
    for (const d of downloads) {
      const detail = d._detail;
      if (d.scheme === 'hf') {
        add({ name: 'HF_HUB_ENABLE_HF_TRANSFER', value: '1' });
        add({ name: 'HF_XET_HIGH_PERFORMANCE', value: '1' });
        add({ name: 'HF_XET_NUM_CONCURRENT_RANGE_GETS', value: '8' });
        if (detail.hfToken) {
          checkSecretName(ctx, 'token.name', detail.hfToken.name);
          add({ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: detail.hfToken.name, key: detail.hfToken.key ?? 'HF_TOKEN' } } });
        }
      } else if (d.scheme === 's3') {
        const s3 = detail.s3 ?? {};
        if (s3.credentials) {
          checkSecretName(ctx, 'credentials', s3.credentials);
          add({ name: 'AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: s3.credentials, key: 'AWS_ACCESS_KEY_ID' } } });
          add({ name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: s3.credentials, key: 'AWS_SECRET_ACCESS_KEY' } } });
        }
        if (s3.endpoint) {
          add({ name: 'AWS_ENDPOINT_URL', value: s3.endpoint.includes('://') ? s3.endpoint : `https://${s3.endpoint}` });
          add({ name: 'S3_ENDPOINT', value: s3.endpoint.replace(/^https?:\/\//, '') });
        }
        if (s3.region) add({ name: 'AWS_DEFAULT_REGION', value: s3.region });
      } else if (d.scheme === 'gs' && detail.gcsKey) {
        checkSecretName(ctx, 'credentials.name', detail.gcsKey.name);
        const key = detail.gcsKey.key ?? 'gcloud-application-credentials.json';
        volumes.push({ name: 'gcs-credentials', secret: { secretName: detail.gcsKey.name } });
        extraMounts.push({ name: 'gcs-credentials', mountPath: '/var/secrets/gcp', readOnly: true });
        add({ name: 'GOOGLE_APPLICATION_CREDENTIALS', value: `/var/secrets/gcp/${key}` });
      }
    }
    initContainers.push({
      name: 'storage-initializer',
      image: Versions.STORAGE_INITIALIZER_IMAGE,
      imagePullPolicy: 'IfNotPresent',
      args: storageArgs,
      env: env.length ? env : undefined,
      resources: {
        requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('100Mi') },
        limits: { cpu: k8s.Quantity.fromString('1'), memory: k8s.Quantity.fromString('1Gi') },
      },
      terminationMessagePolicy: 'FallbackToLogsOnError',
      volumeMounts: [{ name: PROVISION_VOLUME, mountPath: provisionMount }, ...extraMounts],
      securityContext: restrictedSecurityContext({ runAsUser: RunAsUsers.STORAGE_INITIALIZER }),
    });
  }

  if (model.kind === ModelSourceKind.PVC) {
    volumes.push({ name: 'kserve-pvc-source', persistentVolumeClaim: { claimName: model._detail.claim!, readOnly: true } });
    mainMounts.push({ name: 'kserve-pvc-source', mountPath: modelPath, readOnly: true, subPath: model._detail.subPath });
  } else if (model.kind === ModelSourceKind.OCI) {
    const image = model._detail.image!;
    const tiny = { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('15Mi') };
    initContainers.push({
      name: 'modelcar-init',
      image,
      command: ['sh', '-c', 'test -n "$(ls -A /models)" || { echo "modelcar image has no files under /models"; exit 1; }'],
      resources: { requests: tiny, limits: tiny },
      terminationMessagePolicy: 'FallbackToLogsOnError',
      securityContext: restrictedSecurityContext({ runAsUser: RunAsUsers.MODELCAR }),
    });
    sidecars.push({
      name: 'modelcar',
      image,
      args: ['sh', '-c', 'ln -sf /proc/$$$$/root/models /mnt/models && sleep infinity'],
      resources: { requests: tiny, limits: tiny },
      terminationMessagePolicy: 'FallbackToLogsOnError',
      volumeMounts: [{ name: PROVISION_VOLUME, mountPath: '/mnt' }],
      securityContext: restrictedSecurityContext({ runAsUser: RunAsUsers.MODELCAR }),
    });
    mainEnv.push({ name: 'MODEL_INIT_MODE', value: 'async' });
    shareProcessNamespace = true;
  }
  return { initContainers, sidecars, volumes, mainMounts, mainEnv, shareProcessNamespace, loraModules };
}

function checkSecretName(ctx: FieldContext, field: string, name: string): void {
  // a Secret name never starts like a token (hf_, sk-, AKIA are also refused when too short to match looksLikeSecret)
  const literal = typeof name === 'string' && (looksLikeSecret(name) || /^(hf_|sk-|AKIA)/.test(name));
  if (literal || typeof name !== 'string' || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name) || name.length > 253) {
    throw ctx.error(field, literal ? REDACTED : name, literal ? 'looks like a literal credential, not the name of a Secret' : 'is not a valid Secret name',
      "create a Secret holding the credential and pass its name, e.g. { name: 'hf-token' }");
  }
}
