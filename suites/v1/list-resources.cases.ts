/**
 * ListResources(credentials, options) in AM API v1: the RSpec as a plain string. Every aggregate implements
 * geni_available, geni_compressed and geni_slice_urn (manifest instead of advertisement); change set A adds
 * rspec_version, an unsupported one being an exception (a Fault).
 */
import { field, manifest, rspec } from '../../src/checks';
import { v1 } from '../../src/checks/v1';
import { defineCases } from '../../src/runner/define';
import { UNADVERTISED_VERSION, UNKNOWN_OPTION, createdSlice, defaultAdFormat, fullAdvertisement, listOptions, rspecVersion, validatedAdFormat } from './v1-steps';
import { am1 } from '../../src/runner/am-suites';

export default defineCases(am1, { tags: ['listresources'], spec: ['am1#ListResources'] }, [
  {
    id: 'am1.listresources.returns-string',
    requirements: ['v1.listresources.returns-string'],
    title: 'ListResources with the user credential and rspec_version',
    requirement: 'The advertisement comes back as a plain XML-RPC string',
    tags: ['smoke', 'envelope'],
    async run(t) {
      t.verify(await t.v1.ListResources(t.creds.user(), listOptions(t)), [v1.returns('string'), field('').wireType('string')]);
    },
  },
  {
    id: 'am1.listresources.valid-advertisement',
    requirements: ['v2.rspec.accept-produce-compliant', 'v3c.rspec.schema-valid'],
    title: 'ListResources in the GENI standard format',
    requirement: 'An aggregate that advertises a format "promises to send a correct Advertisement RSpec" in it (change set A): asked for GENI 3 (or ProtoGENI 2, its earlier name), the string validates against that ad schema',
    spec: ['am1/draft#ChangeSetA'],
    tags: ['smoke', 'rspec'],
    detects: [{ fault: 'advertisement-in-pgv2', check: 'rspec' }],
    async run(t) {
      const expect = validatedAdFormat(t);
      t.verify(await t.v1.ListResources(t.creds.user(), listOptions(t)), [v1.returns('string'), rspec.validAs('advertisement', '', { expect })]);
    },
  },
  {
    id: 'am1.listresources.default-format',
    requirements: ['v1.listresources.default-format'],
    title: 'ListResources without rspec_version',
    requirement: 'Without rspec_version the aggregate answers in its default_ad_rspec format (the change set A default)',
    spec: ['am1/draft#ChangeSetA'],
    tags: ['rspec', 'options'],
    async run(t) {
      // The default format may be the aggregate's own (SFA, say), for which no schema is published: then only the
      // type of the answer can be checked, and the note says so.
      const expect = defaultAdFormat(t);
      if (expect === undefined) t.note(`default_ad_rspec is not a format the harness can validate (it validates GENI 3 and ProtoGENI 2): only the string type was checked`);
      t.verify(await t.v1.ListResources(t.creds.user(), {}), [v1.returns('string'), ...(expect ? [rspec.validAs('advertisement', '', { expect })] : [])]);
    },
  },
  {
    id: 'am1.listresources.unsupported-rspec-version',
    requirements: ['v2.rspec.unsupported-version-refused', 'v1.errors.fault-or-false'],
    title: 'ListResources with rspec_version GENI 99',
    requirement: 'A type/version not in ad_rspec_versions is an exception: a Fault (or false), never an advertisement in another format',
    spec: ['am1/draft#ChangeSetA', 'am1#Errors'],
    tags: ['options', 'errors'],
    detects: [{ fault: 'v1-unsupported-rspec-version-accepted', check: 'v1-error' }, { fault: 'v1-error-as-struct', check: 'v1-error' }],
    async run(t) {
      t.verify(await t.v1.ListResources(t.creds.user(), { rspec_version: UNADVERTISED_VERSION }), [v1.refused()]);
    },
  },
  {
    id: 'am1.listresources.rspec-version-case-insensitive',
    requirements: ['v3c.rspec.version-case-insensitive'],
    title: 'ListResources with rspec_version type and version in another letter case',
    requirement: 'type and version are case-insensitive strings, so a differently cased advertised version is served',
    spec: ['am1/draft#ChangeSetA'],
    tags: ['options'],
    async run(t) {
      const advertised = rspecVersion(t);
      const recased = { type: advertised.type.toLowerCase() === advertised.type ? advertised.type.toUpperCase() : advertised.type.toLowerCase(), version: advertised.version.toUpperCase() };
      t.verify(await t.v1.ListResources(t.creds.user(), { rspec_version: recased }), [v1.returns('string'), rspec.validAs('advertisement', '', { expect: validatedAdFormat(t) })]);
    },
  },
  {
    id: 'am1.listresources.unknown-option-ignored',
    requirements: ['v1.listresources.extra-options'],
    title: 'ListResources with an option the aggregate does not define',
    requirement: 'Callers may pass members specific aggregates honour; others ignore them and answer as usual',
    tags: ['options'],
    async run(t) {
      t.verify(await t.v1.ListResources(t.creds.user(), listOptions(t, UNKNOWN_OPTION)), [v1.returns('string'), rspec.validAs('advertisement', '', { expect: validatedAdFormat(t) })]);
    },
  },
  {
    id: 'am1.listresources.compressed-round-trip',
    requirements: ['v1.listresources.compressed', 'v1.listresources.options-implemented'],
    title: 'ListResources with geni_compressed true',
    requirement: 'The RSpec comes zlib-compressed then base64-encoded in a string, and decodes to the uncompressed document',
    tags: ['compression', 'options'],
    async run(t) {
      const plain = await fullAdvertisement(t);
      t.verify(await t.v1.ListResources(t.creds.user(), listOptions(t, { geni_compressed: true })), [
        v1.returns('string'), rspec.compressedEquals(plain, ''), rspec.validAs('advertisement', '', { compressed: true, expect: validatedAdFormat(t) }),
      ]);
    },
  },
  {
    id: 'am1.listresources.compressed-false-plain',
    requirements: ['v1.listresources.plain-text'],
    title: 'ListResources with geni_compressed false',
    requirement: 'Without compression the RSpec is plain XML',
    tags: ['compression', 'options'],
    async run(t) {
      t.verify(await t.v1.ListResources(t.creds.user(), listOptions(t, { geni_compressed: false })), [v1.returns('string'), rspec.plain('')]);
    },
  },
  {
    id: 'am1.listresources.available-only-available',
    requirements: ['v1.listresources.options-implemented'],
    title: 'ListResources with geni_available true',
    requirement: 'Only resources available now are listed: every node says <available now="true"/>, and all are in the full advertisement',
    tags: ['options'],
    async run(t) {
      const full = await fullAdvertisement(t);
      t.verify(await t.v1.ListResources(t.creds.user(), listOptions(t, { geni_available: true })), [
        v1.returns('string'), rspec.allNodesAvailable(''), rspec.nodesSubsetOf(full, ''),
      ]);
    },
  },
  {
    id: 'am1.listresources.slice-manifest',
    requirements: ['v1.listresources.slice-urn-manifest'],
    title: 'ListResources with geni_slice_urn of a slice with slivers',
    requirement: 'With geni_slice_urn the answer is that slice\'s manifest: a valid manifest naming every requested client_id',
    tags: ['rspec', 'lifecycle'],
    async run(t) {
      const { slice, request } = await createdSlice(t, { nodes: 2 });
      t.verify(await t.v1.ListResources(slice.credentials, listOptions(t, { geni_slice_urn: slice.urn })), [
        v1.returns('string'), rspec.validAs('manifest', ''), manifest.coversRequest(request, ''),
      ]);
    },
  },
  {
    id: 'am1.listresources.slice-manifest-other-slice-credential',
    requirements: ['v3c.credentials.slice-credential-authorizes', 'v1.errors.fault-or-false'],
    title: "ListResources with geni_slice_urn of one slice and another slice's credential",
    requirement: 'A slice manifest needs a credential for that slice; another slice\'s is refused with a Fault or false',
    spec: ['credentials#Validation', 'am1#Errors'],
    tags: ['credentials', 'auth', 'errors'],
    detects: [{ fault: 'v1-error-as-struct', check: 'v1-error' }],
    async run(t) {
      const { slice } = await createdSlice(t);
      const other = await t.newSlice();
      t.verify(await t.v1.ListResources(other.credentials, listOptions(t, { geni_slice_urn: slice.urn })), [v1.refused()]);
    },
  },
]);
