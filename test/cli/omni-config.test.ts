import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliAsync } from '../helpers/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Transcript } from '../../src/client';
import { initAuthority, mintSliceCredential, mintUser, mintUserCredential, sfaCredentialStruct, sliceUrn, type TestAuthority, type UserIdentity } from '../../src/credentials';
import { toAmResponse } from '../../src/geni/methods';
import { startReferenceAm, type ReferenceAm } from '../../src/reference-am';
import { Ledger } from '../../src/runner/ledger';
import { Session } from '../../src/runner/session';
import { requestXml } from '../reference-am/aggregate-fixture';



// An operator's existing identity, as omni has it: omni_config names the control framework's cert and key and
// the aggregates by nickname; `run --omni-config FILE -a NICK` tests that aggregate with that identity.
describe('geni-harness run --omni-config FILE -a NICKNAME', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gh-omni-run-'));
  let am: ReferenceAm;
  let caCertPath: string;
  let authority: TestAuthority;
  let alice: UserIdentity;

  beforeAll(async () => {
    const made = initAuthority(join(dir, 'clearinghouse'));
    caCertPath = made.caCertPath;
    authority = made.authority;
    am = await startReferenceAm({ authority: made.authority });
    alice = mintUser(made.authority, 'alice');
    writeFileSync(join(dir, 'alice-cert.pem'), `${alice.certPem.trimEnd()}\n${made.authority.sa.certPem}`);
    writeFileSync(join(dir, 'alice-key.pem'), alice.keyPem);
    // Another user of the same authority: an identity the aggregate accepts, but not for alice's slices.
    const bob = mintUser(made.authority, 'bob');
    writeFileSync(join(dir, 'bob-cert.pem'), `${bob.certPem.trimEnd()}\n${made.authority.sa.certPem}`);
    writeFileSync(join(dir, 'bob-key.pem'), bob.keyPem);
    // The user credential as omni saves it (omni_config does not name it; the slice authority would hand it out).
    writeFileSync(join(dir, 'alice-usercred.xml'), mintUserCredential(made.authority, alice));
    writeFileSync(join(dir, 'omni_config'), [
      '[omni]', 'default_cf = local', 'users = alice', '',
      '[local]', 'type = gcf', `cert = ${join(dir, 'alice-cert.pem')}`, 'key = alice-key.pem', '',
      '[aggregate_nicknames]', `ref-am=${am.urn},${am.urls['3']!}`, '',
    ].join('\n'));
  });
  afterAll(async () => {
    await am.close();
  });

  it('tests the aggregate the nickname names, with the framework\'s cert and key, labelled with the nickname', async () => {
    const r = await runCliAsync(['run', '--omni-config', 'omni_config', '-a', 'ref-am', '--ca', caCertPath, '--user-cred', 'alice-usercred.xml', '--suite', 'am3', '--case', 'am3.getversion.*', '--reports', 'reports'], dir);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const results = JSON.parse(readFileSync(join(dir, 'reports', 'results.json'), 'utf8')) as { target: { name: string; label?: string }; command: string[]; cases: Array<{ outcome: { kind: string } }> };
    expect(results.target).toMatchObject({ name: am.urls['3'], label: 'ref-am' });
    expect(results.cases.length).toBeGreaterThan(3);
    expect(results.cases.every((c) => c.outcome.kind === 'pass')).toBe(true);
    // the command that repeats the run names the files omni_config pointed at (a key's path, never its contents)
    expect(results.command).toEqual(expect.arrayContaining(['--cert', join(dir, 'alice-cert.pem'), '--key', join(dir, 'alice-key.pem')]));
  }, 300_000);

  // What a crashed run left behind: a sliver alice allocated at the aggregate, and the ledger entry naming its slice
  // with her slice credential.
  async function leftBehind(name: string): Promise<{ ledger: string; urn: string }> {
    const ledger = join(dir, `${name}.ledger.json`);
    const url = am.urls['3']!;
    const urn = sliceUrn(authority, name);
    const credential = mintSliceCredential(authority, alice, urn);
    const session = Session.open(
      { name: url, url, certPath: join(dir, 'alice-cert.pem'), keyPath: join(dir, 'alice-key.pem'), caPaths: [caCertPath], userCredentialPath: join(dir, 'alice-usercred.xml') },
      { ledgerPath: join(dir, 'scratch-ledger.json'), limits: { callTimeoutMs: 60_000, maxResponseBytes: 1 << 24 } },
    );
    try {
      const node = requestXml([{ clientId: 'n1', sliverType: { name: 'raw-pc' } }]);
      const allocated = toAmResponse('Allocate', await session.client(url, new Transcript()).call('Allocate', [urn, [sfaCredentialStruct(credential)], node, {}]));
      expect(allocated.envelope?.geniCode).toBe(0);
    } finally {
      session.close();
    }
    new Ledger(ledger).add({
      url, api: 3, sliceUrn: urn, sliceCredentialXml: credential, caseId: 'am3.lifecycle.example', runId: 'crashed-run', createdAt: new Date().toISOString(),
    });
    return { ledger, urn };
  }

  it('cleanup --omni-config deletes what the ledger names with the framework\'s identity', async () => {
    const { ledger, urn } = await leftBehind('left-omni');
    const r = await runCliAsync(['cleanup', '--omni-config', 'omni_config', '--ca', caCertPath, '--ledger', ledger], dir);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`deleted ${urn} at ${am.urls['3']!}`);
    expect(new Ledger(ledger).read()).toEqual([]);
  }, 120_000);

  it('cleanup with a configuration listing targets speaks to each aggregate with its entry\'s identity', async () => {
    const shared = { cert: 'bob-cert.pem', key: 'bob-key.pem', ca: [caCertPath] };
    const entry = { name: 'ref-am', target: am.urls['3']!, cert: 'alice-cert.pem', key: 'alice-key.pem' };
    writeFileSync(join(dir, 'federation.json'), JSON.stringify({ ...shared, targets: [entry] }));
    const { ledger, urn } = await leftBehind('left-fed');
    const r = await runCliAsync(['cleanup', '--config', 'federation.json', '--ledger', ledger], dir);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`deleted ${urn} at ${am.urls['3']!}`);

    // The control: with only the shared identity (bob's), the aggregate refuses alice's slice and it stays listed.
    writeFileSync(join(dir, 'shared-only.json'), JSON.stringify({ ...shared, targets: [{ name: 'ref-am', target: am.urls['3']! }] }));
    const kept = await leftBehind('left-shared');
    const refused = await runCliAsync(['cleanup', '--config', 'shared-only.json', '--ledger', kept.ledger], dir);
    expect(refused.status, refused.stdout + refused.stderr).toBe(1);
    expect(refused.stderr).toContain(`could not delete ${kept.urn}`);
    expect(new Ledger(kept.ledger).read().map((e) => e.sliceUrn)).toEqual([kept.urn]);
  }, 180_000);

  it('replay --omni-config re-runs a property at the aggregate its file recorded, with the framework\'s identity', async () => {
    const url = am.urls['3']!;
    const file = join(dir, 'unknown-options.replay.json');
    writeFileSync(file, JSON.stringify({
      format: 'geni-harness-replay/2', caseId: 'am3.property.unknown-options-ignored', suite: 'am3',
      target: { name: url, url, faults: [], embedded: false }, seed: 5, path: '0', numRuns: 1,
      counterexample: '(recorded at another run)', findings: [], requests: [], writtenAt: new Date().toISOString(),
    }), { mode: 0o600 });
    // The session opens with alice's identity from omni_config; the property itself is skipped (without a test
    // authority the harness cannot make the slices it occupies), which is how it ran at an aggregate like this.
    const r = await runCliAsync(['replay', file, '--omni-config', 'omni_config', '--user-cred', 'alice-usercred.xml', '--ca', caCertPath], dir);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`against ${url}`);
    expect(r.stdout).toMatch(/not reproduced: skip/);
    // The control: without the omni_config there is no identity for the aggregate: one line, exit 2.
    const bare = await runCliAsync(['replay', file, '--ca', caCertPath], dir);
    expect(bare.status).toBe(2);
    expect(bare.stderr).toMatch(/no identity for the target/);
  }, 180_000);

  it('an unknown nickname is one line and exit 2, naming the nicknames there are', async () => {
    const r = await runCliAsync(['run', '--omni-config', 'omni_config', '-a', 'nowhere'], dir);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/-a nowhere is neither a URL nor a nickname of .*omni_config \[aggregate_nicknames\] \(ref-am\)/);
  }, 120_000);
});
