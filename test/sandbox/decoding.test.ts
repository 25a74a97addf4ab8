import { afterAll, describe, expect, it } from 'vitest';
import { DocumentSandbox, SandboxFailure, decodeResponseInSandbox, DECODING_SANDBOX_LIMITS } from '../../src/sandbox';
import { decodeMethodResponse, encodeMethodResponse, XmlRpcDateTime, XmlRpcDecodeError } from '../../src/xmlrpc';

/**
 * Aggregates' XML-RPC answers are decoded in the sandbox: the same values as in process, the same decode errors,
 * and a worker that a deadline stops and whose memory budget ends the worker, never the process.
 */

const boxes: DocumentSandbox[] = [];
function sandbox(limits: ConstructorParameters<typeof DocumentSandbox>[0] = DECODING_SANDBOX_LIMITS): DocumentSandbox {
  const box = new DocumentSandbox(limits);
  boxes.push(box);
  return box;
}
afterAll(async () => {
  await Promise.all(boxes.map((b) => b.close()));
});

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');
const manyValues = (n: number): Buffer =>
  bytes(`<methodResponse><params><param><value><array><data>${'<value><struct><member><name>n</name><value><i4>7</i4></value></member></struct></value>'.repeat(n)}</data></array></value></param></params></methodResponse>`);

describe('decoding in the sandbox', () => {
  it('gives back exactly what decoding in process gives: dates, base64, member order, "__proto__" as data, wire types', async () => {
    const value = {
      z: 1, __proto__: 'data', when: new XmlRpcDateTime('20240101T00:00:00Z'), blob: Buffer.from([0, 255, 7]), big: 2n ** 40n,
      list: [new XmlRpcDateTime('2025-02-03T04:05:06Z'), { nested: [true, null, 1.5] }], text: 'café <&>',
    };
    const encoded = bytes(encodeMethodResponse(Object.defineProperty({ ...value }, '__proto__', { value: 'data', enumerable: true })));
    const inProcess = decodeMethodResponse(encoded);
    const inSandbox = await decodeResponseInSandbox(encoded, { deadlineMs: 60_000, sandbox: sandbox() });
    expect(inSandbox).toEqual(inProcess);
    if (inSandbox.kind !== 'value') throw new Error('expected a value');
    const struct = inSandbox.value as Record<string, unknown>;
    expect(struct.when).toBeInstanceOf(XmlRpcDateTime);
    expect((struct.list as unknown[])[0]).toBeInstanceOf(XmlRpcDateTime);
    expect(Buffer.isBuffer(struct.blob)).toBe(true);
    expect(Object.keys(struct)).toEqual(Object.keys(inProcess.kind === 'value' ? (inProcess.value as object) : {}));
    expect(Object.getPrototypeOf(struct)).toBe(Object.prototype);
    expect([...inSandbox.wireTypes]).toEqual([...(inProcess.kind === 'value' ? inProcess.wireTypes : [])]);
  });

  it('returns a root dateTime and a fault as they are', async () => {
    const box = sandbox();
    const date = await decodeResponseInSandbox(bytes(encodeMethodResponse(new XmlRpcDateTime('19980717T14:08:55'))), { deadlineMs: 60_000, sandbox: box });
    expect(date.kind === 'value' && date.value).toBeInstanceOf(XmlRpcDateTime);
    const fault = '<methodResponse><fault><value><struct><member><name>faultCode</name><value><int>4</int></value></member><member><name>faultString</name><value>no</value></member></struct></value></fault></methodResponse>';
    expect(await decodeResponseInSandbox(bytes(fault), { deadlineMs: 60_000, sandbox: box })).toEqual({ kind: 'fault', faultCode: 4, faultString: 'no' });
  });

  it('throws the decode error the body deserves, with its reason and line', async () => {
    const err = await decodeResponseInSandbox(bytes('<methodResponse>\n<params>&x;</params></methodResponse>'), { deadlineMs: 60_000, sandbox: sandbox() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(XmlRpcDecodeError);
    expect(err).toMatchObject({ reason: 'not-xml', line: 2 });
  });

  it('applies the limits it is given', async () => {
    const err = await decodeResponseInSandbox(bytes(encodeMethodResponse('x'.repeat(2000))), { deadlineMs: 60_000, limits: { maxStringLength: 1000 }, sandbox: sandbox() }).catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: 'too-large' });
  });

  it('stops a decoding at its deadline; the next one gets a fresh worker', async () => {
    const box = sandbox();
    const err = await decodeResponseInSandbox(manyValues(120_000), { deadlineMs: 5, sandbox: box }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SandboxFailure);
    expect(err).toMatchObject({ kind: 'timeout' });
    expect(await decodeResponseInSandbox(bytes(encodeMethodResponse('ok')), { deadlineMs: 60_000, sandbox: box })).toMatchObject({ value: 'ok' });
  });

  it('a document past the worker heap ends the worker, not the process', async () => {
    const box = sandbox({ heapMb: 24, wasmMb: 64 });
    const err = await decodeResponseInSandbox(manyValues(120_000), { deadlineMs: 120_000, limits: { maxElements: 10_000_000 }, sandbox: box }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SandboxFailure);
    expect(err).toMatchObject({ kind: 'failed' });
    expect(await decodeResponseInSandbox(bytes(encodeMethodResponse('still here')), { deadlineMs: 60_000, sandbox: box })).toMatchObject({ value: 'still here' });
  });

  it('takes concurrent decodings one after another', async () => {
    const box = sandbox();
    const answers = await Promise.all(['a', 'b', 'c', 'd'].map((v) => decodeResponseInSandbox(bytes(encodeMethodResponse(v)), { deadlineMs: 60_000, sandbox: box })));
    expect(answers.map((a) => (a.kind === 'value' ? a.value : undefined))).toEqual(['a', 'b', 'c', 'd']);
  });
});
