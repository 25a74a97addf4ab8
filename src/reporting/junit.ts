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


/**
 * Which JUnit readers the file is written for:
 * - `default`: per-case `<properties>` (read by GitLab, the GitHub JUnit actions, pytest-style tools) besides the
 *   details in `<system-out>`, and a `skipped` count on `<testsuites>`;
 * - `jenkins`: exactly what the Jenkins xUnit plugin's junit-10.xsd allows (schemas/junit/junit-10.xsd): no
 *   per-case `<properties>` and no `skipped` on `<testsuites>`; the per-case details are in `<system-out>` only.
 */
export const JUNIT_FLAVORS = ['default', 'jenkins'] as const;
export type JUnitFlavor = (typeof JUNIT_FLAVORS)[number];

export interface JUnitReporterOptions {
  /** Where junit.xml goes, e.g. 'reports/junit.xml'. */
  path: string;
  /** @defaultValue 'default' */
  flavor?: JUnitFlavor;
}

/**
 * Writes JUnit XML: one <testsuite> per suite (`am3`, `dynslice`), one <testcase> per case, named by its stable
 * report id (`am3.getversion.envelope`, `lifecycle.reserve-status-release@am2`) so that rewording a title never
 * breaks a CI dashboard's history; the title and the rest of the case record are in the body.
 * fail → <failure>, error → <error>, skip and unsupported → <skipped>, warn → a pass that says WARN in its
 * <system-out> and its `outcome` property, counted in the suite's `warnings` property (a <failure> if a warn
 * arrives under --strict, where the runner should already have failed it).
 * The file is written when the run finishes, and on close if the run never finished.
 */
export function createJUnitReporter(options: JUnitReporterOptions): Reporter {
  const flavor = options.flavor ?? 'default';
  return endOfRunReporter(({ run, results }) => writeReportFile(options.path, buildJUnitXml([{ run, results }], flavor)));
}

/** One run's part of a JUnit file: its header, its results, and where its transcripts are from the file's directory. */
export interface JUnitRun {
  run: RunStarted | undefined;
  results: CaseResult[];
  /** Prefix of the run's transcript paths ('utah-pg' → 'utah-pg/cases/…'); none for a run's own reports directory. */
  reportsDir?: string;
}

/**
 * The XML for one run so far, or for several merged (geni-harness merge): every run's suites, each named
 * `<label>/<suite>` when the run's target has a label, so that two aggregates' `am3` suites never collapse into one.
 */
export function buildJUnitXml(runs: JUnitRun[], flavor: JUnitFlavor = 'default'): string {
  // A fresh builder per report: the package's default export is a process-wide singleton that would
  // accumulate the suites of every run in the process.
  const builder = junitReportBuilder.newBuilder();
  const names = [...new Set(runs.map(({ run }) => run?.target.label ?? run?.target.name).filter((n) => n !== undefined))];
  builder.name(names.length === 0 ? 'geni-harness' : `geni-harness ${names.join(', ')}`);

  for (const { run, results, reportsDir } of runs) {
    const prefix = run?.target.label === undefined ? '' : `${run.target.label}/`;
    for (const group of groupBySuite(results)) {
      const suite = builder.testSuite().name(`${prefix}${group.name}`).time(seconds(sum(group.results.map((r) => r.durationMs))));
      if (run !== undefined) {
        suite.timestamp(junitTimestamp(run.startedAt));
        for (const [name, value] of runProperties(run, group.name, group.results)) suite.property(name, value);
      }
      for (const result of group.results) addTestCase(suite.testCase(), result, { strict: run?.strict ?? false, flavor, prefix, reportsDir });
    }
  }
  const xml = builder.build();
  return flavor === 'jenkins' ? withoutRootSkippedCount(xml) : xml;
}

/**
 * junit-10.xsd has no `skipped` on <testsuites> (each <testsuite> keeps its own). junit-report-builder always
 * writes it; the attribute is taken out of the root's start tag (attribute values are escaped, so the first `>`
 * after `<testsuites` ends that tag).
 */
function withoutRootSkippedCount(xml: string): string {
  return xml.replace(/<testsuites\b[^>]*>/, (tag) => tag.replace(/ skipped="[^"]*"/, ''));
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
    ['target-label', target.label],
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
    // A warn passes in JUnit's vocabulary; the count keeps it from disappearing on a dashboard.
    ['warnings', String(results.filter((r) => r.outcome.kind === 'warn').length)],
  ];
  return properties.flatMap(([name, value]) => (value === undefined ? [] : [[name, redactText(value)] as [string, string]]));
}

interface TestCaseOptions {
  strict: boolean;
  flavor: JUnitFlavor;
  /** The target label and a slash, or '' (classnames carry it, so CI tools that group by class keep targets apart). */
  prefix: string;
  reportsDir: string | undefined;
}

function addTestCase(testCase: TestCase, result: CaseResult, { strict, flavor, prefix, reportsDir }: TestCaseOptions): void {
  testCase.className(`${prefix}${classNameOf(result)}`).name(reportId(result)).time(seconds(result.durationMs));
  const details = caseDetails(result, reportsDir);
  if (flavor === 'default') {
    for (const [name, value] of details) testCase.property(name, redactText(value));
  }

  const outcome = result.outcome;
  const body = [`${reportId(result)}  ${result.title}`, ...details.map(([name, value]) => `${name}: ${inline(value, DETAIL_MAX)}`)];
  const expectation = result.expectation;
  if (expectation !== undefined && expectation.status !== 'different') {
    // The expectations file decides what CI sees: an expected failure is skipped with its reason (the findings stay
    // in the body), an unexpected pass or an expired entry is a failure that says so.
    const said = `expected ${expectation.outcome}: ${expectation.reason}${expectation.until === undefined ? '' : ` (until ${expectation.until})`}`;
    if (expectation.status === 'met') {
      markSkipped(testCase, said);
      if (outcome.kind === 'fail' || outcome.kind === 'warn' || outcome.kind === 'error') body.push('', formatFailure(result, { reportsDir }));
    } else {
      const what = expectation.status === 'expired' ? `the expectation expired on ${expectation.until ?? '?'}` : `unexpected ${outcome.kind}`;
      testCase.failure(redactText(`${what} (${said})`), `expectation-${expectation.status}`);
      body.push('', formatFailure(result, { reportsDir }));
    }
    if (result.notes.length > 0) body.push('', ...result.notes.map((note) => `Note: ${redactText(note)}`));
    testCase.standardOutput(cdataSafe(redactText(body.join('\n'))));
    return;
  }
  switch (outcome.kind) {
    case 'pass':
      break;
    case 'fail':
      markFailure(testCase, result, outcome.findings, reportsDir);
      break;
    case 'warn':
      if (strict) {
        markFailure(testCase, result, outcome.findings, reportsDir);
      } else {
        body.unshift('WARN: passed with SHOULD-level findings (a failure under --strict)');
        body.push('', formatFailure(result, { reportsDir }));
      }
      break;
    case 'error':
      testCase.error(inline(outcome.message), outcome.phase, cdataSafe(formatFailure(result, { reportsDir })));
      break;
    case 'skip':
      markSkipped(testCase, `skipped: ${redactText(outcome.reason)}`);
      break;
    case 'unsupported':
      markSkipped(testCase, `unsupported: ${redactText(outcome.reason)}`);
      break;
  }
  if (result.notes.length > 0) body.push('', ...result.notes.map((note) => `Note: ${redactText(note)}`));
  testCase.standardOutput(cdataSafe(redactText(body.join('\n'))));
}

/** Long enough for any requirement or skip reason we write: the body is read by people, never cut short. */
const DETAIL_MAX = 2000;

/** The case record as name/value pairs: testcase properties (default flavour) and the lines of <system-out>. */
function caseDetails(result: CaseResult, reportsDir: string | undefined): Array<[string, string]> {
  return [
    ['title', result.title],
    ['outcome', result.outcome.kind],
    ['level', result.level],
    ['requirement', result.requirement],
    ['spec', result.spec.join(', ')],
    ['tags', result.tags.join(', ')],
    ...(result.expectation === undefined ? [] : [['expectation', `${result.expectation.status}: expected ${result.expectation.outcome} (${result.expectation.reason})`] as [string, string]]),
    ['transcript', reportsDir === undefined ? transcriptPathFor(reportId(result)) : `${reportsDir}/${transcriptPathFor(reportId(result))}`],
  ];
}

function markFailure(testCase: TestCase, result: CaseResult, findings: Finding[], reportsDir: string | undefined): void {
  const first = findings[0];
  testCase.failure(redactText(first?.title ?? 'Failed without findings'), first?.check ?? 'fail');
  // junit-report-builder puts a failure's body in the "stacktrace"; for us that is the B12 block.
  testCase.stacktrace(cdataSafe(formatFailure(result, { reportsDir })));
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
