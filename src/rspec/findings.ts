import type { RSpecType } from './schemas';
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

/**
 * Rules beyond the core schemas' verdict: what no XSD states (src/rspec/semantic-rules.ts, coverage.ts), what the
 * caller expected (root type, RSpec format), namespace well-formedness (xmllint reports it and still calls the
 * document valid when the schema accepts it) and the extension schemas. Their errors make a document
 * non-conformant without changing `schemaValid`, which stays comparable with `xmllint --schema`.
 */
export const SEMANTIC_RULES: readonly string[] = [
  'root-type', 'root-element', 'rspec-version', 'namespace', 'unique-client-id', 'interface-ref-resolves', 'link-two-ends',
  'manifest-sliver-id', 'manifest-covers-request', 'ip-address', 'extension-xsd',
];

/** Default cap on a document's size: past it the document is refused with a 'too-large' finding, unread. */
export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

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
  /** Extension namespaces whose content the project's extension schemas validated. */
  validatedExtensions?: string[];
}

/** What the caller knows about the document it validates. */
export interface ValidateOptions {
  /** The document type the caller asked for; a different root type is a finding. */
  expectedType?: RSpecType;
  /** The RSpec format the caller asked for (GENI v3 or ProtoGENI v2); a document in the other is a finding. */
  expect?: RSpecFormat;
  /** Refuse larger documents unread (default DEFAULT_MAX_BYTES). */
  maxBytes?: number;
  /**
   * Bytes that are a string's UTF-8 encoding (a document that arrived as text, e.g. in an XML-RPC string): parse
   * them as UTF-8 whatever their XML declaration says, as a string would be.
   */
  encoding?: 'UTF-8';
}

export type RSpecFormat = 'geni3' | 'pgv2';
