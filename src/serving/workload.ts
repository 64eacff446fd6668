import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../imports/k8s';
import { WiringLabels } from '../wiring/labels';
import { ResourceNames } from '../wiring/names';
import { Ports } from '../wiring/ports';

/** @internal */
export interface ServingDeploymentInput {
  readonly name: string;
  readonly namespace?: string;
  /** Labels shared by metadata, selector and pod template (never user labels). */
  readonly wiringLabels: Record<string, string>;
  readonly podLabels?: Record<string, string>;
  readonly podAnnotations?: Record<string, string>;
  readonly replicas: number;
  readonly podSpec: k8s.PodSpec;
}

/** A Deployment of serving pods. @internal */
export function createServingDeployment(scope: Construct, id: string, input: ServingDeploymentInput): ApiObject {
  const spec: k8s.DeploymentSpec = {
    replicas: input.replicas,
    selector: { matchLabels: input.wiringLabels },
    template: {
      metadata: { labels: { ...input.podLabels, ...input.wiringLabels }, annotations: input.podAnnotations },
      spec: input.podSpec,
    },
  };
  return new ApiObject(scope, id, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: input.name, namespace: input.namespace, labels: input.wiringLabels },
    spec: k8s.toJson_DeploymentSpec(spec),
  });
}

/** The workload Service `N-kserve-workload-svc` selecting every serving pod on the serving port. @internal */
export function createWorkloadService(scope: Construct, serviceName: string, namespace?: string): ApiObject {
  const spec: k8s.ServiceSpec = {
    type: 'ClusterIP',
    selector: WiringLabels.workloadSelector(serviceName),
    ports: [{ name: Ports.SERVING_NAME, protocol: 'TCP', appProtocol: 'http', port: Ports.SERVING, targetPort: k8s.IntOrString.fromNumber(Ports.SERVING) }],
  };
  return new ApiObject(scope, 'Service', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: ResourceNames.of(serviceName).workloadService, namespace, labels: WiringLabels.workloadService(serviceName) },
    spec: k8s.toJson_ServiceSpec(spec),
  });
}
