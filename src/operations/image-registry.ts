import * as k8s from '../imports/k8s';
import { FieldContext } from '../internal/context';
import { checkArgs } from '../internal/prop-check';
import { Versions } from '../versions';

/** Options of {@link ImageRegistry.mirror}. */
export interface ImageMirrorOptions {
  /**
   * Path under the mirror host every repository is copied to, e.g. `llm` for `mirror.example.com:5000/llm/vllm/vllm-openai`.
   * @default - none (repositories sit at the mirror's root)
   */
  readonly repositoryPrefix?: string;
  /**
   * Keep the source registry as the first path segment (`mirror.example.com:5000/ghcr.io/llm-d/...`), the layout of
   * per-registry proxy caches; Docker Hub images get `docker.io`.
   * @default false (the source registry is dropped: `mirror.example.com:5000/llm-d/...`)
   */
  readonly keepSourceRegistry?: boolean;
  /**
   * Secrets (`kubernetes.io/dockerconfigjson`) every pod of the stack pulls with (`imagePullSecrets`).
   * @default - none
   */
  readonly pullSecrets?: string[];
  /**
   * Digests to pin, by the image reference as the library writes it without a mirror (e.g.
   * `vllm/vllm-openai:v0.23.0` → `sha256:…`); the pod then pulls `mirror/repo:tag@sha256:…`.
   * @default - tags only
   */
  readonly digests?: Record<string, string>;
}

const HOST = /^(localhost|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*:[0-9]{1,5}|\[[0-9a-fA-F:]+\](:[0-9]{1,5})?|(\.?[a-z0-9]([-a-z0-9]*[a-z0-9])?)+:[0-9]{1,5})$/;
const PATH = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** An image reference split into registry host, repository path, tag and digest. */
interface ImageRef { readonly host?: string; readonly path: string; readonly tag?: string; readonly digest?: string }

function parseImage(image: string): ImageRef {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const rest = at >= 0 ? image.slice(0, at) : image;
  const slash = rest.indexOf('/');
  const first = slash >= 0 ? rest.slice(0, slash) : '';
  const isHost = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const named = isHost ? rest.slice(slash + 1) : rest;
  const colon = named.lastIndexOf(':');
  const tag = colon > named.lastIndexOf('/') ? named.slice(colon + 1) : undefined;
  return { host: isHost ? first : undefined, path: tag !== undefined ? named.slice(0, colon) : named, tag, digest };
}

/**
 * Where the stack's pods pull their images from. `ImageRegistry.mirror('mirror.example.com:5000')` rewrites every image
 * the library writes into the stack's pods (vLLM or the simulator, the routing sidecar, the storage initializer, a
 * modelcar, the EPP, the standalone Envoy, the tokenizer) to the mirror, keeping repository paths, tags and digests,
 * and adds the pull secrets to every pod.
 */
export class ImageRegistry {
  /** Pull from the images' own registries (the default). */
  public static upstream(): ImageRegistry {
    return new ImageRegistry(undefined, {});
  }

  /** Pull every image from one registry mirror, e.g. `mirror.example.com:5000` (a host, optionally with a port). */
  public static mirror(host: string, options?: ImageMirrorOptions): ImageRegistry {
    checkArgs('ImageRegistry.mirror', arguments);
    return new ImageRegistry(host, options ?? {});
  }

  private constructor(private readonly host: string | undefined, private readonly options: ImageMirrorOptions) {}

  /** Check the mirror settings. @internal */
  public _validate(ctx: FieldContext, field: string): void {
    if (!(this instanceof ImageRegistry)) throw ctx.error(field, this, 'must be an ImageRegistry', "use ImageRegistry.mirror('mirror.example.com:5000')");
    if (this.host === undefined) return;
    if (!HOST.test(this.host)) {
      throw ctx.error(`${field}.host`, this.host, 'is not a registry host (a DNS name with a dot, a host:port, or localhost; no scheme, no path)',
        "give the host as in an image reference, e.g. 'mirror.example.com:5000' or 'localhost:5000', and put a path in repositoryPrefix");
    }
    const o = this.options;
    if (o.repositoryPrefix !== undefined && !PATH.test(o.repositoryPrefix)) {
      throw ctx.error(`${field}.repositoryPrefix`, o.repositoryPrefix, 'is not a repository path (lowercase components separated by /)', "use e.g. 'llm' or 'mirror/llm'");
    }
    (o.pullSecrets ?? []).forEach((s, i) => ctx.dnsSubdomain(`${field}.pullSecrets[${i}]`, s));
    for (const [image, digest] of Object.entries(o.digests ?? {})) {
      if (typeof digest !== 'string' || !DIGEST.test(digest)) {
        throw ctx.error(`${field}.digests["${image}"]`, digest, 'is not an image digest', "write it as 'sha256:' followed by 64 hex digits (crane digest / skopeo inspect print it)");
      }
      if (parseImage(image).digest !== undefined) {
        throw ctx.error(`${field}.digests`, image, 'already carries a digest', 'key the map by the tagged reference, without @sha256:…');
      }
    }
  }

  /** The image as the pod pulls it. @internal */
  public _resolve(image: string): string {
    if (this.host === undefined) return image;
    const ref = parseImage(image);
    if (ref.host === this.host) return image; // already on the mirror
    const path = [this.options.repositoryPrefix, this.options.keepSourceRegistry ? (ref.host ?? Versions.DEFAULT_REGISTRY) : undefined, ref.path].filter((p) => p !== undefined).join('/');
    const digest = ref.digest ?? this.options.digests?.[image];
    return `${this.host}/${path}${ref.tag !== undefined ? `:${ref.tag}` : ''}${digest !== undefined ? `@${digest}` : ''}`;
  }

  /** A pod spec with every container's image resolved and the pull secrets added. @internal */
  public _applyTo(pod: k8s.PodSpec): k8s.PodSpec {
    if (this.host === undefined) return pod;
    const resolve = (cs: k8s.Container[] | undefined) => cs?.map((c) => (c.image === undefined ? c : { ...c, image: this._resolve(c.image) }));
    const secrets = (this.options.pullSecrets ?? []).filter((s) => !(pod.imagePullSecrets ?? []).some((p) => p.name === s));
    return {
      ...pod,
      containers: resolve(pod.containers)!,
      initContainers: resolve(pod.initContainers),
      imagePullSecrets: secrets.length ? [...(pod.imagePullSecrets ?? []), ...secrets.map((name) => ({ name }))] : pod.imagePullSecrets,
    };
  }
}
