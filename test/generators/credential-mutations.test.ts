import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { CREDENTIAL_MUTATION_NAMES, credentialMutation } from '../../generators';
import {
  createTestAuthority,
  mintSliceCredential,
  mintUser,
  mintUserCredential,
  sliceUrn,
  verifyCredential,
  type TestAuthority,
} from '../../src/credentials';
import { assertSameForSeed } from './laws';

let authority: TestAuthority;
let credentials: Array<[string, string]>;

beforeAll(() => {
  authority = createTestAuthority();
  const alice = mintUser(authority, 'alice');
  credentials = [
    ['slice credential', mintSliceCredential(authority, alice, sliceUrn(authority, 'fuzzslice'))],
    // A user credential targets its owner, so owner_gid equals target_gid: the swap must find another certificate.
    ['user credential', mintUserCredential(authority, alice)],
  ];
});

const verify = (xml: string) => verifyCredential(xml, { trustedRootsPem: authority.trustedRootsPem });

describe('credentialMutation (integration)', () => {
  it('is deterministic for a seed', () =>
    assertSameForSeed(credentialMutation(), { view: (m) => ({ name: m.name, description: m.description, expected: m.expected, applied: m.apply('<signed-credential><credential xml:id="r1"><target_urn>u</target_urn><owner_gid>A</owner_gid><target_gid>B</target_gid><expires>2030-01-01T00:00:00Z</expires></credential><signatures><Signature><SignatureValue>QUJDREVGR0hJSktMTU5PUA==</SignatureValue></Signature></signatures></signed-credential>') }) }));

  it('the unmutated credentials verify', () => {
    for (const [, xml] of credentials) expect(verify(xml)).toMatchObject({ ok: true });
  });

  it('every mutation is refused by verifyCredential with the problem it names', () => {
    fc.assert(
      fc.property(credentialMutation(), fc.nat({ max: 1 }), (mutation, which) => {
        const [what, xml] = credentials[which]!;
        const mutated = mutation.apply(xml);
        expect(mutated).not.toBe(xml);
        const verdict = verify(mutated);
        expect(verdict, `${mutation.name} on the ${what}: ${mutation.description}`).toMatchObject({ ok: false, problem: mutation.expected });
      }),
      { numRuns: 80 },
    );
  });

  it('draws every mutation', () => {
    const names = new Set(fc.sample(credentialMutation(), { seed: 2, numRuns: 200 }).map((m) => m.name));
    expect([...names].sort()).toEqual([...CREDENTIAL_MUTATION_NAMES].sort());
  });

  it('refuses an unknown mutation name', () => {
    expect(() => credentialMutation({ names: ['nope' as never] })).toThrow(/unknown mutation "nope"/);
  });
});
