/**
 * Provision(urns, credentials, options): instantiates allocated slivers (geni_allocated → geni_provisioned).
 * geni_rspec_version is required; the value is {geni_rspec: manifest of the newly provisioned slivers, geni_slivers}.
 */
import { dates, envelope, geniCode, manifest, rspec, slivers, time, valueMatches } from '../../src/checks';
import { defineCases } from '../../src/runner/define';
import { am3 } from '../../src/runner/am-suites';
import {
  HARNESS_SSH_KEY, MANIFEST, SLIVERS, advertisedMachines, allocatedSlice, operationalStatesOf, provisionedSlice, rspecVersion, secondsFromNow,
  settledStatus, statusOf, unknownSliverUrn, userUrn,
} from './sliver-steps';

/**
 * Standard operational states a provisioned sliver may settle in (geni_pending_allocation is only for slivers not yet
 * provisioned); the states the aggregate's advertisement declares for a sliver's type are allowed beside them.
 */
const SETTLED_AFTER_PROVISION = ['geni_notready', 'geni_ready', 'geni_failed'];

export default defineCases(am3, { tags: ['provision', 'destructive'], spec: ['am3#Provision'] }, [
  {
    id: 'am3.provision.allocated-to-provisioned',
    requirements: ['v3c.states.allocation-states'],
    title: 'Provision the allocated slivers of a slice',
    requirement: 'Succeeds with {geni_rspec, geni_slivers}; each allocated sliver is now geni_provisioned',
    spec: ['am3/common#SliverAllocationStates'],
    tags: ['smoke'],
    async run(t) {
      const { slice, sliverUrns } = await allocatedSlice(t);
      const res = await t.am.Provision([slice.urn], slice.credentials, { geni_rspec_version: rspecVersion(t) });
      t.verify(res, [
        envelope.shape(), geniCode.success(), valueMatches('v3/provision-value'), slivers.urnsEqual(sliverUrns, SLIVERS),
        slivers.allInState('geni_provisioned', SLIVERS), slivers.noErrorsWithoutBestEffort(SLIVERS),
      ]);
    },
  },
  {
    id: 'am3.provision.manifest-names-slivers',
    requirements: ['v3.provision.new-slivers-only', 'v3.provision.manifest-format'],
    title: 'Provision two linked nodes and read the manifest it returns',
    requirement: 'geni_rspec is a valid manifest of the newly provisioned slivers, covering the request, each node with its sliver_id',
    spec: ['am3/common#RSpecDatatype'],
    tags: ['rspec'],
    detects: [{ fault: 'manifest-missing-sliver-id', check: 'manifest-sliver-ids' }],
    async run(t) {
      const { slice, request } = await allocatedSlice(t, { nodes: 2, links: 1 });
      const res = await t.am.Provision([slice.urn], slice.credentials, { geni_rspec_version: rspecVersion(t) });
      t.verify(res, [
        geniCode.success(), rspec.validAs('manifest', MANIFEST), manifest.coversRequest(request, MANIFEST), manifest.namesSlivers(MANIFEST),
      ]);
    },
  },
  {
    id: 'am3.provision.expiry-within-credential',
    requirements: ['v3c.expiry.within-credential', 'v3c.dates.rfc3339'],
    title: 'Provision and read each sliver\'s new geni_expires',
    requirement: 'geni_expires is an RFC 3339 date in the future, no later than the slice credential expires',
    spec: ['am3/common#SliverExpiration', 'am3/common#Dates'],
    tags: ['expiry'],
    detects: [{ fault: 'expires-not-rfc3339', check: 'rfc3339' }],
    async run(t) {
      const { slice } = await allocatedSlice(t);
      const res = await t.am.Provision([slice.urn], slice.credentials, { geni_rspec_version: rspecVersion(t) });
      t.verify(res, [
        geniCode.success(), dates.rfc3339('value.geni_slivers[*].geni_expires'), time.expiresAfter(secondsFromNow(0), SLIVERS),
        time.expiresNoLaterThan(slice.expires, SLIVERS),
      ]);
    },
  },
  {
    id: 'am3.provision.requires-rspec-version',
    requirements: ['v3.provision.rspec-version-required'],
    title: 'Provision without the geni_rspec_version option',
    requirement: 'geni_rspec_version is required: refused (BADARGS preferred), and the slivers stay geni_allocated',
    spec: ['am3/common#geni_rspec_version', 'am3/common#SliverAllocationStates'],
    tags: ['options', 'errors'],
    async run(t) {
      const { slice } = await allocatedSlice(t);
      t.verify(await t.am.Provision([slice.urn], slice.credentials, {}), [envelope.shape(), geniCode.refusal('BADARGS')]);
      t.verify(await statusOf(t, slice), [slivers.allInState('geni_allocated', SLIVERS)]);
    },
  },
  {
    id: 'am3.provision.rejects-unadvertised-rspec-version',
    requirements: ['v3.provision.manifest-format', 'v3d.listresources.unadvertised-badversion'],
    title: 'Provision asking for a manifest format the aggregate does not advertise',
    requirement: 'An unadvertised geni_rspec_version is refused (BADVERSION preferred), and the slivers stay geni_allocated',
    spec: ['am3/common#geni_rspec_version', 'am3/common#SliverAllocationStates'],
    tags: ['options', 'errors'],
    async run(t) {
      const { slice } = await allocatedSlice(t);
      const res = await t.am.Provision([slice.urn], slice.credentials, { geni_rspec_version: { type: 'NoSuchFormat', version: '99' } });
      t.verify(res, [envelope.shape(), geniCode.refusal('BADVERSION')]);
      t.verify(await statusOf(t, slice), [slivers.allInState('geni_allocated', SLIVERS)]);
    },
  },
  {
    id: 'am3.provision.accepts-geni-users',
    requirements: ['v2.options.accepted', 'v3c.users.honor-keys'],
    title: 'Provision with geni_users naming the caller and one SSH key',
    requirement: 'geni_users [{urn, keys}] is a standard Provision option: accepted, and the slivers are provisioned',
    spec: ['am3/common#geni_users'],
    tags: ['options'],
    async run(t) {
      const { slice } = await allocatedSlice(t);
      const res = await t.am.Provision([slice.urn], slice.credentials, {
        geni_rspec_version: rspecVersion(t), geni_users: [{ urn: userUrn(t), keys: [HARNESS_SSH_KEY] }],
      });
      t.verify(res, [geniCode.success(), slivers.allInState('geni_provisioned', SLIVERS)]);
    },
  },
  {
    id: 'am3.provision.operational-state-settles',
    requirements: ['v3c.operational.states-settle', 'v3c.operational.own-states-advertised'],
    title: 'Provision, then Status until the slivers leave their wait states',
    requirement: 'Provisioned slivers leave geni_pending_allocation and settle in a final operational state (notready, ready or failed), or in a state the advertisement declares for their sliver type',
    spec: ['am3/common#OperationalStates', 'am3#Status'],
    tags: ['status', 'slow'],
    detects: [{ fault: 'unadvertised-operational-state', check: 'sliver-operational-state' }],
    async run(t) {
      const machines = await advertisedMachines(t);
      const { slice, provision } = await provisionedSlice(t);
      const advertised = operationalStatesOf(machines, provision);
      t.verify(await settledStatus(t, slice, { advertised }), [
        geniCode.success(), slivers.operationalIn({ standard: SETTLED_AFTER_PROVISION, advertised }, SLIVERS),
      ]);
    },
  },
  {
    id: 'am3.provision.unknown-sliver',
    requirements: ['v3c.credentials.slivers-of-one-slice'],
    title: 'Provision a sliver URN of this aggregate that names no sliver',
    requirement: 'A sliver URN that names no sliver belongs to no slice the credentials give access to: refused (SEARCHFAILED preferred, the code Describe and Renew name for an unknown sliver; another code warns only under --strict), never a success that leaves it out',
    spec: ['am3/common#Credentials', 'am3/common#ErrorCodes'],
    tags: ['errors'],
    detects: [{ fault: 'searchfailed-as-empty-success', check: 'geni-code' }],
    async run(t) {
      const { slice, sliverUrns } = await allocatedSlice(t);
      const res = await t.am.Provision([unknownSliverUrn(t, sliverUrns)], slice.credentials, { geni_rspec_version: rspecVersion(t) });
      t.verify(res, [envelope.shape(), geniCode.refusal('SEARCHFAILED')]);
    },
  },
]);
