import fc from 'fast-check';
import { makeUrn } from '../../src/geni/urn';
import type { InvalidValue } from '../labelled';
import { sliceName } from './slice-name';

/**
 * GENI URNs (GeniApiIdentifiers): `urn:publicid:IDN+<authority>+<type>+<name>`, the public identifier
 * transcribed per RFC 3151. Valid ones satisfy `urnProblems(urn, type)` from src/geni/urn.ts with no problem.
 */

/** The URN types GeniApiIdentifiers names. */
export const GENI_URN_TYPES = ['authority', 'slice', 'sliver', 'node', 'link', 'interface', 'user', 'vlan', 'tool'] as const;
export type GeniUrnType = (typeof GENI_URN_TYPES)[number];

export type UrnDefect = 'missing-part' | 'wrong-prefix' | 'bad-characters' | 'wrong-type' | 'bad-authority' | 'bad-name';

export interface UrnConstraints {
  /**
   * The URN type. Invalid URNs of kind `wrong-type` then carry another type.
   * @defaultValue any of {@link GENI_URN_TYPES}
   */
  type?: GeniUrnType;
  /**
   * `true` for URNs every aggregate must accept, `false` for labelled broken ones.
   * @defaultValue true
   */
  valid?: boolean;
}

/**
 * RFC 3151 transcription of a public-identifier name, as gcf's urn_util does it: white space runs become `+`,
 * `//` becomes `:`, and `% ; + # ? ' : /` are percent-encoded. `::` (which RFC 3151 turns into `;`) is left to
 * the caller: src/geni/urn.ts flags a raw `;`.
 */
export function transcribePublicId(text: string): string {
  return text
    .trim()
    .replace(/%/g, '%25')
    .replace(/;/g, '%3B')
    .replace(/\+/g, '%2B')
    .replace(/\s+/g, '+')
    .replace(/#/g, '%23')
    .replace(/\?/g, '%3F')
    .replace(/'/g, '%27')
    .replace(/:/g, '%3A')
    .replace(/\/\//g, ':')
    .replace(/\//g, '%2F');
}

/** Sub-authorities joined by ':' (e.g. `ch.geni.net:myproject`). @internal */
function authority(): fc.Arbitrary<string> {
  const segment = fc.stringMatching(/^[a-zA-Z0-9][a-zA-Z0-9.-]{0,15}$/);
  return fc.oneof(
    // Authorities seen in the wild, so shrunk counterexamples read like real URNs…
    { weight: 1, arbitrary: fc.constantFrom('emulab.net', 'ch.geni.net', 'ch.geni.net:myproject', 'utah.cloudlab.us', 'geni-harness.test') },
    // …and anything the rules allow, which aggregates are required to accept.
    { weight: 2, arbitrary: fc.array(segment, { minLength: 1, maxLength: 3 }).map((segments) => segments.join(':')) },
  );
}

/** A name as the type's rules want it. @internal */
function nameFor(type: GeniUrnType): fc.Arbitrary<string> {
  switch (type) {
    case 'slice':
      return sliceName({ valid: true });
    case 'sliver':
      return fc.stringMatching(/^[a-zA-Z0-9.\-_]{1,24}$/);
    case 'authority':
      return fc.constantFrom('am', 'sa', 'ma', 'ch', 'cm');
    case 'user':
      return fc.stringMatching(/^[a-zA-Z]\w{0,7}$/);
    default:
      // Free text with the characters transcription must handle; '::' is split so it never becomes ';'.
      return fc
        .tuple(fc.stringMatching(/^[a-zA-Z0-9]$/), fc.stringMatching(/^[a-zA-Z0-9 ./+:'?#%-]{0,20}$/))
        .map(([first, rest]) => transcribePublicId(`${first}${rest}`.replace(/::/g, ':-:')));
  }
}

/** @internal */
function validUrn(type?: GeniUrnType): fc.Arbitrary<string> {
  const types = type ? [type] : GENI_URN_TYPES;
  return fc.oneof(...types.map((t) => fc.tuple(authority(), nameFor(t)).map(([auth, name]) => makeUrn(auth, t, name))));
}

/** @internal */
function invalidUrn(type?: GeniUrnType): fc.Arbitrary<InvalidValue<UrnDefect>> {
  const types = type ? [type] : GENI_URN_TYPES;
  const parts = fc.oneof(...types.map((t) => fc.tuple(authority(), nameFor(t)).map(([auth, name]) => ({ auth, t, name }))));
  const defects: Array<fc.Arbitrary<InvalidValue<UrnDefect>>> = [
    fc.tuple(parts, fc.nat({ max: 2 })).map(([{ auth, t, name }, which]) => {
      const value = [`urn:publicid:IDN+${auth}+${t}`, `urn:publicid:IDN++${t}+${name}`, `urn:publicid:IDN+${auth}+${t}+`][which]!;
      return { value, reason: 'missing-part' as const, description: ['the name part is missing', 'the authority part is empty', 'the name part is empty'][which]! };
    }),
    fc.tuple(parts, fc.constantFrom('urn:publicid:idn+', 'urn:publicid:IDN:', 'urn:pubid:IDN+', 'IDN+', 'urn:IDN+')).map(([{ auth, t, name }, prefix]) => ({
      value: `${prefix}${auth}+${t}+${name}`,
      reason: 'wrong-prefix' as const,
      description: `begins with "${prefix}" instead of "urn:publicid:IDN+"`,
    })),
    fc.tuple(parts, fc.constantFrom('/', ' ', '#', '?', ';', "'", '%zz', '%4')).map(([{ auth, t, name }, raw]) => ({
      value: makeUrn(auth, t, `${name}${raw}x`),
      reason: 'bad-characters' as const,
      description: `the name holds ${JSON.stringify(raw)}, which RFC 3151 transcription never leaves raw`,
    })),
    fc.tuple(parts, fc.constantFrom('_sa', '.net', '-x')).map(([{ auth, t, name }, bad]) => ({
      value: makeUrn(`${bad}:${auth}`, t, name),
      reason: 'bad-authority' as const,
      description: `the authority starts with the sub-authority ${JSON.stringify(bad)}, which does not begin with a letter or digit`,
    })),
  ];
  if (type) {
    const others = GENI_URN_TYPES.filter((t) => t !== type);
    defects.push(
      fc.oneof(...others.map((other) => validUrn(other))).map((value) => ({ value, reason: 'wrong-type' as const, description: `a valid URN of another type than ${type}` })),
    );
  } else {
    defects.push(
      fc.tuple(authority(), fc.constantFrom('slyce', 'nodes', 'Sliver-URN', 'resource')).map(([auth, t]) => ({
        value: makeUrn(auth, t, 'x1'),
        reason: 'wrong-type' as const,
        description: `type "${t}" is not a GENI URN type`,
      })),
    );
  }
  if (type === undefined || type === 'slice') {
    defects.push(
      fc.tuple(authority(), sliceName({ valid: false }))
        .filter(([, bad]) => bad.value !== '' && !/[\s/;'?#%+]/.test(bad.value))
        .map(([auth, bad]) => ({ value: makeUrn(auth, 'slice', bad.value), reason: 'bad-name' as const, description: `slice name ${bad.description}` })),
    );
  }
  if (type === 'sliver') {
    defects.push(
      fc.tuple(authority(), fc.constantFrom('a!b', 'x,y', 'sliver@1', 'é')).map(([auth, name]) => ({
        value: makeUrn(auth, 'sliver', name),
        reason: 'bad-name' as const,
        description: `sliver name ${JSON.stringify(name)} has a character outside [a-zA-Z0-9.-_]`,
      })),
    );
  }
  return fc.oneof(...defects);
}

/**
 * GENI URNs. With `valid: false` each comes with the rule it breaks; `urnProblems(value, type)` reports it.
 */
export function urn(constraints?: { type?: GeniUrnType; valid?: true }): fc.Arbitrary<string>;
export function urn(constraints: { type?: GeniUrnType; valid: false }): fc.Arbitrary<InvalidValue<UrnDefect>>;
export function urn(constraints: UrnConstraints = {}): fc.Arbitrary<string> | fc.Arbitrary<InvalidValue<UrnDefect>> {
  return constraints.valid === false ? invalidUrn(constraints.type) : validUrn(constraints.type);
}
