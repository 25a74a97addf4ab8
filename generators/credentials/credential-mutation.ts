import fc from 'fast-check';
import { credentialMutations, type CredentialProblem } from '../../src/credentials';

/**
 * Ways to break a signed GENI SFA credential document, each with the verdict `verifyCredential` must reach.
 * Changes inside the signed `<credential>` are caught by the signature check, which runs before the expiry,
 * URN and owner checks: altering `expires` or `target_urn` is therefore a `bad-signature`, never `expired`.
 */

export type CredentialMutationName =
  | 'first-char-removed'
  | 'element-inserted'
  | 'signature-value-altered'
  | 'expires-altered'
  | 'target-urn-changed'
  | 'owner-gid-swapped'
  | 'truncated'
  | 'empty'
  | 'not-xml'
  | 'duplicate-xml-id';

export interface CredentialMutation {
  name: CredentialMutationName;
  description: string;
  /** The problem `verifyCredential` reports for the result (src/credentials `CredentialProblem`). */
  expected: CredentialProblem;
  /** Breaks a signed credential document; throws when the document lacks the part it alters. */
  apply(xml: string): string;
}

export interface CredentialMutationConstraints {
  /** @defaultValue every name in {@link CREDENTIAL_MUTATION_NAMES} */
  names?: readonly CredentialMutationName[];
  /**
   * A certificate (PEM or bare base64) to put in owner_gid. Without one, the document's own target_gid or a
   * certificate from its signature is used, whichever differs from the owner's.
   * @defaultValue undefined
   */
  replacementOwnerGid?: string;
}

const bareCertificate = (text: string): string => text.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');

/** The text of the first `<name>` element, with its position. @internal */
function firstElement(xml: string, name: string): { start: number; end: number; text: string } {
  const match = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
  if (!match) throw new Error(`credential mutation: the document has no <${name}> element`);
  const start = match.index + name.length + 2;
  return { start, end: start + match[1]!.length, text: match[1]! };
}

function replaceText(xml: string, at: { start: number; end: number }, text: string): string {
  return xml.slice(0, at.start) + text + xml.slice(at.end);
}

type Builder = (choice: number, c: CredentialMutationConstraints) => Omit<CredentialMutation, 'name'>;

const BUILDERS: Record<CredentialMutationName, Builder> = {
  'first-char-removed': () => ({
    description: 'the first character removed: no longer well-formed XML',
    expected: 'malformed',
    apply: credentialMutations.malformed,
  }),
  'element-inserted': (choice) => {
    const element = ['<foo/>', '<privilege><name>*</name></privilege>', '<!-- x --><bar>1</bar>'][choice % 3]!;
    return {
      description: `${element} inserted as the first child of <credential>: well-formed, but the signed content changed`,
      expected: 'bad-signature',
      apply: (xml) => {
        const open = /<credential\b[^>]*>/.exec(xml);
        if (!open) throw new Error('credential mutation: the document has no <credential> element');
        const at = open.index + open[0].length;
        return `${xml.slice(0, at)}${element}${xml.slice(at)}`;
      },
    };
  },
  'signature-value-altered': (choice) => ({
    description: 'one base64 character of SignatureValue changed',
    expected: 'bad-signature',
    apply: (xml) => {
      const value = firstElement(xml, 'SignatureValue');
      // Only the first characters: the last group before '=' padding may hold bits the decoder ignores.
      const positions = [...value.text.matchAll(/[A-Za-z0-9+/]/g)].map((m) => m.index!).slice(0, -4);
      if (positions.length === 0) throw new Error('credential mutation: SignatureValue is too short to alter');
      const at = positions[choice % positions.length]!;
      const flipped = value.text[at] === 'A' ? 'B' : 'A';
      return replaceText(xml, value, value.text.slice(0, at) + flipped + value.text.slice(at + 1));
    },
  }),
  'expires-altered': (choice) => {
    const days = (1 + (choice % 365)) * (choice % 2 === 0 ? 1 : -1);
    return {
      description: `<expires> moved by ${days} days after signing (the signature check catches it before any expiry check)`,
      expected: 'bad-signature',
      apply: (xml) => {
        const expires = firstElement(xml, 'expires');
        const date = new Date(/[Zz]|[+-]\d\d:?\d\d$/.test(expires.text.trim()) ? expires.text.trim() : `${expires.text.trim()}Z`);
        if (Number.isNaN(date.getTime())) throw new Error(`credential mutation: <expires> ${JSON.stringify(expires.text)} is not a date`);
        return replaceText(xml, expires, new Date(date.getTime() + days * 86400_000).toISOString().replace(/\.\d{3}Z$/, 'Z'));
      },
    };
  },
  'target-urn-changed': (choice) => {
    const suffix = ['x', '-other', '2'][choice % 3]!;
    return {
      description: `<target_urn> renamed (suffix "${suffix}") after signing`,
      expected: 'bad-signature',
      apply: (xml) => {
        const target = firstElement(xml, 'target_urn');
        return replaceText(xml, target, `${target.text.trim()}${suffix}`);
      },
    };
  },
  'owner-gid-swapped': (_choice, c) => ({
    description: "<owner_gid> replaced by another certificate after signing",
    expected: 'bad-signature',
    apply: (xml) => {
      const owner = firstElement(xml, 'owner_gid');
      const candidates = [
        c.replacementOwnerGid,
        /<target_gid>([\s\S]*?)<\/target_gid>/.exec(xml)?.[1],
        ...[...xml.matchAll(/<X509Certificate>([\s\S]*?)<\/X509Certificate>/g)].map((m) => m[1]),
      ];
      const other = candidates.find((candidate): candidate is string => candidate !== undefined && bareCertificate(candidate) !== bareCertificate(owner.text));
      if (!other) throw new Error('credential mutation: no certificate other than the owner_gid to swap in');
      return replaceText(xml, owner, other);
    },
  }),
  truncated: (choice) => ({
    description: 'the document cut short inside <signed-credential>',
    expected: 'malformed',
    apply: (xml) => {
      const end = xml.lastIndexOf('</signed-credential');
      if (end < 2) throw new Error('credential mutation: the document has no </signed-credential> end tag');
      return xml.slice(0, 1 + (choice % (end - 1)));
    },
  }),
  empty: () => ({ description: 'an empty string instead of a credential', expected: 'malformed', apply: () => '' }),
  'not-xml': (choice) => {
    const text = ['this is not a credential', '{"geni_type": "geni_sfa", "geni_value": "..."}', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'][choice % 3]!;
    return { description: `not XML at all: ${JSON.stringify(text.slice(0, 30))}`, expected: 'malformed', apply: () => text };
  },
  'duplicate-xml-id': (choice) => {
    const element = ['extra', 'Object', 'wrapper'][choice % 3]!;
    return {
      description: `a second element <${element}> carrying the signed xml:id (signature wrapping)`,
      expected: 'bad-signature',
      apply: (xml) => {
        const id = /<credential\b[^>]*\bxml:id="([^"]+)"/.exec(xml)?.[1];
        if (!id) throw new Error('credential mutation: <credential> has no xml:id');
        const at = xml.lastIndexOf('</signed-credential>');
        if (at < 0) throw new Error('credential mutation: the document has no </signed-credential> end tag');
        return `${xml.slice(0, at)}<${element} xml:id="${id}"/>${xml.slice(at)}`;
      },
    };
  },
};

export const CREDENTIAL_MUTATION_NAMES: readonly CredentialMutationName[] = Object.keys(BUILDERS) as CredentialMutationName[];

/**
 * Labelled ways to break a signed credential. `verifyCredential(m.apply(xml), …)` answers `{ ok: false, problem: m.expected }`.
 */
export function credentialMutation(constraints: CredentialMutationConstraints = {}): fc.Arbitrary<CredentialMutation> {
  const names = constraints.names ?? CREDENTIAL_MUTATION_NAMES;
  if (names.length === 0) throw new RangeError('credentialMutation: names must list at least one mutation');
  for (const name of names) if (!(name in BUILDERS)) throw new RangeError(`credentialMutation: unknown mutation "${name}"`);
  return fc.tuple(fc.constantFrom(...names), fc.nat()).map(([name, choice]) => ({ name, ...BUILDERS[name](choice, constraints) }));
}
