/**
 * The check ids findings carry (Finding.check), as a closed vocabulary: a case's `detects` names the fault it catches
 * and the check whose finding proves it, and a misspelt id is a type error. test/checks/check-ids.test.ts asserts
 * that the checks, the runner and the cases write no other id and that every id here is written somewhere (none is
 * dead); test/checks/garbage.test.ts that the findings checks make on garbage carry ids from here. Add the id of a
 * new check here.
 */
export const CHECK_IDS = [
  // envelope and return codes
  'envelope', 'geni-code', 'error-as-fault', 'xmlrpc-fault', 'xmlrpc-answer', 'json-schema', 'alternatives',
  // values at a path
  'field', 'field-missing', 'rfc3339', 'urn', 'getversion-members',
  // RSpecs
  'rspec', 'rspec-compression', 'compression', 'available-subset', 'manifest', 'manifest-client-ids', 'manifest-sliver-ids',
  // slivers
  'sliver-list', 'sliver-count', 'sliver-urns', 'sliver-urn-type', 'sliver-urn-reused', 'sliver-allocation-state',
  'sliver-operational-state', 'sliver-expiry', 'sliver-error-field', 'sliver-status', 'liveness',
  // properties and state comparisons
  'property', 'model', 'views-agree', 'state-unchanged',
  // what the aggregate gives back (src/runner/capacity.ts)
  'capacity-returned',
  // v1
  'v1-return', 'v1-error', 'v1-getversion',
  // node logins
  'login-given-key', 'login-other-key', 'login-service-complete', 'login-service-per-node',
  // slice managers
  'slice-manager',
  // ProtoGENI dynslice: answers, server settings and values
  'pg-envelope', 'pg-code', 'dynslice-version', 'dynslice-server-defaults', 'dynslice-policies', 'dynslice-resource-values',
  'dynslice-identifier-precedence', 'lifo-order', 'callbacks-after-remove',
  // dynslice countdowns (the server's) and the client endpoint's answers
  'countdown-non-increasing', 'countdown-first-wait', 'countdown-deadline', 'countdown-release', 'countdown-tick',
  'countdown-complete-follows-pending', 'client-answers', 'client-release-answer',
] as const;

export type CheckId = (typeof CHECK_IDS)[number];

export function isCheckId(id: string): id is CheckId {
  return (CHECK_IDS as readonly string[]).includes(id);
}

/** What a case claims to catch: a reference fault, and the check whose finding must fire when it is on. */
export interface Detection {
  /** A fault of the reference AM (with its dynslice server), the reference SM or the reference dynslice client endpoint. */
  fault: string;
  /** The check id of the finding that proves the case saw the fault (not merely some finding). */
  check: CheckId;
}
