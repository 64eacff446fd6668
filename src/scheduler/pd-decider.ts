import { SchedulerPlugin } from './plugin';
import { checkArgs } from '../internal/prop-check';

/**
 * When the disaggregation profile handler splits a request into prefill and decode (llm-d router v0.10.0
 * `pkg/epp/framework/plugins/scheduling/profilehandler/disagg`).
 */
export class PdDecider {
  /** `always-disagg-pd-decider`: every request is disaggregated (KServe's default P/D config). */
  public static always(): PdDecider {
    return new PdDecider('always-disagg-pd-decider', undefined);
  }

  /**
   * `prefix-based-pd-decider`: disaggregate when at least `nonCachedTokens` prompt tokens are not in the decode
   * endpoint's prefix cache. 0 disables disaggregation; a negative value stops the EPP at start-up.
   */
  public static prefixBased(nonCachedTokens: number): PdDecider {
    checkArgs('PdDecider.prefixBased', arguments);
    return new PdDecider('prefix-based-pd-decider', nonCachedTokens);
  }

  private constructor(
    /** The decider plugin type. */
    public readonly type: string,
    /** The `nonCachedTokens` threshold (prefix-based only). */
    public readonly nonCachedTokens: number | undefined,
  ) {}

  /**
   * The decider plugin (named by its type).
   * @internal
   */
  public _plugin(): SchedulerPlugin {
    return this.nonCachedTokens === undefined
      ? SchedulerPlugin.alwaysDisaggPdDecider()
      : SchedulerPlugin.prefixBasedPdDecider({ nonCachedTokens: this.nonCachedTokens });
  }
}
