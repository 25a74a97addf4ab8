import { geniCode, sm } from '../../src/checks';
import { defineCases } from '../../src/runner/define';
import { sm as smSuite, type PeerBehaviour, type SmCaseContext } from '../../src/runner/sm-suite';
import { GENI3, freshAd, needPeers, peersAt } from './sm-steps';

/*
 * A slow or hostile aggregate behind the SM: one that never answers, answers garbage, or answers far too much. The
 * SM must report that aggregate and still answer for the others, within its own deadline.
 */

/** Peer 0 misbehaves on ListResources; the SM must still answer with the others' resources and name peer 0. */
async function despite(t: SmCaseContext, behaviour: PeerBehaviour): Promise<void> {
  needPeers(t, 2);
  await t.peers.configure(0, { ...behaviour, methods: ['ListResources'] });
  const observed = await t.observe(() => freshAd(t));
  t.verify(observed.response, [geniCode.success(), sm.statistics('ListResources', t.peers.list, peersAt(t, [0])), sm.noStackTrace()]);
  t.verify(observed, [sm.nodesAddUp()]);
}

export default defineCases(smSuite, { tags: ['listresources', 'errors'], spec: ['sfa-sm#FanOut', 'sfa-sm#Statistics'] }, [
  {
    id: 'sm.hostile.hang-within-deadline',
    title: 'ListResources while one aggregate never answers',
    requirement: 'The SM answers within its per-aggregate deadline, with the others\' resources, and reports the silent aggregate',
    level: 'MUST',
    tags: ['slow'],
    detects: [{ fault: 'no-peer-deadline', check: 'slice-manager' }],
    async run(t) {
      needPeers(t, 2);
      await t.peers.configure(0, { hostile: 'hang', methods: ['ListResources'] });
      const { deadlineMs } = t.smInfo;
      // Room for the SM's own work and a loaded machine; a wait without end is what the case catches.
      const marginMs = Math.max(5000, deadlineMs / 2);
      const timed = await t.timed(() => t.smWithin(deadlineMs + marginMs).ListResources(t.userCredentials(), { geni_rspec_version: GENI3, cached: false }));
      t.verify(timed, [sm.answeredWithin(deadlineMs, marginMs)]);
      if (timed.response) t.verify(timed.response, [geniCode.success(), sm.statistics('ListResources', t.peers.list, peersAt(t, [0]))]);
    },
  },
  {
    id: 'sm.hostile.garbage',
    title: 'ListResources while one aggregate answers with an HTML error page',
    requirement: 'The SM answers with the others\' resources and reports the broken aggregate as an exception',
    level: 'MUST',
    async run(t) {
      await despite(t, { hostile: 'garbage' });
    },
  },
  {
    id: 'sm.hostile.huge',
    title: 'ListResources while one aggregate answers 24 MiB',
    requirement: 'The SM bounds what it reads from an aggregate, answers with the others\' resources and reports the one that sent too much',
    level: 'MUST',
    async run(t) {
      await despite(t, { hostile: 'huge' });
    },
  },
]);
