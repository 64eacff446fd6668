/**
 * Part of the compile task: the schema validators of the shipped schema set (assets/validation/schemas.json),
 * compiled ahead of time by ajv into lib/validation/precompiled-schemas.js, so that synth-time validation loads
 * them instead of compiling every kind's schema again in each process. The module names the digest of the schema
 * set it was compiled from; the library uses it only for that very set.
 */
import * as fs from 'fs';
import * as path from 'path';
import { BUNDLED_SCHEMAS, PRECOMPILED_DIGEST_KEY, schemasDigest } from '../src/validation/bundled';
import { ManifestValidator } from '../src/validation/manifest-validator';

const out = path.join(__dirname, '..', 'lib', 'validation', 'precompiled-schemas.js');
const text = fs.readFileSync(BUNDLED_SCHEMAS, 'utf8');
const { openapi, definitions, crds } = JSON.parse(text);
const { code, refs, left } = new ManifestValidator({ openapi, definitions, crds, keepSource: true }).standaloneModule();
fs.writeFileSync(out, `${code}\nexports[${JSON.stringify(PRECOMPILED_DIGEST_KEY)}] = ${JSON.stringify(schemasDigest(text))};\n`);
console.log(`${path.relative(process.cwd(), out)}: ${refs.length} kinds precompiled (${(code.length / 1e6).toFixed(1)} MB)`
  + `${left.length ? `; compiled on first use: ${left.join(', ')}` : ''}`);
