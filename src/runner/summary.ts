import type { RunSummary } from './events';
import type { CaseResult } from './types';

/**
 * Exit code: 2 when the harness itself could not judge a case (its own problem or its configuration), 1 when a
 * case failed or could not be judged because of what the aggregate did (no answer, an undecodable one), else 0.
 */
export function summarize(results: CaseResult[], durationMs: number): RunSummary {
  const byKind = { pass: 0, fail: 0, warn: 0, unsupported: 0, skip: 0, error: 0 };
  let harnessErrors = 0;
  let targetErrors = 0;
  for (const r of results) {
    byKind[r.outcome.kind] += 1;
    if (r.outcome.kind === 'error') {
      if (r.outcome.origin === 'target') targetErrors += 1;
      else harnessErrors += 1;
    }
  }
  const exitCode = harnessErrors > 0 ? 2 : byKind.fail > 0 || targetErrors > 0 ? 1 : 0;
  return { total: results.length, byKind, durationMs, exitCode };
}
