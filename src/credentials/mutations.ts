/** Negative-test variants of a credential document (from the GPO acceptance tests). */
export const credentialMutations = {
  /** The first character removed: no longer well-formed XML. */
  malformed(xml: string): string {
    return xml.slice(1);
  },
  /** An extra <foo/> as the first child of <credential>: still well-formed, but the signature no longer matches. */
  alteredObject(xml: string): string {
    const open = /<credential\b[^>]*>/.exec(xml);
    if (!open) throw new Error('alteredObject: the document has no <credential> element to alter');
    const at = open.index + open[0].length;
    return `${xml.slice(0, at)}<foo/>${xml.slice(at)}`;
  },
};
