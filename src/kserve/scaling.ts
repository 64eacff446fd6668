import { Duration } from 'cdk8s';
import { isPlainObject } from './merge';
import { FieldContext } from '../internal/context';
import { Autoscaling, KedaTrigger, ScalingBehavior, ScalingRules, WvaActuator } from '../operations/autoscaling';

/**
 * `spec.scaling` / `spec.prefill.scaling` of an LLMInferenceService → the library's {@link Autoscaling}, as the
 * controller renders it (kserve-llmisvc.md §3.9): direct KEDA triggers, or WVA with an HPA or KEDA actuator.
 * `keda.fallback` and `keda.advanced` are not rendered (reported through `warn`). The CRD's CEL rules (wva xor keda,
 * min <= max, triggers) are checked by the schema; the library's own checks run when the pattern is built.
 * @internal
 */
export function kserveAutoscaling(ctx: FieldContext, base: string, scaling: unknown, warn: (m: string) => void,
  prometheusServerAddress: string | undefined): Autoscaling | undefined {
  if (scaling === undefined) return undefined;
  const f = `${base}.scaling`;
  if (!isPlainObject(scaling)) throw ctx.error(f, scaling, 'must be an object', 'use { maxReplicas, wva: {...} } or { maxReplicas, keda: { triggers } }');
  const s = scaling as any;
  const common = { minReplicas: s.minReplicas, maxReplicas: s.maxReplicas };
  const kedaTimes = (k: any, at: string) => {
    for (const x of ['fallback', 'advanced']) if (k[x] !== undefined) warn(`${at}.${x}: not rendered by the library`);
    return {
      pollingInterval: seconds(k.pollingInterval),
      cooldownPeriod: seconds(k.cooldownPeriod),
      initialCooldownPeriod: seconds(k.initialCooldownPeriod),
    };
  };
  if (isPlainObject(s.keda)) {
    const triggers: KedaTrigger[] = (Array.isArray(s.keda.triggers) ? s.keda.triggers : []).map((t: any) => ({
      type: t?.type,
      metadata: t?.metadata ?? {},
      name: t?.name,
      metricType: t?.metricType,
      authenticationRef: t?.authenticationRef?.name,
    }));
    return Autoscaling.keda({ ...common, triggers, idleReplicaCount: s.keda.idleReplicaCount, ...kedaTimes(s.keda, `${f}.keda`) });
  }
  if (isPlainObject(s.wva)) {
    const w = s.wva;
    const cost = w.variantCost === undefined ? undefined : Number(w.variantCost);
    if (isPlainObject(w.keda)) {
      if (!prometheusServerAddress) {
        throw ctx.error(`${f}.wva.keda`, w.keda, 'needs the Prometheus address KServe reads from its autoscaling-wva-controller-config',
          'pass prometheusServerAddress to LlmInferenceService (CLI: --prometheus-server-address), or use wva.hpa');
      }
      const times = kedaTimes(w.keda, `${f}.wva.keda`);
      if (w.keda.idleReplicaCount !== undefined) warn(`${f}.wva.keda.idleReplicaCount: WVA drives the replica floor; not rendered`);
      const actuator = WvaActuator.keda({ serverAddress: prometheusServerAddress, pollingInterval: times.pollingInterval });
      return Autoscaling.wva({ ...common, variantCost: cost, actuator });
    }
    return Autoscaling.wva({ ...common, variantCost: cost, actuator: WvaActuator.hpa(behavior(w.hpa?.behavior, `${f}.wva.hpa.behavior`, warn)) });
  }
  throw ctx.error(f, scaling, 'either wva or keda must be specified (CRD rule has(self.wva) || has(self.keda))', 'add wva: { hpa: {} } or keda: { triggers: [...] }');
}

function seconds(v: unknown): Duration | undefined {
  return typeof v === 'number' ? Duration.seconds(v) : undefined;
}

/** A Kubernetes HPA behavior → {@link ScalingBehavior}; policies with another period than the first are reported. */
function behavior(b: any, at: string, warn: (m: string) => void): ScalingBehavior | undefined {
  if (!isPlainObject(b)) return undefined;
  const rules = (r: any, dir: string): ScalingRules | undefined => {
    if (!isPlainObject(r)) return undefined;
    const policies = Array.isArray(r.policies) ? r.policies : [];
    const period = policies[0]?.periodSeconds;
    if (policies.some((p: any) => p?.periodSeconds !== period)) warn(`${at}.${dir}.policies: one period per direction is rendered (${period} s)`);
    if (r.selectPolicy !== undefined) warn(`${at}.${dir}.selectPolicy: not rendered (Kubernetes' default Max)`);
    return {
      stabilizationWindow: seconds(r.stabilizationWindowSeconds),
      podsPerPeriod: policies.find((p: any) => p?.type === 'Pods')?.value,
      percentPerPeriod: policies.find((p: any) => p?.type === 'Percent')?.value,
      period: seconds(period),
    };
  };
  return { scaleUp: rules(b.scaleUp, 'scaleUp'), scaleDown: rules(b.scaleDown, 'scaleDown') };
}
