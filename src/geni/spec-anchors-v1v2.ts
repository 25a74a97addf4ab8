/**
 * Anchors for the AM API v1 and v2 suites (and the draft UpdateSliver); SPEC in spec-anchors.ts includes them. Urls point at the GENI wiki headings (Trac derives an anchor
 * from the heading text). The v1 page is GAPI_AM_API; change set A (RSpec versions, default_ad_rspec) and the
 * draft change set C (UpdateSliver) live on GAPI_AM_API_DRAFT; v2 is GAPI_AM_API_V2 and its DETAILS page.
 */
import type { SpecAnchor } from './spec-anchors';

const WIKI = 'https://groups.geni.net/geni/wiki';
const V1 = `${WIKI}/GAPI_AM_API`;
const V2 = `${WIKI}/GAPI_AM_API_V2`;
const V2_DETAILS = `${WIKI}/GAPI_AM_API_V2_DETAILS`;
const V2_DELTAS = `${WIKI}/GAPI_AM_API_V2_DELTAS`;
const DRAFT = `${WIKI}/GAPI_AM_API_DRAFT`;
const COMMON = `${WIKI}/GAPI_AM_API_V3/CommonConcepts`;

const v1 = [1] as const;
const v2 = [2] as const;

export const SPEC_V1V2 = {
  // GAPI_AM_API (v1): one anchor per method
  'am1#CreateSliver': { url: `${V1}#CreateSliver`, title: 'AM API v1: CreateSliver', api: v1 },
  'am1#DeleteSliver': { url: `${V1}#DeleteSliver`, title: 'AM API v1: DeleteSliver', api: v1 },
  'am1#SliverStatus': { url: `${V1}#SliverStatus`, title: 'AM API v1: SliverStatus', api: v1 },
  'am1#RenewSliver': { url: `${V1}#RenewSliver`, title: 'AM API v1: RenewSliver', api: v1 },
  'am1#Shutdown': { url: `${V1}#Shutdown`, title: 'AM API v1: Shutdown', api: v1 },
  'am1#Errors': { url: `${V1}#APIOverview`, title: 'AM API v1: failures are XML-RPC Faults or false', api: v1 },
  'am1/draft#ChangeSetA': { url: `${DRAFT}#ChangeSetA`, title: 'Change set A: GENI RSpecs, rspec_version, ad/request_rspec_versions, default_ad_rspec', api: v1 },

  // GAPI_AM_API_V2: one anchor per method beside the ones in SPEC
  'am2#CreateSliver': { url: `${V2}#CreateSliver`, title: 'AM API v2: CreateSliver', api: v2 },
  'am2#DeleteSliver': { url: `${V2}#DeleteSliver`, title: 'AM API v2: DeleteSliver', api: v2 },
  'am2#SliverStatus': { url: `${V2}#SliverStatus`, title: 'AM API v2: SliverStatus', api: v2 },
  'am2#RenewSliver': { url: `${V2}#RenewSliver`, title: 'AM API v2: RenewSliver', api: v2 },
  'am2#Shutdown': { url: `${V2}#Shutdown`, title: 'AM API v2: Shutdown', api: v2 },
  'am2#ErrorCodes': { url: `${V2}#ReturnStruct`, title: 'AM API v2: geni_code values', api: v2 },
  'am2/details#GetVersion': { url: `${V2_DETAILS}#GetVersionDetails`, title: 'AM API v2: GetVersion details and sample', api: v2 },
  'am2/details#ListResources': { url: `${V2_DETAILS}#ListResourcesDetails`, title: 'AM API v2: ListResources details (geni_rspec_version required)', api: v2 },
  'am2/details#options': { url: `${V2_DETAILS}#options`, title: 'AM API v2: the options struct; unknown options are ignored', api: v2 },
  'am2/deltas#ChangeSetA': { url: `${V2_DELTAS}#ChangeSetA:RSpecsareXMLdocumentsfollowingGENIschemas`, title: 'v1→v2 change set A: geni_rspec_version required, geni_ prefixed GetVersion members', api: v2 },
  'am2/deltas#ChangeSetB': { url: `${V2_DELTAS}#ChangeSetB:Flexibleargumentsandreturns`, title: 'v1→v2 change set B: options everywhere, the {code, value, output} return struct', api: v2 },
  'am2/common#geni_extend_alap': { url: `${COMMON}#geni_extend_alap`, title: 'geni_extend_alap (adopted for v2 RenewSliver as well)', api: [2, 3] },
  'am2/draft#UpdateSliver': { url: `${DRAFT}#ChangeSetC:UpdateSliver`, title: 'Draft change set C: UpdateSliver (complete end state, atomic)', api: v2 },
} as const satisfies Record<string, SpecAnchor>;

export type SpecRefV1V2 = keyof typeof SPEC_V1V2;
