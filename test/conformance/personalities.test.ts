import { describe, expect, it } from 'vitest';
import { loadCases } from '../../src/runner/registry';
import type { CaseResult } from '../../src/runner/types';
import { describeNonPassing, runAgainstReference } from './harness-fixture';

/**
 * The cases that build requests from the aggregate's advertisement, against reference AMs shaped like real ones
 * (personalities): whatever the aggregate offers, a request is built or the case is skipped with the reason,
 * never an error. The whole suite against each personality is `scripts/personalities.ts` (too long for npm test).
 */
const REQUEST_BUILDERS = ['lifecycle.*', 'am1.createsliver.manifest-covers-request', 'am2.createsliver.manifest-covers-request', 'am2.createsliver.unbound-request'];

async function requestBuilders() {
  const patterns = REQUEST_BUILDERS.map((p) => new RegExp(`^${p.replace(/\./g, '\\.').replace(/\*/g, '.*')}$`));
  return (await loadCases()).filter((c) => patterns.some((p) => p.test(c.id)));
}

describe('cases that build requests, against personalities', () => {
  it('sparse (no sliver types in the advertisement): every one passes, requests name no sliver_type', async () => {
    const cases = await requestBuilders();
    const results = await runAgainstReference(cases, { am: { personality: 'sparse' } });
    expect(results.length).toBe(9);
    expect(describeNonPassing(results)).toEqual([]);
  }, 600_000);

  it('v1-sfa (v1 only, SFA and ProtoGENI 2 formats): reserves in ProtoGENI 2 and ends with no error', async () => {
    const cases = await requestBuilders();
    const results = await runAgainstReference(cases, { am: { personality: 'v1-sfa' } });
    // Only the v1 suite is offered: the v2 and v3 variants are not run at all.
    expect(results.map((r) => r.suite)).toEqual(results.map(() => 'am1'));
    expect(results.map((r) => `${r.id} ${r.outcome.kind}`)).toEqual(expect.arrayContaining([
      'lifecycle.reserve-status-release pass', 'am1.createsliver.manifest-covers-request pass',
    ]));
    expect(describeNonPassing(results).filter((line) => / error: /.test(line))).toEqual([]);
  }, 600_000);

  it('own-states (operational states of its own, declared in its advertisement): the cases that judge operational states all pass', async () => {
    // Provision's settled state, geni_start then geni_stop through their wait states (readySlice settles in between), and
    // the whole life cycle; the rest of the suite against it is scripts/personalities.ts.
    const judging = ['am3.provision.operational-state-settles', 'am3.poa.stop-makes-notready', 'am3.lifecycle.one-node'];
    const cases = (await loadCases()).filter((c) => judging.includes(c.id));
    const results = await runAgainstReference(cases, { am: { personality: 'own-states' }, suites: ['am3'] });
    expect(results.map((r) => `${r.id} ${r.outcome.kind}`).sort()).toEqual(judging.map((id) => `${id} pass`).sort());
    // Not vacuous: the slivers showed the aggregate's own states, which the standard rules alone fail.
    const seen = JSON.stringify(results.flatMap((r) => r.exchanges));
    expect(seen).toMatch(/vm_stopped|pc_off/);
    expect(seen).toMatch(/vm_booting|pc_booting/);
  }, 600_000);

  it('three-node whose refused Allocate keeps its nodes: one capacity-returned finding where it happened, later cases that need nodes skip naming it', async () => {
    const all = await loadCases();
    const byId = (id: string) => all.find((c) => c.id === id)!;
    // The refusal first, then a case that needs a node: the order of the list is the order of the run.
    const cases = [byId('am3.allocate.beyond-capacity-refused'), byId('lifecycle.reserve-status-release')];
    const results = await runAgainstReference(cases, { am: { personality: 'three-node' }, faults: ['refused-allocate-keeps-nodes'], suites: ['am3'] });
    expect(results.map((r) => `${r.id} ${r.outcome.kind}`)).toEqual(['am3.allocate.beyond-capacity-refused fail', 'lifecycle.reserve-status-release skip']);
    const [refused, later] = results as [CaseResult, CaseResult];
    if (refused.outcome.kind !== 'fail' || later.outcome.kind !== 'skip') return;
    expect(refused.outcome.findings.map((f) => f.check)).toEqual(['capacity-returned']);
    expect(refused.outcome.findings[0]!.actual).toMatch(/^a refused Allocate left 3 nodes unavailable/);
    // The advertisement shared before the loss is not reused: the later case sees the nodes gone and says why.
    expect(later.outcome.reason).toMatch(/^the advertisement lists no available nodes.*; earlier in this run a refused reservation left 3 nodes unavailable \(finding capacity-returned of am3\.allocate\.beyond-capacity-refused@am3\)$/);
  }, 600_000);
});
