/**
 * The CLI reads the KServe CRDs parsed by the compile task (lib/cli/kserve-crds.json) only for the very text they were
 * parsed from; any other text (a CRD dir from CDK8S_LLMD_KSERVE_CRDS, an edited file) is parsed as YAML.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { crdDirectory, kserveCrdFiles, parsedCrd, readCrd } from '../src/cli/schema';

describe('KServe CRDs parsed ahead of time', () => {
  const dir = crdDirectory()!;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'parsed-crds-'));
  const [file] = kserveCrdFiles();
  const text = fs.readFileSync(path.join(dir, file), 'utf8');

  test('the table holds what YAML parsing gives, for every CRD file the CLI reads', () => {
    expect(kserveCrdFiles()).toHaveLength(2);
    for (const f of kserveCrdFiles()) {
      const t = fs.readFileSync(path.join(dir, f), 'utf8');
      const entry = parsedCrd(t);
      expect(entry.digest).toMatch(/^[0-9a-f]{64}$/);
      expect(entry.crd.spec.versions.length).toBeGreaterThan(0);
      expect(entry.crd.spec.versions).toEqual(YAML.parse(t).spec.versions);
    }
  });

  test('an entry is used only when the CRD text has its digest', () => {
    const marked = parsedCrd(text);
    const table = path.join(tmp, 'table.json');
    // a marker only the table has: seen only if the table is used
    fs.writeFileSync(table, JSON.stringify({ [file]: { ...marked, crd: { spec: { versions: [{ name: 'from-table' }] } } } }));
    expect(readCrd(path.join(dir, file), table).spec.versions).toEqual([{ name: 'from-table' }]);
    // the same file name with other text: parsed, the table ignored
    const edited = path.join(tmp, file);
    fs.writeFileSync(edited, text.replace(/^(\s*)served: true$/m, '$1served: false'));
    const read = readCrd(edited, table);
    expect(read.spec.versions.map((v: any) => v.name)).toEqual(YAML.parse(text).spec.versions.map((v: any) => v.name));
    expect(read.spec.versions.some((v: any) => v.served === false)).toBe(true);
    // no table: parsed
    expect(readCrd(path.join(dir, file), path.join(tmp, 'absent.json')).spec.versions).toEqual(YAML.parse(text).spec.versions);
  });
});
