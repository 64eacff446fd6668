/**
 * `npm run import`: regenerates src/imports/ from the pinned inputs in imports/ without network access.
 *
 * - Kubernetes 1.35 and the CRDs go through `cdk8s import` (the k8s download is redirected to the vendored
 *   `_definitions.json` by scripts/cdk8s-offline.js).
 * - imports/vllm/serve-flags.json becomes src/imports/vllm-serve-flags.ts, the flag table the engine validates against.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '..');
const out = path.join(root, 'src', 'imports');
const crds = path.join(root, 'imports', 'crds');

/**
 * import name -> CRD files concatenated into one import (one generated module each). Only kinds whose typed
 * specs the constructs build are generated; the LeaderWorkerSet and the legacy v1alpha2 InferencePool are written
 * as plain objects (their pod templates are the generated core PodTemplateSpec) and validated against their
 * CRDs in the tests.
 */
const CRD_IMPORTS: Record<string, string[]> = {
  'gateway': [
    'gateway-api/gateway.networking.k8s.io_gateways.yaml',
    'gateway-api/gateway.networking.k8s.io_httproutes.yaml',
    'gateway-api/gateway.networking.k8s.io_referencegrants.yaml',
  ],
  'inference-pool': ['gateway-api-inference-extension/inference.networking.k8s.io_inferencepools.yaml'],
  'llm-d': ['llm-d-router/llm-d.ai_inferenceobjectives.yaml', 'llm-d-router/llm-d.ai_inferencemodelrewrites.yaml'],
};

function cdk8sImport(spec: string, cwd: string) {
  const bin = path.join(root, 'node_modules', '.bin', 'cdk8s');
  execFileSync(bin, ['import', '--no-check-upgrade', '-l', 'typescript', '-o', cwd, spec], {
    stdio: 'inherit',
    env: {
      ...process.env,
      CDK8S_LOCAL_SCHEMAS: path.join(root, 'imports', 'kubernetes', 'cdk8s-definitions'),
      NODE_OPTIONS: `--require ${path.join(root, 'scripts', 'cdk8s-offline.js')}`,
    },
  });
}

function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-llm-d-import-'));
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });

  cdk8sImport('k8s@1.35.0', tmp);
  fs.renameSync(path.join(tmp, 'k8s.ts'), path.join(out, 'k8s.ts'));

  for (const [name, files] of Object.entries(CRD_IMPORTS)) {
    const bundle = path.join(tmp, `${name}.yaml`);
    fs.writeFileSync(bundle, files.map((f) => fs.readFileSync(path.join(crds, f), 'utf8')).join('\n---\n'));
    const dir = fs.mkdtempSync(path.join(tmp, name + '-'));
    cdk8sImport(`${name}:=${bundle}`, dir);
    const generated = fs.readdirSync(dir).filter((f) => f.endsWith('.ts'));
    if (generated.length !== 1) throw new Error(`expected one module for ${name}, got ${generated.join(', ')}`);
    fs.renameSync(path.join(dir, generated[0]), path.join(out, `${name}.ts`));
  }

  writeVllmFlags();
  copyCrdAssets();
  fs.rmSync(tmp, { recursive: true, force: true });
  console.log(`generated ${fs.readdirSync(out).sort().join(', ')} in ${path.relative(root, out)}/`);
}

/** CRDs the Prerequisites construct installs, shipped in the package under assets/crds/. */
const CRD_ASSETS = [
  'gateway-api/gateway.networking.k8s.io_gatewayclasses.yaml',
  'gateway-api/gateway.networking.k8s.io_gateways.yaml',
  'gateway-api/gateway.networking.k8s.io_httproutes.yaml',
  'gateway-api/gateway.networking.k8s.io_grpcroutes.yaml',
  'gateway-api/gateway.networking.k8s.io_referencegrants.yaml',
  'gateway-api/gateway.networking.k8s.io_backendtlspolicies.yaml',
  'gateway-api-inference-extension/inference.networking.k8s.io_inferencepools.yaml',
  'gateway-api-inference-extension/legacy/v1.4.0/inference.networking.x-k8s.io_inferencepools.yaml',
  'llm-d-router/llm-d.ai_inferenceobjectives.yaml',
  'llm-d-router/llm-d.ai_inferencemodelrewrites.yaml',
  'lws/leaderworkerset.x-k8s.io_leaderworkersets.yaml',
];

/** KServe CRDs the CLI's `check` validates LLMInferenceService documents against, shipped under assets/kserve/. */
const KSERVE_CRD_ASSETS = ['serving.kserve.io_llminferenceservices.yaml', 'serving.kserve.io_llminferenceserviceconfigs.yaml'];

function copyCrdAssets() {
  const dest = path.join(root, 'assets', 'crds');
  fs.rmSync(dest, { recursive: true, force: true });
  for (const rel of CRD_ASSETS) {
    const to = path.join(dest, rel);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(path.join(crds, rel), to);
  }
  const kserve = path.join(root, 'assets', 'kserve');
  fs.rmSync(kserve, { recursive: true, force: true });
  fs.mkdirSync(kserve, { recursive: true });
  for (const f of KSERVE_CRD_ASSETS) fs.copyFileSync(path.join(root, 'imports', 'reference', 'kserve', 'crds', f), path.join(kserve, f));
}

function writeVllmFlags() {
  const src = JSON.parse(fs.readFileSync(path.join(root, 'imports', 'vllm', 'serve-flags.json'), 'utf8'));
  const rows = (src.flags as any[])
    .filter((f) => !f.positional)
    .map((f) => {
      const row: Record<string, unknown> = { flag: f.flag, kind: f.kind };
      if (f.type) row.type = f.type;
      if (f.choices) row.choices = f.choices;
      if (f.short) row.short = f.short;
      if (f.negation) row.negation = f.negation;
      if (f.nargs) row.nargs = f.nargs;
      if (f.repeatable) row.repeatable = true;
      return row;
    })
    .sort((a, b) => String(a.flag).localeCompare(String(b.flag)));
  const body = [
    '// Generated by scripts/import.ts from imports/vllm/serve-flags.json. Do not edit by hand.',
    '/* eslint-disable */',
    '',
    '/** One `vllm serve` option. */',
    'export interface VllmFlagSpec {',
    '  readonly flag: string;',
    "  readonly kind: 'bool' | 'switch' | 'value';",
    '  readonly type?: string;',
    '  readonly choices?: readonly (string | number)[];',
    '  readonly short?: readonly string[];',
    '  readonly negation?: string;',
    '  readonly nargs?: string;',
    '  readonly repeatable?: boolean;',
    '}',
    '',
    `/** The vLLM release the table describes. */`,
    `export const VLLM_FLAGS_RELEASE = ${JSON.stringify(src.release.tag)};`,
    '',
    `/** Every \`vllm serve\` option of ${src.release.tag} (${rows.length} options). */`,
    'export const VLLM_SERVE_FLAGS: readonly VllmFlagSpec[] = [',
    ...rows.map((r) => `  ${JSON.stringify(r)},`),
    '];',
    '',
  ].join('\n');
  fs.writeFileSync(path.join(out, 'vllm-serve-flags.ts'), body);
}

main();
