/**
 * Every flag the library gives the llm-d router binaries is checked against the flag tables generated from the pinned
 * router release (src/imports/llm-d-router-flags.ts, from imports/llm-d-router/v0.10.0 and controller-runtime's zap
 * flags): unknown and deprecated flags fail, values must parse as the flag's type.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthExample, exampleNames } from '../scripts/examples';
import { LlmService, ModelSource, PrefillDecodePair, SchedulerConfig, Versions } from '../src';
import { loadYamlDocuments } from './harness/yaml';
import { synth, testChart } from './util/synth';
import { expectValid } from './util/validated';
import { EPP_FLAGS, LLM_D_ROUTER_FLAGS_RELEASE, RouterFlagSpec, ROUTING_SIDECAR_FLAGS } from '../src/imports/llm-d-router-flags';

/** Problems of an argument list under Go pflag parsing with `table`; empty when every flag is current and well-typed. */
function routerArgProblems(args: string[], table: readonly RouterFlagSpec[]): string[] {
  const problems: string[] = [];
  const byName = new Map(table.map((s) => [s.flag, s]));
  const byShort = new Map(table.filter((s) => s.short).map((s) => [s.short!, s]));
  for (let i = 0; i < args.length; i++) {
    const token = args[i];
    if (!token.startsWith('-')) {
      problems.push(`${token}: positional argument`);
      continue;
    }
    const eq = token.indexOf('=');
    const head = eq < 0 ? token : token.slice(0, eq);
    const spec = head.startsWith('--') ? byName.get(head) : byShort.get(head);
    if (!spec) {
      problems.push(`${head}: unknown flag`);
      continue;
    }
    if (spec.deprecated) problems.push(`${head}: deprecated (${spec.deprecated})`);
    let value: string | undefined = eq < 0 ? undefined : token.slice(eq + 1);
    if (spec.kind === 'bool') {
      if (value !== undefined && !/^(true|false|1|0|t|f|TRUE|FALSE|True|False)$/.test(value)) problems.push(`${head}=${value}: not a bool`);
      continue;
    }
    if (value === undefined) value = args[++i];
    if (value === undefined) {
      problems.push(`${head}: missing value`);
      continue;
    }
    const ok = {
      'int': /^-?\d+$/,
      'list[int]': /^-?\d+(,-?\d+)*$/,
      'float': /^-?\d+(\.\d+)?$/,
      'duration': /^([0-9.]+(ns|us|µs|ms|s|m|h))+$|^0$/,
    }[spec.type];
    if (ok && !ok.test(value)) problems.push(`${head} ${value}: not a ${spec.type}`);
  }
  return problems;
}

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-llm-d-router-flags-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

/** Every container of every pod template (and bare pod spec) in `objs`, init containers included. */
function containers(objs: any[]): any[] {
  const found: any[] = [];
  const visit = (o: any) => {
    if (!o || typeof o !== 'object') return;
    if (Array.isArray(o.containers)) found.push(...o.containers, ...(o.initContainers ?? []));
    for (const v of Object.values(o)) visit(v);
  };
  objs.forEach(visit);
  return found;
}
const isSidecar = (c: any) => c.name === 'llm-d-routing-sidecar';
const isEpp = (c: any) => c.name === 'epp';

/** Constructs that reach the branches of the sidecar and EPP args the examples do not. */
function extraObjects(): any[] {
  const chart = testChart(null);
  const model = ModelSource.huggingFace('Qwen/Qwen3-0.6B');
  new LlmService(chart, 'ha', {
    model,
    namespace: 'llm',
    scheduler: SchedulerConfig.sessionAffinity(),
    endpointPicker: { replicas: 2, metricsAuth: false },
  });
  // no namespace anywhere: the sidecar takes the pool namespace from the downward API
  new PrefillDecodePair(chart, 'pd', { model, prefill: {}, decode: {}, scheduler: SchedulerConfig.prefillDecode(), endpointPicker: { metricsAuth: false } });
  return synth(chart);
}

describe(`llm-d router ${LLM_D_ROUTER_FLAGS_RELEASE} flag tables`, () => {
  test('match the pinned router release, and mark --vllm-port deprecated in favour of --model-server-port', () => {
    expect(Versions.LLM_D_ROUTER).toBe(LLM_D_ROUTER_FLAGS_RELEASE);
    expect(ROUTING_SIDECAR_FLAGS.find((f) => f.flag === '--vllm-port')?.deprecated).toContain('--model-server-port');
    expect(ROUTING_SIDECAR_FLAGS.find((f) => f.flag === '--model-server-port')).toMatchObject({ kind: 'value' });
    expect(EPP_FLAGS.find((f) => f.flag === '--total-queued-requests-metric')?.deprecated).toBeDefined();
    expect(EPP_FLAGS.find((f) => f.flag === '--v')).toMatchObject({ short: '-v', type: 'int' });
  });

  test('the checker refuses unknown, deprecated and ill-typed flags', () => {
    expect(routerArgProblems(['--port=8000', '--vllm-port=8001'], ROUTING_SIDECAR_FLAGS)).toEqual([expect.stringContaining('--vllm-port: deprecated')]);
    expect(routerArgProblems(['--connector=nixlv2'], ROUTING_SIDECAR_FLAGS)).toEqual(['--connector: unknown flag']);
    expect(routerArgProblems(['--grpc-port', 'x', '--tracing=maybe'], EPP_FLAGS)).toEqual(['--grpc-port x: not a int', '--tracing=maybe: not a bool']);
    expect(routerArgProblems(['--lora-info-metric', 'vllm:lora_requests_info'], EPP_FLAGS)).toEqual([expect.stringContaining('deprecated')]);
  });
});

describe('every sidecar and EPP container the library renders uses only current flags of the pinned router', () => {
  const extra = extraObjects();
  const objs = [...exampleNames().flatMap((n) => synthExample(n, path.join(out, n)).flatMap((f) => loadYamlDocuments(f))), ...extra];
  const sidecars = containers(objs).filter(isSidecar);
  const epps = containers(objs).filter(isEpp);

  test('the examples plus the extra constructs (validated here) reach every sidecar and EPP flag the library source emits', () => {
    expectValid(extra);
    const emitted = (file: string) => new Set([...fs.readFileSync(path.join(__dirname, '..', file), 'utf8').split('\n')
      .filter((l) => !/^\s*(\*|\/\/|\/\*\*)/.test(l))
      .join('\n').matchAll(/['`](--[a-z0-9-]+)/g)].map((m) => m[1]));
    const seen = (cs: any[]) => new Set(cs.flatMap((c) => (c.args ?? []).filter((a: string) => a.startsWith('--')).map((a: string) => a.split('=')[0])));
    const sidecarSource = emitted('src/serving/routing-sidecar.ts');
    sidecarSource.add(Versions.ROUTING_SIDECAR_CONNECTOR_FLAG);
    expect([...seen(sidecars)].sort()).toEqual([...sidecarSource].sort());
    expect([...seen(epps)].sort()).toEqual([...emitted('src/routing/endpoint-picker.ts')].sort());
  });

  test('routing sidecar args', () => {
    expect(sidecars.length).toBeGreaterThan(3);
    for (const c of sidecars) {
      expect({ args: c.args, problems: routerArgProblems(c.args, ROUTING_SIDECAR_FLAGS) }).toEqual({ args: c.args, problems: [] });
    }
  });

  test('EPP args', () => {
    expect(epps.length).toBeGreaterThan(3);
    for (const c of epps) expect({ args: c.args, problems: routerArgProblems(c.args, EPP_FLAGS) }).toEqual({ args: c.args, problems: [] });
  });
});
