import { join } from 'node:path';
import { reportId } from '../runner/types';
import type { Reporter } from '../runner/events';
import type { CaseResult } from '../runner/types';
import { toReportJson, writeReportFile } from './report-json';
import { transcriptPathFor } from './transcript-path';
import { caseRecord } from './case-record';
import type { RunStarted } from './end-of-run';



export interface TranscriptReporterOptions {
  /** The reports directory; each transcript goes to `<dir>/cases/<case id>.json`. */
  dir: string;
}

/**
 * Writes one transcript per case as soon as it finishes (so an interrupted run keeps what it did): the run
 * context needed to replay it, the case record, the outcome, its findings and every exchange, redacted.
 */
export function createTranscriptReporter(options: TranscriptReporterOptions): Reporter {
  let run: RunStarted | undefined;
  return {
    async onEvent(event) {
      if (event.type === 'run-started') run = event;
      if (event.type === 'case-finished') {
        const path = join(options.dir, transcriptPathFor(reportId(event.result)));
        await writeReportFile(path, toReportJson(transcriptDocument(run, event.result)));
      }
    },
    async close() {
      // Every transcript is complete when its case finishes; nothing is buffered.
    },
  };
}

function transcriptDocument(run: RunStarted | undefined, result: CaseResult): unknown {
  const outcome = result.outcome;
  return {
    run: run === undefined ? null : { runId: run.runId, startedAt: run.startedAt, target: run.target, seed: run.seed, strict: run.strict },
    case: caseRecord(result),
    outcome,
    findings: outcome.kind === 'fail' || outcome.kind === 'warn' ? outcome.findings : [],
    durationMs: result.durationMs,
    notes: result.notes,
    exchanges: result.exchanges,
  };
}
