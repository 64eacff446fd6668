/**
 * Part of the compile task: the compiled code generated from the pinned inputs (lib/imports/*.js) without its inline
 * source map. The map of lib/imports/k8s.js alone is 2.9 MB of the file's 3.6 MB, read and scanned by every process
 * that loads the library; nobody steps through generated type converters.
 */
import * as fs from 'fs';
import * as path from 'path';

const dir = path.join(__dirname, '..', 'lib', 'imports');
let saved = 0;
for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.js'))) {
  const file = path.join(dir, f);
  const text = fs.readFileSync(file, 'utf8');
  const stripped = text.replace(/\n\/\/# sourceMappingURL=data:application\/json;base64,[A-Za-z0-9+/=]*\s*$/, '\n');
  saved += text.length - stripped.length;
  if (stripped !== text) fs.writeFileSync(file, stripped);
}
console.log(`lib/imports: inline source maps removed (${(saved / 1e6).toFixed(1)} MB)`);
