import { deflateRawSync, deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../src/core';
import { decodeCompressedRSpec, encodeCompressedRSpec, RSpecParseError } from '../../src/rspec';
import { fixture } from './helpers';

function decodeError(text: string): RSpecParseError {
  try {
    decodeCompressedRSpec(text);
  } catch (err) {
    if (err instanceof RSpecParseError) return err;
    throw err;
  }
  throw new Error('expected decodeCompressedRSpec to throw');
}

describe('geni_compressed', () => {
  it('round-trips an RSpec, including non-ASCII text', () => {
    const xml = fixture('ad-valid.xml').replace('alpha"', 'alpha-é"');
    const encoded = encodeCompressedRSpec(xml);
    expect(encoded).toMatch(/^eJ/); // zlib header 0x78 0x9c in base64
    expect(decodeCompressedRSpec(encoded)).toBe(xml);
  });

  it('tolerates line-wrapped base64', () => {
    const encoded = encodeCompressedRSpec(fixture('request-valid.xml'));
    const wrapped = encoded.replace(/(.{76})/g, '$1\n');
    expect(decodeCompressedRSpec(wrapped)).toBe(fixture('request-valid.xml'));
  });

  it('names a character that is not base64', () => {
    const error = decodeError('eJxL*LKS');
    expect(error.rule).toBe('not-compressed');
    expect(error.message).toContain('not base64: character "*" at offset 4');
  });

  it('says when plain XML was base64-encoded without compression', () => {
    const error = decodeError(Buffer.from('<rspec type="request"/>').toString('base64'));
    expect(error.message).toContain('not zlib (RFC 1950)');
    expect(error.message).toContain('base64 without compression');
  });

  it('rejects raw deflate without the zlib header', () => {
    const error = decodeError(deflateRawSync(Buffer.from('<rspec/>')).toString('base64'));
    expect(error.rule).toBe('not-compressed');
    expect(error.message).toContain('not zlib');
  });

  it('rejects empty text and impossible lengths', () => {
    expect(decodeError('  ').message).toContain('empty');
    expect(decodeError('eJxLy').message).toContain('cannot encode whole bytes');
  });

  it('stops a compression bomb at the limit and says so, as a limit of ours (not a malformed RSpec)', () => {
    const bomb = deflateSync(Buffer.alloc(1024 * 1024, 0x20)).toString('base64'); // 1 MiB of spaces, ~1 KB sent
    let thrown: unknown;
    try {
      decodeCompressedRSpec(bomb, { maxBytes: 64 * 1024 });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(HarnessError);
    expect(thrown).not.toBeInstanceOf(RSpecParseError);
    expect(thrown).toMatchObject({ phase: 'decode', origin: 'target' });
    expect((thrown as Error).message).toContain(`decompresses to more than ${64 * 1024} bytes`);
    expect(decodeCompressedRSpec(bomb, { maxBytes: 1024 * 1024 })).toHaveLength(1024 * 1024);
  });
});
