import { beforeAll, describe, expect, it } from 'vitest';
import { createTestAuthority, mintSliceCredential, sfaCredentialStruct } from '../../../src/credentials';
import { XmlRpcFault } from '../../../src/server';
import { mintIdentities, type Identities } from '../aggregate-fixture';
import { DynsliceUnderTest, ENDPOINT, waits } from './fixture';

let ids: Identities;
beforeAll(() => {
  ids = mintIdentities('dynslice-server.test');
});

describe('reference dynslice server: the server API (seed 002)', () => {
  it('GetVersion is an integer; GetServerDefaults has maxwaittime, policy and the test hook', () => {
    const ds = new DynsliceUnderTest(ids);
    expect(ds.call('GetVersion')).toEqual({ code: 0, value: 1, output: '' });
    expect(ds.call('GetServerDefaults').value).toEqual({ maxwaittime: 60, policy: 'LIFO', geniharness_test_hooks: { reclaim: 'GeniHarnessReclaim', tick: 10, step: 'GeniHarnessTick' } });
  });

  it('ListSliceResourceValuePolicies lists CLIENT and LIFO as (name, description) pairs', () => {
    const list = new DynsliceUnderTest(ids).call('ListSliceResourceValuePolicies').value as string[][];
    expect(list.map((p) => p[0])).toEqual(['CLIENT', 'LIFO']);
    for (const pair of list) expect(pair).toHaveLength(2);
  });

  it('takes arguments as one struct (ProtoGENI) or positionally (the page signature)', () => {
    const ds = new DynsliceUnderTest(ids);
    const positional = ds.server.call('SetSliceClientEndpoint', [ids.slice, ENDPOINT, ds.sliceCredential(), 'CLIENT', 5], ds.am.caller.certPem);
    expect(positional).toEqual({ code: 0, value: 0, output: '' });
    expect(ds.sliceCall('SetSliceClientOptions', { policy: 'LIFO' }).code).toBe(0);
  });

  it('defwaittime equal to maxwaittime is accepted, one second more is refused (BADARGS)', () => {
    const ds = new DynsliceUnderTest(ids);
    expect(ds.register({ defwaittime: 60 }).code).toBe(0);
    expect(ds.register({ defwaittime: 61 }).code).toBe(1);
    expect(ds.sliceCall('SetSliceClientOptions', { defwaittime: 61 }).code).toBe(1);
    expect(ds.sliceCall('SetSliceClientOptions', { defwaittime: 0 }).code).toBe(0);
  });

  it('an unknown policy is refused; options without a registration are SEARCHFAILED', () => {
    const ds = new DynsliceUnderTest(ids);
    expect(ds.sliceCall('SetSliceClientOptions', { policy: 'CLIENT' }).code).toBe(12);
    expect(ds.register({ policy: 'FIFO' }).code).toBe(1);
    expect(ds.register({ policy: 'CLIENT' }).code).toBe(0);
    expect(ds.sliceCall('SetSliceClientOptions', { policy: 'FIFO' }).code).toBe(1);
  });

  it('refuses a URL that is not http(s), and missing arguments, with BADARGS', () => {
    const ds = new DynsliceUnderTest(ids);
    expect(ds.register({ url: 'ftp://x/y' }).code).toBe(1);
    expect(ds.call('SetSliceClientEndpoint', { slice_urn: ids.slice, url: ENDPOINT }).code).toBe(1);
  });

  it('checks credentials as the aggregate does: another slice, expired, untrusted signer are FORBIDDEN', () => {
    const ds = new DynsliceUnderTest(ids);
    const other = ds.am.sliceCredential({ slice: ids.otherSlice });
    expect(ds.register({ credentials: other }).code).toBe(3);
    expect(ds.register({ credentials: ds.am.sliceCredential({ expires: new Date(Date.now() - 60_000) }) }).code).toBe(3);
    const stranger = createTestAuthority({ name: 'stranger.dynslice.test' });
    expect(ds.register({ credentials: [sfaCredentialStruct(mintSliceCredential(stranger, ids.alice, ids.slice))] }).code).toBe(3);
    expect(ds.register().code).toBe(0);
  });

  it('an unknown method is an XML-RPC Fault', () => {
    expect(() => new DynsliceUnderTest(ids).call('NoSuchMethod')).toThrow(XmlRpcFault);
  });

  it('RemoveSliceClientEndpoint is idempotent', () => {
    const ds = new DynsliceUnderTest(ids);
    expect(ds.sliceCall('RemoveSliceClientEndpoint').code).toBe(0);
    ds.register();
    expect(ds.sliceCall('RemoveSliceClientEndpoint').code).toBe(0);
    expect(ds.sliceCall('RemoveSliceClientEndpoint').code).toBe(0);
  });
});

describe('reference dynslice server: resource values', () => {
  it('accepts values in [0, 1] and refuses others (BADARGS), all or nothing', () => {
    const ds = new DynsliceUnderTest(ids);
    ds.allocate(['a']);
    for (const value of [0, 0.5, 1]) expect(ds.sliceCall('SetSliceResourceValues', { values: [{ client_id: 'a', value }] }).code).toBe(0);
    for (const value of [-0.1, 1.01, '0.5']) expect(ds.sliceCall('SetSliceResourceValues', { values: [{ client_id: 'a', value }] }).code).toBe(1);
  });

  it('identifies nodes by node_id, vname, component_urn, client_id, the first present key deciding', () => {
    const ds = new DynsliceUnderTest(ids);
    ds.allocate(['a', 'b']);
    const a = ds.nodeIds().get('a')!;
    const set = (entry: Record<string, unknown>) => ds.sliceCall('SetSliceResourceValues', { values: [{ value: 0.5, ...entry }] as never }).code;
    expect(set({ node_id: a, client_id: 'nobody' })).toBe(0);
    expect(set({ node_id: 'nowhere', client_id: 'a' })).toBe(12);
    expect(set({ vname: 'b', component_urn: 'urn:publicid:IDN+x+node+none' })).toBe(0);
    expect(set({ component_urn: 'urn:publicid:IDN+x+node+none', client_id: 'b' })).toBe(12);
    expect(set({ value: 0.5 })).toBe(1);
  });

  it('under CLIENT the values are told to the endpoint (1.0 where none was set)', () => {
    const ds = new DynsliceUnderTest(ids);
    ds.allocate(['a', 'b']);
    ds.register({ policy: 'CLIENT' });
    ds.sliceCall('SetSliceResourceValues', { values: [{ client_id: 'a', value: 0.25 }] });
    const last = ds.client.of('SetResourceValues').at(-1)!;
    expect(Object.fromEntries(last.nodelist.map((e) => [e.client_id, e.value]))).toEqual({ a: 0.25, b: 1 });
    expect(last.nodelist.every((e) => typeof e.node_id === 'string' && typeof e.component_urn === 'string')).toBe(true);
  });

  it('under LIFO the longest-held node has the highest value', () => {
    const ds = new DynsliceUnderTest(ids);
    ds.allocate(['old', 'mid', 'new']);
    ds.register({ policy: 'LIFO' });
    const values = Object.fromEntries(ds.client.of('SetResourceValues')[0]!.nodelist.map((e) => [e.client_id, e.value as number]));
    expect(values.old).toBeGreaterThan(values.mid!);
    expect(values.mid).toBeGreaterThan(values.new!);
  });
});

describe('reference dynslice server: reclaim countdown (seed 003)', () => {
  it('counts down every tick from defwaittime, then takes the node and says NotifyDeleteComplete', async () => {
    const ds = new DynsliceUnderTest(ids);
    ds.allocate(['a']);
    ds.register({ defwaittime: 30 });
    expect((await ds.hook('GeniHarnessReclaim')).value).toEqual({ node_ids: [ds.nodeIds().get('a')] });
    await ds.scheduler.advance(29_000);
    expect(waits(ds.client.of('NotifyDeletePending'))).toEqual([[30], [20], [10]]);
    expect(ds.heldClientIds()).toEqual(['a']);
    await ds.scheduler.advance(1_000);
    expect(ds.heldClientIds()).toEqual([]);
    const complete = ds.client.of('NotifyDeleteComplete');
    expect(complete.map((c) => [c.at, c.nodelist.map((e) => e.client_id)])).toEqual([[30_000, ['a']]]);
    expect(ds.scheduler.pendingTimers).toBe(0);
  });

  it('takes a released node at once and keeps counting for the others', async () => {
    const ds = new DynsliceUnderTest(ids);
    ds.allocate(['a', 'b']);
    ds.register({ defwaittime: 30, policy: 'CLIENT' });
    const a = ds.nodeIds().get('a')!;
    ds.client.release([a]);
    ds.server.reclaim(ids.slice, { count: 2 });
    await ds.scheduler.advance(0);
    expect(ds.heldClientIds()).toEqual(['b']);
    expect(ds.client.of('NotifyDeleteComplete').map((c) => [c.at, c.nodelist.map((e) => e.node_id)])).toEqual([[0, [a]]]);
    await ds.scheduler.advance(10_000);
    expect(ds.client.of('NotifyDeletePending').at(-1)!.nodelist.map((e) => e.client_id)).toEqual(['b']);
  });

  it('picks the lowest-valued node first under CLIENT, the newest first under LIFO', () => {
    const ds = new DynsliceUnderTest(ids);
    ds.allocate(['a', 'b', 'c']);
    ds.register({ policy: 'CLIENT' });
    ds.sliceCall('SetSliceResourceValues', { values: [{ client_id: 'a', value: 0.1 }] });
    expect(ds.server.reclaim(ids.slice)).toEqual([ds.nodeIds().get('a')]);
    ds.sliceCall('SetSliceClientOptions', { policy: 'LIFO' });
    expect(ds.server.reclaim(ids.slice)).toEqual([ds.nodeIds().get('c')]);
  });

  it('never calls the endpoint after RemoveSliceClientEndpoint; a reclaim then takes nodes silently', async () => {
    const ds = new DynsliceUnderTest(ids);
    ds.allocate(['a', 'b']);
    ds.register({ defwaittime: 30 });
    ds.server.reclaim(ids.slice);
    await ds.scheduler.advance(10_000);
    const before = ds.client.sent.length;
    ds.sliceCall('RemoveSliceClientEndpoint');
    ds.server.reclaim(ids.slice);
    await ds.scheduler.advance(60_000);
    expect(ds.client.sent.length).toBe(before);
    expect(ds.heldClientIds()).toEqual([]);
  });

  it('skips a tick while the previous call is unanswered, and still takes the node at the deadline', async () => {
    const ds = new DynsliceUnderTest(ids);
    ds.allocate(['a']);
    ds.register({ defwaittime: 30 });
    ds.client.answer = () => new Promise(() => undefined) as never;
    ds.server.reclaim(ids.slice);
    await ds.scheduler.advance(30_000);
    expect(ds.client.of('NotifyDeletePending')).toHaveLength(1);
    expect(ds.heldClientIds()).toEqual([]);
  });

  it('a slice without an endpoint loses the node at once, unannounced', () => {
    const ds = new DynsliceUnderTest(ids);
    ds.allocate(['a']);
    ds.server.reclaim(ids.slice);
    expect(ds.heldClientIds()).toEqual([]);
    expect(ds.client.sent).toEqual([]);
  });

  it('announces whole seconds for ticks of a second or more, milliseconds for shorter test ticks', async () => {
    const ds = new DynsliceUnderTest(ids, { settings: { tickSeconds: 0.25 } });
    ds.allocate(['a']);
    ds.register({ defwaittime: 1 });
    ds.server.reclaim(ids.slice);
    await ds.scheduler.advance(1_000);
    expect(waits(ds.client.of('NotifyDeletePending'))).toEqual([[1], [0.75], [0.5], [0.25]]);
    expect(ds.client.of('NotifyDeleteComplete')[0]!.at).toBe(1_000);
  });
});

describe('reference dynslice server: stepped reclaims (GeniHarnessTick moves the countdown one tick per call)', () => {
  const stepped = async (faults: string[] = []) => {
    const ds = new DynsliceUnderTest(ids, { faults });
    ds.allocate(['a']);
    ds.register({ defwaittime: 30 });
    const started = await ds.hook('GeniHarnessReclaim', { stepped: true });
    expect(started.value).toEqual({ node_ids: [ds.nodeIds().get('a')] });
    return ds;
  };
  const tick = async (ds: DynsliceUnderTest) => (await ds.hook('GeniHarnessTick')).value as { counting: string[] };

  it('answers the reclaim once the first notice was answered; only the step hook moves the countdown, one tick a call', async () => {
    const ds = await stepped();
    expect(waits(ds.client.of('NotifyDeletePending'))).toEqual([[30]]);
    // The server's own timers do not move a stepped countdown.
    await ds.scheduler.advance(120_000);
    expect(waits(ds.client.of('NotifyDeletePending'))).toEqual([[30]]);
    expect(await tick(ds)).toEqual({ counting: [ds.nodeIds().get('a')] });
    expect(await tick(ds)).toEqual({ counting: [ds.nodeIds().get('a')] });
    expect(waits(ds.client.of('NotifyDeletePending'))).toEqual([[30], [20], [10]]);
    expect(ds.client.of('NotifyDeleteComplete')).toEqual([]);
    const id = ds.nodeIds().get('a');
    expect(await tick(ds)).toEqual({ counting: [] });
    expect(ds.client.of('NotifyDeleteComplete').map((c) => c.nodelist.map((e) => e.node_id))).toEqual([[id]]);
    expect(ds.heldClientIds()).toEqual([]);
    // Nothing left to move.
    expect(await tick(ds)).toEqual({ counting: [] });
  });

  it('gives the three timing faults the same sequence every time: early reclaim at tick 1, five notices a tick, a countdown that goes up', async () => {
    const early = await stepped(['dynslice-reclaims-early']);
    await tick(early);
    expect(early.client.sent.map((c) => c.method)).toEqual(['SetResourceValues', 'NotifyDeletePending', 'NotifyDeleteComplete']);
    const hurried = await stepped(['dynslice-ignores-tick']);
    await tick(hurried);
    expect(waits(hurried.client.of('NotifyDeletePending'))).toEqual([[30], [28], [26], [24], [22], [20]]);
    const up = await stepped(['dynslice-countdown-goes-up']);
    await tick(up);
    await tick(up);
    expect(waits(up.client.of('NotifyDeletePending'))).toEqual([[10], [20], [30]]);
  });

  it('offers neither the step hook nor stepped reclaims when steppedClock is off', async () => {
    const ds = new DynsliceUnderTest(ids, { settings: { steppedClock: false } });
    expect(ds.call('GetServerDefaults').value).toMatchObject({ geniharness_test_hooks: { reclaim: 'GeniHarnessReclaim', tick: 10 } });
    expect((ds.call('GetServerDefaults').value as Record<string, Record<string, unknown>>).geniharness_test_hooks).not.toHaveProperty('step');
    ds.allocate(['a']);
    await expect(ds.hook('GeniHarnessTick')).rejects.toThrow(/not offered/);
    expect(await ds.hook('GeniHarnessReclaim', { stepped: true })).toMatchObject({ code: 1 });
  });
});
