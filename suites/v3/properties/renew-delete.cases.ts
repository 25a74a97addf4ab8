/**
 * Properties of Renew and Delete over generated inputs: Renew to generated RFC 3339 times (zone offsets, fractional
 * seconds) against slice credentials of generated lifetimes, and Delete of generated requests named by slice or by
 * slivers, twice.
 */
import fc from 'fast-check';
import { rfc3339Date } from '../../../generators';
import { envelope, geniCode, readGeniDate, sliverUrnsOf, slivers, time } from '../../../src/checks';
import { properties } from '../../../src/checks/properties';
import type { AmResponse } from '../../../src/geni/methods';
import { defineCases } from '../../../src/runner/define';
import type { Check } from '../../../src/core';
import { serializeRequest } from '../../../src/rspec';
import { SLIVERS, SLIVER_LIST, rspecVersion } from '../sliver-steps';
import { describeRequest, judge, readTargetAdvertisement, fittingRequests, sharedSliverType, requireStep, unboundRequest } from './property-steps';
import { am3 } from '../../../src/runner/am-suites';

const MINUTE = 60_000;

/** What a Renew answer must look like, by where the requested time lies relative to the slice credential. */
type RenewCase = 'beyond-credential' | 'within-credential';
const RENEW_ANSWER: Record<RenewCase, { success: Array<Check<AmResponse>> | 'never'; refusal: Array<Check<AmResponse>> }> = {
  // Sliver expiration never exceeds the slice credential's: such a Renew must fail (OUTOFRANGE preferred).
  'beyond-credential': { success: 'never', refusal: [envelope.shape(), geniCode.refusal('OUTOFRANGE')] },
  // Policy may refuse; if Renew succeeds, the requested time must be honoured (checked per run below).
  'within-credential': { success: [envelope.shape()], refusal: [envelope.shape()] },
};

export default defineCases(am3, { tags: ['property', 'destructive'] }, [
  {
    id: 'am3.property.renew-within-credential',
    requirements: ['v3c.expiry.within-credential', 'v3c.dates.rfc3339'],
    title: 'Renew to generated RFC 3339 times (offsets, fractions) under slice credentials of generated lifetimes',
    requirement: 'Renew never extends a sliver past the slice credential; a successful Renew sets the requested instant (whatever zone it is written in); a refused one changes nothing',
    spec: ['am3#Renew', 'am3/common#SliverExpiration', 'am3/common#Dates'],
    tags: ['renew', 'expiry'],
    detects: [{ fault: 'renew-past-credential', check: 'sliver-expiry' }, { fault: 'renew-ignores-utc-offset', check: 'sliver-expiry' }],
    async run(t) {
      const ad = await readTargetAdvertisement(t);
      const vm = sharedSliverType(t, ad);
      const check = judge(t, 'am3#Renew');
      const now = Date.now();
      const soon = (minutes: number) => new Date(now + minutes * MINUTE);
      await t.property({
        arbitrary: fc.record({
          credentialMinutes: fc.integer({ min: 15, max: 4 * 24 * 60 }),
          provision: fc.boolean(),
          // Mostly within an allocation's typical renew limit (2 h), sometimes days ahead.
          target: fc.oneof(rfc3339Date({ min: soon(10), max: soon(110) }), rfc3339Date({ min: soon(10), max: soon(5 * 24 * 60) })),
        }),
        describe: ({ credentialMinutes, provision, target }) => `Renew ${provision ? 'provisioned' : 'allocated'} sliver to ${target}, slice credential expiring in ${credentialMinutes} min`,
        async check({ credentialMinutes, provision, target }, scope) {
          // Both the credential's expiry and the target are instants relative to when the inputs were generated, so a
          // re-run of the counterexample (or a replay) sees them in the same order.
          const slice = await scope.newSlice({ expiresInSeconds: Math.round((now + credentialMinutes * MINUTE - Date.now()) / 1000) });
          const allocate = await scope.am.Allocate(slice.urn, slice.credentials, unboundRequest('renew', 1, vm), {});
          requireStep(t, allocate, 'Allocate of one unbound node');
          if (provision) {
            const prov = await scope.am.Provision([slice.urn], slice.credentials, { geni_rspec_version: rspecVersion(t) });
            requireStep(t, prov, 'Provision');
          }
          const instant = readGeniDate(target)!;
          const before = await scope.am.Status([slice.urn], slice.credentials, {});
          const res = await scope.am.Renew([slice.urn], slice.credentials, target, {});
          const after = await scope.am.Status([slice.urn], slice.credentials, {});
          const expected = RENEW_ANSWER[instant.getTime() > slice.expires.getTime() ? 'beyond-credential' : 'within-credential'];
          const succeeded = res.envelope?.geniCode === 0;
          const answer = succeeded
            ? expected.success === 'never'
              ? check(res, [geniCode.refusal('OUTOFRANGE')])
              : check(res, [...expected.success, time.expiresWithin(instant, 1, SLIVER_LIST), time.expiresNoLaterThan(slice.expires, SLIVER_LIST)])
            : check(res, expected.refusal);
          return [
            ...answer,
            ...check(after, [geniCode.success(), time.expiresNoLaterThan(slice.expires, SLIVERS), ...(succeeded ? [] : [properties.unchangedSince(before, SLIVERS)])]),
          ];
        },
      });
    },
  },
  {
    id: 'am3.property.delete-twice-searchfailed',
    requirements: ['v3.delete.no-further-operations', 'v3.delete.returns-unallocated'],
    title: 'Delete generated allocations (by slice or by slivers), then Delete and Status them again',
    requirement: 'Delete answers every sliver geni_unallocated; afterwards the slivers are unknown: a second Delete and a Status of them give SEARCHFAILED',
    spec: ['am3#Delete', 'am3/common#SliverAllocationStates', 'am3/common#ErrorCodes'],
    tags: ['delete'],
    detects: [{ fault: 'delete-leaves-sliver-listed', check: 'geni-code' }, { fault: 'searchfailed-as-empty-success', check: 'geni-code' }],
    async run(t) {
      const ad = await readTargetAdvertisement(t);
      const check = judge(t, 'am3#Delete');
      await t.property({
        arbitrary: fc.record({
          request: fittingRequests(t, ad, { bound: 'mixed', nodes: { min: 1, max: 3 } }),
          provision: fc.boolean(),
          naming: fc.constantFrom('slice' as const, 'slivers' as const),
        }),
        describe: ({ request, provision, naming }) => `${describeRequest(request)}${provision ? ', provisioned' : ''}, deleted by ${naming}`,
        async check({ request, provision, naming }, scope) {
          const slice = await scope.newSlice();
          const allocate = await scope.am.Allocate(slice.urn, slice.credentials, serializeRequest(request), {});
          requireStep(t, allocate, 'Allocate of a fitting request');
          if (provision) {
            requireStep(t, await scope.am.Provision([slice.urn], slice.credentials, { geni_rspec_version: rspecVersion(t) }), 'Provision');
          }
          const sliverUrns = sliverUrnsOf(allocate, SLIVERS);
          const urns = naming === 'slice' ? [slice.urn] : sliverUrns;
          const first = await scope.am.Delete(urns, slice.credentials, {});
          const second = await scope.am.Delete(urns, slice.credentials, {});
          const status = await scope.am.Status(sliverUrns, slice.credentials, {});
          return [
            ...check(first, [envelope.shape(), geniCode.success(), slivers.nonEmpty(SLIVER_LIST), slivers.allInState('geni_unallocated', SLIVER_LIST)]),
            ...check(second, [envelope.shape(), geniCode.refusal('SEARCHFAILED')]),
            ...check(status, [envelope.shape(), geniCode.refusal('SEARCHFAILED')]),
          ];
        },
      });
    },
  },
]);
