import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer, startCallbackListener, type CallbackListener } from '../../src/callback-endpoint';
import { Transcript } from '../../src/client';
import { createTestAuthority, mintEndpointIdentity, mintUser, type TestAuthority, type UserIdentity } from '../../src/credentials';
import { HttpsTransport } from '../../src/transport';
import { decodeMethodResponse, encodeMethodCall, type XmlRpcValue } from '../../src/xmlrpc';

let authority: TestAuthority;
let server: UserIdentity;
let listener: CallbackListener;
let caller: HttpsTransport;

beforeAll(async () => {
  authority = createTestAuthority({ name: 'callback-endpoint.test' });
  server = mintUser(authority, 'dynslice-server');
  const identity = mintEndpointIdentity(authority, { hosts: ['127.0.0.1'], service: 'harness-callback' });
  listener = await startCallbackListener({ tls: { certPem: identity.certPem, keyPem: identity.keyPem, caPem: authority.trustedRootsPem } });
  caller = new HttpsTransport({ certPem: server.certChainPem, keyPem: server.keyPem, caPem: authority.trustedRootsPem });
});

afterAll(async () => {
  caller.close();
  await listener.close();
});

async function call(url: string, method: string, params: XmlRpcValue[]) {
  const raw = await caller.post(url, encodeMethodCall(method, params), { timeoutMs: 20_000, maxResponseBytes: 1 << 20 });
  return { status: raw.status, contentType: raw.headers['content-type'], body: raw.body };
}

const decoded = async (url: string, method: string, params: XmlRpcValue[]) => decodeMethodResponse((await call(url, method, params)).body);
const pending = (ids: string[]) => [{ nodelist: ids.map((node_id) => ({ node_id, client_id: `c-${node_id}`, max_wait_time: 30 })) }];

describe('the callback endpoint the harness hosts', () => {
  it('answers SUCCESS by default and records each call, inbound, with its arrival time and caller', async () => {
    const transcript = new Transcript();
    const endpoint = listener.open({ label: 'dynslice.case.one', transcript });
    const before = Date.now();
    expect(await decoded(endpoint.url, 'SetResourceValues', [{ nodelist: [{ node_id: 'pc1', value: 0.5 }] }])).toMatchObject({ kind: 'value', value: { code: 0 } });
    expect(endpoint.calls).toHaveLength(1);
    const [call0] = endpoint.calls;
    expect(call0).toMatchObject({ method: 'SetResourceValues', nodelist: [{ node_id: 'pc1', value: 0.5 }], answered: 'success', exchangeId: 'x1' });
    expect(call0!.arrivedAt).toBeGreaterThanOrEqual(before - 5);
    const [entry] = transcript.entries;
    expect(entry).toMatchObject({ id: 'x1', direction: 'inbound', method: 'SetResourceValues', endpoint: endpoint.url, peer: server.urn, response: { httpStatus: 200 } });
    expect(entry!.startedAt).toBe(new Date(call0!.arrivedAt).toISOString());
    expect(entry!.request.body).toContain('<methodName>SetResourceValues</methodName>');
    endpoint.close();
  });

  it('releases the scripted nodes: the same list with max_wait_time 0 on them', async () => {
    const endpoint = listener.open({ label: 'release', transcript: new Transcript(), script: answer.release(['pc2']) });
    const result = await decoded(endpoint.url, 'NotifyDeletePending', pending(['pc1', 'pc2']));
    expect(result).toMatchObject({ kind: 'value', value: { code: 0, value: [{ node_id: 'pc1', max_wait_time: 30 }, { node_id: 'pc2', client_id: 'c-pc2', max_wait_time: 0 }] } });
    expect(await decoded(endpoint.url, 'NotifyDeleteComplete', pending(['pc2']))).toMatchObject({ kind: 'value', value: { code: 0, value: 0 } });
    expect(endpoint.calls.map((c) => c.answered)).toEqual(['release', 'release']);
    endpoint.close();
  });

  it('answers slowly when told to, and the recorded duration shows it', async () => {
    const transcript = new Transcript();
    const endpoint = listener.open({ label: 'slow', transcript, script: answer.slowly(300) });
    expect(await decoded(endpoint.url, 'GetVersion', [])).toMatchObject({ kind: 'value', value: { code: 0 } });
    expect(transcript.entries[0]!.durationMs).toBeGreaterThanOrEqual(250);
    endpoint.close();
  });

  it('answers garbage to NotifyDeletePending when told to', async () => {
    const endpoint = listener.open({ label: 'garbage', transcript: new Transcript(), script: answer.garbageToPending() });
    const raw = await call(endpoint.url, 'NotifyDeletePending', pending(['pc1']));
    expect(raw.contentType).toMatch(/text\/html/);
    expect(() => decodeMethodResponse(raw.body)).toThrow();
    expect(await decoded(endpoint.url, 'SetResourceValues', [{ nodelist: [] }])).toMatchObject({ kind: 'value' });
    endpoint.close();
  });

  it('records an undecodable request too, answered with a parse-error Fault', async () => {
    const transcript = new Transcript();
    const endpoint = listener.open({ label: 'parse', transcript });
    const raw = await caller.post(endpoint.url, '<methodCall><oops', { timeoutMs: 20_000, maxResponseBytes: 1 << 20 });
    expect(decodeMethodResponse(raw.body)).toMatchObject({ kind: 'fault', faultCode: -32700 });
    expect(endpoint.calls).toMatchObject([{ answered: 'parse-error', params: [] }]);
    expect(transcript.entries[0]).toMatchObject({ direction: 'inbound', method: '(not a methodCall)' });
    endpoint.close();
  });

  it('waitFor resolves when the calls satisfy it, and false at the timeout', async () => {
    const endpoint = listener.open({ label: 'wait', transcript: new Transcript() });
    const waiting = endpoint.waitFor((calls) => calls.some((c) => c.method === 'NotifyDeleteComplete'), 20_000);
    await decoded(endpoint.url, 'NotifyDeletePending', pending(['pc1']));
    await decoded(endpoint.url, 'NotifyDeleteComplete', pending(['pc1']));
    expect(await waiting).toBe(true);
    expect(await endpoint.waitFor(() => false, 50)).toBe(false);
    endpoint.close();
  });

  it('keeps cases apart: each has its own URL, and a closed one answers 404 without recording', async () => {
    const a = listener.open({ label: 'same', transcript: new Transcript() });
    const b = listener.open({ label: 'same', transcript: new Transcript() });
    expect(a.url).not.toBe(b.url);
    a.close();
    expect((await call(a.url, 'GetVersion', [])).status).toBe(404);
    await decoded(b.url, 'GetVersion', []);
    expect([a.calls.length, b.calls.length]).toEqual([0, 1]);
    b.close();
  });
});
