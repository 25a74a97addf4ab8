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

/** Reasons on a case line are kept short; the block and the transcript have the rest. */
const REASON_MAX = 100;

/**
 * Progress and verdicts for people and CI logs: a header, a line per case as it finishes, then the B12 blocks of
 * failures and errors, a summary, and on the very last line exactly `<passed> passed, <failed> failed`
 * (failed counts fail and error), which CI tooling reads.
 */
export function createConsoleReporter(options: ConsoleReporterOptions): Reporter {
  const paint = (style: keyof typeof ANSI, text: string): string =>
    options.color === true ? `${ANSI[style][0]}${text}${ANSI[style][1]}` : text;
  // Everything printed is redacted here, once, on whole lines: a secret cannot be split across two writes.
  const print = (text: string): void => options.write(`${redactText(text)}\n`);

  let results: CaseResult[] = [];
  let finished = false;
  let started = false;

  const printDetailsAndSummary = (summary: RunSummary | undefined): void => {
    const shown = results.filter(
      (r) => r.outcome.kind === 'fail' || r.outcome.kind === 'error' || (options.verbose === true && r.outcome.kind === 'warn'),
    );
    for (const result of shown) {
      const mark = paint(result.outcome.kind, OUTCOME_MARK[result.outcome.kind]);
      print('');
      print(formatCaseBlock(result, { reportsDir: options.reportsDir }, mark));
    }
    const counts = summary?.byKind ?? countByKind(results);
    const durationMs = summary?.durationMs ?? results.reduce((total, r) => total + r.durationMs, 0);
    print('');
    if (summary === undefined) print(paint('warn', 'The run did not finish; counts cover the cases that did.'));
    print(
      `${counts.pass} passed, ${counts.fail} failed, ${counts.warn} warned, ${counts.unsupported} unsupported, ` +
        `${counts.skip} skipped, ${counts.error} errors in ${(durationMs / 1000).toFixed(1)} s`,
    );
    // Plain, uncoloured and last: this exact line is parsed by CI tooling.
    print(`${counts.pass} passed, ${counts.fail + counts.error} failed`);
  };

  return {
    onEvent(event: HarnessEvent) {
      switch (event.type) {
        case 'run-started': {
          results = [];
          finished = false;
          started = true;
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
          break;
        case 'run-note':
          print(paint('dim', `  note: ${event.message}`));
          break;
        case 'run-finished':
          finished = true;
          printDetailsAndSummary(event.summary);
          break;
        case 'case-started':
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
  const duration = paint('dim', `(${Math.round(result.durationMs)} ms)`);
  let line = `${mark} ${reportId(result)}  ${result.title} ${duration}`;
  if (outcome.kind === 'skip') line += `  skipped: ${inline(outcome.reason, REASON_MAX)}`;
  if (outcome.kind === 'unsupported') line += `  unsupported: ${inline(outcome.reason, REASON_MAX)}`;
  return line;
}

function countByKind(results: CaseResult[]): RunSummary['byKind'] {
  const counts: RunSummary['byKind'] = { pass: 0, fail: 0, warn: 0, unsupported: 0, skip: 0, error: 0 };
  for (const result of results) counts[result.outcome.kind] += 1;
  return counts;
}
