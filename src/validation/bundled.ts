import * as fs from 'fs';
import * as path from 'path';
import { ManifestValidator } from './manifest-validator';

/** The compact schema set shipped with the package (written by `npm run import`). @internal */
export const BUNDLED_SCHEMAS = path.join(__dirname, '..', '..', 'assets', 'validation', 'schemas.json');

let shared: ManifestValidator | undefined;

/**
 * The validator over the schemas shipped with the library: the Kubernetes 1.35 kinds and the CRDs the library
 * emits. Created once per process; ajv compiles each kind's schema on its first use and keeps it.
 * @internal
 */
export function bundledValidator(): ManifestValidator {
  if (!shared) {
    const { openapi, definitions, crds } = JSON.parse(fs.readFileSync(BUNDLED_SCHEMAS, 'utf8'));
    shared = new ManifestValidator({ openapi, definitions, crds });
  }
  return shared;
}
