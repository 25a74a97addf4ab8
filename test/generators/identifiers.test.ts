import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GENI_URN_TYPES, sliceName, transcribePublicId, urn, type SliceNameDefect, type UrnDefect } from '../../generators';
import { isValidSliceName, parseUrn, urnProblems } from '../../src/geni/urn';
import { RUNS, assertSameForSeed } from './laws';

/** What each slice-name defect must look like, so a label can't drift from its value. */
const SLICE_NAME_DEFECT: Record<SliceNameDefect, (name: string) => boolean> = {
  'too-long': (name) => name.length > 19 && /^[a-zA-Z0-9][-a-zA-Z0-9]*$/.test(name),
  'leading-hyphen': (name) => name.startsWith('-'),
  underscore: (name) => name.includes('_'),
  empty: (name) => name === '',
  'non-ascii': (name) => /[^\x00-\x7f]/.test(name),
  whitespace: (name) => /\s/.test(name),
  punctuation: (name) => /[^-a-zA-Z0-9\s\u0080-\uffff_]/.test(name),
};

/** The urnProblems message each URN defect must produce. */
const URN_DEFECT: Record<UrnDefect, RegExp> = {
  'missing-part': /missing or empty|is empty/,
  'wrong-prefix': /must begin with/,
  'bad-characters': /whitespace|raw character|"%"/,
  'wrong-type': /expected "|not one of the GENI URN types/,
  'bad-authority': /authority segment|empty sub-authority/,
  'bad-name': /slice name|sliver name/,
};

describe('sliceName (integration)', () => {
  it('is deterministic for a seed', () => {
    assertSameForSeed(sliceName({ valid: true }));
    assertSameForSeed(sliceName({ valid: false }));
  });

  it('valid names match the GENI slice-name pattern, including the 1- and 19-character edges', () => {
    fc.assert(fc.property(sliceName({ valid: true }), (name) => {
      expect(isValidSliceName(name)).toBe(true);
    }), RUNS);
    const lengths = new Set(fc.sample(sliceName(), { seed: 7, numRuns: 300 }).map((name) => name.length));
    expect(lengths).toContain(1);
    expect(lengths).toContain(19);
  });

  it('invalid names fail the pattern, for the reason they state', () => {
    fc.assert(
      fc.property(sliceName({ valid: false }), ({ value, reason }) => {
        expect(isValidSliceName(value)).toBe(false);
        expect(SLICE_NAME_DEFECT[reason](value), `${reason}: ${JSON.stringify(value)}`).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('draws every defect', () => {
    const reasons = new Set(fc.sample(sliceName({ valid: false }), { seed: 3, numRuns: 300 }).map((v) => v.reason));
    expect([...reasons].sort()).toEqual(Object.keys(SLICE_NAME_DEFECT).sort());
  });
});

describe('urn (integration)', () => {
  it('is deterministic for a seed', () => {
    assertSameForSeed(urn());
    assertSameForSeed(urn({ type: 'slice', valid: false }));
  });

  it.each([undefined, ...GENI_URN_TYPES])('valid URNs of type %s have no problem and parse into their parts', (type) => {
    fc.assert(
      fc.property(urn({ type, valid: true }), (value) => {
        expect(urnProblems(value, type)).toEqual([]);
        if (type) expect(parseUrn(value)?.type).toBe(type);
      }),
      { numRuns: 60 },
    );
  });

  it.each([undefined, ...GENI_URN_TYPES])('invalid URNs of type %s are reported, for the reason they state', (type) => {
    fc.assert(
      fc.property(urn({ type, valid: false }), ({ value, reason }) => {
        const problems = urnProblems(value, type);
        expect(problems.length, JSON.stringify(value)).toBeGreaterThan(0);
        expect(problems.some((problem) => URN_DEFECT[reason].test(problem)), `${reason}: ${JSON.stringify(value)} → ${problems.join('; ')}`).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('transcribes public identifiers per RFC 3151', () => {
    expect(transcribePublicId('  my  node/x ')).toBe('my+node%2Fx');
    expect(transcribePublicId('a//b')).toBe('a:b');
    expect(transcribePublicId("100% a+b #1? it's:ok")).toBe('100%25+a%2Bb+%231%3F+it%27s%3Aok');
  });
});
