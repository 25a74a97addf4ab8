import { beforeAll, describe, expect, it } from 'vitest';
import { REFERENCE_FAULTS } from '../../../src/reference-am';
import type { DynsliceFaultName } from '../../../src/reference-am/dynslice/faults';
import { mintIdentities, type Identities } from '../aggregate-fixture';
import { DynsliceUnderTest, waits } from './fixture';

let ids: Identities;
beforeAll(() => {
  ids = mintIdentities('dynslice-faults.test');
});

const pendingWaits = (ds: DynsliceUnderTest) => waits(ds.client.of('NotifyDeletePending')).map((w) => w[0]);

/** A reclaim of one node with defwaittime 30 s and a 10 s tick, run to its end. */
async function countdownOfOne(ds: DynsliceUnderTest, options: { defwaittime?: number } = {}): Promise<void> {
  ds.allocate(['a']);
  ds.register({ defwaittime: options.defwaittime ?? 30 });
  ds.server.reclaim(ids.slice);
  await ds.scheduler.advance(60_000);
}

/** For each dynslice fault: what the server visibly does wrong with it switched on (each throws without it). */
const DEVIATIONS: Record<DynsliceFaultName, (ds: DynsliceUnderTest) => void | Promise<void>> = {
  'dynslice-getversion-struct': (ds) => expect(ds.call('GetVersion').value).toEqual({ version: 1 }),
  'dynslice-defwaittime-over-max': (ds) => expect(ds.register({ defwaittime: 61 }).code).toBe(0),
  'dynslice-options-skip-bound': (ds) => {
    ds.register();
    expect(ds.sliceCall('SetSliceClientOptions', { defwaittime: 61 }).code).toBe(0);
  },
  'dynslice-unknown-policy-accepted': (ds) => expect(ds.register({ policy: 'FIFO' }).code).toBe(0),
  'dynslice-values-out-of-range': (ds) => {
    ds.allocate(['a']);
    ds.register({ policy: 'CLIENT' });
    expect(ds.sliceCall('SetSliceResourceValues', { values: [{ client_id: 'a', value: 1.5 }] }).code).toBe(0);
    expect(ds.client.of('SetResourceValues').at(-1)!.nodelist[0]!.value).toBe(1.5);
  },
  'dynslice-client-id-before-node-id': (ds) => {
    ds.allocate(['a']);
    expect(ds.sliceCall('SetSliceResourceValues', { values: [{ node_id: 'nowhere', client_id: 'a', value: 0.5 }] }).code).toBe(0);
  },
  'dynslice-accepts-non-member': (ds) => {
    ds.allocate(['a']);
    expect(ds.sliceCall('SetSliceResourceValues', { values: [{ client_id: 'nobody', value: 0.5 }] }).code).toBe(0);
  },
  'dynslice-skips-slice-check': (ds) => expect(ds.register({ credentials: ds.am.sliceCredential({ slice: ids.otherSlice }) }).code).toBe(0),
  'dynslice-countdown-goes-up': async (ds) => {
    await countdownOfOne(ds, { defwaittime: 40 });
    expect(pendingWaits(ds)).toEqual([10, 20, 30, 40, 50]);
  },
  'dynslice-first-wait-is-max': async (ds) => {
    await countdownOfOne(ds);
    expect(pendingWaits(ds)[0]).toBe(60);
  },
  'dynslice-reclaims-early': async (ds) => {
    await countdownOfOne(ds);
    expect(ds.client.of('NotifyDeleteComplete')[0]!.at).toBe(10_000);
  },
  'dynslice-ignores-release': async (ds) => {
    ds.allocate(['a']);
    ds.register({ defwaittime: 30 });
    ds.client.release([ds.nodeIds().get('a')!]);
    ds.server.reclaim(ids.slice);
    await ds.scheduler.advance(20_000);
    expect(ds.heldClientIds()).toEqual(['a']);
  },
  'dynslice-notifies-after-remove': async (ds) => {
    ds.allocate(['a']);
    ds.register({ defwaittime: 30 });
    ds.sliceCall('RemoveSliceClientEndpoint');
    ds.server.reclaim(ids.slice);
    await ds.scheduler.advance(60_000);
    expect(ds.client.sent.length).toBeGreaterThan(1);
  },
  'dynslice-complete-before-pending': async (ds) => {
    await countdownOfOne(ds);
    expect(ds.client.sent.filter((c) => c.method !== 'SetResourceValues')[0]!.method).toBe('NotifyDeleteComplete');
  },
  'dynslice-lifo-inverted': (ds) => {
    ds.allocate(['old', 'new']);
    ds.register({ policy: 'LIFO' });
    const values = Object.fromEntries(ds.client.of('SetResourceValues')[0]!.nodelist.map((e) => [e.client_id, e.value as number]));
    expect(values.new).toBeGreaterThan(values.old!);
  },
  'dynslice-garbage-as-release': async (ds) => {
    ds.allocate(['a']);
    ds.register({ defwaittime: 30 });
    ds.client.answer = () => ({ kind: 'unreadable', reason: 'HTTP 502' });
    ds.server.reclaim(ids.slice);
    await ds.scheduler.advance(1_000);
    expect(ds.heldClientIds()).toEqual([]);
  },
  'dynslice-defwaittime-at-max-refused': (ds) => expect(ds.register({ defwaittime: 60 }).code).not.toBe(0),
  'dynslice-options-without-registration': (ds) => expect(ds.sliceCall('SetSliceClientOptions', { policy: 'LIFO' }).code).toBe(0),
  'dynslice-register-requires-policy': (ds) => expect(ds.register().code).not.toBe(0),
  'dynslice-options-neither-refused': (ds) => {
    ds.register();
    expect(ds.sliceCall('SetSliceClientOptions').code).not.toBe(0);
  },
  'dynslice-remove-twice-crashes': (ds) => {
    ds.register();
    ds.sliceCall('RemoveSliceClientEndpoint');
    expect(() => ds.sliceCall('RemoveSliceClientEndpoint')).toThrow(/KeyError/);
  },
  'dynslice-unset-value-zero': (ds) => {
    ds.allocate(['a']);
    ds.register({ policy: 'CLIENT' });
    expect(ds.client.of('SetResourceValues')[0]!.nodelist[0]!.value).toBe(0);
  },
  'dynslice-policies-names-only': (ds) => expect(ds.call('ListSliceResourceValuePolicies').value).toEqual(['CLIENT', 'LIFO']),
  'dynslice-lists-client-only': (ds) => expect((ds.call('ListSliceResourceValuePolicies').value as string[][]).map((p) => p[0])).toEqual(['CLIENT']),
  'dynslice-default-policy-lowercase': (ds) => expect(ds.call('GetServerDefaults').value).toMatchObject({ policy: 'lifo' }),
  'dynslice-maxwaittime-as-string': (ds) => expect(ds.call('GetServerDefaults').value).toMatchObject({ maxwaittime: '60' }),
  'dynslice-ignores-tick': async (ds) => {
    await countdownOfOne(ds);
    expect(ds.client.of('NotifyDeletePending').length).toBeGreaterThan(5);
  },
};

const NAMES = REFERENCE_FAULTS.filter((f) => f.suite === 'dynslice').map((f) => f.name as DynsliceFaultName);

describe('reference dynslice server faults change behaviour when switched on', () => {
  it('has at least ten faults, each with a description, the check that sees it, and a deviation test', () => {
    expect(NAMES.length).toBeGreaterThanOrEqual(10);
    expect(Object.keys(DEVIATIONS).sort()).toEqual([...NAMES].sort());
    for (const f of REFERENCE_FAULTS.filter((x) => x.suite === 'dynslice')) {
      expect(f.description.length).toBeGreaterThan(20);
      expect(f.check).toMatch(/^[a-z-]+$/);
      expect(f.api).toEqual([]);
    }
  });

  it.each(NAMES)('%s', async (name) => {
    await DEVIATIONS[name](new DynsliceUnderTest(ids, { faults: [name] }));
  });

  it.each(NAMES)('%s is not the default behaviour', async (name) => {
    await expect(async () => DEVIATIONS[name](new DynsliceUnderTest(ids))).rejects.toThrow();
  });
});
