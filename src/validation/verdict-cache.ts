import * as fs from 'fs';
import * as path from 'path';
import { cacheDir, cacheKey, isCacheKey, removeOtherVersions, writeAtExit, writeCacheFile } from '../internal/cache-dir';

/** Digests kept per validator build by default. */
const MAX_ENTRIES = 200_000;
/** The name of a verdict file: the prefix, the build's key, the suffix. @internal */
export const VERDICTS_PREFIX = 'valid-objects-';
const SUFFIX = '.txt';

/**
 * The objects the shipped validator found valid, kept between processes by content: an object whose JSON passed
 * this very validator build before (same schemas, precompiled validators, runtime and Node version) is not
 * validated again. Only passes are kept; an object with a problem is validated every time, so its error is always
 * reported. A file of content digests (one per line) in the cache folder ({@link cacheDir}), one file per
 * validator build; new digests are appended when the process exits.
 * @internal
 */
export class VerdictCache {
  private known?: Set<string>;
  private readonly added: string[] = [];

  /**
   * @param file the cache file of one validator build
   * @param maxEntries digests kept; past it, the file is rewritten with the newest half
   */
  public constructor(public readonly file: string, private readonly maxEntries = MAX_ENTRIES) {}

  /** The key of an object's JSON. */
  public keyOf(json: unknown): string {
    return cacheKey(JSON.stringify(json));
  }

  /** Whether an object with this key passed before. */
  public passed(key: string): boolean {
    return this.load().has(key);
  }

  /** Record that the object with this key passed. */
  public recordPass(key: string): void {
    const known = this.load();
    if (known.has(key)) return;
    known.add(key);
    this.added.push(key);
    if (this.added.length === 1) writeAtExit(() => this.write());
  }

  private load(): Set<string> {
    if (!this.known) {
      let text = '';
      try {
        text = fs.readFileSync(this.file, 'utf8');
      } catch {
        text = '';
      }
      this.known = new Set(text.split('\n').filter(isCacheKey));
    }
    return this.known;
  }

  private write(): void {
    if (this.added.length === 0) return;
    const known = this.load();
    if (known.size > this.maxEntries) {
      writeCacheFile(this.file, [...known].slice(-Math.ceil(this.maxEntries / 2)).join('\n') + '\n');
      this.known = undefined;
    } else if (fs.existsSync(this.file)) {
      // appended in one write: concurrent processes add whole lines
      try {
        fs.appendFileSync(this.file, this.added.join('\n') + '\n');
      } catch {
        // a read-only disk: the objects are validated again next time
      }
    } else if (writeCacheFile(this.file, this.added.join('\n') + '\n')) {
      removeOtherVersions(this.file, VERDICTS_PREFIX, SUFFIX);
    }
    this.added.length = 0;
  }
}

/**
 * The verdict cache of a validator build (`build`: everything its verdicts depend on, as text), or undefined when
 * there is no cache folder.
 * @internal
 */
export function verdictCacheFor(build: string): VerdictCache | undefined {
  const dir = cacheDir();
  return dir ? new VerdictCache(path.join(dir, `${VERDICTS_PREFIX}${cacheKey(build)}${SUFFIX}`)) : undefined;
}
