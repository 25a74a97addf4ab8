/**
 * A finding is one observed deviation from the specification. Checks return findings; they never throw for a
 * conformance problem (throwing is for harness bugs, see HarnessError).
 */
export interface Finding {
  /** Stable machine name of the check that produced it, e.g. 'geni-code', 'json-schema', 'rspec-xsd'. */
  check: string;
  /** Fixed human title per check, sentence case, no trailing period, e.g. 'Unexpected geni_code'. */
  title: string;
  /** The acceptable alternatives, already formatted for people (e.g. 'BADARGS (1)'). */
  expected: string[];
  /** What was observed, formatted by formatValue. */
  actual: string;
  /** Where: 'value.geni_api', or an XPath / line into an RSpec. */
  path?: string;
  /** Spec anchor id (see src/geni/spec-anchors.ts). */
  spec?: string;
  /** Transcript entries that prove it. */
  exchangeIds: string[];
  hint?: string;
  /**
   * 'lenient' findings are deviations that a relaxed reading of the spec tolerates (e.g. a refusal with a
   * different non-zero code than the one the spec names). They fail only under --strict; otherwise they warn.
   */
  grade?: 'strict-only';
}
