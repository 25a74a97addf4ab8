import { describe, expect, it } from 'vitest';
import { loadCases } from '../../src/runner/registry';
import { PROPERTY_RUNS } from '../helpers/property-runs';
import { describeNonPassing, runAgainstReference } from './harness-fixture';

// The reference AM is the proof that the suites are right: every case must pass against it, under --strict too.
// The default configuration runs through the real CLI (test/cli/cli.test.ts, "passes every case of every suite
// under --strict"); this file runs the other configurations, each once.
describe('every case against the reference AM, in its other configurations', () => {
  // The cases read the advertised geni_allocate and geni_single_allocation and expect what each mode implies;
  // this run takes the other branch of those tables (the ProtoGENI-style combination). Both are v3 settings (the
  // reference AM's v1 and v2 behave the same in either mode), so the v3 suite is the one that runs here.
  it('passes under --strict against a geni_single, geni_single_allocation aggregate too', async () => {
    const cases = (await loadCases()).filter((c) => c.tags.some((t) => ['allocate', 'single-sliver', 'renew', 'delete', 'describe', 'status', 'provision'].includes(t)));
    const results = await runAgainstReference(cases, { strict: true, am: { allocate: 'geni_single', singleAllocation: true }, suites: ['am3'], fuzzRuns: PROPERTY_RUNS });
    expect(results.length).toBe(cases.filter((c) => c.suites.some((s) => s.name === 'am3')).length);
    expect(describeNonPassing(results)).toEqual([]);
  }, 900_000);
});
