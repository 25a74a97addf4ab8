import { ConfigError, type CheckId } from '../core';
import { DYNSLICE_FAULT_DEFINITIONS } from './dynslice/faults';

/** One deliberate deviation the reference AM can be told to commit, so a conformance case can prove it catches it. */
export interface FaultDefinition {
  /** Stable kebab-case name; the suite maps cases to these. */
  name: string;
  /** What the aggregate does wrong when the fault is on. */
  description: string;
  /** The AM API versions whose behaviour it changes ([] for a fault of another surface, see `suite`). */
  api: number[];
  /** The suite that sees it when it is not an AM API version's ('dynslice': the dynslice server endpoint). */
  suite?: string;
  /** The check whose finding shows it, when the fault names one: every case that claims it must name this check. */
  check?: CheckId;
}

const V1 = [1];
const V2 = [2];
const V3 = [3];
const ALL = [1, 2, 3];

const DEFINITIONS = [
  { name: 'getversion-omits-api-versions', description: 'GetVersion leaves out geni_api_versions', api: V3 },
  { name: 'getversion-relative-api-urls', description: 'GetVersion gives geni_api_versions as paths ("/am/3") instead of absolute URLs', api: V3 },
  { name: 'getversion-api-as-string', description: 'GetVersion reports geni_api as the string "3" instead of an int', api: V3 },
  { name: 'getversion-omits-credential-types', description: 'GetVersion leaves out geni_credential_types', api: V3 },
  { name: 'ignores-compressed', description: 'ListResources and Describe return plain XML when geni_compressed is true', api: V3 },
  { name: 'invalid-advertisement', description: 'The advertisement RSpec has hardware_type elements without the required name attribute', api: V3 },
  { name: 'advertisement-in-pgv2', description: 'ListResources asked for a GENI 3 advertisement answers a ProtoGENI v2 one (the same content in the v2 namespace); in v1 as gcf\'s am1 answers its own GCF format whatever rspec_version asks', api: [1, 3] },
  { name: 'available-ignored', description: 'ListResources with geni_available lists nodes that have no free capacity', api: V3 },
  { name: 'advertises-allocated-as-available', description: 'The advertisement says available now="true" for every node, also for exclusive nodes whose capacity is allocated', api: V3 },
  { name: 'accepts-expired-credential', description: 'An expired credential is accepted', api: V3 },
  { name: 'accepts-untrusted-signer', description: 'A credential signed by an authority the AM does not trust is accepted', api: V3 },
  { name: 'accepts-altered-credential', description: 'The credential signature is not checked, so an altered credential is accepted', api: V3 },
  { name: 'accepts-other-owner', description: 'A credential owned by someone other than the client certificate is accepted', api: V3 },
  { name: 'accepts-malformed-credential-urns', description: 'URNs inside a credential (owner, target, the signer certificate\'s) are not checked against the GENI URN rules, so a credential signed by an authority certificate whose URN holds whitespace is accepted', api: V3 },
  { name: 'client-certificate-optional', description: 'TLS does not require a client certificate, and a credential\'s owner is compared with the client certificate only when one was presented: a call without one, carrying any valid credential, is served', api: V3 },
  { name: 'listresources-accepts-no-credentials', description: 'ListResources without any SFA credential (an empty list, or only credentials of a type it does not know) is served, as gcf does ("no credentials, but also no target, so OK")', api: V3 },
  { name: 'accepts-wrong-slice-credential', description: 'A credential for another target (another slice, or a user credential) authorises slice operations', api: V3 },
  { name: 'missing-rspec-version-accepted', description: 'ListResources without geni_rspec_version succeeds instead of answering BADARGS', api: V3 },
  { name: 'unsupported-rspec-version-wrong-code', description: 'An unadvertised geni_rspec_version gets SUCCESS (0) and a GENI 3 document instead of BADVERSION (4)', api: V3 },
  { name: 'unknown-option-rejected', description: 'Unknown option keys are rejected with BADARGS instead of being ignored', api: V3 },
  { name: 'delete-leaves-sliver-listed', description: 'Delete answers success but Status and Describe still list the slivers in their old state', api: V3 },
  { name: 'status-wrong-state-after-provision', description: 'Status reports provisioned slivers as geni_allocated', api: V3 },
  { name: 'renew-past-credential', description: 'Renew beyond the slice credential expiry succeeds (only the AM policy bound is checked)', api: V3 },
  { name: 'extend-alap-ignored', description: 'Renew with geni_extend_alap still fails with OUTOFRANGE instead of renewing to the maximum', api: V3 },
  { name: 'status-omits-geni-error', description: 'Status sliver entries have no geni_error member', api: V3 },
  { name: 'error-as-fault', description: 'Application errors are XML-RPC Faults instead of the return struct', api: V3 },
  { name: 'output-missing-on-error', description: 'Error return structs have no output member', api: V3 },
  { name: 'manifest-missing-sliver-id', description: 'Manifest nodes and links carry no sliver_id', api: V3 },
  { name: 'refused-allocate-keeps-nodes', description: 'An Allocate refused for want of room keeps the places it had reserved before it ran out: those nodes never become available again, even after the slice is deleted', api: V3 },
  { name: 'allocate-ignores-capacity', description: 'Allocate over-allocates exclusive nodes and full VM hosts instead of answering INSUFFICIENT_NODES', api: V3 },
  { name: 'searchfailed-as-empty-success', description: 'Unknown sliver URNs are silently dropped and the call succeeds (possibly with an empty list)', api: V3 },
  { name: 'unadvertised-operational-state', description: "Provisioned slivers that are not started report geni_operational_status 'node_idle', a state of its own that its advertisement does not declare (no opstate extension names it)", api: V3, check: 'sliver-operational-state' },
  { name: 'poa-accepts-unknown-action', description: 'PerformOperationalAction succeeds, changing nothing, for an action it does not support', api: V3 },
  { name: 'describe-empty-slice-searchfailed', description: "Describe of a slice with no slivers here answers SEARCHFAILED instead of an empty manifest (gcf's AMMethodContext resolves the URNs before Describe's own empty-slice rule runs)", api: V3 },
  { name: 'describe-wrong-slice-urn', description: "Describe reports the aggregate's own URN as geni_urn instead of the slice URN", api: V3 },
  { name: 'expires-not-rfc3339', description: "geni_expires is written like '2026-11-22 10:00:00' (no T, no zone)", api: V3 },
  { name: 'single-allocate-twice', description: 'Advertises geni_allocate geni_single, yet a second Allocate on a slice that already has slivers succeeds', api: V3 },
  { name: 'shutdown-not-enforced', description: 'After Shutdown the slice still accepts Allocate, Provision, Renew and PerformOperationalAction', api: V3 },
  // Node logins (src/reference-am/node-logins): what an experimenter meets when they try to log in.
  { name: 'login-entry-missing', description: 'Describe (and v1/v2 ListResources of a slice) serve manifests without the <login> services that Provision and CreateSliver listed', api: ALL },
  { name: 'login-wrong-port', description: "The manifest's <login> gives port 22 while the node's SSH server listens on another port", api: ALL },
  { name: 'login-key-not-installed', description: 'Nodes get their login accounts but not the keys given in geni_users (users): every login is refused', api: ALL },
  { name: 'login-accepts-other-slice-keys', description: "A node accepts every key the aggregate was given for any slice (one authorized_keys shared by all slivers), not only its own sliver's", api: ALL },
  { name: 'update-users-ignored', description: 'PerformOperationalAction geni_update_users answers success but the nodes keep their old users and keys', api: V3 },
  // Delegation (GeniApiCredentials "Delegation"): each fault forgets one rule when verifying a delegated credential.
  { name: 'delegation-parent-signature-unchecked', description: "A delegated credential is accepted although its parent credential's signature does not verify (only the outer signature is checked)", api: ALL },
  { name: 'delegation-signer-unchecked', description: 'A delegated credential is accepted although it is signed by someone other than the owner of its parent', api: ALL },
  { name: 'delegation-target-unchecked', description: 'A delegated credential is accepted although its parent is a credential over another slice', api: ALL },
  { name: 'delegation-widens-privileges', description: 'A delegated credential is accepted although it grants privileges its parent does not hold', api: ALL },
  { name: 'delegation-ignores-can-delegate', description: 'A delegated credential is accepted although its parent marks the privileges can_delegate false', api: ALL },
  { name: 'delegation-outlives-parent', description: 'A delegated credential is accepted although it expires after its parent', api: ALL },
  // Faults only property cases catch: each needs a particular combination of inputs that no example case sends.
  { name: 'accepts-duplicate-interface-client-ids', description: 'client_id uniqueness is only checked among nodes, so a request reusing an interface or link client_id is allocated', api: V3 },
  { name: 'allocate-double-books-exclusive-in-request', description: "Allocate's capacity check for exclusive nodes counts only slivers already allocated, so one request naming the same bare-metal node twice gets two slivers on it", api: V3 },
  { name: 'compressed-drops-available-filter', description: 'ListResources with geni_compressed and geni_available together compresses the full advertisement, busy nodes included', api: V3 },
  { name: 'mistyped-option-crashes', description: 'A standard boolean option of another type (geni_available as a string, …) crashes the handler: XML-RPC Fault -32603 instead of BADARGS', api: V3 },
  { name: 'describe-stale-after-renew', description: 'Describe serves geni_expires from a cache that Renew does not refresh: after Renew it reports the old expiry while Status reports the new one', api: V3 },
  { name: 'renew-ignores-utc-offset', description: 'Renew reads an expiration_time with a ±HH:MM offset as if it were UTC (the offset is dropped)', api: V3 },
  { name: 'v1-error-as-struct', description: 'v1 errors come back as a v2-style { code, output } struct instead of an XML-RPC Fault', api: V1 },
  { name: 'v1-unsupported-rspec-version-accepted', description: 'v1 ListResources answers an unsupported rspec_version with a GENI 3 advertisement instead of a Fault', api: V1 },
  { name: 'v1-text-fault-codes', description: "v1 Faults carry text as their faultCode ('No such slice.', 'Insufficient privileges'), not an int, as gcf's am1 raises them", api: V1, check: 'xmlrpc-fault' },
  { name: 'v1-renewsliver-past-credential', description: 'v1 RenewSliver beyond the slice credential expiry returns true (only the AM policy bound is checked)', api: V1 },
  { name: 'v2-getversion-omits-top-level-api', description: 'v2 GetVersion has geni_api only inside value, not repeated at the top level for v1 clients', api: V2 },
  { name: 'v2-draft-code-shape', description: 'v2 returns the draft shape: code as a bare integer and option instead of the code struct and output', api: V2 },
  { name: 'v2-missing-rspec-version-accepted', description: 'v2 ListResources without geni_rspec_version answers a GENI 3 advertisement instead of BADARGS', api: V2 },
  { name: 'v2-createsliver-twice', description: 'v2 CreateSliver on a slice that already has slivers adds more instead of answering ALREADYEXISTS', api: V2 },
  { name: 'v2-sliverstatus-wrong-precedence', description: 'v2 SliverStatus reports the slice ready as soon as one resource is ready, although others are configuring or failed', api: V2 },
  { name: 'v2-renewsliver-past-credential', description: 'v2 RenewSliver beyond the slice credential expiry succeeds instead of answering OUTOFRANGE', api: V2 },
  { name: 'v2-exception-as-fault', description: "v2 RenewSliver with an expiration_time that does not parse lets the parser's exception escape: XML-RPC Fault 1 \"<type 'exceptions.ValueError'>:…\" instead of the return struct with BADARGS (gcf am2)", api: V2, check: 'envelope' },
  { name: 'v2-renewsliver-output-date', description: "v2 RenewSliver answers success with output the new expiry as an XML-RPC dateTime.iso8601, not a string (gcf am2's successResult(True, requested))", api: V2, check: 'envelope' },
  { name: 'v2-shutdown-not-enforced', description: 'After v2 Shutdown the slice still accepts RenewSliver, DeleteSliver and CreateSliver instead of answering UNAVAILABLE', api: V2 },
  { name: 'updatesliver-not-atomic', description: 'UpdateSliver applies the part of the request that fits, then reports the failure, leaving the slice half updated', api: V2 },
  // The dynslice server beside the AM (src/reference-am/dynslice).
  ...DYNSLICE_FAULT_DEFINITIONS.map((d) => ({ ...d, api: [] as number[], suite: 'dynslice' })),
] as const satisfies readonly FaultDefinition[];

export type ReferenceFaultName = (typeof DEFINITIONS)[number]['name'];

export const REFERENCE_FAULTS: readonly FaultDefinition[] = Object.freeze(DEFINITIONS.map((d) => Object.freeze({ ...d, api: [...d.api] })));

/** The faults switched on for one aggregate instance; handlers ask `has(name)` at the exact point of the deviation. */
export class FaultSet {
  private readonly enabled: ReadonlySet<string>;

  constructor(names: readonly string[] = []) {
    const known = new Set(REFERENCE_FAULTS.map((f) => f.name));
    const unknown = names.filter((n) => !known.has(n));
    if (unknown.length > 0) {
      throw new ConfigError(
        `unknown reference AM fault${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => JSON.stringify(n)).join(', ')}; ` +
          `valid names are: ${[...known].join(', ')}`,
      );
    }
    this.enabled = new Set(names);
  }

  /** Whether `name` is a fault of the reference AM at all (switched on or not). */
  known(name: string): boolean {
    return REFERENCE_FAULTS.some((f) => f.name === name);
  }

  has(name: ReferenceFaultName): boolean {
    return this.enabled.has(name);
  }

  get names(): string[] {
    return [...this.enabled];
  }
}
