/**
 * Runs the whole suite against the embedded reference AM in each of its personalities (one `geni-harness run`
 * after another, so the verdicts of one never depend on the load of another) and prints every run's figures and
 * every outcome that is not a pass. The bar: no `error` against any personality.
 *
 *   npx tsx scripts/personalities.ts [--reports DIR] [NAME...] [-- run options, e.g. --seed 1 --fuzz-runs 5]
 *
 * Exit 0 when no run has an `error` outcome, 1 when one has, 2 when a run could not be read.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PERSONALITIES } from '../src/reference-am';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Results {
  summary: { byKind: Record<string, number>; durationMs?: number };
  cases: Array<{ id: string; suite: string; outcome: { kind: string; reason?: string; message?: string; findings?: Array<{ title: string }> } }>;
}

function main(argv: string[]): number {
  const dashes = argv.indexOf('--');
  const own = dashes < 0 ? argv : argv.slice(0, dashes);
  const runArgs = dashes < 0 ? [] : argv.slice(dashes + 1);
  const reportsAt = own.indexOf('--reports');
  const reports = path.resolve(reportsAt >= 0 ? own[reportsAt + 1] ?? 'reports/personalities' : 'reports/personalities');
  const named = own.filter((a, i) => !a.startsWith('--') && (reportsAt < 0 || i !== reportsAt + 1));
  const chosen = named.length > 0 ? named : PERSONALITIES.map((p) => p.name);
  let errors = 0;
  for (const name of chosen) {
    const dir = path.join(reports, name);
    const run = spawnSync(process.execPath, [path.join(projectRoot, 'bin/geni-harness.mjs'), 'run', '--personality', name, '--reports', dir, ...runArgs], {
      cwd: projectRoot, stdio: ['ignore', 'ignore', 'inherit'],
    });
    const file = path.join(dir, 'results.json');
    if (!existsSync(file)) {
      console.error(`${name}: no results (geni-harness run exited ${String(run.status)})`);
      return 2;
    }
    const results = JSON.parse(readFileSync(file, 'utf8')) as Results;
    const counts = Object.entries(results.summary.byKind).map(([kind, n]) => `${n} ${kind}`).join(', ');
    console.log(`${name}: ${counts} (exit ${String(run.status)})`);
    for (const c of results.cases) {
      const o = c.outcome;
      if (o.kind === 'pass') continue;
      const why = o.reason ?? o.message ?? o.findings?.map((f) => f.title).join('; ') ?? '';
      console.log(`  ${o.kind.padEnd(11)} ${c.id}@${c.suite}: ${why.slice(0, 200)}`);
    }
    errors += results.summary.byKind.error ?? 0;
  }
  return errors > 0 ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
