/**
 * The examples under examples/<name>/ and how they are synthesized. Used by `npm run synth`,
 * `npm run synth:examples` and the tests, so that the tests validate exactly what those commands write.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, YamlOutputType } from 'cdk8s';

export const ROOT = path.resolve(__dirname, '..');
export const EXAMPLES_DIR = path.join(ROOT, 'examples');
export const DEFAULT_EXAMPLE = 'default';

/** Names of every example (folders with a main.ts). */
export function exampleNames(): string[] {
  return fs.readdirSync(EXAMPLES_DIR)
    .filter((d) => fs.existsSync(path.join(EXAMPLES_DIR, d, 'main.ts')))
    .sort();
}

/** Synthesize one example into `outdir` (one YAML file per chart); returns the files written. */
export function synthExample(name: string, outdir: string): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(path.join(EXAMPLES_DIR, name, 'main.ts')) as { build(app: App): void };
  // Remove earlier output of this example only (dist/ also holds dist/examples/).
  if (fs.existsSync(outdir)) for (const f of fs.readdirSync(outdir)) if (f.endsWith('.yaml')) fs.rmSync(path.join(outdir, f));
  const app = new App({ outdir, outputFileExtension: '.yaml', yamlOutputType: YamlOutputType.FILE_PER_CHART });
  mod.build(app);
  app.synth();
  return fs.readdirSync(outdir).filter((f) => f.endsWith('.yaml')).sort().map((f) => path.join(outdir, f));
}
