import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAdvertisement, validateRSpec } from '../../src/rspec';
import { isStruct, type XmlRpcValue } from '../../src/xmlrpc';
import { requestFor, sliceOf, startSmWorld, type SmWorld } from './sm-fixture';

let world: SmWorld;
beforeAll(async () => {
  world = await startSmWorld({ peers: 3 });
});
afterAll(async () => {
  await world?.close();
});

const GENI3 = { type: 'GENI', version: '3' };
const value = (raw: XmlRpcValue | undefined): Record<string, XmlRpcValue> => (raw !== undefined && isStruct(raw) && isStruct(raw.value) ? raw.value : {});

describe('the reference SM in front of three peers', () => {
  it('GetVersion: slicemgr, its peers, its GID', async () => {
    const res = await world.am.GetVersion();
    const v = value(res.raw);
    expect(v.interface).toBe('slicemgr');
    expect(Object.keys(v.peers as object)).toEqual(world.peers.peers.map((p) => p.hrn));
    expect(v.gid).toBe(world.sm.gidPem);
  });

  it('ListResources merges three advertisements and adds statistics', async () => {
    const mark = await world.peers.mark();
    const res = await world.am.ListResources(world.userCredentials(), { geni_rspec_version: GENI3, cached: false, call_id: 'lr-1' });
    expect(res.envelope?.geniCode, JSON.stringify(res.raw).slice(0, 2000)).toBe(0);
    const xml = res.envelope!.value as string;
    expect(xml).toContain('<statistics xmlns="" call="ListResources">');
    for (const p of world.peers.peers) expect(xml).toContain(`name="${p.hrn.replace(/\\/g, '\\')}"`);
    const stripped = xml.replace(/<statistics[\s\S]*<\/statistics>/, '');
    expect(validateRSpec(stripped, { expectedType: 'advertisement' }).findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(readAdvertisement(stripped).nodes).toHaveLength(18);
    const calls = await world.peers.received(mark);
    expect(calls.map((c) => c.peer).sort()).toEqual([0, 1, 2]);
    expect(calls.every((c) => isStruct(c.params[1]) && c.params[1].call_id === 'lr-1')).toBe(true);
    expect(calls.every((c) => c.callerUrn === world.sm.urn)).toBe(true);
  });

  it('a repeated call_id answers the empty value without calling any peer', async () => {
    await world.am.ListResources(world.userCredentials(), { geni_rspec_version: GENI3, cached: false, call_id: 'lr-2' });
    const mark = await world.peers.mark();
    const res = await world.am.ListResources(world.userCredentials(), { geni_rspec_version: GENI3, cached: false, call_id: 'lr-2' });
    expect([res.envelope?.geniCode, res.envelope?.value]).toEqual([0, '']);
    expect(await world.peers.received(mark)).toEqual([]);
  });

  it('Allocate, Renew, Status, Delete across two peers with a delegated credential', async () => {
    const slice = sliceOf(world, 'smlife');
    const creds = world.sliceCredentials(slice);
    const allocated = await world.am.Allocate(slice, creds, requestFor(world, [0, 2]), {});
    expect(allocated.envelope?.geniCode, JSON.stringify(allocated.raw)).toBe(0);
    const slivers = value(allocated.raw).geni_slivers as Array<{ geni_sliver_urn: string }>;
    expect(slivers).toHaveLength(2);
    expect(slivers.map((s) => s.geni_sliver_urn.split('+')[1]).sort()).toEqual([world.peers.peers[0]!.authorityName, world.peers.peers[2]!.authorityName]);
    const expiration = new Date(Date.now() + 1800_000).toISOString();
    const renewed = await world.am.Renew([slice], creds, expiration, {});
    expect(renewed.envelope?.geniCode, JSON.stringify(renewed.raw)).toBe(0);
    expect(renewed.envelope?.value as unknown[]).toHaveLength(2);
    const status = await world.am.Status([slice], creds, {});
    expect((value(status.raw).geni_slivers as unknown[]).length).toBe(2);
    const deleted = await world.am.Delete([slice], creds, {});
    expect(deleted.envelope?.geniCode, JSON.stringify(deleted.raw)).toBe(0);
  });

  it('routes sliver URNs to the aggregate whose authority made them, and refuses one no aggregate knows', async () => {
    const slice = sliceOf(world, 'smroute');
    const creds = world.sliceCredentials(slice);
    const allocated = await world.am.Allocate(slice, creds, requestFor(world, [0, 1]), {});
    const urns = (value(allocated.raw).geni_slivers as Array<{ geni_sliver_urn: string }>).map((s) => s.geni_sliver_urn);
    const ofPeer1 = urns.filter((u) => u.includes(`${world.peers.peers[1]!.authorityName}+sliver`));
    const mark = await world.peers.mark();
    const status = await world.am.Status(ofPeer1, creds, {});
    expect((value(status.raw).geni_slivers as unknown[]).length).toBe(1);
    expect((await world.peers.received(mark)).map((c) => c.peer)).toEqual([1]);
    const unknown = await world.am.Status([`urn:publicid:IDN+elsewhere.example+sliver+x`], creds, {});
    expect(unknown.envelope?.geniCode).toBe(12);
    await world.am.Delete([slice], creds, {});
  });

  it('without a delegated credential the peers refuse the slice call and the SM says so', async () => {
    const slice = sliceOf(world, 'smnodeleg');
    const res = await world.am.Allocate(slice, world.sliceCredentials(slice, false), requestFor(world, [1]), {});
    expect(res.envelope?.geniCode).toBe(22);
    expect(String(res.envelope?.output)).toContain(world.peers.peers[1]!.hrn);
  });

  // No wall-clock bound here (the guide keeps speed goals in bench/): the SM's own per-peer limit (3000 ms in the
  // fixture) must be what ended the wait, as its statistics say, while the client would have waited 60 s.
  it('a hanging peer is reported and the others still answer: the SM\'s per-peer deadline ends the wait', async () => {
    await world.peers.configure(1, { hostile: 'hang' });
    try {
      const mark = await world.peers.mark();
      const res = await world.am.ListResources(world.userCredentials(), { geni_rspec_version: GENI3, cached: false });
      expect(res.envelope?.geniCode).toBe(0);
      const xml = res.envelope!.value as string;
      const hung = world.peers.peers[1]!.hrn;
      const entry = [...xml.matchAll(/<aggregate ([^>]*)>\s*<exc_info name="([^"]*)"/g)].map((m) => ({ attributes: m[1]!, reason: m[2]! }));
      expect(entry.map((e) => /name="([^"]*)"/.exec(e.attributes)?.[1])).toEqual([hung]);
      expect(entry[0]!.attributes).toContain('status="exception"');
      expect(entry[0]!.reason).toBe('TIMEDOUT: no answer within 3000 ms');
      expect(Number(/elapsed="([^"]*)"/.exec(entry[0]!.attributes)?.[1])).toBeGreaterThanOrEqual(3);
      expect((await world.peers.received(mark)).map((c) => c.peer).sort()).toEqual([0, 1, 2]);
      expect(readAdvertisement(xml.replace(/<statistics[\s\S]*<\/statistics>/, '')).nodes).toHaveLength(12);
    } finally {
      await world.peers.reset();
    }
  });
});
