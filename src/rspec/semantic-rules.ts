import type libxmljs from 'libxmljs2';
import type { RSpecFinding } from './findings';
import type { RSpecType } from './schemas';
import { attributeValue, elementPath } from './element-path';

/**
 * The rules the core schemas cannot state (they have no key/keyref): identifiers unique, link ends that
 * resolve, links with two ends, manifest nodes with a sliver_id. They apply to requests and manifests,
 * whose resources are named by client_id; advertisements name physical components and are checked by the
 * XSD only. Each finding is an error with the line and element path of the offending element.
 */
export function checkSemanticRules(doc: libxmljs.Document, namespace: string, type: RSpecType): RSpecFinding[] {
  if (type === 'advertisement') return [];
  const ns = { r: namespace };
  const nodes = doc.find<libxmljs.Element>('/r:rspec/r:node', ns);
  const interfaces = doc.find<libxmljs.Element>('/r:rspec/r:node/r:interface', ns);
  const links = doc.find<libxmljs.Element>('/r:rspec/r:link', ns);
  const findings: RSpecFinding[] = [
    ...uniqueClientIds([...nodes, ...interfaces, ...links]),
    ...linkEnds(links, interfaces, ns),
  ];
  if (type === 'manifest') findings.push(...manifestSliverIds(nodes));
  return findings;
}

/**
 * A manifest may describe resources of other aggregates too (a stitched slice): links that name several
 * component managers may end at interfaces listed elsewhere, and nodes managed by an aggregate that issued no
 * sliver in this document carry no sliver_id of it. Those are noted, not errors.
 */
function isMultiAggregateLink(link: libxmljs.Element, ns: Record<string, string>): boolean {
  return link.find<libxmljs.Element>('r:component_manager', ns).length > 1;
}

function finding(rule: string, message: string, element: libxmljs.Element): RSpecFinding {
  return { rule, message, line: element.line(), path: elementPath(element), severity: 'error' };
}

/** client_ids share one scope: a node, an interface and a link may not reuse each other's names. */
function uniqueClientIds(elements: libxmljs.Element[]): RSpecFinding[] {
  const firstUse = new Map<string, libxmljs.Element>();
  const findings: RSpecFinding[] = [];
  for (const element of elements) {
    const clientId = attributeValue(element, 'client_id');
    if (clientId === undefined) continue; // the XSD already reports the missing attribute
    const earlier = firstUse.get(clientId);
    if (earlier === undefined) {
      firstUse.set(clientId, element);
      continue;
    }
    findings.push(
      finding(
        'unique-client-id',
        `client_id "${clientId}" of ${element.name()} at line ${element.line()} is already used by ${earlier.name()} at line ${earlier.line()} (${elementPath(earlier)})`,
        element,
      ),
    );
  }
  return findings;
}

function linkEnds(links: libxmljs.Element[], interfaces: libxmljs.Element[], ns: Record<string, string>): RSpecFinding[] {
  const interfaceIds = new Set(interfaces.map((element) => attributeValue(element, 'client_id')));
  const findings: RSpecFinding[] = [];
  for (const link of links) {
    const linkName = attributeValue(link, 'client_id') ?? '(no client_id)';
    const refs = link.find<libxmljs.Element>('r:interface_ref', ns);
    if (refs.length < 2) {
      findings.push(
        finding('link-two-ends', `link "${linkName}" has ${refs.length} interface_ref${refs.length === 1 ? '' : 's'}; a link needs at least 2 ends`, link),
      );
    }
    for (const ref of refs) {
      const target = attributeValue(ref, 'client_id');
      if (target === undefined || interfaceIds.has(target)) continue;
      const foreign = isMultiAggregateLink(link, ns);
      findings.push({
        ...finding('interface-ref-resolves', `interface_ref "${target}" in link "${linkName}" names no interface of any node in this document${foreign ? ' (the link spans several aggregates: it may end at another aggregate\'s interface)' : ''}`, ref),
        ...(foreign && { severity: 'notice' as const }),
      });
    }
  }
  return findings;
}

function manifestSliverIds(nodes: libxmljs.Element[]): RSpecFinding[] {
  // The aggregates that issued slivers in this manifest; a node of another one is that aggregate's business.
  const issuing = new Set(nodes.filter((n) => attributeValue(n, 'sliver_id')).map((n) => attributeValue(n, 'component_manager_id')));
  return nodes
    .filter((node) => !attributeValue(node, 'sliver_id'))
    .map((node) => {
      const manager = attributeValue(node, 'component_manager_id');
      const foreign = issuing.size > 0 && manager !== undefined && !issuing.has(manager);
      const name = attributeValue(node, 'client_id') ?? '(no client_id)';
      return foreign
        ? { ...finding('manifest-sliver-id', `manifest node "${name}" has no sliver_id; it belongs to ${manager}, which issued no sliver in this manifest`, node), severity: 'notice' as const }
        : finding('manifest-sliver-id', `manifest node "${name}" has no sliver_id`, node);
    });
}
