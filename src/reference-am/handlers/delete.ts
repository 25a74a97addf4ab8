import type { XmlRpcValue } from '../../xmlrpc';
import type { AggregateEnv, CallContext, HandlerResult } from '../env';
import { readOptions } from '../options';
import { expiresText } from '../sliver-report';
import { requireWholeStates } from '../sliver-selection';
import { openSliverCall } from './sliver-call';

/**
 * Delete(urns, credentials, options): the slivers go back to geni_unallocated and are forgotten, so later calls
 * naming them get SEARCHFAILED. Deleting never fails per sliver here, so geni_best_effort changes nothing.
 */
export function deleteSlivers(env: AggregateEnv, params: XmlRpcValue[], call: CallContext): HandlerResult {
  readOptions(params[2], 'Delete', env.faults);
  const { selection } = openSliverCall(env, call, params[0], params[1], 'delete');
  if (env.singleAllocation) requireWholeStates(selection, 'Delete');
  if (!env.faults.has('delete-leaves-sliver-listed')) env.model.remove(selection.slivers);
  return {
    value: selection.slivers.map((s) => ({
      geni_sliver_urn: s.urn,
      geni_allocation_status: 'geni_unallocated',
      geni_expires: expiresText(call.now, env.faults),
      geni_error: '',
    })),
  };
}
