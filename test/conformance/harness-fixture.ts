import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedTarget, type EmbeddedTarget } from '../../src/cli/embedded-target';
import { Session } from '../../src/runner/session';
import { runCasesInProcess } from '../../src/runner/run';
import type { CaseDefinition, CaseResult } from '../../src/runner/types';

/** Runs cases in-process against a fresh embedded reference AM with the given faults, then tears it down. */
export async function runAgainstReference(
  cases: CaseDefinition[],
  options: { faults?: string[]; strict?: boolean; seed?: number; am?: { allocate?: 'geni_single' | 'geni_disjoint' | 'geni_many'; singleAllocation?: boolean; updateSliver?: boolean } } = {},
): Promise<CaseResult[]> {
  let target: EmbeddedTarget | undefined;
  let session: Session | undefined;
  try {
    target = await startEmbeddedTarget({ faults: options.faults ?? [], am: options.am });
    session = Session.open(target.spec, {
      ledgerPath: join(mkdtempSync(join(tmpdir(), 'gh-ledger-')), 'ledger.json'),
      limits: { callTimeoutMs: 20_000, maxResponseBytes: 64 * 1024 * 1024 },
    });
    // Replay files of failing properties go to a scratch directory, not the developer's .geni-harness/.
    const replayDir = join(mkdtempSync(join(tmpdir(), 'gh-replays-')), 'replays');
    // The reference AM's nodes let us in at once (a working login never waits); a short login wait keeps the
    // wrong-port fault's retries brief.
    return await runCasesInProcess(session, cases, { strict: options.strict ?? false, seed: options.seed ?? 1, caseTimeoutMs: 60_000, replayDir, login: { enabled: true, waitMs: 1_000 } });
  } finally {
    session?.close();
    await target?.close();
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
