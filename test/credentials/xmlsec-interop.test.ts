import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { parseCredentialDocument } from '../../src/credentials/parse';
import { verifiesInProfile } from '../../src/credentials/signature-profile';

/**
 * Aggregates built on gcf (and ProtoGENI) verify credentials with the xmlsec1 command line; our credentials must
 * pass it, and credentials xmlsec1 signs (inclusive C14N, rsa-sha1, gcf's template) must pass our verifier.
 */

let dir: string;
let authority: TestAuthority;
let alice: UserIdentity;

function xmlsec1(args: string[]): { status: number; output: string } {
  const result = spawnSync('xmlsec1', args, { encoding: 'utf8' });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error('xmlsec1 is not installed: install it (Debian/Ubuntu: apt-get install xmlsec1) — these interoperability tests need it');
  }
  if (result.error) throw result.error;
  return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** gcf's command line: xmlsec1 --verify --node-id "Sig_<ref>" --trusted-pem <root>... <file>, once per signature. */
function gcfVerify(xml: string, ids: string[]): { status: number; output: string } {
  const file = write(`cred-${Math.random().toString(36).slice(2)}.xml`, xml);
  const roots = authority.trustedRootsPem.map((pem, i) => write(`root${i}.pem`, pem));
  for (const id of ids) {
    const result = xmlsec1(['--verify', '--node-id', `Sig_${id}`, ...roots.flatMap((r) => ['--trusted-pem', r]), file]);
    if (result.status !== 0) return result;
  }
  return { status: 0, output: '' };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'geni-xmlsec-'));
  authority = createTestAuthority();
  alice = mintUser(authority, 'alice');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('xmlsec1 verifies our credentials', () => {
  it('accepts a slice credential and a user credential', () => {
    for (const xml of [mintSliceCredential(authority, alice, sliceUrn(authority, 'interop')), mintUserCredential(authority, alice)]) {
      const result = gcfVerify(xml, [parseCredential(xml).id]);
      expect(result.output).toBe('');
      expect(result.status).toBe(0);
    }
  });

  it('rejects an altered credential', () => {
    const xml = mintSliceCredential(authority, alice, sliceUrn(authority, 'interop'));
    const result = gcfVerify(credentialMutations.alteredObject(xml), [parseCredential(xml).id]);
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/FAIL|digest/i);
  });

  it('rejects a credential from an authority it does not trust', () => {
    const other = createTestAuthority({ name: 'other.test' });
    const xml = mintSliceCredential(other, mintUser(other, 'mallory'), sliceUrn(other, 'x'));
    expect(gcfVerify(xml, [parseCredential(xml).id]).status).not.toBe(0);
  });

  it('accepts both signatures of a delegated credential', () => {
    const parentXml = mintSliceCredential(authority, alice, sliceUrn(authority, 'interop'));
    const parent = parseCredential(parentXml);
    const bob = mintUser(authority, 'bob');
    const xml = delegateCredential(parentXml, {
      from: alice,
      to: { certPem: bob.certPem, urn: bob.urn },
      targetUrn: parent.targetUrn,
      targetCertPem: parent.targetGidPem!,
      privileges: [{ name: 'info' }],
      expires: new Date(Date.now() + 3600_000),
      signerChainPem: [authority.sa.certPem],
    });
    const child = parseCredential(xml);
    const result = gcfVerify(xml, [child.id, child.parent!.id]);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('verifyCredential accepts what xmlsec1 signs', () => {
  /** gcf's signature template: inclusive C14N 1.0, rsa-sha1, an empty X509Data for xmlsec1 to fill. */
  function gcfTemplate(id: string, exclusive?: { signature: string; digest: string }): string {
    const c14n = exclusive ? 'http://www.w3.org/2001/10/xml-exc-c14n#' : 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';
    return `<Signature xml:id="Sig_${id}" xmlns="http://www.w3.org/2000/09/xmldsig#">
  <SignedInfo>
    <CanonicalizationMethod Algorithm="${c14n}"/>
    <SignatureMethod Algorithm="${exclusive?.signature ?? 'http://www.w3.org/2000/09/xmldsig#rsa-sha1'}"/>
    <Reference URI="#${id}">
      <Transforms>
        <Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature" />${exclusive ? `\n        <Transform Algorithm="${c14n}"/>` : ''}
      </Transforms>
      <DigestMethod Algorithm="${exclusive?.digest ?? 'http://www.w3.org/2000/09/xmldsig#sha1'}"/>
      <DigestValue></DigestValue>
    </Reference>
  </SignedInfo>
  <SignatureValue />
  <KeyInfo>
    <X509Data>
      <X509SubjectName/>
      <X509IssuerSerial/>
      <X509Certificate/>
    </X509Data>
    <KeyValue />
  </KeyInfo>
</Signature>`;
  }

  function signWithXmlsec1(exclusive?: { signature: string; digest: string }): string {
    const ours = mintSliceCredential(authority, alice, sliceUrn(authority, 'gcfsigned'));
    const id = parseCredential(ours).id;
    const template = write('template.xml', ours.replace(/<Signature\b[\s\S]*<\/Signature>/, gcfTemplate(id, exclusive)));
    const key = write('sa-key.pem', authority.sa.keyPem);
    const cert = write('sa-cert.pem', authority.sa.certPem);
    const ca = write('ca-cert.pem', authority.ca.certPem);
    // gcf's signing command line: --privkey-pem key,cert[,chain...]
    const result = spawnSync('xmlsec1', ['--sign', '--node-id', `Sig_${id}`, '--privkey-pem', `${key},${cert},${ca}`, template], { encoding: 'utf8' });
    if (result.error) throw new Error(`xmlsec1 is not installed or failed to start: install it (apt-get install xmlsec1): ${result.error.message}`);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    return result.stdout;
  }

  it('verifies a credential xmlsec1 signed with inclusive C14N and rsa-sha1', () => {
    const signed = signWithXmlsec1();
    expect(signed).toContain('REC-xml-c14n-20010315');
    expect(signed).toMatch(/<SignatureValue>\s*[A-Za-z0-9+/]/);
    expect(verifyCredential(signed, { trustedRootsPem: authority.trustedRootsPem })).toMatchObject({ ok: true });
  });

  it('its direct check of exclusive-C14N signatures (signature-profile.ts) verifies what xmlsec1 signs so, and only that', () => {
    const shapes = [
      { signature: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', digest: 'http://www.w3.org/2001/04/xmlenc#sha256' },
      { signature: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1', digest: 'http://www.w3.org/2000/09/xmldsig#sha1' },
    ];
    const directly = (xml: string): boolean => {
      const { credential, elements } = parseCredentialDocument(xml);
      const source = elements.get(credential)!;
      return credential.signerCertsPem.some((certPem) => verifiesInProfile(source.element, credential.id, source.signature!, certPem) === true);
    };
    for (const shape of shapes) {
      const signed = signWithXmlsec1(shape);
      expect(signed).toContain('xml-exc-c14n#');
      expect(directly(signed)).toBe(true);
      expect(verifyCredential(signed, { trustedRootsPem: authority.trustedRootsPem })).toMatchObject({ ok: true });
      expect(directly(credentialMutations.alteredObject(signed))).toBe(false);
    }
    // gcf's own template (inclusive C14N) is left to the full check.
    expect(directly(signWithXmlsec1())).toBe(false);
  });

  it('still detects alteration of an xmlsec1-signed credential', () => {
    const altered = credentialMutations.alteredObject(signWithXmlsec1());
    expect(verifyCredential(altered, { trustedRootsPem: authority.trustedRootsPem })).toMatchObject({ ok: false, problem: 'bad-signature' });
  });
});
