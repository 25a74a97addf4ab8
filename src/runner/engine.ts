import { createHash } from 'node:crypto';
import { HarnessError, errorMessage, gradeFindings, type Finding, type Outcome } from '../core';
import type { AmResponse } from '../geni/methods';
import type { XmlRpcValue } from '../xmlrpc';
import { Transcript, type AmClient } from '../client';
import { CREDENTIAL_WRAPPING, v1Api, v2Api, v3Api, type V3Api } from '../geni/methods';
import { LIFECYCLES, type Lifecycle } from '../geni/lifecycle';
import type { GetVersionInfo } from '../geni/version-info';
import { CaseFixtures } from './fixtures';
import { DEFAULT_FUZZ, runProperty, type FuzzBudget } from './property';
import type { Session } from './session';
import {
  CaseSignal, reportId, type ApiVersion, type CaseContext, type CaseDefinition, type CaseResult, type Check,
} from './types';

export interface CaseRunOptions {
  strict: boolean;
  seed: number;
  caseTimeoutMs: number;
  /** Property cases' budget; DEFAULT_FUZZ when absent. */
  fuzz?: FuzzBudget;
  /** Where property failures write replay files; default .geni-harness/replays. */
  replayDir?: string;
}

/** A stable per-case seed: the same run seed gives every case the same randomness, whatever else is selected. */
export function caseSeed(runSeed: number, caseId: string): number {
  return createHash('sha256').update(`${runSeed}:${caseId}`).digest().readUInt32BE(0);
}

class TimeoutSignal extends Error {}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutSignal(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Runs one case against one aggregate URL: builds its context, runs the body, grades the findings, and always
 * cleans up the slices it made (the ledger keeps whatever could not be deleted).
 */
export async function runCase(def: CaseDefinition, api: ApiVersion, session: Session, url: string, options: CaseRunOptions): Promise<CaseResult> {
  const started = Date.now();
  const transcript = new Transcript();
  const client = session.client(url, transcript);
  const am = v3Api(client);
  const lifecycle = LIFECYCLES[api](client);
  const findings: Finding[] = [];
  const notes: string[] = [];
  const fixtures = new CaseFixtures(session, def.id, url, api, def.tags.includes('shutdown'));
  let outcome: Outcome;
  let versionExchanges: CaseResult['exchanges'] = [];
  try {
    const version = await session.versionAt(url).catch((err: unknown) => {
      // The run-wide GetVersion failed: its exchanges belong in this case's transcript, as the proof.
      versionExchanges = session.versionTranscript.entries;
      throw err;
    });
    const ctx = makeContext(def, api, url, client, am, lifecycle, version, fixtures, findings, notes, options, session, transcript);
    await withTimeout(def.run(ctx), def.timeoutMs ?? options.caseTimeoutMs, `case ${def.id}`);
    outcome = gradeFindings(def.level, findings, options.strict);
  } catch (err) {
    outcome = outcomeOfThrow(err, findings, def, options);
  }
  const cleanupProblems = await cleanupSlices(session, lifecycle, fixtures);
  notes.push(...cleanupProblems);
  const variant = def.api.length > 1 ? `v${api}` : undefined;
  return {
    id: def.id, ...(variant && { variant }), title: def.title, requirement: def.requirement, level: def.level, spec: def.spec, api, tags: def.tags,
    outcome, durationMs: Date.now() - started, exchanges: [...versionExchanges, ...transcript.entries], notes,
    transcriptPath: `cases/${reportId({ id: def.id, variant })}.json`,
  };
}

function outcomeOfThrow(err: unknown, findings: Finding[], def: CaseDefinition, options: CaseRunOptions): Outcome {
  if (err instanceof CaseSignal) {
    // Findings recorded before the signal still count: an AM that misbehaved and then said "unsupported" fails.
    if (findings.length > 0) return gradeFindings(def.level, findings, options.strict);
    return err.signal === 'unsupported' ? { kind: 'unsupported', reason: err.reason } : { kind: 'skip', reason: err.reason };
  }
  if (err instanceof TimeoutSignal) return { kind: 'error', phase: 'timeout', message: err.message, exchangeIds: [] };
  if (err instanceof HarnessError) return { kind: 'error', phase: err.phase, message: err.message, exchangeIds: err.exchangeIds };
  return { kind: 'error', phase: 'internal', message: `harness bug: ${errorMessage(err)}`, exchangeIds: [] };
}

function makeContext(
  def: CaseDefinition, api: ApiVersion, url: string, client: AmClient, am: V3Api, lifecycle: Lifecycle, version: GetVersionInfo,
  fixtures: CaseFixtures, findings: Finding[], notes: string[], options: CaseRunOptions, session: Session, transcript: Transcript,
): CaseContext {
  const checkCtx = { spec: def.spec[0], strict: options.strict, note: (text: string) => { if (!notes.includes(text)) notes.push(text); } };
  const seed = caseSeed(options.seed, def.id);
  const creds = fixtures.credentialKit();
  const fuzz = options.fuzz ?? DEFAULT_FUZZ;
  const note = (text: string) => notes.push(text);
  return {
    caseId: def.id, api, strict: options.strict, seed, url, am, client, version, lifecycle,
    v2: v2Api(client), v1: v1Api(client),
    creds,
    fuzz,
    async property(spec) {
      const found = await runProperty({
        caseId: def.id, api, seed, fuzz, client, transcript, lifecycle, fixtures, creds, note,
        replayDir: options.replayDir ?? '.geni-harness/replays',
        target: { name: session.spec.name, url, faults: session.spec.faults ?? [], embedded: session.spec.embeddedInstance !== undefined },
      }, spec);
      findings.push(...found.map((f) => ({ ...f, spec: f.spec ?? checkCtx.spec })));
    },
    newSlice: (opts) => fixtures.newSlice(opts),
    requestRSpec: (opts) => fixtures.requestRSpec(lifecycle, opts),
    verify<T>(observed: T, checks: Array<Check<T>>): Finding[] {
      const found = checks.flatMap((check) => check(observed, checkCtx)).map((f) => ({ ...f, spec: f.spec ?? checkCtx.spec }));
      findings.push(...found);
      return found;
    },
    report(more: Finding[]) {
      findings.push(...more.map((f) => ({ ...f, spec: f.spec ?? checkCtx.spec })));
    },
    unsupported(reason: string): never {
      throw new CaseSignal('unsupported', reason);
    },
    skip(reason: string): never {
      throw new CaseSignal('skip', reason);
    },
    note(text: string) {
      notes.push(text);
    },
  };
}

/** Deletes every slice the case made; "nothing there" (SEARCHFAILED, or v1's no-such-slice Fault) is what we want. */
async function cleanupSlices(session: Session, lifecycle: Lifecycle, fixtures: CaseFixtures): Promise<string[]> {
  const problems: string[] = [];
  for (const slice of fixtures.slices) {
    try {
      const res = await releaseWithFallback(session, lifecycle, slice.urn, slice.credentialXml, slice.credentials);
      if (res.gone) {
        session.ledger.remove(fixtures.url, slice.urn);
      } else {
        const why = describeAnswer(res.answer);
        session.ledger.update(fixtures.url, slice.urn, { lastError: why });
        problems.push(`cleanup: releasing ${slice.urn} answered ${why}; kept in the ledger (geni-harness cleanup retries)`);
      }
    } catch (err) {
      problems.push(`cleanup: releasing ${slice.urn} failed: ${errorMessage(err)}; kept in the ledger`);
    }
  }
  return problems;
}

/**
 * Releases a slice through its own API version; when that refuses (v2 DeleteSliver after Shutdown answers
 * UNAVAILABLE, by design) and the aggregate also speaks v3, v3 Delete is tried, so nothing is left behind.
 */
async function releaseWithFallback(
  session: Session, lifecycle: Lifecycle, sliceUrn: string, credentialXml: string, credentials: XmlRpcValue[],
): Promise<{ gone: boolean; answer: AmResponse }> {
  const answer = await lifecycle.release({ urn: sliceUrn, credentials });
  if (lifecycle.isGone(answer) || lifecycle.api === 3) return { gone: lifecycle.isGone(answer), answer };
  const v3Url = await session.urlFor(3).catch(() => undefined);
  if (!v3Url) return { gone: false, answer };
  const v3 = LIFECYCLES[3](session.client(v3Url, new Transcript()));
  const viaV3 = await v3.release({ urn: sliceUrn, credentials: [CREDENTIAL_WRAPPING[3](credentialXml)] });
  return { gone: v3.isGone(viaV3), answer: v3.isGone(viaV3) ? viaV3 : answer };
}

function describeAnswer(res: AmResponse): string {
  if (res.fault) return `Fault ${res.fault.faultCode}: ${res.fault.faultString}`;
  if (res.envelope) return `geni_code ${String(res.envelope.geniCode)}`;
  return `value ${String(res.raw)}`;
}

export interface CleanupReport {
  deleted: string[];
  kept: Array<{ sliceUrn: string; url: string; why: string }>;
}

/** Deletes what the ledger names at `url` (or everywhere): used before a run and by `geni-harness cleanup`. */
export async function cleanupLedger(session: Session, filter: { url?: string } = {}): Promise<CleanupReport> {
  const report: CleanupReport = { deleted: [], kept: [] };
  for (const entry of session.ledger.read()) {
    if (filter.url && entry.url !== filter.url) continue;
    if (entry.embeddedInstance && entry.embeddedInstance !== session.spec.embeddedInstance) continue;
    const api = (entry.api === 1 || entry.api === 2 ? entry.api : 3) as ApiVersion;
    const lifecycle = LIFECYCLES[api](session.client(entry.url, new Transcript()));
    try {
      const res = await releaseWithFallback(session, lifecycle, entry.sliceUrn, entry.sliceCredentialXml, [CREDENTIAL_WRAPPING[api](entry.sliceCredentialXml)]);
      if (res.gone) {
        session.ledger.remove(entry.url, entry.sliceUrn);
        report.deleted.push(entry.sliceUrn);
      } else {
        const why = describeAnswer(res.answer);
        session.ledger.update(entry.url, entry.sliceUrn, { lastError: why });
        report.kept.push({ sliceUrn: entry.sliceUrn, url: entry.url, why });
      }
    } catch (err) {
      session.ledger.update(entry.url, entry.sliceUrn, { lastError: errorMessage(err) });
      report.kept.push({ sliceUrn: entry.sliceUrn, url: entry.url, why: errorMessage(err) });
    }
  }
  return report;
}
