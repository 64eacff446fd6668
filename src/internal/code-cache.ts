import * as fs from 'fs';
import { createRequire, Module } from 'module';
import * as path from 'path';
import * as vm from 'vm';
import { cacheDir, cacheKey, removeOtherVersions, writeAtExit, writeCacheFile } from './cache-dir';

/** How the files compiled through the code cache in this process were compiled. @internal */
export const CODE_CACHE_USE = { fromCache: 0, compiled: 0 };

/** The package's root folder (above lib/ or src/). */
const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');

/**
 * Whether this code runs in Node's own context. Under a module sandbox (jest runs each test file in a context of
 * its own), code compiled with `vm.Script` would run in another realm than the code that calls it, so nothing is
 * compiled here then.
 */
const NODE_CONTEXT = vm.runInThisContext('globalThis') === globalThis;

/** The extension of a code cache file. */
const SUFFIX = '.v8';

/** Scripts compiled without usable cached data in this process: the cache file of each, and its name's prefix. */
const pending = new Map<string, { script: vm.Script; prefix: string }>();

/**
 * A CommonJS module's source compiled by V8, from the code cache ({@link cacheDir}) when it holds this source: V8
 * then skips parsing and compiling it and the functions that ran in the process that wrote the cache, which is
 * most of what loading a module costs. The cache holds a file per module, source content, Node version and
 * architecture, written when the process exits (data V8 rejects, from another V8 build or other flags, is written
 * again). The script evaluates to the function Node's loader wraps a module in.
 */
function compileModule(source: string, file: string, dir: string): vm.Script {
  const inPackage = path.relative(PACKAGE_ROOT, file);
  const name = inPackage.startsWith('..') ? path.basename(file) : inPackage;
  const prefix = `${name.replace(/\.js$/, '').replace(/[\\/]/g, '_')}-`;
  const cacheFile = path.join(dir, `${prefix}${cacheKey(`${process.version} ${process.arch}\n${source}`)}${SUFFIX}`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n});`, { filename: file, cachedData });
  if (cachedData && !script.cachedDataRejected) {
    CODE_CACHE_USE.fromCache++;
  } else {
    CODE_CACHE_USE.compiled++;
    pending.set(cacheFile, { script, prefix });
    writeAtExit(writePending);
  }
  return script;
}

/** Run a compiled module wrapper as Node's loader would, for `mod`. */
function runModule(script: vm.Script, mod: Module, file: string): unknown {
  const resolving = createRequire(file);
  const req = Object.assign((id: string) => mod.require(id), {
    resolve: resolving.resolve, cache: resolving.cache, main: resolving.main, extensions: resolving.extensions,
  });
  return script.runInThisContext()(mod.exports, req, mod, file, path.dirname(file));
}

/**
 * `require(file)` through the code cache, for the package's large generated files (the validation runtime and the
 * precompiled schema validators, 0.02–0.6 MB of JavaScript each); plain `require` without a cache folder or in a
 * module sandbox. The module is registered in `require.cache` under its file name, so a later `require(file)`
 * returns the same exports.
 * @internal
 */
export function requireWithCodeCache(file: string): any {
  const loaded = require.cache[file];
  if (loaded) return loaded.exports;
  const dir = NODE_CONTEXT ? cacheDir() : undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (!dir) return require(file);
  const script = compileModule(fs.readFileSync(file, 'utf8'), file, dir);
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = createRequire(file).resolve.paths('x') ?? [];
  require.cache[file] = mod;
  try {
    runModule(script, mod, file);
  } catch (e) {
    delete require.cache[file];
    throw e;
  }
  mod.loaded = true;
  return mod.exports;
}

const cachedDirs = new Set<string>();

/**
 * Compile the CommonJS modules below `dir` that are required after this call through the code cache: Node's
 * loader hands every module's source to `Module.prototype._compile`, which is wrapped here for those files only;
 * other files, and all of them when there is no cache folder, take Node's own path. Nothing is installed in a
 * module sandbox or when Node applies source maps (`--enable-source-maps`), which Node reads in its own compile
 * step.
 * @internal
 */
export function cacheCodeOf(dir: string): void {
  const root = path.resolve(dir) + path.sep;
  if (cachedDirs.has(root) || !NODE_CONTEXT || process.sourceMapsEnabled) return;
  const cache = cacheDir();
  if (!cache) return;
  cachedDirs.add(root);
  const proto = Module.prototype as unknown as { _compile(content: string, filename: string): unknown };
  const original = proto._compile;
  proto._compile = function compile(this: Module, content: string, filename: string) {
    // a hashbang line is only valid at the very start of a script, not inside the wrapper
    if (!filename.startsWith(root) || !filename.endsWith('.js') || content.startsWith('#!')) return original.call(this, content, filename);
    return runModule(compileModule(content, filename, cache), this, filename);
  };
}

function writePending(): void {
  for (const [cacheFile, { script, prefix }] of pending) {
    // made now, after the process ran: the data holds the compiled code of every function that ran
    if (writeCacheFile(cacheFile, script.createCachedData())) removeOtherVersions(cacheFile, prefix, SUFFIX);
  }
  pending.clear();
}
