import type { Reporter, RunSummary } from '../runner/events';
import { endOfRunReporter, type RunStarted } from './end-of-run';
import { caseRecord } from './case-record';
import { reportId } from '../runner/types';
import type { CaseResult } from '../runner/types';
import { toReportJson, writeReportFile } from './report-json';
import { transcriptPathFor } from './transcript-path';


/**
 * What a reader checks first. The document is described by schemas/reports/results.schema.json; a member may be
 * added within a version, removing or retyping one raises the version.
 */
export const RESULTS_FORMAT = 'geni-harness/results';
export const RESULTS_FORMAT_VERSION = 1;

export interface ResultsJsonReporterOptions {
  /** Where results.json goes, e.g. 'reports/results.json'. */
  path: string;
}

/**
 * Writes results.json: the run header, the summary and one entry per case (findings inside the outcome; exchange
 * bodies stay in the transcripts, which each entry points to). Written when the run finishes; on close, a run
 * that never finished is written with `summary: null`.
 */
export function createResultsJsonReporter(options: ResultsJsonReporterOptions): Reporter {
  return endOfRunReporter(({ run, results, summary }) => writeReportFile(options.path, toReportJson(resultsDocument(run, results, summary))));
}

function resultsDocument(run: RunStarted | undefined, results: CaseResult[], summary: RunSummary | null): unknown {
  return {
    format: RESULTS_FORMAT,
    formatVersion: RESULTS_FORMAT_VERSION,
    runId: run?.runId ?? null,
    startedAt: run?.startedAt ?? null,
    target: run?.target ?? null,
    seed: run?.seed ?? null,
    strict: run?.strict ?? null,
    selection: run?.selection ?? null,
    ...(run?.command !== undefined && { command: run.command }),
    summary,
    cases: results.map((result) => ({
      ...caseRecord(result),
      outcome: result.outcome,
      durationMs: result.durationMs,
      ...(result.calls !== undefined && { calls: result.calls }),
      ...(result.fuzz && { generatedInputs: result.fuzz }),
      notes: result.notes,
      ...(result.expectation !== undefined && { expectation: result.expectation }),
      transcript: transcriptPathFor(reportId(result)),
    })),
  };
}
