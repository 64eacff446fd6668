/**
 * Composing with cdk8s-plus-28: a cdk8s-plus Secret (S3 credentials) and PersistentVolumeClaim (model cache)
 * in the same chart as an LlmService, which references them by name. The credentials are read from the
 * environment at synth time; without them the Secret holds placeholders to replace before applying.
 */
import { ApiObject, App, Chart, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Accelerator, Engine, LlmService, ModelSource } from '../../src';

export function build(app: App): void {
  const chart = new Chart(app, 'cdk8s-plus-interop', { namespace: 'llm' });
  const namespace = new ApiObject(chart, 'namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'llm' } });
  namespace.addJsonPatch(JsonPatch.remove('/metadata/namespace')); // cluster-scoped
  const credentials = new kplus.Secret(chart, 's3-credentials', {
    stringData: {
      AWS_ACCESS_KEY_ID: process.env.EXAMPLE_AWS_ACCESS_KEY_ID ?? 'replace-me',
      AWS_SECRET_ACCESS_KEY: process.env.EXAMPLE_AWS_SECRET_ACCESS_KEY ?? 'replace-me',
    },
  });
  const cache = new kplus.PersistentVolumeClaim(chart, 'model-cache', {
    storage: Size.gibibytes(100),
    accessModes: [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE],
  });
  new LlmService(chart, 'mistral', {
    model: ModelSource.s3('models/mistral-7b-instruct-v0.3', { credentials: credentials.name, endpoint: 'minio.storage.svc:9000', region: 'us-east-1' }),
    servedModelName: 'mistralai/Mistral-7B-Instruct-v0.3',
    engine: Engine.vllm({ maxModelLen: 16384 }),
    accelerator: Accelerator.nvidia(),
    modelCacheClaim: cache.name,
  });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
