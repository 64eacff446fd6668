/** The Pulumi example deploys exactly what examples/default/main.ts synthesizes. */
import { App } from 'cdk8s';
import { installMocks, plain, registrations, settled, valueOf } from './mocks';
import { build, NAMESPACE } from '../../../examples/default/main';

test('example/index.ts registers the default stack', async () => {
  await installMocks();
  // Loaded after the mocks are installed, like `pulumi up` loads the program.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const example = require('../example/index') as typeof import('../example/index');
  expect(example.NAMESPACE).toBe(NAMESPACE);

  const app = new App();
  build(app);
  const expected = app.charts.flatMap((c) => c.toJson());
  const expectedNs = expected.filter((o) => o.kind === 'Namespace');
  expect(expectedNs).toHaveLength(1);

  // serviceUrl resolves once the Service is registered, which waits for the Namespace (dependsOn).
  expect(await valueOf(example.serviceUrl)).toBe('http://qwen-kserve-workload-svc.llm-demo.svc.cluster.local:8000');
  expect(await valueOf(example.serviceName)).toBe('qwen-kserve-workload-svc');
  await settled();
  const ns = registrations.filter((r) => r.type === 'kubernetes:core/v1:Namespace');
  expect(ns.map((r) => r.inputs)).toEqual(plain(expectedNs));
  const component = registrations.find((r) => r.type === 'cdk8s-llm-d:index:LlmService')!;
  const children = registrations.filter((r) => r.parent === component.urn);
  expect(children.map((r) => r.inputs).sort(byKey)).toEqual(plain(expected.filter((o) => o.kind !== 'Namespace')).sort(byKey));
  for (const r of children) expect(r.dependencies).toEqual([ns[0].urn]);
});

const byKey = (a: any, b: any) => `${a.kind}/${a.metadata.name}`.localeCompare(`${b.kind}/${b.metadata.name}`);
