import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { initAuthority } from '../../src/credentials';
import { startReferenceAm, type ReferenceAm } from '../../src/reference-am';
import { Session } from '../../src/runner/session';
import { Ledger } from '../../src/runner/ledger';
import { Transcript } from '../../src/client';
import { v3Api } from '../../src/geni/methods';
import { readAdvertisement } from '../../src/rspec';

/**
 * Runs killed with -9 at random moments, then one more run; and two runs at once. The aggregate is long-lived (like
 * `geni-harness serve` or a real one), in this process; the runs are the real CLI in one working directory, so they
 * share its ledger. Several minutes of real runs, so not part of `npm test`: `npm run test:chaos` (3 kills), or
 * GENI_HARNESS_CHAOS_KILLS=20 npx vitest run --project full test/cli/chaos.test.ts.
 */
const ROOT = resolve(__dirname, '../..');
const BIN = join(ROOT, 'bin/geni-harness.mjs');
const KILLS = Number(process.env.GENI_HARNESS_CHAOS_KILLS ?? 0);
/** Cases that allocate and provision in v3 (each makes slices the ledger must hold). */
const SELECTION = ['--suite', 'am3', '--case', 'lifecycle.reserve-status-release', '--case', 'am3.allocate.returns-allocated-slivers', '--no-login'];

function start(args: string[], cwd: string): { child: ChildProcess; done: Promise<{ status: number | null; signal: NodeJS.Signals | null; output: string }> } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { output += d.toString(); });
  const done = new Promise<{ status: number | null; signal: NodeJS.Signals | null; output: string }>((resolveDone) => {
    child.on('close', (status, signal) => resolveDone({ status, signal, output }));
  });
  return { child, done };
}

/** The vitest worker pids under `pid` (its children), so a kill can take the worker too. */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.runIf(KILLS > 0)('runs killed at random moments, and runs side by side, leave nothing behind', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gh-chaos-'));
  const authorityDir = join(dir, 'authority');
  let am: ReferenceAm;
  let url: string;

  /** Nodes the aggregate holds for some slice now (its advertisement lists them as not available). */
  async function heldNodes(): Promise<string[]> {
    const { caCertPath } = initAuthority(authorityDir);
    const session = Session.open({ name: 'probe', url, authorityDir, caPaths: [caCertPath] }, { ledgerPath: join(dir, 'probe-ledger.json'), limits: { callTimeoutMs: 60_000, maxResponseBytes: 1 << 26 } });
    try {
      const res = await v3Api(session.client(url, new Transcript())).ListResources([{ geni_type: 'geni_sfa', geni_version: '3', geni_value: session.userCredentialXml }], { geni_rspec_version: { type: 'GENI', version: '3' } });
      const ad = readAdvertisement(String(res.envelope?.value));
      return ad.nodes.filter((n) => !n.available).map((n) => n.componentId);
    } finally {
      session.close();
    }
  }

  beforeAll(async () => {
    const { authority } = initAuthority(authorityDir);
    am = await startReferenceAm({ authority, updateSliver: true });
    url = am.urls['3']!;
  });
  afterAll(async () => am.close());

  it(`${KILLS} runs killed with -9 (the CLI alone, or with its worker), then one more run: 0 slivers, a valid empty ledger`, async () => {
    const seed = Number(process.env.GENI_HARNESS_CHAOS_SEED ?? Date.now() % 100_000);
    const delays = fc.sample(fc.tuple(fc.integer({ min: 2_000, max: 25_000 }), fc.boolean()), { numRuns: KILLS, seed });
    for (const [delayMs, withWorker] of delays) {
      const run = start(['run', '--target', url, '--authority', authorityDir, ...SELECTION], dir);
      const finishedEarly = await Promise.race([run.done.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), delayMs))]);
      if (finishedEarly) continue;
      const workers = childrenOf(run.child.pid!).flatMap((pid) => [pid, ...childrenOf(pid)]);
      run.child.kill('SIGKILL');
      if (withWorker) for (const pid of workers) if (alive(pid)) process.kill(pid, 'SIGKILL');
      await run.done;
      // The worker does not outlive its parent (it watches it and ends itself).
      await expect.poll(() => workers.filter(alive), { timeout: 10_000, interval: 100 }).toEqual([]);
    }
    const last = start(['run', '--target', url, '--authority', authorityDir, ...SELECTION], dir);
    const result = await last.done;
    expect(result.status, `seed ${seed}\n${result.output.slice(-3000)}`).toBe(0);
    expect(await heldNodes(), `seed ${seed}`).toEqual([]);
    expect(new Ledger(join(dir, '.geni-harness', 'ledger.json')).read()).toEqual([]);
    const work = join(dir, '.geni-harness', 'run');
    expect(existsSync(work) ? readdirSync(work) : []).toEqual([]);
  }, 900_000);

  it('two runs at once from one directory both pass and leave the ledger empty', async () => {
    const [a, b] = [start(['run', '--target', url, '--authority', authorityDir, ...SELECTION], dir), start(['run', '--target', url, '--authority', authorityDir, ...SELECTION], dir)];
    const [ra, rb] = await Promise.all([a.done, b.done]);
    expect(ra.status, ra.output.slice(-3000)).toBe(0);
    expect(rb.status, rb.output.slice(-3000)).toBe(0);
    expect(`${ra.output}\n${rb.output}`).not.toMatch(/left by an earlier run/);
    expect(new Ledger(join(dir, '.geni-harness', 'ledger.json')).read()).toEqual([]);
    expect(await heldNodes()).toEqual([]);
  }, 900_000);
});
