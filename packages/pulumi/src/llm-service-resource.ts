import * as pulumi from '@pulumi/pulumi';
import { LlmService, LlmServiceProps } from 'cdk8s-llm-d';
import { ConstructResource, ConstructResourceOptions, PropsWithInputs, propsOf } from './construct-resource';

/** Args of {@link LlmServiceResource}. */
export interface LlmServiceResourceArgs extends ConstructResourceOptions {
  /**
   * The service. `name` defaults to the component name. To route through an {@link InferenceGatewayResource},
   * pass its `construct` as `gateway`.
   */
  readonly props: PropsWithInputs<LlmServiceProps>;
}

/**
 * An {@link LlmService} as one Pulumi component (type `cdk8s-llm-d:index:LlmService`): the Deployment, the
 * workload Service and, with a scheduler, the InferencePool and Endpoint Picker objects, each a child resource.
 *
 * ```ts
 * const qwen = new LlmServiceResource('qwen', {
 *   namespace: 'llm',
 *   props: { model: ModelSource.huggingFace('Qwen/Qwen3-0.6B'), engine: Engine.simulator(), accelerator: Accelerator.cpu() },
 * });
 * export const url = qwen.serviceUrl; // http://qwen-kserve-workload-svc.llm.svc.cluster.local:8000
 * ```
 */
export class LlmServiceResource extends ConstructResource<LlmService> {
  /** The Pulumi type token. */
  public static readonly TYPE = 'cdk8s-llm-d:index:LlmService';

  /** Name of the workload Service `N-kserve-workload-svc`. */
  declare public readonly serviceName: pulumi.Output<string>;
  /** In-cluster URL of the OpenAI-compatible API, e.g. `http://qwen-kserve-workload-svc.llm.svc.cluster.local:8000`. */
  declare public readonly serviceUrl: pulumi.Output<string>;

  constructor(name: string, args: LlmServiceResourceArgs, opts?: pulumi.ComponentResourceOptions) {
    super(LlmServiceResource.TYPE, name, args, (chart, id, ref) => new LlmService(chart, id, propsOf(args.props, ref)), opts);
  }
}
