import { encodeCompressedRSpec } from '../../rspec';
import { isStruct, type XmlRpcValue } from '../../xmlrpc';
import { AmError, GENI_CODE, badArgs } from '../am-error';
import { advertisementXml, manifestXml } from '../documents';
import { manifestLogins } from '../node-logins/manifest-logins';
import { authorizeCall, type AggregateEnv, type HandlerResult } from '../env';
import { readFlag, requireRSpecVersion, type Options } from '../options';
import { findAdvertised, type AdvertisedRSpecVersion } from '../rspec-versions';
import { sliceWithSlivers, type SliceCall } from './call';
import { defaultAd } from './get-version';

/**
 * ListResources(credentials, options) in v1 and v2: the advertisement, or with geni_slice_urn the manifest of
 * that slice (which needs a credential for the slice). geni_available and geni_compressed apply to both.
 * The RSpec format is `rspec_version` in v1 (optional; unsupported → Fault) and `geni_rspec_version` in v2
 * (required: missing → BADARGS, unsupported → BADVERSION).
 */
export function sliceApiListResources(env: AggregateEnv, args: XmlRpcValue[], options: Options, call: SliceCall): HandlerResult {
  const format = call.api === 1
    ? requireV1RSpecVersion(env, options)
    : requireRSpecVersion(options, env.personality.rspec.ad, env.faults, env.faults.has('v2-missing-rspec-version-accepted'));

  const sliceUrn = options.geni_slice_urn;
  let xml: string;
  if (sliceUrn !== undefined) {
    if (typeof sliceUrn !== 'string') throw badArgs('option geni_slice_urn must be a slice URN string');
    authorizeCall(env, call, args[0], 'describe', sliceUrn);
    // A manifest "of the type corresponding to" the advertisement format asked for (change set A).
    xml = manifestXml(env.model, sliceWithSlivers(env, sliceUrn).slivers, env.faults, manifestLogins(env, 'served'), format.writer);
  } else {
    authorizeCall(env, call, args[0], 'listresources');
    xml = advertisementXml(env.model, call.now, {
      availableOnly: readFlag(options, 'geni_available'), faults: env.faults, writer: format.writer, advertises: env.personality.advertises,
    });
  }
  return { value: readFlag(options, 'geni_compressed') ? encodeCompressedRSpec(xml) : xml };
}

/** v1 change set A: rspec_version { type, version } picks the format; absent means default_ad_rspec. */
function requireV1RSpecVersion(env: AggregateEnv, options: Options): AdvertisedRSpecVersion {
  const v = options.rspec_version;
  if (v === undefined) return defaultAd(env);
  if (!isStruct(v) || typeof v.type !== 'string' || (typeof v.version !== 'string' && typeof v.version !== 'number')) {
    throw badArgs('option rspec_version must be a struct with string members type and version');
  }
  const found = findAdvertised(env.personality.rspec.ad, v.type, String(v.version));
  if (found) return found;
  // The fault: the requested format is never looked at, so the default advertisement goes back as if asked for.
  if (env.faults.has('v1-unsupported-rspec-version-accepted')) return defaultAd(env);
  const offered = env.personality.rspec.ad.map((a) => `${a.type} ${a.version}`).join(', ');
  throw new AmError(GENI_CODE.BADVERSION, `RSpec version ${v.type} ${String(v.version)} is not supported; this aggregate offers ${offered}`);
}
