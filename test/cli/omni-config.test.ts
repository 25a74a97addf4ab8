import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initAuthority, mintUser, mintUserCredential } from '../../src/credentials';
import { startReferenceAm, type ReferenceAm } from '../../src/reference-am';

const ROOT = resolve(__dirname, '../..');
const BIN = join(ROOT, 'bin/geni-harness.mjs');

/** The real CLI, asynchronously: the aggregate it talks to runs in this process. */
function cli(args: string[], cwd: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

// An operator's existing identity, as omni has it: omni_config names the control framework's cert and key and
// the aggregates by nickname; `run --omni-config FILE -a NICK` tests that aggregate with that identity.
describe('geni-harness run --omni-config FILE -a NICKNAME', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gh-omni-run-'));
  let am: ReferenceAm;
  let caCertPath: string;

  beforeAll(async () => {
    const made = initAuthority(join(dir, 'clearinghouse'));
    caCertPath = made.caCertPath;
    am = await startReferenceAm({ authority: made.authority });
    const alice = mintUser(made.authority, 'alice');
    writeFileSync(join(dir, 'alice-cert.pem'), `${alice.certPem.trimEnd()}\n${made.authority.sa.certPem}`);
    writeFileSync(join(dir, 'alice-key.pem'), alice.keyPem);
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
    const r = await cli(['run', '--omni-config', 'omni_config', '-a', 'ref-am', '--ca', caCertPath, '--user-cred', 'alice-usercred.xml', '--suite', 'am3', '--case', 'am3.getversion.*', '--reports', 'reports'], dir);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const results = JSON.parse(readFileSync(join(dir, 'reports', 'results.json'), 'utf8')) as { target: { name: string; label?: string }; command: string[]; cases: Array<{ outcome: { kind: string } }> };
    expect(results.target).toMatchObject({ name: am.urls['3'], label: 'ref-am' });
    expect(results.cases.length).toBeGreaterThan(3);
    expect(results.cases.every((c) => c.outcome.kind === 'pass')).toBe(true);
    // the command that repeats the run names the files omni_config pointed at (a key's path, never its contents)
    expect(results.command).toEqual(expect.arrayContaining(['--cert', join(dir, 'alice-cert.pem'), '--key', join(dir, 'alice-key.pem')]));
  }, 300_000);

  it('an unknown nickname is one line and exit 2, naming the nicknames there are', async () => {
    const r = await cli(['run', '--omni-config', 'omni_config', '-a', 'nowhere'], dir);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/-a nowhere is neither a URL nor a nickname of .*omni_config \[aggregate_nicknames\] \(ref-am\)/);
  }, 120_000);
});
