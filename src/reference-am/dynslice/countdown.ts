import { isStruct, type XmlRpcValue } from '../../xmlrpc';
import type { FaultSet } from '../faults';
import type { CallbackAnswer, CallbackSender } from './callbacks';
import type { DynsliceNode } from './slice-nodes';

/** Time, injectable so unit tests drive the countdown without waiting. */
export interface Scheduler {
  now(): number;
  /** Runs fn once after ms; returns a cancel function. */
  after(ms: number, fn: () => void): () => void;
  /** Runs fn every ms; returns a cancel function. */
  every(ms: number, fn: () => void): () => void;
}

export const realScheduler: Scheduler = {
  now: () => Date.now(),
  after: (ms, fn) => {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
  every: (ms, fn) => {
    const timer = setInterval(fn, ms);
    return () => clearInterval(timer);
  },
};

export interface CountdownSetup {
  /** The slice's registered endpoint now (undefined once it was removed: then nobody is told anything). */
  endpoint(): string | undefined;
  victims: DynsliceNode[];
  /** The slice's defwaittime: how long the server waits for the client. */
  waitSeconds: number;
  /** The server's maxwaittime (only the dynslice-first-wait-is-max fault announces it). */
  maxWaitSeconds: number;
  tickMs: number;
  faults: FaultSet;
  scheduler: Scheduler;
  send: CallbackSender;
  /** Whether the node is still allocated (the client may delete it itself meanwhile). */
  held(node: DynsliceNode): boolean;
  /** Takes the nodes back (deletes their slivers). */
  take(nodes: DynsliceNode[]): void;
  onFinished(): void;
}

/**
 * One reclaim: NotifyDeletePending at once and then every tick, each announcing the time left as max_wait_time;
 * nodes the client answers with max_wait_time 0 are taken at once, the rest at the deadline; every node taken is
 * announced by NotifyDeleteComplete. A tick that finds the previous call still unanswered is skipped, so a slow
 * client never gets calls piled up on it, and the deadline does not move for anyone.
 */
export class Countdown {
  private pending: DynsliceNode[];
  private readonly startedAt: number;
  private readonly deadline: number;
  private calls = 0;
  private inFlight = false;
  /** Calls to the endpoint go out one at a time, in order: a Complete never overtakes the Pending before it. */
  private queue: Promise<unknown> = Promise.resolve();
  private finished = false;
  private readonly cancels: Array<() => void> = [];
  /** Sends under way (and the handling of their answers): what `idle()` waits for. */
  private readonly work = new Set<Promise<unknown>>();

  constructor(private readonly setup: CountdownSetup) {
    const { scheduler, faults, waitSeconds, tickMs } = setup;
    this.pending = [...setup.victims];
    this.startedAt = scheduler.now();
    // dynslice-reclaims-early: the wait it announces, but the deadline of one tick (the two periods confused).
    this.deadline = this.startedAt + (faults.has('dynslice-reclaims-early') ? Math.min(tickMs, waitSeconds * 1000) : waitSeconds * 1000);
  }

  start(): void {
    const { scheduler, faults, tickMs } = this.setup;
    if (faults.has('dynslice-complete-before-pending') && this.pending.length > 0) {
      // The "immediate" path meant for max_wait_time 0 taken by mistake for the first victim.
      const [first] = this.pending.splice(0, 1);
      this.takeAndAnnounce([first!]);
    }
    this.track(this.sendPending());
    this.cancels.push(scheduler.every(faults.has('dynslice-ignores-tick') ? tickMs / 5 : tickMs, () => this.track(this.sendPending())));
    this.cancels.push(scheduler.after(Math.max(0, this.deadline - scheduler.now()), () => this.atDeadline()));
  }

  /** Stops the countdown without taking anything more (the aggregate is shutting down). */
  cancel(): void {
    this.finish();
  }

  get victims(): readonly DynsliceNode[] {
    return this.setup.victims;
  }

  /** The nodes still counting down (none once the countdown is over). */
  get counting(): readonly DynsliceNode[] {
    return this.finished ? [] : this.pending;
  }

  /** Resolves once no callback is under way: every notice sent so far was answered (or failed) and handled. */
  async idle(): Promise<void> {
    while (this.work.size > 0) await Promise.allSettled([...this.work]);
  }

  private remainingToReport(): number {
    // The first call goes out at the start: it announces the whole wait (0 when the slice asked for none).
    const { scheduler, faults, waitSeconds, maxWaitSeconds, tickMs } = this.setup;
    // dynslice-countdown-goes-up: the time since the reclaim began (plus a tick) instead of the time left.
    if (faults.has('dynslice-countdown-goes-up')) return seconds(scheduler.now() - this.startedAt + tickMs, tickMs);
    if (this.calls === 1) return faults.has('dynslice-first-wait-is-max') ? maxWaitSeconds : waitSeconds;
    return seconds(this.deadline - scheduler.now(), tickMs);
  }

  private async sendPending(): Promise<void> {
    // dynslice-ignores-tick: a timer of its own that neither waits for the tick nor for the previous answer.
    const hurried = this.setup.faults.has('dynslice-ignores-tick');
    if (this.finished || (this.inFlight && !hurried)) return;
    this.pending = this.pending.filter((n) => this.setup.held(n));
    if (this.pending.length === 0) return this.finish();
    const url = this.setup.endpoint();
    if (!url) return;
    this.calls += 1;
    const left = this.remainingToReport();
    if (left <= 0 && this.calls > 1) return;
    const announced = [...this.pending];
    this.inFlight = true;
    let answer: CallbackAnswer;
    try {
      const call = () => this.setup.send(url, 'NotifyDeletePending', [{ nodelist: announced.map((n) => entry(n, Math.max(0, left))) }]);
      answer = await (hurried ? call() : this.enqueue(call));
    } finally {
      this.inFlight = false;
    }
    if (this.finished) return;
    const released = this.releasedBy(answer, announced);
    if (released.length === 0) return;
    this.pending = this.pending.filter((n) => !released.includes(n));
    this.takeAndAnnounce(released.filter((n) => this.setup.held(n)));
    if (this.pending.length === 0) this.finish();
  }

  private releasedBy(answer: CallbackAnswer, announced: DynsliceNode[]): DynsliceNode[] {
    const { faults } = this.setup;
    if (answer.kind === 'unreadable' && faults.has('dynslice-garbage-as-release')) return announced;
    if (answer.kind !== 'answered' || faults.has('dynslice-ignores-release')) return [];
    const ids = releasedNodeIds(answer.value);
    return announced.filter((n) => ids.has(n.node_id));
  }

  private atDeadline(): void {
    if (this.finished) return;
    this.takeAndAnnounce(this.pending.filter((n) => this.setup.held(n)));
    this.pending = [];
    this.finish();
  }

  private takeAndAnnounce(nodes: DynsliceNode[]): void {
    if (nodes.length === 0) return;
    this.setup.take(nodes);
    const url = this.setup.endpoint();
    // "The only valid response from this method is SUCCESS; it is ignored anyway."
    if (url) this.track(this.enqueue(() => this.setup.send(url, 'NotifyDeleteComplete', [{ nodelist: nodes.map((n) => entry(n, 0)) }])));
  }

  private track(work: Promise<unknown>): void {
    this.work.add(work);
    void work.catch(() => undefined).finally(() => this.work.delete(work));
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    for (const cancel of this.cancels.splice(0)) cancel();
    this.setup.onFinished();
  }
}

/**
 * Whole seconds, rounded down so every announcement is a promise the server keeps; sub-second ticks (a test setting)
 * announce milliseconds so the countdown still counts.
 */
function seconds(ms: number, tickMs: number): number {
  return tickMs >= 1000 ? Math.floor(ms / 1000) : Math.floor(ms) / 1000;
}

function entry(node: DynsliceNode, maxWaitTime: number): Record<string, XmlRpcValue> {
  return { node_id: node.node_id, client_id: node.client_id, component_urn: node.component_urn, max_wait_time: maxWaitTime };
}

/**
 * The nodes a NotifyDeletePending answer gives up: "the same list" with max_wait_time 0, either as the value of a
 * ProtoGENI success struct or bare. A plain SUCCESS (or any error) releases nothing.
 */
export function releasedNodeIds(answer: XmlRpcValue): Set<string> {
  let list: XmlRpcValue | undefined = answer;
  if (isStruct(answer)) list = answer.code === 0 ? answer.value : undefined;
  const ids = new Set<string>();
  if (!Array.isArray(list)) return ids;
  for (const item of list) {
    if (isStruct(item) && typeof item.node_id === 'string' && (item.max_wait_time === 0 || item.max_wait_time === '0')) ids.add(item.node_id);
  }
  return ids;
}
