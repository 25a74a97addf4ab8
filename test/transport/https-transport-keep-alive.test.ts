import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpsTransport, TransportError } from '../../src/transport';
import { encodeMethodCall } from '../../src/xmlrpc';
import { testPki } from '../helpers/tls';

/**
 * A kept-alive connection that the server closed while it sat idle (its keep-alive timeout passed while the harness
 * was busy, e.g. minting credentials) is reset when the next request is written on it. That request never reached
 * the server, so the transport sends it again on a fresh connection; a new connection that is reset is not retried.
 */
const pki = testPki();
const limits = { timeoutMs: 20_000, maxResponseBytes: 1024 * 1024 };
const body = encodeMethodCall('GetVersion', []);
const answer = (text: string) => `HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nConnection: keep-alive\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`;

describe('a kept-alive connection the server has closed', () => {
  let server: tls.Server;
  let url: string;
  let connections = 0;
  let resetFresh = false;
  beforeAll(async () => {
    // Answers the first request of each connection and keeps it open; the second request on a connection is dropped
    // unanswered (the server had "closed" it). With resetFresh, every connection is dropped at once.
    server = tls.createServer({ cert: pki.server.certPem, key: pki.server.keyPem }, (socket) => {
      connections++;
      let requests = 0;
      socket.on('data', (chunk: Buffer) => {
        if (!chunk.toString('latin1').includes('\r\n\r\n')) return;
        requests++;
        if (resetFresh || requests > 1) socket.destroy();
        else socket.write(answer(`answer on connection ${connections}`));
      });
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/am/3`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends the request again on a fresh connection', async () => {
    const transport = new HttpsTransport({ ...pki.client, caPem: [pki.ca.certPem] });
    try {
      const before = connections;
      expect((await transport.post(url, body, limits)).body.toString()).toBe(`answer on connection ${before + 1}`);
      // Same (kept-alive) connection: dropped; the transport reconnects and gets the answer there.
      expect((await transport.post(url, body, limits)).body.toString()).toBe(`answer on connection ${before + 2}`);
      expect(connections).toBe(before + 2);
    } finally {
      transport.close();
    }
  });

  it('does not retry a new connection that is dropped before an answer', async () => {
    const transport = new HttpsTransport({ ...pki.client, caPem: [pki.ca.certPem] });
    resetFresh = true;
    try {
      const before = connections;
      const err = await transport.post(url, body, limits).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(TransportError);
      expect(connections).toBe(before + 1);
    } finally {
      resetFresh = false;
      transport.close();
    }
  });
});
