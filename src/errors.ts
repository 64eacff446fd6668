/**
 * The error every construct of this library throws for input it cannot synthesize correctly.
 *
 * The message always names the construct path, the offending field, its value and how to fix it:
 * `[chart/qwen] parallelism.tensor = 0: must be an integer >= 1. Fix: set parallelism.tensor to 1 or more.`
 */
export class LlmdConfigError extends Error {
  /** Construct path of the construct that rejected the input. */
  public readonly constructPath: string;
  /** The prop (dotted path) that holds the bad value. */
  public readonly field: string;
  /** The rejected value, rendered as text. */
  public readonly value: string;
  /** What to change. */
  public readonly fix: string;

  constructor(constructPath: string, field: string, value: unknown, problem: string, fix: string) {
    const shown = renderValue(value);
    super(`[${constructPath}] ${field} = ${shown}: ${problem}. Fix: ${fix}`);
    this.name = 'LlmdConfigError';
    this.constructPath = constructPath;
    this.field = field;
    this.value = shown;
    this.fix = fix;
    Object.setPrototypeOf(this, LlmdConfigError.prototype);
  }
}

function renderValue(value: unknown): string {
  if (value === undefined) return '(unset)';
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
