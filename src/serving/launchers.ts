import { Ports } from '../wiring/ports';

/** Ray head port on the group leader. */
const RAY_PORT = Ports.RAY_HEAD;

/**
 * The bash launcher of a native data-parallel pod: the start rank and leader address come from LWS's env. It first
 * waits (up to `DP_ADDRESS_RESOLVE_ATTEMPTS` seconds, 30 by default, as KServe's data-parallel presets) for the
 * leader's DNS name, which the LWS headless Service publishes only after the leader pod exists: vLLM exiting on an
 * unresolvable address would restart the pod, and `RecreateGroupOnPodRestart` the whole group.
 * @internal
 */
export function dataParallelLauncher(dataLocal: number): string[] {
  return ['/bin/bash', '-c', [
    'set -eu',
    'for _ in $(seq 1 "${DP_ADDRESS_RESOLVE_ATTEMPTS:-30}"); do getent hosts "${LWS_LEADER_ADDRESS}" >/dev/null 2>&1 && break; sleep 1; done',
    `START_RANK=$(( \${LWS_WORKER_INDEX:-0} * ${dataLocal} ))`,
    'exec vllm serve "$@" --data-parallel-address "${LWS_LEADER_ADDRESS}" --data-parallel-start-rank "${START_RANK}"',
  ].join('\n'), '--'];
}

/** The bash launcher of the Ray leader: head node, wait for the group, then serve. @internal */
export function rayLeaderLauncher(groupSize: number, gpusPerPod: number): string[] {
  return ['/bin/bash', '-c', [
    'set -eu',
    `ray start --head --port=${RAY_PORT} --num-gpus=${gpusPerPod}`,
    'for attempt in $(seq 1 300); do',
    '  alive=$(python3 -c \'import ray; ray.init(address="auto", logging_level="ERROR"); print(sum(1 for n in ray.nodes() if n["Alive"]))\' 2>/dev/null || echo 0)',
    `  if [ "$alive" -ge ${groupSize} ]; then break; fi`,
    '  sleep 1',
    'done',
    'exec vllm serve "$@"',
  ].join('\n'), '--'];
}

/** The bash launcher of a Ray worker: join the leader's head and block. @internal */
export function rayWorkerLauncher(gpusPerPod: number): string[] {
  return ['/bin/bash', '-c', [
    'set -u',
    `until ray start --address="\${LWS_LEADER_ADDRESS}:${RAY_PORT}" --num-gpus=${gpusPerPod} --block; do sleep 5; done`,
  ].join('\n')];
}

