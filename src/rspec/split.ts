/**
 * Where a large document can be cut in two so that each part is a document of its own: a look at the bytes (no
 * tree) for the start tag of a child of the root element at or past a target offset.
 *
 * An advertisement's root content is `(node | link | external_ref | type_relation | extension)*` in both schema
 * families, with no identity constraint, and its semantic rules look at one element at a time: the document is
 * valid exactly when the document made of its root with the children before the cut and the one made of its
 * root with the children after it are both valid. validate.ts uses that to validate a large advertisement in two
 * threads, and falls back to the whole document whenever either part says anything at all (an error, a warning),
 * so a verdict with findings is always the whole document's own.
 *
 * The prolog and the root start tag are read exactly (comments, processing instructions, quoted attribute
 * values); the cut itself is a guess that the head's parse confirms (see findSplitPoint). Anything else (a DOCTYPE,
 * an encoding that is not ASCII-compatible, a lone carriage return, no child start tag past the target) makes it
 * give up, and the document is validated whole.
 */

export interface SplitPoint {
  /** Offset just past the root start tag's `>`: bytes [0, rootEnd) are the prolog and the root start tag. */
  rootEnd: number;
  /** Offset of the `<` of the first root child at or past the target: the second part starts here. */
  at: number;
  /** Line breaks in [rootEnd, at): the second part puts as many back, so its line numbers are the document's. */
  lineBreaks: number;
  /** The root's end tag (`</rspec>`, or with the root's prefix), which closes the first part. */
  closeTag: string;
}

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;
const NEWLINE = 0x0a;
const RETURN = 0x0d;

const ASCII_COMPATIBLE = new Set(['utf-8', 'utf8', 'us-ascii', 'ascii', 'iso-8859-1', 'latin1', 'iso_8859-1']);

function startsWith(bytes: Uint8Array, at: number, text: string): boolean {
  if (at + text.length > bytes.length) return false;
  for (let i = 0; i < text.length; i += 1) if (bytes[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** Offset just past `terminator` searched from `from`, or -1. */
function past(bytes: Uint8Array, from: number, terminator: string): number {
  const first = terminator.charCodeAt(0);
  for (let at = bytes.indexOf(first, from); at >= 0; at = bytes.indexOf(first, at + 1)) {
    if (startsWith(bytes, at, terminator)) return at + terminator.length;
  }
  return -1;
}

/**
 * Offset just past the `>` of the tag starting at `from` (attribute values may hold `>`), and whether it closed
 * an empty element (`/>`); undefined when the tag never ends.
 */
function tagEnd(bytes: Uint8Array, from: number): { end: number; empty: boolean } | undefined {
  for (let at = from; at < bytes.length; at += 1) {
    const byte = bytes[at]!;
    if (byte === GT) return { end: at + 1, empty: bytes[at - 1] === SLASH };
    if (byte === QUOTE || byte === APOSTROPHE) {
      at = bytes.indexOf(byte, at + 1);
      if (at < 0) return undefined;
    } else if (byte === LT) {
      return undefined; // not allowed in a tag outside a quoted value: not well-formed, let the parser say so
    }
  }
  return undefined;
}

/** The encoding the XML declaration names, if any (`<?xml version="1.0" encoding="X"?>`). */
function declaredEncoding(bytes: Uint8Array, from: number, end: number): string | undefined {
  const declaration = Buffer.from(bytes.buffer, bytes.byteOffset + from, end - from).toString('latin1');
  return /\bencoding\s*=\s*["']([^"']*)["']/.exec(declaration)?.[1]?.toLowerCase();
}

/**
 * The first place at or past `target` where the document can be cut between two children of its root, or
 * undefined when there is none the scan can vouch for.
 */
export function findSplitPoint(bytes: Uint8Array, target: number): SplitPoint | undefined {
  let at = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) at = 3; // UTF-8 byte order mark
  if (bytes[at] !== LT) return undefined; // UTF-16, UTF-32, EBCDIC, or content before the root: not ours to cut
  // The prolog: XML declaration, comments, processing instructions, white space; then the root start tag.
  for (;;) {
    while (at < bytes.length && (bytes[at] === 0x20 || bytes[at] === 0x09 || bytes[at] === NEWLINE || bytes[at] === RETURN)) at += 1;
    if (bytes[at] !== LT) return undefined;
    if (startsWith(bytes, at, '<?')) {
      const end = past(bytes, at + 2, '?>');
      if (end < 0) return undefined;
      if (startsWith(bytes, at, '<?xml ')) {
        const encoding = declaredEncoding(bytes, at, end);
        if (encoding !== undefined && !ASCII_COMPATIBLE.has(encoding)) return undefined;
      }
      at = end;
    } else if (startsWith(bytes, at, '<!--')) {
      at = past(bytes, at + 4, '-->');
      if (at < 0) return undefined;
    } else if (bytes[at + 1] === BANG) {
      return undefined; // a DOCTYPE: refused before parsing, by the whole-document path
    } else {
      break;
    }
  }
  let nameEnd = at + 1;
  while (nameEnd < bytes.length && !isNameEnd(bytes[nameEnd]!)) nameEnd += 1;
  const rootName = Buffer.from(bytes.buffer, bytes.byteOffset + at + 1, nameEnd - at - 1).toString('latin1');
  const rootTag = tagEnd(bytes, nameEnd);
  if (rootTag === undefined || rootTag.empty || rootName === '') return undefined;
  const rootEnd = rootTag.end;

  // Where a child of the root starts, past the target: the first child shows how the document sets them out (on
  // lines of their own with some indentation, or one after another), and the first place past the target that
  // looks the same is the cut. Looking is enough: the head (the bytes before the cut, closed by the root's end
  // tag) parses without a single message only when the cut was directly inside the root, outside any markup (in
  // a comment, a CDATA section, a processing instruction, a tag or a deeper element the end tag is swallowed or
  // mismatched), and validate.ts merges nothing unless it does.
  let first = rootEnd;
  while (first < bytes.length && isSpace(bytes[first]!)) first += 1;
  if (bytes[first] !== LT || !isNameStart(bytes[first + 1])) return undefined;
  const lineStart = bytes.lastIndexOf(NEWLINE, first);
  let cut: number;
  if (lineStart >= rootEnd) {
    // "\n" + the first child's indentation + "<" + a name.
    const indent = bytes.subarray(lineStart + 1, first);
    cut = -1;
    for (let newline = bytes.indexOf(NEWLINE, Math.max(target - indent.length - 1, first)); newline >= 0; newline = bytes.indexOf(NEWLINE, newline + 1)) {
      const candidate = newline + 1 + indent.length;
      if (bytes[candidate] !== LT || !isNameStart(bytes[candidate + 1])) continue;
      let same = true;
      for (let i = 0; i < indent.length && same; i += 1) same = bytes[newline + 1 + i] === indent[i];
      if (same) {
        cut = candidate;
        break;
      }
    }
  } else {
    // Children one after another on one line: no layout to go by, so the markup is followed exactly.
    cut = childAtOrPast(bytes, rootEnd, target);
  }
  if (cut < 0) return undefined;
  return withLineBreaks(bytes, { rootEnd, at: cut, lineBreaks: 0, closeTag: `</${rootName}>` });
}

/**
 * The first start tag directly inside the root at or past `target`, following comments, CDATA sections,
 * processing instructions, quoted attribute values and element depth from the root's content on; -1 if none.
 */
function childAtOrPast(bytes: Uint8Array, rootEnd: number, target: number): number {
  let depth = 1;
  let at = rootEnd;
  for (;;) {
    at = bytes.indexOf(LT, at);
    if (at < 0) return -1;
    const next = bytes[at + 1];
    if (next === BANG) {
      if (startsWith(bytes, at, '<!--')) at = past(bytes, at + 4, '-->');
      else if (startsWith(bytes, at, '<![CDATA[')) at = past(bytes, at + 9, ']]>');
      else return -1;
    } else if (next === QUESTION) {
      at = past(bytes, at + 2, '?>');
    } else if (next === SLASH) {
      depth -= 1;
      if (depth === 0) return -1; // the root ended before the target
      at = bytes.indexOf(GT, at + 2);
      if (at >= 0) at += 1;
    } else {
      if (depth === 1 && at >= target) return at;
      const tag = tagEnd(bytes, at + 1);
      if (tag === undefined) return -1;
      if (!tag.empty) depth += 1;
      at = tag.end;
    }
    if (at < 0) return -1;
  }
}

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === NEWLINE || byte === RETURN;
}

/** A byte that can start an element name (ASCII letter, `_`, `:`, or any byte of a multi-byte character). */
function isNameStart(byte: number | undefined): boolean {
  return byte !== undefined && ((byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || byte === 0x5f || byte === 0x3a || byte >= 0x80);
}

function isNameEnd(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === NEWLINE || byte === RETURN || byte === GT || byte === SLASH;
}

/**
 * Counts the line breaks the second part leaves out. libxml2 counts a CR LF pair once; a lone CR (old Mac line
 * ends) is rare enough that the document is then validated whole rather than counted another way.
 */
function withLineBreaks(bytes: Uint8Array, point: SplitPoint): SplitPoint | undefined {
  let lineBreaks = 0;
  for (let at = bytes.indexOf(NEWLINE, point.rootEnd); at >= 0 && at < point.at; at = bytes.indexOf(NEWLINE, at + 1)) lineBreaks += 1;
  for (let at = bytes.indexOf(RETURN, point.rootEnd); at >= 0 && at < point.at; at = bytes.indexOf(RETURN, at + 1)) {
    if (bytes[at + 1] !== NEWLINE) return undefined;
  }
  return { ...point, lineBreaks };
}
