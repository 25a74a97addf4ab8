import fc from 'fast-check';
import type { InvalidValue } from '../labelled';

/**
 * Slice names (GeniApiIdentifiers): `^[a-zA-Z0-9][-a-zA-Z0-9]{0,18}$`. "Aggregates are required to accept any
 * compliant slice name", so the valid side leans on the edges: length 1 and 19, hyphens, case variants.
 */

export type SliceNameDefect = 'too-long' | 'leading-hyphen' | 'underscore' | 'empty' | 'non-ascii' | 'whitespace' | 'punctuation';

export interface SliceNameConstraints {
  /**
   * `true` for names that match the pattern, `false` for labelled names that break it.
   * @defaultValue true
   */
  valid?: boolean;
}

const ALNUM = /^[a-zA-Z0-9]$/;
const NAME_CHAR = /^[-a-zA-Z0-9]$/;

/** @internal */
function validSliceName(): fc.Arbitrary<string> {
  const first = fc.stringMatching(ALNUM);
  const rest = (min: number, max: number) => fc.array(fc.stringMatching(NAME_CHAR), { minLength: min, maxLength: max }).map((chars) => chars.join(''));
  return fc.oneof(
    { weight: 3, arbitrary: fc.tuple(first, rest(0, 18)).map(([a, b]) => a + b) },
    // The edges: a single character and the full 19.
    { weight: 1, arbitrary: first },
    { weight: 1, arbitrary: fc.tuple(first, rest(18, 18)).map(([a, b]) => a + b) },
  );
}

/** @internal */
function invalidSliceName(): fc.Arbitrary<InvalidValue<SliceNameDefect>> {
  const valid = validSliceName();
  const label = (reason: SliceNameDefect, description: string) => (value: string): InvalidValue<SliceNameDefect> => ({ value, reason, description });
  return fc.oneof(
    fc
      .tuple(fc.stringMatching(ALNUM), fc.array(fc.stringMatching(NAME_CHAR), { minLength: 19, maxLength: 40 }))
      .map(([a, rest]) => a + rest.join(''))
      .map(label('too-long', 'longer than 19 characters')),
    valid.map((name) => `-${name.slice(0, 18)}`).map(label('leading-hyphen', 'starts with a hyphen')),
    fc.tuple(valid, fc.nat()).map(([name, at]) => {
      const cut = 1 + (at % Math.min(name.length, 18)); // index <= 18 survives the cut to 19
      return `${name.slice(0, cut)}_${name.slice(cut)}`.slice(0, 19);
    }).map(label('underscore', 'contains an underscore')),
    fc.constant('').map(label('empty', 'is empty')),
    fc.tuple(valid, fc.constantFrom('é', 'ü', 'ß', 'а' /* Cyrillic a */, '名', 'ø')).map(([name, char]) => `${name.slice(0, 18)}${char}`).map(label('non-ascii', 'contains a non-ASCII letter')),
    fc.tuple(valid, fc.constantFrom(' ', '\t', '\n')).map(([name, space]) => `${name.slice(0, 9)}${space}${name.slice(9, 18)}x`).map(label('whitespace', 'contains white space')),
    fc.tuple(valid, fc.constantFrom('.', '+', ':', '/', '@')).map(([name, mark]) => `${name.slice(0, 18)}${mark}`).map(label('punctuation', 'contains a character other than letters, digits and hyphen')),
  );
}

/**
 * Slice names per GeniApiIdentifiers. With `valid: false` each name comes with the rule it breaks.
 */
export function sliceName(constraints?: { valid?: true }): fc.Arbitrary<string>;
export function sliceName(constraints: { valid: false }): fc.Arbitrary<InvalidValue<SliceNameDefect>>;
export function sliceName(constraints: SliceNameConstraints = {}): fc.Arbitrary<string> | fc.Arbitrary<InvalidValue<SliceNameDefect>> {
  return constraints.valid === false ? invalidSliceName() : validSliceName();
}
