import { describe, expect, it } from 'vitest';
import type { AmCaseContext } from '../../src/runner/am-suites';
import type { SliceFixture } from '../../src/runner/fixtures-types';
import { settledStatus } from '../../suites/v3/sliver-steps';

/**
 * settledStatus (suites/v3/sliver-steps.ts) polls Status until no sliver is in a wait state. The spec sets no time
 * for leaving one ("geni_pending_allocation: A wait state"), and real testbeds take minutes to boot a node: slivers
 * still waiting when the poll ends make the case a skip naming their states, never a verdict on where they settle.
 */
class Skipped extends Error {}

function contextAnswering(states: string[][]): { t: AmCaseContext; calls: () => number } {
  let calls = 0;
  const t = {
    am: {
      Status: async () => {
        const now = states[Math.min(calls, states.length - 1)]!;
        calls += 1;
        const raw = { code: { geni_code: 0 }, value: { geni_slivers: now.map((state, i) => ({ geni_sliver_urn: `urn:publicid:IDN+test+sliver+${i}`, geni_operational_status: state })) }, output: '' };
        return { raw, envelope: { geniCode: 0, value: raw.value, output: '' }, exchangeId: `x${calls}` };
      },
    },
    skip: (reason: string): never => {
      throw new Skipped(reason);
    },
  } as unknown as AmCaseContext;
  return { t, calls: () => calls };
}

const SLICE = { urn: 'urn:publicid:IDN+test+slice+s', credentials: [] } as unknown as SliceFixture;

describe('settledStatus', () => {
  it('returns the first answer in which no sliver waits', async () => {
    const { t, calls } = contextAnswering([['geni_configuring', 'geni_ready'], ['geni_ready', 'geni_ready']]);
    const res = await settledStatus(t, SLICE, { timeoutMs: 10_000 });
    expect(res.exchangeId).toBe('x2');
    expect(calls()).toBe(2);
  });

  it('waits out a state the advertised machine gives a <wait>, and returns on its resting state', async () => {
    const advertised = {
      machines: [{ sliverTypes: [], states: [{ name: 'booting', actions: [], waits: [{ type: 'geni_success', next: 'up' }] }, { name: 'up', actions: [], waits: [] }] }],
      sliverTypes: new Map<string, string>(),
    };
    const { t, calls } = contextAnswering([['booting'], ['booting'], ['up']]);
    expect((await settledStatus(t, SLICE, { timeoutMs: 10_000, advertised })).exchangeId).toBe('x3');
    // Without the advertisement the same state is not one to wait for: the first answer is judged.
    const plain = contextAnswering([['booting'], ['up']]);
    expect((await settledStatus(plain.t, SLICE, { timeoutMs: 10_000 })).exchangeId).toBe('x1');
    expect(calls()).toBe(3);
  });

  it('skips at the deadline when slivers are still in an advertised wait state', async () => {
    const advertised = { machines: [{ sliverTypes: [], states: [{ name: 'imaging', actions: [], waits: [{ type: 'geni_success' }] }] }], sliverTypes: new Map<string, string>() };
    const { t } = contextAnswering([['imaging']]);
    await expect(settledStatus(t, SLICE, { timeoutMs: 1, advertised })).rejects.toThrow(/still in wait state imaging/);
  });

  it('skips, naming the states, when slivers still wait at the deadline', async () => {
    const { t } = contextAnswering([['geni_configuring', 'geni_pending_allocation', 'geni_ready']]);
    await expect(settledStatus(t, SLICE, { timeoutMs: 1 })).rejects.toThrow(
      /^precondition: after 0 s 2 sliver\(s\) are still in wait state geni_configuring, geni_pending_allocation \(Status, exchange x\d+\); the spec sets no time for leaving one/,
    );
  });
});
