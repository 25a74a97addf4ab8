/**
 * How much generated input a property case gets. A run has a time budget for its property cases (`--fuzz-time`,
 * by default DEFAULT_CONFIG.fuzzTimeSeconds); each property, as it starts, takes an even share of what the ones
 * before it left, and draws inputs until its share is spent, but never fewer than the stated minimum
 * (`--fuzz-min-runs`) however slow the aggregate is, nor more than the cap (`--fuzz-runs`). Against a slow
 * aggregate the minimums cost more than their shares, and the later properties' shares shrink to make up for it:
 * the budget follows the aggregate's measured pace. `--fuzz-runs N` alone means exactly N inputs each, whatever the
 * time.
 *
 * The time is only looked at between inputs: an input that has started always finishes (with its cleanup), and a
 * failure found in time is always shrunk.
 */
import fc from 'fast-check';
import type { FuzzSettings } from '../config';
import type { FuzzBudget, GeneratedInputs } from './types';

/**
 * The budget of the run's property cases, given the run's settings and how many property cases the run has: with a
 * time budget, each case's share is taken from the run's pool when it starts (takeShare), an even split of what the
 * cases before it left; timeLimitMs is the even split of the whole, for a case run without the pool.
 */
export function propertyBudget(settings: FuzzSettings, propertyCases: number): FuzzBudget {
  const minRuns = Math.min(settings.minRuns, settings.runs);
  if (settings.runTimeMs === undefined) return { runs: settings.runs, minRuns };
  const cases = Math.max(1, propertyCases);
  return { runs: settings.runs, minRuns, timeLimitMs: Math.floor(settings.runTimeMs / cases), pool: { remainingMs: settings.runTimeMs, remainingCases: cases } };
}

/**
 * A property case's share of the run's time, taken as it starts: what is left of the pool split evenly among the
 * property cases not yet started (0 once it is spent: the case then runs its minimum inputs). `spent` gives back
 * what the case used. Without a pool, the budget's own timeLimitMs.
 */
export function takeShare(budget: Pick<FuzzBudget, 'pool' | 'timeLimitMs'>): { timeLimitMs: number | undefined; spent(ms: number): void } {
  const pool = budget.pool;
  if (!pool) return { timeLimitMs: budget.timeLimitMs, spent: () => {} };
  const timeLimitMs = Math.max(0, Math.floor(pool.remainingMs / Math.max(1, pool.remainingCases)));
  pool.remainingCases = Math.max(0, pool.remainingCases - 1);
  return { timeLimitMs, spent: (ms) => { pool.remainingMs = Math.max(0, pool.remainingMs - ms); } };
}

/** Property cases (tag 'property') among the cases of a run: what the run's time budget is split among. */
export function countPropertyCases(cases: ReadonlyArray<{ tags: readonly string[] }>): number {
  return cases.filter((c) => c.tags.includes('property')).length;
}

/**
 * A property that stops drawing inputs once its share of the time is spent and at least `minRuns` inputs ran
 * (fast-check sees an interruption, not a failure). Once an input has failed, it never stops: shrinking runs to
 * its end. `inputs()` is how many generated inputs ran (shrink steps not counted).
 */
export function withinBudget<Ts extends [unknown, ...unknown[]]>(
  property: fc.IAsyncProperty<Ts>, budget: Pick<FuzzBudget, 'minRuns' | 'timeLimitMs'>, now: () => number = Date.now,
): { property: fc.IRawProperty<Ts, true>; inputs(): number; stoppedByTime(): boolean } {
  let started: number | undefined;
  let inputs = 0;
  let failed = false;
  let stopped = false;
  const minRuns = budget.minRuns ?? 1;
  const spent = () => budget.timeLimitMs !== undefined && started !== undefined && now() - started >= budget.timeLimitMs;
  const budgeted: fc.IRawProperty<Ts, true> = {
    isAsync: () => true,
    generate: (mrng, runId) => property.generate(mrng, runId),
    shrink: (value) => property.shrink(value),
    runBeforeEach: () => property.runBeforeEach(),
    runAfterEach: () => property.runAfterEach(),
    async run(value) {
      started ??= now();
      if (!failed && inputs >= minRuns && spent()) {
        stopped = true;
        return new fc.PreconditionFailure(true);
      }
      const out = await property.run(value);
      if (!failed) {
        if (out === null) inputs += 1;
        else if (!fc.PreconditionFailure.isFailure(out)) {
          inputs += 1;
          failed = true;
        }
      }
      return out;
    },
  };
  return { property: budgeted, inputs: () => inputs, stoppedByTime: () => stopped };
}

/** What a property's note and its result say about the inputs it got. */
export function describeInputs(stats: GeneratedInputs): string {
  const share = stats.budgetMs !== undefined ? `, share ${(stats.budgetMs / 1000).toFixed(1)} s of --fuzz-time` : '';
  const why = stats.stoppedBy === 'time' ? 'time share spent' : stats.stoppedBy === 'runs' ? 'all inputs run' : stats.stoppedBy;
  return `${stats.inputs} generated inputs (minimum ${stats.minInputs}${share}; ${why})`;
}
