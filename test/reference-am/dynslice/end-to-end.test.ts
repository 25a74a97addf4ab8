import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer, startCallbackListener, type CallbackListener } from '../../../src/callback-endpoint';
import { AmClient, Transcript } from '../../../src/client';
import { createTestAuthority, mintEndpointIdentity, mintSliceCredential, mintUser, sfaCredentialStruct, sliceUrn, type TestAuthority, type UserIdentity } from '../../../src/credentials';
import { dynsliceServerApi, nodeIdsOf } from '../../../src/dynslice';
import { startReferenceAm, type ReferenceAm } from '../../../src/reference-am';
import { HttpsTransport } from '../../../src/transport';
import { isStruct } from '../../../src/xmlrpc';
import { requestXml } from '../aggregate-fixture';

let authority: TestAuthority;
let alice: UserIdentity;
let am: ReferenceAm;
let listener: CallbackListener;
let transport: HttpsTransport;

beforeAll(async () => {
  authority = createTestAuthority({ name: 'dynslice-e2e.test' });
  alice = mintUser(authority, 'alice');
  am = await startReferenceAm({ authority, dynslice: { tickSeconds: 0.1, maxWaitSeconds: 5 } });
  const identity = mintEndpointIdentity(authority, { hosts: ['127.0.0.1'], service: 'harness-callback' });
  listener = await startCallbackListener({ tls: { ...identity, caPem: authority.trustedRootsPem } });
  transport = new HttpsTransport({ certPem: alice.certChainPem, keyPem: alice.keyPem, caPem: authority.trustedRootsPem });
});

afterAll(async () => {
  transport.close();
  await listener.close();
  await am.close();
});

describe('reference dynslice server over real TLS, calling the harness-hosted endpoint back', () => {
  it('is advertised in the v3 GetVersion, counts a reclaim down in about a second, and a stepped one tick by tick', async () => {
    const transcript = new Transcript();
    const client = new AmClient({ url: am.urls['3']!, transport, transcript });
    const version = await client.call('GetVersion', []);
    const advertised = version.kind === 'value' && isStruct(version.value) && isStruct(version.value.value) ? version.value.value.geniharness_dynslice : undefined;
    expect(advertised).toEqual({ url: am.dynsliceUrl, version: 1 });

    const slice = sliceUrn(authority, 'e2e');
    const credentials = [sfaCredentialStruct(mintSliceCredential(authority, alice, slice))];
    for (const clientId of ['n0', 'n1']) {
      const allocated = await client.call('Allocate', [slice, credentials, requestXml([{ clientId }]), {}]);
      expect(allocated).toMatchObject({ kind: 'value', value: { code: { geni_code: 0 } } });
    }

    const server = dynsliceServerApi(client.withUrl(am.dynsliceUrl));
    expect((await server.GetVersion()).envelope).toMatchObject({ codeNumber: 0, value: 1 });
    const endpoint = listener.open({ label: 'e2e', transcript, script: answer.success() });
    expect((await server.SetSliceClientEndpoint({ slice_urn: slice, url: endpoint.url, credentials, defwaittime: 1 })).envelope?.codeNumber).toBe(0);
    expect(await endpoint.waitFor((calls) => calls.some((c) => c.method === 'SetResourceValues'), 20_000)).toBe(true);

    const started = Date.now();
    const reclaimed = await server.call('GeniHarnessReclaim', { slice_urn: slice, credentials });
    expect(reclaimed.envelope?.codeNumber).toBe(0);
    expect(await endpoint.waitFor((calls) => calls.some((c) => c.method === 'NotifyDeleteComplete'), 20_000)).toBe(true);
    const pending = endpoint.calls.filter((c) => c.method === 'NotifyDeletePending');
    // How many notices come in that second depends on the machine's load; what they say does not.
    expect(pending.length).toBeGreaterThanOrEqual(1);
    const waits = pending.map((c) => (c.nodelist![0] as { max_wait_time: number }).max_wait_time);
    expect(waits[0]).toBe(1);
    expect([...waits].sort((a, b) => b - a)).toEqual(waits);
    const complete = endpoint.calls.find((c) => c.method === 'NotifyDeleteComplete')!;
    expect(nodeIdsOf(complete.nodelist)).toEqual(nodeIdsOf(pending[0]!.nodelist));
    expect(complete.arrivedAt - started).toBeGreaterThanOrEqual(900);

    // Stepped: the reclaim answers once its first notice was answered, each GeniHarnessTick once its tick's were.
    const before = endpoint.calls.length;
    const steppedAnswer = await server.call('GeniHarnessReclaim', { slice_urn: slice, credentials, stepped: true });
    expect(steppedAnswer.envelope?.codeNumber).toBe(0);
    expect(endpoint.calls.slice(before).map((c) => c.method)).toEqual(['NotifyDeletePending']);
    for (let tick = 1; tick <= 10; tick++) expect((await server.call('GeniHarnessTick', { slice_urn: slice, credentials })).envelope?.codeNumber).toBe(0);
    const stepped = endpoint.calls.slice(before);
    expect(stepped.map((c) => c.method)).toEqual([...Array<string>(10).fill('NotifyDeletePending'), 'NotifyDeleteComplete']);
    expect(stepped.slice(0, 10).map((c) => (c.nodelist![0] as { max_wait_time: number }).max_wait_time)).toEqual([1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1]);

    // Every callback is in the transcript beside the harness's own calls, marked inbound, with its arrival time.
    const inbound = transcript.entries.filter((e) => e.direction === 'inbound');
    expect(inbound.map((e) => e.method)).toEqual(endpoint.calls.map((c) => c.method));
    expect(inbound.every((e) => e.peer === am.urn)).toBe(true);
    endpoint.close();
  }, 60_000);
});
