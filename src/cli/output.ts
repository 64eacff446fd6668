import * as fs from 'fs';
import * as path from 'path';
import { EXIT_INVALID } from './exit-codes';

/** Where the CLI writes. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Reads all of stdin (for `-` inputs). */
  readonly stdin?: () => string;
}

/** The process's streams. */
export const PROCESS_IO: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  stdin: () => fs.readFileSync(0, 'utf8'),
};

/** The output cannot be written (exit 1). */
export class OutputError extends Error {
  public readonly exitCode = EXIT_INVALID;
  constructor(message: string) {
    super(message);
    Object.setPrototypeOf(this, OutputError.prototype);
  }
}

/** The file in an output directory that lists what the previous `render -o` wrote there. */
export const OUTPUT_MANIFEST = '.cdk8s-llm-d-files.json';
const OWNED = /^[^/\\]+\.k8s\.yaml$/;

/** What {@link writeOutputDirectory} did. */
export interface WriteResult {
  readonly written: string[];
  /** Files a previous run wrote that this run no longer writes, deleted. */
  readonly removed: string[];
}

/**
 * Write `files` (base names → YAML) into `dir` and record them in {@link OUTPUT_MANIFEST}. Files the previous run
 * recorded and this run does not write are removed; files the CLI never wrote are never touched.
 */
export function writeOutputDirectory(dir: string, files: { readonly name: string; readonly text: string }[]): WriteResult {
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) {
    throw new OutputError(`-o ${dir}: is a file, not a directory; name a directory (it is created when missing)`);
  }
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new OutputError(`-o ${dir}: cannot create the directory (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const manifest = path.join(dir, OUTPUT_MANIFEST);
  const previous = readManifest(manifest);
  const names = new Set(files.map((f) => f.name));
  const removed: string[] = [];
  try {
    for (const f of files) fs.writeFileSync(path.join(dir, f.name), f.text);
    for (const old of previous) {
      const p = path.join(dir, old);
      if (!names.has(old) && fs.existsSync(p) && fs.statSync(p).isFile()) {
        fs.unlinkSync(p);
        removed.push(old);
      }
    }
    fs.writeFileSync(manifest, JSON.stringify({ generator: 'cdk8s-llm-d render', files: [...names].sort() }, undefined, 2) + '\n');
  } catch (e) {
    throw new OutputError(`-o ${dir}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return { written: files.map((f) => path.join(dir, f.name)), removed: removed.map((f) => path.join(dir, f)) };
}

/** The file names a previous run recorded; a missing or unreadable manifest records none. */
function readManifest(file: string): string[] {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
    return Array.isArray(parsed?.files) ? parsed.files.filter((f: unknown): f is string => typeof f === 'string' && OWNED.test(f)) : [];
  } catch {
    return [];
  }
}

/** When stdout is closed early (`| head`), stop quietly instead of failing with EPIPE. */
export function exitQuietlyOnClosedStdout(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
}
