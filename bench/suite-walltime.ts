/**
 * Wall time of the whole v3 suite against the embedded reference AM, two ways: through the CLI (vitest host,
 * reports written, what a user runs) and in-process (the engine alone). Prints seconds, cases per second and the
 * overhead ratio of the CLI run over the engine. `npx tsx bench/suite-walltime.ts`
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
const cases = (await loadCases()).filter((c) => c.api.includes(3));

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

const cliStart = performance.now();
const cli = spawnSync(process.execPath, [join(root, 'bin/geni-harness.mjs'), 'run', '--reports', mkdtempSync(join(tmpdir(), 'gh-bench-reports-')), '--seed', '1'], {
  cwd: mkdtempSync(join(tmpdir(), 'gh-bench-cwd-')), encoding: 'utf8',
});
const cliSeconds = (performance.now() - cliStart) / 1000;

console.log(`v3 suite: ${cases.length} cases, ${exchanges} XML-RPC exchanges over mutual TLS`);
console.log(`engine in-process : ${engineSeconds.toFixed(1)} s  (${(cases.length / engineSeconds).toFixed(1)} cases/s, ${(exchanges / engineSeconds).toFixed(0)} calls/s)`);
console.log(`geni-harness run  : ${cliSeconds.toFixed(1)} s  (exit ${cli.status}; vitest host + reports)`);
console.log(`ratio run/engine  : ${(cliSeconds / engineSeconds).toFixed(2)}`);
