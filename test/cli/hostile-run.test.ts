import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostileAggregate, type HostileAggregate } from '../helpers/hostile-aggregate';

const ROOT = resolve(__dirname, '../..');
const BIN = join(ROOT, 'bin/geni-harness.mjs');
/** GNU time reports the peak RSS of the run (the largest process of its tree); without it the bound is not checked. */
const GNU_TIME = ['/usr/bin/time', '/bin/time'].find((p) => existsSync(p));

/** The real CLI, run asynchronously (the hostile aggregate lives in this process and must keep answering). */
function cliAsync(args: string[], cwd: string): Promise<{ status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; maxRssKb?: number }> {
  const rssFile = join(cwd, 'rss.txt');
  const [command, argv] = GNU_TIME
    ? [GNU_TIME, ['-f', '%M', '-o', rssFile, process.execPath, BIN, ...args]]
    : [process.execPath, [BIN, ...args]];
  return new Promise((done, fail) => {
    const child = spawn(command, argv, { cwd, env: { ...process.env, FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    // A backstop far above any sane run: a run that reaches it has hung, which the assertions then show.
    const backstop = setTimeout(() => child.kill('SIGKILL'), 400_000);
    child.on('error', fail);
    child.on('close', (status, signal) => {
      clearTimeout(backstop);
      const rss = GNU_TIME && existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').at(-1)) : undefined;
      done({ status, signal, stdout, stderr, ...(rss !== undefined && Number.isFinite(rss) && { maxRssKb: rss }) });
    });
  });
}

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? allFiles(p) : [p];
  });
}

describe('a run against an aggregate whose GetVersion is hostile still writes its reports', () => {
  let dir: string;
  let aggregate: HostileAggregate;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gh-hostile-run-'));
    // The answer that crashed the harness once: an external entity behind 70 KB of comment.
    aggregate = await startHostileAggregate('padded-xxe', dir);
  });
  afterAll(async () => aggregate.close());

  it('exits 1 with every selected case an <error> naming the cause, its transcript, no secret and no file content', async () => {
    const r = await cliAsync(['run', '--target', aggregate.url, '--authority', aggregate.authorityDir, '--reports', 'reports', '--case', 'am3.getversion.*'], dir);
    expect(r.signal, r.stderr).toBeNull();
    expect(r.status, `${r.stdout.slice(-2000)}\n${r.stderr}`).toBe(1);
    const reports = join(dir, 'reports');
    const results = JSON.parse(readFileSync(join(reports, 'results.json'), 'utf8')) as { cases: Array<{ outcome: { kind: string; message: string; origin?: string } }> };
    expect(results.cases.length).toBeGreaterThan(0);
    for (const c of results.cases) {
      expect(c.outcome).toMatchObject({ kind: 'error', origin: 'target' });
      expect(c.outcome.message).toMatch(/^not run: GetVersion at .*(DTD|DOCTYPE)/);
    }
    const junit = readFileSync(join(reports, 'junit.xml'), 'utf8');
    expect(junit.match(/<error /g)).toHaveLength(results.cases.length);
    expect(readdirSync(join(reports, 'cases')).length).toBe(results.cases.length);
    const everything = [r.stdout, r.stderr, ...allFiles(reports).map((f) => readFileSync(f, 'utf8'))].join('\n');
    expect(everything).not.toMatch(/-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----|<signed-credential|root:x:0:0/);
    // The issue saw 2.6 GB before the process died; the harness's own footprint (tsx, vitest, cases) is ~0.6 GB.
    if (r.maxRssKb !== undefined) expect(r.maxRssKb).toBeLessThan(1024 * 1024);
  }, 420_000);
});
