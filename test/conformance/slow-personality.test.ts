import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startEmbeddedTarget } from '../../src/cli/embedded-target';
import { Transcript } from '../../src/client';
import { sfaCredentialStruct } from '../../src/credentials';
import { v3Api } from '../../src/geni/methods';
import { SERIAL_AGGREGATE_CONCURRENCY } from '../../src/runner/concurrency';
import { loadCases } from '../../src/runner/registry';
import { Session } from '../../src/runner/session';
import { describeNonPassing, runAgainstReference } from './harness-fixture';

const GENI3 = { type: 'GENI', version: '3' };

/**
 * The `slow` personality, over real TLS: a single-threaded aggregate that spends time on every credential. Proven
 * by what it recorded (the most calls it handled at once, the credential checks it paid for), never by the clock.
 */
describe('slow personality', () => {
  it('handles concurrent calls one at a time and spends its delay on every credential they carry', async () => {
    const target = await startEmbeddedTarget({ am: { personality: 'slow', credentialCheckMs: 40 } });
    const session = Session.open(target.spec, { ledgerPath: join(mkdtempSync(join(tmpdir(), 'gh-slow-')), 'ledger.json'), limits: { callTimeoutMs: 120_000, maxResponseBytes: 1 << 26 } });
    try {
      const before = { ...target.am.pace };
      const creds = [sfaCredentialStruct(session.userCredentialXml)];
      // Four clients, four connections, four calls in flight from our side at once.
      const answers = await Promise.all(Array.from({ length: 4 }, () => v3Api(session.client(target.spec.url, new Transcript())).ListResources([...creds, ...creds], { geni_rspec_version: GENI3 })));
      expect(answers.map((a) => a.envelope?.geniCode)).toEqual([0, 0, 0, 0]);
      const after = target.am.pace;
      expect(after.maxInFlight).toBe(1);
      expect(after.calls - before.calls).toBe(4);
      // Two credentials per call, 40 ms each.
      expect(after.credentialChecks - before.credentialChecks).toBe(8);
      expect(after.delayedMs - before.delayedMs).toBe(8 * 40);
    } finally {
      session.close();
      await target.close();
    }
  }, 300_000);

  it('the whole v3 suite (example and property cases) passes against it, two cases at once as --concurrency auto runs them', async () => {
    const am3 = (await loadCases()).filter((c) => c.suites.some((s) => s.name === 'am3'));
    // A shorter delay than the personality's 150 ms keeps npm test's time down; what matters here is that nothing
    // in the suite relies on an aggregate answering calls concurrently or quickly. Two cases at once (the default for
    // a single-threaded aggregate) give the verdicts of a serial run against the fault-free reference: every case
    // passes, and the aggregate still handled one call at a time.
    let mostAtOnce = 0;
    const results = await runAgainstReference(am3, {
      am: { personality: 'slow', credentialCheckMs: 20 }, suites: ['am3'], fuzzRuns: 3, concurrency: SERIAL_AGGREGATE_CONCURRENCY,
      afterRun: (target) => { mostAtOnce = target.am.pace.maxInFlight; },
    });
    expect(results.length).toBeGreaterThan(150);
    expect(describeNonPassing(results)).toEqual([]);
    expect(mostAtOnce).toBe(1);
    // Each property case ran exactly the inputs asked for, and said so.
    expect(results.filter((r) => r.fuzz).every((r) => r.fuzz!.inputs === 3)).toBe(true);
  }, 900_000);
});
