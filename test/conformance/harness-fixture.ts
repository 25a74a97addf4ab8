import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedTarget, type EmbeddedTarget } from '../../src/cli/embedded-target';
import { startSmTestbed, type SmTestbed } from '../../src/cli/sm-testbed';
import { DEFAULT_CONFIG, type ReferenceSettings } from '../../src/config';
import { initAuthority, mintServiceIdentity, type ServiceIdentity, type TestAuthority } from '../../src/credentials';
import { startReferenceAms, type ReferenceAm } from '../../src/reference-am';
import { startReferenceSm } from '../../src/reference-sm';
import { SM_ENDPOINT, SM_PEERS_ENDPOINT } from '../../src/runner/sm-suite';
import { Session, type TargetSpec } from '../../src/runner/session';
import { runCasesInProcess } from '../../src/runner/run';
import type { CaseDefinition, CaseResult } from '../../src/runner/types';

const LIMITS = { callTimeoutMs: 60_000, maxResponseBytes: 64 * 1024 * 1024 };
/** The reference AM's nodes let us in at once (a working login never waits); a short wait keeps the wrong-port fault's retries brief. */
const LOGIN = { enabled: true, waitMs: 1_000 };

/** Replay files of failing properties go to a scratch directory, not the developer's .geni-harness/. */
const scratch = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

/** Runs cases in-process against a fresh embedded reference AM with the given faults, then tears it down. */
export async function runAgainstReference(
  cases: Array<CaseDefinition<unknown>>,
  options: {
    faults?: string[]; strict?: boolean; seed?: number; am?: ReferenceSettings & { personality?: string }; suites?: string[]; peers?: number; shrink?: boolean; fuzzRuns?: number;
    /** A test authority to reuse (its keys, and the harness user kept beside it), instead of minting a throwaway one. */
    authorityDir?: string;
    /** CaseRunOptions.shareFixtures (default on). */
    shareFixtures?: boolean;
    /** CaseRunOptions.concurrency (default 1). */
    concurrency?: number;
    /** Sees the embedded target after the run, before it closes (what its pace recorded). */
    afterRun?: (target: EmbeddedTarget) => void;
  } = {},
): Promise<CaseResult[]> {
  let target: EmbeddedTarget | undefined;
  let session: Session | undefined;
  try {
    // The reference slice manager and its peers start only for cases of the sm suite.
    const wantsSm = cases.some((c) => c.suites.some((s) => s.name === 'sm')) && (options.suites?.includes('sm') ?? true);
    target = await startEmbeddedTarget({
      faults: options.faults ?? [], am: options.am, ...(wantsSm && { sm: { peers: options.peers ?? 3 } }), ...(options.authorityDir && { authorityDir: options.authorityDir }),
    });
    session = Session.open(target.spec, { ledgerPath: join(scratch('gh-ledger-'), 'ledger.json'), limits: LIMITS });
    const results = await runCasesInProcess(session, cases, {
      strict: options.strict ?? false, seed: options.seed ?? 1, caseTimeoutMs: 240_000, replayDir: join(scratch('gh-replays-'), 'replays'), suites: options.suites, login: LOGIN,
      ...(options.shareFixtures !== undefined && { shareFixtures: options.shareFixtures }),
      ...(options.concurrency !== undefined && { concurrency: options.concurrency }),
      ...((options.shrink === false || options.fuzzRuns !== undefined) && { fuzz: { runs: options.fuzzRuns ?? DEFAULT_CONFIG.fuzzRuns, ...(options.shrink === false && { shrink: false }) } }),
    });
    options.afterRun?.(target);
    return results;
  } finally {
    session?.close();
    await target?.close();
  }
}

/**
 * Many reference aggregates, one per fault, behind one HTTPS server and one test authority (startReferenceAms):
 * each fault still gets an aggregate of its own (faults never interact), without a server, an authority and
 * certificates each.
 */
export class FaultFleet {
  private constructor(
    private readonly ams: Record<string, ReferenceAm>,
    private readonly authorityDir: string,
    private readonly caPath: string,
    readonly close: () => Promise<void>,
  ) {}

  static async start(faults: readonly string[], am: ReferenceSettings = {}): Promise<FaultFleet> {
    const dir = scratch('gh-fleet-');
    const { authority, caCertPath } = initAuthority(join(dir, 'authority'));
    const fleet = await startReferenceAms({ authority, updateSliver: true, ...am }, Object.fromEntries(faults.map((f) => [f, { faults: [f] }])));
    return new FaultFleet(fleet.ams, join(dir, 'authority'), caCertPath, fleet.close);
  }

  /**
   * Runs cases in-process against the aggregate with `fault` switched on (and nothing else). A failing property is
   * not shrunk: only the verdict matters here (shrinking and replay are tested in test/runner and test/properties).
   */
  async run(fault: string, cases: Array<CaseDefinition<unknown>>, options: { strict?: boolean; seed?: number; suites?: string[] } = {}): Promise<CaseResult[]> {
    const am = this.ams[fault];
    if (!am) throw new Error(`no aggregate with fault ${fault} in this fleet`);
    const spec: TargetSpec = { name: `reference+${fault}`, url: am.urls['3']!, authorityDir: this.authorityDir, caPaths: [this.caPath], faults: am.faults, amUrn: am.urn };
    const session = Session.open(spec, { ledgerPath: join(scratch('gh-ledger-'), 'ledger.json'), limits: LIMITS });
    try {
      return await runCasesInProcess(session, cases, { strict: options.strict ?? false, seed: options.seed ?? 1, caseTimeoutMs: 240_000, replayDir: join(scratch('gh-replays-'), 'replays'), suites: options.suites, fuzz: { runs: DEFAULT_CONFIG.fuzzRuns, shrink: false }, login: LOGIN });
    } finally {
      session.close();
    }
  }
}

/**
 * Reference slice managers with one SM fault each, in front of one set of peer aggregates (with their control
 * server) and one test authority: what an embedded target would start per fault (an authority, a reference AM, a
 * dynslice client endpoint, peers, an SM), started once. Each fault still gets an SM of its own, started for its
 * run and closed after it (all share one GID: minting an RSA key per SM is most of an SM's start-up). The peers
 * outlive each run: every sm case works in slices of its own and puts the peers' behaviour back when it ends.
 */
export class SmFaultFleet {
  private constructor(
    private readonly testbed: SmTestbed,
    private readonly authority: TestAuthority,
    private readonly identity: ServiceIdentity,
    private readonly authorityDir: string,
    private readonly caPath: string,
  ) {}

  static async start(options: { peers?: number } = {}): Promise<SmFaultFleet> {
    const dir = scratch('gh-sm-fleet-');
    const { authority, caCertPath } = initAuthority(join(dir, 'authority'));
    const peers = options.peers ?? 3;
    const testbed = await startSmTestbed({ authority, peers, withSm: false, control: true });
    return new SmFaultFleet(testbed, authority, mintServiceIdentity(authority, { hosts: ['127.0.0.1'] }), join(dir, 'authority'), caCertPath);
  }

  /**
   * Runs sm cases in-process against a reference SM with only `fault` on, or none when `fault` is undefined
   * (properties not shrunk, as in FaultFleet).
   */
  async run(fault: string | undefined, cases: Array<CaseDefinition<unknown>>, options: { strict?: boolean; seed?: number } = {}): Promise<CaseResult[]> {
    const sm = await startReferenceSm({
      authority: this.authority, identity: this.identity, faults: fault === undefined ? [] : [fault],
      aggregates: this.testbed.peers.peers.map((p) => ({ hrn: p.hrn, url: p.url, urn: p.urn })),
      // As the embedded target sets it: the peers share this process's CPU.
      peerTimeoutMs: 3000 + 100 * this.testbed.peers.peers.length,
    });
    const spec: TargetSpec = {
      name: fault === undefined ? 'reference-sm' : `reference-sm+${fault}`, url: sm.url, authorityDir: this.authorityDir, caPaths: [this.caPath], faults: sm.faults,
      endpoints: { [SM_ENDPOINT]: sm.url, [SM_PEERS_ENDPOINT]: this.testbed.controlUrl! },
    };
    const session = Session.open(spec, { ledgerPath: join(scratch('gh-ledger-'), 'ledger.json'), limits: LIMITS });
    try {
      return await runCasesInProcess(session, cases, {
        strict: options.strict ?? false, seed: options.seed ?? 1, caseTimeoutMs: 240_000, replayDir: join(scratch('gh-replays-'), 'replays'), suites: ['sm'],
        fuzz: { runs: DEFAULT_CONFIG.fuzzRuns, shrink: false }, login: LOGIN,
      });
    } finally {
      session.close();
      await sm.close();
    }
  }

  close(): Promise<void> {
    return this.testbed.close();
  }
}

/** One line per result that is not a pass, for assertion messages that explain themselves. */
export function describeNonPassing(results: CaseResult[]): string[] {
  return results.filter((r) => r.outcome.kind !== 'pass').map((r) => {
    const o = r.outcome;
    const detail = o.kind === 'fail' || o.kind === 'warn'
      ? o.findings.map((f) => `${f.title} at ${f.path ?? '-'}: expected ${f.expected.join(' | ')}, actual ${f.actual}`).join('; ')
      : o.kind === 'error' ? `${o.phase}: ${o.message}` : o.kind === 'pass' ? '' : o.reason;
    return `${r.id} ${o.kind}: ${detail}`;
  });
}

/**
 * Why results do not prove a fault: a case did not fail, or it failed without a finding of the check its `detects`
 * names for this fault (another check fired, which proves nothing about the one it claims). Empty when they prove it.
 */
export function unprovenDetections(cases: ReadonlyArray<CaseDefinition<unknown>>, fault: string, results: CaseResult[]): string[] {
  const notFailing = results.filter((r) => r.outcome.kind !== 'fail');
  const wrongReason = results.flatMap((r) => {
    if (r.outcome.kind !== 'fail') return [];
    // A case run in several AM API versions may name one check per version (v1's refusal check is not v2/v3's).
    const want = (cases.find((c) => c.id === r.id)?.detects ?? []).filter((d) => d.fault === fault).map((d) => d.check);
    const fired = [...new Set(r.outcome.findings.map((f) => f.check))];
    return want.some((check) => fired.includes(check)) ? [] : [`${r.id}@${r.suite}: expected a ${want.join(' or ') || 'named'} finding, got ${fired.join(', ')}`];
  });
  return [...describeNonPassing(notFailing), ...notFailing.filter((r) => r.outcome.kind === 'pass').map((r) => `${r.id} passed`), ...wrongReason];
}
