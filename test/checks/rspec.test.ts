import { describe, expect, it } from 'vitest';
import { rspec } from '../../src/checks';
import { deflateSync } from 'node:zlib';
import { DEFAULT_MAX_DECOMPRESSED_BYTES } from '../../src/rspec';
import { encodeCompressedRSpec } from '../../src/rspec/validate';
import { ctx, struct } from './answers';

const node = (name: string, now: boolean) => `
  <node component_id="urn:publicid:IDN+am.example.net+node+${name}" component_manager_id="urn:publicid:IDN+am.example.net+authority+cm"
        component_name="${name}" exclusive="true">
    <sliver_type name="raw-pc"/>
    <available now="${now}"/>
  </node>`;
const ad = (nodes: string, generated = '2026-01-01T00:00:00Z') =>
  `<?xml version="1.0"?>\n<rspec xmlns="http://www.geni.net/resources/rspec/3" type="advertisement" generated="${generated}">${nodes}\n</rspec>`;
const AD = ad(node('pc1', true) + node('pc2', false));

describe('rspec.validAs', () => {
  it('passes a valid advertisement, plain or compressed', () => {
    expect(rspec.validAs('advertisement')(struct(0, AD), ctx)).toEqual([]);
    expect(rspec.validAs('advertisement', 'value', { compressed: true })(struct(0, encodeCompressedRSpec(AD)), ctx)).toEqual([]);
  });
  it('reports the wrong root type', () => {
    const [f] = rspec.validAs('manifest')(struct(0, AD), ctx);
    expect(f).toMatchObject({ check: 'rspec', title: 'RSpec is not valid', spec: 'am3/common#RSpecDatatype', exchangeIds: ['x1'] });
    expect(f?.expected[0]).toContain('a valid manifest RSpec');
  });
  it('reports XML that is not well-formed, a non-string and a bad compressed text', () => {
    expect(rspec.validAs('advertisement')(struct(0, '<rspec'), ctx)[0]?.title).toBe('RSpec is not valid');
    expect(rspec.validAs('advertisement')(struct(0, 5), ctx)[0]?.title).toBe('RSpec is not a string');
    const [f] = rspec.validAs('advertisement', 'value', { compressed: true })(struct(0, AD), ctx);
    expect(f).toMatchObject({ check: 'rspec-compression', title: 'Compressed RSpec does not decode', spec: 'am3/common#geni_compressed' });
  });
  it("stops validating at the case's deadline (ctx.deadline): a document still being validated then is a decode error", () => {
    const big = ad(Array.from({ length: 5000 }, (_, i) => node(`pc${i}`, true)).join(''));
    const pastDeadline = { ...ctx, deadline: Date.now() - 1 };
    expect(() => rspec.validAs('advertisement')(struct(0, big), pastDeadline)).toThrow(expect.objectContaining({ phase: 'decode' }));
    // With time to spare the same document validates.
    expect(rspec.validAs('advertisement')(struct(0, big), { ...ctx, deadline: Date.now() + 120_000 })).toEqual([]);
  });
  it('reports a compressed RSpec past the decompression limit as an error caused by the aggregate, with its exchange', () => {
    const bomb = deflateSync(Buffer.alloc(DEFAULT_MAX_DECOMPRESSED_BYTES + 1, 0x20), { level: 1 }).toString('base64');
    let thrown: unknown;
    try {
      rspec.validAs('advertisement', 'value', { compressed: true })(struct(0, bomb), ctx);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toMatchObject({ phase: 'decode', origin: 'target', exchangeIds: ['x1'] });
    expect((thrown as Error).message).toMatch(/decompresses to more than \d+ bytes/);
  });
  it('passes notices to the note channel', () => {
    const notes: string[] = [];
    const ext = AD.replace('<rspec ', '<rspec xmlns:x="http://example.net/ext/1" ').replace('</rspec>', '<x:thing/></rspec>');
    rspec.validAs('advertisement')(struct(0, ext), { ...ctx, note: (t: string) => notes.push(t) } as typeof ctx);
    expect(notes.join('\n')).toContain('http://example.net/ext/1');
  });
});

describe('rspec compression', () => {
  it('compressedEquals ignores the generation timestamp', () => {
    const later = ad(node('pc1', true) + node('pc2', false), '2026-01-01T00:00:05Z');
    expect(rspec.compressedEquals(AD)(struct(0, encodeCompressedRSpec(later)), ctx)).toEqual([]);
    expect(rspec.compressedEquals(AD)(struct(0, encodeCompressedRSpec(ad(node('pc1', true)))), ctx)[0]?.title)
      .toBe('Compressed RSpec differs from the uncompressed one');
  });
  it('plain flags compressed text', () => {
    expect(rspec.plain()(struct(0, AD), ctx)).toEqual([]);
    expect(rspec.plain()(struct(0, encodeCompressedRSpec(AD)), ctx)[0]?.title).toBe('RSpec is compressed although compression was not requested');
  });
});

describe('rspec availability', () => {
  it('allNodesAvailable names each unavailable node', () => {
    expect(rspec.allNodesAvailable()(struct(0, ad(node('pc1', true))), ctx)).toEqual([]);
    const [f] = rspec.allNodesAvailable()(struct(0, AD), ctx);
    expect(f).toMatchObject({ title: 'Unavailable node listed under geni_available', actual: 'node "urn:publicid:IDN+am.example.net+node+pc2": now="false"' });
  });
  it('allNodesAvailable and nodesSubsetOf fail what they cannot read, never pass it', () => {
    for (const garbage of ['not xml at all', '<html><body>busy</body></html>', '<rspec type="advertisement"']) {
      expect(rspec.allNodesAvailable()(struct(0, garbage), ctx).map((f) => f.title)).toEqual(['RSpec cannot be read']);
      expect(rspec.nodesSubsetOf(AD)(struct(0, garbage), ctx).map((f) => f.title)).toEqual(['RSpec cannot be read']);
    }
    expect(rspec.allNodesAvailable()(struct(0, 42), ctx).map((f) => f.title)).toEqual(['RSpec is not a string']);
    expect(rspec.nodesSubsetOf('garbage')(struct(0, AD), ctx).map((f) => f.title)).toEqual(['The full advertisement to compare with cannot be read']);
  });
  it('nodesSubsetOf', () => {
    expect(rspec.nodesSubsetOf(AD)(struct(0, ad(node('pc1', true))), ctx)).toEqual([]);
    expect(rspec.nodesSubsetOf(ad(node('pc1', true)))(struct(0, AD), ctx)[0]?.actual).toBe('"urn:publicid:IDN+am.example.net+node+pc2"');
  });
});
