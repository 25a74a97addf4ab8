import { describe, expect, it } from 'vitest';
import { CaseScheduler, runsAlone, type ScheduledCase } from '../../src/runner/scheduler';
import type { CaseResult } from '../../src/runner/types';
import type { Outcome } from '../../src/core';

/** A case whose run the test ends by hand, recording what was in flight when it started. */
function gatedCase(log: string[], inFlight: Set<string>, id: string, opts: { alone?: boolean; sharing?: string; outcomes?: Outcome[] } = {}) {
  const outcomes = [...(opts.outcomes ?? [{ kind: 'pass' }])];
  const gates: Array<() => void> = [];
  let runs = 0;
  const spec: ScheduledCase = {
    alone: opts.alone ?? false,
    sharing: opts.sharing ?? '',
    async run() {
      runs += 1;
      log.push(`start ${id} with [${[...inFlight].sort().join(',')}]`);
      inFlight.add(id);
      await new Promise<void>((release) => gates.push(release));
      inFlight.delete(id);
      const outcome = outcomes.shift() ?? { kind: 'pass' };
      return { id, outcome, calls: 3, notes: [] } as unknown as CaseResult;
    },
  };
  return { spec, finish: () => gates.shift()?.(), runs: () => runs };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('CaseScheduler', () => {
  it('runs up to N at once in queue order, and a case that runs alone waits for the others and holds the rest back', async () => {
    const log: string[] = [];
    const inFlight = new Set<string>();
    const s = new CaseScheduler(2);
    const [a, b, c, d] = [gatedCase(log, inFlight, 'a'), gatedCase(log, inFlight, 'b'), gatedCase(log, inFlight, 'c', { alone: true }), gatedCase(log, inFlight, 'd')];
    const done = [a, b, c, d].map((x) => s.submit(x.spec));
    await tick();
    expect(log).toEqual(['start a with []', 'start b with [a]']);
    a.finish();
    await tick();
    // c runs alone: it waits for b, and d waits behind it.
    expect(log).toHaveLength(2);
    b.finish();
    await tick();
    expect(log[2]).toBe('start c with []');
    c.finish();
    await tick();
    expect(log[3]).toBe('start d with []');
    d.finish();
    expect((await Promise.all(done)).map((r) => r.id)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('never runs two cases sharing a fixture at once', async () => {
    const log: string[] = [];
    const inFlight = new Set<string>();
    const s = new CaseScheduler(3);
    const [a, b] = [gatedCase(log, inFlight, 'a', { sharing: 'reserved-slice' }), gatedCase(log, inFlight, 'b', { sharing: 'reserved-slice' })];
    const done = [s.submit(a.spec), s.submit(b.spec)];
    await tick();
    expect(log).toEqual(['start a with []']);
    a.finish();
    await tick();
    expect(log).toEqual(['start a with []', 'start b with []']);
    b.finish();
    await Promise.all(done);
  });

  it('runs a case again alone when it did not pass with another in flight, and reports that run, counting both runs\' calls', async () => {
    const log: string[] = [];
    const inFlight = new Set<string>();
    const s = new CaseScheduler(2);
    const a = gatedCase(log, inFlight, 'a', { outcomes: [{ kind: 'skip', reason: 'no free node' }, { kind: 'pass' }] });
    const b = gatedCase(log, inFlight, 'b');
    const c = gatedCase(log, inFlight, 'c');
    let undone = 0;
    const doneA = s.submit({ ...a.spec, beforeRerun: () => { undone += 1; } });
    const doneB = s.submit(b.spec);
    const doneC = s.submit(c.spec);
    await tick();
    a.finish();
    await tick();
    // a goes again at the head of the queue, alone: c (queued behind it) waits too.
    expect(log).toEqual(['start a with []', 'start b with [a]']);
    b.finish();
    await tick();
    expect(log[2]).toBe('start a with []');
    a.finish();
    const result = await doneA;
    expect(result.outcome.kind).toBe('pass');
    expect(result.calls).toBe(6);
    expect(result.notes.join(' ')).toMatch(/run again alone.*ended skip/);
    expect(undone).toBe(1);
    expect(s.reruns).toEqual(['a']);
    await tick();
    c.finish();
    await Promise.all([doneB, doneC]);
    expect(a.runs()).toBe(2);
  });

  it('keeps a non-pass that had nothing else in flight, and runs everything alone at concurrency 1', async () => {
    const log: string[] = [];
    const inFlight = new Set<string>();
    const s = new CaseScheduler(1);
    const a = gatedCase(log, inFlight, 'a', { outcomes: [{ kind: 'fail', findings: [] }] });
    const b = gatedCase(log, inFlight, 'b');
    const done = [s.submit(a.spec), s.submit(b.spec)];
    await tick();
    a.finish();
    await tick();
    b.finish();
    const [ra] = await Promise.all(done);
    expect(ra!.outcome.kind).toBe('fail');
    expect(a.runs()).toBe(1);
    expect(log).toEqual(['start a with []', 'start b with []']);
  });

  it('names the cases that run alone by their tags', () => {
    expect(runsAlone({ tags: ['shutdown'] })).toBe(true);
    expect(runsAlone({ tags: ['errors', 'capacity'] })).toBe(true);
    expect(runsAlone({ tags: ['property'] })).toBe(true);
    expect(runsAlone({ tags: ['allocate', 'describe'] })).toBe(false);
  });
});
