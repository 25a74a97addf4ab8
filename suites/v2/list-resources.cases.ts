/**
 * ListResources(credentials, options) in AM API v2: geni_rspec_version is required (BADARGS without it, BADVERSION
 * for one not advertised), geni_available and geni_compressed work as in v1, and geni_slice_urn turns the answer
 * into the slice's manifest.
 */
import { either, envelope, field, geniCode, manifest, rspec } from '../../src/checks';
import { defineCases } from '../../src/runner/define';

import { UNADVERTISED_VERSION, UNKNOWN_OPTION, createdSlice, listOptions, precondition, rspecVersion } from './v2-steps';
import { am2, type AmCaseContext } from '../../src/runner/am-suites';

/** The full advertisement, as a precondition for the cases that compare against it. */
async function fullAdvertisement(t: AmCaseContext): Promise<string> {
  const res = await t.v2.ListResources(t.creds.user(), listOptions(t));
  precondition(t, res, 'ListResources');
  return String(res.envelope?.value);
}

export default defineCases(am2, { tags: ['listresources'], spec: ['am2#ListResources'] }, [
  {
    id: 'am2.listresources.envelope',
    requirements: ['v2.return.struct-everywhere'],
    title: 'ListResources with the user credential and geni_rspec_version',
    requirement: 'The aggregate answers with the v2 return struct and SUCCESS',
    spec: ['am2#ReturnStruct'],
    tags: ['smoke', 'envelope'],
    detects: [{ fault: 'v2-draft-code-shape', check: 'envelope' }],
    async run(t) {
      t.verify(await t.v2.ListResources(t.creds.user(), listOptions(t)), [envelope.shape(), geniCode.success()]);
    },
  },
  {
    id: 'am2.listresources.value-is-string',
    requirements: ['v1.listresources.returns-string'],
    title: 'ListResources: the type of value',
    requirement: 'value is the advertisement RSpec in an XML-RPC string',
    tags: ['rspec'],
    async run(t) {
      t.verify(await t.v2.ListResources(t.creds.user(), listOptions(t)), [field('value').wireType('string')]);
    },
  },
  {
    id: 'am2.listresources.valid-advertisement',
    requirements: ['v3c.rspec.schema-valid', 'v3c.rspec.ad-promise'],
    title: 'ListResources in the advertised GENI 3 format',
    requirement: 'The advertisement validates against the GENI 3 ad schema and its root type is advertisement',
    spec: ['am2/deltas#ChangeSetA'],
    tags: ['smoke', 'rspec'],
    async run(t) {
      t.verify(await t.v2.ListResources(t.creds.user(), listOptions(t)), [geniCode.success(), rspec.validAs('advertisement')]);
    },
  },
  {
    id: 'am2.listresources.every-advertised-version',
    requirements: ['v3c.rspec.ad-promise', 'v2.rspec.geni-type-reserved'],
    title: 'ListResources in each ad RSpec version GetVersion advertises',
    requirement: 'What an aggregate lists in geni_ad_rspec_versions it produces for ListResources',
    spec: ['am2/deltas#ChangeSetA', 'am2#GetVersion'],
    tags: ['rspec'],
    async run(t) {
      for (const advertised of t.version.adRSpecVersions) {
        const res = await t.v2.ListResources(t.creds.user(), { geni_rspec_version: { type: advertised.type, version: advertised.version } });
        t.verify(res, [geniCode.success(), field('value').kind('string')]);
      }
    },
  },
  {
    id: 'am2.listresources.rspec-version-case-insensitive',
    requirements: ['v3c.rspec.version-case-insensitive'],
    title: 'ListResources with geni_rspec_version type and version in another letter case',
    requirement: 'type and version are case-insensitive, so a differently cased advertised version is served',
    spec: ['am2/draft#ChangeSetA'],
    tags: ['options'],
    async run(t) {
      const advertised = rspecVersion(t);
      const recased = { type: advertised.type.toLowerCase() === advertised.type ? advertised.type.toUpperCase() : advertised.type.toLowerCase(), version: advertised.version.toUpperCase() };
      t.verify(await t.v2.ListResources(t.creds.user(), { geni_rspec_version: recased }), [geniCode.success(), rspec.validAs('advertisement')]);
    },
  },
  {
    id: 'am2.listresources.missing-rspec-version',
    requirements: ['v2.listresources.rspec-version-required', 'v3d.listresources.missing-version-badargs'],
    title: 'ListResources without geni_rspec_version',
    requirement: 'v2 made geni_rspec_version required: without it the call is refused (BADARGS), never answered with a default advertisement',
    spec: ['am2/draft#ChangeSetA', 'am2/deltas#ChangeSetA'],
    tags: ['options', 'errors'],
    detects: [{ fault: 'v2-missing-rspec-version-accepted', check: 'geni-code' }],
    async run(t) {
      t.verify(await t.v2.ListResources(t.creds.user(), {}), [geniCode.refusal('BADARGS')]);
    },
  },
  {
    id: 'am2.listresources.error-in-return-struct',
    requirements: ['v2.return.no-fault-for-application-errors', 'v2.return.output-on-error', 'v2.return.struct-everywhere'],
    title: 'ListResources error: the shape of the answer',
    requirement: 'An application error comes back as the return struct with a non-zero geni_code and an output string, not as an XML-RPC Fault',
    spec: ['am2#ReturnStruct', 'am2/draft#ChangeSetB'],
    tags: ['envelope', 'errors'],
    detects: [{ fault: 'v2-draft-code-shape', check: 'envelope' }],
    async run(t) {
      t.verify(await t.v2.ListResources(t.creds.user(), listOptions(t, { geni_rspec_version: UNADVERTISED_VERSION })), [envelope.shape(), envelope.notFault()]);
    },
  },
  {
    id: 'am2.listresources.unadvertised-rspec-version',
    requirements: ['v2.rspec.unsupported-version-refused', 'v3d.listresources.unadvertised-badversion'],
    title: 'ListResources with geni_rspec_version GENI 99',
    requirement: 'An RSpec version the aggregate does not advertise is refused (BADVERSION)',
    spec: ['am2/draft#ChangeSetA', 'am2#ErrorCodes'],
    tags: ['options', 'errors'],
    async run(t) {
      t.verify(await t.v2.ListResources(t.creds.user(), { geni_rspec_version: UNADVERTISED_VERSION }), [geniCode.refusal('BADVERSION')]);
    },
  },
  {
    id: 'am2.listresources.rspec-version-without-type',
    requirements: ['v3c.rspec.version-case-insensitive', 'v3d.listresources.missing-version-badargs'],
    title: 'ListResources with a geni_rspec_version that lacks type',
    requirement: 'geni_rspec_version has both type and version; an incomplete one is refused (BADARGS)',
    spec: ['am2/draft#ChangeSetA'],
    tags: ['options', 'errors'],
    async run(t) {
      t.verify(await t.v2.ListResources(t.creds.user(), { geni_rspec_version: { version: rspecVersion(t).version } }), [geniCode.refusal('BADARGS')]);
    },
  },
  {
    id: 'am2.listresources.unknown-option-ignored',
    requirements: ['v1.listresources.extra-options'],
    title: 'ListResources with an option the aggregate does not define',
    requirement: 'Unknown options are ignored: the call succeeds with a valid advertisement (the acceptance suite sends one too)',
    spec: ['am2/draft#ChangeSetA'],
    tags: ['options'],
    async run(t) {
      t.verify(await t.v2.ListResources(t.creds.user(), listOptions(t, UNKNOWN_OPTION)), [geniCode.success(), rspec.validAs('advertisement')]);
    },
  },
  {
    id: 'am2.listresources.compressed-round-trip',
    requirements: ['v1.listresources.compressed'],
    title: 'ListResources with geni_compressed true',
    requirement: 'The advertisement comes zlib-compressed and base64-encoded in a string, and decodes to the uncompressed document',
    tags: ['compression', 'options'],
    async run(t) {
      const plain = await fullAdvertisement(t);
      const res = await t.v2.ListResources(t.creds.user(), listOptions(t, { geni_compressed: true }));
      t.verify(res, [geniCode.success(), field('value').wireType('string'), rspec.compressedEquals(plain), rspec.validAs('advertisement', 'value', { compressed: true })]);
    },
  },
  {
    id: 'am2.listresources.compressed-false-plain',
    requirements: ['v1.listresources.plain-text'],
    title: 'ListResources with geni_compressed false',
    requirement: 'Without compression the advertisement is plain XML',
    tags: ['compression', 'options'],
    async run(t) {
      t.verify(await t.v2.ListResources(t.creds.user(), listOptions(t, { geni_compressed: false })), [geniCode.success(), rspec.plain(), rspec.validAs('advertisement')]);
    },
  },
  {
    id: 'am2.listresources.available-only-available',
    requirements: ['v1.listresources.options-implemented'],
    title: 'ListResources with geni_available true',
    requirement: 'With geni_available only resources available now are listed: every node says <available now="true"/>',
    tags: ['options'],
    async run(t) {
      t.verify(await t.v2.ListResources(t.creds.user(), listOptions(t, { geni_available: true })), [geniCode.success(), rspec.validAs('advertisement'), rspec.allNodesAvailable()]);
    },
  },
  {
    id: 'am2.listresources.available-subset',
    requirements: ['v1.listresources.options-implemented'],
    title: 'ListResources with geni_available true against the full advertisement',
    requirement: 'The available-only advertisement lists a subset of the nodes of the full one',
    tags: ['options'],
    async run(t) {
      const full = await fullAdvertisement(t);
      t.verify(await t.v2.ListResources(t.creds.user(), listOptions(t, { geni_available: true })), [geniCode.success(), rspec.nodesSubsetOf(full)]);
    },
  },
  {
    id: 'am2.listresources.slice-manifest',
    requirements: ['v1.listresources.slice-urn-manifest'],
    title: 'ListResources with geni_slice_urn of a slice with slivers',
    requirement: 'With geni_slice_urn the answer is the manifest of that slice: a valid manifest RSpec naming every requested client_id',
    spec: ['am2/deltas#ChangeSetA'],
    tags: ['rspec', 'lifecycle'],
    async run(t) {
      const { slice, request } = await createdSlice(t, { nodes: 2 });
      const res = await t.v2.ListResources(slice.credentials, listOptions(t, { geni_slice_urn: slice.urn }));
      t.verify(res, [envelope.shape(), geniCode.success(), rspec.validAs('manifest'), manifest.coversRequest(request, 'value')]);
    },
  },
  {
    id: 'am2.listresources.slice-manifest-compressed',
    requirements: ['v1.listresources.compressed', 'v1.listresources.slice-urn-manifest'],
    title: 'ListResources with geni_slice_urn and geni_compressed true',
    requirement: 'Compression applies to the manifest too: it decodes to a valid manifest RSpec',
    tags: ['compression', 'rspec'],
    async run(t) {
      const { slice } = await createdSlice(t);
      const res = await t.v2.ListResources(slice.credentials, listOptions(t, { geni_slice_urn: slice.urn, geni_compressed: true }));
      t.verify(res, [geniCode.success(), rspec.validAs('manifest', 'value', { compressed: true })]);
    },
  },
  {
    id: 'am2.listresources.slice-manifest-of-empty-slice',
    requirements: ['v1.listresources.slice-urn-manifest'],
    title: 'ListResources with geni_slice_urn of a slice with no slivers here',
    requirement: 'A slice without slivers is refused (SEARCHFAILED) or described by a manifest with no resources, never by the advertisement',
    tags: ['rspec', 'errors'],
    async run(t) {
      const slice = await t.newSlice();
      const res = await t.v2.ListResources(slice.credentials, listOptions(t, { geni_slice_urn: slice.urn }));
      t.verify(res, [either(
        { outcome: 'refused (SEARCHFAILED preferred)', checks: [geniCode.refusal('SEARCHFAILED')] },
        { outcome: 'a manifest with no node or link', checks: [geniCode.success(), rspec.validAs('manifest'), manifest.describesNoResources('value')] },
      )]);
    },
  },
  {
    id: 'am2.listresources.slice-manifest-other-slice-credential',
    requirements: ['v3c.credentials.slice-credential-authorizes'],
    title: "ListResources with geni_slice_urn of one slice and another slice's credential",
    requirement: 'The manifest of a slice needs a credential for that slice; one for another slice is refused (the acceptance suite checks this too)',
    spec: ['credentials#Validation'],
    tags: ['credentials', 'auth', 'errors'],
    async run(t) {
      const { slice } = await createdSlice(t);
      const other = await t.newSlice();
      t.verify(await t.v2.ListResources(other.credentials, listOptions(t, { geni_slice_urn: slice.urn })), [geniCode.refusal('CREDENTIAL_MISMATCH')]);
    },
  },
  {
    id: 'am2.listresources.slice-manifest-user-credential',
    requirements: ['v3c.credentials.slice-credential-authorizes'],
    title: 'ListResources with geni_slice_urn and only the user credential',
    requirement: 'A user credential does not authorise reading a slice manifest; it is refused',
    spec: ['credentials#Validation'],
    tags: ['credentials', 'auth', 'errors'],
    async run(t) {
      const { slice } = await createdSlice(t);
      t.verify(await t.v2.ListResources(t.creds.user(), listOptions(t, { geni_slice_urn: slice.urn })), [geniCode.refusal('CREDENTIAL_MISMATCH')]);
    },
  },
]);
