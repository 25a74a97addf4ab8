import type { HarnessEvent, Reporter, RunSummary } from '../runner/events';
import { reportId } from '../runner/types';
import type { CaseResult } from '../runner/types';
import { toReportJson, writeReportFile } from './report-json';
import { transcriptPathFor } from './transcript-path';

type RunStarted = Extract<HarnessEvent, { type: 'run-started' }>;

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
  let run: RunStarted | undefined;
  let results: CaseResult[] = [];
  let unwritten = false;

  const write = async (summary: RunSummary | null): Promise<void> => {
    unwritten = false;
    await writeReportFile(options.path, toReportJson(resultsDocument(run, results, summary)));
  };

  return {
    async onEvent(event) {
      switch (event.type) {
        case 'run-started':
          run = event;
          results = [];
          unwritten = true;
          break;
        case 'case-finished':
          results.push(event.result);
          unwritten = true;
          break;
        case 'run-finished':
          await write(event.summary);
          break;
        case 'case-started':
        case 'run-note':
          break;
      }
    },
    async close() {
      if (unwritten) await write(null);
    },
  };
}

function resultsDocument(run: RunStarted | undefined, results: CaseResult[], summary: RunSummary | null): unknown {
  return {
    runId: run?.runId ?? null,
    startedAt: run?.startedAt ?? null,
    target: run?.target ?? null,
    seed: run?.seed ?? null,
    strict: run?.strict ?? null,
    selection: run?.selection ?? null,
    summary,
    cases: results.map((result) => ({
      id: result.id,
      ...(result.variant && { variant: result.variant }),
      title: result.title,
      requirement: result.requirement,
      level: result.level,
      spec: result.spec,
      api: result.api,
      tags: result.tags,
      outcome: result.outcome,
      durationMs: result.durationMs,
      notes: result.notes,
      transcript: transcriptPathFor(reportId(result)),
    })),
  };
}
