/**
 * Part of the compile task: the compiled library without inline source maps, which are most of its bytes (2.5 of
 * 3.5 MB outside lib/imports/) and are read and scanned by every process that loads the library.
 * - lib/imports/*.js (code generated from the pinned inputs): the map is dropped; nobody steps through generated
 *   type converters (the map of lib/imports/k8s.js alone is 2.9 MB of the file's 3.6 MB).
 * - every other lib/**.js: the map moves beside the file (`x.js.map`, named by its `sourceMappingURL`), so stack
 *   traces under `node --enable-source-maps` and debuggers still point into src/.
 */
import * as fs from 'fs';
import * as path from 'path';

const lib = path.join(__dirname, '..', 'lib');
const generated = path.join(lib, 'imports');
const INLINE = /\n\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]*)\s*$/;
let dropped = 0;
let moved = 0;

function visit(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      visit(file);
      continue;
    }
    if (!entry.name.endsWith('.js')) continue;
    const text = fs.readFileSync(file, 'utf8');
    const m = INLINE.exec(text);
    if (!m) continue;
    const code = text.slice(0, m.index);
    if (dir === generated) {
      dropped += text.length - code.length;
      fs.writeFileSync(file, `${code}\n`);
    } else {
      moved += text.length - code.length;
      fs.writeFileSync(`${file}.map`, Buffer.from(m[1], 'base64'));
      fs.writeFileSync(file, `${code}\n//# sourceMappingURL=${entry.name}.map\n`);
    }
  }
}

visit(lib);
console.log(`lib: inline source maps of generated code removed (${(dropped / 1e6).toFixed(1)} MB), the others moved to .js.map files (${(moved / 1e6).toFixed(1)} MB)`);
