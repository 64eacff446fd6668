import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { EXIT_INVALID, EXIT_USAGE } from './exit-codes';
import { KSERVE_API_VERSIONS } from '../kserve/spec-check';

/** One LLMInferenceService(Config) document of the inputs. */
export interface InputDoc {
  readonly file: string;
  /** 0-based index of the document in its file. */
  readonly index: number;
  readonly doc: Record<string, any>;
}

/** What the inputs hold. */
export interface Inputs {
  readonly files: string[];
  readonly services: InputDoc[];
  readonly configs: InputDoc[];
  /** Documents of other kinds, one line each. */
  readonly skipped: string[];
}

/** An input the CLI cannot use; `exitCode` is 2 for unreadable input, 1 for input that is read but refused. */
export class InputError extends Error {
  constructor(message: string, public readonly exitCode: number = EXIT_USAGE) {
    super(message);
    Object.setPrototypeOf(this, InputError.prototype);
  }
}

/** Aliases a document may expand (the `yaml` library's default); more is refused as a resource-exhaustion attack. */
const MAX_ALIAS_COUNT = 100;
const YAML_FILE = /\.ya?ml$/;

/** The files named by the arguments: `-` is stdin, a directory gives its `*.yaml` / `*.yml` files (recursively, sorted). */
export function expandPaths(args: string[]): string[] {
  const out: string[] = [];
  for (const arg of args) {
    if (arg === '-') {
      out.push(arg);
      continue;
    }
    let stat: fs.Stats;
    try {
      stat = fs.statSync(arg);
    } catch (e) {
      throw new InputError(`${arg}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    if (!stat.isDirectory()) {
      out.push(arg);
      continue;
    }
    const found = yamlFilesUnder(arg);
    if (found.length === 0) throw new InputError(`${arg}: directory holds no .yaml or .yml file`);
    out.push(...found);
  }
  return out;
}

function yamlFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...yamlFilesUnder(p));
    else if (entry.isFile() && YAML_FILE.test(entry.name)) out.push(p);
  }
  return out;
}

/** Parse the YAML documents of one file's text; non-YAML, duplicate keys and alias bombs are refused. */
export function parseDocuments(file: string, text: string): unknown[] {
  let docs: YAML.Document.Parsed[];
  try {
    docs = YAML.parseAllDocuments(text) as YAML.Document.Parsed[];
  } catch (e) {
    throw new InputError(`${file}: is not valid YAML (${(e as Error).message})`);
  }
  if (!Array.isArray(docs)) docs = [docs];
  return docs.map((d, index) => {
    if (d.errors.length > 0) throw new InputError(`${file}: document ${index + 1} is not valid YAML: ${d.errors[0].message.split('\n')[0]}`);
    try {
      return d.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      if (e instanceof ReferenceError && /alias/i.test(e.message)) {
        throw new InputError(`${file}: document ${index + 1} expands YAML aliases more than ${MAX_ALIAS_COUNT} times (an alias bomb); refused`, EXIT_INVALID);
      }
      throw new InputError(`${file}: document ${index + 1} cannot be read: ${(e as Error).message}`, EXIT_INVALID);
    }
  });
}

/** Read every input: LLMInferenceService and LLMInferenceServiceConfig documents are kept, other kinds listed as skipped. */
export function readInputs(args: string[], readStdin: () => string = () => fs.readFileSync(0, 'utf8')): Inputs {
  const files = expandPaths(args);
  const services: InputDoc[] = [];
  const configs: InputDoc[] = [];
  const skipped: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = file === '-' ? readStdin() : fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new InputError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    for (const [index, doc] of parseDocuments(file, text).entries()) {
      if (doc === null || doc === undefined) continue;
      const where = `${file}: document ${index + 1}`;
      if (typeof doc !== 'object' || Array.isArray(doc)) throw new InputError(`${where} is not a Kubernetes object (a YAML mapping with apiVersion and kind)`);
      const obj = doc as Record<string, any>;
      const name = typeof obj.metadata?.name === 'string' ? obj.metadata.name : '';
      if (obj.kind === 'LLMInferenceService' || obj.kind === 'LLMInferenceServiceConfig') {
        if (!KSERVE_API_VERSIONS.includes(obj.apiVersion)) {
          throw new InputError(`${where} (${obj.kind} ${name}): apiVersion ${obj.apiVersion} is not served; use ${KSERVE_API_VERSIONS.join(' or ')}`);
        }
        (obj.kind === 'LLMInferenceService' ? services : configs).push({ file, index, doc: obj });
      } else {
        skipped.push(`${where} (${typeof obj.kind === 'string' ? obj.kind : 'no kind'} ${name}) is not an LLMInferenceService(Config); skipped`);
      }
    }
  }
  if (services.length === 0) throw new InputError(`no LLMInferenceService in ${files.join(', ')}`);
  return { files, services, configs, skipped };
}
