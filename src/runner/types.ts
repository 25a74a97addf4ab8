import type { Check, Detection, Finding, Level, Outcome } from '../core';
import type { AmClient, Exchange, Transcript } from '../client';
import type { ApiVersion } from '../geni/methods';
import type { RequirementId } from '../geni/requirements';
import type { LoginSettings } from '../config';
import type { Session } from './session';
import type { SharedFixtureName } from './fixtures-types';

/** Closed vocabulary of tags (a typo is a compile error). */
export const TAGS = [
  'smoke', 'envelope', 'getversion', 'listresources', 'describe', 'allocate', 'renew', 'provision', 'status',
  'poa', 'delete', 'shutdown', 'lifecycle', 'options', 'compression', 'auth', 'credentials', 'rspec',
  'destructive', 'slow', 'single-sliver', 'errors', 'expiry', 'property', 'fuzz', 'login', 'dynslice', 'countdown', 'capacity',
] as const;
export type Tag = (typeof TAGS)[number];

/**
 * `<suite>.<area>.<kebab-slug>` for a case of one suite (`am3.getversion.envelope`), `<area>.<kebab-slug>` for a
 * case several suites share (`lifecycle.reserve-status-release`); never positional, never reused.
 */
export type CaseId = string;

/** How a case run ends besides its findings; what every suite's context offers. */
export interface CommonCaseContext {
  readonly caseId: CaseId;
  /** The suite this run of the case belongs to ('am3'). */
  readonly suite: string;
  readonly strict: boolean;
  /** The opt-in rule profiles of the run (`--profile`), for checks a case runs itself. */
  readonly profiles: readonly string[];
  /** Seed for anything random in this case (derived from the run seed and the case id). */
  readonly seed: number;
  /** The URL this suite talks to. */
  readonly url: string;
  /**
   * The URL is a slice manager's and the case judges its merged answers as one aggregate's (suite sm's run of the v3
   * cases): `verify` passes it to the checks (CheckContext.mergedBySliceManager); a case that calls checks itself
   * passes it on too.
   */
  readonly mergedBySliceManager?: boolean;
  /** A client for that URL, recording into this case's transcript: arbitrary method names and raw bodies. */
  readonly client: AmClient;
  /** Record findings produced by checks on an observed value. */
  verify<T>(observed: T, checks: Array<Check<T>>): Finding[];
  /** Record findings computed elsewhere. */
  report(findings: Finding[]): void;
  /** The feature is optional and the target properly said it does not offer it. */
  unsupported(reason: string): never;
  /** A precondition does not hold (not a verdict on the target). */
  skip(reason: string): never;
  note(text: string): void;
  /** A property case says how many generated inputs it ran (results.json and the console summary show it). */
  reportInputs(stats: GeneratedInputs): void;
}

/** What the runner knows about one run of one case, for the suite that builds its context. */
export interface CaseEnvironment {
  readonly session: Session;
  readonly caseId: CaseId;
  readonly tags: readonly Tag[];
  /** The shared fixtures the case declares (CaseDefinition.needs). */
  readonly needs: readonly SharedFixtureName[];
  readonly url: string;
  readonly transcript: Transcript;
  readonly options: CaseRunOptions;
}

export interface CaseRunOptions {
  strict: boolean;
  /** Opt-in rule profiles (`--profile fed4fire`); none when absent. */
  profiles?: readonly string[];
  seed: number;
  caseTimeoutMs: number;
  /** Property cases' budget; the default budget when absent. */
  fuzz?: FuzzBudget;
  /** Where property failures write replay files; default .geni-harness/replays. */
  replayDir?: string;
  /** The login cases: on or off (--no-login) and their bounded wait; DEFAULT_LOGIN (src/runner/login-kit.ts) when absent. */
  login?: LoginSettings;
  /**
   * Fewer calls per check (the default): one advertisement per run for the cases that start holding nothing, no
   * Delete for a slice nothing was allocated in (src/runner/fixtures.ts), and one fixture for the cases that declare
   * the same `needs` (src/runner/shared-fixtures.ts). Off (false), every case reads its own advertisement, makes its
   * own fixtures and deletes every slice: the baseline the harness's tests compare verdicts with.
   */
  shareFixtures?: boolean;
  /**
   * How many cases of a suite may be in flight at once (src/runner/scheduler.ts: some always run alone, and a case
   * that does not pass with others in flight runs again alone); 1 when absent. Suites that do not say they may run
   * cases at once (SuiteDefinition.concurrent) run one at a time whatever this says.
   */
  concurrency?: number;
}

/**
 * How much generated input one property case gets (src/runner/fuzz-budget.ts derives it from the run's --fuzz-time,
 * --fuzz-runs and --fuzz-min-runs): exactly `runs` inputs when untimed, else inputs until `timeLimitMs` is spent,
 * at least `minRuns` and at most `runs`.
 */
/** What is left of the run's property time budget (mutable: every property case of the run draws on it). */
export interface FuzzPool {
  remainingMs: number;
  remainingCases: number;
}

export interface FuzzBudget {
  /** Most generated inputs (all of them when there is no time limit). */
  runs: number;
  /** Fewest generated inputs, whatever the time. @defaultValue 1 */
  minRuns?: number;
  /** This property's share of the run's time budget: no new input starts after it (one that started finishes). */
  timeLimitMs?: number;
  /**
   * The run's budget as its property cases spend it (fuzz-budget.ts): when present, a property's share is an even
   * split of what is left when it starts, so the time one spent on its minimum inputs comes out of the others'
   * shares, and the run's properties keep to --fuzz-time unless their minimums alone exceed it. Replaces timeLimitMs.
   */
  pool?: FuzzPool;
  /** Replay: the fast-check seed and path of a recorded counterexample. */
  replay?: { seed: number; path: string };
  /**
   * Shrink a failure to its smallest counterexample (the default). Off, the first failing input is reported as it
   * was drawn: the harness's own fault-sensitivity test only needs to see the case fail.
   */
  shrink?: boolean;
}

/** Where a suite's cases go in this run, or why the target does not offer the suite. */
export type SuiteLocation = { url: string } | { unavailable: string };

/** A case context of one suite, ready to run, and how to undo what the case made. */
export interface OpenedCase<Ctx> {
  context: Ctx;
  /** Releases what the case made (slices, registrations); returns what could not be released, as notes. */
  release(): Promise<string[]>;
  /**
   * After the release: findings about what the aggregate did not give back (capacity a refused reservation kept),
   * graded with the case's own, and notes.
   */
  audit?(): Promise<{ findings: Finding[]; notes: string[] }>;
}

/**
 * A suite: one kind of target (an AM API version, a dynslice server, a slice manager…) with its own URL and its
 * own case-context type. Cases name the suites they run in (defineCases); the runner finds each suite's URL once
 * per run and asks the suite for a fresh context per case. See CONTRIBUTING.md, "Recipe: add a suite".
 */
export interface SuiteDefinition<Ctx = unknown> {
  /** Stable, kebab-case: `--suite NAME`, the JUnit testsuite name, the vitest describe block. */
  readonly name: string;
  /** For people: 'GENI AM API v3'. */
  readonly title: string;
  /** The AM API version of an AM suite (reports show it). */
  readonly api?: ApiVersion;
  /**
   * Its cases may run at once (`--concurrency`), each on its own slices: the AM suites. Absent, one at a time
   * (suites whose cases share listeners, peers or a server's clock).
   */
  readonly concurrent?: boolean;
  /**
   * Called once before its cases start when they run at once (nothing of the run is held at `url` yet): what the
   * cases would otherwise each do while others hold slices (the AM suites: the run's advertisement read).
   */
  beforeCasesAtOnce?(session: Session, url: string): Promise<void>;
  /** Finds this suite's URL at the target (called once per run). */
  locate(session: Session): Promise<SuiteLocation>;
  /** Builds the context for one run of one case from what every suite has. */
  open(common: CommonCaseContext, env: CaseEnvironment): OpenedCase<Ctx> | Promise<OpenedCase<Ctx>>;
}

export interface CaseDefinition<Ctx = unknown> {
  id: CaseId;
  /** The stimulus, e.g. 'GetVersion with no options'. */
  title: string;
  /** A paraphrase of what the specification demands. */
  requirement: string;
  /**
   * The catalogued requirements (src/geni/requirements.ts) the case checks. Its level comes from them (the
   * strongest, unless the case states a weaker one); test/requirements.test.ts asserts no case is stricter than
   * the requirements it cites, and `geni-harness coverage` reads this. Every AM-suite case names at least one.
   */
  requirements?: RequirementId[];
  level: Level;
  /** Spec anchor ids (keys of SPEC in src/geni/spec-anchors.ts). */
  spec: string[];
  /** The suites the case runs in (a case shared by several suites runs once in each). */
  suites: ReadonlyArray<SuiteDefinition<Ctx>>;
  tags: Tag[];
  /** Per-case time limit; the default is the run's caseTimeoutMs. */
  timeoutMs?: number;
  /**
   * Reference faults (REFERENCE_FAULTS, SM_FAULTS) this case is expected to catch, each with the check id whose
   * finding proves it: with the fault switched on the case must fail, and among its findings must be one of that
   * check. The fault-sensitivity test and `geni-harness faults` read this.
   */
  detects?: Detection[];
  /**
   * Fixtures the case shares with other cases of the run (src/runner/shared-fixtures.ts): its body only reads them
   * (GetVersion, ListResources, Describe, Status, SliverStatus). The planner runs the cases needing one fixture one
   * after another, so it exists only while they run.
   */
  needs?: readonly SharedFixtureName[];
  /** The body only acts and verifies. */
  run(t: Ctx): Promise<void>;
}

/**
 * What an operator's expectations file says of a case, judged against its result (src/runner/expectations.ts):
 * `met` (ended as expected: does not fail the run), `unexpected-pass` and `expired` (fail the run), `different`
 * (ended otherwise: graded as usual).
 */
export interface CaseExpectation {
  outcome: 'fail' | 'error' | 'warn' | 'skip' | 'unsupported';
  reason: string;
  /** YYYY-MM-DD: the last day the entry holds. */
  until?: string;
  status: 'met' | 'unexpected-pass' | 'expired' | 'different';
}

/** What one property case ran: how many generated inputs, against what minimum and time share, and why it stopped. */
export interface GeneratedInputs {
  inputs: number;
  minInputs: number;
  maxInputs: number;
  /** Its share of the run's --fuzz-time; absent when untimed (--fuzz-runs alone). */
  budgetMs?: number;
  /** 'time': its share was spent; 'runs': every input ran; 'counterexample': an input failed; 'precondition': it could not go on. */
  stoppedBy: 'time' | 'runs' | 'counterexample' | 'precondition';
}

export interface CaseResult {
  id: CaseId;
  /**
   * Set when the case runs in several suites: each suite's run is reported separately as `<id>@<variant>` (see
   * reportId), so names and transcript files stay distinct and stable. The variant is the suite name.
   */
  variant?: string;
  /** The suite it ran in ('am3'): its JUnit testsuite. */
  suite: string;
  title: string;
  requirement: string;
  level: Level;
  spec: string[];
  /** The AM API version, for a case of an AM suite. */
  api?: ApiVersion;
  tags: Tag[];
  outcome: Outcome;
  durationMs: number;
  /**
   * XML-RPC calls the case made to the target, its cleanup included (a property's generated inputs too, though its
   * transcript keeps only a sample of them). Always set by the engine; absent in results written before it counted.
   */
  calls?: number;
  /** A property case's generated inputs. */
  fuzz?: GeneratedInputs;
  exchanges: Exchange[];
  notes: string[];
  /** Path of the transcript file, relative to the reports directory. */
  transcriptPath?: string;
  /** Set when an expectations file has an entry for this case. */
  expectation?: CaseExpectation;
}

/** How a result is named in reports: its case id, plus `@<suite>` for a case run in several suites. */
export function reportId(result: Pick<CaseResult, 'id' | 'variant'>): string {
  return result.variant ? `${result.id}@${result.variant}` : result.id;
}
