#!/usr/bin/env node
// `npm test`: lint (scripts/lint.mjs: tsc's type check and eslint) and the unit and full tiers, at once. Lint is one
// thread for about 40 s; run first, it left the second core of a 2-core machine idle that long, and the full tier
// has files that mostly wait (dynslice countdowns), so lint runs beside the tests, at a lower priority (the tests'
// timing checks come first). Its report is printed after the tests'; the exit code is non-zero when either failed.
// Arguments go to vitest (`npm test -- test/cli/run.test.ts`).
import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Runs `node args` in the project root; resolves with its exit code (1 when it died of a signal). */
function run(args, options) {
  const child = spawn(process.execPath, args, { cwd: root, ...options });
  const done = new Promise((resolve) => {
    child.on('error', () => resolve(1));
    child.on('close', (code) => resolve(code ?? 1));
  });
  return { child, done };
}

const lint = run([path.join(root, 'scripts/lint.mjs')], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
let lintReport = '';
lint.child.stdout.on('data', (d) => { lintReport += d; });
lint.child.stderr.on('data', (d) => { lintReport += d; });
try {
  setPriority(lint.child.pid, 10);
} catch {
  // not allowed here: lint simply competes at the same priority
}

const tests = run([path.join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--project', 'unit', '--project', 'full', ...process.argv.slice(2)], { stdio: 'inherit' });
const [lintCode, testsCode] = await Promise.all([lint.done, tests.done]);
process.stdout.write(`\nlint (scripts/lint.mjs, run beside the tests): ${lintCode === 0 ? 'clean' : `FAILED (exit ${lintCode})`}\n${lintReport}`);
process.exitCode = lintCode !== 0 ? lintCode : testsCode;
