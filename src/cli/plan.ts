/**
 * `cdk8s-llm-d plan <input...>`: what the inputs deploy. KServe LLMInferenceService documents are rendered first
 * (LLMInferenceServiceConfig documents serve as their baseRefs); every other Kubernetes object is planned as it is,
 * so the command reads KServe YAML, `cdk8s synth` / `render -o` output, or both.
 */
import * as fs from 'fs';
import { evaluate } from './evaluate';
import { EXIT_INVALID, EXIT_OK } from './exit-codes';
import { Findings, formatFinding } from './findings';
import { expandPaths, InputDoc, InputError, parseDocuments } from './inputs';
import { CliIo } from './output';
import { KSERVE_API_VERSIONS } from '../kserve/spec-check';
import { Plan } from '../plan/plan';

/** Options of `plan`. */
export interface PlanOptions {
  /** Namespace of LLMInferenceServices without `metadata.namespace`. */
  readonly namespace: string;
  readonly allowUnknownFlags?: boolean;
  /** Print the plan as JSON. */
  readonly json?: boolean;
  /** Print the Mermaid flowchart of the request path instead of the table. */
  readonly mermaid?: boolean;
  /** Model profile preset id for every service. */
  readonly profile?: string;
  /** Accelerator type name for every service. */
  readonly acceleratorType?: string;
}

const KSERVE_KINDS = new Set(['LLMInferenceService', 'LLMInferenceServiceConfig']);

/** Run `plan`; returns the exit code (unreadable input is thrown as an InputError). */
export function plan(paths: string[], opts: PlanOptions, io: CliIo): number {
  const services: InputDoc[] = [];
  const configs: InputDoc[] = [];
  const objects: Record<string, any>[] = [];
  const files = expandPaths(paths);
  for (const file of files) {
    let text: string;
    try {
      text = file === '-' ? (io.stdin ?? (() => fs.readFileSync(0, 'utf8')))() : fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new InputError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    for (const [index, doc] of parseDocuments(file, text).entries()) {
      if (doc === null || doc === undefined) continue;
      const o = doc as Record<string, any>;
      if (typeof o !== 'object' || Array.isArray(o) || typeof o.apiVersion !== 'string' || typeof o.kind !== 'string') {
        throw new InputError(`${file}: document ${index + 1} is not a Kubernetes object (a YAML mapping with apiVersion and kind)`);
      }
      if (KSERVE_KINDS.has(o.kind) && KSERVE_API_VERSIONS.includes(o.apiVersion)) {
        (o.kind === 'LLMInferenceService' ? services : configs).push({ file, index, doc: o });
      } else if (o.kind === 'List' && Array.isArray(o.items)) {
        objects.push(...o.items);
      } else {
        objects.push(o);
      }
    }
  }
  if (services.length > 0) {
    const findings = new Findings();
    const results = evaluate({ files, services, configs, skipped: [] }, {
      namespace: opts.namespace, allowUnknownFlags: opts.allowUnknownFlags ?? false, unknownField: 'warning', profile: opts.profile, acceleratorType: opts.acceleratorType,
    }, findings);
    for (const f of findings.all) if (f.level === 'error') io.stderr(formatFinding(f) + '\n');
    const warnings = findings.count('warning');
    if (warnings > 0) io.stderr(`${warnings} warning(s) rendering the LLMInferenceServices (\`cdk8s-llm-d check\` lists them)\n`);
    if (findings.count('error') > 0) {
      io.stderr(`plan failed: ${findings.count('error')} error(s) rendering the LLMInferenceServices\n`);
      return EXIT_INVALID;
    }
    for (const r of results) objects.push(...(r.objects ?? []));
  } else if (configs.length > 0 && objects.length === 0) {
    throw new InputError(`only LLMInferenceServiceConfig documents in ${files.join(', ')}: nothing to plan`, EXIT_INVALID);
  }
  if (objects.length === 0) throw new InputError(`no Kubernetes objects in ${files.join(', ')}`, EXIT_INVALID);
  const p = Plan.fromManifests(objects);
  if (opts.mermaid) io.stdout(p.toMermaid());
  else if (opts.json) io.stdout(JSON.stringify(p.toJson(), undefined, 2) + '\n');
  else io.stdout(p.toTable());
  return EXIT_OK;
}
