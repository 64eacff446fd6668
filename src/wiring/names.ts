import { createHash } from 'crypto';

const LONGEST = 63;
const HEAD = 31;

/**
 * Object names of the wiring contract. They follow the KServe LLMInferenceService controller: every child
 * name is `ChildName(N, suffix)`, which keeps names within 63 characters by hashing instead of truncating.
 */
export class ResourceNames {
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

  /** Main (or decode) LeaderWorkerSet: `N-kserve-mn`. */
  public get mainLeaderWorkerSet(): string {
    return ResourceNames.childName(this.parent, '-kserve-mn');
  }

  /** Prefill LeaderWorkerSet: `N-kserve-mn-prefill`. */
  public get prefillLeaderWorkerSet(): string {
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

  /** Managed HTTPRoute: `N-kserve-route`. */
  public get httpRoute(): string {
    return ResourceNames.childName(this.parent, '-kserve-route');
  }
}
