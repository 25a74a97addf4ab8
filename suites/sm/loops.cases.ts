import { geniCode, sm } from '../../src/checks';
import { defineCases } from '../../src/runner/define';
import { sm as smSuite } from '../../src/runner/sm-suite';
import { GENI3, allocatedAt, needPeers } from './sm-steps';

/*
 * Peered slice managers (SFA: "prevent infinite loop. Dont send request back to caller unless the caller is the
 * aggregate's SM"): when another SM calls, the aggregate that SM speaks for gets nothing forwarded back. The
 * harness plays that peered SM with the GID whose hrn is its last peer's. SFA's v3 SM forgot the check in Status
 * and Describe.
 */
export default defineCases(smSuite, { tags: ['auth'], spec: ['sfa-sm#Loops'] }, [
  {
    id: 'sm.loops.listresources',
    title: 'ListResources from a peered slice manager',
    requirement: "Nothing is forwarded back to the calling SM's own aggregate; every other aggregate is asked",
    level: 'MUST',
    tags: ['listresources'],
    detects: [{ fault: 'forwards-back-to-caller', check: 'slice-manager' }],
    async run(t) {
      needPeers(t, 2);
      const last = t.peers.list.length - 1;
      const peered = t.asPeeredSm(last);
      const { response, calls } = await t.observe(() => peered.sm.ListResources(peered.credentials(), { geni_rspec_version: GENI3, cached: false }));
      t.verify(response, [geniCode.success()]);
      t.verify(calls, [sm.noCallsTo(t.peers.list[last]!, [response.exchangeId]), sm.calledOnceEach('ListResources', t.peers.list.slice(0, last), [response.exchangeId])]);
    },
  },
  {
    id: 'sm.loops.status',
    title: 'Status from a peered slice manager',
    requirement: "Status too is never forwarded back to the calling SM's own aggregate",
    level: 'MUST',
    tags: ['status'],
    detects: [{ fault: 'status-describe-loop-back', check: 'slice-manager' }, { fault: 'forwards-back-to-caller', check: 'slice-manager' }],
    async run(t) {
      needPeers(t, 2);
      const last = t.peers.list.length - 1;
      const { slice } = await allocatedAt(t, [0]);
      const peered = t.asPeeredSm(last);
      const { response, calls } = await t.observe(() => peered.sm.Status([slice.urn], peered.sliceCredentials(slice), {}));
      t.verify(calls, [sm.noCallsTo(t.peers.list[last]!, [response.exchangeId])]);
    },
  },
  {
    id: 'sm.loops.describe',
    title: 'Describe from a peered slice manager',
    requirement: "Describe too is never forwarded back to the calling SM's own aggregate",
    level: 'MUST',
    tags: ['describe'],
    detects: [{ fault: 'status-describe-loop-back', check: 'slice-manager' }, { fault: 'forwards-back-to-caller', check: 'slice-manager' }],
    async run(t) {
      needPeers(t, 2);
      const last = t.peers.list.length - 1;
      const { slice } = await allocatedAt(t, [0]);
      const peered = t.asPeeredSm(last);
      const { response, calls } = await t.observe(() => peered.sm.Describe([slice.urn], peered.sliceCredentials(slice), { geni_rspec_version: GENI3 }));
      t.verify(calls, [sm.noCallsTo(t.peers.list[last]!, [response.exchangeId])]);
    },
  },
]);
