import { XmlRpcDecodeError } from './errors';

/**
 * A small XML reader for XML-RPC bodies, written for untrusted input. It reads the XML 1.0 that XML-RPC uses
 * (declaration, elements, attributes, namespaces, character data, CDATA, comments, processing instructions,
 * character references and the five predefined entities) and nothing else:
 *
 * - no DTD, ever: a `<!DOCTYPE` (or any other markup declaration) anywhere in the document is refused, so no
 *   entity can be declared, expanded or fetched, and a reference to any other entity is a well-formedness error.
 *   Without entities no text can be longer than the body it came in;
 * - hard limits, checked while reading: element nesting, number of elements, length of one run of text. A limit
 *   that is hit is reported as such ('too-deep', 'too-large'), never as malformed XML;
 * - linear time, no recursion (a deep document cannot overflow the stack), no native code: it runs in the
 *   document sandbox's worker, which a deadline can stop.
 *
 * The tree it builds is only what the decoder needs: element names, resolved namespaces, children (elements and
 * decoded text) and the offset of each element for line numbers.
 */

export interface XmlElement {
  /** The local name; for a prefix no declaration binds, the name as written ('ex:nil'), as libxml2 keeps it. */
  name: string;
  /** Namespace URI when the element is in one (declared prefix or default namespace). */
  ns?: string;
  prefix?: string;
  /** Child elements and runs of decoded text (adjacent text, CDATA and text around comments are one run). */
  children: ReadonlyArray<XmlElement | string>;
  /** Offset of the element's '<' in the source text. */
  offset: number;
  /** Offset just past the element's last '>' (only when the reader was asked for spans). */
  end?: number;
}

export interface XmlReaderLimits {
  /** Deepest element nesting. */
  maxElementDepth: number;
  /** Most elements in one document. */
  maxElements: number;
  /** Longest run of text (characters) one element may hold. */
  maxTextLength: number;
}

export interface XmlDocument {
  root: XmlElement;
  /** 1-based line of a source offset (counted only when an error needs it). */
  lineAt(offset: number): number;
}

/** XML 1.0 Char production; anything else is refused wherever it appears. */
const ILLEGAL_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
/**
 * The code units that can be part of an illegal character: control characters, surrogates (legal only in pairs) and
 * U+FFFE/U+FFFF. Text with none of them is legal; this class is a third cheaper to look for than the exact one.
 */
export const MAYBE_ILLEGAL_CHAR = /[\x00-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/;
const NAME_START = ':A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD';
const NAME_CHAR = `${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`;
const NAME = new RegExp(`[${NAME_START}][${NAME_CHAR}]*`, 'y');
/**
 * Most names are ASCII: read by character code first (1: may start a name, 2: may only continue one), the full
 * Name production when a wider character follows.
 */
const ASCII_NAME_CHARS = (() => {
  const table = new Uint8Array(128);
  for (let c = 0; c < 128; c++) {
    const ch = String.fromCharCode(c);
    if (/[A-Za-z_:]/.test(ch)) table[c] = 1;
    else if (/[0-9.-]/.test(ch)) table[c] = 2;
  }
  return table;
})();
const REFERENCES = /&(?:#x([0-9A-Fa-f]{1,8})|#([0-9]{1,10})|([A-Za-z_:][\w.:-]*));|&/g;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };
const XML_NS = 'http://www.w3.org/XML/1998/namespace';
/** Shared by every element without children (the tree is read-only once built). */
const NO_CHILDREN: ReadonlyArray<XmlElement | string> = Object.freeze([]) as ReadonlyArray<XmlElement | string>;

/**
 * Reads `text` into a tree, or throws XmlRpcDecodeError naming what is wrong and where. With `spans`, each element
 * also says where it ends, so a caller can take an element's source text as it was written.
 */
export function readXml(text: string, limits: XmlReaderLimits, options: { spans?: boolean } = {}): XmlDocument {
  return new Reader(text, limits, options.spans ?? false).document();
}

class Reader {
  private pos = 0;
  private elements = 0;
  private readonly names = new Map<string, string>();

  constructor(private readonly text: string, private readonly limits: XmlReaderLimits, private readonly spans: boolean) {}

  lineAt(offset: number): number {
    let line = 1;
    for (let at = this.text.indexOf('\n'); at !== -1 && at < offset; at = this.text.indexOf('\n', at + 1)) line += 1;
    return line;
  }

  private fail(message: string, offset = this.pos): never {
    const line = this.lineAt(offset);
    throw new XmlRpcDecodeError('not-xml', `not well-formed XML at line ${line}: ${message}`, line);
  }

  private refuseDeclaration(offset: number): never {
    const line = this.lineAt(offset);
    const keyword = /^<!([A-Za-z]*)/.exec(this.text.slice(offset, offset + 20))?.[1] ?? '';
    const what = keyword.toUpperCase() === 'DOCTYPE' ? 'a DOCTYPE' : `a <!${keyword || '…'} declaration`;
    throw new XmlRpcDecodeError('dtd-forbidden', `document declares ${what} at line ${line}; DTDs are refused (XXE and entity expansion)`, line);
  }

  document(): XmlDocument {
    const { text } = this;
    if (text.length === 0) throw new XmlRpcDecodeError('not-xml', 'body is empty', 1);
    const illegal = MAYBE_ILLEGAL_CHAR.test(text) ? ILLEGAL_CHAR.exec(text) : null;
    if (illegal) {
      const code = illegal[0].codePointAt(0) ?? 0;
      this.fail(`character U+${code.toString(16).toUpperCase().padStart(4, '0')} is not allowed in XML`, illegal.index);
    }
    if (text.charCodeAt(0) === 0xfeff) this.pos = 1;
    if (/^<\?xml[ \t\r\n]/.test(text.slice(this.pos, this.pos + 6))) this.declaration();
    this.misc();
    if (this.pos >= text.length) this.fail('Start tag expected, no root element');
    if (text[this.pos] !== '<' || !this.nameAt(this.pos + 1)) this.fail("Start tag expected, '<' not found");
    const root = this.element();
    this.misc();
    if (this.pos < text.length) this.fail('Extra content at the end of the document');
    return { root, lineAt: (offset) => this.lineAt(offset) };
  }

  /** `<?xml version="1.x" …?>` at the very start; the encoding was applied when the bytes became text. */
  private declaration(): void {
    const end = this.text.indexOf('?>', this.pos);
    if (end < 0) this.fail('XML declaration is not terminated');
    const body = this.text.slice(this.pos + 5, end);
    if (!/^\s+version\s*=\s*(["'])1\.[0-9]+\1/.test(body)) this.fail('Malformed declaration expecting version');
    this.pos = end + 2;
  }

  /** Comments, processing instructions and white space (before and after the root element). */
  private misc(): void {
    const { text } = this;
    for (;;) {
      this.skipWhitespace();
      if (text.startsWith('<!--', this.pos)) this.comment();
      else if (text.startsWith('<?', this.pos)) this.processingInstruction();
      else if (text.startsWith('<!', this.pos)) this.refuseDeclaration(this.pos);
      else return;
    }
  }

  private skipWhitespace(): void {
    const { text } = this;
    let at = this.pos;
    for (let c = text.charCodeAt(at); c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d; c = text.charCodeAt(++at));
    this.pos = at;
  }

  private nameAt(at: number): string | undefined {
    const { text } = this;
    let end = at;
    if (ASCII_NAME_CHARS[text.charCodeAt(at)] === 1) {
      end += 1;
      while (ASCII_NAME_CHARS[text.charCodeAt(end)]! > 0) end += 1;
    }
    let name: string | undefined;
    if (end > at && !(text.charCodeAt(end) >= 0x80)) name = text.slice(at, end);
    else {
      NAME.lastIndex = at;
      name = NAME.exec(text)?.[0];
    }
    if (name === undefined) return undefined;
    let interned = this.names.get(name);
    if (interned === undefined) {
      interned = name;
      if (this.names.size < 10_000) this.names.set(name, name);
    }
    return interned;
  }

  private comment(): void {
    const start = this.pos;
    const end = this.text.indexOf('--', start + 4);
    if (end < 0) this.fail('Comment not terminated', start);
    if (this.text[end + 2] !== '>') this.fail('Double hyphen within comment', end);
    this.pos = end + 3;
  }

  private processingInstruction(): void {
    const start = this.pos;
    const target = this.nameAt(start + 2);
    if (!target) this.fail('xmlParsePI : no target name', start);
    if (target.toLowerCase() === 'xml') this.fail('XML declaration allowed only at the start of the document', start);
    const end = this.text.indexOf('?>', start + 2 + target.length);
    if (end < 0) this.fail('PI not terminated', start);
    this.pos = end + 2;
  }

  /**
   * Reads one element and everything in it, iteratively (an explicit stack, never the call stack). Children are
   * gathered on one shared array and cut off into an array of the exact size when their element ends: an empty
   * array that grows by push costs V8 a 17-slot backing store, which for a million small elements is most of
   * the tree.
   */
  private element(): XmlElement {
    const { text, limits } = this;
    interface Frame { el: XmlElement; qname: string; scope: Map<string, string>; start: number; textLength: number }
    const stack: Frame[] = [];
    const pending: Array<XmlElement | string> = [];
    let scope = new Map<string, string>([['xml', XML_NS]]);
    let root: XmlElement | undefined;

    const addText = (frame: Frame, piece: string, offset: number): void => {
      if (piece.length === 0) return;
      frame.textLength += piece.length;
      if (frame.textLength > limits.maxTextLength) {
        const line = this.lineAt(offset);
        throw new XmlRpcDecodeError('too-large', `<${frame.qname}> at line ${line} holds more than ${limits.maxTextLength} characters of text (the decoder's limit on strings, maxStringLength)`, line);
      }
      const last = pending.length - 1;
      if (last >= frame.start && typeof pending[last] === 'string') pending[last] += piece;
      else pending.push(piece);
    };

    for (;;) {
      const top = stack[stack.length - 1];
      if (top && text.charCodeAt(this.pos) !== 0x3c) {
        // Character data up to the next markup.
        const next = text.indexOf('<', this.pos);
        const end = next < 0 ? text.length : next;
        addText(top, this.characterData(this.pos, end), this.pos);
        this.pos = end;
        if (next < 0) this.fail(`Premature end of data in tag ${top.qname} line ${this.lineAt(top.el.offset)}`);
        continue;
      }
      if (this.pos >= text.length) this.fail(`Premature end of data in tag ${top?.qname ?? 'document'}`);
      const start = this.pos;
      const second = text.charCodeAt(start + 1);
      if (top && second === 0x2f /* '/' */) {
        const qname = this.nameAt(start + 2);
        if (qname !== top.qname) {
          this.fail(`Opening and ending tag mismatch: ${top.qname} line ${this.lineAt(top.el.offset)} and ${qname ?? '(no name)'}`, start);
        }
        this.pos = start + 2 + qname.length;
        if (text.charCodeAt(this.pos) !== 0x3e) {
          this.skipWhitespace();
          if (text[this.pos] !== '>') this.fail(`expected '>' to end </${qname}>`);
        }
        this.pos += 1;
        if (this.spans) top.el.end = this.pos;
        if (pending.length > top.start) top.el.children = pending.splice(top.start);
        stack.pop();
        const parent = stack[stack.length - 1];
        if (!parent) return root!;
        scope = parent.scope;
        continue;
      }
      if (second === 0x21 /* '!' */ || second === 0x3f /* '?' */) {
        if (top && text.startsWith('<!--', start)) {
          this.comment();
          continue;
        }
        if (top && text.startsWith('<![CDATA[', start)) {
          const end = text.indexOf(']]>', start + 9);
          if (end < 0) this.fail('CData section not finished', start);
          addText(top, text.slice(start + 9, end).replace(/\r\n?/g, '\n'), start);
          this.pos = end + 3;
          continue;
        }
        if (top && second === 0x3f) {
          this.processingInstruction();
          continue;
        }
        if (/^<!DOCTYPE|^<!ENTITY|^<!ELEMENT|^<!ATTLIST|^<!NOTATION/i.test(text.slice(start, start + 12))) this.refuseDeclaration(start);
        this.fail('StartTag: invalid element name', start);
      }
      // A start tag.
      const qname = this.nameAt(start + 1);
      if (!qname) this.fail('StartTag: invalid element name', start);
      this.elements += 1;
      if (this.elements > limits.maxElements) {
        const line = this.lineAt(start);
        throw new XmlRpcDecodeError('too-large', `the document has more than ${limits.maxElements} elements (line ${line}; the decoder's limit, maxElements)`, line);
      }
      if (stack.length >= limits.maxElementDepth) {
        const line = this.lineAt(start);
        throw new XmlRpcDecodeError('too-deep', `document nests elements more than ${limits.maxElementDepth} deep (line ${line})`, line);
      }
      this.pos = start + 1 + qname.length;
      let ownScope = scope;
      const c = text.charCodeAt(this.pos);
      if (c !== 0x3e && c !== 0x2f) {
        for (const [name, value] of this.attributes(qname)) {
          if (name === 'xmlns' || name.startsWith('xmlns:')) {
            if (ownScope === scope) ownScope = new Map(scope);
            ownScope.set(name === 'xmlns' ? '' : name.slice(6), value);
          }
        }
      }
      const el: XmlElement = { name: qname, children: NO_CHILDREN, offset: start, ns: undefined, prefix: undefined };
      const colon = qname.indexOf(':');
      if (colon > 0) {
        const prefix = qname.slice(0, colon);
        const uri = ownScope.get(prefix);
        if (uri !== undefined && uri !== '') {
          el.name = qname.slice(colon + 1);
          el.prefix = prefix;
          el.ns = uri;
        }
      } else {
        const uri = ownScope.get('');
        if (uri) el.ns = uri;
      }
      if (top) pending.push(el);
      else root = el;
      if (text.charCodeAt(this.pos) === 0x2f && text.charCodeAt(this.pos + 1) === 0x3e) {
        this.pos += 2;
        if (this.spans) el.end = this.pos;
        if (!top) return el;
        continue;
      }
      if (text.charCodeAt(this.pos) !== 0x3e) this.fail(`Couldn't find end of Start Tag ${qname}`, start);
      this.pos += 1;
      stack.push({ el, qname, scope: ownScope, start: pending.length, textLength: 0 });
      scope = ownScope;
    }
  }

  /** Attributes of a start tag, up to (not including) '>' or '/>'. */
  private attributes(qname: string): Array<[string, string]> {
    const { text } = this;
    const out: Array<[string, string]> = [];
    // A set only once the element has many attributes (a hostile one may have thousands): looking through a few costs less.
    let names: Set<string> | undefined;
    for (;;) {
      const before = this.pos;
      this.skipWhitespace();
      const c = text[this.pos];
      if (c === '>' || (c === '/' && text[this.pos + 1] === '>')) return out;
      if (this.pos === before) this.fail(`attributes construct error in <${qname}>`);
      const name = this.nameAt(this.pos);
      if (!name) this.fail(`attributes construct error in <${qname}>`);
      this.pos += name.length;
      this.skipWhitespace();
      if (text[this.pos] !== '=') this.fail(`Specification mandates value for attribute ${name}`);
      this.pos += 1;
      this.skipWhitespace();
      const quote = text[this.pos];
      if (quote !== '"' && quote !== "'") this.fail(`AttValue: " or ' expected for attribute ${name}`);
      const end = text.indexOf(quote, this.pos + 1);
      if (end < 0) this.fail(`AttValue: ' expected for attribute ${name}`);
      const raw = text.slice(this.pos + 1, end);
      const lt = raw.indexOf('<');
      if (lt >= 0) this.fail(`Unescaped '<' not allowed in attribute values`, this.pos + 1 + lt);
      if (out.length >= FEW_ATTRIBUTES) names ??= new Set(out.map(([seen]) => seen));
      if (names ? names.has(name) : out.some(([seen]) => seen === name)) this.fail(`Attribute ${name} redefined`);
      names?.add(name);
      const value = this.references(raw, this.pos + 1);
      out.push([name, /[\t\n\r]/.test(value) ? value.replace(/[\t\n\r]/g, ' ') : value]);
      this.pos = end + 1;
    }
  }

  /** Text between `start` and `end` with references replaced and line ends normalised. */
  private characterData(start: number, end: number): string {
    const raw = this.text.slice(start, end);
    const cdataEnd = raw.indexOf(']]>');
    if (cdataEnd >= 0) this.fail("Sequence ']]>' not allowed in content", start + cdataEnd);
    const normalised = raw.indexOf('\r') >= 0 ? raw.replace(/\r\n?/g, '\n') : raw;
    // Character references are resolved after line ends are normalised, so '&#13;' stays a CR.
    return normalised.indexOf('&') >= 0 ? this.references(normalised, start) : normalised;
  }

  /** Replaces character references and the five predefined entities; any other reference is an error. */
  private references(raw: string, offset: number): string {
    // The common case (an RSpec or a credential escaped into a string: thousands of &lt; and &quot;, no character
    // reference) in one pass that only compares character codes; anything else goes the general way.
    const predefined = predefinedOnly(raw);
    if (predefined !== undefined) return predefined;
    return raw.replace(REFERENCES, (whole: string, hex: string | undefined, dec: string | undefined, name: string | undefined, at: number) => {
      if (name !== undefined) {
        const value = PREDEFINED[name];
        if (value === undefined) this.fail(`Entity '${name}' not defined (entities are never expanded)`, offset + at);
        return value;
      }
      if (hex === undefined && dec === undefined) this.fail("xmlParseEntityRef: no name, or a '&' that starts no reference", offset + at);
      const code = hex !== undefined ? parseInt(hex, 16) : Number(dec);
      const char = code <= 0x10ffff ? String.fromCodePoint(code) : '';
      if (char === '' || ILLEGAL_CHAR.test(char)) this.fail(`xmlParseCharRef: invalid xmlChar value ${hex !== undefined ? `0x${hex}` : String(dec)}`, offset + at);
      void whole;
      return char;
    });
  }
}

const SEMICOLON = 0x3b;

/** Attributes an element may have before duplicates are looked up in a set (linear in the attributes, not quadratic). */
const FEW_ATTRIBUTES = 16;

/**
 * `raw` with the five predefined entity references replaced, when it holds no other '&' (else undefined: a character
 * reference, another entity or a bare '&', which the general path resolves or reports).
 */
function predefinedOnly(raw: string): string | undefined {
  let at = raw.indexOf('&');
  if (at < 0) return raw;
  let out = '';
  let done = 0;
  while (at >= 0) {
    const a = raw.charCodeAt(at + 1);
    const b = raw.charCodeAt(at + 2);
    const c = raw.charCodeAt(at + 3);
    let char: string;
    let length = 4;
    if (b === 0x74 /* t */ && c === SEMICOLON && (a === 0x6c /* l */ || a === 0x67 /* g */)) char = a === 0x6c ? '<' : '>';
    else if (a === 0x61 /* a */ && b === 0x6d /* m */ && c === 0x70 /* p */ && raw.charCodeAt(at + 4) === SEMICOLON) {
      char = '&';
      length = 5;
    } else if (raw.startsWith('quot;', at + 1)) {
      char = '"';
      length = 6;
    } else if (raw.startsWith('apos;', at + 1)) {
      char = "'";
      length = 6;
    } else return undefined;
    out += raw.slice(done, at) + char;
    done = at + length;
    at = raw.indexOf('&', done);
  }
  return out + raw.slice(done);
}
