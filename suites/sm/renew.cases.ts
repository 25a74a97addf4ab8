import { geniCode, sm, slivers } from '../../src/checks';
import { defineCases } from '../../src/runner/define';
import { sm as smSuite } from '../../src/runner/sm-suite';
import { allocatedAt, inAnHour, needPeers } from './sm-steps';

/*
 * Renew through the slice manager. SFA's v3 SM AND-ed the aggregates' values into a boolean and kept the last
 * non-zero geni_code it happened to see; a v3 Renew returns the renewed slivers, and a combined answer must say
 * which aggregate failed and must not depend on which aggregate answered first.
 */
export default defineCases(smSuite, { tags: ['renew'], spec: ['sfa-sm#Renew', 'am3#Renew'] }, [
  {
    id: 'sm.renew.merged-slivers',
    title: 'Renew of a slice with slivers at two aggregates',
    requirement: 'When every aggregate renews, the value is the v3 sliver list: the aggregates\' lists concatenated (not a boolean)',
    level: 'MUST',
    detects: [{ fault: 'renew-value-boolean', check: 'slice-manager' }],
    async run(t) {
      needPeers(t, 2);
      const { slice } = await allocatedAt(t, [0, 1]);
      const observed = await t.observe(() => t.sm.Renew([slice.urn], slice.credentials, inAnHour(), {}));
      t.verify(observed.response, [geniCode.success(), slivers.sliverUrnsValid('value')]);
      t.verify(observed, [sm.sliversAddUp('Renew', t.peers.list, 'value')]);
    },
  },
  {
    id: 'sm.renew.failing-peer-reported',
    title: 'Renew while one of the two aggregates refuses it',
    requirement: "The combined Renew does not claim success, and names the aggregate that failed",
    level: 'MUST',
    tags: ['errors'],
    detects: [{ fault: 'renew-ignores-peer-failure', check: 'slice-manager' }],
    async run(t) {
      needPeers(t, 2);
      const { slice } = await allocatedAt(t, [0, 1]);
      await t.peers.configure(1, { refuse: { geniCode: 7 }, methods: ['Renew'] });
      t.verify(await t.sm.Renew([slice.urn], slice.credentials, inAnHour(), {}), [sm.failureReported(t.peers.list[1]!)]);
    },
  },
  {
    id: 'sm.renew.code-independent-of-timing',
    title: 'Renew refused by two aggregates with different codes, in both orders of answer',
    requirement: 'The same outcomes at the aggregates give the same combined geni_code, whichever aggregate answers first',
    level: 'MUST',
    tags: ['errors', 'slow'],
    detects: [{ fault: 'renew-last-nonzero-code', check: 'slice-manager' }],
    async run(t) {
      needPeers(t, 2);
      const { slice } = await allocatedAt(t, [0, 1]);
      const renewWith = async (slow: number) => {
        await t.peers.configure(0, { refuse: { geniCode: 7 }, delayMs: slow === 0 ? 1000 : 0, methods: ['Renew'] });
        await t.peers.configure(1, { refuse: { geniCode: 19 }, delayMs: slow === 1 ? 1000 : 0, methods: ['Renew'] });
        return t.sm.Renew([slice.urn], slice.credentials, inAnHour(), {});
      };
      const first = await renewWith(0);
      const second = await renewWith(1);
      t.verify(first, [geniCode.refusal()]);
      t.verify(second, [geniCode.refusal(), sm.sameCodeAs(first)]);
    },
  },
  {
    id: 'sm.renew.defined-code-when-peer-breaks',
    title: 'Renew while one aggregate answers with an HTML error page',
    requirement: 'The combined geni_code is one of the GENI codes (an unreachable or broken aggregate is not -1), and the broken aggregate is named',
    level: 'MUST',
    spec: ['am3/common#ErrorCodes'],
    tags: ['errors'],
    detects: [{ fault: 'transport-failure-code-minus-one', check: 'geni-code' }],
    async run(t) {
      needPeers(t, 2);
      const { slice } = await allocatedAt(t, [0, 1]);
      await t.peers.configure(1, { hostile: 'garbage', methods: ['Renew'] });
      t.verify(await t.sm.Renew([slice.urn], slice.credentials, inAnHour(), {}), [sm.definedCode(), sm.failureReported(t.peers.list[1]!)]);
    },
  },
]);
