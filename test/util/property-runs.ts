/**
 * Run counts and seeds of the property tests, from one place:
 *
 * - `LLMD_PROPERTY_RUNS`: runs of every property (default: each property's own count, which keeps `npm test` fast);
 *   `npx projen test:properties:nightly` raises it so that the properties run >= 10 000 cases in total.
 * - `LLMD_PROPERTY_SEED`: the base seed (default: derived from the clock, so each run explores other cases). A
 *   failure names the seed to reproduce it: `LLMD_PROPERTY_SEED=<seed> npx jest test/<file>`.
 */
import * as fc from 'fast-check';

function envInt(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new Error(`${name}=${raw} is not an integer`);
  return n;
}

const RUNS = envInt('LLMD_PROPERTY_RUNS');
if (RUNS !== undefined && RUNS < 1) throw new Error(`LLMD_PROPERTY_RUNS=${RUNS} must be at least 1`);

/** The base seed of this test process. */
export const PROPERTY_SEED: number = envInt('LLMD_PROPERTY_SEED') ?? (Date.now() + process.pid * 65_537) % 2 ** 31;

/** Runs of a property whose own default is `defaultRuns`. */
export function propertyRuns(defaultRuns: number): number {
  return RUNS ?? defaultRuns;
}

/** Parameters of one property: its run count and a seed derived from the base seed and `salt` (one per property). */
export function propertyParams<T>(defaultRuns: number, salt: number): fc.Parameters<T> {
  return { numRuns: propertyRuns(defaultRuns), seed: (PROPERTY_SEED + salt) % 2 ** 31 };
}

/** `fc.assert` with the run count and seed from the environment; a failure says how to reproduce it. */
export function assertProperty<T>(property: fc.IProperty<T>, defaultRuns: number, salt: number): void {
  try {
    fc.assert(property, propertyParams<T>(defaultRuns, salt));
  } catch (e) {
    const err = e as Error;
    err.message = `property failed with LLMD_PROPERTY_SEED=${PROPERTY_SEED} (reproduce: LLMD_PROPERTY_SEED=${PROPERTY_SEED} `
      + `LLMD_PROPERTY_RUNS=${propertyRuns(defaultRuns)} npx jest <this file>)\n${err.message}`;
    throw err;
  }
}
