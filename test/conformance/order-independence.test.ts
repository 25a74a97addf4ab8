import { describe, expect, it } from 'vitest';
import { loadCases } from '../../src/runner/registry';
import type { CaseResult } from '../../src/runner/types';
import { runAgainstReference } from './harness-fixture';

/**
 * A run's verdicts never depend on the order of its cases, nor on the calls the harness saves (issue #11): the run
 * shares one advertisement among the cases that start holding nothing and releases slices nothing was allocated in
 * without a call, and neither may change what a case sees. The v3 cases that build requests and hold slivers, run
 * forwards and backwards against the three-node personality (one sliver per node, advertised as shared: where a
 * stale view of what is available shows first), give the verdicts, case by case and with the same findings, of a
 * run that shares nothing; and so do they run three at a time (--concurrency 3), where cases in flight together take
 * the three nodes from one another and the scheduler runs such a case again alone.
 */
const AREAS = /^(am3\.(allocate|describe|status|delete|single-sliver|credentials\.describe)|credentials\.(status|describe|release)|lifecycle\.)/;

function verdicts(results: CaseResult[]): string[] {
  return results
    .map((r) => {
      const o = r.outcome;
      const checks = o.kind === 'fail' || o.kind === 'warn' ? ` [${o.findings.map((f) => f.check).sort().join(',')}]` : '';
      return `${r.id} ${o.kind}${checks}`;
    })
    .sort();
}

describe('verdicts do not depend on case order, shared fixtures or cases at once', () => {
  it('v3 sliver cases forwards, backwards, sharing nothing and three at once, against the three-node personality', async () => {
    const cases = (await loadCases()).filter((c) => AREAS.test(c.id) && c.suites.some((s) => s.name === 'am3') && !c.tags.includes('property'));
    expect(cases.length).toBeGreaterThan(40);
    const options = { am: { personality: 'three-node' }, suites: ['am3'] };
    const forwards = await runAgainstReference(cases, options);
    const backwards = await runAgainstReference([...cases].reverse(), options);
    const unshared = await runAgainstReference(cases, { ...options, shareFixtures: false });
    // A small delay per credential keeps calls in flight long enough for the aggregate to see them overlap.
    let mostAtOnce = 0;
    const concurrent = await runAgainstReference(cases, {
      ...options, am: { ...options.am, credentialCheckMs: 5 }, concurrency: 3, afterRun: (target) => { mostAtOnce = target.am.pace.maxInFlight; },
    });
    expect(forwards.length).toBe(cases.length);
    expect(verdicts(forwards)).toEqual(verdicts(unshared));
    expect(verdicts(backwards)).toEqual(verdicts(unshared));
    expect(verdicts(concurrent)).toEqual(verdicts(unshared));
    // Reported in plan order, and they did run at once.
    expect(concurrent.map((r) => r.id)).toEqual(forwards.map((r) => r.id));
    expect(mostAtOnce).toBeGreaterThan(1);
    // The saving is real: fewer calls than the run that shares nothing.
    const calls = (rs: CaseResult[]) => rs.reduce((n, r) => n + (r.calls ?? 0), 0);
    expect(calls(forwards)).toBeLessThan(calls(unshared));
    // Not vacuous: most of them ran to a verdict (a run of skips would agree with anything).
    expect(forwards.filter((r) => r.outcome.kind === 'pass').length).toBeGreaterThan(cases.length / 2);
  }, 900_000);
});
