/** What `render` and `check` share: schema validation, the translation, and the findings about each input. */
import { App, Chart, Yaml } from 'cdk8s';
import { auditRendered } from './audit';
import { EXIT_USAGE } from './exit-codes';
import { configErrorFinding, Findings, Level, warningFinding } from './findings';
import { InputDoc, InputError, Inputs } from './inputs';
import { crdDirectory, CrdSchemaValidator } from './schema';
import { yamlText } from './yaml-speak';
import { LlmdConfigError } from '../errors';
import { LlmInferenceService } from '../kserve/llm-inference-service';
import { AcceleratorType } from '../model/accelerator';
import { ModelProfile } from '../model/model-profile';
import { LabelKeys } from '../wiring/labels';

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** Namespace of services without `metadata.namespace`. */
  readonly namespace: string;
  readonly allowUnknownFlags: boolean;
  /** How an unknown (pruned) field is reported: an error for `check`, a warning for `render` (the API server accepts it). */
  readonly unknownField: Level;
  /** Model profile preset id for every service (`--profile`). */
  readonly profile?: string;
  /** Accelerator type name for every service (`--accelerator-type`). */
  readonly acceleratorType?: string;
}

/** One service of the inputs after evaluation. */
export interface Evaluated {
  readonly input: InputDoc;
  /** `LLMInferenceService name`. */
  readonly object: string;
  /** The translated service, when it rendered. */
  readonly service?: LlmInferenceService;
  /** The synthesized manifests, when it rendered. */
  readonly yaml?: string;
  /** The synthesized objects, when it rendered. */
  readonly objects?: Record<string, any>[];
}

const VALIDATORS = new Map<string, CrdSchemaValidator>();
function validatorFor(dir: string): CrdSchemaValidator {
  if (!VALIDATORS.has(dir)) VALIDATORS.set(dir, new CrdSchemaValidator(dir));
  return VALIDATORS.get(dir)!;
}

/** `Kind name` of an input document. */
export function objectName(input: InputDoc): string {
  const name = input.doc.metadata?.name;
  return `${input.doc.kind} ${typeof name === 'string' && name !== '' ? name : '<unnamed>'}`;
}

/**
 * Validate every input against the KServe CRD schema, then translate the services whose schema is valid. Every
 * problem becomes one finding; the construct's own pruning warnings are left out when the schema reported the
 * fields already.
 */
export function evaluate(inputs: Inputs, opts: EvaluateOptions, findings: Findings): Evaluated[] {
  const profile = opts.profile === undefined ? undefined : ModelProfile._lookup(opts.profile);
  if (opts.profile !== undefined && !profile) {
    throw new InputError(`--profile ${opts.profile}: no model profile preset of that id; use one of ${ModelProfile.presetIds().join(', ')}`, EXIT_USAGE);
  }
  const acceleratorType = opts.acceleratorType === undefined ? undefined : AcceleratorType._lookup(opts.acceleratorType);
  if (opts.acceleratorType !== undefined && !acceleratorType) {
    throw new InputError(`--accelerator-type ${opts.acceleratorType}: not an accelerator type; use one of ${AcceleratorType.all().map((t) => t.name).join(', ')}`, EXIT_USAGE);
  }
  for (const s of inputs.skipped) findings.add({ level: 'note', message: s });
  const dir = crdDirectory();
  const validator = dir ? validatorFor(dir) : undefined;
  if (!validator) findings.add({ level: 'note', message: 'the KServe CRDs were not found (set CDK8S_LLMD_KSERVE_CRDS); schema validation skipped' });

  const schemaValid = (input: InputDoc): boolean => {
    if (!validator) return true;
    let valid = true;
    for (const f of validator.validate(JSON.parse(JSON.stringify(input.doc)))) {
      const level = f.kind === 'unknown-field' ? opts.unknownField : f.level;
      if (f.kind === 'invalid' && f.level === 'error') valid = false;
      findings.add({ level, file: input.file, object: objectName(input), field: f.field, message: f.message, fix: f.fix });
    }
    return valid;
  };
  const invalidConfigs = new Set(inputs.configs.filter((c) => !schemaValid(c)).map((c) => c.doc.metadata?.name));
  const invalidRef = (input: InputDoc): string | undefined => {
    const refs = Array.isArray(input.doc.spec?.baseRefs) ? input.doc.spec.baseRefs : [];
    return refs.map((r: any) => r?.name).find((n: unknown) => typeof n === 'string' && invalidConfigs.has(n));
  };

  // A service whose spec.labels carry another input service's pool selector joins that service's pool: both are
  // rendered in one app (the owner first), each in its own chart.
  const keyOf = (input: InputDoc) => `${input.doc.metadata?.namespace ?? opts.namespace}/${input.doc.metadata?.name}`;
  const names = new Set(inputs.services.map(keyOf));
  const ownerOf = (input: InputDoc): string | undefined => {
    const labels = input.doc.spec?.labels;
    const name = labels?.[LabelKeys.NAME];
    if (typeof name !== 'string' || name === input.doc.metadata?.name) return undefined;
    const key = `${input.doc.metadata?.namespace ?? opts.namespace}/${name}`;
    return names.has(key) ? key : undefined;
  };
  const joins = (i: number) => Number(ownerOf(inputs.services[i]) !== undefined);
  const order = [...inputs.services.keys()].sort((a, b) => joins(a) - joins(b));
  const apps = new Map<string, App>();
  const built = new Map<number, { service: LlmInferenceService; chart: Chart; app: App }>();

  const seen = new Map<string, InputDoc>();
  const out: Evaluated[] = inputs.services.map((input) => ({ input, object: objectName(input) }));
  for (const i of order) {
    const input = inputs.services[i];
    const object = objectName(input);
    const at = { file: input.file, object };
    const valid = schemaValid(input);
    const badRef = invalidRef(input);
    if (!valid || badRef !== undefined) {
      findings.add({
        level: 'error',
        ...at,
        message: valid ? `not rendered: its baseRef LLMInferenceServiceConfig ${badRef} has schema errors` : 'not rendered: the schema errors above come first',
      });
      continue;
    }
    const meta = input.doc.metadata ?? {};
    const key = keyOf(input);
    const twin = seen.get(key);
    if (twin) {
      findings.add({
        level: 'error',
        ...at,
        field: 'metadata.name',
        value: JSON.stringify(meta.name),
        message: `a second LLMInferenceService ${key} (the first is in ${twin.file}): both would render the same objects`,
        fix: 'rename one of them, or give them different namespaces',
      });
      continue;
    }
    seen.set(key, input);
    const group = ownerOf(input) ?? key;
    const app = apps.get(group) ?? new App();
    apps.set(group, app);
    const chartId = app.node.tryFindChild(String(meta.name ?? 'llmisvc')) ? `${meta.name}-${i}` : String(meta.name ?? 'llmisvc');
    const chart = new Chart(app, chartId, { namespace: meta.namespace ?? opts.namespace });
    try {
      const service = new LlmInferenceService(chart, 'svc', {
        resource: input.doc,
        configs: inputs.configs.map((c) => c.doc),
        allowUnknownFlags: opts.allowUnknownFlags,
        profile,
        acceleratorType,
      });
      built.set(i, { service, chart, app });
    } catch (e) {
      app.node.tryRemoveChild(chart.node.id);
      if (!(e instanceof LlmdConfigError)) throw e;
      findings.add(configErrorFinding(e, input.file, object));
    }
  }

  const synthesized = new Map<App, unknown>();
  for (const [i, { service, chart, app }] of [...built.entries()].sort(([a], [b]) => a - b)) {
    const input = inputs.services[i];
    const object = objectName(input);
    const at = { file: input.file, object };
    try {
      if (!synthesized.has(app)) synthesized.set(app, app.synthYaml());
      const yaml = Yaml.stringify(...chart.toJson());
      const objects = chart.toJson();
      for (const w of service.warnings) {
        if (validator && / PRUNED — /.test(w)) continue; // the schema validation reported it, with the same hint
        findings.add(warningFinding(w, input.file, object));
      }
      const audit = auditRendered({
        name: service.name,
        mode: service.mode,
        mergedSpec: service.mergedSpec,
        objects,
        warnings: service.warnings,
        allowUnknownFlags: opts.allowUnknownFlags,
      });
      for (const a of audit) findings.add({ level: 'warning', ...at, field: a.field, message: yamlText(a.message), fix: a.fix });
      out[i] = { input, object, service, yaml, objects };
    } catch (e) {
      if (!(e instanceof LlmdConfigError)) throw e;
      findings.add(configErrorFinding(e, input.file, object));
    }
  }
  return out;
}
