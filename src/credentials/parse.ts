import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import { splitPemCertificates, toCertificatePem } from './certificates';

/**
 * Reading GENI SFA credential documents. Tolerant where GeniApiCredentials allows (whitespace around values,
 * `expires` without a timezone means UTC, can_delegate as any xsd:boolean), strict about structure.
 */

export interface ParsedCredential {
  xml: string;
  /** The credential's xml:id, which its Signature references. */
  id: string;
  type: string;
  ownerUrn: string;
  /** The owner's certificate, then the issuers the GID carries (PEM). */
  ownerGidPem: string;
  targetUrn: string;
  /** The target's certificate, then the issuers the GID carries (PEM). */
  targetGidPem?: string;
  expires: Date;
  privileges: Array<{ name: string; canDelegate: boolean }>;
  /** Certificates in the X509Data of the Signature that references this credential (signer and chain). */
  signerCertsPem: string[];
  parent?: ParsedCredential;
}

export class CredentialFormatError extends Error {
  override readonly name = 'CredentialFormatError';
}

const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const DOCTYPE = /<!DOCTYPE/i;

/**
 * Parse without ever expanding entities: a DOCTYPE is refused before the parser sees it (no internal-subset
 * entity bombs, no external entities), and any parser error is fatal.
 */
export function parseXmlSafely(xml: string): Document {
  if (DOCTYPE.test(xml)) throw new CredentialFormatError('credential contains a document type declaration (<!DOCTYPE>), which is not allowed');
  const problems: string[] = [];
  let doc: Document;
  try {
    doc = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') {
          problems.push(message);
          throw new Error(message);
        }
      },
    }).parseFromString(xml, 'text/xml');
  } catch (err) {
    const reason = problems[0] ?? (err instanceof Error ? err.message : String(err));
    throw new CredentialFormatError(`credential is not well-formed XML: ${reason.split('\n')[0]}`);
  }
  if (!doc.documentElement) throw new CredentialFormatError('credential is not well-formed XML: no root element');
  return doc;
}

export function childElements(parent: Element, localName?: string): Element[] {
  const out: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 1 && (localName === undefined || (node as Element).localName === localName)) out.push(node as Element);
  }
  return out;
}

function onlyChild(parent: Element, localName: string, where: string): Element {
  const found = childElements(parent, localName);
  if (found.length === 0) throw new CredentialFormatError(`<${where}> has no <${localName}> element`);
  if (found.length > 1) throw new CredentialFormatError(`<${where}> has ${found.length} <${localName}> elements; expected one`);
  return found[0]!;
}

function optionalChild(parent: Element, localName: string, where: string): Element | undefined {
  const found = childElements(parent, localName);
  if (found.length > 1) throw new CredentialFormatError(`<${where}> has ${found.length} <${localName}> elements; expected at most one`);
  return found[0];
}

function textOf(element: Element): string {
  return (element.textContent ?? '').trim();
}

function requiredText(parent: Element, localName: string, where: string): string {
  const text = textOf(onlyChild(parent, localName, where));
  if (!text) throw new CredentialFormatError(`<${localName}> in <${where}> is empty`);
  return text;
}

const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/;

/** xsd:dateTime; without a timezone it is UTC (GeniApiCredentials). */
export function parseCredentialTime(text: string): Date | undefined {
  const match = DATE_TIME.exec(text.trim());
  if (!match) return undefined;
  const [, day, time, fraction = '', zone = 'Z'] = match;
  const normalizedZone = zone === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const millis = fraction ? fraction.slice(0, 4).padEnd(4, '0') : '';
  const date = new Date(`${day}T${time}${millis}${normalizedZone}`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function parseBoolean(text: string, where: string): boolean {
  const value = text.trim().toLowerCase();
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new CredentialFormatError(`<can_delegate> in ${where} is ${JSON.stringify(text)}; it must be an xsd:boolean (true, false, 1 or 0)`);
}

/** A GID: its certificate, then the issuers it carries (SFA writes a GID with its parents), as PEM. */
function gidPem(text: string, element: string): string {
  try {
    const blocks = splitPemCertificates(text);
    return blocks.length > 1 ? blocks.join('\n') : toCertificatePem(text);
  } catch {
    throw new CredentialFormatError(`<${element}> does not hold a certificate`);
  }
}

function credentialId(credential: Element): string {
  const id = credential.getAttributeNS(XML_NS, 'id') || credential.getAttribute('xml:id') || credential.getAttribute('id') || '';
  if (!id) throw new CredentialFormatError('<credential> has no xml:id attribute, so no signature can reference it');
  return id;
}

/** The <Signature> elements in <signatures>, each with the credential id its single Reference points at. */
export function signaturesById(root: Element): Map<string, Element> {
  const byId = new Map<string, Element>();
  const signatures = childElements(root, 'signatures')[0];
  if (!signatures) return byId;
  for (const signature of childElements(signatures, 'Signature')) {
    if (signature.namespaceURI !== DSIG_NS) continue;
    const signedInfo = childElements(signature, 'SignedInfo')[0];
    const references = signedInfo ? childElements(signedInfo, 'Reference') : [];
    for (const reference of references) {
      const uri = reference.getAttribute('URI') ?? '';
      if (uri.startsWith('#')) byId.set(uri.slice(1), signature);
    }
  }
  return byId;
}

function x509Certificates(signature: Element | undefined): string[] {
  if (!signature) return [];
  const out: string[] = [];
  for (const keyInfo of childElements(signature, 'KeyInfo')) {
    for (const data of childElements(keyInfo, 'X509Data')) {
      for (const cert of childElements(data, 'X509Certificate')) {
        const text = textOf(cert);
        if (text) out.push(toCertificatePem(text));
      }
    }
  }
  return out;
}

/** Where each credential of a parsed document was read from: what signature verification works on, without parsing again. */
export type CredentialElements = Map<ParsedCredential, { element: Element; signature?: Element }>;

function parseCredentialElement(credential: Element, xml: string, signatures: Map<string, Element>, where: string, elements?: CredentialElements): ParsedCredential {
  const id = credentialId(credential);
  const type = requiredText(credential, 'type', where);
  const ownerGidPem = gidPem(requiredText(credential, 'owner_gid', where), 'owner_gid');
  const ownerUrn = requiredText(credential, 'owner_urn', where);
  const targetGidElement = optionalChild(credential, 'target_gid', where);
  const targetGidText = targetGidElement ? textOf(targetGidElement) : '';
  const targetUrn = requiredText(credential, 'target_urn', where);
  const expiresText = requiredText(credential, 'expires', where);
  const expires = parseCredentialTime(expiresText);
  if (!expires) throw new CredentialFormatError(`<expires> in <${where}> is ${JSON.stringify(expiresText)}, not an xsd:dateTime`);

  const privilegesElement = onlyChild(credential, 'privileges', where);
  const privileges = childElements(privilegesElement, 'privilege').map((privilege, index) => {
    const place = `<privilege> ${index + 1} of <${where}>`;
    const name = textOf(onlyChild(privilege, 'name', 'privilege'));
    if (!name) throw new CredentialFormatError(`<name> of ${place} is empty`);
    const canDelegateElement = optionalChild(privilege, 'can_delegate', 'privilege');
    return { name, canDelegate: canDelegateElement ? parseBoolean(textOf(canDelegateElement), place) : false };
  });

  const parsed: ParsedCredential = {
    xml,
    id,
    type,
    ownerUrn,
    ownerGidPem,
    targetUrn,
    ...(targetGidText ? { targetGidPem: gidPem(targetGidText, 'target_gid') } : {}),
    expires,
    privileges,
    signerCertsPem: x509Certificates(signatures.get(id)),
  };
  elements?.set(parsed, { element: credential, ...(signatures.has(id) && { signature: signatures.get(id)! }) });
  const parentElement = optionalChild(credential, 'parent', where);
  if (parentElement) {
    parsed.parent = parseCredentialElement(onlyChild(parentElement, 'credential', 'parent'), xml, signatures, 'parent credential', elements);
  }
  return parsed;
}

export function parseCredential(xml: string): ParsedCredential {
  return parseCredentialDocument(xml).credential;
}

/** parseCredential, with the elements each credential (and its parents) was read from and the Signature naming it. */
export function parseCredentialDocument(xml: string): { credential: ParsedCredential; elements: CredentialElements } {
  if (typeof xml !== 'string' || xml.trim() === '') throw new CredentialFormatError('credential is empty');
  const doc = parseXmlSafely(xml);
  const root = doc.documentElement!;
  if (root.localName !== 'signed-credential') {
    throw new CredentialFormatError(`root element is <${root.tagName}>; a GENI SFA credential is a <signed-credential>`);
  }
  const credential = onlyChild(root, 'credential', 'signed-credential');
  const elements: CredentialElements = new Map();
  return { credential: parseCredentialElement(credential, xml, signaturesById(root), 'credential', elements), elements };
}
