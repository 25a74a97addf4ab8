import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initAuthority } from '../../src/credentials';
import { startReferenceAm, type ReferenceAm } from '../../src/reference-am';
import { Session, type TargetSpec } from '../../src/runner/session';
import { CaseFixtures } from '../../src/runner/fixtures';
import { cleanupLedger } from '../../src/runner/cleanup';
import { Transcript } from '../../src/client';
import { v3Api } from '../../src/geni/methods';
import { LIFECYCLES } from '../../src/geni/lifecycle';

// A run that dies after Allocate leaves slivers at the aggregate. The ledger was written before the call, so the
// next run (same authority, same ledger) deletes them. The AM here is a long-lived one (like `geni-harness
// serve` or a real aggregate), not an embedded instance that dies with the run.
describe('cleanup after a crash', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gh-crash-'));
  const ledgerPath = join(dir, 'ledger.json');
  const limits = { callTimeoutMs: 20_000, maxResponseBytes: 1 << 24 };
  let am: ReferenceAm;
  let spec: TargetSpec;

  beforeAll(async () => {
    const { authority, caCertPath } = initAuthority(join(dir, 'authority'));
    am = await startReferenceAm({ authority });
    spec = { name: 'long-lived', url: am.urls['3']!, authorityDir: join(dir, 'authority'), caPaths: [caCertPath] };
  });
  afterAll(() => am.close());

  it('deletes the slivers a crashed run left, and empties the ledger', async () => {
    // The run that crashes: a slice is made (ledger written), slivers are allocated, and nothing cleans up.
    const crashed = Session.open(spec, { ledgerPath, limits });
    const am3 = v3Api(crashed.client(spec.url, new Transcript()));
    const fixtures = new CaseFixtures(crashed, 'am3.crash.test', spec.url, 3, await crashed.versionAt(spec.url));
    const slice = await fixtures.newSlice();
    expect(crashed.ledger.read().map((e) => e.sliceUrn)).toEqual([slice.urn]);
    const rspec = await fixtures.requestRSpec(LIFECYCLES[3](crashed.client(spec.url, new Transcript())), { nodes: 1 });
    const allocated = await am3.Allocate(slice.urn, slice.credentials, rspec, {});
    expect(allocated.envelope?.geniCode).toBe(0);
    crashed.close();
    // The crashed run's process is gone: its ledger entries name a process that no longer exists (a pid that was
    // used and has exited), which is what lets the next run, and only it, take them over.
    const gonePid = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
    writeFileSync(ledgerPath, JSON.stringify({ entries: crashed.ledger.read().map((e) => ({ ...e, owner: { ...e.owner!, pid: gonePid } })) }));

    // The next run, a new process as far as the harness is concerned.
    const next = Session.open(spec, { ledgerPath, limits });
    try {
      const report = await cleanupLedger(next);
      expect(report).toEqual({ deleted: [slice.urn], kept: [], inUse: [] });
      expect(next.ledger.read()).toEqual([]);
      const status = await v3Api(next.client(spec.url, new Transcript())).Status([slice.urn], slice.credentials, {});
      expect(status.envelope?.geniCode).toBe(12); // SEARCHFAILED: nothing left
    } finally {
      next.close();
    }
  });
});
