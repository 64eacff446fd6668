import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import * as YAML from 'yaml';

/** One schema finding of an input document. */
export interface SchemaFinding {
  readonly level: 'error' | 'warning';
  /** Dotted field path, e.g. `spec.replicas`. */
  readonly field: string;
  readonly message: string;
}

const CRD_FILES: Record<string, string> = {
  LLMInferenceService: 'serving.kserve.io_llminferenceservices.yaml',
  LLMInferenceServiceConfig: 'serving.kserve.io_llminferenceserviceconfigs.yaml',
};

/** Where the KServe CRDs are looked up: `CDK8S_LLMD_KSERVE_CRDS`, else the package's `assets/kserve/`. */
export function crdDirectory(): string | undefined {
  const candidates = [
    process.env.CDK8S_LLMD_KSERVE_CRDS,
    path.join(__dirname, '..', '..', 'assets', 'kserve'),
  ].filter((d): d is string => typeof d === 'string');
  return candidates.find((d) => fs.existsSync(path.join(d, CRD_FILES.LLMInferenceService)));
}

/**
 * Validate a document the way the API server would with the CRD's structural schema: unknown fields under
 * objects without `x-kubernetes-preserve-unknown-fields` are pruned (warnings; `doc` is modified), then the
 * remaining object is checked with ajv (errors). CEL rules are left to the construct.
 */
export class CrdSchemaValidator {
  private readonly ajv = new Ajv({ strict: false, allErrors: true, logger: false, validateSchema: false });
  private readonly schemas = new Map<string, any>();
  private readonly compiled = new Map<string, ReturnType<Ajv['compile']>>();

  constructor(private readonly dir: string) {
    this.ajv.addFormat('int32', true);
    this.ajv.addFormat('int64', true);
    this.ajv.addFormat('int-or-string', true);
    this.ajv.addFormat('date-time', true);
    this.ajv.addFormat('byte', true);
    this.ajv.addFormat('uri', true);
    this.ajv.addFormat('duration', true);
    this.ajv.addFormat('double', true);
    this.ajv.addFormat('float', true);
    this.ajv.addFormat('quantity', true);
    this.ajv.addKeyword({
      keyword: 'x-kubernetes-int-or-string',
      schemaType: 'boolean',
      validate: (sch: boolean, data: unknown) => !sch || typeof data === 'string' || Number.isInteger(data),
    });
  }

  public validate(doc: Record<string, any>): SchemaFinding[] {
    const version = String(doc.apiVersion ?? '').split('/')[1];
    const schema = this.schema(doc.kind, version);
    if (!schema) return [{ level: 'error', field: 'apiVersion', message: `${doc.apiVersion} ${doc.kind} is not served by the KServe CRD` }];
    const findings: SchemaFinding[] = [];
    prune(schema, doc, '', findings);
    const key = `${doc.kind}/${version}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.compiled.set(key, validate);
    }
    if (!validate(doc)) {
      for (const e of validate.errors ?? []) {
        const field = e.instancePath.split('/').slice(1).join('.');
        findings.push({ level: 'error', field: field || '(root)', message: `${e.message}${e.params && Object.keys(e.params).length ? ' ' + JSON.stringify(e.params) : ''}` });
      }
    }
    return findings;
  }

  private schema(kind: string, version: string): any {
    const file = CRD_FILES[kind];
    if (!file) return undefined;
    if (!this.schemas.has(file)) this.schemas.set(file, YAML.parse(fs.readFileSync(path.join(this.dir, file), 'utf8')));
    const crd = this.schemas.get(file);
    const v = (crd.spec?.versions ?? []).find((x: any) => x.name === version && x.served);
    if (!v) return undefined;
    const root = JSON.parse(JSON.stringify(v.schema.openAPIV3Schema));
    // apiVersion/kind/metadata are checked by the API server itself.
    root.properties.metadata = { type: 'object' };
    return root;
  }
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
        out.push({ level: 'warning', field, message: 'unknown field, pruned by the API server (structural schema)' });
        delete value[key];
      } else {
        prune(sub, value[key], field, out);
      }
    }
  } else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    for (const key of Object.keys(value)) prune(schema.additionalProperties, value[key], at ? `${at}.${key}` : key, out);
  }
}
