/**
 * Delete(urns, credentials, options): releases slivers (geni_allocated or geni_provisioned → geni_unallocated) and
 * returns [{geni_sliver_urn, geni_allocation_status: geni_unallocated, geni_expires, geni_error?}]. Deleted slivers
 * are gone: later calls naming them fail, and the slice no longer lists them.
 */
import { envelope, geniCode, manifest, slivers, valueMatches } from '../../src/checks';
import { defineCases } from '../../src/runner/define';
import { MANIFEST, SLIVERS, SLIVER_LIST, allocatedSlice, provisionedSlice, rfc3339, rspecVersion, secondsFromNow } from './sliver-steps';
import { am3 } from '../../src/runner/am-suites';

export default defineCases(am3, { tags: ['delete', 'destructive'], spec: ['am3#Delete'] }, [
  {
    id: 'am3.delete.returns-unallocated',
    requirements: ['v3.delete.returns-unallocated', 'v3c.states.allocation-states'],
    title: 'Delete a slice with two allocated slivers',
    requirement: 'Succeeds with one entry per deleted sliver, each geni_unallocated',
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
    requirements: ['v3.delete.no-further-operations'],
    title: 'Delete a slice, then Status the slice and the deleted sliver',
    requirement: 'The slice has no live slivers (SEARCHFAILED preferred); Status of a deleted sliver is an error (SEARCHFAILED preferred)',
    spec: ['am3#Status', 'am3/common#ErrorCodes'],
    tags: ['status'],
    detects: [{ fault: 'delete-leaves-sliver-listed', check: 'sliver-list' }],
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
    spec: ['am3#Describe'],
    tags: ['describe'],
    detects: [{ fault: 'delete-leaves-sliver-listed', check: 'sliver-urns' }, { fault: 'describe-empty-slice-searchfailed', check: 'geni-code' }],
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
    requirements: ['v3.delete.no-further-operations'],
    title: 'Delete the same sliver URNs twice',
    requirement: 'Deleting a sliver that was already deleted is an error (SEARCHFAILED preferred)',
    spec: ['am3/common#ErrorCodes'],
    tags: ['errors'],
    detects: [{ fault: 'searchfailed-as-empty-success', check: 'geni-code' }],
    async run(t) {
      const { slice, sliverUrns } = await allocatedSlice(t);
      t.verify(await t.am.Delete(sliverUrns, slice.credentials, {}), [geniCode.success()]);
      t.verify(await t.am.Delete(sliverUrns, slice.credentials, {}), [envelope.shape(), geniCode.refusal('SEARCHFAILED')]);
    },
  },
  {
    id: 'am3.delete.describe-deleted-sliver',
    requirements: ['v3.describe.deleted-sliver'],
    title: 'Delete a sliver, then Describe it by its sliver URN',
    requirement: 'Describing a deleted sliver "shall result in an error (e.g. SEARCHFAILED or EXPIRED or ERROR)": any non-zero geni_code, never a success',
    spec: ['am3#Describe', 'am3/common#ErrorCodes'],
    tags: ['describe', 'errors'],
    detects: [{ fault: 'delete-leaves-sliver-listed', check: 'geni-code' }],
    async run(t) {
      const { slice, sliverUrns } = await allocatedSlice(t);
      t.verify(await t.am.Delete(sliverUrns, slice.credentials, {}), [geniCode.success()]);
      t.verify(await t.am.Describe(sliverUrns, slice.credentials, { geni_rspec_version: rspecVersion(t) }), [envelope.shape(), geniCode.refusal()]);
    },
  },
  {
    id: 'am3.delete.renew-deleted-sliver',
    requirements: ['v3.renew.deleted-sliver'],
    title: 'Delete a sliver, then Renew it by its sliver URN',
    requirement: 'Renewing a deleted sliver "shall result in an error (either SEARCHFAILED or EXPIRED)"',
    spec: ['am3#Renew', 'am3/common#ErrorCodes'],
    tags: ['renew', 'errors'],
    detects: [{ fault: 'delete-leaves-sliver-listed', check: 'geni-code' }],
    async run(t) {
      const { slice, sliverUrns } = await allocatedSlice(t);
      t.verify(await t.am.Delete(sliverUrns, slice.credentials, {}), [geniCode.success()]);
      t.verify(await t.am.Renew(sliverUrns, slice.credentials, rfc3339(secondsFromNow(600)), {}), [envelope.shape(), geniCode.refusal('SEARCHFAILED', 'EXPIRED')]);
    },
  },
  {
    id: 'am3.delete.sliver-urns-not-reused',
    requirements: ['id.sliver.names-unique'],
    title: 'Allocate, Delete, then Allocate the same request into the same slice',
    requirement: 'Sliver names "must be unique over time within that AM": the new slivers get URNs the deleted ones never had',
    spec: ['identifiers#SliverNames', 'am3#Allocate'],
    tags: ['allocate'],
    async run(t) {
      const { slice, request, sliverUrns } = await allocatedSlice(t);
      t.verify(await t.am.Delete([slice.urn], slice.credentials, {}), [geniCode.success()]);
      const again = await t.am.Allocate(slice.urn, slice.credentials, request, {});
      if (again.envelope?.geniCode !== 0) t.skip(`precondition: the second Allocate of the same request was refused (exchange ${again.exchangeId})`);
      t.verify(again, [slivers.nonEmpty(SLIVERS), slivers.urnsNew(sliverUrns, SLIVERS)]);
    },
  },
  {
    id: 'am3.delete.twice-by-slice-urn',
    requirements: ['v3.delete.empty-list', 'v3.delete.no-further-operations'],
    title: 'Delete the same slice twice',
    requirement: 'The second Delete finds nothing live: SEARCHFAILED (preferred) or success listing no live sliver',
    spec: ['am3/common#ErrorCodes'],
    tags: ['errors'],
    async run(t) {
      const { slice } = await allocatedSlice(t);
      t.verify(await t.am.Delete([slice.urn], slice.credentials, {}), [geniCode.success()]);
      t.verify(await t.am.Delete([slice.urn], slice.credentials, {}), [envelope.shape(), slivers.noneLive(SLIVER_LIST, { preferSearchFailed: true, spec: 'am3#Delete' })]);
    },
  },
]);
