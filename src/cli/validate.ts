/**
 * `cdk8s-llm-d validate <yaml|dir>...` and the cdk8s validation plugin: the checks the library runs at synth
 * (Kubernetes 1.35 and CRD schemas, strict, with CEL rules; duplicate objects; route collisions) on any YAML,
 * so users' patches and hand-written objects are checked too.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Command } from 'commander';
import * as YAML from 'yaml';
import { describeObject, findAppProblems, OTHER } from '../validation/app-checks';
import { bundledValidator } from '../validation/bundled';

/** One input document and where it came from. */
export interface ManifestDoc {
  /** File (or `-` for stdin). */
  readonly source: string;
  /** 1-based document number in the file. */
  readonly index: number;
  readonly doc: unknown;
}

/** One finding of {@link validateManifests}. */
export interface ManifestFinding {
  readonly level: 'error' | 'warning';
  /** `schema`, `cel`, `duplicate-object`, `route-collision`, `unknown-kind`, `not-an-object`. */
  readonly rule: string;
  readonly source: string;
  readonly index: number;
  /** `Kind namespace/name`. */
  readonly object: string;
  /** `metadata.name` of the object (empty when it has none). */
  readonly name: string;
  /** JSON pointer inside the object. */
  readonly pointer: string;
  readonly message: string;
  readonly fix?: string;
}

function nameOf(o: any): string {
  return typeof o?.metadata?.name === 'string' ? o.metadata.name : '';
}

function where(d: ManifestDoc): string {
  return `${d.source}#${d.index}`;
}

/**
 * Validate documents as the library validates its own objects at synth. Kinds without a shipped schema are a
 * warning (`unknown-kind`), or an error with `strictKinds`.
 */
export function validateManifests(docs: readonly ManifestDoc[], options: { strictKinds?: boolean } = {}): ManifestFinding[] {
  const validator = bundledValidator();
  const findings: ManifestFinding[] = [];
  const objects: ManifestDoc[] = [];
  for (const d of docs) {
    const o = d.doc as any;
    if (o === null || typeof o !== 'object' || Array.isArray(o) || typeof o.apiVersion !== 'string' || typeof o.kind !== 'string') {
      findings.push({ level: 'error', rule: 'not-an-object', source: d.source, index: d.index, object: '<none>', name: '', pointer: '', message: 'is not a Kubernetes object (string apiVersion and kind)' });
      continue;
    }
    if (o.kind === 'List' && Array.isArray(o.items)) {
      o.items.forEach((item: unknown) => objects.push({ source: d.source, index: d.index, doc: item }));
    } else {
      objects.push(d);
    }
  }
  for (const d of objects) {
    const o = d.doc as any;
    if (o === null || typeof o !== 'object' || typeof o.apiVersion !== 'string' || typeof o.kind !== 'string') continue;
    const object = describeObject(o);
    const name = nameOf(o);
    if (!validator.isKnownKind(o.apiVersion, o.kind)) {
      findings.push({
        level: options.strictKinds ? 'error' : 'warning',
        rule: 'unknown-kind',
        source: d.source,
        index: d.index,
        object,
        name,
        pointer: '',
        message: `${o.apiVersion} ${o.kind} has no schema shipped with cdk8s-llm-d; not validated`,
      });
      continue;
    }
    for (const issue of validator.validate(o)) {
      findings.push({ level: 'error', rule: issue.source === 'cel' ? 'cel' : 'schema', source: d.source, index: d.index, object, name, pointer: issue.path, message: issue.message });
    }
  }
  for (const p of findAppProblems(objects.map((d) => d.doc))) {
    const d = objects[p.index];
    const other = objects[p.other];
    findings.push({
      level: 'error',
      rule: p.pointer === '/metadata/name' ? 'duplicate-object' : 'route-collision',
      source: d.source,
      index: d.index,
      object: describeObject(d.doc),
      name: nameOf(d.doc),
      pointer: p.pointer,
      message: p.problem.replace(OTHER, where(other)),
      fix: p.fix,
    });
  }
  return findings;
}

/** `file#doc Kind ns/name /pointer: message [rule]`, one line per finding. */
export function formatFindings(findings: readonly ManifestFinding[]): string {
  return findings.map((f) => `${f.level}: ${f.source}#${f.index} ${f.object} ${f.pointer || '/'}: ${f.message}${f.fix ? `. Fix: ${f.fix}` : ''} [${f.rule}]`).join('\n');
}

/** Input error (unreadable file, invalid YAML). */
export class ManifestInputError extends Error {}

function yamlFiles(p: string): string[] {
  if (p === '-') return [p];
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch (e) {
    throw new ManifestInputError(`${p}: cannot read (${(e as Error).message})`);
  }
  if (!stat.isDirectory()) return [p];
  return fs.readdirSync(p, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? yamlFiles(path.join(p, e.name)) : /\.ya?ml$/.test(e.name) ? [path.join(p, e.name)] : []));
}

/** Read the documents of files and directories (`*.yaml`/`*.yml` below them, sorted). */
export function readManifests(paths: readonly string[]): ManifestDoc[] {
  const docs: ManifestDoc[] = [];
  for (const file of paths.flatMap(yamlFiles)) {
    let text: string;
    try {
      text = file === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new ManifestInputError(`${file}: cannot read (${(e as Error).message})`);
    }
    const parsed = YAML.parseAllDocuments(text);
    for (const [i, d] of (Array.isArray(parsed) ? parsed : [parsed]).entries()) {
      if (d.errors.length > 0) throw new ManifestInputError(`${file}: document ${i + 1} is not valid YAML: ${d.errors[0].message}`);
      let doc: unknown;
      try {
        doc = d.toJS({ maxAliasCount: 100 });
      } catch (e) {
        throw new ManifestInputError(`${file}: document ${i + 1} cannot be read: ${(e as Error).message}`);
      }
      if (doc === null || doc === undefined) continue;
      docs.push({ source: file, index: i + 1, doc });
    }
  }
  return docs;
}

/** Where the command writes. */
interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/**
 * Add `validate` to the CLI; `setCode` receives the exit code (0 valid, 1 invalid, 2 unreadable input).
 * @internal
 */
export function addValidateCommand(program: Command, io: Io, setCode: (code: number) => void): void {
  program.command('validate')
    .description('validate Kubernetes YAML (files or directories) with the checks cdk8s-llm-d runs at synth: Kubernetes 1.35 and CRD schemas '
      + '(strict, with CEL rules), duplicate objects and HTTPRoute collisions')
    .argument('<path...>', 'YAML files or directories (- for stdin)')
    .option('--strict-kinds', 'fail on kinds without a shipped schema (default: warn)')
    .option('--json', 'print the findings as JSON')
    .action((paths: string[], opts: { strictKinds?: boolean; json?: boolean }) => {
      let docs: ManifestDoc[];
      try {
        docs = readManifests(paths);
      } catch (e) {
        if (!(e instanceof ManifestInputError)) throw e;
        io.stderr(`error: ${e.message}\n`);
        setCode(2);
        return;
      }
      const findings = validateManifests(docs, { strictKinds: opts.strictKinds });
      const errors = findings.filter((f) => f.level === 'error').length;
      if (opts.json) {
        io.stdout(JSON.stringify({ documents: docs.length, errors, findings }, undefined, 2) + '\n');
      } else {
        if (findings.length) io.stderr(formatFindings(findings) + '\n');
        io.stdout(`${docs.length} document${docs.length === 1 ? '' : 's'} checked: ${errors ? `${errors} error${errors === 1 ? '' : 's'}` : 'valid'}`
          + `${findings.length - errors ? `, ${findings.length - errors} warning${findings.length - errors === 1 ? '' : 's'}` : ''}\n`);
      }
      setCode(errors ? 1 : 0);
    });
}
