/**
 * Expectations: an operator's known failures of one target (`--expectations FILE`, JSON
 * `{ "<report id>": { "outcome": "fail", "reason": "…", "until": "2027-03-01" } }`). A case that ends as expected is
 * reported as such and does not fail the run; a case expected to fail that passes, or an entry past its `until`
 * date, fails it, so the file never silently outlives the bugs it records. The outcome itself is never changed:
 * reports show both what happened and what was expected.
 */
import { readFileSync } from 'node:fs';
import { ConfigError, errorMessage, type OutcomeKind } from '../core';
import { reportId, type CaseExpectation, type CaseResult } from './types';

/** What may be expected of a case: anything but a pass (a pass needs no entry). */
export const EXPECTABLE = ['fail', 'error', 'warn', 'skip', 'unsupported'] as const satisfies ReadonlyArray<CaseExpectation['outcome']>;
export type ExpectedOutcome = CaseExpectation['outcome'];

/** One entry: the outcome expected, why, and (YYYY-MM-DD, UTC) the last day it holds. */
export type Expectation = Omit<CaseExpectation, 'status'>;

export type Expectations = Record<string, Expectation>;

/** Reads and checks an expectations file; every problem is a one-line ConfigError naming the entry. */
export function loadExpectations(path: string): Expectations {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`expectations file ${path} could not be read: ${errorMessage(err).split('\n')[0] ?? ''}`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new ConfigError(`expectations file ${path} must be a JSON object keyed by case id`);
  const out: Expectations = {};
  for (const [id, entry] of Object.entries(data as Record<string, unknown>)) {
    const e = entry as Partial<Record<keyof Expectation, unknown>> | null;
    const where = `expectations file ${path}, ${JSON.stringify(id)}`;
    if (e === null || typeof e !== 'object') throw new ConfigError(`${where}: must be { outcome, reason, until? }`);
    const unknown = Object.keys(e).filter((k) => !['outcome', 'reason', 'until'].includes(k));
    if (unknown.length > 0) throw new ConfigError(`${where}: unknown key ${JSON.stringify(unknown[0])}`);
    if (!(EXPECTABLE as readonly unknown[]).includes(e.outcome)) throw new ConfigError(`${where}: outcome must be one of ${EXPECTABLE.join(', ')}, but is ${JSON.stringify(e.outcome)}`);
    if (typeof e.reason !== 'string' || e.reason.trim() === '') throw new ConfigError(`${where}: reason must say why (a non-empty string)`);
    if (e.until !== undefined && (typeof e.until !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(e.until) || Number.isNaN(Date.parse(e.until)))) {
      throw new ConfigError(`${where}: until must be a date YYYY-MM-DD, but is ${JSON.stringify(e.until)}`);
    }
    out[id] = { outcome: e.outcome as ExpectedOutcome, reason: e.reason, ...(e.until !== undefined && { until: e.until as string }) };
  }
  return out;
}

/** The result with its expectation judged (unchanged when the file has no entry for it). */
export function judgeExpectation(result: CaseResult, expectations: Expectations, now = new Date()): CaseResult {
  const entry = expectations[reportId(result)] ?? expectations[result.id];
  if (entry === undefined) return result;
  const today = now.toISOString().slice(0, 10);
  const kind: OutcomeKind = result.outcome.kind;
  const status: CaseExpectation['status'] = entry.until !== undefined && entry.until < today
    ? 'expired'
    : kind === entry.outcome ? 'met' : kind === 'pass' ? 'unexpected-pass' : 'different';
  return { ...result, expectation: { ...entry, status } };
}

/** Today's cases that did not pass, as a starting expectations file (`run --write-expectations FILE`). */
export function expectationsFrom(results: CaseResult[]): Expectations {
  const out: Expectations = {};
  for (const result of results) {
    const kind = result.outcome.kind;
    if (kind !== 'fail' && kind !== 'error') continue;
    out[reportId(result)] = { outcome: kind, reason: result.expectation?.reason ?? `TODO: why (recorded ${new Date().toISOString().slice(0, 10)}: ${firstFinding(result)})`, ...(result.expectation?.until !== undefined && { until: result.expectation.until }) };
  }
  return out;
}

function firstFinding(result: CaseResult): string {
  const o = result.outcome;
  if (o.kind === 'fail' || o.kind === 'warn') return o.findings[0]?.title ?? o.kind;
  if (o.kind === 'error') return o.message.split('\n')[0] ?? 'error';
  return o.kind;
}

/** Whether a result still counts against the run: an expected one does not, a contradicted expectation does. */
export function countsAgainstRun(result: CaseResult): 'no' | 'as-graded' | 'yes' {
  const status = result.expectation?.status;
  if (status === 'met') return 'no';
  if (status === 'unexpected-pass' || status === 'expired') return 'yes';
  return 'as-graded';
}
