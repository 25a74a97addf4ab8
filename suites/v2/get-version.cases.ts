/**
 * GetVersion([options]) in AM API v2: the return struct, a top-level geni_api 2 so v1 clients can tell the version,
 * and in value the geni_-prefixed members change set A introduced for v2.
 */
import { ABSOLUTE_URL, COMPLIANT_RSPEC_FORMATS, KNOWN_RSPEC_TYPES, envelope, field, geniCode, getVersion, valueMatches } from '../../src/checks';
import { defineCases } from '../../src/runner/define';
import { UNKNOWN_OPTION } from './v2-steps';
import { am2 } from '../../src/runner/am-suites';

export default defineCases(am2, { tags: ['getversion'], spec: ['am2#GetVersion'] }, [
  {
    id: 'am2.getversion.envelope',
    requirements: ['v2.return.struct-everywhere', 'v2.return.code-struct'],
    title: 'GetVersion with an empty options struct',
    requirement: 'The answer is the v2 return struct {code: {geni_code}, value, output}, not the draft shape with a bare integer code',
    spec: ['am2#ReturnStruct', 'am2/draft#ChangeSetB'],
    tags: ['smoke', 'envelope'],
    detects: [{ fault: 'v2-draft-code-shape', check: 'envelope' }],
    async run(t) {
      t.verify(await t.v2.GetVersion({}), [envelope.shape(), geniCode.success()]);
    },
  },
  {
    id: 'am2.getversion.without-options',
    requirements: ['v2.options.required-argument'],
    title: 'GetVersion with no options argument',
    requirement: 'The options argument is optional for GetVersion only; a call without it succeeds',
    spec: ['am2/draft#ChangeSetB'],
    tags: ['options'],
    async run(t) {
      t.verify(await t.v2.GetVersion(), [envelope.shape(), geniCode.success(), field('value.geni_api').equals(2)]);
    },
  },
  {
    id: 'am2.getversion.unknown-option-ignored',
    requirements: ['v2.options.accepted'],
    title: 'GetVersion with an option the aggregate does not define',
    requirement: 'Aggregates ignore options they do not understand; the call still succeeds',
    spec: ['am2/draft#ChangeSetB'],
    tags: ['options'],
    async run(t) {
      t.verify(await t.v2.GetVersion(UNKNOWN_OPTION), [geniCode.success(), field('value.geni_api').equals(2)]);
    },
  },
  {
    id: 'am2.getversion.top-level-geni-api',
    requirements: ['v2.getversion.top-level-geni-api'],
    title: 'GetVersion: top-level geni_api member',
    requirement: 'Beside code, value and output the struct carries geni_api = 2 as an XML-RPC int, so a v1 client learns it must upgrade',
    spec: ['am2/draft#ChangeSetB'],
    detects: [{ fault: 'v2-getversion-omits-top-level-api', check: 'field-missing' }],
    async run(t) {
      t.verify(await t.v2.GetVersion({}), [field('geni_api').equals(2), field('geni_api').wireType('int', 'i4')]);
    },
  },
  {
    id: 'am2.getversion.value-geni-api',
    requirements: ['v2.getversion.top-level-geni-api', 'v2.getversion.geni-prefix'],
    title: 'GetVersion: value.geni_api',
    requirement: 'value.geni_api is the XML-RPC int 2, matching the top-level member',
    async run(t) {
      t.verify(await t.v2.GetVersion({}), [field('value.geni_api').equals(2), field('value.geni_api').wireType('int', 'i4')]);
    },
  },
  {
    id: 'am2.getversion.value-structure',
    requirements: ['v2.getversion.geni-prefix', 'v2.getversion.api-versions'],
    title: 'GetVersion: the structure of value',
    requirement: 'value has geni_api, geni_api_versions and the request and ad RSpec version lists, each entry with type, version and extensions',
    spec: ['am2/details#GetVersion'],
    async run(t) {
      t.verify(await t.v2.GetVersion({}), [valueMatches('v2/getversion-value')]);
    },
  },
  {
    id: 'am2.getversion.api-versions-lists-2',
    requirements: ['v2.getversion.api-versions'],
    title: 'GetVersion: geni_api_versions names version 2',
    requirement: 'geni_api_versions maps the version being called (2) to its URL',
    spec: ['am2/details#GetVersion'],
    async run(t) {
      t.verify(await t.v2.GetVersion({}), [getVersion.listsApiVersion('2'), getVersion.apiVersionsKeyedByNumber()]);
    },
  },
  {
    id: 'am2.getversion.api-version-urls-absolute',
    requirements: ['v2.getversion.api-version-url-absolute'],
    title: 'GetVersion: every geni_api_versions URL',
    requirement: 'Each URL in geni_api_versions is absolute (scheme and host)',
    spec: ['am2/details#GetVersion'],
    async run(t) {
      t.verify(await t.v2.GetVersion({}), [field('value.geni_api_versions.*').matches(ABSOLUTE_URL, 'an absolute URL, e.g. https://am.example.net:12346/')]);
    },
  },
  {
    id: 'am2.getversion.request-geni3',
    requirements: ['v2.rspec.accept-produce-compliant', 'v3c.rspec.geni-standard-supported'],
    title: 'GetVersion: GENI 3 (or ProtoGENI 2, its earlier name) among the request RSpec versions',
    requirement: 'Aggregates "must accept and produce compliant RSpecs on demand" (change set A), in GENI 3, "what was the ProtoGENI V2 schemas": geni_request_rspec_versions lists GENI 3 or ProtoGENI 2 (case-insensitive)',
    spec: ['am2/deltas#ChangeSetA'],
    tags: ['rspec'],
    async run(t) {
      t.verify(await t.v2.GetVersion({}), [getVersion.advertisesRSpec('request', COMPLIANT_RSPEC_FORMATS)]);
    },
  },
  {
    id: 'am2.getversion.ad-geni3',
    requirements: ['v2.rspec.accept-produce-compliant', 'v3c.rspec.geni-standard-supported'],
    title: 'GetVersion: GENI 3 (or ProtoGENI 2, its earlier name) among the ad RSpec versions',
    requirement: 'Aggregates "must accept and produce compliant RSpecs on demand" (change set A): geni_ad_rspec_versions lists GENI 3 or ProtoGENI 2, its earlier name',
    spec: ['am2/deltas#ChangeSetA'],
    tags: ['rspec'],
    async run(t) {
      t.verify(await t.v2.GetVersion({}), [getVersion.advertisesRSpec('ad', COMPLIANT_RSPEC_FORMATS)]);
    },
  },
  {
    id: 'am2.getversion.geni-prefixed-members',
    requirements: ['v2.getversion.geni-prefix'],
    title: 'GetVersion: RSpec version lists under their v2 names',
    requirement: 'v2 renamed the change set A members with the geni_ prefix; the lists are under geni_request_rspec_versions and geni_ad_rspec_versions',
    spec: ['am2/deltas#ChangeSetA'],
    tags: ['rspec'],
    async run(t) {
      t.verify(await t.v2.GetVersion({}), [
        field('value.geni_request_rspec_versions').kind('array'), field('value.geni_ad_rspec_versions').kind('array'),
      ]);
    },
  },
  {
    id: 'am2.getversion.known-rspec-types',
    requirements: ['v2.rspec.known-types'],
    title: 'GetVersion: the types of the request and ad RSpec versions',
    requirement: 'The RSpec type should be one of geni, protogeni, sfa, orca, openflow or orbit (change set A)',
    spec: ['am2/deltas#ChangeSetA'],
    tags: ['rspec'],
    async run(t) {
      const res = await t.v2.GetVersion();
      t.verify(res, [getVersion.rspecTypesAmong('value.geni_request_rspec_versions', KNOWN_RSPEC_TYPES), getVersion.rspecTypesAmong('value.geni_ad_rspec_versions', KNOWN_RSPEC_TYPES)]);
    },
  },
]);
