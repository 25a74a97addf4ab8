import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initAuthority, loadAuthority, sfaCredentialStruct } from '../../src/credentials';
import { startPeerAggregates, type PeerAggregates } from '../../src/peer-aggregates';
import { startReferenceSm } from '../../src/reference-sm';
import { serializeRequest } from '../../src/rspec';
import { actsForCaller } from '../../src/runner/acting-servers';
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

// The same through a slice manager: the run allocated through the SM (with the copy of its slice credential delegated
// to the SM), then died, and the SM is gone too. The ledger names the aggregates behind the SM, so the next run
// deletes the slivers there with the slice credential alone: no SM, no delegated copy needed.
describe('cleanup after a crash, of slivers made through a slice manager', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gh-crash-sm-'));
  const ledgerPath = join(dir, 'ledger.json');
  const limits = { callTimeoutMs: 20_000, maxResponseBytes: 1 << 24 };
  let peers: PeerAggregates;
  let caCertPath: string;

  beforeAll(async () => {
    let authority;
    ({ authority, caCertPath } = initAuthority(join(dir, 'authority')));
    peers = await startPeerAggregates({ authority, count: 2 });
  });
  afterAll(() => peers.close());

  it('deletes them at the aggregates behind the SM, which is no longer there', async () => {
    const authority = loadAuthority(join(dir, 'authority'));
    const sm = await startReferenceSm({ authority, aggregates: peers.peers.map((p) => ({ hrn: p.hrn, url: p.url, urn: p.urn })), peerTimeoutMs: 10_000 });
    const spec: TargetSpec = { name: 'sm', url: sm.url, authorityDir: join(dir, 'authority'), caPaths: [caCertPath] };
    const crashed = Session.open(spec, { ledgerPath, limits });
    // What suite sm registers for its SM (src/runner/sm-suite.ts): delegate to its GID, the peers behind it.
    actsForCaller(crashed, sm.url, { certPem: sm.gidPem, urn: sm.urn }, peers.peers.map((p) => p.url));
    const fixtures = new CaseFixtures(crashed, 'sm.v3.crash.test', sm.url, 3, await crashed.versionAt(sm.url));
    const slice = await fixtures.newSlice();
    expect(crashed.ledger.read()).toMatchObject([{ url: sm.url, sliceUrn: slice.urn, aggregates: peers.peers.map((p) => p.url) }]);
    const request = serializeRequest({
      type: 'request', links: [],
      nodes: peers.peers.map((p) => ({ clientId: `n${p.index}`, componentManagerId: p.urn, exclusive: false, sliverType: { name: 'default-vm' }, interfaces: [] })),
    });
    const allocated = await v3Api(crashed.client(sm.url, new Transcript())).Allocate(slice.urn, slice.credentials, request, {});
    expect(allocated.envelope?.geniCode).toBe(0);
    crashed.close();
    await sm.close();
    const gonePid = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
    writeFileSync(ledgerPath, JSON.stringify({ entries: crashed.ledger.read().map((e) => ({ ...e, owner: { ...e.owner!, pid: gonePid } })) }));

    const next = Session.open(spec, { ledgerPath, limits });
    try {
      const ownCredential = [sfaCredentialStruct(slice.credentialXml)];
      for (const peer of peers.peers) {
        const before = await v3Api(next.client(peer.url, new Transcript())).Status([slice.urn], ownCredential, {});
        expect(before.envelope?.geniCode).toBe(0); // the crashed run left a sliver here
      }
      const report = await cleanupLedger(next);
      expect(report).toEqual({ deleted: [slice.urn], kept: [], inUse: [] });
      expect(next.ledger.read()).toEqual([]);
      for (const peer of peers.peers) {
        const after = await v3Api(next.client(peer.url, new Transcript())).Status([slice.urn], ownCredential, {});
        expect(after.envelope?.geniCode).toBe(12); // SEARCHFAILED: nothing left
      }
    } finally {
      next.close();
    }
  });
});
