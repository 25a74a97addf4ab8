import { describe, expect, it } from 'vitest';
import { loadCases } from '../../src/runner/registry';
import { describeNonPassing, runAgainstReference } from './harness-fixture';

// The reference AM is the proof that the suites are right: every case must pass against it, under --strict too
// (so preferred error codes and SHOULD-level requirements hold as well).
describe('every case against the reference AM', () => {
  it('passes under --strict, with no errors, warnings, skips or unsupported outcomes', async () => {
    const cases = await loadCases();
    expect(cases.filter((c) => c.suites.some((s) => s.name === 'am3')).length).toBeGreaterThanOrEqual(120);
    const results = await runAgainstReference(cases, { strict: true });
    // The reference AM advertises v1, v2 and v3: every case runs once in each suite it belongs to.
    expect(results.length).toBe(cases.reduce((n, c) => n + c.suites.length, 0));
    expect(describeNonPassing(results)).toEqual([]);
  }, 600_000);

  // The cases read the advertised geni_allocate and geni_single_allocation and expect what each mode implies;
  // this run takes the other branch of those tables (the ProtoGENI-style combination).
  it('passes under --strict against a geni_single, geni_single_allocation aggregate too', async () => {
    const cases = (await loadCases()).filter((c) => c.tags.some((t) => ['allocate', 'single-sliver', 'renew', 'delete', 'describe', 'status', 'provision'].includes(t)));
    const results = await runAgainstReference(cases, { strict: true, am: { allocate: 'geni_single', singleAllocation: true } });
    expect(describeNonPassing(results)).toEqual([]);
  }, 600_000);
});
