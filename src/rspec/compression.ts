import { deflateSync, inflateSync } from 'node:zlib';
import { HarnessError } from '../core';
import { RSpecParseError } from './errors';

/**
 * The most a geni_compressed RSpec may decompress to: zlib reaches ratios over 1000:1, so without a cap a few
 * kilobytes on the wire become gigabytes in memory. 64 MiB is the default cap on a whole XML-RPC answer too.
 */
export const DEFAULT_MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;

/** Standard base64 with optional padding; XML-RPC encoders may wrap lines, so white space is dropped first. */
const BASE64_TEXT = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Undoes geni_compressed: the RSpec is zlib-compressed (RFC 1950, header and Adler-32 included, i.e.
 * Python's zlib.compress) and the bytes base64-encoded into an XML-RPC string. Each way this can fail is
 * named, because "decompression failed" tells an aggregate's author nothing. Text that decompresses past
 * `maxBytes` is a HarnessError (origin 'target'), not an RSpecParseError: a limit of ours, not a malformed RSpec.
 */
export function decodeCompressedRSpec(text: string, options: { maxBytes?: number } = {}): string {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
  const compact = text.replace(/\s+/g, '');
  if (compact.length === 0) throw new RSpecParseError('not-compressed', 'geni_compressed RSpec is empty (no base64 text)');
  if (!BASE64_TEXT.test(compact)) {
    const offset = compact.search(/[^A-Za-z0-9+/=]/);
    const detail = offset >= 0 ? `character ${JSON.stringify(compact[offset])} at offset ${offset}` : 'misplaced "=" padding';
    throw new RSpecParseError('not-compressed', `geni_compressed RSpec is not base64: ${detail}`);
  }
  if (compact.length % 4 === 1) {
    throw new RSpecParseError('not-compressed', `geni_compressed RSpec is not base64: ${compact.length} characters cannot encode whole bytes`);
  }
  const compressed = Buffer.from(compact, 'base64');
  let inflated: Buffer;
  try {
    inflated = inflateSync(compressed, { maxOutputLength: maxBytes });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      // The harness's limit, not a broken document: the case cannot be judged (an error the aggregate caused).
      throw new HarnessError(
        'decode',
        `geni_compressed RSpec (${compressed.length} bytes compressed) decompresses to more than ${maxBytes} bytes, the harness's limit; it was not decompressed further`,
        { cause: err, origin: 'target' },
      );
    }
    const reason = err instanceof Error ? err.message : String(err);
    const looksLikeXml = compressed.subarray(0, 64).toString('latin1').trimStart().startsWith('<');
    throw new RSpecParseError(
      'not-compressed',
      `geni_compressed RSpec decodes from base64 to ${compressed.length} bytes that are not zlib (RFC 1950) data: ${reason}${looksLikeXml ? ' (the bytes are plain XML: base64 without compression)' : ''}`,
      undefined,
      { cause: err },
    );
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(inflated);
  } catch (err) {
    throw new RSpecParseError('not-compressed', `geni_compressed RSpec decompresses to ${inflated.length} bytes that are not UTF-8 text`, undefined, { cause: err });
  }
}

/** What an aggregate sends for geni_compressed=true: zlib (RFC 1950) then base64. */
export function encodeCompressedRSpec(xml: string): string {
  return deflateSync(Buffer.from(xml, 'utf8')).toString('base64');
}
