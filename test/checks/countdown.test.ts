import { describe, expect, it } from 'vitest';
import type { InboundCall } from '../../src/callback-endpoint';
import { countdown, resourceValues } from '../../src/checks';
import type { CheckContext } from '../../src/core';

const ctx: CheckContext = { spec: 'dynslice/client#NotifyDeletePending', strict: false };
const T0 = Date.UTC(2026, 10, 28, 12, 0, 0);
let seq = 0;

/** A call that arrived `ms` after T0 naming `nodes` (node_id → max_wait_time or value). */
function call(method: string, ms: number, nodes: Record<string, number>, extra: Partial<InboundCall> = {}): InboundCall {
  const key = method === 'SetResourceValues' ? 'value' : 'max_wait_time';
  const nodelist = Object.entries(nodes).map(([node_id, n]) => ({ node_id, client_id: `c-${node_id}`, [key]: n }));
  return { exchangeId: `x${++seq}`, method, params: [{ nodelist }], nodelist, arrivedAt: T0 + ms, answered: 'success', answeredAt: T0 + ms + 5, ...extra };
}
const pending = (ms: number, nodes: Record<string, number>, extra?: Partial<InboundCall>) => call('NotifyDeletePending', ms, nodes, extra);
const complete = (ms: number, nodes: string[]) => call('NotifyDeleteComplete', ms, Object.fromEntries(nodes.map((n) => [n, 0])));

/** The reference's countdown: 2 s wait, 0.5 s tick, taken at the deadline. */
const honest = () => [pending(0, { pc1: 2 }), pending(500, { pc1: 1.5 }), pending(1000, { pc1: 1 }), pending(1500, { pc1: 0.5 }), complete(2010, ['pc1'])];

describe('countdown checks', () => {
  it('pass an honest countdown', () => {
    const calls = honest();
    const checks = [
      countdown.nonIncreasing(), countdown.firstWait({ defwaittime: 2, maxwaittime: 5 }), countdown.tick({ tickSeconds: 0.5 }),
      countdown.deadlineKept({ slackMs: 250 }), countdown.releaseHonoured(), countdown.completeFollowsPending({ everyPendingCompleted: true }),
      countdown.silentAfter({ sinceMs: T0 + 2010, graceMs: 0, what: 'the end' }),
    ];
    expect(checks.flatMap((c) => c(calls, ctx))).toEqual([]);
  });

  it('nonIncreasing names both calls when max_wait_time goes up', () => {
    const calls = [pending(0, { pc1: 2 }), pending(500, { pc1: 1.5 }), pending(1000, { pc1: 2 })];
    expect(countdown.nonIncreasing()(calls, ctx)).toEqual([{
      check: 'countdown-non-increasing', title: 'max_wait_time went up between two countdown calls',
      expected: ['at most 1.5 (announced at 2026-11-28T12:00:00.500Z)'], actual: '2 at 2026-11-28T12:00:01.000Z',
      path: 'NotifyDeletePending.nodelist[node_id=pc1].max_wait_time', spec: 'dynslice/client#NotifyDeletePending', exchangeIds: [calls[1]!.exchangeId, calls[2]!.exchangeId],
    }]);
  });

  it('firstWait flags a start above defwaittime', () => {
    expect(countdown.firstWait({ defwaittime: 2, maxwaittime: 5 })([pending(0, { pc1: 5 })], ctx)).toMatchObject([{ check: 'countdown-first-wait', actual: '5' }]);
    expect(countdown.firstWait({ defwaittime: 6, maxwaittime: 5 })([], ctx)).toMatchObject([{ title: 'The registered defwaittime exceeds maxwaittime' }]);
  });

  it('tick judges the median interval, and notes when there are too few calls', () => {
    const fast = [0, 100, 200, 300, 400].map((ms) => pending(ms, { pc1: 2 - ms / 1000 }));
    expect(countdown.tick({ tickSeconds: 0.5 })(fast, ctx)).toMatchObject([{ check: 'countdown-tick', actual: 'median 0.100 s over 4 intervals' }]);
    // Five calls a tick, spread out by a loaded network so that the median looks like a tick: the count shows it.
    const crowded = Array.from({ length: 30 }, (_, i) => pending(Math.round(i * 160), { pc1: 1 }));
    expect(countdown.tick({ tickSeconds: 0.3 })(crowded, ctx)).toMatchObject([{ check: 'countdown-tick', title: 'More NotifyDeletePending calls than ticks', actual: '30 calls' }]);
    // One late timer does not decide.
    const jittery = [0, 500, 1400, 1900].map((ms) => pending(ms, { pc1: 1 }));
    expect(countdown.tick({ tickSeconds: 0.5 })(jittery, ctx)).toEqual([]);
    const notes: string[] = [];
    expect(countdown.tick({ tickSeconds: 0.5 })([pending(0, { pc1: 1 })], { ...ctx, note: (t) => notes.push(t) })).toEqual([]);
    expect(notes).toEqual(['only 1 NotifyDeletePending call(s): too few to judge the tick']);
  });

  it('deadlineKept flags an early reclaim, but not a released node or one announced with 0', () => {
    const early = [pending(0, { pc1: 2 }), pending(500, { pc1: 1.5 }), complete(1000, ['pc1'])];
    expect(countdown.deadlineKept({ slackMs: 250 })(early, ctx)).toMatchObject([{
      check: 'countdown-deadline', actual: 'NotifyDeleteComplete at 2026-11-28T12:00:01.000Z, 1.000 s early',
      expected: ['NotifyDeleteComplete no earlier than 2026-11-28T12:00:02.000Z (2 s after 2026-11-28T12:00:00.000Z)'],
    }]);
    expect(countdown.deadlineKept({ slackMs: 250 })([pending(0, { pc1: 2 }), complete(1800, ['pc1'])], ctx)).toEqual([]);
    // Counted from when the reclaim was asked for: a slow first notice cannot make a punctual server look early.
    const slowNotice = [pending(400, { pc1: 2 }), complete(2010, ['pc1'])];
    expect(countdown.deadlineKept({ slackMs: 50 })(slowNotice, ctx)).toHaveLength(1);
    expect(countdown.deadlineKept({ slackMs: 50, askedAt: T0 })(slowNotice, ctx)).toEqual([]);
    expect(countdown.deadlineKept({ slackMs: 50, askedAt: T0 })([pending(10, { pc1: 2 }), complete(1000, ['pc1'])], ctx)).toMatchObject([{
      expected: ['NotifyDeleteComplete no earlier than 2026-11-28T12:00:02.000Z (2 s after 2026-11-28T12:00:00.000Z, when the reclaim was asked for)'],
    }]);
    const released = [pending(0, { pc1: 2 }, { answered: 'release', released: ['pc1'] }), complete(20, ['pc1'])];
    expect(countdown.deadlineKept({ slackMs: 250 })(released, ctx)).toEqual([]);
    expect(countdown.deadlineKept({ slackMs: 250 })([pending(0, { pc1: 0 }), complete(5, ['pc1'])], ctx)).toEqual([]);
  });

  it('releaseHonoured wants a released node completed within half the time that was left', () => {
    const prompt = [pending(0, { pc1: 2 }, { answered: 'release', released: ['pc1'] }), complete(30, ['pc1'])];
    expect(countdown.releaseHonoured()(prompt, ctx)).toEqual([]);
    const ignored = [pending(0, { pc1: 2 }, { answered: 'release', released: ['pc1'] }), pending(500, { pc1: 1.5 }), complete(2000, ['pc1'])];
    expect(countdown.releaseHonoured()(ignored, ctx)).toMatchObject([{ check: 'countdown-release', title: 'Released node was not reclaimed without waiting' }]);
    expect(countdown.releaseHonoured()([pending(0, { pc1: 2 }, { answered: 'release', released: ['pc1'] })], ctx)).toMatchObject([{ title: 'Released node never reported deleted' }]);
  });

  it('completeFollowsPending flags a Complete out of nowhere and a pending node never completed', () => {
    expect(countdown.completeFollowsPending({ everyPendingCompleted: false })([complete(0, ['pc2']), pending(10, { pc1: 2 })], ctx)).toMatchObject([{
      check: 'countdown-complete-follows-pending', title: 'NotifyDeleteComplete for a node never announced pending', path: 'NotifyDeleteComplete.nodelist[node_id=pc2]',
    }]);
    expect(countdown.completeFollowsPending({ everyPendingCompleted: true })([pending(10, { pc1: 2 })], ctx)).toMatchObject([{ title: 'Node announced pending was never reported deleted' }]);
  });

  it('silentAfter flags every call after the grace period', () => {
    const calls = [pending(0, { pc1: 2 }), pending(500, { pc1: 1.5 }), complete(2000, ['pc1'])];
    expect(countdown.silentAfter({ sinceMs: T0 + 100, graceMs: 250, what: 'RemoveSliceClientEndpoint answered' })(calls, ctx)).toMatchObject([{
      check: 'callbacks-after-remove', exchangeIds: [calls[1]!.exchangeId, calls[2]!.exchangeId],
      actual: 'NotifyDeletePending at 2026-11-28T12:00:00.500Z; NotifyDeleteComplete at 2026-11-28T12:00:02.000Z',
    }]);
  });
});

describe('resourceValues checks', () => {
  it('inRange flags a value outside [0, 1] or not a number', () => {
    expect(resourceValues.inRange()([call('SetResourceValues', 0, { pc1: 0.5, pc2: 1 })], ctx)).toEqual([]);
    expect(resourceValues.inRange()([call('SetResourceValues', 0, { pc1: 1.5 })], ctx)).toMatchObject([{ check: 'dynslice-resource-values', actual: '1.5', path: 'SetResourceValues.nodelist[0].value' }]);
  });

  it('lifoOrdered wants older nodes valued above newer ones; equal values only under --strict', () => {
    const values = (old: number, young: number) => [call('SetResourceValues', 0, { pc1: old, pc2: young })];
    expect(resourceValues.lifoOrdered(['c-pc1', 'c-pc2'])(values(1, 0.5), ctx)).toEqual([]);
    expect(resourceValues.lifoOrdered(['c-pc1', 'c-pc2'])(values(0.5, 1), ctx)).toMatchObject([{ check: 'lifo-order', title: 'LIFO values a newer node above an older one' }]);
    expect(resourceValues.lifoOrdered(['c-pc1', 'c-pc2'])(values(1, 1), ctx)).toMatchObject([{ grade: 'strict-only' }]);
  });
});
