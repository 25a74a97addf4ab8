import { envelope, geniCode } from '../../src/checks';
import { defineCases } from '../../src/runner/define';
import { allocatedSlice, rspecVersion } from './sliver-steps';
import { am3 } from '../../src/runner/am-suites';

/** An option no aggregate defines; the prefix is ours, since geni_ is reserved for the standard. */
const UNKNOWN_OPTION = { geniharness_unknown_option: 'ignore me' };

export default defineCases(am3, { tags: ['options'], spec: ['am3/common#Options'] }, [
  {
    id: 'am3.options.describe-unknown-option',
    requirements: ['v2.options.accepted', 'v3c.structs.extra-entries-optional'],
    title: 'Describe of a new slice with an option the aggregate does not define',
    requirement: 'Aggregates ignore options they do not understand; Describe succeeds as without it',
    spec: ['am3#Describe'],
    tags: ['describe'],
    detects: [{ fault: 'unknown-option-rejected', check: 'geni-code' }],
    async run(t) {
      const slice = await t.newSlice();
      const res = await t.am.Describe([slice.urn], slice.credentials, { geni_rspec_version: rspecVersion(t), ...UNKNOWN_OPTION });
      t.verify(res, [geniCode.success()]);
    },
  },
  {
    id: 'am3.options.status-unknown-option',
    requirements: ['v2.options.accepted', 'v3c.structs.extra-entries-optional'],
    title: 'Status of a slice with reserved slivers, with an option the aggregate does not define',
    requirement: 'Aggregates ignore options they do not understand; Status succeeds as without it',
    spec: ['am3#Status'],
    tags: ['status'],
    detects: [{ fault: 'unknown-option-rejected', check: 'geni-code' }],
    // Only reads the slice: the run's shared one serves (src/runner/shared-fixtures.ts).
    needs: ['reserved-slice'],
    async run(t) {
      const slice = await t.sharedSlice('reserved-slice');
      t.verify(await t.am.Status([slice.urn], slice.credentials, UNKNOWN_OPTION), [geniCode.success()]);
    },
  },
  {
    id: 'am3.options.delete-unknown-option',
    requirements: ['v2.options.accepted', 'v3c.structs.extra-entries-optional'],
    title: 'Delete of an allocated slice with an option the aggregate does not define',
    requirement: 'Aggregates ignore options they do not understand; Delete succeeds as without it',
    spec: ['am3#Delete'],
    tags: ['delete'],
    detects: [{ fault: 'unknown-option-rejected', check: 'geni-code' }],
    async run(t) {
      const { slice } = await allocatedSlice(t);
      t.verify(await t.am.Delete([slice.urn], slice.credentials, UNKNOWN_OPTION), [geniCode.success()]);
    },
  },
  {
    id: 'am3.options.listresources-omitted',
    requirements: ['v2.options.required-argument'],
    title: 'ListResources called without the options argument',
    requirement: 'The options struct is required for every method but GetVersion; a call without it is refused, never served',
    spec: ['am3#ListResources'],
    tags: ['listresources', 'errors'],
    async run(t) {
      t.verify(await t.am.call('ListResources', [t.creds.user()]), [envelope.neverSuccess()]);
    },
  },
  {
    id: 'am3.options.describe-omitted',
    requirements: ['v2.options.required-argument', 'v3.describe.rspec-version-required'],
    title: 'Describe called without the options argument',
    requirement: 'The options struct is required; without it (and so without geni_rspec_version) Describe is refused',
    spec: ['am3#Describe'],
    tags: ['describe', 'errors'],
    async run(t) {
      const slice = await t.newSlice();
      t.verify(await t.am.call('Describe', [[slice.urn], slice.credentials]), [envelope.neverSuccess()]);
    },
  },
  {
    id: 'am3.options.not-a-struct',
    requirements: ['v2.options.required-argument', 'v2.return.no-fault-for-application-errors'],
    title: 'ListResources with a string where the options struct belongs',
    requirement: 'A malformed argument is an application error: BADARGS in the return struct',
    spec: ['am3#ListResources', 'am3/common#ErrorCodes'],
    tags: ['listresources', 'errors'],
    detects: [{ fault: 'error-as-fault', check: 'error-as-fault' }],
    async run(t) {
      t.verify(await t.am.call('ListResources', [t.creds.user(), 'geni_compressed']), [geniCode.refusal('BADARGS')]);
    },
  },
]);
