import { geniCode, rspec, sm } from '../../src/checks';
import { defineCases } from '../../src/runner/define';
import { sm as smSuite } from '../../src/runner/sm-suite';
import { allPeers, freshAd, needPeers, peersAt } from './sm-steps';

/*
 * ListResources through the slice manager: one call fanned out to every aggregate, one merged advertisement, and
 * SFA's <statistics> naming each aggregate with how long it took and whether it answered.
 */
export default defineCases(smSuite, { tags: ['listresources'], spec: ['sfa-sm#FanOut', 'am3#ListResources'] }, [
  {
    id: 'sm.listresources.statistics-every-peer',
    title: 'ListResources (cached: false) through the slice manager',
    requirement: 'The merged advertisement carries <statistics call="ListResources"> naming every aggregate exactly once, with a numeric elapsed and status success',
    level: 'MUST',
    spec: ['sfa-sm#Statistics'],
    tags: ['smoke'],
    async run(t) {
      const res = await freshAd(t);
      t.verify(res, [geniCode.success(), sm.statistics('ListResources', t.peers.list)]);
    },
  },
  {
    id: 'sm.listresources.merged-valid',
    title: 'The merged advertisement against the GENI v3 ad schema',
    requirement: "The merged advertisement is a valid GENI v3 advertisement once the SM's own <statistics> (in no GENI schema) is set aside",
    level: 'MUST',
    spec: ['sfa-sm#Merge', 'am3/common#RSpecDatatype'],
    tags: ['rspec'],
    async run(t) {
      t.verify(await freshAd(t), [sm.validBesideStatistics('advertisement')]);
    },
  },
  {
    id: 'sm.listresources.all-nodes-merged',
    title: "The merged advertisement against every aggregate's own",
    requirement: 'Every node each aggregate advertised is in the merged advertisement, and nothing else',
    level: 'MUST',
    spec: ['sfa-sm#Merge'],
    async run(t) {
      t.verify(await t.observe(() => freshAd(t)), [sm.nodesAddUp()]);
    },
  },
  {
    id: 'sm.listresources.calls-every-peer-once',
    title: 'The calls ListResources makes at the aggregates',
    requirement: 'Each aggregate receives the call exactly once, with the caller\'s call_id in its options',
    level: 'MUST',
    spec: ['sfa-sm#CallId'],
    detects: [{ fault: 'call-id-not-forwarded', check: 'slice-manager' }],
    async run(t) {
      const callId = t.callId();
      const { response, calls } = await t.observe(() => freshAd(t, { call_id: callId }));
      t.verify(calls, [sm.calledOnceEach('ListResources', t.peers.list, [response.exchangeId]), sm.forwardedCallId('ListResources', callId, [response.exchangeId])]);
    },
  },
  {
    id: 'sm.listresources.forwards-options',
    title: 'ListResources with geni_available through the slice manager',
    requirement: "The caller's options reach every aggregate as sent (geni_available here), and the merged advertisement honours them",
    level: 'MUST',
    tags: ['options'],
    async run(t) {
      const { response, calls } = await t.observe(() => freshAd(t, { geni_available: true }));
      t.verify(calls, [sm.forwardedOptions('ListResources', { geni_available: true }, [response.exchangeId])]);
      t.verify(response, [rspec.allNodesAvailable()]);
    },
  },
  {
    id: 'sm.listresources.compressed',
    title: 'ListResources with geni_compressed through the slice manager',
    requirement: 'With geni_compressed the merged advertisement comes back compressed and decodes to a valid merged advertisement',
    level: 'MUST',
    spec: ['am3/common#geni_compressed'],
    tags: ['compression'],
    async run(t) {
      const res = await freshAd(t, { geni_compressed: true });
      t.verify(res, [geniCode.success(), sm.validBesideStatistics('advertisement'), sm.statistics('ListResources', t.peers.list)]);
    },
  },
  {
    id: 'sm.listresources.missing-rspec-version',
    title: 'ListResources without geni_rspec_version through the slice manager',
    requirement: 'geni_rspec_version is required; without it the SM refuses (BADARGS) and asks no aggregate',
    level: 'MUST',
    spec: ['am3/details#ListResources'],
    tags: ['options'],
    async run(t) {
      const { response, calls } = await t.observe(() => t.sm.ListResources(t.userCredentials(), { cached: false }));
      t.verify(response, [geniCode.refusal('BADARGS')]);
      t.verify(calls, [sm.noCalls('the request is refused before any fan-out', [response.exchangeId])]);
    },
  },
  {
    id: 'sm.listresources.unsupported-rspec-version',
    title: 'ListResources with an RSpec version the slice manager does not offer',
    requirement: 'An unadvertised geni_rspec_version is refused (BADVERSION)',
    level: 'MUST',
    spec: ['am3/details#ListResources'],
    tags: ['options'],
    async run(t) {
      t.verify(await t.sm.ListResources(t.userCredentials(), { geni_rspec_version: { type: 'NoSuch', version: '9' }, cached: false }), [geniCode.refusal('BADVERSION')]);
    },
  },
  {
    id: 'sm.listresources.parallel',
    title: 'ListResources with every aggregate answering after one second',
    requirement: 'The SM calls its aggregates in parallel: every aggregate has the call before the first one answers',
    level: 'MUST',
    spec: ['sfa-sm#FanOut'],
    tags: ['slow'],
    detects: [{ fault: 'sequential-fan-out', check: 'slice-manager' }],
    async run(t) {
      needPeers(t, 2);
      for (const i of allPeers(t)) await t.peers.configure(i, { delayMs: 1000, methods: ['ListResources'] });
      const { response, calls } = await t.observe(() => freshAd(t));
      t.verify(calls, [sm.calledInParallel('ListResources', [response.exchangeId])]);
    },
  },
  {
    id: 'sm.listresources.failed-peer-in-statistics',
    title: 'ListResources while one aggregate refuses it',
    requirement: 'The SM still answers with the others\' resources, and its statistics name the refusing aggregate once, as an exception',
    level: 'MUST',
    spec: ['sfa-sm#Statistics'],
    tags: ['errors'],
    detects: [{ fault: 'statistics-omit-failed-peer', check: 'slice-manager' }],
    async run(t) {
      needPeers(t, 2);
      await t.peers.configure(0, { refuse: { geniCode: 11 }, methods: ['ListResources'] });
      const { response, calls } = await t.observe(() => freshAd(t));
      t.verify(response, [geniCode.success(), sm.statistics('ListResources', t.peers.list, peersAt(t, [0]))]);
      t.verify({ response, calls }, [sm.nodesAddUp()]);
    },
  },
  {
    id: 'sm.listresources.no-stack-trace',
    title: 'ListResources while one aggregate answers with an HTML error page',
    requirement: "The SM reports the aggregate's failure in one line: no stack trace in the RSpec (internals are no business of the caller's)",
    level: 'MUST',
    spec: ['sfa-sm#Statistics'],
    tags: ['errors'],
    detects: [{ fault: 'statistics-stack-trace', check: 'slice-manager' }],
    async run(t) {
      needPeers(t, 2);
      await t.peers.configure(0, { hostile: 'garbage', methods: ['ListResources'] });
      const res = await freshAd(t);
      t.verify(res, [sm.statistics('ListResources', t.peers.list, peersAt(t, [0])), sm.noStackTrace()]);
    },
  },
]);

