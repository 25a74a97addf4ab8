/**
 * Which spec anchors were checked against the public GENI wiki pages, and how. Every fragment a SPEC url carries
 * (src/geni/spec-anchors.ts) must be listed here for its page; test/spec-anchors.test.ts fails on one that is not.
 *
 * Checked on 2026-11-29 (#7) against the stored copies of the pages (the `search` tool, corpus `pages`: page
 * versions and `?action=diff` views of groups.geni.net/geni/wiki). Two kinds of evidence count as checked:
 * - `heading`: the heading line itself was seen; its anchor is what Trac derives from its text (`tracAnchor`).
 * - `link`: the spec's own text links to `Page#anchor` (the wiki's authors used the anchor); the heading line
 *   itself was not in what the stored copies show.
 * Anchors listed as `unchecked` are the ones for which neither was found in the stored copies (they show a page's
 * opening and the changed lines of each revision, not whole pages). They are kept because the page's structure
 * makes them very likely (one heading per method), but they are not verified: check them against the live pages
 * before relying on them, then move them up with the evidence.
 */

/**
 * The anchor Trac gives a heading: the heading's text without wiki markup (`!`, backquotes), with every run of
 * characters other than letters, digits, `_`, `:`, `.` and `-` removed; prefixed with `a` when that leaves nothing
 * or a leading digit, `.` or `-`. (Trac's WikiParser._anchor_re is `[^\w:.-]+`.)
 */
export function tracAnchor(heading: string): string {
  const text = heading.replace(/!(?=\w)/g, '').replace(/`/g, '');
  const anchor = text.replace(/[^\p{L}\p{N}_:.-]+/gu, '');
  return anchor === '' || /^[\d.-]/.test(anchor) ? `a${anchor}` : anchor;
}

export type AnchorEvidence =
  | { kind: 'heading'; heading: string; seen: string }
  | { kind: 'link'; seen: string }
  | { kind: 'unchecked'; why: string };

const WIKI = 'https://groups.geni.net/geni/wiki';
const NOT_IN_COPIES = 'neither the heading nor a link to it is in the stored copies of the page';

/** Per page (its URL without fragment): every anchor SPEC may use on it, with the evidence for it. */
export const CHECKED_ANCHORS: Record<string, Record<string, AnchorEvidence>> = {
  [`${WIKI}/GAPI_AM_API_V3`]: {
    GetVersion: { kind: 'heading', heading: '!GetVersion', seen: `${WIKI}/GAPI_AM_API_V3?action=diff&version=7` },
    Allocate: { kind: 'heading', heading: 'Allocate', seen: `${WIKI}/GAPI_AM_API_V3?action=diff&version=10` },
    PerformOperationalAction: { kind: 'heading', heading: '!PerformOperationalAction', seen: `${WIKI}/GAPI_AM_API_V3?action=diff&version=22` },
    ListResources: { kind: 'link', seen: `${WIKI}/GAPI_AM_API_V3_DETAILS?action=diff&version=23 (wiki:GAPI_AM_API_V3#ListResources)` },
    Describe: { kind: 'heading', heading: '`Describe`', seen: `${WIKI}/GAPI_AM_API_V3?action=diff&version=25` },
    Renew: { kind: 'unchecked', why: NOT_IN_COPIES },
    Provision: { kind: 'unchecked', why: NOT_IN_COPIES },
    Status: { kind: 'unchecked', why: NOT_IN_COPIES },
    Delete: { kind: 'unchecked', why: NOT_IN_COPIES },
    Shutdown: { kind: 'unchecked', why: NOT_IN_COPIES },
  },
  [`${WIKI}/GAPI_AM_API_V3/CommonConcepts`]: {
    RSpecdatatype: { kind: 'heading', heading: 'RSpec data type', seen: `${WIKI}/GAPI_AM_API_V3/CommonConcepts` },
    geni_end_time: { kind: 'heading', heading: '`geni_end_time`', seen: `${WIKI}/GAPI_AM_API_V3/CommonConcepts?action=diff&version=7` },
    geni_users: { kind: 'heading', heading: '`geni_users`', seen: `${WIKI}/GAPI_AM_API_V3/CommonConcepts?action=diff&version=7` },
    geni_error: { kind: 'heading', heading: '`geni_error`', seen: `${WIKI}/GAPI_AM_API_V3/CommonConcepts?action=diff&version=45` },
    'Userlogininformation-ManifestRspecExtension': {
      kind: 'heading', heading: 'User login information - Manifest Rspec Extension', seen: `${WIKI}/GAPI_AM_API_V3/CommonConcepts?action=diff&version=15`,
    },
    credentials: { kind: 'link', seen: `${WIKI}/GAPI_AM_API_V3?action=diff&version=10` },
    urns: { kind: 'link', seen: `${WIKI}/GAPI_AM_API_V3?action=diff&version=10` },
    datetimedatatype: { kind: 'link', seen: `${WIKI}/GAPI_AM_API_V3?action=diff&version=10` },
    SliverAllocationStates: { kind: 'link', seen: `${WIKI}/GAPI_AM_API_V3?action=diff&version=10` },
    SliverOperationalStates: { kind: 'link', seen: `${WIKI}/GAPI_AM_API_V3?action=diff&version=10` },
    SliverOperationalActions: { kind: 'link', seen: `${WIKI}/GAPI_AM_API_V3?action=diff&version=37` },
    OperationsonIndividualSlivers: { kind: 'link', seen: `${WIKI}/GAPI_AM_API_V3?action=diff&version=7` },
    APIProtocolsandDataStructures: { kind: 'unchecked', why: `${NOT_IN_COPIES} (the heading is on the draft method-signatures copy of this page)` },
    ReturnStruct: { kind: 'link', seen: `${WIKI}/GAPI_AM_API_V3?action=diff&version=25 (wiki:GAPI_AM_API_V3/CommonConcepts#ReturnStruct)` },
    options: { kind: 'unchecked', why: NOT_IN_COPIES },
    geni_rspec_version: { kind: 'unchecked', why: `${NOT_IN_COPIES}; the DETAILS page defines it under ListResources` },
    geni_compressed: { kind: 'unchecked', why: NOT_IN_COPIES },
    geni_best_effort: { kind: 'unchecked', why: `${NOT_IN_COPIES}; its text sits between the geni_end_time and geni_users headings (version=7)` },
  },
  [`${WIKI}/GAPI_AM_API_V3_DETAILS`]: {
    GetVersionDetails: { kind: 'link', seen: `${WIKI}/GAPI_AM_API_V3?action=diff&version=7` },
    ListResourcesDetails: { kind: 'unchecked', why: NOT_IN_COPIES },
  },
  [`${WIKI}/GeniApiCredentials`]: {
    CredentialValidation: { kind: 'heading', heading: 'Credential Validation', seen: `${WIKI}/GeniApiCredentials?action=diff&version=7` },
    Delegation: { kind: 'heading', heading: 'Delegation', seen: `${WIKI}/GeniApiCredentials?action=diff&version=7` },
    Privileges: { kind: 'unchecked', why: NOT_IN_COPIES },
  },
  [`${WIKI}/GeniApiIdentifiers`]: {
    PublicIdentifiers: { kind: 'heading', heading: 'Public Identifiers', seen: `${WIKI}/GeniApiIdentifiers?version=2&format=txt` },
  },
  [`${WIKI}/GAPI_AM_API_V2`]: {
    GetVersion: { kind: 'unchecked', why: NOT_IN_COPIES },
    ListResources: { kind: 'unchecked', why: NOT_IN_COPIES },
    ReturnStruct: { kind: 'unchecked', why: NOT_IN_COPIES },
    CreateSliver: { kind: 'unchecked', why: NOT_IN_COPIES },
    DeleteSliver: { kind: 'unchecked', why: NOT_IN_COPIES },
    SliverStatus: { kind: 'unchecked', why: NOT_IN_COPIES },
    RenewSliver: { kind: 'unchecked', why: NOT_IN_COPIES },
    Shutdown: { kind: 'unchecked', why: NOT_IN_COPIES },
  },
  [`${WIKI}/GAPI_AM_API`]: {
    ListResources: { kind: 'link', seen: `${WIKI}/GAPI_AM_API?action=diff&version=2 (wiki:GAPI_AM_API#ListResources)` },
    GetVersion: { kind: 'unchecked', why: NOT_IN_COPIES },
    CreateSliver: { kind: 'unchecked', why: `${NOT_IN_COPIES}; its users argument is described under it (version=6)` },
    DeleteSliver: { kind: 'unchecked', why: NOT_IN_COPIES },
    SliverStatus: { kind: 'unchecked', why: NOT_IN_COPIES },
    RenewSliver: { kind: 'unchecked', why: NOT_IN_COPIES },
    Shutdown: { kind: 'unchecked', why: NOT_IN_COPIES },
    APIOverview: { kind: 'unchecked', why: NOT_IN_COPIES },
  },
  [`${WIKI}/GAPI_AM_API_V2_DETAILS`]: {
    GetVersionDetails: { kind: 'unchecked', why: NOT_IN_COPIES },
    ListResourcesDetails: { kind: 'unchecked', why: NOT_IN_COPIES },
    options: { kind: 'unchecked', why: NOT_IN_COPIES },
  },
  [`${WIKI}/GAPI_AM_API_V2_DELTAS`]: {
    'ChangeSetA:RSpecsareXMLdocumentsfollowingGENIschemas': {
      kind: 'heading', heading: 'Change Set A: RSpecs are XML documents following GENI schemas',
      seen: `${WIKI}/DRAFT_GAPI_AM_API_V2_DELTAS?action=diff&version=1 (the draft this page was made from)`,
    },
    'ChangeSetB:Flexibleargumentsandreturns': { kind: 'unchecked', why: NOT_IN_COPIES },
  },
  // Adopted change sets' text moved to GAPI_AM_API_DRAFT/Adopted in version=125 (2014-03); change set C's heading
  // stayed on this page (unchanged context there); that R's did too is assumed, not seen.
  [`${WIKI}/GAPI_AM_API_DRAFT`]: {
    'ChangeSetC:Update': { kind: 'heading', heading: 'Change Set C: `Update()`', seen: `${WIKI}/GAPI_AM_API_DRAFT?action=diff&version=125` },
    'ChangeSetR:AllowRenewtoextendsliversasmuchaspossible': {
      kind: 'heading', heading: 'Change Set R: Allow `Renew` to extend slivers as much as possible', seen: `${WIKI}/GAPI_AM_API_DRAFT?action=diff&version=94`,
    },
  },
  // Not a wiki page: SFA's slice_manager.py on gitweb (suite sm, #15). The fragments name the function that implements
  // each behaviour; gitweb has no such anchors (its anchors are line numbers), so the link opens the file.
  'https://git.onelab.eu/?p=sfa.git;a=blob;f=sfa/managers/slice_manager.py': Object.fromEntries(
    ['GetVersion', 'MultiClient', 'add_slicemgr_stat', 'Allocate', 'Callids', 'ListResources', 'Renew', 'getDelegatedCredential'].map((fn) => [
      fn, { kind: 'unchecked', why: 'a function of the source file, not an anchor of the page (gitweb anchors lines)' } satisfies AnchorEvidence,
    ]),
  ),
};

/** The SPEC entries whose url names a page not listed, or a fragment not listed for its page. */
export function anchorsOutsideTheCheckedList(spec: Record<string, { url: string }>, checked = CHECKED_ANCHORS): string[] {
  return Object.entries(spec).filter(([, { url }]) => {
    const [page = '', fragment] = url.split('#');
    const anchors = checked[page];
    return anchors === undefined || (fragment !== undefined && !Object.prototype.hasOwnProperty.call(anchors, fragment));
  }).map(([id]) => id);
}
