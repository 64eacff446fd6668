/**
 * `npm run synth:examples`: every example into dist/examples/<name>/.
 * `npm run synth` (`--default <dir>`): the default example into <dir>.
 */
import * as path from 'path';
import { DEFAULT_EXAMPLE, exampleNames, ROOT, synthExample } from './examples';

const args = process.argv.slice(2);
if (args[0] === '--default') {
  const out = path.resolve(ROOT, args[1] ?? 'dist');
  for (const f of synthExample(DEFAULT_EXAMPLE, out)) console.log(`wrote ${path.relative(ROOT, f)}`);
} else {
  for (const name of exampleNames()) {
    for (const f of synthExample(name, path.join(ROOT, 'dist', 'examples', name))) console.log(`wrote ${path.relative(ROOT, f)}`);
  }
}
