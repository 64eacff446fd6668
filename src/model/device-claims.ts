import { Construct } from 'constructs';
import { DeviceClaimOptions } from './accelerator';
import * as k8s from '../imports/k8s';
import { RolePlan } from '../pipeline/role-plan';
import { ServingRole, WiringLabels } from '../wiring/labels';
import { ResourceNames } from '../wiring/names';

/** The device request of one role's pods, as written into its ResourceClaimTemplate. */
interface ClaimSpec {
  readonly deviceClassName: string;
  readonly count: number;
  readonly selectors: string[];
}

/**
 * The ResourceClaimTemplates of the roles whose accelerators are claimed through DRA (`Accelerator.*({ dra })`),
 * one per distinct claim: `N-managed-dra` (KServe's managed-DRA name), and `N-prefill-managed-dra` for prefill pods
 * whose claim differs from decode's. Returns the template name of each plan (undefined: the device-plugin resource).
 * @internal
 */
export function writeDeviceClaims(scope: Construct, name: string, namespace: string | undefined, plans: RolePlan[]): (string | undefined)[] {
  const names = ResourceNames.of(name);
  const specs = plans.map((plan) => {
    const dra = plan.spec.accelerator.deviceClaim;
    const perPod = plan.parallelism.acceleratorsPerPod;
    return dra === undefined || !plan.spec.engine.needsAccelerator || perPod === 0 ? undefined : claimSpec(dra, perPod);
  });
  const key = (c: ClaimSpec | undefined) => (c === undefined ? undefined : JSON.stringify(c));
  const prefill = (i: number) => plans[i].spec.role === ServingRole.PREFILL;
  // The main (decode) pods own N-managed-dra; prefill pods share it when their claim is the same (or main has none).
  const mainKey = key(specs.find((c, i) => c !== undefined && !prefill(i)));
  const templates = specs.map((c, i) => {
    if (c === undefined) return undefined;
    if (!prefill(i)) {
      if (key(c) !== mainKey) throw plans[i].ctx.error('accelerator.dra', c.deviceClassName, 'differs from the DRA claim of another main role', 'give the roles the same DRA claim');
      return names.managedDra;
    }
    return mainKey === undefined || key(c) === mainKey ? names.managedDra : names.prefillManagedDra;
  });
  const written = new Set<string>();
  templates.forEach((templateName, i) => {
    const spec = specs[i];
    if (templateName === undefined || spec === undefined || written.has(templateName)) return;
    written.add(templateName);
    new k8s.KubeResourceClaimTemplate(scope, templateName === names.managedDra ? 'DeviceClaimTemplate' : 'PrefillDeviceClaimTemplate', {
      metadata: { name: templateName, namespace, labels: WiringLabels.owned(name) },
      spec: {
        spec: {
          devices: {
            requests: [{
              name: ResourceNames.DRA_DEVICE_REQUEST,
              exactly: {
                deviceClassName: spec.deviceClassName,
                // KServe writes the count only above 1 (the API's default is 1 with allocationMode ExactCount).
                count: spec.count > 1 ? spec.count : undefined,
                selectors: spec.selectors.length ? spec.selectors.map((expression) => ({ cel: { expression } })) : undefined,
              },
            }],
          },
        },
      },
    });
  });
  return templates;
}

function claimSpec(dra: DeviceClaimOptions, perPod: number): ClaimSpec {
  return { deviceClassName: dra.deviceClassName, count: perPod, selectors: (dra.selectors ?? []).map((s) => s.trim()) };
}
