/**
 * Allocate(slice_urn, credentials, rspec, options): reserves the resources of a request RSpec, all or nothing.
 * On success the value is {geni_rspec: manifest of the new slivers, geni_slivers: [{geni_sliver_urn, geni_expires,
 * geni_allocation_status: geni_allocated}]}; a request the aggregate cannot satisfy completely is an error.
 */
import { dates, envelope, geniCode, manifest, rspec, slivers, time, valueMatches } from '../../src/checks';
import type { AmResponse } from '../../src/geni/methods';
import type { GetVersionInfo } from '../../src/geni/version-info';
import { defineCases } from '../../src/runner/define';
import type { Check } from '../../src/core';
import { am3 } from '../../src/runner/am-suites';
import {
  BEYOND_CAPACITY_NODES, EMPTY_REQUEST, MANIFEST, SLIVERS, advertisement, allocatedSlice, manifestXmlOf, rfc3339, rspecVersion,
  secondsAfter, secondsFromNow, truncated, withClientIdPrefix, withDuplicateClientId,
} from './sliver-steps';

const GENI3_NAMESPACE = 'http://www.geni.net/resources/rspec/3';
const PGV2_NAMESPACE = 'http://www.protogeni.net/resources/rspec/2';

/**
 * A second Allocate into a slice that already has slivers, by the advertised geni_allocate (CommonConcepts
 * "Operations on individual slivers"): geni_single forbids it (UNSUPPORTED); geni_disjoint and geni_many allow a
 * request that does not reference the existing slivers, which is what the harness sends.
 */
const SECOND_ALLOCATE: Record<GetVersionInfo['allocate'], Array<Check<AmResponse>>> = {
  // The geni_allocate text names no code for the refusal; the code table has two that describe it ("Operation not
  // supported", gcf's "Object already exists"): either passes, another warns only under --strict.
  geni_single: [envelope.shape(), geniCode.refusal('UNSUPPORTED', 'ALREADYEXISTS')],
  geni_disjoint: [envelope.shape(), geniCode.success(), slivers.nonEmpty(SLIVERS), slivers.allInState('geni_allocated', SLIVERS)],
  geni_many: [envelope.shape(), geniCode.success(), slivers.nonEmpty(SLIVERS), slivers.allInState('geni_allocated', SLIVERS)],
};

export default defineCases(am3, { tags: ['allocate', 'destructive'], spec: ['am3#Allocate'] }, [
  {
    id: 'am3.allocate.returns-allocated-slivers',
    requirements: ['v3c.states.allocation-states', 'v3d.allocate.satisfied-or-error', 'id.sliver.name-characters'],
    title: 'Allocate one node from the advertisement',
    requirement: 'Succeeds with {geni_rspec, geni_slivers}; every sliver is geni_allocated and named by a sliver URN',
    spec: ['am3/common#SliverAllocationStates'],
    tags: ['smoke'],
    async run(t) {
      const slice = await t.newSlice();
      const res = await t.am.Allocate(slice.urn, slice.credentials, await t.requestRSpec(), {});
      t.verify(res, [
        envelope.shape(), geniCode.success(), valueMatches('v3/allocate-value'), slivers.nonEmpty(SLIVERS),
        slivers.allInState('geni_allocated', SLIVERS), slivers.sliverUrnsValid(SLIVERS),
      ]);
    },
  },
  {
    id: 'am3.allocate.rejects-unadvertised-request-format',
    requirements: ['v3d.allocate.unadvertised-format-badversion'],
    title: 'Allocate a ProtoGENI 2 request at an aggregate that lists only GENI 3 requests',
    requirement: 'A request "in a format not listed as supported by GetVersion" gets "an error of BADVERSION (4)", and nothing is allocated',
    spec: ['am3/common#RSpecDatatype', 'am3/common#ErrorCodes'],
    tags: ['errors', 'rspec'],
    async run(t) {
      const takes = (type: string, version: string) =>
        t.version.requestRSpecVersions.some((v) => v.type.toLowerCase() === type.toLowerCase() && v.version.toLowerCase() === version.toLowerCase());
      if (takes('ProtoGENI', '2')) t.skip('the aggregate takes ProtoGENI 2 requests too: the harness writes no other format it could be refused');
      const request = await t.requestRSpec();
      if (!request.includes(GENI3_NAMESPACE)) t.skip('the request the harness built is not in GENI 3 format');
      // The same request in the ProtoGENI v2 namespace: well-formed, valid against the ProtoGENI 2 request schema.
      const slice = await t.newSlice();
      const res = await t.am.Allocate(slice.urn, slice.credentials, request.replaceAll(GENI3_NAMESPACE, PGV2_NAMESPACE), {});
      t.verify(res, [envelope.shape(), geniCode.refusal('BADVERSION')]);
    },
  },
  {
    id: 'am3.allocate.manifest-covers-request',
    requirements: ['v3c.rspec.request-promise', 'v3d.allocate.satisfied-or-error'],
    title: 'Allocate two linked nodes and read the manifest it returns',
    requirement: 'geni_rspec is a valid manifest RSpec describing every node and link of the request (by client_id)',
    spec: ['am3/common#RSpecDatatype'],
    tags: ['rspec'],
    async run(t) {
      const slice = await t.newSlice();
      const request = await t.requestRSpec({ nodes: 2, links: 1 });
      const res = await t.am.Allocate(slice.urn, slice.credentials, request, {});
      t.verify(res, [geniCode.success(), rspec.validAs('manifest', MANIFEST), manifest.coversRequest(request, MANIFEST)]);
    },
  },
  {
    id: 'am3.allocate.expiry-within-credential',
    requirements: ['v3c.expiry.within-credential', 'v3c.dates.rfc3339'],
    title: 'Allocate and read each sliver\'s geni_expires',
    requirement: 'geni_expires is an RFC 3339 date in the future, no later than the slice credential expires',
    spec: ['am3/common#SliverExpiration', 'am3/common#Dates'],
    tags: ['expiry'],
    detects: [{ fault: 'expires-not-rfc3339', check: 'rfc3339' }],
    async run(t) {
      const slice = await t.newSlice();
      const before = secondsFromNow(0);
      const res = await t.am.Allocate(slice.urn, slice.credentials, await t.requestRSpec(), {});
      t.verify(res, [
        geniCode.success(), dates.rfc3339('value.geni_slivers[*].geni_expires'), time.expiresAfter(before, SLIVERS),
        time.expiresNoLaterThan(slice.expires, SLIVERS),
      ]);
    },
  },
  {
    id: 'am3.allocate.short-credential-bounds-expiry',
    requirements: ['v3c.expiry.within-credential'],
    title: 'Allocate into a slice whose credential expires in 2 minutes',
    requirement: 'Sliver expiration never exceeds the expiration of the slice credential, whatever the allocation policy',
    spec: ['am3/common#SliverExpiration'],
    tags: ['expiry', 'credentials'],
    async run(t) {
      const slice = await t.newSlice({ expiresInSeconds: 120 });
      const res = await t.am.Allocate(slice.urn, slice.credentials, await t.requestRSpec(), {});
      t.verify(res, [geniCode.success(), time.expiresNoLaterThan(slice.expires, SLIVERS)]);
    },
  },
  {
    id: 'am3.allocate.no-geni-error',
    requirements: ['v3c.geni-error.not-from-allocate'],
    title: 'Allocate one node and look for per-sliver geni_error',
    requirement: 'Allocate is all or nothing, so its sliver structs carry no geni_error',
    level: 'SHOULD',
    spec: ['am3/common#geni_error', 'am3/common#geni_best_effort'],
    async run(t) {
      const slice = await t.newSlice();
      const res = await t.am.Allocate(slice.urn, slice.credentials, await t.requestRSpec(), {});
      t.verify(res, [geniCode.success(), slivers.errorFieldAbsent(SLIVERS)]);
    },
  },
  {
    id: 'am3.allocate.unbound-request',
    requirements: ['v3c.rspec.request-promise'],
    title: 'Allocate a node that names no component (unbound request)',
    requirement: 'The aggregate binds unbound nodes itself: success, geni_allocated slivers, manifest covering the request',
    tags: ['rspec'],
    async run(t) {
      const slice = await t.newSlice();
      const request = await t.requestRSpec({ unbound: true });
      const res = await t.am.Allocate(slice.urn, slice.credentials, request, {});
      t.verify(res, [
        geniCode.success(), slivers.nonEmpty(SLIVERS), slivers.allInState('geni_allocated', SLIVERS), manifest.coversRequest(request, MANIFEST),
      ]);
    },
  },
  {
    id: 'am3.allocate.rejects-malformed-rspec',
    requirements: ['v3d.allocate.satisfied-or-error', 'v2.return.code-nonzero-on-error', 'v2.rspec.request-consistent-with-ad'],
    title: 'Allocate with a request RSpec cut off mid-document',
    requirement: 'A malformed rspec argument is refused in the return struct (BADARGS) and allocates nothing',
    spec: ['am3/common#ErrorCodes'],
    tags: ['rspec', 'errors'],
    detects: [{ fault: 'error-as-fault', check: 'error-as-fault' }, { fault: 'output-missing-on-error', check: 'envelope' }],
    async run(t) {
      const slice = await t.newSlice();
      const res = await t.am.Allocate(slice.urn, slice.credentials, truncated(await t.requestRSpec()), {});
      t.verify(res, [envelope.shape(), geniCode.refusal('BADARGS')]);
    },
  },
  {
    id: 'am3.allocate.rejects-non-xml-rspec',
    requirements: ['v3d.allocate.satisfied-or-error', 'v2.return.code-nonzero-on-error', 'v2.rspec.request-consistent-with-ad'],
    title: 'Allocate with an rspec argument that is not XML at all',
    requirement: 'A malformed rspec argument is refused (BADARGS)',
    spec: ['am3/common#ErrorCodes'],
    tags: ['rspec', 'errors'],
    async run(t) {
      const slice = await t.newSlice();
      const res = await t.am.Allocate(slice.urn, slice.credentials, 'two raw-pc nodes please', {});
      t.verify(res, [envelope.shape(), geniCode.refusal('BADARGS')]);
    },
  },
  {
    id: 'am3.allocate.empty-request',
    requirements: ['v3d.allocate.satisfied-or-error'],
    title: 'Allocate with a well-formed request RSpec that names no resources',
    requirement: 'Either refused (BADARGS preferred) or successful with no slivers; in both cases nothing is allocated',
    tags: ['rspec'],
    async run(t) {
      const slice = await t.newSlice();
      const res = await t.am.Allocate(slice.urn, slice.credentials, EMPTY_REQUEST, {});
      t.verify(res, [envelope.shape(), slivers.noneUnlessRefused(SLIVERS)]);
      t.verify(await t.am.Status([slice.urn], slice.credentials, {}), [slivers.noneLive(SLIVERS)]);
    },
  },
  {
    id: 'am3.allocate.rejects-advertisement',
    requirements: ['v2.rspec.request-consistent-with-ad'],
    title: 'Allocate with the aggregate\'s own advertisement as the request',
    requirement: 'The rspec argument must be a request RSpec; an advertisement is refused (BADARGS preferred)',
    level: 'SHOULD',
    spec: ['am3/common#RSpecDatatype'],
    tags: ['rspec', 'errors'],
    async run(t) {
      const slice = await t.newSlice();
      const res = await t.am.Allocate(slice.urn, slice.credentials, await advertisement(t), {});
      t.verify(res, [envelope.shape(), geniCode.refusal('BADARGS')]);
    },
  },
  {
    id: 'am3.allocate.rejects-manifest',
    requirements: ['v2.rspec.request-consistent-with-ad'],
    title: 'Allocate with a manifest (from another slice) as the request',
    requirement: 'The rspec argument must be a request RSpec; a manifest is refused (BADARGS preferred)',
    level: 'SHOULD',
    spec: ['am3/common#RSpecDatatype'],
    tags: ['rspec', 'errors'],
    async run(t) {
      const donor = await allocatedSlice(t);
      const slice = await t.newSlice();
      const res = await t.am.Allocate(slice.urn, slice.credentials, manifestXmlOf(donor.allocate), {});
      t.verify(res, [envelope.shape(), geniCode.refusal('BADARGS')]);
    },
  },
  {
    id: 'am3.allocate.rejects-duplicate-client-ids',
    requirements: ['v2.rspec.request-consistent-with-ad', 'v3c.rspec.schema-valid'],
    title: 'Allocate two nodes sharing one client_id',
    requirement: 'client_id is unique within a request; a request that reuses one is refused (BADARGS preferred)',
    spec: ['am3/common#RSpecDatatype'],
    tags: ['rspec', 'errors'],
    async run(t) {
      const slice = await t.newSlice();
      const res = await t.am.Allocate(slice.urn, slice.credentials, withDuplicateClientId(await t.requestRSpec({ nodes: 2 })), {});
      t.verify(res, [envelope.shape(), geniCode.refusal('BADARGS')]);
    },
  },
  {
    id: 'am3.allocate.beyond-capacity-refused',
    requirements: ['v3d.allocate.satisfied-or-error', 'v3.allocate.all-or-nothing'],
    title: `Allocate ${BEYOND_CAPACITY_NODES} nodes, more than the aggregate has`,
    requirement: 'A request that cannot be completely satisfied is an error (INSUFFICIENT_NODES or TOOBIG preferred)',
    spec: ['am3/common#ErrorCodes'],
    tags: ['errors', 'capacity'],
    // With refused-allocate-keeps-nodes the refusal is right, but the nodes it named stay taken: the capacity audit
    // after the cleanup (src/runner/capacity.ts) finds them.
    detects: [{ fault: 'allocate-ignores-capacity', check: 'geni-code' }, { fault: 'refused-allocate-keeps-nodes', check: 'capacity-returned' }],
    async run(t) {
      const slice = await t.newSlice();
      const res = await t.am.Allocate(slice.urn, slice.credentials, await t.requestRSpec({ nodes: BEYOND_CAPACITY_NODES, beyondCapacity: true }), {});
      t.verify(res, [envelope.shape(), geniCode.refusal('INSUFFICIENT_NODES', 'TOOBIG')]);
    },
  },
  {
    id: 'am3.allocate.beyond-capacity-allocates-nothing',
    requirements: ['v3d.allocate.satisfied-or-error', 'v3.allocate.all-or-nothing', 'v3c.best-effort.not-allocate'],
    title: `Allocate ${BEYOND_CAPACITY_NODES} nodes, then Status and Describe the slice`,
    requirement: 'Allocate is all or nothing: after a refused request the slice has no slivers at this aggregate',
    spec: ['am3/common#SliverAllocationStates', 'am3#Status', 'am3#Describe'],
    tags: ['errors', 'capacity'],
    detects: [{ fault: 'allocate-ignores-capacity', check: 'sliver-list' }],
    async run(t) {
      const slice = await t.newSlice();
      await t.am.Allocate(slice.urn, slice.credentials, await t.requestRSpec({ nodes: BEYOND_CAPACITY_NODES, beyondCapacity: true }), {});
      t.verify(await t.am.Status([slice.urn], slice.credentials, {}), [slivers.noneLive(SLIVERS)]);
      t.verify(await t.am.Describe([slice.urn], slice.credentials, { geni_rspec_version: rspecVersion(t) }), [
        geniCode.success(), manifest.describesNoResources(MANIFEST),
      ]);
    },
  },
  {
    id: 'am3.allocate.end-time-beyond-credential',
    requirements: ['v3d.allocate.end-time-may-be-ignored', 'v3c.expiry.within-credential'],
    title: 'Allocate with geni_end_time a day after the slice credential expires',
    requirement: 'geni_end_time is a wish the aggregate may ignore (the call still succeeds), but slivers never outlive the credential',
    spec: ['am3/common#geni_end_time', 'am3/common#SliverExpiration'],
    tags: ['options', 'expiry'],
    async run(t) {
      const slice = await t.newSlice({ expiresInSeconds: 3600 });
      const res = await t.am.Allocate(slice.urn, slice.credentials, await t.requestRSpec(), {
        geni_end_time: rfc3339(secondsAfter(slice.expires, 86_400)),
      });
      t.verify(res, [geniCode.success(), time.expiresNoLaterThan(slice.expires, SLIVERS)]);
    },
  },
  {
    id: 'am3.allocate.end-time-within-policy',
    requirements: ['v3d.allocate.end-time-may-be-ignored', 'v3c.expiry.within-credential'],
    title: 'Allocate with geni_end_time five minutes from now',
    requirement: 'The aggregate honours or ignores geni_end_time; the call succeeds and the slivers expire in the future, within the credential',
    spec: ['am3/common#geni_end_time'],
    tags: ['options', 'expiry'],
    async run(t) {
      const slice = await t.newSlice();
      const res = await t.am.Allocate(slice.urn, slice.credentials, await t.requestRSpec(), { geni_end_time: rfc3339(secondsFromNow(300)) });
      t.verify(res, [geniCode.success(), time.expiresAfter(secondsFromNow(0), SLIVERS), time.expiresNoLaterThan(slice.expires, SLIVERS)]);
    },
  },
  {
    id: 'am3.allocate.second-allocate-per-advertised-mode',
    requirements: ['v3c.allocate.geni-allocate-modes'],
    title: 'Allocate twice into the same slice without a Delete in between',
    requirement: 'geni_single: the second Allocate is refused (UNSUPPORTED or ALREADYEXISTS preferred); geni_disjoint and geni_many: a disjoint second request succeeds',
    spec: ['am3/common#geni_allocate'],
    detects: [{ fault: 'single-allocate-twice', check: 'geni-code' }],
    async run(t) {
      const first = await allocatedSlice(t);
      const res = await t.am.Allocate(first.slice.urn, first.slice.credentials, withClientIdPrefix(await t.requestRSpec(), 'second-'), {});
      t.note(`advertised geni_allocate: ${t.version.allocate}`);
      t.verify(res, SECOND_ALLOCATE[t.version.allocate]);
    },
  },
]);
