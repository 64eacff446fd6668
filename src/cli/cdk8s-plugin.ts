/**
 * A cdk8s validation plugin running cdk8s-llm-d's checks on every manifest `cdk8s synth` writes. In `cdk8s.yaml`:
 *
 *   validations:
 *     - package: ./node_modules/cdk8s-llm-d/lib/cli/cdk8s-plugin.js
 *       version: 0.0.0
 *       class: LlmdValidationPlugin
 *       properties:
 *         strictKinds: false
 *
 * It implements the `Validation` interface of cdk8s-cli (`validate(context)`), structurally, so the package
 * needs no dependency on cdk8s-cli.
 */
import { formatFindings, validateManifests } from './validate';

/** The parts of cdk8s-cli's `ValidationContext` the plugin uses. */
interface PluginContext {
  readonly manifests: readonly string[];
  readonly metadata?: { readonly [key: string]: { readonly path?: string } | undefined };
  readonly report: {
    addViolation(violation: {
      ruleName: string;
      recommendation: string;
      fix: string;
      violatingResources: Array<{ resourceName: string; locations: string[]; manifestPath: string }>;
    }): void;
    submit(status: 'success' | 'failure', metadata?: Record<string, string>): void;
  };
  readonly logger: { log(message: string): void };
  parseManifest(manifestPath: string): any[];
}

/** Properties of the plugin (`properties:` in `cdk8s.yaml`). */
export interface LlmdValidationPluginProps {
  /** Fail on kinds without a shipped schema (default: they are logged and skipped). */
  readonly strictKinds?: boolean;
}

/** cdk8s validation plugin: schemas (strict, with CEL), duplicate objects and route collisions across all manifests. */
export class LlmdValidationPlugin {
  constructor(private readonly props: LlmdValidationPluginProps = {}) {}

  public async validate(context: PluginContext): Promise<void> {
    const docs = context.manifests.flatMap((file) => context.parseManifest(file)
      .map((doc, i) => ({ source: file, index: i + 1, doc }))
      .filter((d) => d.doc !== null && d.doc !== undefined));
    const findings = validateManifests(docs, { strictKinds: this.props.strictKinds === true });
    const warnings = findings.filter((f) => f.level === 'warning');
    if (warnings.length) context.logger.log(formatFindings(warnings));
    const errors = findings.filter((f) => f.level === 'error');
    for (const f of errors) {
      context.report.addViolation({
        ruleName: `cdk8s-llm-d/${f.rule}`,
        recommendation: `${f.object}: ${f.message}`,
        fix: f.fix ?? 'change the field named in the recommendation (see the Kubernetes API reference for the kind)',
        // cdk8s maps the resource name to the construct path (with CDK8S_RECORD_CONSTRUCT_METADATA=true)
        violatingResources: [{ resourceName: f.name || f.object, locations: [f.pointer || '/'], manifestPath: f.source }],
      });
    }
    context.report.submit(errors.length ? 'failure' : 'success', { documents: String(docs.length), errors: String(errors.length) });
  }
}
