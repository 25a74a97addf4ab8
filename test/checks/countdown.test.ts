import { describe, expect, it } from 'vitest';
import { steppedClock, type InboundCall } from '../../src/callback-endpoint';
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

  it('tick judges calls per tick on the server\'s own countdown, whatever the arrival times', () => {
    // Five calls a tick (max_wait_time down a fifth of a tick each time), however the arrivals were spread.
    const crowded = Array.from({ length: 25 }, (_, i) => pending(Math.round(i * 160), { pc1: 2 - i * 0.06 }));
    expect(countdown.tick({ tickSeconds: 0.3 })(crowded, ctx)).toMatchObject([{
      check: 'countdown-tick', title: 'More NotifyDeletePending calls than ticks of the server\'s own countdown', actual: '25 calls',
      expected: ['at most 11 calls naming pc1 while its max_wait_time went from 2 to 0.56 (1.440 s; tick 0.3 s)'], path: 'NotifyDeletePending.nodelist[node_id=pc1]',
    }]);
    // The same five-a-tick burst arriving a tick apart (a loaded network bunching them up or spreading them out) too.
    const bursts = [0, 1, 2, 3].flatMap((k) => Array.from({ length: 5 }, () => pending(k * 300, { pc1: 2 - k * 0.3 })));
    expect(countdown.tick({ tickSeconds: 0.3 })(bursts, ctx)).toMatchObject([{ check: 'countdown-tick', actual: '20 calls' }]);
    // An honest countdown whose calls all arrived at once (a stalled network) is not too frequent: its values say so.
    const stalled = [2, 1.7, 1.4, 1.1].map((wait) => pending(900, { pc1: wait }));
    expect(countdown.tick({ tickSeconds: 0.3 })(stalled, ctx)).toEqual([]);
    // A late timer or a skipped tick (a slow answer) only makes fewer calls.
    const skipping = [2, 1.4, 1.1, 0.2].map((wait, i) => pending(i * 700, { pc1: wait }));
    expect(countdown.tick({ tickSeconds: 0.3 })(skipping, ctx)).toEqual([]);
    // A countdown that goes up is nonIncreasing's to report, not a clock for this one.
    expect(countdown.tick({ tickSeconds: 0.3 })([0.3, 0.6, 0.9, 1.2].map((wait, i) => pending(i * 300, { pc1: wait })), ctx)).toEqual([]);
  });

  it('tick flags calls several ticks apart (median, on the clock given), and notes when there are too few calls', () => {
    const slow = [0, 3000, 6000, 9000].map((ms) => pending(ms, { pc1: 10 - ms / 1000 }));
    expect(countdown.tick({ tickSeconds: 0.5 })(slow, ctx)).toMatchObject([{ check: 'countdown-tick', title: 'Countdown calls come several ticks apart', actual: 'median 3.000 s over 3 intervals', expected: ['a median interval of at most 2.500 s (tick 0.5 s)'] }]);
    // One late timer does not decide.
    const jittery = [0, 500, 1400, 1900].map((ms, i) => pending(ms, { pc1: 3 - i * 0.5 }));
    expect(countdown.tick({ tickSeconds: 0.5 })(jittery, ctx)).toEqual([]);
    const notes: string[] = [];
    expect(countdown.tick({ tickSeconds: 0.5 })([pending(0, { pc1: 1 })], { ...ctx, note: (t) => notes.push(t) })).toEqual([]);
    expect(notes).toEqual(['only 1 NotifyDeletePending call(s): too few to judge how far apart they come']);
  });

  it('on a stepped clock, durations are ticks of the server\'s countdown, not arrival times', () => {
    // Steps answered at these wall times (step 0: the reclaim); tick 0.2 s. The calls arrived late and bunched up.
    const clock = steppedClock([T0 + 900, T0 + 3000, T0 + 3100, T0 + 3200, T0 + 3300, T0 + 3400], 200);
    const early = [pending(800, { pc1: 1 }), pending(2900, { pc1: 0.8 }), complete(3050, ['pc1'])];
    // On the wall clock the Complete came 2.25 s after the reclaim, past its 1 s deadline; on the server's it came at tick 2.
    expect(countdown.deadlineKept({ slackMs: 50, askedAt: T0 })(early, ctx)).toEqual([]);
    expect(countdown.deadlineKept({ slackMs: 50, askedAt: 0, clock })(early, ctx)).toMatchObject([{
      check: 'countdown-deadline', actual: 'NotifyDeleteComplete at tick 2 (0.400 s into the stepped countdown), 0.600 s early',
      expected: ['NotifyDeleteComplete no earlier than tick 5 (1.000 s into the stepped countdown) (1 s after tick 0 (0.000 s into the stepped countdown), when the reclaim was asked for)'],
    }]);
    const kept = [pending(800, { pc1: 1 }), pending(2900, { pc1: 0.8 }), complete(3350, ['pc1'])];
    expect(countdown.deadlineKept({ slackMs: 50, askedAt: 0, clock })(kept, ctx)).toEqual([]);
    // A release answered at tick 0 and completed at tick 5 waited out the deadline.
    const ignored = [pending(800, { pc1: 1 }, { answered: 'release', released: ['pc1'], answeredAt: T0 + 850 }), complete(3350, ['pc1'])];
    expect(countdown.releaseHonoured({ clock })(ignored, ctx)).toMatchObject([{ check: 'countdown-release', actual: 'NotifyDeleteComplete at tick 5 (1.000 s into the stepped countdown)' }]);
    const honoured = [pending(800, { pc1: 1 }, { answered: 'release', released: ['pc1'], answeredAt: T0 + 850 }), complete(880, ['pc1'])];
    expect(countdown.releaseHonoured({ clock })(honoured, ctx)).toEqual([]);
    // A call after the last step belongs to the step after it.
    expect(clock.arrived(pending(5000, { pc1: 0 }))).toBe(6 * 200);
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
