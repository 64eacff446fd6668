/** The plain-text report of a plan: a workload table with totals, then CRDs, controllers and referenced objects. */
import { ControllerRequirement, CrdRequirement, ExternalReference, PlanTotals, WorkloadPlan } from './types';
import { formatBytes, formatCpu } from '../internal/quantity';

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
  const sized = workloads.filter((w) => w.capacity);
  if (sized.length) {
    const head = ['WORKLOAD', 'MODEL', 'ACCELERATOR', 'TP×PP×DP', 'WEIGHTS/GPU', 'KV/GPU', 'KV TOKENS', 'MAX-MODEL-LEN', 'SEQS/ENGINE', 'SEQS TOTAL', 'STARTUP'];
    const cap = sized.map((w) => {
      const c = w.capacity!;
      return [
        `${w.namespace && !shared ? `${w.namespace}/` : ''}${w.name}`,
        c.model,
        c.acceleratorType ? `${c.acceleratorType} (${c.acceleratorMemoryGib} GiB)` : '?',
        `${c.tensor}×${c.pipeline}×${c.data}${c.expert ? ' EP' : ''}`,
        `${c.weightsGibPerGpu.toFixed(1)} GiB`,
        c.kvCacheGibPerGpu !== undefined ? `${c.kvCacheGibPerGpu.toFixed(1)} GiB` : '-',
        c.kvCacheTokens !== undefined ? String(c.kvCacheTokens) : '-',
        String(c.maxModelLen),
        c.maxConcurrency !== undefined ? String(c.maxConcurrency) : '-',
        c.maxConcurrencyTotal !== undefined ? String(c.maxConcurrencyTotal) : '-',
        c.startupSeconds !== undefined ? `${Math.round(c.startupSeconds / 60)} min` : '-',
      ];
    });
    lines.push('', 'Capacity (per GPU; an engine is one data-parallel rank of TP × PP GPUs):', columns([head, ...cap]));
    if (sized.some((w) => w.capacity!.acceleratorType === undefined)) lines.push('Accelerator ? : type unknown (set Accelerator.nvidia({ type }) or a GPU product node selector) — no memory figures.');
    for (const w of sized) for (const m of w.capacity!.warnings) lines.push(`  warning: ${w.name}: ${m}`);
  }
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

/** A one-line summary of a workload: pods, accelerators and, with a model profile, its capacity. @internal */
export function workloadSummary(w: WorkloadPlan): string {
  const name = `${w.kind} ${w.namespace ? `${w.namespace}/` : ''}${w.name}`;
  const gpus = w.acceleratorResource ? `, ${w.accelerators} ${w.acceleratorResource} (${w.acceleratorsPerPod} per pod)` : '';
  const c = w.capacity;
  let cap = '';
  if (c) {
    cap = `; ${c.model} on ${c.acceleratorType ?? 'an accelerator of unknown type'}, TP ${c.tensor} × PP ${c.pipeline} × DP ${c.data}: ${c.weightsGibPerGpu.toFixed(1)} GiB weights per GPU`;
    if (c.kvCacheTokens !== undefined) {
      cap += `, ${c.kvCacheTokens} KV-cache tokens per engine, ${c.maxConcurrency} sequence(s) of ${c.maxModelLen} tokens per engine (${c.maxConcurrencyTotal} in all)`;
    }
    if (c.startupSeconds !== undefined) cap += `, startup budget ${Math.round(c.startupSeconds / 60)} min`;
  }
  return `${name} (${w.role}): ${w.pods} pod(s)${gpus}${cap}`;
}
