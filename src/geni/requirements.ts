/**
 * The requirements catalogue: the normative statements of the GENI AM API specification pages (v1, v2 with its
 * change sets A and B, v3 with CommonConcepts and DETAILS, GeniApiCredentials, GeniApiCertificates,
 * GeniApiIdentifiers) and of the draft change sets in the mission documents, one record each.
 *
 * - `text` is quoted from what was read (wiki markup such as backquotes and `{{{ }}}` dropped, nothing reworded);
 *   `seen` says where: a stored copy of the page (a `?version=N` or `?action=diff&version=N` view, from the `search`
 *   tool, corpus `pages`, read on 2026-11-29 by #8) or a mission document under ../shared/seeds/. A record whose
 *   page is not in the stored copies says so in `seen` and its text is then the digest's wording (DOMAIN.md), not
 *   a quote: there are few, and they are marked `digest`.
 * - `level` is the level the text uses: "must", "shall", "is required", "will", "promises" and plain statements of
 *   the protocol are MUST; "should", "expected to", "encouraged" SHOULD; "may", "free to" MAY (a permission: the
 *   harness must tolerate it, so cases cite it where they accept the alternative).
 * - `uncovered`, on a requirement no case checks, says why (untestable from outside the aggregate, operator-only,
 *   a duty of the client, or not written yet); `geni-harness coverage` lists it with that reason.
 *
 * Cases name the ids they check (`requirements` in defineCases): a misspelt id is a type error, and
 * test/requirements.test.ts asserts that no case is graded stricter than the strongest requirement it cites.
 */
import type { SpecRef } from './spec-anchors';

export type RequirementLevel = 'MUST' | 'SHOULD' | 'MAY';

export interface Requirement {
  /** The normative statement as the source says it. */
  text: string;
  level: RequirementLevel;
  /** The spec anchor (a key of SPEC) of the section the text is in. */
  anchor: SpecRef;
  /** The AM API versions the statement governs. */
  api: ReadonlyArray<1 | 2 | 3>;
  /** Where the text was read (see the file comment). */
  seen: string;
  /** True when `text` is the digest's wording because the page itself is not in the stored copies. */
  digest?: true;
  /** Why no case checks it; only on requirements no case cites. */
  uncovered?: string;
}

const WIKI = 'https://groups.geni.net/geni/wiki';
const v3Diff = (n: number): string => `${WIKI}/GAPI_AM_API_V3?action=diff&version=${n}`;
const commonDiff = (n: number): string => `${WIKI}/GAPI_AM_API_V3/CommonConcepts?action=diff&version=${n}`;
const detailsDiff = (n: number): string => `${WIKI}/GAPI_AM_API_V3_DETAILS?action=diff&version=${n}`;
const identifiersDiff = (n: number): string => `${WIKI}/GeniApiIdentifiers?action=diff&version=${n}`;
const V3_PAGE = `${WIKI}/GAPI_AM_API_V3?version=47&format=txt`;
const COMMON_PAGE = `${WIKI}/GAPI_AM_API_V3/CommonConcepts`;
const CREDENTIALS_PAGE = `${WIKI}/GeniApiCredentials`;
const CREDENTIALS_V7 = `${WIKI}/GeniApiCredentials?action=diff&version=7`;
const CERTIFICATES_PAGE = `${WIKI}/GeniApiCertificates`;
const CHANGE_SET_B_DRAFT = `${WIKI}/GAPI_AM_API_DRAFT?action=diff&version=14`;
const METHOD_SIGNATURES = `${WIKI}/AaronHelsinger/GAPI_AM_API_DRAFT/MethodSignatures?action=diff&version=10 (the draft the CommonConcepts text was made from)`;
const METHOD_SIGNATURES_COMMON = `${WIKI}/AaronHelsinger/GAPI_AM_API_DRAFT/MethodSignatures/CommonConcepts?action=diff&version=1 (the draft the CommonConcepts text was made from)`;
const FEDERATION_COPY = (file: string): string =>
  `https://github.com/open-multinet/federation-am-api/blob/master/${file} (its note: "this section was copied from the AMv3 spec with only minor changes"; the v3 page's own text is not in the stored copies)`;
/** Seed 004: the draft text of change sets A and B (adopted as AM API v2; also on GAPI_AM_API_V2_DELTAS) and C, D, E. */
const SEED_AB = '../shared/seeds/004_75d21941b9244662.txt (change sets A and B as drafted; adopted as v2)';
const SEED_C = '../shared/seeds/001_f7dac9a91fd5b5f5.txt (draft change set C: UpdateSliver)';
const FEDERATION_RENEW = 'https://github.com/bvermeul/federation-am-api-1/blob/master/call-renew.adoc (a copy of open-multinet/federation-am-api, whose note says its sections were copied from the AMv3 spec with only minor changes; the v3 page\'s own Renew paragraph is not in the stored copies)';
const METHOD_SIGNATURES_V13 = `${WIKI}/AaronHelsinger/GAPI_AM_API_DRAFT/MethodSignatures?action=diff&version=13`;
/** Change set F5 (operational states and actions) as drafted, the text the CommonConcepts sections were made from. */
const DRAFT_F5 = (n: number): string => `${WIKI}/AaronHelsinger/GAPI_AM_API_DRAFT?action=diff&version=${n}`;
const DIGEST_V1 = 'DOMAIN.md §2.3 (digest of GAPI_AM_API: the v1 page\'s SliverStatus, DeleteSliver, RenewSliver and Shutdown sections are in none of the stored copies, searched again 2026-11-29; its stored 2010 diffs, ?action=diff&version=2 and =6, show ListResources and CreateSliver\'s users only)';

const v1 = [1] as const;
const v2 = [2] as const;
const v3 = [3] as const;
const v12 = [1, 2] as const;
const v23 = [2, 3] as const;
const all = [1, 2, 3] as const;

/** Every requirement, by stable id (`<page>.<topic>.<slug>`; never renamed, never reused). */
export const REQUIREMENTS = {
  // ── Transport, certificates, credentials (all versions) ───────────────────────────────────────────────────
  'v3c.protocol.xmlrpc-over-ssl': {
    text: 'The GENI AM API uses XML-RPC over SSL with client authentication using certificates.',
    level: 'MUST', anchor: 'am3#Overview', api: all, seen: `${V3_PAGE} (the See Also list of its opening; line 17 of version 1, ${v3Diff(1)})`,
  },
  'v3c.protocol.require-client-certificates': {
    text: 'Aggregate Managers shall require client side GENI certificates to authenticate users, accepting only certificates that comply with the adopted GENI certificates standards.',
    level: 'MUST', anchor: 'am3/common#APIProtocols', api: all, seen: METHOD_SIGNATURES_COMMON,
  },
  'cert.validation.all-certificates': {
    text: 'Aggregates are required to properly validate all certificates to authenticate access to AM API calls, and fail calls that supply invalid certificates.',
    level: 'MUST', anchor: 'credentials#Validation', api: all, seen: CERTIFICATES_PAGE,
  },
  'v3c.credentials.slice-credential-authorizes': {
    text: 'At least one subset of the credentials (e.g. a single SFA style slice credential) must authorize operations for the slice specified in slice_urn if that is an argument, or for the slice that contains the named slivers, if sliver urns are an argument, or a valid set of administrative credentials with sufficient privileges.',
    level: 'MUST', anchor: 'am3/common#Credentials', api: all, seen: commonDiff(33),
  },
  'v3c.credentials.slivers-of-one-slice': {
    text: 'When sliver_urns are supplied, all such slivers must belong to the same slice, over which the given credential set provides access.',
    level: 'MUST', anchor: 'am3/common#Credentials', api: v3, seen: commonDiff(33),
  },
  'v3c.credentials.user-credential-without-urns': {
    text: 'Methods that do not take a slice urn or sliver urns, but do take credentials, are interpreted to require credentials that authorize the user generally. For example, an SFA style user credential must be supplied.',
    level: 'MUST', anchor: 'am3/common#Credentials', api: all, seen: commonDiff(33),
  },
  'v3c.credentials.valid': {
    text: 'Credentials must be valid (signed by a valid GENI certificate authority either directly or by chain, not expired, and grant privileges to the client identified by the SSL client certificate).',
    level: 'MUST', anchor: 'am3/common#Credentials', api: all, seen: commonDiff(33),
  },
  'v3c.credentials.privileges': {
    text: 'Each method requires specific privileges, which must be granted by the provided credentials.',
    level: 'MUST', anchor: 'am3/common#Credentials', api: all, seen: commonDiff(33),
  },
  'cred.list.semantics': {
    text: 'The reference GCF implementation treats each credential as a separate option: if any ONE credential grants the subject ALL required privileges on the specified target, then allow the operation. An alternative implementation could accumulate privileges from each otherwise valid credential to determine total permissions.',
    level: 'MAY', anchor: 'credentials#Validation', api: all, seen: CREDENTIALS_PAGE,
  },
  'cred.delegation.can-delegate-boolean': {
    text: 'Also note that the value of can_delegate on privileges is an xsd:boolean, meaning it should be one of 1, 0, true, or false.',
    level: 'SHOULD', anchor: 'credentials#Delegation', api: all, seen: CREDENTIALS_PAGE,
    uncovered: 'a rule for whoever writes credentials; the harness mints them (test/credentials checks its own output), an aggregate never sends one',
  },
  'cred.validation.schema': {
    text: 'Credentials must validate against the credential schema.',
    level: 'MUST', anchor: 'credentials#Validation', api: all, seen: CREDENTIALS_V7,
  },
  'cred.validation.signature': {
    text: 'The credential signature must be valid, as per the XML Digital Signature standard.',
    level: 'MUST', anchor: 'credentials#Validation', api: all, seen: CREDENTIALS_V7,
  },
  'cred.validation.trusted-chain': {
    text: 'All contained certificates must be valid and trusted (trace back through all valid/trusted certificates to a trusted root certificate), and follow the GENI Certificate restrictions (see GeniApiCertificates).',
    level: 'MUST', anchor: 'credentials#Validation', api: all, seen: CREDENTIALS_V7,
  },
  'cred.validation.unexpired': {
    text: 'The expiration of the credential and all contained certificates must be later than the current time.',
    level: 'MUST', anchor: 'credentials#Expiry', api: all, seen: CREDENTIALS_V7,
  },
  'cred.validation.urns': {
    text: 'All contained URNs must follow the GENI URN rules.',
    level: 'MUST', anchor: 'credentials#Validation', api: all, seen: CREDENTIALS_V7,
  },
  'cred.validation.root-signer-authority': {
    text: 'The signer of the root credential (all the way back up any delegation chain) must have authority over the target.',
    level: 'MUST', anchor: 'credentials#Validation', api: all, seen: CREDENTIALS_V7,
  },
  'cred.delegation.rules': {
    text: "The delegated credential should be for the same target, for the same or a shorter duration, include the original credential in the parent field, be signed by the original credential's subject (subject of parent == issuer of delegated credential), and grant a subset of the original credential's privileges.",
    level: 'SHOULD', anchor: 'credentials#Delegation', api: all, seen: CREDENTIALS_V7,
  },
  'cred.delegation.allowed': {
    text: 'Credentials may be delegated, if the owner (subject) has can_delegate for one or more privileges.',
    level: 'MAY', anchor: 'credentials#Delegation', api: all, seen: CREDENTIALS_V7,
  },

  // ── Identifiers ───────────────────────────────────────────────────────────────────────────────────────────
  'id.slice.urn-format': {
    text: 'Format: urn:publicid:IDN+<SA name>+slice+<slice name>',
    level: 'MUST', anchor: 'identifiers#URNs', api: all, seen: identifiersDiff(5),
  },
  'id.slice.name-rules': {
    text: "Slice names are <=19 characters, only alphanumeric plus hyphen (no hyphen in first character): '^[a-zA-Z0-9][-a-zA-Z0-9]\\{0,18\\}$'",
    level: 'MUST', anchor: 'identifiers#SliceNames', api: all, seen: identifiersDiff(11),
    uncovered: "a rule for slice authorities that name slices; the harness's generated slice names follow it (tested in test/generators), and an aggregate names no slices",
  },
  'id.slice.name-case': {
    text: 'Slice names are case insensitive for comparison purposes, but should be treated as case sensitive for display purposes. In other words, servers should preserve the case.',
    level: 'SHOULD', anchor: 'identifiers#SliceNames', api: all, seen: identifiersDiff(11),
  },
  'id.authority.case': {
    text: 'Authority strings are to be treated as case insensitive for comparison purposes, though they should be case sensitive for display purposes (i.e. case preserving).',
    level: 'SHOULD', anchor: 'identifiers#URNs', api: all, seen: identifiersDiff(11),
  },
  'id.sliver.names-unique': {
    text: 'Sliver names - Must be unique over time within that AM, and are selected by the AM.',
    level: 'MUST', anchor: 'identifiers#SliverNames', api: v3, seen: identifiersDiff(11),
  },
  'id.sliver.name-characters': {
    text: "May use only alphanumeric characters plus hyphen, period, or underscore: '[a-zA-Z0-9\\.\\-_]+'",
    level: 'MUST', anchor: 'identifiers#SliverNames', api: v3, seen: identifiersDiff(11),
  },

  // ── Return struct, options, faults (change set B; v2 and v3) ──────────────────────────────────────────────
  'v2.return.struct-everywhere': {
    text: 'This change will modify all methods to return an XMLRPC struct (aka property list) on any application layer success, failure, and even on an error or for most exceptions.',
    level: 'MUST', anchor: 'am2/draft#ChangeSetB', api: v23, seen: CHANGE_SET_B_DRAFT,
  },
  'v2.return.malformed-is-fault': {
    text: 'Note that a malformed XMLRPC request should still raise an XMLRPC Fault, and other Faults dictated by the XMLRPC specification should still be raised.',
    level: 'SHOULD', anchor: 'am3/common#Faults', api: v23, seen: CHANGE_SET_B_DRAFT,
  },
  'v2.return.code-nonzero-on-error': {
    text: 'code: An error code: integer, non-zero on error.',
    level: 'MUST', anchor: 'am3/common#ReturnStruct', api: v23, seen: CHANGE_SET_B_DRAFT,
  },
  'v2.return.value-on-success': {
    text: 'value: On success, this is required. Optional on failure or error.',
    level: 'MUST', anchor: 'am3/common#ReturnStruct', api: v23, seen: SEED_AB,
  },
  'v2.return.output-on-error': {
    text: 'output: On failure or error, this is required. Optional on success. This is a String with a human readable message explaining the result.',
    level: 'MUST', anchor: 'am3/common#ReturnStruct', api: v23, seen: CHANGE_SET_B_DRAFT,
  },
  'v2.return.no-fault-for-application-errors': {
    text: 'Aggregates should avoid raising an error (XMLRPC Fault) for application layer errors or any other cases where the XMLRPC specification does not require a Fault, but rather should attempt to return this struct, providing any error messages and stack traces in the output field or other additional fields.',
    level: 'SHOULD', anchor: 'am3/common#Faults', api: v23, seen: SEED_AB,
  },
  'v2.return.code-struct': {
    text: 'code { geni_code: XMLRPC integer, registered in an XML document off the GENI AM API page; am_type: [optional] XMLRPC string; am_code: [optional] XMLRPC integer }',
    level: 'MUST', anchor: 'am2#ReturnStruct', api: v23, seen: `${WIKI}/GEC12CodingSprint?action=diff&version=4 (the adopted form of change set B part 2)`,
  },
  'v2.return.extra-members': {
    text: 'This struct will have 3 defined entries, and aggregates are free to include other entries to give more information to clients.',
    level: 'MAY', anchor: 'am3/common#ReturnStruct', api: v23, seen: CHANGE_SET_B_DRAFT,
  },
  'v2.options.required-argument': {
    text: "This argument is required for all methods except GetVersion (where it is optional), but may be empty (non NULL but containing no name/value pairs).",
    level: 'MUST', anchor: 'am2/draft#ChangeSetB', api: v23, seen: SEED_AB,
  },
  'v2.options.accepted': {
    text: 'Aggregates are compliant with this API change by accepting this argument; only for ListResources are they required to handle any specific options.',
    level: 'MUST', anchor: 'am2/draft#ChangeSetB', api: v23, seen: SEED_AB,
  },
  'v2.options.no-required-extras': {
    text: 'Aggregates should not require any new options to any method - they should always have a reasonable default for any such option. Clients must always be able to work with any aggregate by simply supplying the options required by this API.',
    level: 'SHOULD', anchor: 'am2/draft#ChangeSetB', api: v23, seen: SEED_AB,
  },
  'v3c.structs.extra-entries-optional': {
    text: 'Unless otherwise specified, all arguments and returns of type struct may include aggregate or resource-specific entries. As arguments, such options must be optional for the client to supply, with the aggregate providing a reasonable default.',
    level: 'MUST', anchor: 'am3/common#Options', api: v3, seen: COMMON_PAGE,
  },
  'v2.options.prefix': {
    text: 'Implementations should choose an appropriate prefix to avoid conflicts, but avoid geni_ which should be reserved for common options.',
    level: 'SHOULD', anchor: 'am2/draft#ChangeSetA', api: all, seen: SEED_AB,
  },
  'v2.getversion.top-level-geni-api': {
    text: 'AM API V2 compliant Aggregates shall include the geni_api argument as a top-level entry in the return struct, specifying 2 to indicate to clients that this AM speaks version 2 of the AM API.',
    level: 'MUST', anchor: 'am2/draft#ChangeSetB', api: v2, seen: SEED_AB,
  },
  'v3d.getversion.geni-api-duplicated': {
    text: 'This value is duplicated here and within the value return struct for backwards compatibility with AM API v1 clients.',
    level: 'MUST', anchor: 'am3/details#GetVersion', api: v3, seen: detailsDiff(6),
  },
  'v3d.getversion.consistent-codes': {
    text: 'Aggregates shall return consistent values for geni_code as described here. Success is always indicated using a geni_code value of 0.',
    level: 'MUST', anchor: 'am3/common#ErrorCodes', api: v23, seen: detailsDiff(6),
  },
  'v3d.getversion.sample-structure': {
    text: 'value = { geni_api = 3; geni_api_versions = { 3 = <This server\'s AM API absolute URL>, 2 = <Prior API version still supported at a slightly different URL> }; geni_request_rspec_versions = [{ type, version, schema, namespace, extensions }]; geni_ad_rspec_versions = [...]; geni_credential_types = [{ geni_type, geni_version }]; geni_single_allocation; geni_allocate }',
    level: 'MUST', anchor: 'am3/details#GetVersion', api: v3, seen: `${WIKI}/GAPI_AM_API_V3_DETAILS?version=3 (sample output)`,
  },

  // ── RSpecs: the format contract (change set A, CommonConcepts) ─────────────────────────────────────────────
  'v3c.rspec.schema-valid': {
    text: 'All such RSpecs must pass an XML schema validator, must list all used schemas and namespaces within the document, using schemas that are publicly available.',
    level: 'MUST', anchor: 'am3/common#RSpecDatatype', api: all, seen: COMMON_PAGE,
  },
  'v3c.rspec.geni-standard-supported': {
    text: 'A fully GENI AM API compliant aggregate will always support the GENI standard schemas for RSpecs ... As of 4/2012, the current GENI RSpec version is 3 (type is geni, case insensitive).',
    level: 'MUST', anchor: 'am3/common#RSpecDatatype', api: v23, seen: COMMON_PAGE,
  },
  'v2.rspec.accept-produce-compliant': {
    text: 'Aggregates are free to use an alternate format internally, but must accept and produce compliant RSpecs on demand.',
    level: 'MUST', anchor: 'am2/deltas#ChangeSetA', api: all, seen: SEED_AB,
  },
  'v2.rspec.geni3-is-pgv2': {
    text: 'Specify that GENI RSpecs comply with GENI standard XML schemas as posted at http://www.geni.net/resources/rspec. GENI RSpec v3 is what was the ProtoGENI v2 schemas.',
    level: 'MUST', anchor: 'am2/deltas#ChangeSetA', api: all, seen: `${WIKI}/GAPI_AM_API_V2_DELTAS?action=diff&version=1`,
  },
  'v3c.rspec.contract': {
    text: 'The Aggregate Manager (AM) API requires this contract: Aggregates advertise the type and version of RSpec formats that they support.',
    level: 'MUST', anchor: 'am3/common#RSpecDatatype', api: all, seen: COMMON_PAGE,
  },
  'v3c.rspec.ad-promise': {
    text: 'If an aggregate advertises a particular type/version ... in the geni_ad_rspec_versions attribute of GetVersion, then it promises to send a correct Advertisement RSpec in response to a ListResources call which supplies a geni_rspec_version option containing that type/version.',
    level: 'MUST', anchor: 'am3/common#RSpecDatatype', api: v23, seen: commonDiff(41),
  },
  'v3c.rspec.version-case-insensitive': {
    text: 'geni_rspec_version is a struct with 2 members, type and version. type and version are case-insensitive strings, matching those in geni_ad_rspec_versions.',
    level: 'MUST', anchor: 'am3/common#geni_rspec_version', api: all, seen: commonDiff(41),
  },
  'v3c.rspec.request-promise': {
    text: 'If an Aggregate advertises a particular type/version ... in the geni_request_rspec_versions attribute of GetVersion then it promises to correctly honor an Allocate (was CreateSliver in API v2) call containing a request RSpec in the given format, and then to return a Manifest RSpec in the corresponding format (i.e. a GENI format request is answered with a GENI format manifest).',
    level: 'MUST', anchor: 'am3/common#RSpecDatatype', api: all, seen: commonDiff(41),
  },
  'v3c.rspec.describe-promise': {
    text: 'The aggregate also promises to send a correctly formatted Manifest RSpec in response to a Describe call which supplies a valid slice URN or list of sliver URNs and an geni_rspec_version option containing that supported type/version.',
    level: 'MUST', anchor: 'am3/common#RSpecDatatype', api: v3, seen: commonDiff(41),
  },
  'v2.rspec.known-types': {
    text: 'The RSpec type should be one of "geni", "protogeni", "sfa", "orca", "openflow", or "orbit" and version should be a type-specific version identifier as specified by the appropriate control framework.',
    level: 'SHOULD', anchor: 'am2/deltas#ChangeSetA', api: all, seen: SEED_AB,
  },
  'v2.rspec.geni-type-reserved': {
    text: 'The "geni" type is reserved for GENI standard format RSpecs, following the schemas hosted at www.geni.net.',
    level: 'MUST', anchor: 'am2/deltas#ChangeSetA', api: all, seen: SEED_AB,
  },
  'v2.rspec.request-consistent-with-ad': {
    text: 'An RSpec matching the GENI standard request RSpec schema containing the resources that the caller is requesting for allocation to the slice specified in slice_urn. These are expected to be consistent with the resources returned by a previous invocation of ListResources.',
    level: 'MUST', anchor: 'am2/deltas#ChangeSetA', api: all, seen: SEED_AB,
  },

  // ── v1 (GAPI_AM_API) with change set A as widely implemented ───────────────────────────────────────────────
  'v1.getversion.members': {
    text: 'The result is an XMLRPC struct with at least the following members: { int geni_api; array request_rspec_versions of {...}; array ad_rspec_versions of {...}; default_ad_rspec of { string type; string version; }; }',
    level: 'MUST', anchor: 'am1/draft#ChangeSetA', api: v1, seen: SEED_AB,
  },
  'v1.getversion.default-ad-advertised': {
    text: 'The GetVersion attribute default_ad_rspec will be one of the values in the GetVersion ad_rspec_versions array.',
    level: 'MUST', anchor: 'am1/draft#ChangeSetA', api: v1, seen: SEED_AB,
  },
  'v1.listresources.options-implemented': {
    text: 'The following members are available for use in the options parameter. All aggregate managers are required to implement these options. { boolean geni_available; boolean geni_compressed; string geni_slice_urn; struct rspec_version }',
    level: 'MUST', anchor: 'am1#ListResources', api: v12, seen: SEED_AB,
  },
  'v1.listresources.extra-options': {
    text: 'In addition to the members specified below, callers can pass additional members that specific aggregate manager implementations might honor.',
    level: 'MUST', anchor: 'am1#ListResources', api: all, seen: SEED_AB,
  },
  'v1.listresources.default-format': {
    text: 'If this option is not included in the request, then the returned RSpec will be of the type specified in default_ad_rspec.',
    level: 'MUST', anchor: 'am1/draft#ChangeSetA', api: v1, seen: SEED_AB,
  },
  'v2.rspec.unsupported-version-refused': {
    text: 'If the aggregate cannot support the requested type/version (that pair is not listed in ad_rspec_versions), then the aggregate returns an Exception.',
    level: 'MUST', anchor: 'am1/draft#ChangeSetA', api: all, seen: `${SEED_AB}; v2 and v3 keep change set A's contract (CommonConcepts: "The Aggregate Manager (AM) API requires this contract"), an error being the return struct there`,
  },
  'v1.listresources.compressed': {
    text: 'The return value will be a ZLib compressed and then base 64 encoded string representation of the RSpec if geni_compressed is specified and set to true.',
    level: 'MUST', anchor: 'am1#ListResources', api: v12, seen: SEED_AB,
  },
  'v1.listresources.plain-text': {
    text: 'The return value is an RSpec matching the GENI standard RSpec in text format if geni_compressed is unspecified or set to false.',
    level: 'MUST', anchor: 'am1#ListResources', api: v12, seen: SEED_AB,
  },
  'v1.listresources.returns-string': {
    text: 'ListResources: Return value of ListResources remains an XMLRPC string, but its format and meaning are now proscribed.',
    level: 'MUST', anchor: 'am1#ListResources', api: v12, seen: SEED_AB,
  },
  'v1.listresources.slice-urn-manifest': {
    text: 'When the client supplies the geni_slice_urn option, then the aggregate will return a manifest RSpec, representing all resources allocated to that slice by this aggregate.',
    level: 'MUST', anchor: 'am1#ListResources', api: v12, seen: SEED_AB,
  },
  'v1.createsliver.returns-manifest': {
    text: 'The return value is an RSpec matching the GENI standard manifest RSpec schema indicating the resources that were allocated to the slice. The result RSpec may contain additional information about the allocated resources.',
    level: 'MUST', anchor: 'am1#CreateSliver', api: v12, seen: SEED_AB,
  },
  'v1.createsliver.users': {
    text: "users: An array of user structs, which contain information about the users that might login to the sliver that the AM needs to know about. Each struct must include the key 'keys', which is an array of strings and can be empty. The struct must also include the key 'urn', which is the user's URN string. The users array can be empty.",
    level: 'MUST', anchor: 'am1#users', api: v12,
    seen: `${WIKI}/GAPI_AM_API?action=diff&version=6 (the v1 text, 2010, when it was GAPI_AM_API: CreateSliver's users argument)`,
  },
  'v1.errors.fault-or-false': {
    text: 'In AM API V1, method failures come back sometimes as XMLRPC Faults, sometimes as False, and is occasionally inconsistent across aggregates.',
    level: 'MUST', anchor: 'am1#Errors', api: v1, seen: SEED_AB,
  },
  'v1.sliverstatus.structure': {
    text: 'SliverStatus(slice_urn, credentials[]) returns {geni_urn, geni_status, geni_resources:[{geni_urn, geni_status, geni_error}]}, status in {configuring, ready, failed, unknown}',
    level: 'MUST', anchor: 'am1#SliverStatus', api: v12, seen: DIGEST_V1, digest: true,
  },
  'v1.sliverstatus.overall-precedence': {
    text: 'overall precedence failed > configuring > all ready > unknown',
    level: 'MUST', anchor: 'am1#SliverStatus', api: v12, seen: DIGEST_V1, digest: true,
  },
  'v1.deletesliver.boolean': {
    text: 'DeleteSliver(slice_urn, credentials[]) returns boolean',
    level: 'MUST', anchor: 'am1#DeleteSliver', api: v12, seen: DIGEST_V1, digest: true,
  },
  'v1.renewsliver.within-credential': {
    text: 'RenewSliver(slice_urn, credentials[], expiration_time): the requested time must be <= the expiration of some valid credential',
    level: 'SHOULD', anchor: 'am1#RenewSliver', api: v12, digest: true,
    seen: `${DIGEST_V1}. No stored copy holds the v1 or v2 page's RenewSliver words either (searched 2026-11-29, #8: GAPI_AM_API_V2 is stored only as its version=1 opening). The digest's "must" is not graded: the nearest stored texts are SHOULD: CommonConcepts "Expiration times" ("In no case however should an aggregate set a sliver expiration to later than the expiration of the presented credentials", ${commonDiff(46)}) and change set R's account of v2 ("AM API v2 says the aggregate should return false if the reservation cannot be extended as requested", ${WIKI}/GAPI_AM_API_DRAFT?action=diff&version=91)`,
  },
  'v1.renewsliver.boolean': {
    text: 'RenewSliver(slice_urn, credentials[], expiration_time) returns boolean',
    level: 'MUST', anchor: 'am1#RenewSliver', api: v12, seen: DIGEST_V1, digest: true,
  },
  'v1.shutdown.boolean': {
    text: 'Shutdown(slice_urn, credentials[]) returns boolean (operator use: stop but keep for forensics)',
    level: 'MUST', anchor: 'am1#Shutdown', api: v12, seen: DIGEST_V1, digest: true,
  },

  'v2.createsliver.once': {
    text: 'Clarify: A second call to CreateSlivers without an intervening DeleteSlivers is an error.',
    level: 'MUST', anchor: 'am2#CreateSliver', api: v2,
    seen: `${WIKI}/GAPI_AM_API_DRAFT/Archive?version=2&format=txt (change set H, listed there as superseded by F3 for v3; for v2 the acceptance suite and gcf am2 answer ALREADYEXISTS)`,
  },

  // ── v2 (change set A as adopted: geni_ prefixes, geni_rspec_version required) ─────────────────────────────
  'v2.getversion.geni-prefix': {
    text: 'renamed the other return values from GetVersion to use the geni_ naming prefix',
    level: 'MUST', anchor: 'am2/deltas#ChangeSetA', api: v23, seen: `${WIKI}/GAPI_AM_API_V2_DELTAS?action=diff&version=1`,
  },
  'v2.getversion.no-default-ad': {
    text: 'removed the default_ad_rspec value from GetVersion',
    level: 'MAY', anchor: 'am2/deltas#ChangeSetA', api: v23, seen: `${WIKI}/GAPI_AM_API_V2_DELTAS?action=diff&version=1`,
    uncovered: 'a removal: an aggregate that still sends default_ad_rspec breaks nothing, so there is nothing to fail',
  },
  'v2.getversion.api-versions': {
    text: 'GetVersion adds a new member (part of the new value return) for indicating which versions of the API are supported at what URLs: geni_api_versions: { 1: <URL>, 2: <URL>, ... }',
    level: 'MUST', anchor: 'am2/details#GetVersion', api: v23, seen: `${WIKI}/GEC12CodingSprint?action=diff&version=4`,
  },
  'v2.getversion.api-version-url-absolute': {
    text: "geni_api_versions = { 3 = <This server's AM API absolute URL> ... }",
    level: 'MUST', anchor: 'am3/details#GetVersion', api: v23, seen: `${WIKI}/GAPI_AM_API_V3_DETAILS?version=3 (sample output)`,
  },
  'v2.listresources.rspec-version-required': {
    text: 'made the rspec_version argument to ListResources required and renamed it geni_rspec_version',
    level: 'MUST', anchor: 'am2/deltas#ChangeSetA', api: v23, seen: `${WIKI}/GAPI_AM_API_V2_DELTAS?action=diff&version=1`,
  },

  // ── v3: GetVersion, ListResources (DETAILS) ───────────────────────────────────────────────────────────────
  'v3d.listresources.rspec-version-required': {
    text: 'geni_rspec_version: Required. An XML-RPC struct indicating the type and version of Advertisement RSpec to return. ... This option is required',
    level: 'MUST', anchor: 'am3/details#ListResources', api: v3, seen: detailsDiff(31),
  },
  'v3d.listresources.missing-version-badargs': {
    text: "aggregates are expected to return a geni_code of 1 ('BADARGS') if it is missing.",
    level: 'SHOULD', anchor: 'am3/details#ListResources', api: v23, seen: detailsDiff(31),
  },
  'v3d.listresources.unadvertised-badversion': {
    text: 'Aggregates should return a geni_code of 4 (BADVERSION) if the requested RSpec version is not one advertised as supported in GetVersion.',
    level: 'SHOULD', anchor: 'am3/details#ListResources', api: v23, seen: detailsDiff(31),
  },
  'v3d.listresources.available': {
    text: 'geni_available: If this value is true (1), the result should contain only available resources. If this value is false (0) or unspecified, both available and allocated resources should be returned.',
    level: 'SHOULD', anchor: 'am3/common#geni_available', api: v3, seen: detailsDiff(17),
  },
  'v3.describe.options-honored': {
    text: 'The following members are available for use in the options parameter. All aggregate managers are required to honor these options.: { boolean compressed <optional>; struct rspec_version { string type; string version; } }',
    level: 'MUST', anchor: 'am3#Describe', api: v3, seen: FEDERATION_COPY('call-describe.adoc'),
  },
  'v3d.listresources.compressed': {
    text: 'geni_compressed: If the value is true (1), the returned resource list will be compressed according to RFC 1950. If the value is false (0) or unspecified, the return will be text.',
    level: 'MUST', anchor: 'am3/common#geni_compressed', api: v3, seen: detailsDiff(17),
  },
  'v3.listresources.no-slice-urn': {
    text: "Split ListResources in two: ListResources for Ad RSpecs, and Describe for a slice's manifest RSpec",
    level: 'MUST', anchor: 'am3#ListResources', api: v3, seen: `${WIKI}/GAPI_AM_API_V3`,
  },
  'v3.getversion.credential-types': {
    text: 'Generalized credential argument, allowing aggregates to accept and tools to supply credentials of alternate types',
    level: 'MUST', anchor: 'am3/common#Credentials', api: v3, seen: `${WIKI}/GAPI_AM_API_V3`,
  },

  // ── v3: Allocate ─────────────────────────────────────────────────────────────────────────────────────────
  'v3d.allocate.satisfied-or-error': {
    text: 'Allocate is used to request a reservation of resources. If the request can be completely satisfied, the manifest RSpec is returned. Otherwise, an error is returned.',
    level: 'MUST', anchor: 'am3#Allocate', api: v3, seen: detailsDiff(23),
  },
  'v3d.allocate.unadvertised-format-badversion': {
    text: 'If this RSpec is in a format not listed as supported by GetVersion, then the aggregate will return an error of BADVERSION (4).',
    level: 'MUST', anchor: 'am3#Allocate', api: v3, seen: detailsDiff(23),
  },
  'v3d.allocate.end-time-may-be-ignored': {
    text: 'If geni_end_time is supplied, the experimenter is requesting a particular sliver reservation expiration date. Local policy may however dictate the expiration date. The AM therefore may ignore this argument; the Allocate call should still succeed',
    level: 'SHOULD', anchor: 'am3/common#geni_end_time', api: v3, seen: detailsDiff(23),
  },
  'v3.allocate.all-or-nothing': {
    text: 'Allocate is an all or nothing request: if the aggregate cannot completely satisfy the request RSpec, it should fail the request entirely.',
    level: 'SHOULD', anchor: 'am3#Allocate', api: v3, seen: FEDERATION_COPY('call-allocate.adoc'),
  },
  'v3.allocate.cheap': {
    text: 'Aggregates should implement Allocate() as quick, cheap, and not impacting provisioned resources, such that it can be readily undone.',
    level: 'SHOULD', anchor: 'am3#Allocate', api: v3, seen: FEDERATION_COPY('call-allocate.adoc'),
    uncovered: 'untestable from outside: cost and impact on other slices are the aggregate\'s internals',
  },
  'v3.allocate.auto-delete': {
    text: 'Clients must Renew or Provision slivers before the expiration time (given in the return struct), or the aggregate will automatically Delete them.',
    level: 'MUST', anchor: 'am3#Allocate', api: v3, seen: FEDERATION_COPY('call-allocate.adoc'),
    uncovered: 'needs waiting out an allocation timeout (minutes at real aggregates, set by their policy); not in a bounded run',
  },
  'v3c.allocated.exclusive': {
    text: 'These resources are exclusively available to the containing sliver, but are not ready for use.',
    level: 'MUST', anchor: 'am3/common#SliverAllocationStates', api: v3, seen: commonDiff(28),
  },
  'v3c.allocated.cheap-reversible': {
    text: 'In particular, allocating a sliver should be a cheap and quick operation, which the aggregate can readily undo without impacting the state of slivers which are fully provisioned.',
    level: 'SHOULD', anchor: 'am3/common#SliverAllocationStates', api: v3, seen: commonDiff(28),
    uncovered: "untestable from outside: the aggregate's cost and internal state",
  },
  'v3c.states.allocation-states': {
    text: 'Valid sliver allocation states are: 1. geni_unallocated ... The sliver does not exist. 2. geni_allocated ... The sliver exists, defines particular resources, and is in a slice. 3. geni_provisioned.',
    level: 'MUST', anchor: 'am3/common#SliverAllocationStates', api: v3, seen: commonDiff(52),
  },
  'v3c.allocate.single-allocation': {
    text: 'geni_single_allocation: When performing one of (Describe, Allocate, Renew, Provision, Delete), the AM requires you to include either the slice urn or the urn of all the slivers in the same state. If you attempt to run one of those operations on just some slivers in a given state, the AM will return an error.',
    level: 'MUST', anchor: 'am3/common#geni_single_allocation', api: v3, seen: commonDiff(3),
  },
  'v3c.allocate.geni-allocate-modes': {
    text: 'geni_allocate: A string, one of fixed set of possible values. Default is geni_single. This option defines whether this AM allows adding slivers to slices at an AM (i.e. calling Allocate() multiple times, without first deleting the allocated slivers).',
    level: 'MUST', anchor: 'am3/common#geni_allocate', api: v3, seen: commonDiff(3),
  },

  // ── v3: options and per-sliver errors (CommonConcepts) ────────────────────────────────────────────────────
  'v3c.best-effort.honored': {
    text: 'Clients may omit this option, but aggregates must honor the option if possible.',
    level: 'MUST', anchor: 'am3/common#geni_best_effort', api: v3, seen: commonDiff(7),
  },
  'v3c.best-effort.default-all-or-none': {
    text: 'By default (geni_best_effort=false), the operation must apply equally to all slivers, either succeeding or failing for all.',
    level: 'MUST', anchor: 'am3/common#geni_best_effort', api: v3, seen: commonDiff(7),
  },
  'v3c.best-effort.partial': {
    text: 'When true, the aggregate may succeed the operation for some slivers, while failing the operation for other slivers.',
    level: 'MAY', anchor: 'am3/common#geni_best_effort', api: v3, seen: commonDiff(7),
  },
  'v3c.best-effort.not-allocate': {
    text: 'This option does not apply to Allocate, which is always all or nothing.',
    level: 'MUST', anchor: 'am3/common#geni_best_effort', api: v3, seen: commonDiff(7),
  },
  'v3c.geni-error.explain': {
    text: 'The aggregate manager should set this to a string that could be presented to a researcher to give more detailed information about the state of the sliver if this operation fails for a given sliver.',
    level: 'SHOULD', anchor: 'am3/common#geni_error', api: v3, seen: commonDiff(45),
  },
  'v3c.geni-error.not-from-allocate': {
    text: 'In particular, it is not returned from Allocate, which is always all-or-nothing.',
    level: 'MUST', anchor: 'am3/common#geni_error', api: v3, seen: commonDiff(45),
  },
  'v3c.geni-error.required-in-status': {
    text: 'Note that this field may be omitted entirely from the return in most cases, but is required in the return from Status, though it may be empty.',
    level: 'MUST', anchor: 'am3/common#geni_error', api: v3, seen: commonDiff(45),
  },
  'v3c.geni-error.string-not-null': {
    text: 'The field if present must be a valid string, not null/None.',
    level: 'MUST', anchor: 'am3/common#geni_error', api: v3, seen: commonDiff(45),
  },
  'v3c.dates.rfc3339': {
    text: 'All datetime arguments and returns in this API shall conform to RFC 3339. This represents a subset of the valid date/time strings permissible by the standard XML-RPC date/time data type, dateTime.iso8601.',
    level: 'MUST', anchor: 'am3/common#Dates', api: v23, seen: METHOD_SIGNATURES,
  },

  // ── v3: Describe ─────────────────────────────────────────────────────────────────────────────────────────
  'v3.describe.empty-slice-manifest': {
    text: 'If a slice urn is supplied and there are no slivers in the given slice at this aggregate, then geni_rspec shall be a valid manifest RSpec, containing zero (0) node or link elements - that is, specifying no resources.',
    level: 'MUST', anchor: 'am3#Describe', api: v3, seen: v3Diff(44),
  },
  'v3.describe.empty-slice-slivers': {
    text: 'geni_slivers may be an empty array, or may be an array of previous slivers that have since been deleted or expired.',
    level: 'MAY', anchor: 'am3#Describe', api: v3, seen: v3Diff(44),
  },
  'v3.describe.unknown-sliver': {
    text: 'Attempting to Describe an unknown sliver shall result in an error (SEARCHFAILED geni_code).',
    level: 'MUST', anchor: 'am3#Describe', api: v3, seen: v3Diff(44),
  },
  'v3.describe.deleted-sliver': {
    text: 'Attempting to Describe a previously deleted or expired sliver shall result in an error (e.g. SEARCHFAILED or EXPIRED or ERROR).',
    level: 'MUST', anchor: 'am3#Describe', api: v3, seen: v3Diff(44),
  },
  'v3.describe.single-manifest': {
    text: 'Aggregates are expected to combine the manifests of all requested slivers into a single manifest RSpec.',
    level: 'SHOULD', anchor: 'am3#Describe', api: v3, seen: v3Diff(46),
  },
  'v3.describe.allocated-less-detail': {
    text: 'Note that the manifest RSpec for allocated slivers may contain less detail than for provisioned slivers.',
    level: 'MAY', anchor: 'am3#Describe', api: v3, seen: v3Diff(46),
    uncovered: "a permission the manifest cases already allow (they judge an allocated sliver's manifest by its schema and the requested client_ids only); no case is about it alone",
  },
  'v3.describe.static-when-ready': {
    text: 'In general, the manifest of a given sliver should be static once it has reached the operational state geni_ready (e.g., fully booted). However, this API does not require that to be true.',
    level: 'MAY', anchor: 'am3#Describe', api: v3, seen: v3Diff(44),
    uncovered: 'the page itself says the API does not require it',
  },
  'v3.describe.rspec-version-required': {
    text: 'Note that all options may be omitted by the client except for rspec_version which is required.',
    level: 'MUST', anchor: 'am3#Describe', api: v3, seen: FEDERATION_COPY('call-describe.adoc'),
  },
  'v3.describe.value-structure': {
    text: 'On success, the value field of the return struct will contain a struct: { geni_rspec: <a Manifest RSpec>, geni_urn: <string slice urn of the containing slice>, geni_slivers: [{ geni_sliver_urn, geni_expires, geni_allocation_status, geni_operational_status, geni_error }] }',
    level: 'MUST', anchor: 'am3#Describe', api: v3, seen: FEDERATION_COPY('call-describe.adoc'),
  },

  // ── v3: Renew ────────────────────────────────────────────────────────────────────────────────────────────
  'v3.renew.unknown-sliver': {
    text: 'Attempting to Renew an unknown sliver shall result in an error (SEARCHFAILED geni_code).',
    level: 'MUST', anchor: 'am3#Renew', api: v3, seen: v3Diff(41),
  },
  'v3.renew.deleted-sliver': {
    text: 'Attempting to Renew a previously deleted or expired sliver shall result in an error (either SEARCHFAILED or EXPIRED) - the aggregate may have forgotten about it entirely.',
    level: 'MUST', anchor: 'am3#Renew', api: v3, seen: v3Diff(41),
  },
  'v3.renew.empty-slice': {
    text: 'Attempting to Renew a slice with no current slivers at this aggregate may return an empty list of slivers, or may return a list of previous slivers that have since been deleted. Note therefore that an empty list is a valid return from this method.',
    level: 'MAY', anchor: 'am3#Renew', api: v3, seen: v3Diff(41),
    uncovered: 'not written yet: Renew of a slice with no slivers, accepting an empty list or the deleted slivers',
  },
  'v3.renew.sooner-time': {
    text: 'It is legal to attempt to renew a sliver to a sooner expiration time than the sliver was previously due to expire. Not all aggregates will support this however.',
    level: 'MAY', anchor: 'am3#Renew', api: v3, seen: v3Diff(41),
    uncovered: 'a permission with no observable duty: either answer is conformant',
  },
  'v3.renew.honour-or-error': {
    text: 'When Renew is called with :best_effort false, the entire method will fail (return non-zero :code) if any requested sliver cannot be renewed to the requested time, and all slivers will keep their original expiration time.',
    level: 'MUST', anchor: 'am3#Renew', api: v3,
    seen: `${FEDERATION_RENEW} (":best_effort" and ":code" stand for geni_best_effort and geni_code there). The same section opens: "If possible, the aggregate should extend the slivers to the requested expiration time, or to a sooner time if policy limits apply" (as in ${METHOD_SIGNATURES_V13}); the cases take the "will fail" sentence: renewed to the requested time, or refused with every expiry unchanged`,
  },
  'v3d.renew.both-states': {
    text: 'This method applies both to slivers that are geni_allocated and to those that are already geni_provisioned.',
    level: 'MUST', anchor: 'am3#Renew', api: v3, seen: detailsDiff(10),
  },
  'v3c.expiry.within-credential': {
    text: 'Slivers have expiration times. Expiration times are set by local aggregate policy. In no case however should an aggregate set a sliver expiration to later than the expiration of the presented credentials which granted the caller authorization to invoke the method. I.E. sliver expiration is <= the expiration of the presented geni_sfa slice credential.',
    level: 'SHOULD', anchor: 'am3/common#SliverExpiration', api: all,
    seen: `${commonDiff(46)} (CommonConcepts "Expiration times", 2013: the "should" sentence replaced "All expiration times are limited by the expiration time of presented certificates and credentials")`,
  },
  'draft-r.renew.extend-alap': {
    text: 'Add a new option: geni_extend_alap (as long as possible), default is False (XML-RPC boolean) (preserving current behavior). Option is valid in AM API v2 in RenewSliver, or in v3 or higher in Renew. AMs are not required to support it. When True, the AM should extend the life of the slice/sliver (depending on the API version), to the minimum of the requested new expiration time, the expiration time in the slice credential (of course), and the AM local maximum based on local policy (which may be resource or slice dependent).',
    level: 'SHOULD', anchor: 'am3/common#geni_extend_alap', api: v23, seen: `${WIKI}/GAPI_AM_API_DRAFT?action=diff&version=91 (change set R as proposed, 2013)`,
  },

  // ── v3: Provision, Status, POA, Delete, Shutdown ─────────────────────────────────────────────────────────
  'v3.provision.rspec-version-required': {
    text: 'The following option is required. All aggregate managers are required to honor this option. This field is used to specify the format of the returned manifest RSpec, as in the Describe() method.',
    level: 'MUST', anchor: 'am3#Provision', api: v3, seen: v3Diff(40),
  },
  'v3.provision.manifest-format': {
    text: 'The returned manifest must be in the format specified by the geni_rspec_version option.',
    level: 'MUST', anchor: 'am3#Provision', api: v3, seen: v3Diff(40),
  },
  'v3.provision.new-slivers-only': {
    text: 'The returned manifest covers only newly provisioned slivers. Use Describe to get a manifest of all provisioned slivers.',
    level: 'MUST', anchor: 'am3#Provision', api: v3, seen: v3Diff(40),
  },
  'v3.provision.best-effort-failures-stay-allocated': {
    text: 'When geni_best_effort is true, all requested slivers are returned, but some slivers may have failed (geni_allocation_status will remain geni_allocated). Check geni_error for details.',
    level: 'MUST', anchor: 'am3#Provision', api: v3, seen: v3Diff(40),
  },
  'v3.status.value-structure': {
    text: 'geni_allocation_status: <string sliver state - e.g. geni_allocated or geni_provisioned>, geni_operational_status: <string sliver operational state>, geni_expires: <dateTime.rfc3339 when the sliver expires from its current state>, geni_error: <optional string. The field may be omitted entirely but may not be null/None, explaining any failure for a sliver.>',
    level: 'MUST', anchor: 'am3#Status', api: v3, seen: v3Diff(48),
  },
  'v3.poa.unsupported-action': {
    text: 'Aggregate Managers SHOULD return an error code of 13 (UNSUPPORTED) if they do not support a given action for a given resource.',
    level: 'SHOULD', anchor: 'am3#PerformOperationalAction', api: v3, seen: v3Diff(37),
  },
  'v3.poa.constrain-by-state': {
    text: 'An AM SHOULD constrain actions based on the current operational state of the resource.',
    level: 'SHOULD', anchor: 'am3#PerformOperationalAction', api: v3, seen: v3Diff(37),
  },
  'v3.poa.only-when-allocated': {
    text: 'This method should only be called, and is only valid, when the sliver is fully allocated (operational status is not geni_pending_allocation).',
    level: 'MUST', anchor: 'am3#PerformOperationalAction', api: v3, seen: v3Diff(37),
  },
  'v3.poa.common-actions': {
    text: 'this API does define three common actions that AMs should support if possible: geni_start, geni_stop, and geni_restart.',
    level: 'SHOULD', anchor: 'am3/common#OperationalActions', api: v3, seen: v3Diff(37),
  },
  'v3.poa.may-start-transitions': {
    text: 'This is a fast synchronous operation, and MAY start long-running sliver transitions whose status can be queried using Status.',
    level: 'MAY', anchor: 'am3#PerformOperationalAction', api: v3, seen: v3Diff(37),
  },
  'v3d.poa.unknown-action-badargs': {
    text: 'BADARGS: One of the required arguments is badly formed or missing (e.g. unknown operation)',
    level: 'MUST', anchor: 'am3#PerformOperationalAction', api: v3, seen: detailsDiff(9),
  },
  'v3.delete.auto-delete-on-expiry': {
    text: 'Note that aggregates will automatically delete slivers whose expiration time is reached.',
    level: 'MUST', anchor: 'am3#Delete', api: v3, seen: v3Diff(44),
    uncovered: 'needs waiting out a sliver expiration (set by the aggregate\'s policy, minutes to days); not in a bounded run',
  },
  'v3.delete.empty-list': {
    text: 'Note that this method may return an empty list, if no slivers were in the request or in the specified slice.',
    level: 'MAY', anchor: 'am3#Delete', api: v3, seen: v3Diff(34),
  },
  'v3.delete.returns-unallocated': {
    text: 'Note that this method should return a struct for each deleted sliver, with the URN of the deleted sliver, the allocation state unallocated, and the time when the sliver was previously set to expire.',
    level: 'SHOULD', anchor: 'am3#Delete', api: v3, seen: 'https://github.com/open-multinet/federation-am-api/blob/master/call-delete.adoc (the federation text of v3 Delete; the v3 page\'s own sentence is not in the stored copies)',
  },
  'v3.delete.no-further-operations': {
    text: 'No further AM API operations may be performed on slivers that have been deleted.',
    level: 'MUST', anchor: 'am3#Delete', api: v3, seen: 'https://github.com/open-multinet/federation-am-api/blob/master/call-delete.adoc (the federation text of v3 Delete)',
  },
  'v3.shutdown.blocks-slice': {
    text: 'Perform an emergency shutdown on the slivers in the given slice at this aggregate. Resources should be taken offline, such that experimenter access (on both the control and data plane) is cut off. No further actions on the slivers in the given slice should be possible at this aggregate, until an un-specified operator action restores the slice\'s slivers (or deletes them). … Return should be true, or else an error should be returned.',
    level: 'SHOULD', anchor: 'am3#Shutdown', api: v23,
    seen: `${FEDERATION_COPY('call-shutdown.adoc')}. The v2 page's Shutdown section is in no stored copy either: v2 is graded at this, the nearest stored text, and no stricter`,
  },

  // ── Draft change set C: UpdateSliver (mission document 001) ──────────────────────────────────────────────
  'draft-c.update.complete-end-state': {
    text: 'RSpec argument is a complete request RSpec with the desired new end state for the slice at this aggregate.',
    level: 'MUST', anchor: 'am2/draft#UpdateSliver', api: v2, seen: SEED_C,
  },
  'draft-c.update.atomic': {
    text: 'Atomic: the request either succeeds entirely or fails and the slice is not changed at the aggregate at all, with the aggregate returning a message indicating that it failed and why.',
    level: 'MUST', anchor: 'am2/draft#UpdateSliver', api: v2, seen: SEED_C,
  },
  'draft-c.update.encouraged-hints': {
    text: 'Aggregates are encouraged to return enough information to allow the experimenter to modify the request such that it can succeed.',
    level: 'SHOULD', anchor: 'am2/draft#UpdateSliver', api: v2, seen: SEED_C,
    uncovered: 'what is "enough information" is a judgement the harness cannot make; the failing answer is shown in the transcript',
  },
  'draft-c.update.adds-removes-modifies': {
    text: 'Add a method UpdateSliver, which adds, removes or modifies resources allocated the slice at the given aggregate, to match the new request RSpec supplied as an argument',
    level: 'MUST', anchor: 'am2/draft#UpdateSliver', api: v2, seen: SEED_AB,
  },

  // ── Node logins (CommonConcepts: geni_users and the manifest login extension) ───────────────────────────
  'v3c.users.honor-keys': {
    text: 'Clients may omit this option. Aggregates should honor this option for any resource that accepts the provided login keys, and ignore it for other resources. … Aggregates accepting this option for a resource are expected to install all supplied SSH keys - creating separate login accounts for each supplied user if possible.',
    level: 'SHOULD', anchor: 'am3/common#geni_users', api: all, seen: `${commonDiff(39)} (CommonConcepts geni_users)`,
  },
  'v3c.users.manifest-login': {
    text: 'Specify SSH node login information in a standard RSpec extension',
    level: 'MUST', anchor: 'am3/common#LoginInformation', api: all, seen: `${WIKI}/GAPI_AM_API_V3`,
  },
  'v3c.users.update-users': {
    text: 'When applied to an existing sliver (through a new operational action or through a call to Update() and Provision()): - This same user struct is to be used - New users may be added - Omitting a user means there will be no change to the keys installed for that user. It does not mean the user should be removed. - Existing users will have all SSH keys replaced by the new set.',
    level: 'MUST', anchor: 'am3/common#geni_update_users', api: v3, seen: `${WIKI}/GAPI_AM_API_DRAFT?action=diff&version=88 (change set Q, "Specifying users and keys")`,
  },
  'v3c.actions.semantics': {
    text: 'Similarly, the API defines a few operational actions: these need not be supported. AMs are encouraged to support these if possible, but only if they can be supported following the defined semantics.',
    level: 'SHOULD', anchor: 'am3/common#OperationalActions', api: v3,
    seen: `${DRAFT_F5(45)} (change set F5 as drafted, the text CommonConcepts' "Sliver Operational Actions" was made from; that section itself is not in the stored copies)`,
  },
  'v3c.operational.states-settle': {
    text: 'There is one state that AMs are required to support, geni_pending_allocation, for a sliver which has not been fully allocated and provisioned. … geni_pending_allocation: A wait state. The sliver is still being allocated and provisioned, and other operational states are not yet valid.',
    level: 'MUST', anchor: 'am3/common#OperationalStates', api: v3,
    seen: `${DRAFT_F5(45)} and ${DRAFT_F5(47)} (change set F5 as drafted, the text CommonConcepts' "Sliver Operational States" was made from). The same text makes the other states optional ("AMs are not required to support them for a given set of resources, but if they use them, they must follow the given semantics") and sets no time for leaving a wait state: a sliver still waiting when the case stops polling is a skip, not a failure`,
  },
  'v3c.operational.own-states-advertised': {
    text: 'AMs may have their own operational states/state-machine internally. AMs are required to advertise such states and actions that experimenters may see or use, by using Ad RSpec extensions. Operational states which the experimenter never sees, need not be advertised. Operational states and actions are generally by resource type.',
    level: 'MUST', anchor: 'am3/common#OperationalStates', api: v3,
    seen: `${WIKI}/AaronHelsinger/GAPI_AM_API_DRAFT/MethodSignatures?action=diff&version=6 ("Sliver Operational States", the draft the CommonConcepts text was made from). The advertisement extension real racks publish is the opstate one (http://www.geni.net/resources/rspec/ext/opstate/1: rspec_opstate with sliver_type, state, action, wait); the cases read it (src/rspec/opstate.ts) and allow the states it declares for a sliver's type beside the standard ones`,
  },
} as const satisfies Record<string, Requirement>;

export type RequirementId = keyof typeof REQUIREMENTS;

export function isRequirementId(id: string): id is RequirementId {
  return Object.prototype.hasOwnProperty.call(REQUIREMENTS, id);
}

const RANK: Record<RequirementLevel, number> = { MAY: 0, SHOULD: 1, MUST: 2 };

/**
 * The strongest level among the requirements (MUST over SHOULD over MAY), or undefined for none: the level a case
 * that checks them may have at most.
 */
export function strongestLevel(ids: readonly RequirementId[]): RequirementLevel | undefined {
  let best: RequirementLevel | undefined;
  for (const id of ids) {
    const level = REQUIREMENTS[id].level;
    if (best === undefined || RANK[level] > RANK[best]) best = level;
  }
  return best;
}

/** True when `level` is no stricter than `limit`. */
export function levelWithin(level: RequirementLevel, limit: RequirementLevel): boolean {
  return RANK[level] <= RANK[limit];
}
