import { geniCode, sm } from '../../src/checks';
import type { AmResponse } from '../../src/geni/methods';
import { defineCases } from '../../src/runner/define';
import { sm as smSuite, type SmCaseContext } from '../../src/runner/sm-suite';
import { allocatedAt, GENI3, inAnHour } from './sm-steps';

/*
 * call_id (SFA Callids): a call_id the SM has handled before is answered at once with an empty value ('' for
 * ListResources, Allocate, Provision and Delete; true for Renew; {} for Status and Describe) and no aggregate is
 * asked again: that is what makes a retried call harmless and breaks loops between peered slice managers.
 */

/** Sends `call` twice with one call_id; judges the second answer and what reached the peers meanwhile. */
async function repeated(t: SmCaseContext, method: string, call: (callId: string) => Promise<AmResponse>): Promise<void> {
  const callId = t.callId();
  const first = await call(callId);
  if (first.envelope?.geniCode !== 0) t.skip(`precondition: the first ${method} with call_id ${callId} did not succeed`);
  const { response, calls } = await t.observe(() => call(callId));
  t.verify(response, [sm.emptyRepeatAnswer(method)]);
  t.verify(calls, [sm.noCalls(`call_id ${callId} was handled before`, [first.exchangeId, response.exchangeId])]);
}

export default defineCases(smSuite, { tags: ['options'], spec: ['sfa-sm#CallId'] }, [
  {
    id: 'sm.callid.repeat-listresources',
    title: 'ListResources twice with the same call_id',
    requirement: "The repeated call gets '' and reaches no aggregate",
    level: 'MUST',
    tags: ['listresources'],
    async run(t) {
      await repeated(t, 'ListResources', (callId) => t.sm.ListResources(t.userCredentials(), { geni_rspec_version: GENI3, cached: false, call_id: callId }));
    },
  },
  {
    id: 'sm.callid.repeat-allocate',
    title: 'Allocate twice with the same call_id',
    requirement: "The repeated Allocate gets '' and allocates nothing more at any aggregate",
    level: 'MUST',
    tags: ['allocate'],
    detects: [{ fault: 'repeated-call-id-allocates-again', check: 'slice-manager' }],
    async run(t) {
      const slice = await t.newSlice();
      const request = t.requestFor([0]);
      await repeated(t, 'Allocate', (callId) => t.sm.Allocate(slice.urn, slice.credentials, request, { call_id: callId }));
    },
  },
  {
    id: 'sm.callid.repeat-provision',
    title: 'Provision twice with the same call_id',
    requirement: "The repeated Provision gets '' and reaches no aggregate",
    level: 'MUST',
    tags: ['provision'],
    async run(t) {
      const { slice } = await allocatedAt(t, [0]);
      await repeated(t, 'Provision', (callId) => t.sm.Provision([slice.urn], slice.credentials, { geni_rspec_version: GENI3, call_id: callId }));
    },
  },
  {
    id: 'sm.callid.repeat-renew',
    title: 'Renew twice with the same call_id',
    requirement: 'The repeated Renew gets true and reaches no aggregate',
    level: 'MUST',
    tags: ['renew'],
    async run(t) {
      const { slice } = await allocatedAt(t, [0]);
      await repeated(t, 'Renew', (callId) => t.sm.Renew([slice.urn], slice.credentials, inAnHour(), { call_id: callId }));
    },
  },
  {
    id: 'sm.callid.repeat-status',
    title: 'Status twice with the same call_id',
    requirement: 'The repeated Status gets {} and reaches no aggregate',
    level: 'MUST',
    tags: ['status'],
    async run(t) {
      const { slice } = await allocatedAt(t, [0]);
      await repeated(t, 'Status', (callId) => t.sm.Status([slice.urn], slice.credentials, { call_id: callId }));
    },
  },
  {
    id: 'sm.callid.repeat-describe',
    title: 'Describe twice with the same call_id',
    requirement: 'The repeated Describe gets {} and reaches no aggregate',
    level: 'MUST',
    tags: ['describe'],
    async run(t) {
      const { slice } = await allocatedAt(t, [0]);
      await repeated(t, 'Describe', (callId) => t.sm.Describe([slice.urn], slice.credentials, { geni_rspec_version: GENI3, call_id: callId }));
    },
  },
  {
    id: 'sm.callid.repeat-delete',
    title: 'Delete twice with the same call_id',
    requirement: "The repeated Delete gets '' and reaches no aggregate",
    level: 'MUST',
    tags: ['delete'],
    async run(t) {
      const { slice } = await allocatedAt(t, [0]);
      await repeated(t, 'Delete', (callId) => t.sm.Delete([slice.urn], slice.credentials, { call_id: callId }));
    },
  },
  {
    id: 'sm.callid.fresh-id-full-behaviour',
    title: 'Allocate with a fresh call_id after another Allocate',
    requirement: 'A call_id not seen before gets the full behaviour: the aggregates are asked, with that call_id, and allocate',
    level: 'MUST',
    tags: ['allocate'],
    async run(t) {
      const slice = await t.newSlice();
      await t.sm.Allocate(slice.urn, slice.credentials, t.requestFor([0]), { call_id: t.callId() });
      const fresh = t.callId();
      const observed = await t.observe(() => t.sm.Allocate(slice.urn, slice.credentials, t.requestFor([1]), { call_id: fresh }));
      t.verify(observed.response, [geniCode.success()]);
      t.verify(observed.calls, [sm.forwardedCallId('Allocate', fresh, [observed.response.exchangeId])]);
      t.verify(observed, [sm.sliversAddUp('Allocate', t.peers.list)]);
    },
  },
]);
