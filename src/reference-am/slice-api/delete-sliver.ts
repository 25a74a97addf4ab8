import type { XmlRpcValue } from '../../xmlrpc';
import { authorizeCall, type AggregateEnv, type HandlerResult } from '../env';
import type { Options } from '../options';
import { refuseIfShutDown, sliceUrnArg, sliceWithSlivers, type SliceCall } from './call';

/** DeleteSliver(slice_urn, credentials[, options]): every sliver of the slice here goes; true on success. */
export function deleteSliver(env: AggregateEnv, args: XmlRpcValue[], _options: Options, call: SliceCall): HandlerResult {
  const sliceUrn = sliceUrnArg(args);
  authorizeCall(env, call, args[1], 'delete', sliceUrn);
  const { slice, slivers } = sliceWithSlivers(env, sliceUrn);
  refuseIfShutDown(env, slice, 'DeleteSliver', call.api);
  env.model.remove(slivers);
  delete slice.emptySliver;
  return { value: true };
}
