import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmTestbed, type SmTestbed } from '../../src/cli/sm-testbed';
import { createTestAuthority, mintSliceCredential, mintUser, mintUserCredential, sameCertificate, sliceUrn } from '../../src/credentials';
import { loadCases } from '../../src/runner/registry';
import { runCasesInProcess } from '../../src/runner/run';
import { Session } from '../../src/runner/session';
import { SM_ENDPOINT, SM_PEERS_ENDPOINT, serverCertificate } from '../../src/runner/sm-suite';
import { Ledger } from '../../src/runner/ledger';
import { startReferenceSliceAuthority } from '../../src/reference-sa';
import { describeNonPassing } from '../conformance/harness-fixture';

// Suite sm with the operator's own identity (no test authority on the harness side): the peers and the SM trust the
// operator's CA as well, the harness delegates the operator's own slice credentials with the operator's key.
const dir = mkdtempSync(join(tmpdir(), 'gh-sm-operator-'));
const peersAuthority = createTestAuthority();
const operatorCa = createTestAuthority({ name: 'operator.example' });
let testbed: SmTestbed;

beforeAll(async () => {
  testbed = await startSmTestbed({ authority: peersAuthority, peers: 2, control: true, peerTimeoutMs: 5000, extraTrustedRootsPem: operatorCa.trustedRootsPem });
}, 120_000);
afterAll(() => testbed?.close());

describe('suite sm with the operator\u2019s own identity', () => {
  it('delegates the operator\u2019s slice credentials with the operator\u2019s key; peered-SM cases are skipped with a reason', async () => {
    const carol = mintUser(operatorCa, 'carol');
    const files = {
      cert: join(dir, 'carol-cert.pem'), key: join(dir, 'carol-key.pem'), userCred: join(dir, 'carol-usercred.xml'), ca: join(dir, 'ca.pem'),
      slices: [0, 1, 2].map((i) => join(dir, `carol-slice${i}.xml`)),
    };
    writeFileSync(files.cert, carol.certChainPem);
    writeFileSync(files.key, carol.keyPem);
    writeFileSync(files.userCred, mintUserCredential(operatorCa, carol));
    writeFileSync(files.ca, peersAuthority.ca.certPem);
    files.slices.forEach((path, i) => writeFileSync(path, mintSliceCredential(operatorCa, carol, sliceUrn(operatorCa, `carolsm${i}`))));
    const session = Session.open({
      name: 'operator', url: testbed.sm!.url, certPath: files.cert, keyPath: files.key, userCredentialPath: files.userCred,
      sliceCredentialPaths: files.slices, caPaths: [files.ca], endpoints: { [SM_ENDPOINT]: testbed.sm!.url, [SM_PEERS_ENDPOINT]: testbed.controlUrl! },
    }, { ledgerPath: join(dir, 'ledger.json'), limits: { callTimeoutMs: 20_000, maxResponseBytes: 64 * 1024 * 1024 } });
    try {
      const wanted = ['sm.allocate.slivers-add-up', 'sm.allocate.forwards-delegated-credential', 'sm.listresources.statistics-every-peer', 'sm.loops.listresources'];
      const cases = (await loadCases()).filter((c) => wanted.includes(c.id));
      const results = await runCasesInProcess(session, cases, { strict: true, seed: 1, caseTimeoutMs: 60_000 });
      const byId = Object.fromEntries(results.map((r) => [r.id, r.outcome]));
      expect(describeNonPassing(results.filter((r) => r.id !== 'sm.loops.listresources'))).toEqual([]);
      expect(byId['sm.loops.listresources']).toMatchObject({ kind: 'skip', reason: expect.stringContaining('--authority') });
      // The suite's slices were in the ledger while held (named with the peers, where a crashed run's are deleted).
      expect(new Ledger(join(dir, 'ledger.json')).read()).toEqual([]);
    } finally {
      session.close();
    }
  }, 180_000);

  it('makes its slices at the run\u2019s slice authority when there is one, as the AM suites do', async () => {
    const sa = await startReferenceSliceAuthority({ authority: peersAuthority, projects: ['ops'] });
    const dave = mintUser(peersAuthority, 'dave');
    writeFileSync(join(dir, 'dave-cert.pem'), dave.certChainPem);
    writeFileSync(join(dir, 'dave-key.pem'), dave.keyPem);
    writeFileSync(join(dir, 'peers-ca.pem'), peersAuthority.ca.certPem);
    const session = Session.open({
      name: 'sa', url: testbed.sm!.url, certPath: join(dir, 'dave-cert.pem'), keyPath: join(dir, 'dave-key.pem'), caPaths: [join(dir, 'peers-ca.pem')],
      sliceAuthority: { url: sa.urls.sa, memberAuthorityUrl: sa.urls.ma, projectUrn: `urn:publicid:IDN+${peersAuthority.name}+project+ops` },
      endpoints: { [SM_ENDPOINT]: testbed.sm!.url, [SM_PEERS_ENDPOINT]: testbed.controlUrl! },
    }, { ledgerPath: join(dir, 'ledger-sa.json'), limits: { callTimeoutMs: 20_000, maxResponseBytes: 64 * 1024 * 1024 } });
    try {
      await session.ready();
      const cases = (await loadCases()).filter((c) => c.id === 'sm.allocate.slivers-add-up');
      const results = await runCasesInProcess(session, cases, { strict: true, seed: 1, caseTimeoutMs: 60_000 });
      expect(describeNonPassing(results)).toEqual([]);
      expect(sa.slices.length).toBeGreaterThanOrEqual(1);
      expect(sa.slices.every((slice) => slice.urn.includes(':ops+slice+') && slice.ownerUrn.endsWith('+user+dave'))).toBe(true);
      expect(new Ledger(join(dir, 'ledger-sa.json')).read()).toEqual([]);
    } finally {
      session.close();
      await sa.close();
    }
  }, 180_000);

  it('reads an SM\u2019s GID from its TLS certificate (SFA servers present their GID)', async () => {
    expect(sameCertificate(await serverCertificate(testbed.sm!.url), testbed.sm!.gidPem)).toBe(true);
  });
});
