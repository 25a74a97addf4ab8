import libxmljs from 'libxmljs2';
import { XmlRpcDecodeError } from './errors';

/**
 * Parse untrusted XML without ever resolving entities or touching the network.
 *
 * A DOCTYPE is refused before libxml2 sees the text: XML-RPC has no use for one, and it is the door for XXE and
 * entity-expansion bombs. The parser flags matter too: never set `noent` (libxmljs2 then reads local files even
 * under `nonet`) and never `huge` (with `noent` an entity bomb can crash the process; without it libxml2 also
 * caps nesting at 256 levels, which we report as 'too-deep').
 */
const PARSER_OPTIONS = { noent: false, nonet: true, huge: false, dtdload: false, dtdvalid: false, noblanks: false } as const;

export function parseUntrustedXml(body: string | Uint8Array): libxmljs.Document {
  let source: string | Buffer;
  let prologText: string;
  if (typeof body === 'string') {
    source = body;
    prologText = body;
  } else {
    const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    // The DOCTYPE scan below reads bytes as ASCII; UTF-16/32 would slip past it, so they are refused outright.
    if (bytes.length >= 2 && ((bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[0] === 0xff && bytes[1] === 0xfe) || bytes[0] === 0 || bytes[1] === 0)) {
      throw new XmlRpcDecodeError('not-xml', 'body is UTF-16 or UTF-32; only ASCII-compatible encodings are accepted', 1);
    }
    // Passing the bytes (not a string) lets libxml2 honour an encoding declaration such as ISO-8859-1.
    source = bytes;
    prologText = bytes.subarray(0, 64 * 1024).toString('latin1');
  }
  if (source.length === 0) throw new XmlRpcDecodeError('not-xml', 'body is empty', 1);
  const doctypeLine = findDoctype(prologText);
  if (doctypeLine !== undefined) {
    throw new XmlRpcDecodeError('dtd-forbidden', `document declares a DOCTYPE at line ${doctypeLine}; DTDs are refused (XXE and entity expansion)`, doctypeLine);
  }
  try {
    return libxmljs.parseXml(source as string, PARSER_OPTIONS);
  } catch (err) {
    const e = err as { message?: string; line?: number | null };
    const text = (e.message ?? String(err)).trim();
    const line = typeof e.line === 'number' ? e.line : undefined;
    if (/Excessive depth/i.test(text)) {
      throw new XmlRpcDecodeError('too-deep', `document nests elements more than 256 deep${line ? ` (line ${line})` : ''}`, line);
    }
    throw new XmlRpcDecodeError('not-xml', `not well-formed XML${line ? ` at line ${line}` : ''}: ${text}`, line);
  }
}

/**
 * Walk the prolog (BOM, XML declaration, comments, processing instructions, whitespace) and return the line of a
 * DOCTYPE declaration if one comes before the root element.
 */
function findDoctype(text: string): number | undefined {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const lineAt = (index: number): number => text.slice(0, index).split('\n').length;
  for (;;) {
    while (i < text.length && /\s/.test(text[i] ?? '')) i++;
    if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i + 2);
      if (end < 0) return undefined;
      i = end + 2;
    } else if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end < 0) return undefined;
      i = end + 3;
    } else if (text.slice(i, i + 9).toUpperCase() === '<!DOCTYPE') {
      return lineAt(i);
    } else {
      return undefined;
    }
  }
}
