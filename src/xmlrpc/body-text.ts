import { XmlRpcDecodeError } from './errors';

/**
 * The characters of an XML-RPC body given as bytes: UTF-8 unless its XML declaration names another encoding
 * (ISO-8859-1 is common in older servers). Bytes that are not valid in that encoding make the document not
 * well-formed, as libxml2 says ("Input is not proper UTF-8"); UTF-16 and UTF-32 are refused outright (no
 * XML-RPC server sends them, and every scan here reads ASCII markup).
 */
export function bodyText(bytes: Uint8Array): string {
  if (bytes.length === 0) throw new XmlRpcDecodeError('not-xml', 'body is empty', 1);
  if (bytes.length >= 2 && ((bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[0] === 0xff && bytes[1] === 0xfe) || bytes[0] === 0 || bytes[1] === 0)) {
    throw new XmlRpcDecodeError('not-xml', 'body is UTF-16 or UTF-32; only ASCII-compatible encodings are accepted', 1);
  }
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bom = buffer.length >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf;
  const declared = bom ? undefined : declaredEncoding(buffer);
  const label = (declared ?? 'utf-8').toLowerCase();
  if (label === 'utf-8' || label === 'utf8') return utf8(buffer.subarray(bom ? 3 : 0));
  if (label === 'iso-8859-1' || label === 'latin1' || label === 'iso_8859-1' || label === 'l1' || label === 'iso-latin-1') return buffer.toString('latin1');
  if (label === 'us-ascii' || label === 'ascii') {
    const bad = buffer.findIndex((b) => b >= 0x80);
    if (bad >= 0) notProper('US-ASCII', buffer, bad);
    return buffer.toString('latin1');
  }
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(label, { fatal: true });
  } catch {
    throw new XmlRpcDecodeError('not-xml', `not well-formed XML at line 1: unsupported encoding ${JSON.stringify(declared)}`, 1);
  }
  if (decoder.encoding === 'utf-16le' || decoder.encoding === 'utf-16be') {
    throw new XmlRpcDecodeError('not-xml', `not well-formed XML at line 1: encoding ${declared} declared on ASCII-compatible bytes`, 1);
  }
  try {
    return decoder.decode(buffer);
  } catch {
    throw new XmlRpcDecodeError('not-xml', `not well-formed XML: input is not proper ${declared}`, undefined);
  }
}

function declaredEncoding(buffer: Buffer): string | undefined {
  const head = buffer.subarray(0, 256).toString('latin1');
  const declaration = /^<\?xml[ \t\r\n][^>]*?\?>/.exec(head)?.[0];
  return declaration ? /encoding\s*=\s*["']([A-Za-z][A-Za-z0-9._-]*)["']/.exec(declaration)?.[1] : undefined;
}

function utf8(buffer: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(buffer);
  } catch {
    notProper('UTF-8', buffer, firstInvalidUtf8(buffer));
  }
}

function notProper(encoding: string, buffer: Buffer, at: number): never {
  let line = 1;
  for (let i = buffer.indexOf(0x0a); i !== -1 && i < at; i = buffer.indexOf(0x0a, i + 1)) line += 1;
  const byte = buffer[at] ?? 0;
  throw new XmlRpcDecodeError('not-xml', `not well-formed XML at line ${line}: input is not proper ${encoding} (byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')} at offset ${at})`, line);
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(b: Buffer): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    let need = 0;
    let min = 0;
    if (c < 0x80) { i += 1; continue; }
    if (c >= 0xc2 && c <= 0xdf) { need = 1; min = 0x80; }
    else if (c >= 0xe0 && c <= 0xef) { need = 2; min = 0x800; }
    else if (c >= 0xf0 && c <= 0xf4) { need = 3; min = 0x10000; }
    else return i;
    let code = c & (0x3f >> need);
    for (let k = 1; k <= need; k += 1) {
      const next = b[i + k];
      if (next === undefined || (next & 0xc0) !== 0x80) return i;
      code = (code << 6) | (next & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return i;
    i += need + 1;
  }
  return b.length;
}
