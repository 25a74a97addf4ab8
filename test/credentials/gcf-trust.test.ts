import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestAuthority, delegationParties, mintDelegationVariant, mintSliceCredential, mintUser, mintUserCredential, sliceUrn,
  splitPemCertificates, type TestAuthority, type UserIdentity,
} from '../../src/credentials';
import { HttpsTransport } from '../../src/transport';

/**
 * What gcf (geni-tools' CredentialVerifier and sfa/trust) does to what the harness mints, step by step, with the
 * tools gcf itself leans on (OpenSSL, xmlsec1) rather than our own verifier:
 * - TLS: Python's ssl checks the client certificate against CATedCACerts.pem (the trusted-roots directory
 *   concatenated), the client supplying its intermediates.
 * - Credential.verify: every GID of the credential and of its parents through Certificate.verify_chain (a
 *   certificate signed by a trusted root, else by the parent carried after it in the same PEM text, which must say
 *   basicConstraints "CA:TRUE"; no parent: CertMissingParent); xmlsec1 --verify --node-id "Sig_<ref>" --trusted-pem
 *   <each root file> per signature, the ref found by Signature.decode as xml:id.strip("Sig_"); verify_parent (same
 *   target GID chain, expiry no later, signed by the parent's owner, privileges delegatable); verify_issuer case 1
 *   (the root credential's target GID signed by its signer, the first X509Certificate of the signature).
 * - gen-certs.py's aggregate certificate (CA:TRUE, CN "authority.type.name", URN and urn:uuid URIs, no DNS or IP
 *   name, saved with its issuer) verified against --ca without --insecure.
 */

let dir: string;
let authority: TestAuthority;
let alice: UserIdentity;
let caFile: string;

function run(command: string, args: string[]): { status: number; output: string } {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error) throw new Error(`${command} could not start (install it: apt-get install openssl xmlsec1): ${result.error.message}`);
  return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}

let files = 0;
function write(text: string, name = `f${files++}.pem`): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** `openssl verify` of a GID (PEM text, certificate first, then what it carries) trusting only `rootFile`. */
function verifyGid(gidPem: string, rootFile: string, purpose?: string): { status: number; output: string } {
  const [leaf, ...carried] = splitPemCertificates(gidPem);
  const args = ['verify', ...(purpose ? ['-purpose', purpose] : []), '-CAfile', rootFile];
  if (carried.length > 0) args.push('-untrusted', write(carried.join('\n')));
  return run('openssl', [...args, write(leaf!)]);
}

const unescape = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const between = (text: string, tag: string): string => {
  const found = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(text);
  if (!found) throw new Error(`no <${tag}> in ${text.slice(0, 80)}`);
  return unescape(found[1]!);
};

interface CredentialPart { id: string; ownerGid: string; targetGid: string; expires: Date; privileges: Array<{ name: string; canDelegate: boolean }> }

/**
 * The credential and its parents, read as gcf's decode reads them (getElementsByTagName: a credential's own
 * elements come before its <parent>, so the first match after its start tag is its own), outermost first.
 */
function credentialParts(xml: string): CredentialPart[] {
  return [...xml.matchAll(/<credential xml:id="([^"]+)">/g)].map((m) => {
    const rest = xml.slice(m.index);
    const privileges = [...between(rest, 'privileges').matchAll(/<name>([^<]*)<\/name><can_delegate>([^<]*)<\/can_delegate>/g)]
      .map(([, name, deleg]) => ({ name: name!, canDelegate: deleg === 'true' }));
    return { id: m[1]!, ownerGid: between(rest, 'owner_gid'), targetGid: between(rest, 'target_gid'), expires: new Date(between(rest, 'expires')), privileges };
  });
}

/** The signer Signature.decode takes for each ref: the first X509Certificate of the Signature with xml:id "Sig_<ref>". */
function signers(xml: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of xml.matchAll(/<Signature xml:id="([^"]+)"[\s\S]*?<\/Signature>/g)) {
    const body = between(m[0], 'X509Certificate').replace(/\s+/g, '');
    out.set(pythonStrip(m[1]!, 'Sig_'), `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`);
  }
  return out;
}

/** Python's str.strip(chars): every character of `chars` removed from both ends (how gcf reads a Signature's ref). */
function pythonStrip(text: string, chars: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && chars.includes(text[start]!)) start++;
  while (end > start && chars.includes(text[end - 1]!)) end--;
  return text.slice(start, end);
}

const der = (pem: string) => new X509Certificate(pem).raw.toString('base64');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gh-gcf-trust-'));
  authority = createTestAuthority();
  alice = mintUser(authority, 'alice');
  // gcf's trusted roots: one file per root in rootcadir; the harness's CA alone.
  caFile = write(authority.ca.certPem, 'ca-cert.pem');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('gcf verifies what the harness mints, trusting only the CA file', () => {
  const credentials = (): Array<[string, string]> => [
    ['user credential', mintUserCredential(authority, alice)],
    ['slice credential', mintSliceCredential(authority, alice, sliceUrn(authority, 'gcftrust'))],
    ['delegated credential', mintDelegationVariant(authority, 'valid', {
      sliceUrn: sliceUrn(authority, 'gcftrust'), sliceExpires: new Date(Date.now() + 3_600_000), delegate: { certPem: alice.certChainPem, urn: alice.urn }, ...delegationParties(authority),
    })],
  ];

  it('TLS: the client chain (user + SA) verifies for client authentication against the CA alone', () => {
    expect(verifyGid(alice.certChainPem, caFile, 'sslclient')).toMatchObject({ status: 0 });
  });

  it('verify_chain: every GID of every credential and parent reaches the CA through the certificates it carries; parents say CA:TRUE', () => {
    for (const [what, xml] of credentials()) {
      for (const part of credentialParts(xml)) {
        for (const gid of [part.ownerGid, part.targetGid]) {
          const certs = splitPemCertificates(gid);
          expect(certs.length, `${what} ${part.id}: a GID carries its issuer`).toBeGreaterThan(1);
          const verified = verifyGid(gid, caFile);
          expect(verified.output, `${what} ${part.id}`).toMatch(/: OK\s*$/);
          // M2Crypto's get_ext('basicConstraints').get_value() is OpenSSL's text of the extension: exactly 'CA:TRUE'.
          for (const parent of certs.slice(1)) {
            const text = run('openssl', ['x509', '-noout', '-ext', 'basicConstraints', '-in', write(parent)]).output;
            expect(text.split('\n').map((l) => l.trim())).toContain('CA:TRUE');
          }
        }
      }
    }
  });

  it('without the issuer inside the GID the same check fails (what gcf reports as CertMissingParent)', () => {
    const gid = credentialParts(credentials()[1]![1])[0]!.ownerGid;
    const verified = verifyGid(splitPemCertificates(gid)[0]!, caFile);
    expect(verified.status).not.toBe(0);
    expect(verified.output).toMatch(/unable to get local issuer certificate/);
  });

  it('xmlsec1 verifies every signature of the delegated credential by the ref gcf reads, with the CA as the only --trusted-pem', () => {
    const xml = credentials()[2]![1];
    const parts = credentialParts(xml);
    const refs = [...signers(xml).keys()];
    expect(parts).toHaveLength(2);
    expect(refs.sort()).toEqual(parts.map((p) => p.id).sort());
    const file = write(xml, 'delegated.xml');
    for (const ref of refs) {
      const verified = run('xmlsec1', ['--verify', '--node-id', `Sig_${ref}`, '--trusted-pem', caFile, file]);
      expect(verified.output.trim(), ref).toMatch(/^OK/);
    }
  });

  it('verify_parent and verify_issuer: same target GID chain, expiry no later, signed by the parent owner, delegatable privileges, root target issued by its signer', () => {
    for (const [what, xml] of credentials()) {
      const parts = credentialParts(xml);
      const signedBy = signers(xml);
      for (let i = 0; i + 1 < parts.length; i++) {
        const [child, parent] = [parts[i]!, parts[i + 1]!];
        expect(splitPemCertificates(child.targetGid).map(der), what).toEqual(splitPemCertificates(parent.targetGid).map(der));
        expect(child.expires.getTime()).toBeLessThanOrEqual(parent.expires.getTime());
        expect(der(signedBy.get(child.id)!)).toBe(der(splitPemCertificates(parent.ownerGid)[0]!));
        for (const p of child.privileges) {
          expect(parent.privileges.some((q) => q.canDelegate && (q.name === '*' || q.name === p.name)), `${what}: ${p.name}`).toBe(true);
        }
      }
      const root = parts.at(-1)!;
      const signer = write(signedBy.get(root.id)!);
      // -partial_chain: the signer (an intermediate) is the trust anchor, so OK means "the target was issued by it".
      const issued = run('openssl', ['verify', '-partial_chain', '-CAfile', signer, write(splitPemCertificates(root.targetGid)[0]!)]);
      expect(issued.output, what).toMatch(/: OK\s*$/);
    }
  });
});

describe("gen-certs.py's aggregate certificate against --ca, without --insecure", () => {
  const AM_URN = 'urn:publicid:IDN+geni:gpo:gcf:am1+authority+am';
  let server: Server;
  let chFile: string;
  let port: number;

  beforeAll(async () => {
    // Made by openssl, not by our certificate code: a self-signed clearinghouse (CA:TRUE) and the AM certificate it
    // issues as gen-certs.py does (create_cert(urn, ch_key, ch_cert, ca=True): CN the dotted URN, the URN and a
    // urn:uuid as URI names, no DNS or IP name), saved with its issuer after it as gcf's am-cert.pem is.
    const ext = write([
      '[ch]', 'basicConstraints=critical,CA:TRUE', 'subjectAltName=URI:urn:publicid:IDN+geni:gpo:gcf+authority+sa',
      '[am]', 'basicConstraints=critical,CA:TRUE', `subjectAltName=URI:${AM_URN},URI:urn:uuid:6b2c7c0e-5f0a-4d5e-9c1b-2a3f4e5d6c7b`, '',
    ].join('\n'), 'gcf.ext');
    const chKey = join(dir, 'ch-key.pem');
    const amKey = join(dir, 'am-key.pem');
    chFile = join(dir, 'ch-cert.pem');
    const amCsr = join(dir, 'am.csr');
    const amCert = join(dir, 'am-cert.pem');
    for (const args of [
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', chKey, '-out', chFile, '-days', '30', '-subj', '/CN=geni:gpo:gcf.authority.sa', '-extensions', 'ch', '-config', ext],
      ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', amKey, '-out', amCsr, '-subj', '/CN=geni:gpo:gcf:am1.authority.am', '-config', ext],
      ['x509', '-req', '-in', amCsr, '-CA', chFile, '-CAkey', chKey, '-CAcreateserial', '-out', amCert, '-days', '30', '-extfile', ext, '-extensions', 'am'],
    ]) {
      const made = run('openssl', args);
      expect(made.status, made.output).toBe(0);
    }
    const chain = `${readFileSync(amCert, 'utf8')}${readFileSync(chFile, 'utf8')}`;
    server = createServer({ key: readFileSync(amKey), cert: chain }, (_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  }, 60_000);
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('is accepted on its chain to the clearinghouse certificate, and its URN is what names the aggregate', async () => {
    const transport = new HttpsTransport({ caPem: [readFileSync(chFile, 'utf8')] }, { keepAlive: false });
    try {
      const url = `https://127.0.0.1:${port}/`;
      const res = await transport.post(url, '<methodCall/>', { timeoutMs: 30_000, maxResponseBytes: 1_000 });
      expect(res.status).toBe(200);
      expect(transport.serverNamesAt(url)).toEqual({ hostNames: [], geniUrns: [AM_URN] });
    } finally {
      transport.close();
    }
  });

  it('is refused against another CA (the chain is still verified)', async () => {
    const transport = new HttpsTransport({ caPem: [authority.ca.certPem] }, { keepAlive: false });
    try {
      await expect(transport.post(`https://127.0.0.1:${port}/`, '<methodCall/>', { timeoutMs: 30_000, maxResponseBytes: 1_000 })).rejects.toThrow(/certificate/i);
    } finally {
      transport.close();
    }
  });
});
