import { ConfigError, HarnessError } from '../core';
import type { Exchange } from '../client';
import { cleanupLedger } from './cleanup';
import { blockedCase, runCase } from './engine';
import type { HarnessEvent, TargetInfo } from './events';
import { selectCases, suitesOf, type Selection } from './registry';
import type { Session } from './session';
import { scheduledCase, suiteScheduler } from './scheduler';
import { sharedFixtures } from './shared-fixtures';
import type { CaseDefinition, CaseResult, CaseRunOptions, SuiteDefinition } from './types';

/** One suite of a run: where it goes and which cases run in it. */
export interface PlannedSuite {
  suite: SuiteDefinition<unknown>;
  url: string;
  cases: Array<CaseDefinition<unknown>>;
  /**
   * Set when the target kept the suite from being located (GetVersion hung, broke off, was undecodable or named no
   * version): its cases are reported as `error` with this cause and its exchanges, never left out of the reports.
   */
  blocked?: { error: HarnessError; exchanges: Exchange[] };
}

/** What a run is about to do, for the run-started event and report headers. */
export interface RunHeader {
  runId: string;
  target: TargetInfo;
  /** Things worth saying before the first case (leftovers of an earlier run cleaned up). */
  notes: string[];
  caseCount: number;
}

export interface PreparedRun {
  header: RunHeader;
  suites: PlannedSuite[];
}

/**
 * Where each suite of the selected cases runs: every suite is located at the target once (for the AM suites, the
 * URL that GetVersion advertises for the version). A suite the target does not offer is left out, unless the
 * selection names it: then the run cannot do what was asked, a configuration error.
 */
/**
 * The cases in their order, except that the irreversible ones (tag 'shutdown': a shut-down slice keeps its
 * resources until it expires, and the aggregate rightly refuses to delete it) come after every other case of the
 * suite, so that on a small aggregate they cannot starve the cases after them.
 */
export function irreversibleLast<C extends { tags: readonly string[] }>(cases: readonly C[]): C[] {
  const irreversible = (c: C) => c.tags.includes('shutdown');
  return [...cases.filter((c) => !irreversible(c)), ...cases.filter(irreversible)];
}

/**
 * The cases in their order, except that the cases needing a shared fixture (CaseDefinition.needs) run one after
 * another from where the first of them stands: the fixture exists only while they run, so no other case sees it.
 */
export function sharersTogether<C extends { needs?: readonly string[] }>(cases: readonly C[]): C[] {
  const keyOf = (c: C) => [...(c.needs ?? [])].sort().join(',');
  const out: C[] = [];
  const placed = new Set<string>();
  for (const c of cases) {
    const key = keyOf(c);
    if (key === '') out.push(c);
    else if (!placed.has(key)) {
      placed.add(key);
      out.push(...cases.filter((other) => keyOf(other) === key));
    }
  }
  return out;
}

export async function planSuites(session: Session, cases: ReadonlyArray<CaseDefinition<unknown>>, named: readonly string[] = []): Promise<PlannedSuite[]> {
  const planned: PlannedSuite[] = [];
  const unavailable: string[] = [];
  for (const suite of suitesOf(cases)) {
    if (named.length > 0 && !named.includes(suite.name)) continue;
    let location: Awaited<ReturnType<typeof suite.locate>>;
    try {
      location = await suite.locate(session);
    } catch (err) {
      // The aggregate's doing (no usable GetVersion): the run goes on and reports why these cases could not run.
      if (!(err instanceof HarnessError) || err.origin !== 'target') throw err;
      const exchanges = session.versionTranscript.entries.filter((e) => err.exchangeIds.includes(e.id));
      planned.push({ suite, url: session.spec.url, cases: cases.filter((c) => c.suites.includes(suite)), blocked: { error: err, exchanges } });
      continue;
    }
    if ('unavailable' in location) {
      if (named.includes(suite.name)) throw new ConfigError(`--suite ${suite.name}: ${session.spec.url}: ${location.unavailable}`);
      unavailable.push(`${suite.name} (${location.unavailable})`);
      continue;
    }
    const ordered = sharersTogether(irreversibleLast(cases.filter((c) => c.suites.includes(suite))));
    sharedFixtures(session).plan(location.url, ordered);
    planned.push({ suite, url: location.url, cases: ordered });
  }
  const unknown = named.filter((name) => !planned.some((p) => p.suite.name === name));
  if (unknown.length > 0) throw new ConfigError(`--suite ${unknown.join(', ')}: no such suite among the selected cases (suites: ${suitesOf(cases).map((s) => s.name).join(', ')})`);
  if (planned.length === 0) throw new ConfigError(`${session.spec.url} offers none of the suites of the selected cases: ${unavailable.join('; ')}`);
  return irreversibleAfterEverySuite(planned);
}

/**
 * Every suite's irreversible cases after every other case of the run: an aggregate that speaks several API versions
 * over the same resources keeps a slice the am2 cases shut down (and rightly never deletes it), which would otherwise
 * starve the am3 cases after it on a small aggregate. The irreversible cases then take turns, suite by suite (each
 * suite's first, then each suite's second, …, each suite's in its own order), so that an aggregate with room for
 * only a few shut-down slices still has its Shutdown judged in every version. A suite is then planned more than once.
 */
export function irreversibleAfterEverySuite<P extends { cases: ReadonlyArray<{ tags: readonly string[] }>; blocked?: unknown }>(planned: readonly P[]): P[] {
  const irreversible = (c: { tags: readonly string[] }) => c.tags.includes('shutdown');
  const first: P[] = [];
  const tails: P[][] = [];
  for (const p of planned) {
    const tail = p.blocked ? [] : p.cases.filter(irreversible);
    if (tail.length < p.cases.length) first.push(tail.length === 0 ? p : { ...p, cases: p.cases.filter((c) => !irreversible(c)) });
    if (tail.length > 0) tails.push(tail.map((c) => ({ ...p, cases: [c] })));
  }
  const turns = Math.max(0, ...tails.map((t) => t.length));
  return [...first, ...Array.from({ length: turns }, (_, i) => tails.flatMap((t) => t[i] ?? [])).flat()];
}

/**
 * Everything before the first case, the same for every way of running (vitest, `geni-harness run`, in-process):
 * leftovers of an earlier crashed run at this target are deleted, the cases selected and their suites located.
 */
export async function prepareRun(session: Session, all: ReadonlyArray<CaseDefinition<unknown>>, selection: Selection): Promise<PreparedRun> {
  const notes: string[] = [];
  // Gone embedded AMs are simply forgotten; leftovers at a long-lived aggregate are deleted first.
  session.ledger.dropGoneEmbedded(session.spec.embeddedInstance ? [session.spec.embeddedInstance] : []);
  if (!session.spec.embeddedInstance) {
    const leftovers = await cleanupLedger(session);
    notes.push(...leftovers.deleted.map((s) => `cleanup: deleted ${s} left by an earlier run`));
    notes.push(...leftovers.kept.map((k) => `cleanup: ${k.sliceUrn} at ${k.url} could not be deleted (${k.why})`));
    if (leftovers.inUse.length > 0) notes.push(`cleanup: left alone, in use by another run that is still going: ${leftovers.inUse.join(', ')}`);
  }
  const selected = selectCases(all, selection);
  if (selected.length === 0) {
    throw new ConfigError(`no case matches the selection (cases: ${selection.cases?.join(', ') || '*'}; tags: ${selection.tags?.join(', ') || '*'}; suites: ${selection.suites?.join(', ') || '*'})`);
  }
  const suites = await planSuites(session, selected, selection.suites);
  const version = await session.versionAt(session.spec.url).catch(() => undefined);
  const target: TargetInfo = {
    name: session.spec.name,
    ...(session.spec.label !== undefined && { label: session.spec.label }),
    urls: Object.fromEntries(suites.map((p) => [p.suite.name, p.url])),
    amUrn: session.spec.amUrn ?? version?.amUrn,
    amType: version?.amType,
    insecure: session.spec.insecure === true,
    faults: session.spec.faults ?? [],
    ...(session.spec.personality !== undefined && { personality: session.spec.personality }),
  };
  return { header: { runId: session.runId, target, notes, caseCount: suites.reduce((n, p) => n + p.cases.length, 0) }, suites };
}

/**
 * Runs cases one after another against one session, emitting case events. The engine's own loop (for scripts,
 * the fault-sensitivity tests and benches); the vitest host drives the same runCase, one vitest test per case.
 */
export async function runCasesInProcess(
  session: Session,
  cases: ReadonlyArray<CaseDefinition<unknown>>,
  options: CaseRunOptions & { suites?: string[] },
  emit: (event: HarnessEvent) => void | Promise<void> = () => {},
): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const planned of await planSuites(session, cases, options.suites)) {
    const runOne = (def: CaseDefinition<unknown>) =>
      planned.blocked ? Promise.resolve(blockedCase(def, planned.suite, planned.blocked)) : runCase(def, planned.suite, session, planned.url, options);
    const scheduler = suiteScheduler(planned.suite, options.concurrency);
    if (scheduler.concurrency > 1 && !planned.blocked) await planned.suite.beforeCasesAtOnce?.(session, planned.url);
    if (scheduler.concurrency === 1) {
      for (const def of planned.cases) {
        await emit({ type: 'case-started', caseId: def.id, suite: planned.suite.name, title: def.title });
        const result = await runOne(def);
        results.push(result);
        await emit({ type: 'case-finished', result });
      }
      continue;
    }
    const finished = planned.cases.map((def) => {
      let announced = false;
      return scheduler.submit(scheduledCase(def, planned.suite, session, async () => {
        if (!announced) await emit({ type: 'case-started', caseId: def.id, suite: planned.suite.name, title: def.title });
        announced = true;
        return runOne(def);
      }));
    });
    // Reported in plan order, as a serial run reports them.
    for (const result of finished) {
      const done = await result;
      results.push(done);
      await emit({ type: 'case-finished', result: done });
    }
  }
  // Fixtures whose cases did not all run to their end (none is left once the last case needing it finished).
  await sharedFixtures(session).releaseAll(session.versionTranscript);
  return results;
}
