import { XmlRpcFault } from '../../server';
import type { XmlRpcValue } from '../../xmlrpc';
import { AmError, GENI_CODE, badArgs } from '../am-error';
import { formatRfc3339, parseTimeArgument } from '../dates';
import { authorizeCall, type AggregateEnv, type HandlerResult } from '../env';
import { readFlag, type Options } from '../options';
import type { SliceRecord, Sliver } from '../model';
import { renewLimit } from '../policy';
import { refuseIfShutDown, sliceUrnArg, sliceWithSlivers, type SliceCall } from './call';

/**
 * RenewSliver(slice_urn, credentials, expiration_time[, options]): every sliver of the slice to the new time.
 * The time must be in the future and no later than policy and the slice credential allow.
 *   v1: a boolean is the whole answer, so a time we cannot grant is `false` (as gcf am1), not a Fault.
 *   v2: OUTOFRANGE (19) with the latest allowed time in value (gcf am2), unless geni_extend_alap asks for
 *       "as long as possible": then the slivers get that time and output says so.
 */
export function renewSliver(env: AggregateEnv, args: XmlRpcValue[], options: Options, call: SliceCall): HandlerResult {
  const sliceUrn = sliceUrnArg(args);
  const requested = parseTimeArgument(args[2]);
  if (!requested && call.api === 2 && env.faults.has('v2-exception-as-fault')) {
    throw new XmlRpcFault(1, `<type 'exceptions.ValueError'>:unknown string format: ${String(args[2])}`);
  }
  if (!requested) throw badArgs(`expiration_time must be an RFC 3339 date-time, got ${JSON.stringify(String(args[2]))}`);
  const credential = authorizeCall(env, call, args[1], 'renew', sliceUrn);
  const { slice, slivers } = sliceWithSlivers(env, sliceUrn);
  refuseIfShutDown(env, slice, 'RenewSliver', call.api);

  const pastCredentialFault = call.api === 1 ? 'v1-renewsliver-past-credential' : 'v2-renewsliver-past-credential';
  const credentialBound = env.faults.has(pastCredentialFault) ? undefined : credential.expires;
  // An empty sliver (no slivers) is bounded by the credential and by policy as a fresh one would be.
  const states = slivers.length > 0 ? slivers.map((s) => s.allocation) : ['geni_provisioned' as const];
  const limit = new Date(Math.min(...states.map((state) => renewLimit(env.policy, state, call.now, credentialBound).getTime())));
  const inPast = requested.getTime() <= call.now.getTime();
  const tooLate = requested.getTime() > limit.getTime();

  if (call.api === 1) {
    if (inPast || tooLate) return { value: false };
    renewTo(slice, slivers, requested);
    return { value: true };
  }
  if (inPast) {
    throw new AmError(GENI_CODE.OUTOFRANGE, `expiration_time ${formatRfc3339(requested)} is not in the future (now is ${formatRfc3339(call.now)})`);
  }
  if (!tooLate) {
    renewTo(slice, slivers, requested);
    // gcf am2 answers successResult(True, requested): the new expiry, a datetime, as output.
    return env.faults.has('v2-renewsliver-output-date') ? { value: true, output: requested } : { value: true };
  }
  if (readFlag(options, 'geni_extend_alap')) {
    renewTo(slice, slivers, limit);
    return { value: true, output: `geni_extend_alap: renewed to ${formatRfc3339(limit)}, the latest allowed, instead of ${formatRfc3339(requested)}` };
  }
  const why = credentialBound && limit.getTime() === credentialBound.getTime() ? 'the slice credential expires then' : 'aggregate policy allows no longer';
  throw new AmError(
    GENI_CODE.OUTOFRANGE,
    `cannot renew slice ${slice.urn} to ${formatRfc3339(requested)}: the latest allowed is ${formatRfc3339(limit)} (${why})`,
    formatRfc3339(limit),
  );
}

function renewTo(slice: SliceRecord, slivers: Sliver[], expires: Date): void {
  for (const sliver of slivers) sliver.expires = expires;
  if (slice.emptySliver) slice.emptySliver.expires = expires;
}
