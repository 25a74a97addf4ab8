import { spawn, spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { main } from '../../src/cli/main';

/** The repository's own CLI entry point, as a user runs it. */
export const CLI_BIN = join(resolve(__dirname, '../..'), 'bin/geni-harness.mjs');

export interface CliOutcome { status: number | null; stdout: string; stderr: string }

/**
 * The real CLI in a child process, asynchronously, so an aggregate the test hosts in this process keeps answering
 * while the CLI talks to it. A run still going after `timeoutMs` (a bound against a hung run, not a goal) is killed.
 */
export function runCliAsync(args: string[], cwd: string, timeoutMs = 600_000): Promise<CliOutcome> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], { cwd, env: { ...process.env, FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const backstop = setTimeout(() => child.kill('SIGKILL'), timeoutMs).unref();
    child.on('close', (status) => {
      clearTimeout(backstop);
      done({ status, stdout, stderr });
    });
  });
}

/**
 * The real CLI in a child process, waited for: for runs that need nothing of this process meanwhile (the embedded
 * reference AM lives in the CLI's own process). `timeoutMs` is a bound against a hung run, not a goal.
 */
export function runCli(args: string[], cwd: string, timeoutMs = 300_000): CliOutcome {
  const r = spawnSync(process.execPath, [CLI_BIN, ...args], { cwd, encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, FORCE_COLOR: '0' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The CLI's main() in this process, its output captured (bin/geni-harness.mjs only loads main and calls it): for the
 * commands whose process start-up is not what a test is about. Relative paths are this process's working directory.
 */
export async function runCliInProcess(args: string[]): Promise<CliOutcome> {
  let stdout = '';
  let stderr = '';
  const status = await main(args, { stdout: (t) => { stdout += `${t}\n`; }, stderr: (t) => { stderr += `${t}\n`; } });
  return { status, stdout, stderr };
}
