import type { InboundCall } from './hosted-endpoint';

const seconds = (ms: number): string => `${(ms / 1000).toFixed(3)} s`;

/**
 * The clock durations are judged on. On the wall clock (a server left to count down by itself) a call's time is
 * when it arrived. On a stepped clock (a server that lets the harness move its countdown one tick per call, as the
 * reference does) a call's time is the tick during which it came: the server's own time, the same under any load.
 */
export interface CallClock {
  /** Milliseconds on this clock at which the call arrived. */
  arrived(call: InboundCall): number;
  /** Milliseconds on this clock at which its answer went out. */
  answered(call: InboundCall): number;
  /** A time on this clock as a finding prints it. */
  label(ms: number): string;
}

export const WALL_CLOCK: CallClock = {
  arrived: (call) => call.arrivedAt,
  answered: (call) => call.answeredAt,
  label: (ms) => new Date(ms).toISOString(),
};

/**
 * A stepped clock: `stepsDone[k]` is the (wall) time at which the server's answer to step k came back (k = 0: the
 * reclaim itself). The server answers a step only once the callbacks of that tick were answered, and sends none
 * before it is asked, so a call belongs to the first step that ended after it: its time is that step times the tick.
 */
export function steppedClock(stepsDone: readonly number[], tickMs: number): CallClock {
  const step = (wallMs: number): number => {
    const k = stepsDone.findIndex((done) => done >= wallMs);
    return k === -1 ? stepsDone.length : k;
  };
  return {
    arrived: (call) => step(call.arrivedAt) * tickMs,
    answered: (call) => step(call.answeredAt) * tickMs,
    label: (ms) => `tick ${Math.round(ms / tickMs)} (${seconds(ms)} into the stepped countdown)`,
  };
}
