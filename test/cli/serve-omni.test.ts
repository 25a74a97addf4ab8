import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_BIN, runCliAsync } from '../helpers/cli';
import { afterAll, describe, expect, it } from 'vitest';
import { readOmniConfig } from '../../src/credentials';



/** `serve` until it has printed what it serves; its output so far. */
function startServe(dir: string): Promise<{ child: ChildProcess; printed: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI_BIN, 'serve', '--dir', join(dir, 'serve')], { cwd: dir, env: { ...process.env, FORCE_COLOR: '0' } });
    let printed = '';
    child.stdout.on('data', (d: Buffer) => {
      printed += d.toString();
      if (printed.includes('Ctrl-C stops it.')) done({ child, printed });
    });
    child.stderr.on('data', (d: Buffer) => { printed += d.toString(); });
    child.on('close', (status) => fail(new Error(`serve ended (${status}) before it was ready: ${printed}`)));
  });
}

// omni and the harness pointed at the same thing: serve writes an omni_config naming its user and aggregate, and
// the command it prints runs the harness as that omni user against it.
describe('geni-harness serve writes an omni_config for the reference AM it serves', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gh-serve-omni-'));
  let serve: ChildProcess | undefined;
  afterAll(async () => {
    if (serve && serve.exitCode === null) {
      const ended = new Promise((done) => serve!.once('close', done));
      serve.kill('SIGINT');
      await ended;
    }
  });

  it('names alice\'s cert and key, its slice authority and the aggregate as ref; the printed run command makes its slices there and passes', async () => {
    const started = await startServe(dir);
    serve = started.child;
    const omniPath = /omni_config \(.*\): (\S+)/.exec(started.printed)?.[1];
    expect(omniPath, started.printed).toBe(join(dir, 'serve', 'omni_config'));
    const v3 = /AM API v3: (\S+)/.exec(started.printed)?.[1];
    const omni = readOmniConfig(omniPath!);
    expect(omni.framework).toMatchObject({ type: 'chapi', cert: join(dir, 'serve', 'alice', 'alice-cert.pem'), key: join(dir, 'serve', 'alice', 'alice-key.pem'), defaultProject: 'harness' });
    expect(omni.framework.sliceAuthorityUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/sa$/);
    expect(omni.framework.memberAuthorityUrl).toMatch(/\/ma$/);
    expect(omni.nicknames.ref?.url).toBe(v3);
    expect(omni.aggregates).toEqual(['ref']);

    const command = /harness as that omni user, its slices made at the slice authority: geni-harness (.+)/.exec(started.printed)?.[1]?.split(' ');
    expect(command, started.printed).toBeDefined();
    expect(command).not.toContain('--authority');
    expect(command).not.toContain('--user-cred');
    // GetVersion, and cases that each need fresh slices (one shuts its slice down for good)
    const r = await runCliAsync([...command!, '--suite', 'am3', '--case', 'am3.getversion.*', '--case', 'am3.status.names-the-slice', '--case', 'am3.shutdown.returns-true', '--reports', join(dir, 'reports')], dir);
    expect(r.status, r.stdout.slice(-2000) + r.stderr).toBe(0);
    const results = JSON.parse(readFileSync(join(dir, 'reports', 'results.json'), 'utf8')) as { target: { name: string; label?: string }; cases: Array<{ id: string; outcome: { kind: string } }> };
    expect(results.target).toMatchObject({ name: v3, label: 'ref' });
    expect(results.cases.length).toBeGreaterThan(5);
    expect(results.cases.filter((c) => c.outcome.kind !== 'pass')).toEqual([]);
    // The slices were the slice authority's (in its project harness), not minted by the harness.
    const transcripts = readdirSync(join(dir, 'reports', 'cases')).map((f) => readFileSync(join(dir, 'reports', 'cases', f), 'utf8')).join('\n');
    expect(transcripts).toContain('geni-harness.test:harness+slice+');
  }, 300_000);
});
