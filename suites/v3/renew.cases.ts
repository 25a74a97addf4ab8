/**
 * Renew(urns, credentials, expiration_time, options): extends allocated slivers' allocation or provisioned slivers'
 * expiration. expiration_time must be honoured as far as policy allows, or Renew fails; never beyond the slice
 * credential unless geni_extend_alap asks for "as long as possible", which then stops at the credential.
 */
import { envelope, geniCode, slivers, time, valueMatches } from '../../src/checks';
import { defineCases } from '../../src/runner/define';
import { am3 } from '../../src/runner/am-suites';
import {
  SLIVERS, SLIVER_LIST, allocatedSlice, provisionedSlice, rfc3339, secondsAfter, secondsFromNow, statusOf, unknownSliverUrn,
} from './sliver-steps';

/** Slack when comparing a granted expiry with the requested one: whole seconds on the wire, clocks read twice. */
const TOLERANCE_SECONDS = 1;
/** Slice credential lifetime for cases that renew past it: one hour, so "beyond" stays within typical policy. */
const SHORT_SLICE_SECONDS = 3600;

export default defineCases(am3, { tags: ['renew', 'expiry', 'destructive'], spec: ['am3#Renew'] }, [
  {
    id: 'am3.renew.allocated-extends-allocation',
    requirements: ['v3d.renew.both-states', 'v3.renew.honour-or-error'],
    title: 'Renew allocated slivers to 30 minutes from now',
    // "the entire method will fail (return non-zero :code) if any requested sliver cannot be renewed to the requested
    // time, and all slivers will keep their original expiration time": a refusal is conformant when nothing changed.
    requirement: 'Renew on geni_allocated slivers extends the allocation to the requested time and they stay geni_allocated; or, where policy does not allow that time, Renew fails and every expiry is unchanged',
    spec: ['am3/common#SliverAllocationStates'],
    tags: ['allocate'],
    async run(t) {
      const { slice } = await allocatedSlice(t);
      const before = await statusOf(t, slice);
      const target = secondsFromNow(1800);
      const res = await t.am.Renew([slice.urn], slice.credentials, rfc3339(target), {});
      if (typeof res.envelope?.geniCode === 'number' && res.envelope.geniCode !== 0) {
        t.note(`Renew to ${rfc3339(target)} was refused (geni_code ${res.envelope.geniCode}): allowed where policy does not grant that time, provided nothing changed`);
        t.verify(res, [envelope.shape(), geniCode.refusal()]);
        t.verify(await statusOf(t, slice), [slivers.allInState('geni_allocated', SLIVERS), time.expiriesUnchangedSince(before, SLIVERS)]);
        return;
      }
      t.verify(res, [envelope.shape(), geniCode.success(), valueMatches('v3/sliver-list'), time.expiresWithin(target, TOLERANCE_SECONDS, SLIVER_LIST)]);
      t.verify(await statusOf(t, slice), [slivers.allInState('geni_allocated', SLIVERS), time.expiresWithin(target, TOLERANCE_SECONDS, SLIVERS)]);
    },
  },
  {
    id: 'am3.renew.provisioned-within-credential',
    requirements: ['v3d.renew.both-states', 'v3c.expiry.within-credential'],
    title: 'Renew provisioned slivers to 4 days from now (the slice credential lasts 7)',
    requirement: 'Renew within the slice credential succeeds, and Status then reports the requested geni_expires',
    spec: ['am3/common#SliverExpiration'],
    tags: ['provision'],
    async run(t) {
      const { slice } = await provisionedSlice(t);
      const target = secondsFromNow(4 * 86_400);
      t.verify(await t.am.Renew([slice.urn], slice.credentials, rfc3339(target), {}), [
        envelope.shape(), geniCode.success(), slivers.allInState('geni_provisioned', SLIVER_LIST), slivers.noErrorsWithoutBestEffort(SLIVER_LIST),
      ]);
      t.verify(await statusOf(t, slice), [time.expiresWithin(target, TOLERANCE_SECONDS, SLIVERS)]);
    },
  },
  {
    id: 'am3.renew.beyond-credential-refused',
    requirements: ['v3c.expiry.within-credential'],
    title: 'Renew allocated slivers to 30 minutes after the slice credential expires',
    requirement: 'Renew beyond the slice credential fails (OUTOFRANGE preferred) and leaves every expiry as it was',
    spec: ['am3/common#SliverExpiration', 'am3/common#ErrorCodes'],
    tags: ['credentials', 'errors'],
    detects: [{ fault: 'renew-past-credential', check: 'geni-code' }],
    async run(t) {
      const { slice } = await allocatedSlice(t, { sliceSeconds: SHORT_SLICE_SECONDS });
      const before = await statusOf(t, slice);
      t.verify(await t.am.Renew([slice.urn], slice.credentials, rfc3339(secondsAfter(slice.expires, 1800)), {}), [
        envelope.shape(), geniCode.refusal('OUTOFRANGE'),
      ]);
      t.verify(await statusOf(t, slice), [time.expiriesUnchangedSince(before, SLIVERS), time.expiresNoLaterThan(slice.expires, SLIVERS)]);
    },
  },
  {
    id: 'am3.renew.extend-alap-stops-at-credential',
    requirements: ['draft-r.renew.extend-alap', 'v3c.expiry.within-credential'],
    title: 'Renew with geni_extend_alap to 30 minutes after the slice credential expires',
    requirement: 'With geni_extend_alap the aggregate renews as long as it can instead of failing: success, expiry no later than the credential',
    spec: ['am3/common#geni_extend_alap', 'am3/common#SliverExpiration'],
    tags: ['options', 'credentials'],
    detects: [{ fault: 'extend-alap-ignored', check: 'geni-code' }, { fault: 'renew-past-credential', check: 'sliver-expiry' }],
    async run(t) {
      const { slice } = await allocatedSlice(t, { sliceSeconds: SHORT_SLICE_SECONDS });
      const res = await t.am.Renew([slice.urn], slice.credentials, rfc3339(secondsAfter(slice.expires, 1800)), { geni_extend_alap: true });
      t.verify(res, [envelope.shape(), geniCode.success(), time.expiresNoLaterThan(slice.expires, SLIVER_LIST)]);
      t.verify(await statusOf(t, slice), [time.expiresNoLaterThan(slice.expires, SLIVERS)]);
    },
  },
  {
    id: 'am3.renew.rejects-unparseable-time',
    requirements: ['v3c.dates.rfc3339'],
    title: 'Renew with expiration_time "next tuesday"',
    requirement: 'An expiration_time that is not an RFC 3339 date is refused (BADARGS preferred) and changes nothing',
    spec: ['am3/common#Dates', 'am3/common#ErrorCodes'],
    tags: ['errors'],
    async run(t) {
      const { slice } = await allocatedSlice(t);
      const before = await statusOf(t, slice);
      t.verify(await t.am.Renew([slice.urn], slice.credentials, 'next tuesday', {}), [envelope.shape(), geniCode.refusal('BADARGS')]);
      t.verify(await statusOf(t, slice), [time.expiriesUnchangedSince(before, SLIVERS)]);
    },
  },
  {
    id: 'am3.renew.rejects-past-time',
    requirements: ['v3.renew.honour-or-error'],
    title: 'Renew allocated slivers to one hour ago',
    requirement: 'A renewal into the past cannot be honoured: refused (OUTOFRANGE or BADARGS preferred) and changes nothing',
    spec: ['am3/common#ErrorCodes'],
    tags: ['errors'],
    async run(t) {
      const { slice } = await allocatedSlice(t);
      const before = await statusOf(t, slice);
      t.verify(await t.am.Renew([slice.urn], slice.credentials, rfc3339(secondsFromNow(-3600)), {}), [
        envelope.shape(), geniCode.refusal('OUTOFRANGE', 'BADARGS'),
      ]);
      t.verify(await statusOf(t, slice), [time.expiriesUnchangedSince(before, SLIVERS)]);
    },
  },
  {
    id: 'am3.renew.unknown-sliver',
    requirements: ['v3.renew.unknown-sliver'],
    title: 'Renew a sliver URN of this aggregate that names no sliver',
    requirement: 'Unknown slivers are an error (SEARCHFAILED), never a success that silently leaves them out',
    spec: ['am3/common#ErrorCodes'],
    tags: ['errors'],
    detects: [{ fault: 'searchfailed-as-empty-success', check: 'geni-code' }],
    async run(t) {
      const { slice, sliverUrns } = await allocatedSlice(t);
      const res = await t.am.Renew([unknownSliverUrn(t, sliverUrns)], slice.credentials, rfc3339(secondsFromNow(1800)), {});
      t.verify(res, [envelope.shape(), geniCode.refusal('SEARCHFAILED')]);
    },
  },
]);
