import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

/**
 * Throwaway PKI for tests: a CA, a server certificate for 127.0.0.1 and a client certificate carrying a GENI
 * user URN in its URI SAN. Keys come from node:crypto (fast, native); node-forge only assembles and signs.
 */

export interface TestKeyPair {
  certPem: string;
  keyPem: string;
}

export interface TestCa extends TestKeyPair {
  /** The CA's forge objects, to sign more certificates with mintCert. */
  readonly cert: forge.pki.Certificate;
  readonly key: forge.pki.rsa.PrivateKey;
}

export interface TestPki {
  ca: TestCa;
  /** Server certificate for 127.0.0.1 (IP SAN) and localhost (DNS SAN). */
  server: TestKeyPair;
  /** Client certificate with URI SAN `clientUrn`. */
  client: TestKeyPair;
  clientUrn: string;
  /** A second, unrelated CA and a server certificate from it: what an "unknown CA" looks like. */
  otherCa: TestCa;
  otherServer: TestKeyPair;
  /** A client certificate signed by the unrelated CA. */
  otherClient: TestKeyPair;
}

export const TEST_CLIENT_URN = 'urn:publicid:IDN+geni-harness.test+user+alice';

function rsaKeyPair(): { publicKey: forge.pki.rsa.PublicKey; privateKey: forge.pki.rsa.PrivateKey; keyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return {
    publicKey: forge.pki.publicKeyFromPem(publicKey) as forge.pki.rsa.PublicKey,
    privateKey: forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey,
    keyPem: privateKey,
  };
}

function serialNumber(): string {
  // A leading 0x01 keeps the DER integer positive.
  return `01${randomBytes(8).toString('hex')}`;
}

function validity(cert: forge.pki.Certificate, days: number): void {
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + days * 86_400_000);
}

export function mintCa(commonName: string): TestCa {
  const keys = rsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serialNumber();
  validity(cert, 30);
  const subject = [{ name: 'commonName', value: commonName }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { cert, key: keys.privateKey, certPem: forge.pki.certificateToPem(cert), keyPem: keys.keyPem };
}

export interface CertRequest {
  commonName: string;
  ips?: string[];
  dnsNames?: string[];
  uris?: string[];
  /** Extended key usages; default both. */
  usage?: Array<'serverAuth' | 'clientAuth'>;
}

export function mintCert(ca: TestCa, request: CertRequest): TestKeyPair {
  const keys = rsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serialNumber();
  validity(cert, 30);
  cert.setSubject([{ name: 'commonName', value: request.commonName }]);
  cert.setIssuer(ca.cert.subject.attributes);
  const usage = request.usage ?? ['serverAuth', 'clientAuth'];
  const altNames = [
    ...(request.ips ?? []).map((ip) => ({ type: 7, ip })),
    ...(request.dnsNames ?? []).map((value) => ({ type: 2, value })),
    ...(request.uris ?? []).map((value) => ({ type: 6, value })),
  ];
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: usage.includes('serverAuth'), clientAuth: usage.includes('clientAuth') },
    ...(altNames.length > 0 ? [{ name: 'subjectAltName', altNames }] : []),
  ]);
  cert.sign(ca.key, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.keyPem };
}

let cached: TestPki | undefined;

/** One PKI per test process (minting takes a few hundred milliseconds). */
export function testPki(): TestPki {
  if (cached) return cached;
  const ca = mintCa('geni-harness test CA');
  const otherCa = mintCa('unrelated test CA');
  cached = {
    ca,
    server: mintCert(ca, { commonName: '127.0.0.1', ips: ['127.0.0.1'], dnsNames: ['localhost'], usage: ['serverAuth'] }),
    client: mintCert(ca, { commonName: 'alice', uris: [TEST_CLIENT_URN], usage: ['clientAuth'] }),
    clientUrn: TEST_CLIENT_URN,
    otherCa,
    otherServer: mintCert(otherCa, { commonName: '127.0.0.1', ips: ['127.0.0.1'], usage: ['serverAuth'] }),
    otherClient: mintCert(otherCa, { commonName: 'mallory', uris: ['urn:publicid:IDN+elsewhere+user+mallory'], usage: ['clientAuth'] }),
  };
  return cached;
}
