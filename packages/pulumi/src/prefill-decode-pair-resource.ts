import * as pulumi from '@pulumi/pulumi';
import { PrefillDecodePair, PrefillDecodePairProps } from 'cdk8s-llm-d';
import { ConstructResource, ConstructResourceOptions, PropsWithInputs, propsOf } from './construct-resource';

/** Args of {@link PrefillDecodePairResource}. */
export interface PrefillDecodePairResourceArgs extends ConstructResourceOptions {
  /** The P/D pair. `name` defaults to the component name. */
  readonly props: PropsWithInputs<PrefillDecodePairProps>;
}

/**
 * A {@link PrefillDecodePair} as one Pulumi component (type `cdk8s-llm-d:index:PrefillDecodePair`): prefill and
 * decode Deployments, the routing sidecar's RBAC, pool, EPP and route, each a child resource.
 */
export class PrefillDecodePairResource extends ConstructResource<PrefillDecodePair> {
  /** The Pulumi type token. */
  public static readonly TYPE = 'cdk8s-llm-d:index:PrefillDecodePair';

  constructor(name: string, args: PrefillDecodePairResourceArgs, opts?: pulumi.ComponentResourceOptions) {
    super(PrefillDecodePairResource.TYPE, name, args, (chart, id, ref) => new PrefillDecodePair(chart, id, propsOf(args.props, ref)), opts);
  }
}
