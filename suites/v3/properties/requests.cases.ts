/**
 * Properties of Allocate over generated request RSpecs bound to the target's own advertisement: what fits is
 * allocated and described by a valid manifest; what is invalid, or beyond capacity, is refused whole and changes
 * nothing. Each generated request gets a fresh slice, released after it.
 */
import fc from 'fast-check';
import { mutatedRequestRSpec, requestRSpec, type RSpecMutationKind } from '../../../generators';
import { envelope, geniCode, manifest, rspec, slivers, time } from '../../../src/checks';
import { properties } from '../../../src/checks/properties';
import { defineCases } from '../../../src/runner/define';
import { serializeRequest } from '../../../src/rspec';
import { MANIFEST, SLIVERS, rspecVersion } from '../sliver-steps';
import { describeRequest, fittingRequests, judge, readTargetAdvertisement, sharedSliverType, requireStep, unboundRequest } from './property-steps';
import { am3 } from '../../../src/runner/am-suites';

/**
 * Mutations every aggregate must refuse. Left out: unknown core elements and attributes and one-ended links, which
 * a lenient reader may ignore without misreading the request (the spec asks for schema-valid RSpecs, not for
 * aggregates that reject whatever a schema would).
 */
const MUST_REFUSE: readonly RSpecMutationKind[] = [
  'missing-node-client-id', 'duplicate-client-id', 'dangling-interface-ref', 'wrong-root-type', 'wrong-namespace', 'bad-boolean',
  'truncated', 'doctype-inserted',
];

export default defineCases(am3, { tags: ['property', 'allocate', 'rspec', 'destructive'], spec: ['am3#Allocate'] }, [
  {
    id: 'am3.property.fitting-request-allocated',
    requirements: ['v3d.allocate.satisfied-or-error', 'v3c.rspec.request-promise', 'v3c.expiry.within-credential'],
    title: 'Allocate generated request RSpecs that fit the advertised capacity',
    // "If the request can be completely satisfied, the manifest RSpec is returned" (DETAILS, Allocate). What can be
    // satisfied is what the advertisement promises: <available now="true"/> is "Whether the component can be
    // allocated now" (GENI 3 ad schema), one sliver; a shared node more only where the advertisement states a count.
    requirement: 'A valid request that asks no more than the advertisement promises (available nodes; one sliver each unless it states a count; unbound nodes of one advertised type, with room wherever they may be placed) is allocated: SUCCESS, every sliver geni_allocated, a valid manifest covering every requested node and link, expiry within the slice credential',
    spec: ['am3/common#RSpecDatatype', 'am3/common#SliverExpiration'],
    async run(t) {
      const ad = await readTargetAdvertisement(t);
      const check = judge(t, 'am3#Allocate');
      await t.property({
        arbitrary: fc.oneof(
          fittingRequests(t, ad, { bound: true, nodes: { min: 1, max: 4 } }),
          fittingRequests(t, ad, { bound: 'mixed', nodes: { min: 1, max: 4 }, withExtensions: true }),
        ),
        describe: describeRequest,
        async check(model, scope) {
          const slice = await scope.newSlice();
          const xml = serializeRequest(model);
          const res = await scope.am.Allocate(slice.urn, slice.credentials, xml, {});
          return check(res, [
            envelope.shape(), geniCode.success(), slivers.nonEmpty(SLIVERS), slivers.allInState('geni_allocated', SLIVERS),
            rspec.validAs('manifest', MANIFEST), manifest.coversRequest(xml, MANIFEST), time.expiresNoLaterThan(slice.expires, SLIVERS),
          ]);
        },
      });
    },
  },
  {
    id: 'am3.property.invalid-request-changes-nothing',
    requirements: ['v3d.allocate.satisfied-or-error', 'v2.return.code-nonzero-on-error'],
    title: 'Allocate generated invalid request RSpecs into a slice that already has a sliver',
    requirement: 'An invalid request is refused with a non-zero geni_code in the return struct, and the slice keeps exactly the slivers, states and expiries it had (Status and Describe before and after)',
    spec: ['am3/common#RSpecDatatype', 'am3/common#SliverAllocationStates', 'am3/common#ErrorCodes'],
    tags: ['errors'],
    detects: [{ fault: 'accepts-duplicate-interface-client-ids', check: 'geni-code' }],
    async run(t) {
      const ad = await readTargetAdvertisement(t);
      const vm = sharedSliverType(t, ad);
      const check = judge(t, 'am3#Allocate');
      const describeOptions = { geni_rspec_version: rspecVersion(t) };
      await t.property({
        // Duplicates get extra weight: a duplicate may hit a node, an interface or a link client_id, and each is its own rule to get right.
        arbitrary: fc.oneof(
          { weight: 3, arbitrary: mutatedRequestRSpec(requestRSpec({ advertisement: ad, capacity: 'fit', nodes: { min: 1, max: 3 } }), { kinds: MUST_REFUSE }) },
          { weight: 2, arbitrary: mutatedRequestRSpec(requestRSpec({ advertisement: ad, capacity: 'fit', nodes: { min: 2, max: 3 }, links: { min: 1, max: 2 } }), { kinds: ['duplicate-client-id'] }) },
        ),
        describe: ({ mutation, model }) => `${mutation.kind} at ${mutation.target}: ${mutation.description} (base: ${describeRequest(model)})`,
        async check({ xml }, scope) {
          const slice = await scope.newSlice();
          // A sliver already there, so "changes nothing" has something to keep; its client_id cannot clash with generated ones.
          const seed = await scope.am.Allocate(slice.urn, slice.credentials, unboundRequest('existing', 1, vm), {});
          requireStep(t, seed, 'Allocate of one unbound node');
          const statusBefore = await scope.am.Status([slice.urn], slice.credentials, {});
          const describeBefore = await scope.am.Describe([slice.urn], slice.credentials, describeOptions);
          const res = await scope.am.Allocate(slice.urn, slice.credentials, xml, {});
          const statusAfter = await scope.am.Status([slice.urn], slice.credentials, {});
          const describeAfter = await scope.am.Describe([slice.urn], slice.credentials, describeOptions);
          return [
            ...check(res, [envelope.shape(), geniCode.refusal()]),
            ...check(statusAfter, [properties.unchangedSince(statusBefore, SLIVERS)]),
            ...check(describeAfter, [properties.unchangedSince(describeBefore, SLIVERS)]),
          ];
        },
      });
    },
  },
  {
    id: 'am3.property.beyond-capacity-fails-whole',
    requirements: ['v3.allocate.all-or-nothing', 'v3d.allocate.satisfied-or-error'],
    title: 'Allocate generated requests that ask one node for more slivers than it can host',
    requirement: 'Allocate is all or nothing: a request that cannot be satisfied completely is refused and nothing of it is allocated',
    spec: ['am3/common#SliverAllocationStates'],
    tags: ['errors'],
    detects: [{ fault: 'allocate-double-books-exclusive-in-request', check: 'geni-code' }, { fault: 'allocate-ignores-capacity', check: 'geni-code' }],
    async run(t) {
      const ad = await readTargetAdvertisement(t);
      if (!ad.nodes.some((n) => n.exclusive && n.available)) t.skip('precondition: the advertisement has no available exclusive node to over-ask');
      const check = judge(t, 'am3#Allocate');
      await t.property({
        arbitrary: requestRSpec({ advertisement: ad, bound: 'mixed', capacity: 'exceed', nodes: { min: 0, max: 3 } }),
        describe: describeRequest,
        async check(model, scope) {
          const slice = await scope.newSlice();
          const res = await scope.am.Allocate(slice.urn, slice.credentials, serializeRequest(model), {});
          const after = await scope.am.Status([slice.urn], slice.credentials, {});
          return [
            ...check(res, [envelope.shape(), geniCode.refusal('INSUFFICIENT_NODES', 'TOOBIG')]),
            ...check(after, [slivers.noneLive(SLIVERS)]),
          ];
        },
      });
    },
  },
]);
