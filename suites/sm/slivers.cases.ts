import { geniCode, sm, slivers } from '../../src/checks';
import { defineCases } from '../../src/runner/define';
import { sm as smSuite } from '../../src/runner/sm-suite';
import { allocatedAt, GENI3, needPeers, peersAt } from './sm-steps';

/*
 * Calls on a slice through the slice manager: each aggregate's answer merged into one (geni_slivers concatenated,
 * manifests merged, statistics per aggregate), with the credential the caller delegated to the SM forwarded.
 */
export default defineCases(smSuite, { spec: ['sfa-sm#Merge'] }, [
  {
    id: 'sm.allocate.slivers-add-up',
    title: 'Allocate of two VMs at each of two aggregates through the slice manager',
    requirement: "The merged geni_slivers hold exactly the slivers the aggregates made (as many as their sum), each URN of the aggregate that made it",
    level: 'MUST',
    tags: ['allocate', 'smoke'],
    detects: [{ fault: 'merge-keeps-last-slivers', check: 'slice-manager' }],
    async run(t) {
      needPeers(t, 2);
      const slice = await t.newSlice();
      const observed = await t.observe(() => t.sm.Allocate(slice.urn, slice.credentials, t.requestFor([0, 1], 2), {}));
      t.verify(observed.response, [geniCode.success(), slivers.sliverUrnsValid('value.geni_slivers')]);
      t.verify(observed, [sm.sliversAddUp('Allocate', t.peers.list)]);
    },
  },
  {
    id: 'sm.allocate.manifest-and-statistics',
    title: 'The manifest Allocate returns through the slice manager',
    requirement: 'The merged manifest is valid GENI v3 once <statistics> is set aside, and its statistics name each aggregate the request went to',
    level: 'MUST',
    spec: ['sfa-sm#Statistics', 'am3/common#RSpecDatatype'],
    tags: ['allocate', 'rspec'],
    async run(t) {
      needPeers(t, 2);
      const { allocate } = await allocatedAt(t, [0, 1]);
      t.verify(allocate, [sm.validBesideStatistics('manifest', 'value.geni_rspec'), sm.statistics('Allocate', peersAt(t, [0, 1]), [], 'value.geni_rspec')]);
    },
  },
  {
    id: 'sm.allocate.forwards-delegated-credential',
    title: 'Allocate with a slice credential delegated to the slice manager',
    requirement: 'The SM forwards the credential the caller delegated to it (owned by its GID, the caller\'s in <parent>), never the caller\'s own',
    level: 'MUST',
    spec: ['sfa-sm#Delegation', 'credentials#Delegation'],
    tags: ['allocate', 'credentials'],
    detects: [{ fault: 'forwards-caller-credentials', check: 'slice-manager' }],
    async run(t) {
      const slice = await t.newSlice();
      const { response, calls } = await t.observe(() => t.sm.Allocate(slice.urn, slice.credentials, t.requestFor([0]), {}));
      t.verify(response, [geniCode.success()]);
      t.verify(calls, [sm.forwardedCredentials('Allocate', t.smInfo.urn ?? '', t.peers.list.length > 0 ? callerUrn(slice.credentials) : undefined, [response.exchangeId])]);
    },
  },
  {
    id: 'sm.allocate.without-delegation',
    title: 'Allocate with only the caller\'s own slice credential',
    requirement: "Without a delegated credential the SM forwards its own, never the caller's (which no aggregate may accept from the SM's certificate), and does not claim success when the aggregates refuse",
    level: 'MUST',
    spec: ['sfa-sm#Delegation'],
    tags: ['allocate', 'credentials'],
    detects: [{ fault: 'forwards-caller-credentials', check: 'slice-manager' }],
    async run(t) {
      const slice = await t.newSlice();
      const { response, calls } = await t.observe(() => t.sm.Allocate(slice.urn, slice.ownCredentials, t.requestFor([0]), {}));
      t.verify(calls, [sm.forwardedCredentials('Allocate', t.smInfo.urn ?? '', undefined, [response.exchangeId])]);
      t.verify(response, [geniCode.refusal()]);
    },
  },
  {
    id: 'sm.provision.slivers-add-up',
    title: 'Provision of a slice allocated at two aggregates',
    requirement: 'Provision merges the aggregates\' manifests and concatenates their geni_slivers',
    level: 'MUST',
    tags: ['provision'],
    async run(t) {
      needPeers(t, 2);
      const { slice } = await allocatedAt(t, [0, 1]);
      const observed = await t.observe(() => t.sm.Provision([slice.urn], slice.credentials, { geni_rspec_version: GENI3 }));
      t.verify(observed.response, [geniCode.success(), sm.validBesideStatistics('manifest', 'value.geni_rspec')]);
      t.verify(observed, [sm.sliversAddUp('Provision', t.peers.list)]);
    },
  },
  {
    id: 'sm.describe.slivers-add-up',
    title: 'Describe of a slice with slivers at two aggregates',
    requirement: 'Describe merges the manifests and concatenates geni_slivers of every aggregate that holds part of the slice',
    level: 'MUST',
    tags: ['describe'],
    detects: [{ fault: 'merge-keeps-last-slivers', check: 'slice-manager' }],
    async run(t) {
      needPeers(t, 2);
      const { slice } = await allocatedAt(t, [0, 1], 2);
      const observed = await t.observe(() => t.sm.Describe([slice.urn], slice.credentials, { geni_rspec_version: GENI3 }));
      t.verify(observed.response, [geniCode.success(), sm.validBesideStatistics('manifest', 'value.geni_rspec')]);
      t.verify(observed, [sm.sliversAddUp('Describe', t.peers.list)]);
    },
  },
  {
    id: 'sm.status.slivers-add-up',
    title: 'Status of a slice with slivers at two aggregates',
    requirement: 'Status concatenates the geni_slivers of every aggregate that holds part of the slice',
    level: 'MUST',
    tags: ['status'],
    detects: [{ fault: 'merge-keeps-last-slivers', check: 'slice-manager' }],
    async run(t) {
      needPeers(t, 2);
      const { slice } = await allocatedAt(t, [0, 1]);
      const observed = await t.observe(() => t.sm.Status([slice.urn], slice.credentials, {}));
      t.verify(observed.response, [geniCode.success(), slivers.sliverUrnsValid('value.geni_slivers')]);
      t.verify(observed, [sm.sliversAddUp('Status', t.peers.list)]);
    },
  },
  {
    id: 'sm.poa.sliver-list',
    title: 'PerformOperationalAction geni_start on a provisioned slice at two aggregates',
    requirement: 'Like any v3 aggregate, the SM returns the list of slivers acted on (concatenated), not a bare 1',
    level: 'MUST',
    spec: ['am3#PerformOperationalAction'],
    tags: ['poa'],
    detects: [{ fault: 'poa-returns-one', check: 'slice-manager' }],
    async run(t) {
      needPeers(t, 2);
      const { slice } = await allocatedAt(t, [0, 1]);
      const provisioned = await t.sm.Provision([slice.urn], slice.credentials, { geni_rspec_version: GENI3 });
      if (provisioned.envelope?.geniCode !== 0) t.skip('precondition: Provision through the slice manager did not succeed');
      const observed = await t.observe(() => t.sm.PerformOperationalAction([slice.urn], slice.credentials, 'geni_start', {}));
      t.verify(observed.response, [geniCode.success(), slivers.sliverUrnsValid('value')]);
      t.verify(observed, [sm.sliversAddUp('PerformOperationalAction', t.peers.list, 'value')]);
    },
  },
  {
    id: 'sm.delete.slivers-add-up',
    title: 'Delete of a slice with slivers at two aggregates',
    requirement: 'Delete concatenates the aggregates\' lists of deleted slivers',
    level: 'MUST',
    tags: ['delete'],
    async run(t) {
      needPeers(t, 2);
      const { slice } = await allocatedAt(t, [0, 1]);
      const observed = await t.observe(() => t.sm.Delete([slice.urn], slice.credentials, {}));
      t.verify(observed.response, [geniCode.success(), slivers.sliverUrnsValid('value')]);
      t.verify(observed, [sm.sliversAddUp('Delete', t.peers.list, 'value')]);
    },
  },
]);

/** The owner of the first credential: the caller who delegated. */
function callerUrn(credentials: unknown[]): string | undefined {
  const first = credentials[0] as { geni_value?: string } | undefined;
  return /<owner_urn>([^<]+)<\/owner_urn>/.exec(first?.geni_value ?? '')?.[1];
}
