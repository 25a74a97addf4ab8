import { createHash, verify as verifyRsa } from 'node:crypto';
import type { Element, Node } from '@xmldom/xmldom';
import { ExclusiveCanonicalization, ExclusiveCanonicalizationWithComments, SignedXml } from 'xml-crypto';
import { x509 } from './certificates';

/**
 * The XML signature of a credential checked directly on the parsed document, for the one shape almost every credential
 * has (ours, and any signer's that uses exclusive C14N): exclusive C14N of SignedInfo, one Reference to '#<credential
 * xml:id>' whose transforms are the enveloped-signature transform and exclusive C14N, a SHA digest, an RSA PKCS#1 v1.5
 * signature. That is XML-DSig core validation for this shape (Reference validation: the element the URI names, unique
 * in the document, canonicalized and digested, equals DigestValue; Signature validation: the canonical SignedInfo
 * verifies under the certificate's key), done without xml-crypto's general machinery (it parses the document again for
 * every certificate it tries and finds the referenced element with XPath over the whole document: ~80 % of a fresh
 * credential's verification cost).
 *
 * It only ever says yes: `true` when the signature verifies, `undefined` for anything else, and the caller then runs the
 * full xml-crypto check, which decides and words the refusal. So every credential it does not positively verify gets
 * exactly the old treatment: other canonicalizations (inclusive C14N, as xmlsec1 in gcf signs), InclusiveNamespaces
 * prefix lists, other transforms or algorithms, a Signature inside the element it signs, elements sharing the id,
 * a wrong digest, a wrong signature value.
 */

const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
const EXCLUSIVE_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const EXCLUSIVE_C14N_WITH_COMMENTS = 'http://www.w3.org/2001/10/xml-exc-c14n#WithComments';
const ENVELOPED_SIGNATURE = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

/** RSA PKCS#1 v1.5 signature methods, and the hash each signs with. */
const SIGNATURE_HASH: Readonly<Record<string, string>> = {
  'http://www.w3.org/2000/09/xmldsig#rsa-sha1': 'sha1',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256': 'sha256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512': 'sha512',
};
const DIGEST_HASH: Readonly<Record<string, string>> = {
  'http://www.w3.org/2000/09/xmldsig#sha1': 'sha1',
  'http://www.w3.org/2001/04/xmlenc#sha256': 'sha256',
  'http://www.w3.org/2001/04/xmlenc#sha512': 'sha512',
};
/** The reference transforms of the profile; xml-crypto drops a same-document reference's comments whichever is named. */
const PROFILE_TRANSFORMS = new Set([
  [ENVELOPED_SIGNATURE, EXCLUSIVE_C14N].join(' '),
  [ENVELOPED_SIGNATURE, EXCLUSIVE_C14N_WITH_COMMENTS].join(' '),
  EXCLUSIVE_C14N,
  EXCLUSIVE_C14N_WITH_COMMENTS,
]);
/** The attributes xml-crypto takes for ids (by local name, so xml:id is 'id'). */
const ID_ATTRIBUTES = new Set(['Id', 'ID', 'id']);

function elementChildren(parent: Element): Element[] {
  const out: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) if (node.nodeType === 1) out.push(node as Element);
  return out;
}

/** The single XML-DSig child named `localName`; undefined when there is none, several, or one in another namespace. */
function onlyDsigChild(parent: Element, localName: string): Element | undefined {
  const found = elementChildren(parent).filter((child) => child.localName === localName);
  return found.length === 1 && found[0]!.namespaceURI === DSIG_NS ? found[0] : undefined;
}

function algorithmOf(element: Element | undefined): string | undefined {
  if (!element || elementChildren(element).length > 0) return undefined;
  return element.getAttribute('Algorithm') ?? undefined;
}

function isInside(node: Node, ancestor: Node): boolean {
  for (let current = node.parentNode; current; current = current.parentNode) if (current === ancestor) return true;
  return false;
}

/** How many elements of the document carry `id` in an attribute xml-crypto takes for an id. */
function elementsWithId(root: Element, id: string): Element[] {
  const found: Element[] = [];
  const visit = (element: Element): void => {
    for (let i = 0; i < element.attributes.length; i++) {
      const attribute = element.attributes.item(i)!;
      if (attribute.namespaceURI !== XMLNS_NS && ID_ATTRIBUTES.has(attribute.localName ?? '') && attribute.value === id) {
        found.push(element);
        break;
      }
    }
    for (const child of elementChildren(element)) visit(child);
  };
  visit(root);
  return found;
}

function descendantsNamed(element: Element, localName: string): number {
  let count = 0;
  for (const child of elementChildren(element)) count += (child.localName === localName ? 1 : 0) + descendantsNamed(child, localName);
  return count;
}

function canonicalOptions(signature: Element): Record<string, unknown> {
  return { defaultNsForPrefix: SignedXml.defaultNsForPrefix, signatureNode: signature, ancestorNamespaces: [] };
}

/**
 * True when `signature` (an XML-DSig Signature element) is a valid signature over `signed` (the element whose id is
 * `id`) in the profile above, by the key of `certPem`; undefined otherwise (outside the profile, or not verified here).
 */
export function verifiesInProfile(signed: Element, id: string, signature: Element, certPem: string): true | undefined {
  if (signature.namespaceURI !== DSIG_NS || isInside(signature, signed)) return undefined;
  const signedInfo = onlyDsigChild(signature, 'SignedInfo');
  if (!signedInfo) return undefined;
  const canonicalization = algorithmOf(onlyDsigChild(signedInfo, 'CanonicalizationMethod'));
  if (canonicalization !== EXCLUSIVE_C14N && canonicalization !== EXCLUSIVE_C14N_WITH_COMMENTS) return undefined;
  const signatureHash = SIGNATURE_HASH[algorithmOf(onlyDsigChild(signedInfo, 'SignatureMethod')) ?? ''];
  if (!signatureHash) return undefined;

  const references = elementChildren(signedInfo).filter((child) => child.localName === 'Reference');
  const reference = references.length === 1 && references[0]!.namespaceURI === DSIG_NS ? references[0]! : undefined;
  if (!reference || reference.getAttribute('URI') !== `#${id}`) return undefined;
  const transformsElements = elementChildren(reference).filter((child) => child.localName === 'Transforms');
  if (transformsElements.length !== 1 || transformsElements[0]!.namespaceURI !== DSIG_NS) return undefined;
  const transformElements = elementChildren(transformsElements[0]!);
  const transforms = transformElements.map((transform) => (transform.localName === 'Transform' && transform.namespaceURI === DSIG_NS ? algorithmOf(transform) : undefined));
  if (transforms.some((algorithm) => algorithm === undefined) || !PROFILE_TRANSFORMS.has(transforms.join(' '))) return undefined;
  const digestHash = DIGEST_HASH[algorithmOf(onlyDsigChild(reference, 'DigestMethod')) ?? ''];
  const digestValue = onlyDsigChild(reference, 'DigestValue');
  if (!digestHash || !digestValue || elementChildren(digestValue).length > 0) return undefined;

  // xml-crypto reads the first text of the first SignatureValue anywhere in the Signature: insist on the one child, one text.
  const signatureValue = onlyDsigChild(signature, 'SignatureValue');
  if (!signatureValue || signatureValue.childNodes.length !== 1 || signatureValue.firstChild!.nodeType !== 3 || descendantsNamed(signature, 'SignatureValue') !== 1) return undefined;

  // Reference validation: the one element with that id (a second one is how signature wrapping works), the one read.
  const root = signed.ownerDocument?.documentElement;
  if (!root) return undefined;
  const withId = elementsWithId(root, id);
  if (withId.length !== 1 || withId[0] !== signed) return undefined;
  // Exclusive C14N would take an InclusiveNamespaces list from a CanonicalizationMethod child of the signed element.
  if (elementChildren(signed).some((child) => child.localName === 'CanonicalizationMethod')) return undefined;
  const canonicalSigned = new ExclusiveCanonicalization().process(signed, canonicalOptions(signature)).toString();
  const digest = createHash(digestHash).update(canonicalSigned, 'utf8').digest();
  if (!digest.equals(Buffer.from(digestValue.textContent ?? '', 'base64'))) return undefined;

  // Signature validation over the canonical SignedInfo.
  const c14n = canonicalization === EXCLUSIVE_C14N ? new ExclusiveCanonicalization() : new ExclusiveCanonicalizationWithComments();
  const canonicalSignedInfo = c14n.process(signedInfo, canonicalOptions(signature)).toString();
  try {
    const key = x509(certPem).publicKey;
    if (key.asymmetricKeyType !== 'rsa') return undefined;
    const value = Buffer.from((signatureValue.textContent ?? '').replace(/\r?\n/g, ''), 'base64');
    return verifyRsa(signatureHash, Buffer.from(canonicalSignedInfo, 'utf8'), key, value) ? true : undefined;
  } catch {
    return undefined;
  }
}
