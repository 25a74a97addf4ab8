import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCases } from '../../src/runner/registry';
import { SM_FAULTS } from '../../src/reference-sm';
import { AM3_CASES, NOT_FOR_SM, smIdOf } from '../../suites/sm/v3-contract.cases';
import { SmFaultFleet, describeNonPassing, unprovenDetections } from './harness-fixture';

// A case that passes against the reference SM must also fail against it with the SM fault it claims to detect
// (the reference-AM faults are proved in fault-sensitivity.test.ts). Each fault gets a reference SM of its own in
// front of one shared set of peer aggregates; the cases are looked for in suite sm.
const cases = await loadCases();
let fleet: SmFaultFleet;
beforeAll(async () => {
  fleet = await SmFaultFleet.start();
});
afterAll(() => fleet?.close());

describe('every reference-SM fault is caught by the cases that claim it', () => {
  it.each(SM_FAULTS.map((f) => [f.name]))('%s', async (fault) => {
    const detecting = cases.filter((c) => c.detects?.some((d) => d.fault === fault));
    expect(detecting.map((c) => c.id), `no case declares it detects ${fault}`).not.toEqual([]);
    const results = await fleet.run(fault, detecting);
    expect(results.length).toBe(detecting.length);
    expect(unprovenDetections(cases, fault, results), `with fault ${fault} every detecting case must fail with the check it names`).toEqual([]);
  }, 600_000);
});

// The v3 cases the sm suite reuses (suites/sm/v3-contract.cases.ts). The whole set runs in the CLI's default run
// (test/cli/run.test.ts leaves it out to keep the test tier's cost flat); here, on the fleet's peers, a subset that
// covers what the merged view and the reference SM's v3 behaviour change: RSpecs validated with <statistics> set
// aside, manifests compressed by the SM, sliver URNs unknown to their aggregate, geni_rspec_version required, the
// life cycle with credentials delegated to the SM, a credential refusal on a shared reserved slice, Shutdown.
describe('the AM API v3 contract as the slice manager presents it', () => {
  it('every am3 case runs in suite sm as sm.v3.*, or says why it cannot apply to a slice manager', () => {
    const ids = new Set(cases.map((c) => c.id));
    expect(AM3_CASES.length).toBe(cases.filter((c) => c.suites.some((s) => s.name === 'am3')).length);
    for (const c of AM3_CASES) {
      if (NOT_FOR_SM[c.id] !== undefined) expect(ids.has(smIdOf(c.id)), c.id).toBe(false);
      else expect(cases.find((d) => d.id === smIdOf(c.id))?.suites.map((s) => s.name), c.id).toEqual(['sm']);
    }
    expect(Object.keys(NOT_FOR_SM).filter((id) => !AM3_CASES.some((c) => c.id === id))).toEqual([]);
    expect(Object.values(NOT_FOR_SM).every((why) => why.length > 40)).toBe(true);
  });

  it('a subset passes against the reference SM under --strict, judged with the merged view', async () => {
    const wanted = [
      'listresources.valid-advertisement', 'describe.manifest-valid', 'describe.compressed-round-trip', 'describe.unknown-sliver',
      'provision.requires-rspec-version', 'lifecycle.reserve-status-release', 'credentials.describe-expired', 'shutdown.returns-true',
    ].map((id) => `sm.v3.${id}`);
    const subset = cases.filter((c) => wanted.includes(c.id));
    expect(subset.map((c) => c.id).sort()).toEqual([...wanted].sort());
    const results = await fleet.run(undefined, subset, { strict: true });
    expect(describeNonPassing(results)).toEqual([]);
    // The finding-free verdict says what it set aside: the SM's own <statistics>.
    const manifest = results.find((r) => r.id === 'sm.v3.describe.manifest-valid')!;
    expect(manifest.notes.join('\n')).toMatch(/set aside 1 <statistics> element/);
  }, 600_000);
});
