import type { XmlRpcValue } from '../../xmlrpc';
import { authorizeCall, type AggregateEnv, type HandlerResult } from '../env';
import type { Options } from '../options';
import { expiresText } from '../sliver-report';
import { sliceUrnArg, sliceWithSlivers, type SliceCall } from './call';
import { overallStatus, resourceStatus } from './sliver-status-mapping';

/**
 * SliverStatus(slice_urn, credentials[, options]): { geni_urn, geni_status, geni_resources: [{ geni_urn,
 * geni_status, geni_error }] }, one resource per sliver; v2 adds geni_expires (as gcf am2 does), the earliest
 * sliver expiry, since that is when the slice's resources start to go.
 */
export function sliverStatus(env: AggregateEnv, args: XmlRpcValue[], _options: Options, call: SliceCall): HandlerResult {
  const sliceUrn = sliceUrnArg(args);
  authorizeCall(env, call, args[1], 'status', sliceUrn);
  const { slice, slivers } = sliceWithSlivers(env, sliceUrn);
  const resources = slivers.map((sliver) => ({ sliver, status: resourceStatus(sliver) }));
  const value: Record<string, XmlRpcValue> = {
    geni_urn: slice.urn,
    geni_status: overallStatus(resources.map((r) => r.status), call.api, env.faults),
    geni_resources: resources.map(({ sliver, status }) => ({ geni_urn: sliver.urn, geni_status: status, geni_error: '' })),
  };
  if (call.api === 2) {
    const earliest = new Date(Math.min(...slivers.map((s) => s.expires.getTime()), slice.emptySliver?.expires.getTime() ?? Infinity));
    value.geni_expires = expiresText(earliest, env.faults);
  }
  return { value };
}
