import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { IInferencePool } from './inference-pool';
import * as llmd from '../imports/llm-d';
import { FieldContext } from '../internal/context';
import { checkArgs } from '../internal/prop-check';
import { recordOrigin, registerSynthValidation } from '../validation/synth-validation';
import { Versions } from '../versions';
import { resolveNamespace } from '../wiring/namespace';

/** The most a target weight may be (the CRD's `maximum`). */
const MAX_WEIGHT = 1000000;

/** A model a rewrite sends requests to. */
export interface ModelRewriteTarget {
  /** The model name the request is rewritten to (a name the pool's model servers serve). */
  readonly model: string;
  /**
   * Relative weight (1 - 1,000,000) among the rule's targets; set on every target of a rule or on none.
   * @default - none: the targets share the traffic equally
   */
  readonly weight?: number;
}

/** One rule of a rewrite: which requested model names it matches, and where they go. */
export interface ModelRewriteRule {
  /**
   * Requested model names (the `model` field of the request body) the rule matches exactly.
   * @default - none: the rule matches every request to the pool (a catch-all)
   */
  readonly matchModels?: string[];
  /** The models the matched requests are rewritten to, weighted. */
  readonly targets: ModelRewriteTarget[];
}

/** Props of {@link InferenceModelRewrite}. */
export interface InferenceModelRewriteProps {
  /** The pool whose Endpoint Picker applies the rewrite (same namespace). */
  readonly pool: IInferencePool;
  /** The rules, in precedence order (an exact match beats a catch-all; among equals the first rule wins). */
  readonly rules: ModelRewriteRule[];
  /**
   * Object name.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Namespace.
   * @default - the pool's namespace, else the Chart's namespace
   */
  readonly namespace?: string;
  /**
   * Labels.
   * @default - none
   */
  readonly labels?: Record<string, string>;
}

/**
 * An llm-d.ai/v1alpha2 InferenceModelRewrite: the pool's Endpoint Picker rewrites the requested model name to one
 * or more target models, by weight (serve model name A from model B, or split one name across two versions served
 * by the same pool). The EPP's Role created by the library already reads `inferencemodelrewrites` of `llm-d.ai`.
 */
export class InferenceModelRewrite extends Construct {
  /**
   * The rewrites in the construct tree of `scope` that apply to a pool.
   * @internal
   */
  public static _forPool(scope: IConstruct, poolName: string, poolNamespace: string | undefined): InferenceModelRewrite[] {
    return scope.node.root.node.findAll()
      .filter((c): c is InferenceModelRewrite => c instanceof InferenceModelRewrite)
      .filter((r) => r.poolName === poolName && r.resolvedNamespace === poolNamespace);
  }

  /** The rewrite object. */
  public readonly apiObject: ApiObject;
  /** The object name. */
  public readonly rewriteName: string;
  /** Name of the pool the rewrite applies to. */
  public readonly poolName: string;
  private readonly resolvedNamespace?: string;
  private readonly rules: { matches: string[]; targets: string[] }[];

  constructor(scope: Construct, id: string, props: InferenceModelRewriteProps) {
    super(scope, id);
    checkArgs('InferenceModelRewrite.constructor', arguments, this.node.path);
    registerSynthValidation(this);
    const ctx = new FieldContext(this.node.path);
    this.rewriteName = props.name ?? id;
    ctx.dnsSubdomain('name', this.rewriteName);
    ctx.dnsLabel('namespace', props.namespace, 'is not a valid namespace', 'use a DNS-1123 label');
    if (props.pool.poolNamespace && props.namespace && props.pool.poolNamespace !== props.namespace) {
      throw ctx.error('pool', `${props.pool.poolNamespace}/${props.pool.poolName}`, "is in another namespace; the EPP reads rewrites of its pool's namespace only",
        `create the rewrite in ${props.pool.poolNamespace}`);
    }
    if (!Array.isArray(props.rules) || props.rules.length === 0) {
      throw ctx.error('rules', props.rules, 'is empty; a rewrite without rules rewrites nothing', "add a rule, e.g. { matchModels: ['llama'], targets: [{ model: 'llama-v2' }] }");
    }
    const exact = new Map<string, number>();
    let catchAll: number | undefined;
    this.rules = props.rules.map((rule, i) => checkRule(ctx.child(`rules[${i}]`), rule));
    this.rules.forEach((rule, i) => {
      const rctx = ctx.child(`rules[${i}]`);
      if (rule.matches.length === 0) {
        if (catchAll !== undefined) {
          throw rctx.error('matchModels', undefined, `is a second catch-all rule (after rules[${catchAll}]); the EPP only ever applies the first`,
            'merge the catch-all rules, or give this one matchModels');
        }
        catchAll = i;
      }
      rule.matches.forEach((m, k) => {
        const first = exact.get(m);
        if (first !== undefined) {
          throw rctx.error(`matchModels[${k}]`, m, `is already matched by rules[${first}]; the EPP applies the first rule, so this one never matches`,
            'match each model name in one rule only');
        }
        exact.set(m, i);
      });
    });
    this.poolName = props.pool.poolName;
    const namespace = props.namespace ?? props.pool.poolNamespace;
    this.resolvedNamespace = namespace ?? resolveNamespace(this);
    const spec: llmd.InferenceModelRewriteSpec = {
      poolRef: { group: props.pool.poolGroup, kind: 'InferencePool', name: props.pool.poolName },
      rules: props.rules.map((rule) => ({
        matches: rule.matchModels?.length
          ? rule.matchModels.map((value) => ({ model: { type: llmd.InferenceModelRewriteSpecRulesMatchesModelType.EXACT, value } }))
          : undefined,
        targets: rule.targets.map((t) => ({ modelRewrite: t.model, weight: t.weight })),
      })),
    };
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: Versions.LLM_D_OBJECTIVE_API,
      kind: 'InferenceModelRewrite',
      metadata: { name: this.rewriteName, namespace, labels: props.labels },
      spec: llmd.toJson_InferenceModelRewriteSpec(spec),
    });
    recordOrigin(this.apiObject, ctx, { '/spec/poolRef': 'pool', '/spec/rules': 'rules', '/metadata/labels': 'labels[*]' });
  }

  /**
   * The models a request for `model` reaches through this rewrite, or undefined when no rule matches it
   * (exact matches first, then the catch-all).
   * @internal
   */
  public _targetsOf(model: string): string[] | undefined {
    const exact = this.rules.find((r) => r.matches.includes(model));
    if (exact) return exact.targets;
    return this.rules.find((r) => r.matches.length === 0)?.targets;
  }
}

function checkRule(ctx: FieldContext, rule: ModelRewriteRule): { matches: string[]; targets: string[] } {
  const matches = rule.matchModels ?? [];
  matches.forEach((m, k) => {
    if (typeof m !== 'string' || m.length === 0) throw ctx.error(`matchModels[${k}]`, m, 'is empty', 'give the model name clients request');
  });
  const dupMatch = matches.find((m, k) => matches.indexOf(m) !== k);
  if (dupMatch !== undefined) throw ctx.error('matchModels', matches, `lists ${dupMatch} twice`, 'list each model name once');
  if (!Array.isArray(rule.targets) || rule.targets.length === 0) {
    throw ctx.error('targets', rule.targets, 'is empty; the CRD requires at least one target', "add a target, e.g. { model: 'llama-v2' }");
  }
  const weighted = rule.targets.filter((t) => t.weight !== undefined).length;
  if (weighted !== 0 && weighted !== rule.targets.length) {
    throw ctx.error('targets', rule.targets.map((t) => `${t.model}:${t.weight ?? 'unset'}`).join(', '),
      'sets a weight on some targets only; the EPP requires a weight on every target or on none', 'set a weight on every target, or remove them all');
  }
  rule.targets.forEach((t, k) => {
    if (typeof t.model !== 'string' || t.model.length === 0) throw ctx.error(`targets[${k}].model`, t.model, 'is empty', 'name the model the request is rewritten to');
    if (t.weight !== undefined && (!Number.isInteger(t.weight) || t.weight < 1 || t.weight > MAX_WEIGHT)) {
      throw ctx.error(`targets[${k}].weight`, t.weight, `must be an integer from 1 to ${MAX_WEIGHT}`,
        'use relative weights such as 90 and 10 (weights are proportions, not percentages; drop a target instead of weighting it 0)');
    }
  });
  const models = rule.targets.map((t) => t.model);
  const dup = models.find((m, k) => models.indexOf(m) !== k);
  if (dup !== undefined) throw ctx.error('targets', models, `names ${dup} twice`, 'list each target model once and add up its weights');
  return { matches: [...matches], targets: models };
}
