import type { RSpecFinding } from './findings';
import type { RSpecType } from './schemas';
import { checkIpAddress } from './ip-address';
import type { DocumentScan, ElementPaths, ScannedElement, ScannedLink } from './scan';

/**
 * The rules the core schemas cannot state (they have no key/keyref): identifiers unique, link ends that
 * resolve, links with two ends, manifest nodes with a sliver_id, and interface addresses that are addresses.
 * The client_id rules apply to requests and manifests, whose resources are named by client_id; advertisements
 * name physical components. Each finding has the line and element path of the offending element.
 */
export function checkSemanticRules(scan: DocumentScan, type: RSpecType, paths: ElementPaths): RSpecFinding[] {
  const finding = (rule: string, message: string, element: ScannedElement): RSpecFinding => ({
    rule, message, line: element.line, path: paths.of(element.node), severity: 'error',
  });
  const findings: RSpecFinding[] = [];
  for (const ip of scan.ips) {
    const problem = checkIpAddress(ip.attributes);
    if (problem) findings.push({ ...finding('ip-address', problem.message, ip), severity: problem.severity });
  }
  if (type === 'advertisement') return findings;
  findings.push(...uniqueClientIds([...scan.nodes, ...scan.interfaces, ...scan.links], finding, paths));
  findings.push(...linkEnds(scan.links, scan.interfaces, finding));
  if (type === 'manifest') findings.push(...manifestSliverIds(scan.nodes, finding));
  return findings;
}

type MakeFinding = (rule: string, message: string, element: ScannedElement) => RSpecFinding;

/** client_ids share one scope: a node, an interface and a link may not reuse each other's names. */
function uniqueClientIds(elements: ScannedElement[], finding: MakeFinding, paths: ElementPaths): RSpecFinding[] {
  const firstUse = new Map<string, ScannedElement>();
  const findings: RSpecFinding[] = [];
  for (const element of elements) {
    const clientId = element.attributes.client_id;
    if (clientId === undefined) continue; // the XSD already reports the missing attribute
    const earlier = firstUse.get(clientId);
    if (earlier === undefined) {
      firstUse.set(clientId, element);
      continue;
    }
    findings.push(
      finding(
        'unique-client-id',
        `client_id "${clientId}" of ${element.kind} at line ${element.line} is already used by ${earlier.kind} at line ${earlier.line} (${paths.of(earlier.node)})`,
        element,
      ),
    );
  }
  return findings;
}

/**
 * A manifest may describe resources of other aggregates too (a stitched slice): links that name several
 * component managers may end at interfaces listed elsewhere, and nodes managed by an aggregate that issued no
 * sliver in this document carry no sliver_id of it. Those are noted, not errors.
 */
function linkEnds(links: ScannedLink[], interfaces: ScannedElement[], finding: MakeFinding): RSpecFinding[] {
  const interfaceIds = new Set(interfaces.map((element) => element.attributes.client_id));
  const findings: RSpecFinding[] = [];
  for (const link of links) {
    const linkName = link.attributes.client_id ?? '(no client_id)';
    const refs = link.interfaceRefs;
    if (refs.length < 2) {
      findings.push(finding('link-two-ends', `link "${linkName}" has ${refs.length} interface_ref${refs.length === 1 ? '' : 's'}; a link needs at least 2 ends`, link));
    }
    for (const ref of refs) {
      const target = ref.attributes.client_id;
      if (target === undefined || interfaceIds.has(target)) continue;
      const foreign = link.componentManagers > 1;
      findings.push({
        ...finding('interface-ref-resolves', `interface_ref "${target}" in link "${linkName}" names no interface of any node in this document${foreign ? ' (the link spans several aggregates: it may end at another aggregate\'s interface)' : ''}`, ref),
        ...(foreign && { severity: 'notice' as const }),
      });
    }
  }
  return findings;
}

function manifestSliverIds(nodes: ScannedElement[], finding: MakeFinding): RSpecFinding[] {
  // The aggregates that issued slivers in this manifest; a node of another one is that aggregate's business.
  const issuing = new Set(nodes.filter((n) => n.attributes.sliver_id).map((n) => n.attributes.component_manager_id));
  return nodes
    .filter((node) => !node.attributes.sliver_id)
    .map((node) => {
      const manager = node.attributes.component_manager_id;
      const foreign = issuing.size > 0 && manager !== undefined && !issuing.has(manager);
      const name = node.attributes.client_id ?? '(no client_id)';
      return foreign
        ? { ...finding('manifest-sliver-id', `manifest node "${name}" has no sliver_id; it belongs to ${manager}, which issued no sliver in this manifest`, node), severity: 'notice' as const }
        : finding('manifest-sliver-id', `manifest node "${name}" has no sliver_id`, node);
    });
}
