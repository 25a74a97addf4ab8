/**
 * The all-or-nothing contracts over generated inputs, with the expected outcome as data keyed by what the
 * aggregate advertises or what the run asked for: geni_best_effort on Provision (one generated sliver made to fail
 * through the aggregate's failure-injection disk image), geni_allocate (a second Allocate, disjoint or referencing
 * the first) and geni_single_allocation (an operation naming a generated subset of the slivers).
 */
import fc from 'fast-check';
import { envelope, geniCode, manifest, readGeniDate, sliverListAt, sliverUrnsOf, slivers } from '../../../src/checks';
import { properties, type ExpectedSliver } from '../../../src/checks/properties';
import type { AmResponse } from '../../../src/geni/methods';
import type { GetVersionInfo } from '../../../src/geni/version-info';
import { defineCases } from '../../../src/runner/define';
import type { Check } from '../../../src/core';
import { serializeRequest, type RequestRSpec } from '../../../src/rspec';
import { MANIFEST, SLIVERS, SLIVER_LIST, manifestXmlOf, rfc3339, rspecVersion, secondsFromNow } from '../sliver-steps';
import { describeRequest, fittingRequests, judge, promisedRoom, readTargetAdvertisement, sharedSliverType, sliverIdsByClientId, requireStep } from './property-steps';
import { am3 } from '../../../src/runner/am-suites';

/**
 * Where an aggregate documents a disk image that fails at Provision (the reference AM's failure-injection switch):
 * GetVersion value member geniharness_failure_injection.provision_fails_disk_image. Without it nothing can make
 * exactly one sliver fail, so the best-effort property cannot be tested.
 */
function failureInjectionImage(version: GetVersionInfo): string | undefined {
  const value = (version.raw as { value?: Record<string, unknown> } | undefined)?.value;
  const injection = value?.geniharness_failure_injection as Record<string, unknown> | undefined;
  return typeof injection?.provision_fails_disk_image === 'string' ? injection.provision_fails_disk_image : undefined;
}

/** geni_best_effort on Provision with one failing sliver (CommonConcepts geni_best_effort). */
const BEST_EFFORT: Record<'false' | 'true', {
  answer: (failed: string) => Array<Check<AmResponse>>;
  afterwards: (before: AmResponse, failed: string, all: string[]) => Array<Check<AmResponse>>;
}> = {
  // All or nothing: refused, and every sliver is still allocated as before.
  false: {
    answer: () => [envelope.shape(), geniCode.refusal()],
    afterwards: (before) => [properties.unchangedSince(before, SLIVERS)],
  },
  // Partial: SUCCESS, geni_error on exactly the failed sliver, which stays allocated while the others are provisioned.
  true: {
    answer: (failed) => [envelope.shape(), geniCode.success(), properties.errorsExactlyOn([failed], SLIVERS)],
    afterwards: (_, failed, all) => [properties.matchesModel(all.map((urn) => ({ urn, allocation: urn === failed ? 'geni_allocated' : 'geni_provisioned' })), SLIVERS)],
  },
};

/** A second Allocate into a slice that has slivers, by advertised geni_allocate and whether it refers to them. */
type SecondRequest = 'disjoint' | 'referencing';
const SECOND_ALLOCATE: Record<GetVersionInfo['allocate'], Record<SecondRequest, 'allocated' | 'unsupported'>> = {
  geni_single: { disjoint: 'unsupported', referencing: 'unsupported' },
  geni_disjoint: { disjoint: 'allocated', referencing: 'unsupported' },
  geni_many: { disjoint: 'allocated', referencing: 'allocated' },
};

/** Splits a request into two: nodes before `k` and the rest, each with the links wholly inside it. */
function split(m: RequestRSpec, k: number, variant: SecondRequest): [RequestRSpec, RequestRSpec] {
  const first = structuredClone(m.nodes.slice(0, k));
  const second = structuredClone(m.nodes.slice(k));
  const ifaces = (nodes: RequestRSpec['nodes']) => new Set(nodes.flatMap((n) => n.interfaces.map((i) => i.clientId)));
  const inFirst = ifaces(first);
  const inSecond = ifaces(second);
  const a: RequestRSpec = { type: 'request', nodes: first, links: m.links.filter((l) => l.interfaceRefs.every((r) => inFirst.has(r))) };
  const b: RequestRSpec = { type: 'request', nodes: second, links: m.links.filter((l) => l.interfaceRefs.every((r) => inSecond.has(r))) };
  if (variant === 'referencing') {
    // A link of the second request that ends at an interface the first one created.
    const from = { clientId: `${first[0]!.clientId}:xref` };
    const to = { clientId: `${second[0]!.clientId}:xref` };
    first[0]!.interfaces.push(from);
    second[0]!.interfaces.push(to);
    b.links = [...b.links, { clientId: 'xref-link', interfaceRefs: [from.clientId, to.clientId] }];
  }
  return [a, b];
}

/** Operations that may name individual slivers, and what naming a subset does where subsets are allowed. */
type SubsetOperation = 'Describe' | 'Renew' | 'Provision' | 'Delete';

/** Expected Status of the whole slice after `op` named `subset` (subsets allowed). */
function afterSubset(op: SubsetOperation, before: AmResponse, subset: string[], renewTo: Date): ExpectedSliver[] {
  const list = sliverListAt(before, SLIVERS);
  const all: ExpectedSliver[] = list.ok
    ? list.slivers.map((s) => ({ urn: String(s.geni_sliver_urn), allocation: String(s.geni_allocation_status), expires: readGeniDate(s.geni_expires) }))
    : [];
  const named = new Set(subset);
  return all.flatMap((s): ExpectedSliver[] => {
    if (!named.has(s.urn)) return [s];
    if (op === 'Delete') return [];
    if (op === 'Provision') return [{ urn: s.urn, allocation: 'geni_provisioned' }];
    if (op === 'Renew') return [{ ...s, expires: renewTo }];
    return [s];
  });
}

export default defineCases(am3, { tags: ['property', 'destructive'] }, [
  {
    id: 'am3.property.best-effort-provision',
    requirements: ['v3c.best-effort.honored', 'v3c.best-effort.default-all-or-none', 'v3c.best-effort.partial', 'v3.provision.best-effort-failures-stay-allocated', 'v3c.geni-error.explain'],
    title: 'Provision generated allocations in which one generated sliver fails, with and without geni_best_effort',
    requirement: 'Without geni_best_effort Provision is all or nothing (refused, every sliver still allocated); with it the answer is SUCCESS with geni_error on exactly the failed sliver, which stays allocated',
    spec: ['am3/common#geni_best_effort', 'am3#Provision', 'am3/common#geni_error'],
    tags: ['provision'],
    async run(t) {
      const image = failureInjectionImage(t.version);
      if (!image) t.unsupported('geni_best_effort needs a way to make one sliver fail at Provision; the aggregate documents none (no geniharness_failure_injection in GetVersion)');
      const ad = await readTargetAdvertisement(t);
      // The failing disk image goes inside a sliver_type, so the request must name one the aggregate offers.
      const failingType = ad.nodes.find((n) => n.available && n.sliverTypes.length > 0)?.sliverTypes[0]
        ?? t.skip('precondition: a disk image is named inside a sliver_type, and the advertisement names no sliver type');
      const check = judge(t, 'am3/common#geni_best_effort');
      await t.property({
        arbitrary: fc.record({
          request: fittingRequests(t, ad, { bound: 'mixed', nodes: { min: 1, max: 3 } }),
          failing: fc.nat(),
          bestEffort: fc.boolean(),
        }),
        describe: ({ request, failing, bestEffort }) =>
          `${describeRequest(request)}; node ${request.nodes[failing % request.nodes.length]!.clientId} fails; geni_best_effort ${bestEffort}`,
        async check({ request, failing, bestEffort }, scope) {
          const victim = request.nodes[failing % request.nodes.length]!;
          const typeOf = victim.sliverType?.name ?? ad.nodes.find((n) => n.componentId === victim.componentId)?.sliverTypes[0] ?? failingType;
          const poisoned: RequestRSpec = {
            ...request,
            nodes: request.nodes.map((n) => (n === victim ? { ...n, sliverType: { name: typeOf, diskImage: image } } : n)),
          };
          const slice = await scope.newSlice();
          const allocate = await scope.am.Allocate(slice.urn, slice.credentials, serializeRequest(poisoned), {});
          requireStep(t, allocate, 'Allocate of a fitting request');
          const failed = sliverIdsByClientId(manifestXmlOf(allocate))[victim.clientId];
          if (!failed) return check(allocate, [manifest.namesSlivers(MANIFEST, 'am3#Allocate')]);
          const all = sliverUrnsOf(allocate, SLIVERS);
          const before = await scope.am.Status([slice.urn], slice.credentials, {});
          const res = await scope.am.Provision([slice.urn], slice.credentials, { geni_rspec_version: rspecVersion(t), geni_best_effort: bestEffort });
          const after = await scope.am.Status([slice.urn], slice.credentials, {});
          const expected = BEST_EFFORT[bestEffort ? 'true' : 'false'];
          return [...check(res, expected.answer(failed)), ...check(after, expected.afterwards(before, failed, all))];
        },
      });
    },
  },
  {
    id: 'am3.property.geni-allocate-contract',
    requirements: ['v3c.allocate.geni-allocate-modes'],
    title: 'A second Allocate of a generated request into a slice, disjoint from the first or linking to it',
    requirement: 'The advertised geni_allocate holds: geni_single refuses any second Allocate, geni_disjoint one that refers to existing slivers (UNSUPPORTED, nothing changes), geni_many allows both',
    spec: ['am3/common#geni_allocate', 'am3#Allocate'],
    tags: ['allocate', 'single-sliver'],
    detects: [{ fault: 'single-allocate-twice', check: 'geni-code' }],
    async run(t) {
      const ad = await readTargetAdvertisement(t);
      const check = judge(t, 'am3/common#geni_allocate');
      const expectations = SECOND_ALLOCATE[t.version.allocate];
      await t.property({
        arbitrary: fc.record({
          request: fittingRequests(t, ad, { bound: 'mixed', nodes: { min: 2, max: 4 } }),
          cut: fc.nat(),
          variant: fc.constantFrom<SecondRequest>('disjoint', 'referencing'),
        }),
        describe: ({ request, cut, variant }) => `${describeRequest(request)} split after node ${1 + (cut % (request.nodes.length - 1))}, second ${variant}`,
        async check({ request, cut, variant }, scope) {
          const [first, second] = split(request, 1 + (cut % (request.nodes.length - 1)), variant);
          const slice = await scope.newSlice();
          const one = await scope.am.Allocate(slice.urn, slice.credentials, serializeRequest(first), {});
          requireStep(t, one, 'the first Allocate');
          const before = await scope.am.Status([slice.urn], slice.credentials, {});
          const two = await scope.am.Allocate(slice.urn, slice.credentials, serializeRequest(second), {});
          const after = await scope.am.Status([slice.urn], slice.credentials, {});
          return expectations[variant] === 'allocated'
            ? [
                ...check(two, [envelope.shape(), geniCode.success(), slivers.allInState('geni_allocated', SLIVERS)]),
                ...check(after, [slivers.urnsEqual([...sliverUrnsOf(one, SLIVERS), ...sliverUrnsOf(two, SLIVERS)], SLIVERS)]),
              ]
            : [...check(two, [envelope.shape(), geniCode.refusal('UNSUPPORTED')]), ...check(after, [properties.unchangedSince(before, SLIVERS)])];
        },
      });
    },
  },
  {
    id: 'am3.property.single-allocation-contract',
    requirements: ['v3c.allocate.single-allocation'],
    title: 'Describe, Renew, Provision or Delete naming a generated subset of a slice\'s allocated slivers',
    requirement: 'The advertised geni_single_allocation holds: when true a proper subset of the slivers in one state is UNSUPPORTED and nothing changes; when false the call acts on exactly the named slivers',
    spec: ['am3/common#geni_single_allocation'],
    tags: ['single-sliver'],
    async run(t) {
      const ad = await readTargetAdvertisement(t);
      const vm = sharedSliverType(t, ad);
      // As many unbound nodes as the advertisement promises room for (one per node offering the type, where it states no count).
      const room = promisedRoom(ad, vm);
      if (room < 2) t.skip(`precondition: a subset needs 2 slivers, and the advertisement promises room for ${room} of sliver type ${vm ?? '(the default)'}`);
      const check = judge(t, 'am3/common#geni_single_allocation');
      const policy = t.version.singleAllocation ? 'whole-slice-only' : 'subsets-allowed';
      await t.property({
        arbitrary: fc.record({
          nodes: fc.integer({ min: 2, max: Math.min(4, room) }),
          mask: fc.nat(),
          op: fc.constantFrom<SubsetOperation>('Describe', 'Renew', 'Provision', 'Delete'),
          renewMinutes: fc.integer({ min: 15, max: 90 }),
        }),
        describe: ({ nodes, mask, op }) => `${op} naming slivers ${subsetIndexes(nodes, mask).join(', ')} of ${nodes}`,
        async check({ nodes, mask, op, renewMinutes }, scope) {
          const slice = await scope.newSlice();
          const request = serializeRequest({ type: 'request', nodes: Array.from({ length: nodes }, (_, i) => ({ clientId: `sub-${i}`, ...(vm !== undefined && { sliverType: { name: vm } }), interfaces: [] })), links: [] });
          const allocate = await scope.am.Allocate(slice.urn, slice.credentials, request, {});
          requireStep(t, allocate, 'Allocate');
          const all = sliverUrnsOf(allocate, SLIVERS);
          const subset = subsetIndexes(all.length, mask).map((i) => all[i]!);
          const renewTo = secondsFromNow(renewMinutes * 60);
          const before = await scope.am.Status([slice.urn], slice.credentials, {});
          const res = await (op === 'Describe' ? scope.am.Describe(subset, slice.credentials, { geni_rspec_version: rspecVersion(t) })
            : op === 'Renew' ? scope.am.Renew(subset, slice.credentials, rfc3339(renewTo), {})
              : op === 'Provision' ? scope.am.Provision(subset, slice.credentials, { geni_rspec_version: rspecVersion(t) })
                : scope.am.Delete(subset, slice.credentials, {}));
          const after = await scope.am.Status([slice.urn], slice.credentials, {});
          if (policy === 'whole-slice-only') {
            return [...check(res, [envelope.shape(), geniCode.refusal('UNSUPPORTED')]), ...check(after, [properties.unchangedSince(before, SLIVERS)])];
          }
          const listed = op === 'Describe' || op === 'Provision' ? SLIVERS : SLIVER_LIST;
          return [
            ...check(res, [envelope.shape(), geniCode.success(), slivers.urnsEqual(subset, listed)]),
            ...check(after, [properties.matchesModel(afterSubset(op, before, subset, renewTo), SLIVERS)]),
          ];
        },
      });
    },
  },
]);

/** A non-empty proper subset of 0..n-1 chosen by `mask` (n ≥ 2). */
function subsetIndexes(n: number, mask: number): number[] {
  const bits = 1 + (mask % ((1 << n) - 2));
  return Array.from({ length: n }, (_, i) => i).filter((i) => (bits >> i) & 1);
}
