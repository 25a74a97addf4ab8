import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCases } from '../../src/runner/registry';
import { REFERENCE_FAULTS } from '../../src/reference-am';
import { CLIENT_ENDPOINT_FAULTS } from '../../src/reference-dynslice-client';
import { SM_FAULTS } from '../../src/reference-sm';
import type { CaseDefinition, CaseResult } from '../../src/runner/types';
import { describeNonPassing, FaultFleet, runAgainstReference } from './harness-fixture';

// A case that passes against the reference AM must also fail against it with the fault it claims to detect:
// otherwise we have not shown that the harness can see what it says it sees. Every fault gets an aggregate of its
// own (with only that fault on); the aggregates share one server and one test authority. A fault is looked for
// in the suites of the API versions it models (fault.api): a v1-only fault is not expected to show in v3.
const cases = await loadCases();
/**
 * The reference AM's own faults; the dynslice server's and the reference client endpoint's are proved by
 * dynslice-fault-sensitivity.test.ts (their suites are not AM API versions).
 */
const FAULTS = REFERENCE_FAULTS.filter((f) => f.suite === undefined);

const detectingCases = (fault: string): Array<CaseDefinition<unknown>> => cases.filter((c) => c.detects?.some((d) => d.fault === fault));

/**
 * Why a result does not prove the fault: it did not fail, or it failed without a finding of the check its case names
 * for this fault (some other check fired, which proves nothing about the one it claims). Empty when it proves it.
 */
function unproven(fault: string, results: CaseResult[]): string[] {
  const notFailing = results.filter((r) => r.outcome.kind !== 'fail');
  const wrongReason = results.filter((r) => r.outcome.kind === 'fail').flatMap((r) => {
    const want = cases.find((c) => c.id === r.id)?.detects?.find((d) => d.fault === fault)?.check;
    const fired = r.outcome.kind === 'fail' ? [...new Set(r.outcome.findings.map((f) => f.check))] : [];
    return want !== undefined && fired.includes(want) ? [] : [`${r.id}@${r.suite}: expected a ${String(want)} finding, got ${fired.join(', ')}`];
  });
  return [...describeNonPassing(notFailing), ...notFailing.filter((r) => r.outcome.kind === 'pass').map((r) => `${r.id} passed`), ...wrongReason];
}
let fleet: FaultFleet;
beforeAll(async () => {
  fleet = await FaultFleet.start(FAULTS.map((f) => f.name));
});
afterAll(() => fleet.close());

describe('every reference-AM fault is caught by the cases that claim it', () => {
  it.each(FAULTS.map((f) => [f.name, f.api] as const))('%s', async (fault, apis) => {
    const detecting = detectingCases(fault);
    expect(detecting.map((c) => c.id), `no case declares it detects ${fault}`).not.toEqual([]);
    const suites = [...new Set(detecting.flatMap((c) => c.suites))].filter((s) => s.api !== undefined && apis.includes(s.api)).map((s) => s.name);
    expect(suites, `no detecting case runs in a suite of AM API ${apis.join(', ')}`).not.toEqual([]);
    // A SHOULD case fails only under --strict (otherwise its findings warn): it is run strict here.
    const must = detecting.filter((c) => c.level === 'MUST');
    const should = detecting.filter((c) => c.level === 'SHOULD');
    const results = [
      ...(must.length > 0 ? await fleet.run(fault, must, { suites }) : []),
      ...(should.length > 0 ? await fleet.run(fault, should, { suites, strict: true }) : []),
    ];
    expect(unproven(fault, results), `with fault ${fault} every detecting case must fail with the check it names`).toEqual([]);
  }, 600_000);

  it('no case claims a fault that does not exist', () => {
    const known = new Set([...REFERENCE_FAULTS, ...SM_FAULTS, ...CLIENT_ENDPOINT_FAULTS].map((f) => f.name));
    const unknown = cases.flatMap((c) => (c.detects ?? []).filter((d) => !known.has(d.fault)).map((d) => `${c.id}: ${d.fault}`));
    expect(unknown).toEqual([]);
  });
});

// A reference-SM fault needs a slice manager of its own in front of its peers: one embedded SM testbed per fault,
// looked for in suite sm.
describe('every reference-SM fault is caught by the cases that claim it', () => {
  it.each(SM_FAULTS.map((f) => [f.name]))('%s', async (fault) => {
    const detecting = detectingCases(fault);
    expect(detecting.map((c) => c.id), `no case declares it detects ${fault}`).not.toEqual([]);
    const results = await runAgainstReference(detecting, { faults: [fault], suites: ['sm'], shrink: false });
    expect(results.length).toBe(detecting.length);
    expect(unproven(fault, results), `with fault ${fault} every detecting case must fail with the check it names`).toEqual([]);
  }, 600_000);
});
