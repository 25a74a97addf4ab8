import fc from 'fast-check';
import { expect } from 'vitest';

/**
 * The determinism law (fast-check's assertProduceSameValueGivenSameSeed): sampling an arbitrary twice with the
 * same seed gives the same values. `view` projects values holding functions onto comparable data.
 */
export function assertSameForSeed<T>(arbitrary: fc.Arbitrary<T>, options: { numRuns?: number; view?: (value: T) => unknown } = {}): void {
  const view = options.view ?? ((value: T) => value);
  const numRuns = options.numRuns ?? 20;
  for (const seed of [1, 42, 20260101]) {
    const first = fc.sample(arbitrary, { seed, numRuns }).map(view);
    const second = fc.sample(arbitrary, { seed, numRuns }).map(view);
    expect(second).toEqual(first);
  }
}

/** Run settings for the generator laws: explicit runs, so the whole folder stays well under a minute. */
export const RUNS = { numRuns: 100 } as const;
