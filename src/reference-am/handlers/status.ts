import type { XmlRpcValue } from '../../xmlrpc';
import type { AggregateEnv, CallContext, HandlerResult } from '../env';
import { readOptions } from '../options';
import { sliverEntry } from '../sliver-report';
import { openSliverCall } from './sliver-call';

/** Status(urns, credentials, options): { geni_urn, geni_slivers } with geni_error required (possibly ''). */
export function status(env: AggregateEnv, params: XmlRpcValue[], call: CallContext): HandlerResult {
  readOptions(params[2], 'Status', env.faults);
  const { selection } = openSliverCall(env, call, params[0], params[1], 'status');
  const slivers = selection.slivers.map((sliver) => {
    const entry = sliverEntry(sliver, env.faults, 'full');
    if (env.faults.has('status-wrong-state-after-provision') && sliver.allocation === 'geni_provisioned') {
      entry.geni_allocation_status = 'geni_allocated';
    }
    if (env.faults.has('status-omits-geni-error')) delete entry.geni_error;
    return entry;
  });
  return { value: { geni_urn: selection.sliceUrn ?? '', geni_slivers: slivers } };
}
