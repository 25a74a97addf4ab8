/**
 * The conformance suites as vitest tests: one `describe` per suite, one `it` per case, named by its report id, so
 * vitest's filtering (-t), watch mode and reporters work on cases. `npx vitest run suites/` and `geni-harness run`
 * both come here (suites/conformance.test.ts); the vitest global setup (src/cli/vitest-setup.ts) resolves the
 * configuration and the target and provides them. This worker opens the run's one Session: GetVersion is read
 * once per URL, here, and shared by every case.
 */
import { afterAll, describe, inject, it, TestRunner } from 'vitest';
import { reproduceArguments, type ResolvedConfig } from '../config';
import { HarnessError } from '../core';
import { loadCases } from './registry';
import { prepareRun, type PreparedRun, type RunHeader } from './run';
import { blockedCase, runCase } from './engine';
import { countsAgainstRun, judgeExpectation, loadExpectations } from './expectations';
import { countPropertyCases, propertyBudget } from './fuzz-budget';
import { Session, type TargetSpec } from './session';
import { defaultConcurrency } from './concurrency';
import { scheduledCase, suiteScheduler, runsAlone } from './scheduler';
import { sharedFixtures } from './shared-fixtures';
import { reportId, type CaseResult } from './types';

/** What a conformance test module tells the reporters (vitest task meta; plain data). */
export interface RunMeta {
  /** Absent when the run could not start: the module then fails with the one-line reason. */
  header?: RunHeader;
  reportsDir: string;
  junitFlavor: ResolvedConfig['junitFlavor'];
  /** The arguments that repeat this run (reproduceArguments). */
  command: string[];
  /** Where to write this run's failures as an expectations file (--write-expectations). */
  writeExpectations?: string;
  seed: number;
  strict: boolean;
  selection: ResolvedConfig['selection'];
}

declare module 'vitest' {
  interface ProvidedContext {
    /** The resolved configuration (src/config.ts), from `geni-harness run` or the global setup. */
    geniConfig: ResolvedConfig;
    /** Where and as whom to talk, from the global setup (which starts the embedded reference AM when asked). */
    geniTarget: TargetSpec;
  }
  interface TaskMeta {
    geniResult?: CaseResult;
    geniRun?: RunMeta;
  }
}

/**
 * Ends this worker as soon as the process that started it is gone (`kill -9` of `geni-harness run`): a worker left
 * running would go on calling the aggregate and writing the ledger for a run nobody reads. What it held stays in the
 * ledger under its own pid, so the next run, seeing that pid gone, deletes it.
 */
function exitWithParent(): void {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.exit(70);
  }, 200).unref();
}

/**
 * The run's concurrency: the configured number, or for 'auto' the probe's choice at the first AM suite that has
 * cases able to run at once (noted in the run header). 1 when no suite has two such cases.
 */
export async function runConcurrency(session: Session, run: PreparedRun, setting: ResolvedConfig['concurrency']): Promise<number> {
  if (setting !== 'auto') return setting;
  const candidate = run.suites.find((p) => !p.blocked && p.suite.concurrent === true && p.suite.api !== undefined && p.cases.filter((c) => !runsAlone(c)).length > 1);
  if (!candidate) return 1;
  const choice = await defaultConcurrency(session, candidate.url, candidate.suite.api!);
  run.header.notes.push(`concurrency: ${choice.why}`);
  return choice.concurrency;
}

/** Registers every selected case of every suite the target offers as a vitest test. */
export async function registerSuites(): Promise<void> {
  const config = inject('geniConfig');
  const target = inject('geniTarget');
  if (!config || !target) {
    throw new HarnessError('config', 'the conformance suites need the vitest global setup of vitest.config.ts (run `npx vitest run suites/` from the project, or `geni-harness run`)');
  }
  const meta: RunMeta = { reportsDir: config.reportsDir, junitFlavor: config.junitFlavor, command: reproduceArguments(config), ...(config.writeExpectations !== undefined && { writeExpectations: config.writeExpectations }), seed: config.seed, strict: config.strict, selection: config.selection };
  TestRunner.getCurrentSuite().file.meta.geniRun = meta;

  exitWithParent();
  const session = Session.open(target, {
    ledgerPath: config.ledgerPath, limits: { callTimeoutMs: config.callTimeoutMs, maxResponseBytes: config.maxResponseBytes },
  });
  const expectations = config.expectations === undefined ? {} : loadExpectations(config.expectations);
  const run = await session.ready().then(async () => prepareRun(session, await loadCases(config.caseDirs), config.selection)).catch((err: unknown) => {
    session.close();
    throw err;
  });
  afterAll(async () => {
    // A shared fixture whose cases were filtered out (-t) or did not all finish: deleted before the session ends.
    await sharedFixtures(session).releaseAll(session.versionTranscript).catch(() => undefined);
    session.close();
  });
  meta.header = run.header;

  // The run's --fuzz-time is split evenly among its property cases, whatever their order.
  const fuzz = propertyBudget(config.fuzz, countPropertyCases(run.suites.flatMap((p) => p.cases)));
  const concurrency = await runConcurrency(session, run, config.concurrency);
  const options = { strict: config.strict, profiles: config.profiles, seed: config.seed, caseTimeoutMs: config.caseTimeoutMs, fuzz, replayDir: config.replayDir, login: config.login, concurrency };
  for (const planned of run.suites) {
    const scheduler = suiteScheduler(planned.suite, concurrency);
    const atOnce = scheduler.concurrency > 1;
    if (atOnce && !planned.blocked) await planned.suite.beforeCasesAtOnce?.(session, planned.url);
    // Cases at once still finish, for vitest and every report, in plan order: each waits for the one before it.
    let before: Promise<unknown> = Promise.resolve();
    describe(planned.suite.name, () => {
      for (const def of planned.cases) {
        const name = reportId({ id: def.id, variant: def.suites.length > 1 ? planned.suite.name : undefined });
        const once = () => planned.blocked ? Promise.resolve(blockedCase(def, planned.suite, planned.blocked)) : runCase(def, planned.suite, session, planned.url, options);
        // The case's own time limit governs; vitest's is a backstop that leaves room for the cleanup. Cases at once
        // may also wait for the cases ahead of them and run a second time alone.
        const caseMs = def.timeoutMs ?? config.caseTimeoutMs;
        const backstopMs = (atOnce ? 3 * caseMs : caseMs) + 2 * config.callTimeoutMs;
        (atOnce ? it.concurrent : it)(`${name}: ${def.title}`, async ({ task, skip }) => {
          let graded: CaseResult;
          if (atOnce) {
            const ahead = before;
            const mine = scheduler.submit(scheduledCase(def, planned.suite, session, once));
            before = Promise.all([ahead, mine]);
            graded = await mine;
            await ahead;
          } else {
            graded = await once();
          }
          const result = judgeExpectation(graded, expectations);
          task.meta.geniResult = result;
          // vitest's own verdict mirrors ours, so a plain vitest view of this run cannot disagree with the reports.
          const o = result.outcome;
          const counts = countsAgainstRun(result);
          if (counts === 'yes') throw new Error(`${name}: ${result.expectation?.status ?? ''}: expected ${result.expectation?.outcome ?? ''} (${result.expectation?.reason ?? ''}), got ${o.kind}`);
          if (counts === 'no') return;
          if (o.kind === 'fail' || o.kind === 'error' || (o.kind === 'warn' && config.strict)) {
            throw new Error(`${name}: ${o.kind}${o.kind === 'error' ? ` (${o.phase}): ${o.message}` : `: ${o.findings.map((f) => f.title).join('; ')}`}`);
          }
          if (o.kind === 'skip' || o.kind === 'unsupported') skip(`${o.kind}: ${o.reason}`);
        }, backstopMs);
      }
    });
  }
}
