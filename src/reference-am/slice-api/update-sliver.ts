import type { XmlRpcValue } from '../../xmlrpc';
import { badArgs } from '../am-error';
import { manifestXml } from '../documents';
import { manifestLogins } from '../node-logins/manifest-logins';
import { authorizeCall, type AggregateEnv, type HandlerResult } from '../env';
import type { AggregateModel, GeniUser, LinkRequest, NodeRequest, Sliver } from '../model';
import { readUserList, type Options } from '../options';
import { checkLinkEnds, manifestWriterFor, ourPart, parseRequest, uniqueClientIds } from '../request-parts';
import { refuseIfShutDown, sliceUrnArg, sliceWithSlivers, type SliceCall } from './call';

/** What UpdateSliver must change to turn the slice into the request, matched by client_id. */
interface UpdatePlan {
  addNodes: NodeRequest[];
  /** Node slivers whose component, sliver type, image or interfaces change; they keep their sliver URN. */
  refitNodes: Array<{ sliver: Sliver; request: NodeRequest }>;
  addLinks: LinkRequest[];
  relinks: Array<{ sliver: Sliver; interfaceRefs: string[] }>;
  remove: Sliver[];
}

/**
 * UpdateSliver(slice_urn, credentials, rspec, users, options): draft change set C (seed 001). The request is the
 * complete new end state of the slice here; we compute the difference (add, remove, modify, by client_id) and
 * apply it atomically: anything that cannot be met (capacity, an unknown component, a malformed request) fails
 * before the slice is touched. New and modified nodes are started at once (no tickets, no separate restart).
 * The answer is the manifest of the whole slice after the update. A slice with nothing here is SEARCHFAILED:
 * there is nothing to update, and CreateSliver is the way to start.
 */
export function updateSliver(env: AggregateEnv, args: XmlRpcValue[], _options: Options, call: SliceCall): HandlerResult {
  const sliceUrn = sliceUrnArg(args);
  const rspec = args[2];
  if (typeof rspec !== 'string') throw badArgs('rspec (parameter 3) must be a string');
  const users = readUserList(args[3], 'users (parameter 4)');
  authorizeCall(env, call, args[1], 'allocate', sliceUrn);
  const { slice, slivers } = sliceWithSlivers(env, sliceUrn);
  refuseIfShutDown(env, slice, 'UpdateSliver', call.api);

  const { nodes, links, requestInterfaces } = ourPart(env.amUrn, parseRequest(rspec, env.personality.rspec.request));
  uniqueClientIds(nodes, links);
  // The end state stands alone: its links may only join interfaces the request itself names.
  checkLinkEnds(links, requestInterfaces, new Set());
  const plan = planUpdate(slivers, nodes, links);
  const expires = new Date(Math.min(...slivers.map((s) => s.expires.getTime())));

  if (env.faults.has('updatesliver-not-atomic')) {
    applyOneByOne(env.model, sliceUrn, plan, expires, users, call.now);
  } else {
    // Placing every new and modified node in one go, with the places they and the removed slivers give up
    // counted as free, is what makes the update all or nothing: it throws before anything has changed.
    const placement = env.model.place([...plan.refitNodes.map((r) => r.request), ...plan.addNodes], plan.addLinks, {
      releasing: [...plan.remove, ...plan.refitNodes.map((r) => r.sliver)],
    });
    env.model.remove(plan.remove);
    plan.refitNodes.forEach(({ sliver }, i) => env.model.refit(sliver, placement.nodes[i]!));
    const added = env.model.allocate(sliceUrn, { nodes: placement.nodes.slice(plan.refitNodes.length), links: plan.addLinks }, expires);
    finish(env.model, plan, added, expires, users, call.now);
  }
  return { value: manifestXml(env.model, [...slice.slivers.values()], env.faults, manifestLogins(env, 'provisioned'), manifestWriterFor(rspec)) };
}

/**
 * The updatesliver-not-atomic fault: an aggregate that works through the difference item by item, so a request
 * that only partly fits leaves the part that fitted applied (and the removals done) when it reports the failure.
 */
function applyOneByOne(model: AggregateModel, sliceUrn: string, plan: UpdatePlan, expires: Date, users: GeniUser[], now: Date): void {
  model.remove(plan.remove);
  const added: Sliver[] = [];
  try {
    for (const { sliver, request } of plan.refitNodes) model.refit(sliver, model.place([request], [], { releasing: [sliver] }).nodes[0]!);
    for (const request of plan.addNodes) added.push(...model.allocate(sliceUrn, model.place([request], []), expires));
    added.push(...model.allocate(sliceUrn, { nodes: [], links: plan.addLinks }, expires));
  } finally {
    finish(model, plan, added, expires, users, now);
  }
}

/** New slivers are provisioned for the users and booted; refitted nodes reboot; relinked links take their new ends. */
function finish(model: AggregateModel, plan: UpdatePlan, added: Sliver[], expires: Date, users: GeniUser[], now: Date): void {
  for (const { sliver, interfaceRefs } of plan.relinks) if (sliver.link) sliver.link.interfaceRefs = [...interfaceRefs];
  model.provision(added, expires, users);
  model.boot([...added, ...plan.refitNodes.map((r) => r.sliver).filter((s) => s.node)], now);
}

function planUpdate(current: Sliver[], nodes: NodeRequest[], links: LinkRequest[]): UpdatePlan {
  const byClientId = new Map(current.map((s) => [s.clientId, s]));
  const wanted = new Set([...nodes.map((n) => n.clientId), ...links.map((l) => l.clientId)]);
  const plan: UpdatePlan = { addNodes: [], refitNodes: [], addLinks: [], relinks: [], remove: current.filter((s) => !wanted.has(s.clientId)) };
  for (const request of nodes) {
    const sliver = byClientId.get(request.clientId);
    if (!sliver?.node) {
      // A client_id that was a link and is now a node is a removal plus an addition.
      if (sliver) plan.remove.push(sliver);
      plan.addNodes.push(request);
    } else if (nodeChanged(sliver, request)) {
      plan.refitNodes.push({ sliver, request: stayPut(sliver, request) });
    }
  }
  for (const link of links) {
    const sliver = byClientId.get(link.clientId);
    if (!sliver?.link) {
      if (sliver) plan.remove.push(sliver);
      plan.addLinks.push(link);
    } else if (!sameSet(sliver.link.interfaceRefs, link.interfaceRefs)) {
      plan.relinks.push({ sliver, interfaceRefs: link.interfaceRefs });
    }
  }
  return plan;
}

function nodeChanged(sliver: Sliver, request: NodeRequest): boolean {
  const node = sliver.node;
  if (!node) return true;
  return (
    (request.componentId !== undefined && request.componentId.toLowerCase() !== node.componentId.toLowerCase()) ||
    (request.sliverTypeName !== undefined && request.sliverTypeName !== node.sliverType) ||
    request.diskImage !== node.diskImage ||
    !sameSet(node.interfaces.map((i) => i.clientId), request.interfaceClientIds)
  );
}

/** A modified node the request leaves unbound stays where it is (re-imaged in place) unless its sliver type changes. */
function stayPut(sliver: Sliver, request: NodeRequest): NodeRequest {
  const node = sliver.node;
  if (!node || request.componentId !== undefined) return request;
  if (request.sliverTypeName !== undefined && request.sliverTypeName !== node.sliverType) return request;
  return { ...request, componentId: node.componentId, sliverTypeName: node.sliverType };
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}
