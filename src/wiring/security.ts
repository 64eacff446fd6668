import * as k8s from '../imports/k8s';

/** User IDs the library's containers run as (images whose default user is root). @internal */
export const RunAsUsers = {
  /** vLLM images (`vllm/vllm-openai` runs as root by default; every writable path is an emptyDir). */
  VLLM: 1000,
  /** `kserve/storage-initializer` (its image's `kserve` user). */
  STORAGE_INITIALIZER: 1000,
  /** Modelcar containers: the vLLM user, so vLLM may follow `/proc/<modelcar>/root` (same UID) in the shared PID namespace. */
  MODELCAR: 1000,
  /** The `envoyproxy/envoy` distroless image's `envoy` user. */
  ENVOY: 101,
} as const;

/** What differs between the library's containers within the one restricted profile. @internal */
export interface RestrictedSecurityOptions {
  /** Run as this UID; unset keeps the image's user (which must not be root). */
  readonly runAsUser?: number;
  /** Whether the root filesystem is read-only; unset leaves the field out. */
  readonly readOnlyRootFilesystem?: boolean;
  /** Linux capabilities added back after dropping all (e.g. IPC_LOCK for RDMA). */
  readonly addCapabilities?: string[];
}

/**
 * The container security context of every container the library writes: no privilege escalation, non-root,
 * all capabilities dropped, the runtime's default seccomp profile (Pod Security "restricted").
 * @internal
 */
export function restrictedSecurityContext(o: RestrictedSecurityOptions = {}): k8s.SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: o.readOnlyRootFilesystem,
    runAsNonRoot: true,
    runAsUser: o.runAsUser,
    capabilities: { drop: ['ALL'], add: o.addCapabilities?.length ? o.addCapabilities : undefined },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}
