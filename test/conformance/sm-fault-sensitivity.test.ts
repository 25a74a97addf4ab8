import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCases } from '../../src/runner/registry';
import { SM_FAULTS } from '../../src/reference-sm';
import { SmFaultFleet, unprovenDetections } from './harness-fixture';

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
