/**
 * The CLI's users write KServe YAML, not TypeScript: errors of the constructs behind the translation name props
 * (`engine.extraArgs[2]`) and give fixes as TypeScript calls. These map them to the spec's YAML paths and to CLI
 * flags; the construct path is never shown.
 */

const SPEC_PATH = /^(spec|metadata|apiVersion|kind|configs\[|resource\b)/;

/** The YAML path of a field an error names; fields of the translation itself are YAML paths already. */
export function yamlField(field: string): string {
  if (SPEC_PATH.test(field)) return field;
  let base = 'spec';
  let f = field;
  const role = /^(prefill|decode)\.(.*)$/.exec(f);
  if (role) {
    base = role[1] === 'prefill' ? 'spec.prefill' : 'spec';
    f = role[2];
  }
  const main = `${base}.template.containers[main]`;
  const rules: [RegExp, (m: RegExpExecArray) => string][] = [
    [/^parallelism\.dataRpcPort/, () => `${base}.parallelism.dataRPCPort`],
    [/^parallelism(\.\w+)?/, (m) => `${base}.parallelism${m[1] ?? ''}`],
    [/^replicas$/, () => `${base}.replicas`],
    [/^engine\.env(.*)$/, () => `${main}.env`],
    [/^engine\.image$/, () => `${main}.image`],
    [/^engine\b/, () => `${main}.args`],
    [/^accelerator\b/, () => `${main}.resources.limits`],
    [/^resources\.cpu$/, () => `${main}.resources.requests.cpu`],
    [/^resources\.memory$/, () => `${main}.resources.limits.memory`],
    [/^resources\.ephemeralStorage$/, () => `${main}.resources.limits.ephemeral-storage`],
    [/^resources\b/, () => `${main}.resources`],
    [/^rdma\b/, () => `${main}.resources (rdma/…)`],
    [/^sharedMemory$/, () => `${base}.template.volumes[dshm].emptyDir.sizeLimit`],
    [/^startupTimeout$/, () => `${main}.startupProbe`],
    [/^terminationGracePeriod$/, () => `${base}.template.terminationGracePeriodSeconds`],
    [/^serviceAccountName$/, () => `${base}.template.serviceAccountName`],
    [/^podLabels(.*)$/, (m) => `${base}.labels${m[1]}`],
    [/^podAnnotations(.*)$/, (m) => `${base}.annotations${m[1]}`],
    [/^autoscaling\b/, () => `${base}.scaling`],
    [/^kvTransfer\b/, () => `${main}.env[VLLM_ADDITIONAL_ARGS] --kv-transfer-config`],
    [/^(scheduler|endpointPicker)\b/, () => 'spec.router.scheduler'],
    [/^route\b/, () => 'spec.router.route'],
    [/^servedModelName$/, () => 'spec.model.name'],
    [/^loraAdapters(\[\d+\])?(\.name)?/, (m) => `spec.model.lora.adapters${m[1] ?? ''}${m[2] ?? ''}`],
    [/^lora\.(\w+)/, (m) => `spec.model.lora.${m[1]}`],
    [/^model\b/, () => 'spec.model.uri'],
    [/^tracing\b/, () => 'spec.tracing'],
    [/^name$/, () => 'metadata.name'],
    [/^namespace$/, () => 'metadata.namespace'],
  ];
  for (const [re, to] of rules) {
    const m = re.exec(f);
    if (m) return to(m);
  }
  return base;
}

/** Fix hints and messages in YAML and CLI terms. */
const REWRITES: [RegExp, string][] = [
  [/set allowUnknownFlags/g, 'pass --allow-unknown-flags'],
  [/\ballowUnknownFlags\b/g, '--allow-unknown-flags'],
  [/,? ?or add it to the synthesized Deployment with addJsonPatch/g, ', or add it to the rendered YAML afterwards (e.g. a kustomize patch)'],
  [/add it with addJsonPatch( if needed)?/g, 'add it to the rendered YAML afterwards (e.g. a kustomize patch)'],
  [/\baddJsonPatch\b/g, 'a patch of the rendered YAML'],
  [/use Engine\.vllm\(\), or SchedulerConfig\.default\(\) with the simulator/g,
    'use a vLLM image in spec.template.containers[main].image, or the default scheduler (spec.router.scheduler: {} without config) with the simulator'],
  [/use KvEvents\.centralized\(\) \(kvEventsConfig (discoverPods: false, zmqEndpoint tcp:\/\/\*:\d+)\)/g,
    'set kvEventsConfig $1 in the precise-prefix-cache-producer of spec.router.scheduler.config.inline'],
  [/use LlmService with Accelerator\.tpu\(\{ type, topology \}\)/g, 'build the service with the cdk8s-llm-d constructs, whose TPU accelerator takes the type and topology'],
  [/build the route to InferencePool\.fromName\(\) yourself/g, 'write the HTTPRoute to that pool yourself'],
  [/configure KvTransfer\.nixl\(\) directly/g, 'build the P/D pair with the cdk8s-llm-d constructs'],
  [/use MultiNodeGroup with LaunchStrategy\.ray\(\)/g, 'build it with the cdk8s-llm-d constructs (the Ray launch)'],
  [/pass the config \(a document of the same input, or props\.configs\)/g, 'pass the LLMInferenceServiceConfig as another input file or document'],
  [/the model comes from the `model` prop/g, 'the model comes from spec.model.uri'],
  [/\bprops\.(\w+)/g, '$1'],
];
/** A TypeScript call the rewrites above do not cover. */
const TS_CALL = /\b[A-Z][A-Za-z0-9]*\.[a-z][A-Za-z0-9]*\([^()]*\)/g;

/** `text` with fix hints in YAML and CLI terms. */
export function yamlText(text: string): string {
  let out = text;
  for (const [re, to] of REWRITES) out = out.replace(re, to);
  return out.replace(TS_CALL, 'the cdk8s-llm-d constructs');
}
