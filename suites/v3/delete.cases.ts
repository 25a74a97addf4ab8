/**
 * Delete(urns, credentials, options): releases slivers (geni_allocated or geni_provisioned → geni_unallocated) and
 * returns [{geni_sliver_urn, geni_allocation_status: geni_unallocated, geni_expires, geni_error?}]. Deleted slivers
 * are gone: later calls naming them fail, and the slice no longer lists them.
 */
import { envelope, geniCode, manifest, slivers, valueMatches } from '../../src/checks';
import { defineCases } from '../../src/runner/define';
import { MANIFEST, SLIVERS, SLIVER_LIST, allocatedSlice, provisionedSlice, rspecVersion } from './sliver-steps';
import { am3 } from '../../src/runner/am-suites';

export default defineCases(am3, { tags: ['delete', 'destructive'], spec: ['am3#Delete'] }, [
  {
    id: 'am3.delete.returns-unallocated',
    requirements: ['v3.delete.returns-unallocated', 'v3c.states.allocation-states'],
    title: 'Delete a slice with two allocated slivers',
    requirement: 'Succeeds with one entry per deleted sliver, each geni_unallocated',
    level: 'MUST',
    spec: ['am3/common#SliverAllocationStates'],
    tags: ['smoke'],
    async run(t) {
      const { slice, sliverUrns } = await allocatedSlice(t, { nodes: 2 });
      t.verify(await t.am.Delete([slice.urn], slice.credentials, {}), [
        envelope.shape(), geniCode.success(), valueMatches('v3/sliver-list'), slivers.urnsEqual(sliverUrns, SLIVER_LIST),
        slivers.allInState('geni_unallocated', SLIVER_LIST), slivers.noErrorsWithoutBestEffort(SLIVER_LIST),
      ]);
    },
  },
  {
    id: 'am3.delete.provisioned-slivers',
    requirements: ['v3.delete.returns-unallocated', 'v3c.states.allocation-states'],
    title: 'Delete a slice with provisioned slivers',
    requirement: 'Delete applies to provisioned slivers too: each becomes geni_unallocated',
    level: 'MUST',
    spec: ['am3/common#SliverAllocationStates'],
    tags: ['provision'],
    async run(t) {
      const { slice, sliverUrns } = await provisionedSlice(t);
      t.verify(await t.am.Delete([slice.urn], slice.credentials, {}), [
        geniCode.success(), slivers.urnsEqual(sliverUrns, SLIVER_LIST), slivers.allInState('geni_unallocated', SLIVER_LIST),
      ]);
    },
  },
  {
    id: 'am3.delete.status-afterwards',
    requirements: ['v3.delete.no-further-operations', 'v3.urns.unknown-sliver'],
    title: 'Delete a slice, then Status the slice and the deleted sliver',
    requirement: 'The slice has no live slivers (SEARCHFAILED preferred); Status of a deleted sliver is an error (SEARCHFAILED preferred)',
    level: 'MUST',
    spec: ['am3#Status', 'am3/common#ErrorCodes'],
    tags: ['status'],
    detects: ['delete-leaves-sliver-listed'],
    async run(t) {
      const { slice, sliverUrns } = await allocatedSlice(t);
      t.verify(await t.am.Delete([slice.urn], slice.credentials, {}), [geniCode.success()]);
      t.verify(await t.am.Status([slice.urn], slice.credentials, {}), [slivers.noneLive(SLIVERS, { preferSearchFailed: true })]);
      t.verify(await t.am.Status(sliverUrns, slice.credentials, {}), [envelope.shape(), geniCode.refusal('SEARCHFAILED')]);
    },
  },
  {
    id: 'am3.delete.describe-afterwards',
    requirements: ['v3.describe.empty-slice-manifest', 'v3.describe.empty-slice-slivers'],
    title: 'Delete a slice, then Describe it',
    requirement: 'Describe succeeds with a manifest naming no resources and lists no deleted sliver as live',
    level: 'MUST',
    spec: ['am3#Describe'],
    tags: ['describe'],
    detects: ['delete-leaves-sliver-listed'],
    async run(t) {
      const { slice, sliverUrns } = await allocatedSlice(t);
      t.verify(await t.am.Delete([slice.urn], slice.credentials, {}), [geniCode.success()]);
      t.verify(await t.am.Describe([slice.urn], slice.credentials, { geni_rspec_version: rspecVersion(t) }), [
        geniCode.success(), manifest.describesNoResources(MANIFEST), slivers.excludes(sliverUrns, SLIVERS),
      ]);
    },
  },
  {
    id: 'am3.delete.twice-by-sliver-urn',
    requirements: ['v3.delete.no-further-operations', 'v3.urns.unknown-sliver'],
    title: 'Delete the same sliver URNs twice',
    requirement: 'Deleting a sliver that was already deleted is an error (SEARCHFAILED preferred)',
    level: 'MUST',
    spec: ['am3/common#ErrorCodes'],
    tags: ['errors'],
    detects: ['searchfailed-as-empty-success'],
    async run(t) {
      const { slice, sliverUrns } = await allocatedSlice(t);
      t.verify(await t.am.Delete(sliverUrns, slice.credentials, {}), [geniCode.success()]);
      t.verify(await t.am.Delete(sliverUrns, slice.credentials, {}), [envelope.shape(), geniCode.refusal('SEARCHFAILED')]);
    },
  },
  {
    id: 'am3.delete.twice-by-slice-urn',
    requirements: ['v3.delete.empty-list', 'v3.delete.no-further-operations'],
    title: 'Delete the same slice twice',
    requirement: 'The second Delete finds nothing live: SEARCHFAILED (preferred) or success listing no live sliver',
    level: 'MUST',
    spec: ['am3/common#ErrorCodes'],
    tags: ['errors'],
    async run(t) {
      const { slice } = await allocatedSlice(t);
      t.verify(await t.am.Delete([slice.urn], slice.credentials, {}), [geniCode.success()]);
      t.verify(await t.am.Delete([slice.urn], slice.credentials, {}), [envelope.shape(), slivers.noneLive(SLIVER_LIST, { preferSearchFailed: true, spec: 'am3#Delete' })]);
    },
  },
]);
