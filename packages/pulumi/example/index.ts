/**
 * The default stack of examples/default/main.ts as a Pulumi program: Namespace `llm-demo` and a small model served
 * by llm-d's inference simulator (no GPU, no model download), so it runs on any cluster (kind, minikube).
 *
 *   npm ci && npx projen compile && npm run build -w cdk8s-llm-d-pulumi   # from the repository root
 *   cd packages/pulumi/example && npm install && pulumi stack init dev && pulumi up
 *
 * The example is its own npm project (package.json): both packages come from this repository (`file:`), the Pulumi
 * SDKs from the registry. The namespace is the Namespace resource's `metadata.name`, an Output: every namespaced
 * object waits for the Namespace, with no `dependsOn`.
 *
 * Each Kubernetes object is its own resource in the preview (Deployment qwen-kserve, Service
 * qwen-kserve-workload-svc), under the component `cdk8s-llm-d:index:LlmService`.
 */
import * as k8s from '@pulumi/kubernetes';
import { Accelerator, Engine, ModelSource } from 'cdk8s-llm-d';
import { LlmServiceResource } from 'cdk8s-llm-d-pulumi';

export const NAMESPACE = 'llm-demo';

const namespace = new k8s.core.v1.Namespace(NAMESPACE, { metadata: { name: NAMESPACE } });

const qwen = new LlmServiceResource('qwen', {
  namespace: namespace.metadata.name,
  props: {
    model: ModelSource.huggingFace('Qwen/Qwen3-0.6B'),
    servedModelName: 'Qwen/Qwen3-0.6B',
    engine: Engine.simulator({ timeToFirstTokenMs: 200, interTokenLatencyMs: 20 }),
    accelerator: Accelerator.cpu(),
    replicas: 2,
    resources: { cpu: '100m', memory: '128Mi' },
  },
});

/** `kubectl -n llm-demo port-forward svc/qwen-kserve-workload-svc 8000` and call /v1/chat/completions. */
export const serviceName = qwen.serviceName;
/** In-cluster URL of the OpenAI-compatible API: http://qwen-kserve-workload-svc.llm-demo.svc.cluster.local:8000 */
export const serviceUrl = qwen.serviceUrl;
