import { Duration } from 'cdk8s';
import { checkArgs } from '../internal/prop-check';

/**
 * How serving pods drain: the preStop pause, the termination grace period and vLLM's `--shutdown-timeout`, derived
 * in one place so that a rollout never cuts a request the route still allows.
 *
 * vLLM finishes in-flight requests for `--shutdown-timeout` seconds after SIGTERM (v0.23.0; the default 0 aborts
 * them). KServe's presets derive it from the pod's grace period as `max(0, grace − 15 − min(5, grace))`
 * (`config_merge.go`, 40 s for the default 60 s): the preStop pause comes first and 5 s are left for exit.
 */
export class DrainBudgets {
  /** The preStop pause of serving pods, so that endpoints are removed before vLLM stops accepting requests. */
  public static readonly PRE_STOP = Duration.seconds(15);
  /** Left between the end of vLLM's drain and SIGKILL. */
  public static readonly EXIT_MARGIN = Duration.seconds(5);
  /** Grace period when no request timeout is known (no route, or a disabled timeout): KServe's 60 s. */
  public static readonly DEFAULT_GRACE = Duration.seconds(60);
  /** Request timeout of the routes the library writes (llm-d's guides use 300 s). */
  public static readonly DEFAULT_REQUEST_TIMEOUT = Duration.minutes(5);

  /** The smallest grace period that lets a request of `requestTimeout` finish (0 = unknown / disabled). */
  public static minimumGrace(requestTimeout: Duration): Duration {
    checkArgs('DrainBudgets.minimumGrace', arguments);
    return Duration.seconds(requestTimeout.toSeconds() + DrainBudgets.PRE_STOP.toSeconds() + DrainBudgets.EXIT_MARGIN.toSeconds());
  }

  /** The default grace period of serving pods for a request timeout: at least KServe's 60 s. */
  public static defaultGrace(requestTimeout: Duration): Duration {
    checkArgs('DrainBudgets.defaultGrace', arguments);
    return Duration.seconds(Math.max(DrainBudgets.DEFAULT_GRACE.toSeconds(), DrainBudgets.minimumGrace(requestTimeout).toSeconds()));
  }

  /** vLLM's `--shutdown-timeout` for a grace period (KServe's formula). */
  public static vllmShutdownTimeout(grace: Duration): Duration {
    checkArgs('DrainBudgets.vllmShutdownTimeout', arguments);
    const g = grace.toSeconds();
    return Duration.seconds(Math.max(0, g - DrainBudgets.PRE_STOP.toSeconds() - Math.min(DrainBudgets.EXIT_MARGIN.toSeconds(), g)));
  }

  private constructor() {}
}
