import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const BIN = join(ROOT, 'bin/geni-harness.mjs');

/** Runs the real CLI in a scratch working directory (ledger, authority and replay files stay there). */
export function cli(args: string[], cwd = mkdtempSync(join(tmpdir(), 'gh-prop-'))) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 300_000, env: { ...process.env, FORCE_COLOR: '0' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, cwd };
}

export const scratch = (prefix: string): string => mkdtempSync(join(tmpdir(), prefix));
