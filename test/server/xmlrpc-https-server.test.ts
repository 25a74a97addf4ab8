import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpsTransport, TransportError, type RawHttpResponse } from '../../src/transport';
import {
  RawHttpAnswer,
  startXmlRpcHttpsServer,
  XmlRpcFault,
  type RunningXmlRpcServer,
  type XmlRpcRequestContext,
} from '../../src/server';
import { decodeMethodResponse, encodeMethodCall, type XmlRpcValue } from '../../src/xmlrpc';
import { testPki } from '../helpers/tls';

const pki = testPki();
const seen: XmlRpcRequestContext[] = [];
let server: RunningXmlRpcServer;

const routes = {
  '/am/3': async (method: string, params: XmlRpcValue[], ctx: XmlRpcRequestContext): Promise<XmlRpcValue | RawHttpAnswer> => {
    seen.push(ctx);
    switch (method) {
      case 'Echo':
        return { method, params };
      case 'WhoAmI':
        return { san: ctx.peer.subjectAltName ?? '', pem: ctx.peer.certPem ?? '', authorized: ctx.peer.authorized ?? false };
      case 'Fault':
        throw new XmlRpcFault(3, 'forbidden by policy');
      case 'Crash':
        throw new Error('boom');
      case 'Unencodable':
        return Number.NaN;
      case 'Html':
        return new RawHttpAnswer('<html><body>maintenance</body></html>', { status: 503, contentType: 'text/html' });
      case 'Slow':
        return new RawHttpAnswer('<methodResponse><params><param><value>late</value></param></params></methodResponse>', { delayMs: 150 });
      case 'Hang':
        return new RawHttpAnswer('', { neverRespond: true });
      default:
        throw new XmlRpcFault(-32601, `no method ${method}`);
    }
  },
};

const clientTls = { certPem: pki.client.certPem, keyPem: pki.client.keyPem, caPem: [pki.ca.certPem] };
const limits = { timeoutMs: 5000, maxResponseBytes: 1024 * 1024 };

beforeAll(async () => {
  server = await startXmlRpcHttpsServer({
    tls: { certPem: pki.server.certPem, keyPem: pki.server.keyPem, caPem: [pki.ca.certPem] },
    routes,
    maxRequestBytes: 64 * 1024,
  });
});
afterAll(async () => {
  await server.close();
});

async function callWith(transport: HttpsTransport, method: string, params: XmlRpcValue[] = [], path = '/am/3'): Promise<RawHttpResponse> {
  return transport.post(server.url(path), encodeMethodCall(method, params), limits);
}

function decoded(res: RawHttpResponse): ReturnType<typeof decodeMethodResponse> {
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('text/xml');
  return decodeMethodResponse(res.body);
}

describe('XML-RPC over HTTPS with client certificates', () => {
  it('round-trips a call and its parameters', async () => {
    const transport = new HttpsTransport(clientTls);
    try {
      const res = await callWith(transport, 'Echo', [['urn:a'], { geni_rspec_version: { type: 'GENI', version: '3' } }]);
      expect(decoded(res)).toMatchObject({ kind: 'value', value: { method: 'Echo', params: [['urn:a'], { geni_rspec_version: { type: 'GENI', version: '3' } }] } });
      expect(res.durationMs).toBeGreaterThan(0);
    } finally {
      transport.close();
    }
  });

  it("lets the dispatcher see the client's URN and certificate", async () => {
    const transport = new HttpsTransport(clientTls);
    try {
      const result = decoded(await callWith(transport, 'WhoAmI'));
      expect(result.kind).toBe('value');
      const who = (result as unknown as { value: { san: string; pem: string; authorized: boolean } }).value;
      expect(who.san).toContain(`URI:${pki.clientUrn}`);
      expect(who.pem).toMatch(/^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n$/);
      expect(who.pem.replace(/\s/g, '')).toBe(pki.client.certPem.replace(/\s/g, ''));
      expect(who.authorized).toBe(true);
    } finally {
      transport.close();
    }
  });

  it('refuses a client without a certificate at the TLS layer', async () => {
    const transport = new HttpsTransport({ caPem: [pki.ca.certPem] });
    try {
      const err = await callWith(transport, 'Echo').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TransportError);
      expect((err as TransportError).failure).toBe('tls');
      expect((err as TransportError).phase).toBe('transport');
    } finally {
      transport.close();
    }
  });

  it('refuses a client certificate from an unknown CA', async () => {
    const transport = new HttpsTransport({ ...pki.otherClient, caPem: [pki.ca.certPem] });
    try {
      const err = await callWith(transport, 'Echo').catch((e: unknown) => e);
      expect((err as TransportError).failure).toBe('tls');
      expect((err as TransportError).message).toMatch(/probably refused our client certificate \(ECONNRESET/);
    } finally {
      transport.close();
    }
  });

  it('reuses the connection with keep-alive, and opens new ones without', async () => {
    const remotePorts = async (keepAlive: boolean): Promise<Set<number | undefined>> => {
      const transport = new HttpsTransport(clientTls, { keepAlive });
      try {
        const before = seen.length;
        for (let i = 0; i < 3; i++) await callWith(transport, 'Echo');
        return new Set(seen.slice(before).map((ctx) => ctx.remotePort));
      } finally {
        transport.close();
      }
    };
    expect((await remotePorts(true)).size).toBe(1);
    expect((await remotePorts(false)).size).toBe(3);
  });

  it("gives every call on a kept-alive connection the connection's client certificate (read once per connection)", async () => {
    const transport = new HttpsTransport(clientTls, { keepAlive: true });
    try {
      const before = seen.length;
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push(decoded(await callWith(transport, 'WhoAmI')));
      expect(new Set(seen.slice(before).map((ctx) => ctx.remotePort)).size).toBe(1);
      for (const result of answers) {
        const who = (result as unknown as { value: { san: string; pem: string; authorized: boolean } }).value;
        expect(who.pem.replace(/\s/g, '')).toBe(pki.client.certPem.replace(/\s/g, ''));
        expect(who.authorized).toBe(true);
      }
    } finally {
      transport.close();
    }
  });
});

describe('server answers to bad requests', () => {
  const transport = new HttpsTransport(clientTls);
  afterAll(() => transport.close());

  it('turns an XmlRpcFault into that fault', async () => {
    expect(decoded(await callWith(transport, 'Fault'))).toEqual({ kind: 'fault', faultCode: 3, faultString: 'forbidden by policy' });
  });

  it('turns any other exception into -32603 and keeps serving', async () => {
    expect(decoded(await callWith(transport, 'Crash'))).toEqual({ kind: 'fault', faultCode: -32603, faultString: 'internal error: boom' });
    expect(decoded(await callWith(transport, 'Unencodable'))).toMatchObject({ kind: 'fault', faultCode: -32603, faultString: expect.stringMatching(/cannot encode the result of Unencodable: value: NaN/) });
    expect(decoded(await callWith(transport, 'Echo'))).toMatchObject({ kind: 'value' });
  });

  it('answers an undecodable body with fault -32700', async () => {
    const res = await transport.post(server.url('/am/3'), '<methodCall><methodName>x', limits);
    expect(decoded(res)).toMatchObject({ kind: 'fault', faultCode: -32700, faultString: expect.stringMatching(/^parse error: not well-formed XML/) });
    const dtd = await transport.post(server.url('/am/3'), '<!DOCTYPE x><methodCall><methodName>x</methodName></methodCall>', limits);
    expect(decoded(dtd)).toMatchObject({ kind: 'fault', faultCode: -32700, faultString: expect.stringContaining('DOCTYPE') });
  });

  it('answers an unknown path with 404 and a non-POST with 405', async () => {
    expect((await callWith(transport, 'Echo', [], '/am/9')).status).toBe(404);
    const get = await fetchWithMethod('GET');
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
  });

  it('answers an oversized request with 413', async () => {
    const res = await transport.post(server.url('/am/3'), encodeMethodCall('Echo', ['x'.repeat(100 * 1024)]), limits);
    expect(res.status).toBe(413);
  });

  it('sends RawHttpAnswer bytes as they are, with status, type and delay', async () => {
    const html = await callWith(transport, 'Html');
    expect(html.status).toBe(503);
    expect(html.headers['content-type']).toBe('text/html');
    expect(html.body.toString()).toContain('maintenance');
    const slow = await callWith(transport, 'Slow');
    expect(slow.durationMs).toBeGreaterThanOrEqual(140);
  });
});

describe('closing', () => {
  it('ends hanging requests and keep-alive sockets so close() resolves promptly', async () => {
    const own = await startXmlRpcHttpsServer({
      tls: { certPem: pki.server.certPem, keyPem: pki.server.keyPem, caPem: [pki.ca.certPem] },
      routes,
    });
    const transport = new HttpsTransport(clientTls);
    try {
      await transport.post(own.url('/am/3'), encodeMethodCall('Echo', []), limits); // leaves a keep-alive socket
      const hanging = transport.post(own.url('/am/3'), encodeMethodCall('Hang', []), { ...limits, timeoutMs: 10_000 }).catch((e: unknown) => e);
      await new Promise((r) => setTimeout(r, 100));
      await own.close();
      // close() ended the hanging request itself: the client saw the connection go, not its own 10 s limit.
      const err = await hanging;
      expect(err).toBeInstanceOf(TransportError);
      expect((err as TransportError).failure).not.toBe('timeout');
    } finally {
      transport.close();
    }
  });
});

/** A non-POST request, with node:https directly (our transport only POSTs). */
async function fetchWithMethod(method: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  const https = await import('node:https');
  return new Promise((resolve, reject) => {
    const req = https.request(server.url('/am/3'), { method, cert: pki.client.certPem, key: pki.client.keyPem, ca: [pki.ca.certPem] }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}
