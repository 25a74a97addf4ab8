import { redactText } from '../core';
import { reportId } from '../runner/types';
import type { OutcomeKind } from '../core';
import type { HarnessEvent, Reporter, RunSummary } from '../runner/events';
import type { CaseResult } from '../runner/types';
import { formatCaseBlock, inline, OUTCOME_MARK } from './format-failure';

export interface ConsoleReporterOptions {
  /** Receives whole lines (each ends with a newline), e.g. `(text) => process.stdout.write(text)`. */
  write: (text: string) => void;
  /** ANSI colours. @defaultValue false */
  color?: boolean;
  /** Also print case notes and the blocks of warned cases. @defaultValue false */
  verbose?: boolean;
  /** The reports directory as shown in transcript pointers, e.g. 'reports'. @defaultValue paths relative to it */
  reportsDir?: string;
  /**
   * A status line under the case lines, rewritten in place (`[123/301] am3.renew.… ETA 40 s`): for a terminal
   * only, since it relies on carriage returns. @defaultValue false
   */
  progress?: boolean;
  /** Files to name at the end ('reports/index.html', …), so a reader knows where to look. @defaultValue none */
  reportFiles?: string[];
}

const ANSI: Record<OutcomeKind | 'dim' | 'bold', [string, string]> = {
  pass: ['\x1b[32m', '\x1b[39m'],
  fail: ['\x1b[31m', '\x1b[39m'],
  warn: ['\x1b[33m', '\x1b[39m'],
  error: ['\x1b[35m', '\x1b[39m'],
  skip: ['\x1b[90m', '\x1b[39m'],
  unsupported: ['\x1b[36m', '\x1b[39m'],
  dim: ['\x1b[2m', '\x1b[22m'],
  bold: ['\x1b[1m', '\x1b[22m'],
};

/**
 * Progress and verdicts for people and CI logs: a header, a line per case as it finishes (skip reasons whole), then
 * the B12 blocks of failures and errors, where the reports are, and on the very last line one summary that counts
 * errors (the harness could not judge) apart from failures (the aggregate is wrong):
 * `<n> passed, <n> failed, <n> errors, <n> warned, <n> unsupported, <n> skipped in <s> s`.
 */
export function createConsoleReporter(options: ConsoleReporterOptions): Reporter {
  const paint = (style: keyof typeof ANSI, text: string): string =>
    options.color === true ? `${ANSI[style][0]}${text}${ANSI[style][1]}` : text;
  let status = '';
  // Everything printed is redacted here, once, on whole lines: a secret cannot be split across two writes.
  const print = (text: string): void => {
    options.write(`${status === '' ? '' : '\r\x1b[K'}${redactText(text)}\n`);
    status = '';
  };
  const showStatus = (text: string): void => {
    status = text;
    options.write(`\r\x1b[K${redactText(text)}`);
  };

  let results: CaseResult[] = [];
  let finished = false;
  let started = false;
  let caseCount = 0;
  let startedAt = Date.now();
  const progress = (current: string | undefined): void => {
    if (options.progress !== true) return;
    const done = results.length;
    const elapsed = Date.now() - startedAt;
    const eta = done > 0 && caseCount > done ? ` ETA ${Math.round(((elapsed / done) * (caseCount - done)) / 1000)} s` : '';
    showStatus(paint('dim', `[${Math.min(done + (current === undefined ? 0 : 1), caseCount)}/${caseCount}]${current === undefined ? '' : ` ${current}…`}${eta}`));
  };

  const printDetailsAndSummary = (summary: RunSummary | undefined): void => {
    const shown = results.filter((r) => r.expectation?.status !== 'met' && (
      r.outcome.kind === 'fail' || r.outcome.kind === 'error' || (options.verbose === true && r.outcome.kind === 'warn')));
    for (const result of shown) {
      const mark = paint(result.outcome.kind, OUTCOME_MARK[result.outcome.kind]);
      print('');
      print(formatCaseBlock(result, { reportsDir: options.reportsDir }, mark));
    }
    const counts = summary?.byKind ?? countByKind(results);
    const durationMs = summary?.durationMs ?? results.reduce((total, r) => total + r.durationMs, 0);
    print('');
    if (summary === undefined) print(paint('warn', 'The run did not finish; counts cover the cases that did.'));
    const cost = costLine(summary?.calls ?? results.reduce((n, r) => n + (r.calls ?? 0), 0), results.length, summary?.properties);
    if (cost) print(cost);
    const expected = summary?.expectations;
    if (expected !== undefined) {
      print(`Expectations: ${expected.met} as expected (not counted), ${expected.unexpectedPass} unexpected passes, ${expected.expired} expired entries`);
    }
    const files = options.reportFiles ?? [];
    if (files.length > 0) print(`Reports: ${files.join(', ')}`);
    // Plain, uncoloured and last: the one summary line (CI tooling reads its leading "N passed, N failed").
    print(
      `${counts.pass} passed, ${counts.fail} failed, ${counts.error} errors, ${counts.warn} warned, ` +
        `${counts.unsupported} unsupported, ${counts.skip} skipped in ${(durationMs / 1000).toFixed(1)} s`,
    );
  };

  return {
    onEvent(event: HarnessEvent) {
      switch (event.type) {
        case 'run-started': {
          results = [];
          finished = false;
          started = true;
          caseCount = event.caseCount;
          startedAt = Date.now();
          const target = event.target;
          const urls = Object.entries(target.urls).map(([suite, url]) => `${suite} ${url}`);
          print(paint('bold', `geni-harness run ${event.runId}: ${event.caseCount} cases against ${target.name}`));
          if (urls.length > 0) print(`  ${urls.join(', ')}`);
          if (target.amUrn !== undefined) print(`  AM ${target.amUrn}${target.amType === undefined ? '' : ` (${target.amType})`}`);
          print(`  seed ${event.seed}${event.strict ? ', strict (SHOULD-level cases fail)' : ''}`);
          if (target.personality !== undefined && target.personality !== 'reference') print(`  reference AM personality: ${target.personality}`);
          if (target.faults.length > 0) print(`  reference AM faults on: ${target.faults.join(', ')}`);
          if (target.insecure) print(paint('warn', '  TLS verification of the aggregate is OFF (--insecure)'));
          print('');
          break;
        }
        case 'case-finished':
          results.push(event.result);
          print(caseLine(event.result, paint));
          if (options.verbose === true) for (const note of event.result.notes) print(paint('dim', `    note: ${inline(note)}`));
          progress(undefined);
          break;
        case 'case-started':
          progress(event.caseId);
          break;
        case 'run-note':
          print(paint('dim', `  note: ${event.message}`));
          break;
        case 'run-finished':
          finished = true;
          printDetailsAndSummary(event.summary);
          break;
      }
    },
    async close() {
      if (started && !finished) {
        finished = true;
        printDetailsAndSummary(undefined);
      }
    },
  };
}

function caseLine(result: CaseResult, paint: (style: OutcomeKind | 'dim', text: string) => string): string {
  const outcome = result.outcome;
  const mark = paint(outcome.kind, OUTCOME_MARK[outcome.kind]);
  const calls = result.calls === undefined ? '' : `, ${result.calls} call${result.calls === 1 ? '' : 's'}`;
  const inputs = result.fuzz ? `, ${result.fuzz.inputs} inputs` : '';
  const duration = paint('dim', `(${Math.round(result.durationMs)} ms${calls}${inputs})`);
  let line = `${mark} ${reportId(result)}  ${result.title} ${duration}`;
  if (outcome.kind === 'skip') line += `  skipped: ${whole(outcome.reason)}`;
  if (outcome.kind === 'unsupported') line += `  unsupported: ${whole(outcome.reason)}`;
  const e = result.expectation;
  if (e !== undefined && e.status !== 'different') {
    line += e.status === 'met' ? paint('dim', `  (expected: ${whole(e.reason)})`) : `  ${e.status === 'expired' ? 'EXPECTATION EXPIRED' : 'UNEXPECTED PASS'} (expected ${e.outcome}: ${whole(e.reason)})`;
  }
  return line;
}

/** A reason on one line, never cut: it is what a reader needs to act on the skip. */
function whole(text: string): string {
  return redactText(text).replace(/\s*[\r\n]+\s*/g, ' ');
}

/** Calls to the aggregate in all and per case, and what the property cases ran (against the stated minimum). */
function costLine(calls: number, cases: number, properties: RunSummary['properties']): string | undefined {
  if (cases === 0) return undefined;
  const perCase = `${calls} calls to the aggregate (${(calls / cases).toFixed(1)} per case)`;
  if (!properties) return `${perCase}.`;
  const budget = properties.budgetMs !== undefined ? `, --fuzz-time ${(properties.budgetMs / 1000).toFixed(0)} s shared` : '';
  return `${perCase}; ${properties.cases} property cases ran ${properties.inputs} generated inputs (fewest ${properties.fewest}, minimum ${properties.minInputs} each${budget}).`;
}

function countByKind(results: CaseResult[]): RunSummary['byKind'] {
  const counts: RunSummary['byKind'] = { pass: 0, fail: 0, warn: 0, unsupported: 0, skip: 0, error: 0 };
  for (const result of results) counts[result.outcome.kind] += 1;
  return counts;
}
