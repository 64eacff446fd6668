import * as k8s from '../imports/k8s';
import { FieldContext } from '../internal/context';
import { Ports } from '../wiring/ports';

/** OpenTelemetry tracing of the model servers and the EPP (KServe's `spec.tracing`). */
export interface TracingOptions {
  /** OTLP endpoint the traces are exported to, e.g. `http://otel-collector:4317` (http, https or grpc URL). */
  readonly exporterEndpoint: string;
  /**
   * `OTEL_TRACES_SAMPLER`, one of the OpenTelemetry SDK samplers.
   * @default 'parentbased_traceidratio'
   */
  readonly sampler?: string;
  /**
   * `OTEL_TRACES_SAMPLER_ARG`; for the ratio samplers a ratio in [0, 1].
   * @default '0.05'
   */
  readonly samplerArg?: string;
  /**
   * `OTEL_TRACES_EXPORTER`.
   * @default 'otlp'
   */
  readonly exporter?: string;
}

/** KServe's `kserve-config-llm-tracing` preset. @internal */
export const TRACING_DEFAULTS = {
  exporterEndpoint: `http://otel-collector:${Ports.OTLP_GRPC}`,
  sampler: 'parentbased_traceidratio',
  samplerArg: '0.05',
  exporter: 'otlp',
} as const;

/** `OTEL_TRACES_SAMPLER` values of the OpenTelemetry SDK environment-variable specification. */
const SAMPLERS = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off',
  'parentbased_traceidratio', 'parentbased_jaeger_remote', 'jaeger_remote', 'xray'];
const RATIO_SAMPLERS = ['traceidratio', 'parentbased_traceidratio'];
const EXPORTERS = ['otlp', 'console', 'none'];
const ENDPOINT = /^(https?|grpc):\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?(\/\S*)?$/;

/** OTEL_SERVICE_NAME of each traced component (KServe). @internal */
export enum TracedComponent {
  DECODE = 'inference-server-decode',
  PREFILL = 'inference-server-prefill',
  SCHEDULER = 'inference-scheduler',
}

/** Tracing with every default resolved. @internal */
export interface ResolvedTracing {
  readonly exporterEndpoint: string;
  readonly sampler: string;
  readonly samplerArg: string;
  readonly exporter: string;
}

/** Validate tracing options and resolve the defaults; errors name the field and the fix. @internal */
export function resolveTracing(ctx: FieldContext, tracing: TracingOptions | undefined): ResolvedTracing | undefined {
  if (tracing === undefined) return undefined;
  const t = ctx.child('tracing');
  if (typeof tracing.exporterEndpoint !== 'string' || !ENDPOINT.test(tracing.exporterEndpoint)) {
    throw t.error('exporterEndpoint', tracing.exporterEndpoint, 'is not an OTLP endpoint URL (http, https or grpc scheme, host, optional port)',
      `use e.g. '${TRACING_DEFAULTS.exporterEndpoint}'`);
  }
  const port = /:([0-9]+)(\/|$)/.exec(tracing.exporterEndpoint.replace(/^[a-z]+:\/\//, ''))?.[1];
  if (port !== undefined && !Ports.isValidPort(Number(port))) {
    throw t.error('exporterEndpoint', tracing.exporterEndpoint, `port ${port} is out of range`, `use a port in 1..${Ports.MAX_PORT}, e.g. ${Ports.OTLP_GRPC} (OTLP gRPC)`);
  }
  const sampler = tracing.sampler ?? TRACING_DEFAULTS.sampler;
  if (!SAMPLERS.includes(sampler)) {
    throw t.error('sampler', sampler, 'is not an OpenTelemetry sampler', `use one of ${SAMPLERS.join(', ')}`);
  }
  const samplerArg = tracing.samplerArg ?? TRACING_DEFAULTS.samplerArg;
  if (RATIO_SAMPLERS.includes(sampler)) {
    const ratio = Number(samplerArg);
    if (typeof samplerArg !== 'string' || samplerArg.trim() === '' || !Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
      throw t.error('samplerArg', samplerArg, `is not a sampling ratio in [0, 1] (sampler ${sampler})`, "use e.g. '0.05' for 5 % of traces");
    }
  }
  const exporter = tracing.exporter ?? TRACING_DEFAULTS.exporter;
  if (!EXPORTERS.includes(exporter)) {
    throw t.error('exporter', exporter, 'is not an OTEL_TRACES_EXPORTER value', `use one of ${EXPORTERS.join(', ')}`);
  }
  return { exporterEndpoint: tracing.exporterEndpoint, sampler, samplerArg, exporter };
}

/** The collector's port: the endpoint's, else the scheme's default (http 80, https 443, grpc 4317). @internal */
export function exporterPort(t: ResolvedTracing): number {
  const m = /^([a-z]+):\/\/[^/:]+(?::([0-9]+))?/.exec(t.exporterEndpoint);
  if (m?.[2] !== undefined) return Number(m[2]);
  return m?.[1] === 'https' ? Ports.HTTPS : (m?.[1] === 'http' ? Ports.HTTP : Ports.OTLP_GRPC);
}

/** vLLM flags that turn tracing on (both in the vLLM v0.23.0 flag table). @internal */
export function vllmTracingArgs(t: ResolvedTracing): string[] {
  return ['--otlp-traces-endpoint', t.exporterEndpoint, '--collect-detailed-traces', 'all'];
}

/** The OTEL_* env KServe renders (§3.9), with downward-API node and pod names. @internal */
export function tracingEnv(t: ResolvedTracing, component: TracedComponent, namespace: string | undefined, serviceName: string): k8s.EnvVar[] {
  const attrs = [
    ...(namespace ? [`k8s.namespace.name=${namespace}`] : []),
    'k8s.node.name=$(OTEL_RESOURCE_ATTRIBUTES_NODE_NAME)',
    'k8s.pod.name=$(OTEL_RESOURCE_ATTRIBUTES_POD_NAME)',
    `llmisvc.name=${serviceName}`,
  ];
  return [
    { name: 'OTEL_SERVICE_NAME', value: component },
    { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: t.exporterEndpoint },
    { name: 'OTEL_TRACES_EXPORTER', value: t.exporter },
    { name: 'OTEL_TRACES_SAMPLER', value: t.sampler },
    { name: 'OTEL_TRACES_SAMPLER_ARG', value: t.samplerArg },
    { name: 'OTEL_RESOURCE_ATTRIBUTES_NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
    { name: 'OTEL_RESOURCE_ATTRIBUTES_POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    { name: 'OTEL_RESOURCE_ATTRIBUTES', value: attrs.join(',') },
  ];
}

/** Append the tracing env to a container, never overwriting a variable already set. @internal */
export function addTracingEnv(container: k8s.Container, env: k8s.EnvVar[]): k8s.Container {
  const existing = new Set((container.env ?? []).map((e) => e.name));
  return { ...container, env: [...(container.env ?? []), ...env.filter((e) => !existing.has(e.name))] };
}
