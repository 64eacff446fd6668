import { yamlField, yamlText } from './yaml-speak';
import { ConfigErrors, LlmdConfigError } from '../errors';

/** How serious a finding is. */
export type Level = 'error' | 'warning' | 'note';

/** One problem (or note) about one input object, reported once. */
export interface Finding {
  readonly level: Level;
  /** Input file, when the finding is about one. */
  readonly file?: string;
  /** `Kind name` of the input object. */
  readonly object?: string;
  /** YAML path in the input object, e.g. `spec.replicas`. */
  readonly field?: string;
  /** The value of the field as given, when the finding is about it. */
  readonly value?: string;
  readonly message: string;
  /** What to change, in YAML paths and CLI flags. */
  readonly fix?: string;
}

/** The findings of one command run; a finding already reported (same object, field and message) is not added again. */
export class Findings {
  private readonly items: Finding[] = [];
  private readonly seen = new Set<string>();

  public add(f: Finding): void {
    const key = JSON.stringify([f.file, f.object, f.field, f.message]);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.items.push(f);
  }

  public get all(): readonly Finding[] {
    return this.items;
  }

  public count(level: Level): number {
    return this.items.filter((f) => f.level === level).length;
  }
}

/** `level: file: object: field: message Fix: fix` on one line. */
export function formatFinding(f: Finding): string {
  const field = f.field !== undefined && f.value !== undefined ? `${f.field} = ${f.value}` : f.field;
  const where = [f.file, f.object, field].filter((x) => x !== undefined && x !== '').join(': ');
  return `${f.level}: ${where ? where + ': ' : ''}${f.message}${f.fix ? `. Fix: ${f.fix}` : ''}`;
}

/** A library configuration error as a finding in YAML terms (no construct path, no TypeScript). */
export function configErrorFinding(e: LlmdConfigError, file: string, object: string): Finding {
  const parsed = ConfigErrors.parse(e.message);
  const field = yamlField(e.field);
  const problem = yamlText(parsed?.problem ?? e.message);
  // A prop of the constructs behind the translation: its YAML source, and the value as the construct saw it.
  const message = field === e.field ? problem : `${problem} (as rendered: ${e.field} = ${e.value})`;
  return { level: 'error', file, object, field, value: field === e.field ? e.value : undefined, message, fix: yamlText(e.fix) };
}

/**
 * A warning of the translation (`<field>[ detail]: message`) as a finding; the field is the leading YAML path when
 * there is one.
 */
export function warningFinding(text: string, file: string, object: string): Finding {
  const m = /^((?:config \S+: )?(?:spec|metadata|template)[^\s:]*)(?::\s*|\s+)([\s\S]*)$/.exec(text);
  if (!m) return { level: 'warning', file, object, message: yamlText(text) };
  return { level: 'warning', file, object, field: m[1], message: yamlText(m[2]) };
}
