import { randomBytes, randomUUID } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import { HarnessError } from '../core';
import { sliceCertificate, type TestAuthority, type UserIdentity } from './authority';
import { certificateBase64, splitPemCertificates, x509, type KeyPair } from './certificates';

/**
 * Minting GENI SFA credentials (GeniApiCredentials): a <signed-credential> holding one <credential xml:id=...>
 * and a <signatures> list with an XML-DSig Signature whose single Reference points at '#<credential id>'.
 *
 * Canonicalization is EXCLUSIVE C14N for SignedInfo and the reference: with inclusive C14N 1.0, xmlsec1 carries
 * the Signature's inherited xml:id into the canonical SignedInfo and xml-crypto does not, so xmlsec1 (what gcf
 * and most aggregates verify with) would reject our signatures.
 */

export interface Privilege {
  name: string;
  canDelegate?: boolean;
}

export interface MintCredentialOptions {
  owner: { certPem: string; urn: string };
  /** target_gid: the user certificate for a user credential; for a slice, a slice certificate is minted unless given. */
  target: { urn: string; certPem?: string };
  privileges: Privilege[];
  expires: Date;
  /** Normally the SA; its certificate (and signerChainPem) go into KeyInfo/X509Data. */
  signer: KeyPair;
  signerChainPem?: string[];
  serial?: string;
  /** A signed credential to delegate from: it becomes <parent>, and its signatures are kept. */
  parentXml?: string;
}

export const SFA_CREDENTIAL_SCHEMA = 'http://www.geni.net/resources/credential/2/credential.xsd';
const EXCLUSIVE_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';

/** What real SAs grant on a user credential (gcf's user rights): enough for GetVersion/ListResources/CreateSlice-style calls. */
export const USER_CREDENTIAL_PRIVILEGES: Privilege[] = [
  { name: 'refresh', canDelegate: false },
  { name: 'resolve', canDelegate: false },
  { name: 'info', canDelegate: false },
];
/** The slice owner's privileges: everything, delegatable. */
export const SLICE_CREDENTIAL_PRIVILEGES: Privilege[] = [{ name: '*', canDelegate: true }];

const DEFAULT_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

export function escapeXmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** xsd:dateTime in UTC without milliseconds, the form gcf and ProtoGENI write. */
export function formatCredentialTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function newCredentialId(): string {
  // Unique ids let a delegated credential nest its parent without an xml:id clash.
  return `ref${randomBytes(8).toString('hex')}`;
}

function credentialElementXml(id: string, options: MintCredentialOptions, targetCertPem: string, parentCredentialXml: string | undefined): string {
  const privileges = options.privileges
    .map((p) => `<privilege><name>${escapeXmlText(p.name)}</name><can_delegate>${p.canDelegate ? 'true' : 'false'}</can_delegate></privilege>`)
    .join('');
  return [
    `<credential xml:id="${id}">`,
    '<type>privilege</type>',
    `<serial>${escapeXmlText(options.serial ?? String(parseInt(randomBytes(4).toString('hex'), 16)))}</serial>`,
    `<owner_gid>${escapeXmlText(options.owner.certPem.trim())}</owner_gid>`,
    `<owner_urn>${escapeXmlText(options.owner.urn)}</owner_urn>`,
    `<target_gid>${escapeXmlText(targetCertPem.trim())}</target_gid>`,
    `<target_urn>${escapeXmlText(options.target.urn)}</target_urn>`,
    `<uuid>${randomUUID()}</uuid>`,
    `<expires>${formatCredentialTime(options.expires)}</expires>`,
    `<privileges>${privileges}</privileges>`,
    parentCredentialXml === undefined ? '' : `<parent>${parentCredentialXml}</parent>`,
    '</credential>',
  ].join('\n');
}

/** The parent's <credential> element and its <Signature> elements, cut verbatim so their signatures stay valid. */
function splitParent(parentXml: string): { credentialXml: string; signaturesXml: string } {
  const start = parentXml.search(/<credential[\s>]/);
  const signaturesOpen = parentXml.search(/<signatures[\s>]/);
  const credentialEnd = parentXml.lastIndexOf('</credential>', signaturesOpen < 0 ? undefined : signaturesOpen);
  const signaturesClose = parentXml.lastIndexOf('</signatures>');
  if (start < 0 || credentialEnd < 0 || signaturesOpen < 0 || signaturesClose < 0) {
    throw new HarnessError('fixture', 'cannot delegate: the parent is not a <signed-credential> with <credential> and <signatures>');
  }
  const signaturesBody = parentXml.slice(parentXml.indexOf('>', signaturesOpen) + 1, signaturesClose);
  return { credentialXml: parentXml.slice(start, credentialEnd + '</credential>'.length), signaturesXml: signaturesBody.trim() };
}

function x509DataXml(certsPem: string[]): string {
  return `<X509Data>${certsPem.map((pem) => `<X509Certificate>${certificateBase64(pem)}</X509Certificate>`).join('')}</X509Data>`;
}

export function mintCredential(options: MintCredentialOptions): string {
  const id = newCredentialId();
  // A GID carries its issuers, as SFA authorities write it (GID.save_to_string(save_parents=True)): a verifier that
  // trusts only the CA follows the chain inside the GID. The slice certificate's issuer is the signer.
  const targetCertPem = options.target.certPem ?? `${sliceCertificate(options.signer, options.target.urn).trim()}\n${splitPemCertificates(options.signer.certPem)[0]!.trim()}`;
  const parent = options.parentXml === undefined ? undefined : splitParent(options.parentXml);
  const unsigned = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<signed-credential xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="${SFA_CREDENTIAL_SCHEMA}">`,
    credentialElementXml(id, options, targetCertPem, parent?.credentialXml),
    `<signatures>${parent?.signaturesXml ?? ''}</signatures>`,
    '</signed-credential>',
  ].join('\n');

  const signerCerts = [...splitPemCertificates(options.signer.certPem).slice(0, 1), ...(options.signerChainPem ?? []).flatMap(splitPemCertificates)];
  const signature = new SignedXml({
    privateKey: options.signer.keyPem,
    publicCert: options.signer.certPem,
    signatureAlgorithm: RSA_SHA256,
    canonicalizationAlgorithm: EXCLUSIVE_C14N,
    getKeyInfoContent: () => x509DataXml(signerCerts),
  });
  signature.addReference({
    // The top-level credential only: a delegated document also holds the parent's <credential>.
    xpath: `/*[local-name(.)='signed-credential']/*[local-name(.)='credential']`,
    transforms: [ENVELOPED, EXCLUSIVE_C14N],
    digestAlgorithm: SHA256,
  });
  signature.computeSignature(unsigned, {
    location: { reference: `/*[local-name(.)='signed-credential']/*[local-name(.)='signatures']`, action: 'append' },
    attrs: { 'xml:id': `Sig_${id}` },
  });
  const signed = signature.getSignedXml();
  if (!signed.includes(`URI="#${id}"`)) {
    // xml-crypto adds its own Id attribute when it does not recognise xml:id; that would break every verifier.
    throw new HarnessError('internal', `xml-crypto did not reference the credential by its xml:id ${id}`);
  }
  return signed.startsWith('<?xml') ? signed : `<?xml version="1.0" encoding="UTF-8"?>\n${signed}`;
}

function defaultExpiry(...certsPem: string[]): Date {
  // A credential outliving its certificates is invalid, so stay inside every certificate it embeds.
  const limits = certsPem.map((pem) => new Date(x509(pem).validTo).getTime());
  return new Date(Math.min(Date.now() + DEFAULT_LIFETIME_MS, ...limits) - 1000);
}

/** The user's GID: the certificate and its issuer (certChainPem), or the certificate alone for an identity without one. */
function userGid(user: UserIdentity): string {
  return (user.certChainPem ?? user.certPem).trim();
}

/** The user's own credential, signed by the SA. @defaultValue expires: 7 days, but before the user and SA certificates expire */
export function mintUserCredential(authority: TestAuthority, user: UserIdentity, options: { expires?: Date } = {}): string {
  return mintCredential({
    owner: { certPem: userGid(user), urn: user.urn },
    target: { certPem: userGid(user), urn: user.urn },
    privileges: USER_CREDENTIAL_PRIVILEGES,
    expires: options.expires ?? defaultExpiry(user.certPem, authority.sa.certPem),
    signer: authority.sa,
    signerChainPem: [authority.ca.certPem],
  });
}

/**
 * The slice owner's credential, signed by the SA. A slice certificate is minted for target_gid.
 * @defaultValue expires: 7 days, but before the user and SA certificates expire; privileges: `[{ name: '*', canDelegate: true }]`
 */
export function mintSliceCredential(
  authority: TestAuthority,
  user: UserIdentity,
  sliceUrn: string,
  options: { expires?: Date; privileges?: Privilege[] } = {},
): string {
  return mintCredential({
    owner: { certPem: userGid(user), urn: user.urn },
    target: { urn: sliceUrn },
    privileges: options.privileges ?? SLICE_CREDENTIAL_PRIVILEGES,
    expires: options.expires ?? defaultExpiry(user.certPem, authority.sa.certPem),
    signer: authority.sa,
    signerChainPem: [authority.ca.certPem],
  });
}

/**
 * Delegate a credential: `from` (the parent's owner) grants `to` a subset of its privileges on the same target.
 * Not in the original contract; the verifier's delegation rules need it to be tested.
 */
export function delegateCredential(
  parentXml: string,
  options: { from: KeyPair & { urn?: string }; to: { certPem: string; urn: string }; targetUrn: string; targetCertPem: string; privileges: Privilege[]; expires: Date; signerChainPem?: string[] },
): string {
  return mintCredential({
    owner: options.to,
    target: { urn: options.targetUrn, certPem: options.targetCertPem },
    privileges: options.privileges,
    expires: options.expires,
    signer: options.from,
    signerChainPem: options.signerChainPem,
    parentXml,
  });
}

/** Wrap a credential document as the v3 `credentials` list expects. @defaultValue version `'3'` */
export function sfaCredentialStruct(xml: string, version: '2' | '3' = '3'): { geni_type: 'geni_sfa'; geni_version: string; geni_value: string } {
  return { geni_type: 'geni_sfa', geni_version: version, geni_value: xml };
}
