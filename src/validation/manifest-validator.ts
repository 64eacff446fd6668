import * as net from 'net';
import { celEnv, celFunc, celMethod, CelScalar, isCelError, listType, mapType, parse, plan } from '@bufbuild/cel';
import type { CelEnv, CelList, CelMap } from '@bufbuild/cel';
import { strings as celStrings } from '@bufbuild/cel/ext';
import type Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { intOrString } from './k8s-keywords';
import { unescapePointer, valueAtPointer } from '../internal/json-pointer';

export interface ValidationIssue {
  /** `kind` of the object (as given, e.g. `Deployment`). */
  kind: string;
  /** `metadata.name` of the object (`<unnamed>` when missing). */
  name: string;
  /** JSON pointer into the object, e.g. `/spec/template/spec/containers/0`. Empty for the root. */
  path: string;
  message: string;
  source: 'schema' | 'cel' | 'unknown-kind';
}

/** A CEL rule the validator could not compile or evaluate (a validator limitation, not an object error). */
export interface UnsupportedRule {
  /** `group/version/Kind` of the schema holding the rule. */
  gvk: string;
  /** JSON pointer of the object node the rule was evaluated at (or the schema path for static checks). */
  path: string;
  rule: string;
  error: string;
}

export interface RuleCoverage {
  gvk: string;
  total: number;
  /** transition rules (referencing `oldSelf`), never evaluated */
  transitionRules: number;
  evaluated: number;
  unevaluated: Array<{ schemaPath: string; rule: string }>;
}

type SourceKind = 'openapi' | 'crd' | 'definitions';

interface KindEntry {
  gvk: string;
  source: SourceKind;
  /** id of the schema document (`k8s:<file>`, `crd:<gvk>`, `k8s-defs:_definitions.json`) */
  docId: string;
  /** ajv reference of the root schema */
  ref: string;
  /** root schema node */
  schema: any;
}

interface SchemaDoc {
  id: string;
  /** the object added to ajv */
  root: any;
  added: boolean;
  strictified: boolean;
}

interface CompiledRule {
  program?: (ctx: { self: any }) => unknown;
  error?: string;
}

interface SchemaRef { s: any; doc: string }

/** Schema document id of the core group (`ObjectMeta` of custom resources is validated against it). */
export const CORE_DOC = 'k8s:api__v1_openapi.json';
const OBJECT_META_REF = `${CORE_DOC}#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta`;
const DEFS_DOC = 'k8s-defs:_definitions.json';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;
const CONFIGMAP_KEY = /^[-._a-zA-Z0-9]+$/;

/** Kubernetes apiserver `celReservedSymbols` (k8s.io/apiserver/pkg/cel/escaping.go). */
const CEL_RESERVED = new Set([
  'true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if',
  'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while',
]);

/** Escapes a property name the way the apiserver exposes it to CEL (`namespace` → `__namespace__`). */
export function escapeCelPropertyName(name: string): string {
  if (CEL_RESERVED.has(name)) return `__${name}__`;
  return name.replace(/__|[-./]/g, m => ({ '__': '__underscores__', '.': '__dot__', '-': '__dash__', '/': '__slash__' } as Record<string, string>)[m]);
}

function pointerEscape(seg: string | number): string {
  const s = String(seg);
  // most keys need no escaping: skip the two replacements for them
  return s.includes('~') || s.includes('/') ? s.replace(/~/g, '~0').replace(/\//g, '~1') : s;
}

function isPlainObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function clone<T>(v: T): T {
  return v === undefined ? v : structuredClone(v);
}

function gvkKey(apiVersion: string, kind: string): string {
  return `${apiVersion}/${kind}`;
}

/**
 * Injects `additionalProperties: false` into every structural node that declares `properties`
 * (kubeconform --strict). Does not descend into anyOf/oneOf/allOf/not branches (value validations).
 */
function strictify(node: any, seen: Set<any> = new Set()): void {
  if (!isPlainObject(node) || seen.has(node)) return;
  seen.add(node);
  if (isPlainObject(node.properties)) {
    if (node['x-kubernetes-embedded-resource'] === true) {
      node.properties.apiVersion ??= { type: 'string' };
      node.properties.kind ??= { type: 'string' };
      node.properties.metadata ??= { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true };
    }
    if (node.additionalProperties === undefined && node['x-kubernetes-preserve-unknown-fields'] !== true) {
      node.additionalProperties = false;
    }
    for (const child of Object.values(node.properties)) strictify(child, seen);
  }
  if (isPlainObject(node.items)) strictify(node.items, seen);
  if (isPlainObject(node.additionalProperties)) strictify(node.additionalProperties, seen);
}

function rewriteDefinitionRefs(node: any): void {
  if (Array.isArray(node)) {
    for (const v of node) rewriteDefinitionRefs(v);
  } else if (isPlainObject(node)) {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith('#/definitions/')) {
        node[k] = '#/components/schemas/' + v.slice('#/definitions/'.length);
      } else if (typeof v === 'object') {
        rewriteDefinitionRefs(v);
      }
    }
  }
}

/** Calls `fn` on every schema node reachable structurally (properties, items, additionalProperties, xxxOf, not). */
function schemaChildren(node: any): any[] {
  const out: any[] = [];
  if (isPlainObject(node.properties)) out.push(...Object.values(node.properties));
  if (isPlainObject(node.items)) out.push(node.items);
  if (isPlainObject(node.additionalProperties)) out.push(node.additionalProperties);
  for (const k of ['allOf', 'anyOf', 'oneOf']) if (Array.isArray(node[k])) out.push(...node[k]);
  if (isPlainObject(node.not)) out.push(node.not);
  return out;
}

/** Removes `description` from schema nodes (not from `properties` named "description"). */
function stripDescriptions(node: any): void {
  if (!isPlainObject(node)) return;
  delete node.description;
  for (const c of schemaChildren(node)) stripDescriptions(c);
}

/**
 * Replaces repeated large schema subtrees (e.g. the PodSpec copies inside LeaderWorkerSet) by `$ref`s into
 * `$defs`, so ajv compiles each only once (LWS: ~1 s → ~20 ms). Semantics are unchanged.
 */
function dedupSchema(root: any, minLength = 400): void {
  const text = new Map<any, string>();
  const counts = new Map<string, number>();
  const measure = (n: any): void => {
    for (const c of schemaChildren(n)) measure(c);
    const t = JSON.stringify(n);
    text.set(n, t);
    if (t.length >= minLength) counts.set(t, (counts.get(t) ?? 0) + 1);
  };
  measure(root);
  const defs: Record<string, any> = {};
  const ids = new Map<string, string>();
  const replace = (n: any): any => {
    const t = text.get(n);
    if (t !== undefined && (counts.get(t) ?? 0) > 1) {
      let id = ids.get(t);
      if (!id) {
        id = `d${ids.size}`;
        ids.set(t, id);
        defs[id] = n;
        rewriteChildren(n);
      }
      return { $ref: `#/$defs/${id}` };
    }
    rewriteChildren(n);
    return n;
  };
  const rewriteChildren = (n: any): void => {
    if (isPlainObject(n.properties)) for (const k of Object.keys(n.properties)) n.properties[k] = replace(n.properties[k]);
    if (isPlainObject(n.items)) n.items = replace(n.items);
    if (isPlainObject(n.additionalProperties)) n.additionalProperties = replace(n.additionalProperties);
    for (const k of ['allOf', 'anyOf', 'oneOf']) if (Array.isArray(n[k])) n[k] = n[k].map(replace);
    if (isPlainObject(n.not)) n.not = replace(n.not);
  };
  rewriteChildren(root);
  if (ids.size) root.$defs = defs;
}

/** The compiled schema validator of one kind, as a CommonJS module (see `ManifestValidator.standaloneModules`). */
export interface StandaloneKind {
  /** The schema reference the validator is looked up by ({@link SchemaSources.precompiled}). */
  readonly ref: string;
  readonly gvk: string;
  readonly code: string;
}

/** One served version of a CRD, normalized for validation (`group/version/Kind` and its schema). */
export interface NormalizedCrd {
  readonly key: string;
  readonly schema: any;
}

/**
 * The served versions of a CustomResourceDefinition object, normalized the way the validator needs them:
 * descriptions removed, `metadata` validated as core ObjectMeta (as the API server does), strict (unknown fields
 * fail) and repeated subtrees shared.
 */
export function normalizeCrd(crd: any): NormalizedCrd[] {
  if (!isPlainObject(crd) || crd.kind !== 'CustomResourceDefinition') return [];
  const out: NormalizedCrd[] = [];
  const group: string = crd.spec?.group;
  const kind: string = crd.spec?.names?.kind;
  for (const v of crd.spec?.versions ?? []) {
    if (v.served === false) continue;
    const schema = clone(v.schema?.openAPIV3Schema);
    if (!isPlainObject(schema)) continue;
    stripDescriptions(schema);
    schema.properties ??= {};
    // CRD schemas only declare `metadata: {type: object}`; the API server validates ObjectMeta.
    schema.properties.metadata = { $ref: OBJECT_META_REF };
    strictify(schema);
    dedupSchema(schema);
    out.push({ key: gvkKey(`${group}/${v.name}`, kind), schema });
  }
  return out;
}

/**
 * The component schemas of an OpenAPI v3 document reachable from `roots` (by `$ref`), descriptions removed: the
 * compact subset shipped with the library.
 */
export function schemaClosure(schemas: Record<string, any>, roots: readonly string[]): Record<string, any> {
  const out: Record<string, any> = {};
  const visit = (name: string): void => {
    if (name in out || !(name in schemas)) return;
    const s = clone(schemas[name]);
    stripDescriptions(s);
    out[name] = s;
    const refs = (n: any): void => {
      if (Array.isArray(n)) {
        for (const v of n) refs(v);
      } else if (isPlainObject(n)) {
        for (const [k, v] of Object.entries(n)) {
          if (k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/')) visit(v.slice('#/components/schemas/'.length));
          else if (typeof v === 'object') refs(v);
        }
      }
    };
    refs(s);
  };
  for (const r of roots) visit(r);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

// ---------------------------------------------------------------------------------------------
// CEL: Kubernetes library functions missing from @bufbuild/cel
// ---------------------------------------------------------------------------------------------

const { STRING, BOOL, INT, DOUBLE, DYN } = CelScalar;
const URL_MAP = mapType(STRING, DYN);
const URL_MARK = '__k8s_url__';

function k8sIsIP(s: string): boolean {
  if (s.includes('%')) return false; // zones are rejected by Kubernetes
  const v = net.isIP(s);
  if (v === 4) return !/(^|\.)0\d/.test(s); // no leading zeros
  if (v === 6) return !/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(s); // no IPv4-mapped IPv6
  return false;
}

function k8sIsCIDR(s: string): boolean {
  const i = s.lastIndexOf('/');
  if (i < 0) return false;
  const ip = s.slice(0, i);
  const bits = s.slice(i + 1);
  if (!/^\d{1,3}$/.test(bits) || !k8sIsIP(ip)) return false;
  return Number(bits) <= (net.isIP(ip) === 4 ? 32 : 128);
}

function parseUrl(s: string): URL | undefined {
  try {
    const u = new URL(s);
    return u;
  } catch {
    return undefined;
  }
}

function urlMap(s: string): Map<string, string> {
  const u = parseUrl(s);
  if (!u) throw new Error(`URL parse error during conversion from string: ${s}`);
  const host = u.host;
  return new Map([
    [URL_MARK, 'true'],
    ['scheme', u.protocol.replace(/:$/, '')],
    ['host', host],
    ['hostname', u.hostname.replace(/^\[|\]$/g, '')],
    ['port', u.port],
    ['escapedPath', u.pathname],
    ['query', u.search.replace(/^\?/, '')],
  ]);
}

function urlPart(m: CelMap, part: string): string {
  if (m.get(URL_MARK) !== 'true') throw new Error('not a URL');
  return String(m.get(part) ?? '');
}

function celCompare(a: any, b: any): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) {
    const x = Number(a);
    const y = Number(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  throw new Error('no such overload: values are not comparable');
}

function listValues(l: CelList): any[] {
  return Array.from(l);
}

function celEqual(a: any, b: any): boolean {
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) return Number(a) === Number(b);
  return a === b;
}

function regexFind(target: string, re: string, all: boolean): string[] {
  const flags = all ? 'g' : '';
  let rx: RegExp;
  try {
    rx = new RegExp(re, flags);
  } catch (e) {
    throw new Error(`error parsing regexp: ${(e as Error).message}`);
  }
  if (!all) {
    const m = rx.exec(target);
    return m ? [m[0]] : [];
  }
  return Array.from(target.matchAll(rx), m => m[0]);
}

/** Kubernetes CEL library functions (https://kubernetes.io/docs/reference/using-api/cel/) not in @bufbuild/cel. */
const K8S_CEL_FUNCS = [
  // net library
  celFunc('isIP', [STRING], BOOL, s => k8sIsIP(s)),
  celFunc('isCIDR', [STRING], BOOL, s => k8sIsCIDR(s)),
  // url library (represented as a marked map)
  celFunc('isURL', [STRING], BOOL, s => {
    const u = parseUrl(s);
    return u !== undefined && u.protocol !== '';
  }),
  celFunc('url', [STRING], URL_MAP, s => urlMap(s)),
  celMethod('getScheme', URL_MAP, [], STRING, function () {
    return urlPart(this, 'scheme');
  }),
  celMethod('getHost', URL_MAP, [], STRING, function () {
    return urlPart(this, 'host');
  }),
  celMethod('getHostname', URL_MAP, [], STRING, function () {
    return urlPart(this, 'hostname');
  }),
  celMethod('getPort', URL_MAP, [], STRING, function () {
    return urlPart(this, 'port');
  }),
  celMethod('getEscapedPath', URL_MAP, [], STRING, function () {
    return urlPart(this, 'escapedPath');
  }),
  celMethod('getQuery', URL_MAP, [], URL_MAP, function () {
    const q = new URLSearchParams(urlPart(this, 'query'));
    const m = new Map<string, string[]>();
    for (const [k, v] of q) m.set(k, [...(m.get(k) ?? []), v]);
    return m as any;
  }),
  // lists library
  celMethod('isSorted', listType(DYN), [], BOOL, function () {
    const v = listValues(this);
    for (let i = 1; i < v.length; i++) if (celCompare(v[i - 1], v[i]) > 0) return false;
    return true;
  }),
  celMethod('sum', listType(DYN), [], DYN, function () {
    const v = listValues(this);
    if (v.length === 0) return 0n;
    if (v.every(x => typeof x === 'bigint')) return v.reduce((a, b) => a + b, 0n);
    return v.reduce((a, b) => a + Number(b), 0);
  }),
  celMethod('min', listType(DYN), [], DYN, function () {
    const v = listValues(this);
    if (v.length === 0) throw new Error('min called on empty list');
    return v.reduce((a, b) => (celCompare(b, a) < 0 ? b : a));
  }),
  celMethod('max', listType(DYN), [], DYN, function () {
    const v = listValues(this);
    if (v.length === 0) throw new Error('max called on empty list');
    return v.reduce((a, b) => (celCompare(b, a) > 0 ? b : a));
  }),
  celMethod('indexOf', listType(DYN), [DYN], INT, function (x) {
    return BigInt(listValues(this).findIndex(v => celEqual(v, x)));
  }),
  celMethod('lastIndexOf', listType(DYN), [DYN], INT, function (x) {
    const v = listValues(this);
    for (let i = v.length - 1; i >= 0; i--) if (celEqual(v[i], x)) return BigInt(i);
    return -1n;
  }),
  // regex library
  celMethod('find', STRING, [STRING], STRING, function (re) {
    return regexFind(this, re, false)[0] ?? '';
  }),
  celMethod('findAll', STRING, [STRING], listType(STRING), function (re) {
    return regexFind(this, re, true);
  }),
  celMethod('findAll', STRING, [STRING, INT], listType(STRING), function (re, n) {
    const all = regexFind(this, re, true);
    return n < 0n ? all : all.slice(0, Number(n));
  }),
  // quantity library (only the predicate)
  celFunc('isQuantity', [STRING], BOOL, s => /^[+-]?((\d+(\.\d*)?)|(\.\d+))(([KMGTPE]i)|[numkMGTPE]|([eE][+-]?((\d+(\.\d*)?)|(\.\d+))))?$/.test(s)),
  // double helpers sometimes used with quantities
  celFunc('isNaN', [DOUBLE], BOOL, d => Number.isNaN(d)),
];

const SPECIAL_CEL_IDENTS = new Set(['self', 'null', 'true', 'false', 'int', 'uint', 'double', 'bool', 'string', 'bytes', 'list', 'map', 'type', 'null_type', 'dyn', 'duration', 'timestamp']);

/** Static check of a parsed rule: unknown functions and unknown free identifiers (e.g. `oldSelf`). */
function staticCheck(env: CelEnv, expr: any): string | undefined {
  const problems = new Set<string>();
  const visit = (e: any, bound: Set<string>): void => {
    if (!e || !e.exprKind) return;
    const { case: c, value: v } = e.exprKind;
    switch (c) {
      case 'identExpr':
        if (!bound.has(v.name) && !SPECIAL_CEL_IDENTS.has(v.name)) problems.add(`unresolved identifier: ${v.name}`);
        break;
      case 'selectExpr':
        visit(v.operand, bound);
        break;
      case 'callExpr':
        if (/^[A-Za-z]/.test(v.function) && !env.funcs.find(v.function)) problems.add(`unbound function: ${v.function}`);
        if (v.target) visit(v.target, bound);
        for (const a of v.args ?? []) visit(a, bound);
        break;
      case 'listExpr':
        for (const a of v.elements ?? []) visit(a, bound);
        break;
      case 'structExpr':
        for (const en of v.entries ?? []) {
          if (en.keyKind?.case === 'mapKey') visit(en.keyKind.value, bound);
          visit(en.value, bound);
        }
        break;
      case 'comprehensionExpr': {
        visit(v.iterRange, bound);
        visit(v.accuInit, bound);
        const inner = new Set(bound);
        for (const n of [v.iterVar, v.iterVar2, v.accuVar]) if (n) inner.add(n);
        visit(v.loopCondition, inner);
        visit(v.loopStep, inner);
        visit(v.result, inner);
        break;
      }
      default:
        break;
    }
  };
  visit(expr, new Set());
  return problems.size ? Array.from(problems).join('; ') : undefined;
}

/**
 * A CEL syntax tree (the parser's `cel.expr.Expr` objects) as JSON: int64 fields (node ids, integer constants) become
 * `{"$int": "…"}` and bytes constants `{"$bytes": "<base64>"}`. Reading it back costs a fraction of parsing the
 * expression again.
 */
export function encodeCelExpr(expr: unknown): string {
  return JSON.stringify(expr, (_k, v) => (typeof v === 'bigint' ? { $int: v.toString() }
    : v instanceof Uint8Array ? { $bytes: Buffer.from(v).toString('base64') } : v));
}

/** The syntax tree written by {@link encodeCelExpr}. */
export function decodeCelExpr(text: string): any {
  const revive = (v: any): any => {
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = revive(v[i]);
      return v;
    }
    if (typeof v.$int === 'string') return BigInt(v.$int);
    if (typeof v.$bytes === 'string') return new Uint8Array(Buffer.from(v.$bytes, 'base64'));
    for (const k of Object.keys(v)) v[k] = revive(v[k]);
    return v;
  };
  return revive(JSON.parse(text));
}

function isValidatorGap(msg: string): boolean {
  return /unbound function|unresolved attribute|unresolved identifier|not supported|unsupported|not implemented/i.test(msg);
}

// ---------------------------------------------------------------------------------------------

/** The schemas a {@link ManifestValidator} validates against. */
export interface SchemaSources {
  /** OpenAPI v3 documents: id (`k8s:<file>`) → `components.schemas`. */
  readonly openapi: Readonly<Record<string, Record<string, any>>>;
  /** Swagger `definitions` used for core kinds missing from the OpenAPI v3 documents. */
  readonly definitions?: Record<string, any>;
  /** Normalized CRD versions (see {@link normalizeCrd}); the first of a key wins. */
  readonly crds?: readonly NormalizedCrd[];
  /**
   * More CRD versions on demand, for `group/kind` (or every known CRD when `all` is set); each is asked once.
   * Lets a large set of CRD files be parsed only when a kind of theirs is validated.
   */
  readonly loadCrds?: (group: string, kind: string, all: boolean) => readonly NormalizedCrd[];
  /**
   * A validator for kinds no schema above knows (e.g. provider kinds checked by other means): returns an
   * error message, or undefined when the object is valid; `undefined` instead of a function: unknown kind.
   */
  readonly fallback?: (apiVersion: string, kind: string) => ((obj: any) => string | undefined) | undefined;
  /**
   * Schema validators compiled ahead of time from these very sources with {@link ManifestValidator.standaloneModules}
   * (schema ref → function); kinds without one are compiled on first use.
   */
  readonly precompiled?: Readonly<Record<string, ValidateFunction>>;
  /** Keep the generated code of compiled schemas (needed by {@link ManifestValidator.standaloneModules}). */
  readonly keepSource?: boolean;
  /**
   * CEL expressions parsed ahead of time from these very sources with {@link ManifestValidator.parsedRuleTable}
   * (expression → its syntax tree as JSON); other expressions are parsed on first use.
   */
  readonly parsedRules?: Readonly<Record<string, string>>;
}

/** Formats whose check differs from ajv-formats' format of the same name (registered by the validator). */
const OWN_FORMATS = ['int-or-string', 'duration', 'cidr'];

/**
 * Validates Kubernetes manifests the way `kubeconform --strict` plus the API server's CRD validation would:
 * - JSON schema (ajv 8) against the Kubernetes OpenAPI v3 documents and the CRDs given;
 * - strict mode: unknown fields are errors (`additionalProperties: false` is injected);
 * - custom resource `metadata` is validated against core ObjectMeta, names and labels are checked;
 * - `x-kubernetes-list-type: map|set` uniqueness;
 * - CEL `x-kubernetes-validations` (evaluated with @bufbuild/cel after applying schema defaults).
 *
 * One implementation for the library's synth-time validation, its CLI and its tests; only the schema sources
 * differ (the library ships a compact subset for the kinds it emits).
 * @internal
 */
export class ManifestValidator {
  /** CEL rules the validator could not compile/evaluate. Should stay empty; a non-empty list is a validator gap. */
  public readonly unsupportedRules: UnsupportedRule[] = [];
  /** Milliseconds spent in the constructor (indexing the schemas). */
  public readonly loadMs: number;

  private ajvInstance?: Ajv;
  private readonly celEnv: CelEnv;
  private readonly docs = new Map<string, SchemaDoc>();
  private readonly openapiIndex = new Map<string, KindEntry>();
  private readonly crdIndex = new Map<string, KindEntry>();
  private readonly defsIndex = new Map<string, KindEntry>();
  private readonly crdRequests = new Set<string>();
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly rules = new Map<string, CompiledRule>();
  private readonly expanded = new WeakMap<object, Map<string, SchemaRef[]>>();
  private readonly evaluatedRules = new Set<any>();
  private readonly unsupportedKeys = new Set<string>();

  constructor(private readonly sources: SchemaSources) {
    const t0 = performance.now();
    this.celEnv = celEnv({ funcs: [...celStrings, ...K8S_CEL_FUNCS] });

    for (const [id, schemas] of Object.entries(sources.openapi)) {
      this.docs.set(id, { id, root: { $id: id, components: { schemas } }, added: false, strictified: false });
      this.indexGvks(schemas, id, 'openapi', this.openapiIndex);
    }
    if (sources.definitions) {
      const root = { $id: DEFS_DOC, components: { schemas: sources.definitions } };
      this.docs.set(DEFS_DOC, { id: DEFS_DOC, root, added: false, strictified: false });
      this.indexGvks(sources.definitions, DEFS_DOC, 'definitions', this.defsIndex);
    }
    this.addCrds(sources.crds ?? []);
    this.loadMs = performance.now() - t0;
  }

  /**
   * The ajv instance, made on first use: validators compiled ahead of time need none (ajv is then never loaded).
   */
  private get ajv(): Ajv {
    if (!this.ajvInstance) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { default: AjvClass } = require('ajv') as typeof import('ajv');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { default: addFormats } = require('ajv-formats') as typeof import('ajv-formats');
      const ajv = new AjvClass({
        strict: false,
        allErrors: true,
        logger: false,
        validateSchema: false,
        unicodeRegExp: false,
        // inline only small referenced schemas: compiling Deployment drops from ~450 to ~220 ms
        inlineRefs: 8,
        code: { source: this.sources.keepSource === true },
      });
      addFormats(ajv);
      ajv.addFormat('int-or-string', true);
      // Kubernetes `duration` is a Go duration (`10s`, `1h30m`), not ISO 8601.
      ajv.addFormat('duration', /^([-+]?((\d+(\.\d*)?)|(\.\d+))(ns|us|µs|ms|s|m|h))+$|^0$/);
      ajv.addFormat('cidr', { type: 'string', validate: (str: string) => k8sIsCIDR(str) });
      ajv.addKeyword({
        keyword: 'x-kubernetes-int-or-string',
        schemaType: 'boolean',
        errors: false,
        validate: intOrString,
      });
      this.ajvInstance = ajv;
    }
    return this.ajvInstance;
  }

  /** Validates one object (a `kind: List` is flattened). */
  public validate(obj: any): ValidationIssue[] {
    if (isPlainObject(obj) && obj.kind === 'List' && Array.isArray(obj.items)) {
      return this.validateAll(obj.items);
    }
    const kind = isPlainObject(obj) && typeof obj.kind === 'string' ? obj.kind : '<no kind>';
    const name = isPlainObject(obj) && isPlainObject(obj.metadata) && typeof obj.metadata.name === 'string' ? obj.metadata.name : '<unnamed>';
    const issues: ValidationIssue[] = [];
    const add = (p: string, message: string, source: ValidationIssue['source']) => issues.push({ kind, name, path: p, message, source });

    if (!isPlainObject(obj) || typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') {
      add('', 'object must have string apiVersion and kind', 'unknown-kind');
      return issues;
    }
    const entry = this.resolve(obj.apiVersion, obj.kind);
    const fallback = entry ? undefined : this.sources.fallback?.(obj.apiVersion, obj.kind);
    if (fallback) {
      const message = fallback(obj);
      if (message !== undefined) add('', message, 'schema');
      return issues;
    }
    if (!entry) {
      add('', `unknown apiVersion/kind: ${obj.apiVersion}, Kind=${obj.kind} (not in the vendored OpenAPI v3, CRDs or _definitions.json)`, 'unknown-kind');
      return issues;
    }

    // The API server applies structural-schema defaults to custom resources before validation and CEL.
    let data = obj;
    if (entry.source === 'crd') {
      data = clone(obj);
      this.applyDefaults(data, entry.schema, entry.docId);
    }

    const validate = this.compile(entry);
    if (!validate(data)) {
      for (const e of this.convertAjvErrors(validate.errors ?? [], data)) add(e.path, e.message, 'schema');
    }
    this.checkMetadata(data, add);
    const schemaIssuePaths = issues.map(i => i.path);
    this.walk(data, { s: entry.schema, doc: entry.docId }, '', entry, add, schemaIssuePaths);

    // de-duplicate
    const seen = new Set<string>();
    return issues.filter(i => {
      const k = `${i.path}\u0000${i.message}\u0000${i.source}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  }

  public validateAll(objs: any[]): ValidationIssue[] {
    return objs.flatMap(o => this.validate(o));
  }

  public formatIssues(issues: ValidationIssue[]): string {
    return formatIssues(issues);
  }

  /**
   * Evaluates a CEL expression with `self` bound to a JSON value (numbers that are integers become CEL ints),
   * using the same environment (Kubernetes library functions included) as `x-kubernetes-validations`.
   * Returns the result or throws with the CEL error. For debugging and tests.
   */
  public evaluateCel(expr: string, self: unknown): unknown {
    const compiled = this.compileRule(expr);
    if (!compiled.program) throw new Error(compiled.error);
    const r = compiled.program({ self: this.toCel(self, []) });
    if (isCelError(r)) throw new Error((r as Error).message);
    return r;
  }

  /**
   * The compiled schema validator of every kind of the sources as CommonJS modules, one per kind (its
   * `module.exports` is the validator), for {@link SchemaSources.precompiled}: loading the few a process needs is
   * much faster than compiling their schemas again in every process. Needs {@link SchemaSources.keepSource}. The
   * modules require the Kubernetes keywords from `keywordsModule` (the path of ./k8s-keywords as seen from where the
   * modules are written). Kinds whose generated code cannot stand alone (a format of the validator's own) are left
   * out and compiled on first use.
   */
  public standaloneModules(keywordsModule = './k8s-keywords'): { readonly kinds: readonly StandaloneKind[]; readonly left: readonly string[] } {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { default: standaloneCode } = require('ajv/dist/standalone') as typeof import('ajv/dist/standalone');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { _ } = require('ajv') as typeof import('ajv');
    const kinds: StandaloneKind[] = [];
    const done = new Set<string>();
    const left: string[] = [];
    for (const entry of this.entries()) {
      if (done.has(entry.ref)) continue;
      done.add(entry.ref);
      const fn = this.compile(entry);
      // the keyword's function is referenced by the compiled code: name the module that exports it
      for (const name of ((this.ajv as any).scope._values.keyword ?? new Map()).values()) {
        if (name.value?.ref === intOrString) name.value.code = _`require(${keywordsModule}).intOrString`;
      }
      let code: string;
      try {
        code = standaloneCode(this.ajv, fn);
      } catch {
        left.push(entry.gvk);
        continue;
      }
      const formats = Array.from(code.matchAll(/fullFormats(?:\.([A-Za-z_$][\w$]*)|\["([^"]+)"\])/g), (m) => m[1] ?? m[2]);
      if (formats.some((f) => OWN_FORMATS.includes(f))) {
        left.push(entry.gvk);
        continue;
      }
      // The code calls a keyword's function with the Ajv instance (`self`) as `this`; intOrString does not use it.
      kinds.push({ ref: entry.ref, gvk: entry.gvk, code: code.replace(/^"use strict";/, '"use strict";const self = undefined;') });
    }
    return { kinds, left };
  }

  /**
   * Every CEL rule and message expression of the sources' kinds parsed, for {@link SchemaSources.parsedRules}:
   * expression → its syntax tree (`cel.expr.Expr`) as JSON (see {@link encodeCelExpr}). Transition rules (never evaluated) and
   * expressions that do not parse (reported when used) are left out.
   */
  public parsedRuleTable(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const entry of this.entries()) {
      for (const { rule } of this.collectRules(entry)) {
        if (typeof rule.rule !== 'string' || /\boldSelf\b/.test(rule.rule)) continue;
        for (const expr of [rule.rule, rule.messageExpression]) {
          if (typeof expr !== 'string' || expr in out) continue;
          let parsed;
          try {
            parsed = parse(expr);
          } catch {
            continue;
          }
          out[expr] = encodeCelExpr(parsed.expr);
        }
      }
    }
    return Object.fromEntries(Object.entries(out).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
  }

  /** Every kind of the sources (CRDs loaded on demand included). */
  private entries(): KindEntry[] {
    return [...this.openapiIndex.values(), ...this.crdIndex.values(), ...this.defsIndex.values()];
  }

  /** Whether apiVersion/kind is known to the validator. */
  public isKnownKind(apiVersion: string, kind: string): boolean {
    return this.resolve(apiVersion, kind) !== undefined;
  }

  /**
   * Parses every CEL rule of a kind's schema and checks that every function it calls exists
   * (evaluation-time problems are only found by `validate`). Failures go to `unsupportedRules`;
   * returns the number of rules checked.
   */
  public precompileRules(apiVersion: string, kind: string): number {
    const entry = this.resolve(apiVersion, kind);
    if (!entry) throw new Error(`unknown kind ${apiVersion}/${kind}`);
    let n = 0;
    for (const { schemaPath, rule } of this.collectRules(entry)) {
      if (typeof rule.rule !== 'string' || /\boldSelf\b/.test(rule.rule)) continue;
      n++;
      const compiled = this.compileRule(rule.rule);
      if (compiled.error) this.reportUnsupported(entry.gvk, `schema:${schemaPath}`, rule.rule, compiled.error);
      if (typeof rule.messageExpression === 'string') {
        const m = this.compileRule(rule.messageExpression);
        if (m.error) this.reportUnsupported(entry.gvk, `schema:${schemaPath}`, rule.messageExpression, m.error);
      }
    }
    return n;
  }

  /** Which CEL rules of a kind have been evaluated at least once by `validate` so far. */
  public ruleCoverage(apiVersion: string, kind: string): RuleCoverage {
    const entry = this.resolve(apiVersion, kind);
    if (!entry) throw new Error(`unknown kind ${apiVersion}/${kind}`);
    const all = this.collectRules(entry);
    const transition = all.filter(r => typeof r.rule.rule === 'string' && /\boldSelf\b/.test(r.rule.rule));
    const rest = all.filter(r => !transition.includes(r));
    const unevaluated = rest.filter(r => !this.evaluatedRules.has(r.rule)).map(r => ({ schemaPath: r.schemaPath, rule: r.rule.rule }));
    return { gvk: entry.gvk, total: all.length, transitionRules: transition.length, evaluated: rest.length - unevaluated.length, unevaluated };
  }

  // -------------------------------------------------------------------------------------------
  // loading / resolution

  private indexGvks(schemas: Record<string, any>, docId: string, source: SourceKind, index: Map<string, KindEntry>): void {
    for (const [name, schema] of Object.entries(schemas)) {
      const gvks = schema?.['x-kubernetes-group-version-kind'];
      if (!Array.isArray(gvks)) continue;
      for (const g of gvks) {
        const apiVersion = g.group ? `${g.group}/${g.version}` : g.version;
        const key = gvkKey(apiVersion, g.kind);
        const existing = index.get(key);
        // prefer the schema named after the kind (DeleteOptions/WatchEvent carry many GVKs)
        if (existing && existing.schema?.['x-kubernetes-group-version-kind']?.length === 1) continue;
        if (existing && !name.endsWith(`.${g.kind}`)) continue;
        index.set(key, { gvk: key, source, docId, ref: `${docId}#/components/schemas/${name}`, schema });
      }
    }
  }

  private resolve(apiVersion: string, kind: string): KindEntry | undefined {
    const key = gvkKey(apiVersion, kind);
    const fromOpenapi = this.openapiIndex.get(key);
    if (fromOpenapi) return fromOpenapi;
    const hit = this.crdIndex.get(key);
    if (hit) return hit;
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    this.requestCrds(group, kind, false);
    const fromCrd = this.crdIndex.get(key);
    if (fromCrd) return fromCrd;
    const fromDefs = this.defsIndex.get(key);
    if (fromDefs) return fromDefs;
    // a source's pre-scan is only an optimisation: before declaring a kind unknown, load every CRD
    if (group !== '') this.requestCrds(group, kind, true);
    return this.crdIndex.get(key);
  }

  private requestCrds(group: string, kind: string, all: boolean): void {
    if (!this.sources.loadCrds) return;
    const key = all ? '\u0000all' : `${group}/${kind}`;
    if (this.crdRequests.has(key)) return;
    this.crdRequests.add(key);
    this.addCrds(this.sources.loadCrds(group, kind, all));
  }

  private addCrds(crds: readonly NormalizedCrd[]): void {
    for (const { key, schema } of crds) {
      if (this.crdIndex.has(key)) continue; // first wins
      const id = `crd:${key}`;
      this.docs.set(id, { id, root: { ...schema, $id: id }, added: false, strictified: true });
      this.crdIndex.set(key, { gvk: key, source: 'crd', docId: id, ref: id, schema });
    }
  }

  private ensureDoc(id: string): SchemaDoc {
    const doc = this.docs.get(id);
    if (!doc) throw new Error(`schema document ${id} not loaded`);
    if (!doc.strictified) {
      if (id === DEFS_DOC) rewriteDefinitionRefs(doc.root.components.schemas);
      for (const s of Object.values(doc.root.components.schemas)) strictify(s);
      doc.strictified = true;
    }
    return doc;
  }

  /** Adds a (strictified) schema document to ajv, for kinds compiled here. */
  private addToAjv(id: string): void {
    const doc = this.ensureDoc(id);
    if (!doc.added) {
      this.ajv.addSchema(doc.root, id);
      doc.added = true;
    }
  }

  private compile(entry: KindEntry): ValidateFunction {
    const cached = this.validators.get(entry.ref);
    if (cached) return cached;
    this.ensureDoc(entry.docId);
    let fn = this.sources.precompiled?.[entry.ref];
    if (!fn) {
      // its document and, for custom resources, the core group's (their metadata is ObjectMeta)
      this.addToAjv(entry.docId);
      if (entry.source === 'crd') this.addToAjv(CORE_DOC);
      fn = this.ajv.getSchema(entry.ref);
    }
    if (!fn) throw new Error(`cannot compile schema ${entry.ref}`);
    this.validators.set(entry.ref, fn);
    return fn;
  }

  /**
   * Resolves `$ref` and `allOf` into the list of schema nodes that apply to a value. The walk meets the same schema
   * nodes for every object of a kind, so the lists of strictified documents are kept (schema node → document → list).
   */
  private expand(ref: SchemaRef): SchemaRef[] {
    if (!isPlainObject(ref.s) || !this.docs.get(ref.doc)?.strictified) return this.expandNode(ref, 0);
    let byDoc = this.expanded.get(ref.s);
    if (!byDoc) {
      byDoc = new Map();
      this.expanded.set(ref.s, byDoc);
    }
    let out = byDoc.get(ref.doc);
    if (!out) {
      out = this.expandNode(ref, 0);
      byDoc.set(ref.doc, out);
    }
    return out;
  }

  private expandNode(ref: SchemaRef, depth: number): SchemaRef[] {
    const { s, doc } = ref;
    if (!isPlainObject(s) || depth > 32) return [];
    const out: SchemaRef[] = [];
    if (typeof s.$ref === 'string') {
      const target = this.deref(s.$ref, doc);
      if (target) out.push(...this.expandNode(target, depth + 1));
    }
    out.push(ref);
    if (Array.isArray(s.allOf)) for (const sub of s.allOf) out.push(...this.expandNode({ s: sub, doc }, depth + 1));
    return out;
  }

  private deref(ref: string, baseDoc: string): SchemaRef | undefined {
    const hash = ref.indexOf('#');
    const docId = hash > 0 ? ref.slice(0, hash) : baseDoc;
    const pointer = hash >= 0 ? ref.slice(hash + 1) : '';
    const doc = this.ensureDoc(docId);
    let node: any = doc.root;
    for (const seg of pointer.split('/').filter(x => x !== '')) {
      node = node?.[unescapePointer(seg)];
    }
    return node === undefined ? undefined : { s: node, doc: docId };
  }

  private childSchema(nodes: SchemaRef[], key: string): SchemaRef | undefined {
    for (const n of nodes) {
      if (isPlainObject(n.s.properties) && Object.prototype.hasOwnProperty.call(n.s.properties, key)) return { s: n.s.properties[key], doc: n.doc };
    }
    for (const n of nodes) {
      if (isPlainObject(n.s.additionalProperties)) return { s: n.s.additionalProperties, doc: n.doc };
    }
    return undefined;
  }

  private itemSchema(nodes: SchemaRef[]): SchemaRef | undefined {
    for (const n of nodes) if (isPlainObject(n.s.items)) return { s: n.s.items, doc: n.doc };
    return undefined;
  }

  private defaultOf(ref: SchemaRef | undefined): unknown {
    if (!ref) return undefined;
    for (const n of this.expand(ref)) if (n.s.default !== undefined) return n.s.default;
    return undefined;
  }

  // -------------------------------------------------------------------------------------------
  // defaulting (custom resources only, like the apiserver's structural defaulting)

  private applyDefaults(value: any, schema: any, docId: string): void {
    const nodes = this.expand({ s: schema, doc: docId });
    if (isPlainObject(value)) {
      for (const n of nodes) {
        if (!isPlainObject(n.s.properties)) continue;
        for (const [k, ps] of Object.entries<any>(n.s.properties)) {
          if (value[k] === undefined) {
            const d = this.defaultOf({ s: ps, doc: n.doc });
            if (d !== undefined) value[k] = clone(d);
          }
        }
      }
      for (const [k, v] of Object.entries(value)) {
        if (v === null || typeof v !== 'object') continue;
        const child = this.childSchema(nodes, k);
        if (child) this.applyDefaults(v, child.s, child.doc);
      }
    } else if (Array.isArray(value)) {
      const item = this.itemSchema(nodes);
      if (item) for (const v of value) if (v !== null && typeof v === 'object') this.applyDefaults(v, item.s, item.doc);
    }
  }

  // -------------------------------------------------------------------------------------------
  // ajv errors

  private convertAjvErrors(errors: ErrorObject[], data: unknown): Array<{ path: string; message: string }> {
    const out: Array<{ path: string; message: string }> = [];
    const consumed = new Set<number>();
    // oneOf/anyOf: ajv emits the branch errors immediately before the compound error; fold them in.
    const details = new Map<number, string[]>();
    for (let i = 0; i < errors.length; i++) {
      const e = errors[i];
      if (e.keyword !== 'oneOf' && e.keyword !== 'anyOf') continue;
      const sub: string[] = [];
      for (let j = i - 1; j >= 0; j--) {
        const c = errors[j];
        if (consumed.has(j)) continue;
        if (!c.schemaPath.startsWith(e.schemaPath + '/') || !c.instancePath.startsWith(e.instancePath)) break;
        consumed.add(j);
        sub.unshift(this.ajvMessage(c, e.instancePath, data));
      }
      details.set(i, sub);
    }
    errors.forEach((e, i) => {
      if (consumed.has(i)) return;
      let message = this.ajvMessage(e, e.instancePath, data);
      const sub = details.get(i);
      if (sub && sub.length) message += ` (${Array.from(new Set(sub)).join(' | ')})`;
      if (e.keyword === 'oneOf' || e.keyword === 'anyOf') message += `, got ${JSON.stringify(valueAtPointer(data, e.instancePath) ?? null)}`;
      out.push({ path: e.instancePath, message });
    });
    return out;
  }

  private ajvMessage(e: ErrorObject, basePath: string, data: unknown): string {
    // the value the keyword failed on (what ajv's `verbose` option would copy into the error)
    const value = valueAtPointer(data, e.instancePath);
    const rel = e.instancePath.length > basePath.length ? `${e.instancePath.slice(basePath.length)} ` : '';
    const p: any = e.params;
    let msg = e.message ?? e.keyword;
    switch (e.keyword) {
      case 'additionalProperties':
        msg += ` (${p.additionalProperty})`;
        break;
      case 'enum':
        msg += ` ${JSON.stringify(p.allowedValues)}`;
        break;
      case 'type':
        if (value === null) msg += ', got null';
        else msg += `, got ${Array.isArray(value) ? 'array' : typeof value}`;
        break;
      case 'pattern':
      case 'format':
      case 'maxLength':
      case 'minLength':
      case 'maximum':
      case 'minimum':
        msg += `, got ${JSON.stringify(value)}`;
        break;
      default:
        break;
    }
    return rel + msg;
  }

  // -------------------------------------------------------------------------------------------
  // metadata, names and labels

  private checkMetadata(obj: any, add: (p: string, m: string, s: ValidationIssue['source']) => void): void {
    const md = obj.metadata;
    if (!isPlainObject(md)) {
      add('/metadata', 'metadata is required', 'schema');
      return;
    }
    const name = md.name;
    if (name === undefined || name === '') {
      if (!md.generateName) add('/metadata/name', 'name or generateName is required', 'schema');
    } else if (typeof name === 'string') {
      if (typeof obj.apiVersion === 'string' && obj.apiVersion.startsWith('rbac.authorization.k8s.io/')) {
        // RBAC objects use path-segment names (e.g. `system:controller:foo`)
        if (name === '.' || name === '..' || /[/%]/.test(name)) {
          add('/metadata/name', `invalid name ${JSON.stringify(name)}: may not be '.' or '..' and may not contain '/' or '%'`, 'schema');
        }
      } else if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
        add('/metadata/name', `invalid name ${JSON.stringify(name)}: must be a lowercase RFC 1123 subdomain (at most 253 characters, [a-z0-9] and '-', '.')`, 'schema');
      }
      if (obj.kind === 'Service' && (name.length > 63 || !DNS1035_LABEL.test(name))) {
        add('/metadata/name', `invalid Service name ${JSON.stringify(name)}: must be an RFC 1035 label (at most 63 characters, start with a letter)`, 'schema');
      }
      if (obj.kind === 'Namespace' && (name.length > 63 || !DNS1123_LABEL.test(name))) {
        add('/metadata/name', `invalid Namespace name ${JSON.stringify(name)}: must be an RFC 1123 label`, 'schema');
      }
    }
    if (typeof md.namespace === 'string' && (md.namespace.length > 63 || !DNS1123_LABEL.test(md.namespace))) {
      add('/metadata/namespace', `invalid namespace ${JSON.stringify(md.namespace)}: must be an RFC 1123 label (at most 63 characters)`, 'schema');
    }
    if ((obj.kind === 'ConfigMap' || obj.kind === 'Secret') && obj.apiVersion === 'v1') {
      for (const field of ['data', 'binaryData', 'stringData']) {
        if (!isPlainObject(obj[field])) continue;
        for (const k of Object.keys(obj[field])) {
          if (k.length > 253 || !CONFIGMAP_KEY.test(k)) add(`/${field}/${pointerEscape(k)}`, `invalid key ${JSON.stringify(k)}: must consist of alphanumeric characters, '-', '_' or '.'`, 'schema');
        }
      }
    }
    this.checkLabelsDeep(obj, '', undefined, add);
    checkPodSpecs(obj, '', add);
  }

  /** Checks `metadata.labels`, `metadata.annotations` keys and `matchLabels` anywhere in the object. */
  private checkLabelsDeep(node: any, p: string, parentKey: string | undefined, add: (p: string, m: string, s: ValidationIssue['source']) => void): void {
    if (Array.isArray(node)) {
      node.forEach((v, i) => this.checkLabelsDeep(v, `${p}/${i}`, parentKey, add));
      return;
    }
    if (!isPlainObject(node)) return;
    for (const [k, v] of Object.entries(node)) {
      const cp = `${p}/${pointerEscape(k)}`;
      // An OpenAPI schema (a CRD's openAPIV3Schema) describes labels; it holds none.
      if (k === 'openAPIV3Schema') continue;
      if (parentKey === 'metadata' && k === 'labels' && isPlainObject(v)) {
        this.checkLabelMap(v, cp, add);
      } else if (k === 'matchLabels' && isPlainObject(v)) {
        this.checkLabelMap(v, cp, add);
      } else if (parentKey === 'metadata' && k === 'annotations' && isPlainObject(v)) {
        let total = 0;
        for (const [ak, av] of Object.entries(v)) {
          const err = qualifiedNameError(ak);
          if (err) add(`${cp}/${pointerEscape(ak)}`, `invalid annotation key ${JSON.stringify(ak)}: ${err}`, 'schema');
          total += ak.length + (typeof av === 'string' ? av.length : 0);
        }
        if (total > 256 * 1024) add(cp, `annotations too long: ${total} bytes, must have at most 262144`, 'schema');
      } else if (typeof v === 'object' && v !== null) {
        this.checkLabelsDeep(v, cp, k, add);
      }
    }
  }

  private checkLabelMap(labels: Record<string, any>, p: string, add: (p: string, m: string, s: ValidationIssue['source']) => void): void {
    for (const [k, v] of Object.entries(labels)) {
      const lp = `${p}/${pointerEscape(k)}`;
      const err = qualifiedNameError(k);
      if (err) add(lp, `invalid label key ${JSON.stringify(k)}: ${err}`, 'schema');
      if (typeof v === 'string' && (v.length > 63 || !LABEL_VALUE.test(v))) {
        add(lp, `invalid label value ${JSON.stringify(v)}: must be at most 63 characters, empty or begin and end with [A-Za-z0-9] with '-', '_', '.' between`, 'schema');
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // semantic walk: list-type uniqueness and CEL

  private walk(value: any, ref: SchemaRef, p: string, entry: KindEntry, add: (p: string, m: string, s: ValidationIssue['source']) => void, schemaIssuePaths: string[]): void {
    if (value === undefined || value === null) return;
    const nodes = this.expand(ref);
    if (nodes.length === 0) return;

    if (Array.isArray(value)) this.checkListType(value, nodes, p, add);

    for (const n of nodes) {
      const rules = n.s['x-kubernetes-validations'];
      if (Array.isArray(rules) && rules.length) this.evalRules(rules, value, nodes, p, entry, add, schemaIssuePaths);
    }

    if (Array.isArray(value)) {
      const item = this.itemSchema(nodes);
      if (item) value.forEach((v, i) => this.walk(v, item, `${p}/${i}`, entry, add, schemaIssuePaths));
    } else if (isPlainObject(value)) {
      for (const [k, v] of Object.entries(value)) {
        const child = this.childSchema(nodes, k);
        if (child) this.walk(v, child, `${p}/${pointerEscape(k)}`, entry, add, schemaIssuePaths);
      }
    }
  }

  private checkListType(value: any[], nodes: SchemaRef[], p: string, add: (p: string, m: string, s: ValidationIssue['source']) => void): void {
    const listNode = nodes.find(n => typeof n.s['x-kubernetes-list-type'] === 'string');
    if (!listNode) return;
    const type = listNode.s['x-kubernetes-list-type'];
    if (type === 'map') {
      const keys: string[] = listNode.s['x-kubernetes-list-map-keys'] ?? [];
      if (!keys.length) return;
      const itemNodes = this.itemSchema(nodes);
      const expandedItems = itemNodes ? this.expand(itemNodes) : [];
      const seen = new Map<string, number>();
      value.forEach((item, i) => {
        if (!isPlainObject(item)) return;
        const kv: Record<string, unknown> = {};
        for (const k of keys) kv[k] = item[k] !== undefined ? item[k] : this.defaultOf(this.childSchema(expandedItems, k));
        const sig = JSON.stringify(keys.map(k => kv[k] ?? null));
        const first = seen.get(sig);
        if (first !== undefined) {
          add(`${p}/${i}`, `Duplicate value: ${JSON.stringify(kv)} (x-kubernetes-list-type map keyed by [${keys.join(', ')}]; same key as index ${first})`, 'schema');
        } else {
          seen.set(sig, i);
        }
      });
    } else if (type === 'set') {
      const seen = new Map<string, number>();
      value.forEach((item, i) => {
        const sig = JSON.stringify(item);
        const first = seen.get(sig);
        if (first !== undefined) add(`${p}/${i}`, `Duplicate value: ${sig} (x-kubernetes-list-type set; same as index ${first})`, 'schema');
        else seen.set(sig, i);
      });
    }
  }

  private compileRule(expr: string): CompiledRule {
    const cached = this.rules.get(expr);
    if (cached) return cached;
    let compiled: CompiledRule;
    try {
      const stored = this.sources.parsedRules?.[expr];
      const parsed = stored !== undefined ? { expr: decodeCelExpr(stored) } : parse(expr);
      const problem = staticCheck(this.celEnv, parsed.expr);
      if (problem) {
        compiled = { error: problem };
      } else {
        const program = plan(this.celEnv, parsed.expr);
        compiled = { program: ctx => program(ctx as any) };
      }
    } catch (e) {
      compiled = { error: `compile error: ${(e as Error).message}` };
    }
    this.rules.set(expr, compiled);
    return compiled;
  }

  private reportUnsupported(gvk: string, p: string, rule: string, error: string): void {
    const key = `${gvk}\u0000${rule}\u0000${error}`;
    if (this.unsupportedKeys.has(key)) return;
    this.unsupportedKeys.add(key);
    this.unsupportedRules.push({ gvk, path: p, rule, error });
  }

  private evalRules(rules: any[], value: any, nodes: SchemaRef[], p: string, entry: KindEntry, add: (p: string, m: string, s: ValidationIssue['source']) => void, schemaIssuePaths: string[]): void {
    let self: unknown;
    let converted = false;
    for (const rule of rules) {
      if (!isPlainObject(rule) || typeof rule.rule !== 'string') continue;
      // transition rules need the old object; a create has none, so the apiserver skips them too
      if (/\boldSelf\b/.test(rule.rule)) continue;
      this.evaluatedRules.add(rule);
      const compiled = this.compileRule(rule.rule);
      if (!compiled.program) {
        this.reportUnsupported(entry.gvk, p, rule.rule, compiled.error ?? 'unknown error');
        continue;
      }
      if (!converted) {
        self = this.toCel(value, nodes);
        converted = true;
      }
      const issuePath = p + fieldPathToPointer(rule.fieldPath);
      let result: unknown;
      try {
        result = compiled.program({ self });
      } catch (e) {
        result = e instanceof Error ? e : new Error(String(e));
      }
      if (isCelError(result) || result instanceof Error) {
        const msg = (result as Error).message;
        const dataProblem = schemaIssuePaths.some(sp => sp === p || sp.startsWith(p + '/') || p.startsWith(sp + '/') || sp === '');
        if (isValidatorGap(msg) || (/no matching overload|no such overload/i.test(msg) && !dataProblem)) {
          this.reportUnsupported(entry.gvk, p, rule.rule, msg);
        } else {
          add(issuePath, `rule evaluation error: ${msg} (rule: ${rule.rule})`, 'cel');
        }
        continue;
      }
      if (typeof result !== 'boolean') {
        this.reportUnsupported(entry.gvk, p, rule.rule, `rule returned ${typeof result}, expected bool`);
        continue;
      }
      if (!result) add(issuePath, this.ruleMessage(rule, self), 'cel');
    }
  }

  private ruleMessage(rule: any, self: unknown): string {
    if (typeof rule.messageExpression === 'string') {
      const m = this.compileRule(rule.messageExpression);
      if (m.program) {
        try {
          const r = m.program({ self });
          if (typeof r === 'string' && r.trim() !== '') return r;
        } catch {
          // fall through
        }
      }
    }
    if (typeof rule.message === 'string' && rule.message !== '') return rule.message;
    return `failed rule: ${rule.rule}`;
  }

  /**
   * Converts a JSON value to its CEL representation using the schema:
   * integer → int (bigint), number → double, objects with properties → map with escaped property names,
   * maps (additionalProperties) → map with raw keys, int-or-string → int or string.
   */
  private toCel(value: any, nodes: SchemaRef[]): unknown {
    if (value === null || value === undefined) return null;
    if (Array.isArray(value)) {
      const item = this.itemSchema(nodes);
      const itemNodes = item ? this.expand(item) : [];
      return value.map(v => this.toCel(v, itemNodes));
    }
    if (isPlainObject(value)) {
      const hasProps = nodes.some(n => isPlainObject(n.s.properties));
      const m = new Map<string, unknown>();
      for (const [k, v] of Object.entries(value)) {
        const child = this.childSchema(nodes, k);
        const key = hasProps && nodes.some(n => isPlainObject(n.s.properties) && k in n.s.properties) ? escapeCelPropertyName(k) : k;
        m.set(key, this.toCel(v, child ? this.expand(child) : []));
      }
      return m;
    }
    if (typeof value === 'number') {
      const types = nodes.map(n => n.s.type).filter(t => typeof t === 'string');
      if (types.includes('number')) return value;
      if (Number.isInteger(value)) return BigInt(value);
      return value;
    }
    return value;
  }

  private collectRules(entry: KindEntry): Array<{ schemaPath: string; rule: any }> {
    const out: Array<{ schemaPath: string; rule: any }> = [];
    const seen = new Set<any>();
    const visit = (ref: SchemaRef, sp: string): void => {
      for (const n of this.expand(ref)) {
        if (seen.has(n.s)) continue;
        seen.add(n.s);
        for (const r of n.s['x-kubernetes-validations'] ?? []) out.push({ schemaPath: sp || '/', rule: r });
        if (isPlainObject(n.s.properties)) for (const [k, v] of Object.entries(n.s.properties)) visit({ s: v, doc: n.doc }, `${sp}/${pointerEscape(k)}`);
        if (isPlainObject(n.s.items)) visit({ s: n.s.items, doc: n.doc }, `${sp}/items`);
        if (isPlainObject(n.s.additionalProperties)) visit({ s: n.s.additionalProperties, doc: n.doc }, `${sp}/*`);
      }
    };
    visit({ s: entry.schema, doc: entry.docId }, '');
    return out;
  }
}

const TOLERATION_OPERATORS = ['', 'Exists', 'Equal', 'Lt', 'Gt'];
const TAINT_EFFECTS = ['', 'NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/**
 * What the API server's pod validation checks beyond the OpenAPI schema, for every pod spec in the object (a node
 * with a `containers` list): `nodeSelector` keys and values are label keys and values; tolerations have a known
 * operator and effect, a qualified key, no value with `Exists`, and `tolerationSeconds` only with `NoExecute`.
 */
function checkPodSpecs(node: any, p: string, add: (p: string, m: string, s: ValidationIssue['source']) => void): void {
  if (Array.isArray(node)) {
    node.forEach((v, i) => checkPodSpecs(v, `${p}/${i}`, add));
    return;
  }
  if (!isPlainObject(node)) return;
  if (Array.isArray(node.containers)) {
    if (isPlainObject(node.nodeSelector)) {
      for (const [k, v] of Object.entries(node.nodeSelector)) {
        const lp = `${p}/nodeSelector/${pointerEscape(k)}`;
        const err = qualifiedNameError(k);
        if (err) add(lp, `invalid nodeSelector key ${JSON.stringify(k)}: ${err}`, 'schema');
        if (typeof v === 'string' && (v.length > 63 || !LABEL_VALUE.test(v))) add(lp, `invalid nodeSelector value ${JSON.stringify(v)}: must be a label value`, 'schema');
      }
    }
    if (Array.isArray(node.tolerations)) {
      node.tolerations.forEach((t: any, i: number) => {
        if (!isPlainObject(t)) return;
        const tp = `${p}/tolerations/${i}`;
        const op = t.operator ?? '';
        if (typeof op === 'string' && !TOLERATION_OPERATORS.includes(op)) add(`${tp}/operator`, `Unsupported value: ${JSON.stringify(op)}: supported values: "Equal", "Exists"`, 'schema');
        const effect = t.effect ?? '';
        if (typeof effect === 'string' && !TAINT_EFFECTS.includes(effect)) add(`${tp}/effect`, `Unsupported value: ${JSON.stringify(effect)}: supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"`, 'schema');
        if (typeof t.key === 'string' && t.key !== '') {
          const err = qualifiedNameError(t.key);
          if (err) add(`${tp}/key`, `invalid toleration key ${JSON.stringify(t.key)}: ${err}`, 'schema');
        } else if (op !== 'Exists') {
          add(`${tp}/operator`, 'operator must be Exists when key is empty', 'schema');
        }
        if (op === 'Exists' && typeof t.value === 'string' && t.value !== '') add(`${tp}/value`, 'value must be empty when operator is Exists', 'schema');
        if (t.tolerationSeconds !== undefined && effect !== 'NoExecute') add(`${tp}/effect`, 'effect must be NoExecute when tolerationSeconds is set', 'schema');
      });
    }
  }
  for (const [k, v] of Object.entries(node)) if (typeof v === 'object' && v !== null && k !== 'openAPIV3Schema') checkPodSpecs(v, `${p}/${pointerEscape(k)}`, add);
}

function qualifiedNameError(key: string): string | undefined {
  const slash = key.indexOf('/');
  let prefix: string | undefined;
  let name = key;
  if (slash >= 0) {
    if (key.indexOf('/', slash + 1) >= 0) return 'a qualified name must consist of an optional DNS subdomain prefix and a name, separated by one \'/\'';
    prefix = key.slice(0, slash);
    name = key.slice(slash + 1);
  }
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) {
    return 'prefix part must be a lowercase RFC 1123 subdomain (at most 253 characters)';
  }
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name)) {
    return 'name part must be at most 63 characters, begin and end with [A-Za-z0-9] with \'-\', \'_\', \'.\' between';
  }
  return undefined;
}

/** `.spec.foo['bar'][0]` → `/spec/foo/bar/0` */
function fieldPathToPointer(fieldPath: unknown): string {
  if (typeof fieldPath !== 'string' || fieldPath === '') return '';
  let out = '';
  const re = /\.([^.[\]]+)|\['((?:[^'\\]|\\.)*)'\]|\[(\d+)\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(fieldPath)) !== null) out += '/' + pointerEscape(m[1] ?? m[2] ?? m[3]);
  return out;
}

/** One line per issue: `Kind/name /path: message [source]`. */
export function formatIssues(issues: ValidationIssue[]): string {
  return issues.map(i => `${i.kind}/${i.name} ${i.path || '/'}: ${i.message} [${i.source}]`).join('\n');
}
