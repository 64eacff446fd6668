import * as path from 'path';
import { Chart, Include } from 'cdk8s';
import { Construct } from 'constructs';
import { checkArgs } from '../internal/prop-check';
import { registerSynthValidation } from '../validation/synth-validation';

/** Props of {@link Prerequisites}. */
export interface PrerequisitesProps {
  /**
   * Gateway API standard CRDs (GatewayClass, Gateway, HTTPRoute, GRPCRoute, ReferenceGrant, BackendTLSPolicy).
   * Leave off when the Gateway implementation installs them.
   * @default true
   */
  readonly gatewayApi?: boolean;
  /**
   * InferencePool `inference.networking.k8s.io/v1`.
   * @default true
   */
  readonly inferencePool?: boolean;
  /**
   * Legacy InferencePool `inference.networking.x-k8s.io/v1alpha2` (only for `legacyV1alpha2Pool`).
   * @default false
   */
  readonly legacyInferencePool?: boolean;
  /**
   * llm-d.ai InferenceObjective and InferenceModelRewrite.
   * @default true
   */
  readonly llmdObjectives?: boolean;
  /**
   * LeaderWorkerSet CRD (MultiNodeGroup). The LWS controller itself must still be installed.
   * @default false
   */
  readonly leaderWorkerSet?: boolean;
}

const ASSETS = path.join(__dirname, '..', '..', 'assets', 'crds');

/**
 * A chart with the CRDs, pinned to the versions this library emits (see `Versions`), for GitOps installs that
 * apply CRDs from the same repository. Apply it before the serving charts.
 */
export class Prerequisites extends Chart {
  /** The CRD files included, relative to the package's `assets/crds/`. */
  public readonly crdFiles: string[];

  constructor(scope: Construct, id: string, props: PrerequisitesProps = {}) {
    super(scope, id, { disableResourceNameHashes: true });
    checkArgs('Prerequisites.constructor', arguments, this.node.path);
    registerSynthValidation(this);
    const files: string[] = [];
    if (props.gatewayApi ?? true) {
      for (const kind of ['gatewayclasses', 'gateways', 'httproutes', 'grpcroutes', 'referencegrants', 'backendtlspolicies']) {
        files.push(`gateway-api/gateway.networking.k8s.io_${kind}.yaml`);
      }
    }
    if (props.inferencePool ?? true) files.push('gateway-api-inference-extension/inference.networking.k8s.io_inferencepools.yaml');
    if (props.legacyInferencePool ?? false) files.push('gateway-api-inference-extension/legacy/v1.4.0/inference.networking.x-k8s.io_inferencepools.yaml');
    if (props.llmdObjectives ?? true) files.push('llm-d-router/llm-d.ai_inferenceobjectives.yaml', 'llm-d-router/llm-d.ai_inferencemodelrewrites.yaml');
    if (props.leaderWorkerSet ?? false) files.push('lws/leaderworkerset.x-k8s.io_leaderworkersets.yaml');
    this.crdFiles = files;
    for (const f of files) new Include(this, f, { url: path.join(ASSETS, f) });
  }
}
