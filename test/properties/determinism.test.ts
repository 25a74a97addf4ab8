import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, scratch } from './cli-helpers';

interface ResultsJson { seed: number; cases: Array<{ id: string; outcome: { kind: string }; notes: string[] }> }

/** Verdicts, property seeds and JUnit test names of one CLI run of the property cases with --seed 7. */
function runOnce() {
  const reports = scratch('gh-prop-reports-');
  // Determinism does not depend on how many inputs a property draws: a few keep the test quick.
  const r = cli(['run', '--reports', reports, '--seed', '7', '--fuzz-runs', '4', '--case', 'am3.property.*', '--case', 'am2.property.*']);
  const junit = readFileSync(join(reports, 'junit.xml'), 'utf8');
  const results = JSON.parse(readFileSync(join(reports, 'results.json'), 'utf8')) as ResultsJson;
  return {
    status: r.status,
    output: r.stdout.slice(-2000) + r.stderr.slice(-1000),
    verdicts: results.cases.map((c) => `${c.id} ${c.outcome.kind}`).sort(),
    // "property held for 20 generated inputs (seed N)": the per-case seed derives from the run seed and the id.
    propertySeeds: results.cases.flatMap((c) => c.notes.filter((n) => n.startsWith('property held'))).sort(),
    testNames: [...junit.matchAll(/<testcase [^>]*name="([^"]+)"/g)].map((m) => m[1]!).sort(),
    seed: results.seed,
  };
}

describe('property runs are reproducible from the seed', () => {
  it('two CLI runs with --seed 7 give the same verdicts, property seeds and JUnit test names', () => {
    const a = runOnce();
    const b = runOnce();
    expect(a.status, a.output).toBe(0);
    expect(a.seed).toBe(7);
    expect(a.verdicts.length).toBeGreaterThanOrEqual(17);
    expect(a.verdicts.every((v) => v.endsWith(' pass'))).toBe(true);
    expect(a.propertySeeds.length).toBe(a.verdicts.length);
    expect(b.verdicts).toEqual(a.verdicts);
    expect(b.propertySeeds).toEqual(a.propertySeeds);
    expect(b.testNames).toEqual(a.testNames);
  }, 300_000);
});
