import { beforeAll, describe, expect, it } from 'vitest';
import {
  VerificationCache, createTestAuthority, credentialMutations, mintSliceCredential, mintUser, sliceUrn, verifyCredential,
  type TestAuthority, type UserIdentity,
} from '../../src/credentials';

let authority: TestAuthority;
let alice: UserIdentity;
beforeAll(() => {
  authority = createTestAuthority();
  alice = mintUser(authority, 'alice');
});

describe('VerificationCache', () => {
  it('answers a credential that verified from the cache while its verdict holds, and re-verifies after', () => {
    const expires = new Date(Date.now() + 3600_000);
    expires.setMilliseconds(0);
    const xml = mintSliceCredential(authority, alice, sliceUrn(authority, 'cached'), { expires });
    const cache = new VerificationCache();
    const options = { trustedRootsPem: authority.trustedRootsPem, cache };
    const first = verifyCredential(xml, options);
    expect(first.ok).toBe(true);
    const second = verifyCredential(xml, options);
    // The very same parsed object: no second parse or signature check.
    expect(second.ok && first.ok && second.credential === first.credential).toBe(true);
    expect(verifyCredential(xml, { ...options, now: new Date(expires.getTime() + 1000) })).toMatchObject({ ok: false, problem: 'expired' });
  });

  it('keeps no failures, and keys by trust roots and waived rules', () => {
    const cache = new VerificationCache();
    const altered = credentialMutations.alteredObject(mintSliceCredential(authority, alice, sliceUrn(authority, 'alt')));
    expect(verifyCredential(altered, { trustedRootsPem: authority.trustedRootsPem, cache }).ok).toBe(false);
    expect(verifyCredential(altered, { trustedRootsPem: authority.trustedRootsPem, cache }).ok).toBe(false);
    const xml = mintSliceCredential(authority, alice, sliceUrn(authority, 'keyed'));
    expect(verifyCredential(xml, { trustedRootsPem: authority.trustedRootsPem, cache }).ok).toBe(true);
    const stranger = createTestAuthority({ name: 'stranger.test' });
    expect(verifyCredential(xml, { trustedRootsPem: stranger.trustedRootsPem, cache })).toMatchObject({ ok: false, problem: 'untrusted-signer' });
    expect(VerificationCache.key(xml, { trustedRootsPem: authority.trustedRootsPem })).not.toBe(VerificationCache.key(xml, { trustedRootsPem: authority.trustedRootsPem, waive: new Set(['same-target']) }));
  });
});
