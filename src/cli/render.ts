/** `cdk8s-llm-d render`: the manifests of every LLMInferenceService of the inputs, to stdout or a directory. */
import { evaluate } from './evaluate';
import { EXIT_INVALID, EXIT_OK } from './exit-codes';
import { Findings, formatFinding } from './findings';
import { readInputs } from './inputs';
import { CliIo, writeOutputDirectory } from './output';
import { Plan } from '../plan/plan';
import { workloadSummary } from '../plan/table';
import { ServingRole } from '../wiring/labels';

/** Roles of the model-server workloads (`llm-d.ai/role`). */
const SERVING_ROLES = new Set([ServingRole.BOTH.value, ServingRole.PREFILL.value, ServingRole.DECODE.value]);

/** Options of `render`. */
export interface RenderOptions {
  readonly namespace: string;
  /** Directory for `<name>.k8s.yaml` files; stdout when unset. */
  readonly output?: string;
  readonly allowUnknownFlags?: boolean;
  /** Warnings (pruned fields, dropped or changed values) fail the render. */
  readonly strict?: boolean;
  /** Only errors and warnings on stderr; no notes or summary. */
  readonly quiet?: boolean;
  /** Model profile preset id for every service. */
  readonly profile?: string;
  /** Accelerator type name for every service. */
  readonly acceleratorType?: string;
}

/** Run `render`; returns the exit code (input and output errors are thrown). */
export function render(paths: string[], opts: RenderOptions, io: CliIo): number {
  const inputs = readInputs(paths, io.stdin);
  const findings = new Findings();
  const results = evaluate(inputs, {
    namespace: opts.namespace, allowUnknownFlags: opts.allowUnknownFlags ?? false, unknownField: 'warning', profile: opts.profile, acceleratorType: opts.acceleratorType,
  }, findings);
  for (const f of findings.all) {
    if (opts.quiet && f.level === 'note') continue;
    io.stderr(formatFinding(f) + '\n');
  }
  const errors = findings.count('error');
  const warnings = findings.count('warning');
  if (errors > 0) {
    io.stderr(`render failed: ${errors} error(s), ${warnings} warning(s); nothing written\n`);
    return EXIT_INVALID;
  }
  if (opts.strict && warnings > 0) {
    io.stderr(`error: --strict: ${warnings} warning(s) count as errors; nothing written\n`);
    return EXIT_INVALID;
  }
  const rendered = results.filter((r) => r.yaml !== undefined);
  const objects = rendered.reduce((n, r) => n + (r.objects?.length ?? 0), 0);
  const what = `rendered ${rendered.length} service(s) (${objects} objects)`;
  if (!opts.quiet) {
    for (const r of rendered) {
      for (const w of Plan.fromManifests(r.objects ?? []).workloads) if (SERVING_ROLES.has(w.role)) io.stderr(`workload ${workloadSummary(w)}\n`);
    }
  }
  if (opts.output) {
    const files = rendered.map((r) => ({ name: fileName(r.input.doc, rendered.map((x) => x.input.doc), opts.namespace), text: r.yaml! }));
    const result = writeOutputDirectory(opts.output, files);
    if (!opts.quiet) {
      io.stderr(`${what}: wrote ${result.written.join(', ')}${result.removed.length ? `; removed stale ${result.removed.join(', ')}` : ''}\n`);
    }
  } else {
    io.stdout(rendered.map((r) => r.yaml!.trimEnd()).join('\n---\n') + '\n');
    if (!opts.quiet) io.stderr(`${what} to stdout\n`);
  }
  return EXIT_OK;
}

/** `<name>.k8s.yaml`; `<namespace>.<name>.k8s.yaml` when two services of different namespaces share the name. */
function fileName(doc: Record<string, any>, all: Record<string, any>[], namespace: string): string {
  const name = doc.metadata?.name;
  const shared = all.filter((d) => d.metadata?.name === name).length > 1;
  return shared ? `${doc.metadata?.namespace ?? namespace}.${name}.k8s.yaml` : `${name}.k8s.yaml`;
}
