/** Determinism: identical input gives byte-identical YAML; props that are not selectors never move a selector. */
import { App, Chart, Duration } from 'cdk8s';
import * as fc from 'fast-check';
import { Accelerator, Engine, LlmService, LlmServiceProps, ModelSource } from '../src';
import { assertProperty, propertyRuns } from './util/property-runs';

function yaml(props: LlmServiceProps): string {
  const app = new App({ outdir: '/dev/null' });
  const chart = new Chart(app, 'c', { namespace: 'llm' });
  new LlmService(chart, 'svc', props);
  return app.synthYaml();
}

function selectors(props: LlmServiceProps): unknown {
  const app = new App({ outdir: '/dev/null' });
  const chart = new Chart(app, 'c', { namespace: 'llm' });
  new LlmService(chart, 'svc', props);
  return chart.toJson().map((o) => [o.kind, o.spec?.selector]);
}

const BASE: LlmServiceProps = { model: ModelSource.huggingFace('Qwen/Qwen3-8B'), name: 'qwen' };

test('synthesizing twice gives byte-identical YAML (examples of every shape)', () => {
  const variants: LlmServiceProps[] = [
    BASE,
    { ...BASE, parallelism: { tensor: 4 }, loraAdapters: [{ name: 'b', source: ModelSource.pvc('a', 'b') }, { name: 'a', source: ModelSource.huggingFace('o/a') }] },
    { ...BASE, engine: Engine.simulator(), accelerator: Accelerator.cpu(), route: { gateway: { name: 'gw' } } },
    { ...BASE, model: ModelSource.oci('quay.io/o/m:1') },
  ];
  for (const v of variants) expect(yaml(v)).toBe(yaml(v));
});

test(`changing non-selector props never changes a selector (${propertyRuns(200)} runs)`, () => {
  const reference = selectors(BASE);
  assertProperty(fc.property(
    fc.record({
      replicas: fc.integer({ min: 1, max: 20 }),
      tensor: fc.constantFrom(1, 2, 4, 8),
      scheme: fc.constantFrom('hf://Qwen/Qwen3-8B', 'pvc://models/q', 's3://bucket-a/q', 'oci://quay.io/o/m:1'),
      servedModelName: fc.constantFrom('qwen', 'Qwen/Qwen3-8B', 'q:latest'),
      startupMinutes: fc.integer({ min: 1, max: 120 }),
      podLabels: fc.dictionary(fc.constantFrom('team', 'tier', 'example.com/owner'), fc.constantFrom('a', 'b', 'ml')),
      maxModelLen: fc.integer({ min: 128, max: 131072 }),
    }),
    (r) => {
      const props: LlmServiceProps = {
        ...BASE,
        replicas: r.replicas,
        parallelism: { tensor: r.tensor },
        model: ModelSource.fromUri(r.scheme),
        servedModelName: r.servedModelName,
        startupTimeout: Duration.minutes(r.startupMinutes),
        podLabels: r.podLabels,
        engine: Engine.vllm({ maxModelLen: r.maxModelLen }),
      };
      expect(selectors(props)).toEqual(reference);
    },
  ), 200, 3);
});
