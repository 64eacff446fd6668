import * as fs from 'fs';
import * as path from 'path';
import { Testing, Chart } from 'cdk8s';
import { LlmInferenceService } from '../src/kserve';
import { loadYamlDocuments } from './harness/yaml';
import { SchemaValidator, formatIssues } from './harness/schema-validator';
import { checkWiring, formatViolations } from './harness/wiring-checker';

const DIR = path.join(__dirname, '..', 'imports', 'reference', 'kserve', 'samples');
test('scratch', () => {
  const docs = fs.readdirSync(DIR).flatMap((f) => loadYamlDocuments(path.join(DIR, f)).map((d: any) => ({ f, d })));
  const configs = docs.filter((x) => x.d?.kind === 'LLMInferenceServiceConfig').map((x) => x.d);
  const out: string[] = [];
  for (const { f, d } of docs.filter((x) => x.d?.kind === 'LLMInferenceService')) {
    const app = Testing.app();
    const chart = new Chart(app, 'c', { namespace: 'llm' });
    try {
      const s = new LlmInferenceService(chart, 'svc', { resource: d, configs });
      const objs = Testing.synth(chart);
      const issues = objs.flatMap((o: any) => SchemaValidator.get().validate(o));
      const wiring = checkWiring(objs, { namespace: 'llm' });
      out.push(`OK ${f} mode=${s.mode} objs=${objs.map((o: any) => o.kind + '/' + o.metadata.name).join(',')}\n  warnings: ${s.warnings.length}\n  schema: ${issues.length ? formatIssues(issues) : 'ok'}\n  wiring: ${formatViolations(wiring)}`);
    } catch (e: any) {
      out.push(`ERR ${f}: ${e.message}`);
    }
  }
  fs.writeFileSync('/tmp/scratch/out.txt', out.join('\n'));
});
