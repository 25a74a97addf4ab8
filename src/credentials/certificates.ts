import { X509Certificate, createPrivateKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import forge from 'node-forge';

/**
 * X.509 certificates following GeniApiCertificates: v3, RSA 2048, SHA-256, unique serials, the GENI URN and a
 * urn:uuid in subjectAltName as URI entries, CA:TRUE only for authorities.
 */

export interface KeyPair {
  certPem: string;
  keyPem: string;
}

export interface CertificateRequest {
  commonName: string;
  /** URI SANs (the GENI URN first, then urn:uuid:...). */
  uris: string[];
  email?: string;
  dnsNames?: string[];
  ipAddresses?: string[];
  isAuthority: boolean;
  /** Add serverAuth/clientAuth extended key usage (for TLS server certificates). */
  tlsServer?: boolean;
  notBefore: Date;
  notAfter: Date;
  /** Absent: self-signed. */
  issuer?: KeyPair;
  /** Reuse an existing key instead of generating one. */
  keyPem?: string;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/**
 * Where fresh RSA keys may come from besides the generator: a supply of keys generated earlier for the same purpose.
 * The project's tests install one (test/helpers/key-pool.mjs) holding the keys generated earlier in the same test run,
 * each handed out at most once per process: every identity a test mints still has a key of its own, but the run
 * generates each key once instead of once per test file (a 2048-bit key costs 0.1-0.35 s of CPU, and a test file
 * starting aggregates mints dozens). The CLI processes a test starts find theirs under PRESET_RSA_KEY_SUPPLY on the
 * global object (test/helpers/cli-key-supply.mjs, preloaded by the test run). Nothing in the harness installs one.
 */
export interface RsaKeySupply {
  /** A PKCS#1 PEM key not handed out before in this process, or undefined: one is generated and offered to `add`. */
  take(): string | undefined;
  /** A key just generated (and handed out): the supply may keep it for other processes. */
  add(keyPem: string): void;
}

let keySupply: RsaKeySupply | undefined;

/**
 * The global name of a supply put in place before the harness's modules load (a module preloaded with `node --import`):
 * how a process the harness's tests start shares their run's keys, whatever copy of this module it runs (sources
 * or a compiled build). Used while no supply is installed. Tests only.
 */
export const PRESET_RSA_KEY_SUPPLY = Symbol.for('geni-harness.rsa-key-supply');

/** Installs (or, with undefined, removes) the key supply generateRsaKeyPem draws from first. Tests only. */
export function useRsaKeySupply(supply: RsaKeySupply | undefined): void {
  keySupply = supply;
}

/** Node's generator is native; forge's pure-JS RSA key generation takes seconds per key. */
export function generateRsaKeyPem(): string {
  const supply = keySupply ?? (globalThis as { [PRESET_RSA_KEY_SUPPLY]?: RsaKeySupply })[PRESET_RSA_KEY_SUPPLY];
  const supplied = supply?.take();
  if (supplied !== undefined) return supplied;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  // PKCS#1 ("RSA PRIVATE KEY") is what gcf/omni write, so older tools read our files too.
  const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  supply?.add(keyPem);
  return keyPem;
}

/** A positive 64-bit random serial: unique per CA with overwhelming probability, as GENI v3 certificates require. */
function randomSerialHex(): string {
  const bytes = randomBytes(8);
  bytes[0] = (bytes[0]! & 0x7f) | 0x10;
  return bytes.toString('hex');
}

export function issueCertificate(request: CertificateRequest): KeyPair {
  const keyPem = request.keyPem ?? generateRsaKeyPem();
  const privateKey = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  const publicKey = forge.pki.setRsaPublicKey(privateKey.n, privateKey.e);

  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = randomSerialHex();
  cert.validity.notBefore = request.notBefore;
  cert.validity.notAfter = request.notAfter;
  cert.setSubject([{ name: 'commonName', value: request.commonName }]);

  const issuerCert = request.issuer ? forge.pki.certificateFromPem(request.issuer.certPem) : undefined;
  cert.setIssuer(issuerCert ? issuerCert.subject.attributes : cert.subject.attributes);

  const altNames: Array<Record<string, unknown>> = [
    ...request.uris.map((value) => ({ type: 6, value })),
    ...(request.email ? [{ type: 1, value: request.email }] : []),
    ...(request.dnsNames ?? []).map((value) => ({ type: 2, value })),
    ...(request.ipAddresses ?? []).map((ip) => ({ type: 7, ip })),
  ];
  const extensions: Array<Record<string, unknown>> = [
    { name: 'basicConstraints', cA: request.isAuthority, critical: true },
    request.isAuthority
      ? { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true }
      : { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ];
  if (issuerCert) {
    extensions.push({ name: 'authorityKeyIdentifier', keyIdentifier: issuerCert.generateSubjectKeyIdentifier().getBytes() });
  }
  if (request.tlsServer) extensions.push({ name: 'extKeyUsage', serverAuth: true, clientAuth: true });
  if (altNames.length > 0) extensions.push({ name: 'subjectAltName', altNames });
  cert.setExtensions(extensions);
  signWithNodeCrypto(cert, request.issuer ? request.issuer.keyPem : keyPem);
  return { certPem: forge.pki.certificateToPem(cert), keyPem };
}

/**
 * What forge's `cert.sign(key, sha256)` does, with node's native RSA instead of forge's JavaScript big numbers (the
 * same PKCS#1 v1.5 signature, a hundred times faster): every slice the harness makes gets a certificate.
 */
function signWithNodeCrypto(cert: forge.pki.Certificate, signingKeyPem: string): void {
  const oid = forge.pki.oids.sha256WithRSAEncryption!;
  cert.signatureOid = oid;
  cert.siginfo.algorithmOid = oid;
  cert.md = forge.md.sha256.create();
  // getTBSCertificate is public in forge (x509.js), though its typings leave it out.
  const tbsOf = (forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }).getTBSCertificate;
  cert.tbsCertificate = tbsOf(cert);
  const tbs = forge.asn1.toDer(cert.tbsCertificate).getBytes();
  cert.signature = sign('sha256', Buffer.from(tbs, 'binary'), signingKeyPem).toString('binary');
}

const parsed = new Map<string, X509Certificate>();
const PARSED_LIMIT = 2000;

/**
 * The parsed certificate of a PEM text, parsed once: a credential check reads the same few certificates (owner,
 * slice, authorities) on every call, and parsing is most of what it costs. Bounded; X509Certificate is immutable.
 */
export function x509(pem: string): X509Certificate {
  let cert = parsed.get(pem);
  if (!cert) {
    cert = new X509Certificate(pem);
    if (parsed.size >= PARSED_LIMIT) parsed.delete(parsed.keys().next().value!);
    parsed.set(pem, cert);
  }
  return cert;
}

/** All PEM certificate blocks in a text, in order. */
export function splitPemCertificates(text: string): string[] {
  return text.match(PEM_CERTIFICATE) ?? [];
}

/** Wrap bare base64 (as found in X509Certificate or owner_gid without armour) into a PEM certificate. */
export function toCertificatePem(text: string): string {
  const found = splitPemCertificates(text);
  if (found.length > 0) return found[0]!;
  const body = text.replace(/\s+/g, '');
  const lines = body.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** The base64 body of a PEM certificate, as X509Data/X509Certificate carries it. */
export function certificateBase64(certPem: string): string {
  return toCertificatePem(certPem)
    .replace(/-----(BEGIN|END) CERTIFICATE-----/g, '')
    .replace(/\s+/g, '');
}

function uriSubjectAltNames(certPem: string): string[] {
  const san = x509(certPem).subjectAltName ?? '';
  // Node renders SANs as 'URI:urn:..., email:..., DNS:...'; URNs cannot contain ', ' so splitting is safe.
  return san
    .split(/,\s*/)
    .filter((entry) => entry.startsWith('URI:'))
    .map((entry) => entry.slice(4));
}

/** The urn:publicid:IDN URI SAN of a certificate (undefined when absent or the PEM is unreadable). */
export function certificateUrn(certPem: string): string | undefined {
  try {
    return uriSubjectAltNames(certPem).find((uri) => uri.startsWith('urn:publicid:IDN+'));
  } catch {
    return undefined;
  }
}

/** The urn:uuid URI SAN of a certificate, without the 'urn:uuid:' prefix. */
export function certificateUuid(certPem: string): string | undefined {
  try {
    return uriSubjectAltNames(certPem)
      .find((uri) => uri.toLowerCase().startsWith('urn:uuid:'))
      ?.slice('urn:uuid:'.length);
  } catch {
    return undefined;
  }
}

/** True when both PEM texts hold the same certificate (compared as DER, so armour and line breaks do not matter). */
export function sameCertificate(aPem: string, bPem: string): boolean {
  try {
    return x509(toCertificatePem(aPem)).raw.equals(x509(toCertificatePem(bPem)).raw);
  } catch {
    return false;
  }
}

/** True when the private key belongs to the certificate. */
export function keyMatchesCertificate(certPem: string, keyPem: string): boolean {
  try {
    return x509(certPem).checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    return false;
  }
}
