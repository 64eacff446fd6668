import * as path from 'path';

/**
 * Parsing EndpointPickerConfig text (YAML or JSON) without a YAML runtime dependency of our own: the `yaml`
 * package cdk8s bundles (cdk8s `bundledDependencies`, installed under cdk8s's own `node_modules`) is resolved
 * from cdk8s's directory. When it cannot be found, only JSON text is accepted.
 */

interface YamlDocument {
  readonly errors: { message: string }[];
  toJSON(): unknown;
}
interface YamlModule {
  parseAllDocuments(text: string, options?: Record<string, unknown>): YamlDocument[] | { errors: { message: string }[] };
}

let cached: YamlModule | null | undefined;

function yamlModule(): YamlModule | null {
  if (cached !== undefined) return cached;
  try {
    const cdk8sDir = path.dirname(require.resolve('cdk8s'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    cached = require(require.resolve('yaml', { paths: [cdk8sDir] })) as YamlModule;
  } catch {
    cached = null;
  }
  return cached;
}

/** Result of {@link parseConfigText}: the documents, or why the text does not parse. @internal */
export interface ParsedText {
  readonly documents: unknown[];
  readonly error?: string;
}

/**
 * Parse YAML (1.1, as cdk8s and the EPP's Kubernetes YAML decoder read it) or JSON text into its non-empty
 * documents.
 * @internal
 */
export function parseConfigText(text: string): ParsedText {
  const yaml = yamlModule();
  if (yaml === null) {
    try {
      return { documents: [JSON.parse(text)] };
    } catch (e) {
      return { documents: [], error: `is not JSON (${(e as Error).message}), and YAML parsing needs the yaml package bundled with cdk8s, which was not found` };
    }
  }
  const parsed = yaml.parseAllDocuments(text, { version: '1.1' });
  if (!Array.isArray(parsed)) {
    return { documents: [], error: `is not valid YAML (${parsed.errors.map((e) => e.message).join('; ')})` };
  }
  const documents: unknown[] = [];
  for (const doc of parsed) {
    if (doc.errors.length > 0) {
      return { documents: [], error: `is not valid YAML (${doc.errors[0].message.split('\n')[0]})` };
    }
    const value = doc.toJSON();
    if (value !== null && value !== undefined) documents.push(value);
  }
  return { documents };
}
