import type { RunSummary } from './events';
import type { CaseResult } from './types';

/** Exit code: 2 when the harness itself could not judge a case, 1 when a case failed, else 0. */
export function summarize(results: CaseResult[], durationMs: number): RunSummary {
  const byKind = { pass: 0, fail: 0, warn: 0, unsupported: 0, skip: 0, error: 0 };
  for (const r of results) byKind[r.outcome.kind] += 1;
  const exitCode = byKind.error > 0 ? 2 : byKind.fail > 0 ? 1 : 0;
  return { total: results.length, byKind, durationMs, exitCode };
}
