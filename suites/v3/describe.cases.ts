/**
 * Describe(urns, credentials, options): {geni_rspec: manifest, geni_urn: slice URN, geni_slivers}. geni_rspec_version
 * is required; geni_compressed asks for a zlib-compressed, base64-encoded manifest string.
 */
import { envelope, field, geniCode, manifest, rspec, sliverUrnsOf, slivers, valueMatches } from '../../src/checks';
import { defineCases } from '../../src/runner/define';
import { am3 } from '../../src/runner/am-suites';
import {
  MANIFEST, SLIVERS, allocatedSlice, provisionedSlice, retyped, rspecVersion, statusOf, unknownSliverUrn,
} from './sliver-steps';

export default defineCases(am3, { tags: ['describe'], spec: ['am3#Describe'] }, [
  {
    id: 'am3.describe.manifest-valid',
    requirements: ['v3c.rspec.describe-promise', 'v3.describe.value-structure', 'v3.describe.single-manifest'],
    title: 'Describe a slice with two provisioned, linked nodes',
    requirement: 'Succeeds with {geni_rspec, geni_urn, geni_slivers}; geni_rspec is a valid manifest covering the request, each node with its sliver_id',
    spec: ['am3/common#RSpecDatatype'],
    tags: ['rspec', 'smoke', 'destructive'],
    detects: [{ fault: 'manifest-missing-sliver-id', check: 'manifest-sliver-ids' }],
    async run(t) {
      const { slice, request } = await provisionedSlice(t, { nodes: 2, links: 1 });
      t.verify(await t.am.Describe([slice.urn], slice.credentials, { geni_rspec_version: rspecVersion(t) }), [
        envelope.shape(), geniCode.success(), valueMatches('v3/describe-value'), rspec.validAs('manifest', MANIFEST),
        manifest.coversRequest(request, MANIFEST), manifest.namesSlivers(MANIFEST, 'am3#Describe'),
      ]);
    },
  },
  {
    id: 'am3.describe.names-the-slice',
    requirements: ['v3.describe.value-structure', 'id.slice.urn-format'],
    title: 'Describe a slice and read geni_urn',
    requirement: 'geni_urn is the URN of the slice described',
    tags: ['destructive'],
    detects: [{ fault: 'describe-wrong-slice-urn', check: 'field' }],
    // Only reads the slice: the run's shared one serves (src/runner/shared-fixtures.ts).
    needs: ['reserved-slice'],
    async run(t) {
      const slice = await t.sharedSlice('reserved-slice');
      t.verify(await t.am.Describe([slice.urn], slice.credentials, { geni_rspec_version: rspecVersion(t) }), [
        geniCode.success(), field('value.geni_urn').equals(slice.urn),
      ]);
    },
  },
  {
    id: 'am3.describe.slivers-match-status',
    requirements: ['v3.describe.value-structure'],
    title: 'Describe and Status the same slice',
    requirement: 'Describe lists the same slivers as Status',
    spec: ['am3#Status'],
    tags: ['status', 'destructive'],
    async run(t) {
      const { slice } = await allocatedSlice(t, { nodes: 2 });
      const status = await statusOf(t, slice);
      t.verify(await t.am.Describe([slice.urn], slice.credentials, { geni_rspec_version: rspecVersion(t) }), [
        geniCode.success(), slivers.urnsEqual(sliverUrnsOf(status, SLIVERS), SLIVERS),
      ]);
    },
  },
  {
    id: 'am3.describe.compressed-round-trip',
    requirements: ['v3.describe.options-honored', 'v3d.listresources.compressed'],
    title: 'Describe a slice with and without geni_compressed',
    requirement: 'With geni_compressed the manifest is zlib-compressed and base64-encoded, and decodes to the same slivers',
    spec: ['am3/common#geni_compressed'],
    tags: ['compression', 'options', 'destructive'],
    detects: [{ fault: 'ignores-compressed', check: 'compression' }],
    needs: ['reserved-slice'],
    async run(t) {
      const slice = await t.sharedSlice('reserved-slice');
      const plain = await t.am.Describe([slice.urn], slice.credentials, { geni_rspec_version: rspecVersion(t) });
      const compressed = await t.am.Describe([slice.urn], slice.credentials, { geni_rspec_version: rspecVersion(t), geni_compressed: true });
      t.verify(plain, [geniCode.success()]);
      t.verify(compressed, [geniCode.success(), manifest.compressedMatches(plain, MANIFEST)]);
    },
  },
  {
    id: 'am3.describe.requires-rspec-version',
    requirements: ['v3.describe.rspec-version-required'],
    title: 'Describe without the geni_rspec_version option',
    requirement: 'geni_rspec_version is required: refused (BADARGS preferred)',
    spec: ['am3/common#geni_rspec_version'],
    tags: ['options', 'errors', 'destructive'],
    needs: ['reserved-slice'],
    async run(t) {
      const slice = await t.sharedSlice('reserved-slice');
      t.verify(await t.am.Describe([slice.urn], slice.credentials, {}), [envelope.shape(), geniCode.refusal('BADARGS')]);
    },
  },
  {
    id: 'am3.describe.empty-slice',
    requirements: ['v3.describe.empty-slice-manifest', 'v3.describe.empty-slice-slivers'],
    title: 'Describe a slice that has no slivers at this aggregate',
    requirement: 'Succeeds with a valid manifest naming no node or link; geni_slivers lists no live sliver',
    spec: ['am3/common#RSpecDatatype'],
    tags: ['rspec'],
    detects: [{ fault: 'describe-empty-slice-searchfailed', check: 'geni-code' }],
    async run(t) {
      const slice = await t.newSlice();
      t.verify(await t.am.Describe([slice.urn], slice.credentials, { geni_rspec_version: rspecVersion(t) }), [
        envelope.shape(), geniCode.success(), rspec.validAs('manifest', MANIFEST), manifest.describesNoResources(MANIFEST),
        slivers.noneLive(SLIVERS, { spec: 'am3#Describe' }),
      ]);
    },
  },
  {
    id: 'am3.describe.rejects-node-urn',
    requirements: ['v3.describe.unknown-sliver'],
    title: 'Describe a sliver URN rewritten to type node',
    requirement: 'urns holds a slice URN or sliver URNs; anything else is refused (BADARGS or SEARCHFAILED)',
    spec: ['am3/common#URNs', 'am3/common#ErrorCodes'],
    tags: ['errors', 'destructive'],
    // Only reads the slice: the run's shared one serves (src/runner/shared-fixtures.ts).
    needs: ['reserved-slice'],
    async run(t) {
      const slice = await t.sharedSlice('reserved-slice');
      const res = await t.am.Describe(slice.sliverUrns.slice(0, 1).map((u) => retyped(u, 'node')), slice.credentials, { geni_rspec_version: rspecVersion(t) });
      t.verify(res, [envelope.shape(), geniCode.refusal('BADARGS', 'SEARCHFAILED')]);
    },
  },
  {
    id: 'am3.describe.unknown-sliver',
    requirements: ['v3.describe.unknown-sliver'],
    title: 'Describe a sliver URN of this aggregate that names no sliver',
    requirement: 'Unknown slivers are an error (SEARCHFAILED), never a success that silently leaves them out',
    spec: ['am3/common#ErrorCodes'],
    tags: ['errors', 'destructive'],
    detects: [{ fault: 'searchfailed-as-empty-success', check: 'geni-code' }],
    // Only reads the slice: the run's shared one serves (src/runner/shared-fixtures.ts).
    needs: ['reserved-slice'],
    async run(t) {
      const slice = await t.sharedSlice('reserved-slice');
      const res = await t.am.Describe([unknownSliverUrn(t, slice.sliverUrns)], slice.credentials, { geni_rspec_version: rspecVersion(t) });
      t.verify(res, [envelope.shape(), geniCode.refusal('SEARCHFAILED')]);
    },
  },
]);
