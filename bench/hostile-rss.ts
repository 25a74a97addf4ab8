/**
 * Peak memory and wall time of `geni-harness run` against the project's hostile aggregate (test/helpers), one run
 * per behaviour, each a real CLI process under GNU time: its peak RSS is that of the largest process of the run
 * (the CLI, which hosts vitest, or vitest's worker). Prints each run's exit code, peak RSS, its ratio to the
 * 512 MB target of issue 9, and its wall time. Exit 1 when a run breaks the target or does not exit 1.
 * `npx tsx bench/hostile-rss.ts [MODE…]`   (modes: see MODES below; default all)
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = resolve(import.meta.dirname, '..');
const TARGET_MB = 512;
const GNU_TIME = ['/usr/bin/time', '/bin/time'].find((p) => existsSync(p));
if (!GNU_TIME) throw new Error('GNU time (/usr/bin/time) is needed to measure peak RSS');

interface Mode {
  /** How the aggregate misbehaves: its GetVersion, or every call after it (modes of test/helpers/hostile-aggregate.ts). */
  modes: { getVersion?: string; calls?: string };
  args: string[];
}

/**
 * The project's hostile aggregate, in its own process (nothing outside test/ imports test/): resolves with its URL
 * and authority once it listens; it stops when we close its standard input.
 */
async function startAggregate(dir: string, modes: Mode['modes']): Promise<{ url: string; authorityDir: string; close(): void }> {
  const settings = Object.entries(modes).map(([k, v]) => `${k}=${v}`);
  const child = spawn(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'test/helpers/serve-hostile.ts'), dir, ...settings], { stdio: ['pipe', 'pipe', 'inherit'] });
  const [line] = await Promise.race([
    (async () => { for await (const l of createInterface({ input: child.stdout })) return [l]; return []; })(),
    new Promise<never>((_, fail) => child.once('exit', (code) => fail(new Error(`hostile aggregate exited ${code}`)))),
  ]);
  const { url, authorityDir } = JSON.parse(line ?? '{}') as { url: string; authorityDir: string };
  return { url, authorityDir, close: () => child.stdin.end() };
}
const GETVERSION = ['--case', 'am3.getversion.*'];
const MODES: Record<string, Mode> = {
  'getversion hang': { modes: { getVersion: 'hang' }, args: [...GETVERSION, '--call-timeout', '5000'] },
  'getversion slow-drip': { modes: { getVersion: 'slow-drip' }, args: [...GETVERSION, '--call-timeout', '5000'] },
  'getversion endless (64 MiB cap)': { modes: { getVersion: 'endless' }, args: GETVERSION },
  'getversion entity-bomb': { modes: { getVersion: 'entity-bomb' }, args: GETVERSION },
  'getversion padded-xxe': { modes: { getVersion: 'padded-xxe' }, args: GETVERSION },
  'getversion huge-fault (10 MiB)': { modes: { getVersion: 'huge-fault' }, args: GETVERSION },
  'getversion deep-nesting': { modes: { getVersion: 'deep-nesting' }, args: GETVERSION },
  'am3 ListResources cases, endless': { modes: { calls: 'endless' }, args: ['--case', 'am3.listresources.*'] },
  'suite am3, fault storm': { modes: { calls: 'fault-storm' }, args: ['--suite', 'am3'] },
};

function run(args: string[], cwd: string): Promise<{ status: number | null; peakMb: number; seconds: number }> {
  const rssFile = join(cwd, 'rss.txt');
  const started = performance.now();
  return new Promise((done, fail) => {
    const child = spawn(GNU_TIME!, ['-f', '%M', '-o', rssFile, process.execPath, join(ROOT, 'bin/geni-harness.mjs'), ...args], { cwd, stdio: 'ignore' });
    child.on('error', fail);
    child.on('close', (status) => {
      const kb = Number(readFileSync(rssFile, 'utf8').trim().split('\n').at(-1));
      done({ status, peakMb: kb / 1024, seconds: (performance.now() - started) / 1000 });
    });
  });
}

const chosen = process.argv.slice(2);
const names = chosen.length > 0 ? Object.keys(MODES).filter((n) => chosen.some((c) => n.includes(c))) : Object.keys(MODES);
let broken = 0;
console.log(`${'hostile aggregate'.padEnd(34)} exit  peak RSS   /${TARGET_MB} MB   wall`);
for (const name of names) {
  const mode = MODES[name]!;
  const dir = mkdtempSync(join(tmpdir(), 'gh-bench-hostile-'));
  const aggregate = await startAggregate(dir, mode.modes);
  try {
    const r = await run(['run', '--target', aggregate.url, '--authority', aggregate.authorityDir, '--reports', join(dir, 'reports'), ...mode.args], dir);
    const ok = r.status === 1 && r.peakMb <= TARGET_MB && existsSync(join(dir, 'reports', 'junit.xml'));
    if (!ok) broken++;
    console.log(`${name.padEnd(34)} ${String(r.status).padStart(4)}  ${r.peakMb.toFixed(0).padStart(5)} MB   ${(r.peakMb / TARGET_MB).toFixed(2).padStart(5)}x   ${r.seconds.toFixed(1).padStart(5)} s${ok ? '' : '   <- over target, no junit.xml, or exit not 1'}`);
  } finally {
    aggregate.close();
  }
}
process.exitCode = broken > 0 ? 1 : 0;
