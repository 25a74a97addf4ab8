import { formatValue, redactText } from '../core';
import { reportId } from '../runner/types';
import type { Finding, OutcomeKind } from '../core';
import type { CaseResult } from '../runner/types';
import { transcriptPathFor } from './transcript-path';

/** The one-character mark of each outcome, shared by the console lines and the B12 block header. */
export const OUTCOME_MARK: Record<OutcomeKind, string> = {
  pass: '✓',
  fail: '✗',
  warn: '!',
  error: 'E',
  skip: '-',
  unsupported: '~',
};

/** Labels are right-aligned so that every colon sits in the same column (STYLE B12). */
const LABEL_WIDTH = 13;
const CONTINUATION = ' '.repeat(LABEL_WIDTH + 1);

/** Longer values (a whole RSpec, a stack of faults) are truncated by formatValue instead of being inlined. */
const INLINE_MAX = 160;

/** Reasons and hints (a skip's cause, a replay command) are what a reader acts on: shown whole up to this. */
const WHOLE_MAX = 10_000;

/** More exchange ids than this are summarised as a range: the transcript file has them all. */
const LISTED_EXCHANGES_MAX = 8;

export interface FormatFailureOptions {
  /**
   * The reports directory as it should be shown to the reader (e.g. 'reports/2024-05-02T10-11-09Z'). Without
   * it, the transcript is shown relative to the reports directory, as JUnit and results.json reference it.
   */
  reportsDir?: string;
}

/**
 * The B12 block for one case result: header, requirement and anchors, then per finding the aligned
 * Expected/Actual, path, spec anchor, exchange ids and hint, and finally the transcript pointer. Errors show their
 * phase and message; skips and unsupported cases show their reason. The text is redacted before it is returned.
 */
export function formatFailure(result: CaseResult, options: FormatFailureOptions = {}): string {
  return formatCaseBlock(result, options, OUTCOME_MARK[result.outcome.kind]);
}

/** @internal formatFailure with the header mark supplied (the console colours it). */
export function formatCaseBlock(result: CaseResult, options: FormatFailureOptions, mark: string): string {
  const lines: string[] = [`${mark} ${reportId(result)}  ${result.title}`];
  const anchors = result.spec.length > 0 ? result.spec.join(', ') : 'no spec anchor';
  lines.push(`  → ${result.level}: ${result.requirement}  [${anchors}]`);

  const outcome = result.outcome;
  switch (outcome.kind) {
    case 'fail':
    case 'warn':
      outcome.findings.forEach((finding, index) => {
        lines.push(...findingLines(finding, index, outcome.findings.length, result.spec[0]));
      });
      break;
    case 'error':
      lines.push(...labelled('Phase', [outcome.phase]));
      lines.push(...labelled('Message', [inline(outcome.message)]));
      if (outcome.exchangeIds.length > 0) lines.push(...labelled('Exchanges', [outcome.exchangeIds.join(', ')]));
      break;
    case 'skip':
    case 'unsupported':
      lines.push(...labelled('Reason', [inline(outcome.reason, WHOLE_MAX)]));
      break;
    case 'pass':
      break;
  }

  lines.push(...labelled('Transcript', [transcriptPointer(result, options.reportsDir)]));
  return redactText(lines.join('\n'));
}

function findingLines(finding: Finding, index: number, count: number, caseAnchor: string | undefined): string[] {
  const numbering = count > 1 ? `${index + 1}) ` : '';
  const lines = [`  ${numbering}${finding.title}  (${finding.check})`];
  const expected = finding.expected.length > 0 ? finding.expected.map((alternative) => inline(alternative)) : ['(no alternative given)'];
  lines.push(...labelled('Expected', expected));
  lines.push(...labelled('Actual', [inline(finding.actual)]));
  if (finding.path !== undefined) lines.push(...labelled('Path', [inline(finding.path)]));
  lines.push(...labelled('Spec', [finding.spec ?? caseAnchor ?? 'no spec anchor']));
  if (finding.exchangeIds.length > 0) lines.push(...labelled('Exchanges', [finding.exchangeIds.join(', ')]));
  if (finding.grade === 'strict-only') lines.push(...labelled('Grade', ['strict-only (tolerated unless --strict)']));
  if (finding.hint !== undefined) lines.push(...labelled('Hint', [inline(finding.hint, WHOLE_MAX)]));
  return lines;
}

function labelled(label: string, values: string[]): string[] {
  const head = `${label}:`.padStart(LABEL_WIDTH);
  return values.map((value, i) => (i === 0 ? `${head} ${value}` : `${CONTINUATION}${value}`));
}

/**
 * Short single-line values are shown as they are; anything else goes through the one formatter, truncated.
 * Redaction comes first: a truncated private key or credential would no longer match the redaction patterns.
 */
export function inline(text: string, max = INLINE_MAX): string {
  const redacted = redactText(text);
  return redacted.length <= max && !/[\r\n]/.test(redacted) ? redacted : formatValue(redacted, max);
}

function transcriptPointer(result: CaseResult, reportsDir: string | undefined): string {
  const relative = transcriptPathFor(reportId(result));
  const shown = reportsDir === undefined || reportsDir === '' ? relative : `${reportsDir.replace(/\/+$/, '')}/${relative}`;
  const ids = result.exchanges.map((exchange) => exchange.id);
  if (ids.length === 0) return `${shown} (no exchanges)`;
  if (ids.length <= LISTED_EXCHANGES_MAX) return `${shown} (${ids.join(', ')})`;
  return `${shown} (${ids[0]} … ${ids[ids.length - 1]}, ${ids.length} exchanges)`;
}
