/** The SGLang flag table: scripts/sglang-flags.ts reads SGLang's argparse registrations; the generated table matches the vendored JSON. */
import * as fs from 'fs';
import * as path from 'path';
import { readSglangFlags, SGLANG_FLAGS_JSON, SGLANG_RELEASE } from '../scripts/sglang-flags';
import { SGLANG_FLAGS_RELEASE, SGLANG_SERVER_FLAGS } from '../src/imports/sglang-server-flags';
import { Versions } from '../src/versions';

const SOURCE = `
FOO_CHOICES = ["b", "a"]
BAR_CHOICES = [*FOO_CHOICES, "c"]

class ServerArgs:
    @staticmethod
    def add_cli_args(parser: argparse.ArgumentParser):
        parser.add_argument(
            "--tensor-parallel-size",
            "--tp-size",
            type=int,
            default=ServerArgs.tp_size,
            help="The tensor parallelism size.",
        )
        parser.add_argument("--enable-x", action="store_true", help="Enable x, (with a comma).")
        parser.add_argument("--flag-y", action=argparse.BooleanOptionalAction)
        parser.add_argument(
            "--mode",
            type=str,
            choices=BAR_CHOICES,
        )
        parser.add_argument("--lit", type=str, choices=["q", "p"])
        parser.add_argument("--dyn", type=str, choices=list(Registry.keys()))
        parser.add_argument("--json-cfg", type=json.loads)
        parser.add_argument("--paths", type=str, nargs="*")
        parser.add_argument("--old", action=DeprecatedAction, help="gone")
        parser.add_argument("--older", action=DeprecatedStoreTrueAction, new_flag="--newer")

    @classmethod
    def from_cli_args(cls, args):
        parser.add_argument("--not-a-server-flag")
`;

describe('readSglangFlags', () => {
  const rows = new Map(readSglangFlags(SOURCE).map((r) => [r.flag, r]));

  test('reads option strings, aliases and types', () => {
    expect(rows.get('--tensor-parallel-size')).toEqual({ flag: '--tensor-parallel-size', kind: 'value', aliases: ['--tp-size'], type: 'int' });
    expect(rows.get('--json-cfg')?.type).toBe('json');
    expect(rows.get('--paths')?.nargs).toBe('*');
  });

  test('switches, negatable switches and deprecated flags', () => {
    expect(rows.get('--enable-x')).toEqual({ flag: '--enable-x', kind: 'switch' });
    expect(rows.get('--flag-y')).toEqual({ flag: '--flag-y', kind: 'bool', negation: '--no-flag-y' });
    expect(rows.get('--old')?.deprecated).toMatch(/ignores it/);
    expect(rows.get('--older')?.deprecated).toBe('is deprecated in favour of --newer');
  });

  test('choices from literals and module constants (with spreads); run-time choices are left unchecked', () => {
    expect(rows.get('--mode')?.choices).toEqual(['a', 'b', 'c']);
    expect(rows.get('--lit')?.choices).toEqual(['p', 'q']);
    expect(rows.get('--dyn')?.choices).toBeUndefined();
  });

  test('only ServerArgs.add_cli_args is read', () => {
    expect(rows.has('--not-a-server-flag')).toBe(false);
  });
});

test('the generated table is the vendored JSON of the pinned release', () => {
  const doc = JSON.parse(fs.readFileSync(path.join(__dirname, '..', SGLANG_FLAGS_JSON), 'utf8'));
  expect(doc.release).toEqual(SGLANG_RELEASE);
  expect(SGLANG_SERVER_FLAGS).toEqual(doc.flags);
  expect(SGLANG_FLAGS_RELEASE).toBe(SGLANG_RELEASE.tag);
  expect(Versions.SGLANG).toBe(SGLANG_RELEASE.tag);
});
