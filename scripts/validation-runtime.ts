/**
 * The validation runtime: src/validation/manifest-validator.ts and the CEL evaluator it runs (@bufbuild/cel with
 * @bufbuild/cel-spec, @bufbuild/protobuf and @bufbuild/re2) bundled by esbuild into one CommonJS file, for
 * synth-time validation (`bundledValidator`). One file instead of ~130 modules, and only the parts of those
 * packages the validator uses: loading it takes about half the time of loading the modules one by one. ajv stays
 * outside: it is loaded only to compile a kind that has no precompiled validator.
 */
import * as path from 'path';
import { buildSync } from 'esbuild';
import * as fs from 'fs';
import { sha256Hex } from '../src/internal/digest';
import { PRECOMPILED_DIR, PrecompiledIndex, VALIDATION_RUNTIME, VALIDATOR_BUILD_ID } from '../src/validation/bundled';

const ROOT = path.join(__dirname, '..');
const LIB_VALIDATION = path.join(ROOT, 'lib', 'validation');
const BUNDLED = ['@bufbuild/cel', '@bufbuild/cel-spec', '@bufbuild/protobuf', '@bufbuild/re2'];

/** Writes the runtime to `outfile` (with `outfile.map`); returns its size in bytes. */
export function buildValidationRuntime(outfile: string): number {
  const versions = BUNDLED.map((p) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pkg = require(path.join(ROOT, 'node_modules', p, 'package.json'));
    return `${p} ${pkg.version} ${pkg.license.startsWith('(') ? pkg.license : `(${pkg.license})`}`;
  });
  const result = buildSync({
    entryPoints: [path.join(ROOT, 'src', 'validation', 'manifest-validator.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['ajv', 'ajv/*', 'ajv-formats'],
    sourcemap: 'linked',
    legalComments: 'eof',
    banner: { js: `// cdk8s-llm-d validation runtime, built by scripts/validation-runtime.ts. Bundles ${versions.join(', ')},\n// which also ship unbundled among this package's bundled dependencies.` },
    metafile: true,
    logLevel: 'warning',
  });
  return Object.entries(result.metafile.outputs).filter(([f]) => f.endsWith('.js')).reduce((n, [, o]) => n + o.bytes, 0);
}

/**
 * Writes {@link VALIDATOR_BUILD_ID} (run after the precompiled validators and the runtime are written): the digest
 * of the schema set, the kind modules and the runtime, everything a verdict of the shipped validator depends on.
 */
export function writeValidatorBuildId(): string {
  const index = JSON.parse(fs.readFileSync(path.join(LIB_VALIDATION, path.basename(PRECOMPILED_DIR), 'index.json'), 'utf8')) as PrecompiledIndex;
  const runtime = fs.readFileSync(path.join(LIB_VALIDATION, path.basename(VALIDATION_RUNTIME)), 'utf8');
  const id = sha256Hex([index.digest, index.modulesDigest, sha256Hex(runtime)].join('\n'));
  fs.writeFileSync(path.join(LIB_VALIDATION, path.basename(VALIDATOR_BUILD_ID)), id + '\n');
  return id;
}

if (require.main === module) {
  const out = path.join(LIB_VALIDATION, path.basename(VALIDATION_RUNTIME));
  const bytes = buildValidationRuntime(out);
  console.log(`${path.relative(process.cwd(), out)}: the validator and the CEL evaluator in one file (${(bytes / 1e3).toFixed(0)} kB)`);
  const id = writeValidatorBuildId();
  console.log(`${path.relative(process.cwd(), path.join(LIB_VALIDATION, path.basename(VALIDATOR_BUILD_ID)))}: ${id.slice(0, 16)}…`);
}
