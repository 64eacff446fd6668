import { LlmdConfigError } from '../../src/errors';

/** What a rejected input must report. */
export interface ExpectedError {
  /** Construct path that must appear in the message. */
  readonly path: string;
  /** Field (dotted prop path) that must appear in the message. */
  readonly field: string;
  /** Text of the offending value that must appear in the message. */
  readonly value: string;
  /** Optional extra fragment (the problem or the fix). */
  readonly mentions?: string;
}

/** Run `fn`, require it to throw the library's error, and check path, field, value and fix are in the message. */
export function expectConfigError(fn: () => unknown, expected: ExpectedError): LlmdConfigError {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  if (thrown === undefined) throw new Error(`expected LlmdConfigError for ${expected.field}, but nothing was thrown`);
  expect(thrown).toBeInstanceOf(LlmdConfigError);
  const err = thrown as LlmdConfigError;
  expect(err.message).toContain(`[${expected.path}]`);
  expect(err.field).toBe(expected.field);
  expect(err.message).toContain(expected.field);
  expect(err.message).toContain(expected.value);
  expect(err.message).toMatch(/Fix: \S/);
  if (expected.mentions) expect(err.message).toContain(expected.mentions);
  return err;
}
