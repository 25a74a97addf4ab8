/**
 * The v3 suite against a slow aggregate: the embedded reference AM with the `slow` personality (single-threaded,
 * 150 ms per credential a call carries; `--credential-check-ms MS` to change it), run in-process by the engine,
 * the way `geni-harness run --personality slow --suite am3` runs it:
 *   1. with the default property budget (--fuzz-time 30 s shared, at least 3 inputs per property);
 *   2. with a fixed 20 inputs per property (`--fuzz-runs 20` alone: the old default), unless --skip-fixed.
 * Prints wall time, calls in all / per example case / per property input, the aggregate's own time spent on
 * purpose (its credential checks), the ratio of the two runs, the issue's 2-minute goal, and whether the verdicts
 * agree. Cases run one at a time (there is no --concurrency yet; a single-threaded aggregate would gain nothing).
 * `npx tsx bench/slow-suite.ts [--credential-check-ms 150] [--skip-fixed]`
 */
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startEmbeddedTarget } from '../src/cli/embedded-target';
import { resolveConfig } from '../src/config';
import { countPropertyCases, propertyBudget } from '../src/runner/fuzz-budget';
import { loadCases, selectCases } from '../src/runner/registry';
import { runCasesInProcess } from '../src/runner/run';
import { Session } from '../src/runner/session';
import type { CaseResult, FuzzBudget } from '../src/runner/types';

const { values } = parseArgs({ options: { 'credential-check-ms': { type: 'string', default: '150' }, 'skip-fixed': { type: 'boolean', default: false } } });
const credentialCheckMs = Number(values['credential-check-ms']);
const cases = selectCases(await loadCases(), { suites: ['am3'] }).filter((c) => c.suites.some((s) => s.name === 'am3'));

interface Measured { label: string; seconds: number; results: CaseResult[]; aggregateDelayMs: number; load: number }

async function measure(label: string, fuzz: FuzzBudget): Promise<Measured> {
  const target = await startEmbeddedTarget({ am: { personality: 'slow', credentialCheckMs } });
  const session = Session.open(target.spec, { ledgerPath: join(mkdtempSync(join(tmpdir(), 'gh-bench-')), 'ledger.json'), limits: { callTimeoutMs: 60_000, maxResponseBytes: 64 * 1024 * 1024 } });
  const started = performance.now();
  try {
    const results = await runCasesInProcess(session, cases, { strict: false, seed: 1, caseTimeoutMs: 300_000, suites: ['am3'], fuzz, login: { enabled: true, waitMs: 5_000 } });
    return { label, seconds: (performance.now() - started) / 1000, results, aggregateDelayMs: target.am.pace.delayedMs, load: loadavg()[0]! };
  } finally {
    session.close();
    await target.close();
  }
}

function describe(m: Measured): string[] {
  const props = m.results.filter((r) => r.fuzz);
  const examples = m.results.filter((r) => !r.fuzz);
  const calls = (rs: CaseResult[]) => rs.reduce((n, r) => n + (r.calls ?? 0), 0);
  const inputs = props.reduce((n, r) => n + r.fuzz!.inputs, 0);
  const kinds = Object.entries(m.results.reduce<Record<string, number>>((k, r) => ({ ...k, [r.outcome.kind]: (k[r.outcome.kind] ?? 0) + 1 }), {})).map(([k, n]) => `${n} ${k}`).join(', ');
  return [
    `${m.label}: ${m.seconds.toFixed(1)} s wall (load average ${m.load.toFixed(1)}), ${m.results.length} cases (${kinds})`,
    `  calls: ${calls(m.results)} in all; ${examples.length} example cases ${calls(examples)} (${(calls(examples) / examples.length).toFixed(1)} per case); ` +
      `${props.length} property cases ${calls(props)} for ${inputs} inputs (${(calls(props) / Math.max(1, inputs)).toFixed(1)} per input, fewest inputs ${Math.min(...props.map((r) => r.fuzz!.inputs))})`,
    `  the aggregate waited ${(m.aggregateDelayMs / 1000).toFixed(1)} s on credential checks (${((m.aggregateDelayMs / 1000 / m.seconds) * 100).toFixed(0)}% of the wall time)`,
  ];
}

const defaults = resolveConfig({}, {}).fuzz;
const budgeted = await measure(`default budget (--fuzz-time ${(defaults.runTimeMs ?? 0) / 1000} s shared, ≥ ${defaults.minRuns} inputs each)`, propertyBudget(defaults, countPropertyCases(cases)));
console.log(`v3 suite against the slow personality (${credentialCheckMs} ms per credential, one call at a time), cases one at a time`);
for (const line of describe(budgeted)) console.log(line);
console.log(`  goal: the whole v3 suite in under 120 s with the default settings: ${budgeted.seconds < 120 ? 'met' : 'NOT met'} (${(budgeted.seconds / 120).toFixed(2)} of it)`);

if (!values['skip-fixed']) {
  const fixed = await measure('fixed 20 inputs per property (--fuzz-runs 20, the old default)', { runs: 20 });
  for (const line of describe(fixed)) console.log(line);
  console.log(`ratio default budget / fixed 20 inputs: ${(budgeted.seconds / fixed.seconds).toFixed(2)}`);
  const verdict = (rs: CaseResult[]) => new Map(rs.map((r) => [r.id, r.outcome.kind]));
  const a = verdict(budgeted.results);
  const differ = [...verdict(fixed.results)].filter(([id, kind]) => a.get(id) !== kind).map(([id, kind]) => `${id}: ${a.get(id)} vs ${kind}`);
  console.log(`verdicts: ${differ.length === 0 ? 'the same in both runs' : `differ for ${differ.join('; ')}`}`);
}
