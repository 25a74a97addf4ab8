import { RSpecParseError } from './errors';

/** How much of a document the prolog scan decodes first; a prolog longer than this is rescanned whole. */
const PROLOG_WINDOW = 64 * 1024;

/**
 * Throws RSpecParseError when the document declares a DTD (or anything else stands before its root element that
 * the scan cannot vouch for). Only the prolog is read: a 50 MB document costs the same as a small one.
 */
export function refuseDocumentTypeDeclaration(text: string | Uint8Array, what: string): void {
  const whole = text.length <= PROLOG_WINDOW;
  const window = whole ? text : typeof text === 'string' ? text.slice(0, PROLOG_WINDOW) : text.subarray(0, PROLOG_WINDOW);
  const prolog = typeof window === 'string' ? window : decodeForScanning(window);
  if (rejectDocumentTypeDeclaration(prolog, what, whole) === 'complete' || whole) return;
  rejectDocumentTypeDeclaration(typeof text === 'string' ? text : decodeForScanning(text), what, true);
}

/** Bytes are scanned only for ASCII markup, so UTF-16 needs real decoding and anything else reads as Latin-1. */
function decodeForScanning(bytes: Uint8Array): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  if (bytes.length >= 2 && bytes[0] === 0x3c && bytes[1] === 0x00) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes.length >= 2 && bytes[0] === 0x00 && bytes[1] === 0x3c) return new TextDecoder('utf-16be').decode(bytes);
  const start = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0; // UTF-8 BOM
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, bytes.byteLength - start).toString('latin1');
}

/**
 * Walks the prolog (BOM, XML declaration, comments, processing instructions, white space) up to the root
 * start tag. Any other markup declaration there is a DOCTYPE (or a stray ENTITY) and is refused.
 */
function rejectDocumentTypeDeclaration(text: string, what: string, whole: boolean): 'complete' | 'ran-out' {
  let position = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (;;) {
    while (position < text.length && /\s/.test(text[position]!)) position += 1;
    // A window that ends mid-markup cannot tell "<!--" from "<!DOCTYPE": the caller rescans the whole text.
    if (!whole && position > text.length - 16) return 'ran-out';
    if (text.startsWith('<?', position)) {
      const end = text.indexOf('?>', position + 2);
      if (end < 0) return 'ran-out'; // unterminated: libxml2 will report it as not well-formed
      position = end + 2;
    } else if (text.startsWith('<!--', position)) {
      const end = text.indexOf('-->', position + 4);
      if (end < 0) return 'ran-out';
      position = end + 3;
    } else if (text.startsWith('<!', position)) {
      const declaration = /^<!([A-Za-z]*)/.exec(text.slice(position, position + 20))?.[1] ?? '';
      const line = text.slice(0, position).split('\n').length;
      throw new RSpecParseError(
        'dtd-forbidden',
        `${what} carries a <!${declaration || '…'} declaration at line ${line}; documents with a DTD are refused before parsing (entity expansion and external fetches are never allowed)`,
        line,
      );
    } else if (position >= text.length) {
      return 'ran-out'; // nothing at all (libxml2 reports it), or the window ended inside the prolog
    } else if (/^<[A-Za-z_:\u00C0-\uFFFF]/.test(text.slice(position, position + 2))) {
      return 'complete'; // the root start tag
    } else {
      // Anything else is not well-formed, or an encoding this scan cannot read (UTF-32, EBCDIC): either
      // way the DOCTYPE check could not be completed, so the document is refused rather than parsed.
      const line = text.slice(0, position).split('\n').length;
      throw new RSpecParseError('not-well-formed', `${what} has content before its root element at line ${line} (or an encoding the harness does not scan)`, line);
    }
  }
}
