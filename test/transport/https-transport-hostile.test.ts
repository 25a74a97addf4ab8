import { Readable } from 'node:stream';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HttpsTransport, TransportError } from '../../src/transport';

/**
 * Odd and hostile HTTP answers, served by nock (which intercepts node:https).
 * The streamed 100 MB body is tested against a real TLS server instead (https-transport-tls.test.ts): nock's
 * interceptor drains a reply stream to the end regardless of backpressure and keeps pushing into the socket we
 * destroyed, so it can neither show that reading stopped nor stay clear of Node's internal assertions. A body
 * that breaks off is also tested there, over real TLS.
 */

const ORIGIN = 'https://am.example.test:12346';
const URL = `${ORIGIN}/am/3`;
const transport = new HttpsTransport({});
// Generous: only the timeout tests below rely on the clock (with their own short limits); the rest must hold on a loaded machine.
const limits = { timeoutMs: 60_000, maxResponseBytes: 1024 * 1024 };

afterEach(() => nock.cleanAll());
// Test files may share a worker (vitest.config.ts: isolate off in the unit tier), and another file's afterAll
// restores nock: intercept again.
beforeAll(() => {
  if (!nock.isActive()) nock.activate();
});
afterAll(() => {
  transport.close();
  nock.restore();
});

async function failureOf(promise: Promise<unknown>): Promise<TransportError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof TransportError)) throw new Error(`expected a TransportError, got ${String(err)}`);
  return err;
}

describe('ordinary answers', () => {
  it('sends text/xml with our User-Agent and returns status, headers and body', async () => {
    const scope = nock(ORIGIN)
      .post('/am/3', '<methodCall/>')
      .matchHeader('content-type', 'text/xml')
      .matchHeader('user-agent', 'geni-harness')
      .matchHeader('x-extra', '1')
      .reply(200, '<methodResponse/>', { 'Content-Type': 'text/xml', 'X-Multi': ['a', 'b'] });
    const res = await transport.post(URL, '<methodCall/>', { ...limits, headers: { 'X-Extra': '1' } });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('<methodResponse/>');
    expect(res.headers['content-type']).toBe('text/xml');
    expect(res.headers['x-multi']).toBe('a, b');
    expect(scope.isDone()).toBe(true);
  });

  it('returns a redirect as it is, without following it', async () => {
    const elsewhere = nock('https://elsewhere.test').post('/').reply(200, 'followed');
    nock(ORIGIN).post('/am/3').reply(302, '', { Location: 'https://elsewhere.test/' });
    const res = await transport.post(URL, 'x', limits);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('https://elsewhere.test/');
    expect(elsewhere.isDone()).toBe(false);
  });

  it('returns a 503 as it is', async () => {
    nock(ORIGIN).post('/am/3').reply(503, '<html>busy</html>', { 'Content-Type': 'text/html' });
    const res = await transport.post(URL, 'x', limits);
    expect(res.status).toBe(503);
    expect(res.body.toString()).toBe('<html>busy</html>');
  });
});

describe('bounded memory and time', () => {
  it('refuses a declared Content-Length over the cap before reading', async () => {
    nock(ORIGIN).post('/am/3').reply(200, 'small really', { 'Content-Length': String(10 * 1024 * 1024) });
    const err = await failureOf(transport.post(URL, 'x', { ...limits, maxResponseBytes: 1000 }));
    expect(err.failure).toBe('too-large');
    expect(err.message).toMatch(/exceeds the 1000 B cap/);
  });

  it('times out a response that never ends', async () => {
    const endless = new Readable({ read() {} });
    endless.push('<methodResponse>');
    nock(ORIGIN).post('/am/3').reply(200, () => endless);
    // The body never ends: only the exchange's own limit (named in the message) can end it.
    const err = await failureOf(transport.post(URL, 'x', { ...limits, timeoutMs: 150 }));
    expect(err.failure).toBe('timeout');
    expect(err.message).toBe(`${URL}: no complete response within 150 ms`);
    endless.destroy();
  });

  it('times out a server that delays its headers', async () => {
    nock(ORIGIN).post('/am/3').delay(5000).reply(200, 'late');
    const err = await failureOf(transport.post(URL, 'x', { ...limits, timeoutMs: 100 }));
    expect(err.failure).toBe('timeout');
  });
});

describe('broken connections', () => {
  it('reports a connection error before any answer', async () => {
    nock(ORIGIN).post('/am/3').replyWithError(Object.assign(new Error('connect ECONNREFUSED 203.0.113.9:12346'), { code: 'ECONNREFUSED' }));
    const err = await failureOf(transport.post(URL, 'x', limits));
    expect(err.failure).toBe('connect');
    expect(err.message).toMatch(/cannot connect \(ECONNREFUSED/);
  });

  it('reports a body that breaks off as protocol', async () => {
    // The first chunk goes out, then the connection breaks when more is read: no clock involved, so a loaded machine
    // cannot make the timeout win the race.
    let sent = false;
    const broken = new Readable({
      read() {
        if (sent) this.destroy(new Error('connection reset by peer'));
        else this.push('<methodResponse><params>');
        sent = true;
      },
    });
    nock(ORIGIN).post('/am/3').reply(200, () => broken);
    const err = await failureOf(transport.post(URL, 'x', limits));
    expect(err.failure).toBe('protocol');
    expect(err.message).toMatch(/response broke off after \d+ bytes/);
  });
});
