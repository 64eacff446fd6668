/**
 * The error every construct of this library throws for input it cannot synthesize correctly.
 *
 * The message always names the construct path, the offending field, its value and how to fix it:
 * `[chart/qwen] parallelism.tensor = 0: must be an integer >= 1. Fix: set parallelism.tensor to 1 or more.`
 *
 * TypeScript and JavaScript only (jsii cannot expose a subclass of `Error`); every language can use
 * {@link ConfigErrors} on the message.
 *
 * @jsii ignore
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
  // JSON has no NaN or Infinity (it writes null); a cdk8s Duration or Size reads as written (`1500 millis`, `3 kibibytes`).
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  const amount = (value as { amount?: unknown } | null)?.amount;
  const label = (value as { unit?: { label?: unknown } } | null)?.unit?.label;
  if (typeof amount === 'number' && typeof label === 'string') return `${amount} ${label}`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    try {
      return String(value);
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
}

/** The parts of a {@link LlmdConfigError} message, for callers that only see the message (other jsii languages). */
export interface ConfigErrorDetails {
  /** Construct path of the construct that rejected the input. */
  readonly constructPath: string;
  /** The prop (dotted path) that holds the bad value. */
  readonly field: string;
  /** The rejected value, rendered as text. */
  readonly value: string;
  /** What is wrong. */
  readonly problem: string;
  /** What to change. */
  readonly fix: string;
}

const MESSAGE = /^\[([^\]]*)\] (.+?) = (.*?): (.*)\. Fix: (.*)$/s;

/**
 * Recognise the library's configuration errors from every jsii language: in Python, Java, Go and .NET an
 * exception from a construct arrives as that language's error with the message, so these read the message.
 */
export class ConfigErrors {
  /** Whether `error` is an {@link LlmdConfigError} (in TypeScript/JavaScript). */
  public static isConfigError(error: any): boolean {
    return error instanceof LlmdConfigError || (typeof error === 'object' && error !== null && error.name === 'LlmdConfigError' && typeof error.field === 'string');
  }

  /** Whether `message` (an exception's message) is a configuration error of the library. */
  public static isConfigErrorMessage(message: string): boolean {
    return ConfigErrors.parse(message) !== undefined;
  }

  /** The construct path, field, value, problem and fix of a configuration error message; undefined for other messages. */
  public static parse(message: string): ConfigErrorDetails | undefined {
    const text = typeof message === 'string' ? message.replace(/^(?:Error|LlmdConfigError|RuntimeError|JSIIError): /, '') : '';
    const m = MESSAGE.exec(text);
    if (!m) return undefined;
    return { constructPath: m[1], field: m[2], value: m[3], problem: m[4], fix: m[5] };
  }

  private constructor() {}
}
