import junitReportBuilder from 'junit-report-builder';
import { reportId } from '../runner/types';
import type { TestCase } from 'junit-report-builder';
import { redactText } from '../core';
import type { Finding } from '../core';
import type { Reporter, TargetInfo } from '../runner/events';
import { endOfRunReporter, type RunStarted } from './end-of-run';
import type { CaseResult } from '../runner/types';
import { formatFailure, inline } from './format-failure';
import { writeReportFile } from './report-json';
import { transcriptPathFor } from './transcript-path';


export interface JUnitReporterOptions {
  /** Where junit.xml goes, e.g. 'reports/junit.xml'. */
  path: string;
}

/**
 * Writes JUnit XML: one <testsuite> per suite (`am3`, `dynslice`), one <testcase> per case (classname `am3.getversion`).
 * fail → <failure>, error → <error>, skip and unsupported → <skipped>, warn → a pass with a <system-out> note
 * (a <failure> if a warn arrives under --strict, where the runner should already have failed it).
 * The file is written when the run finishes, and on close if the run never finished.
 */
export function createJUnitReporter(options: JUnitReporterOptions): Reporter {
  return endOfRunReporter(({ run, results }) => writeReportFile(options.path, buildJUnitXml(run, results)));
}

/** The XML for the run so far. */
function buildJUnitXml(run: RunStarted | undefined, results: CaseResult[]): string {
  // A fresh builder per report: the package's default export is a process-wide singleton that would
  // accumulate the suites of every run in the process.
  const builder = junitReportBuilder.newBuilder();
  builder.name(run === undefined ? 'geni-harness' : `geni-harness ${run.target.name}`);

  for (const group of groupBySuite(results)) {
    const suite = builder.testSuite().name(group.name).time(seconds(sum(group.results.map((r) => r.durationMs))));
    if (run !== undefined) {
      suite.timestamp(junitTimestamp(run.startedAt));
      for (const [name, value] of runProperties(run, group.name, group.results)) suite.property(name, value);
    }
    for (const result of group.results) addTestCase(suite.testCase(), result, run?.strict ?? false);
  }
  return builder.build();
}

interface SuiteGroup {
  name: string;
  results: CaseResult[];
}

/** Suites in the order their first case finished; cases in the order they finished. */
function groupBySuite(results: CaseResult[]): SuiteGroup[] {
  const groups = new Map<string, SuiteGroup>();
  for (const result of results) {
    // One testsuite per suite (what CI dashboards and acceptance reviewers compare); the method area is in each
    // testcase's classname.
    const name = result.suite;
    let group = groups.get(name);
    if (group === undefined) {
      group = { name, results: [] };
      groups.set(name, group);
    }
    group.results.push(result);
  }
  return [...groups.values()];
}

/**
 * The method area of a result: `am3.getversion.envelope` in suite am3 → 'getversion'; a case shared by several
 * suites has no suite prefix (`lifecycle.reserve-status-release` → 'lifecycle').
 */
function areaOf(result: CaseResult): string {
  const parts = result.id.split('.');
  const area = parts[0] === result.suite ? parts[1] : parts[0];
  return area !== undefined && area !== '' ? area : 'unknown';
}

function runProperties(run: RunStarted, suite: string, results: CaseResult[]): Array<[string, string]> {
  const target: TargetInfo = run.target;
  const apiVersion = results.find((r) => r.api !== undefined)?.api;
  const anchors = [...new Set(results.flatMap((r) => r.spec))];
  const properties: Array<[string, string | undefined]> = [
    ['run-id', run.runId],
    ['started-at', run.startedAt],
    ['target', target.name],
    ['target-url', target.urls[suite]],
    ['am-urn', target.amUrn],
    ['am-type', target.amType],
    ['api-version', apiVersion === undefined ? undefined : String(apiVersion)],
    ['spec', anchors.join(', ')],
    ['seed', String(run.seed)],
    ['strict', String(run.strict)],
    ['personality', target.personality],
    ['faults', target.faults.length > 0 ? target.faults.join(', ') : 'none'],
    // Always written, so that a report from a run without TLS verification says so rather than saying nothing.
    ['insecure', target.insecure ? 'true' : 'false'],
  ];
  return properties.flatMap(([name, value]) => (value === undefined ? [] : [[name, redactText(value)] as [string, string]]));
}

function addTestCase(testCase: TestCase, result: CaseResult, strict: boolean): void {
  testCase
    .className(classNameOf(result))
    .name(`${reportId(result)}: ${result.title}`)
    .time(seconds(result.durationMs))
    .property('outcome', result.outcome.kind)
    .property('level', result.level)
    .property('requirement', redactText(result.requirement))
    .property('spec', result.spec.join(', '))
    .property('tags', result.tags.join(', '))
    .property('transcript', transcriptPathFor(reportId(result)));

  const outcome = result.outcome;
  const notes = result.notes.map((note) => `Note: ${inline(note)}`);
  switch (outcome.kind) {
    case 'pass':
      break;
    case 'fail':
      markFailure(testCase, result, outcome.findings);
      break;
    case 'warn':
      if (strict) {
        markFailure(testCase, result, outcome.findings);
      } else {
        notes.unshift(`Passed with SHOULD-level warnings:\n${formatFailure(result)}`);
      }
      break;
    case 'error':
      testCase.error(inline(outcome.message), outcome.phase, cdataSafe(formatFailure(result)));
      break;
    case 'skip':
      markSkipped(testCase, `skipped: ${inline(outcome.reason)}`);
      break;
    case 'unsupported':
      markSkipped(testCase, `unsupported: ${inline(outcome.reason)}`);
      break;
  }
  if (notes.length > 0) testCase.standardOutput(cdataSafe(redactText(notes.join('\n'))));
}

function markFailure(testCase: TestCase, result: CaseResult, findings: Finding[]): void {
  const first = findings[0];
  testCase.failure(redactText(first?.title ?? 'Failed without findings'), first?.check ?? 'fail');
  // junit-report-builder puts a failure's body in the "stacktrace"; for us that is the B12 block.
  testCase.stacktrace(cdataSafe(formatFailure(result)));
}

type BuiltElement = ReturnType<TestCase['build']>;

/**
 * junit-report-builder 5 writes a bare <skipped/>. JUnit readers show the message attribute as the reason, so it
 * is added to the element the library built (the counts stay the library's, which is why skipped() is still called).
 */
function markSkipped(testCase: TestCase, message: string): void {
  testCase.skipped();
  const buildWithoutMessage = testCase.build.bind(testCase);
  testCase.build = (parent): BuiltElement => {
    const element = buildWithoutMessage(parent);
    for (const child of element.children) {
      if ('name' in child && child.name === 'skipped') (child as BuiltElement).att('message', message);
    }
    return element;
  };
}

function classNameOf(result: CaseResult): string {
  return `${result.suite}.${areaOf(result)}`;
}

/**
 * xmlbuilder escapes only the first "]]>" inside a CDATA section; any "]]>" in our text (an echoed XML
 * fragment) is defused here so that the section cannot end early.
 */
function cdataSafe(text: string): string {
  return text.replace(/]]>/g, ']]&gt;');
}

/** JUnit's schema wants a timestamp without zone or fraction; the run's start is UTC. */
function junitTimestamp(iso: string): string {
  const parsed = new Date(iso);
  return Number.isNaN(parsed.getTime()) ? iso : parsed.toISOString().slice(0, 19);
}

function seconds(ms: number): number {
  return Math.round(ms) / 1000;
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
