import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initAuthority, mintSliceCredential, mintUser, mintUserCredential, sliceUrn } from '../../src/credentials';
import { startReferenceAm, type ReferenceAm } from '../../src/reference-am';
import { Session } from '../../src/runner/session';
import { runCase } from '../../src/runner/engine';
import { loadCases } from '../../src/runner/registry';
import { am3 } from '../../src/runner/am-suites';

// What a GENI user already has — certificate, key, user credential and slice credentials as omni saves them —
// is enough to test an aggregate: cases that need a slice use the user's own; cases that need to mint (an
// expired or untrusted credential) are skipped with a reason, never errored.
describe('a run with the user own identity and no authority', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gh-user-'));
  let am: ReferenceAm;
  let session: Session;

  beforeAll(async () => {
    const { authority, caCertPath } = initAuthority(join(dir, 'clearinghouse'));
    am = await startReferenceAm({ authority });
    const alice = mintUser(authority, 'alice');
    const files = {
      cert: join(dir, 'alice-cert.pem'), key: join(dir, 'alice-key.pem'), userCred: join(dir, 'alice-usercred.xml'), sliceCred: join(dir, 'demo-slicecred.xml'),
    };
    writeFileSync(files.cert, `${alice.certPem.trimEnd()}\n${authority.sa.certPem}`);
    writeFileSync(files.key, alice.keyPem);
    writeFileSync(files.userCred, mintUserCredential(authority, alice));
    // omni saves v3 credentials as JSON structs; the loader takes either form.
    writeFileSync(files.sliceCred, JSON.stringify({ geni_type: 'geni_sfa', geni_version: '3', geni_value: mintSliceCredential(authority, alice, sliceUrn(authority, 'demo')) }));
    session = Session.open(
      { name: 'user', url: am.urls['3']!, certPath: files.cert, keyPath: files.key, userCredentialPath: files.userCred, sliceCredentialPaths: [files.sliceCred], caPaths: [caCertPath] },
      { ledgerPath: join(dir, 'ledger.json'), limits: { callTimeoutMs: 10_000, maxResponseBytes: 1 << 24 } },
    );
  });
  afterAll(async () => {
    session.close();
    await am.close();
  });

  const run = async (id: string) => {
    const def = (await loadCases()).find((c) => c.id === id)!;
    return runCase(def, am3, session, am.urls['3']!, { strict: true, seed: 1, caseTimeoutMs: 30_000 });
  };

  it('uses the supplied slice for cases that need one, and cleans it up', async () => {
    const result = await run('am3.allocate.returns-allocated-slivers');
    expect(result.outcome).toEqual({ kind: 'pass' });
    expect(result.exchanges.some((x) => x.request.body.includes('+slice+demo'))).toBe(true);
    expect(session.ledger.read()).toEqual([]);
  });

  it('skips, with the reason, cases that need a credential only an authority could mint', async () => {
    const result = await run('am3.credentials.describe-expired');
    expect(result.outcome.kind).toBe('skip');
    if (result.outcome.kind === 'skip') expect(result.outcome.reason).toMatch(/authority/);
  });
});
