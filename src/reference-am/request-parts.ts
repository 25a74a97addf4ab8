import { readRequest, RSpecParseError, type RequestRSpec } from '../rspec';
import { AmError, GENI_CODE, badArgs } from './am-error';
import type { LinkRequest, NodeRequest } from './model';
import { PGV2_RSPEC_NAMESPACE, type AdvertisedRSpecVersion, type RSpecWriter } from './rspec-versions';

/** What a request RSpec asks of this aggregate, shared by v3 Allocate and v1/v2 CreateSliver and UpdateSliver. */
export interface OurRequest {
  nodes: NodeRequest[];
  links: LinkRequest[];
  /** client_ids of every interface in the request, at any aggregate: a link may end at another aggregate's node. */
  requestInterfaces: Set<string>;
}

/**
 * The request read into the model, in one of the request formats the aggregate advertises (`accepted`): a request
 * in another format is BADVERSION naming the formats it takes, one that does not read is BADARGS.
 */
export function parseRequest(rspec: string, accepted: readonly AdvertisedRSpecVersion[]): RequestRSpec {
  let request: RequestRSpec;
  try {
    request = readRequest(rspec);
  } catch (err) {
    if (err instanceof RSpecParseError) throw badArgs(`the request RSpec cannot be used: ${err.message}`);
    throw err;
  }
  const writer = manifestWriterFor(rspec);
  if (!accepted.some((format) => format.writer === writer)) {
    const offered = accepted.map((a) => `${a.type} ${a.version}`).join(', ');
    throw new AmError(GENI_CODE.BADVERSION, `the request RSpec is in ${writer === 'pgv2' ? 'ProtoGENI 2' : 'GENI 3'} format; this aggregate takes requests in ${offered}`);
  }
  return request;
}

/**
 * The format a manifest answers a request in: the request's own (a ProtoGENI v2 request gets a ProtoGENI v2
 * manifest, change set A's "a GENI format request is answered with a GENI format manifest"). Called on a request
 * parseRequest has read, so its root is an <rspec> in one of the two namespaces.
 */
export function manifestWriterFor(rspec: string): RSpecWriter {
  const root = /<(?:[A-Za-z_][\w.-]*:)?rspec\b[^>]*>/.exec(rspec)?.[0] ?? '';
  return root.includes(PGV2_RSPEC_NAMESPACE) ? 'pgv2' : 'geni3';
}

/** The nodes and links meant for the aggregate `amUrn`, mapped onto what placement needs. */
export function ourPart(amUrn: string, request: RequestRSpec): OurRequest {
  const ours = (cm: string | undefined): boolean => cm === undefined || cm.toLowerCase() === amUrn.toLowerCase();
  const nodes = request.nodes
    .filter((n) => ours(n.componentManagerId))
    .map((n) => ({
      clientId: n.clientId,
      componentId: n.componentId,
      sliverTypeName: n.sliverType?.name,
      diskImage: n.sliverType?.diskImage,
      interfaceClientIds: n.interfaces.map((i) => i.clientId),
    }));
  const ourInterfaces = new Set(nodes.flatMap((n) => n.interfaceClientIds));
  const requestInterfaces = new Set(request.nodes.flatMap((n) => n.interfaces.map((i) => i.clientId)));
  const foreignInterfaces = new Set([...requestInterfaces].filter((id) => !ourInterfaces.has(id)));
  // A link is someone else's when its component managers exclude us, or when it only joins other aggregates' nodes.
  const links = request.links
    .filter((l) => !l.componentManagerIds || l.componentManagerIds.length === 0 || l.componentManagerIds.some(ours))
    .filter((l) => l.interfaceRefs.length === 0 || !l.interfaceRefs.every((ref) => foreignInterfaces.has(ref)))
    .map((l) => ({ clientId: l.clientId, interfaceRefs: [...l.interfaceRefs] }));
  return { nodes, links, requestInterfaces };
}

/**
 * client_ids are unique within a request (nodes, their interfaces and links alike); returns them all. With
 * `nodesOnly` (the accepts-duplicate-interface-client-ids fault) only node client_ids are compared.
 */
export function uniqueClientIds(nodes: NodeRequest[], links: LinkRequest[], options: { nodesOnly?: boolean } = {}): Set<string> {
  const seen = new Set<string>();
  const all = [...nodes.flatMap((n) => [n.clientId, ...n.interfaceClientIds]), ...links.map((l) => l.clientId)];
  for (const id of options.nodesOnly ? nodes.map((n) => n.clientId) : all) {
    if (seen.has(id)) throw badArgs(`client_id "${id}" appears more than once in the request`);
    seen.add(id);
  }
  return new Set(all);
}

/** Every link end must be an interface of the request (at any aggregate) or one the slice already has. */
export function checkLinkEnds(links: LinkRequest[], requestInterfaces: Set<string>, existing: Set<string>): void {
  const known = new Set([...requestInterfaces, ...existing]);
  for (const link of links) {
    const dangling = link.interfaceRefs.filter((ref) => !known.has(ref));
    if (dangling.length > 0) throw badArgs(`link "${link.clientId}" refers to unknown interface client_id ${dangling.map((d) => `"${d}"`).join(', ')}`);
  }
}
