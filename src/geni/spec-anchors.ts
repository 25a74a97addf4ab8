/**
 * The closed vocabulary of specification anchors cases and checks cite. Keys are our stable ids; urls point at the
 * GENI wiki headings (Trac derives an anchor from the heading text, so these survive section renumbering), or at a
 * page with no fragment where the text cited is not under a heading of its own (then the title says where it is).
 * Several ids may share a url. test/registry.test.ts asserts that every anchor a case cites is a key here;
 * test/spec-anchors.test.ts that every url's fragment is in the checked list (src/geni/spec-headings.ts), with how
 * it was checked, and that a page outside the wiki is cited without a fragment.
 */

export interface SpecAnchor {
  url: string;
  title: string;
  /** The AM API versions the anchored text governs ([] for the dynslice documents). */
  api: ReadonlyArray<1 | 2 | 3>;
}

const WIKI = 'https://groups.geni.net/geni/wiki';
const V3 = `${WIKI}/GAPI_AM_API_V3`;
const COMMON = `${WIKI}/GAPI_AM_API_V3/CommonConcepts`;
const DETAILS = `${WIKI}/GAPI_AM_API_V3_DETAILS`;
const CREDENTIALS = `${WIKI}/GeniApiCredentials`;
const IDENTIFIERS = `${WIKI}/GeniApiIdentifiers`;
const V2 = `${WIKI}/GAPI_AM_API_V2`;
/**
 * The v1 text was GAPI_AM_API until v2 was adopted (2011-12); since then it is GAPI_AM_API_V1: the v2 deltas page
 * (version=1) calls it "[wiki:GAPI_AM_API_V1 Version 1 of the GENI Aggregate Manager API]", the v2 page's draft lists it
 * as "Previous: Version 1", and gcf's acceptance README cites it as "the GENI AM API v1 specification".
 */
const V1 = `${WIKI}/GAPI_AM_API_V1`;
const V2_DETAILS = `${WIKI}/GAPI_AM_API_V2_DETAILS`;
const V2_DELTAS = `${WIKI}/GAPI_AM_API_V2_DELTAS`;
const DRAFT = `${WIKI}/GAPI_AM_API_DRAFT`;
/**
 * The draft page as it was when change sets A and B were written (version 13, 2011-10): seed 004 is a copy of it. Its
 * text of A and B moved to GAPI_AM_API_V2_DELTAS when v2 was adopted; no stored copy of that page goes past A's opening,
 * so requirements quoted from A's and B's details cite this version, which Trac still serves.
 */
const DRAFT_V13 = `${WIKI}/GAPI_AM_API_DRAFT?version=13`;
/** No GENI page specifies a slice manager: SFA's slice_manager.py (seed 000 is its v2→v3 diff) is the reference. */
const SFA_SM = 'https://git.onelab.eu/?p=sfa.git;a=blob;f=sfa/managers/slice_manager.py';
/** The XML-RPC specification (Dave Winer, 1999; the page xmlrpc.com serves it from). */
const XMLRPC_SPEC = 'http://xmlrpc.com/spec.md';
/** The draft change set that defines geni_extend_alap ("Allow `Renew` to extend slivers as much as possible"). */
const CHANGE_SET_R = 'ChangeSetR:AllowRenewtoextendsliversasmuchaspossible';

const v1 = [1] as const;
const v2 = [2] as const;
const v3 = [3] as const;
const all = [1, 2, 3] as const;

/** Every anchor a case or check may cite. */
const DYNSLICE_SERVER = 'http://elasticslice.pages.flux.utah.edu/elasticslice/server.html';
const DYNSLICE_CLIENT = 'http://elasticslice.pages.flux.utah.edu/elasticslice/client.html';

export const SPEC = {
  // GAPI_AM_API_V3: the page opening (its See Also list states the transport), then one anchor per method
  'am3#Overview': {
    url: `${V3}#GENIAggregateManagerAPIVersion3`, title: 'AM API v3: the page opening (See Also: XML-RPC over SSL with client authentication using certificates)', api: v3,
  },
  'am3#GetVersion': { url: `${V3}#GetVersion`, title: 'AM API v3: GetVersion', api: v3 },
  'am3#ListResources': { url: `${V3}#ListResources`, title: 'AM API v3: ListResources', api: v3 },
  'am3#Describe': { url: `${V3}#Describe`, title: 'AM API v3: Describe', api: v3 },
  'am3#Allocate': { url: `${V3}#Allocate`, title: 'AM API v3: Allocate', api: v3 },
  'am3#Renew': { url: `${V3}#Renew`, title: 'AM API v3: Renew', api: v3 },
  'am3#Provision': { url: `${V3}#Provision`, title: 'AM API v3: Provision', api: v3 },
  'am3#Status': { url: `${V3}#Status`, title: 'AM API v3: Status', api: v3 },
  'am3#PerformOperationalAction': { url: `${V3}#PerformOperationalAction`, title: 'AM API v3: PerformOperationalAction', api: v3 },
  'am3#Delete': { url: `${V3}#Delete`, title: 'AM API v3: Delete', api: v3 },
  'am3#Shutdown': { url: `${V3}#Shutdown`, title: 'AM API v3: Shutdown', api: v3 },

  // GAPI_AM_API_V3/CommonConcepts
  // On the v3 page itself, not CommonConcepts (whose text opens with "Common Arguments, Returns, and Concepts").
  'am3/common#APIProtocols': { url: `${V3}#APIProtocolsandDataStructures`, title: 'XML-RPC over SSL with client certificates', api: v3 },
  'am3/common#ReturnStruct': { url: `${COMMON}#ReturnStruct`, title: 'The return struct {code, value, output}', api: v3 },
  'am3/common#ErrorCodes': { url: `${COMMON}#ReturnStruct`, title: 'geni_code values (geni-error-codes.xml)', api: v3 },
  'am3/common#Faults': { url: `${COMMON}#ReturnStruct`, title: 'XML-RPC Faults only for XML-RPC-layer errors', api: v3 },
  'am3/common#Options': {
    url: `${COMMON}#structsandoptionalarguments`,
    title: 'The options struct: entries may be aggregate-specific and are optional for the client; unknown options are ignored', api: v3,
  },
  'am3/common#Credentials': { url: `${COMMON}#credentials`, title: 'The credentials argument', api: v3 },
  'am3/common#RSpecDatatype': { url: `${COMMON}#RSpecdatatype`, title: 'RSpec data type', api: v3 },
  // geni_rspec_version and geni_compressed are option items of ListResources (Provision, Describe), not CommonConcepts
  // headings; the spec's own text links geni_rspec_version's contract to RSpecdatatype.
  'am3/common#geni_rspec_version': { url: `${COMMON}#RSpecdatatype`, title: 'The geni_rspec_version option (the RSpec version contract)', api: v3 },
  'am3/common#geni_compressed': { url: `${V3}#ListResources`, title: 'Compressed RSpecs (the geni_compressed option: zlib, then base64)', api: v3 },
  'am3/common#geni_available': { url: `${V3}#ListResources`, title: 'The geni_available option', api: v3 },
  'am3/common#URNs': { url: `${COMMON}#urns`, title: 'The urns argument', api: v3 },
  'am3/common#Dates': { url: `${COMMON}#datetimedatatype`, title: 'dateTime.rfc3339 values', api: v3 },
  'am3/common#geni_end_time': { url: `${COMMON}#geni_end_time`, title: 'The geni_end_time option', api: v3 },
  'am3/common#geni_best_effort': { url: `${COMMON}#geni_best_effort`, title: 'The geni_best_effort option', api: v3 },
  'am3/common#geni_users': { url: `${COMMON}#geni_users`, title: 'The geni_users option', api: v3 },
  'am3/common#LoginInformation': {
    url: `${COMMON}#Userlogininformation-ManifestRspecExtension`, title: 'User login information in manifests (<services><login>)', api: all,
  },
  'am3/common#geni_update_users': { url: `${COMMON}#SliverOperationalActions`, title: 'The geni_update_users operational action', api: v3 },
  'am3/common#geni_extend_alap': { url: `${DRAFT}#${CHANGE_SET_R}`, title: 'The geni_extend_alap option (change set R)', api: v3 },
  'am3/common#SliverAllocationStates': { url: `${COMMON}#SliverAllocationStates`, title: 'Sliver allocation states', api: v3 },
  'am3/common#OperationalStates': { url: `${COMMON}#SliverOperationalStates`, title: 'Sliver operational states', api: v3 },
  'am3/common#OperationalActions': { url: `${COMMON}#SliverOperationalActions`, title: 'Sliver operational actions', api: v3 },
  'am3/common#SliverExpiration': { url: `${COMMON}#Expirationtimes`, title: 'Expiration times: sliver expiration bounded by the slice credential', api: v3 },
  'am3/common#geni_single_allocation': { url: `${COMMON}#OperationsonIndividualSlivers`, title: 'geni_single_allocation', api: v3 },
  'am3/common#geni_allocate': { url: `${COMMON}#OperationsonIndividualSlivers`, title: 'geni_allocate modes', api: v3 },
  'am3/common#geni_error': { url: `${COMMON}#geni_error`, title: 'The per-sliver geni_error string', api: v3 },

  // GAPI_AM_API_V3_DETAILS. ListResources is cited by page: its section heading is in no stored copy (the title says where).
  'am3/details#GetVersion': { url: `${DETAILS}#GetVersionDetails`, title: 'GetVersion details and sample', api: v3 },
  'am3/details#ListResources': {
    url: DETAILS, title: 'ListResources details (the section after GetVersion details: options geni_available, geni_compressed, geni_rspec_version)', api: v3,
  },

  // GeniApiCredentials and GeniApiIdentifiers (all versions)
  'credentials#Validation': { url: `${CREDENTIALS}#CredentialValidation`, title: 'Credential validation rules', api: all },
  'credentials#Expiry': { url: `${CREDENTIALS}#CredentialValidation`, title: 'Credentials and embedded certificates must be unexpired', api: all },
  'credentials#Delegation': { url: `${CREDENTIALS}#Delegation`, title: 'Delegated credentials', api: all },
  // The page names credential fields in bold, not in headings; what privileges mean is in its opening.
  'credentials#Privileges': { url: CREDENTIALS, title: 'Credential privileges (the page opening: a credential grants its owner privileges on a target)', api: all },
  // The URN format is stated at the top of the page and its public-identifier form under "Public Identifiers"; the
  // slice and sliver name rules are list items (Slice, Sliver), not headings, so they link to the page.
  'identifiers#URNs': { url: `${IDENTIFIERS}#PublicIdentifiers`, title: 'GENI URN format', api: all },
  'identifiers#SliceNames': { url: IDENTIFIERS, title: 'Slice name rules (the Slice item of the URN types)', api: all },
  'identifiers#SliverNames': { url: IDENTIFIERS, title: 'Sliver name rules (the Sliver item of the URN types)', api: all },

  // earlier versions, for suites that compare
  // The v2 page's own method headings are in no stored copy; GetVersion, CreateSliver, DeleteSliver and RenewSliver cite the
  // method's section on the v2 details page (its heading, or a GENI v2 client's link to it: src/geni/spec-headings.ts).
  'am2#GetVersion': { url: `${V2_DETAILS}#GetVersionDetails`, title: 'AM API v2: GetVersion (its section on the v2 details page)', api: [2] },
  'am2#ListResources': { url: `${V2}#ListResources`, title: 'AM API v2: ListResources', api: [2] },
  // The v2 return struct is described on the v2 details page (its own [#ReturnStruct ... described below] links).
  'am2#ReturnStruct': { url: `${V2_DETAILS}#ReturnStruct`, title: 'AM API v2: return struct', api: [2] },
  'am1#GetVersion': { url: V1, title: 'AM API v1, GetVersion()', api: [1] },
  'am1#ListResources': { url: `${V1}#ListResources`, title: 'AM API v1: ListResources', api: [1] },

  // AM API v1 (GAPI_AM_API_V1) and v2 (GAPI_AM_API_V2, its DETAILS and DELTAS pages); change sets A and B as drafted on
  // GAPI_AM_API_DRAFT version 13 (adopted as v2), the draft change sets C (UpdateSliver) and R on GAPI_AM_API_DRAFT.
  // GAPI_AM_API_V1: no stored copy shows its method headings, so its methods are cited by page and named in the title.
  'am1#CreateSliver': { url: V1, title: 'AM API v1, CreateSliver(slice_urn, credentials, rspec, users)', api: v1 },
  'am1#DeleteSliver': { url: V1, title: 'AM API v1, DeleteSliver(slice_urn, credentials)', api: v1 },
  'am1#SliverStatus': { url: V1, title: 'AM API v1, SliverStatus(slice_urn, credentials)', api: v1 },
  'am1#RenewSliver': { url: V1, title: 'AM API v1, RenewSliver(slice_urn, credentials, expiration_time)', api: v1 },
  'am1#Shutdown': { url: V1, title: 'AM API v1, Shutdown(slice_urn, credentials)', api: v1 },
  'am1#users': { url: V1, title: 'AM API v1, CreateSliver(): the users argument (logins and their SSH keys)', api: v1 },
  // Change set B (part 2) states how v1 reports failures; that is the text the v1 error cases quote.
  'am1#Errors': { url: `${DRAFT_V13}#ChangeSetB`, title: 'AM API v1 failures: XML-RPC Faults or false (as change set B describes v1)', api: v1 },
  // Change sets A and B left the draft page when v2 was adopted; their text is on the v2 deltas page now.
  'am1/draft#ChangeSetA': { url: `${V2_DELTAS}#ChangeSetA:RSpecsareXMLdocumentsfollowingGENIschemas`, title: 'Change set A: GENI RSpecs, rspec_version, ad/request_rspec_versions, default_ad_rspec', api: v1 },

  // GAPI_AM_API_V2: one anchor per method beside the ones in SPEC (on the details page where the v2 page's is unverified)
  'am2#CreateSliver': { url: `${V2_DETAILS}#CreateSliverDetails`, title: 'AM API v2: CreateSliver (its section on the v2 details page)', api: v2 },
  'am2#DeleteSliver': { url: `${V2_DETAILS}#DeleteSliverDetails`, title: 'AM API v2: DeleteSliver (its section on the v2 details page)', api: v2 },
  'am2#SliverStatus': { url: `${V2}#SliverStatus`, title: 'AM API v2: SliverStatus', api: v2 },
  'am2#RenewSliver': { url: `${V2_DETAILS}#RenewSliverDetails`, title: 'AM API v2: RenewSliver (its section on the v2 details page)', api: v2 },
  'am2#Shutdown': { url: `${V2}#Shutdown`, title: 'AM API v2: Shutdown', api: v2 },
  'am2#users': { url: `${V2_DETAILS}#CreateSliverDetails`, title: 'AM API v2: the CreateSliver users argument (logins and their SSH keys)', api: v2 },
  'am2#ErrorCodes': { url: `${V2_DETAILS}#ReturnStruct`, title: 'AM API v2: geni_code values', api: v2 },
  'am2/details#GetVersion': { url: `${V2_DETAILS}#GetVersionDetails`, title: 'AM API v2: GetVersion details and sample', api: v2 },
  'am2/deltas#ChangeSetA': { url: `${V2_DELTAS}#ChangeSetA:RSpecsareXMLdocumentsfollowingGENIschemas`, title: 'v1→v2 change set A: geni_rspec_version required, geni_ prefixed GetVersion members', api: v2 },
  // Change sets A and B in detail, as drafted (GAPI_AM_API_DRAFT version 13; the GEC12 session page links both anchors).
  'am2/draft#ChangeSetA': {
    url: `${DRAFT_V13}#ChangeSetA`, title: 'Change set A in detail: the ListResources rspec_version option (required as geni_rspec_version in v2), ad_rspec_versions', api: v2,
  },
  'am2/draft#ChangeSetB': {
    url: `${DRAFT_V13}#ChangeSetB`, title: 'Change set B in detail: an options struct on every method (aggregates require no new options), the {code, value, output} return struct', api: v2,
  },
  'am2/common#geni_extend_alap': { url: `${DRAFT}#${CHANGE_SET_R}`, title: 'geni_extend_alap (change set R: v2 RenewSliver as well)', api: [2, 3] },
  // The draft's change set C heading was "UpdateSlivers" in early 2012 and is "Update()" since (the v3/v4 method).
  'am2/draft#UpdateSliver': { url: `${DRAFT}#ChangeSetC:Update`, title: 'Draft change set C: UpdateSliver, later Update() (complete end state, atomic)', api: v2 },

  // The SFA slice manager (suite sm): the AM API v3 it presents, plus what SFA's slice manager does, cited by the
  // function that implements each behaviour. The link opens the file: gitweb's anchors are line numbers of one revision
  // (#l38), so a function name after '#' would resolve to nothing; the function is named in the title instead.
  // The XML-RPC specification itself, which every AM API version is carried by (v1 names no error form of its own).
  'xmlrpc#Fault': { url: XMLRPC_SPEC, title: 'The XML-RPC specification, Fault: under "Fault example", a struct of faultCode, an <int>, and faultString, a <string>', api: all },

  'sfa-sm#GetVersion': { url: SFA_SM, title: 'SFA slice manager, GetVersion(): interface slicemgr, peers, geni_api_versions', api: v3 },
  'sfa-sm#FanOut': { url: SFA_SM, title: 'SFA slice manager, MultiClient: every aggregate called in parallel', api: v3 },
  'sfa-sm#Statistics': { url: SFA_SM, title: 'SFA slice manager, add_slicemgr_stat(): <statistics> with one <aggregate name elapsed status> per aggregate', api: v3 },
  'sfa-sm#Merge': { url: SFA_SM, title: 'SFA slice manager, Allocate(): merged RSpecs, concatenated geni_slivers', api: v3 },
  'sfa-sm#CallId': { url: SFA_SM, title: 'SFA slice manager, Callids: a call_id already handled gets the empty value', api: v3 },
  'sfa-sm#Cache': { url: SFA_SM, title: 'SFA slice manager, ListResources(): advertisement cache per RSpec version, option cached', api: v3 },
  'sfa-sm#Renew': { url: SFA_SM, title: 'SFA slice manager, Renew(): combined over aggregates', api: v3 },
  'sfa-sm#Loops': { url: SFA_SM, title: "SFA slice manager, ListResources(): never forward back to a peered slice manager's own aggregate", api: v3 },
  'sfa-sm#Delegation': { url: SFA_SM, title: 'SFA slice manager, getDelegatedCredential(): forward the credential the caller delegated to the slice manager', api: v3 },
  // The ProtoGENI dynslice documents (seeds 002 and 003, published with elasticslice). Each page is one section, so
  // the link opens the page and the title names the method.
  'dynslice/server#GetVersion': { url: DYNSLICE_SERVER, title: 'dynslice server, GetVersion(): an integer API version', api: [] },
  'dynslice/server#GetServerDefaults': { url: DYNSLICE_SERVER, title: 'dynslice server, GetServerDefaults(): maxwaittime, policy', api: [] },
  'dynslice/server#Policies': { url: DYNSLICE_SERVER, title: 'dynslice server, Policies: the CLIENT and LIFO resource value policies', api: [] },
  'dynslice/server#SetSliceClientEndpoint': { url: DYNSLICE_SERVER, title: 'dynslice server, SetSliceClientEndpoint(): register a client endpoint, defwaittime at most maxwaittime', api: [] },
  'dynslice/server#RemoveSliceClientEndpoint': { url: DYNSLICE_SERVER, title: 'dynslice server, RemoveSliceClientEndpoint(): no more notices to the endpoint', api: [] },
  'dynslice/server#ListSliceResourceValuePolicies': { url: DYNSLICE_SERVER, title: 'dynslice server, ListSliceResourceValuePolicies(): the policies a client may select', api: [] },
  'dynslice/server#SetSliceClientOptions': { url: DYNSLICE_SERVER, title: 'dynslice server, SetSliceClientOptions(): policy and defwaittime after registration', api: [] },
  'dynslice/server#SetSliceResourceValues': { url: DYNSLICE_SERVER, title: 'dynslice server, SetSliceResourceValues(): values in [0, 1], node identifiers in order', api: [] },
  'dynslice/client#Responses': { url: DYNSLICE_CLIENT, title: 'dynslice client endpoint, ProtoGeniResponse: answers {code, value, output}', api: [] },
  'dynslice/client#GetVersion': { url: DYNSLICE_CLIENT, title: 'dynslice client endpoint, GetVersion(): the client API version', api: [] },
  'dynslice/client#SetResourceValues': { url: DYNSLICE_CLIENT, title: 'dynslice client endpoint, SetResourceValues(): the values the server holds', api: [] },
  'dynslice/client#NotifyDeletePending': { url: DYNSLICE_CLIENT, title: 'dynslice client endpoint, NotifyDeletePending(): the max_wait_time countdown', api: [] },
  'dynslice/client#NotifyDeleteComplete': { url: DYNSLICE_CLIENT, title: 'dynslice client endpoint, NotifyDeleteComplete(): nodes taken back', api: [] },
} as const satisfies Record<string, SpecAnchor>;

export type SpecRef = keyof typeof SPEC;

export function isSpecRef(id: string): id is SpecRef {
  return Object.prototype.hasOwnProperty.call(SPEC, id);
}
