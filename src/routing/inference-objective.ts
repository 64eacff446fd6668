import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { IInferencePool } from './inference-pool';
import * as llmd from '../imports/llm-d';
import { FieldContext } from '../internal/context';
import { checkArgs } from '../internal/prop-check';
import { registerSynthValidation } from '../validation/synth-validation';
import { Versions } from '../versions';

/** Props of {@link InferenceObjective}. */
export interface InferenceObjectiveProps {
  /** The pool whose requests the objective applies to (same namespace). */
  readonly pool: IInferencePool;
  /**
   * Objective name; requests select it with the `x-llm-d-inference-objective` header.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Namespace.
   * @default - the Chart's namespace
   */
  readonly namespace?: string;
  /**
   * Priority: higher is served first under load; negative values are allowed (the textbook's "criticality":
   * Critical ≈ 100, Standard = 0, Sheddable < 0).
   * @default 0
   */
  readonly priority?: number;
  /**
   * Labels.
   * @default - none
   */
  readonly labels?: Record<string, string>;
}

/** An llm-d.ai/v1alpha2 InferenceObjective: the priority of a class of requests to a pool. */
export class InferenceObjective extends Construct {
  /** The objective object. */
  public readonly apiObject: ApiObject;
  /** The objective name (the header value clients send). */
  public readonly objectiveName: string;

  constructor(scope: Construct, id: string, props: InferenceObjectiveProps) {
    super(scope, id);
    checkArgs('InferenceObjective.constructor', arguments, this.node.path);
    registerSynthValidation(this);
    const ctx = new FieldContext(this.node.path);
    const priority = props.priority ?? 0;
    if (!Number.isInteger(priority) || priority < -2147483648 || priority > 2147483647) {
      throw ctx.error('priority', priority, 'must be a 32-bit integer', 'use e.g. 100 for critical traffic, 0 for standard, -10 for sheddable');
    }
    this.objectiveName = props.name ?? id;
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(this.objectiveName) || this.objectiveName.length > 253) {
      throw ctx.error('name', this.objectiveName, 'is not a valid object name', 'use a DNS-1123 subdomain');
    }
    if (props.pool.poolNamespace && props.namespace && props.pool.poolNamespace !== props.namespace) {
      throw ctx.error('pool', `${props.pool.poolNamespace}/${props.pool.poolName}`, 'is in another namespace; objectives must be in the pool\'s namespace', `create the objective in ${props.pool.poolNamespace}`);
    }
    const spec: llmd.InferenceObjectiveSpec = {
      priority,
      poolRef: { group: props.pool.poolGroup, kind: 'InferencePool', name: props.pool.poolName },
    };
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: Versions.LLM_D_OBJECTIVE_API,
      kind: 'InferenceObjective',
      metadata: { name: this.objectiveName, namespace: props.namespace ?? props.pool.poolNamespace, labels: props.labels },
      spec: llmd.toJson_InferenceObjectiveSpec(spec),
    });
  }
}
