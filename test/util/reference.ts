/**
 * Normalised features of a set of manifests, for comparing what the library synthesizes with a reference
 * render "modulo names": object kinds, the roles of pods (model server, EPP), their container and probe ports,
 * flag sets, the EPP plugin/profile graph and the pool spec.
 */
import * as path from 'path';
import { loadYamlDocuments } from '../harness/yaml';

export const REFERENCE_DIR = path.join(__dirname, '..', '..', 'imports', 'reference');

/** Load a vendored reference render. */
export function loadReference(relative: string): any[] {
  return loadYamlDocuments(path.join(REFERENCE_DIR, relative));
}

/** Pod templates of Deployments/LWS with their owner. */
export function podTemplates(objs: any[]): { owner: any; spec: any; labels: Record<string, string> }[] {
  const out: { owner: any; spec: any; labels: Record<string, string> }[] = [];
  for (const o of objs) {
    if (o.kind === 'Deployment' || o.kind === 'StatefulSet') out.push({ owner: o, spec: o.spec.template.spec, labels: o.spec.template.metadata?.labels ?? {} });
    if (o.kind === 'LeaderWorkerSet') {
      const t = o.spec.leaderWorkerTemplate;
      if (t.leaderTemplate) out.push({ owner: o, spec: t.leaderTemplate.spec, labels: t.leaderTemplate.metadata?.labels ?? {} });
      out.push({ owner: o, spec: t.workerTemplate.spec, labels: t.workerTemplate.metadata?.labels ?? {} });
    }
  }
  return out;
}

/** The EPP container (the container running the endpoint-picker image). */
export function eppContainer(objs: any[]): any {
  for (const t of podTemplates(objs)) {
    const c = (t.spec.containers ?? []).find((x: any) => /endpoint-picker|inference-scheduler|\/epp:/.test(x.image ?? ''));
    if (c) return c;
  }
  throw new Error('no EPP container');
}

/** Model-server containers (vLLM or the simulator), by llm-d.ai/role of their pod. */
export function modelServers(objs: any[]): { role: string; container: any; pod: any }[] {
  const out: { role: string; container: any; pod: any }[] = [];
  for (const t of podTemplates(objs)) {
    for (const c of t.spec.containers ?? []) {
      const text = [...(c.command ?? []), ...(c.args ?? [])].join(' ');
      if (/vllm serve|vllm-openai|llm-d-cuda|inference-sim/.test(`${c.image} ${text}`) && !/launch render/.test(text)) {
        out.push({ role: t.labels['llm-d.ai/role'] ?? 'none', container: c, pod: t.spec });
      }
    }
  }
  return out;
}

/** Names of the flags in an argument list (`--a=b` and `--a b` both give `--a`). */
export function flagNames(args: string[] = []): string[] {
  return [...new Set(args.filter((a) => a.startsWith('--')).map((a) => a.split('=')[0]))].sort();
}

/** Declared container port numbers. */
export function containerPorts(c: any): number[] {
  return (c.ports ?? []).map((p: any) => p.containerPort).sort((a: number, b: number) => a - b);
}

/** Ports probes use, resolved through port names. */
export function probePorts(c: any): number[] {
  const byName = new Map<string, number>((c.ports ?? []).map((p: any) => [p.name, p.containerPort]));
  const out = new Set<number>();
  for (const p of [c.livenessProbe, c.readinessProbe, c.startupProbe]) {
    const port = p?.httpGet?.port ?? p?.grpc?.port ?? p?.tcpSocket?.port;
    if (port !== undefined) out.add(typeof port === 'number' ? port : byName.get(port) ?? NaN);
  }
  return [...out].sort((a, b) => a - b);
}

/** The EndpointPickerConfig the EPP reads (ConfigMap key named by --config-file). */
export function eppConfig(objs: any[]): any {
  const epp = eppContainer(objs);
  const args: string[] = epp.args ?? [];
  const i = args.findIndex((a) => a === '--config-file' || a.startsWith('--config-file='));
  const file = args[i].includes('=') ? args[i].split('=')[1] : args[i + 1];
  const key = path.basename(file);
  const cm = objs.find((o) => o.kind === 'ConfigMap' && o.data?.[key] !== undefined);
  return loadYamlDocuments(cm.data[key])[0];
}

/** Plugin types, profile → [pluginRef type, weight] graph of a config. */
export function pluginGraph(config: any): { types: string[]; profiles: Record<string, [string, number | undefined][]> } {
  const typeOf = new Map<string, string>((config.plugins ?? []).map((p: any) => [p.name ?? p.type, p.type]));
  const profiles: Record<string, [string, number | undefined][]> = {};
  for (const p of config.schedulingProfiles ?? []) {
    profiles[p.name] = (p.plugins ?? [])
      .map((r: any): [string, number | undefined] => [typeOf.get(r.pluginRef) ?? r.pluginRef, r.weight === undefined ? undefined : Number(r.weight)])
      .sort((a: [string, number | undefined], b: [string, number | undefined]) => a[0].localeCompare(b[0]));
  }
  const types: string[] = [...new Set<string>((config.plugins ?? []).map((p: any) => String(p.type)))].sort();
  return { types, profiles };
}

/** Pool spec without names. */
export function poolShape(objs: any[]): any {
  const pool = objs.find((o) => o.kind === 'InferencePool' && o.apiVersion === 'inference.networking.k8s.io/v1');
  return {
    targetPorts: pool.spec.targetPorts,
    endpointPickerPort: pool.spec.endpointPickerRef.port,
    failureMode: pool.spec.endpointPickerRef.failureMode,
    selectorKeys: Object.keys(pool.spec.selector.matchLabels).length,
  };
}
