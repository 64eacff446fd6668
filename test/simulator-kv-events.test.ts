/**
 * Precise prefix-cache routing over the inference simulator: the pinned llm-d-inference-sim publishes KV events by
 * dialing `--zmq-endpoint` (pkg/common/publisher.go), so the library wires it to the EPP's centralized endpoint.
 */
import { Accelerator, Engine, KvEvents, LlmService, ModelSource, SchedulerConfig } from '../src';
import { SchemaValidator } from './harness/schema-validator';
import { checkWiring, formatViolations } from './harness/wiring-checker';
import { expectConfigError } from './util/expect-error';
import { find, synth, testChart } from './util/synth';

const sim = (extraArgs?: string[]) => {
  const chart = testChart();
  new LlmService(chart, 'sim', {
    model: ModelSource.huggingFace('facebook/opt-125m'),
    engine: Engine.simulator({ extraArgs }),
    accelerator: Accelerator.cpu(),
    scheduler: SchedulerConfig.precisePrefixCache({ modelName: 'sim', blockSize: 16, kvEvents: KvEvents.centralized() }),
  });
  return synth(chart);
};

test('the simulator enables its KV cache and dials the EPP Service; the EPP binds the KV-events port', () => {
  const objs = sim(['--hash-seed', '42']);
  expect(SchemaValidator.get().validateAll(objs)).toEqual([]);
  expect(formatViolations(checkWiring(objs, { namespace: 'llm' }))).toBe('no wiring violations');
  const main = find(objs, 'Deployment', 'sim-kserve').spec.template.spec.containers[0];
  expect(main.args).toEqual(expect.arrayContaining(['--enable-kvcache', '--zmq-endpoint', 'tcp://sim-epp-service:5557', '--block-size', '16', '--hash-seed', '42']));
  expect(main.env).toEqual(expect.arrayContaining([{ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }]));
  expect(find(objs, 'Service', 'sim-epp-service').spec.ports.map((p: any) => p.port)).toContain(5557);
});

test('KV-event flags in the simulator extraArgs are refused (the library derives them)', () => {
  expectConfigError(() => sim(['--zmq-endpoint', 'tcp://elsewhere:5557']), { path: 'test/sim', field: 'engine.extraArgs[0]', value: '--zmq-endpoint', mentions: 'derives' });
});
