import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCases } from '../../src/runner/registry';
import { REFERENCE_FAULTS } from '../../src/reference-am';
import { CLIENT_ENDPOINT_FAULTS } from '../../src/reference-dynslice-client';
import { SM_FAULTS } from '../../src/reference-sm';
import type { CaseDefinition, CaseResult } from '../../src/runner/types';
import { FaultFleet, unprovenDetections } from './harness-fixture';

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

const unproven = (fault: string, results: CaseResult[]): string[] => unprovenDetections(cases, fault, results);
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

  it('a fault that names the check that sees it is claimed with that check', () => {
    const named = new Map<string, string | undefined>([...REFERENCE_FAULTS, ...CLIENT_ENDPOINT_FAULTS].map((f) => [f.name, f.check]));
    const other = cases.flatMap((c) => (c.detects ?? []).filter((d) => (named.get(d.fault) ?? d.check) !== d.check).map((d) => `${c.id}: ${d.fault} by ${d.check}, not ${named.get(d.fault)}`));
    expect(other).toEqual([]);
  });
});
