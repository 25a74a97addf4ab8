import { parseUrn } from '../../geni/urn';
import { readRequest, RSpecParseError, type RequestRSpec } from '../../rspec';
import type { XmlRpcValue } from '../../xmlrpc';
import { AmError, GENI_CODE, badArgs } from '../am-error';
import { manifestXml } from '../documents';
import { authorizeCall, refuseIfShutDown, type AggregateEnv, type CallContext, type HandlerResult } from '../env';
import type { LinkRequest, NodeRequest, SliceRecord } from '../model';
import { readOptions, readTimeOption } from '../options';
import { allocationExpiry } from '../policy';
import { sliverEntry } from '../sliver-report';
import { stringParam } from './params';

/**
 * Allocate(slice_urn, credentials, rspec, options): all or nothing. Nodes bound to another component manager
 * are left for that aggregate (multi-aggregate requests); an unknown component_id of ours is BADARGS.
 */
export function allocate(env: AggregateEnv, params: XmlRpcValue[], call: CallContext): HandlerResult {
  const sliceUrn = stringParam(params, 0, 'slice_urn');
  const rspec = stringParam(params, 2, 'rspec');
  const options = readOptions(params[3], 'Allocate', env.faults);
  if (parseUrn(sliceUrn)?.type.toLowerCase() !== 'slice') throw badArgs(`slice_urn ${JSON.stringify(sliceUrn)} is not a slice URN`);
  const credential = authorizeCall(env, call, params[1], 'allocate', sliceUrn);
  const requestedEnd = readTimeOption(options, 'geni_end_time');

  const slice = env.model.findSlice(sliceUrn);
  refuseIfShutDown(env, slice, 'Allocate');
  const request = parseRequest(rspec);
  const { nodes, links } = ourPart(env, request);
  if (nodes.length === 0 && links.length === 0) throw badArgs('the request RSpec asks this aggregate for nothing (no nodes or links for it)');
  const requestInterfaces = new Set(request.nodes.flatMap((n) => n.interfaces.map((i) => i.clientId)));
  checkAgainstSlice(env, slice, nodes, links, requestInterfaces);

  const placement = env.model.place(nodes, links, { ignoreCapacity: env.faults.has('allocate-ignores-capacity') });
  const expires = allocationExpiry(env.policy, call.now, credential.expires, requestedEnd);
  const created = env.model.allocate(sliceUrn, placement, expires, requestedEnd);
  return {
    value: {
      geni_rspec: manifestXml(env.model, created, env.faults),
      geni_slivers: created.map((s) => sliverEntry(s, env.faults, 'allocate')),
    },
  };
}

function parseRequest(rspec: string): RequestRSpec {
  try {
    return readRequest(rspec);
  } catch (err) {
    if (err instanceof RSpecParseError) throw badArgs(`the request RSpec cannot be used: ${err.message}`);
    throw err;
  }
}

/** The nodes and links meant for this aggregate, mapped onto what placement needs. */
function ourPart(env: AggregateEnv, request: RequestRSpec): { nodes: NodeRequest[]; links: LinkRequest[] } {
  const ours = (cm: string | undefined): boolean => cm === undefined || cm.toLowerCase() === env.amUrn.toLowerCase();
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
  const foreignInterfaces = new Set(request.nodes.flatMap((n) => n.interfaces.map((i) => i.clientId)).filter((id) => !ourInterfaces.has(id)));
  // A link is someone else's when its component managers exclude us, or when it only joins other aggregates' nodes.
  const links = request.links
    .filter((l) => !l.componentManagerIds || l.componentManagerIds.length === 0 || l.componentManagerIds.some(ours))
    .filter((l) => l.interfaceRefs.length === 0 || !l.interfaceRefs.every((ref) => foreignInterfaces.has(ref)))
    .map((l) => ({ clientId: l.clientId, interfaceRefs: [...l.interfaceRefs] }));
  return { nodes, links };
}

/**
 * client_ids are unique within a slice. Under geni_single a slice with slivers takes no further Allocate; under
 * geni_disjoint a new request may not mention the slice's existing resources (both UNSUPPORTED).
 */
function checkAgainstSlice(
  env: AggregateEnv,
  slice: SliceRecord | undefined,
  nodes: NodeRequest[],
  links: LinkRequest[],
  requestInterfaces: Set<string>,
): void {
  const seen = new Set<string>();
  for (const id of [...nodes.flatMap((n) => [n.clientId, ...n.interfaceClientIds]), ...links.map((l) => l.clientId)]) {
    if (seen.has(id)) throw badArgs(`client_id "${id}" appears more than once in the request`);
    seen.add(id);
  }
  if (!slice) return checkLinkEnds(links, requestInterfaces, new Set());
  const existing = env.model.clientIdsIn(slice);
  if (existing.size > 0 && env.allocateMode === 'geni_single' && !env.faults.has('single-allocate-twice')) {
    throw new AmError(GENI_CODE.UNSUPPORTED, `this aggregate has geni_allocate geni_single: slice ${slice.urn} already has slivers; Delete them before allocating again`);
  }
  const clashes = [...seen].filter((id) => existing.has(id));
  const referencesExisting = links.flatMap((l) => l.interfaceRefs).filter((ref) => existing.has(ref));
  if (env.allocateMode === 'geni_disjoint' && (clashes.length > 0 || referencesExisting.length > 0)) {
    throw new AmError(GENI_CODE.UNSUPPORTED, `this aggregate has geni_allocate geni_disjoint: the request refers to existing resources of the slice (${[...clashes, ...referencesExisting].join(', ')})`);
  }
  if (clashes.length > 0) throw badArgs(`client_id ${clashes.map((c) => `"${c}"`).join(', ')} already used in slice ${slice.urn}`);
  checkLinkEnds(links, requestInterfaces, existing);
}

function checkLinkEnds(links: LinkRequest[], requestInterfaces: Set<string>, existing: Set<string>): void {
  // Interfaces of nodes at other aggregates count as known: a link may cross aggregates.
  const known = new Set([...requestInterfaces, ...existing]);
  for (const link of links) {
    const dangling = link.interfaceRefs.filter((ref) => !known.has(ref));
    if (dangling.length > 0) throw badArgs(`link "${link.clientId}" refers to unknown interface client_id ${dangling.map((d) => `"${d}"`).join(', ')}`);
  }
}
