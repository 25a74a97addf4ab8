import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startHostileAggregate, type HostileVersionMode } from '../helpers/hostile-aggregate';

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

const SECRET = /-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----|<signed-credential|root:x:0:0/;
/**
 * Issue 9's target: the largest process of a run stays within 512 MB whatever the aggregate sends (the issue saw
 * 2.6 GB before the process died). Measured 391–476 MB (bench/hostile-rss.ts): most of it is vitest's own host.
 */
const RSS_BOUND_KB = 512 * 1024;

interface Results {
  cases: Array<{ id: string; transcript: string; outcome: { kind: string; message?: string; origin?: string; phase?: string; findings?: Array<{ actual: string; exchangeIds: string[] }> } }>;
}

/** A case's exchanges, from its transcript file. */
function exchangesOf(reports: string, transcript: string): Array<{ id: string; method: string }> {
  return (JSON.parse(readFileSync(join(reports, transcript), 'utf8')) as { exchanges: Array<{ id: string; method: string }> }).exchanges;
}

describe('a run against an aggregate whose GetVersion is hostile still writes its reports', () => {
  it.each<[HostileVersionMode, string[], RegExp]>([
    // The answer that crashed the harness once: an external entity behind 70 KB of comment.
    ['padded-xxe', [], /^not run: GetVersion at .*(DTD|DOCTYPE)/],
    // A proper answer, a byte every 50 ms: the call's limit ends it (the connection is never idle).
    ['slow-drip', ['--call-timeout', '3000'], /^not run: GetVersion at .*no complete response within 3000 ms/],
    // A body that never ends, under the default 64 MiB cap and the default call limit.
    ['endless', [], /^not run: GetVersion at .*response exceeds the 64 MB cap/],
  ])('%s: exits 1 with every selected case an <error> naming the cause, its transcript, no secret and no file content', async (mode, extra, message) => {
    const dir = mkdtempSync(join(tmpdir(), `gh-hostile-run-${mode}-`));
    const aggregate = await startHostileAggregate(dir, { getVersion: mode });
    try {
      const r = await cliAsync(['run', '--target', aggregate.url, '--authority', aggregate.authorityDir, '--reports', 'reports', '--case', 'am3.getversion.*', ...extra], dir);
      expect(r.signal, r.stderr).toBeNull();
      expect(r.status, `${r.stdout.slice(-2000)}\n${r.stderr}`).toBe(1);
      const reports = join(dir, 'reports');
      const results = JSON.parse(readFileSync(join(reports, 'results.json'), 'utf8')) as Results;
      expect(results.cases.length).toBeGreaterThan(0);
      for (const c of results.cases) {
        expect(c.outcome).toMatchObject({ kind: 'error', origin: 'target' });
        expect(c.outcome.message).toMatch(message);
      }
      const junit = readFileSync(join(reports, 'junit.xml'), 'utf8');
      expect(junit.match(/<error /g)).toHaveLength(results.cases.length);
      expect(readdirSync(join(reports, 'cases')).length).toBe(results.cases.length);
      const everything = [r.stdout, r.stderr, ...allFiles(reports).map((f) => readFileSync(f, 'utf8'))].join('\n');
      expect(everything).not.toMatch(SECRET);
      if (r.maxRssKb !== undefined) expect(r.maxRssKb).toBeLessThan(RSS_BOUND_KB);
    } finally {
      await aggregate.close();
    }
  }, 420_000);
});

describe('a run against an aggregate that answers every call after GetVersion with a Fault (a fault storm)', () => {
  it('ends with its reports: every case that met a Fault failed with that exchange, none is a harness error, nothing is printed in full', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gh-hostile-run-storm-'));
    const aggregate = await startHostileAggregate(dir, { calls: 'fault-storm' });
    try {
      const r = await cliAsync(['run', '--target', aggregate.url, '--authority', aggregate.authorityDir, '--reports', 'reports', '--suite', 'am3', '--call-timeout', '20000'], dir);
      expect(r.signal, r.stderr).toBeNull();
      expect(r.status, `${r.stdout.slice(-2000)}\n${r.stderr}`).toBe(1);
      expect([...aggregate.calls.keys()].filter((m) => m !== 'GetVersion').length, 'the storm was met').toBeGreaterThan(0);
      const reports = join(dir, 'reports');
      const results = JSON.parse(readFileSync(join(reports, 'results.json'), 'utf8')) as Results;
      expect(results.cases.length).toBeGreaterThan(10);
      const kinds = new Map<string, number>();
      for (const c of results.cases) kinds.set(c.outcome.kind, (kinds.get(c.outcome.kind) ?? 0) + 1);
      // A Fault is the aggregate's answer, never the harness's bug.
      expect(results.cases.filter((c) => c.outcome.phase === 'internal').map((c) => `${c.id}: ${c.outcome.message ?? ''}`)).toEqual([]);
      expect(kinds.get('pass') ?? 0, JSON.stringify([...kinds])).toBeLessThan(results.cases.length);
      const failed = results.cases.filter((c) => c.outcome.kind === 'fail');
      expect(failed.length).toBeGreaterThan(0);
      for (const c of failed) {
        const faults = c.outcome.findings!.filter((f) => /XML-RPC Fault/.test(f.actual));
        const exchanges = exchangesOf(reports, c.transcript);
        for (const f of faults) expect(exchanges.some((x) => f.exchangeIds.includes(x.id) && x.method !== 'GetVersion'), c.id).toBe(true);
      }
      expect(failed.some((c) => c.outcome.findings!.some((f) => /XML-RPC Fault/.test(f.actual))), 'some case failed on a Fault').toBe(true);
      const junit = readFileSync(join(reports, 'junit.xml'), 'utf8');
      expect(junit.match(/<testcase /g)).toHaveLength(results.cases.length);
      // The storm's 256 KiB faultString is clipped wherever a person reads it.
      const longest = Math.max(...[r.stdout, r.stderr, junit].flatMap((text) => text.split('\n').map((line) => line.length)));
      expect(longest).toBeLessThan(20_000);
      expect([r.stdout, r.stderr, ...allFiles(reports).map((f) => readFileSync(f, 'utf8'))].join('\n')).not.toMatch(SECRET);
      if (r.maxRssKb !== undefined) expect(r.maxRssKb).toBeLessThan(RSS_BOUND_KB);
    } finally {
      await aggregate.close();
    }
  }, 840_000);
});
