import { GENI3_NAMESPACE, PGV2_NAMESPACE } from '../rspec';
import { readXml, XmlRpcDecodeError, type XmlElement } from '../xmlrpc';

/**
 * Merging the aggregates' RSpecs into one document, and the slice manager's own <statistics> element (SFA's
 * add_slicemgr_stat): `<statistics call="…">` with one `<aggregate name elapsed status>` per aggregate called. It
 * is in no namespace, as SFA writes it, so it is not part of any GENI schema: a client validating the merged
 * document sets it aside first.
 *
 * Each aggregate's document is read with the project's safe XML reader (no DTD, no entity, limits; an unreadable
 * one is that aggregate's failure) and its top-level elements are taken as they were written, each given the
 * namespace declarations of the root it came from, so it means in the merged document what it meant in its own.
 * No document is parsed into a tree and written out again: with fifty aggregates that was most of the merge.
 */

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
/** What one aggregate's RSpec may hold: generous (a large testbed's advertisement), never unbounded. */
const READ_LIMITS = { maxElementDepth: 1_000, maxElements: 5_000_000, maxTextLength: 64 * 1024 * 1024 };

export type MergedKind = 'advertisement' | 'manifest';

export interface StatisticsEntry {
  /** The aggregate's hrn. */
  name: string;
  /** Seconds. */
  elapsed: number;
  status: 'success' | 'exception';
  /** Why it failed: written as <exc_info name="…"/>. */
  reason?: string;
  /** Only the stack-trace fault writes it (as <tb_frame> elements). */
  stack?: string;
}

export class UnreadableRSpec extends Error {}

/** Characters XML 1.0 does not allow anywhere (a message may quote what a hostile aggregate sent). */
const ILLEGAL_XML_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const escapeAttribute = (text: string): string =>
  text.replace(ILLEGAL_XML_CHARS, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/[\t\n\r]/g, ' ');

/** One aggregate's document, read: its top-level elements as text, ready to go into the merged document. */
interface ReadRSpec {
  elements: string[];
  expires: number;
}

const formatTime = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * A merged RSpec under construction: a fresh GENI v3 root that receives each aggregate's top-level elements, in the
 * order of add(). prepare() reads an aggregate's document as it arrives, while the others are still on their way;
 * add() then only takes what was read.
 */
export class MergedRSpec {
  private readonly rootAttributes: string;
  private readonly elements: string[] = [];
  private statistics = '';
  private earliestExpiry: number | undefined;
  private readonly prepared = new Map<number, { xml: string; read: ReadRSpec | UnreadableRSpec }>();

  constructor(readonly kind: MergedKind, now: Date) {
    const schema = kind === 'advertisement' ? 'ad.xsd' : 'manifest.xsd';
    const generated = kind === 'advertisement' ? ` generated="${formatTime(now.getTime())}"` : '';
    this.rootAttributes = `xmlns="${GENI3_NAMESPACE}" xmlns:xsi="${XSI}" xsi:schemaLocation="${GENI3_NAMESPACE} ${GENI3_NAMESPACE}/${schema}" type="${kind}"${generated}`;
  }

  /** Reads the document of the aggregate at `position` now (as it arrives); add(xml, position) then uses it. */
  prepare(position: number, xml: string): void {
    let read: ReadRSpec | UnreadableRSpec;
    try {
      read = readRSpec(xml);
    } catch (err) {
      if (!(err instanceof UnreadableRSpec)) throw err;
      read = err;
    }
    this.prepared.set(position, { xml, read });
  }

  /**
   * Adds one aggregate's document (the one prepared at `position` when it is the same text); UnreadableRSpec when
   * it is not an RSpec (the caller records that aggregate as failed).
   */
  add(xml: string, position?: number): void {
    const ready = position === undefined ? undefined : this.prepared.get(position);
    if (ready) this.prepared.delete(position!);
    const read = ready?.xml === xml ? ready.read : readRSpec(xml);
    if (read instanceof UnreadableRSpec) throw read;
    this.elements.push(...read.elements);
    if (this.kind === 'advertisement' && Number.isFinite(read.expires) && (this.earliestExpiry === undefined || read.expires < this.earliestExpiry)) {
      this.earliestExpiry = read.expires;
    }
  }

  /** Appends SFA's <statistics call="…"> with one <aggregate> per entry. */
  addStatistics(call: string, entries: StatisticsEntry[]): void {
    const aggregates = entries.map((entry) => {
      const attributes = `name="${escapeAttribute(entry.name)}" elapsed="${entry.elapsed}" status="${entry.status}"`;
      if (entry.reason === undefined) return `<aggregate ${attributes}/>`;
      const frames = stackFrames(entry.stack).map((f) => `<tb_frame ${Object.entries(f).map(([k, v]) => `${k}="${escapeAttribute(v)}"`).join(' ')}/>`).join('');
      return `<aggregate ${attributes}><exc_info name="${escapeAttribute(entry.reason)}">${frames}</exc_info></aggregate>`;
    });
    this.statistics += `<statistics xmlns="" call="${escapeAttribute(call)}">${aggregates.join('')}</statistics>`;
  }

  /** The document, in the GENI v3 namespace or converted to ProtoGENI v2 (the same elements, the older namespace). */
  toXml(format: 'geni3' | 'pgv2' = 'geni3'): string {
    const expires = this.earliestExpiry === undefined ? '' : ` expires="${formatTime(this.earliestExpiry)}"`;
    const content = this.statistics === '' ? this.elements : [...this.elements, this.statistics];
    const body = content.length === 0 ? `<rspec ${this.rootAttributes}${expires}/>` : `<rspec ${this.rootAttributes}${expires}>\n  ${content.join('\n  ')}\n</rspec>`;
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n${body}\n`;
    return format === 'geni3' ? xml : xml.split(GENI3_NAMESPACE).join(PGV2_NAMESPACE);
  }
}

function readRSpec(xml: string): ReadRSpec {
  let root: XmlElement;
  try {
    root = readXml(xml, READ_LIMITS, { spans: true }).root;
  } catch (err) {
    if (err instanceof XmlRpcDecodeError) throw new UnreadableRSpec(`the RSpec cannot be read: ${err.message.split('\n')[0]}`);
    throw err;
  }
  if (root.name !== 'rspec') throw new UnreadableRSpec(`the RSpec's root element is <${root.prefix ? `${root.prefix}:` : ''}${root.name}>`);
  const rootAttributes = startTagAttributes(xml, root.offset);
  const declarations = rootAttributes.filter((a) => a.name === 'xmlns' || a.name.startsWith('xmlns:'));
  // Unprefixed elements of a root that declares no default namespace are in none; the merged root's is GENI v3.
  if (!declarations.some((a) => a.name === 'xmlns')) declarations.push({ name: 'xmlns', raw: 'xmlns=""', value: '' });
  // An aggregate that is itself a slice manager adds its own statistics (SFA's drop_slicemgr_stats). No element
  // can be named so without the name in the text (a name cannot be written with references).
  const mayHoldStatistics = xml.includes('statistics');
  const elements: string[] = [];
  for (const child of root.children) {
    if (typeof child === 'string') continue;
    if (mayHoldStatistics && isStaleStatistics(child)) continue;
    const stale = mayHoldStatistics ? staleStatisticsWithin(child) : [];
    let text = '';
    let from = child.offset;
    for (const s of stale) {
      text += xml.slice(from, s.offset);
      from = s.end!;
    }
    text += xml.slice(from, child.end!);
    elements.push(withDeclarations(text, declarations));
  }
  const expires = rootAttributes.find((a) => a.name === 'expires');
  return { elements, expires: expires ? Date.parse(expires.value) : Number.NaN };
}

/** SFA's statistics element: in no namespace (XPath `//*[local-name()='statistics' and namespace-uri()='']`). */
const isStaleStatistics = (el: XmlElement): boolean => el.name === 'statistics' && el.ns === undefined;

/** The outermost stale statistics elements inside `el`, in document order. */
function staleStatisticsWithin(el: XmlElement): XmlElement[] {
  const found: XmlElement[] = [];
  const pending: XmlElement[] = [el];
  while (pending.length > 0) {
    const next = pending.pop()!;
    for (const child of next.children) {
      if (typeof child === 'string') continue;
      if (isStaleStatistics(child)) found.push(child);
      else pending.push(child);
    }
  }
  return found.sort((a, b) => a.offset - b.offset);
}

interface RawAttribute {
  name: string;
  /** As written: name, '=', quoted value. */
  raw: string;
  /** With references resolved. */
  value: string;
}

const ATTRIBUTE = /\s+([^\s=/>]+)\s*=\s*("[^"]*"|'[^']*')/y;
const TAG_NAME = /<[^\s/>]+/y;

/** The attributes of the start tag at `offset` of a document the reader found well-formed. */
function startTagAttributes(xml: string, offset: number): RawAttribute[] {
  TAG_NAME.lastIndex = offset;
  TAG_NAME.exec(xml);
  ATTRIBUTE.lastIndex = TAG_NAME.lastIndex;
  const out: RawAttribute[] = [];
  for (let m = ATTRIBUTE.exec(xml); m; m = ATTRIBUTE.exec(xml)) {
    out.push({ name: m[1]!, raw: `${m[1]}=${m[2]}`, value: resolvePredefined(m[2]!.slice(1, -1)) });
  }
  return out;
}

/** An element's text with the root's namespace declarations it does not make itself, written into its start tag. */
function withDeclarations(text: string, declarations: RawAttribute[]): string {
  const own = new Set(startTagAttributes(text, 0).map((a) => a.name));
  const added = declarations.filter((d) => !own.has(d.name)).map((d) => ` ${d.raw}`).join('');
  if (added === '') return text;
  TAG_NAME.lastIndex = 0;
  TAG_NAME.exec(text);
  return `${text.slice(0, TAG_NAME.lastIndex)}${added}${text.slice(TAG_NAME.lastIndex)}`;
}

/** Character and predefined entity references in an attribute value (the reader has checked there are no others). */
function resolvePredefined(value: string): string {
  if (!value.includes('&')) return value;
  const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
  return value.replace(/&(?:#x([0-9A-Fa-f]+)|#([0-9]+)|(\w+));/g, (whole, hex?: string, dec?: string, name?: string) =>
    name !== undefined ? (named[name] ?? whole) : String.fromCodePoint(hex !== undefined ? parseInt(hex, 16) : Number(dec)));
}

/** "    at fn (/path/file.ts:12:5)" → { filename, line, func, code }, as SFA's tb_frame attributes. */
function stackFrames(stack: string | undefined): Array<Record<string, string>> {
  if (!stack) return [];
  return stack.split('\n').slice(1).flatMap((line) => {
    const m = /^\s*at (?:(.*?) \()?(.*?):(\d+):\d+\)?$/.exec(line);
    return m ? [{ filename: m[2]!, line: m[3]!, func: m[1] ?? '<module>', code: line.trim() }] : [];
  });
}
