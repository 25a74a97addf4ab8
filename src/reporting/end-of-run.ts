import type { HarnessEvent, Reporter, RunSummary } from '../runner/events';
import type { CaseResult } from '../runner/types';

export type RunStarted = Extract<HarnessEvent, { type: 'run-started' }>;

/** What an end-of-run report is built from. `summary` is null when the run never finished (written on close). */
export interface RunRecord {
  run: RunStarted | undefined;
  results: CaseResult[];
  summary: RunSummary | null;
}

/**
 * A reporter that collects the run and writes one file from it when the run finishes, or on close if it never
 * finished (an interrupted run still leaves its report). JUnit and results.json are both of this kind.
 */
export function endOfRunReporter(write: (record: RunRecord) => Promise<void>): Reporter {
  let run: RunStarted | undefined;
  let results: CaseResult[] = [];
  let unwritten = false;

  const flush = async (summary: RunSummary | null): Promise<void> => {
    unwritten = false;
    await write({ run, results, summary });
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
          await flush(event.summary);
          break;
        case 'case-started':
        case 'run-note':
          break;
      }
    },
    async close() {
      if (unwritten) await flush(null);
    },
  };
}
