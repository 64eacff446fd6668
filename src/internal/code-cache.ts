import * as fs from 'fs';
import { createRequire, Module } from 'module';
import * as path from 'path';
import * as vm from 'vm';
import { cacheDir, removeOtherVersions, writeAtExit, writeCacheFile } from './cache-dir';
import { sha256Hex } from './digest';

/** How the files {@link requireWithCodeCache} loaded in this process were compiled. @internal */
export const CODE_CACHE_USE = { fromCache: 0, compiled: 0 };

/** Scripts compiled without usable cached data in this process: the cache file of each, and its name's prefix. */
const pending = new Map<string, { script: vm.Script; prefix: string }>();

/**
 * `require(file)` for the package's own large generated files (the validation runtime and the precompiled schema
 * validators, 0.02–0.6 MB of JavaScript each), compiled by V8 from a code cache when one is there: V8 then skips
 * parsing and compiling the file and the functions that ran in the process that wrote the cache, which is most of
 * what loading them costs.
 *
 * The cache ({@link cacheDir}) holds a file per source content, Node version and architecture, written when the
 * process exits; data V8 rejects (another V8 build or other flags) is written again. Without a cache folder this is
 * `require(file)`. The module is registered in `require.cache` under its file name, so a later `require(file)`
 * returns the same exports.
 * @internal
 */
export function requireWithCodeCache(file: string): any {
  const loaded = require.cache[file];
  if (loaded) return loaded.exports;
  const dir = cacheDir();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (!dir) return require(file);
  const source = fs.readFileSync(file, 'utf8');
  const prefix = `${path.basename(file, '.js')}-`;
  const cacheFile = path.join(dir, `${prefix}${sha256Hex(`${process.version} ${process.arch}\n${source}`).slice(0, 32)}.v8`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  // the function Node's CommonJS loader wraps a module in
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n});`, { filename: file, cachedData });
  if (cachedData && !script.cachedDataRejected) {
    CODE_CACHE_USE.fromCache++;
  } else {
    CODE_CACHE_USE.compiled++;
    pending.set(cacheFile, { script, prefix });
    writeAtExit(writePending);
  }
  const mod = new Module(file, module);
  mod.filename = file;
  require.cache[file] = mod;
  try {
    script.runInThisContext()(mod.exports, createRequire(file), mod, file, path.dirname(file));
  } catch (e) {
    delete require.cache[file];
    pending.delete(cacheFile);
    throw e;
  }
  mod.loaded = true;
  return mod.exports;
}

function writePending(): void {
  for (const [cacheFile, { script, prefix }] of pending) {
    // made now, after the process ran: the data holds the compiled code of every function that ran
    if (writeCacheFile(cacheFile, script.createCachedData())) removeOtherVersions(cacheFile, prefix, '.v8');
  }
  pending.clear();
}
