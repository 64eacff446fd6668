/**
 * Part of `npm run import`: the compact schema set the library validates its objects against at synth time
 * (assets/validation/schemas.json, shipped in the package). Only the kinds the library emits: their OpenAPI v3
 * component schemas and everything they reference (descriptions removed), and their CRDs normalized by the
 * validator's own `normalizeCrd`. CRD files are taken in the order the test harness takes them (sorted, first
 * file of a group/version/kind wins), so both validate against the same schema.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { CORE_DOC, normalizeCrd, NormalizedCrd, schemaClosure } from '../src/validation/manifest-validator';

/** OpenAPI v3 document → kinds of it the library emits. */
export const OPENAPI_KINDS: Record<string, string[]> = {
  'api__v1_openapi.json': ['ConfigMap', 'Namespace', 'PersistentVolumeClaim', 'Secret', 'Service', 'ServiceAccount'],
  'apis__apps__v1_openapi.json': ['Deployment', 'StatefulSet'],
  'apis__autoscaling__v2_openapi.json': ['HorizontalPodAutoscaler'],
  'apis__networking.k8s.io__v1_openapi.json': ['NetworkPolicy'],
  'apis__policy__v1_openapi.json': ['PodDisruptionBudget'],
  'apis__rbac.authorization.k8s.io__v1_openapi.json': ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'],
  'apis__apiextensions.k8s.io__v1_openapi.json': ['CustomResourceDefinition'],
};

/**
 * Core kinds the library emits that have no OpenAPI v3 file in `imports/kubernetes/openapi-v3/v1.35/`: taken from the
 * Kubernetes 1.35.0 swagger definitions (`imports/kubernetes/cdk8s-definitions/v1.35.0/_definitions.json`).
 */
export const DEFINITION_KINDS = ['io.k8s.api.resource.v1.ResourceClaimTemplate'];

/** `group/Kind` of the custom resources the library emits (every served version is kept). */
export const CRD_KINDS = [
  'cert-manager.io/Certificate',
  'gateway.networking.k8s.io/BackendTLSPolicy',
  'gateway.networking.k8s.io/Gateway',
  'gateway.networking.k8s.io/GatewayClass',
  'gateway.networking.k8s.io/HTTPRoute',
  'gateway.networking.k8s.io/ReferenceGrant',
  'inference.networking.k8s.io/InferencePool',
  'inference.networking.x-k8s.io/InferencePool',
  'leaderworkerset.x-k8s.io/LeaderWorkerSet',
  'llm-d.ai/InferenceModelRewrite',
  'llm-d.ai/InferenceObjective',
  'llmd.ai/VariantAutoscaling',
  'monitoring.googleapis.com/PodMonitoring',
];

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .sort();
}

/** Write assets/validation/schemas.json; returns its size in bytes. */
export function writeValidationSchemas(root: string): number {
  const openapiDir = path.join(root, 'imports', 'kubernetes', 'openapi-v3', 'v1.35');
  const openapi: Record<string, Record<string, any>> = {};
  for (const [file, kinds] of Object.entries(OPENAPI_KINDS)) {
    const schemas: Record<string, any> = JSON.parse(fs.readFileSync(path.join(openapiDir, file), 'utf8')).components.schemas;
    const roots = Object.keys(schemas).filter((name) => (schemas[name]['x-kubernetes-group-version-kind'] ?? [])
      .some((g: any) => kinds.includes(g.kind) && name.endsWith(`.${g.kind}`)));
    const missing = kinds.filter((k) => !roots.some((r) => r.endsWith(`.${k}`)));
    if (missing.length) throw new Error(`${file} has no schema for ${missing.join(', ')}`);
    const id = `k8s:${file}`;
    if (id === CORE_DOC) roots.push('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
    openapi[id] = schemaClosure(schemas, roots);
  }
  const crds: NormalizedCrd[] = [];
  const keys = new Set<string>();
  const crdDir = path.join(root, 'imports', 'crds');
  for (const file of listFiles(crdDir).filter((f) => /\.ya?ml$/.test(f) && !f.split(path.sep).includes('non-crd'))) {
    const text = fs.readFileSync(file, 'utf8');
    if (!CRD_KINDS.some((gk) => text.includes(`group: ${gk.split('/')[0]}`) && text.includes(`kind: ${gk.split('/')[1]}`))) continue;
    for (const doc of YAML.parseAllDocuments(text)) {
      for (const c of normalizeCrd(doc.toJS())) {
        const [group, , kind] = c.key.split('/');
        if (keys.has(c.key) || !CRD_KINDS.includes(`${group}/${kind}`)) continue;
        keys.add(c.key);
        crds.push(c);
      }
    }
  }
  const missing = CRD_KINDS.filter((gk) => ![...keys].some((k) => k.startsWith(gk.split('/')[0] + '/') && k.endsWith('/' + gk.split('/')[1])));
  if (missing.length) throw new Error(`no CRD for ${missing.join(', ')}`);
  const defsFile = path.join(root, 'imports', 'kubernetes', 'cdk8s-definitions', 'v1.35.0', '_definitions.json');
  const swagger: Record<string, any> = JSON.parse(JSON.stringify(JSON.parse(fs.readFileSync(defsFile, 'utf8')).definitions)
    .replace(/"#\/definitions\//g, '"#/components/schemas/'));
  const missingDefs = DEFINITION_KINDS.filter((k) => !(k in swagger));
  if (missingDefs.length) throw new Error(`_definitions.json has no ${missingDefs.join(', ')}`);
  const definitions = schemaClosure(swagger, DEFINITION_KINDS);
  const text = JSON.stringify({ openapi, definitions, crds });
  const dest = path.join(root, 'assets', 'validation', 'schemas.json');
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.writeFileSync(dest, text + '\n');
  return text.length;
}

if (require.main === module) {
  const bytes = writeValidationSchemas(path.resolve(__dirname, '..'));
  console.log(`generated assets/validation/schemas.json (${(bytes / 1024).toFixed(0)} KiB)`);
}
