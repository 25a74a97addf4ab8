/**
 * UpdateSliver(slice_urn, credentials, rspec, users, options): draft change set C, proposed for v2. The rspec is
 * the complete new end state of the slice at this aggregate; the aggregate adds, removes and modifies resources to
 * match it, atomically (a request that cannot be met in full fails and leaves the slice unchanged), and returns
 * the new manifest. The method is optional: an aggregate that does not advertise it is `unsupported`, never failed.
 */
import { envelope, field, geniCode, rspec } from '../../src/checks';
import { v2 } from '../../src/checks/v2';
import type { AmResponse } from '../../src/geni/methods';
import { defineCases } from '../../src/runner/define';

import type { CreatedSlice } from './v2-steps';
import { am2, type AmCaseContext } from '../../src/runner/am-suites';
import {
  BEYOND_CAPACITY_NODES, createdSlice, firstNodes, manifestOf, movedFirstNode, precondition, statusOf, truncated, withNodesOf,
} from './v2-steps';

const METHOD = 'UpdateSliver';

/** The precondition of every case here: the aggregate advertises the draft method. */
function requireUpdateSliver(t: AmCaseContext): void {
  if (!t.version.extraMethods.includes(METHOD)) t.unsupported(`the aggregate does not advertise ${METHOD} (draft change set C)`);
}

async function update(t: AmCaseContext, s: CreatedSlice, request: string): Promise<AmResponse> {
  return t.v2.UpdateSliver(s.slice.urn, s.slice.credentials, request, [], {});
}

/** Before and after a refused update: the manifest and SliverStatus must be what they were. */
async function verifyUnchanged(t: AmCaseContext, s: CreatedSlice, refusedRequest: string): Promise<void> {
  const manifestBefore = await manifestOf(t, s.slice);
  const statusBefore = await statusOf(t, s.slice);
  t.verify(await update(t, s, refusedRequest), [envelope.shape(), geniCode.refusal()]);
  t.verify(await manifestOf(t, s.slice), [v2.manifestUnchangedSince(manifestBefore)]);
  t.verify(await statusOf(t, s.slice), [v2.resourcesUnchangedSince(statusBefore)]);
}

export default defineCases(am2, { tags: ['allocate', 'destructive'], spec: ['am2/draft#UpdateSliver'] }, [
  {
    id: 'am2.updatesliver.adds-node',
    requirements: ['draft-c.update.adds-removes-modifies', 'draft-c.update.complete-end-state'],
    title: 'UpdateSliver of a one-node slice with a two-node request',
    requirement: 'The request is the complete end state: the missing node is added, the manifest returned and the slice manifest afterwards describe both',
    tags: ['rspec'],
    async run(t) {
      requireUpdateSliver(t);
      const full = await t.requestRSpec({ nodes: 2 });
      const created = await createdSlice(t);
      const target = withNodesOf(created.request, firstNodes(full, 1), 'added-');
      t.verify(await update(t, created, target), [envelope.shape(), geniCode.success(), rspec.validAs('manifest'), v2.manifestMatchesRequest(target)]);
      t.verify(await manifestOf(t, created.slice), [v2.manifestMatchesRequest(target)]);
    },
  },
  {
    id: 'am2.updatesliver.removes-node',
    requirements: ['draft-c.update.adds-removes-modifies', 'draft-c.update.complete-end-state'],
    title: 'UpdateSliver of a two-node slice with a request for its first node only',
    requirement: 'A resource the new request leaves out is released: the manifest describes only what remains',
    tags: ['rspec'],
    async run(t) {
      requireUpdateSliver(t);
      const created = await createdSlice(t, { nodes: 2 });
      const target = firstNodes(created.request, 1);
      t.verify(await update(t, created, target), [geniCode.success(), v2.manifestMatchesRequest(target)]);
      t.verify(await manifestOf(t, created.slice), [v2.manifestMatchesRequest(target)]);
      t.verify(await statusOf(t, created.slice), [field('value.geni_resources').satisfies((r) => Array.isArray(r) && r.length === 1, 'exactly one resource')]);
    },
  },
  {
    id: 'am2.updatesliver.modifies-node',
    requirements: ['draft-c.update.adds-removes-modifies', 'draft-c.update.complete-end-state'],
    title: 'UpdateSliver moving a node to another component',
    requirement: 'A resource whose request changes is modified to match: the manifest shows the node on the newly requested component',
    tags: ['rspec'],
    async run(t) {
      requireUpdateSliver(t);
      const twoHosts = await t.requestRSpec({ nodes: 2 });
      const slice = await t.newSlice();
      const original = firstNodes(twoHosts, 1);
      const created = { slice, request: original, create: await t.v2.CreateSliver(slice.urn, slice.credentials, original, [], {}) };
      precondition(t, created.create, 'CreateSliver');
      const moved = movedFirstNode(twoHosts);
      if (moved === original) t.skip('precondition: the advertisement offers one component for this sliver type, so there is nowhere to move the node');
      t.verify(await update(t, created, moved), [geniCode.success(), v2.manifestMatchesRequest(moved)]);
      t.verify(await manifestOf(t, slice), [v2.manifestMatchesRequest(moved)]);
    },
  },
  {
    id: 'am2.updatesliver.same-request-keeps-slice',
    requirements: ['draft-c.update.complete-end-state'],
    title: 'UpdateSliver with the request the slice was created from',
    requirement: 'An end state equal to the current one changes nothing and succeeds',
    async run(t) {
      requireUpdateSliver(t);
      const created = await createdSlice(t, { nodes: 2 });
      const before = await manifestOf(t, created.slice);
      t.verify(await update(t, created, created.request), [geniCode.success(), v2.manifestMatchesRequest(created.request)]);
      t.verify(await manifestOf(t, created.slice), [v2.manifestUnchangedSince(before)]);
    },
  },
  {
    id: 'am2.updatesliver.atomic-beyond-capacity',
    requirements: ['draft-c.update.atomic'],
    title: `UpdateSliver adding ${BEYOND_CAPACITY_NODES} nodes to a one-node slice`,
    requirement: 'Atomic: a request that cannot be met in full fails, and the slice keeps exactly the resources it had (manifest and SliverStatus unchanged)',
    tags: ['errors', 'capacity'],
    detects: [{ fault: 'updatesliver-not-atomic', check: 'manifest-client-ids' }],
    async run(t) {
      requireUpdateSliver(t);
      const created = await createdSlice(t);
      await verifyUnchanged(t, created, withNodesOf(created.request, await t.requestRSpec({ nodes: BEYOND_CAPACITY_NODES, beyondCapacity: true }), 'more-'));
    },
  },
  {
    id: 'am2.updatesliver.atomic-remove-and-overflow',
    requirements: ['draft-c.update.atomic'],
    title: `UpdateSliver dropping one of two nodes and adding ${BEYOND_CAPACITY_NODES}`,
    requirement: 'Atomic: when the additions cannot be met, the removal the same request asks for does not happen either',
    tags: ['errors'],
    detects: [{ fault: 'updatesliver-not-atomic', check: 'manifest-client-ids' }],
    async run(t) {
      requireUpdateSliver(t);
      const created = await createdSlice(t, { nodes: 2 });
      await verifyUnchanged(t, created, withNodesOf(firstNodes(created.request, 1), await t.requestRSpec({ nodes: BEYOND_CAPACITY_NODES, beyondCapacity: true }), 'more-'));
    },
  },
  {
    id: 'am2.updatesliver.atomic-malformed',
    requirements: ['draft-c.update.atomic'],
    title: 'UpdateSliver with a request cut off mid-document',
    requirement: 'A request that is not well-formed XML is refused and the slice is left as it was',
    tags: ['errors', 'rspec'],
    async run(t) {
      requireUpdateSliver(t);
      const created = await createdSlice(t);
      await verifyUnchanged(t, created, truncated(created.request));
    },
  },
  {
    id: 'am2.updatesliver.slice-without-slivers',
    requirements: ['draft-c.update.adds-removes-modifies'],
    title: 'UpdateSliver of a slice with no slivers here',
    requirement: 'There is nothing to update: the call is refused (SEARCHFAILED preferred), CreateSliver being the way to start',
    tags: ['errors'],
    async run(t) {
      requireUpdateSliver(t);
      const slice = await t.newSlice();
      t.verify(await t.v2.UpdateSliver(slice.urn, slice.credentials, await t.requestRSpec(), [], {}), [envelope.shape(), geniCode.refusal('SEARCHFAILED')]);
    },
  },
  {
    id: 'am2.updatesliver.other-slice-credential',
    requirements: ['v3c.credentials.slice-credential-authorizes', 'draft-c.update.atomic'],
    title: "UpdateSliver with another slice's credential",
    requirement: 'Changing a slice needs a credential for it: another slice credential is refused (CREDENTIAL_MISMATCH preferred) and nothing changes',
    spec: ['credentials#Validation'],
    tags: ['credentials', 'auth', 'errors'],
    async run(t) {
      requireUpdateSliver(t);
      const created = await createdSlice(t);
      const before = await manifestOf(t, created.slice);
      const other = await t.creds.otherSlice(created.slice);
      t.verify(await t.v2.UpdateSliver(created.slice.urn, other, firstNodes(created.request, 0), [], {}), [geniCode.refusal('CREDENTIAL_MISMATCH')]);
      t.verify(await manifestOf(t, created.slice), [v2.manifestUnchangedSince(before)]);
    },
  },
]);

