import { Accelerator } from './accelerator';
import { FieldContext } from '../internal/context';

/** RDMA for the NIXL transfer between prefill and decode (P/D KV transfer, multi-node collectives; only when asked). */
export interface RdmaOptions {
  /**
   * The RDMA extended resource per pod, e.g. `rdma/roce_gdr` (RoCE) or `rdma/ib` (InfiniBand).
   * @default 'rdma/roce_gdr'
   */
  readonly resourceName?: string;
  /**
   * Count of that resource per pod.
   * @default 1
   */
  readonly count?: number;
  /**
   * Multus networks to attach (`k8s.v1.cni.cncf.io/networks` annotation), e.g. `roce-p2`.
   * @default - no annotation
   */
  readonly networks?: string;
}

/**
 * The accelerator with the RDMA resource added (requests = limits), or unchanged without RDMA.
 * @internal
 */
export function withRdma(accelerator: Accelerator, rdma: RdmaOptions | undefined): Accelerator {
  return rdma ? accelerator._withExtraResources({ [rdma.resourceName ?? 'rdma/roce_gdr']: String(rdma.count ?? 1) }) : accelerator;
}

const RDMA_CAPABLE = ['nvidia', 'amd', 'custom'];
const RDMA_RESOURCE = /^rdma\/[a-z0-9_]+$/;

/**
 * Check RDMA options against the accelerators of every role that gets them. Shared by every serving pattern.
 * @internal
 */
export function validateRdma(ctx: FieldContext, rdma: RdmaOptions | undefined, roles: { ctx: FieldContext; accelerator: Accelerator }[]): void {
  if (rdma === undefined) return;
  for (const role of roles) {
    if (!RDMA_CAPABLE.includes(role.accelerator.vendor)) {
      throw role.ctx.error('accelerator', role.accelerator.vendor, `cannot use RDMA (${rdma.resourceName ?? 'rdma/roce_gdr'}) for GPUDirect transfers`,
        'drop rdma, or run on NVIDIA/AMD GPUs');
    }
  }
  ctx.child('rdma').positiveInt('count', rdma.count);
  if (rdma.resourceName !== undefined && !RDMA_RESOURCE.test(rdma.resourceName)) {
    throw ctx.error('rdma.resourceName', rdma.resourceName, 'is not an RDMA device-plugin resource', "use 'rdma/roce_gdr' or 'rdma/ib'");
  }
  if (rdma.networks !== undefined && !/^[a-z0-9]([-a-z0-9./@,]*[a-z0-9])?$/.test(rdma.networks)) {
    throw ctx.error('rdma.networks', rdma.networks, 'is not a Multus network selection (comma-separated [namespace/]name[@interface])', "use e.g. 'roce-p2' or 'kube-system/roce-p2'");
  }
}
