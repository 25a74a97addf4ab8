import fc from 'fast-check';
import { sm } from '../../src/checks';
import type { Finding } from '../../src/core';
import { defineCases } from '../../src/runner/define';
import { sm as smSuite, type SmCaseContext } from '../../src/runner/sm-suite';
import { freshAd, needPeers, peersAt } from './sm-steps';

/*
 * The fan-out properties over generated set-ups (fast-check, seeded by the case): which aggregates fail and how,
 * which are slow, how many slivers each holds. Each generated set-up runs with the peers reset and its slices
 * deleted afterwards; a failure is shrunk to the smallest set-up that shows it.
 */

type Failure = 'refuse' | 'garbage';

/** Findings of `checks` on `observed`, with the case's anchor (what t.verify records, returned instead). */
function judge<T>(t: SmCaseContext, observed: T, checks: Array<(o: T, ctx: { strict: boolean; spec?: string }) => Finding[]>): Finding[] {
  return checks.flatMap((check) => check(observed, { strict: t.strict, spec: 'sfa-sm#Statistics' }));
}

export default defineCases(smSuite, { tags: ['property'], spec: ['sfa-sm#FanOut'] }, [
  {
    id: 'sm.property.failing-peers',
    title: 'ListResources with generated sets of failing aggregates (refusing or answering garbage)',
    requirement: 'Whatever fails, every aggregate appears once in <statistics> with the right status, and the merged advertisement holds exactly the nodes of those that answered',
    level: 'MUST',
    spec: ['sfa-sm#Statistics', 'sfa-sm#Merge'],
    tags: ['listresources', 'errors'],
    detects: [{ fault: 'statistics-omit-failed-peer', check: 'slice-manager' }],
    async run(t) {
      needPeers(t, 2);
      const n = t.peers.list.length;
      const failures = fc.array(fc.option(fc.constantFrom<Failure>('refuse', 'garbage'), { nil: undefined }), { minLength: n, maxLength: n });
      await t.property({
        arbitrary: failures,
        describe: (f) => f.map((x, i) => `peer${i}: ${x ?? 'answers'}`).join(', '),
        async check(plan) {
          for (const [i, kind] of plan.entries()) {
            if (kind === 'refuse') await t.peers.configure(i, { refuse: { geniCode: 7 }, methods: ['ListResources'] });
            if (kind === 'garbage') await t.peers.configure(i, { hostile: 'garbage', methods: ['ListResources'] });
          }
          const failed = plan.flatMap((kind, i) => (kind ? [i] : []));
          const observed = await t.observe(() => freshAd(t));
          return [
            ...judge(t, observed.response, [sm.statistics('ListResources', t.peers.list, peersAt(t, failed)), sm.noStackTrace()]),
            ...judge(t, observed, [sm.nodesAddUp()]),
          ];
        },
      });
    },
  },
  {
    id: 'sm.property.slivers-per-peer',
    title: 'Allocate then Status with a generated number of slivers at each aggregate',
    requirement: 'However the slivers are spread, the merged geni_slivers of Allocate and of Status add up to what the aggregates made, each URN of its maker',
    level: 'MUST',
    spec: ['sfa-sm#Merge'],
    tags: ['allocate', 'status'],
    async run(t) {
      const n = t.peers.list.length;
      const spread = fc.array(fc.integer({ min: 0, max: 2 }), { minLength: n, maxLength: n }).filter((counts) => counts.some((c) => c > 0));
      await t.property({
        arbitrary: spread,
        costly: true,
        describe: (counts) => counts.map((c, i) => `peer${i}: ${c}`).join(', '),
        async check(counts) {
          const slice = await t.newSlice();
          const request = t.requestSpread(counts);
          const allocate = await t.observe(() => t.sm.Allocate(slice.urn, slice.credentials, request, {}));
          const status = await t.observe(() => t.sm.Status([slice.urn], slice.credentials, {}));
          return [
            ...judge(t, allocate, [sm.sliversAddUp('Allocate', t.peers.list)]),
            ...judge(t, status, [sm.sliversAddUp('Status', t.peers.list)]),
          ];
        },
      });
    },
  },
  {
    id: 'sm.property.slow-peers',
    title: 'ListResources with generated sets of slow aggregates',
    requirement: 'Aggregates slower than others but within the deadline are waited for: all of them are in the merged advertisement, each a success in <statistics>',
    level: 'MUST',
    spec: ['sfa-sm#Statistics', 'sfa-sm#Merge'],
    tags: ['listresources', 'slow'],
    async run(t) {
      const n = t.peers.list.length;
      const delays = fc.array(fc.constantFrom(0, 100, 300), { minLength: n, maxLength: n });
      await t.property({
        arbitrary: delays,
        costly: true,
        describe: (d) => d.map((ms, i) => `peer${i}: ${ms} ms`).join(', '),
        async check(plan) {
          for (const [i, ms] of plan.entries()) if (ms > 0) await t.peers.configure(i, { delayMs: ms, methods: ['ListResources'] });
          const observed = await t.observe(() => freshAd(t));
          return [...judge(t, observed.response, [sm.statistics('ListResources', t.peers.list)]), ...judge(t, observed, [sm.nodesAddUp()])];
        },
      });
    },
  },
]);
