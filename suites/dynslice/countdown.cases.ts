import { answer } from '../../src/callback-endpoint';
import { countdown, pgAnswer } from '../../src/checks';
import { defineCases } from '../../src/runner/define';
import { dynslice } from '../../src/runner/dynslice-suites';

/**
 * The reclaim countdown, observed through the callback endpoint the harness hosts (seed 003, NotifyDeletePending
 * and NotifyDeleteComplete). Each case registers a slice, asks the server to take one node back (its test hook),
 * and judges the callbacks. A server that offers a stepped clock (the embedded reference) is moved one tick per
 * call, and durations are judged in its ticks: the verdict is the same under any load, and it takes no waiting.
 * Otherwise the countdown runs on the server's own timers and durations are judged on arrival times; with the
 * spec's minute tick that takes minutes (tag slow).
 */
/** Clock granularity between the harness's arrival times and the server's own (both on one machine here). */
const SLACK_MS = 50;

export default defineCases(dynslice, { tags: ['dynslice', 'countdown', 'slow'], spec: ['dynslice/client#NotifyDeletePending'] }, [
  {
    id: 'dynslice.countdown.non-increasing',
    title: 'Reclaim of one node, the client answering SUCCESS to every notice',
    requirement: 'The server counts max_wait_time down on each call: it never goes up for a node',
    detects: [{ fault: 'dynslice-countdown-goes-up', check: 'countdown-non-increasing' }],
    async run(t) {
      const slice = await t.newSlice();
      await t.addNodes(slice, ['dyn-a', 'dyn-b']);
      const run = await t.countdown(slice, { script: answer.success() });
      t.verify(run.calls, [countdown.nonIncreasing()]);
    },
  },
  {
    id: 'dynslice.countdown.first-wait',
    title: 'Reclaim of one node of a slice registered with a defwaittime below maxwaittime',
    requirement: 'The first max_wait_time announced is at most the slice defwaittime, itself at most the server maxwaittime',
    spec: ['dynslice/server#SetSliceClientEndpoint'],
    detects: [{ fault: 'dynslice-first-wait-is-max', check: 'countdown-first-wait' }],
    async run(t) {
      const slice = await t.newSlice();
      await t.addNodes(slice, ['dyn-a']);
      const run = await t.countdown(slice);
      t.verify(run.calls, [countdown.firstWait({ defwaittime: run.defwaittime, ...(run.maxwaittime !== undefined && { maxwaittime: run.maxwaittime }) })]);
    },
  },
  {
    id: 'dynslice.countdown.tick',
    title: 'Reclaim of one node: the intervals between NotifyDeletePending calls',
    requirement: 'The server calls NotifyDeletePending repeatedly, every tick (by default every minute): the calls come about one tick apart',
    detects: [{ fault: 'dynslice-ignores-tick', check: 'countdown-tick' }],
    async run(t) {
      const slice = await t.newSlice();
      await t.addNodes(slice, ['dyn-a']);
      const run = await t.countdown(slice);
      t.verify(run.calls, [countdown.tick({ tickSeconds: run.tickSeconds, clock: run.clock })]);
    },
  },
  {
    id: 'dynslice.countdown.deadline',
    title: 'Reclaim of one node the client never releases',
    requirement: 'The server waits as long as max_wait_time said before it forcibly takes the node back: no node is reclaimed before its deadline',
    detects: [{ fault: 'dynslice-reclaims-early', check: 'countdown-deadline' }],
    async run(t) {
      const slice = await t.newSlice();
      await t.addNodes(slice, ['dyn-a']);
      const run = await t.countdown(slice, { script: answer.success() });
      t.verify(run.calls, [countdown.deadlineKept({ slackMs: SLACK_MS, askedAt: run.startedAt, clock: run.clock }), countdown.completeFollowsPending({ everyPendingCompleted: true })]);
    },
  },
  {
    id: 'dynslice.countdown.release',
    title: 'Reclaim of one node the client releases at the first notice (max_wait_time 0 in its answer)',
    requirement: 'A node the client gives up with max_wait_time 0 is taken without waiting out its deadline, and reported deleted',
    detects: [{ fault: 'dynslice-ignores-release', check: 'countdown-release' }],
    async run(t) {
      const slice = await t.newSlice();
      await t.addNodes(slice, ['dyn-a']);
      const run = await t.countdown(slice, { script: answer.release('all') });
      t.verify(run.calls, [countdown.releaseHonoured({ clock: run.clock }), countdown.completeFollowsPending({ everyPendingCompleted: true })]);
    },
  },
  {
    id: 'dynslice.countdown.complete-follows-pending',
    title: 'Reclaim of two nodes: NotifyDeleteComplete against the NotifyDeletePending calls before it',
    requirement: 'NotifyDeleteComplete follows NotifyDeletePending for the same nodes: every node reported deleted was announced first, and every announced node is reported deleted',
    spec: ['dynslice/client#NotifyDeleteComplete'],
    detects: [{ fault: 'dynslice-complete-before-pending', check: 'countdown-complete-follows-pending' }],
    async run(t) {
      const slice = await t.newSlice();
      await t.addNodes(slice, ['dyn-a', 'dyn-b']);
      const run = await t.countdown(slice, { count: 2 });
      t.verify(run.calls, [countdown.completeFollowsPending({ everyPendingCompleted: true })]);
    },
  },
  {
    id: 'dynslice.countdown.slow-client',
    title: 'Reclaim of one node while the client answers each notice after more than a tick',
    requirement: 'A slow client changes nothing the server promised: the countdown never goes up and no node is taken before its deadline',
    detects: [{ fault: 'dynslice-reclaims-early', check: 'countdown-deadline' }],
    async run(t) {
      const slice = await t.newSlice();
      await t.addNodes(slice, ['dyn-a']);
      const tick = await t.tickSeconds();
      const run = await t.countdown(slice, { script: answer.slowly(Math.round(1.5 * tick * 1000)) });
      // A stepped clock waits for every answer before its next tick: there the slow answers cost no ticks.
      if (run.stepped) t.note('on the server\'s stepped clock a slow answer takes no ticks; the countdown it gave is judged all the same');
      t.verify(run.calls, [countdown.nonIncreasing(), countdown.deadlineKept({ slackMs: SLACK_MS, askedAt: run.startedAt, clock: run.clock })]);
    },
  },
  {
    id: 'dynslice.countdown.garbage-answer',
    title: 'Reclaim of one node while the client answers NotifyDeletePending with an HTML error page',
    requirement: 'An answer that is not XML-RPC releases nothing: the node is still not taken before its deadline',
    detects: [{ fault: 'dynslice-garbage-as-release', check: 'countdown-deadline' }],
    async run(t) {
      const slice = await t.newSlice();
      await t.addNodes(slice, ['dyn-a']);
      const run = await t.countdown(slice, { script: answer.garbageToPending() });
      t.verify(run.calls, [countdown.deadlineKept({ slackMs: SLACK_MS, askedAt: run.startedAt, clock: run.clock })]);
    },
  },
  {
    id: 'dynslice.countdown.silent-after-remove',
    title: 'A reclaim asked for after RemoveSliceClientEndpoint',
    requirement: 'After RemoveSliceClientEndpoint the server no longer notifies the endpoint of new values or pending deletions',
    spec: ['dynslice/server#RemoveSliceClientEndpoint'],
    detects: [{ fault: 'dynslice-notifies-after-remove', check: 'callbacks-after-remove' }],
    async run(t) {
      const slice = await t.newSlice();
      await t.addNodes(slice, ['dyn-a']);
      const tick = await t.tickSeconds();
      t.verify(await t.register(slice, { defwaittime: Math.max(1, Math.ceil(2 * tick)) }), [pgAnswer.success()]);
      // What registering set off (SetResourceValues) is allowed to arrive; then the endpoint is removed.
      await t.awaitCallbacks((calls) => calls.some((c) => c.method === 'SetResourceValues'));
      const removed = await t.server.RemoveSliceClientEndpoint({ slice_urn: slice.urn, credentials: t.creds.slice(slice) });
      t.verify(removed, [pgAnswer.success()]);
      const since = Date.now();
      // Long enough for a countdown the server wrongly kept to announce itself and finish (on a stepped clock: every
      // tick of it, however long that takes; else that long on the wall clock).
      const wait = Math.max(1, Math.ceil(2 * tick));
      const observed = await t.observeReclaim(slice, { maxTicks: Math.ceil(wait / tick) + 4, windowMs: wait * 1000 + 3 * tick * 1000 });
      if (!observed) return t.unsupported('the server cannot be asked to reclaim on demand (no reclaim hook in GetServerDefaults)');
      // A quarter second for a call already under way when the removal was answered; none on a stepped clock, where a
      // countdown the server kept can run its course within that quarter second.
      const graceMs = observed.stepped ? 0 : 250;
      t.verify(t.endpoint.calls, [countdown.silentAfter({ sinceMs: since, graceMs, what: 'RemoveSliceClientEndpoint answered success' })]);
    },
  },
]);
