/** The plain-text report of a plan: a workload table with totals, then CRDs, controllers and referenced objects. */
import { formatBytes, formatCpu } from './quantity';
import { ControllerRequirement, CrdRequirement, ExternalReference, PlanTotals, WorkloadPlan } from './types';

/** Columns padded to the widest cell, separated by two spaces. */
function columns(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd()).join('\n');
}

function replicasCell(w: WorkloadPlan): string {
  return w.autoscaler ? `${w.replicas} (${w.minReplicas}-${w.maxReplicas})` : String(w.replicas);
}

function podsCell(w: WorkloadPlan): string {
  return w.podsPerReplica > 1 ? `${w.pods} (${w.replicas}×${w.podsPerReplica})` : String(w.pods);
}

/** The report text (ends with a newline). @internal */
export function planTable(
  workloads: readonly WorkloadPlan[], totals: PlanTotals, crds: readonly CrdRequirement[],
  controllers: readonly ControllerRequirement[], external: readonly ExternalReference[],
): string {
  const header = ['WORKLOAD', 'KIND', 'ROLE', 'REPLICAS', 'PODS', 'ACCELERATOR', 'PER POD', 'TOTAL', 'CPU/POD', 'MEM/POD', '/DEV/SHM', 'RDMA/POD'];
  const namespaces = new Set(workloads.map((w) => w.namespace));
  const shared = namespaces.size === 1 ? [...namespaces][0] : undefined;
  const rows = workloads.map((w) => [
    `${w.namespace && !shared ? `${w.namespace}/` : ''}${w.name}`,
    w.kind,
    w.role + (w.routingSidecar ? '+sidecar' : ''),
    replicasCell(w),
    podsCell(w),
    w.acceleratorResource ?? '-',
    String(w.acceleratorsPerPod),
    w.maxAccelerators !== undefined && w.maxAccelerators !== w.accelerators ? `${w.accelerators} (max ${w.maxAccelerators})` : String(w.accelerators),
    formatCpu(w.cpuMillisPerPod),
    formatBytes(w.memoryBytesPerPod),
    w.shmSize ?? '-',
    w.rdmaResource ? `${w.rdmaPerPod} ${w.rdmaResource}` : '-',
  ]);
  const byResource = Object.entries(totals.acceleratorsByResource).map(([r, n]) => `${n} ${r}`).join(', ');
  const total = ['TOTAL', '', '', '', String(totals.pods), '', '', String(totals.accelerators), formatCpu(totals.cpuMillis), formatBytes(totals.memoryBytes), '', ''];
  const lines = shared ? [`Namespace ${shared}:`, ''] : [];
  lines.push(columns([header, ...rows, total]));
  lines.push('', `Requests of all pods: ${totals.pods} pods, ${byResource || 'no accelerators'}, CPU ${formatCpu(totals.cpuMillis)}, memory ${formatBytes(totals.memoryBytes)}.`);
  if (workloads.some((w) => w.podsPerReplica > 1)) lines.push('Per-pod columns of a LeaderWorkerSet show its worker pod; totals count the leader\'s own template.');
  lines.push('', crds.length ? 'CRDs needed:' : 'CRDs needed: none');
  for (const c of crds) lines.push(`  ${c.group}${c.versions.length ? ` ${c.versions.join(', ')}` : ''}: ${c.kinds.join(', ')} — ${c.source}`);
  lines.push('', controllers.length ? 'Controllers needed:' : 'Controllers needed: none');
  for (const c of controllers) lines.push(`  ${c.name}: ${c.reason} (${c.objects.length === 1 ? c.objects[0] : `${c.objects.length} objects`})`);
  if (external.length) {
    lines.push('', 'Referenced, not created here (must exist first):');
    for (const e of external) lines.push(`  ${e.kind} ${e.namespace ? `${e.namespace}/` : ''}${e.name} (${e.referencedBy.length === 1 ? e.referencedBy[0] : `${e.referencedBy.length} objects`})`);
  }
  return lines.join('\n') + '\n';
}
