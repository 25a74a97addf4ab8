import { describe, expect, it } from 'vitest';
import { loadCases } from '../../src/runner/registry';
import { REFERENCE_FAULTS } from '../../src/reference-am';
import { describeNonPassing, runAgainstReference } from './harness-fixture';

// A case that passes against the reference AM must also fail against it with the fault it claims to detect:
// otherwise we have not shown that the harness can see what it says it sees.
const cases = await loadCases();

describe('every reference-AM fault is caught by the cases that claim it', () => {
  it.each(REFERENCE_FAULTS.map((f) => [f.name]))('%s', async (fault) => {
    const detecting = cases.filter((c) => c.detects?.includes(fault));
    expect(detecting.map((c) => c.id), `no case declares detects: ['${fault}']`).not.toEqual([]);
    const results = await runAgainstReference(detecting, { faults: [fault] });
    const notFailing = results.filter((r) => r.outcome.kind !== 'fail');
    expect(describeNonPassing(notFailing).concat(notFailing.filter((r) => r.outcome.kind === 'pass').map((r) => `${r.id} passed`)),
      `with fault ${fault} every detecting case must fail`).toEqual([]);
  }, 120_000);

  it('no case claims a fault that does not exist', () => {
    const known = new Set(REFERENCE_FAULTS.map((f) => f.name));
    const unknown = cases.flatMap((c) => (c.detects ?? []).filter((f) => !known.has(f)).map((f) => `${c.id}: ${f}`));
    expect(unknown).toEqual([]);
  });
});
