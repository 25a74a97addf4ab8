import { beforeAll, describe, expect, it } from 'vitest';
import {
  DELEGATION_RULES,
  createTestAuthority,
  delegateTo,
  mintDelegationVariant,
  mintServiceCredential,
  mintServiceIdentity,
  mintSliceCredential,
  mintUser,
  parseCredential,
  sameCertificate,
  sliceUrn,
  userAsDelegator,
  verifyCredential,
  type DelegationRule,
  type ServiceIdentity,
  type TestAuthority,
  type UserIdentity,
} from '../../src/credentials';

let authority: TestAuthority;
let alice: UserIdentity;
let carol: UserIdentity;
let dave: UserIdentity;
let sm: ServiceIdentity;
let slice: string;

beforeAll(() => {
  authority = createTestAuthority();
  alice = mintUser(authority, 'alice');
  carol = mintUser(authority, 'carol');
  dave = mintUser(authority, 'dave');
  sm = mintServiceIdentity(authority, { hosts: ['127.0.0.1'] });
  slice = sliceUrn(authority, 'delegated');
});

const verify = (xml: string, waive: DelegationRule[] = []) =>
  verifyCredential(xml, { trustedRootsPem: authority.trustedRootsPem, waive: new Set(waive) });

describe('delegating to a slice manager', () => {
  it('keeps target, parent and expiry; the new owner is the SM GID; it verifies', () => {
    const parentXml = mintSliceCredential(authority, alice, slice);
    const xml = delegateTo(parentXml, userAsDelegator(authority, alice), sm);
    const parsed = parseCredential(xml);
    expect(parsed.ownerUrn).toBe(sm.urn);
    expect(sameCertificate(parsed.ownerGidPem, sm.certPem)).toBe(true);
    expect(parsed.targetUrn).toBe(slice);
    expect(parsed.expires.getTime()).toBe(parseCredential(parentXml).expires.getTime());
    expect(parsed.privileges).toEqual([{ name: '*', canDelegate: false }]);
    expect(parsed.parent?.ownerUrn).toBe(alice.urn);
    expect(verify(xml)).toMatchObject({ ok: true });
  });

  it('the SM GID is an authority URN usable for TLS, and its own credential verifies', () => {
    expect(sm.urn).toBe(`urn:publicid:IDN+${authority.name}+authority+sm`);
    const own = mintServiceCredential(authority, sm);
    expect(verify(own)).toMatchObject({ ok: true, credential: { ownerUrn: sm.urn, targetUrn: sm.urn } });
  });
});

describe('each delegation rule is checked on its own', () => {
  const request = () => ({ sliceUrn: slice, sliceExpires: new Date(Date.now() + 7 * 86400_000), delegate: alice, owner: carol, stranger: dave });

  it('the valid variant verifies and is owned by the delegate', () => {
    const verdict = verify(mintDelegationVariant(authority, 'valid', request()));
    expect(verdict).toMatchObject({ ok: true, credential: { ownerUrn: alice.urn, targetUrn: slice, parent: { ownerUrn: carol.urn } } });
  });

  it.each(DELEGATION_RULES.map((r) => [r]))('%s: refused naming the rule, accepted when only that rule is waived', (rule) => {
    const xml = mintDelegationVariant(authority, rule, request());
    const verdict = verify(xml);
    expect(verdict).toMatchObject({ ok: false, rule });
    const others = DELEGATION_RULES.filter((r) => r !== rule);
    // Waiving every other rule does not help: the variant breaks this one only.
    expect(verify(xml, others)).toMatchObject({ ok: false, rule });
    const waived = verify(xml, [rule]);
    expect(waived, JSON.stringify(waived)).toMatchObject({ ok: true, credential: { ownerUrn: alice.urn, targetUrn: slice } });
  });

  it('a parent altered after signing is refused as a bad signature of the parent', () => {
    const verdict = verify(mintDelegationVariant(authority, 'parent-signature', request()));
    expect(verdict).toMatchObject({ ok: false, problem: 'bad-signature' });
  });
});
