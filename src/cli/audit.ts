/**
 * Checks of the rendered objects against the input, after the translation: every value of the input's `main`
 * container (resources, literal env, image) must reach the rendered serving container unchanged, or be reported;
 * and the image must be the vLLM release whose flags were checked.
 */
import { isPlainObject } from '../kserve/merge';
import { KServeMode } from '../kserve/status';
import { MAIN_CONTAINER } from '../serving/model-server';
import { Versions } from '../versions';
import { ResourceNames } from '../wiring/names';

/** One warning of the audit. */
export interface AuditWarning {
  readonly field: string;
  readonly message: string;
  readonly fix?: string;
}

/** What the audit reads. */
export interface AuditInput {
  readonly name: string;
  readonly mode: KServeMode;
  /** The spec after merging baseRefs and rendering template variables. */
  readonly mergedSpec: Record<string, any>;
  /** The synthesized objects of the service. */
  readonly objects: readonly Record<string, any>[];
  /** The translation's own warnings: a value they already report is not reported again. */
  readonly warnings: readonly string[];
  readonly allowUnknownFlags: boolean;
}

interface Workload {
  /** YAML path of the input's main container, e.g. `spec.prefill.template.containers[main]`. */
  readonly at: string;
  /** The input pod spec. */
  readonly pod: Record<string, any>;
  /** The rendered pod spec. */
  readonly rendered?: Record<string, any>;
}

/** Audit one rendered service. */
export function auditRendered(input: AuditInput): AuditWarning[] {
  const out: AuditWarning[] = [];
  const images = new Set<string>();
  for (const w of workloads(input)) {
    const main = containerNamed(w.pod, MAIN_CONTAINER);
    const rendered = w.rendered ? containerNamed(w.rendered, MAIN_CONTAINER) : undefined;
    if (!rendered) continue;
    auditScheduling(w, out);
    const reported = (what: string) => input.warnings.some((m) => m.startsWith(`${w.at}${what}`));
    if (main) {
      auditResources(w.at, main, rendered, reported, out);
      auditEnv(w.at, main, rendered, reported, out);
    }
    const image = imageCheck(w.at, main, rendered, input.allowUnknownFlags);
    // One warning per image: a worker or prefill pod running the same image is the same problem.
    if (image && !images.has(rendered.image)) out.push(image);
    images.add(rendered.image);
  }
  return out;
}

/** The input pod specs (`template`; `worker` is a pod spec itself) and the rendered pod specs they became. */
function workloads(input: AuditInput): Workload[] {
  const n = ResourceNames.of(input.name);
  const spec = input.mergedSpec;
  const find = (kind: string, name: string) => input.objects.find((o) => o.kind === kind && o.metadata?.name === name);
  const pod = (v: unknown) => (isPlainObject(v) ? v : {});
  const role = (base: string, w: unknown, deployment: string, lwsName: string): Workload[] => {
    if (!isPlainObject(w)) return [];
    const at = `${base}.template.containers[main]`;
    if (w.worker === undefined || w.worker === null) return [{ at, pod: pod(w.template), rendered: find('Deployment', deployment)?.spec?.template?.spec }];
    const lws = find('LeaderWorkerSet', lwsName)?.spec?.leaderWorkerTemplate ?? {};
    return [
      { at, pod: pod(w.template), rendered: (lws.leaderTemplate ?? lws.workerTemplate)?.spec },
      { at: `${base}.worker.containers[main]`, pod: pod(w.worker), rendered: lws.workerTemplate?.spec },
    ];
  };
  const pd = input.mode === KServeMode.PREFILL_DECODE || input.mode === KServeMode.PREFILL_DECODE_MULTI_NODE;
  return [
    ...role('spec', spec, n.mainDeployment, n.mainLeaderWorkerSet),
    ...(pd ? role('spec.prefill', spec.prefill, n.prefillDeployment, n.prefillLeaderWorkerSet) : []),
  ];
}

/** Node selector entries and tolerations of the input pod must reach the rendered pod. */
function auditScheduling(w: Workload, out: AuditWarning[]): void {
  const pod = w.at.replace(/\.containers\[main\]$/, '');
  const rendered = w.rendered ?? {};
  const selector = isPlainObject(w.pod.nodeSelector) ? w.pod.nodeSelector : {};
  const got = isPlainObject(rendered.nodeSelector) ? rendered.nodeSelector : {};
  for (const [k, v] of Object.entries(selector)) {
    if (got[k] === undefined) out.push({ field: `${pod}.nodeSelector["${k}"]`, message: `${JSON.stringify(v)} is dropped: the rendered pod has no such node selector` });
    else if (String(got[k]) !== String(v)) out.push({ field: `${pod}.nodeSelector["${k}"]`, message: `${JSON.stringify(v)} is changed to ${JSON.stringify(got[k])} in the rendered pod` });
  }
  const tolerations: any[] = Array.isArray(w.pod.tolerations) ? w.pod.tolerations : [];
  const renderedTolerations: any[] = Array.isArray(rendered.tolerations) ? rendered.tolerations : [];
  const same = (a: any, b: any) => ['key', 'operator', 'value', 'effect'].every((f) => (a?.[f] ?? '') === (b?.[f] ?? '') || (f === 'operator' && (a?.[f] ?? 'Equal') === (b?.[f] ?? 'Equal')));
  tolerations.forEach((t, i) => {
    if (!renderedTolerations.some((r) => same(t, r))) {
      out.push({ field: `${pod}.tolerations[${i}]`, message: `${JSON.stringify(t)} is dropped or changed: the rendered pod has no equal toleration` });
    }
  });
}

function containerNamed(pod: Record<string, any>, name: string): Record<string, any> | undefined {
  const cs = Array.isArray(pod?.containers) ? pod.containers : [];
  return cs.find((c: any) => isPlainObject(c) && c.name === name);
}

function auditResources(at: string, main: Record<string, any>, rendered: Record<string, any>, reported: (what: string) => boolean,
  out: AuditWarning[]): void {
  const res = isPlainObject(main.resources) ? main.resources : {};
  for (const kind of ['requests', 'limits'] as const) {
    const given = isPlainObject(res[kind]) ? res[kind] : {};
    const got = isPlainObject(rendered.resources?.[kind]) ? rendered.resources[kind] : {};
    for (const [key, value] of Object.entries(given)) {
      if (reported(`.resources ${key}`) || reported(`.resources.${key}`)) continue;
      const field = `${at}.resources.${kind}.${key}`;
      if (got[key] === undefined) {
        out.push({ field, message: `${value} is dropped: the rendered container has no ${kind}.${key}`, fix: dropFix(kind, key) });
      } else if (!sameQuantity(value, got[key])) {
        out.push({ field, message: `${value} is changed to ${got[key]} in the rendered container`, fix: `set ${at}.resources.${kind}.${key} to ${got[key]} to make the input say what is deployed` });
      }
    }
  }
}

function dropFix(kind: string, key: string): string {
  if (key === 'cpu' && kind === 'limits') return 'remove it (the library sets a CPU request and no CPU limit, so the container is not throttled)';
  return `remove it, or add ${kind}.${key} to the rendered YAML afterwards (e.g. a kustomize patch)`;
}

function auditEnv(at: string, main: Record<string, any>, rendered: Record<string, any>, reported: (what: string) => boolean,
  out: AuditWarning[]): void {
  const env: any[] = Array.isArray(main.env) ? main.env : [];
  const got = new Map<string, any>((Array.isArray(rendered.env) ? rendered.env : []).map((e: any) => [e?.name, e]));
  env.forEach((e, i) => {
    if (!isPlainObject(e) || typeof e.name !== 'string' || e.valueFrom !== undefined || e.name === 'VLLM_ADDITIONAL_ARGS') return;
    if (reported(`.env[${i}]`) || reported(`.env ${e.name}`)) return;
    const field = `${at}.env[${i}]`;
    const r = got.get(e.name);
    const value = e.value === undefined || e.value === null ? '' : String(e.value);
    if (r === undefined) {
      out.push({ field, message: `${e.name}=${JSON.stringify(value)} is dropped: the rendered container has no ${e.name}`, fix: 'remove it, or add it to the rendered YAML afterwards (e.g. a kustomize patch)' });
    } else if (r.valueFrom === undefined && String(r.value ?? '') !== value) {
      out.push({ field, message: `${e.name}=${JSON.stringify(value)} is changed to ${JSON.stringify(String(r.value ?? ''))} in the rendered container`, fix: `remove ${e.name} from the input; the library sets it` });
    }
  });
}

/** Vendors' builds of the pinned release are not recognised: only the upstream images are (with or without docker.io/). */
const CHECKED_IMAGES = [Versions.VLLM_IMAGE, Versions.VLLM_CPU_IMAGE];
const SIMULATOR_REPOSITORY = repository(Versions.SIMULATOR_IMAGE);

function imageCheck(at: string, main: Record<string, any> | undefined, rendered: Record<string, any>,
  allowUnknownFlags: boolean): AuditWarning | undefined {
  const image = typeof rendered.image === 'string' ? rendered.image : '';
  if (image === '' || repository(image) === SIMULATOR_REPOSITORY || /inference-sim/.test(image)) return undefined;
  if (CHECKED_IMAGES.includes(normalise(image))) return undefined;
  const given = typeof main?.image === 'string';
  return {
    field: `${at}.image`,
    message: `${image}${given ? '' : ' (the default of KServe\'s presets)'} is not vLLM ${Versions.VLLM} (${Versions.VLLM_IMAGE}), the release whose flags were checked`
      + (allowUnknownFlags ? '; --allow-unknown-flags lets flags missing from that table through unchecked' : '; a flag this image has and that release lacks is refused, and the reverse is not caught'),
    fix: `set ${at}.image to ${Versions.VLLM_IMAGE} (or ${Versions.VLLM_CPU_IMAGE}), or check the flags against this image's \`vllm serve --help\``,
  };
}

function normalise(image: string): string {
  return image.replace(/^(?:docker\.io|index\.docker\.io)\//, '').replace(/^library\//, '');
}

function repository(image: string): string {
  return normalise(image).replace(/[:@].*$/, '');
}

const QUANTITY = /^([0-9.]+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const FACTORS: Record<string, number> = {
  '': 1,
  'm': 1e-3,
  'k': 1e3,
  'M': 1e6,
  'G': 1e9,
  'T': 1e12,
  'P': 1e15,
  'E': 1e18,
  'Ki': 2 ** 10,
  'Mi': 2 ** 20,
  'Gi': 2 ** 30,
  'Ti': 2 ** 40,
  'Pi': 2 ** 50,
  'Ei': 2 ** 60,
};

function sameQuantity(a: unknown, b: unknown): boolean {
  const qa = QUANTITY.exec(String(a));
  const qb = QUANTITY.exec(String(b));
  if (!qa || !qb) return String(a) === String(b);
  return Math.abs(Number(qa[1]) * FACTORS[qa[2] ?? ''] - Number(qb[1]) * FACTORS[qb[2] ?? '']) < 1e-9;
}
