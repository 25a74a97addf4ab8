import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RAW_CALL_MUTATION_KINDS, rawXmlRpcCall } from '../../generators';
import { XmlRpcDecodeError, decodeMethodCall, type XmlRpcValue } from '../../src/xmlrpc';
import { assertSameForSeed } from './laws';

const CREDENTIAL = { geni_type: 'geni_sfa', geni_version: '3', geni_value: '<signed-credential/>' };
const CALLS: Array<[string, XmlRpcValue[]]> = [
  ['GetVersion', []],
  ['ListResources', [[CREDENTIAL], { geni_rspec_version: { type: 'GENI', version: '3' }, geni_available: true }]],
  ['Renew', [['urn:publicid:IDN+example.net+slice+s1'], [CREDENTIAL], '2030-01-01T00:00:00Z', {}]],
];
/** Small strings keep the law fast; the default size is checked once below. */
const SMALL = { hugeString: { min: 1000, max: 5000 } };

function decodeOutcome(body: string): { decoded: ReturnType<typeof decodeMethodCall> } | { failure: string } {
  try {
    return { decoded: decodeMethodCall(body) };
  } catch (err) {
    if (err instanceof XmlRpcDecodeError) return { failure: err.reason };
    throw err;
  }
}

describe('rawXmlRpcCall (integration)', () => {
  it('is deterministic for a seed', () => assertSameForSeed(rawXmlRpcCall(...CALLS[1]!, SMALL)));

  it.each(CALLS)('%s: the baseline decodes to the call, and each mutation fails or decodes to something else as it says', (method, params) => {
    expect(decodeMethodCall(encodeBaseline(method, params))).toEqual({ method, params });
    fc.assert(
      fc.property(rawXmlRpcCall(method, params, SMALL), ({ body, baseline, mutation }) => {
        const baselineCall = decodeMethodCall(baseline);
        const outcome = decodeOutcome(body);
        if (mutation.expected.decodes) {
          expect(outcome, `${mutation.kind}: ${mutation.description}`).toHaveProperty('decoded');
          expect('decoded' in outcome && outcome.decoded).not.toEqual(baselineCall);
        } else {
          expect(outcome, `${mutation.kind}: ${mutation.description}`).toEqual({ failure: mutation.expected.failure });
        }
      }),
      { numRuns: 150 },
    );
  });

  it('draws every applicable kind', () => {
    const kinds = new Set(fc.sample(rawXmlRpcCall(...CALLS[1]!, SMALL), { seed: 9, numRuns: 300 }).map((call) => call.mutation.kind));
    expect([...kinds].sort()).toEqual([...RAW_CALL_MUTATION_KINDS].sort());
    const noParams = new Set(fc.sample(rawXmlRpcCall('GetVersion', [], SMALL), { seed: 9, numRuns: 300 }).map((call) => call.mutation.kind));
    expect(noParams.has('missing-param') || noParams.has('wrong-type')).toBe(false);
  });

  it('keeps huge strings within the default 1 MB and nests 1000 arrays by default', () => {
    const [huge] = fc.sample(rawXmlRpcCall('GetVersion', [], { kinds: ['huge-string'] }), { seed: 1, numRuns: 1 });
    expect(huge!.body.length - huge!.baseline.length).toBeLessThanOrEqual(1_048_576 + 100);
    const [deep] = fc.sample(rawXmlRpcCall('GetVersion', [], { kinds: ['deep-nesting'] }), { seed: 1, numRuns: 1 });
    expect(deep!.body.split('<array>').length - 1).toBe(1000);
  });

  it('refuses settings that would not test anything', () => {
    expect(() => rawXmlRpcCall('GetVersion', [], { nestingDepth: 10 })).toThrow(/exceed the decoder's limit/);
    expect(() => rawXmlRpcCall('GetVersion', [], { kinds: ['wrong-type'] })).toThrow(/needs at least one param/);
  });
});

function encodeBaseline(method: string, params: XmlRpcValue[]): string {
  return fc.sample(rawXmlRpcCall(method, params, SMALL), { seed: 1, numRuns: 1 })[0]!.baseline;
}
