/**
 * A vitest reporter that turns the conformance tests into the harness's own event stream (STYLE B11): the run
 * header and every case result travel in vitest task meta (src/runner/vitest-host.ts); this reporter emits
 * run-started, case-finished and run-finished to the harness reporters (JUnit, results.json, transcripts, and
 * for `geni-harness run` the console). Anything vitest reports that is not a case result (a host module that
 * failed to load, a test that ended without a result) is a harness error: the run ends with exit code 2.
 */
import { rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ensureWritableDir } from './args';
import type { Reporter as VitestReporter, TestCase, TestModule } from 'vitest/node';
import { errorMessage } from '../core';
import type { HarnessEvent, Reporter } from '../runner/events';
import { summarize } from '../runner/summary';
import { expectationsFrom } from '../runner/expectations';
import { writeReportFile } from '../reporting/report-json';
import type { CaseResult } from '../runner/types';
import type { RunMeta } from '../runner/vitest-host';
import { SPEC } from '../geni/spec-anchors';
import {
  createConsoleReporter, createHtmlReporter, createJUnitReporter, createResultsJsonReporter, createTranscriptReporter, fanOut, type ConsoleReporterOptions,
} from '../reporting';

export interface HarnessReporterOptions {
  /** Print the harness's console report (what `geni-harness run` shows); vitest's own reporters print otherwise. */
  console?: Omit<ConsoleReporterOptions, 'reportsDir'>;
  /** Where a one-line note about the reports goes when there is no console report. @defaultValue stdout */
  notice?: (line: string) => void;
}

/** The vitest project of the conformance suites (vitest.config.ts). */
export const SUITES_PROJECT = 'suites';

export default class HarnessReporter implements VitestReporter {
  readonly results: CaseResult[] = [];
  readonly harnessErrors: string[] = [];
  /** 0 all MUST cases passed, 1 a case failed, 2 a harness error (also when no conformance run happened). */
  exitCode: 0 | 1 | 2 = 2;
  private sink: Reporter | undefined;
  private chain: Promise<void> = Promise.resolve();
  private startedAt = Date.now();
  private sawConformance = false;
  private writeExpectations: string | undefined;

  constructor(private readonly options: HarnessReporterOptions = {}) {}

  private emit(event: HarnessEvent): void {
    const sink = this.sink;
    if (sink) this.chain = this.chain.then(() => sink.onEvent(event)).catch((err: unknown) => { this.harnessErrors.push(`report: ${errorMessage(err)}`); });
  }

  onTestRunStart(): void {
    // Watch mode starts run after run with the same reporter.
    this.writeExpectations = undefined;
    this.startedAt = Date.now();
    this.results.length = 0;
    this.harnessErrors.length = 0;
    this.sawConformance = false;
    this.sink = undefined;
  }

  onTestModuleCollected(module: TestModule): void {
    if (!isConformance(module)) return;
    this.sawConformance = true;
    const meta = module.meta().geniRun;
    if (!meta?.header) return; // the run did not start: the module's error says why (onTestRunEnd)
    this.writeExpectations = meta.writeExpectations;
    try {
      prepareReportsDir(meta.reportsDir);
    } catch (err) {
      this.harnessErrors.push(errorMessage(err));
      return;
    }
    this.sink = fanOut([
      ...(this.options.console ? [createConsoleReporter({ ...this.options.console, reportsDir: meta.reportsDir, reportFiles: reportFiles(meta.reportsDir) })] : []),
      createJUnitReporter({ path: join(meta.reportsDir, 'junit.xml'), flavor: meta.junitFlavor }),
      createResultsJsonReporter({ path: join(meta.reportsDir, 'results.json') }),
      createTranscriptReporter({ dir: meta.reportsDir }),
      createHtmlReporter({ path: join(meta.reportsDir, 'index.html'), specLink }),
    ]);
    if (!this.options.console) (this.options.notice ?? ((l) => process.stdout.write(`${l}\n`)))(`geni-harness: seed ${meta.seed}; reports in ${meta.reportsDir}`);
    const { header } = meta;
    // -t and .only leave some tests out: the count is of the tests vitest will run.
    const caseCount = [...module.children.allTests()].filter((t) => t.options.mode === 'run').length;
    this.emit({
      type: 'run-started', runId: header.runId, startedAt: new Date(this.startedAt).toISOString(), target: header.target,
      seed: meta.seed, strict: meta.strict, selection: meta.selection, caseCount, command: meta.command,
    });
    for (const message of header.notes) this.emit({ type: 'run-note', message });
  }

  onTestCaseReady(testCase: TestCase): void {
    if (!isConformance(testCase.module) || this.sink === undefined) return;
    // Test names are `<report id>: <title>` (src/runner/vitest-host.ts); the describe block is the suite.
    const at = testCase.name.indexOf(': ');
    const parent = testCase.parent;
    this.emit({
      type: 'case-started',
      caseId: at < 0 ? testCase.name : testCase.name.slice(0, at),
      suite: parent.type === 'suite' ? parent.name : '',
      title: at < 0 ? '' : testCase.name.slice(at + 2),
    });
  }

  onTestCaseResult(testCase: TestCase): void {
    if (!isConformance(testCase.module)) return;
    const result = testCase.meta().geniResult;
    if (result) {
      this.results.push(result);
      this.emit({ type: 'case-finished', result });
      return;
    }
    const state = testCase.result();
    if (state.state === 'skipped') return; // left out by vitest's own filtering (-t, .only): not run, not a result
    const errors = state.errors ?? [];
    this.harnessErrors.push(`${testCase.name}: ${errors.map((e) => e.message).join('; ') || 'no result recorded'}`);
  }

  async onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<{ message?: string }>): Promise<void> {
    for (const m of testModules.filter(isConformance)) {
      for (const e of m.errors()) this.harnessErrors.push(e.message);
    }
    for (const e of unhandledErrors) this.harnessErrors.push(`unhandled: ${e.message ?? String(e)}`);
    if (!this.sawConformance) this.harnessErrors.push('no conformance suite ran');
    for (const problem of this.harnessErrors) this.emit({ type: 'run-note', message: `harness error: ${problem}` });
    const summary = summarize(this.results, Date.now() - this.startedAt);
    if (this.harnessErrors.length > 0) summary.exitCode = 2;
    this.exitCode = summary.exitCode;
    if (this.writeExpectations !== undefined) {
      try {
        await writeReportFile(this.writeExpectations, `${JSON.stringify(expectationsFrom(this.results), null, 2)}\n`);
        this.emit({ type: 'run-note', message: `expectations of this run's failures written to ${this.writeExpectations}` });
      } catch (err) {
        this.harnessErrors.push(`--write-expectations: ${errorMessage(err)}`);
      }
    }
    this.emit({ type: 'run-finished', summary });
    await this.chain;
    await this.sink?.close();
  }
}

/** The reports a person opens, as paths to type from here (relative when under the working directory). */
function reportFiles(dir: string): string[] {
  const shown = relative(process.cwd(), dir);
  const base = shown === '' ? '.' : shown.startsWith('..') ? dir : shown;
  return ['index.html', 'junit.xml', 'results.json'].map((file) => join(base, file));
}

/** Spec anchors link to the GENI wiki heading they name. */
function specLink(anchor: string): string | undefined {
  return (SPEC as Record<string, { url: string } | undefined>)[anchor]?.url;
}

function isConformance(module: TestModule): boolean {
  return module.project.name === SUITES_PROJECT || module.meta().geniRun !== undefined;
}

/** Makes the reports directory and clears the transcripts of an earlier run, which must not pass for this run's. */
function prepareReportsDir(dir: string): void {
  ensureWritableDir(dir, 'reports directory');
  rmSync(join(dir, 'cases'), { recursive: true, force: true });
}

export type { RunMeta };
