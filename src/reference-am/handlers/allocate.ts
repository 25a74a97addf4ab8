import { parseUrn } from '../../geni/urn';
import type { XmlRpcValue } from '../../xmlrpc';
import { AmError, GENI_CODE, badArgs } from '../am-error';
import { manifestXml } from '../documents';
import { authorizeCall, refuseIfShutDown, type AggregateEnv, type CallContext, type HandlerResult } from '../env';
import type { LinkRequest, NodeRequest, Placement, SliceRecord } from '../model';
import { readOptions, readTimeOption } from '../options';
import { checkLinkEnds, manifestWriterFor, ourPart, parseRequest, uniqueClientIds } from '../request-parts';
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
  const { nodes, links, requestInterfaces } = ourPart(env.amUrn, parseRequest(rspec, env.personality.rspec.request));
  if (nodes.length === 0 && links.length === 0) {
    if (env.personality.v3?.emptyRequest !== 'empty') throw badArgs('the request RSpec asks this aggregate for nothing (no nodes or links for it)');
    // gcf allocates as many slivers as the request has nodes: none here, and the answer says so.
    return { value: { geni_rspec: manifestXml(env.model, [], env.faults, {}, manifestWriterFor(rspec)), geni_slivers: [] } };
  }
  checkAgainstSlice(env, slice, nodes, links, requestInterfaces);

  const placement = placeOrKeep(env, nodes, links);
  const expires = allocationExpiry(env.policy, call.now, credential.expires, requestedEnd);
  const created = env.model.allocate(sliceUrn, placement, expires, requestedEnd);
  return {
    value: {
      geni_rspec: manifestXml(env.model, created, env.faults, {}, manifestWriterFor(rspec)),
      geni_slivers: created.map((s) => sliverEntry(s, env.faults, 'allocate')),
    },
  };
}

function placeOrKeep(env: AggregateEnv, nodes: NodeRequest[], links: LinkRequest[]): Placement {
  try {
    return env.model.place(nodes, links, {
      ignoreCapacity: env.faults.has('allocate-ignores-capacity'),
      exclusiveIgnoresRequestDemand: env.faults.has('allocate-double-books-exclusive-in-request'),
    });
  } catch (err) {
    // The refused-allocate-keeps-nodes fault: refused for want of room, yet what fitted stays taken.
    if (err instanceof AmError && err.geniCode === GENI_CODE.INSUFFICIENT_NODES && env.faults.has('refused-allocate-keeps-nodes')) env.model.keepRefused(nodes);
    throw err;
  }
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
  const seen = uniqueClientIds(nodes, links, { nodesOnly: env.faults.has('accepts-duplicate-interface-client-ids') });
  if (!slice) return checkLinkEnds(links, requestInterfaces, new Set());
  const existing = env.model.clientIdsIn(slice);
  if (existing.size > 0 && env.allocateMode === 'geni_single' && !env.faults.has('single-allocate-twice')) {
    const code = env.personality.v3?.secondAllocate === 'ALREADYEXISTS' ? GENI_CODE.ALREADYEXISTS : GENI_CODE.UNSUPPORTED;
    throw new AmError(code, `this aggregate has geni_allocate geni_single: slice ${slice.urn} already has slivers; Delete them before allocating again`);
  }
  const clashes = [...seen].filter((id) => existing.has(id));
  const referencesExisting = links.flatMap((l) => l.interfaceRefs).filter((ref) => existing.has(ref));
  if (env.allocateMode === 'geni_disjoint' && (clashes.length > 0 || referencesExisting.length > 0)) {
    throw new AmError(GENI_CODE.UNSUPPORTED, `this aggregate has geni_allocate geni_disjoint: the request refers to existing resources of the slice (${[...clashes, ...referencesExisting].join(', ')})`);
  }
  if (clashes.length > 0) throw badArgs(`client_id ${clashes.map((c) => `"${c}"`).join(', ')} already used in slice ${slice.urn}`);
  checkLinkEnds(links, requestInterfaces, existing);
}
