import { Accelerator } from './accelerator';

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
