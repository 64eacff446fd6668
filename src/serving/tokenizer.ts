import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../imports/k8s';
import { FieldContext } from '../internal/context';
import { ModelSource, ModelSourceKind } from '../model/model-source';
import { modelArtifacts, TOKENIZER_FILES, TOKENIZER_MODEL_PATH } from '../model/storage';
import { ImageRegistry } from '../operations/image-registry';
import { Versions } from '../versions';
import { WiringLabels } from '../wiring/labels';
import { ResourceNames } from '../wiring/names';
import { Ports } from '../wiring/ports';
import { restrictedSecurityContext, RunAsUsers } from '../wiring/security';

/** @internal */
export interface TokenizerInput {
  readonly ctx: FieldContext;
  readonly serviceName: string;
  readonly namespace?: string;
  readonly model: ModelSource;
  /** Where the pod pulls its image from. */
  readonly imageRegistry?: ImageRegistry;
}

/**
 * The tokenizer the EPP's `token-producer` calls for precise prefix-cache routing: a CPU vLLM
 * `vllm launch render /mnt/models/base` Deployment and Service `N-tokenizer`. As KServe's tokenizer (tokenizer.go,
 * workload_storage.go), the model is attached like the serving pods' (any download source, or the PVC) at
 * `/mnt/models/base`, downloading the tokenizer files only, and that path is the model name the EPP asks for.
 * Returns the in-namespace URL and that model name.
 * @internal
 */
export function createTokenizer(scope: Construct, input: TokenizerInput): { readonly url: string; readonly modelName: string } {
  const { ctx, model } = input;
  if (model.kind === ModelSourceKind.OCI) {
    throw ctx.error('scheduler', model.uri, 'precise prefix-cache routing needs a tokenizer, and the library\'s tokenizer cannot read an OCI modelcar',
      'serve the model from Hugging Face, S3, GCS or a PVC, or run a render Service yourself and pass its URL as tokenizerUrl to SchedulerConfig.precisePrefixCache');
  }
  const name = ResourceNames.of(input.serviceName).tokenizer;
  const labels = WiringLabels.tokenizer(input.serviceName);
  const artifacts = modelArtifacts(ctx.child('model'), model, [], undefined, undefined, { modelPath: TOKENIZER_MODEL_PATH, allowPatterns: TOKENIZER_FILES });
  const env: k8s.EnvVar[] = [{ name: 'HF_HOME', value: '/tmp/hf' }, { name: 'DO_NOT_TRACK', value: '1' }];
  const tcp: k8s.Probe = { tcpSocket: { port: k8s.IntOrString.fromString(Ports.SERVING_NAME) }, periodSeconds: 10, failureThreshold: 30 };
  new ApiObject(scope, 'TokenizerDeployment', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: input.namespace, labels },
    spec: k8s.toJson_DeploymentSpec({
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: (input.imageRegistry ?? ImageRegistry.upstream())._applyTo({
          automountServiceAccountToken: false,
          initContainers: artifacts.initContainers.length ? artifacts.initContainers : undefined,
          containers: [{
            name: 'render',
            image: Versions.VLLM_CPU_IMAGE,
            imagePullPolicy: 'IfNotPresent',
            command: ['vllm', 'launch', 'render'],
            args: [TOKENIZER_MODEL_PATH, `--port=${Ports.SERVING}`],
            env,
            ports: [{ name: Ports.SERVING_NAME, containerPort: Ports.SERVING, protocol: 'TCP' }],
            startupProbe: tcp,
            readinessProbe: { tcpSocket: { port: k8s.IntOrString.fromString(Ports.SERVING_NAME) }, periodSeconds: 5 },
            resources: { requests: { cpu: k8s.Quantity.fromString('2'), memory: k8s.Quantity.fromString('4Gi') }, limits: { memory: k8s.Quantity.fromString('8Gi') } },
            volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }, ...artifacts.mainMounts],
            securityContext: restrictedSecurityContext({ runAsUser: RunAsUsers.VLLM }),
          }],
          volumes: [{ name: 'tmp', emptyDir: {} }, ...artifacts.volumes],
        }),
      },
    }),
  });
  new ApiObject(scope, 'TokenizerService', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: input.namespace, labels },
    spec: k8s.toJson_ServiceSpec({ type: 'ClusterIP', selector: labels, ports: [{ name: Ports.SERVING_NAME, port: Ports.SERVING, targetPort: k8s.IntOrString.fromString(Ports.SERVING_NAME), protocol: 'TCP' }] }),
  });
  return { url: `http://${name}:${Ports.SERVING}`, modelName: TOKENIZER_MODEL_PATH };
}
