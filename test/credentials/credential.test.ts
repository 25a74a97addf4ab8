import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core';
import {
  CredentialFormatError,
  createTestAuthority,
  credentialMutations,
  delegateCredential,
  mintCredential,
  mintSliceCredential,
  mintUser,
  mintUserCredential,
  parseCredential,
  parseCredentialTime,
  sameCertificate,
  sfaCredentialStruct,
  sliceUrn,
  splitPemCertificates,
  verifyCredential,
  withSliceAuthorityUrn,
  certificateUrn,
  type TestAuthority,
  type UserIdentity,
} from '../../src/credentials';

let authority: TestAuthority;
let alice: UserIdentity;
let bob: UserIdentity;
let other: TestAuthority;
let slice: string;
let sliceCredential: string;

beforeAll(() => {
  authority = createTestAuthority();
  alice = mintUser(authority, 'alice');
  bob = mintUser(authority, 'bob');
  other = createTestAuthority({ name: 'other.test' });
  slice = sliceUrn(authority, 'myslice');
  sliceCredential = mintSliceCredential(authority, alice, slice);
});

function verify(xml: string, now?: Date) {
  return verifyCredential(xml, { trustedRootsPem: authority.trustedRootsPem, now });
}

describe('minted credentials', () => {
  it('a slice credential has the GENI SFA structure and parses back', () => {
    const parsed = parseCredential(sliceCredential);
    expect(parsed.type).toBe('privilege');
    expect(parsed.ownerUrn).toBe(alice.urn);
    expect(sameCertificate(parsed.ownerGidPem, alice.certPem)).toBe(true);
    expect(parsed.targetUrn).toBe(slice);
    expect(parsed.targetGidPem).toBeDefined();
    expect(parsed.privileges).toEqual([{ name: '*', canDelegate: true }]);
    expect(parsed.signerCertsPem).toHaveLength(2);
    expect(sameCertificate(parsed.signerCertsPem[0]!, authority.sa.certPem)).toBe(true);
    expect(sameCertificate(parsed.signerCertsPem[1]!, authority.ca.certPem)).toBe(true);
    expect(parsed.parent).toBeUndefined();
    expect(sliceCredential).toMatch(/<signed-credential[^>]*>\s*<credential xml:id="(ref[0-9a-f]+)">[\s\S]*<signatures><Signature xml:id="Sig_\1" xmlns="http:\/\/www\.w3\.org\/2000\/09\/xmldsig#">[\s\S]*<Reference URI="#\1">/);
    for (const element of ['type', 'serial', 'owner_gid', 'owner_urn', 'target_gid', 'target_urn', 'uuid', 'expires', 'privileges']) {
      expect(sliceCredential).toContain(`<${element}>`);
    }
  });

  it('the slice credential verifies against the authority roots', () => {
    const verdict = verify(sliceCredential);
    expect(verdict).toMatchObject({ ok: true });
    if (verdict.ok) expect(verdict.credential.targetUrn).toBe(slice);
  });

  it('a user credential targets the user with the privileges real SAs grant', () => {
    const xml = mintUserCredential(authority, alice);
    const verdict = verify(xml);
    expect(verdict.ok).toBe(true);
    const parsed = parseCredential(xml);
    expect(parsed.targetUrn).toBe(alice.urn);
    expect(sameCertificate(parsed.targetGidPem!, alice.certPem)).toBe(true);
    expect(parsed.privileges.map((p) => p.name).sort()).toEqual(['info', 'refresh', 'resolve']);
  });

  it('the default expiry stays inside the user certificate lifetime', () => {
    const shortLived = mintUser(authority, 'brief', { validDays: 1 });
    const parsed = parseCredential(mintSliceCredential(authority, shortLived, slice));
    expect(parsed.expires.getTime()).toBeLessThan(Date.now() + 24 * 3600 * 1000);
    expect(parsed.expires.getTime()).toBeGreaterThan(Date.now());
  });

  it('keeps the chosen expiry and privileges', () => {
    const expires = new Date(Date.now() + 3600_000);
    const parsed = parseCredential(mintSliceCredential(authority, alice, slice, { expires, privileges: [{ name: 'info' }] }));
    expect(parsed.expires.toISOString()).toBe(new Date(Math.floor(expires.getTime() / 1000) * 1000).toISOString());
    expect(parsed.privileges).toEqual([{ name: 'info', canDelegate: false }]);
  });

  it('owner_gid and target_gid carry their issuer, as SFA GIDs carry their parents: each chains to the CA alone', () => {
    const parsed = parseCredential(sliceCredential);
    const [owner, ownerIssuer, ...rest] = splitPemCertificates(parsed.ownerGidPem);
    expect(rest).toEqual([]);
    expect(sameCertificate(owner!, alice.certPem)).toBe(true);
    expect(sameCertificate(ownerIssuer!, authority.sa.certPem)).toBe(true);
    const [target, targetIssuer] = splitPemCertificates(parsed.targetGidPem!);
    expect(certificateUrn(target!)).toBe(slice);
    expect(sameCertificate(targetIssuer!, authority.sa.certPem)).toBe(true);
    // Trusting only the CA, with no X509Data to help: leaf <- its carried issuer <- CA.
    const ca = new X509Certificate(authority.ca.certPem);
    const pairs: Array<[string, string]> = [[owner!, ownerIssuer!], [target!, targetIssuer!]];
    for (const [leaf, issuer] of pairs) {
      expect(new X509Certificate(leaf).verify(new X509Certificate(issuer).publicKey)).toBe(true);
      expect(new X509Certificate(issuer).verify(ca.publicKey)).toBe(true);
    }
    const user = parseCredential(mintUserCredential(authority, alice));
    expect(splitPemCertificates(user.ownerGidPem).length).toBe(2);
    expect(splitPemCertificates(user.targetGidPem!).length).toBe(2);
  });

  it('sfaCredentialStruct wraps the XML as geni_sfa version 3 by default', () => {
    expect(sfaCredentialStruct('<x/>')).toEqual({ geni_type: 'geni_sfa', geni_version: '3', geni_value: '<x/>' });
    expect(sfaCredentialStruct('<x/>', '2').geni_version).toBe('2');
  });
});

describe('verifyCredential problems', () => {
  it('malformed: first character removed', () => {
    expect(verify(credentialMutations.malformed(sliceCredential))).toMatchObject({ ok: false, problem: 'malformed' });
  });

  it('bad-signature: an extra element inserted into <credential>', () => {
    const altered = credentialMutations.alteredObject(sliceCredential);
    expect(altered).toMatch(/<credential xml:id="ref[0-9a-f]+"><foo\/>/);
    expect(verify(altered)).toMatchObject({ ok: false, problem: 'bad-signature' });
  });

  it('bad-signature: a changed privilege', () => {
    const altered = sliceCredential.replace('<name>*</name>', '<name>admin</name>');
    expect(verify(altered)).toMatchObject({ ok: false, problem: 'bad-signature' });
  });

  it('bad-signature: the signature removed', () => {
    const unsigned = sliceCredential.replace(/<Signature\b[\s\S]*<\/Signature>/, '');
    expect(verify(unsigned)).toMatchObject({ ok: false, problem: 'bad-signature', message: expect.stringContaining('no X509Certificate') });
  });

  it('untrusted-signer: signed by another authority', () => {
    const foreignUser = mintUser(other, 'mallory');
    const foreign = mintSliceCredential(other, foreignUser, slice);
    expect(verifyCredential(foreign, { trustedRootsPem: other.trustedRootsPem }).ok).toBe(false); // other is not authority over geni-harness.test
    expect(verify(foreign)).toMatchObject({ ok: false, problem: 'untrusted-signer', message: expect.stringContaining('other.test+authority+sa does not chain to a trusted root') });
  });

  it('untrusted-signer: a trusted user (not an authority) signs a credential at the root', () => {
    const forged = mintCredential({
      owner: { certPem: bob.certPem, urn: bob.urn },
      target: { urn: slice },
      privileges: [{ name: '*', canDelegate: true }],
      expires: new Date(Date.now() + 3600_000),
      signer: alice,
      signerChainPem: [authority.sa.certPem],
    });
    expect(verify(forged)).toMatchObject({ ok: false, problem: 'untrusted-signer', message: expect.stringContaining('not an authority over') });
  });

  it('expired: the credential expiry has passed', () => {
    const expired = mintSliceCredential(authority, alice, slice, { expires: new Date(Date.now() - 60_000) });
    expect(verify(expired)).toMatchObject({ ok: false, problem: 'expired' });
    const later = new Date(parseCredential(sliceCredential).expires.getTime() + 1000);
    expect(verify(sliceCredential, later)).toMatchObject({ ok: false, problem: 'expired' });
  });

  it('expired: the owner certificate has expired', () => {
    const lapsed = mintUser(authority, 'lapsed', { notBefore: new Date(Date.now() - 10 * 86400_000), notAfter: new Date(Date.now() - 86400_000) });
    const xml = mintSliceCredential(authority, lapsed, slice, { expires: new Date(Date.now() + 3600_000) });
    expect(verify(xml)).toMatchObject({ ok: false, problem: 'expired', message: expect.stringContaining('owner_gid') });
  });

  it('bad-certificate: owner_gid is not a certificate', () => {
    const xml = mintCredential({
      owner: { certPem: 'not a certificate', urn: alice.urn },
      target: { urn: slice },
      privileges: [{ name: '*', canDelegate: true }],
      expires: new Date(Date.now() + 3600_000),
      signer: authority.sa,
      signerChainPem: [authority.ca.certPem],
    });
    expect(verify(xml)).toMatchObject({ ok: false, problem: 'bad-certificate' });
  });

  it('bad-certificate: owner_gid carries another URN than owner_urn', () => {
    const xml = mintCredential({
      owner: { certPem: bob.certPem, urn: alice.urn },
      target: { urn: slice },
      privileges: [{ name: '*', canDelegate: true }],
      expires: new Date(Date.now() + 3600_000),
      signer: authority.sa,
      signerChainPem: [authority.ca.certPem],
    });
    expect(verify(xml)).toMatchObject({ ok: false, problem: 'bad-certificate', message: expect.stringContaining(bob.urn) });
  });

  it('malformed: a URN the credential contains breaks the GENI URN rules (the signer names itself with a space)', () => {
    const signer = withSliceAuthorityUrn(authority, `urn:publicid:IDN+${authority.name}+authority+slice authority`);
    const xml = mintSliceCredential(signer, alice, slice);
    expect(verify(xml)).toMatchObject({ ok: false, problem: 'malformed', message: expect.stringContaining('breaks the GENI URN rules') });
    // Only the URN is wrong: without the URN rules it verifies.
    expect(verifyCredential(xml, { trustedRootsPem: authority.trustedRootsPem, lenientUrns: true }).ok).toBe(true);
  });

  it('throws a ConfigError, not a verdict, when a trusted root is unreadable', () => {
    expect(() => verifyCredential(sliceCredential, { trustedRootsPem: ['-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'] })).toThrow(ConfigError);
  });

  it('malformed: a DOCTYPE is refused before parsing', () => {
    const withDoctype = sliceCredential.replace('<signed-credential', '<!DOCTYPE x [<!ENTITY a "aaaa">]>\n<signed-credential');
    expect(verify(withDoctype)).toMatchObject({ ok: false, problem: 'malformed', message: expect.stringContaining('DOCTYPE') });
  });

  it('refuses a second element carrying the signed xml:id (signature wrapping)', () => {
    const id = parseCredential(sliceCredential).id;
    const wrapped = sliceCredential.replace('</signed-credential>', `<extra xml:id="${id}"/></signed-credential>`);
    expect(verify(wrapped)).toMatchObject({ ok: false, problem: 'bad-signature', message: expect.stringContaining('same value for the ID') });
  });
});

describe('delegated credentials', () => {
  function delegate(parentXml: string, privileges: Array<{ name: string; canDelegate?: boolean }>, expires = new Date(Date.now() + 3600_000), signer = alice) {
    const parent = parseCredential(parentXml);
    return delegateCredential(parentXml, {
      from: signer,
      to: { certPem: bob.certPem, urn: bob.urn },
      targetUrn: parent.targetUrn,
      targetCertPem: parent.targetGidPem!,
      privileges,
      expires,
      signerChainPem: [authority.sa.certPem],
    });
  }

  it('verifies a delegation from the slice owner, with the parent parsed', () => {
    const xml = delegate(sliceCredential, [{ name: 'info' }]);
    const verdict = verify(xml);
    expect(verdict).toMatchObject({ ok: true });
    if (!verdict.ok) return;
    expect(verdict.credential.ownerUrn).toBe(bob.urn);
    expect(verdict.credential.parent?.ownerUrn).toBe(alice.urn);
    expect(verdict.credential.parent?.id).not.toBe(verdict.credential.id);
  });

  it('refuses a delegation signed by someone other than the parent owner', () => {
    expect(verify(delegate(sliceCredential, [{ name: 'info' }], undefined, bob))).toMatchObject({ ok: false, problem: 'untrusted-signer' });
  });

  it('refuses delegating a privilege the parent does not allow to delegate', () => {
    const parent = mintSliceCredential(authority, alice, slice, { privileges: [{ name: 'info', canDelegate: false }] });
    expect(verify(delegate(parent, [{ name: 'info' }]))).toMatchObject({ ok: false, problem: 'untrusted-signer', message: expect.stringContaining('"info"') });
  });

  it('refuses a delegation that outlives its parent', () => {
    const parent = mintSliceCredential(authority, alice, slice, { expires: new Date(Date.now() + 3600_000) });
    expect(verify(delegate(parent, [{ name: 'info' }], new Date(Date.now() + 7200_000)))).toMatchObject({ ok: false, problem: 'untrusted-signer' });
  });
});

describe('parseCredential tolerance and errors', () => {
  it('reads expires without a timezone as UTC, and other xsd:dateTime forms', () => {
    expect(parseCredentialTime('2030-01-02T03:04:05')?.toISOString()).toBe('2030-01-02T03:04:05.000Z');
    expect(parseCredentialTime(' 2030-01-02T03:04:05Z ')?.toISOString()).toBe('2030-01-02T03:04:05.000Z');
    expect(parseCredentialTime('2030-01-02T03:04:05.123456+02:00')?.toISOString()).toBe('2030-01-02T01:04:05.123Z');
    expect(parseCredentialTime('2030-01-02 03:04:05+0200')?.toISOString()).toBe('2030-01-02T01:04:05.000Z');
    expect(parseCredentialTime('tomorrow')).toBeUndefined();
  });

  it('accepts whitespace around values and 1/0 for can_delegate', () => {
    const xml = sliceCredential
      .replace(/<expires>([^<]*)Z<\/expires>/, '<expires>\n  $1  \n</expires>')
      .replace('<can_delegate>true</can_delegate>', '<can_delegate> 1 </can_delegate>');
    const parsed = parseCredential(xml);
    expect(parsed.privileges).toEqual([{ name: '*', canDelegate: true }]);
    expect(parsed.expires.toISOString()).toBe(parseCredential(sliceCredential).expires.toISOString());
  });

  it.each([
    [(x: string) => x.replace(/<owner_urn>[^<]*<\/owner_urn>/, ''), /<credential> has no <owner_urn>/],
    [(x: string) => x.replace(/<expires>[^<]*</, '<expires>soon<'), /<expires> in <credential> is "soon"/],
    [(x: string) => x.replace('<can_delegate>true<', '<can_delegate>yes<'), /<can_delegate> in <privilege> 1 of <credential> is "yes"/],
    [(x: string) => x.replace(/<signed-credential[^>]*>/, '<wrong>').replace('</signed-credential>', '</wrong>'), /root element is <wrong>/],
    [(x: string) => x.replace(' xml:id="', ' data-x="'), /no xml:id/],
    [() => '', /empty/],
  ])('names the element in CredentialFormatError (%#)', (mutate, message) => {
    const attempt = () => parseCredential(mutate(sliceCredential));
    expect(attempt).toThrow(CredentialFormatError);
    expect(attempt).toThrow(message);
  });
});
