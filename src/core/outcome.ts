import type { ErrorOrigin } from './errors';
import type { Finding } from './finding';

export type Level = 'MUST' | 'SHOULD';

/** The graded outcome of one case. A case author never picks it by hand: it follows from level and findings. */
export type Outcome =
  | { kind: 'pass'; notes?: string[] }
  | { kind: 'fail'; findings: Finding[] }
  | { kind: 'warn'; findings: Finding[] }
  | { kind: 'unsupported'; reason: string }
  | { kind: 'skip'; reason: string }
  /** `origin` 'target': the aggregate's behaviour kept the harness from judging (absent: the harness's own problem). */
  | { kind: 'error'; phase: string; message: string; exchangeIds: string[]; origin?: ErrorOrigin };

export type OutcomeKind = Outcome['kind'];

/**
 * Grade findings: a MUST case with findings fails, a SHOULD case warns (and fails under --strict).
 * Findings marked strict-only (an accepted but not preferred behaviour) warn unless strict.
 */
export function gradeFindings(level: Level, findings: Finding[], strict: boolean): Outcome {
  if (findings.length === 0) return { kind: 'pass' };
  const hard = findings.filter((f) => f.grade !== 'strict-only');
  if (strict) return { kind: 'fail', findings };
  if (level === 'MUST' && hard.length > 0) return { kind: 'fail', findings };
  return { kind: 'warn', findings };
}
