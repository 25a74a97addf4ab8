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

export interface RSpecValidation {
  /** True when no finding has error severity. */
  valid: boolean;
  rootType?: string;
  namespace?: string;
  /** The schema used, relative to schemas/xsd (e.g. "geni3/ad.xsd"). */
  schema?: string;
  findings: RSpecFinding[];
  /** Extension namespaces present in the document that no loaded schema validated. */
  notValidated: string[];
}
