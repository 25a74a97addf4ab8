import type { RunSummary } from './events';
import { countsAgainstRun } from './expectations';
import type { CaseResult } from './types';

/**
 * Exit code: 2 when the harness itself could not judge a case (its own problem or its configuration), 1 when a
 * case failed, could not be judged because of what the aggregate did (no answer, an undecodable one), or
 * contradicted its expectation (an unexpected pass, an expired entry), else 0. A failure or error the expectations
 * file names is reported as such and does not count.
 */
export function summarize(results: CaseResult[], durationMs: number): RunSummary {
  const byKind = { pass: 0, fail: 0, warn: 0, unsupported: 0, skip: 0, error: 0 };
  const expectations = { met: 0, unexpectedPass: 0, expired: 0 };
  let exitCode: 0 | 1 | 2 = 0;
  const atLeast = (code: 0 | 1 | 2): void => {
    if (code > exitCode) exitCode = code;
  };
  for (const r of results) {
    byKind[r.outcome.kind] += 1;
    const status = r.expectation?.status;
    if (status === 'met') expectations.met += 1;
    if (status === 'unexpected-pass') expectations.unexpectedPass += 1;
    if (status === 'expired') expectations.expired += 1;
    const counts = countsAgainstRun(r);
    if (counts === 'yes') atLeast(1);
    if (counts === 'as-graded') atLeast(gradedExitCode(r.outcome));
  }
  const used = results.some((r) => r.expectation !== undefined);
  const calls = results.reduce((n, r) => n + (r.calls ?? 0), 0);
  const properties = propertiesOf(results);
  return { total: results.length, byKind, durationMs, calls, ...(properties && { properties }), exitCode, ...(used && { expectations }) };
}

/** What one graded outcome alone makes the run's exit code: an error the aggregate caused is its failure (1). */
function gradedExitCode(outcome: CaseResult['outcome']): 0 | 1 | 2 {
  if (outcome.kind === 'fail') return 1;
  if (outcome.kind === 'error') return outcome.origin === 'target' ? 1 : 2;
  return 0;
}

/** What the property cases ran, summed; undefined when the run had none that reported inputs. */
function propertiesOf(results: CaseResult[]): RunSummary['properties'] {
  const runs = results.flatMap((r) => (r.fuzz ? [r.fuzz] : []));
  if (runs.length === 0) return undefined;
  const budgetMs = runs.reduce((n, r) => n + (r.budgetMs ?? 0), 0);
  return {
    cases: runs.length,
    inputs: runs.reduce((n, r) => n + r.inputs, 0),
    fewest: Math.min(...runs.map((r) => r.inputs)),
    minInputs: Math.min(...runs.map((r) => r.minInputs)),
    ...(runs.some((r) => r.budgetMs !== undefined) && { budgetMs }),
  };
}
