/**
 * Reports are consumers of the runner's event stream (STYLE B11): none of them changes a result, and all of them
 * point at the same per-case transcript, `cases/<case id>.json` under the reports directory.
 */
export { createJUnitReporter, JUNIT_FLAVORS } from './junit';
export type { JUnitFlavor, JUnitReporterOptions } from './junit';
export { createResultsJsonReporter, RESULTS_FORMAT, RESULTS_FORMAT_VERSION } from './results-json';
export type { ResultsJsonReporterOptions } from './results-json';
export { createTranscriptReporter } from './transcripts';
export type { TranscriptReporterOptions } from './transcripts';
export { createConsoleReporter } from './console';
export { createHtmlReporter, renderHtmlReport } from './html';
export type { HtmlReporterOptions } from './html';
export type { ConsoleReporterOptions } from './console';
export { fanOut } from './fan-out';
export { formatFailure, OUTCOME_MARK } from './format-failure';
export type { FormatFailureOptions } from './format-failure';
export { transcriptPathFor } from './transcript-path';
export { loadRun, mergeRuns, MERGED_FORMAT, MERGED_FORMAT_VERSION } from './merge';
export type { LoadedRun, MergeOptions, MergeOutcome } from './merge';
