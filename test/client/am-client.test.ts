import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HarnessError } from '../../src/core';
import { AmClient, Transcript, transcriptBody } from '../../src/client';
import { HttpsTransport } from '../../src/transport';
import { startXmlRpcHttpsServer, XmlRpcFault, type RunningXmlRpcServer } from '../../src/server';
import { encodeMethodCall, type XmlRpcValue } from '../../src/xmlrpc';
import { testPki } from '../helpers/tls';

/** The AM client against our real HTTPS XML-RPC server: results, transcripts, redaction. */

const pki = testPki();
let server: RunningXmlRpcServer;
let transport: HttpsTransport;
const received: XmlRpcValue[][] = [];

beforeAll(async () => {
  server = await startXmlRpcHttpsServer({
    tls: { ...pki.server, caPem: [pki.ca.certPem] },
    routes: {
      '/am/3': async (method, params) => {
        received.push(params);
        if (method === 'Shutdown') throw new XmlRpcFault(3, 'not allowed');
        return { code: { geni_code: 0 }, value: { geni_api: 3, echo: params }, output: '' };
      },
    },
  });
  transport = new HttpsTransport({ ...pki.client, caPem: [pki.ca.certPem] });
});
afterAll(async () => {
  transport.close();
  await server.close();
});

const PRIVATE_KEY_BODY = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDsecretkeymaterial';
const SIGNATURE = 'c2lnbmF0dXJlLXZhbHVlLXNlY3JldA==';
const CREDENTIAL = `<?xml version="1.0"?>
<signed-credential xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><credential xml:id="ref0"><type>privilege</type>
<owner_urn>${pki.clientUrn}</owner_urn><target_urn>urn:publicid:IDN+geni-harness.test+slice+s1</target_urn>
<owner_gid>CREDENTIAL-OWNER-GID-BODY</owner_gid></credential><signatures><Signature xmlns="http://www.w3.org/2000/09/xmldsig#">
<SignatureValue>${SIGNATURE}</SignatureValue></Signature></signatures></signed-credential>`;

describe('calls', () => {
  it('returns the value with wire types, and records the exchange', async () => {
    const client = new AmClient({ url: server.url('/am/3'), transport });
    const result = await client.call('GetVersion', [{}]);
    expect(result).toMatchObject({ kind: 'value', exchangeId: 'x1', value: { code: { geni_code: 0 }, value: { geni_api: 3 } } });
    if (result.kind !== 'value') throw new Error('unreachable');
    expect(result.wireTypes.get('code.geni_code')).toBe('int');
    const [entry] = client.transcript.entries;
    expect(entry).toMatchObject({
      id: 'x1',
      method: 'GetVersion',
      endpoint: server.url('/am/3'),
      response: { httpStatus: 200, contentType: 'text/xml' },
    });
    expect(entry?.request.body).toBe(encodeMethodCall('GetVersion', [{}]));
    expect(entry?.request.bytes).toBe(Buffer.byteLength(encodeMethodCall('GetVersion', [{}])));
    expect(entry?.response?.body).toContain('<name>geni_api</name>');
    expect(entry?.error).toBeUndefined();
    expect(Date.parse(entry?.startedAt ?? '')).not.toBeNaN();
  });

  it('returns a fault as a result, not an exception', async () => {
    const client = new AmClient({ url: server.url('/am/3'), transport });
    expect(await client.call('Shutdown', [])).toMatchObject({ kind: 'fault', faultCode: 3, faultString: 'not allowed' });
  });

  it('sends raw bytes as they are through callRaw', async () => {
    const client = new AmClient({ url: server.url('/am/3'), transport });
    const result = await client.callRaw('malformed-body', '<methodCall><methodName>x</methodName><params><param>');
    expect(result).toMatchObject({ kind: 'fault', faultCode: -32700 });
    expect(client.transcript.entries[0]).toMatchObject({ method: 'malformed-body', request: { body: '<methodCall><methodName>x</methodName><params><param>' } });
  });

  it('shares the connection but not the transcript with withTranscript, and retargets with withUrl', async () => {
    const base = new AmClient({ url: server.url('/am/3'), transport });
    const perCase = new Transcript();
    const caseClient = base.withTranscript(perCase);
    await caseClient.call('GetVersion', []);
    await caseClient.call('GetVersion', []);
    expect(perCase.entries.map((e) => e.id)).toEqual(['x1', 'x2']);
    expect(base.transcript.entries).toHaveLength(0);
    const elsewhere = base.withUrl(server.url('/am/2'));
    expect(elsewhere.url).toBe(server.url('/am/2'));
    expect(elsewhere.transcript).toBe(base.transcript);
  });

  it('refuses parameters it cannot encode without sending anything', async () => {
    const client = new AmClient({ url: server.url('/am/3'), transport });
    await expect(client.call('Describe', [Number.NaN])).rejects.toThrow(/Describe at https:\/\/127\.0\.0\.1:\d+\/am\/3: cannot encode the parameters: params\[0\]: NaN/);
    expect(client.transcript.entries).toHaveLength(0);
  });
});

describe('failures are recorded and thrown as harness errors', () => {
  it('turns a 404 into a transport HarnessError pointing at its exchange', async () => {
    const client = new AmClient({ url: server.url('/nowhere'), transport });
    const err = await client.call('GetVersion', []).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HarnessError);
    const h = err as HarnessError;
    expect(h.phase).toBe('transport');
    expect(h.exchangeIds).toEqual(['x1']);
    expect(h.message).toMatch(/^GetVersion at https:\/\/127\.0\.0\.1:\d+\/nowhere: HTTP 404 with a text\/plain body \(\d+ B\), not an XML-RPC response$/);
    expect(client.transcript.entries[0]).toMatchObject({ response: { httpStatus: 404, body: expect.stringContaining('no XML-RPC endpoint') }, error: expect.stringMatching(/^HTTP 404/) });
  });

  it('records a transport failure with no response', async () => {
    const client = new AmClient({ url: 'http://127.0.0.1:1/am/3', transport });
    const err = (await client.call('GetVersion', []).catch((e: unknown) => e)) as HarnessError;
    expect(err.phase).toBe('transport');
    expect(err.message).toBe('GetVersion at http://127.0.0.1:1/am/3: only https: URLs are supported (GENI aggregates require TLS with client certificates), but received http:');
    expect(client.transcript.entries[0]).toMatchObject({ id: 'x1', error: expect.stringContaining('only https:') });
    expect(client.transcript.entries[0]?.response).toBeUndefined();
  });
});

describe('redaction', () => {
  it('keeps credentials, signatures and private keys out of the recorded exchange', async () => {
    const keyPem = `${"-----BEGIN"} PRIVATE KEY-----\r\n${PRIVATE_KEY_BODY}\r\n-----END PRIVATE KEY-----\r\n`;
    const client = new AmClient({ url: server.url('/am/3'), transport });
    const credentials = [{ geni_type: 'geni_sfa', geni_version: '3', geni_value: CREDENTIAL }];
    await client.call('ListResources', [credentials, { note: keyPem, rsaKey: pki.client.keyPem }]);
    // The server got the real thing ...
    expect(JSON.stringify(received.at(-1))).toContain(SIGNATURE);
    // ... and it echoed it back, so both directions are checked.
    const recorded = JSON.stringify(client.transcript.entries);
    for (const secret of [PRIVATE_KEY_BODY, SIGNATURE, 'CREDENTIAL-OWNER-GID-BODY', pki.client.keyPem.split('\n')[1] ?? 'unreachable']) {
      expect(recorded).not.toContain(secret);
    }
    expect(recorded).toContain('«credential sha256:');
    expect(recorded).toContain('type=privilege target=urn:publicid:IDN+geni-harness.test+slice+s1');
    expect(recorded).toContain('«private key sha256:');
    expect(client.transcript.entries[0]?.request.bytes).toBeGreaterThan(CREDENTIAL.length);
  });
});

describe('transcript bodies', () => {
  it('cuts long bodies at 256 KiB with a marker naming the rest', () => {
    const text = 'a'.repeat(256 * 1024 + 10);
    const kept = transcriptBody(text);
    expect(kept).toBe(`${'a'.repeat(256 * 1024)}«… 10 bytes more»`);
    expect(transcriptBody('short')).toBe('short');
  });

  it('cuts on a character boundary', () => {
    const kept = transcriptBody('ééé', 3);
    expect(kept).toBe('é«… 4 bytes more»');
  });

  it('redacts before cutting, so a key that straddles the cut is still removed', () => {
    const key = `${"-----BEGIN"} RSA PRIVATE KEY-----\n${'K'.repeat(100)}\n-----END RSA PRIVATE KEY-----`;
    const kept = transcriptBody(`${'x'.repeat(10)}${key}`, 40);
    expect(kept).not.toContain('KKKK');
  });
});
