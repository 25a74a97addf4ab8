import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeMethodCall,
  decodeMethodResponse,
  encodeMethodCall,
  encodeMethodResponse,
  XmlRpcDateTime,
  type XmlRpcValue,
} from '../../src/xmlrpc';

/** Strings of any characters XML 1.0 allows (including CR, which the encoder must protect). */
const xmlString = fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => s.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, ''));

/**
 * Values that decode to exactly what was encoded. Left out on purpose: Date (decodes to XmlRpcDateTime),
 * bigints within the safe range (decode to number) and -0 (written as 0).
 */
const value: fc.Arbitrary<XmlRpcValue> = fc.letrec<{ value: XmlRpcValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    xmlString,
    fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    fc.maxSafeInteger(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0)),
    fc.boolean(),
    fc.constant(null),
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).filter((b) => b < BigInt(Number.MIN_SAFE_INTEGER) || b > BigInt(Number.MAX_SAFE_INTEGER)),
    fc.uint8Array({ maxLength: 16 }).map((bytes) => Buffer.from(bytes)),
    xmlString.map((raw) => new XmlRpcDateTime(raw)),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(xmlString, tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('encode → decode round trip', () => {
  it('returns every generated value unchanged (method response)', () => {
    fc.assert(
      fc.property(value, (v) => {
        const decoded = decodeMethodResponse(encodeMethodResponse(v));
        expect(decoded).toEqual({ kind: 'value', value: v, wireTypes: expect.any(Map) });
      }),
      { numRuns: 300 },
    );
  });

  it('returns every generated parameter list unchanged (method call)', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 4 }), (params) => {
        expect(decodeMethodCall(encodeMethodCall('Describe', params))).toEqual({ method: 'Describe', params });
      }),
      { numRuns: 100 },
    );
  });
});
