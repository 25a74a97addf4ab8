import { createHash, type X509Certificate } from 'node:crypto';
import { XMLSerializer, type Element } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { ConfigError } from '../core';
import { parseUrn, urnProblems } from '../geni/urn';
import { certificateUrn, sameCertificate, splitPemCertificates, toCertificatePem, x509 } from './certificates';
import { CredentialFormatError, childElements, parseCredentialDocument, parseXmlSafely, signaturesById, type CredentialElements, type ParsedCredential } from './parse';
import { verifiesInProfile } from './signature-profile';

/**
 * Credential verification the way real aggregates do it (GeniApiCredentials; gcf's Credential.verify):
 * the XML signature is valid, its signer chains to a trusted root through certificates carried in X509Data,
 * the signer is an authority over the target (or, when delegated, the owner of the parent credential),
 * the credential and every certificate in it are unexpired, and the GIDs are certificates that chain too.
 * It does NOT compare the owner with the TLS client certificate: the caller does that.
 */

export type CredentialProblem = 'malformed' | 'bad-signature' | 'untrusted-signer' | 'expired' | 'bad-certificate';

/**
 * The rules a delegated credential follows (GeniApiCredentials, "Delegation"), each checked on its own so that a
 * refusal names the one it broke: the parent's own signature verifies; the delegation is signed by the parent's
 * owner; it is for the same target; it grants no privilege the parent lacks; each privilege it grants is
 * delegatable (can_delegate) in the parent; it expires no later than the parent.
 */
export const DELEGATION_RULES = [
  'parent-signature',
  'signed-by-parent-owner',
  'same-target',
  'no-wider-privileges',
  'privileges-delegatable',
  'expires-within-parent',
] as const;
export type DelegationRule = (typeof DELEGATION_RULES)[number];

export type CredentialVerdict =
  | { ok: true; credential: ParsedCredential }
  | { ok: false; problem: CredentialProblem; message: string; /** Set when a delegation rule was broken. */ rule?: DelegationRule };

export interface VerifyOptions {
  trustedRootsPem: string[];
  now?: Date;
  /**
   * Delegation rules NOT to check. Only the reference AM's deliberate faults use this (an aggregate that forgets
   * one rule); a real verifier checks them all.
   */
  waive?: ReadonlySet<DelegationRule>;
  /**
   * Skip the GENI URN rules for the URNs a credential contains (owner, target, signers). Only the reference AM's
   * accepts-malformed-credential-urns fault uses this.
   */
  lenientUrns?: boolean;
  /**
   * Which certificates may link a GID (owner_gid, target_gid) to a trusted root: any the credential carries (its own
   * chain and the signers' X509Data: 'credential', the default), or only the issuers carried inside the GID itself
   * ('own'), as SFA's and gcf's GID.verify_chain walk a GID's parents: a GID that is neither issued by a trusted root
   * nor carries its issuer is refused (CertMissingParent there). @defaultValue 'credential'
   */
  gidChains?: 'credential' | 'own';
}

class VerificationFailure extends Error {
  constructor(
    readonly problem: CredentialProblem,
    message: string,
    readonly rule?: DelegationRule,
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

/**
 * The instant verification is judged at, and the window around it in which every time check made so far would give
 * the same answer (what a verification cache may rely on).
 */
interface TimeCheck {
  now: Date;
  from: number;
  to: number;
}

function checkCurrent(cert: X509Certificate, time: TimeCheck, role: string): void {
  const { now } = time;
  const { from, to } = validity(cert);
  time.from = Math.max(time.from, from.getTime());
  time.to = Math.min(time.to, to.getTime());
  if (now.getTime() > to.getTime()) throw new VerificationFailure('expired', `${role} certificate ${describe(cert)} expired at ${to.toISOString()}`);
  if (now.getTime() < from.getTime()) throw new VerificationFailure('expired', `${role} certificate ${describe(cert)} is not valid before ${from.toISOString()}`);
}

/**
 * Whether `issuer` issued `cert`, remembered per pair: a pure function of the two certificates (x509() hands out one
 * object per certificate text), and every credential a caller sends repeats the same few links (user ← SA ← CA).
 * Validity times are not part of it; they are checked on every use.
 */
const issuedByMemo = new WeakMap<X509Certificate, WeakMap<X509Certificate, boolean>>();

function issuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  let byIssuer = issuedByMemo.get(cert);
  const known = byIssuer?.get(issuer);
  if (known !== undefined) return known;
  let issued: boolean;
  try {
    issued = cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
  } catch {
    issued = false;
  }
  if (!byIssuer) issuedByMemo.set(cert, (byIssuer = new WeakMap()));
  byIssuer.set(issuer, issued);
  return issued;
}

/** Walk from `leafPem` to a trusted root through `poolPem`; every link must be a CA and current at `now`. */
function chainToTrustedRoot(leafPem: string, poolPem: string[], roots: X509Certificate[], now: TimeCheck, role: string, untrusted: CredentialProblem): void {
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
function verifySignature(xml: string, credential: ParsedCredential, elements: CredentialElements): string {
  if (credential.signerCertsPem.length === 0) {
    throw new VerificationFailure('bad-signature', `Signature for credential #${credential.id} carries no X509Certificate in KeyInfo/X509Data`);
  }
  // The common shape first, on the document already parsed; whatever it does not verify gets the full check below.
  const source = elements.get(credential);
  if (source?.signature) {
    const signer = credential.signerCertsPem.find((certPem) => verifiesInProfile(source.element, credential.id, source.signature!, certPem));
    if (signer) return signer;
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

function checkGid(gidPem: string, expectedUrn: string, role: string, ctx: LevelContext): void {
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
  const carried = splitPemCertificates(gidPem).slice(1);
  const pool = ctx.gidChains === 'own' ? carried : [...carried, ...ctx.pool];
  try {
    chainToTrustedRoot(leaf, pool, ctx.roots, ctx.now, role, 'bad-certificate');
  } catch (err) {
    if (!(err instanceof VerificationFailure) || ctx.gidChains !== 'own' || err.problem !== 'bad-certificate') throw err;
    const carries = carried.length === 0 ? 'it carries no issuer certificate' : `it carries ${carried.length} issuer certificate${carried.length === 1 ? '' : 's'}`;
    throw new VerificationFailure('bad-certificate', `${err.message} (only the chain inside the GID is followed, and ${carries})`);
  }
}

interface LevelContext {
  roots: X509Certificate[];
  now: TimeCheck;
  pool: string[];
  waive: ReadonlySet<DelegationRule>;
  lenientUrns: boolean;
  gidChains: 'credential' | 'own';
  /** The elements the credentials were parsed from. */
  elements: CredentialElements;
}

/**
 * "All contained URNs must follow the GENI URN rules" (GeniApiCredentials, Validation): the owner and target URNs
 * and the URN each signer certificate names itself by.
 */
function checkUrns(credential: ParsedCredential, signerPem: string | undefined, ctx: LevelContext): void {
  if (ctx.lenientUrns) return;
  const signerUrn = signerPem ? certificateUrn(signerPem) : undefined;
  const named: Array<[string, string | undefined]> = [['owner_urn', credential.ownerUrn], ['target_urn', credential.targetUrn], ['the signer certificate\'s URN', signerUrn]];
  for (const [role, urn] of named) {
    if (urn === undefined) continue;
    const problems = urnProblems(urn);
    if (problems.length > 0) throw new VerificationFailure('malformed', `${role} ${JSON.stringify(urn)} breaks the GENI URN rules: ${problems.join('; ')}`);
  }
}

/** The certificate that signed `credential`; a parent whose signature is waived is taken at its first X509Certificate. */
function signerOf(xml: string, credential: ParsedCredential, isParent: boolean, ctx: LevelContext): string | undefined {
  if (isParent && ctx.waive.has('parent-signature')) return credential.signerCertsPem[0];
  let signerPem: string;
  try {
    signerPem = verifySignature(xml, credential, ctx.elements);
  } catch (err) {
    if (isParent && err instanceof VerificationFailure) throw new VerificationFailure(err.problem, `parent credential: ${err.message}`, 'parent-signature');
    throw err;
  }
  chainToTrustedRoot(signerPem, ctx.pool, ctx.roots, ctx.now, 'signer', 'untrusted-signer');
  return signerPem;
}

function breaks(rule: DelegationRule, message: string, ctx: LevelContext): void {
  if (!ctx.waive.has(rule)) throw new VerificationFailure('untrusted-signer', message, rule);
}

function checkDelegation(credential: ParsedCredential, parent: ParsedCredential, signerPem: string | undefined, ctx: LevelContext): void {
  if (!signerPem || !sameCertificate(signerPem, parent.ownerGidPem)) {
    breaks('signed-by-parent-owner', `delegated credential #${credential.id} is not signed by the owner of its parent (${parent.ownerUrn})`, ctx);
  }
  if (parent.targetUrn !== credential.targetUrn) {
    breaks('same-target', `delegated credential targets ${credential.targetUrn} but its parent targets ${parent.targetUrn}`, ctx);
  }
  if (credential.expires.getTime() > parent.expires.getTime()) {
    breaks('expires-within-parent', `delegated credential expires ${credential.expires.toISOString()}, after its parent (${parent.expires.toISOString()})`, ctx);
  }
  for (const privilege of credential.privileges) {
    const held = parent.privileges.filter((p) => p.name === '*' || p.name.toLowerCase() === privilege.name.toLowerCase());
    if (held.length === 0) {
      const parentHas = parent.privileges.map((p) => p.name).join(', ') || 'none';
      breaks('no-wider-privileges', `delegated privilege ${JSON.stringify(privilege.name)} is not held by the parent credential (it holds ${parentHas})`, ctx);
    } else if (!held.some((p) => p.canDelegate)) {
      breaks('privileges-delegatable', `delegated privilege ${JSON.stringify(privilege.name)} is not delegatable in the parent credential (can_delegate false)`, ctx);
    }
  }
}

function verifyLevel(xml: string, credential: ParsedCredential, ctx: LevelContext, isParent = false): void {
  const signerPem = signerOf(xml, credential, isParent, ctx);
  checkUrns(credential, signerPem, ctx);

  if (credential.parent) {
    const parent = credential.parent;
    verifyLevel(xml, parent, ctx, true);
    checkDelegation(credential, parent, signerPem, ctx);
  } else if (!signerPem || !isAuthorityOver(signerPem, credential.targetUrn)) {
    if (!(isParent && ctx.waive.has('parent-signature'))) {
      const signer = signerPem ? certificateUrn(signerPem) ?? '(no URN)' : '(no signer certificate)';
      throw new VerificationFailure('untrusted-signer', `signer ${signer} is not an authority over ${credential.targetUrn}`);
    }
  }

  ctx.now.to = Math.min(ctx.now.to, credential.expires.getTime());
  if (ctx.now.now.getTime() > credential.expires.getTime()) {
    throw new VerificationFailure('expired', `credential #${credential.id} for ${credential.targetUrn} expired at ${credential.expires.toISOString()}`);
  }
  checkGid(credential.ownerGidPem, credential.ownerUrn, 'owner_gid', ctx);
  if (credential.targetGidPem) checkGid(credential.targetGidPem, credential.targetUrn, 'target_gid', ctx);
}

function allSignerCerts(credential: ParsedCredential | undefined): string[] {
  return credential ? [...credential.signerCertsPem, ...allSignerCerts(credential.parent)] : [];
}

/**
 * Remembers credentials that verified, with the time window in which that verdict holds (every certificate current,
 * no credential in the chain expired), so a server seeing the same credential on every call verifies it once.
 * Only successes are kept; anything else is verified afresh. Bounded: the oldest entries go first.
 */
export class VerificationCache {
  private readonly entries = new Map<string, { credential: ParsedCredential; from: number; to: number }>();

  constructor(
    /** @defaultValue 1000 */
    private readonly maxEntries = 1000,
  ) {}

  static key(xml: string, options: VerifyOptions): string {
    const waive = [...(options.waive ?? [])].sort().join(',');
    return createHash('sha256').update(options.trustedRootsPem.join('\n')).update('\0').update(waive).update(options.lenientUrns ? '\0lenient-urns' : '').update(options.gidChains === 'own' ? '\0own-gid-chains' : '').update('\0').update(xml).digest('hex');
  }

  lookup(key: string, now: Date): ParsedCredential | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    return now.getTime() >= hit.from && now.getTime() <= hit.to ? hit.credential : undefined;
  }

  remember(key: string, credential: ParsedCredential, from: number, to: number): void {
    this.entries.delete(key);
    this.entries.set(key, { credential, from, to });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}

/** Verify a credential document; never throws for a bad credential, only for unreadable trusted roots (ConfigError). */
export function verifyCredential(xml: string, options: VerifyOptions & { cache?: VerificationCache }): CredentialVerdict {
  const now = options.now ?? new Date();
  const key = options.cache ? VerificationCache.key(xml, options) : '';
  const cached = options.cache?.lookup(key, now);
  if (cached) return { ok: true, credential: cached };
  let credential: ParsedCredential;
  let elements: CredentialElements;
  try {
    ({ credential, elements } = parseCredentialDocument(xml));
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
  const time: TimeCheck = { now, from: Number.NEGATIVE_INFINITY, to: Number.POSITIVE_INFINITY };
  try {
    verifyLevel(xml, credential, { roots, now: time, pool: allSignerCerts(credential), waive: options.waive ?? new Set(), lenientUrns: options.lenientUrns ?? false, gidChains: options.gidChains ?? 'credential', elements });
    options.cache?.remember(key, credential, time.from, time.to);
    return { ok: true, credential };
  } catch (err) {
    if (err instanceof VerificationFailure) return { ok: false, problem: err.problem, message: err.message, ...(err.rule && { rule: err.rule }) };
    if (err instanceof CredentialFormatError) return { ok: false, problem: 'malformed', message: err.message };
    return { ok: false, problem: 'bad-signature', message: `credential could not be verified: ${err instanceof Error ? err.message : String(err)}` };
  }
}
