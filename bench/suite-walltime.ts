/**
 * Wall time of the suites against the embedded reference AM (which speaks v1, v2 and v3), two ways: in-process
 * (the engine alone) and through the CLI (vitest host, reports written: what a user runs), plus the v3 suite
 * alone through the CLI. Prints seconds, case runs per second and the overhead ratio of the CLI over the engine.
 * `npx tsx bench/suite-walltime.ts`
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startEmbeddedTarget } from '../src/cli/embedded-target';
import { loadCases } from '../src/runner/registry';
import { Session } from '../src/runner/session';
import { runCasesInProcess } from '../src/runner/run';

const root = resolve(import.meta.dirname, '..');
const cases = await loadCases();

const engineStart = performance.now();
const target = await startEmbeddedTarget();
const session = Session.open(target.spec, {
  ledgerPath: join(mkdtempSync(join(tmpdir(), 'gh-bench-')), 'ledger.json'),
  limits: { callTimeoutMs: 30_000, maxResponseBytes: 64 * 1024 * 1024 },
});
const results = await runCasesInProcess(session, cases, { strict: false, seed: 1, caseTimeoutMs: 60_000 });
const exchanges = results.reduce((n, r) => n + r.exchanges.length, 0);
session.close();
await target.close();
const engineSeconds = (performance.now() - engineStart) / 1000;

function timeCli(extra: string[]): { seconds: number; status: number | null } {
  const start = performance.now();
  const cli = spawnSync(process.execPath, [join(root, 'bin/geni-harness.mjs'), 'run', '--reports', mkdtempSync(join(tmpdir(), 'gh-bench-reports-')), '--seed', '1', ...extra], {
    cwd: mkdtempSync(join(tmpdir(), 'gh-bench-cwd-')), encoding: 'utf8',
  });
  return { seconds: (performance.now() - start) / 1000, status: cli.status };
}
const all = timeCli([]);
const v3 = timeCli(['--api', '3']);
const perVersion = [1, 2, 3].map((api) => `v${api} ${results.filter((r) => r.api === api).length}`).join(', ');

console.log(`case runs: ${results.length} (${perVersion}); ${exchanges} recorded XML-RPC exchanges over mutual TLS`);
console.log(`engine in-process, all versions : ${engineSeconds.toFixed(1)} s  (${(results.length / engineSeconds).toFixed(1)} case runs/s)`);
console.log(`geni-harness run, all versions  : ${all.seconds.toFixed(1)} s  (exit ${all.status}; vitest host + reports)`);
console.log(`geni-harness run --api 3        : ${v3.seconds.toFixed(1)} s  (exit ${v3.status})`);
console.log(`ratio run/engine (all versions) : ${(all.seconds / engineSeconds).toFixed(2)}`);
