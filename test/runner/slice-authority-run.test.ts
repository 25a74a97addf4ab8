import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withOmniConfig } from '../../src/cli/omni';
import { remoteTarget } from '../../src/cli/target';
import { resolveConfig } from '../../src/config';
import { formatOmniConfig, initAuthority, mintUser, mintUserCredential, type TestAuthority, type UserIdentity } from '../../src/credentials';
import { startReferenceAm, type ReferenceAm } from '../../src/reference-am';
import { startReferenceSliceAuthority, type ReferenceSliceAuthority } from '../../src/reference-sa';
import { loadCases, selectCases } from '../../src/runner/registry';
import { runCasesInProcess } from '../../src/runner/run';
import { Session } from '../../src/runner/session';
import type { CaseResult } from '../../src/runner/types';
import { Transcript } from '../../src/client';
import { sfaCredentialStruct } from '../../src/credentials';
import { toAmResponse } from '../../src/geni/methods';
import { cleanupLedger } from '../../src/runner/cleanup';
import { Ledger } from '../../src/runner/ledger';
import { requestXml } from '../reference-am/aggregate-fixture';

/**
 * Cases that make slices: several per case, one with a lifetime of its own, one that shuts its slice down for good,
 * and a dynslice case whose server must reach the harness's callback endpoint (no test authority to sign the
 * endpoint's certificate: it presents the user's own, which the server trusts).
 */
const SLICE_CASES = ['am3.status.*', 'am3.allocate.short-credential-bounds-expiry', 'am3.shutdown.returns-true', 'am2.sliverstatus.no-slivers', 'dynslice.values.members'];
const LIMITS = { callTimeoutMs: 60_000, maxResponseBytes: 1 << 26 };

// An operator's own identity and a slice authority (omni_config of type chapi: sa, ma, authority, default_project),
// no test authority anywhere: the harness makes fresh slices at the slice authority, gets their credentials (and its
// user credential from the member authority), and runs the cases that need slices against a real aggregate.
describe('a run with an omni_config naming a slice authority, and no --authority', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gh-sa-run-'));
  let authority: TestAuthority;
  let caCertPath: string;
  let am: ReferenceAm;
  let sa: ReferenceSliceAuthority;
  let alice: UserIdentity;

  beforeAll(async () => {
    ({ authority, caCertPath } = initAuthority(join(dir, 'clearinghouse')));
    am = await startReferenceAm({ authority });
    sa = await startReferenceSliceAuthority({ authority, projects: ['ops'] });
    alice = mintUser(authority, 'alice');
    writeFileSync(join(dir, 'alice-cert.pem'), `${alice.certPem.trimEnd()}\n${authority.sa.certPem}`);
    writeFileSync(join(dir, 'alice-key.pem'), alice.keyPem, { mode: 0o600 });
    const omni = (type: string) => formatOmniConfig({
      framework: {
        name: 'fed', type, authority: authority.name, cert: join(dir, 'alice-cert.pem'), key: join(dir, 'alice-key.pem'),
        registryUrl: sa.urls.ch, sliceAuthorityUrl: sa.urls.sa, memberAuthorityUrl: sa.urls.ma, defaultProject: 'ops', speaksV2: true,
      },
      users: ['alice'], nicknames: { ref: { urn: am.urn, url: am.urls['3']! } }, aggregates: ['ref'],
    });
    writeFileSync(join(dir, 'omni_config'), omni('chapi'));
  });
  afterAll(async () => {
    await sa.close();
    await am.close();
  });

  /** The session `run --omni-config FILE -a ref --ca CA` opens (the same configuration path as the CLI). */
  function openSession(omniConfig: string, ledger: string): Session {
    const { file, overrides } = withOmniConfig({}, { omniConfig, aggregate: 'ref', ca: [caCertPath], ledgerPath: ledger });
    const config = resolveConfig(file, overrides, dir);
    expect(config.identity.authorityDir).toBeUndefined();
    return Session.open(remoteTarget(config, config.target), { ledgerPath: config.ledgerPath, limits: LIMITS });
  }

  async function run(session: Session, patterns: string[]): Promise<CaseResult[]> {
    const cases = selectCases(await loadCases(), { cases: patterns, tags: [], suites: [] });
    await session.ready();
    return runCasesInProcess(session, cases, { strict: false, seed: 7, caseTimeoutMs: 240_000, replayDir: join(dir, 'replays'), login: { enabled: false, waitMs: 1_000 } });
  }

  it('makes every slice at the slice authority: nothing skipped, every case passes, the ledger ends empty', async () => {
    const ledger = join(dir, 'ledger.json');
    const session = openSession(join(dir, 'omni_config'), ledger);
    let results: CaseResult[];
    try {
      expect(session.sliceAuthority?.settings).toEqual({ url: sa.urls.sa, memberAuthorityUrl: sa.urls.ma, projectUrn: `urn:publicid:IDN+${authority.name}+project+ops` });
      results = await run(session, SLICE_CASES);
    } finally {
      session.close();
    }
    const notPassing = results.filter((r) => r.outcome.kind !== 'pass').map((r) => `${r.id}: ${JSON.stringify(r.outcome).slice(0, 300)}`);
    expect(notPassing).toEqual([]);
    expect(results.length).toBeGreaterThanOrEqual(12);
    // The user credential came from the member authority; each slice from the slice authority, in the project.
    expect(sa.calls.filter((c) => c.path === '/ma' && c.method === 'get_credentials')).toHaveLength(1);
    // One slice per case, except that the cases declaring `needs: ['reserved-slice']` share one (#11's shared
    // read-only fixture); the -1 leaves room for a case that makes none.
    const sharing = selectCases(await loadCases(), { cases: SLICE_CASES, tags: [], suites: [] }).filter((c) => (c.needs ?? []).includes('reserved-slice')).length;
    expect(sa.slices.length).toBeGreaterThanOrEqual(results.length - sharing + (sharing > 0 ? 1 : 0) - 1);
    expect(sa.slices.every((s) => s.urn.startsWith(`urn:publicid:IDN+${authority.name}:ops+slice+`) && s.ownerUrn.endsWith('+user+alice'))).toBe(true);
    expect(sa.calls.filter((c) => c.method === 'get_credentials' && c.path === '/sa')).toHaveLength(sa.slices.length);
    // The lifetime a case asked for is the one the slice authority gave (short-credential-bounds-expiry: 120 s).
    expect(sa.slices.some((s) => s.expires.getTime() - s.created.getTime() <= 121_000)).toBe(true);
    // Recorded in the ledger while held, and all released at the end.
    expect(JSON.parse(readFileSync(ledger, 'utf8')) as { entries?: unknown[] }).toMatchObject({ entries: [] });
  }, 300_000);

  it('what a crashed run left in a slice of the slice authority, cleanup deletes with the slice credential the ledger keeps', async () => {
    const ledgerPath = join(dir, 'crash-ledger.json');
    const url = am.urls['3']!;
    const session = openSession(join(dir, 'omni_config'), ledgerPath);
    try {
      await session.ready();
      const slice = await session.sliceAuthority!.createSlice('leftover1');
      const node = requestXml([{ clientId: 'n1', sliverType: { name: 'raw-pc' } }]);
      const allocated = toAmResponse('Allocate', await session.client(url, new Transcript()).call('Allocate', [slice.urn, [sfaCredentialStruct(slice.credentialXml)], node, {}]));
      expect(allocated.envelope?.geniCode).toBe(0);
      new Ledger(ledgerPath).add({ url, api: 3, sliceUrn: slice.urn, sliceCredentialXml: slice.credentialXml, caseId: 'crashed', runId: 'crashed-run', createdAt: new Date().toISOString() });
      const report = await cleanupLedger(session);
      expect(report).toMatchObject({ deleted: [slice.urn], kept: [] });
      expect(new Ledger(ledgerPath).read()).toEqual([]);
      const status = toAmResponse('Status', await session.client(url, new Transcript()).call('Status', [[slice.urn], [sfaCredentialStruct(slice.credentialXml)], {}]));
      expect(status.envelope?.geniCode).not.toBe(0);
    } finally {
      session.close();
    }
  }, 120_000);

  it('without a slice authority (gcf framework, no --authority) the same cases are skipped for want of slices', async () => {
    writeFileSync(join(dir, 'omni_config.gcf'), readFileSync(join(dir, 'omni_config'), 'utf8').replace('type = chapi', 'type = gcf'));
    // omni's gcf framework names no member authority: without a user credential the harness stops before any case.
    expect(() => openSession(join(dir, 'omni_config.gcf'), join(dir, 'ledger-gcf.json'))).toThrow(/no user credential/);
    writeFileSync(join(dir, 'alice-usercred.xml'), mintUserCredential(authority, alice));
    const { file, overrides } = withOmniConfig({}, { omniConfig: join(dir, 'omni_config.gcf'), aggregate: 'ref', ca: [caCertPath], userCredential: join(dir, 'alice-usercred.xml') });
    const session = Session.open(remoteTarget(resolveConfig(file, overrides, dir), am.urls['3']!), { ledgerPath: join(dir, 'ledger-gcf.json'), limits: LIMITS });
    try {
      expect(session.sliceAuthority).toBeUndefined();
      const [result] = await run(session, ['am3.status.names-the-slice']);
      expect(result?.outcome).toMatchObject({ kind: 'skip', reason: expect.stringMatching(/a new slice needs a test authority/) });
    } finally {
      session.close();
    }
  }, 120_000);
});
