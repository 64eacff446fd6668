/**
 * Part of the compile task: what synth-time validation would otherwise redo in every process, done once from the
 * shipped schema set (assets/validation/schemas.json) into lib/validation/precompiled/:
 * - `kind-<n>.js`: the schema validator of one kind compiled by ajv (a process loads only the kinds it validates);
 * - `index.json`: the digest of the schema set they were compiled from (the library uses them only for that very
 *   set) and of the modules, which file holds which kind, and every CEL rule of the set parsed (its syntax tree as
 *   JSON).
 * And for the CLI, the KServe CRDs it validates its input with (assets/kserve/, 5 MB of YAML) parsed into
 * lib/cli/kserve-crds.json, each with the digest of its text (the CLI uses it only for that very text).
 */
import * as fs from 'fs';
import * as path from 'path';
import { kserveCrdFiles, PACKAGE_KSERVE_CRDS, PARSED_CRDS, ParsedCrd, parsedCrd } from '../src/cli/schema';
import { sha256Hex } from '../src/internal/digest';
import { BUNDLED_SCHEMAS, PRECOMPILED_DIR, PrecompiledIndex } from '../src/validation/bundled';
import { ManifestValidator } from '../src/validation/manifest-validator';

const text = fs.readFileSync(BUNDLED_SCHEMAS, 'utf8');
const { openapi, definitions, crds } = JSON.parse(text);
const validator = new ManifestValidator({ openapi, definitions, crds, keepSource: true });
const { kinds, left } = validator.standaloneModules('../k8s-keywords');
const out = path.join(__dirname, '..', 'lib', 'validation', path.basename(PRECOMPILED_DIR));
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });
const files: Record<string, string> = {};
const modules: string[] = [];
let bytes = 0;
kinds.forEach((k, i) => {
  const file = `kind-${i}.js`;
  const code = `// ${k.gvk}\n${k.code}\n`;
  fs.writeFileSync(path.join(out, file), code);
  files[k.ref] = file;
  modules.push(code);
  bytes += k.code.length;
});
const index: PrecompiledIndex = { digest: sha256Hex(text), modulesDigest: sha256Hex(modules.join('\0')), kinds: files, parsedRules: validator.parsedRuleTable() };
fs.writeFileSync(path.join(out, 'index.json'), JSON.stringify(index));
console.log(`${path.relative(process.cwd(), out)}: ${kinds.length} kinds precompiled (${(bytes / 1e6).toFixed(1)} MB), `
  + `${Object.keys(index.parsedRules).length} CEL expressions parsed${left.length ? `; compiled on first use: ${left.join(', ')}` : ''}`);

const crdsOut = path.join(__dirname, '..', 'lib', 'cli', path.basename(PARSED_CRDS));
const parsed: Record<string, ParsedCrd> = {};
for (const f of kserveCrdFiles()) parsed[f] = parsedCrd(fs.readFileSync(path.join(PACKAGE_KSERVE_CRDS, f), 'utf8'));
fs.writeFileSync(crdsOut, JSON.stringify(parsed));
console.log(`${path.relative(process.cwd(), crdsOut)}: ${Object.keys(parsed).length} KServe CRDs parsed`);
