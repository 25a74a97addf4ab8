import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, errorMessage } from '../core';
import { makeUrn } from '../geni/urn';
import { certificateUrn, generateRsaKeyPem, issueCertificate, keyMatchesCertificate, type KeyPair } from './certificates';

/**
 * The harness's own test authority: a self-signed CA and a slice authority (SA) certificate it signs.
 * The SA signs user certificates, slice certificates and credentials, the way a GENI clearinghouse does.
 */
export interface TestAuthority {
  /** The authority part of every URN it issues, e.g. 'geni-harness.test'. */
  name: string;
  /** Where it is persisted, when it is. */
  dir?: string;
  ca: KeyPair;
  sa: KeyPair & { urn: string };
  /** What a verifier must trust: the CA certificate. The SA is an intermediate carried in X509Data. */
  trustedRootsPem: string[];
}

export interface UserIdentity extends KeyPair {
  name: string;
  urn: string;
  uuid: string;
  email: string;
  /**
   * The user certificate followed by the SA certificate: what a TLS client presents so that a server trusting
   * only the CA can build the chain user ← SA ← CA.
   */
  certChainPem: string;
}

export const DEFAULT_AUTHORITY_NAME = 'geni-harness.test';
const DAY_MS = 24 * 60 * 60 * 1000;
/** Backdate notBefore so a verifier whose clock is slightly behind ours still accepts fresh certificates. */
const CLOCK_SKEW_MS = 60 * 60 * 1000;

const FILES = {
  caCert: 'ca-cert.pem',
  caKey: 'ca-key.pem',
  saCert: 'sa-cert.pem',
  saKey: 'sa-key.pem',
  meta: 'authority.json',
} as const;

const AUTHORITY_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9._\-]*(:[a-zA-Z0-9][a-zA-Z0-9._\-]*)*$/;

function checkAuthorityName(name: string): void {
  if (!AUTHORITY_NAME_PATTERN.test(name)) {
    throw new ConfigError(`authority name ${JSON.stringify(name)} is not a valid URN authority (letters, digits, ".", "-", "_", ":" between sub-authorities)`);
  }
}

/** A fresh CA and SA in memory. @defaultValue name `'geni-harness.test'`, validDays `3650` */
export function createTestAuthority(options: { name?: string; validDays?: number } = {}): TestAuthority {
  const name = options.name ?? DEFAULT_AUTHORITY_NAME;
  checkAuthorityName(name);
  const now = Date.now();
  const notBefore = new Date(now - CLOCK_SKEW_MS);
  const notAfter = new Date(now + (options.validDays ?? 3650) * DAY_MS);
  const ca = issueCertificate({
    commonName: `${name} certificate authority`,
    uris: [makeUrn(name, 'authority', 'ca'), `urn:uuid:${randomUUID()}`],
    isAuthority: true,
    notBefore,
    notAfter,
  });
  const saUrn = makeUrn(name, 'authority', 'sa');
  const sa = issueCertificate({
    commonName: `${name} slice authority`,
    uris: [saUrn, `urn:uuid:${randomUUID()}`],
    isAuthority: true,
    notBefore,
    notAfter,
    issuer: ca,
  });
  return { name, ca, sa: { ...sa, urn: saUrn }, trustedRootsPem: [ca.certPem] };
}

/**
 * The authority with its slice authority re-issued by the same CA (a fresh key) under another URN: a signer that
 * chains to the trusted CA and has authority over the same names, but names itself by `saUrn`. The harness signs
 * with one whose URN breaks the GENI URN rules, to see that an aggregate checks the URNs a credential contains.
 */
export function withSliceAuthorityUrn(authority: TestAuthority, saUrn: string): TestAuthority {
  const now = Date.now();
  const sa = issueCertificate({
    commonName: `${authority.name} slice authority`,
    uris: [saUrn, `urn:uuid:${randomUUID()}`],
    isAuthority: true,
    notBefore: new Date(now - CLOCK_SKEW_MS),
    notAfter: new Date(now + 365 * DAY_MS),
    issuer: authority.ca,
  });
  return { name: authority.name, ca: authority.ca, sa: { ...sa, urn: saUrn }, trustedRootsPem: authority.trustedRootsPem };
}

function readRequired(dir: string, file: string): string {
  const path = join(dir, file);
  if (!existsSync(path)) throw new ConfigError(`test authority file ${path} is missing (run init to create the authority in ${dir})`);
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`test authority file ${path} is unreadable: ${errorMessage(err)}`, { cause: err });
  }
}

/** Load an authority that initAuthority persisted; ConfigError names the missing or broken file. */
export function loadAuthority(dir: string): TestAuthority {
  if (!existsSync(dir)) throw new ConfigError(`test authority directory ${dir} does not exist`);
  const metaPath = join(dir, FILES.meta);
  let meta: { name?: unknown };
  try {
    meta = JSON.parse(readRequired(dir, FILES.meta)) as { name?: unknown };
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(`test authority file ${metaPath} is not valid JSON: ${errorMessage(err)}`, { cause: err });
  }
  if (typeof meta.name !== 'string') throw new ConfigError(`test authority file ${metaPath} has no "name" string`);
  const ca = { certPem: readRequired(dir, FILES.caCert), keyPem: readRequired(dir, FILES.caKey) };
  const sa = { certPem: readRequired(dir, FILES.saCert), keyPem: readRequired(dir, FILES.saKey) };
  if (!keyMatchesCertificate(ca.certPem, ca.keyPem)) {
    throw new ConfigError(`test authority files ${join(dir, FILES.caKey)} and ${join(dir, FILES.caCert)} do not belong together (or are not PEM)`);
  }
  if (!keyMatchesCertificate(sa.certPem, sa.keyPem)) {
    throw new ConfigError(`test authority files ${join(dir, FILES.saKey)} and ${join(dir, FILES.saCert)} do not belong together (or are not PEM)`);
  }
  const saUrn = certificateUrn(sa.certPem);
  if (!saUrn) throw new ConfigError(`test authority file ${join(dir, FILES.saCert)} has no urn:publicid:IDN subjectAltName`);
  return { name: meta.name, dir, ca, sa: { ...sa, urn: saUrn }, trustedRootsPem: [ca.certPem] };
}

function writePrivate(path: string, text: string): void {
  writeFileSync(path, text, { mode: 0o600 });
  // writeFileSync's mode only applies when it creates the file; chmod covers a pre-existing one.
  chmodSync(path, 0o600);
}

/** Load the authority persisted in `dir`, or create and persist one there (keys mode 0600). */
export function initAuthority(dir: string, options: { name?: string } = {}): { authority: TestAuthority; created: boolean; caCertPath: string } {
  const caCertPath = join(dir, FILES.caCert);
  if (existsSync(join(dir, FILES.meta))) {
    const authority = loadAuthority(dir);
    if (options.name !== undefined && options.name !== authority.name) {
      throw new ConfigError(`test authority in ${dir} is named ${JSON.stringify(authority.name)}, not ${JSON.stringify(options.name)}; use another directory`);
    }
    return { authority, created: false, caCertPath };
  }
  const authority = { ...createTestAuthority({ name: options.name }), dir };
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(caCertPath, authority.ca.certPem);
    writePrivate(join(dir, FILES.caKey), authority.ca.keyPem);
    writeFileSync(join(dir, FILES.saCert), authority.sa.certPem);
    writePrivate(join(dir, FILES.saKey), authority.sa.keyPem);
    // Written last: its presence marks a complete authority.
    writeFileSync(join(dir, FILES.meta), `${JSON.stringify({ name: authority.name, saUrn: authority.sa.urn, createdAt: new Date().toISOString() }, null, 2)}\n`);
  } catch (err) {
    throw new ConfigError(`cannot write the test authority into ${dir}: ${errorMessage(err)}`, { cause: err });
  }
  return { authority, created: true, caCertPath };
}

const USER_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9._\-]*$/;

/** A user certificate signed by the SA (chain user ← SA ← CA). @defaultValue validDays `365`, notBefore one hour ago */
export function mintUser(
  authority: TestAuthority,
  name: string,
  options: { validDays?: number; notBefore?: Date; notAfter?: Date } = {},
): UserIdentity {
  if (!USER_NAME_PATTERN.test(name)) throw new ConfigError(`user name ${JSON.stringify(name)} must be letters, digits, ".", "-" or "_"`);
  const now = Date.now();
  const urn = makeUrn(authority.name, 'user', name);
  const uuid = randomUUID();
  const email = `${name}@${authority.name}`;
  const issued = issueCertificate({
    commonName: name,
    uris: [urn, `urn:uuid:${uuid}`],
    email,
    isAuthority: false,
    notBefore: options.notBefore ?? new Date(now - CLOCK_SKEW_MS),
    notAfter: options.notAfter ?? new Date(now + (options.validDays ?? 365) * DAY_MS),
    issuer: authority.sa,
  });
  return { ...issued, name, urn, uuid, email, certChainPem: `${issued.certPem}${authority.sa.certPem}` };
}

/** The reference aggregate's TLS server certificate, signed by the CA, valid for `hosts` (IP or DNS SANs). */
export function mintAmIdentity(authority: TestAuthority, options: { hosts: string[] }): KeyPair & { urn: string } {
  return mintEndpointIdentity(authority, { hosts: options.hosts, service: 'am' });
}

/**
 * A TLS server certificate for one of the authority's services (`urn:…+authority+<service>`), signed by the CA and
 * valid for `hosts`: the aggregate ('am'), a dynslice client endpoint, the harness's callback endpoint.
 * With `issuer: 'self'` it is self-signed (a callback endpoint for a server that trusts no authority of ours).
 */
export function mintEndpointIdentity(
  authority: Pick<TestAuthority, 'name' | 'ca'>,
  options: { hosts: string[]; service: string; issuer?: 'ca' | 'self'; /** Another URN than the service's (tests of a certificate naming another aggregate). */ urn?: string },
): KeyPair & { urn: string } {
  const ipAddresses = options.hosts.filter((host) => /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':'));
  const dnsNames = options.hosts.filter((host) => !ipAddresses.includes(host));
  const urn = options.urn ?? makeUrn(authority.name, 'authority', options.service);
  const now = Date.now();
  const issued = issueCertificate({
    commonName: dnsNames[0] ?? ipAddresses[0] ?? `${authority.name} ${options.service}`,
    uris: [urn, `urn:uuid:${randomUUID()}`],
    dnsNames,
    ipAddresses,
    isAuthority: false,
    tlsServer: true,
    notBefore: new Date(now - CLOCK_SKEW_MS),
    notAfter: new Date(now + 365 * DAY_MS),
    ...(options.issuer === 'self' ? {} : { issuer: authority.ca }),
  });
  return { ...issued, urn };
}

export function sliceUrn(authority: TestAuthority, sliceName: string): string {
  return makeUrn(authority.name, 'slice', sliceName);
}

/**
 * Slice certificates only fill target_gid; nobody ever signs with their key, so one key per process is enough,
 * and one certificate per slice keeps target_gid stable across the credentials for a slice (as a real SA does).
 */
let sliceKeyPem: string | undefined;
const sliceCertificates = new Map<string, string>();

export function sliceCertificate(signer: KeyPair, urn: string): string {
  const cacheKey = `${signer.certPem}\u0000${urn}`;
  const cached = sliceCertificates.get(cacheKey);
  if (cached) return cached;
  sliceKeyPem ??= generateRsaKeyPem();
  const now = Date.now();
  const { certPem } = issueCertificate({
    commonName: urn.slice(urn.lastIndexOf('+') + 1) || 'slice',
    uris: [urn, `urn:uuid:${randomUUID()}`],
    isAuthority: false,
    notBefore: new Date(now - CLOCK_SKEW_MS),
    notAfter: new Date(now + 365 * DAY_MS),
    issuer: signer,
    keyPem: sliceKeyPem,
  });
  sliceCertificates.set(cacheKey, certPem);
  return certPem;
}
