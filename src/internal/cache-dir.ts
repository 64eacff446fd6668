import * as fs from 'fs';
import * as path from 'path';
import { sha256Hex } from './digest';

/**
 * Environment variable that sets where the library keeps what it caches between processes (V8's compiled code of
 * its validation runtime, the content digests of objects that passed validation): a directory, or `off`.
 * @internal
 */
export const CACHE_ENV = 'CDK8S_LLMD_CACHE';

/**
 * The folder's name under `node_modules/.cache` (the find-cache-dir convention of babel, ava, eslint and terser).
 * @internal
 */
export const CACHE_NAME = 'cdk8s-llm-d';

/** How many hex digits of a sha256 name an entry of the cache. */
const KEY_LENGTH = 32;

/** The key of a cache entry made from `text`: the first 128 bits of its sha256, in hex. @internal */
export function cacheKey(text: string): string {
  return sha256Hex(text).slice(0, KEY_LENGTH);
}

/** Whether `s` is a {@link cacheKey}. @internal */
export function isCacheKey(s: string): boolean {
  return s.length === KEY_LENGTH && /^[0-9a-f]+$/.test(s);
}

/**
 * The cache folder: `$CDK8S_LLMD_CACHE`, or else `node_modules/.cache/cdk8s-llm-d` of the nearest folder at or
 * above the working directory with a `package.json` (when it has a `node_modules`); undefined for none
 * (`CDK8S_LLMD_CACHE=off`, or no such folder). It may not exist yet.
 * @internal
 */
export function cacheDir(): string | undefined {
  const setting = process.env[CACHE_ENV];
  if (setting === 'off' || setting === 'false' || setting === '0') return undefined;
  if (setting) return path.resolve(setting);
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) {
      const modules = path.join(dir, 'node_modules');
      return fs.existsSync(modules) ? path.join(modules, '.cache', CACHE_NAME) : undefined;
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

const writers = new Set<() => void>();

/**
 * Run `write` when the process exits (once, however often it is registered): caches are written then, when they
 * hold everything the process added. A writer must not throw; a cache that cannot be written is left out.
 * @internal
 */
export function writeAtExit(write: () => void): void {
  if (writers.size === 0) process.once('exit', flushWriters);
  writers.add(write);
}

/** Run the writers registered with {@link writeAtExit} now (what the process does when it exits). @internal */
export function flushWriters(): void {
  const all = [...writers];
  writers.clear();
  for (const w of all) w();
}

/**
 * Write `data` to `file` in the cache (creating the folder, owner-only) through a temporary file and a rename, so
 * that a concurrent reader sees the old or the new file, never half of one; false when it could not be written.
 * @internal
 */
export function writeCacheFile(file: string, data: string | Uint8Array): boolean {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const temp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, data, { mode: 0o600 });
    fs.renameSync(temp, file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Remove the cache files named `<prefix><key><suffix>` (`key` a {@link cacheKey}) other than `keep`: what an
 * older build left.
 * @internal
 */
export function removeOtherVersions(keep: string, prefix: string, suffix: string): void {
  try {
    const dir = path.dirname(keep);
    for (const f of fs.readdirSync(dir)) {
      const named = f.startsWith(prefix) && f.endsWith(suffix) && isCacheKey(f.slice(prefix.length, f.length - suffix.length));
      if (named && f !== path.basename(keep)) fs.rmSync(path.join(dir, f), { force: true });
    }
  } catch {
    // nothing to tidy
  }
}
