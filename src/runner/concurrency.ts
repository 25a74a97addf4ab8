/**
 * How many cases to run at once when the operator does not say (`--concurrency auto`, the default): as many as the
 * aggregate answers calls in parallel, by a probe, but at least two (what an aggregate that answers one call at a
 * time gets), and no more than it has free nodes; 1 when in doubt.
 *
 * The probe times cheap calls (GetVersion: no credential, no state): one at a time, then `k` at once. An aggregate
 * that handles calls in parallel answers the `k` in about the time of one; a single-threaded one (gcf on
 * SimpleXMLRPCServer) takes `k` times as long. Parallelism = k × one / all-k, between 1 and k. Connections are
 * opened before timing (a first call at once opens `k` TLS connections), so handshakes are not measured. Any call
 * that fails, or free nodes that cannot be counted, give 1.
 *
 * A single-threaded aggregate gets two cases at once: it still handles one call at a time (the second case's call
 * waits its turn, so it is never asked to do two things at once), but it no longer waits while the harness does a
 * case's own work between calls (minting credentials, building requests, validating answers, SSH logins): with one
 * case at a time its credential checks and the harness's work add up, with two they overlap. Verdicts are those of
 * a serial run by the scheduler's rules (src/runner/scheduler.ts), which hold whatever the aggregate's parallelism:
 * cases that need the aggregate to themselves run alone, and a case that does not pass with another in flight is
 * run again alone. What a serial aggregate adds is only queueing: a call may wait for one other call.
 */
import { errorMessage } from '../core';
import { Transcript } from '../client';
import type { ApiVersion } from '../geni/methods';
import { readRunAdvertisement } from './fixtures';
import type { Session } from './session';

/** Calls at once in the probe. */
export const PROBE_WIDTH = 4;
/** Below this measured parallelism the aggregate is taken as answering one call at a time. */
export const PARALLEL_ENOUGH = 1.5;
/** The most cases `auto` runs at once, whatever the aggregate: a conformance run is not a load test. */
export const AUTO_CONCURRENCY_CAP = 4;

export interface ParallelismProbe {
  /** Milliseconds for one call (median of the calls made one at a time). */
  oneMs: number;
  /** Milliseconds for `width` calls made at once (the faster of two rounds). */
  allMs: number;
  width: number;
  /** width × oneMs / allMs, between 1 and width. */
  parallelism: number;
}

/** GetVersion calls one probe makes: `width` to open connections, 3 one at a time, two rounds of `width` at once. */
export const probeCalls = (width = PROBE_WIDTH): number => width + 3 + 2 * width;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Times `call` one at a time and `width` at once; a failing call is a doubt (thrown). */
export async function probeParallelism(call: () => Promise<void>, width = PROBE_WIDTH, now: () => number = () => performance.now()): Promise<ParallelismProbe> {
  const timed = async (work: () => Promise<unknown>) => {
    const started = now();
    await work();
    return now() - started;
  };
  const atOnce = () => Promise.all(Array.from({ length: width }, () => call()));
  await atOnce();
  const ones: number[] = [];
  for (let i = 0; i < 3; i++) ones.push(await timed(call));
  const alls = [await timed(atOnce), await timed(atOnce)];
  const oneMs = median(ones);
  const allMs = Math.min(...alls);
  const parallelism = Math.min(width, Math.max(1, (width * oneMs) / Math.max(allMs, 1e-3)));
  return { oneMs, allMs, width, parallelism };
}

export interface ConcurrencyChoice {
  concurrency: number;
  /** Why, for the run's notes. */
  why: string;
}

/** Cases at once against an aggregate that answers one call at a time: one in its queue while the harness works on the other. */
export const SERIAL_AGGREGATE_CONCURRENCY = 2;

/** The default concurrency from a probe (or why there is none) and the aggregate's free nodes (undefined: unknown). */
export function chooseConcurrency(probe: ParallelismProbe | { doubt: string }, freeNodes: number | undefined): ConcurrencyChoice {
  if ('doubt' in probe) return { concurrency: 1, why: `one case at a time: ${probe.doubt}` };
  const measured = `${probe.width} GetVersion calls at once took ${probe.allMs.toFixed(0)} ms, one took ${probe.oneMs.toFixed(0)} ms: parallelism ${probe.parallelism.toFixed(1)}`;
  if (freeNodes === undefined) return { concurrency: 1, why: `one case at a time: its free nodes are unknown (${measured})` };
  if (probe.parallelism < PARALLEL_ENOUGH) {
    const concurrency = Math.max(1, Math.min(SERIAL_AGGREGATE_CONCURRENCY, freeNodes));
    return concurrency === 1
      ? { concurrency, why: `one case at a time: the aggregate answers one call at a time and advertises ${freeNodes} free node${freeNodes === 1 ? '' : 's'} (${measured})` }
      : { concurrency, why: `${concurrency} cases at once: the aggregate answers one call at a time, so one case's calls wait their turn while the harness does the other's work (${measured}; ${freeNodes} free nodes advertised)` };
  }
  // Never fewer than a single-threaded aggregate gets: a probe of cheap calls on a busy machine can read a serial
  // aggregate as a little parallel (1.5-2).
  const concurrency = Math.max(1, Math.min(Math.max(SERIAL_AGGREGATE_CONCURRENCY, Math.floor(probe.parallelism)), freeNodes, AUTO_CONCURRENCY_CAP));
  return { concurrency, why: `${concurrency} cases at once (${measured}; ${freeNodes} free nodes advertised; at most ${AUTO_CONCURRENCY_CAP} by default)` };
}

/**
 * The default concurrency for the suite at `url` (API `api`): the probe, then the aggregate's free nodes from the
 * run's advertisement read (the one request fixtures use: one ListResources, available only). The probe's calls go
 * to a transcript of their own.
 */
export async function defaultConcurrency(session: Session, url: string, api: ApiVersion): Promise<ConcurrencyChoice> {
  const client = session.client(url, new Transcript());
  let probe: ParallelismProbe | { doubt: string };
  try {
    probe = await probeParallelism(async () => {
      const res = await client.call('GetVersion', []);
      if (res.kind === 'fault') throw new Error(`GetVersion answered Fault ${res.faultCode}`);
    });
  } catch (err) {
    probe = { doubt: `the probe of its parallelism failed (${errorMessage(err)})` };
  }
  if ('doubt' in probe) return chooseConcurrency(probe, undefined);
  return chooseConcurrency(probe, await freeNodes(session, url, api).catch(() => undefined));
}

/** Available nodes in the run's advertisement read; undefined when it cannot be read. */
async function freeNodes(session: Session, url: string, api: ApiVersion): Promise<number | undefined> {
  const ad = await readRunAdvertisement(session, url, api, await session.versionAt(url));
  return ad?.nodes.filter((n) => n.available).length;
}
