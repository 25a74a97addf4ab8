/**
 * GetVersion() in AM API v1: a plain struct with geni_api 1 and, with change set A, the RSpec versions the
 * aggregate accepts and produces (request_rspec_versions, ad_rspec_versions) and default_ad_rspec among the latter.
 */
import { COMPLIANT_RSPEC_FORMATS, KNOWN_RSPEC_TYPES, field, getVersion, valueMatches } from '../../src/checks';
import { v1 } from '../../src/checks/v1';
import { defineCases } from '../../src/runner/define';
import { am1 } from '../../src/runner/am-suites';

export default defineCases(am1, { tags: ['getversion'], spec: ['am1#GetVersion'] }, [
  {
    id: 'am1.getversion.plain-struct',
    requirements: ['v1.getversion.members'],
    title: 'GetVersion with no arguments',
    requirement: 'v1 returns the version struct itself, not the v2/v3 {code, value, output} return struct',
    tags: ['smoke', 'envelope'],
    async run(t) {
      t.verify(await t.v1.GetVersion(), [v1.returns('struct')]);
    },
  },
  {
    id: 'am1.getversion.geni-api',
    requirements: ['v1.getversion.members'],
    title: 'GetVersion: geni_api',
    requirement: 'geni_api is the XML-RPC int 1',
    tags: ['smoke'],
    async run(t) {
      t.verify(await t.v1.GetVersion(), [field('geni_api').equals(1), field('geni_api').wireType('int', 'i4')]);
    },
  },
  {
    id: 'am1.getversion.change-set-a-structure',
    requirements: ['v1.getversion.members'],
    title: 'GetVersion: the change set A members',
    requirement: 'The struct has request_rspec_versions and ad_rspec_versions (each entry type, version, extensions) and default_ad_rspec {type, version}',
    spec: ['am1/draft#ChangeSetA'],
    tags: ['rspec'],
    async run(t) {
      t.verify(await t.v1.GetVersion(), [valueMatches('v1/getversion-value', '')]);
    },
  },
  {
    id: 'am1.getversion.default-ad-advertised',
    requirements: ['v1.getversion.default-ad-advertised'],
    title: 'GetVersion: default_ad_rspec',
    requirement: 'default_ad_rspec is one of the values in ad_rspec_versions',
    spec: ['am1/draft#ChangeSetA'],
    tags: ['rspec'],
    async run(t) {
      t.verify(await t.v1.GetVersion(), [v1.defaultAdAdvertised()]);
    },
  },
  {
    id: 'am1.getversion.request-geni3',
    requirements: ['v2.rspec.accept-produce-compliant', 'v2.rspec.geni3-is-pgv2'],
    title: 'GetVersion: GENI 3 (or ProtoGENI 2, its earlier name) among the request RSpec versions',
    requirement: 'Aggregates "must accept and produce compliant RSpecs on demand" (change set A), in GENI 3, "what was the ProtoGENI V2 schemas": request_rspec_versions lists GENI 3 or ProtoGENI 2 (case-insensitive)',
    spec: ['am1/draft#ChangeSetA'],
    tags: ['rspec'],
    async run(t) {
      t.verify(await t.v1.GetVersion(), [v1.advertisesRSpec('request', COMPLIANT_RSPEC_FORMATS)]);
    },
  },
  {
    id: 'am1.getversion.ad-geni3',
    requirements: ['v2.rspec.accept-produce-compliant', 'v2.rspec.geni3-is-pgv2'],
    title: 'GetVersion: GENI 3 (or ProtoGENI 2, its earlier name) among the ad RSpec versions',
    requirement: 'Aggregates "must accept and produce compliant RSpecs on demand" (change set A): ad_rspec_versions lists GENI 3 or ProtoGENI 2, its earlier name',
    spec: ['am1/draft#ChangeSetA'],
    tags: ['rspec'],
    async run(t) {
      t.verify(await t.v1.GetVersion(), [v1.advertisesRSpec('ad', COMPLIANT_RSPEC_FORMATS)]);
    },
  },
  {
    id: 'am1.getversion.known-rspec-types',
    requirements: ['v2.rspec.known-types'],
    title: 'GetVersion: the types of the request and ad RSpec versions',
    requirement: 'The RSpec type should be one of geni, protogeni, sfa, orca, openflow or orbit (change set A)',
    spec: ['am1/draft#ChangeSetA'],
    tags: ['rspec'],
    async run(t) {
      const res = await t.v1.GetVersion();
      t.verify(res, [getVersion.rspecTypesAmong('request_rspec_versions', KNOWN_RSPEC_TYPES), getVersion.rspecTypesAmong('ad_rspec_versions', KNOWN_RSPEC_TYPES)]);
    },
  },
]);
