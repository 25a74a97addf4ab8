import { WALL_CLOCK, type CallClock, type InboundCall } from '../callback-endpoint';
import { formatValue, type Finding } from '../core';
import type { Check, CheckContext } from '../core';
import { isStruct, type XmlRpcValue } from '../xmlrpc';

/**
 * Checks over what a dynslice server sent the callback endpoint the harness hosts (seed 003): the calls in order of
 * arrival, each with its arrival time. Pure: the calls are recorded first, then judged.
 */
export type Calls = readonly InboundCall[];

const PENDING = 'NotifyDeletePending';
const COMPLETE = 'NotifyDeleteComplete';
const SPEC_PENDING = 'dynslice/client#NotifyDeletePending';
const SPEC_COMPLETE = 'dynslice/client#NotifyDeleteComplete';

interface Notice {
  call: InboundCall;
  nodeId: string;
  /** max_wait_time in seconds, when it is a number. */
  wait?: number;
}

/** Every node each call of `method` names, in arrival order. */
function notices(calls: Calls, method: string): Notice[] {
  return calls.filter((c) => c.method === method).flatMap((call) =>
    (call.nodelist ?? []).flatMap((entry): Notice[] => {
      if (!isStruct(entry) || typeof entry.node_id !== 'string') return [];
      const wait = typeof entry.max_wait_time === 'number' ? entry.max_wait_time : undefined;
      return [{ call, nodeId: entry.node_id, ...(wait !== undefined && { wait }) }];
    }));
}

function byNode(list: Notice[]): Map<string, Notice[]> {
  const map = new Map<string, Notice[]>();
  for (const n of list) map.set(n.nodeId, [...(map.get(n.nodeId) ?? []), n]);
  return map;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(3)} s`;
const at = (call: InboundCall): string => new Date(call.arrivedAt).toISOString();

function f(ctx: CheckContext, spec: string, fields: Omit<Finding, 'spec'>): Finding {
  return { ...fields, spec: ctx.spec ?? spec };
}

/**
 * The time by which the first announcement promised to wait for a node: its max_wait_time counted from when the
 * server can have started the countdown at the earliest, which is when the harness asked for the reclaim
 * (`askedAt`) when it did, else when the announcement arrived. Counting from the earliest possible start means
 * network and CPU delays can only make a server look later, never earlier, than it was.
 */
function firstPromise(pending: Notice[], clock: CallClock, askedAt?: number): { at: number; notice: Notice } | undefined {
  const first = pending.find((n) => n.wait !== undefined);
  if (!first) return undefined;
  const arrived = clock.arrived(first.call);
  const from = askedAt !== undefined ? Math.min(askedAt, arrived) : arrived;
  return { at: from + first.wait! * 1000, notice: first };
}

/** The nodes an endpoint answer gave up, with when the answer went out. */
function releases(calls: Calls): Map<string, InboundCall> {
  const map = new Map<string, InboundCall>();
  for (const call of calls) for (const id of call.released ?? []) if (!map.has(id)) map.set(id, call);
  return map;
}

export const countdown = {
  /** "it will count down the max_wait_time dict fields on each call": never up, for any node. */
  nonIncreasing(): Check<Calls> {
    return (calls, ctx) => {
      const found: Finding[] = [];
      for (const [nodeId, list] of byNode(notices(calls, PENDING))) {
        const timed = list.filter((n) => n.wait !== undefined);
        for (let i = 1; i < timed.length; i++) {
          const [before, after] = [timed[i - 1]!, timed[i]!];
          if (after.wait! > before.wait!) {
            found.push(f(ctx, SPEC_PENDING, {
              check: 'countdown-non-increasing', title: 'max_wait_time went up between two countdown calls',
              expected: [`at most ${before.wait} (announced at ${at(before.call)})`], actual: `${after.wait} at ${at(after.call)}`,
              path: `NotifyDeletePending.nodelist[node_id=${nodeId}].max_wait_time`, exchangeIds: [before.call.exchangeId, after.call.exchangeId],
            }));
          }
        }
      }
      return found;
    };
  },

  /** The first max_wait_time for each node is at most the slice's defwaittime, itself at most the server's maxwaittime. */
  firstWait(limits: { defwaittime: number; maxwaittime?: number }): Check<Calls> {
    return (calls, ctx) => {
      const found: Finding[] = [];
      if (limits.maxwaittime !== undefined && limits.defwaittime > limits.maxwaittime) {
        found.push(f(ctx, SPEC_PENDING, {
          check: 'countdown-first-wait', title: 'The registered defwaittime exceeds maxwaittime',
          expected: [`defwaittime ≤ maxwaittime ${limits.maxwaittime}`], actual: `defwaittime ${limits.defwaittime}`, exchangeIds: [],
        }));
      }
      for (const [nodeId, list] of byNode(notices(calls, PENDING))) {
        const first = list.find((n) => n.wait !== undefined);
        // A millisecond of slack for servers that announce fractional seconds.
        if (first && first.wait! > limits.defwaittime + 0.001) {
          found.push(f(ctx, SPEC_PENDING, {
            check: 'countdown-first-wait', title: 'The countdown starts above the slice defwaittime',
            expected: [`max_wait_time ≤ ${limits.defwaittime} (the defwaittime registered for the slice)`], actual: `${first.wait}`,
            path: `NotifyDeletePending.nodelist[node_id=${nodeId}].max_wait_time`, exchangeIds: [first.call.exchangeId],
          }));
        }
      }
      return found;
    };
  },

  /**
   * "by default it gets called every minute, and it will count down the max_wait_time dict fields on each call": one
   * call per tick. Too often is judged on the server's own countdown, never on arrival times: for each node, the calls
   * naming it against how far its max_wait_time went down meanwhile (a server calling once a tick announces about a
   * tick less each time; a late timer or a skipped tick only makes that more). More than two calls per tick of that,
   * plus two, is a finding. (A node whose max_wait_time went up is left to nonIncreasing: its values are no clock.)
   * Too seldom is judged on `clock` with wide room: the median interval above three ticks (and a tick plus 2 s).
   */
  tick(expected: { tickSeconds: number; clock?: CallClock }): Check<Calls> {
    return (calls, ctx) => {
      const clock = expected.clock ?? WALL_CLOCK;
      const tickMs = expected.tickSeconds * 1000;
      const found: Finding[] = [];
      for (const [nodeId, list] of byNode(notices(calls, PENDING))) {
        const timed = list.filter((n) => n.wait !== undefined);
        if (timed.length < 2 || timed.some((n, i) => i > 0 && n.wait! > timed[i - 1]!.wait!)) continue;
        const [first, last] = [timed[0]!, timed.at(-1)!];
        const spanMs = (first.wait! - last.wait!) * 1000;
        const most = Math.floor((2 * spanMs) / tickMs) + 2;
        if (timed.length <= most) continue;
        found.push(f(ctx, SPEC_PENDING, {
          check: 'countdown-tick', title: 'More NotifyDeletePending calls than ticks of the server\'s own countdown',
          expected: [`at most ${most} calls naming ${nodeId} while its max_wait_time went from ${first.wait} to ${last.wait} (${seconds(spanMs)}; tick ${expected.tickSeconds} s)`],
          actual: `${timed.length} calls`, path: `NotifyDeletePending.nodelist[node_id=${nodeId}]`, exchangeIds: timed.map((n) => n.call.exchangeId),
        }));
      }
      const pending = calls.filter((c) => c.method === PENDING);
      if (pending.length < 3) {
        ctx.note?.(`only ${pending.length} NotifyDeletePending call(s): too few to judge how far apart they come`);
        return found;
      }
      const gaps = pending.slice(1).map((c, i) => clock.arrived(c) - clock.arrived(pending[i]!)).sort((x, y) => x - y);
      const median = gaps[Math.floor(gaps.length / 2)]!;
      const slowest = Math.max(3 * tickMs, tickMs + 2000);
      if (median > slowest) {
        found.push(f(ctx, SPEC_PENDING, {
          check: 'countdown-tick', title: 'Countdown calls come several ticks apart',
          expected: [`a median interval of at most ${seconds(slowest)} (tick ${expected.tickSeconds} s)`],
          actual: `median ${seconds(median)} over ${gaps.length} intervals`, exchangeIds: pending.map((c) => c.exchangeId),
        }));
      }
      return found;
    };
  },

  /**
   * No node is reclaimed (NotifyDeleteComplete) before the time its first announcement promised, unless the client
   * released it or the server said it could not wait (max_wait_time 0). `askedAt` is when the harness asked for the
   * reclaim (the earliest the countdown can have begun), on `clock`; `slackMs` absorbs clock granularity.
   */
  deadlineKept(options: { slackMs: number; askedAt?: number; clock?: CallClock }): Check<Calls> {
    return (calls, ctx) => {
      const clock = options.clock ?? WALL_CLOCK;
      const pendingByNode = byNode(notices(calls, PENDING));
      const released = releases(calls);
      const found: Finding[] = [];
      for (const done of notices(calls, COMPLETE)) {
        if (released.has(done.nodeId) && released.get(done.nodeId)!.answeredAt <= done.call.arrivedAt) continue;
        const announced = (pendingByNode.get(done.nodeId) ?? []).filter((n) => n.call.arrivedAt <= done.call.arrivedAt);
        if (announced.some((n) => n.wait === 0)) continue;
        const promise = firstPromise(announced, clock, options.askedAt);
        const doneAt = clock.arrived(done.call);
        if (promise === undefined || doneAt >= promise.at - options.slackMs) continue;
        const from = promise.at - promise.notice.wait! * 1000;
        found.push(f(ctx, SPEC_PENDING, {
          check: 'countdown-deadline', title: 'Node reclaimed before the deadline max_wait_time announced',
          expected: [`NotifyDeleteComplete no earlier than ${clock.label(promise.at)} (${promise.notice.wait} s after ${clock.label(from)}${options.askedAt !== undefined ? ', when the reclaim was asked for' : ''})`],
          actual: `NotifyDeleteComplete at ${clock.label(doneAt)}, ${seconds(promise.at - doneAt)} early`,
          path: `NotifyDeleteComplete.nodelist[node_id=${done.nodeId}]`, exchangeIds: [promise.notice.call.exchangeId, done.call.exchangeId],
        }));
      }
      return found;
    };
  },

  /**
   * "you tell the server that it can stop waiting for a particular node by setting max_wait_time to 0": a node
   * the endpoint released is reclaimed without waiting out its deadline (within half the time that was left, on
   * `clock`).
   */
  releaseHonoured(options: { clock?: CallClock } = {}): Check<Calls> {
    return (calls, ctx) => {
      const clock = options.clock ?? WALL_CLOCK;
      const pendingByNode = byNode(notices(calls, PENDING));
      const completes = notices(calls, COMPLETE);
      const found: Finding[] = [];
      for (const [nodeId, answer] of releases(calls)) {
        const announced = (pendingByNode.get(nodeId) ?? []).find((n) => n.call === answer);
        const promise = announced?.wait !== undefined ? clock.arrived(answer) + announced.wait * 1000 : undefined;
        const done = completes.find((n) => n.nodeId === nodeId && n.call.arrivedAt >= answer.arrivedAt);
        if (!done) {
          found.push(f(ctx, SPEC_PENDING, {
            check: 'countdown-release', title: 'Released node never reported deleted',
            expected: ['NotifyDeleteComplete for the node soon after the client released it'], actual: `no NotifyDeleteComplete names ${nodeId}`,
            path: `NotifyDeletePending.nodelist[node_id=${nodeId}]`, exchangeIds: [answer.exchangeId],
          }));
          continue;
        }
        if (promise === undefined) continue;
        const releasedAt = clock.answered(answer);
        const bound = releasedAt + (promise - releasedAt) / 2;
        if (clock.arrived(done.call) <= bound) continue;
        found.push(f(ctx, SPEC_PENDING, {
          check: 'countdown-release', title: 'Released node was not reclaimed without waiting',
          expected: [`NotifyDeleteComplete by ${clock.label(bound)} (released at ${clock.label(releasedAt)}, deadline ${clock.label(promise)})`],
          actual: `NotifyDeleteComplete at ${clock.label(clock.arrived(done.call))}`,
          path: `NotifyDeleteComplete.nodelist[node_id=${nodeId}]`, exchangeIds: [answer.exchangeId, done.call.exchangeId],
        }));
      }
      return found;
    };
  },

  /**
   * NotifyDeleteComplete follows NotifyDeletePending for the same nodes: every node completed was announced pending
   * before, and (once the observation is over) every node announced pending was completed.
   */
  completeFollowsPending(options: { everyPendingCompleted: boolean }): Check<Calls> {
    return (calls, ctx) => {
      const pending = notices(calls, PENDING);
      const completes = notices(calls, COMPLETE);
      const found: Finding[] = [];
      for (const done of completes) {
        if (pending.some((p) => p.nodeId === done.nodeId && p.call.arrivedAt <= done.call.arrivedAt)) continue;
        found.push(f(ctx, SPEC_COMPLETE, {
          check: 'countdown-complete-follows-pending', title: 'NotifyDeleteComplete for a node never announced pending',
          expected: [`a NotifyDeletePending naming ${done.nodeId} before ${at(done.call)}`], actual: 'none before it',
          path: `NotifyDeleteComplete.nodelist[node_id=${done.nodeId}]`, exchangeIds: [done.call.exchangeId],
        }));
      }
      if (options.everyPendingCompleted) {
        for (const [nodeId, list] of byNode(pending)) {
          if (completes.some((c) => c.nodeId === nodeId)) continue;
          found.push(f(ctx, SPEC_COMPLETE, {
            check: 'countdown-complete-follows-pending', title: 'Node announced pending was never reported deleted',
            expected: [`a NotifyDeleteComplete naming ${nodeId}`], actual: `announced ${list.length} time(s), last at ${at(list.at(-1)!.call)}; no NotifyDeleteComplete`,
            path: `NotifyDeletePending.nodelist[node_id=${nodeId}]`, exchangeIds: list.map((n) => n.call.exchangeId),
          }));
        }
      }
      return found;
    };
  },

  /** "The server will no longer attempt to notify this endpoint": nothing arrives after `sinceMs` (+ `graceMs`). */
  silentAfter(options: { sinceMs: number; graceMs: number; what: string }): Check<Calls> {
    return (calls, ctx) => {
      const late = calls.filter((c) => c.arrivedAt > options.sinceMs + options.graceMs);
      if (late.length === 0) return [];
      return [f(ctx, 'dynslice/server#RemoveSliceClientEndpoint', {
        check: 'callbacks-after-remove', title: 'Endpoint called after it was removed',
        expected: [`no call after ${new Date(options.sinceMs).toISOString()} (${options.what})`],
        actual: late.map((c) => `${c.method ?? '?'} at ${at(c)}`).join('; '), exchangeIds: late.map((c) => c.exchangeId),
      })];
    };
  },
};

/** Checks on SetResourceValues calls: the values the server reports for the slice's nodes. */
export const resourceValues = {
  /** `"value" : float(0,1.0)` in every SetResourceValues entry. */
  inRange(): Check<Calls> {
    return (calls, ctx) => calls.filter((c) => c.method === 'SetResourceValues').flatMap((call) =>
      (call.nodelist ?? []).flatMap((entry, i): Finding[] => {
        const value = isStruct(entry) ? entry.value : undefined;
        if (typeof value === 'number' && value >= 0 && value <= 1) return [];
        return [f(ctx, 'dynslice/client#SetResourceValues', {
          check: 'dynslice-resource-values', title: 'Resource value outside 0.0 to 1.0',
          expected: ['a number between 0.0 and 1.0'], actual: formatValue(value), path: `SetResourceValues.nodelist[${i}].value`, exchangeIds: [call.exchangeId],
        })];
      }));
  },

  /**
   * CLIENT: the values the server holds are the ones the client set, and "a value of 1.0 for each node without a
   * client-set value". `expected` maps client_id to value; the latest SetResourceValues naming each node is judged.
   */
  clientValues(expected: Readonly<Record<string, number>>): Check<Calls> {
    return (calls, ctx) => {
      const found: Finding[] = [];
      for (const [clientId, want] of Object.entries(expected)) {
        const call = calls.filter((c) => c.method === 'SetResourceValues' && (c.nodelist ?? []).some((e) => isStruct(e) && e.client_id === clientId)).at(-1);
        if (!call) continue;
        const entry = call.nodelist!.find((e) => isStruct(e) && e.client_id === clientId) as Record<string, XmlRpcValue>;
        if (entry.value === want) continue;
        found.push(f(ctx, 'dynslice/server#Policies', {
          check: 'dynslice-resource-values', title: 'Reported value is not the one the CLIENT policy implies',
          expected: [`${want} for ${clientId}`], actual: formatValue(entry.value), path: `SetResourceValues.nodelist[client_id=${clientId}].value`, exchangeIds: [call.exchangeId],
        }));
      }
      return found;
    };
  },

  /**
   * LIFO: "longest-lived nodes receiving highest values". `heldLongest` lists client_ids from the longest-held to
   * the most recently allocated (the harness allocated them in that order); the latest SetResourceValues is judged.
   */
  lifoOrdered(heldLongest: readonly string[]): Check<Calls> {
    return (calls, ctx) => {
      const call = calls.filter((c) => c.method === 'SetResourceValues').at(-1);
      if (!call) return [];
      const valueOf = new Map<string, number>();
      for (const entry of call.nodelist ?? []) {
        if (isStruct(entry) && typeof entry.client_id === 'string' && typeof entry.value === 'number') valueOf.set(entry.client_id, entry.value);
      }
      const found: Finding[] = [];
      for (let i = 1; i < heldLongest.length; i++) {
        const older = heldLongest[i - 1]!;
        const newer = heldLongest[i]!;
        const [vo, vn] = [valueOf.get(older), valueOf.get(newer)];
        if (vo === undefined || vn === undefined || vo > vn) continue;
        found.push(f(ctx, 'dynslice/server#Policies', {
          check: 'lifo-order', title: vo === vn ? 'LIFO gives nodes held for different times the same value' : 'LIFO values a newer node above an older one',
          expected: [`value(${older}) > value(${newer}): ${older} was allocated first`], actual: `value(${older})=${vo}, value(${newer})=${vn}`,
          path: 'SetResourceValues.nodelist[*].value', exchangeIds: [call.exchangeId], ...(vo === vn && { grade: 'strict-only' as const }),
        }));
      }
      return found;
    };
  },
};

/** The node entries of the latest call of `method` (for cases that read node_ids the server uses). */
export function latestNodelist(calls: Calls, method: string): XmlRpcValue[] {
  return calls.filter((c) => c.method === method).at(-1)?.nodelist ?? [];
}
