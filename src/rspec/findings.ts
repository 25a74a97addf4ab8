export type { RSpecType } from './schemas';

/**
 * One thing wrong with (or worth saying about) an RSpec. rule names the check: 'xsd' for schema
 * validity, the semantic rule names ('unique-client-id', ...), parse rules ('not-well-formed', ...), and
 * 'not-validated' for extension namespaces that no loaded schema covers (a notice, never an error).
 */
export interface RSpecFinding {
  rule: string;
  message: string;
  line?: number;
  schema?: string;
  /** Element path such as /rspec/node[2]/interface[1] (local names, 1-based among same-named siblings). */
  path?: string;
  severity: 'error' | 'notice';
}

/** The rules no XSD can state (src/rspec/semantic-rules.ts, coverage.ts). */
export const SEMANTIC_RULES: readonly string[] = [
  'root-type', 'unique-client-id', 'interface-ref-resolves', 'link-two-ends', 'manifest-sliver-id', 'manifest-covers-request',
];

export interface RSpecValidation {
  /** True when no finding has error severity: the document is well-formed, schema-valid and semantically sound. */
  valid: boolean;
  /**
   * The schema verdict alone (well-formed, no DTD, known namespace, XSD-valid): what `xmllint --schema` would
   * say, so it can be compared with other validators. Semantic findings do not affect it.
   */
  schemaValid: boolean;
  rootType?: string;
  namespace?: string;
  /** The schema used, relative to schemas/xsd (e.g. "geni3/ad.xsd"). */
  schema?: string;
  findings: RSpecFinding[];
  /** Extension namespaces present in the document that no loaded schema validated. */
  notValidated: string[];
}
