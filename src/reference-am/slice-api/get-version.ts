import type { XmlRpcValue } from '../../xmlrpc';
import type { AggregateEnv, HandlerResult } from '../env';
import type { AdvertisedRSpecVersion } from '../rspec-versions';
import type { SliceApi } from './call';

/**
 * Where the v2 GetVersion advertises draft methods (change set C's UpdateSliver). The draft defines no
 * GetVersion field, so this is our own: a list of method names rather than one flag per method (a client can
 * read any future draft the same way), and without the geni_ prefix, which is reserved for adopted GENI
 * fields (GAPI_AM_API_V2: aggregate-specific returns use their own prefix or none).
 */
export const DRAFT_METHODS_FIELD = 'draft_methods';

const versionStructs = (versions: readonly AdvertisedRSpecVersion[]): XmlRpcValue[] =>
  versions.map((v) => ({ type: v.type, version: v.version, schema: v.schema, namespace: v.namespace, extensions: [...v.extensions] }));


/**
 * v1 GetVersion(): a plain struct with change set A's RSpec version lists, no geni_ prefix on them.
 * v2 GetVersion([options]): the same facts, geni_-prefixed, inside value; geni_api is repeated at the top level
 * so a v1 client that reads only that still learns the version (GAPI_AM_API_V2 GetVersion).
 */
export function sliceApiGetVersion(env: AggregateEnv, api: SliceApi): HandlerResult {
  if (api === 1) {
    return {
      value: {
        geni_api: 1,
        geni_api_versions: { ...env.urls },
        request_rspec_versions: versionStructs(env.personality.rspec.request),
        ad_rspec_versions: versionStructs(env.personality.rspec.ad),
        // The format ListResources answers in when the v1 caller names none (change set A: one of the ad versions).
        default_ad_rspec: { type: defaultAd(env).type, version: defaultAd(env).version },
      },
    };
  }
  const value: Record<string, XmlRpcValue> = {
    geni_api: 2,
    geni_api_versions: { ...env.urls },
    geni_request_rspec_versions: versionStructs(env.personality.rspec.request),
    geni_ad_rspec_versions: versionStructs(env.personality.rspec.ad),
  };
  if (env.updateSliver) value[DRAFT_METHODS_FIELD] = ['UpdateSliver'];
  return { value, topLevel: env.faults.has('v2-getversion-omits-top-level-api') ? {} : { geni_api: 2 } };
}

/** The first advertised format is the default one. */
export function defaultAd(env: AggregateEnv): AdvertisedRSpecVersion {
  return env.personality.rspec.ad[0]!;
}
