import { ApiObject, App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { controllerRequirements, crdRequirements, externalReferences } from './requirements';
import { planTable } from './table';
import { mermaidTopology } from './topology';
import { ControllerRequirement, CrdRequirement, ExternalReference, PlanTotals, WorkloadPlan } from './types';
import { K8sObject, planWorkloads } from './workloads';
import { FieldContext } from '../internal/context';
import { checkArgs } from '../internal/prop-check';

/**
 * What a set of manifests deploys: pods, accelerators, CPU, memory and /dev/shm per workload, the CRDs and
 * controllers the cluster needs, and the objects referenced by name that must exist first. Built from synthesized
 * objects, so it describes exactly what `kubectl apply` would create.
 */
export class Plan {
  /** The plan of everything synthesized under `scope` (an App, a Chart or any construct holding ApiObjects). */
  public static of(scope: IConstruct): Plan {
    checkArgs('Plan.of', arguments);
    let objects: K8sObject[];
    if (scope instanceof App) objects = scope.charts.flatMap((c) => c.toJson());
    else if (scope instanceof Chart) objects = scope.toJson();
    else objects = scope.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject).map((o) => o.toJson());
    return new Plan(objects);
  }

  /** The plan of Kubernetes objects as parsed from YAML or JSON (`List` objects are expanded). */
  public static fromManifests(manifests: any[]): Plan {
    checkArgs('Plan.fromManifests', arguments);
    const ctx = new FieldContext('Plan.fromManifests');
    const objects: K8sObject[] = [];
    manifests.forEach((m, i) => {
      if (m === null || m === undefined) return;
      if (typeof m !== 'object' || Array.isArray(m) || typeof m.apiVersion !== 'string' || typeof m.kind !== 'string') {
        throw ctx.error(`manifests[${i}]`, m, 'is not a Kubernetes object (an object with string apiVersion and kind)', 'pass parsed manifests, e.g. YAML.parseAllDocuments(text).map((d) => d.toJS())');
      }
      if (m.kind === 'List' && Array.isArray(m.items)) objects.push(...m.items);
      else objects.push(m);
    });
    return new Plan(objects);
  }

  /** One entry per Deployment, StatefulSet and LeaderWorkerSet, in manifest order. */
  public readonly workloads: WorkloadPlan[];
  /** Sums over the workloads. */
  public readonly totals: PlanTotals;
  /** CRDs the objects need, one per API group. */
  public readonly crds: CrdRequirement[];
  /** Controllers and device plugins the objects need. */
  public readonly controllers: ControllerRequirement[];
  /** Objects referenced by name that the manifests do not contain. */
  public readonly externalReferences: ExternalReference[];
  private readonly objects: K8sObject[];

  private constructor(objects: K8sObject[]) {
    this.objects = objects;
    this.workloads = planWorkloads(objects);
    const byResource: { [resource: string]: number } = {};
    for (const w of this.workloads) {
      if (w.acceleratorResource) byResource[w.acceleratorResource] = (byResource[w.acceleratorResource] ?? 0) + w.accelerators;
    }
    this.totals = {
      pods: this.workloads.reduce((n, w) => n + w.pods, 0),
      accelerators: this.workloads.reduce((n, w) => n + w.accelerators, 0),
      acceleratorsByResource: byResource,
      cpuMillis: this.workloads.reduce((n, w) => n + w.cpuMillis, 0),
      memoryBytes: this.workloads.reduce((n, w) => n + w.memoryBytes, 0),
    };
    this.crds = crdRequirements(objects);
    this.controllers = controllerRequirements(objects, this.workloads);
    this.externalReferences = externalReferences(objects);
  }

  /** The plan as a readable table with the CRDs, controllers and referenced objects below it. */
  public toTable(): string {
    return planTable(this.workloads, this.totals, this.crds, this.controllers, this.externalReferences);
  }

  /**
   * The request path as a Mermaid flowchart: Gateway → HTTPRoute → InferencePool → EPP, the pool's workloads,
   * and decode pods with the routing sidecar → prefill.
   */
  public toMermaid(): string {
    return mermaidTopology(this.objects);
  }

  /** The plan as one JSON-serializable object (`workloads`, `totals`, `crds`, `controllers`, `externalReferences`). */
  public toJson(): any {
    return JSON.parse(JSON.stringify({
      workloads: this.workloads, totals: this.totals, crds: this.crds, controllers: this.controllers, externalReferences: this.externalReferences,
    }));
  }
}
