import { describe, expect, it } from 'vitest';
import { loadCases } from '../../src/runner/registry';
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
});
