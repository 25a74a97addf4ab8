/**
 * How many cases to run at once when the operator does not say (`--concurrency auto`, the default): as many as the
 * aggregate answers calls in parallel, by a probe, and no more than it has free nodes; 1 when in doubt.
 *
 * The probe times cheap calls (GetVersion: no credential, no state): one at a time, then `k` at once. An aggregate
 * that handles calls in parallel answers the `k` in about the time of one; a single-threaded one (gcf on
 * SimpleXMLRPCServer) takes `k` times as long. Parallelism = k × one / all-k, between 1 and k. Connections are
 * opened before timing (a first call at once opens `k` TLS connections), so handshakes are not measured. Any call
 * that fails, or a parallelism below PARALLEL_ENOUGH, gives 1.
 */
import { errorMessage } from '../core';
import { Transcript } from '../client';
import { LIFECYCLES } from '../geni/lifecycle';
import { readAdvertisement, decodeCompressedRSpec } from '../rspec';
import { chooseRSpecFormat } from '../geni/rspec-formats';
import type { ApiVersion } from '../geni/methods';
import { CREDENTIAL_WRAPPING } from '../geni/methods';
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

/** The default concurrency from a probe (or why there is none) and the aggregate's free nodes (undefined: unknown). */
export function chooseConcurrency(probe: ParallelismProbe | { doubt: string }, freeNodes: number | undefined): ConcurrencyChoice {
  if ('doubt' in probe) return { concurrency: 1, why: `one case at a time: ${probe.doubt}` };
  const measured = `${probe.width} GetVersion calls at once took ${probe.allMs.toFixed(0)} ms, one took ${probe.oneMs.toFixed(0)} ms: parallelism ${probe.parallelism.toFixed(1)}`;
  if (probe.parallelism < PARALLEL_ENOUGH) return { concurrency: 1, why: `one case at a time: the aggregate answers one call at a time (${measured})` };
  if (freeNodes === undefined) return { concurrency: 1, why: `one case at a time: its free nodes are unknown (${measured})` };
  const concurrency = Math.max(1, Math.min(Math.floor(probe.parallelism), freeNodes, AUTO_CONCURRENCY_CAP));
  return { concurrency, why: `${concurrency} cases at once (${measured}; ${freeNodes} free nodes advertised; at most ${AUTO_CONCURRENCY_CAP} by default)` };
}

/**
 * The default concurrency for the suite at `url` (API `api`): the probe, then, only if the aggregate looks parallel,
 * one ListResources (available only) to count its free nodes. Its calls go to a transcript of their own.
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
  if ('doubt' in probe || probe.parallelism < PARALLEL_ENOUGH) return chooseConcurrency(probe, undefined);
  return chooseConcurrency(probe, await freeNodes(session, url, api).catch(() => undefined));
}

/** Available nodes in the aggregate's advertisement; undefined when it cannot be read. */
async function freeNodes(session: Session, url: string, api: ApiVersion): Promise<number | undefined> {
  const version = await session.versionAt(url);
  const format = chooseRSpecFormat(version.adRSpecVersions);
  if (!format.dialect) return undefined;
  const lifecycle = LIFECYCLES[api](session.client(url, new Transcript()), { ad: format.version, manifest: format.version });
  const res = await lifecycle.listResources([CREDENTIAL_WRAPPING[api](session.userCredentialXml)], { available: true });
  const value = lifecycle.successValue(res);
  if (typeof value !== 'string') return undefined;
  const ad = readAdvertisement(value.trimStart().startsWith('<') ? value : decodeCompressedRSpec(value));
  return ad.nodes.filter((n) => n.available).length;
}
