import { IConstruct } from 'constructs';
import { EndpointPicker } from '../routing/endpoint-picker';
import { InferencePool } from '../routing/inference-pool';

/**
 * What a gateway, a route or an adapter needs to know of a model-serving construct. Implemented by
 * `LlmService`, `PrefillDecodePair` and `MultiNodeGroup`; implement it in your own construct to register it
 * with an `InferenceGateway` (`gateway.addModel(...)`).
 */
export interface ILlmServingEndpoint extends IConstruct {
  /** The service name `N` (objects are named from it). */
  readonly name: string;
  /**
   * Namespace of the objects, when known at synth time.
   * @default - the Chart's namespace
   */
  readonly namespace?: string;
  /** The name clients put in the `model` field of OpenAI requests. */
  readonly servedModelName: string;
  /** Labels that select every serving pod (what the workload Service and the InferencePool select). */
  readonly selectorLabels: Record<string, string>;
  /** Ports that serve requests on each serving pod (the InferencePool's target ports). */
  readonly targetPorts: number[];
  /** Name of the Service in front of the serving pods. */
  readonly serviceName: string;
  /** Port of that Service. */
  readonly servicePort: number;
  /**
   * The InferencePool routes go to, when the construct has a scheduler.
   * @default - routes go to the Service
   */
  readonly inferencePool?: InferencePool;
  /**
   * The Endpoint Picker of that pool.
   * @default - none
   */
  readonly endpointPicker?: EndpointPicker;
}

const ENDPOINTS = new WeakSet<object>();

/** Checks for {@link ILlmServingEndpoint}s (usable from every jsii language). */
export class LlmServingEndpoints {
  /** Whether `x` is one of the library's serving constructs (`LlmService`, `PrefillDecodePair`, `MultiNodeGroup`). */
  public static isServingConstruct(x: any): boolean {
    return typeof x === 'object' && x !== null && ENDPOINTS.has(x);
  }

  /** @internal */
  public static _register(endpoint: ILlmServingEndpoint): void {
    ENDPOINTS.add(endpoint);
  }

  private constructor() {}
}
