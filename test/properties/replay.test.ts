import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReplayFile } from '../../src/runner/property';
import { runCliInProcess } from '../helpers/cli';
import { cli, scratch } from './cli-helpers';

// A fault only a property catches: Renew reads a time with a ±HH:MM offset as UTC.
const FAULT = 'renew-ignores-utc-offset';
const CASE = 'am3.property.renew-within-credential';

/**
 * `geni-harness replay FILE` in this process (the run that wrote FILE is the real CLI; test/cli/omni-config.test.ts
 * runs replay as a process): with the ledger and the test authority of that run's working directory, as the CLI
 * started there would use them.
 */
function replayIn(cwd: string, file: string) {
  const config = join(cwd, 'replay-config.json');
  writeFileSync(config, JSON.stringify({ ledgerPath: join(cwd, '.geni-harness', 'ledger.json'), authorityDir: join(cwd, '.geni-harness', 'authority') }));
  return runCliInProcess(['replay', file, '--config', config]);
}

describe('a property failure is written to a replay file that reproduces it', () => {
  it(`with ${FAULT} the property fails, and replay reproduces it; against a fault-free AM it does not`, async () => {
    const cwd = scratch('gh-prop-replay-');
    const run = cli(['run', '--reports', join(cwd, 'reports'), '--seed', '7', '--case', CASE, '--fault', FAULT], cwd);
    expect(run.status, run.stdout.slice(-2000) + run.stderr.slice(-1000)).toBe(1);
    expect(run.stdout).toMatch(/shrunk counterexample: Renew .* to \S+[+-]\d\d:\d\d/);

    const file = join(cwd, '.geni-harness', 'replays', `${CASE}.json`);
    expect(existsSync(file)).toBe(true);
    const replay = JSON.parse(readFileSync(file, 'utf8')) as ReplayFile;
    expect(replay).toMatchObject({ caseId: CASE, suite: 'am3', target: { embedded: true, faults: [FAULT] } });
    expect(replay.requests.map((r) => r.method)).toContain('Renew');

    const again = await replayIn(cwd, file);
    expect(again.status, again.stdout.slice(-2000) + again.stderr.slice(-1000)).toBe(1);
    expect(again.stdout).toMatch(/reproduced: the property fails again/);

    // The same replay against an embedded AM without the fault: the counterexample now passes.
    const fixed = join(cwd, 'fault-free.json');
    writeFileSync(fixed, JSON.stringify({ ...replay, target: { ...replay.target, faults: [] } }), { mode: 0o600 });
    const clean = await replayIn(cwd, fixed);
    expect(clean.status, clean.stdout.slice(-2000) + clean.stderr.slice(-1000)).toBe(0);
    expect(clean.stdout).toMatch(/not reproduced: pass/);
  }, 300_000);
});
