import type { XmlRpcValue } from '../../xmlrpc';
import { encodeCompressedRSpec } from '../../rspec';
import { badArgs } from '../am-error';
import { advertisementXml } from '../documents';
import { sfaCredentialTexts } from '../credential-gate';
import { authorizeCall, type AggregateEnv, type CallContext, type HandlerResult } from '../env';
import { readFlag, readOptions, requireRSpecVersion } from '../options';

/**
 * ListResources(credentials, options): the advertisement. Any valid credential of the caller will do (user or
 * slice credential). geni_rspec_version is required; geni_available and geni_compressed are honoured.
 */
export function listResources(env: AggregateEnv, params: XmlRpcValue[], call: CallContext): HandlerResult {
  const [credentials, rawOptions] = params;
  const options = readOptions(rawOptions, 'ListResources', env.faults);
  // The fault, after gcf's CredentialVerifier: "If no target_urn is supplied, then no credential is required".
  const noneToCheck = env.faults.has('listresources-accepts-no-credentials') && sfaCredentialTexts(credentials).length === 0;
  if (!noneToCheck) authorizeCall(env, call, credentials, 'listresources');
  const format = requireRSpecVersion(options, env.personality.rspec.ad, env.faults, env.faults.has('missing-rspec-version-accepted'));
  if (options.geni_slice_urn !== undefined) {
    // Removed in v3 (Describe replaced it); gcf answers BADARGS rather than silently returning the advertisement.
    throw badArgs('option geni_slice_urn is no longer supported in AM API v3; use Describe for a slice manifest');
  }
  const compress = readFlag(options, 'geni_compressed') && !env.faults.has('ignores-compressed');
  // The compressed-drops-available-filter fault: the compressed path builds its document without the filter.
  const availableOnly = readFlag(options, 'geni_available') && !(compress && env.faults.has('compressed-drops-available-filter'));
  const xml = advertisementXml(env.model, call.now, { availableOnly, faults: env.faults, writer: format.writer, advertises: env.personality.advertises });
  return { value: compress ? encodeCompressedRSpec(xml) : xml };
}
