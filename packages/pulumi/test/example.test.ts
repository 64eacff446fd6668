/** The Pulumi example deploys exactly what examples/default/main.ts synthesizes. */
import * as fs from 'fs';
import * as path from 'path';
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

test('the example is its own npm project: Pulumi SDKs as the adapter\'s caret ranges, both packages from this repository', () => {
  const read = (p: string) => JSON.parse(fs.readFileSync(path.join(__dirname, p), 'utf8'));
  const example = read('../example/package.json');
  const adapter = read('../package.json');
  expect(example.private).toBe(true);
  for (const sdk of ['@pulumi/pulumi', '@pulumi/kubernetes']) {
    expect(example.dependencies[sdk]).toMatch(/^\^\d/);
    expect(example.dependencies[sdk]).toBe(adapter.peerDependencies[sdk]);
  }
  const local = (spec: string) => read(path.join('..', 'example', spec.replace(/^file:/, ''), 'package.json')).name;
  expect(local(example.dependencies['cdk8s-llm-d'])).toBe('cdk8s-llm-d');
  expect(local(example.dependencies['cdk8s-llm-d-pulumi'])).toBe('cdk8s-llm-d-pulumi');
  expect(fs.readFileSync(path.join(__dirname, '..', 'example', 'index.ts'), 'utf8')).toContain('namespace: namespace.metadata.name');
});
