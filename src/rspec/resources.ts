import type libxmljs from 'libxmljs2';
import { parseXmlSafely } from './parse';

/** A node or link element as checks compare documents by it; every attribute may be missing. */
export interface ResourceElement {
  kind: 'node' | 'link';
  clientId?: string;
  componentId?: string;
  sliverId?: string;
}

export interface RSpecResources {
  /** The resources the document describes: its top-level nodes, then its top-level links. */
  resources: ResourceElement[];
  /** Every node element at any depth, in document order. */
  allNodes: ResourceElement[];
}

/**
 * The nodes and links of an RSpec of any type, through the safe parse (no DTD, no entities, no network) and
 * without the model's demands: a manifest missing a sliver_id still reads, so a check can say exactly that.
 * Throws RSpecParseError when the text is not well-formed XML.
 */
export function readResources(xml: string, what = 'RSpec'): RSpecResources {
  const root = parseXmlSafely(xml, what).root();
  if (!root) return { resources: [], allNodes: [] };
  const children = root.childNodes().filter((n): n is libxmljs.Element => n.type() === 'element');
  const top = (kind: ResourceElement['kind']) => children.filter((e) => e.name() === kind).map((e) => resourceOf(kind, e));
  const allNodes = (root.find('.//*[local-name()="node"]') as libxmljs.Element[]).map((e) => resourceOf('node', e));
  return { resources: [...top('node'), ...top('link')], allNodes };
}

function resourceOf(kind: ResourceElement['kind'], element: libxmljs.Element): ResourceElement {
  const attribute = (name: string) => element.attr(name)?.value();
  const out: ResourceElement = { kind };
  const clientId = attribute('client_id');
  const componentId = attribute('component_id');
  const sliverId = attribute('sliver_id');
  if (clientId !== undefined) out.clientId = clientId;
  if (componentId !== undefined) out.componentId = componentId;
  if (sliverId !== undefined) out.sliverId = sliverId;
  return out;
}
