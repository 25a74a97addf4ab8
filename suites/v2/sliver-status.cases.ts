/**
 * SliverStatus(slice_urn, credentials, options) in AM API v2: value is the v1 status struct {geni_urn, geni_status,
 * geni_resources: [{geni_urn, geni_status, geni_error}]}; the overall status follows the resources with the
 * precedence failed > configuring > all ready > unknown.
 */
import { envelope, field, geniCode, valueMatches } from '../../src/checks';
import { v2 } from '../../src/checks/v2';
import { defineCases } from '../../src/runner/define';
import { UNKNOWN_OPTION, createdSlice, mixedRequest, precondition } from './v2-steps';
import { am2 } from '../../src/runner/am-suites';

export default defineCases(am2, { tags: ['status', 'destructive'], spec: ['am2#SliverStatus'] }, [
  {
    id: 'am2.sliverstatus.envelope',
    requirements: ['v2.return.struct-everywhere'],
    title: 'SliverStatus of a slice with slivers',
    requirement: 'Succeeds with the v2 return struct',
    spec: ['am2#ReturnStruct'],
    tags: ['envelope'],
    async run(t) {
      const { slice } = await createdSlice(t);
      t.verify(await t.v2.SliverStatus(slice.urn, slice.credentials, {}), [envelope.shape(), geniCode.success()]);
    },
  },
  {
    id: 'am2.sliverstatus.structure',
    requirements: ['v1.sliverstatus.structure'],
    title: 'SliverStatus: the structure of value',
    requirement: 'value has geni_urn, geni_status and a non-empty geni_resources list, each with geni_urn, geni_status and a geni_error string; statuses are configuring, ready, failed or unknown',
    async run(t) {
      const { slice } = await createdSlice(t);
      t.verify(await t.v2.SliverStatus(slice.urn, slice.credentials, {}), [geniCode.success(), valueMatches('v2/sliver-status')]);
    },
  },
  {
    id: 'am2.sliverstatus.overall-precedence',
    requirements: ['v1.sliverstatus.overall-precedence'],
    title: 'SliverStatus of a slice with a VM and a bare-metal node',
    requirement: 'The overall status is failed if any resource failed, else configuring if any is configuring, else ready if all are ready, else unknown',
    detects: [{ fault: 'v2-sliverstatus-wrong-precedence', check: 'sliver-status' }],
    async run(t) {
      const slice = await t.newSlice();
      precondition(t, await t.v2.CreateSliver(slice.urn, slice.credentials, await mixedRequest(t), [], {}), 'CreateSliver');
      t.verify(await t.v2.SliverStatus(slice.urn, slice.credentials, {}), [geniCode.success(), valueMatches('v2/sliver-status'), v2.statusPrecedence()]);
    },
  },
  {
    id: 'am2.sliverstatus.overall-precedence-uniform',
    requirements: ['v1.sliverstatus.overall-precedence'],
    title: 'SliverStatus of a slice with two VMs, asked twice',
    requirement: 'With resources in one state the overall status is that state (ready when all are ready), answer after answer',
    async run(t) {
      const { slice } = await createdSlice(t, { nodes: 2 });
      for (let i = 0; i < 2; i++) t.verify(await t.v2.SliverStatus(slice.urn, slice.credentials, {}), [geniCode.success(), v2.statusPrecedence()]);
    },
  },
  {
    id: 'am2.sliverstatus.resource-urns',
    requirements: ['v1.sliverstatus.structure'],
    title: 'SliverStatus: geni_resources[*].geni_urn',
    requirement: 'Each resource is named by a GENI URN',
    spec: ['identifiers#URNs'],
    async run(t) {
      const { slice } = await createdSlice(t);
      const res = await t.v2.SliverStatus(slice.urn, slice.credentials, {});
      precondition(t, res, 'SliverStatus');
      t.verify(res, [field('value.geni_urn').kind('string'), field('value.geni_resources[*].geni_urn').matches(/^urn:publicid:IDN\+[^+]+\+[^+]+\+.+$/, 'a GENI URN (urn:publicid:IDN+<authority>+<type>+<name>)')]);
    },
  },
  {
    id: 'am2.sliverstatus.error-strings',
    requirements: ['v1.sliverstatus.structure'],
    title: 'SliverStatus: geni_resources[*].geni_error',
    requirement: 'Every resource carries geni_error as a string (empty when nothing failed), as the acceptance suite demands',
    async run(t) {
      const { slice } = await createdSlice(t);
      t.verify(await t.v2.SliverStatus(slice.urn, slice.credentials, {}), [field('value.geni_resources[*].geni_error').kind('string')]);
    },
  },
  {
    id: 'am2.sliverstatus.no-slivers',
    requirements: ['v2.return.code-nonzero-on-error', 'v1.sliverstatus.structure'],
    title: 'SliverStatus of a slice with no slivers here',
    requirement: 'Status of a slice the aggregate holds nothing for fails (SEARCHFAILED preferred); the acceptance suite requires an error for v1 and v2',
    spec: ['am2#ErrorCodes'],
    tags: ['errors'],
    async run(t) {
      const slice = await t.newSlice();
      t.verify(await t.v2.SliverStatus(slice.urn, slice.credentials, {}), [envelope.shape(), geniCode.refusal('SEARCHFAILED')]);
    },
  },
  {
    id: 'am2.sliverstatus.unknown-option-ignored',
    requirements: ['v2.options.accepted'],
    title: 'SliverStatus with an option the aggregate does not define',
    requirement: 'Unknown options are ignored; the call succeeds',
    spec: ['am2/draft#ChangeSetB'],
    tags: ['options'],
    async run(t) {
      const { slice } = await createdSlice(t);
      t.verify(await t.v2.SliverStatus(slice.urn, slice.credentials, UNKNOWN_OPTION), [geniCode.success()]);
    },
  },
]);
