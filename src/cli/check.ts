/** `cdk8s-llm-d check`: schema, KServe rules, what the library renders, and the static status report. */
import { evaluate } from './evaluate';
import { EXIT_INVALID, EXIT_OK } from './exit-codes';
import { Findings, formatFinding } from './findings';
import { readInputs } from './inputs';
import { CliIo } from './output';
import { yamlText } from './yaml-speak';

/** Options of `check`. */
export interface CheckOptions {
  readonly namespace: string;
  readonly allowUnknownFlags?: boolean;
  /** Warnings fail the check too. */
  readonly strict?: boolean;
  /** Only errors and warnings; no notes, report or summary. */
  readonly quiet?: boolean;
  /** One JSON document on stdout instead of text. */
  readonly json?: boolean;
  /** Model profile preset id for every service. */
  readonly profile?: string;
  /** Accelerator type name for every service. */
  readonly acceleratorType?: string;
}

/** Run `check`; returns the exit code (input errors are thrown as InputError). */
export function check(paths: string[], opts: CheckOptions, io: CliIo): number {
  const inputs = readInputs(paths, io.stdin);
  const findings = new Findings();
  const results = evaluate(inputs, { namespace: opts.namespace, allowUnknownFlags: opts.allowUnknownFlags ?? false, unknownField: 'error', profile: opts.profile, acceleratorType: opts.acceleratorType }, findings);
  const errors = findings.count('error');
  const warnings = findings.count('warning');
  const failed = errors > 0 || (opts.strict === true && warnings > 0);
  const summary = `check ${failed ? 'failed' : 'passed'}: ${results.length} service(s), ${errors} error(s), ${warnings} warning(s)`
    + (opts.strict && warnings > 0 ? ' (--strict: warnings count as errors)' : '');

  if (opts.json) {
    io.stdout(JSON.stringify({
      result: failed ? 'failed' : 'passed',
      strict: opts.strict === true,
      errors,
      warnings,
      services: results.map((r) => ({
        file: r.input.file,
        name: r.input.doc.metadata?.name ?? null,
        renders: r.service !== undefined,
        mode: r.service?.mode ?? null,
        appliedConfigs: r.service?.appliedConfigs ?? [],
        conditions: (r.service?.statusReport() ?? []).filter((c) => c.applies)
          .map((c) => ({ type: c.type, guaranteed: yamlText(c.guaranteed), requires: c.requires.map(yamlText) })),
      })),
      findings: findings.all,
    }, undefined, 2) + '\n');
    return failed ? EXIT_INVALID : EXIT_OK;
  }

  for (const f of findings.all) {
    if (opts.quiet && f.level === 'note') continue;
    io.stderr(formatFinding(f) + '\n');
  }
  if (!opts.quiet) {
    for (const r of results) {
      if (!r.service) continue;
      io.stdout(`${r.input.file}: ${r.object}: renders (mode ${r.service.mode}; configs ${r.service.appliedConfigs.join(', ')})\n`);
      for (const c of r.service.statusReport().filter((x) => x.applies)) {
        io.stdout(`  ${c.type}: ${yamlText(c.guaranteed)}\n`);
        for (const req of c.requires) io.stdout(`    requires: ${yamlText(req)}\n`);
      }
    }
    io.stdout(summary + '\n');
  }
  return failed ? EXIT_INVALID : EXIT_OK;
}
