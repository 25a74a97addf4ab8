import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RSPEC_MUTATION_KINDS, RSPEC_MUTATION_VIOLATES, mutatedRequestRSpec, requestRSpec } from '../../generators';
import { serializeRequest, validateRSpec } from '../../src/rspec';
import { RUNS, assertSameForSeed } from './laws';

const errorRules = (xml: string) => validateRSpec(xml, { expectedType: 'request' }).findings.filter((f) => f.severity === 'error').map((f) => f.rule);

describe('mutatedRequestRSpec (integration)', () => {
  it('is deterministic for a seed', () => assertSameForSeed(mutatedRequestRSpec()));

  it('every mutation is rejected for the rule it names', () => {
    fc.assert(
      fc.property(mutatedRequestRSpec(), ({ xml, mutation }) => {
        expect(errorRules(xml), `${mutation.kind} at ${mutation.target}: ${mutation.description}`).toContain(mutation.violates);
      }),
      { numRuns: 300 },
    );
  });

  it.each(RSPEC_MUTATION_KINDS)('%s breaks %s on requests with and without links and extensions', (kind) => {
    const base = requestRSpec({ nodes: { min: 1, max: 4 }, links: { max: 3 }, withExtensions: true });
    fc.assert(
      fc.property(mutatedRequestRSpec(base, { kinds: [kind] }), ({ xml, mutation }) => {
        expect(mutation.kind).toBe(kind);
        expect(mutation.violates).toBe(RSPEC_MUTATION_VIOLATES[kind]);
        expect(mutation.target).not.toBe('');
        expect(errorRules(xml)).toContain(mutation.violates);
      }),
      { numRuns: 40 },
    );
  });

  it('textual mutations hand back the valid model they started from; model mutations the model they serialised', () => {
    fc.assert(
      fc.property(mutatedRequestRSpec(), ({ xml, model, mutation }) => {
        const fromModel = serializeRequest(model);
        if (['duplicate-client-id', 'dangling-interface-ref', 'one-ended-link'].includes(mutation.kind)) expect(xml).toBe(fromModel);
        else expect(errorRules(fromModel)).toEqual([]);
      }),
      RUNS,
    );
  });

  it('refuses unknown kinds and an empty kind list', () => {
    expect(() => mutatedRequestRSpec(undefined, { kinds: [] })).toThrow(/at least one/);
    expect(() => mutatedRequestRSpec(undefined, { kinds: ['nope' as never] })).toThrow(/unknown mutation kind "nope"/);
  });
});
