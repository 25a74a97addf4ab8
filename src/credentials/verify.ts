import type { X509Certificate } from 'node:crypto';
import { XMLSerializer, type Element } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { ConfigError } from '../core';
import { parseUrn } from '../geni/urn';
import { certificateUrn, sameCertificate, splitPemCertificates, toCertificatePem, x509 } from './certificates';
import { CredentialFormatError, childElements, parseCredential, parseXmlSafely, signaturesById, type ParsedCredential } from './parse';

/**
 * Credential verification the way real aggregates do it (GeniApiCredentials; gcf's Credential.verify):
 * the XML signature is valid, its signer chains to a trusted root through certificates carried in X509Data,
 * the signer is an authority over the target (or, when delegated, the owner of the parent credential),
 * the credential and every certificate in it are unexpired, and the GIDs are certificates that chain too.
 * It does NOT compare the owner with the TLS client certificate: the caller does that.
 */

export type CredentialProblem = 'malformed' | 'bad-signature' | 'untrusted-signer' | 'expired' | 'bad-certificate';
export type CredentialVerdict = { ok: true; credential: ParsedCredential } | { ok: false; problem: CredentialProblem; message: string };

class VerificationFailure extends Error {
  constructor(
    readonly problem: CredentialProblem,
    message: string,
  ) {
    super(message);
  }
}

const INCLUSIVE_C14N = new Set(['http://www.w3.org/TR/2001/REC-xml-c14n-20010315', 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments']);
const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const MAX_CHAIN_DEPTH = 8;

function describe(cert: X509Certificate): string {
  return certificateUrn(cert.toString()) ?? cert.subject.replace(/\n/g, ', ');
}

function validity(cert: X509Certificate): { from: Date; to: Date } {
  return { from: new Date(cert.validFrom), to: new Date(cert.validTo) };
}

function checkCurrent(cert: X509Certificate, now: Date, role: string): void {
  const { from, to } = validity(cert);
  if (now.getTime() > to.getTime()) throw new VerificationFailure('expired', `${role} certificate ${describe(cert)} expired at ${to.toISOString()}`);
  if (now.getTime() < from.getTime()) throw new VerificationFailure('expired', `${role} certificate ${describe(cert)} is not valid before ${from.toISOString()}`);
}

function issuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/** Walk from `leafPem` to a trusted root through `poolPem`; every link must be a CA and current at `now`. */
function chainToTrustedRoot(leafPem: string, poolPem: string[], roots: X509Certificate[], now: Date, role: string, untrusted: CredentialProblem): void {
  const leaf = x509(leafPem);
  let current = leaf;
  const pool = poolPem.map((pem) => x509(pem));
  for (let depth = 0; depth < MAX_CHAIN_DEPTH; depth++) {
    checkCurrent(current, now, role);
    if (roots.some((root) => root.raw.equals(current.raw))) return;
    const root = roots.find((candidate) => issuedBy(current, candidate));
    if (root) {
      checkCurrent(root, now, 'trusted root');
      return;
    }
    const next = pool.find((candidate) => !candidate.raw.equals(current.raw) && candidate.ca && issuedBy(current, candidate));
    if (!next) {
      const end = current === leaf ? '' : ` (the chain ends at ${describe(current)})`;
      throw new VerificationFailure(untrusted, `${role} certificate ${describe(leaf)} does not chain to a trusted root${end}; last issuer ${current.issuer.replace(/\n/g, ', ')}`);
    }
    current = next;
  }
  throw new VerificationFailure(untrusted, `${role} certificate chain is longer than ${MAX_CHAIN_DEPTH}`);
}

/**
 * xmlsec1 (gcf, ProtoGENI) signs with inclusive C14N 1.0, which carries the Signature's xml:id into the canonical
 * SignedInfo; xml-crypto does not inherit xml:* attributes, so copy them onto SignedInfo to canonicalize alike.
 */
function documentForXmlCrypto(xml: string, credentialId: string): { xml: string; signature: Element } {
  const doc = parseXmlSafely(xml);
  const signature = signaturesById(doc.documentElement!).get(credentialId);
  if (!signature) throw new VerificationFailure('bad-signature', `no Signature in <signatures> references the credential #${credentialId}`);
  const signedInfo = childElements(signature, 'SignedInfo')[0];
  if (!signedInfo) throw new VerificationFailure('bad-signature', `Signature for #${credentialId} has no SignedInfo`);
  const references = childElements(signedInfo, 'Reference');
  if (references.length !== 1) throw new VerificationFailure('bad-signature', `Signature for #${credentialId} has ${references.length} References; a credential signature has exactly one`);
  const method = childElements(signedInfo, 'CanonicalizationMethod')[0]?.getAttribute('Algorithm') ?? '';
  if (INCLUSIVE_C14N.has(method)) {
    for (let ancestor = signedInfo.parentNode; ancestor && ancestor.nodeType === 1; ancestor = ancestor.parentNode) {
      const element = ancestor as Element;
      for (let i = 0; i < element.attributes.length; i++) {
        const attribute = element.attributes.item(i)!;
        if (attribute.namespaceURI === XML_NS && !signedInfo.hasAttributeNS(XML_NS, attribute.localName!)) {
          signedInfo.setAttributeNS(XML_NS, attribute.name, attribute.value);
        }
      }
    }
  }
  return { xml: new XMLSerializer().serializeToString(doc), signature };
}

/** The certificate in X509Data whose key made the signature over the credential with `credentialId`. */
function verifySignature(xml: string, credential: ParsedCredential): string {
  if (credential.signerCertsPem.length === 0) {
    throw new VerificationFailure('bad-signature', `Signature for credential #${credential.id} carries no X509Certificate in KeyInfo/X509Data`);
  }
  const prepared = documentForXmlCrypto(xml, credential.id);
  let lastError = 'no certificate in X509Data verifies the signature';
  // xmlsec1 does not promise the signer certificate comes first in X509Data, so try each.
  for (const certPem of credential.signerCertsPem) {
    const checker = new SignedXml({ publicCert: certPem, getCertFromKeyInfo: () => null });
    try {
      checker.loadSignature(prepared.signature);
      if (checker.checkSignature(prepared.xml)) {
        const signedReference = checker.getSignedReferences();
        if (signedReference.length !== 1) throw new Error(`expected one signed reference, got ${signedReference.length}`);
        return certPem;
      }
      lastError = 'a reference digest does not match: the credential was altered after signing';
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
  }
  throw new VerificationFailure('bad-signature', `signature over credential #${credential.id} does not verify: ${lastError}`);
}

function isAuthorityOver(signerPem: string, targetUrn: string): boolean {
  const signer = parseUrn(certificateUrn(signerPem) ?? '');
  const target = parseUrn(targetUrn);
  if (!signer || !target || signer.type.toLowerCase() !== 'authority') return false;
  const signerAuthority = signer.authority.toLowerCase();
  const targetAuthority = target.authority.toLowerCase();
  // A toplevel authority also speaks for its sub-authorities ('a' covers 'a:b').
  return targetAuthority === signerAuthority || targetAuthority.startsWith(`${signerAuthority}:`);
}

function checkGid(gidPem: string, expectedUrn: string, role: string, pool: string[], roots: X509Certificate[], now: Date): void {
  let leaf: string;
  try {
    leaf = splitPemCertificates(gidPem)[0] ?? toCertificatePem(gidPem);
    x509(leaf);
  } catch {
    throw new VerificationFailure('bad-certificate', `${role} is not a parseable X.509 certificate`);
  }
  const urn = certificateUrn(leaf);
  if (urn !== expectedUrn) {
    throw new VerificationFailure('bad-certificate', `${role} certificate carries URN ${urn ?? '(none)'} but the credential names ${expectedUrn}`);
  }
  chainToTrustedRoot(leaf, [...splitPemCertificates(gidPem).slice(1), ...pool], roots, now, role, 'bad-certificate');
}

function verifyLevel(xml: string, credential: ParsedCredential, roots: X509Certificate[], now: Date, pool: string[]): void {
  const signerPem = verifySignature(xml, credential);
  chainToTrustedRoot(signerPem, pool, roots, now, 'signer', 'untrusted-signer');

  if (credential.parent) {
    const parent = credential.parent;
    verifyLevel(xml, parent, roots, now, pool);
    if (!sameCertificate(signerPem, parent.ownerGidPem)) {
      throw new VerificationFailure('untrusted-signer', `delegated credential #${credential.id} is not signed by the owner of its parent (${parent.ownerUrn})`);
    }
    if (parent.targetUrn !== credential.targetUrn) {
      throw new VerificationFailure('untrusted-signer', `delegated credential targets ${credential.targetUrn} but its parent targets ${parent.targetUrn}`);
    }
    if (credential.expires.getTime() > parent.expires.getTime()) {
      throw new VerificationFailure('untrusted-signer', `delegated credential expires ${credential.expires.toISOString()}, after its parent (${parent.expires.toISOString()})`);
    }
    for (const privilege of credential.privileges) {
      const granted = parent.privileges.some((p) => p.canDelegate && (p.name === '*' || p.name === privilege.name));
      if (!granted) throw new VerificationFailure('untrusted-signer', `delegated privilege ${JSON.stringify(privilege.name)} is not delegatable in the parent credential`);
    }
  } else if (!isAuthorityOver(signerPem, credential.targetUrn)) {
    throw new VerificationFailure('untrusted-signer', `signer ${certificateUrn(signerPem) ?? '(no URN)'} is not an authority over ${credential.targetUrn}`);
  }

  if (now.getTime() > credential.expires.getTime()) {
    throw new VerificationFailure('expired', `credential #${credential.id} for ${credential.targetUrn} expired at ${credential.expires.toISOString()}`);
  }
  checkGid(credential.ownerGidPem, credential.ownerUrn, 'owner_gid', pool, roots, now);
  if (credential.targetGidPem) checkGid(credential.targetGidPem, credential.targetUrn, 'target_gid', pool, roots, now);
}

function allSignerCerts(credential: ParsedCredential | undefined): string[] {
  return credential ? [...credential.signerCertsPem, ...allSignerCerts(credential.parent)] : [];
}

/** Verify a credential document; never throws for a bad credential, only for unreadable trusted roots (ConfigError). */
export function verifyCredential(xml: string, options: { trustedRootsPem: string[]; now?: Date }): CredentialVerdict {
  const now = options.now ?? new Date();
  let credential: ParsedCredential;
  try {
    credential = parseCredential(xml);
  } catch (err) {
    if (err instanceof CredentialFormatError) return { ok: false, problem: 'malformed', message: err.message };
    throw err;
  }
  let roots: X509Certificate[];
  try {
    roots = options.trustedRootsPem.flatMap(splitPemCertificates).map((pem) => x509(pem));
  } catch (err) {
    throw new ConfigError(`a trusted root given to verifyCredential is not a readable PEM certificate: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    verifyLevel(xml, credential, roots, now, allSignerCerts(credential));
    return { ok: true, credential };
  } catch (err) {
    if (err instanceof VerificationFailure) return { ok: false, problem: err.problem, message: err.message };
    if (err instanceof CredentialFormatError) return { ok: false, problem: 'malformed', message: err.message };
    return { ok: false, problem: 'bad-signature', message: `credential could not be verified: ${err instanceof Error ? err.message : String(err)}` };
  }
}
