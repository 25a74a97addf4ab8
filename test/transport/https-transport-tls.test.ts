import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpsTransport, TransportError } from '../../src/transport';
import { startXmlRpcHttpsServer, type RunningXmlRpcServer } from '../../src/server';
import { encodeMethodCall } from '../../src/xmlrpc';
import { mintCert, testPki } from '../helpers/tls';

/** Real TLS on 127.0.0.1: certificate checks, and the whole-exchange timeout against servers that stall. */

const pki = testPki();
const limits = { timeoutMs: 5000, maxResponseBytes: 1024 * 1024 };
const body = encodeMethodCall('GetVersion', []);

async function failureOf(promise: Promise<unknown>): Promise<TransportError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof TransportError)) throw new Error(`expected a TransportError, got ${String(err)}`);
  return err;
}

describe('server certificate checks', () => {
  let foreign: RunningXmlRpcServer;
  beforeAll(async () => {
    foreign = await startXmlRpcHttpsServer({
      tls: { ...pki.otherServer, caPem: [pki.ca.certPem], requireClientCert: false },
      routes: { '/am/3': async () => 'hello' },
    });
  });
  afterAll(() => foreign.close());

  it('reports a server certificate from an unknown CA as a tls failure naming the code', async () => {
    const transport = new HttpsTransport({ ...pki.client, caPem: [pki.ca.certPem] });
    try {
      const err = await failureOf(transport.post(foreign.url('/am/3'), body, limits));
      expect(err.failure).toBe('tls');
      expect(err.phase).toBe('transport');
      expect(err.message).toMatch(/TLS failure \((UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)/);
      expect(err.message).toContain(foreign.url('/am/3'));
    } finally {
      transport.close();
    }
  });

  it('talks to the same server when insecure', async () => {
    const transport = new HttpsTransport({ ...pki.client, insecure: true });
    try {
      const res = await transport.post(foreign.url('/am/3'), body, limits);
      expect(res.status).toBe(200);
      expect(res.body.toString()).toContain('<string>hello</string>');
    } finally {
      transport.close();
    }
  });

  it('reports a host name mismatch as a tls failure', async () => {
    const elsewhere = mintCert(pki.ca, { commonName: 'am.elsewhere.test', ips: ['10.9.9.9'], dnsNames: ['am.elsewhere.test'], usage: ['serverAuth'] });
    const own = await startXmlRpcHttpsServer({
      tls: { ...elsewhere, caPem: [pki.ca.certPem], requireClientCert: false },
      routes: { '/am/3': async () => 'hello' },
    });
    const transport = new HttpsTransport({ ...pki.client, caPem: [pki.ca.certPem] });
    try {
      const err = await failureOf(transport.post(own.url('/am/3'), body, limits));
      expect(err.failure).toBe('tls');
      expect(err.message).toMatch(/ERR_TLS_CERT_ALTNAME_INVALID/);
    } finally {
      transport.close();
      await own.close();
    }
  });
});

describe('configuration problems', () => {
  it('refuses http: URLs, naming the URL', async () => {
    const transport = new HttpsTransport({});
    const err = await failureOf(transport.post('http://am.example.test/am/3', body, limits));
    expect(err.failure).toBe('config');
    expect(err.message).toMatch(/^http:\/\/am\.example\.test\/am\/3: only https: URLs are supported/);
    transport.close();
  });

  it('refuses an invalid URL and bad limits', async () => {
    const transport = new HttpsTransport({});
    expect((await failureOf(transport.post('not a url', body, limits))).failure).toBe('config');
    expect((await failureOf(transport.post('https://x.test/', body, { timeoutMs: 0, maxResponseBytes: 1 }))).message).toMatch(/timeoutMs must be a positive number, but received 0/);
    transport.close();
  });

  it('refuses a certificate without its key, and an unreadable key, when constructed', () => {
    expect(() => new HttpsTransport({ certPem: pki.client.certPem })).toThrow(/certPem and keyPem must be given together/);
    expect(() => new HttpsTransport({ certPem: pki.client.certPem, keyPem: pki.server.keyPem })).toThrow(TransportError);
  });

  it('reports a refused connection as connect', async () => {
    const port = await freePort();
    const transport = new HttpsTransport({});
    const err = await failureOf(transport.post(`https://127.0.0.1:${port}/`, body, limits));
    expect(err.failure).toBe('connect');
    expect(err.message).toMatch(/ECONNREFUSED/);
    transport.close();
  });
});

describe('bounded memory', () => {
  it('abandons a lazily streamed 100 MB body at the cap, and the server stops producing it', async () => {
    const hundredMb = 100 * 1024 * 1024;
    const chunk = Buffer.alloc(64 * 1024, 0x61); // one buffer, written again and again: the 100 MB never exist
    let produced = 0;
    let serverSawClose!: () => void;
    const closed = new Promise<void>((r) => (serverSawClose = r));
    const sockets: tls.TLSSocket[] = [];
    const firehose = tls.createServer({ cert: pki.server.certPem, key: pki.server.keyPem }, (socket) => {
      sockets.push(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => serverSawClose());
      socket.once('data', () => {
        // No Content-Length: the body runs until the connection closes, so only the streaming cap can stop it.
        socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\n\r\n');
        const pump = (): void => {
          // Respect backpressure, as a real server's kernel buffers would force it to.
          while (produced < hundredMb && !socket.destroyed) {
            produced += chunk.length;
            if (!socket.write(chunk)) {
              socket.once('drain', pump);
              return;
            }
          }
          if (!socket.destroyed) socket.end();
        };
        pump();
      });
    });
    await new Promise<void>((r) => firehose.listen(0, '127.0.0.1', r));
    const { port } = firehose.address() as net.AddressInfo;
    const transport = new HttpsTransport({ caPem: [pki.ca.certPem] });
    try {
      const heapBefore = process.memoryUsage().heapUsed;
      const url = `https://127.0.0.1:${port}/am/3`;
      const err = await failureOf(transport.post(url, body, { timeoutMs: 10_000, maxResponseBytes: 1024 * 1024 }));
      expect(err.failure).toBe('too-large');
      expect(err.message).toBe(`${url}: response exceeds the 1 MB cap (maxResponseBytes 1048576)`);
      await closed; // we hung up
      expect(produced).toBeLessThan(16 * 1024 * 1024);
      expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(32 * 1024 * 1024);
    } finally {
      transport.close();
      for (const s of sockets) s.destroy();
      await new Promise((r) => firehose.close(r));
    }
  });
});

describe('server certificates that name the aggregate by URN only', () => {
  it('verifies the chain and accepts a GENI identity certificate with no host name; a wrong host name still fails', async () => {
    const urnOnly = mintCert(pki.ca, { commonName: 'am', uris: ['urn:publicid:IDN+am.example.net+authority+am'] });
    const wrongHost = mintCert(pki.ca, { commonName: 'am', dnsNames: ['am.example.net'], uris: ['urn:publicid:IDN+am.example.net+authority+am'] });
    const servers = await Promise.all([urnOnly, wrongHost].map((identity) => startXmlRpcHttpsServer({
      tls: { ...identity, caPem: [pki.ca.certPem], requireClientCert: false },
      routes: { '/am/3': async () => 'hello' },
    })));
    const transport = new HttpsTransport({ ...pki.client, caPem: [pki.ca.certPem] });
    try {
      expect((await transport.post(servers[0]!.url('/am/3'), body, limits)).status).toBe(200);
      const err = await failureOf(transport.post(servers[1]!.url('/am/3'), body, limits));
      expect(err.failure).toBe('tls');
      expect(err.message).toMatch(/ERR_TLS_CERT_ALTNAME_INVALID/);
      // Another CA's URN-only certificate is still refused: the chain is what is trusted.
      const foreign = new HttpsTransport({ ...pki.client, caPem: [pki.otherCa.certPem] });
      try {
        expect((await failureOf(foreign.post(servers[0]!.url('/am/3'), body, limits))).failure).toBe('tls');
      } finally {
        foreign.close();
      }
    } finally {
      transport.close();
      await Promise.all(servers.map((s) => s.close()));
    }
  });
});

// A transport that never ended these would fail on this limit, far above the exchanges' own (it holds at 3x load).
describe('the timeout covers the whole exchange', { timeout: 30_000 }, () => {
  it('ends an exchange with a TLS server that accepts the request and never answers', async () => {
    const sockets: tls.TLSSocket[] = [];
    const silent = tls.createServer({ cert: pki.server.certPem, key: pki.server.keyPem }, (socket) => {
      sockets.push(socket);
      socket.on('data', () => undefined); // read the request, say nothing
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const { port } = silent.address() as net.AddressInfo;
    const transport = new HttpsTransport({ ...pki.client, caPem: [pki.ca.certPem] });
    try {
      const err = await failureOf(transport.post(`https://127.0.0.1:${port}/am/3`, body, { ...limits, timeoutMs: 300 }));
      // The exchange's own limit ended it (the server never would); the test's timeout bounds a transport that hangs.
      expect(err.failure).toBe('timeout');
      expect(err.message).toMatch(/no complete response within 300 ms/);
      // We hung up: the server sees its side of the connection close.
      await Promise.all(sockets.filter((s) => !s.destroyed).map((s) => new Promise((r) => s.once('close', r))));
    } finally {
      transport.close();
      for (const s of sockets) s.destroy();
      await new Promise((r) => silent.close(r));
    }
  });

  it('ends an exchange with a TCP server that never starts the TLS handshake', async () => {
    const sockets: net.Socket[] = [];
    const mute = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((r) => mute.listen(0, '127.0.0.1', r));
    const { port } = mute.address() as net.AddressInfo;
    const transport = new HttpsTransport({});
    try {
      const err = await failureOf(transport.post(`https://127.0.0.1:${port}/`, body, { ...limits, timeoutMs: 200 }));
      expect(err.failure).toBe('timeout');
    } finally {
      transport.close();
      for (const s of sockets) s.destroy();
      await new Promise((r) => mute.close(r));
    }
  });

  it('ends an exchange with a server that trickles bytes forever', async () => {
    const sockets: tls.TLSSocket[] = [];
    const timers: NodeJS.Timeout[] = [];
    const trickler = tls.createServer({ cert: pki.server.certPem, key: pki.server.keyPem }, (socket) => {
      sockets.push(socket);
      socket.once('data', () => {
        socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nTransfer-Encoding: chunked\r\n\r\n');
        timers.push(setInterval(() => socket.writable && socket.write('1\r\n \r\n'), 20));
      });
    });
    await new Promise<void>((r) => trickler.listen(0, '127.0.0.1', r));
    const { port } = trickler.address() as net.AddressInfo;
    const transport = new HttpsTransport({ caPem: [pki.ca.certPem] });
    try {
      const err = await failureOf(transport.post(`https://127.0.0.1:${port}/`, body, { ...limits, timeoutMs: 300 }));
      // An idle timer would never fire (a byte comes every 20 ms): only a limit on the whole exchange ends it.
      expect(err.failure).toBe('timeout');
      expect(err.message).toMatch(/no complete response within 300 ms/);
      // We hung up while the server was still trickling.
      await Promise.all(sockets.filter((s) => !s.destroyed).map((s) => new Promise((r) => s.once('close', r))));
    } finally {
      transport.close();
      for (const t of timers) clearInterval(t);
      for (const s of sockets) s.destroy();
      await new Promise((r) => trickler.close(r));
    }
  });
});

describe('connections the server breaks', () => {
  /** A TLS server whose every connection `behave`s once it has read the request; closed after `use`. */
  async function withServer(behave: (socket: tls.TLSSocket) => void, use: (url: string) => Promise<void>): Promise<void> {
    const sockets: tls.TLSSocket[] = [];
    const server = tls.createServer({ cert: pki.server.certPem, key: pki.server.keyPem }, (socket) => {
      sockets.push(socket);
      socket.once('data', () => behave(socket));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as net.AddressInfo;
    try {
      await use(`https://127.0.0.1:${port}/am/3`);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    }
  }

  it('reports a body that breaks off as protocol, with how much arrived', async () => {
    await withServer(
      (socket) => {
        socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 1000\r\n\r\n<methodResponse><params>');
        setTimeout(() => socket.destroy(), 50);
      },
      async (url) => {
        const transport = new HttpsTransport({ caPem: [pki.ca.certPem] });
        try {
          const err = await failureOf(transport.post(url, body, limits));
          expect(err.failure).toBe('protocol');
          expect(err.message).toMatch(/response broke off after 24 bytes/);
        } finally {
          transport.close();
        }
      },
    );
  });

  it('sends a request again, once, on a new connection when the server closed the kept-alive one just as it was sent', async () => {
    let connections = 0;
    let requests = 0;
    const ok = 'HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 5\r\nConnection: keep-alive\r\n\r\nhello';
    const sockets: tls.TLSSocket[] = [];
    const server = tls.createServer({ cert: pki.server.certPem, key: pki.server.keyPem }, (socket) => {
      sockets.push(socket);
      connections += 1;
      let onThisSocket = 0;
      socket.on('data', () => {
        requests += 1;
        onThisSocket += 1;
        // The first connection answers once, then drops the next request unanswered (an idle-timeout race).
        if (connections === 1 && onThisSocket === 2) socket.destroy();
        else socket.write(ok);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as net.AddressInfo;
    const transport = new HttpsTransport({ caPem: [pki.ca.certPem] });
    try {
      const url = `https://127.0.0.1:${port}/am/3`;
      expect((await transport.post(url, body, limits)).body.toString()).toBe('hello');
      expect((await transport.post(url, body, limits)).body.toString()).toBe('hello');
      expect({ connections, requests }).toEqual({ connections: 2, requests: 3 });
    } finally {
      transport.close();
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    }
  });

  it('does not blame our certificate for a connection closed after the server accepted it and read the request', async () => {
    await withServer(
      (socket) => setTimeout(() => socket.destroy(), 50), // read the whole request, answer nothing
      async (url) => {
        const transport = new HttpsTransport({ ...pki.client, caPem: [pki.ca.certPem] });
        try {
          const err = await failureOf(transport.post(url, body, limits));
          expect(err.failure).toBe('protocol');
          expect(err.message).toMatch(/accepted our client certificate, then closed the connection without a response/);
          expect(err.origin).toBe('target');
        } finally {
          transport.close();
        }
      },
    );
  });
});

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((r) => probe.close(r));
  return port;
}
