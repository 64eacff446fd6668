/**
 * `npm run import`: regenerates src/imports/ from the pinned inputs in imports/ without network access.
 *
 * - Kubernetes 1.35 and the CRDs go through `cdk8s import` (the k8s download is redirected to the vendored
 *   `_definitions.json` by scripts/cdk8s-offline.js).
 * - the schemas of the kinds the library emits become assets/validation/schemas.json (scripts/validation-schemas.ts),
 *   what the synth-time validation and the CLI's `validate` check against.
 * - imports/vllm/serve-flags.json becomes src/imports/vllm-serve-flags.ts, the flag table the engine validates against.
 * - imports/sglang/server-args.json (SGLang's server flags, read once from its `server_args.py` by
 *   scripts/sglang-flags.ts) becomes src/imports/sglang-server-flags.ts.
 * - the vendored Go option files of the llm-d router (imports/llm-d-router/<tag>/) and controller-runtime's zap flags
 *   (imports/controller-runtime/<tag>/) become src/imports/llm-d-router-flags.ts: the flags of the routing sidecar and
 *   of the EPP, read from their pflag registrations (`fs.<Type>Var[P](&x, name, ...)`, `fs.MarkDeprecated(name, msg)`).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeSglangFlags } from './sglang-flags';
import { writeValidationSchemas } from './validation-schemas';

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

/**
 * The Kubernetes API objects whose generated types the library's code uses (`k8s.X` in src/): the kinds it creates
 * through their generated classes, and the kinds whose structs it types its objects with (Deployment: DeploymentSpec,
 * PodSpec, Container, …; Service: ServiceSpec; Role: PolicyRule). Only these and what they reference are generated
 * (the compiled src/imports/k8s.ts is loaded by every process that loads the library; all of Kubernetes 1.35 was
 * 700 kB of it). Using another `k8s.X` fails to compile until its kind is added here.
 */
const K8S_ROOTS = [
  'io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler',
  'io.k8s.api.networking.v1.NetworkPolicy',
  'io.k8s.api.policy.v1.PodDisruptionBudget',
  'io.k8s.api.resource.v1.ResourceClaimTemplate',
  'io.k8s.api.apps.v1.Deployment',
  'io.k8s.api.core.v1.Service',
  'io.k8s.api.rbac.v1.Role',
];

/** The vendored `_definitions.json` cut to {@link K8S_ROOTS} and what they reference, in a schema dir of `tmp`. */
function k8sDefinitionsSubset(version: string, tmp: string): string {
  const file = path.join(root, 'imports', 'kubernetes', 'cdk8s-definitions', `v${version}`, '_definitions.json');
  const schema = JSON.parse(fs.readFileSync(file, 'utf8'));
  const keep = new Set<string>();
  const visit = (name: string): void => {
    if (keep.has(name)) return;
    if (!(name in schema.definitions)) throw new Error(`${name} is not a definition of ${file}`);
    keep.add(name);
    const refs = (n: any): void => {
      if (Array.isArray(n)) n.forEach(refs);
      else if (n && typeof n === 'object') {
        for (const [k, v] of Object.entries(n)) {
          if (k === '$ref' && typeof v === 'string') visit(v.replace(/^#\/definitions\//, ''));
          else refs(v);
        }
      }
    };
    refs(schema.definitions[name]);
  };
  K8S_ROOTS.forEach(visit);
  const dir = path.join(tmp, 'k8s-schemas');
  fs.mkdirSync(path.join(dir, `v${version}`), { recursive: true });
  const definitions = Object.fromEntries(Object.keys(schema.definitions).filter((n) => keep.has(n)).map((n) => [n, schema.definitions[n]]));
  fs.writeFileSync(path.join(dir, `v${version}`, '_definitions.json'), JSON.stringify({ ...schema, definitions }));
  return dir;
}

function cdk8sImport(spec: string, cwd: string, schemas = path.join(root, 'imports', 'kubernetes', 'cdk8s-definitions')) {
  const bin = path.join(root, 'node_modules', '.bin', 'cdk8s');
  execFileSync(bin, ['import', '--no-check-upgrade', '-l', 'typescript', '-o', cwd, spec], {
    stdio: 'inherit',
    env: {
      ...process.env,
      CDK8S_LOCAL_SCHEMAS: schemas,
      NODE_OPTIONS: `--require ${path.join(root, 'scripts', 'cdk8s-offline.js')}`,
    },
  });
}

function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-llm-d-import-'));
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });

  cdk8sImport('k8s@1.35.0', tmp, k8sDefinitionsSubset('1.35.0', tmp));
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
  writeSglangFlags(root);
  writeRouterFlags();
  copyCrdAssets();
  writeValidationSchemas(root);
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


/** The pinned llm-d router release and the controller-runtime release its go.mod requires (zap flags). */
const LLM_D_ROUTER_TAG = 'v0.10.0';
const CONTROLLER_RUNTIME_TAG = 'v0.23.3';
const ROUTER_DIR = path.join(root, 'imports', 'llm-d-router', LLM_D_ROUTER_TAG);
const ZAP_FLAGS = path.join(root, 'imports', 'controller-runtime', CONTROLLER_RUNTIME_TAG, 'pkg', 'log', 'zap', 'zap.go');

/** Go source files whose pflag registrations make up each binary's command line. */
const ROUTER_BINARIES: Record<string, { constName: string; what: string; files: string[] }> = {
  sidecar: {
    constName: 'ROUTING_SIDECAR_FLAGS',
    what: 'routing (P/D disaggregation) sidecar `cmd/pd-sidecar`',
    files: [path.join(ROUTER_DIR, 'pkg/sidecar/proxy/options.go'), ZAP_FLAGS],
  },
  epp: {
    constName: 'EPP_FLAGS',
    what: 'Endpoint Picker `cmd/epp`',
    files: [path.join(ROUTER_DIR, 'pkg/epp/server/options.go'), path.join(ROUTER_DIR, 'pkg/common/observability/logging/options.go'), ZAP_FLAGS],
  },
};

/** pflag / flag registration type → value type ('' is `fs.Var`, a custom flag.Value taking a string). */
const GO_FLAG_TYPES: Record<string, string> = {
  '': 'str', 'String': 'str', 'Bool': 'bool', 'Int': 'int', 'Int64': 'int', 'Uint': 'int', 'Float64': 'float',
  'Duration': 'duration', 'StringSlice': 'list[str]', 'StringArray': 'list[str]', 'IntSlice': 'list[int]',
};

interface RouterFlagRow { flag: string; kind: 'bool' | 'value'; type: string; short?: string; deprecated?: string }

function goFlags(file: string): RouterFlagRow[] {
  const src = fs.readFileSync(file, 'utf8');
  const consts = new Map<string, string>();
  for (const m of src.matchAll(/^\s*(\w+)\s*=\s*"([^"]*)"\s*$/gm)) consts.set(m[1], m[2]);
  const name = (expr: string): string => {
    if (expr.startsWith('"')) return expr.slice(1, -1);
    const v = consts.get(expr);
    if (v === undefined) throw new Error(`${path.relative(root, file)}: flag name ${expr} is not a string constant`);
    return v;
  };
  const rows = new Map<string, RouterFlagRow>();
  const reg = /\bfs\.(\w*?)Var(P?)\(\s*&?[\w.]+\s*,\s*("[^"]*"|[A-Za-z_]\w*)\s*,(?:\s*("[^"]*")\s*,)?/g;
  for (const m of src.matchAll(reg)) {
    const type = GO_FLAG_TYPES[m[1]];
    if (type === undefined) throw new Error(`${path.relative(root, file)}: unknown flag registration fs.${m[1]}Var${m[2]}`);
    const flag = name(m[3]);
    const row: RouterFlagRow = { flag: `--${flag}`, kind: type === 'bool' ? 'bool' : 'value', type };
    if (m[2] === 'P' && m[4]) row.short = `-${m[4].slice(1, -1)}`;
    rows.set(flag, row);
  }
  for (const m of src.matchAll(/\bfs\.MarkDeprecated\(\s*("[^"]*"|[A-Za-z_]\w*)\s*,\s*"([^"]*)"/g)) {
    const row = rows.get(name(m[1]));
    if (!row) throw new Error(`${path.relative(root, file)}: MarkDeprecated of unregistered flag ${m[1]}`);
    row.deprecated = m[2];
  }
  return [...rows.values()];
}

function writeRouterFlags() {
  const tables = Object.values(ROUTER_BINARIES).map((b) => {
    const rows = new Map<string, RouterFlagRow>();
    for (const f of b.files) for (const r of goFlags(f)) rows.set(r.flag, r);
    const sorted = [...rows.values()].sort((a, c) => a.flag.localeCompare(c.flag));
    return [
      `/** Every flag of the llm-d router ${LLM_D_ROUTER_TAG} ${b.what} (${sorted.length} flags), from ${b.files.map((f) => path.relative(root, f)).join(', ')}. */`,
      `export const ${b.constName}: readonly RouterFlagSpec[] = [`,
      ...sorted.map((r) => `  ${JSON.stringify(r)},`),
      '];',
      '',
    ];
  });
  const body = [
    '// Generated by scripts/import.ts from imports/llm-d-router/ and imports/controller-runtime/. Do not edit by hand.',
    '/* eslint-disable */',
    '',
    '/** One command-line flag of an llm-d router binary (Go pflag). */',
    'export interface RouterFlagSpec {',
    '  /** `--long-name`. */',
    '  readonly flag: string;',
    "  /** `bool`: `--x` or `--x=true|false` (never `--x false`); `value`: `--x=v` or `--x v`. */",
    "  readonly kind: 'bool' | 'value';",
    "  /** str, bool, int, float, duration, list[str] or list[int]. */",
    '  readonly type: string;',
    '  /** Single-dash shorthand, e.g. `-v`. */',
    '  readonly short?: string;',
    '  /** Deprecation message of `fs.MarkDeprecated`: the flag still parses but is on its way out. */',
    '  readonly deprecated?: string;',
    '}',
    '',
    '/** The llm-d router release the tables describe. */',
    `export const LLM_D_ROUTER_FLAGS_RELEASE = ${JSON.stringify(LLM_D_ROUTER_TAG)};`,
    '',
    ...tables.flat(),
  ].join('\n');
  fs.writeFileSync(path.join(out, 'llm-d-router-flags.ts'), body);
}

main();
