import type { Finding } from '../core';
import type { Check } from '../core';

/**
 * Several acceptable outcomes (STYLE.md B6): passes when every check of at least one alternative passes.
 * Otherwise one finding lists each alternative, so the report shows everything that would have been fine; but when one
 * alternative fails only on strict-only findings, those are the answer (the outcome occurred, not as the spec prefers).
 */
export function either<T>(...alternatives: Array<{ outcome: string; checks: Array<Check<T>> }>): Check<T> {
  return (observed, ctx) => {
    const results = alternatives.map((a) => a.checks.flatMap((check) => check(observed, ctx)));
    if (results.some((findings) => findings.length === 0)) return [];
    // An outcome missed only by what the spec prefers (a refusal with another code than the one it names) is that
    // outcome, graded as leniently as its own findings: a fail only under --strict.
    const nearly = results.find((findings) => findings.every((f) => f.grade === 'strict-only'));
    if (nearly) return nearly;
    const first = results.flat()[0] as Finding;
    return [{
      check: 'alternatives',
      title: 'None of the acceptable outcomes occurred',
      expected: alternatives.map((a) => a.outcome),
      actual: results.map((findings, i) => `${alternatives[i]?.outcome}: ${findings[0]?.title} (${findings[0]?.actual})`).join('; '),
      path: first.path,
      spec: ctx.spec ?? first.spec,
      exchangeIds: [...new Set(results.flat().flatMap((f) => f.exchangeIds))],
    }];
  };
}
