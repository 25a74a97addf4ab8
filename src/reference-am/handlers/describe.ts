import { encodeCompressedRSpec } from '../../rspec';
import type { XmlRpcValue } from '../../xmlrpc';
import { manifestXml } from '../documents';
import { manifestLogins } from '../node-logins/manifest-logins';
import type { AggregateEnv, CallContext, HandlerResult } from '../env';
import { readFlag, readOptions, requireRSpecVersion } from '../options';
import { expiresText, sliverEntry } from '../sliver-report';
import { requireWholeStates } from '../sliver-selection';
import { openSliverCall } from './sliver-call';

/**
 * Describe(urns, credentials, options): the manifest of the named slivers. A slice with no slivers here gets a
 * valid manifest with no nodes and an empty geni_slivers (GAPI_AM_API_V3 diff v18), not SEARCHFAILED.
 */
export function describe(env: AggregateEnv, params: XmlRpcValue[], call: CallContext): HandlerResult {
  const options = readOptions(params[2], 'Describe', env.faults);
  const { selection } = openSliverCall(env, call, params[0], params[1], 'describe', { emptySliceIsOk: !env.faults.has('describe-empty-slice-searchfailed') });
  const format = requireRSpecVersion(options, env.personality.rspec.request, env.faults);
  if (env.singleAllocation) requireWholeStates(selection, 'Describe');
  const xml = manifestXml(env.model, selection.slivers, env.faults, manifestLogins(env, 'served'), format.writer);
  const compress = readFlag(options, 'geni_compressed') && !env.faults.has('ignores-compressed');
  return {
    value: {
      geni_rspec: compress ? encodeCompressedRSpec(xml) : xml,
      geni_urn: env.faults.has('describe-wrong-slice-urn') ? env.amUrn : (selection.sliceUrn ?? ''),
      geni_slivers: selection.slivers.map((s) => {
        const entry = sliverEntry(s, env.faults, 'full');
        if (env.faults.has('describe-stale-after-renew') && s.describeCachedExpires) entry.geni_expires = expiresText(s.describeCachedExpires, env.faults);
        return entry;
      }),
    },
  };
}
