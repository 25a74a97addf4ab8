import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

/** The repository's own CLI entry point, as a user runs it. */
export const CLI_BIN = join(resolve(__dirname, '../..'), 'bin/geni-harness.mjs');

export interface CliOutcome { status: number | null; stdout: string; stderr: string }

/**
 * The real CLI in a child process, asynchronously, so an aggregate the test hosts in this process keeps answering
 * while the CLI talks to it.
 */
export function runCliAsync(args: string[], cwd: string): Promise<CliOutcome> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], { cwd, env: { ...process.env, FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}
