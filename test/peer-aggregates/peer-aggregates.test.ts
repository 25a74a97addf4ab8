import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AmClient } from '../../src/client';
import { createTestAuthority, mintUser, mintUserCredential, sfaCredentialStruct, type TestAuthority, type UserIdentity } from '../../src/credentials';
import { HarnessError } from '../../src/core';
import {
  aggregatesXml, connectPeerControl, HUGE_ANSWER_BYTES, omniAggregateNicknames, servePeerControl, startPeerAggregates,
  type PeerAggregates, type PeerControlServer,
} from '../../src/peer-aggregates';
import { readAggregatesXml } from '../../src/reference-sm';
import { readAdvertisement } from '../../src/rspec';
import { HttpsTransport } from '../../src/transport';
import { isStruct, type XmlRpcValue } from '../../src/xmlrpc';

let authority: TestAuthority;
let alice: UserIdentity;
let peers: PeerAggregates;
let transport: HttpsTransport;
let control: PeerControlServer;

beforeAll(async () => {
  authority = createTestAuthority();
  alice = mintUser(authority, 'alice');
  peers = await startPeerAggregates({ authority, count: 3, faults: { 2: ['invalid-advertisement'] }, behaviours: { 1: { delayMs: 200 } } });
  control = await servePeerControl(peers, { authority });
  transport = new HttpsTransport({ certPem: `${alice.certPem}${authority.sa.certPem}`, keyPem: alice.keyPem, caPem: authority.trustedRootsPem });
});
afterAll(async () => {
  transport?.close();
  await control?.close();
  await peers?.close();
});

const GENI3 = { type: 'GENI', version: '3' };
const client = (url: string, timeoutMs = 20_000) => new AmClient({ url, transport, timeoutMs, maxResponseBytes: 4 * 1024 * 1024 });
const listResources = (index: number, timeoutMs?: number) =>
  client(peers.peers[index]!.url, timeoutMs).call('ListResources', [[sfaCredentialStruct(mintUserCredential(authority, alice))], { geni_rspec_version: GENI3, call_id: `c${index}` }]);
const adOf = (answer: XmlRpcValue) => readAdvertisement(String(isStruct(answer) ? answer.value : ''));

describe('peer aggregates', () => {
  it('each is its own sub-authority with its own inventory and URN', async () => {
    expect(peers.peers.map((p) => p.urn)).toEqual([0, 1, 2].map((i) => `urn:publicid:IDN+${authority.name}:peer${i}+authority+am`));
    expect(peers.peers[0]!.hrn).toBe(`${authority.name.replace(/\./g, '\\.')}.peer0`);
    const answer = await listResources(0);
    expect(answer.kind).toBe('value');
    if (answer.kind !== 'value') return;
    const ad = adOf(answer.value);
    expect(ad.nodes.every((n) => n.componentId.includes(`${authority.name}:peer0+node+`))).toBe(true);
    expect(peers.peers[2]!.faults).toEqual(['invalid-advertisement']);
  });

  it('records what each received, from whom, and what it answered', async () => {
    const mark = await peers.mark();
    await listResources(0);
    await listResources(1);
    const calls = await peers.received(mark);
    expect(calls.map((c) => [c.peer, c.method, c.callerUrn, c.answer])).toEqual([[0, 'ListResources', alice.urn, 'answered'], [1, 'ListResources', alice.urn, 'answered']]);
    expect(isStruct(calls[0]!.params[1]) && calls[0]!.params[1].call_id).toBe('c0');
    expect(calls[1]!.answeredAt! - calls[1]!.receivedAt).toBeGreaterThanOrEqual(190);
    const result = calls[0]!.result ?? null;
    expect(isStruct(result) && isStruct(result.code) && result.code.geni_code).toBe(0);
  });

  it('behaves as configured, and reset() restores the start-up behaviour', async () => {
    await peers.configure(0, { hostile: 'garbage' });
    await expect(listResources(0)).rejects.toThrow(/not an XML-RPC response/);
    await peers.configure(0, { hostile: 'huge' });
    await expect(listResources(0)).rejects.toThrow(/exceeds the 4 MB cap/);
    expect(HUGE_ANSWER_BYTES).toBeGreaterThan(16 * 1024 * 1024);
    await peers.configure(0, { hostile: 'hang' });
    await expect(listResources(0, 1000)).rejects.toThrow(HarnessError);
    await peers.configure(0, { refuse: { geniCode: 7 } });
    const refused = await listResources(0);
    expect(refused.kind === 'value' && isStruct(refused.value) && isStruct(refused.value.code) && refused.value.code.geni_code).toBe(7);
    await peers.reset();
    expect((await listResources(0)).kind).toBe('value');
  });

  it('changeAdvertisement makes the next advertisement differ', async () => {
    const before = await listResources(0);
    await peers.changeAdvertisement(0);
    const after = await listResources(0);
    if (before.kind !== 'value' || after.kind !== 'value') throw new Error('no answer');
    const busy = (v: XmlRpcValue) => adOf(v).nodes.filter((n) => !n.available).map((n) => n.componentId);
    expect(busy(after.value).length).toBe(busy(before.value).length + 1);
  });

  it('writes aggregates.xml that an SFA slice manager reads back, and an omni nickname list', () => {
    const read = readAggregatesXml(aggregatesXml(peers.peers));
    expect(read).toEqual(peers.peers.map((p) => ({ hrn: p.hrn, url: p.url, urn: p.urn })));
    expect(omniAggregateNicknames(peers.peers).split('\n')).toEqual(['[aggregate_nicknames]', ...peers.peers.map((p) => `${p.name}=${p.urn},${p.url}`), '']);
  });

  it('is controlled the same way over its control URL', async () => {
    const controlClient = client(control.url);
    const remote = await connectPeerControl(async (method, params) => {
      const r = await controlClient.call(method, params);
      if (r.kind === 'fault') throw new Error(r.faultString);
      return r.value;
    });
    expect(remote.peers).toEqual(peers.peers);
    const mark = await remote.mark();
    await remote.configure(2, { refuse: { geniCode: 11 }, methods: ['ListResources'] });
    const refused = await listResources(2);
    expect(refused.kind === 'value' && isStruct(refused.value) && isStruct(refused.value.code) && refused.value.code.geni_code).toBe(11);
    const calls = await remote.received(mark);
    expect(calls.map((c) => [c.peer, c.method, c.answer])).toEqual([[2, 'ListResources', 'refused']]);
    await remote.reset();
    await expect(remote.configure(9, {})).rejects.toThrow(/there is no peer 9/);
  });
});
