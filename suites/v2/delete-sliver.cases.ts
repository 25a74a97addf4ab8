/**
 * DeleteSliver(slice_urn, credentials, options) in AM API v2: value is a boolean; afterwards the aggregate holds
 * nothing for the slice, which can be created again.
 */
import { either, envelope, field, geniCode, manifest, rspec } from '../../src/checks';
import { defineCases } from '../../src/runner/define';
import { createdSlice, listOptions, precondition } from './v2-steps';
import { am2 } from '../../src/runner/am-suites';

export default defineCases(am2, { tags: ['delete', 'destructive'], spec: ['am2#DeleteSliver'] }, [
  {
    id: 'am2.deletesliver.returns-true',
    requirements: ['v1.deletesliver.boolean', 'v2.return.value-on-success'],
    title: 'DeleteSliver of a slice with slivers',
    requirement: 'Succeeds with value the XML-RPC boolean true',
    tags: ['smoke'],
    async run(t) {
      const { slice } = await createdSlice(t);
      t.verify(await t.v2.DeleteSliver(slice.urn, slice.credentials, {}), [envelope.shape(), geniCode.success(), field('value').equals(true), field('value').wireType('boolean')]);
    },
  },
  {
    id: 'am2.deletesliver.then-status-refused',
    requirements: ['v1.deletesliver.boolean', 'v2.return.code-nonzero-on-error'],
    title: 'SliverStatus after DeleteSliver',
    requirement: 'After DeleteSliver the slice has no slivers here: SliverStatus fails (SEARCHFAILED preferred)',
    spec: ['am2#SliverStatus', 'am2#ErrorCodes'],
    tags: ['status', 'lifecycle'],
    async run(t) {
      const { slice } = await createdSlice(t);
      precondition(t, await t.v2.DeleteSliver(slice.urn, slice.credentials, {}), 'DeleteSliver');
      t.verify(await t.v2.SliverStatus(slice.urn, slice.credentials, {}), [geniCode.refusal('SEARCHFAILED')]);
    },
  },
  {
    id: 'am2.deletesliver.then-manifest-empty',
    requirements: ['v1.listresources.slice-urn-manifest', 'v1.deletesliver.boolean'],
    title: 'ListResources with geni_slice_urn after DeleteSliver',
    requirement: 'The deleted slice is refused (SEARCHFAILED preferred) or described by a manifest with no resources',
    spec: ['am2#ListResources'],
    tags: ['listresources', 'lifecycle'],
    async run(t) {
      const { slice } = await createdSlice(t);
      precondition(t, await t.v2.DeleteSliver(slice.urn, slice.credentials, {}), 'DeleteSliver');
      t.verify(await t.v2.ListResources(slice.credentials, listOptions(t, { geni_slice_urn: slice.urn })), [either(
        { outcome: 'refused (SEARCHFAILED preferred)', checks: [geniCode.refusal('SEARCHFAILED')] },
        { outcome: 'a manifest with no node or link', checks: [geniCode.success(), rspec.validAs('manifest'), manifest.describesNoResources('value')] },
      )]);
    },
  },
  {
    id: 'am2.deletesliver.then-create-again',
    requirements: ['v1.deletesliver.boolean'],
    title: 'CreateSliver again after DeleteSliver',
    requirement: 'Deleting frees the slice at this aggregate: a new CreateSliver for it succeeds',
    spec: ['am2#CreateSliver'],
    tags: ['allocate', 'lifecycle'],
    async run(t) {
      const { slice, request } = await createdSlice(t);
      precondition(t, await t.v2.DeleteSliver(slice.urn, slice.credentials, {}), 'DeleteSliver');
      t.verify(await t.v2.CreateSliver(slice.urn, slice.credentials, request, [], {}), [geniCode.success(), manifest.coversRequest(request, 'value')]);
    },
  },
  {
    id: 'am2.deletesliver.other-slice-credential',
    requirements: ['v3c.credentials.slice-credential-authorizes'],
    title: "DeleteSliver with another slice's credential",
    requirement: 'Deleting needs a credential for that slice: another one is refused (CREDENTIAL_MISMATCH preferred) and the slivers stay',
    spec: ['credentials#Validation'],
    tags: ['credentials', 'auth', 'errors'],
    async run(t) {
      const { slice } = await createdSlice(t);
      t.verify(await t.v2.DeleteSliver(slice.urn, await t.creds.otherSlice(slice), {}), [geniCode.refusal('CREDENTIAL_MISMATCH')]);
      t.verify(await t.v2.SliverStatus(slice.urn, slice.credentials, {}), [geniCode.success()]);
    },
  },
]);
