import { Accelerator } from './accelerator';
import { FieldContext } from '../internal/context';
import { Ports } from '../wiring/ports';

/** How requests reach the data-parallel ranks of a pod or group. */
export enum DataParallelLoadBalancing {
  /** One API server per pod (the leader's, across nodes) balances over its ranks internally; workers run `--headless` (KServe). */
  INTERNAL = 'INTERNAL',
  /** One API port per local rank (`--data-parallel-multi-port-external-lb`); the pool lists every rank port (llm-d wide-EP). */
  EXTERNAL_PER_RANK = 'EXTERNAL_PER_RANK',
}

/** How one model is split across accelerators (vLLM's parallelism settings). */
export interface Parallelism {
  /**
   * Tensor parallel size: each layer split across this many accelerators.
   * @default 1
   */
  readonly tensor?: number;
  /**
   * Pipeline parallel size: the layers split into this many stages.
   * @default 1
   */
  readonly pipeline?: number;
  /**
   * Data parallel size: number of engine replicas (ranks) in one serving group.
   * @default 1
   */
  readonly data?: number;
  /**
   * Data parallel ranks per pod. Must divide `data`; `data / dataLocal` pods form one group.
   * @default - equal to `data` (all ranks in one pod)
   */
  readonly dataLocal?: number;
  /**
   * Expert parallelism for MoE models (`--enable-expert-parallel`): the experts are spread over the
   * DP × TP group. Needs `data` × `tensor` > 1.
   * @default false
   */
  readonly expert?: boolean;
  /**
   * Data parallel RPC port on the group leader (multi-node only).
   * @default 5555
   */
  readonly dataRpcPort?: number;
}

/**
 * Everything derived from a {@link Parallelism}: the single place where GPU counts, pods per group and
 * engine flags are computed.
 * @internal
 */
export interface ParallelismPlan {
  readonly tensor: number;
  readonly pipeline: number;
  readonly data: number;
  readonly dataLocal: number;
  readonly expert: boolean;
  readonly dataRpcPort?: number;
  /** Accelerators per pod: TP × PP × dataLocal. */
  readonly acceleratorsPerPod: number;
  /** Pods in one serving group: data / dataLocal. */
  readonly podsPerGroup: number;
}

/**
 * Validate a parallelism and derive the plan. Errors name `ctx`'s construct and `parallelism.<field>`.
 * @internal
 */
export function planParallelism(ctx: FieldContext, p: Parallelism = {}, accelerator: Accelerator): ParallelismPlan {
  for (const f of ['tensor', 'pipeline', 'data', 'dataLocal'] as const) ctx.positiveInt(f, p[f]);
  const tensor = p.tensor ?? 1;
  const pipeline = p.pipeline ?? 1;
  const data = p.data ?? 1;
  const dataLocal = p.dataLocal ?? data;
  if (data % dataLocal !== 0) {
    throw ctx.error('dataLocal', dataLocal, `does not divide data (${data}), so ranks cannot be spread evenly over pods`,
      `choose a dataLocal that divides ${data} (e.g. ${divisors(data).join(', ')})`);
  }
  const expert = p.expert ?? false;
  if (expert && data * tensor <= 1) {
    throw ctx.error('expert', expert, 'expert parallelism needs a DP × TP group larger than 1 (data and tensor are both 1)',
      'set data and/or tensor above 1, or drop expert');
  }
  if (p.dataRpcPort !== undefined && !Ports.isValidPort(p.dataRpcPort)) {
    throw ctx.error('dataRpcPort', p.dataRpcPort, 'is not a TCP port', `use a port between 1 and ${Ports.MAX_PORT} (default ${Ports.DATA_PARALLEL_RPC})`);
  }
  const acceleratorsPerPod = tensor * pipeline * dataLocal;
  const gpuCtx = ctx.child('accelerator');
  if (!accelerator.isDevice && tensor * pipeline > 1) {
    throw ctx.error(tensor > 1 ? 'tensor' : 'pipeline', tensor > 1 ? tensor : pipeline,
      'CPU serving cannot split a model across accelerators', 'set tensor and pipeline to 1, or use a GPU accelerator such as Accelerator.nvidia()');
  }
  if (accelerator.isDevice) {
    const requested = accelerator.requestedCount;
    if (requested !== undefined && requested !== acceleratorsPerPod) {
      throw new FieldContext(gpuCtx.constructPath).error('accelerator.count', requested,
        `does not match the parallelism: tensor ${tensor} × pipeline ${pipeline} × dataLocal ${dataLocal} = ${acceleratorsPerPod} ${accelerator.resourceName} per pod`,
        `set accelerator count to ${acceleratorsPerPod}, or change the parallelism so that TP × PP × dataLocal = ${requested}`);
    }
    if (acceleratorsPerPod > accelerator.perNode) {
      throw ctx.error('tensor', tensor,
        `tensor ${tensor} × pipeline ${pipeline} × dataLocal ${dataLocal} needs ${acceleratorsPerPod} ${accelerator.resourceName} in one pod, more than the ${accelerator.perNode} per node`,
        `serve it with MultiNodeGroup (a group of ${Math.ceil(acceleratorsPerPod / accelerator.perNode)} pods of ${accelerator.perNode}, e.g. LaunchStrategy.ray() with tensor ${accelerator.perNode} × pipeline ${Math.ceil(acceleratorsPerPod / accelerator.perNode)}), lower the parallelism, or raise accelerator perNode if your nodes have more`);
    }
  }
  return { tensor, pipeline, data, dataLocal, expert, dataRpcPort: p.dataRpcPort, acceleratorsPerPod, podsPerGroup: data / dataLocal };
}

function divisors(n: number): number[] {
  const out: number[] = [];
  for (let i = 1; i <= n && out.length < 6; i++) if (n % i === 0) out.push(i);
  return out;
}
