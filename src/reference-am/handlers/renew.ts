import type { XmlRpcValue } from '../../xmlrpc';
import { AmError, GENI_CODE, badArgs } from '../am-error';
import { formatRfc3339, parseTimeArgument, withoutZoneOffset } from '../dates';
import { refuseIfShutDown, type AggregateEnv, type CallContext, type HandlerResult } from '../env';
import { readFlag, readOptions } from '../options';
import { renewLimit } from '../policy';
import { sliverEntry } from '../sliver-report';
import { requireWholeStates } from '../sliver-selection';
import { judgeSlivers, openSliverCall } from './sliver-call';

/**
 * Renew(urns, credentials, expiration_time, options). A time in the past, or beyond policy or the slice
 * credential's expiry, is OUTOFRANGE (gcf does the same for both) with the latest allowed time as the hint,
 * unless geni_extend_alap asks for "as long as possible" instead.
 */
export function renew(env: AggregateEnv, params: XmlRpcValue[], call: CallContext): HandlerResult {
  const options = readOptions(params[3], 'Renew', env.faults);
  // The renew-ignores-utc-offset fault: a ±HH:MM zone is dropped, so the wall-clock time is read as UTC.
  const requested = parseTimeArgument(env.faults.has('renew-ignores-utc-offset') ? withoutZoneOffset(params[2]) : params[2]);
  if (!requested) throw badArgs(`expiration_time must be an RFC 3339 date-time, got ${JSON.stringify(String(params[2]))}`);
  const { selection, credential } = openSliverCall(env, call, params[0], params[1], 'renew');
  refuseIfShutDown(env, selection.slice, 'Renew');
  if (env.singleAllocation) requireWholeStates(selection, 'Renew');
  if (requested.getTime() <= call.now.getTime()) {
    throw new AmError(GENI_CODE.OUTOFRANGE, `expiration_time ${formatRfc3339(requested)} is not in the future (now is ${formatRfc3339(call.now)})`);
  }

  const extendAlap = readFlag(options, 'geni_extend_alap') && !env.faults.has('extend-alap-ignored');
  const credentialBound = env.faults.has('renew-past-credential') ? undefined : credential.expires;
  const newExpiry = new Map<string, Date>();
  const notes: string[] = [];
  const verdicts = judgeSlivers(selection.slivers, readFlag(options, 'geni_best_effort'), (sliver) => {
    const limit = renewLimit(env.policy, sliver.allocation, call.now, credentialBound);
    if (requested.getTime() <= limit.getTime()) {
      newExpiry.set(sliver.urn, requested);
      return undefined;
    }
    if (extendAlap) {
      newExpiry.set(sliver.urn, limit);
      notes.push(`${sliver.urn} renewed to ${formatRfc3339(limit)}, the latest allowed, instead of ${formatRfc3339(requested)}`);
      return undefined;
    }
    const why = credentialBound && limit.getTime() === credentialBound.getTime() ? 'the slice credential expires then' : `policy allows ${sliver.allocation} slivers no longer`;
    return new AmError(
      GENI_CODE.OUTOFRANGE,
      `cannot renew ${sliver.urn} to ${formatRfc3339(requested)}: the latest allowed is ${formatRfc3339(limit)} (${why})`,
      formatRfc3339(limit),
    );
  });
  for (const { sliver, problem } of verdicts) {
    const expires = newExpiry.get(sliver.urn);
    if (!problem && expires) {
      // The fault: Describe's cache keeps the expiry it had before this Renew.
      if (env.faults.has('describe-stale-after-renew')) sliver.describeCachedExpires ??= sliver.expires;
      sliver.expires = expires;
    }
  }
  return {
    value: verdicts.map((v) => sliverEntry(v.sliver, env.faults, 'full', v.problem?.message ?? '')),
    output: notes.length > 0 ? `geni_extend_alap: ${notes.join('; ')}` : undefined,
  };
}
