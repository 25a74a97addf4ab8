import { beforeAll, describe, expect, it } from 'vitest';
import { redactText, redactValue } from '../../src/core';
import { createTestAuthority, mintSliceCredential, mintUser, sfaCredentialStruct, sliceUrn, type TestAuthority, type UserIdentity } from '../../src/credentials';

/** The transcript must never hold a credential body or a private key; check src/core's redaction on real output. */
let authority: TestAuthority;
let alice: UserIdentity;
let credential: string;

function signatureValue(xml: string): string {
  return /<SignatureValue>([^<]+)<\/SignatureValue>/.exec(xml)![1]!;
}

beforeAll(() => {
  authority = createTestAuthority();
  alice = mintUser(authority, 'alice');
  credential = mintSliceCredential(authority, alice, sliceUrn(authority, 'secret'));
});

describe('redactText on minted material', () => {
  it('replaces a minted credential with a summary naming type and target', () => {
    const text = `request: ${credential} end`;
    const redacted = redactText(text);
    expect(redacted).not.toContain('BEGIN CERTIFICATE');
    expect(redacted).not.toContain(signatureValue(credential));
    expect(redacted).toMatch(/«credential sha256:[0-9a-f]{12} type=privilege target=urn:publicid:IDN\+geni-harness\.test\+slice\+secret»/);
    expect(redacted.endsWith(' end')).toBe(true);
  });

  it('replaces the credential inside an XML-RPC escaped string and inside a JSON struct', () => {
    const escaped = credential.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const xmlrpc = `<member><name>geni_value</name><value><string>${escaped}</string></value></member>`;
    expect(redactText(xmlrpc)).not.toContain(signatureValue(credential));
    expect(redactText(xmlrpc)).toContain('«credential sha256:');

    const json = JSON.stringify([sfaCredentialStruct(credential)]);
    expect(redactText(json)).not.toContain(signatureValue(credential));
    const deep = redactValue({ credentials: [sfaCredentialStruct(credential)] });
    expect(deep.credentials[0]!.geni_value).toMatch(/^<\?xml[^>]*\?>\s*«credential sha256:[0-9a-f]{12} type=privilege /);
    expect(deep.credentials[0]!.geni_value).not.toContain('<signed-credential');
  });

  it('replaces private key PEMs (PKCS#1 as we write them, and PKCS#8)', () => {
    expect(alice.keyPem).toContain('BEGIN RSA PRIVATE KEY');
    const redacted = redactText(`key=${alice.keyPem}`);
    expect(redacted).not.toContain('PRIVATE KEY-----\n');
    expect(redacted).toMatch(/^key=«private key sha256:[0-9a-f]{12} redacted»/);
    const pkcs8 = authority.ca.keyPem.replace(/RSA PRIVATE KEY/g, 'PRIVATE KEY');
    expect(redactText(pkcs8)).toMatch(/^«private key sha256:/);
    expect(redactText(JSON.stringify({ key: alice.keyPem }))).not.toMatch(/MII[A-Za-z0-9+/]{20}/);
  });
});
