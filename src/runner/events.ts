import type { CaseResult } from './types';

/** What the run was pointed at, for report headers and JUnit properties. */
export interface TargetInfo {
  /** 'reference' for the embedded AM, else the URL given. */
  name: string;
  /** The operator's short name for the target (--target-name): reports prefix its suites with it. */
  label?: string;
  /** URL per suite under test ('am3' → its v3 URL). */
  urls: Record<string, string>;
  amUrn?: string;
  amType?: string;
  /** True when TLS verification of the server was switched off by --insecure (always shown in reports). */
  insecure: boolean;
  /** Reference-AM faults switched on for this run (empty for remote targets). */
  faults: string[];
  /** The embedded reference AM's personality, when the target is the embedded AM. */
  personality?: string;
}

export interface RunSummary {
  total: number;
  byKind: Record<'pass' | 'fail' | 'warn' | 'unsupported' | 'skip' | 'error', number>;
  durationMs: number;
  /** XML-RPC calls made to the target by all cases (their cleanup included); absent in summaries written before it was counted. */
  calls?: number;
  /** The property cases' generated inputs: how many cases, inputs in all, the fewest any case ran, the stated minimum. */
  properties?: { cases: number; inputs: number; fewest: number; minInputs: number; budgetMs?: number };
  /** 0: every MUST case passed (and, with --strict, every SHOULD case); 1: a case failed; 2: a harness error. */
  exitCode: 0 | 1 | 2;
  /** With an expectations file: cases that ended as expected, expected failures that passed, entries past their date. */
  expectations?: { met: number; unexpectedPass: number; expired: number };
}

/** The runner emits these; every report (console, JUnit, results.json, transcripts, HTML) is a consumer. */
export type HarnessEvent =
  | {
    type: 'run-started'; runId: string; startedAt: string; target: TargetInfo; seed: number; strict: boolean;
    selection: { cases: string[]; tags: string[]; suites: string[]; shard?: { index: number; count: number } }; caseCount: number;
    /**
     * The `geni-harness` arguments that repeat this run against the same target with the same seed, without the
     * case selection (reports add `--case ID` to repeat one case). Paths, never secrets. Absent when unknown.
     */
    command?: string[];
  }
  | { type: 'case-started'; caseId: string; suite: string; title: string }
  | { type: 'case-finished'; result: CaseResult }
  | { type: 'run-note'; message: string }
  | { type: 'run-finished'; summary: RunSummary };

export interface Reporter {
  onEvent(event: HarnessEvent): void | Promise<void>;
  close(): Promise<void>;
}
