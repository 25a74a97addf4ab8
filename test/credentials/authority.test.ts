import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core';
import {
  certificateUrn,
  certificateUuid,
  createTestAuthority,
  initAuthority,
  loadAuthority,
  mintAmIdentity,
  mintUser,
  sameCertificate,
  sliceUrn,
  type TestAuthority,
} from '../../src/credentials';

let authority: TestAuthority;
const tmpDirs: string[] = [];
function tmp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'geni-authority-'));
  tmpDirs.push(dir);
  return dir;
}

beforeAll(() => {
  authority = createTestAuthority();
});
afterAll(() => {
  for (const dir of tmpDirs) rmSync(dir, { recursive: true, force: true });
});

function uriSans(pem: string): string[] {
  return (new X509Certificate(pem).subjectAltName ?? '')
    .split(', ')
    .filter((s) => s.startsWith('URI:'))
    .map((s) => s.slice(4));
}

describe('createTestAuthority', () => {
  it('makes a self-signed CA and an SA that the CA signs, both CA:TRUE', () => {
    const ca = new X509Certificate(authority.ca.certPem);
    const sa = new X509Certificate(authority.sa.certPem);
    expect(ca.ca).toBe(true);
    expect(sa.ca).toBe(true);
    expect(ca.checkIssued(ca)).toBe(true);
    expect(sa.checkIssued(ca)).toBe(true);
    expect(sa.verify(ca.publicKey)).toBe(true);
    expect(authority.name).toBe('geni-harness.test');
    expect(authority.trustedRootsPem).toEqual([authority.ca.certPem]);
  });

  it('puts the SA URN and a urn:uuid in the SA subjectAltName', () => {
    expect(authority.sa.urn).toBe('urn:publicid:IDN+geni-harness.test+authority+sa');
    expect(certificateUrn(authority.sa.certPem)).toBe(authority.sa.urn);
    expect(uriSans(authority.sa.certPem).some((uri) => /^urn:uuid:[0-9a-f-]{36}$/.test(uri))).toBe(true);
  });

  it('uses RSA 2048 keys and SHA-256 signatures', () => {
    const sa = new X509Certificate(authority.sa.certPem);
    expect(sa.publicKey.asymmetricKeyType).toBe('rsa');
    expect(sa.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    // sha256WithRSAEncryption
    expect(forge.pki.certificateFromPem(authority.sa.certPem).siginfo.algorithmOid).toBe('1.2.840.113549.1.1.11');
    expect(forge.pki.certificateFromPem(mintUser(authority, 'sigalg').certPem).siginfo.algorithmOid).toBe('1.2.840.113549.1.1.11');
  });

  it('refuses an authority name that cannot be a URN authority', () => {
    expect(() => createTestAuthority({ name: 'has space' })).toThrow(/authority name "has space"/);
  });
});

describe('mintUser', () => {
  it('issues a CA:FALSE certificate from the SA with URN, UUID and email SANs', () => {
    const user = mintUser(authority, 'alice');
    const cert = new X509Certificate(user.certPem);
    expect(cert.ca).toBe(false);
    expect(cert.checkIssued(new X509Certificate(authority.sa.certPem))).toBe(true);
    expect(cert.verify(new X509Certificate(authority.sa.certPem).publicKey)).toBe(true);
    expect(user.urn).toBe('urn:publicid:IDN+geni-harness.test+user+alice');
    expect(uriSans(user.certPem)).toEqual([user.urn, `urn:uuid:${user.uuid}`]);
    expect(certificateUuid(user.certPem)).toBe(user.uuid);
    expect(cert.subjectAltName).toContain(`email:${user.email}`);
    expect(user.email).toBe('alice@geni-harness.test');
    expect(user.certChainPem.startsWith(user.certPem)).toBe(true);
    expect(user.certChainPem.endsWith(authority.sa.certPem)).toBe(true);
  });

  it('gives every certificate a distinct serial', () => {
    const serials = [mintUser(authority, 'u1'), mintUser(authority, 'u2'), mintUser(authority, 'u1')].map((u) => new X509Certificate(u.certPem).serialNumber);
    serials.push(new X509Certificate(authority.sa.certPem).serialNumber, new X509Certificate(authority.ca.certPem).serialNumber);
    expect(new Set(serials).size).toBe(serials.length);
  });

  it('honours explicit validity dates', () => {
    const notBefore = new Date('2020-01-01T00:00:00Z');
    const notAfter = new Date('2020-02-01T00:00:00Z');
    const cert = new X509Certificate(mintUser(authority, 'old', { notBefore, notAfter }).certPem);
    expect(new Date(cert.validFrom).toISOString()).toBe(notBefore.toISOString());
    expect(new Date(cert.validTo).toISOString()).toBe(notAfter.toISOString());
  });
});

describe('mintAmIdentity', () => {
  it('issues a CA-signed server certificate with the AM URN and IP/DNS SANs', () => {
    const am = mintAmIdentity(authority, { hosts: ['127.0.0.1', 'localhost'] });
    const cert = new X509Certificate(am.certPem);
    expect(am.urn).toBe('urn:publicid:IDN+geni-harness.test+authority+am');
    expect(certificateUrn(am.certPem)).toBe(am.urn);
    expect(cert.ca).toBe(false);
    expect(cert.checkIssued(new X509Certificate(authority.ca.certPem))).toBe(true);
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.keyUsage).toEqual(expect.arrayContaining(['1.3.6.1.5.5.7.3.1']));
  });
});

describe('sliceUrn', () => {
  it('names the slice under the authority', () => {
    expect(sliceUrn(authority, 'myslice')).toBe('urn:publicid:IDN+geni-harness.test+slice+myslice');
  });
});

describe('initAuthority / loadAuthority', () => {
  it('creates and persists on first use, loads the same authority afterwards', () => {
    const dir = join(tmp(), 'authority');
    const first = initAuthority(dir, { name: 'persist.test' });
    expect(first.created).toBe(true);
    expect(first.caCertPath).toBe(join(dir, 'ca-cert.pem'));
    expect(readFileSync(first.caCertPath, 'utf8')).toBe(first.authority.ca.certPem);
    for (const key of ['ca-key.pem', 'sa-key.pem']) {
      expect(statSync(join(dir, key)).mode & 0o777).toBe(0o600);
    }
    expect(JSON.parse(readFileSync(join(dir, 'authority.json'), 'utf8')).name).toBe('persist.test');

    const second = initAuthority(dir);
    expect(second.created).toBe(false);
    expect(sameCertificate(second.authority.ca.certPem, first.authority.ca.certPem)).toBe(true);
    expect(second.authority.sa.keyPem).toBe(first.authority.sa.keyPem);

    const loaded = loadAuthority(dir);
    expect(loaded.name).toBe('persist.test');
    expect(loaded.dir).toBe(dir);
    expect(loaded.sa.urn).toBe('urn:publicid:IDN+persist.test+authority+sa');
    expect(loaded.trustedRootsPem).toEqual([first.authority.ca.certPem]);
  });

  it('refuses to reuse a directory holding an authority with another name', () => {
    const dir = tmp();
    initAuthority(dir, { name: 'one.test' });
    expect(() => initAuthority(dir, { name: 'two.test' })).toThrow(/named "one.test", not "two.test"/);
  });

  it('reports a missing directory as a ConfigError naming the path', () => {
    const missing = join(tmp(), 'nope');
    const attempt = () => loadAuthority(missing);
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(missing);
  });

  it('reports a missing key file as a ConfigError naming that file', () => {
    const dir = tmp();
    initAuthority(dir);
    rmSync(join(dir, 'sa-key.pem'));
    expect(() => loadAuthority(dir)).toThrow(ConfigError);
    expect(() => loadAuthority(dir)).toThrow(join(dir, 'sa-key.pem'));
  });

  it('reports a key that does not belong to its certificate', () => {
    const dir = tmp();
    initAuthority(dir);
    writeFileSync(join(dir, 'ca-key.pem'), createTestAuthority().ca.keyPem);
    expect(() => loadAuthority(dir)).toThrow(/ca-key\.pem and .*ca-cert\.pem do not belong together/);
  });
});
