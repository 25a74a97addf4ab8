import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  certificateUrn, delegationParties, initAuthority, mintDelegationVariant, mintSliceCredential, mintUser, mintUserCredential,
  parseCredential, sliceUrn, splitPemCertificates, verifyCredential, type TestAuthority, type UserIdentity,
} from '../../src/credentials';

/**
 * docs/trust.md tells operators what the test authority mints and that trusting its CA alone is enough, even for an
 * aggregate that follows only the chain inside each GID (SFA, gcf). These are its statements, checked against the
 * code that mints.
 */
const x509 = (pem: string) => new X509Certificate(pem);
const DOC = readFileSync(resolve(__dirname, '../../docs/trust.md'), 'utf8');

describe('docs/trust.md', () => {
  let dir: string;
  let authority: TestAuthority;
  let user: UserIdentity;

  beforeAll(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'gh-trust-doc-')), 'authority');
    authority = initAuthority(dir).authority;
    user = mintUser(authority, 'harness');
  });

  const subjectOf = (pem: string) => x509(splitPemCertificates(pem)[0]!);
  const issuedBy = (pem: string, issuerPem: string) => subjectOf(pem).checkIssued(x509(issuerPem)) && subjectOf(pem).verify(x509(issuerPem).publicKey);

  it('names the files authority init writes, and the CA and SA are what it says', () => {
    for (const file of ['ca-cert.pem', 'sa-cert.pem', 'ca-key.pem', 'sa-key.pem']) {
      expect(existsSync(join(dir, file))).toBe(true);
      expect(DOC).toContain(`\`${file}\``);
    }
    expect(authority.name).toBe('geni-harness.test');
    expect(DOC).toContain('`geni-harness.test`');
    const ca = authority.ca.certPem;
    const sa = authority.sa.certPem;
    expect(certificateUrn(ca)).toBe('urn:publicid:IDN+geni-harness.test+authority+ca');
    expect(x509(ca).ca).toBe(true);
    expect(issuedBy(ca, ca)).toBe(true);
    expect(certificateUrn(sa)).toBe('urn:publicid:IDN+geni-harness.test+authority+sa');
    expect(x509(sa).ca).toBe(true);
    expect(issuedBy(sa, ca)).toBe(true);
    expect(authority.trustedRootsPem).toEqual([ca]);
  });

  it('the user is issued by the SA with its URN, a urn:uuid and its e-mail', () => {
    expect(issuedBy(user.certPem, authority.sa.certPem)).toBe(true);
    const san = x509(user.certPem).subjectAltName ?? '';
    expect(san).toContain('URI:urn:publicid:IDN+geni-harness.test+user+harness');
    expect(san).toMatch(/URI:urn:uuid:/);
    expect(san).toContain('email:harness@geni-harness.test');
    expect(splitPemCertificates(user.certChainPem)).toEqual([user.certPem.trim(), authority.sa.certPem.trim()].map((p) => splitPemCertificates(p)[0]));
  });

  it('credentials carry SA and CA in X509Data and GIDs that carry the SA, and verify trusting only the CA through the GIDs\' own chains', () => {
    const slice = sliceUrn(authority, 'trustdoc');
    expect(slice).toBe('urn:publicid:IDN+geni-harness.test+slice+trustdoc');
    const delegated = mintDelegationVariant(authority, 'valid', {
      sliceUrn: slice, sliceExpires: new Date(Date.now() + 3_600_000), delegate: { certPem: user.certChainPem, urn: user.urn }, ...delegationParties(authority),
    });
    for (const xml of [mintUserCredential(authority, user), mintSliceCredential(authority, user, slice), delegated]) {
      const credential = parseCredential(xml);
      const owner = splitPemCertificates(credential.ownerGidPem);
      expect(owner).toHaveLength(2);
      expect(issuedBy(owner[1]!, authority.ca.certPem)).toBe(true);
      const target = splitPemCertificates(credential.targetGidPem ?? '');
      expect(target).toHaveLength(2);
      expect(certificateUrn(target[1]!)).toBe(authority.sa.urn);
      expect(verifyCredential(xml, { trustedRootsPem: [authority.ca.certPem], gidChains: 'own' })).toMatchObject({ ok: true });
    }
    const slicely = parseCredential(mintSliceCredential(authority, user, slice));
    expect(slicely.signerCertsPem.map((pem) => certificateUrn(pem))).toEqual([authority.sa.urn, 'urn:publicid:IDN+geni-harness.test+authority+ca']);
    expect(certificateUrn(splitPemCertificates(slicely.targetGidPem!)[0]!)).toBe(slice);
  });
});
