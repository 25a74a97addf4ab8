import { Readable } from 'node:stream';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HarnessError } from '../../src/core';
import { AmClient } from '../../src/client';
import { HttpsTransport } from '../../src/transport';

/** Hostile or odd aggregates (served by nock): every problem is recorded, then thrown as a one-line HarnessError. */

const ORIGIN = 'https://am.example.test:12346';
const URL = `${ORIGIN}/am/3`;
const transport = new HttpsTransport({});

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

async function harnessErrorOf(client: AmClient, method = 'ListResources'): Promise<HarnessError> {
  const err = await client.call(method, [[], {}]).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof HarnessError)) throw new Error(`expected a HarnessError, got ${String(err)}`);
  expect(err.exchangeIds).toEqual([client.transcript.entries.at(-1)?.id]);
  expect(err.message).not.toMatch(/\n/);
  return err;
}

describe('answers that are not XML-RPC', () => {
  it('HTML with 200', async () => {
    nock(ORIGIN).post('/am/3').reply(200, '<html><head><title>Login</title></head><body><p>Please log in<br></body></html>', { 'Content-Type': 'text/html; charset=utf-8' });
    const client = new AmClient({ url: URL, transport });
    const err = await harnessErrorOf(client);
    expect(err.phase).toBe('decode');
    expect(err.message).toMatch(/^ListResources at https:\/\/am\.example\.test:12346\/am\/3: HTTP 200 with a text\/html body \(\d+ B\), not an XML-RPC response \(body is HTML/);
    expect(client.transcript.entries[0]?.response).toMatchObject({ httpStatus: 200, contentType: 'text/html; charset=utf-8', body: expect.stringContaining('Please log in') });
  });

  it('503 with an HTML page', async () => {
    nock(ORIGIN).post('/am/3').reply(503, `<html><body>${'busy '.repeat(240)}</body></html>`, { 'Content-Type': 'text/html' });
    const client = new AmClient({ url: URL, transport });
    const err = await harnessErrorOf(client);
    expect(err.phase).toBe('transport');
    expect(err.message).toBe('ListResources at https://am.example.test:12346/am/3: HTTP 503 with a text/html body (1.2 KB), not an XML-RPC response');
    expect(client.transcript.entries[0]?.error).toBe('HTTP 503 with a text/html body (1.2 KB), not an XML-RPC response');
  });

  it('302 redirect, not followed', async () => {
    nock(ORIGIN).post('/am/3').reply(302, '', { Location: 'https://login.example.test/' });
    const client = new AmClient({ url: URL, transport });
    const err = await harnessErrorOf(client);
    expect(err.phase).toBe('transport');
    expect(err.message).toMatch(/HTTP 302 redirect to https:\/\/login\.example\.test\/ \(redirects are not followed\)/);
  });

  it('truncated XML', async () => {
    nock(ORIGIN).post('/am/3').reply(200, '<?xml version="1.0"?><methodResponse><params><param><value><struct><member><name>co', { 'Content-Type': 'text/xml' });
    const client = new AmClient({ url: URL, transport });
    const err = await harnessErrorOf(client);
    expect(err.phase).toBe('decode');
    expect(err.message).toMatch(/HTTP 200 with a text\/xml body \(\d+ B\), not an XML-RPC response \(not well-formed XML at line 1/);
  });

  it('an empty body', async () => {
    nock(ORIGIN).post('/am/3').reply(200, '');
    const err = await harnessErrorOf(new AmClient({ url: URL, transport }));
    expect(err.message).toMatch(/HTTP 200 with an empty body, not an XML-RPC response \(body is empty\)/);
  });

  it('an XXE / entity-bomb response is refused, not expanded', async () => {
    nock(ORIGIN).post('/am/3').reply(200, '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]><methodResponse><params><param><value>&x;</value></param></params></methodResponse>', { 'Content-Type': 'text/xml' });
    const client = new AmClient({ url: URL, transport });
    const err = await harnessErrorOf(client);
    expect(err.phase).toBe('decode');
    expect(err.message).toMatch(/undecodable XML-RPC response \(dtd-forbidden\): document declares a DOCTYPE at line 1/);
    expect(JSON.stringify(client.transcript.entries)).not.toContain('root:');
  });

  it('a bad value names where it is', async () => {
    nock(ORIGIN).post('/am/3').reply(200, '<methodResponse><params><param><value><struct><member><name>code</name><value><struct><member><name>geni_code</name><value><int>zero</int></value></member></struct></value></member></struct></value></param></params></methodResponse>');
    const err = await harnessErrorOf(new AmClient({ url: URL, transport }));
    expect(err.message).toMatch(/\(bad-value\): <value> at methodResponse\/params\/param\/value\/struct\/member\[1\] \('code'\)\/value\/struct\/member\[1\] \('geni_code'\): <int> text 'zero' is not an integer$/);
  });
});

describe('limits', () => {
  it('a response that never ends times out quickly and is recorded', async () => {
    const endless = new Readable({ read() {} });
    endless.push('<methodResponse>');
    nock(ORIGIN).post('/am/3').reply(200, () => endless);
    const client = new AmClient({ url: URL, transport, timeoutMs: 150 });
    // The body never ends: only the client's own limit (named in the message) can end it.
    const err = await harnessErrorOf(client);
    expect(err.phase).toBe('transport');
    expect(err.message).toBe('ListResources at https://am.example.test:12346/am/3: no complete response within 150 ms');
    expect(client.transcript.entries[0]).toMatchObject({ error: 'no complete response within 150 ms' });
    expect(client.transcript.entries[0]?.durationMs).toBeGreaterThanOrEqual(140);
    endless.destroy();
  });

  it('a body over maxResponseBytes is a transport error', async () => {
    nock(ORIGIN).post('/am/3').reply(200, 'x'.repeat(5000), { 'Content-Length': '5000' });
    const client = new AmClient({ url: URL, transport, maxResponseBytes: 1000 });
    const err = await harnessErrorOf(client);
    expect(err.message).toMatch(/response exceeds the 1000 B cap/);
  });
});
