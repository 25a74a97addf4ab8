import type { XmlRpcValue } from '../../xmlrpc';
import { AmError, GENI_CODE } from '../am-error';
import { authorizeCall, type AggregateEnv, type HandlerResult } from '../env';
import type { Options } from '../options';
import { sliceUrnArg, type SliceCall } from './call';

/**
 * Shutdown(slice_urn, credentials[, options]): the operator's emergency stop, as in v3 (the same slice flag, so
 * v3 sees it too). Afterwards the slice takes no CreateSliver, RenewSliver, DeleteSliver or UpdateSliver.
 */
export function sliceApiShutdown(env: AggregateEnv, args: XmlRpcValue[], _options: Options, call: SliceCall): HandlerResult {
  const sliceUrn = sliceUrnArg(args);
  authorizeCall(env, call, args[1], 'shutdown', sliceUrn);
  const slice = env.model.findSlice(sliceUrn);
  if (!slice) throw new AmError(GENI_CODE.SEARCHFAILED, `slice ${sliceUrn} is not known at this aggregate`);
  env.model.shutDown(slice);
  return { value: true };
}
