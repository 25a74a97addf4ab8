import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAuthority, mintEndpointIdentity, mintUser, type KeyPair, type TestAuthority, type UserIdentity } from '../../src/credentials';
import { CLIENT_ENDPOINT_FAULTS, startReferenceClientEndpoint, type ClientEndpointFaultName, type ReferenceClientEndpoint } from '../../src/reference-dynslice-client';
import { HttpsTransport } from '../../src/transport';
import { decodeMethodResponse, encodeMethodCall, type XmlRpcValue } from '../../src/xmlrpc';

let authority: TestAuthority;
let identity: KeyPair;
let server: UserIdentity;
let transport: HttpsTransport;
const running: ReferenceClientEndpoint[] = [];

beforeAll(() => {
  authority = createTestAuthority({ name: 'reference-client.test' });
  identity = mintEndpointIdentity(authority, { hosts: ['127.0.0.1'], service: 'dynslice-client' });
  server = mintUser(authority, 'dynslice-server');
  transport = new HttpsTransport({ certPem: server.certChainPem, keyPem: server.keyPem, caPem: authority.trustedRootsPem }, { keepAlive: false });
});

afterAll(async () => {
  transport.close();
  await Promise.all(running.map((e) => e.close()));
});

async function endpoint(faults: string[] = []): Promise<ReferenceClientEndpoint> {
  const started = await startReferenceClientEndpoint({ tls: { ...identity, caPem: authority.trustedRootsPem }, faults });
  running.push(started);
  return started;
}

type Answer = { kind: 'value'; value: XmlRpcValue } | { kind: 'fault'; faultCode: number } | { kind: 'dropped' };

async function call(url: string, method: string, params: XmlRpcValue[]): Promise<Answer> {
  try {
    const raw = await transport.post(url, encodeMethodCall(method, params), { timeoutMs: 20_000, maxResponseBytes: 1 << 20 });
    return decodeMethodResponse(raw.body) as Answer;
  } catch {
    return { kind: 'dropped' };
  }
}

const entry = (node_id: string, max_wait_time: number) => ({ node_id, client_id: `c-${node_id}`, component_urn: `urn:publicid:IDN+x+node+${node_id}`, max_wait_time });
const pending = (url: string, list: XmlRpcValue[]) => call(url, 'NotifyDeletePending', [{ nodelist: list }]);

describe('reference dynslice client endpoint', () => {
  it('GetVersion answers SUCCESS with output "1.0", with or without a params struct', async () => {
    const { url } = await endpoint();
    expect(await call(url, 'GetVersion', [])).toMatchObject({ kind: 'value', value: { code: 0, value: 0, output: '1.0' } });
    expect(await call(url, 'GetVersion', [{}])).toMatchObject({ kind: 'value', value: { code: 0, output: '1.0' } });
  });

  it('answers SUCCESS to a countdown, then releases a node on its second notice with the same list', async () => {
    const { url } = await endpoint();
    expect(await pending(url, [entry('pc1', 30), entry('pc2', 30)])).toMatchObject({ kind: 'value', value: { code: 0, value: 0 } });
    const second = await pending(url, [entry('pc1', 20), entry('pc2', 20)]);
    expect(second).toMatchObject({ kind: 'value', value: { code: 0, value: [entry('pc1', 0), entry('pc2', 0)] } });
    expect(await call(url, 'NotifyDeleteComplete', [{ nodelist: [entry('pc1', 0)] }])).toMatchObject({ kind: 'value', value: { code: 0 } });
  });

  it('releases at once a node the server cannot wait for (max_wait_time 0)', async () => {
    const { url } = await endpoint();
    expect(await pending(url, [entry('pc1', 0), entry('pc2', 30)])).toMatchObject({ kind: 'value', value: { value: [entry('pc1', 0), entry('pc2', 30)] } });
  });

  it('ignores keys it does not know; answers an empty nodelist with SUCCESS', async () => {
    const { url } = await endpoint();
    expect(await pending(url, [{ ...entry('pc1', 30), colour: 'blue' }])).toMatchObject({ kind: 'value', value: { code: 0 } });
    expect(await pending(url, [])).toMatchObject({ kind: 'value', value: { code: 0 } });
  });

  it('answers bad input with BADARGS, never by dropping the connection', async () => {
    const { url } = await endpoint();
    for (const params of [[], [{}], [{ nodelist: 'pc1' }], [{ nodelist: [{ max_wait_time: 3 }] }], [{ nodelist: [{ node_id: 'pc1', max_wait_time: 'soon' }] }]] as XmlRpcValue[][]) {
      expect(await call(url, 'NotifyDeletePending', params)).toMatchObject({ kind: 'value', value: { code: 1 } });
    }
    expect(await call(url, 'SetResourceValues', [{ nodelist: [{ node_id: 'pc1' }] }])).toMatchObject({ kind: 'value', value: { code: 1 } });
    expect(await call(url, 'Nope', [])).toMatchObject({ kind: 'fault', faultCode: -32601 });
  });
});

/** For each fault: what the endpoint visibly does wrong with it switched on. */
const DEVIATIONS: Record<ClientEndpointFaultName, (url: string) => Promise<void>> = {
  'client-answers-changed-list': async (url) => {
    await pending(url, [entry('pc1', 30)]);
    expect(await pending(url, [entry('pc1', 20), entry('pc2', 20)])).toMatchObject({ kind: 'value', value: { value: [entry('pc1', 0), entry('pc2', 19)] } });
  },
  'client-answer-drops-keys': async (url) => {
    expect(await pending(url, [entry('pc1', 0)])).toMatchObject({ kind: 'value', value: { value: [{ node_id: 'pc1', max_wait_time: 0 }] } });
    expect(await pending(url, [entry('pc2', 0)])).not.toMatchObject({ kind: 'value', value: { value: [{ client_id: 'c-pc2' }] } });
  },
  'client-release-as-negative': async (url) => {
    expect(await pending(url, [entry('pc1', 0)])).toMatchObject({ kind: 'value', value: { value: [{ node_id: 'pc1', max_wait_time: -1 }] } });
  },
  'client-fails-on-unknown-key': async (url) => {
    expect(await pending(url, [{ ...entry('pc1', 30), colour: 'blue' }])).toMatchObject({ kind: 'value', value: { code: 1 } });
  },
  'client-crashes-on-empty-nodelist': async (url) => {
    expect(await pending(url, [])).toEqual({ kind: 'dropped' });
  },
  'client-drops-connection-on-bad-input': async (url) => {
    expect(await call(url, 'NotifyDeletePending', [{}])).toEqual({ kind: 'dropped' });
  },
  'client-getversion-bare-string': async (url) => {
    expect(await call(url, 'GetVersion', [])).toMatchObject({ kind: 'value', value: '1.0' });
  },
  'client-getversion-needs-params': async (url) => {
    expect(await call(url, 'GetVersion', [])).toMatchObject({ kind: 'fault' });
  },
  'client-values-requires-client-id': async (url) => {
    expect(await call(url, 'SetResourceValues', [{ nodelist: [{ node_id: 'pc1', value: 0.5 }] }])).toMatchObject({ kind: 'value', value: { code: 1 } });
  },
  'client-values-rejects-extra-keys': async (url) => {
    expect(await call(url, 'SetResourceValues', [{ nodelist: [{ node_id: 'pc1', client_id: 'c-pc1', value: 0.5 }] }])).toMatchObject({ kind: 'value', value: { code: 1 } });
  },
  'client-complete-bare-true': async (url) => {
    await pending(url, [entry('pc1', 30)]);
    expect(await call(url, 'NotifyDeleteComplete', [{ nodelist: [entry('pc1', 0)] }])).toMatchObject({ kind: 'value', value: true });
  },
  'client-unknown-method-success': async (url) => {
    expect(await call(url, 'GeniHarnessNoSuchMethod', [{}])).toMatchObject({ kind: 'value', value: { code: 0 } });
  },
  'client-complete-error': async (url) => {
    expect(await call(url, 'NotifyDeleteComplete', [{ nodelist: [entry('pc9', 0)] }])).toMatchObject({ kind: 'value', value: { code: 2 } });
  },
};

describe('reference dynslice client endpoint faults change behaviour when switched on', () => {
  const names = CLIENT_ENDPOINT_FAULTS.map((f) => f.name as ClientEndpointFaultName);

  it('has a deviation test for every fault, and each names the check that sees it', () => {
    expect(Object.keys(DEVIATIONS).sort()).toEqual([...names].sort());
    for (const f of CLIENT_ENDPOINT_FAULTS) expect(f.check).toMatch(/^[a-z-]+$/);
  });

  it('refuses an unknown fault name, listing the valid ones', async () => {
    await expect(endpoint(['client-nope'])).rejects.toThrow(/valid names are: client-answers-changed-list/);
  });

  it.each(names)('%s', async (name) => {
    await DEVIATIONS[name]((await endpoint([name])).url);
  });

  it.each(names)('%s is not the default behaviour', async (name) => {
    const { url } = await endpoint();
    await expect(DEVIATIONS[name](url)).rejects.toThrow();
  });
});
