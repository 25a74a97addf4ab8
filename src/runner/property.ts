import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { formatValue, HarnessError, type Finding } from '../core';
import type { AmClient, Transcript } from '../client';
import type { Lifecycle } from '../geni/lifecycle';
import { v1Api, v2Api, v3Api, type V1Api, type V2Api, type V3Api } from '../geni/methods';
import type { CaseFixtures } from './fixtures';
import type { CredentialKit, SliceFixture } from './fixtures-types';
import { describeInputs, takeShare, withinBudget } from './fuzz-budget';
import { CaseSignal } from './signals';
import type { FuzzBudget, GeneratedInputs } from './types';

/** What one generated run may use: its calls go to the case's aggregate, its slices are released after the run. */
export interface PropertyScope {
  am: V3Api;
  v2: V2Api;
  v1: V1Api;
  lifecycle: Lifecycle;
  client: AmClient;
  creds: CredentialKit;
  newSlice(opts?: { name?: string; expiresInSeconds?: number }): Promise<SliceFixture>;
}

export interface PropertySpec<T> {
  /** The inputs. */
  arbitrary: fc.Arbitrary<T>;
  /** How a counterexample reads in a report (defaults to the formatted value). */
  describe?: (value: T) => string;
  /** One run: act with `value` and return what is wrong (no findings = the property holds for it). */
  check: (value: T, scope: PropertyScope) => Promise<Finding[]>;
}

/** A replay file: local state beside the ledger (it carries credentials), never under reports/. */
export interface ReplayFile {
  format: 'geni-harness-replay/2';
  caseId: string;
  /** The suite the case ran in ('am3'). */
  suite: string;
  target: { name: string; url: string; faults: string[]; embedded: boolean };
  seed: number;
  path: string;
  numRuns: number;
  counterexample: string;
  findings: Array<Pick<Finding, 'check' | 'title' | 'expected' | 'actual' | 'path'>>;
  /** The counterexample run's requests, byte for byte as sent (credentials included). */
  requests: Array<{ method: string; endpoint: string; body: string }>;
  writtenAt: string;
}

export interface PropertyEnvironment {
  caseId: string;
  suite: string;
  seed: number;
  fuzz: FuzzBudget;
  client: AmClient;
  transcript: Transcript;
  lifecycle: Lifecycle;
  fixtures: CaseFixtures;
  creds: CredentialKit;
  replayDir: string;
  target: ReplayFile['target'];
  note(text: string): void;
  /** How many inputs it ran, for the case's result. */
  reportInputs(stats: GeneratedInputs): void;
}

/**
 * Runs a property with fast-check against the aggregate. Each generated input gets fresh slices, released when
 * its run ends (so capacity is not used up by earlier runs). On failure fast-check shrinks to the smallest
 * failing input; that input is run once more to record its exchanges and exact request bytes, which go to a
 * replay file (`geni-harness replay FILE`). Returns the findings of the counterexample (none when it holds).
 */
export async function runProperty<T>(env: PropertyEnvironment, spec: PropertySpec<T>): Promise<Finding[]> {
  const runOnce = async (value: T, client: AmClient): Promise<Finding[]> => {
    const sliceMark = env.fixtures.slices.length;
    const scope: PropertyScope = {
      am: v3Api(client), v2: v2Api(client), v1: v1Api(client), lifecycle: env.lifecycle, client, creds: env.creds,
      newSlice: (opts) => env.fixtures.newSlice(opts),
    };
    try {
      return await spec.check(value, scope);
    } finally {
      await env.fixtures.releaseSince(sliceMark, env.transcript);
    }
  };

  const started = env.transcript.entries.length;
  // A precondition that fails inside a run (no slice to be had, a step the property needs refused) is not a
  // counterexample: it ends the case with the precondition's own reason (a skip), unless an input had already
  // failed, whose findings then stand (the runs after a failure are fast-check's shrinking).
  let signal: CaseSignal | undefined;
  // The latest generated run that failed: fast-check's counterexample is the last input that failed.
  let lastFailure: { findings: Finding[]; from: number; to: number } | undefined;
  const raw = fc.asyncProperty(spec.arbitrary, async (value) => {
    if (signal) return true;
    const from = env.transcript.entries.length;
    try {
      const findings = await runOnce(value, env.client);
      if (findings.length > 0) lastFailure = { findings, from, to: env.transcript.entries.length };
      return findings.length === 0;
    } catch (err) {
      if (!(err instanceof CaseSignal)) throw err;
      signal = err;
      return true;
    }
  });
  // A replay runs its one recorded input, untimed; otherwise the share is taken from the run's pool as it starts.
  const share = env.fuzz.replay ? undefined : takeShare(env.fuzz);
  const budget = share ? { minRuns: env.fuzz.minRuns ?? 1, timeLimitMs: share.timeLimitMs } : { minRuns: 1 };
  const budgeted = withinBudget(raw, budget);
  const startedAt = Date.now();
  const details = await fc.check(budgeted.property, {
    seed: env.fuzz.replay?.seed ?? env.seed,
    numRuns: env.fuzz.runs,
    ...(env.fuzz.replay && { path: env.fuzz.replay.path, endOnFailure: true }),
    ...(env.fuzz.shrink === false && { endOnFailure: true }),
  }).finally(() => share?.spent(Date.now() - startedAt));

  const stats: GeneratedInputs = {
    inputs: budgeted.inputs(), minInputs: budget.minRuns, maxInputs: env.fuzz.runs,
    ...(budget.timeLimitMs !== undefined && { budgetMs: budget.timeLimitMs }),
    stoppedBy: details.failed ? 'counterexample' : signal ? 'precondition' : budgeted.stoppedByTime() ? 'time' : 'runs',
  };
  env.reportInputs(stats);
  if (signal && !details.failed) throw signal;
  if (!details.failed) {
    // Keep the first run's exchanges as a sample of what was sent; the rest would only bloat the transcript.
    const perRun = Math.max(1, Math.ceil((env.transcript.entries.length - started) / Math.max(1, details.numRuns)));
    env.transcript.retainRange(0, started + perRun);
    env.note(`property held for ${describeInputs(stats)} (seed ${details.seed})`);
    return [];
  }

  const counterexample = details.counterexample![0] as T;
  const shown = spec.describe ? spec.describe(counterexample) : formatValue(counterexample, 400);
  // Run the shrunk counterexample once more, recording its exchanges and exact request bytes.
  const rerunStart = env.transcript.entries.length;
  const requests: ReplayFile['requests'] = [];
  let findings: Finding[];
  try {
    findings = await runOnce(counterexample, env.client.withRequestTap((sent) => requests.push(sent)));
    env.transcript.retainRange(rerunStart);
  } catch (err) {
    if (err instanceof CaseSignal && lastFailure) {
      // The re-run could not get past a precondition (an aggregate that kept capacity after the failing runs, say):
      // the counterexample's findings and exchanges are those of its generated run.
      env.note(`the re-run of the counterexample stopped at a precondition (${err.reason}); its findings are from its generated run`);
      findings = lastFailure.findings;
      env.transcript.retainRange(lastFailure.from, lastFailure.to);
    } else {
      if (err instanceof HarnessError || err instanceof CaseSignal) throw err;
      throw new HarnessError('internal', `property of ${env.caseId} threw on its counterexample: ${(err as Error).message}`);
    }
  }
  if (findings.length === 0) {
    // fast-check saw a failure (or an exception) that this re-run does not show: say so rather than pass.
    findings = [{
      check: 'property', title: 'Property failed but its counterexample passed when run again', expected: ['the same verdict on a re-run'],
      actual: `failed during generation (${details.errorInstance ? String(details.errorInstance) : 'returned false'}), passed on re-run`, exchangeIds: env.transcript.entries.map((e) => e.id),
    }];
  }
  const replayPath = writeReplay(env, {
    seed: details.seed, path: details.counterexamplePath ?? '', numRuns: details.numRuns, counterexample: shown, findings, requests,
  });
  const reproduce = `shrunk counterexample: ${shown} — seed ${details.seed}, path "${details.counterexamplePath ?? ''}" (${details.numShrinks} shrinks); replay: geni-harness replay ${replayPath}`;
  env.note(reproduce);
  return findings.map((f) => ({ ...f, hint: f.hint ? `${f.hint}; ${reproduce}` : reproduce }));
}

function writeReplay(env: PropertyEnvironment, run: Pick<ReplayFile, 'seed' | 'path' | 'numRuns' | 'counterexample' | 'requests'> & { findings: Finding[] }): string {
  mkdirSync(env.replayDir, { recursive: true, mode: 0o700 });
  const file = join(env.replayDir, `${env.caseId}.json`);
  const replay: ReplayFile = {
    format: 'geni-harness-replay/2', caseId: env.caseId, suite: env.suite, target: env.target,
    seed: run.seed, path: run.path, numRuns: run.numRuns, counterexample: run.counterexample,
    findings: run.findings.map(({ check, title, expected, actual, path }) => ({ check, title, expected, actual, path })),
    requests: run.requests, writtenAt: new Date().toISOString(),
  };
  writeFileSync(file, JSON.stringify(replay, null, 2), { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}
