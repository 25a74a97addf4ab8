import { createHash } from 'node:crypto';
import { HarnessError, errorMessage, gradeFindings, type Check, type CheckContext, type Finding, type Outcome } from '../core';
import { Transcript, type Exchange } from '../client';
import type { Session } from './session';
import { CaseSignal } from './signals';
import { reportId, type GeneratedInputs, type CaseDefinition, type CaseResult, type CaseRunOptions, type CommonCaseContext, type OpenedCase, type SuiteDefinition } from './types';

/** A stable per-case seed: the same run seed gives every case the same randomness, whatever else is selected. */
export function caseSeed(runSeed: number, caseId: string): number {
  return createHash('sha256').update(`${runSeed}:${caseId}`).digest().readUInt32BE(0);
}

class TimeoutSignal extends Error {}

function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutSignal(message)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Runs one case in one suite at that suite's URL: the suite builds its context, the body acts and verifies, the
 * findings are graded, and whatever the case made is always released (the ledger keeps what could not be).
 * Never throws: a problem on our side is an `error` outcome.
 */
export async function runCase<Ctx>(
  def: CaseDefinition<Ctx>, suite: SuiteDefinition<Ctx>, session: Session, url: string, options: CaseRunOptions,
): Promise<CaseResult> {
  const started = Date.now();
  const timeoutMs = def.timeoutMs ?? options.caseTimeoutMs;
  // The case's calls and the checks that validate what they received (in the sandbox) all stop by this time.
  const deadline = started + timeoutMs;
  const transcript = new Transcript();
  const findings: Finding[] = [];
  const notes: string[] = [];
  let generated: GeneratedInputs | undefined;
  const spec = def.spec[0];
  const withSpec = (found: Finding[]) => found.map((f) => ({ ...f, spec: f.spec ?? spec }));
  const profiles = options.profiles ?? [];
  // Checks see when the case must be over: work they do in the sandbox (RSpec validation) stops by then.
  const checkCtx: CheckContext = { spec, strict: options.strict, profiles, deadline, note: (text: string) => { if (!notes.includes(text)) notes.push(text); } };
  const common: CommonCaseContext = {
    caseId: def.id, suite: suite.name, strict: options.strict, profiles, seed: caseSeed(options.seed, def.id), url,
    client: session.client(url, transcript, { deadline }),
    verify<T>(observed: T, checks: Array<Check<T>>): Finding[] {
      const found = withSpec(checks.flatMap((check) => check(observed, checkCtx)));
      findings.push(...found);
      return found;
    },
    report: (more) => { findings.push(...withSpec(more)); },
    unsupported: (reason) => { throw new CaseSignal('unsupported', reason); },
    skip: (reason) => { throw new CaseSignal('skip', reason); },
    note: (text) => { notes.push(text); },
    reportInputs: (stats) => { generated = stats; },
  };

  let opened: OpenedCase<Ctx> | undefined;
  let outcome: Outcome;
  try {
    opened = await suite.open(common, { session, caseId: def.id, tags: def.tags, needs: def.needs ?? [], url, transcript, options });
    await withTimeout(def.run(opened.context), Math.max(1, deadline - Date.now()), `case ${def.id} did not finish within ${timeoutMs} ms`);
    outcome = gradeFindings(def.level, findings, options.strict);
  } catch (err) {
    outcome = outcomeOfThrow(err, findings, def, options);
  }
  if (opened) notes.push(...(await opened.release().catch((err: unknown) => [`cleanup failed: ${errorMessage(err)}`])));
  if (opened?.audit) {
    const audit = await opened.audit().catch((err: unknown) => ({ findings: [], notes: [`audit after cleanup failed: ${errorMessage(err)}`] }));
    notes.push(...audit.notes);
    if (audit.findings.length > 0) {
      // A verdict takes them in; a skip or an error (the case did not get to judge) keeps them as notes.
      if (outcome.kind === 'pass' || outcome.kind === 'warn' || outcome.kind === 'fail') {
        findings.push(...withSpec(audit.findings));
        outcome = gradeFindings(def.level, findings, options.strict);
      } else {
        notes.push(...audit.findings.map((f) => `${f.title}: ${f.actual} (exchanges ${f.exchangeIds.join(', ')})`));
      }
    }
  }
  const variant = def.suites.length > 1 ? suite.name : undefined;
  return {
    id: def.id, ...(variant && { variant }), suite: suite.name, title: def.title, requirement: def.requirement, level: def.level,
    spec: def.spec, ...(suite.api && { api: suite.api }), tags: def.tags,
    outcome, durationMs: Date.now() - started, calls: transcript.calls, ...(generated && { fuzz: generated }), exchanges: transcript.entries, notes,
    transcriptPath: `cases/${reportId({ id: def.id, variant })}.json`,
  };
}

/**
 * The result of a case whose suite the target kept from being located (see PlannedSuite.blocked): `error`, the
 * cause named, the exchanges that show it as its transcript. Counted as the aggregate's doing (exit 1).
 */
export function blockedCase<Ctx>(def: CaseDefinition<Ctx>, suite: SuiteDefinition<Ctx>, blocked: { error: HarnessError; exchanges: Exchange[] }): CaseResult {
  const variant = def.suites.length > 1 ? suite.name : undefined;
  const { error, exchanges } = blocked;
  return {
    id: def.id, ...(variant && { variant }), suite: suite.name, title: def.title, requirement: def.requirement, level: def.level,
    spec: def.spec, ...(suite.api && { api: suite.api }), tags: def.tags,
    outcome: { kind: 'error', phase: error.phase, message: `not run: ${error.message}`, exchangeIds: exchanges.map((e) => e.id), origin: error.origin },
    durationMs: 0, exchanges, notes: [],
    transcriptPath: `cases/${reportId({ id: def.id, variant })}.json`,
  };
}

function outcomeOfThrow(err: unknown, findings: Finding[], def: CaseDefinition<unknown>, options: CaseRunOptions): Outcome {
  if (err instanceof CaseSignal) {
    // Findings recorded before the signal still count: an AM that misbehaved and then said "unsupported" fails.
    if (findings.length > 0) return gradeFindings(def.level, findings, options.strict);
    return err.signal === 'unsupported' ? { kind: 'unsupported', reason: err.reason } : { kind: 'skip', reason: err.reason };
  }
  // A case that outlives its limit is waiting on the aggregate: every call and every decoding has a deadline.
  if (err instanceof TimeoutSignal) return { kind: 'error', phase: 'timeout', message: err.message, exchangeIds: [], origin: 'target' };
  if (err instanceof HarnessError) {
    return { kind: 'error', phase: err.phase, message: err.message, exchangeIds: err.exchangeIds, ...(err.origin === 'target' && { origin: 'target' as const }) };
  }
  return { kind: 'error', phase: 'internal', message: `harness bug: ${errorMessage(err)}`, exchangeIds: [] };
}

