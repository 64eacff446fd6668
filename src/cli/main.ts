#!/usr/bin/env node
/**
 * `cdk8s-llm-d`: render KServe LLMInferenceService YAML into plain manifests without the operator, or check it.
 *
 *   cdk8s-llm-d render <file>... [-o dir] [-n namespace] [--allow-unknown-flags]
 *   cdk8s-llm-d check <file>... [-n namespace]
 *   cdk8s-llm-d validate <yaml|dir>... [--strict-kinds] [--json]
 *
 * Exit codes: 0 success, 1 invalid input (schema or configuration errors), 2 unreadable input or usage errors.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { Command, CommanderError } from 'commander';
import * as YAML from 'yaml';
import { crdDirectory, CrdSchemaValidator, SchemaFinding } from './schema';
import { addValidateCommand } from './validate';
import { LlmdConfigError } from '../errors';
import { LlmInferenceService } from '../kserve/llm-inference-service';
import { KSERVE_API_VERSIONS } from '../kserve/spec-check';

/** Exit codes. */
export const EXIT_OK = 0;
export const EXIT_INVALID = 1;
export const EXIT_USAGE = 2;

/** Where the CLI writes. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

interface InputDoc {
  readonly file: string;
  readonly index: number;
  readonly doc: Record<string, any>;
}

class InputError extends Error {}

function readInputs(files: string[]): { services: InputDoc[]; configs: InputDoc[]; skipped: string[] } {
  const services: InputDoc[] = [];
  const configs: InputDoc[] = [];
  const skipped: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = file === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new InputError(`${file}: cannot read (${(e as Error).message})`);
    }
    const docs = YAML.parseAllDocuments(text);
    for (const [index, d] of (Array.isArray(docs) ? docs : [docs]).entries()) {
      if (d.errors.length > 0) throw new InputError(`${file}: document ${index + 1} is not valid YAML: ${d.errors[0].message}`);
      const doc = d.toJS();
      if (doc === null || doc === undefined) continue;
      if (typeof doc !== 'object' || Array.isArray(doc)) throw new InputError(`${file}: document ${index + 1} is not a Kubernetes object`);
      if (doc.kind === 'LLMInferenceService' || doc.kind === 'LLMInferenceServiceConfig') {
        if (!KSERVE_API_VERSIONS.includes(doc.apiVersion)) {
          throw new InputError(`${file}: document ${index + 1} (${doc.kind} ${doc.metadata?.name}): apiVersion ${doc.apiVersion} is not served; use ${KSERVE_API_VERSIONS.join(' or ')}`);
        }
        (doc.kind === 'LLMInferenceService' ? services : configs).push({ file, index, doc });
      } else {
        skipped.push(`${file}: document ${index + 1} (${doc.kind ?? 'no kind'} ${doc.metadata?.name ?? ''}) is not an LLMInferenceService(Config); skipped`);
      }
    }
  }
  if (services.length === 0) throw new InputError(`no LLMInferenceService in ${files.join(', ')}`);
  return { services, configs, skipped };
}

function build(input: InputDoc, configs: InputDoc[], app: App, allowUnknownFlags: boolean, namespace: string): LlmInferenceService {
  const meta = input.doc.metadata ?? {};
  const chart = new Chart(app, String(meta.name ?? 'llmisvc'), { namespace: meta.namespace ?? namespace });
  return new LlmInferenceService(chart, 'svc', { resource: input.doc, configs: configs.map((c) => c.doc), allowUnknownFlags });
}

function describe(input: InputDoc): string {
  return `${input.file}: LLMInferenceService ${input.doc.metadata?.name ?? '<unnamed>'}`;
}

const PROCESS_IO: CliIo = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };

/** Run the CLI; resolves to the exit code. */
export async function run(argv: string[], io: CliIo = PROCESS_IO): Promise<number> {
  let code = EXIT_OK;
  const program = new Command()
    .name('cdk8s-llm-d')
    .description('Render KServe LLMInferenceService YAML into plain Kubernetes manifests, without the KServe operator.')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  program.command('render')
    .description('write the manifests of every LLMInferenceService in the inputs (LLMInferenceServiceConfig documents are used for baseRefs)')
    .argument('<file...>', 'YAML files (- for stdin)')
    .option('-n, --namespace <ns>', 'namespace of services without metadata.namespace (objects are namespaced, as with kubectl -n)', 'default')
    .option('-o, --output <dir>', 'directory to write <name>.k8s.yaml files to (default: stdout)')
    .option('--allow-unknown-flags', 'accept vLLM flags missing from the pinned vLLM flag table')
    .option('--strict', 'fail (exit 1) when the API server would prune a field of the input')
    .action((files: string[], opts: { output?: string; allowUnknownFlags?: boolean; namespace: string; strict?: boolean }) => {
      code = render(files, opts, io);
    });

  program.command('check')
    .description('validate the inputs (CRD schema, KServe rules, what the library can render) and print the static status report')
    .argument('<file...>', 'YAML files (- for stdin)')
    .option('-n, --namespace <ns>', 'namespace of services without metadata.namespace (objects are namespaced, as with kubectl -n)', 'default')
    .option('--allow-unknown-flags', 'accept vLLM flags missing from the pinned vLLM flag table')
    .option('--strict', 'fail (exit 1) when the API server would prune a field of the input')
    .action((files: string[], opts: { allowUnknownFlags?: boolean; namespace: string; strict?: boolean }) => {
      code = check(files, opts, io);
    });

  addValidateCommand(program, io, (c) => { code = c; });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    throw e;
  }
  return code;
}

/** Read the input files; an unreadable input is reported on stderr and gives undefined (exit code usage). */
function readOrReport(files: string[], io: CliIo, note: (text: string) => void): ReturnType<typeof readInputs> | undefined {
  try {
    const inputs = readInputs(files);
    for (const s of inputs.skipped) note(`note: ${s}\n`);
    return inputs;
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    io.stderr(`error: ${e.message}\n`);
    return undefined;
  }
}

function render(files: string[], opts: { output?: string; allowUnknownFlags?: boolean; namespace: string; strict?: boolean }, io: CliIo): number {
  const inputs = readOrReport(files, io, io.stderr);
  if (!inputs) return EXIT_USAGE;
  let failed = false;
  const outputs: { name: string; yaml: string }[] = [];
  for (const input of inputs.services) {
    const app = new App({ outdir: opts.output ?? '.' });
    try {
      const svc = build(input, inputs.configs, app, opts.allowUnknownFlags ?? false, opts.namespace);
      for (const w of svc.warnings) io.stderr(`warning: ${describe(input)}: ${w}\n`);
      if (strictFailure(svc, opts.strict, (m) => io.stderr(`error: ${describe(input)}: ${m}\n`))) {
        failed = true;
        continue;
      }
      outputs.push({ name: svc.name, yaml: app.synthYaml() });
    } catch (e) {
      if (!(e instanceof LlmdConfigError)) throw e;
      io.stderr(`error: ${describe(input)}: ${e.message}\n`);
      failed = true;
    }
  }
  if (failed) return EXIT_INVALID;
  if (opts.output) {
    fs.mkdirSync(opts.output, { recursive: true });
    for (const o of outputs) {
      const file = path.join(opts.output, `${o.name}.k8s.yaml`);
      fs.writeFileSync(file, o.yaml);
      io.stderr(`wrote ${file}\n`);
    }
  } else {
    io.stdout(outputs.map((o) => o.yaml.trimEnd()).join('\n---\n') + '\n');
  }
  return EXIT_OK;
}

/** With --strict, pruned input fields fail the command; reports them and returns whether it failed. */
function strictFailure(svc: LlmInferenceService, strict: boolean | undefined, report: (m: string) => void): boolean {
  if (!strict || svc.prunedFields.length === 0) return false;
  report(`--strict: ${svc.prunedFields.length} field(s) would be pruned by the API server: ${svc.prunedFields.join(', ')}`);
  return true;
}

const VALIDATORS = new Map<string, CrdSchemaValidator>();
function validatorFor(dir: string): CrdSchemaValidator {
  if (!VALIDATORS.has(dir)) VALIDATORS.set(dir, new CrdSchemaValidator(dir));
  return VALIDATORS.get(dir)!;
}

function check(files: string[], opts: { allowUnknownFlags?: boolean; namespace: string; strict?: boolean }, io: CliIo): number {
  const inputs = readOrReport(files, io, io.stdout);
  if (!inputs) return EXIT_USAGE;
  const dir = crdDirectory();
  const validator = dir ? validatorFor(dir) : undefined;
  if (!validator) io.stdout('note: the KServe CRDs were not found (set CDK8S_LLMD_KSERVE_CRDS); schema validation skipped\n');
  let failed = false;
  const printFindings = (what: string, findings: SchemaFinding[]) => {
    for (const f of findings) {
      io.stdout(`${f.level}: ${what}: ${f.field}: ${f.message}\n`);
      if (f.level === 'error') failed = true;
    }
  };
  if (validator) {
    for (const c of inputs.configs) printFindings(`${c.file}: LLMInferenceServiceConfig ${c.doc.metadata?.name}`, validator.validate(JSON.parse(JSON.stringify(c.doc))));
  }
  for (const input of inputs.services) {
    const what = describe(input);
    if (validator) printFindings(what, validator.validate(JSON.parse(JSON.stringify(input.doc))));
    try {
      const svc = build(input, inputs.configs, new App(), opts.allowUnknownFlags ?? false, opts.namespace);
      for (const w of svc.warnings) io.stdout(`warning: ${what}: ${w}\n`);
      if (strictFailure(svc, opts.strict, (m) => io.stdout(`error: ${what}: ${m}\n`))) failed = true;
      io.stdout(`${what}: renders (mode ${svc.mode}; configs ${svc.appliedConfigs.join(', ')})\n`);
      for (const r of svc.statusReport().filter((x) => x.applies)) {
        io.stdout(`  ${r.type}: ${r.guaranteed}\n`);
        for (const req of r.requires) io.stdout(`    requires: ${req}\n`);
      }
    } catch (e) {
      if (!(e instanceof LlmdConfigError)) throw e;
      io.stdout(`error: ${what}: ${e.message}\n`);
      failed = true;
    }
  }
  io.stdout(failed ? 'check failed\n' : 'check passed\n');
  return failed ? EXIT_INVALID : EXIT_OK;
}

if (require.main === module) {
  run(process.argv.slice(2)).then((c) => process.exit(c), (e) => {
    process.stderr.write(`internal error: ${(e as Error).stack ?? e}\n`);
    process.exit(3);
  });
}
