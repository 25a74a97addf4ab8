import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { SignedXml } from 'xml-crypto';
import {
  createTestAuthority,
  credentialMutations,
  delegateCredential,
  mintSliceCredential,
  mintUser,
  mintUserCredential,
  parseCredential,
  sliceUrn,
  verifyCredential,
  type TestAuthority,
  type UserIdentity,
} from '../../src/credentials';
import { parseCredentialDocument, parseXmlSafely, signaturesById } from '../../src/credentials/parse';
import { verifiesInProfile } from '../../src/credentials/signature-profile';

/**
 * The direct check of the common signature shape (src/credentials/signature-profile.ts) only ever says yes, and only
 * where xml-crypto's full check says yes too: whatever it does not verify falls back to that check, so the refusals
 * are xml-crypto's. Here: it does verify what we mint (else the fast path would be dead code), it says nothing for
 * each known defect, and, over generated edits of a credential, a yes from it always comes with a yes from xml-crypto.
 */

let authority: TestAuthority;
let alice: UserIdentity;
let bob: UserIdentity;
let sliceCredential: string;

beforeAll(() => {
  authority = createTestAuthority();
  alice = mintUser(authority, 'alice');
  bob = mintUser(authority, 'bob');
  sliceCredential = mintSliceCredential(authority, alice, sliceUrn(authority, 'profiled'));
});

/** The profile's verdict on the top-level credential (and, with `level` 1, its parent), for each X509Data certificate. */
function profile(xml: string, level = 0): boolean {
  let parsed;
  try {
    parsed = parseCredentialDocument(xml);
  } catch {
    return false;
  }
  let credential = parsed.credential;
  for (let i = 0; i < level && credential.parent; i++) credential = credential.parent;
  const source = parsed.elements.get(credential);
  if (!source?.signature) return false;
  return credential.signerCertsPem.some((certPem) => verifiesInProfile(source.element, credential.id, source.signature!, certPem) === true);
}

/** xml-crypto's own verdict on the same signature, as verify.ts falls back to it. */
function xmlCrypto(xml: string, level = 0): boolean {
  try {
    let credential = parseCredential(xml);
    for (let i = 0; i < level && credential.parent; i++) credential = credential.parent;
    const signature = signaturesById(parseXmlSafely(xml).documentElement!).get(credential.id);
    if (!signature) return false;
    return credential.signerCertsPem.some((certPem) => {
      const checker = new SignedXml({ publicCert: certPem, getCertFromKeyInfo: () => null });
      try {
        checker.loadSignature(signature);
        return checker.checkSignature(xml);
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

describe('the direct signature check (exclusive C14N profile)', () => {
  it('verifies minted slice and user credentials, and both levels of a delegation', () => {
    expect(profile(sliceCredential)).toBe(true);
    expect(profile(mintUserCredential(authority, alice))).toBe(true);
    const parent = parseCredential(sliceCredential);
    const delegated = delegateCredential(sliceCredential, {
      from: alice, to: { certPem: bob.certPem, urn: bob.urn }, targetUrn: parent.targetUrn, targetCertPem: parent.targetGidPem!,
      privileges: [{ name: 'info' }], expires: new Date(Date.now() + 3600_000), signerChainPem: [authority.sa.certPem],
    });
    expect(profile(delegated, 0)).toBe(true);
    expect(profile(delegated, 1)).toBe(true);
  });

  const id = () => parseCredential(sliceCredential).id;
  const defects: Array<[string, () => string]> = [
    ['an element added to <credential>', () => credentialMutations.alteredObject(sliceCredential)],
    ['a privilege changed', () => sliceCredential.replace('<name>*</name>', '<name>info</name>')],
    ['the signature value changed', () => sliceCredential.replace(/<SignatureValue>(.)/, (_, c: string) => `<SignatureValue>${c === 'A' ? 'B' : 'A'}`)],
    ['a second element with the signed xml:id', () => sliceCredential.replace('</signed-credential>', `<extra xml:id="${id()}"/></signed-credential>`)],
    ['a second element with the signed id in an Id attribute', () => sliceCredential.replace('<signatures>', `<signatures><x Id="${id()}"/>`)],
    ['the digest method swapped for SHA-1', () => sliceCredential.replace('xmlenc#sha256', 'xmldsig#sha1')],
    ['the signature method swapped for RSA-SHA1', () => sliceCredential.replace('xmldsig-more#rsa-sha256', 'xmldsig#rsa-sha1')],
    ['SignedInfo canonicalized inclusively', () => sliceCredential.replace(/(<CanonicalizationMethod Algorithm=")[^"]*/, '$1http://www.w3.org/TR/2001/REC-xml-c14n-20010315')],
    ['the transforms removed', () => sliceCredential.replace(/<Transforms>[\s\S]*?<\/Transforms>/, '')],
    ['a second Reference', () => sliceCredential.replace(/(<Reference[\s\S]*?<\/Reference>)/, '$1$1')],
    ['a comment splitting the signature value', () => sliceCredential.replace(/<SignatureValue>(....)/, '<SignatureValue>$1<!---->')],
    ['the Reference pointing elsewhere', () => sliceCredential.replace(`URI="#${id()}"`, 'URI="#other"')],
  ];
  for (const [what, build] of defects) {
    it(`says nothing for ${what}, and verifyCredential refuses it`, () => {
      const xml = build();
      expect(xml).not.toBe(sliceCredential);
      expect(profile(xml)).toBe(false);
      expect(verifyCredential(xml, { trustedRootsPem: authority.trustedRootsPem })).toMatchObject({ ok: false });
    });
  }

  it('says yes where xml-crypto does: a comment or whitespace in the signed element changes nothing canonical', () => {
    const commented = sliceCredential.replace('<type>', '<!-- a note --><type>');
    expect([profile(commented), xmlCrypto(commented)]).toEqual([true, true]);
  });

  it('over generated edits of a credential, a yes always comes with a yes from xml-crypto', () => {
    const alphabet = ['a', '0', ' ', '\n', '"', '=', '<', '>', '/', '#', 'x', ':', 'Id="ref"', 'xml:id="', '<!--c-->', ''];
    fc.assert(
      fc.property(fc.nat({ max: sliceCredential.length - 1 }), fc.nat({ max: 3 }), fc.constantFrom(...alphabet), (at, cut, insert) => {
        const edited = sliceCredential.slice(0, at) + insert + sliceCredential.slice(at + cut);
        if (profile(edited)) expect(xmlCrypto(edited)).toBe(true);
      }),
      { numRuns: 150, seed: 11 },
    );
  });
});
