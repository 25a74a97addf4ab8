/**
 * Which spec anchors were checked against the public GENI wiki pages, and how. Every fragment a SPEC url carries
 * (src/geni/spec-anchors.ts) must be listed here for its page; test/spec-anchors.test.ts fails on one that is not.
 *
 * Checked on 2026-11-29 (#7) against the stored copies of the pages (the `search` tool, corpus `pages`: page
 * versions and `?action=diff` views of groups.geni.net/geni/wiki). Two kinds of evidence are the strongest:
 * - `heading`: the heading line itself was seen; its anchor is what Trac derives from its text (`tracAnchor`).
 * - `link`: the spec's own text links to `Page#anchor` (the wiki's authors used the anchor); the heading line
 *   itself was not in what the stored copies show.
 * A third, weaker kind is kept apart: `tool-link`: the source of a public GENI implementation links `Page#anchor`
 * (e.g. "For full description see http://groups.geni.net/geni/wiki/GAPI_AM_API_V3#Renew" in an AMsoil delegate), found
 * with the `search` tool's code corpus (`find_string`). Its authors pointed readers at the anchor, but neither the
 * heading nor a link from the spec itself is in the stored copies.
 * A fourth kind, `copy-heading`: the heading line was seen over the same text on a stored copy of the section under
 * another page name (the draft it was made from, or the page made from it); `seen` names that page.
 * There is no kind for a guess: an anchor none of these support is not cited; SPEC then cites the page without
 * fragment and its title names the section (the stored copies show a page's opening and the changed lines of each
 * revision, not whole pages). Until the fourth pass some anchors were kept as `unchecked`; the passes below say how
 * each was resolved.
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
 *
 * Fourth pass (2026-11-29 10:20-, #7 item 4): no anchor is `unchecked` any more. Of the 16, one is kept on a heading seen
 * on the draft its text was copied from (the new, labelled kind below); the other 15 were re-pointed to a heading, link or
 * tool-link that was seen, or to the page without fragment; none is kept as a bare guess:
 * - A fourth, labelled kind, `copy-heading`: the heading line was seen, over the same text, on another stored page that
 *   is a copy of this one's section (the draft it was made from, or the page made from it). The heading on this page
 *   itself is inferred from the copy, so the kind names where it was seen. GAPI_AM_API_V3#APIProtocolsandDataStructures
 *   (its text is line 58 of the page, word for word line 13 of the draft's, under that heading at line 11) and
 *   GAPI_AM_API_V2_DETAILS#GetVersionDetails (seen on GAPI_AM_API_V3_DETAILS version 5, made from it; was `heading`).
 * - A GENI AM API v2 client in the code corpus (class GENI2Client, "See class description above and …") links the v2
 *   details page's #CreateSliverDetails, #DeleteSliverDetails, #RenewSliverDetails: am2#CreateSliver, #DeleteSliver,
 *   #RenewSliver and #users cite those (`tool-link`) instead of the v2 page's own method headings, which no copy
 *   shows; am2#GetVersion cites GAPI_AM_API_V2_DETAILS#GetVersionDetails.
 * - Change sets A and B in detail are cited on GAPI_AM_API_DRAFT?version=13, the page version seed 004 is a copy of:
 *   its headings "Change Set A" and "Change Set B" (seed lines 70, 208) give #ChangeSetA and #ChangeSetB, and the GEC12
 *   session page links both (GEC12GeniAmAPI?version=2&format=txt: [wiki:GAPI_AM_API_DRAFT#ChangeSetA …],
 *   [wiki:GAPI_AM_API_DRAFT#ChangeSetB …]). SPEC ids am2/deltas#ChangeSetB, am2/details#options and
 *   am2/details#ListResources became am2/draft#ChangeSetB and am2/draft#ChangeSetA (every requirement they carried
 *   quotes text in that section of version 13: seed lines 164-226, 248-252); am1#Errors (change set B's sentence on
 *   v1 failures, seed line 248) cites #ChangeSetB too.
 * - Where no stored copy shows a heading at all, the page is cited without fragment and the SPEC title names the section
 *   (as for the pages outside the wiki): the v1 methods (GAPI_AM_API_V1: no copy of it, and the 2010 copies of the v1
 *   text show method text but no method heading), and GAPI_AM_API_V3_DETAILS' ListResources section (its option items
 *   are lines 120-131 of the page, version=17 and 31 diffs; the heading above them is in no copy).
 * - v3c.protocol.xmlrpc-over-ssl quotes the See Also list of the v3 page's opening, which stands under the page title
 *   (= GENI Aggregate Manager API Version 3 =, line 3 of version 1; the list is lines 9-19, before == Versions == at line
 *   23): it now cites that heading (SPEC am3#Overview), not the API Protocols section it is not in.
 * Listed anchors now: 20 heading, 12 link, 11 tool-link, 2 copy-heading, 0 unchecked (45; was 54 with 16 unchecked).
 * Fifth pass (2026-11-29, #8): am3/common#SliverExpiration pointed at #SliverAllocationStates, though its sentence stands
 * under "Expiration times" (CommonConcepts?action=diff&version=46, line 310): re-pointed to #Expirationtimes (heading).
 * Listed anchors: 21 heading, 12 link, 11 tool-link, 2 copy-heading (46).
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
  /** The heading was seen over the same text on a stored copy of this section under another page name (`seen` says which). */
  | { kind: 'copy-heading'; heading: string; seen: string }
  | { kind: 'link'; seen: string }
  | { kind: 'tool-link'; seen: string };

const WIKI = 'https://groups.geni.net/geni/wiki';
/** Where public GENI code links a method anchor (the `search` tool's code corpus). */
const TOOL = (where: string, anchorUrl: string) => `${where}, linking ${anchorUrl}`;
const AMSOIL_V3 = 'rmonno/AMsoil src/plugins/opennaas/geni3delegate.py@1d244014 (an AMsoil GENI v3 delegate: "For full description see …")';
/** A GENI AM API v2 client in the code corpus linking the v2 details page's method sections (its repository is not named there). */
const V2_CLIENT = 'code corpus, find_string "GAPI_AM_API_V2_DETAILS#" (ids 14123291529, 14901032299): a Python GENI AM API v2 client, '
  + 'class GENI2Client, whose methods say "See class description above and …"';
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
    // The page title; the See Also list of the opening (lines 9-19) stands under it, before == Versions == (line 23).
    GENIAggregateManagerAPIVersion3: {
      kind: 'heading', heading: 'GENI Aggregate Manager API Version 3', seen: `${WIKI}/GAPI_AM_API_V3?action=diff&version=1 (line 3)`,
    },
    // The section's text ("GENI specifies that the AM API is provided via XML-RPC over an SSL connection. Aggregate Managers
    // shall require client side GENI certificates ...") is line 58 of this page (version=21 diff), the heading line above it
    // is in no copy of this page; the draft that text was copied from has it word for word (line 13) under this heading
    // (line 11, === API Protocols and Data Structures ===, inside == API Overview ==). No GENI code links the anchor
    // (find_string "APIProtocolsandDataStructures": no hit).
    APIProtocolsandDataStructures: {
      kind: 'copy-heading', heading: 'API Protocols and Data Structures',
      seen: `${WIKI}/AaronHelsinger/GAPI_AM_API_DRAFT/MethodSignatures/CommonConcepts?action=diff&version=1 (lines 11-13; the v3 page's line 58, version=21, is its line 13)`,
    },
  },
  [`${WIKI}/GAPI_AM_API_V3/CommonConcepts`]: {
    RSpecdatatype: { kind: 'heading', heading: 'RSpec data type', seen: `${WIKI}/GAPI_AM_API_V3/CommonConcepts` },
    geni_end_time: { kind: 'heading', heading: '`geni_end_time`', seen: `${WIKI}/GAPI_AM_API_V3/CommonConcepts?action=diff&version=7` },
    geni_users: { kind: 'heading', heading: '`geni_users`', seen: `${WIKI}/GAPI_AM_API_V3/CommonConcepts?action=diff&version=7` },
    geni_error: { kind: 'heading', heading: '`geni_error`', seen: `${WIKI}/GAPI_AM_API_V3/CommonConcepts?action=diff&version=45` },
    // The "should not set a sliver expiration later than the credential" sentence is under this heading (line 310-311).
    Expirationtimes: { kind: 'heading', heading: 'Expiration times', seen: `${WIKI}/GAPI_AM_API_V3/CommonConcepts?action=diff&version=46` },
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
    // ListResources' section is cited by page (SPEC am3/details#ListResources): its option items are lines 120-131 (version=17,
    // 31 diffs) but the heading above them is in no copy, and no GENI code links GAPI_AM_API_V3_DETAILS#… (find_string: no hit).
    GetVersionDetails: { kind: 'heading', heading: '!GetVersion Details', seen: `${WIKI}/GAPI_AM_API_V3_DETAILS?version=5&format=txt` },
  },
  [`${WIKI}/GeniApiCredentials`]: {
    CredentialValidation: { kind: 'heading', heading: 'Credential Validation', seen: `${WIKI}/GeniApiCredentials?action=diff&version=7` },
    Delegation: { kind: 'heading', heading: 'Delegation', seen: `${WIKI}/GeniApiCredentials?action=diff&version=7` },
  },
  [`${WIKI}/GeniApiIdentifiers`]: {
    PublicIdentifiers: { kind: 'heading', heading: 'Public Identifiers', seen: `${WIKI}/GeniApiIdentifiers?version=2&format=txt` },
  },
  // The v2 method anchors GENI code links: ListResources and Shutdown (AMsoil), SliverStatus (SFA's iotlab driver).
  // None links #GetVersion, #CreateSliver, #DeleteSliver or #RenewSliver (find_string on each: no hit) and no copy of the
  // page goes past its opening (version=1 diff, version=1&format=txt): those methods cite the v2 details page instead.
  [`${WIKI}/GAPI_AM_API_V2`]: {
    ListResources: { kind: 'tool-link', seen: TOOL(AMSOIL_V2, `${WIKI}/GAPI_AM_API_V2#ListResources`) },
    SliverStatus: {
      kind: 'tool-link',
      seen: TOOL('onelab-eu/sfa sfa/iotlab/iotlabdriver.py@01aa57aa (sliver_status: "shall return a structure as described in …")',
        `${WIKI}/GAPI_AM_API_V2#SliverStatus`),
    },
    Shutdown: { kind: 'tool-link', seen: TOOL(AMSOIL_V2, `${WIKI}/GAPI_AM_API_V2#Shutdown`) },
  },
  // The v1 text was this page's name until v2 was adopted: GAPI_AM_API_V2_DELTAS?action=diff&version=1 (2011-12-12)
  // links "[wiki:GAPI_AM_API_V1 Version 1 of the GENI Aggregate Manager API]", DRAFT_GAPI_AM_API_V2 version=1 lists
  // "Previous: [wiki:DRAFT_GAPI_AM_API_V1 Version 1]", and gcf's acceptance README (GENI-NSF/geni-tools
  // acceptance_tests/AM_API/README-accept-AMAPI.txt) cites GAPI_AM_API_V1 as "GENI Aggregate Manager (AM) API v1
  // specification" where its 2011 v1 README (acceptance_tests/AM_API_v1/README-accept-AMAPIv1.txt) cited GAPI_AM_API.
  // Its anchors are those of the v1 text, seen while that text was GAPI_AM_API (2010). Only ListResources is: no copy of
  // GAPI_AM_API_V1 is stored, the 2010 diffs of GAPI_AM_API (version=2, 6) show method text (CreateSliver's users argument)
  // but no method heading, and no GENI code in the code corpus links a GAPI_AM_API_V1 or GAPI_AM_API fragment
  // (find_string "GAPI_AM_API_V1#", "GAPI_AM_API#": no hit). The other v1 methods are cited by page, named in the title.
  [`${WIKI}/GAPI_AM_API_V1`]: {
    ListResources: {
      kind: 'link',
      seen: `${WIKI}/GAPI_AM_API?action=diff&version=2 (the v1 text, when it was GAPI_AM_API, links wiki:GAPI_AM_API#ListResources)`,
    },
  },
  // No copy of this page is stored. GAPI_AM_API_V3_DETAILS was made from it: its version 5 still says "This page
  // documents version 2 of the API" (line 70, seen in the version=6 diff), so what that version shows of the page's
  // structure is taken as this page's, as change set A's heading is taken from the draft the deltas page came from.
  [`${WIKI}/GAPI_AM_API_V2_DETAILS`]: {
    GetVersionDetails: {
      kind: 'copy-heading', heading: '!GetVersion Details',
      seen: `${WIKI}/GAPI_AM_API_V3_DETAILS?version=5&format=txt (made from this page; no copy of this page itself)`,
    },
    ReturnStruct: {
      kind: 'link',
      seen: `${WIKI}/GAPI_AM_API_V3_DETAILS?action=diff&version=6 (its version 5, made from this page, links [#ReturnStruct ... described below] in-page)`,
    },
    // The "== !Method Details ==" sections a GENI v2 client links (its listResources links none, so ListResources' rspec
    // version rules cite change set A in detail instead).
    CreateSliverDetails: { kind: 'tool-link', seen: TOOL(V2_CLIENT, `${WIKI}/GAPI_AM_API_V2_DETAILS#CreateSliverDetails`) },
    DeleteSliverDetails: { kind: 'tool-link', seen: TOOL(V2_CLIENT, `${WIKI}/GAPI_AM_API_V2_DETAILS#DeleteSliverDetails`) },
    RenewSliverDetails: { kind: 'tool-link', seen: TOOL(V2_CLIENT, `${WIKI}/GAPI_AM_API_V2_DETAILS#RenewSliverDetails`) },
  },
  [`${WIKI}/GAPI_AM_API_V2_DELTAS`]: {
    'ChangeSetA:RSpecsareXMLdocumentsfollowingGENIschemas': {
      kind: 'heading', heading: 'Change Set A: RSpecs are XML documents following GENI schemas',
      seen: `${WIKI}/DRAFT_GAPI_AM_API_V2_DELTAS?action=diff&version=1 (the draft this page was made from)`,
    },
    // gcf's acceptance READMEs link GAPI_AM_API_V2_DELTAS#ChangeSetA; the heading seen carries no explicit id, so Trac
    // gives it the long anchor above and #ChangeSetA would open the page at its top. Change set B's heading here is in no
    // copy (they stop after A's opening): B is cited on the draft page version it was written in (next entry).
  },
  // Seed 004 (../shared/seeds/004_75d21941b9244662.txt) is a copy of this page version ("wiki:GAPI_AM_API_DRAFT Version 13"):
  // its "Proposed Change Details" section has the headings "Change Set A" (line 70) and "Change Set B" (line 208), and the
  // GEC12 session page links both anchors. Change set C's text follows B's (line 390), so each section runs to the next.
  [`${WIKI}/GAPI_AM_API_DRAFT?version=13`]: {
    ChangeSetA: {
      kind: 'heading', heading: 'Change Set A',
      seen: `../shared/seeds/004_75d21941b9244662.txt line 70; linked as wiki:GAPI_AM_API_DRAFT#ChangeSetA by ${WIKI}/GEC12GeniAmAPI?version=2&format=txt`,
    },
    ChangeSetB: {
      kind: 'heading', heading: 'Change Set B',
      seen: `../shared/seeds/004_75d21941b9244662.txt line 208; linked as wiki:GAPI_AM_API_DRAFT#ChangeSetB by ${WIKI}/GEC12GeniAmAPI?version=2&format=txt`,
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
  // The XML-RPC specification: one page, no headings cited (the Fault example is under "Fault example").
  'http://xmlrpc.com/spec.md': {},
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
