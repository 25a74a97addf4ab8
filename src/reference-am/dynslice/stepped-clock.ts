import type { Scheduler } from './countdown';

interface Timer {
  id: number;
  at: number;
  fn: () => void;
  every?: number;
}

/**
 * The clock of a countdown the caller drives (the step hook): time moves only when `advance` is called, one tick at
 * a time, so what a client is told (every max_wait_time, when each node is taken) is the same sequence whatever the
 * load on the machine. Timers fire in time order; after each one, `settle` waits for the work it started (the
 * callbacks it sent and their answers) before the next fires.
 */
export class SteppedScheduler implements Scheduler {
  private t: number;
  private seq = 0;
  private timers: Timer[] = [];

  constructor(start: number) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  after(ms: number, fn: () => void): () => void {
    return this.add({ id: ++this.seq, at: this.t + ms, fn });
  }

  every(ms: number, fn: () => void): () => void {
    // A period under a millisecond would never let time pass.
    return this.add({ id: ++this.seq, at: this.t + ms, fn, every: Math.max(1, ms) });
  }

  /** Moves time forward by `ms`, firing every timer due on the way, each followed by `settle()`. */
  async advance(ms: number, settle: () => Promise<void>): Promise<void> {
    const end = this.t + ms;
    await settle();
    for (;;) {
      const next = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!next) break;
      this.t = next.at;
      if (next.every !== undefined) next.at += next.every;
      else this.cancel(next.id);
      next.fn();
      await settle();
    }
    this.t = end;
  }

  /** Timers still waiting (a finished countdown leaves none). */
  get pendingTimers(): number {
    return this.timers.length;
  }

  private add(timer: Timer): () => void {
    this.timers.push(timer);
    return () => this.cancel(timer.id);
  }

  private cancel(id: number): void {
    this.timers = this.timers.filter((x) => x.id !== id);
  }
}
