import libxmljs from 'libxmljs2';
import { GENI3_NAMESPACE, PGV2_NAMESPACE, parseXmlSafely } from '../rspec';

/**
 * Merging the aggregates' RSpecs into one document, and the slice manager's own <statistics> element (SFA's
 * add_slicemgr_stat): `<statistics call="…">` with one `<aggregate name elapsed status>` per aggregate called. It
 * is in no namespace, as SFA writes it, so it is not part of any GENI schema: a client validating the merged
 * document sets it aside first. Documents are parsed with libxml2 (no entities, no network), which also moves
 * elements between documents with their namespace declarations intact.
 */

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

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

const escapeAttribute = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/[\t\n\r]/g, ' ');

function parse(xml: string): libxmljs.Document {
  let doc: libxmljs.Document;
  try {
    doc = parseXmlSafely(xml, 'RSpec');
  } catch (err) {
    throw new UnreadableRSpec(`the RSpec is not well-formed XML: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
  const root = doc.root();
  if (!root || root.name() !== 'rspec') throw new UnreadableRSpec(`the RSpec's root element is <${root?.name() ?? '?'}>`);
  return doc;
}

/** One aggregate's document read into the merged one: its top-level elements, not yet in place. */
interface ReadRSpec {
  /** An element of the merged document outside its tree, holding the copied elements until add() places them. */
  holder: libxmljs.Element;
  expires: number;
}

/**
 * A merged RSpec under construction: a fresh GENI v3 root that receives each aggregate's top-level elements, in the
 * order of add(). With fifty aggregates, reading their documents is most of the merge: prepare() reads each one as it
 * arrives, while the others are still on their way, and add() then only moves its elements into place.
 */
export class MergedRSpec {
  private readonly doc: libxmljs.Document;
  private readonly root: libxmljs.Element;
  private earliestExpiry: number | undefined;
  private readonly prepared = new Map<number, { xml: string; read: ReadRSpec | UnreadableRSpec }>();

  constructor(readonly kind: MergedKind, now: Date) {
    const schema = kind === 'advertisement' ? 'ad.xsd' : 'manifest.xsd';
    const generated = kind === 'advertisement' ? ` generated="${now.toISOString().replace(/\.\d{3}Z$/, 'Z')}"` : '';
    this.doc = parseXmlSafely(
      `<rspec xmlns="${GENI3_NAMESPACE}" xmlns:xsi="${XSI}" xsi:schemaLocation="${GENI3_NAMESPACE} ${GENI3_NAMESPACE}/${schema}" type="${kind}"${generated}/>`,
      'merged RSpec',
    );
    this.root = this.doc.root()!;
  }

  /** Reads the document of the aggregate at `position` now (as it arrives); add(xml, position) then uses it. */
  prepare(position: number, xml: string): void {
    let read: ReadRSpec | UnreadableRSpec;
    try {
      read = this.read(xml);
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
    const read = ready?.xml === xml ? ready.read : this.read(xml);
    if (read instanceof UnreadableRSpec) throw read;
    // Same document: the elements move (the copy into it made each one declare the namespaces it uses).
    for (const child of read.holder.childNodes()) this.root.addChild(child as libxmljs.Element);
    const expires = read.expires;
    if (this.kind === 'advertisement' && Number.isFinite(expires) && (this.earliestExpiry === undefined || expires < this.earliestExpiry)) {
      this.earliestExpiry = expires;
      this.root.attr({ expires: new Date(expires).toISOString().replace(/\.\d{3}Z$/, 'Z') });
    }
  }

  private read(xml: string): ReadRSpec {
    const peerRoot = parse(xml).root()!;
    // An aggregate that is itself a slice manager adds its own statistics (SFA's drop_slicemgr_stats). No element
    // can be named so without the name in the text (a name cannot be written with references).
    if (xml.includes('statistics')) {
      for (const stale of peerRoot.find("//*[local-name()='statistics' and namespace-uri()='']") as libxmljs.Element[]) stale.remove();
    }
    const holder = new libxmljs.Element(this.doc, 'aggregate');
    for (const child of peerRoot.childNodes()) {
      if (child.type() === 'element') holder.addChild(child as libxmljs.Element);
    }
    return { holder, expires: Date.parse(peerRoot.attr('expires')?.value() ?? '') };
  }

  /** Appends SFA's <statistics call="…"> with one <aggregate> per entry. */
  addStatistics(call: string, entries: StatisticsEntry[]): void {
    const aggregates = entries.map((entry) => {
      const attributes = `name="${escapeAttribute(entry.name)}" elapsed="${entry.elapsed}" status="${entry.status}"`;
      if (entry.reason === undefined) return `<aggregate ${attributes}/>`;
      const frames = stackFrames(entry.stack).map((f) => `<tb_frame ${Object.entries(f).map(([k, v]) => `${k}="${escapeAttribute(v)}"`).join(' ')}/>`).join('');
      return `<aggregate ${attributes}><exc_info name="${escapeAttribute(entry.reason)}">${frames}</exc_info></aggregate>`;
    });
    const statistics = parseXmlSafely(`<statistics xmlns="" call="${escapeAttribute(call)}">${aggregates.join('')}</statistics>`, 'statistics');
    this.root.addChild(statistics.root()!);
  }

  /** The document, in the GENI v3 namespace or converted to ProtoGENI v2 (the same elements, the older namespace). */
  toXml(format: 'geni3' | 'pgv2' = 'geni3'): string {
    const xml = this.doc.toString();
    return format === 'geni3' ? xml : xml.split(GENI3_NAMESPACE).join(PGV2_NAMESPACE);
  }
}

/** "    at fn (/path/file.ts:12:5)" → { filename, line, func, code }, as SFA's tb_frame attributes. */
function stackFrames(stack: string | undefined): Array<Record<string, string>> {
  if (!stack) return [];
  return stack.split('\n').slice(1).flatMap((line) => {
    const m = /^\s*at (?:(.*?) \()?(.*?):(\d+):\d+\)?$/.exec(line);
    return m ? [{ filename: m[2]!, line: m[3]!, func: m[1] ?? '<module>', code: line.trim() }] : [];
  });
}
