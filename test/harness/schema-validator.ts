/**
 * Offline Kubernetes validation harness for tests: the library's validator (src/validation/manifest-validator.ts)
 * over every vendored input in `imports/` — the Kubernetes 1.35 OpenAPI v3 documents, cdk8s's
 * `_definitions.json` (fallback for core kinds missing from the OpenAPI v3 files), every pinned CRD, and the JSON
 * schemas of the @kubernetes-models packages for Istio, GKE, KEDA and Prometheus-operator kinds. The library itself
 * ships only the compact subset for the kinds it emits (assets/validation/schemas.json); the tests check the two
 * agree.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { ManifestValidator, normalizeCrd, NormalizedCrd } from '../../src/validation/manifest-validator';

export { escapeCelPropertyName, formatIssues } from '../../src/validation/manifest-validator';
export type { RuleCoverage, UnsupportedRule, ValidationIssue } from '../../src/validation/manifest-validator';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const IMPORTS = path.join(REPO_ROOT, 'imports');
const OPENAPI_DIR = path.join(IMPORTS, 'kubernetes', 'openapi-v3', 'v1.35');
const DEFINITIONS_FILE = path.join(IMPORTS, 'kubernetes', 'cdk8s-definitions', 'v1.35.0', '_definitions.json');
const CRD_DIR = path.join(IMPORTS, 'crds');
const NORMALIZER_SOURCE = path.join(REPO_ROOT, 'src', 'validation', 'manifest-validator.ts');

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true })
    .flatMap(e => e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)])
    .sort();
}

let sourceHash: string | undefined;
function normalizerHash(): string {
  if (sourceHash === undefined) {
    const h = crypto.createHash('sha256');
    for (const f of [__filename, NORMALIZER_SOURCE]) {
      try {
        h.update(fs.readFileSync(f, 'utf8'));
      } catch {
        h.update('no-source');
      }
    }
    sourceHash = h.digest('hex');
  }
  return sourceHash;
}

/** Parses a CRD file into normalized per-version schemas (cached on disk by content hash; YAML parsing is slow). */
export function loadNormalizedCrds(file: string): NormalizedCrd[] {
  const text = fs.readFileSync(file, 'utf8');
  const useCache = !process.env.K8S_HARNESS_NO_CACHE;
  const hash = crypto.createHash('sha256').update(normalizerHash()).update('\0').update(text).digest('hex').slice(0, 32);
  const cacheFile = path.join(os.tmpdir(), 'cdk8s-llm-d-schema-harness', `${hash}.json`);
  if (useCache) {
    try {
      return JSON.parse(fs.readFileSync(cacheFile, 'utf8'));
    } catch {
      // not cached yet
    }
  }
  const out = Array.from(YAML.parseAllDocuments(text) as Iterable<YAML.Document.Parsed>).flatMap(d => normalizeCrd(d.toJS()));
  if (useCache) {
    try {
      fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
      const tmp = `${cacheFile}.${process.pid}.${Math.random().toString(36).slice(2)}`;
      fs.writeFileSync(tmp, JSON.stringify(out));
      fs.renameSync(tmp, cacheFile);
    } catch {
      // caching is best effort
    }
  }
  return out;
}

/** API group -> pinned devDependency that ships the group's JSON schemas. */
const PROVIDER_MODEL_PACKAGES: Record<string, string | undefined> = {
  'networking.istio.io': '@kubernetes-models/istio',
  'networking.gke.io': '@kubernetes-models/gke',
  'keda.sh': '@kubernetes-models/keda',
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
};

/**
 * Istio, GKE, KEDA and Prometheus-operator kinds are validated with the JSON schemas shipped in the @kubernetes-models packages
 * (pinned devDependencies); returns a validation function, or undefined for other groups.
 */
function providerModel(apiVersion: string, kind: string): ((obj: any) => string | undefined) | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const pkg = PROVIDER_MODEL_PACKAGES[group];
  if (!pkg || !/^[A-Za-z0-9]+$/.test(kind) || !/^v[0-9a-z]+$/.test(version)) return undefined;
  let model: (new (o: any) => { validate(): void }) | undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    model = require(`${pkg}/${group}/${version}`)[kind];
  } catch {
    return undefined;
  }
  if (!model) return undefined;
  const Model = model;
  return (obj) => {
    try {
      new Model(obj).validate();
      return undefined;
    } catch (e: any) {
      return `${e?.message ?? e}`;
    }
  };
}

/** The vendored CRD files, pre-scanned for their group and kinds; parsed on demand. */
function crdLoader(): (group: string, kind: string, all: boolean) => NormalizedCrd[] {
  const allFiles = listFiles(CRD_DIR).filter(f => /\.ya?ml$/.test(f) && !f.split(path.sep).includes('non-crd'));
  const byGroupKind = new Map<string, string[]>();
  for (const file of allFiles) {
    const text = fs.readFileSync(file, 'utf8');
    const groups = Array.from(text.matchAll(/^ {2}group: *"?([^\s"]+)"?\s*$/gm), m => m[1]);
    const kinds = Array.from(text.matchAll(/^ {4}kind: *"?([^\s"]+)"?\s*$/gm), m => m[1]);
    for (const g of groups) {
      for (const k of kinds) {
        const key = `${g}/${k}`;
        byGroupKind.set(key, [...(byGroupKind.get(key) ?? []), file]);
      }
    }
  }
  const parsed = new Set<string>();
  const load = (files: string[]) => files.filter(f => !parsed.has(f)).flatMap(f => {
    parsed.add(f);
    return loadNormalizedCrds(f);
  });
  return (group, kind, all) => load(all ? allFiles : byGroupKind.get(`${group}/${kind}`) ?? []);
}

/** The library's validator over every vendored input of this repo. */
export class SchemaValidator extends ManifestValidator {
  /** Lazily created shared instance (one per jest test file / module registry). */
  public static get(): SchemaValidator {
    if (!SchemaValidator.instance) SchemaValidator.instance = new SchemaValidator();
    return SchemaValidator.instance;
  }

  private static instance: SchemaValidator | undefined;

  private constructor() {
    const openapi: Record<string, Record<string, any>> = {};
    for (const file of listFiles(OPENAPI_DIR).filter(f => f.endsWith('_openapi.json'))) {
      openapi[`k8s:${path.basename(file)}`] = JSON.parse(fs.readFileSync(file, 'utf8')).components?.schemas ?? {};
    }
    super({
      openapi,
      definitions: JSON.parse(fs.readFileSync(DEFINITIONS_FILE, 'utf8')).definitions,
      loadCrds: crdLoader(),
      fallback: providerModel,
    });
  }
}
