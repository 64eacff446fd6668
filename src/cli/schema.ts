import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { sha256Hex } from '../internal/digest';
import { suggest } from '../internal/suggest';
import { unknownFieldHint } from '../kserve/spec-check';

/** One schema finding of an input document. */
export interface SchemaFinding {
  readonly level: 'error' | 'warning';
  /** Dotted field path, e.g. `spec.replicas`. */
  readonly field: string;
  readonly message: string;
  /** An unknown field the API server prunes, or a value the schema rejects. */
  readonly kind: 'unknown-field' | 'invalid';
  /** What to change, as a YAML edit. */
  readonly fix?: string;
}

const CRD_FILES: Record<string, string> = {
  LLMInferenceService: 'serving.kserve.io_llminferenceservices.yaml',
  LLMInferenceServiceConfig: 'serving.kserve.io_llminferenceserviceconfigs.yaml',
};

/**
 * The KServe CRDs parsed ahead of time by the compile task (scripts/precompile-validators.ts), beside the compiled
 * CLI: file name → the sha256 of the YAML text it was parsed from and the parsed CRD's served versions. A CRD whose
 * text has that digest is read from here instead of parsing its 2.7 MB of YAML again in every run.
 */
export const PARSED_CRDS = path.join(__dirname, 'kserve-crds.json');

/** An entry of {@link PARSED_CRDS}. */
export interface ParsedCrd {
  readonly digest: string;
  readonly crd: { readonly spec: { readonly versions: readonly any[] } };
}

/** The CRD files of the KServe kinds the CLI reads. */
export function kserveCrdFiles(): readonly string[] {
  return Object.values(CRD_FILES);
}

/** The parts of a CRD the validator reads (`spec.versions`), for {@link PARSED_CRDS}. */
export function parsedCrd(text: string): ParsedCrd {
  const crd = YAML.parse(text);
  return { digest: sha256Hex(text), crd: { spec: { versions: crd?.spec?.versions ?? [] } } };
}

const parsedTables = new Map<string, Record<string, ParsedCrd> | null>();

/** The CRD in `file`: from the table `parsed` (default {@link PARSED_CRDS}) when its text is the one parsed there, else parsed now. */
export function readCrd(file: string, parsed: string = PARSED_CRDS): any {
  const text = fs.readFileSync(file, 'utf8');
  if (!parsedTables.has(parsed)) parsedTables.set(parsed, fs.existsSync(parsed) ? JSON.parse(fs.readFileSync(parsed, 'utf8')) : null);
  const ahead = parsedTables.get(parsed)?.[path.basename(file)];
  if (ahead && ahead.digest === sha256Hex(text)) return ahead.crd;
  return YAML.parse(text);
}

/** The KServe CRDs shipped with the package. */
export const PACKAGE_KSERVE_CRDS = path.join(__dirname, '..', '..', 'assets', 'kserve');

/** Where the KServe CRDs are looked up: `CDK8S_LLMD_KSERVE_CRDS`, else the package's {@link PACKAGE_KSERVE_CRDS}. */
export function crdDirectory(): string | undefined {
  const candidates = [
    process.env.CDK8S_LLMD_KSERVE_CRDS,
    PACKAGE_KSERVE_CRDS,
  ].filter((d): d is string => typeof d === 'string');
  return candidates.find((d) => fs.existsSync(path.join(d, CRD_FILES.LLMInferenceService)));
}

/**
 * Validate a document the way the API server would with the CRD's structural schema: unknown fields under
 * objects without `x-kubernetes-preserve-unknown-fields` are pruned (warnings; `doc` is modified), then the
 * remaining object is checked against the schema's types, enums, bounds, patterns and required fields (errors),
 * one finding per field. CEL rules are left to the construct.
 */
export class CrdSchemaValidator {
  private readonly schemas = new Map<string, any>();

  constructor(private readonly dir: string) {}

  public validate(doc: Record<string, any>): SchemaFinding[] {
    const version = String(doc.apiVersion ?? '').split('/')[1];
    const schema = this.schema(doc.kind, version);
    if (!schema) return [{ level: 'error', kind: 'invalid', field: 'apiVersion', message: `${doc.apiVersion} ${doc.kind} is not served by the KServe CRD` }];
    const findings: SchemaFinding[] = [];
    prune(schema, doc, '', findings);
    check(schema, doc, '', findings);
    return findings;
  }

  private schema(kind: string, version: string): any {
    const file = CRD_FILES[kind];
    if (!file) return undefined;
    if (!this.schemas.has(file)) this.schemas.set(file, readCrd(path.join(this.dir, file)));
    const crd = this.schemas.get(file);
    const v = (crd.spec?.versions ?? []).find((x: any) => x.name === version && x.served);
    if (!v) return undefined;
    const root = { ...v.schema.openAPIV3Schema, properties: { ...v.schema.openAPIV3Schema.properties } };
    // apiVersion/kind/metadata are checked by the API server itself.
    root.properties.metadata = { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true };
    return root;
  }
}

const join = (at: string, key: string) => (at ? `${at}.${key}` : key);

/** The first problem of `value` against `schema` at `at` (children are checked only when the value itself is fine). */
function check(schema: any, value: unknown, at: string, out: SchemaFinding[]): void {
  const field = at || '(root)';
  const error = (message: string, fix?: string): void => void out.push({ level: 'error', kind: 'invalid', field, message: `${message}; got ${shown(value)}`, fix });
  if (!schema || typeof schema !== 'object') return;
  if (value === null) {
    if (schema.nullable !== true) error(`must be ${schema['x-kubernetes-int-or-string'] ? 'integer or string' : schema.type ?? 'set'}`, `remove ${field}, or give it a value`);
    return;
  }
  if (schema['x-kubernetes-int-or-string'] === true) {
    if (typeof value !== 'string' && !Number.isInteger(value)) error('must be integer or string', `write ${field} as a number or a string`);
    return;
  }
  const type = schema.type;
  const actual = Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value;
  // The EndpointPickerConfig as YAML text (a RawExtension): the controller holds a config.ref's ConfigMap text there
  // and parses either form, so the text is read as the controller reads it; the CRD types the field as an object.
  if (type === 'object' && actual === 'string' && /(^|\.)router\.scheduler\.config\.inline$/.test(at)) {
    out.push({
      level: 'warning',
      kind: 'invalid',
      field,
      message: 'is YAML text; the CRD types it as an object, so the API server may refuse the manifest as written, while the controller (and this render) reads the text',
      fix: `write ${field} as a YAML mapping (drop the | block marker and indent the config under inline)`,
    });
    return;
  }
  if (type !== undefined && !(type === actual || (type === 'number' && actual === 'integer'))) {
    const fixes: Record<string, string> = { object: 'a YAML mapping', array: 'a YAML list' };
    error(`must be ${type}`, `write ${field} as ${fixes[type] ?? (type === 'integer' ? 'an integer' : `a ${type}`)}`);
    return;
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e: unknown) => e === value)) {
    const allowed = schema.enum.map(String);
    const near = typeof value === 'string' ? suggest(value, allowed) : undefined;
    error(`must be one of ${allowed.join(', ')}`, near ? `did you mean ${near}?` : `use one of ${allowed.join(', ')}`);
    return;
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && (schema.exclusiveMinimum ? value <= schema.minimum : value < schema.minimum)) {
      return error(`must be ${schema.exclusiveMinimum ? '>' : '>='} ${schema.minimum}`, `set ${field} to ${schema.minimum}${schema.exclusiveMinimum ? ' or more (exclusive)' : ' or more'}`);
    }
    if (schema.maximum !== undefined && (schema.exclusiveMaximum ? value >= schema.maximum : value > schema.maximum)) {
      return error(`must be ${schema.exclusiveMaximum ? '<' : '<='} ${schema.maximum}`, `set ${field} to ${schema.maximum} or less`);
    }
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) return error(`must have at least ${schema.minLength} characters`);
    if (schema.maxLength !== undefined && value.length > schema.maxLength) return error(`must have at most ${schema.maxLength} characters`);
    if (typeof schema.pattern === 'string' && !matches(schema.pattern, value)) return error(`must match ${schema.pattern}`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) return error(`must have at least ${schema.minItems} items`);
    if (schema.maxItems !== undefined && value.length > schema.maxItems) return error(`must have at most ${schema.maxItems} items`);
    value.forEach((v, i) => check(schema.items, v, `${at}[${i}]`, out));
    return;
  }
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    for (const r of Array.isArray(schema.required) ? schema.required : []) {
      if (obj[r] === undefined) out.push({ level: 'error', kind: 'invalid', field: join(at, r), message: 'is required', fix: `set ${join(at, r)}` });
    }
    const n = Object.keys(obj).length;
    if (schema.minProperties !== undefined && n < schema.minProperties) return error(`must have at least ${schema.minProperties} entries`);
    if (schema.maxProperties !== undefined && n > schema.maxProperties) return error(`must have at most ${schema.maxProperties} entries`);
    for (const [k, v] of Object.entries(obj)) {
      const sub = schema.properties?.[k] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
      if (sub) check(sub, v, join(at, k), out);
    }
  }
}

const PATTERNS = new Map<string, RegExp | undefined>();
/** Whether `value` matches the schema pattern; a pattern JavaScript cannot compile is not enforced. */
function matches(pattern: string, value: string): boolean {
  if (!PATTERNS.has(pattern)) {
    try {
      PATTERNS.set(pattern, new RegExp(pattern, 'u'));
    } catch {
      PATTERNS.set(pattern, undefined);
    }
  }
  const re = PATTERNS.get(pattern);
  return re === undefined || re.test(value);
}

function prune(schema: any, value: any, at: string, out: SchemaFinding[]): void {
  if (!schema || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    if (schema.items) value.forEach((v, i) => prune(schema.items, v, `${at}[${i}]`, out));
    return;
  }
  if (schema['x-kubernetes-preserve-unknown-fields'] === true && !schema.properties) return;
  if (schema.properties) {
    for (const key of Object.keys(value)) {
      const sub = schema.properties[key];
      const field = at ? `${at}.${key}` : key;
      if (sub === undefined) {
        if (schema['x-kubernetes-preserve-unknown-fields'] === true || schema.additionalProperties) continue;
        const hint = unknownFieldHint(at, key, value[key], Object.keys(schema.properties));
        const message = `PRUNED — unknown field, dropped by the API server (structural schema), so nothing under it takes effect${hint.suggestion ? `; ${hint.suggestion}` : ''}`;
        out.push({ level: 'warning', kind: 'unknown-field', field, message, fix: hint.fix });
        delete value[key];
      } else {
        prune(sub, value[key], field, out);
      }
    }
  } else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    for (const key of Object.keys(value)) prune(schema.additionalProperties, value[key], at ? `${at}.${key}` : key, out);
  }
}

function shown(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? v.slice(0, 57) + '...' : v);
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return String(v);
}
