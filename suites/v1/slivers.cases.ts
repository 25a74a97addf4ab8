/**
 * The v1 slice methods and their plain return types (GAPI_AM_API): CreateSliver a manifest string, SliverStatus a
 * struct, RenewSliver, DeleteSliver and Shutdown a boolean. Failures are Faults or false.
 */
import { either, field, manifest, rspec, valueMatches } from '../../src/checks';
import { v1 } from '../../src/checks/v1';
import { v2 } from '../../src/checks/v2';
import { defineCases } from '../../src/runner/define';
import { EMPTY_REQUEST, createdSlice, precondition, rfc3339, secondsAfter, secondsFromNow, truncated } from './v1-steps';
import { am1 } from '../../src/runner/am-suites';

/** Slice credential lifetime for the case that renews past it: one hour. */
const SHORT_SLICE_SECONDS = 3600;

export default defineCases(am1, { tags: ['destructive'], spec: ['am1#CreateSliver'] }, [
  {
    id: 'am1.createsliver.returns-manifest',
    requirements: ['v1.createsliver.returns-manifest', 'v3c.rspec.request-promise'],
    title: 'CreateSliver with a one-node GENI 3 request',
    requirement: 'Returns the manifest as a plain string: a valid GENI 3 manifest RSpec (a GENI 3 request is answered in GENI 3)',
    spec: ['am1/draft#ChangeSetA'],
    tags: ['smoke', 'allocate', 'rspec'],
    async run(t) {
      const slice = await t.newSlice();
      t.verify(await t.v1.CreateSliver(slice.urn, slice.credentials, await t.requestRSpec(), []), [v1.returns('string'), rspec.validAs('manifest', '')]);
    },
  },
  {
    id: 'am1.createsliver.manifest-covers-request',
    requirements: ['v1.createsliver.returns-manifest'],
    title: 'CreateSliver with a two-node request',
    requirement: 'The manifest names every node of the request by its client_id',
    tags: ['allocate', 'rspec'],
    async run(t) {
      const slice = await t.newSlice();
      const request = await t.requestRSpec({ nodes: 2 });
      t.verify(await t.v1.CreateSliver(slice.urn, slice.credentials, request, []), [v1.returns('string'), manifest.coversRequest(request, '')]);
    },
  },
  {
    id: 'am1.createsliver.malformed-rspec',
    requirements: ['v2.rspec.request-consistent-with-ad', 'v1.errors.fault-or-false'],
    title: 'CreateSliver with a request cut off mid-document',
    requirement: 'A request that is not well-formed XML fails: a Fault or false, never a manifest',
    spec: ['am1#Errors'],
    tags: ['allocate', 'errors', 'rspec'],
    detects: [{ fault: 'v1-error-as-struct', check: 'v1-error' }],
    async run(t) {
      const slice = await t.newSlice();
      t.verify(await t.v1.CreateSliver(slice.urn, slice.credentials, truncated(await t.requestRSpec()), []), [v1.refused()]);
    },
  },
  {
    id: 'am1.createsliver.empty-rspec',
    requirements: ['v2.rspec.request-consistent-with-ad', 'v1.errors.fault-or-false'],
    title: 'CreateSliver with an empty string as the request',
    requirement: 'An empty request fails (the acceptance suite demands it)',
    spec: ['am1#Errors'],
    tags: ['allocate', 'errors', 'rspec'],
    async run(t) {
      const slice = await t.newSlice();
      t.verify(await t.v1.CreateSliver(slice.urn, slice.credentials, '', []), [v1.refused()]);
    },
  },
  {
    id: 'am1.createsliver.request-without-resources',
    requirements: ['v1.createsliver.returns-manifest'],
    title: 'CreateSliver with a request naming no resources, then SliverStatus',
    requirement: 'The manifest names "the resources that were allocated to the slice", so a request for nothing reserves nothing: the call may be refused or succeed (gcf makes an empty sliver), and SliverStatus afterwards fails or lists no resource',
    spec: ['am1#SliverStatus'],
    tags: ['allocate', 'errors'],
    async run(t) {
      const slice = await t.newSlice();
      await t.v1.CreateSliver(slice.urn, slice.credentials, EMPTY_REQUEST, []);
      t.verify(await t.v1.SliverStatus(slice.urn, slice.credentials), [either(
        { outcome: 'refused (a Fault or false)', checks: [v1.refused()] },
        { outcome: 'a status listing no resource', checks: [v1.returns('struct'), field('geni_resources').satisfies((r) => Array.isArray(r) && r.length === 0, 'an empty geni_resources list')] },
      )]);
    },
  },
  {
    id: 'am1.sliverstatus.structure',
    requirements: ['v1.sliverstatus.structure'],
    title: 'SliverStatus of a slice with slivers',
    requirement: 'Returns the plain struct {geni_urn, geni_status, geni_resources: [{geni_urn, geni_status, geni_error}]}, statuses configuring, ready, failed or unknown',
    spec: ['am1#SliverStatus'],
    tags: ['status'],
    async run(t) {
      const { slice } = await createdSlice(t);
      t.verify(await t.v1.SliverStatus(slice.urn, slice.credentials), [v1.returns('struct'), valueMatches('v1/sliver-status', '')]);
    },
  },
  {
    id: 'am1.sliverstatus.overall-precedence',
    requirements: ['v1.sliverstatus.overall-precedence'],
    title: 'SliverStatus of a two-node slice: the overall geni_status',
    requirement: 'The overall status is failed if any resource failed, else configuring if any is, else ready if all are ready, else unknown',
    spec: ['am1#SliverStatus'],
    tags: ['status'],
    async run(t) {
      const { slice } = await createdSlice(t, { nodes: 2 });
      t.verify(await t.v1.SliverStatus(slice.urn, slice.credentials), [v1.returns('struct'), v2.statusPrecedence('')]);
    },
  },
  {
    id: 'am1.sliverstatus.no-slivers',
    requirements: ['v1.errors.fault-or-false', 'v1.sliverstatus.structure'],
    title: 'SliverStatus of a slice with no slivers here',
    requirement: 'Status of a slice the aggregate holds nothing for fails with a Fault or false (the acceptance suite requires an error)',
    spec: ['am1#SliverStatus', 'am1#Errors'],
    tags: ['status', 'errors'],
    detects: [{ fault: 'v1-error-as-struct', check: 'v1-error' }, { fault: 'v1-text-fault-codes', check: 'xmlrpc-fault' }],
    async run(t) {
      const slice = await t.newSlice();
      t.verify(await t.v1.SliverStatus(slice.urn, slice.credentials), [v1.refused()]);
    },
  },
  {
    id: 'am1.renewsliver.within-credential',
    requirements: ['v1.renewsliver.boolean'],
    title: 'RenewSliver to 2 days from now (the slice credential lasts 7)',
    requirement: 'Renewing within the slice credential returns the boolean true',
    spec: ['am1#RenewSliver'],
    tags: ['renew', 'expiry'],
    async run(t) {
      const { slice } = await createdSlice(t);
      t.verify(await t.v1.RenewSliver(slice.urn, slice.credentials, rfc3339(secondsFromNow(2 * 86_400))), [v1.returnsTrue()]);
    },
  },
  {
    id: 'am1.renewsliver.beyond-credential-refused',
    requirements: ['v1.renewsliver.within-credential', 'v3c.expiry.within-credential'],
    title: 'RenewSliver to 30 minutes after the slice credential expires',
    requirement: 'The requested time must not be later than the expiration of a valid credential: the renewal fails (Fault or false)',
    spec: ['am1#RenewSliver', 'credentials#Expiry'],
    tags: ['renew', 'expiry', 'errors'],
    detects: [{ fault: 'v1-renewsliver-past-credential', check: 'v1-error' }],
    async run(t) {
      const { slice } = await createdSlice(t, { sliceSeconds: SHORT_SLICE_SECONDS });
      t.verify(await t.v1.RenewSliver(slice.urn, slice.credentials, rfc3339(secondsAfter(slice.expires, 1800))), [v1.refused()]);
    },
  },
  {
    id: 'am1.renewsliver.unparseable-time',
    requirements: ['v1.renewsliver.boolean', 'v1.errors.fault-or-false'],
    title: 'RenewSliver with expiration_time "next tuesday"',
    requirement: 'An expiration_time that is not a date fails (Fault or false)',
    spec: ['am1#RenewSliver', 'am1#Errors'],
    tags: ['renew', 'errors'],
    async run(t) {
      const { slice } = await createdSlice(t);
      t.verify(await t.v1.RenewSliver(slice.urn, slice.credentials, 'next tuesday'), [v1.refused()]);
    },
  },
  {
    id: 'am1.deletesliver.returns-true',
    requirements: ['v1.deletesliver.boolean'],
    title: 'DeleteSliver of a slice with slivers',
    requirement: 'Returns the boolean true',
    spec: ['am1#DeleteSliver'],
    tags: ['delete', 'smoke'],
    async run(t) {
      const { slice } = await createdSlice(t);
      t.verify(await t.v1.DeleteSliver(slice.urn, slice.credentials), [v1.returnsTrue(), field('').wireType('boolean')]);
    },
  },
  {
    id: 'am1.deletesliver.then-status-refused',
    requirements: ['v1.deletesliver.boolean', 'v1.errors.fault-or-false'],
    title: 'SliverStatus after DeleteSliver',
    requirement: 'After DeleteSliver the aggregate holds nothing for the slice: SliverStatus fails',
    spec: ['am1#DeleteSliver', 'am1#SliverStatus'],
    tags: ['delete', 'status', 'lifecycle'],
    async run(t) {
      const { slice } = await createdSlice(t);
      precondition(t, await t.v1.DeleteSliver(slice.urn, slice.credentials), 'DeleteSliver');
      t.verify(await t.v1.SliverStatus(slice.urn, slice.credentials), [v1.refused()]);
    },
  },
  {
    id: 'am1.deletesliver.then-create-again',
    requirements: ['v1.deletesliver.boolean'],
    title: 'CreateSliver again after DeleteSliver',
    requirement: 'Deleting frees the slice at this aggregate: a new CreateSliver returns a manifest',
    spec: ['am1#DeleteSliver'],
    tags: ['delete', 'allocate', 'lifecycle'],
    async run(t) {
      const { slice, request } = await createdSlice(t);
      precondition(t, await t.v1.DeleteSliver(slice.urn, slice.credentials), 'DeleteSliver');
      t.verify(await t.v1.CreateSliver(slice.urn, slice.credentials, request, []), [v1.returns('string'), manifest.coversRequest(request, '')]);
    },
  },
  {
    id: 'am1.shutdown.returns-true',
    requirements: ['v1.shutdown.boolean'],
    title: 'Shutdown a slice with slivers',
    requirement: 'Returns the boolean true',
    spec: ['am1#Shutdown'],
    tags: ['shutdown'],
    async run(t) {
      const { slice } = await createdSlice(t);
      t.verify(await t.v1.Shutdown(slice.urn, slice.credentials), [v1.returnsTrue()]);
    },
  },
]);
