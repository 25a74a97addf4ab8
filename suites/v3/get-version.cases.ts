import { ABSOLUTE_URL, GENI3_FORMAT, KNOWN_RSPEC_TYPES, envelope, field, geniCode, getVersion, valueMatches } from '../../src/checks';
import { defineCases } from '../../src/runner/define';
import { am3 } from '../../src/runner/am-suites';

/** The allocation modes GetVersion may advertise (GAPI_AM_API_V3, geni_allocate). */
const ALLOCATE_MODES = ['geni_single', 'geni_disjoint', 'geni_many'];
/** An option no aggregate defines; the prefix is ours, since geni_ is reserved for the standard. */
const UNKNOWN_OPTION = { geniharness_unknown_option: 'ignore me' };

export default defineCases(am3, { tags: ['getversion'], spec: ['am3#GetVersion'] }, [
  {
    id: 'am3.getversion.envelope',
    requirements: ['v2.return.struct-everywhere', 'v2.return.code-struct', 'v2.return.value-on-success', 'v2.return.extra-members'],
    title: 'GetVersion with no options',
    requirement: 'The answer is the v3 return struct: code.geni_code an int, value present on success',
    spec: ['am3/common#ReturnStruct'],
    tags: ['smoke', 'envelope'],
    async run(t) {
      t.verify(await t.am.GetVersion(), [envelope.shape()]);
    },
  },
  {
    id: 'am3.getversion.succeeds-without-credentials',
    requirements: ['v3d.getversion.sample-structure', 'v3d.getversion.consistent-codes'],
    title: 'GetVersion with no credentials and no options',
    requirement: 'GetVersion takes no credentials; any authenticated client gets SUCCESS',
    tags: ['smoke'],
    async run(t) {
      t.verify(await t.am.GetVersion(), [geniCode.success()]);
    },
  },
  {
    id: 'am3.getversion.empty-options',
    requirements: ['v2.options.required-argument'],
    title: 'GetVersion with an empty options struct',
    requirement: 'The options argument is optional for GetVersion, and an empty struct is accepted like no options',
    spec: ['am3/common#Options'],
    tags: ['options'],
    async run(t) {
      t.verify(await t.am.GetVersion({}), [envelope.shape(), geniCode.success(), field('value.geni_api').equals(3)]);
    },
  },
  {
    id: 'am3.getversion.unknown-option-ignored',
    requirements: ['v2.options.accepted', 'v3c.structs.extra-entries-optional'],
    title: 'GetVersion with an option the aggregate does not define',
    requirement: 'Aggregates ignore options they do not understand; the call still succeeds',
    spec: ['am3/common#Options'],
    tags: ['options'],
    async run(t) {
      t.verify(await t.am.GetVersion(UNKNOWN_OPTION), [geniCode.success(), field('value.geni_api').equals(3)]);
    },
  },
  {
    id: 'am3.getversion.top-level-geni-api',
    requirements: ['v3d.getversion.geni-api-duplicated'],
    title: 'GetVersion: top-level geni_api member',
    requirement: 'Beside code/value/output the struct carries geni_api = 3 as an XML-RPC int, so clients of any version can tell the API version',
    detects: [{ fault: 'getversion-api-as-string', check: 'field' }],
    async run(t) {
      t.verify(await t.am.GetVersion(), [field('geni_api').equals(3), field('geni_api').wireType('int', 'i4')]);
    },
  },
  {
    id: 'am3.getversion.value-geni-api',
    requirements: ['v3d.getversion.sample-structure', 'v3d.getversion.geni-api-duplicated'],
    title: 'GetVersion: value.geni_api',
    requirement: 'value.geni_api is the XML-RPC int 3',
    detects: [{ fault: 'getversion-api-as-string', check: 'field' }],
    async run(t) {
      t.verify(await t.am.GetVersion(), [field('value.geni_api').equals(3), field('value.geni_api').wireType('int', 'i4')]);
    },
  },
  {
    id: 'am3.getversion.api-versions-present',
    requirements: ['v2.getversion.api-versions'],
    title: 'GetVersion: geni_api_versions',
    requirement: 'value.geni_api_versions is a non-empty struct mapping API version numbers to URLs',
    detects: [{ fault: 'getversion-omits-api-versions', check: 'field-missing' }],
    async run(t) {
      t.verify(await t.am.GetVersion(), [field('value.geni_api_versions').kind('struct'), field('value.geni_api_versions').nonEmpty()]);
    },
  },
  {
    id: 'am3.getversion.api-versions-lists-3',
    requirements: ['v2.getversion.api-versions', 'v3d.getversion.sample-structure'],
    title: 'GetVersion: geni_api_versions names version 3',
    requirement: 'geni_api_versions includes the version being called (3) with its URL',
    detects: [{ fault: 'getversion-omits-api-versions', check: 'field-missing' }],
    async run(t) {
      t.verify(await t.am.GetVersion(), [getVersion.listsApiVersion('3')]);
    },
  },
  {
    id: 'am3.getversion.api-version-urls-absolute',
    requirements: ['v2.getversion.api-version-url-absolute'],
    title: 'GetVersion: every geni_api_versions URL',
    requirement: 'Each URL in geni_api_versions is absolute (scheme and host)',
    detects: [{ fault: 'getversion-relative-api-urls', check: 'field' }],
    async run(t) {
      t.verify(await t.am.GetVersion(), [field('value.geni_api_versions.*').matches(ABSOLUTE_URL, 'an absolute URL, e.g. https://am.example.net:12346/')]);
    },
  },
  {
    id: 'am3.getversion.api-version-3-url-https',
    requirements: ['v3c.protocol.xmlrpc-over-ssl'],
    title: 'GetVersion: the URL advertised for version 3',
    requirement: 'The AM API runs over SSL, so the v3 URL should be an https URL',
    level: 'SHOULD',
    spec: ['am3#Overview'],
    async run(t) {
      t.verify(await t.am.GetVersion(), [field('value.geni_api_versions.3').matches(/^https:\/\/[^\s/]+/i, 'an https:// URL')]);
    },
  },
  {
    id: 'am3.getversion.api-version-keys-numeric',
    requirements: ['v2.getversion.api-versions'],
    title: 'GetVersion: geni_api_versions member names',
    requirement: 'geni_api_versions is keyed by API version number',
    level: 'SHOULD',
    async run(t) {
      t.verify(await t.am.GetVersion(), [getVersion.apiVersionsKeyedByNumber()]);
    },
  },
  {
    id: 'am3.getversion.request-rspec-versions',
    requirements: ['v3d.getversion.sample-structure', 'v3c.rspec.contract'],
    title: 'GetVersion: geni_request_rspec_versions',
    requirement: 'value.geni_request_rspec_versions is a non-empty array of RSpec versions the aggregate accepts',
    spec: ['am3/common#RSpecDatatype'],
    tags: ['rspec'],
    async run(t) {
      t.verify(await t.am.GetVersion(), [field('value.geni_request_rspec_versions').kind('array'), field('value.geni_request_rspec_versions').nonEmpty()]);
    },
  },
  {
    id: 'am3.getversion.ad-rspec-versions',
    requirements: ['v3d.getversion.sample-structure', 'v3c.rspec.contract'],
    title: 'GetVersion: geni_ad_rspec_versions',
    requirement: 'value.geni_ad_rspec_versions is a non-empty array of RSpec versions ListResources can produce',
    spec: ['am3/common#RSpecDatatype'],
    tags: ['rspec'],
    async run(t) {
      t.verify(await t.am.GetVersion(), [field('value.geni_ad_rspec_versions').kind('array'), field('value.geni_ad_rspec_versions').nonEmpty()]);
    },
  },
  {
    id: 'am3.getversion.rspec-version-entries',
    requirements: ['v3d.getversion.sample-structure'],
    title: 'GetVersion: each advertised RSpec version entry',
    requirement: 'Every request and ad RSpec version has string type, version, schema and namespace, and an array of extensions',
    spec: ['am3/common#RSpecDatatype'],
    tags: ['rspec'],
    async run(t) {
      const res = await t.am.GetVersion();
      for (const list of ['value.geni_request_rspec_versions', 'value.geni_ad_rspec_versions']) {
        t.verify(res, [
          field(`${list}[*].type`).kind('string'),
          field(`${list}[*].version`).kind('string'),
          field(`${list}[*].schema`).kind('string'),
          field(`${list}[*].namespace`).kind('string'),
          field(`${list}[*].extensions`).kind('array'),
          field(`${list}[*].extensions[*]`).kind('string'),
        ]);
      }
    },
  },
  {
    id: 'am3.getversion.advertises-geni3-request',
    requirements: ['v3c.rspec.geni-standard-supported'],
    title: 'GetVersion: GENI 3 among the request RSpec versions',
    requirement: 'A compliant aggregate always supports the GENI standard schemas, so it accepts GENI 3 request RSpecs',
    spec: ['am3/common#RSpecDatatype'],
    tags: ['rspec'],
    async run(t) {
      t.verify(await t.am.GetVersion(), [getVersion.advertisesRSpec('request', GENI3_FORMAT)]);
    },
  },
  {
    id: 'am3.getversion.advertises-geni3-ad',
    requirements: ['v3c.rspec.geni-standard-supported'],
    title: 'GetVersion: GENI 3 among the ad RSpec versions',
    requirement: 'A compliant aggregate always supports the GENI standard schemas, so it can advertise in GENI 3',
    spec: ['am3/common#RSpecDatatype'],
    tags: ['rspec'],
    async run(t) {
      t.verify(await t.am.GetVersion(), [getVersion.advertisesRSpec('ad', GENI3_FORMAT)]);
    },
  },
  {
    id: 'am3.getversion.credential-types',
    requirements: ['v3.getversion.credential-types', 'v3d.getversion.sample-structure'],
    title: 'GetVersion: geni_credential_types',
    requirement: 'value.geni_credential_types is a non-empty array of {geni_type, geni_version} the aggregate accepts',
    spec: ['am3/common#Credentials'],
    tags: ['credentials'],
    detects: [{ fault: 'getversion-omits-credential-types', check: 'field-missing' }],
    async run(t) {
      t.verify(await t.am.GetVersion(), [
        field('value.geni_credential_types').kind('array'),
        field('value.geni_credential_types').nonEmpty(),
        field('value.geni_credential_types[*].geni_type').kind('string'),
        field('value.geni_credential_types[*].geni_version').present(),
      ]);
    },
  },
  {
    id: 'am3.getversion.accepts-sfa-credentials',
    requirements: ['v3.getversion.credential-types'],
    title: 'GetVersion: geni_sfa among the credential types',
    requirement: 'Aggregates should accept SFA credentials (geni_sfa version 2 or 3)',
    level: 'SHOULD',
    spec: ['am3/common#Credentials', 'credentials#Validation'],
    tags: ['credentials'],
    async run(t) {
      t.verify(await t.am.GetVersion(), [getVersion.acceptsCredentialType('geni_sfa', ['2', '3'])]);
    },
  },
  {
    id: 'am3.getversion.credential-version-string',
    requirements: ['v3d.getversion.sample-structure'],
    title: 'GetVersion: the XML-RPC type of each geni_version',
    requirement: 'geni_version in geni_credential_types is a string, as in the credential structs clients send',
    level: 'SHOULD',
    spec: ['am3/common#Credentials'],
    tags: ['credentials'],
    async run(t) {
      t.verify(await t.am.GetVersion(), [field('value.geni_credential_types').present(), field('value.geni_credential_types[*].geni_version').wireType('string')]);
    },
  },
  {
    id: 'am3.getversion.single-allocation-boolean',
    requirements: ['v3c.allocate.single-allocation'],
    title: 'GetVersion: geni_single_allocation, when present',
    requirement: 'geni_single_allocation is optional; when present it is an XML-RPC boolean',
    spec: ['am3/common#geni_single_allocation'],
    async run(t) {
      t.verify(await t.am.GetVersion(), [field('value.geni_single_allocation').ifPresent().wireType('boolean')]);
    },
  },
  {
    id: 'am3.getversion.allocate-mode',
    requirements: ['v3c.allocate.geni-allocate-modes'],
    title: 'GetVersion: geni_allocate, when present',
    requirement: 'geni_allocate is optional; when present it is one of geni_single, geni_disjoint, geni_many',
    spec: ['am3/common#geni_allocate'],
    async run(t) {
      t.verify(await t.am.GetVersion(), [field('value.geni_allocate').ifPresent().oneOf(ALLOCATE_MODES)]);
    },
  },
  {
    id: 'am3.getversion.geni-prefix-reserved',
    requirements: ['v2.options.prefix'],
    title: 'GetVersion: members named geni_…',
    requirement: 'The geni_ prefix is reserved for the common members: an aggregate names its own members with another prefix',
    spec: ['am3/details#GetVersion'],
    async run(t) {
      // The members the v3 pages define, plus geni_am_type and geni_am_code (change set N, which gcf sends).
      t.verify(await t.am.GetVersion(), [getVersion.geniMembersAmong([
        'geni_api', 'geni_api_versions', 'geni_request_rspec_versions', 'geni_ad_rspec_versions', 'geni_credential_types',
        'geni_single_allocation', 'geni_allocate', 'geni_am_type', 'geni_am_code',
      ])]);
    },
  },
  {
    id: 'am3.getversion.output-string',
    requirements: ['v2.return.output-on-error'],
    title: 'GetVersion: output, when present',
    requirement: 'output is optional on success; when present it is a string',
    level: 'SHOULD',
    spec: ['am3/common#ReturnStruct'],
    tags: ['envelope'],
    async run(t) {
      t.verify(await t.am.GetVersion(), [field('output').ifPresent().kind('string')]);
    },
  },
  {
    id: 'am3.getversion.value-schema',
    requirements: ['v3d.getversion.sample-structure'],
    title: 'GetVersion: the whole value against the documented structure',
    requirement: 'Every GetVersion field has its documented type and the required ones are present',
    spec: ['am3/details#GetVersion'],
    detects: [{ fault: 'getversion-omits-api-versions', check: 'json-schema' }, { fault: 'getversion-api-as-string', check: 'json-schema' }, { fault: 'getversion-omits-credential-types', check: 'json-schema' }],
    async run(t) {
      t.verify(await t.am.GetVersion(), [valueMatches('v3/getversion-value')]);
    },
  },
  {
    id: 'am3.getversion.known-rspec-types',
    requirements: ['v2.rspec.known-types'],
    title: 'GetVersion: the types of the request and ad RSpec versions',
    requirement: 'The RSpec type should be one of geni, protogeni, sfa, orca, openflow or orbit (change set A)',
    spec: ['am3/common#RSpecDatatype'],
    async run(t) {
      const res = await t.am.GetVersion();
      t.verify(res, [getVersion.rspecTypesAmong('value.geni_request_rspec_versions', KNOWN_RSPEC_TYPES), getVersion.rspecTypesAmong('value.geni_ad_rspec_versions', KNOWN_RSPEC_TYPES)]);
    },
  },
]);
