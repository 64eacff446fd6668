/**
 * The validation runtime: src/validation/manifest-validator.ts and the CEL evaluator it runs (@bufbuild/cel with
 * @bufbuild/cel-spec, @bufbuild/protobuf and @bufbuild/re2) bundled by esbuild into one CommonJS file, for
 * synth-time validation (`bundledValidator`). One file instead of ~130 modules, and only the parts of those
 * packages the validator uses: loading it takes about half the time of loading the modules one by one. ajv stays
 * outside: it is loaded only to compile a kind that has no precompiled validator.
 */
import * as path from 'path';
import { buildSync } from 'esbuild';
import { VALIDATION_RUNTIME } from '../src/validation/bundled';

const ROOT = path.join(__dirname, '..');
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

if (require.main === module) {
  const out = path.join(ROOT, 'lib', 'validation', path.basename(VALIDATION_RUNTIME));
  const bytes = buildValidationRuntime(out);
  console.log(`${path.relative(process.cwd(), out)}: the validator and the CEL evaluator in one file (${(bytes / 1e3).toFixed(0)} kB)`);
}
