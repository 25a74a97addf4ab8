/**
 * Status(urns, credentials, options): {geni_urn: slice URN, geni_slivers: [{geni_sliver_urn, geni_allocation_status,
 * geni_operational_status, geni_expires, geni_error}]}. geni_error is required in Status (it may be empty).
 */
import { dates, envelope, field, geniCode, slivers, valueMatches } from '../../src/checks';
import { defineCases } from '../../src/runner/define';
import { SLIVERS, allocatedSlice, unknownSliverUrn } from './sliver-steps';
import { am3 } from '../../src/runner/am-suites';

export default defineCases(am3, { tags: ['status'], spec: ['am3#Status'] }, [
  {
    id: 'am3.status.value-shape',
    requirements: ['v3.status.value-structure', 'v3c.dates.rfc3339'],
    title: 'Status of a slice with one reserved sliver',
    requirement: 'Succeeds with {geni_urn, geni_slivers}; each sliver has its URN, both states, and geni_expires as RFC 3339',
    spec: ['am3/common#Dates'],
    tags: ['smoke', 'destructive'],
    detects: [{ fault: 'expires-not-rfc3339', check: 'rfc3339' }],
    // Only reads the slice: the run's shared one serves (src/runner/shared-fixtures.ts).
    needs: ['reserved-slice'],
    async run(t) {
      const slice = await t.sharedSlice('reserved-slice');
      t.verify(await t.am.Status([slice.urn], slice.credentials, {}), [
        envelope.shape(), geniCode.success(), valueMatches('v3/status-value'), slivers.sliverUrnsValid(SLIVERS),
        dates.rfc3339('value.geni_slivers[*].geni_expires'),
      ]);
    },
  },
  {
    id: 'am3.status.names-the-slice',
    requirements: ['v3.status.value-structure', 'id.slice.urn-format'],
    title: 'Status of a slice and read geni_urn',
    requirement: 'geni_urn is the URN of the slice asked about',
    tags: ['destructive'],
    needs: ['reserved-slice'],
    async run(t) {
      const slice = await t.sharedSlice('reserved-slice');
      t.verify(await t.am.Status([slice.urn], slice.credentials, {}), [geniCode.success(), field('value.geni_urn').equals(slice.urn)]);
    },
  },
  {
    id: 'am3.status.slice-name-case-preserved',
    requirements: ['id.slice.name-case'],
    title: 'Status of a slice whose name mixes upper and lower case',
    requirement: 'Slice names compare without case but "servers should preserve the case": geni_urn spells the name as given',
    spec: ['identifiers#SliceNames'],
    tags: ['destructive'],
    async run(t) {
      // Upper and lower case, unique per case run (the seed) and per run (the clock), within the 19 characters.
      const name = `GhCase${(t.seed % 1296).toString(36).padStart(2, '0')}${Date.now().toString(36).slice(-6)}`.slice(0, 19);
      const { slice } = await allocatedSlice(t, { slice: await t.newSlice({ name }) });
      t.verify(await t.am.Status([slice.urn], slice.credentials, {}), [geniCode.success(), field('value.geni_urn').equals(slice.urn)]);
    },
  },
  {
    id: 'am3.status.authority-case-insensitive',
    requirements: ['id.authority.case'],
    title: 'Status of a slice named by its URN with the authority in upper case',
    requirement: 'Authority strings "are to be treated as case insensitive for comparison purposes": the upper-cased URN names the same slice, which the slice credential covers',
    spec: ['identifiers#URNs'],
    tags: ['destructive'],
    // Only reads the slice: the run's shared one serves (src/runner/shared-fixtures.ts).
    needs: ['reserved-slice'],
    async run(t) {
      const slice = await t.sharedSlice('reserved-slice');
      const { sliverUrns } = slice;
      const [head = '', authority = '', ...rest] = slice.urn.split('+');
      if (authority === authority.toUpperCase()) t.skip('the slice authority has no lower-case letter to change');
      const res = await t.am.Status([[head, authority.toUpperCase(), ...rest].join('+')], slice.credentials, {});
      t.verify(res, [geniCode.success(), slivers.urnsEqual(sliverUrns, SLIVERS)]);
    },
  },
  {
    id: 'am3.status.geni-error-present',
    requirements: ['v3c.geni-error.required-in-status', 'v3c.geni-error.string-not-null'],
    title: 'Status of a slice and look for geni_error on each sliver',
    requirement: 'Every sliver in a Status answer carries geni_error, a string that may be empty',
    spec: ['am3/common#geni_error'],
    tags: ['destructive'],
    detects: [{ fault: 'status-omits-geni-error', check: 'sliver-error-field' }],
    needs: ['reserved-slice'],
    async run(t) {
      const slice = await t.sharedSlice('reserved-slice');
      t.verify(await t.am.Status([slice.urn], slice.credentials, {}), [geniCode.success(), slivers.errorFieldPresent(SLIVERS)]);
    },
  },
  {
    id: 'am3.status.after-allocate',
    requirements: ['v3c.states.allocation-states', 'v3.status.value-structure'],
    title: 'Allocate, then Status the slice',
    requirement: 'Status lists exactly the allocated slivers, each geni_allocated',
    spec: ['am3/common#SliverAllocationStates'],
    tags: ['allocate', 'destructive'],
    async run(t) {
      const { slice, sliverUrns } = await allocatedSlice(t);
      t.verify(await t.am.Status([slice.urn], slice.credentials, {}), [
        geniCode.success(), slivers.urnsEqual(sliverUrns, SLIVERS), slivers.allInState('geni_allocated', SLIVERS),
      ]);
    },
  },
  {
    id: 'am3.status.after-provision',
    requirements: ['v3c.states.allocation-states', 'v3.status.value-structure'],
    title: 'Allocate and Provision, then Status the slice',
    requirement: 'Status lists exactly the provisioned slivers, each geni_provisioned',
    spec: ['am3/common#SliverAllocationStates'],
    tags: ['provision', 'destructive'],
    detects: [{ fault: 'status-wrong-state-after-provision', check: 'sliver-allocation-state' }],
    // The run's shared reserved slice is such a slice (Allocate, then Provision), and Status only reads it.
    needs: ['reserved-slice'],
    async run(t) {
      const slice = await t.sharedSlice('reserved-slice');
      const { sliverUrns } = slice;
      t.verify(await t.am.Status([slice.urn], slice.credentials, {}), [
        geniCode.success(), slivers.urnsEqual(sliverUrns, SLIVERS), slivers.allInState('geni_provisioned', SLIVERS),
      ]);
    },
  },
  {
    id: 'am3.status.empty-slice',
    requirements: ['v3.status.value-structure'],
    title: 'Status of a slice that has no slivers at this aggregate',
    requirement: 'SEARCHFAILED (preferred) or success listing no live sliver',
    spec: ['am3/common#ErrorCodes'],
    tags: ['errors'],
    async run(t) {
      const slice = await t.newSlice();
      t.verify(await t.am.Status([slice.urn], slice.credentials, {}), [envelope.shape(), slivers.noneLive(SLIVERS, { preferSearchFailed: true })]);
    },
  },
  {
    id: 'am3.status.one-sliver',
    requirements: ['v3c.allocate.single-allocation'],
    title: 'Status naming one sliver of a two-sliver slice',
    requirement: 'Status accepts sliver URNs and reports only the slivers named',
    spec: ['am3/common#geni_single_allocation'],
    tags: ['single-sliver', 'destructive'],
    async run(t) {
      const { slice, sliverUrns } = await allocatedSlice(t, { nodes: 2 });
      const named = sliverUrns.slice(0, 1);
      t.verify(await t.am.Status(named, slice.credentials, {}), [geniCode.success(), slivers.urnsEqual(named, SLIVERS)]);
    },
  },
  {
    id: 'am3.status.unknown-sliver',
    requirements: ['v3c.credentials.slivers-of-one-slice'],
    title: 'Status of a sliver URN of this aggregate that names no sliver',
    requirement: 'A sliver URN that names no sliver belongs to no slice the credentials give access to: refused (SEARCHFAILED preferred, the code Describe and Renew name for an unknown sliver; another code warns only under --strict), never a success that leaves it out',
    spec: ['am3/common#Credentials', 'am3/common#ErrorCodes'],
    tags: ['errors', 'destructive'],
    detects: [{ fault: 'searchfailed-as-empty-success', check: 'geni-code' }],
    // Only reads the slice: the run's shared one serves (src/runner/shared-fixtures.ts).
    needs: ['reserved-slice'],
    async run(t) {
      const slice = await t.sharedSlice('reserved-slice');
      t.verify(await t.am.Status([unknownSliverUrn(t, slice.sliverUrns)], slice.credentials, {}), [envelope.shape(), geniCode.refusal('SEARCHFAILED')]);
    },
  },
]);
