import { DOMParser, XMLSerializer, type Document, type Element } from '@xmldom/xmldom';
import { GENI3_NAMESPACE, PGV2_NAMESPACE } from '../rspec';

/**
 * Merging the aggregates' RSpecs into one document, and the slice manager's own <statistics> element (SFA's
 * add_slicemgr_stat): `<statistics call="…">` with one `<aggregate name elapsed status>` per aggregate called. It
 * is in no namespace, as SFA writes it, so it is not part of any GENI schema: a client validating the merged
 * document sets it aside first.
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

function parse(xml: string): Document {
  if (/<!DOCTYPE/i.test(xml)) throw new UnreadableRSpec('the RSpec has a document type declaration');
  const problems: string[] = [];
  const doc = new DOMParser({ onError: (level, message) => { if (level !== 'warning') problems.push(message); } }).parseFromString(xml, 'text/xml');
  if (problems.length > 0 || !doc.documentElement) throw new UnreadableRSpec(`the RSpec is not well-formed XML: ${problems[0]?.split('\n')[0] ?? 'no root element'}`);
  if (doc.documentElement.localName !== 'rspec') throw new UnreadableRSpec(`the RSpec's root element is <${doc.documentElement.tagName}>`);
  return doc;
}

/** Removes <statistics> elements (an aggregate that is itself a slice manager adds its own: SFA's drop_slicemgr_stats). */
function dropStatistics(root: Element): void {
  const found = root.getElementsByTagName('statistics');
  const elements: Element[] = [];
  for (let i = 0; i < found.length; i++) elements.push(found.item(i) as Element);
  for (const element of elements) element.parentNode?.removeChild(element);
}

/** A merged RSpec under construction: a fresh GENI v3 root that receives each aggregate's top-level elements. */
export class MergedRSpec {
  private readonly doc: Document;
  private readonly root: Element;

  constructor(readonly kind: MergedKind, now: Date) {
    const schema = kind === 'advertisement' ? 'ad.xsd' : 'manifest.xsd';
    this.doc = new DOMParser().parseFromString(
      `<rspec xmlns="${GENI3_NAMESPACE}" xmlns:xsi="${XSI}" xsi:schemaLocation="${GENI3_NAMESPACE} ${GENI3_NAMESPACE}/${schema}" type="${kind}"/>`,
      'text/xml',
    );
    this.root = this.doc.documentElement!;
    if (kind === 'advertisement') this.root.setAttribute('generated', now.toISOString().replace(/\.\d{3}Z$/, 'Z'));
  }

  /** Adds one aggregate's document; UnreadableRSpec when it is not an RSpec (the caller records that aggregate as failed). */
  add(xml: string): void {
    const peerRoot = parse(xml).documentElement!;
    dropStatistics(peerRoot);
    for (let node = peerRoot.firstChild; node; node = node.nextSibling) {
      if (node.nodeType === 1) this.root.appendChild(this.doc.importNode(node, true));
    }
    const expires = peerRoot.getAttribute('expires');
    if (expires && this.kind === 'advertisement') {
      const current = this.root.getAttribute('expires');
      if (!current || Date.parse(expires) < Date.parse(current)) this.root.setAttribute('expires', expires);
    }
  }

  /** Appends SFA's <statistics call="…"> with one <aggregate> per entry. */
  addStatistics(call: string, entries: StatisticsEntry[]): void {
    const statistics = this.doc.createElementNS(null, 'statistics');
    // xmldom does not undeclare the default namespace by itself: without this the element would read back as GENI v3.
    statistics.setAttributeNS('http://www.w3.org/2000/xmlns/', 'xmlns', '');
    statistics.setAttribute('call', call);
    for (const entry of entries) {
      const aggregate = this.doc.createElementNS(null, 'aggregate');
      aggregate.setAttribute('name', entry.name);
      aggregate.setAttribute('elapsed', String(entry.elapsed));
      aggregate.setAttribute('status', entry.status);
      if (entry.reason !== undefined) {
        const excInfo = this.doc.createElementNS(null, 'exc_info');
        excInfo.setAttribute('name', entry.reason);
        for (const frame of stackFrames(entry.stack)) {
          const tb = this.doc.createElementNS(null, 'tb_frame');
          for (const [key, value] of Object.entries(frame)) tb.setAttribute(key, value);
          excInfo.appendChild(tb);
        }
        aggregate.appendChild(excInfo);
      }
      statistics.appendChild(aggregate);
    }
    this.root.appendChild(statistics);
  }

  /** The document, in the GENI v3 namespace or converted to ProtoGENI v2 (the same elements, the older namespace). */
  toXml(format: 'geni3' | 'pgv2' = 'geni3'): string {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(this.doc)}`;
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
