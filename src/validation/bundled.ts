import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { ValidateFunction } from 'ajv';
import type { ManifestValidator } from './manifest-validator';

/** The compact schema set shipped with the package (written by `npm run import`). @internal */
export const BUNDLED_SCHEMAS = path.join(__dirname, '..', '..', 'assets', 'validation', 'schemas.json');

/**
 * The schema validators of {@link BUNDLED_SCHEMAS} compiled ahead of time (written by the compile task, beside the
 * compiled library; absent when running from the TypeScript sources). @internal
 */
export const PRECOMPILED_SCHEMAS = path.join(__dirname, 'precompiled-schemas.js');

/** The export of {@link PRECOMPILED_SCHEMAS} naming the schema set it was compiled from. @internal */
export const PRECOMPILED_DIGEST_KEY = 'sha256 of schemas.json';

/** Digest of the schema set's text. @internal */
export function schemasDigest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

let shared: ManifestValidator | undefined;

/**
 * The validator over the schemas shipped with the library: the Kubernetes 1.35 kinds and the CRDs the library
 * emits. Created once per process. Kinds compiled ahead of time from this very schema set are loaded; ajv compiles
 * any other kind's schema on its first use and keeps it.
 * @internal
 */
export function bundledValidator(): ManifestValidator {
  if (!shared) {
    const text = fs.readFileSync(BUNDLED_SCHEMAS, 'utf8');
    const { openapi, definitions, crds } = JSON.parse(text);
    // loaded here, not with the library: ajv and the CEL evaluator are needed only once something is validated
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { ManifestValidator: Validator } = require('./manifest-validator') as typeof import('./manifest-validator');
    shared = new Validator({ openapi, definitions, crds, precompiled: precompiledFor(text) });
  }
  return shared;
}

function precompiledFor(text: string): Record<string, ValidateFunction> | undefined {
  if (!fs.existsSync(PRECOMPILED_SCHEMAS)) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(PRECOMPILED_SCHEMAS) as Record<string, any>;
  return mod[PRECOMPILED_DIGEST_KEY] === schemasDigest(text) ? mod : undefined;
}
