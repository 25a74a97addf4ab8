/**
 * The v3 suite against a slow aggregate: the embedded reference AM with the `slow` personality (single-threaded,
 * 150 ms per credential a call carries; `--credential-check-ms MS` to change it), run in-process by the engine,
 * the way `geni-harness run --personality slow --suite am3` runs it:
 *   1. with the default settings: --concurrency auto (the probe decides; a single-threaded aggregate gets 2) and
 *      the default property budget (--fuzz-time 30 s, shared as a pool, at least 3 inputs per property);
 *   2. serial (--concurrency 1), when the default chose more than 1; and at `--concurrency N` when given;
 *   3. unless --skip-before: without sharing (every case its own fixtures and advertisement, as before issue #11),
 *      serial, same property budget: the calls per case before and after.
 * Prints wall time, calls in all / per example case / per property input, the aggregate's own time spent on
 * purpose (its credential checks), the ratios, the issue's 2-minute goal, and whether the verdicts agree.
 * `npx tsx bench/slow-suite.ts [--credential-check-ms 150] [--concurrency N] [--skip-before]`
 */
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startEmbeddedTarget } from '../src/cli/embedded-target';
import { resolveConfig } from '../src/config';
import { defaultConcurrency } from '../src/runner/concurrency';
import { countPropertyCases, propertyBudget } from '../src/runner/fuzz-budget';
import { loadCases, selectCases } from '../src/runner/registry';
import { runCasesInProcess } from '../src/runner/run';
import { Session } from '../src/runner/session';
import type { CaseResult, FuzzBudget } from '../src/runner/types';

const { values } = parseArgs({
  options: { 'credential-check-ms': { type: 'string', default: '150' }, concurrency: { type: 'string' }, 'skip-before': { type: 'boolean', default: false } },
});
const credentialCheckMs = Number(values['credential-check-ms']);
const cases = selectCases(await loadCases(), { suites: ['am3'] }).filter((c) => c.suites.some((s) => s.name === 'am3'));

interface Settings { fuzz: FuzzBudget; concurrency: number | 'auto'; shareFixtures: boolean }
interface Measured { label: string; seconds: number; results: CaseResult[]; aggregateDelayMs: number; load: number; concurrency: number; why?: string }

async function measure(label: string, settings: Settings): Promise<Measured> {
  const target = await startEmbeddedTarget({ am: { personality: 'slow', credentialCheckMs } });
  const session = Session.open(target.spec, { ledgerPath: join(mkdtempSync(join(tmpdir(), 'gh-bench-')), 'ledger.json'), limits: { callTimeoutMs: 60_000, maxResponseBytes: 64 * 1024 * 1024 } });
  const started = performance.now();
  try {
    // As the vitest host does for --concurrency auto: the probe is part of the run's time.
    const choice = settings.concurrency === 'auto' ? await defaultConcurrency(session, (await session.urlFor(3))!, 3) : undefined;
    const concurrency = choice?.concurrency ?? (settings.concurrency as number);
    const results = await runCasesInProcess(session, cases, {
      strict: false, seed: 1, caseTimeoutMs: 300_000, suites: ['am3'], fuzz: settings.fuzz, login: { enabled: true, waitMs: 5_000 }, concurrency, shareFixtures: settings.shareFixtures,
    });
    return { label, seconds: (performance.now() - started) / 1000, results, aggregateDelayMs: target.am.pace.delayedMs, load: loadavg()[0]!, concurrency, ...(choice && { why: choice.why }) };
  } finally {
    session.close();
    await target.close();
  }
}

const calls = (rs: CaseResult[]) => rs.reduce((n, r) => n + (r.calls ?? 0), 0);
const examplesOf = (m: Measured) => m.results.filter((r) => !r.fuzz);
const perExampleCase = (m: Measured) => calls(examplesOf(m)) / Math.max(1, examplesOf(m).length);

function describe(m: Measured): string[] {
  const props = m.results.filter((r) => r.fuzz);
  const examples = examplesOf(m);
  const inputs = props.reduce((n, r) => n + r.fuzz!.inputs, 0);
  const kinds = Object.entries(m.results.reduce<Record<string, number>>((k, r) => ({ ...k, [r.outcome.kind]: (k[r.outcome.kind] ?? 0) + 1 }), {})).map(([k, n]) => `${n} ${k}`).join(', ');
  const reruns = m.results.filter((r) => r.notes.some((n) => n.startsWith('run again alone'))).length;
  return [
    `${m.label}: ${m.seconds.toFixed(1)} s wall (load average ${m.load.toFixed(1)}), ${m.results.length} cases (${kinds}); concurrency ${m.concurrency}${m.why ? ` (${m.why})` : ''}${reruns > 0 ? `, ${reruns} run again alone` : ''}`,
    `  calls: ${calls(m.results)} in all; ${examples.length} example cases ${calls(examples)} (${perExampleCase(m).toFixed(2)} per case); ` +
      `${props.length} property cases ${calls(props)} for ${inputs} inputs (${(calls(props) / Math.max(1, inputs)).toFixed(1)} per input, fewest inputs ${Math.min(...props.map((r) => r.fuzz!.inputs))})`,
    `  the aggregate waited ${(m.aggregateDelayMs / 1000).toFixed(1)} s on credential checks (${((m.aggregateDelayMs / 1000 / m.seconds) * 100).toFixed(0)}% of the wall time)`,
  ];
}

function sameVerdicts(a: Measured, b: Measured): string {
  const verdict = (rs: CaseResult[]) => new Map(rs.map((r) => [r.id, r.outcome.kind]));
  const first = verdict(a.results);
  const differ = [...verdict(b.results)].filter(([id, kind]) => first.get(id) !== kind).map(([id, kind]) => `${id}: ${first.get(id)} vs ${kind}`);
  return differ.length === 0 ? 'the same verdicts' : `verdicts differ for ${differ.join('; ')}`;
}

const defaults = resolveConfig({}, {});
const budget = () => propertyBudget(defaults.fuzz, countPropertyCases(cases));
console.log(`v3 suite against the slow personality (${credentialCheckMs} ms per credential, one call at a time)`);
const byDefault = await measure(`default settings (--concurrency auto, --fuzz-time ${(defaults.fuzz.runTimeMs ?? 0) / 1000} s pooled, ≥ ${defaults.fuzz.minRuns} inputs each)`, { fuzz: budget(), concurrency: 'auto', shareFixtures: true });
for (const line of describe(byDefault)) console.log(line);
console.log(`  goal: the whole v3 suite in under 120 s with the default settings: ${byDefault.seconds < 120 ? 'met' : 'NOT met'} (${(byDefault.seconds / 120).toFixed(2)} of it)`);

const others: Measured[] = [];
if (byDefault.concurrency !== 1) others.push(await measure('serial (--concurrency 1)', { fuzz: budget(), concurrency: 1, shareFixtures: true }));
if (values.concurrency !== undefined && Number(values.concurrency) !== byDefault.concurrency) {
  others.push(await measure(`--concurrency ${values.concurrency}`, { fuzz: budget(), concurrency: Number(values.concurrency), shareFixtures: true }));
}
for (const m of others) {
  for (const line of describe(m)) console.log(line);
  console.log(`  ratio to the default settings: ${(m.seconds / byDefault.seconds).toFixed(2)}; ${sameVerdicts(byDefault, m)}`);
}

if (!values['skip-before']) {
  const before = await measure('sharing off (every case its own fixtures and advertisement, as before #11), serial', { fuzz: budget(), concurrency: 1, shareFixtures: false });
  for (const line of describe(before)) console.log(line);
  console.log(`ratio default / before: wall ${(byDefault.seconds / before.seconds).toFixed(2)}, calls ${(calls(byDefault.results) / calls(before.results)).toFixed(2)}, ` +
    `calls per example case ${perExampleCase(byDefault).toFixed(2)} vs ${perExampleCase(before).toFixed(2)} (${(perExampleCase(byDefault) / perExampleCase(before)).toFixed(2)}); ${sameVerdicts(byDefault, before)}`);
}
