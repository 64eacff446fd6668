import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkArgs } from '../internal/prop-check';
import { Versions } from '../versions';
import { LabelKeys } from '../wiring/labels';

/** A Pod Security Standards level (Pod Security Admission). */
export enum PodSecurityLevel {
  /** The hardened profile. */
  RESTRICTED = 'restricted',
  /** Known privilege escalations blocked. */
  BASELINE = 'baseline',
  /** Unrestricted. */
  PRIVILEGED = 'privileged',
}

/** One field of one pod that keeps it out of a stricter level. */
export interface PodSecurityFinding {
  /** The object, `Kind/namespace/name`. */
  readonly object: string;
  /** The field, as a path in the object (e.g. `spec.template.spec.containers[main].securityContext.capabilities.add`). */
  readonly path: string;
  /** The strictest level this field allows. */
  readonly level: PodSecurityLevel;
  /** What the field does and why the library sets it. */
  readonly reason: string;
}

/** The Pod Security level a set of pods meets, and what to label their namespace with. */
export interface PodSecurityReport {
  /** The strictest level every pod meets. */
  readonly level: PodSecurityLevel;
  /** The fields that keep pods out of `restricted` (empty when every pod is restricted). */
  readonly findings: PodSecurityFinding[];
  /** Namespace labels that enforce the level (`pod-security.kubernetes.io/enforce`, also `warn` and `audit` at `restricted`). */
  readonly namespaceLabels: Record<string, string>;
}

const ORDER = [PodSecurityLevel.RESTRICTED, PodSecurityLevel.BASELINE, PodSecurityLevel.PRIVILEGED];
/** Capabilities the baseline level allows to add (Pod Security Standards, Kubernetes 1.35). */
const BASELINE_CAPABILITIES = ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'];
/** Volume types the restricted level allows. */
const RESTRICTED_VOLUMES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
/** Why the library adds a capability. */
const CAPABILITY_REASONS: Record<string, string> = {
  IPC_LOCK: 'RDMA: NIXL/UCX and NCCL pin (mlock) the memory they register with the RDMA NIC',
  SYS_RAWIO: 'raw device I/O',
  NET_RAW: 'raw sockets',
};

type Obj = Record<string, any>;

/** The pod templates of a manifest: `[path, pod spec]`. */
function podSpecs(o: Obj): Array<[string, Obj]> {
  const spec = o.spec ?? {};
  switch (o.kind) {
    case 'Pod': return [['spec', spec]];
    case 'Deployment': case 'StatefulSet': case 'DaemonSet': case 'ReplicaSet': case 'Job':
      return spec.template?.spec ? [['spec.template.spec', spec.template.spec]] : [];
    case 'LeaderWorkerSet': {
      const t = spec.leaderWorkerTemplate ?? {};
      return [
        ...(t.leaderTemplate?.spec ? [['spec.leaderWorkerTemplate.leaderTemplate.spec', t.leaderTemplate.spec] as [string, Obj]] : []),
        ...(t.workerTemplate?.spec ? [['spec.leaderWorkerTemplate.workerTemplate.spec', t.workerTemplate.spec] as [string, Obj]] : []),
      ];
    }
    default: return [];
  }
}

function evaluatePod(object: string, base: string, pod: Obj): PodSecurityFinding[] {
  const out: PodSecurityFinding[] = [];
  const add = (path: string, level: PodSecurityLevel, reason: string) => out.push({ object, path: `${base}.${path}`, level, reason });
  for (const f of ['hostNetwork', 'hostPID', 'hostIPC'] as const) if (pod[f] === true) add(f, PodSecurityLevel.PRIVILEGED, `shares the node's ${f.slice(4)} namespace`);
  for (const v of pod.volumes ?? []) {
    const type = Object.keys(v).find((k) => k !== 'name');
    if (type === 'hostPath') add(`volumes[${v.name}].hostPath`, PodSecurityLevel.PRIVILEGED, 'mounts a path of the node');
    else if (type !== undefined && !RESTRICTED_VOLUMES.includes(type)) add(`volumes[${v.name}].${type}`, PodSecurityLevel.BASELINE, `a ${type} volume (restricted allows ${RESTRICTED_VOLUMES.join(', ')})`);
  }
  const psc = pod.securityContext ?? {};
  const containers: Array<[string, Obj]> = [
    ...(pod.initContainers ?? []).map((c: Obj) => [`initContainers[${c.name}]`, c] as [string, Obj]),
    ...(pod.containers ?? []).map((c: Obj) => [`containers[${c.name}]`, c] as [string, Obj]),
  ];
  for (const [cpath, c] of containers) {
    const sc = c.securityContext ?? {};
    if (sc.privileged === true) add(`${cpath}.securityContext.privileged`, PodSecurityLevel.PRIVILEGED, 'a privileged container');
    for (const p of c.ports ?? []) if (p.hostPort) add(`${cpath}.ports[${p.name ?? p.containerPort}].hostPort`, PodSecurityLevel.PRIVILEGED, 'binds a port of the node');
    for (const cap of sc.capabilities?.add ?? []) {
      const reason = CAPABILITY_REASONS[cap] ?? `adds the ${cap} capability`;
      if (!BASELINE_CAPABILITIES.includes(cap)) add(`${cpath}.securityContext.capabilities.add`, PodSecurityLevel.PRIVILEGED, `${cap}: ${reason}`);
      else if (cap !== 'NET_BIND_SERVICE') add(`${cpath}.securityContext.capabilities.add`, PodSecurityLevel.BASELINE, `${cap}: ${reason}`);
    }
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) add(`${cpath}.securityContext.capabilities.drop`, PodSecurityLevel.BASELINE, 'does not drop ALL capabilities');
    if (sc.allowPrivilegeEscalation !== false) add(`${cpath}.securityContext.allowPrivilegeEscalation`, PodSecurityLevel.BASELINE, 'privilege escalation is not turned off');
    if ((sc.runAsNonRoot ?? psc.runAsNonRoot) !== true) add(`${cpath}.securityContext.runAsNonRoot`, PodSecurityLevel.BASELINE, 'may run as root');
    if ((sc.runAsUser ?? psc.runAsUser) === 0) add(`${cpath}.securityContext.runAsUser`, PodSecurityLevel.BASELINE, 'runs as UID 0');
    const seccomp = sc.seccompProfile?.type ?? psc.seccompProfile?.type;
    if (seccomp === 'Unconfined') add(`${cpath}.securityContext.seccompProfile`, PodSecurityLevel.PRIVILEGED, 'runs without seccomp');
    else if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') add(`${cpath}.securityContext.seccompProfile`, PodSecurityLevel.BASELINE, 'sets no seccomp profile');
  }
  return out;
}

/**
 * Pod Security Admission levels of what a stack synthesizes: every pod template (Deployments, LeaderWorkerSets, …)
 * is checked against the `restricted` and `baseline` Pod Security Standards (Kubernetes 1.35), field by field.
 */
export class PodSecurity {
  /** Evaluate every pod template under `scope` (a Chart, an App, a pattern). */
  public static evaluate(scope: IConstruct): PodSecurityReport {
    checkArgs('PodSecurity.evaluate', arguments);
    const objects = scope.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject).map((o) => o.toJson());
    return PodSecurity.evaluateManifests(objects);
  }

  /** Evaluate plain manifests (parsed YAML). */
  public static evaluateManifests(objects: Record<string, any>[]): PodSecurityReport {
    checkArgs('PodSecurity.evaluateManifests', arguments);
    const findings = objects.flatMap((o) => podSpecs(o).flatMap(([base, pod]) =>
      evaluatePod(`${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`, base, pod)));
    const level = findings.reduce((l, f) => (ORDER.indexOf(f.level) > ORDER.indexOf(l) ? f.level : l), PodSecurityLevel.RESTRICTED);
    const namespaceLabels: Record<string, string> = { [LabelKeys.POD_SECURITY_ENFORCE]: level, [LabelKeys.POD_SECURITY_ENFORCE_VERSION]: `v${Versions.KUBERNETES}` };
    if (level !== PodSecurityLevel.RESTRICTED) {
      namespaceLabels[LabelKeys.POD_SECURITY_WARN] = PodSecurityLevel.RESTRICTED;
      namespaceLabels[LabelKeys.POD_SECURITY_AUDIT] = PodSecurityLevel.RESTRICTED;
    }
    return { level, findings, namespaceLabels };
  }

  private constructor() {}
}
