import * as pulumi from '@pulumi/pulumi';
import { MultiNodeGroup, MultiNodeGroupProps } from 'cdk8s-llm-d';
import { ConstructResource, ConstructResourceOptions, PropsWithInputs, propsOf } from './construct-resource';

/** Args of {@link MultiNodeGroupResource}. */
export interface MultiNodeGroupResourceArgs extends ConstructResourceOptions {
  /** The multi-node group. `name` defaults to the component name. */
  readonly props: PropsWithInputs<MultiNodeGroupProps>;
}

/**
 * A {@link MultiNodeGroup} as one Pulumi component (type `cdk8s-llm-d:index:MultiNodeGroup`): the LeaderWorkerSet,
 * its ServiceAccount, the workload Service and, with a scheduler, pool and EPP, each a child resource. The
 * LeaderWorkerSet CRD and controller must be installed (or `Prerequisites` in the same stack).
 */
export class MultiNodeGroupResource extends ConstructResource<MultiNodeGroup> {
  /** The Pulumi type token. */
  public static readonly TYPE = 'cdk8s-llm-d:index:MultiNodeGroup';

  constructor(name: string, args: MultiNodeGroupResourceArgs, opts?: pulumi.ComponentResourceOptions) {
    super(MultiNodeGroupResource.TYPE, name, args, (chart, id, ref) => new MultiNodeGroup(chart, id, propsOf(args.props, ref)), opts);
  }
}
