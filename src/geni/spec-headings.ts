/**
 * Which spec anchors were checked against the public GENI wiki pages, and how. Every fragment a SPEC url carries
 * (src/geni/spec-anchors.ts) must be listed here for its page; test/spec-anchors.test.ts fails on one that is not.
 *
 * Checked on 2026-11-29 (#7) against the stored copies of the pages (the `search` tool, corpus `pages`: page
 * versions and `?action=diff` views of groups.geni.net/geni/wiki). Two kinds of evidence count as checked:
 * - `heading`: the heading line itself was seen; its anchor is what Trac derives from its text (`tracAnchor`).
 * - `link`: the spec's own text links to `Page#anchor` (the wiki's authors used the anchor); the heading line
 *   itself was not in what the stored copies show.
 * A third, weaker kind is kept apart: `tool-link`: the source of a public GENI implementation links `Page#anchor`
 * (e.g. "For full description see http://groups.geni.net/geni/wiki/GAPI_AM_API_V3#Renew" in an AMsoil delegate), found
 * with the `search` tool's code corpus (`find_string`). Its authors pointed readers at the anchor, but neither the
 * heading nor a link from the spec itself is in the stored copies.
 * Anchors listed as `unchecked` are the ones for which neither was found in the stored copies (they show a page's
 * opening and the changed lines of each revision, not whole pages). They are kept because the page's structure
 * makes them very likely (one heading per method), but they are not verified: check them against the live pages
 * before relying on them, then move them up with the evidence. Each says what the copies do show.
 *
 * Second pass (2026-11-29, #7 item 4): listed anchors went from 15 heading / 11 link / 39 unchecked (31 wiki anchors,
 * 8 gitweb fragments) to 18 / 12 / 24 (all wiki); SPEC ids citing an unchecked anchor from 43 of 80 to 26. Moved up:
 * CommonConcepts#geni_best_effort (link), GAPI_AM_API_V2_DETAILS#GetVersionDetails (heading); newly cited with evidence:
 * CommonConcepts#structsandoptionalarguments (heading), GAPI_AM_API_V2_DETAILS#ReturnStruct (link);
 * GAPI_AM_API_V3_DETAILS#GetVersionDetails went from link to heading. Re-pointed in SPEC because the copies show the
 * anchor was not where SPEC said:
 * - am3/common#APIProtocols: the section is on GAPI_AM_API_V3 (its text is line 58 there, version=21), not on
 *   CommonConcepts, whose text opens with "Common Arguments, Returns, and Concepts" (the live page and version=1).
 * - am3/common#Options: CommonConcepts#options → #structsandoptionalarguments, the heading that says what an options
 *   struct may hold (live page); no `options` heading is in the copies.
 * - am3/common#geni_rspec_version → CommonConcepts#RSpecdatatype and am3/common#geni_compressed → GAPI_AM_API_V3#ListResources:
 *   both are option items (`geni_compressed`::, `geni_rspec_version`::) of ListResources on the details page
 *   (GAPI_AM_API_V3_DETAILS?action=diff&version=17, version=31), not CommonConcepts headings (CommonConcepts' option
 *   headings run geni_end_time, geni_best_effort, geni_users: version=7); the spec's own links for geni_rspec_version go
 *   to #RSpecdatatype (GAPI_AM_API_V3?action=diff&version=40, GAPI_AM_API_V3_DETAILS?action=diff&version=31).
 * - credentials#Privileges → the GeniApiCredentials page itself: it names credential fields in bold (''' Type ''',
 *   line 60, version=17), the headings the copies show are Credential Format, Delegation and Credential Validation, and what privileges
 *   are is stated in its opening.
 * - am2#ReturnStruct, am2#ErrorCodes: GAPI_AM_API_V2#ReturnStruct → GAPI_AM_API_V2_DETAILS#ReturnStruct (see its entry).
 * - the sfa-sm anchors: no fragment (see the gitweb entry).
 *
 * Third pass (2026-11-29 07:20-, #7 item 4): the v1 anchors moved to the page the v1 text lives on since v2 was adopted,
 * GAPI_AM_API_V1 (see the page's entry; ids unchanged). Public GENI code (code corpus, `find_string`) links eight of the
 * anchors that were `unchecked`: v3 Renew, Provision, Status, Delete, Shutdown; v2 ListResources, SliverStatus, Shutdown
 * (`tool-link`). Listed anchors: 18 heading, 12 link, 8 tool-link, 16 unchecked (was 18 / 12 / 0 / 24).
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
  | { kind: 'tool-link'; seen: string }
  | { kind: 'unchecked'; why: string };

const WIKI = 'https://groups.geni.net/geni/wiki';
const NOT_IN_COPIES = 'neither the heading nor a link to it is in the stored copies of the page';
/** Where public GENI code links a method anchor (the `search` tool's code corpus). */
const TOOL = (where: string, anchorUrl: string) => `${where}, linking ${anchorUrl}`;
const AMSOIL_V3 = 'rmonno/AMsoil src/plugins/opennaas/geni3delegate.py@1d244014 (an AMsoil GENI v3 delegate: "For full description see …")';
/** No stored copy of the v2 page (nor of DRAFT_GAPI_AM_API_V2, which it was made from) goes past the page's opening. */
const V2_PAGE = `${NOT_IN_COPIES}: its copies (version=1 diff; DRAFT_GAPI_AM_API_V2 version=1 and 14) show only the opening, lines 1-25`;
/** No copy of GAPI_AM_API_V1 is stored; the v1 text's copies are 2010 diffs of GAPI_AM_API, where it was then. */
const V1_PAGE = `${NOT_IN_COPIES}: no copy of GAPI_AM_API_V1; the 2010 diffs of GAPI_AM_API (version=2, 6), where the v1 text was `
  + 'then, show method text but not the method headings; no public GENI code in the code corpus links a GAPI_AM_API_V1 or '
  + 'GAPI_AM_API fragment (find_string "GAPI_AM_API_V1#", "GAPI_AM_API#": no hit)';
/** An AMsoil GENI v2 delegate base in the code corpus (find_string id 20162879290; its repository is not named there). */
const AMSOIL_V2 = 'code corpus, find_string "GAPI_AM_API_V2#": an AMsoil GENI v2 delegate base ("For full description see …")';

/** Per page (its URL without fragment): every anchor SPEC may use on it, with the evidence for it. */
export const CHECKED_ANCHORS: Record<string, Record<string, AnchorEvidence>> = {
  [`${WIKI}/GAPI_AM_API_V3`]: {
    GetVersion: { kind: 'heading', heading: '!GetVersion', seen: `${WIKI}/GAPI_AM_API_V3?action=diff&version=7` },
    Allocate: { kind: 'heading', heading: 'Allocate', seen: `${WIKI}/GAPI_AM_API_V3?action=diff&version=10` },
    PerformOperationalAction: { kind: 'heading', heading: '!PerformOperationalAction', seen: `${WIKI}/GAPI_AM_API_V3?action=diff&version=22` },
    ListResources: { kind: 'link', seen: `${WIKI}/GAPI_AM_API_V3_DETAILS?action=diff&version=23 (wiki:GAPI_AM_API_V3#ListResources)` },
    Describe: { kind: 'heading', heading: '`Describe`', seen: `${WIKI}/GAPI_AM_API_V3?action=diff&version=25` },
    // The heading lines themselves are not in the copies (Renew's section text is, lines 349-362: version=18, 34, 41,
    // 43; Provision's lines 417-454: version=40); the page's method headings are the bare method name (== Allocate ==,
    // version=10; == `Describe` ==, version=25).
    Renew: { kind: 'tool-link', seen: TOOL(AMSOIL_V3, `${WIKI}/GAPI_AM_API_V3#Renew`) },
    Provision: { kind: 'tool-link', seen: TOOL(AMSOIL_V3, `${WIKI}/GAPI_AM_API_V3#Provision`) },
    Status: {
      kind: 'tool-link',
      seen: TOOL('code corpus, find_string "GAPI_AM_API_V3#Status": 9 files (AMsoil GENI v3 delegates "For full description see …", '
        + 'SFA-based aggregates ".. seealso::")', `${WIKI}/GAPI_AM_API_V3#Status`),
    },
    Delete: { kind: 'tool-link', seen: TOOL(AMSOIL_V3, `${WIKI}/GAPI_AM_API_V3#Delete`) },
    Shutdown: { kind: 'tool-link', seen: TOOL(AMSOIL_V3, `${WIKI}/GAPI_AM_API_V3#Shutdown`) },
    // The section's text ("GENI specifies that the AM API is provided via XML-RPC over an SSL connection ...") is line 58
    // of this page (version=21); in the drafts it came from, that text follows the heading "API Protocols and Data
    // Structures" (AaronHelsinger/GAPI_AM_API_DRAFT/MethodSignatures?action=diff&version=11, its CommonConcepts version=1).
    APIProtocolsandDataStructures: {
      kind: 'unchecked',
      why: `${NOT_IN_COPIES}: the section's text is line 58 of this page (version=21), the heading line above it is not; no public `
        + 'GENI code in the code corpus links it either (find_string "APIProtocolsandDataStructures": no hit)',
    },
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
    ReturnStruct: { kind: 'link', seen: `${WIKI}/GAPI_AM_API_V3?action=diff&version=25 (wiki:GAPI_AM_API_V3/CommonConcepts#ReturnStruct)` },
    structsandoptionalarguments: { kind: 'heading', heading: 'structs and optional arguments', seen: `${WIKI}/GAPI_AM_API_V3/CommonConcepts` },
    geni_best_effort: {
      kind: 'link', seen: `${WIKI}/GAPI_AM_API_V3?action=diff&version=34 (wiki:GAPI_AM_API_V3/CommonConcepts#geni_best_effort)`,
    },
  },
  [`${WIKI}/GAPI_AM_API_V3_DETAILS`]: {
    GetVersionDetails: { kind: 'heading', heading: '!GetVersion Details', seen: `${WIKI}/GAPI_AM_API_V3_DETAILS?version=5&format=txt` },
    ListResourcesDetails: {
      kind: 'unchecked',
      why: `${NOT_IN_COPIES}: its headings read == !Method Details == (!GetVersion, version=5; !PerformOperationalAction, `
        + 'version=9 diff) and the ListResources options are lines 120-131 (version=17, 31 diffs), but that heading line is not shown',
    },
  },
  [`${WIKI}/GeniApiCredentials`]: {
    CredentialValidation: { kind: 'heading', heading: 'Credential Validation', seen: `${WIKI}/GeniApiCredentials?action=diff&version=7` },
    Delegation: { kind: 'heading', heading: 'Delegation', seen: `${WIKI}/GeniApiCredentials?action=diff&version=7` },
  },
  [`${WIKI}/GeniApiIdentifiers`]: {
    PublicIdentifiers: { kind: 'heading', heading: 'Public Identifiers', seen: `${WIKI}/GeniApiIdentifiers?version=2&format=txt` },
  },
  // The v2 method anchors GENI code links: ListResources and Shutdown (AMsoil), SliverStatus (SFA's iotlab driver);
  // none links #GetVersion, #CreateSliver, #DeleteSliver or #RenewSliver (find_string on each: no hit).
  [`${WIKI}/GAPI_AM_API_V2`]: {
    GetVersion: { kind: 'unchecked', why: V2_PAGE },
    ListResources: { kind: 'tool-link', seen: TOOL(AMSOIL_V2, `${WIKI}/GAPI_AM_API_V2#ListResources`) },
    CreateSliver: { kind: 'unchecked', why: V2_PAGE },
    DeleteSliver: { kind: 'unchecked', why: V2_PAGE },
    SliverStatus: {
      kind: 'tool-link',
      seen: TOOL('onelab-eu/sfa sfa/iotlab/iotlabdriver.py@01aa57aa (sliver_status: "shall return a structure as described in …")',
        `${WIKI}/GAPI_AM_API_V2#SliverStatus`),
    },
    RenewSliver: { kind: 'unchecked', why: V2_PAGE },
    Shutdown: { kind: 'tool-link', seen: TOOL(AMSOIL_V2, `${WIKI}/GAPI_AM_API_V2#Shutdown`) },
  },
  // The v1 text was this page's name until v2 was adopted: GAPI_AM_API_V2_DELTAS?action=diff&version=1 (2011-12-12)
  // links "[wiki:GAPI_AM_API_V1 Version 1 of the GENI Aggregate Manager API]", DRAFT_GAPI_AM_API_V2 version=1 lists
  // "Previous: [wiki:DRAFT_GAPI_AM_API_V1 Version 1]", and gcf's acceptance README (GENI-NSF/geni-tools
  // acceptance_tests/AM_API/README-accept-AMAPI.txt) cites GAPI_AM_API_V1 as "GENI Aggregate Manager (AM) API v1
  // specification" where its 2011 v1 README (acceptance_tests/AM_API_v1/README-accept-AMAPIv1.txt) cited GAPI_AM_API.
  // Its anchors are those of the v1 text, seen while that text was GAPI_AM_API (2010).
  [`${WIKI}/GAPI_AM_API_V1`]: {
    ListResources: {
      kind: 'link',
      seen: `${WIKI}/GAPI_AM_API?action=diff&version=2 (the v1 text, when it was GAPI_AM_API, links wiki:GAPI_AM_API#ListResources)`,
    },
    GetVersion: { kind: 'unchecked', why: V1_PAGE },
    CreateSliver: { kind: 'unchecked', why: `${V1_PAGE}; its users argument is described under CreateSliver(...) (version=2, 6)` },
    DeleteSliver: { kind: 'unchecked', why: V1_PAGE },
    SliverStatus: { kind: 'unchecked', why: V1_PAGE },
    RenewSliver: { kind: 'unchecked', why: V1_PAGE },
    Shutdown: { kind: 'unchecked', why: V1_PAGE },
    APIOverview: { kind: 'unchecked', why: V1_PAGE },
  },
  // No copy of this page is stored. GAPI_AM_API_V3_DETAILS was made from it: its version 5 still says "This page
  // documents version 2 of the API" (line 70, seen in the version=6 diff), so what that version shows of the page's
  // structure is taken as this page's, as change set A's heading is taken from the draft the deltas page came from.
  [`${WIKI}/GAPI_AM_API_V2_DETAILS`]: {
    GetVersionDetails: {
      kind: 'heading', heading: '!GetVersion Details',
      seen: `${WIKI}/GAPI_AM_API_V3_DETAILS?version=5&format=txt (made from this page; no copy of this page itself)`,
    },
    ReturnStruct: {
      kind: 'link',
      seen: `${WIKI}/GAPI_AM_API_V3_DETAILS?action=diff&version=6 (its version 5, made from this page, links [#ReturnStruct ... described below] in-page)`,
    },
    // A GENI v2 client in the code corpus links this page's #CreateSliverDetails (find_string "GAPI_AM_API_V2_DETAILS#"),
    // the same "== !Method Details ==" pattern; none links #ListResourcesDetails.
    ListResourcesDetails: { kind: 'unchecked', why: `${NOT_IN_COPIES} (no copy of the page; its v3 copy does not show that heading either)` },
    options: { kind: 'unchecked', why: `${NOT_IN_COPIES} (no copy of the page; the v3 details page names no such heading)` },
  },
  [`${WIKI}/GAPI_AM_API_V2_DELTAS`]: {
    'ChangeSetA:RSpecsareXMLdocumentsfollowingGENIschemas': {
      kind: 'heading', heading: 'Change Set A: RSpecs are XML documents following GENI schemas',
      seen: `${WIKI}/DRAFT_GAPI_AM_API_V2_DELTAS?action=diff&version=1 (the draft this page was made from)`,
    },
    // gcf's acceptance READMEs link GAPI_AM_API_V2_DELTAS#ChangeSetA; the heading seen carries no explicit id, so Trac
    // gives it the long anchor above and #ChangeSetA would open the page at its top.
    'ChangeSetB:Flexibleargumentsandreturns': {
      kind: 'unchecked',
      why: `${NOT_IN_COPIES}: the copies of this page and of its draft (version=1 each) stop after change set A's opening; the `
        + 'heading text is inferred from the draft page\'s summary ("Supporting flexible arguments and returns", GAPI_AM_API_DRAFT?version=58)',
    },
  },
  // Adopted change sets' text moved to GAPI_AM_API_DRAFT/Adopted in version=125 (2014-03); change set C's heading
  // stayed on this page (unchanged context there); that R's did too is assumed, not seen.
  [`${WIKI}/GAPI_AM_API_DRAFT`]: {
    'ChangeSetC:Update': { kind: 'heading', heading: 'Change Set C: `Update()`', seen: `${WIKI}/GAPI_AM_API_DRAFT?action=diff&version=125` },
    'ChangeSetR:AllowRenewtoextendsliversasmuchaspossible': {
      kind: 'heading', heading: 'Change Set R: Allow `Renew` to extend slivers as much as possible', seen: `${WIKI}/GAPI_AM_API_DRAFT?action=diff&version=94`,
    },
  },
  // Not a wiki page: SFA's slice_manager.py on gitweb (suite sm, #15). gitweb anchors lines of one revision (#l38 is
  // GetVersion in hb=dcc44289, and the lines move between revisions), so a function name after '#' resolves to nothing and
  // a line number would go stale: SPEC links the file with no fragment and names the function in each anchor's title.
  'https://git.onelab.eu/?p=sfa.git;a=blob;f=sfa/managers/slice_manager.py': {},
  // The ProtoGENI dynslice documents (#14): Sphinx pages of elasticslice, one section each ("Server-side API Endpoint",
  // "Client-side API Endpoint": the headings are in the mission documents, seeds 002 and 003). Cited whole, like a page
  // outside the wiki: each page is that one section, and the method is named in each anchor's title.
  'http://elasticslice.pages.flux.utah.edu/elasticslice/server.html': {},
  'http://elasticslice.pages.flux.utah.edu/elasticslice/client.html': {},
};

/** The SPEC entries whose url names a page not listed, or a fragment not listed for its page. */
export function anchorsOutsideTheCheckedList(spec: Record<string, { url: string }>, checked = CHECKED_ANCHORS): string[] {
  return Object.entries(spec).filter(([, { url }]) => {
    const [page = '', fragment] = url.split('#');
    const anchors = checked[page];
    return anchors === undefined || (fragment !== undefined && !Object.prototype.hasOwnProperty.call(anchors, fragment));
  }).map(([id]) => id);
}
