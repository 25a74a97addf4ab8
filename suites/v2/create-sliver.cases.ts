/**
 * CreateSliver(slice_urn, credentials, rspec, users, options) in AM API v2: value is the manifest, in the format
 * of the request (GENI 3 in, GENI 3 out). A slice that already has slivers here cannot be created again
 * (ALREADYEXISTS); UpdateSliver, where offered, is the way to change it.
 */
import { either, envelope, field, geniCode, manifest, rspec, valueMatches } from '../../src/checks';
import { v2 } from '../../src/checks/v2';
import { defineCases } from '../../src/runner/define';
import { am2 } from '../../src/runner/am-suites';
import {
  BEYOND_CAPACITY_NODES, EMPTY_REQUEST, UNKNOWN_OPTION, createdSlice, manifestOf, statusOf, truncated, withClientIdPrefix,
} from './v2-steps';

export default defineCases(am2, { tags: ['allocate', 'destructive'], spec: ['am2#CreateSliver'] }, [
  {
    id: 'am2.createsliver.returns-manifest',
    requirements: ['v1.createsliver.returns-manifest', 'v2.return.value-on-success'],
    title: 'CreateSliver with a one-node GENI 3 request',
    requirement: 'Succeeds with value the manifest: an XML-RPC string holding a valid GENI 3 manifest RSpec',
    spec: ['am2#ReturnStruct', 'am2/deltas#ChangeSetA'],
    tags: ['smoke', 'rspec'],
    async run(t) {
      const slice = await t.newSlice();
      const res = await t.v2.CreateSliver(slice.urn, slice.credentials, await t.requestRSpec(), [], {});
      t.verify(res, [envelope.shape(), geniCode.success(), field('value').wireType('string'), rspec.validAs('manifest')]);
    },
  },
  {
    id: 'am2.createsliver.manifest-covers-request',
    requirements: ['v1.createsliver.returns-manifest', 'v3c.rspec.request-promise'],
    title: 'CreateSliver with a two-node request',
    requirement: 'The manifest names every node of the request by its client_id',
    tags: ['rspec'],
    async run(t) {
      const slice = await t.newSlice();
      const request = await t.requestRSpec({ nodes: 2 });
      t.verify(await t.v2.CreateSliver(slice.urn, slice.credentials, request, [], {}), [geniCode.success(), manifest.coversRequest(request, 'value')]);
    },
  },
  {
    id: 'am2.createsliver.unbound-request',
    requirements: ['v3c.rspec.request-promise'],
    title: 'CreateSliver with an unbound request (no component_id)',
    requirement: 'The aggregate binds unbound nodes itself and returns a manifest naming them',
    tags: ['rspec'],
    async run(t) {
      const slice = await t.newSlice();
      const request = await t.requestRSpec({ unbound: true });
      t.verify(await t.v2.CreateSliver(slice.urn, slice.credentials, request, [], {}), [geniCode.success(), rspec.validAs('manifest'), manifest.coversRequest(request, 'value')]);
    },
  },
  {
    id: 'am2.createsliver.twice-alreadyexists',
    requirements: ['v2.createsliver.once'],
    title: 'CreateSliver on a slice that already has slivers here',
    requirement: 'A second CreateSliver for the same slice is refused (ALREADYEXISTS) and leaves the slice as it was',
    spec: ['am2#ErrorCodes'],
    tags: ['errors'],
    detects: [{ fault: 'v2-createsliver-twice', check: 'geni-code' }],
    async run(t) {
      const { slice } = await createdSlice(t);
      const before = await manifestOf(t, slice);
      // New client_ids, so the only reason to refuse is that the slice already has slivers here.
      const more = withClientIdPrefix(await t.requestRSpec(), 'again-');
      t.verify(await t.v2.CreateSliver(slice.urn, slice.credentials, more, [], {}), [envelope.shape(), geniCode.refusal('ALREADYEXISTS')]);
      t.verify(await manifestOf(t, slice), [v2.manifestUnchangedSince(before)]);
    },
  },
  {
    id: 'am2.createsliver.empty-users-accepted',
    requirements: ['v1.createsliver.users'],
    title: 'CreateSliver with an empty users array',
    requirement: 'users may be empty (no accounts to install); the call still succeeds',
    async run(t) {
      const slice = await t.newSlice();
      t.verify(await t.v2.CreateSliver(slice.urn, slice.credentials, await t.requestRSpec(), [], {}), [geniCode.success()]);
    },
  },
  {
    id: 'am2.createsliver.unknown-option-ignored',
    requirements: ['v2.options.accepted', 'v2.options.no-required-extras'],
    title: 'CreateSliver with an option the aggregate does not define',
    requirement: 'Unknown options are ignored; the call succeeds',
    spec: ['am2/draft#ChangeSetB'],
    tags: ['options'],
    async run(t) {
      const slice = await t.newSlice();
      t.verify(await t.v2.CreateSliver(slice.urn, slice.credentials, await t.requestRSpec(), [], UNKNOWN_OPTION), [geniCode.success()]);
    },
  },
  {
    id: 'am2.createsliver.malformed-rspec',
    requirements: ['v2.rspec.request-consistent-with-ad', 'v2.return.code-nonzero-on-error'],
    title: 'CreateSliver with a request cut off mid-document',
    requirement: 'A request that is not well-formed XML is refused (BADARGS preferred)',
    spec: ['am2#ErrorCodes'],
    tags: ['errors', 'rspec'],
    async run(t) {
      const slice = await t.newSlice();
      t.verify(await t.v2.CreateSliver(slice.urn, slice.credentials, truncated(await t.requestRSpec()), [], {}), [envelope.shape(), geniCode.refusal('BADARGS')]);
    },
  },
  {
    id: 'am2.createsliver.empty-rspec',
    requirements: ['v2.rspec.request-consistent-with-ad', 'v2.return.code-nonzero-on-error'],
    title: 'CreateSliver with an empty string as the request',
    requirement: 'An empty request is refused (BADARGS preferred), as the acceptance suite demands',
    spec: ['am2#ErrorCodes'],
    tags: ['errors', 'rspec'],
    async run(t) {
      const slice = await t.newSlice();
      t.verify(await t.v2.CreateSliver(slice.urn, slice.credentials, '', [], {}), [geniCode.refusal('BADARGS')]);
    },
  },
  {
    id: 'am2.createsliver.beyond-capacity',
    requirements: ['v1.createsliver.returns-manifest', 'v2.return.code-nonzero-on-error'],
    title: `CreateSliver with ${BEYOND_CAPACITY_NODES} nodes`,
    requirement: 'A request the aggregate cannot satisfy is refused as a whole, and the slice is then left without slivers',
    spec: ['am2#ErrorCodes'],
    tags: ['errors', 'capacity'],
    async run(t) {
      const slice = await t.newSlice();
      t.verify(await t.v2.CreateSliver(slice.urn, slice.credentials, await t.requestRSpec({ nodes: BEYOND_CAPACITY_NODES, beyondCapacity: true }), [], {}), [geniCode.refusal()]);
      t.verify(await t.v2.SliverStatus(slice.urn, slice.credentials, {}), [geniCode.refusal('SEARCHFAILED')]);
    },
  },
  {
    id: 'am2.createsliver.request-without-resources',
    requirements: ['v1.createsliver.returns-manifest'],
    title: 'CreateSliver with a request naming no resources',
    requirement: 'The manifest names "the resources that were allocated to the slice", so a request for nothing reserves nothing: CreateSliver may be refused or succeed (gcf makes an empty sliver, as v3 Allocate may), and SliverStatus afterwards fails (SEARCHFAILED preferred) or lists no resource',
    tags: ['errors', 'rspec'],
    async run(t) {
      const slice = await t.newSlice();
      await t.v2.CreateSliver(slice.urn, slice.credentials, EMPTY_REQUEST, [], {});
      t.verify(await t.v2.SliverStatus(slice.urn, slice.credentials, {}), [either(
        { outcome: 'refused (SEARCHFAILED preferred)', checks: [geniCode.refusal('SEARCHFAILED')] },
        { outcome: 'a status listing no resource', checks: [geniCode.success(), field('value.geni_resources').satisfies((r) => Array.isArray(r) && r.length === 0, 'an empty geni_resources list')] },
      )]);
    },
  },
  {
    id: 'am2.createsliver.then-status',
    requirements: ['v1.sliverstatus.structure', 'v1.createsliver.returns-manifest'],
    title: 'SliverStatus right after CreateSliver of two nodes',
    requirement: 'The slivers CreateSliver made are known: SliverStatus succeeds and lists a resource for each node',
    spec: ['am2#SliverStatus'],
    tags: ['status', 'lifecycle'],
    async run(t) {
      const { slice } = await createdSlice(t, { nodes: 2 });
      t.verify(await statusOf(t, slice), [valueMatches('v2/sliver-status'), field('value.geni_resources').satisfies((r) => Array.isArray(r) && r.length >= 2, 'at least one resource per requested node (2)')]);
    },
  },
]);
