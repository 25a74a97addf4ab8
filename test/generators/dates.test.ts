import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rfc3339Date, type DateDefect } from '../../generators';
import { rfc3339Problem } from '../../src/checks/dates';
import { RUNS, assertSameForSeed } from './laws';

/** The federation AM API profile: upper-case T, no fraction, explicit zone. */
const FEDERATION_PROFILE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/;

const DEFECT_SHAPE: Record<DateDefect, RegExp> = {
  'missing-zone': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/,
  'space-separator': /^\S+ \S+$/,
  'hour-24': /T24:00:00/,
  'month-out-of-range': /^\d{4}-(00|13)-/,
  'day-out-of-range': /^\d{4}-(02-30|04-31|01-32|06-00)T/,
  'xmlrpc-compact': /^\d{8}T\d{2}:\d{2}:\d{2}$/,
  'lowercase-t': /^\d{4}-\d{2}-\d{2}t/,
  'lowercase-z': /z$/,
  'fractional-seconds': /:\d{2}\.\d+(Z|[+-])/,
};

describe('rfc3339Date (integration)', () => {
  it('is deterministic for a seed', () => {
    assertSameForSeed(rfc3339Date());
    assertSameForSeed(rfc3339Date({ valid: false }));
  });

  it('valid dates are RFC 3339 with an explicit zone, and name the instant they say', () => {
    fc.assert(
      fc.property(rfc3339Date({ valid: true }), (text) => {
        expect(rfc3339Problem(text)).toBeUndefined();
        expect(Number.isNaN(new Date(text).getTime())).toBe(false);
      }),
      RUNS,
    );
  });

  it("the 'federation' profile keeps to upper-case T and no fractional seconds", () => {
    fc.assert(fc.property(rfc3339Date({ valid: true, profile: 'federation' }), (text) => {
      expect(text).toMatch(FEDERATION_PROFILE);
    }), RUNS);
  });

  it('the default profile also draws Z, offsets and fractions', () => {
    const sample = fc.sample(rfc3339Date(), { seed: 5, numRuns: 200 });
    expect(sample.some((t) => t.endsWith('Z'))).toBe(true);
    expect(sample.some((t) => /[+-]\d{2}:\d{2}$/.test(t))).toBe(true);
    expect(sample.some((t) => /\.\d+/.test(t))).toBe(true);
  });

  it('invalid dates fail RFC 3339, risky ones pass it but not the federation profile, each shaped as its reason says', () => {
    fc.assert(
      fc.property(rfc3339Date({ valid: false }), ({ value, reason, verdict }) => {
        expect(value).toMatch(DEFECT_SHAPE[reason]);
        if (verdict === 'invalid') expect(rfc3339Problem(value), `${reason}: ${value}`).toBeDefined();
        else {
          expect(rfc3339Problem(value), `${reason}: ${value}`).toBeUndefined();
          expect(value).not.toMatch(FEDERATION_PROFILE);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('refuses an empty range', () => {
    expect(() => rfc3339Date({ min: new Date(2), max: new Date(1) })).toThrow(/min must not be after max/);
  });
});
