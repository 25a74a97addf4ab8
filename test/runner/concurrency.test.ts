import { describe, expect, it } from 'vitest';
import { AUTO_CONCURRENCY_CAP, SERIAL_AGGREGATE_CONCURRENCY, chooseConcurrency, probeCalls, probeParallelism } from '../../src/runner/concurrency';

/**
 * A fake aggregate on a fake clock: it handles `lanes` calls at once, each taking `ms`; a call that starts while a
 * multiple of `lanes` calls are in flight starts a new round of `ms`.
 */
function fakeAggregate(lanes: number, ms: number) {
  let clock = 0;
  let inFlight = 0;
  let calls = 0;
  const call = async () => {
    calls += 1;
    if (inFlight % lanes === 0) clock += ms;
    inFlight += 1;
    await Promise.resolve();
    inFlight -= 1;
  };
  return { call, now: () => clock, calls: () => calls };
}

describe('the default concurrency', () => {
  it('a probe tells a single-threaded aggregate from one that answers calls in parallel', async () => {
    const serial = fakeAggregate(1, 100);
    const one = await probeParallelism(serial.call, 4, serial.now);
    expect(one.parallelism).toBeCloseTo(1, 5);
    expect(serial.calls()).toBe(probeCalls(4));
    const parallel = fakeAggregate(4, 100);
    const four = await probeParallelism(parallel.call, 4, parallel.now);
    expect(four.parallelism).toBeCloseTo(4, 5);
  });

  it('is 1 when its free nodes are unknown or the probe failed; 2 for a serial aggregate with 2 free nodes; else the parallelism within its free nodes and the cap', () => {
    const probe = (parallelism: number) => ({ oneMs: 10, allMs: 40 / parallelism, width: 4, parallelism });
    expect(chooseConcurrency(probe(1.2), 20).concurrency).toBe(SERIAL_AGGREGATE_CONCURRENCY);
    expect(SERIAL_AGGREGATE_CONCURRENCY).toBe(2);
    expect(chooseConcurrency(probe(1.2), 20).why).toMatch(/one call at a time/);
    expect(chooseConcurrency(probe(1.2), 1)).toMatchObject({ concurrency: 1, why: expect.stringMatching(/one case at a time: .*1 free node\b/) });
    expect(chooseConcurrency(probe(1.2), undefined).concurrency).toBe(1);
    expect(chooseConcurrency(probe(4), undefined).concurrency).toBe(1);
    expect(chooseConcurrency({ doubt: 'GetVersion answered Fault 8' }, 20)).toEqual({ concurrency: 1, why: 'one case at a time: GetVersion answered Fault 8' });
    expect(chooseConcurrency(probe(3.6), 20).concurrency).toBe(3);
    // A little parallel gets no fewer than a serial aggregate.
    expect(chooseConcurrency(probe(1.6), 20).concurrency).toBe(SERIAL_AGGREGATE_CONCURRENCY);
    expect(chooseConcurrency(probe(4), 2).concurrency).toBe(2);
    expect(chooseConcurrency(probe(4), 0).concurrency).toBe(1);
    expect(chooseConcurrency(probe(16), 100).concurrency).toBe(AUTO_CONCURRENCY_CAP);
  });
});
