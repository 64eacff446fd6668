import * as pulumi from '@pulumi/pulumi';
import { InferenceGateway, InferenceGatewayProps } from 'cdk8s-llm-d';
import { ConstructResource, ConstructResourceOptions, PropsWithInputs, propsOf } from './construct-resource';

/** Args of {@link InferenceGatewayResource}. */
export interface InferenceGatewayResourceArgs extends ConstructResourceOptions {
  /** The gateway. `name` defaults to the component name. */
  readonly props: PropsWithInputs<InferenceGatewayProps>;
}

/**
 * An {@link InferenceGateway} as one Pulumi component (type `cdk8s-llm-d:index:InferenceGateway`): the Gateway
 * (unless `existing`). Services register with it by passing `construct` as their `gateway` prop; their HTTPRoutes
 * (and provider objects) are children of the service's component, in the service's namespace.
 *
 * ```ts
 * const gw = new InferenceGatewayResource('inference', { namespace: 'gateway', props: { provider: GatewayProvider.istio() } });
 * new LlmServiceResource('qwen', { namespace: 'llm', props: { model, scheduler: SchedulerConfig.default(), gateway: gw.construct } });
 * ```
 */
export class InferenceGatewayResource extends ConstructResource<InferenceGateway> {
  /** The Pulumi type token. */
  public static readonly TYPE = 'cdk8s-llm-d:index:InferenceGateway';

  /** Name of the Gateway. */
  declare public readonly gatewayName: pulumi.Output<string>;
  /** Namespace of the Gateway. */
  declare public readonly gatewayNamespace: pulumi.Output<string>;

  constructor(name: string, args: InferenceGatewayResourceArgs, opts?: pulumi.ComponentResourceOptions) {
    super(InferenceGatewayResource.TYPE, name, args, (chart, id, ref) => new InferenceGateway(chart, id, propsOf(args.props, ref)), opts);
  }
}
