import { parseUrn } from '../../geni/urn';
import type { XmlRpcValue } from '../../xmlrpc';
import { AmError, GENI_CODE, badArgs } from '../am-error';
import type { AggregateEnv, CallContext, HandlerResult } from '../env';
import type { SliceRecord, Sliver } from '../model';
import type { Options } from '../options';

/** The two slice-oriented versions of the AM API: v1 (GAPI_AM_API) and v2 (GAPI_AM_API_V2). */
export type SliceApi = 1 | 2;

export interface SliceCall extends CallContext {
  api: SliceApi;
}

/**
 * One v1/v2 method: its positional arguments without the options struct (the dispatcher separates that, since
 * v1 has it only on ListResources and v2 on every call), the options ({} where there are none), and the call.
 */
export type SliceApiHandler = (env: AggregateEnv, args: XmlRpcValue[], options: Options, call: SliceCall) => HandlerResult;

/** slice_urn: a string naming a slice; anything else is BADARGS. */
export function sliceUrnArg(args: XmlRpcValue[], index = 0): string {
  const value = args[index];
  if (typeof value !== 'string') throw badArgs(`slice_urn (parameter ${index + 1}) must be a string`);
  if (parseUrn(value)?.type.toLowerCase() !== 'slice') throw badArgs(`slice_urn ${JSON.stringify(value)} is not a slice URN`);
  return value;
}

/**
 * The slice and its slivers here; a slice we never saw, or one with none left, is SEARCHFAILED (gcf am2). An empty
 * sliver (SliceRecord.emptySliver) is a sliver here: the slice is returned with no slivers.
 */
export function sliceWithSlivers(env: AggregateEnv, sliceUrn: string): { slice: SliceRecord; slivers: Sliver[] } {
  const slice = env.model.findSlice(sliceUrn);
  const slivers = slice ? [...slice.slivers.values()] : [];
  if (!slice || (slivers.length === 0 && !slice.emptySliver)) throw new AmError(GENI_CODE.SEARCHFAILED, `slice ${sliceUrn} has no slivers at this aggregate`);
  return { slice, slivers };
}

/**
 * After Shutdown the slice takes no changes: gcf am2 answers UNAVAILABLE (11) to RenewSliver and DeleteSliver
 * ("slice is shut down"); CreateSliver and UpdateSliver are refused the same way. SliverStatus stays allowed.
 */
export function refuseIfShutDown(env: AggregateEnv, slice: SliceRecord | undefined, method: string, api: SliceApi): void {
  if (!slice?.shutdown) return;
  if (api === 2 && env.faults.has('v2-shutdown-not-enforced')) return;
  throw new AmError(GENI_CODE.UNAVAILABLE, `${method} refused: slice ${slice.urn} has been shut down by the aggregate operator`);
}
