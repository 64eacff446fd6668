/**
 * The SGLang flag table.
 *
 * `ts-node scripts/sglang-flags.ts <server_args.py>` (run once per pin, on SGLang's `python/sglang/srt/server_args.py`
 * of the pinned tag) reads its argparse registrations (`ServerArgs.add_cli_args`, `parser.add_argument(...)`) and writes
 * imports/sglang/server-args.json with the release it describes. `npm run import` turns that JSON into
 * src/imports/sglang-server-flags.ts (`writeSglangFlags`), offline.
 *
 * Understood per registration: the option strings (the first `--name` is canonical, the others aliases), `action`
 * (`store_true` → a switch; `argparse.BooleanOptionalAction` → a switch with a `--no-` form; `DeprecatedAction`
 * → a flag SGLang ignores with a warning; `DeprecatedStoreTrueAction` → a deprecated switch with its `new_flag`),
 * `type` (`int`, `float`, `str`, `json.loads` → json, `human_readable_int`), `nargs`, and `choices` given as a
 * literal list or as a module-level list constant. Choices computed at run time (plugin registries) are left out,
 * so those values are not checked.
 */
import * as fs from 'fs';
import * as path from 'path';

/** The pinned SGLang release (recorded in imports/README.md and in imports/sglang/server-args.json). */
export const SGLANG_RELEASE = {
  repo: 'sgl-project/sglang',
  tag: 'v0.5.10.post1',
  commit: '7c35342c10e201899e22fe2972d40e60da19ff3e',
  path: 'python/sglang/srt/server_args.py',
};

/** The vendored table, relative to the repository root. */
export const SGLANG_FLAGS_JSON = path.join('imports', 'sglang', 'server-args.json');

interface Row {
  flag: string;
  kind: 'switch' | 'bool' | 'value';
  type?: string;
  choices?: string[];
  aliases?: string[];
  negation?: string;
  nargs?: string;
  deprecated?: string;
}

/** The text between a `(` at `open` and its matching `)`, skipping string literals. */
function balanced(src: string, open: number): string {
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (c === '"' || c === "'") {
      const end = skipString(src, i);
      i = end - 1;
      continue;
    }
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return src.slice(open + 1, i);
    }
  }
  throw new Error(`unbalanced parenthesis at ${open}`);
}

/** Index just past the string literal starting at `i` (single, double or triple quoted). */
function skipString(src: string, i: number): number {
  const q = src[i];
  const triple = src.slice(i, i + 3) === q.repeat(3);
  const close = triple ? q.repeat(3) : q;
  let j = i + close.length;
  while (j < src.length) {
    if (src[j] === '\\') {
      j += 2;
      continue;
    }
    if (src.slice(j, j + close.length) === close) return j + close.length;
    j++;
  }
  throw new Error(`unterminated string at ${i}`);
}

/** Split a call's argument text at top-level commas. */
function splitArgs(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      i = skipString(text, i) - 1;
      continue;
    }
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if ('([{'.includes(c)) depth++;
    if (')]}'.includes(c)) depth--;
    if (c === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.map((s) => s.replace(/^\s*(#[^\n]*\n\s*)*/, '').trim()).filter((s) => s !== '');
}

/** The string literals of a Python list/set literal (`[...]`, `{...}`, `[*OTHER, "x"]`), resolving `*NAME` spreads. */
function listLiteral(text: string, constants: Map<string, string[]>): string[] | undefined {
  const t = text.trim();
  if (!/^[[{]/.test(t)) return constants.get(t);
  const items: string[] = [];
  for (const item of splitArgs(t.slice(1, -1))) {
    const s = /^(["'])(.*)\1$/s.exec(item);
    if (s) {
      items.push(s[2]);
      continue;
    }
    const spread = /^\*([A-Z_][A-Z0-9_]*)$/.exec(item);
    if (spread && constants.has(spread[1])) {
      items.push(...constants.get(spread[1])!);
      continue;
    }
    return undefined;
  }
  return items;
}

/** Module-level list constants (`NAME = [...]` or `NAME = {...}` at column 0). */
function moduleConstants(src: string): Map<string, string[]> {
  const constants = new Map<string, string[]>();
  for (const m of src.matchAll(/^([A-Z_][A-Z0-9_]*) = ([[{])/gm)) {
    const open = m.index! + m[0].length - 1;
    const text = src[open] + balanced(src, open) + (src[open] === '[' ? ']' : '}');
    const items = listLiteral(text, constants);
    if (items) constants.set(m[1], items);
  }
  return constants;
}

const TYPES: Record<string, string> = {
  'int': 'int',
  'float': 'float',
  'str': 'str',
  'json.loads': 'json',
  'human_readable_int': 'int_human',
  'nullable_str': 'str',
  'json_list_type': 'json',
};

/** Every option of `ServerArgs.add_cli_args`. */
export function readSglangFlags(src: string): Row[] {
  const constants = moduleConstants(src);
  const start = src.indexOf('def add_cli_args(parser: argparse.ArgumentParser):');
  if (start < 0) throw new Error('server_args.py: no ServerArgs.add_cli_args');
  const end = src.indexOf('\n    @classmethod', start);
  const body = src.slice(start, end < 0 ? undefined : end);
  const rows = new Map<string, Row>();
  for (const m of body.matchAll(/parser\.add_argument\(/g)) {
    const args = splitArgs(balanced(body, m.index! + m[0].length - 1));
    const names: string[] = [];
    const kw = new Map<string, string>();
    for (const a of args) {
      const lit = /^"(-[^"]*)"$/.exec(a);
      if (lit && kw.size === 0) {
        names.push(lit[1]);
        continue;
      }
      const k = /^([a-z_]+)\s*=\s*([\s\S]*)$/.exec(a);
      if (k) kw.set(k[1], k[2].trim());
    }
    if (names.length === 0 || !names[0].startsWith('--')) throw new Error(`server_args.py: add_argument without a --flag: ${args[0]}`);
    const action = kw.get('action');
    const row: Row = { flag: names[0], kind: 'value' };
    if (names.length > 1) row.aliases = names.slice(1);
    if (action === '"store_true"') {
      row.kind = 'switch';
    } else if (action === 'argparse.BooleanOptionalAction') {
      row.kind = 'bool';
      row.negation = '--no-' + names[0].slice(2);
    } else if (action === 'DeprecatedAction') {
      row.kind = 'switch';
      row.deprecated = 'is deprecated: SGLang ignores it with a warning';
    } else if (action === 'DeprecatedStoreTrueAction') {
      row.kind = 'switch';
      const repl = /^"(.*)"$/.exec(kw.get('new_flag') ?? '')?.[1];
      row.deprecated = repl ? `is deprecated in favour of ${repl}` : 'is deprecated';
    } else if (action !== undefined && action !== 'LoRAPathAction') {
      throw new Error(`server_args.py: ${names[0]}: unknown action ${action}`);
    }
    if (row.kind === 'value') {
      const type = kw.get('type');
      if (type !== undefined) row.type = TYPES[type] ?? 'str';
      const nargs = /^"(.*)"$/.exec(kw.get('nargs') ?? '')?.[1];
      if (nargs) row.nargs = nargs;
      const choices = kw.get('choices');
      if (choices !== undefined) {
        const list = listLiteral(choices, constants);
        if (list) row.choices = [...list].sort();
      }
    }
    if (rows.has(row.flag)) throw new Error(`server_args.py: ${row.flag} registered twice`);
    rows.set(row.flag, row);
  }
  return [...rows.values()].sort((a, b) => a.flag.localeCompare(b.flag));
}

/** Write imports/sglang/server-args.json from a copy of the pinned release's `server_args.py`. */
export function writeSglangFlagsJson(root: string, serverArgsPy: string): void {
  const flags = readSglangFlags(fs.readFileSync(serverArgsPy, 'utf8'));
  const doc = { schema: 'sglang-server-flags/1', release: SGLANG_RELEASE, flags };
  const body = ['{"schema":' + JSON.stringify(doc.schema) + ',', '"release":' + JSON.stringify(doc.release) + ',', '"flags":[',
    flags.map((f) => JSON.stringify(f)).join(',\n'), ']}', ''].join('\n');
  fs.mkdirSync(path.dirname(path.join(root, SGLANG_FLAGS_JSON)), { recursive: true });
  fs.writeFileSync(path.join(root, SGLANG_FLAGS_JSON), body);
}

/** Write src/imports/sglang-server-flags.ts from imports/sglang/server-args.json. */
export function writeSglangFlags(root: string): void {
  const doc = JSON.parse(fs.readFileSync(path.join(root, SGLANG_FLAGS_JSON), 'utf8'));
  const release = doc.release as typeof SGLANG_RELEASE;
  if (release.tag !== SGLANG_RELEASE.tag || release.commit !== SGLANG_RELEASE.commit) {
    throw new Error(`${SGLANG_FLAGS_JSON} describes ${release.tag} (${release.commit}), not the pinned ${SGLANG_RELEASE.tag}: regenerate it`);
  }
  const rows = doc.flags as Row[];
  const body = [
    `// Generated by scripts/import.ts from ${SGLANG_FLAGS_JSON.split(path.sep).join('/')} (SGLang ${release.tag}). Do not edit by hand.`,
    '/* eslint-disable */',
    '',
    '/** One `python3 -m sglang.launch_server` option. */',
    'export interface SglangFlagSpec {',
    '  readonly flag: string;',
    "  readonly kind: 'bool' | 'switch' | 'value';",
    '  readonly type?: string;',
    '  readonly choices?: readonly string[];',
    '  /** Further option strings of the same flag (e.g. `--tp-size` for `--tensor-parallel-size`). */',
    '  readonly aliases?: readonly string[];',
    '  readonly negation?: string;',
    '  readonly nargs?: string;',
    '  /** Why the flag is on its way out (SGLang `DeprecatedAction` / `DeprecatedStoreTrueAction`). */',
    '  readonly deprecated?: string;',
    '}',
    '',
    '/** The SGLang release the table describes. */',
    `export const SGLANG_FLAGS_RELEASE = ${JSON.stringify(release.tag)};`,
    '',
    `/** Every \`sglang.launch_server\` option of ${release.tag} (${rows.length} options). */`,
    'export const SGLANG_SERVER_FLAGS: readonly SglangFlagSpec[] = [',
    ...rows.map((r) => `  ${JSON.stringify(r)},`),
    '];',
    '',
  ].join('\n');
  fs.writeFileSync(path.join(root, 'src', 'imports', 'sglang-server-flags.ts'), body);
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: ts-node scripts/sglang-flags.ts <server_args.py of the pinned SGLang tag>');
  writeSglangFlagsJson(path.resolve(__dirname, '..'), path.resolve(file));
}
