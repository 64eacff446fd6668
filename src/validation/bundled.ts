import * as fs from 'fs';
import * as path from 'path';
import type { ValidateFunction } from 'ajv';
import type { ManifestValidator, SchemaSources } from './manifest-validator';
import { VerdictCache, verdictCacheFor } from './verdict-cache';
import { requireWithCodeCache } from '../internal/code-cache';
import { sha256Hex } from '../internal/digest';

/** The compact schema set shipped with the package (written by `npm run import`). @internal */
export const BUNDLED_SCHEMAS = path.join(__dirname, '..', '..', 'assets', 'validation', 'schemas.json');

/**
 * What the compile task prepares from {@link BUNDLED_SCHEMAS} for synth-time validation (beside the compiled
 * library; absent when running from the TypeScript sources): one module per kind with its compiled schema
 * validator, and `index.json` ({@link PrecompiledIndex}). @internal
 */
export const PRECOMPILED_DIR = path.join(__dirname, 'precompiled');

/**
 * The validator and the CEL evaluator bundled into one file by the compile task (scripts/validation-runtime.ts),
 * beside the compiled library; from the TypeScript sources, ./manifest-validator is loaded instead. @internal
 */
export const VALIDATION_RUNTIME = path.join(__dirname, 'runtime.js');

/**
 * The digest of the schema set, the precompiled validators and the runtime the compile task wrote (beside the
 * compiled library): what names the cache of objects that passed them ({@link bundledVerdicts}). @internal
 */
export const VALIDATOR_BUILD_ID = path.join(__dirname, 'validator-build-id.txt');

/** `index.json` of {@link PRECOMPILED_DIR}. @internal */
export interface PrecompiledIndex {
  /** `sha256Hex` of the schema set it was made from */
  readonly digest: string;
  /** `sha256Hex` of the kind modules, joined by NUL in their order (part of what a validation verdict depends on) */
  readonly modulesDigest: string;
  /** schema reference of a kind → the module (in the folder) exporting its validator */
  readonly kinds: Record<string, string>;
  /** CEL expression → its syntax tree as JSON (see `ManifestValidator.parsedRuleTable`) */
  readonly parsedRules: Record<string, string>;
}

let shared: ManifestValidator | undefined;

/**
 * The validator over the schemas shipped with the library: the Kubernetes 1.35 kinds and the CRDs the library
 * emits. Created once per process. When the compile task prepared this very schema set, a kind's validator is
 * loaded on its first use and CEL rules come parsed; otherwise ajv compiles a kind's schema on its first use.
 * @internal
 */
export function bundledValidator(): ManifestValidator {
  if (!shared) {
    const text = fs.readFileSync(BUNDLED_SCHEMAS, 'utf8');
    const { openapi, definitions, crds } = JSON.parse(text);
    // loaded here, not with the library: the CEL evaluator (and ajv, if a kind is compiled) are needed only once
    // something is validated
    const { ManifestValidator: Validator } = (fs.existsSync(VALIDATION_RUNTIME)
      ? requireWithCodeCache(VALIDATION_RUNTIME)
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      : require('./manifest-validator')) as typeof import('./manifest-validator');
    shared = new Validator({ openapi, definitions, crds, ...precompiledFor(text) });
  }
  return shared;
}

let verdicts: VerdictCache | undefined | null = null;

/**
 * The cache of objects {@link bundledValidator} passed, when the library runs compiled with its precompiled
 * validators and runtime ({@link verdictCacheOfBuild} of the files beside it); undefined from the TypeScript
 * sources or without a cache folder. @internal
 */
export function bundledVerdicts(): VerdictCache | undefined {
  if (verdicts === null) verdicts = verdictCacheOfBuild(VALIDATION_RUNTIME, VALIDATOR_BUILD_ID, BUNDLED_SCHEMAS);
  return verdicts;
}

/** Replace the cache {@link bundledVerdicts} returns (`null`: find it again). @internal */
export function setBundledVerdicts(cache: VerdictCache | undefined | null): void {
  verdicts = cache;
}

/**
 * The verdict cache of a validator build: named by its build id file (the compile task's digest of the schema
 * set, the precompiled validators and the runtime) and by the schema set's size and modification time (the
 * validator reads it at run time); undefined when the runtime or the id is missing or there is no cache folder.
 * @internal
 */
export function verdictCacheOfBuild(runtime: string, buildId: string, schemas: string): VerdictCache | undefined {
  if (!fs.existsSync(runtime) || !fs.existsSync(buildId)) return undefined;
  const stat = fs.statSync(schemas);
  const id = fs.readFileSync(buildId, 'utf8').trim();
  return verdictCacheFor([process.version, id, stat.size, stat.mtimeMs].join('\n'));
}

function precompiledFor(text: string): Pick<SchemaSources, 'precompiled' | 'parsedRules'> {
  const file = path.join(PRECOMPILED_DIR, 'index.json');
  if (!fs.existsSync(file)) return {};
  const index = JSON.parse(fs.readFileSync(file, 'utf8')) as PrecompiledIndex;
  if (index.digest !== sha256Hex(text)) return {};
  const precompiled: Record<string, ValidateFunction> = {};
  for (const [ref, module] of Object.entries(index.kinds)) {
    Object.defineProperty(precompiled, ref, { enumerable: true, get: () => requireWithCodeCache(path.join(PRECOMPILED_DIR, module)) });
  }
  return { precompiled, parsedRules: index.parsedRules };
}
