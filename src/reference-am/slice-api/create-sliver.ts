import type { XmlRpcValue } from '../../xmlrpc';
import { AmError, GENI_CODE, badArgs } from '../am-error';
import { manifestXml } from '../documents';
import { manifestLogins } from '../node-logins/manifest-logins';
import { authorizeCall, type AggregateEnv, type HandlerResult } from '../env';
import { readUserList, type Options } from '../options';
import { provisionExpiry } from '../policy';
import { checkLinkEnds, manifestWriterFor, ourPart, parseRequest, uniqueClientIds } from '../request-parts';
import { refuseIfShutDown, sliceUrnArg, type SliceCall } from './call';

/**
 * CreateSliver(slice_urn, credentials, rspec, users[, options]): v3's Allocate, Provision and geni_start in one
 * step, all or nothing. The slivers are the same model objects v3 sees (geni_provisioned, booting). A slice that
 * already has slivers here is ALREADYEXISTS (gcf am2): v1/v2 have one sliver per slice and aggregate.
 * The manifest answers in the request's format (GENI 3 or ProtoGENI 2).
 */
export function createSliver(env: AggregateEnv, args: XmlRpcValue[], _options: Options, call: SliceCall): HandlerResult {
  const sliceUrn = sliceUrnArg(args);
  const rspec = args[2];
  if (typeof rspec !== 'string') throw badArgs('rspec (parameter 3) must be a string');
  const users = readUserList(args[3], 'users (parameter 4)');
  const credential = authorizeCall(env, call, args[1], 'allocate', sliceUrn);

  const slice = env.model.findSlice(sliceUrn);
  refuseIfShutDown(env, slice, 'CreateSliver', call.api);
  const existing = slice ? env.model.clientIdsIn(slice) : new Set<string>();
  if ((existing.size > 0 || slice?.emptySliver) && !(call.api === 2 && env.faults.has('v2-createsliver-twice'))) {
    throw new AmError(GENI_CODE.ALREADYEXISTS, `slice ${sliceUrn} already has a sliver at this aggregate; use DeleteSliver first (or UpdateSliver where offered)`);
  }
  const { nodes, links, requestInterfaces } = ourPart(env.amUrn, parseRequest(rspec, env.personality.rspec.request));
  if (nodes.length === 0 && links.length === 0) {
    if (env.personality.sliceApi?.emptyRequest !== 'empty') throw badArgs('the request RSpec asks this aggregate for nothing (no nodes or links for it)');
    // gcf reserves what the request names, here nothing: an empty sliver, answered with a manifest without resources.
    env.model.openSlice(sliceUrn).emptySliver = { expires: provisionExpiry(env.policy, call.now, credential.expires) };
    return { value: manifestXml(env.model, [], env.faults, manifestLogins(env, 'provisioned'), manifestWriterFor(rspec)) };
  }
  const clashes = [...uniqueClientIds(nodes, links)].filter((id) => existing.has(id));
  if (clashes.length > 0) throw badArgs(`client_id ${clashes.map((c) => `"${c}"`).join(', ')} already used in slice ${sliceUrn}`);
  checkLinkEnds(links, requestInterfaces, existing);

  const placement = env.model.place(nodes, links);
  const expires = provisionExpiry(env.policy, call.now, credential.expires);
  const created = env.model.allocate(sliceUrn, placement, expires);
  env.model.provision(created, expires, users);
  env.model.boot(created, call.now);
  return { value: manifestXml(env.model, created, env.faults, manifestLogins(env, 'provisioned'), manifestWriterFor(rspec)) };
}
