import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { AppProblem, describeObject, findAppProblems, OTHER } from './app-checks';
import { bundledValidator, bundledVerdicts } from './bundled';
import type { ManifestValidator } from './manifest-validator';
import { LlmdConfigError } from '../errors';
import { FieldContext } from '../internal/context';
import { unescapePointer, valueAtPointer } from '../internal/json-pointer';
import { checkArgs } from '../internal/prop-check';

/**
 * Synth-time validation of everything an app synthesizes. Every construct of the library registers itself; the
 * first registration adds one validation to the app's root, which cdk8s runs on `app.synth()`,
 * `app.synthYaml()` and `Testing.synth()` before any YAML is written. A problem becomes an
 * {@link LlmdConfigError} naming the construct (and, where the library recorded it, the prop) that produced the
 * object.
 *
 * Opt out with the context key {@link LlmdValidation.CONTEXT_KEY} set to `false` on the App or a Chart
 * (before their first child is added), or with {@link LlmdValidation.disable}.
 */
export class LlmdValidation {
  /** Context key that turns synth-time validation off when set to `false` (on the App or on a Chart). */
  public static readonly CONTEXT_KEY = 'cdk8s-llm-d:validation';

  /**
   * Turn synth-time validation off below `scope` (an App or a Chart without children yet). The checks each
   * construct makes of its own props stay on.
   */
  public static disable(scope: IConstruct): void {
    checkArgs('LlmdValidation.disable', arguments);
    scope.node.setContext(LlmdValidation.CONTEXT_KEY, false);
  }

  /** Whether synth-time validation applies to `scope` (the context key is not `false` on it or above it). */
  public static isEnabled(scope: IConstruct): boolean {
    checkArgs('LlmdValidation.isEnabled', arguments);
    return validationEnabled(scope);
  }

  private constructor() {}
}

function validationEnabled(scope: IConstruct): boolean {
  const v = scope.node.tryGetContext(LlmdValidation.CONTEXT_KEY);
  return v !== false && v !== 'false' && v !== 'off';
}

/** Where an object came from: the construct whose props it is built from, and the prop behind parts of it. @internal */
export interface ObjectOrigin {
  readonly ctx: FieldContext;
  /** JSON pointer prefix of the object → the prop (below `ctx`) it is built from; `prop[*]`: a map prop, keyed below the pointer. */
  readonly fields: Readonly<Record<string, string>>;
}

const ROOTS = new WeakSet<IConstruct>();
const LIBRARY = new WeakSet<IConstruct>();
const ORIGINS = new WeakMap<IConstruct, ObjectOrigin>();

/**
 * Register a construct of the library: its objects are validated at synth.
 * @internal
 */
export function registerSynthValidation(construct: IConstruct): void {
  LIBRARY.add(construct);
  const root = construct.node.root;
  if (ROOTS.has(root)) return;
  ROOTS.add(root);
  root.node.addValidation({
    validate: () => {
      const pass = beginPass(root);
      let done = false;
      try {
        const problems = validateApp(root);
        done = true;
        return problems;
      } finally {
        // a problem ends the whole pass (cdk8s stops at the first thrown error)
        if (!done || pass.remaining === 0) PASSES.delete(root);
      }
    },
  });
}

/**
 * What the checks of one validation pass of an app share: the resolved JSON of its ApiObjects and values derived
 * from them. cdk8s runs the root's validations first (pre-order), so the pass begins there; it ends when the last
 * construct that uses it has run its check.
 */
interface ValidationPass {
  readonly json: Map<ApiObject, any>;
  readonly memo: Map<string, unknown>;
  remaining: number;
}

const PASSES = new WeakMap<IConstruct, ValidationPass>();
const PASS_USERS = new WeakSet<IConstruct>();

function beginPass(root: IConstruct): ValidationPass {
  let users = 0;
  for (const c of root.node.findAll()) if (PASS_USERS.has(c)) users++;
  const pass: ValidationPass = { json: new Map(), memo: new Map(), remaining: users };
  PASSES.set(root, pass);
  return pass;
}

/**
 * Declare that `user` reads the app's objects in its own validation through {@link passMemo} and
 * {@link resolvedJson}, and calls {@link endPassUse} once at the end of that validation.
 * @internal
 */
export function usePass(user: IConstruct): void {
  PASS_USERS.add(user);
}

/** `compute()`, computed once per validation pass of `user`'s app (every time outside a pass). @internal */
export function passMemo<T>(user: IConstruct, key: string, compute: () => T): T {
  const pass = PASSES.get(user.node.root);
  if (!pass) return compute();
  if (!pass.memo.has(key)) pass.memo.set(key, compute());
  return pass.memo.get(key) as T;
}

/** `obj.toJson()`, resolved once per validation pass of its app. @internal */
export function resolvedJson(obj: ApiObject): any {
  const pass = PASSES.get(obj.node.root);
  if (!pass) return obj.toJson();
  let json = pass.json.get(obj);
  if (json === undefined) {
    json = obj.toJson();
    pass.json.set(obj, json);
  }
  return json;
}

/** The validation of `user` is done with the pass. @internal */
export function endPassUse(user: IConstruct): void {
  const root = user.node.root;
  const pass = PASSES.get(root);
  if (pass && --pass.remaining <= 0) PASSES.delete(root);
}

/**
 * Record which props an object of the library is built from, so that a problem found at synth names them.
 * @internal
 */
export function recordOrigin(obj: ApiObject, ctx: FieldContext, fields: Record<string, string>): void {
  ORIGINS.set(obj, { ctx, fields });
}

/** An object being validated with the construct that created it. @internal */
export interface SynthObject {
  readonly obj: ApiObject;
  readonly json: any;
  /** The outermost construct of the library above the object (undefined: the user's own object). */
  readonly owner?: IConstruct;
}

/** Every ApiObject below `root` (depth first, the order cdk8s writes them in a chart) with its JSON. @internal */
export function collectObjects(root: IConstruct): SynthObject[] {
  const out: SynthObject[] = [];
  for (const c of root.node.findAll()) {
    if (!(c instanceof ApiObject)) continue;
    if (!validationEnabled(c)) continue;
    out.push({ obj: c, json: resolvedJson(c), owner: ownerOf(c) });
  }
  return out;
}

/** The outermost construct of the library above `c`: the one whose props the user wrote. */
function ownerOf(c: IConstruct): IConstruct | undefined {
  let owner: IConstruct | undefined;
  for (let s = c.node.scope; s; s = s.node.scope) if (LIBRARY.has(s)) owner = s;
  return owner;
}

/** `/spec/template/spec/containers/0/args` → `spec.template.spec.containers[0].args` */
function pointerToField(pointer: string): string {
  return pointer.split('/').slice(1).map(unescapePointer)
    .map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

/**
 * The error for a problem at `pointer` of an object: the construct path and prop where the library knows them,
 * else the object and the field inside it.
 * @internal
 */
export function objectError(o: SynthObject, pointer: string, problem: string, fix: string, value?: unknown): LlmdConfigError {
  const origin = ORIGINS.get(o.obj);
  const shown = value !== undefined ? value : valueAtPointer(o.json, pointer);
  if (origin) {
    const prefix = Object.keys(origin.fields).filter((p) => pointer === p || pointer.startsWith(p + '/')).sort((a, b) => b.length - a.length)[0];
    if (prefix !== undefined) {
      // a map prop (`podLabels[*]`) names the key below its pointer
      const field = origin.fields[prefix];
      const key = pointer.slice(prefix.length).split('/')[1];
      const named = field.endsWith('[*]') ? (key === undefined ? field.slice(0, -3) : `${field.slice(0, -3)}[${JSON.stringify(unescapePointer(key))}]`) : field;
      return origin.ctx.error(named, shown, problem, fix);
    }
  }
  if (o.owner && pointer === '/metadata/name') return new LlmdConfigError(o.owner.node.path, 'name', shown, problem, fix);
  const where = o.owner ? o.owner.node.path : o.obj.node.path;
  const field = `(${describeObject(o.json)})${pointer ? '.' + pointerToField(pointer) : ''}`;
  return new LlmdConfigError(where, field, shown, problem, fix);
}

function appProblemError(objs: SynthObject[], p: AppProblem): LlmdConfigError {
  const other = objs[p.other];
  return objectError(objs[p.index], p.pointer, p.problem.replace(OTHER, `[${(other.owner ?? other.obj).node.path}]`), p.fix, p.value);
}

/**
 * Schema, strictness and CEL check of the library's own objects (the user's objects are theirs to validate, e.g.
 * with `cdk8s-llm-d validate`). Kinds without a shipped schema (provider kinds of Istio, GKE, KEDA and the
 * Prometheus operator) are skipped.
 */
function checkSchemas(objs: SynthObject[]): void {
  // an object that passed this validator build in an earlier synth is not validated again: when all did, the
  // validator is not even loaded
  const verdicts = bundledVerdicts();
  let validator: ManifestValidator | undefined;
  for (const o of objs) {
    if (!o.owner || typeof o.json?.apiVersion !== 'string' || typeof o.json?.kind !== 'string') continue;
    const key = verdicts?.keyOf(o.json);
    if (key !== undefined && verdicts!.passed(key)) continue;
    validator ??= bundledValidator();
    const issues = validator.isKnownKind(o.json.apiVersion, o.json.kind) ? validator.validate(o.json) : [];
    if (issues.length === 0) {
      if (key !== undefined) verdicts!.recordPass(key);
      continue;
    }
    const first = issues[0];
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''} in this object)` : '';
    throw objectError(o, first.path, `the API server would reject ${describeObject(o.json)}: ${first.message}${more}`,
      'change the input that produces this field; if the props are valid, this is a defect of the library: please report it');
  }
}

function validateApp(root: IConstruct): string[] {
  if (!validationEnabled(root)) return [];
  const objs = collectObjects(root);
  const problems = findAppProblems(objs.map((o) => o.json));
  if (problems.length) throw appProblemError(objs, problems[0]);
  checkSchemas(objs);
  return [];
}
