#!/usr/bin/env node
/**
 * `cdk8s-llm-d`: render KServe LLMInferenceService YAML into plain manifests without the operator, or check it.
 *
 *   cdk8s-llm-d render <file|dir|->... [-o dir] [-n namespace] [--allow-unknown-flags] [--strict] [--quiet]
 *   cdk8s-llm-d check <file|dir|->... [-n namespace] [--allow-unknown-flags] [--strict] [--quiet] [--json]
 *   cdk8s-llm-d validate <yaml|dir>... [--strict-kinds] [--json]
 *   cdk8s-llm-d plan <file|dir|->... [-n namespace] [--allow-unknown-flags] [--json | --mermaid]
 *
 * Exit codes: 0 success; 1 invalid input (schema, KServe or library rules) or an output that cannot be written;
 * 2 usage errors and inputs that cannot be read as YAML; 3 internal errors (a bug).
 */
import '../internal/library-code-cache';
import * as fs from 'fs';
import * as path from 'path';
import { Command, CommanderError } from 'commander';
import { check, CheckOptions } from './check';
import { EXIT_INTERNAL, EXIT_OK, EXIT_USAGE } from './exit-codes';
import { InputError } from './inputs';
import { CliIo, exitQuietlyOnClosedStdout, OutputError, PROCESS_IO } from './output';
import { plan, PlanOptions } from './plan';
import { render, RenderOptions } from './render';
import { addValidateCommand } from './validate';

export { EXIT_INTERNAL, EXIT_INVALID, EXIT_OK, EXIT_USAGE } from './exit-codes';
export type { CliIo } from './output';

const NAMESPACE_HELP = 'namespace of services without metadata.namespace (objects are namespaced, as with kubectl -n)';
const INPUT_HELP = 'YAML files or directories of them (- for stdin)';

/** The package version (package.json beside `src/` or `lib/`). */
function version(): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Run the CLI; resolves to the exit code. Errors caused by input or output are reported on stderr, never thrown. */
export async function run(argv: string[], io: CliIo = PROCESS_IO): Promise<number> {
  let code = EXIT_OK;
  const guarded = (f: () => number, json = false) => {
    try {
      code = f();
    } catch (e) {
      if (!(e instanceof InputError) && !(e instanceof OutputError)) throw e;
      if (json) io.stdout(JSON.stringify({ result: 'error', errors: 1, warnings: 0, services: [], findings: [{ level: 'error', message: e.message }] }, undefined, 2) + '\n');
      else io.stderr(`error: ${e.message}\n`);
      code = e.exitCode;
    }
  };
  const program = new Command()
    .name('cdk8s-llm-d')
    .description('Render KServe LLMInferenceService YAML into plain Kubernetes manifests, without the KServe operator.')
    .version(version(), '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  program.command('render')
    .description('write the manifests of every LLMInferenceService in the inputs (LLMInferenceServiceConfig documents are used for baseRefs)')
    .argument('<input...>', INPUT_HELP)
    .option('-n, --namespace <ns>', NAMESPACE_HELP, 'default')
    .option('-o, --output <dir>', 'directory for <name>.k8s.yaml files; files an earlier render wrote there and this one does not are removed (default: stdout)')
    .option('--profile <id>', 'model profile preset for every LLMInferenceService (capacity check, capacity annotation, startup budget); default: the llm-d.cdk8s.io/model-profile annotation')
    .option('--accelerator-type <name>', 'accelerator type for the capacity check, e.g. H100_80GB; default: the llm-d.cdk8s.io/accelerator-type annotation or the GPU product node selector')
    .option('--allow-unknown-flags', 'accept vLLM flags missing from the pinned vLLM flag table')
    .option('--strict', 'fail (exit 1) on any warning: a field the API server would prune, an input value dropped or changed')
    .option('-q, --quiet', 'print only errors and warnings')
    .action((paths: string[], opts: RenderOptions) => guarded(() => render(paths, opts, io)));

  program.command('check')
    .description('validate the inputs (CRD schema, KServe rules, what the library renders) and print the static status report; unknown fields fail')
    .argument('<input...>', INPUT_HELP)
    .option('-n, --namespace <ns>', NAMESPACE_HELP, 'default')
    .option('--profile <id>', 'model profile preset for every LLMInferenceService (capacity check, capacity annotation, startup budget); default: the llm-d.cdk8s.io/model-profile annotation')
    .option('--accelerator-type <name>', 'accelerator type for the capacity check, e.g. H100_80GB; default: the llm-d.cdk8s.io/accelerator-type annotation or the GPU product node selector')
    .option('--allow-unknown-flags', 'accept vLLM flags missing from the pinned vLLM flag table')
    .option('--strict', 'fail (exit 1) on warnings too: input values dropped or changed, an image other than the checked vLLM release')
    .option('-q, --quiet', 'print only errors and warnings (no status report)')
    .option('--json', 'print one JSON document (result, services, findings) on stdout')
    .action((paths: string[], opts: CheckOptions) => guarded(() => check(paths, opts, io), opts.json));

  addValidateCommand(program, io, (c) => { code = c; });

  program.command('plan')
    .description('print what the inputs deploy: pods, accelerators, CPU, memory and /dev/shm per workload (with a model profile also weights '
      + 'and KV cache per GPU, sequences at max-model-len and the startup budget), the CRDs, controllers and referenced objects it needs; LLMInferenceServices are rendered first, other Kubernetes objects (synthesized YAML) are read as they are')
    .argument('<input...>', INPUT_HELP)
    .option('-n, --namespace <ns>', NAMESPACE_HELP, 'default')
    .option('--profile <id>', 'model profile preset for every LLMInferenceService (capacity check, capacity annotation, startup budget); default: the llm-d.cdk8s.io/model-profile annotation')
    .option('--accelerator-type <name>', 'accelerator type for the capacity check, e.g. H100_80GB; default: the llm-d.cdk8s.io/accelerator-type annotation or the GPU product node selector')
    .option('--allow-unknown-flags', 'accept vLLM flags missing from the pinned vLLM flag table')
    .option('--json', 'print the plan as one JSON document')
    .option('--mermaid', 'print a Mermaid flowchart of the request path (Gateway → HTTPRoute → InferencePool → EPP → workloads) instead')
    .action((paths: string[], opts: PlanOptions) => guarded(() => plan(paths, opts, io)));

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    throw e;
  }
  return code;
}

/** Run the CLI on this process's arguments and set its exit code (the `cdk8s-llm-d` command). */
export function main(): void {
  exitQuietlyOnClosedStdout();
  run(process.argv.slice(2)).then((c) => {
    process.exitCode = c;
  }, (e) => {
    process.stderr.write(`internal error (a bug in cdk8s-llm-d, not in the input): ${(e as Error).stack ?? e}\n`);
    process.exitCode = EXIT_INTERNAL;
  });
}

if (require.main === module) main();
