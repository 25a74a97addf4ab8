import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, resolveConfig } from '../../src/config';
import { countPropertyCases, describeInputs, propertyBudget, takeShare, withinBudget } from '../../src/runner/fuzz-budget';
import { smProperty } from '../../src/runner/sm-suite';

/**
 * A clock the property itself moves: every input "takes" `stepMs`. Nothing here reads the real time, so the
 * verdicts hold on a loaded machine.
 */
function steppingClock(stepMs: number) {
  let t = 1_000;
  return { now: () => t, step: () => { t += stepMs; } };
}

async function runBudgeted(opts: { runs: number; minRuns: number; timeLimitMs?: number; stepMs: number; failsFrom?: number; seed?: number }) {
  const clock = steppingClock(opts.stepMs);
  const seen: number[] = [];
  const raw = fc.asyncProperty(fc.integer({ min: 0, max: 1000 }), async (n) => {
    clock.step();
    seen.push(n);
    return opts.failsFrom === undefined || n < opts.failsFrom;
  });
  const budgeted = withinBudget(raw, { minRuns: opts.minRuns, timeLimitMs: opts.timeLimitMs }, clock.now);
  const details = await fc.check(budgeted.property, { seed: opts.seed ?? 7, numRuns: opts.runs });
  return { details, inputs: budgeted.inputs(), stoppedByTime: budgeted.stoppedByTime(), seen };
}

describe('properties on a time budget', () => {
  it('stops drawing inputs once its share is spent, and the run is not a failure', async () => {
    const r = await runBudgeted({ runs: 1000, minRuns: 1, timeLimitMs: 250, stepMs: 100 });
    // Inputs start at 0, 100 and 200 ms into the share; the fourth would start at 300 ms, past 250.
    expect(r.inputs).toBe(3);
    expect(r.stoppedByTime).toBe(true);
    expect(r.details.failed).toBe(false);
    expect(r.details.numRuns).toBe(3);
  });

  it('runs the stated minimum however slow each input is', async () => {
    const r = await runBudgeted({ runs: 1000, minRuns: 5, timeLimitMs: 1, stepMs: 10_000 });
    expect(r.inputs).toBe(5);
    expect(r.details.failed).toBe(false);
  });

  it('stops at the cap when the aggregate is fast, and untimed runs exactly the cap', async () => {
    const timed = await runBudgeted({ runs: 12, minRuns: 3, timeLimitMs: 60_000, stepMs: 1 });
    expect([timed.inputs, timed.stoppedByTime]).toEqual([12, false]);
    const untimed = await runBudgeted({ runs: 12, minRuns: 3, stepMs: 1_000_000 });
    expect([untimed.inputs, untimed.stoppedByTime]).toEqual([12, false]);
  });

  it('a failure found in time is shrunk to the end even after the share is spent', async () => {
    const r = await runBudgeted({ runs: 1000, minRuns: 1, timeLimitMs: 10_000, stepMs: 1, failsFrom: 7, seed: 3 });
    expect(r.details.failed).toBe(true);
    expect(r.details.counterexample).toEqual([7]);
    const late = await runBudgeted({ runs: 1000, minRuns: 2, timeLimitMs: 1, stepMs: 5_000, failsFrom: 0 });
    // Every input fails: the first is the failure, and shrinking (past the share) still reaches 0.
    expect(late.details.failed).toBe(true);
    expect(late.details.counterexample).toEqual([0]);
    expect(late.inputs).toBe(1);
  });

  it('the same seed draws the same first inputs whatever the budget: a bigger budget only adds inputs', async () => {
    const short = await runBudgeted({ runs: 1000, minRuns: 1, timeLimitMs: 250, stepMs: 100 });
    const long = await runBudgeted({ runs: 1000, minRuns: 1, timeLimitMs: 950, stepMs: 100 });
    expect(long.seen.slice(0, short.seen.length)).toEqual(short.seen);
    expect(long.inputs).toBeGreaterThan(short.inputs);
  });

  it("splits the run's time among its property cases: each takes an even share of what the ones before it left", () => {
    const budget = propertyBudget({ runs: 1000, minRuns: 3, runTimeMs: 30_000 }, 12);
    expect(budget).toEqual({ runs: 1000, minRuns: 3, timeLimitMs: 2_500, pool: { remainingMs: 30_000, remainingCases: 12 } });
    // The first takes 2.5 s but spends 8.5 s on its minimum inputs (a slow aggregate): the other 11 share 21.5 s.
    const first = takeShare(budget);
    expect(first.timeLimitMs).toBe(2_500);
    first.spent(8_500);
    expect(takeShare(budget).timeLimitMs).toBe(Math.floor(21_500 / 11));
    // Once the pool is spent, a property gets no time: it runs its minimum inputs.
    takeShare(budget).spent(60_000);
    expect(takeShare(budget).timeLimitMs).toBe(0);
    // Without a pool (a budget made by hand), its own limit.
    expect(takeShare({ timeLimitMs: 700 }).timeLimitMs).toBe(700);
    expect(propertyBudget({ runs: 20, minRuns: 3 }, 12)).toEqual({ runs: 20, minRuns: 3 });
    expect(propertyBudget({ runs: 2, minRuns: 3 }, 0)).toEqual({ runs: 2, minRuns: 2 });
    expect(countPropertyCases([{ tags: ['property', 'options'] }, { tags: ['allocate'] }, { tags: ['fuzz', 'property'] }])).toBe(2);
  });

  it('configuration: a time budget by default; --fuzz-runs alone is an exact, untimed count; --fuzz-time with it a cap', () => {
    const fuzz = (c: Parameters<typeof resolveConfig>[0]) => resolveConfig(c, {}, '/tmp').fuzz;
    expect(fuzz({})).toEqual({ runs: DEFAULT_CONFIG.fuzzMaxRuns, minRuns: DEFAULT_CONFIG.fuzzMinRuns, runTimeMs: DEFAULT_CONFIG.fuzzTimeSeconds * 1000 });
    expect(fuzz({ fuzzRuns: 4 })).toEqual({ runs: 4, minRuns: 3 });
    expect(fuzz({ fuzzRuns: 2 })).toEqual({ runs: 2, minRuns: 2 });
    expect(fuzz({ fuzzTimeSeconds: 600, fuzzRuns: 5000, fuzzMinRuns: 20 })).toEqual({ runs: 5000, minRuns: 20, runTimeMs: 600_000 });
    expect(() => fuzz({ fuzzMinRuns: 0 })).toThrow(/--fuzz-min-runs must be a positive integer/);
  });

  it('suite sm\u2019s properties take their share from the run\u2019s pool as they start, as the AM suites\u2019 do', async () => {
    const fuzz = propertyBudget({ runs: 5, minRuns: 2, runTimeMs: 3_000 }, 3);
    const spec = { arbitrary: fc.integer(), check: async () => { await new Promise((resolve) => setTimeout(resolve, 2)); return []; } };
    const first = await smProperty(1, fuzz, spec, async () => {});
    expect(first.inputs).toMatchObject({ inputs: 5, budgetMs: 1_000, stoppedBy: 'runs' });
    expect(fuzz.pool?.remainingCases).toBe(2);
    // What the first left (its inputs took at least 5 × 2 ms) is split between the two properties still to come.
    expect(fuzz.pool!.remainingMs).toBeLessThanOrEqual(2_990);
    const second = await smProperty(2, fuzz, spec, async () => {});
    expect(second.inputs.budgetMs).toBeGreaterThan(1_000);
    expect(fuzz.pool?.remainingCases).toBe(1);
  });

  it('says how many inputs ran against what minimum and why it stopped', () => {
    expect(describeInputs({ inputs: 9, minInputs: 3, maxInputs: 1000, budgetMs: 2_500, stoppedBy: 'time' }))
      .toBe('9 generated inputs (minimum 3, share 2.5 s of --fuzz-time; time share spent)');
    expect(describeInputs({ inputs: 20, minInputs: 3, maxInputs: 20, stoppedBy: 'runs' })).toBe('20 generated inputs (minimum 3; all inputs run)');
  });
});
