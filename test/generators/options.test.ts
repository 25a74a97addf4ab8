import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AM_METHOD_OPTIONS, OPTION_KINDS, amOptions, amOptionsWithUnknownKeys, knownOptionKeys, mistypedOptions, type OptionKind } from '../../generators';
import type { ApiVersion } from '../../src/geni/methods';
import { rfc3339Problem } from '../../src/checks/dates';
import { urnProblems } from '../../src/geni/urn';
import { decodeMethodCall, encodeMethodCall, isStruct, type XmlRpcValue } from '../../src/xmlrpc';
import { RUNS, assertSameForSeed } from './laws';

const APIS: ApiVersion[] = [1, 2, 3];
const SLICE = 'urn:publicid:IDN+example.net+slice+s1';

/** Whether a value has the wire type its option kind needs. */
const WELL_TYPED: Record<OptionKind, (value: XmlRpcValue) => boolean> = {
  boolean: (v) => typeof v === 'boolean',
  'rspec-version': (v) => isStruct(v) && typeof v.type === 'string' && typeof v.version === 'string',
  date: (v) => typeof v === 'string' && rfc3339Problem(v) === undefined,
  users: (v) =>
    Array.isArray(v) &&
    v.every((user) => isStruct(user) && typeof user.urn === 'string' && urnProblems(user.urn, 'user').length === 0 && Array.isArray(user.keys) && user.keys.every((k) => typeof k === 'string')),
  'slice-urn': (v) => typeof v === 'string' && urnProblems(v, 'slice').length === 0,
};

const methodsOf = (api: ApiVersion) => Object.keys(AM_METHOD_OPTIONS[api]).map((method) => [api, method] as const);

describe('amOptions (integration)', () => {
  it.each(APIS)('is deterministic for a seed (v%i)', (api) => assertSameForSeed(amOptions(api, { now: new Date(0), sliceUrn: SLICE })));

  it.each(APIS)('v%i structs carry only keys of that version, each well typed', (api) => {
    const known = knownOptionKeys(api);
    fc.assert(
      fc.property(amOptions(api, { sliceUrn: SLICE }), (options) => {
        for (const [key, value] of Object.entries(options)) {
          expect(known).toContain(key);
          expect(WELL_TYPED[OPTION_KINDS[key]!](value), `${key} = ${JSON.stringify(value)}`).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it.each([...methodsOf(1), ...methodsOf(2), ...methodsOf(3)])('v%i %s: only that method’s keys, its required ones always present', (api, method) => {
    const { required, optional } = AM_METHOD_OPTIONS[api][method]!;
    fc.assert(
      fc.property(amOptions(api, { method, sliceUrn: SLICE }), (options) => {
        for (const key of required) expect(options).toHaveProperty(key);
        for (const key of Object.keys(options)) expect([...required, ...optional]).toContain(key);
      }),
      { numRuns: 30 },
    );
  });

  it('uses the advertised RSpec versions it is given, in any case', () => {
    fc.assert(
      fc.property(amOptions(3, { method: 'ListResources', rspecVersions: [{ type: 'ProtoGENI', version: '2' }] }), (options) => {
        expect(options.geni_rspec_version).toEqual({ type: expect.stringMatching(/^protogeni$/i), version: '2' });
      }),
      { numRuns: 30 },
    );
  });

  it('never draws geni_slice_urn without a slice URN, and puts geni_end_time after now', () => {
    const now = new Date('2030-01-01T00:00:00Z');
    fc.assert(
      fc.property(amOptions(2, { method: 'ListResources' }), amOptions(3, { method: 'Provision', now }), (v2, v3) => {
        expect(v2).not.toHaveProperty('geni_slice_urn');
        if (typeof v3.geni_end_time === 'string') expect(new Date(v3.geni_end_time).getTime()).toBeGreaterThan(now.getTime());
      }),
      RUNS,
    );
  });

  it('encodes as XML-RPC and decodes back unchanged', () => {
    fc.assert(
      fc.property(fc.constantFrom(...APIS).chain((api) => amOptions(api, { sliceUrn: SLICE })), (options) => {
        expect(decodeMethodCall(encodeMethodCall('X', [options])).params[0]).toEqual(options);
      }),
      RUNS,
    );
  });

  it('refuses a method without an options struct', () => {
    expect(() => amOptions(1, { method: 'CreateSliver' })).toThrow(/v1 has no options struct for method "CreateSliver"/);
  });
});

describe('amOptionsWithUnknownKeys (integration)', () => {
  it('is deterministic for a seed', () => assertSameForSeed(amOptionsWithUnknownKeys(3, { now: new Date(0) })));

  it.each(APIS)('v%i: extra keys are prefixed, not geni_, not standard, and the rest is a valid struct', (api) => {
    const known = knownOptionKeys(api);
    fc.assert(
      fc.property(amOptionsWithUnknownKeys(api), ({ options, unknownKeys }) => {
        expect(unknownKeys.length).toBeGreaterThan(0);
        for (const key of unknownKeys) {
          expect(options).toHaveProperty([key]);
          expect(key).toMatch(/^(emulab_|pg_|sfa:|foam_|orca:)/);
          expect(known).not.toContain(key);
        }
        for (const key of Object.keys(options).filter((k) => !unknownKeys.includes(k))) expect(known).toContain(key);
      }),
      RUNS,
    );
  });

  it('refuses the reserved geni_ prefix', () => {
    expect(() => amOptionsWithUnknownKeys(3, { prefix: 'geni_x' })).toThrow(/reserved/);
  });
});

describe('mistypedOptions (integration)', () => {
  it('is deterministic for a seed', () => assertSameForSeed(mistypedOptions(3, { now: new Date(0) })));

  it.each(APIS)('v%i: exactly the labelled standard key has a wrong type', (api) => {
    fc.assert(
      fc.property(mistypedOptions(api, { sliceUrn: SLICE }), ({ options, mistyped }) => {
        expect(knownOptionKeys(api)).toContain(mistyped.key);
        expect(WELL_TYPED[OPTION_KINDS[mistyped.key]!](options[mistyped.key]!)).toBe(false);
        expect(mistyped.breaks).toContain(mistyped.key);
        for (const [key, value] of Object.entries(options)) {
          if (key !== mistyped.key) expect(WELL_TYPED[OPTION_KINDS[key]!](value)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('refuses a method with nothing to mistype', () => {
    expect(() => mistypedOptions(3, { method: 'Shutdown' })).toThrow(/takes no standard option/);
  });
});
