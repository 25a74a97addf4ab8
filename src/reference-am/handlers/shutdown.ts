import { parseUrn } from '../../geni/urn';
import type { XmlRpcValue } from '../../xmlrpc';
import { AmError, GENI_CODE, badArgs } from '../am-error';
import { authorizeCall, type AggregateEnv, type CallContext, type HandlerResult } from '../env';
import { readOptions } from '../options';
import { stringParam } from './params';

/**
 * Shutdown(slice_urn, credentials, options): the operator's emergency stop. Resources are stopped but kept for
 * forensics; afterwards the slice refuses Allocate, Provision, Renew and PerformOperationalAction with REFUSED.
 * Shutting down a slice twice succeeds again (the outcome is the same).
 */
export function shutdown(env: AggregateEnv, params: XmlRpcValue[], call: CallContext): HandlerResult {
  const sliceUrn = stringParam(params, 0, 'slice_urn');
  readOptions(params[2], 'Shutdown', env.faults);
  if (parseUrn(sliceUrn)?.type.toLowerCase() !== 'slice') throw badArgs(`slice_urn ${JSON.stringify(sliceUrn)} is not a slice URN`);
  authorizeCall(env, call, params[1], 'shutdown', sliceUrn);
  const slice = env.model.findSlice(sliceUrn);
  if (!slice) throw new AmError(GENI_CODE.SEARCHFAILED, `slice ${sliceUrn} is not known at this aggregate`);
  if (slice.shutdown && env.personality.v3?.shutDownRefuses === 'everything') throw new AmError(GENI_CODE.FORBIDDEN, 'Already shut down.');
  env.model.shutDown(slice);
  return { value: true };
}
