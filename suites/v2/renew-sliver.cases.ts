/**
 * RenewSliver(slice_urn, credentials, expiration_time, options) in AM API v2: value is a boolean. The requested
 * time may not be later than the slice credential allows (OUTOFRANGE), unless geni_extend_alap asks for "as long
 * as possible", which then succeeds and stops at the credential.
 */
import { envelope, field, geniCode, readGeniDate } from '../../src/checks';
import { defineCases } from '../../src/runner/define';
import { createdSlice, rfc3339, secondsAfter, secondsFromNow, statusOf } from './v2-steps';
import { am2 } from '../../src/runner/am-suites';

/** Slice credential lifetime for the cases that renew past it: one hour. */
const SHORT_SLICE_SECONDS = 3600;

export default defineCases(am2, { tags: ['renew', 'expiry', 'destructive'], spec: ['am2#RenewSliver'] }, [
  {
    id: 'am2.renewsliver.within-credential',
    requirements: ['v1.renewsliver.boolean', 'v2.return.output-on-error'],
    title: 'RenewSliver to 2 days from now (the slice credential lasts 7)',
    requirement: 'Renewing within the slice credential succeeds with value the XML-RPC boolean true (and output, where present, "a String")',
    spec: ['am2#RenewSliver', 'am2#ReturnStruct'],
    tags: ['smoke'],
    detects: [{ fault: 'v2-renewsliver-output-date', check: 'envelope' }],
    async run(t) {
      const { slice } = await createdSlice(t);
      t.verify(await t.v2.RenewSliver(slice.urn, slice.credentials, rfc3339(secondsFromNow(2 * 86_400)), {}), [
        envelope.shape(), geniCode.success(), field('value').equals(true), field('value').wireType('boolean'),
      ]);
    },
  },
  {
    id: 'am2.renewsliver.twice',
    requirements: ['v1.renewsliver.boolean'],
    title: 'RenewSliver to 2 days, then to 5 days from now',
    requirement: 'A sliver can be renewed repeatedly within the credential (the acceptance suite renews +2 then +5 days)',
    async run(t) {
      const { slice } = await createdSlice(t);
      t.verify(await t.v2.RenewSliver(slice.urn, slice.credentials, rfc3339(secondsFromNow(2 * 86_400)), {}), [geniCode.success()]);
      t.verify(await t.v2.RenewSliver(slice.urn, slice.credentials, rfc3339(secondsFromNow(5 * 86_400)), {}), [geniCode.success(), field('value').equals(true)]);
    },
  },
  {
    id: 'am2.renewsliver.beyond-credential-refused',
    requirements: ['v1.renewsliver.within-credential', 'v3c.expiry.within-credential'],
    title: 'RenewSliver to 30 minutes after the slice credential expires',
    requirement: 'The expiration may not exceed the slice credential: the call is refused (OUTOFRANGE preferred)',
    spec: ['am2#ErrorCodes', 'credentials#Expiry'],
    tags: ['credentials', 'errors'],
    detects: [{ fault: 'v2-renewsliver-past-credential', check: 'geni-code' }],
    async run(t) {
      const { slice } = await createdSlice(t, { sliceSeconds: SHORT_SLICE_SECONDS });
      t.verify(await t.v2.RenewSliver(slice.urn, slice.credentials, rfc3339(secondsAfter(slice.expires, 1800)), {}), [
        envelope.shape(), geniCode.refusal('OUTOFRANGE'),
      ]);
    },
  },
  {
    id: 'am2.renewsliver.extend-alap',
    requirements: ['draft-r.renew.extend-alap'],
    title: 'RenewSliver with geni_extend_alap to 30 minutes after the slice credential expires',
    requirement: 'With geni_extend_alap the aggregate renews as long as it can instead of failing: success, and any geni_expires it reports is no later than the credential',
    spec: ['am2/common#geni_extend_alap'],
    tags: ['options', 'credentials'],
    detects: [{ fault: 'v2-renewsliver-past-credential', check: 'field' }],
    async run(t) {
      const { slice } = await createdSlice(t, { sliceSeconds: SHORT_SLICE_SECONDS });
      t.verify(await t.v2.RenewSliver(slice.urn, slice.credentials, rfc3339(secondsAfter(slice.expires, 1800)), { geni_extend_alap: true }), [geniCode.success()]);
      const limit = Math.floor(slice.expires.getTime() / 1000);
      t.verify(await statusOf(t, slice), [field('value.geni_expires').ifPresent().satisfies(
        (v) => (readGeniDate(v)?.getTime() ?? Infinity) / 1000 <= limit, `an RFC 3339 date no later than ${rfc3339(slice.expires)}`,
      )]);
    },
  },
  {
    id: 'am2.renewsliver.unparseable-time',
    requirements: ['v3c.dates.rfc3339', 'v2.return.struct-everywhere'],
    title: 'RenewSliver with expiration_time "next tuesday"',
    requirement: 'An expiration_time that is not an RFC 3339 date is refused (BADARGS preferred), in the return struct: v2 returns it "on any application layer success, failure, and even on an error or for most exceptions"',
    spec: ['am2#ErrorCodes'],
    tags: ['errors'],
    detects: [{ fault: 'v2-exception-as-fault', check: 'envelope' }],
    async run(t) {
      const { slice } = await createdSlice(t);
      t.verify(await t.v2.RenewSliver(slice.urn, slice.credentials, 'next tuesday', {}), [envelope.shape(), geniCode.refusal('BADARGS')]);
    },
  },
  {
    id: 'am2.renewsliver.no-slivers',
    requirements: ['v1.renewsliver.boolean', 'v2.return.code-nonzero-on-error'],
    title: 'RenewSliver of a slice with no slivers here',
    requirement: 'There is nothing to renew: the call fails (SEARCHFAILED preferred) rather than reporting success',
    spec: ['am2#ErrorCodes'],
    tags: ['errors'],
    async run(t) {
      const slice = await t.newSlice();
      t.verify(await t.v2.RenewSliver(slice.urn, slice.credentials, rfc3339(secondsFromNow(3600)), {}), [geniCode.refusal('SEARCHFAILED')]);
    },
  },
]);
