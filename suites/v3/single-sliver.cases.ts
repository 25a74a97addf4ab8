/**
 * Operations on individual slivers: a slice with two slivers, and a call naming only one of them.
 * The expected answer depends on the advertised geni_single_allocation: when true, Describe, Renew, Provision and
 * Delete must name the slice or every sliver in a given state, and a subset is UNSUPPORTED; when false (the
 * default), the call applies to the named sliver and leaves the other alone.
 */
import { envelope, geniCode, slivers, time } from '../../src/checks';
import type { AmResponse } from '../../src/geni/methods';
import { defineCases } from '../../src/runner/define';
import type { Check, Detection } from '../../src/core';
import { SLIVERS, SLIVER_LIST, allocatedSlice, rfc3339, rspecVersion, secondsFromNow, statusOf } from './sliver-steps';
import type { SliceFixture } from '../../src/runner/fixtures-types';
import { am3, type AmCaseContext } from '../../src/runner/am-suites';
import type { RequirementId } from '../../src/geni/requirements';

interface TwoSlivers {
  slice: SliceFixture;
  /** The sliver the call names. */
  named: string;
  /** The sliver it must leave alone. */
  other: string;
  /** Status of the slice before the call. */
  before: AmResponse;
  /** Renew's target, where the operation has one. */
  renewTo: Date;
}

/** A Status call after the operation and what it must show. */
interface StatusExpectation { urns: (s: TwoSlivers) => string[]; checks: (s: TwoSlivers) => Array<Check<AmResponse>> }

interface SubsetExpectation {
  answer: (s: TwoSlivers) => Array<Check<AmResponse>>;
  afterwards: StatusExpectation[];
}

type SubsetPolicy = 'subsets-allowed' | 'whole-slice-only';

const policyOf = (t: AmCaseContext): SubsetPolicy => (t.version.singleAllocation ? 'whole-slice-only' : 'subsets-allowed');

/** Under geni_single_allocation the subset is refused and nothing changes. */
const REFUSED_UNCHANGED: SubsetExpectation = {
  answer: () => [envelope.shape(), geniCode.refusal('UNSUPPORTED')],
  afterwards: [{
    urns: (s) => [s.slice.urn],
    checks: (s) => [slivers.urnsEqual([s.named, s.other], SLIVERS), slivers.allInState('geni_allocated', SLIVERS), time.expiriesUnchangedSince(s.before, SLIVERS)],
  }],
};

/** The other sliver is still allocated, with its old expiry. */
const OTHER_UNTOUCHED: StatusExpectation = {
  urns: (s) => [s.other],
  checks: (s) => [geniCode.success(), slivers.allInState('geni_allocated', SLIVERS), time.expiriesUnchangedSince(s.before, SLIVERS)],
};

interface Operation {
  slug: string;
  method: 'Describe' | 'Renew' | 'Provision' | 'Delete';
  title: string;
  requirement: string;
  detects?: Detection[];
  call: (t: AmCaseContext, s: TwoSlivers) => Promise<AmResponse>;
  expect: Record<SubsetPolicy, SubsetExpectation>;
}

const OPERATIONS: Operation[] = [
  {
    slug: 'describe-one',
    method: 'Describe',
    title: 'Describe naming one sliver of a two-sliver slice',
    requirement: 'Lists only the named sliver (UNSUPPORTED when geni_single_allocation is advertised)',
    call: (t, s) => t.am.Describe([s.named], s.slice.credentials, { geni_rspec_version: rspecVersion(t) }),
    expect: {
      'subsets-allowed': { answer: (s) => [envelope.shape(), geniCode.success(), slivers.urnsEqual([s.named], SLIVERS)], afterwards: [] },
      'whole-slice-only': REFUSED_UNCHANGED,
    },
  },
  {
    slug: 'renew-one',
    method: 'Renew',
    title: 'Renew naming one sliver of a two-sliver slice',
    requirement: 'Renews only the named sliver; the other keeps its expiry (UNSUPPORTED when geni_single_allocation is advertised)',
    call: (t, s) => t.am.Renew([s.named], s.slice.credentials, rfc3339(s.renewTo), {}),
    expect: {
      'subsets-allowed': {
        answer: (s) => [envelope.shape(), geniCode.success(), slivers.urnsEqual([s.named], SLIVER_LIST), time.expiresWithin(s.renewTo, 1, SLIVER_LIST)],
        afterwards: [OTHER_UNTOUCHED, { urns: (s) => [s.named], checks: (s) => [geniCode.success(), time.expiresWithin(s.renewTo, 1, SLIVERS)] }],
      },
      'whole-slice-only': REFUSED_UNCHANGED,
    },
  },
  {
    slug: 'provision-one',
    method: 'Provision',
    title: 'Provision naming one sliver of a two-sliver slice',
    requirement: 'Provisions only the named sliver; the other stays geni_allocated (UNSUPPORTED when geni_single_allocation is advertised)',
    call: (t, s) => t.am.Provision([s.named], s.slice.credentials, { geni_rspec_version: rspecVersion(t) }),
    expect: {
      'subsets-allowed': {
        answer: (s) => [envelope.shape(), geniCode.success(), slivers.urnsEqual([s.named], SLIVERS), slivers.allInState('geni_provisioned', SLIVERS)],
        afterwards: [
          { urns: (s) => [s.other], checks: () => [geniCode.success(), slivers.allInState('geni_allocated', SLIVERS)] },
          { urns: (s) => [s.named], checks: () => [geniCode.success(), slivers.allInState('geni_provisioned', SLIVERS)] },
        ],
      },
      'whole-slice-only': REFUSED_UNCHANGED,
    },
  },
  {
    slug: 'delete-one-leaves-other',
    method: 'Delete',
    title: 'Delete naming one sliver of a two-sliver slice',
    requirement: 'Deletes only the named sliver; the other stays allocated and the slice no longer lists the deleted one as live',
    detects: [{ fault: 'delete-leaves-sliver-listed', check: 'sliver-urns' }],
    call: (t, s) => t.am.Delete([s.named], s.slice.credentials, {}),
    expect: {
      'subsets-allowed': {
        answer: (s) => [envelope.shape(), geniCode.success(), slivers.urnsEqual([s.named], SLIVER_LIST), slivers.allInState('geni_unallocated', SLIVER_LIST)],
        afterwards: [OTHER_UNTOUCHED, { urns: (s) => [s.slice.urn], checks: (s) => [geniCode.success(), slivers.excludes([s.named], SLIVERS)] }],
      },
      'whole-slice-only': REFUSED_UNCHANGED,
    },
  },
];

/** Two allocated slivers in one slice (precondition: two nodes make at least two slivers). */
async function twoSlivers(t: AmCaseContext): Promise<TwoSlivers> {
  const { slice, sliverUrns } = await allocatedSlice(t, { nodes: 2 });
  const [named, other] = sliverUrns;
  if (!named || !other) t.skip(`precondition: two nodes were allocated as ${sliverUrns.length} sliver(s)`);
  return { slice, named, other, before: await statusOf(t, slice), renewTo: secondsFromNow(1800) };
}

export default defineCases(am3,
  { tags: ['single-sliver', 'destructive'], spec: ['am3/common#geni_single_allocation'] },
  OPERATIONS.map((op) => ({
    id: `am3.single-sliver.${op.slug}`,
    requirements: ['v3c.allocate.single-allocation', 'v3c.credentials.slivers-of-one-slice'] as RequirementId[],
    title: op.title,
    requirement: op.requirement,
    spec: [`am3#${op.method}`],
    tags: [op.method.toLowerCase() as 'describe' | 'renew' | 'provision' | 'delete'],
    ...(op.detects ? { detects: op.detects } : {}),
    async run(t: AmCaseContext) {
      const s = await twoSlivers(t);
      const expectation = op.expect[policyOf(t)];
      t.note(`advertised geni_single_allocation: ${String(t.version.singleAllocation)}`);
      t.verify(await op.call(t, s), expectation.answer(s));
      for (const after of expectation.afterwards) t.verify(await t.am.Status(after.urns(s), s.slice.credentials, {}), after.checks(s));
    },
  })),
);
