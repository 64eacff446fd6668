import { checkArgs } from '../internal/prop-check';

/** One entry of a scheduling profile: a reference to a declared plugin. */
export interface ProfilePluginRef {
  /** The referenced plugin's name (its `name`, or its `type` when it has no name). */
  readonly pluginRef: string;
  /**
   * Scorer weight (the EPP multiplies the scorer's 0..1 score by it). Must be > 0. Ignored by the EPP for
   * filters and pickers.
   * @default - the EPP gives an unweighted scorer 1
   */
  readonly weight?: number;
}

/** Props of a {@link SchedulingProfile}. */
export interface SchedulingProfileProps {
  /** Profile name. A P/D config uses `prefill` and `decode`; a single-profile config conventionally `default`. */
  readonly name: string;
  /**
   * The plugins the profile runs, in order: filters, scorers (with weights) and at most one picker.
   * A profile without a picker gets `max-score-picker` from the EPP.
   */
  readonly plugins: ProfilePluginRef[];
}

/**
 * A named scheduling profile of an EndpointPickerConfig (`schedulingProfiles[]`): the filters, weighted scorers
 * and picker the EPP runs for one scheduling pass.
 */
export class SchedulingProfile {
  /** Profile name. */
  public readonly name: string;
  private readonly entries: ProfilePluginRef[];

  constructor(props: SchedulingProfileProps) {
    checkArgs('SchedulingProfile.constructor', arguments);
    this.name = props.name;
    this.entries = (props.plugins ?? []).map((p) => ({ ...p }));
  }

  /** The plugin references, in order (a copy). */
  public get plugins(): ProfilePluginRef[] {
    return this.entries.map((p) => ({ ...p }));
  }

  /** The referenced plugin names, in order. */
  public get pluginRefs(): string[] {
    return this.entries.map((p) => p.pluginRef);
  }

  /** True when the profile references the plugin named `pluginRef`. */
  public references(pluginRef: string): boolean {
    return this.entries.some((p) => p.pluginRef === pluginRef);
  }

  /** The weight given to `pluginRef` in this profile, if any. */
  public weightOf(pluginRef: string): number | undefined {
    return this.entries.find((p) => p.pluginRef === pluginRef)?.weight;
  }

  /**
   * The `schedulingProfiles[]` entry of the document.
   * @internal
   */
  public _toDocument(): Record<string, any> {
    return {
      name: this.name,
      plugins: this.entries.map((p) => (p.weight === undefined ? { pluginRef: p.pluginRef } : { pluginRef: p.pluginRef, weight: p.weight })),
    };
  }
}
