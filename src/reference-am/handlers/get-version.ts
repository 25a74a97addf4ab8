import type { XmlRpcValue } from '../../xmlrpc';
import type { AggregateEnv, HandlerResult } from '../env';
import { FAILURE_INJECTION_FIELD, PROVISION_FAILS_DISK_IMAGE } from '../failure-injection';
import { DYNSLICE_FIELD } from '../dynslice';
import { DYNSLICE_API_VERSION } from '../dynslice/server';
import type { AdvertisedRSpecVersion } from '../rspec-versions';

export const AM_TYPE = 'geni-harness-reference';

const versionStructs = (versions: readonly AdvertisedRSpecVersion[]): XmlRpcValue[] =>
  versions.map((v) => ({ type: v.type, version: v.version, schema: v.schema, namespace: v.namespace, extensions: [...v.extensions] }));

/** GetVersion([options]): no credentials needed. geni_api is repeated at top level so v1 clients can read it. */
export function getVersion(env: AggregateEnv): HandlerResult {
  const { faults } = env;
  const api: XmlRpcValue = faults.has('getversion-api-as-string') ? '3' : 3;
  const value: Record<string, XmlRpcValue> = { geni_api: api };
  if (!faults.has('getversion-omits-api-versions')) {
    value.geni_api_versions = faults.has('getversion-relative-api-urls')
      ? Object.fromEntries(Object.entries(env.urls).map(([version, url]) => [version, new URL(url).pathname]))
      : { ...env.urls };
  }
  value.geni_request_rspec_versions = versionStructs(env.personality.rspec.request);
  value.geni_ad_rspec_versions = versionStructs(env.personality.rspec.ad);
  if (!faults.has('getversion-omits-credential-types')) {
    value.geni_credential_types = [
      { geni_type: 'geni_sfa', geni_version: '3' },
      { geni_type: 'geni_sfa', geni_version: '2' },
    ];
  }
  if (env.personality.v3?.getVersion === 'gcf') return gcfVersion(env, value, api);
  value.geni_single_allocation = env.singleAllocation;
  value.geni_allocate = env.allocateMode;
  value.geni_am_type = AM_TYPE;
  value.geni_am_code = env.amCodeVersion;
  // The aggregate's own URN, under the name SFA and ProtoGENI aggregates use: geni_ is reserved for the common members.
  value.urn = env.amUrn;
  if (env.failureInjection) value[FAILURE_INJECTION_FIELD] = { provision_fails_disk_image: PROVISION_FAILS_DISK_IMAGE };
  if (env.dynsliceUrl) value[DYNSLICE_FIELD] = { url: env.dynsliceUrl, version: DYNSLICE_API_VERSION };
  return { value, topLevel: { geni_api: api } };
}

/**
 * What gcf's am3 GetVersion says beyond the common members: its credential type and code version, nothing it
 * could leave to the spec's defaults (geni_single_allocation false, geni_allocate geni_single), no urn.
 */
function gcfVersion(env: AggregateEnv, value: Record<string, XmlRpcValue>, api: XmlRpcValue): HandlerResult {
  if (value.geni_credential_types) value.geni_credential_types = [{ geni_type: 'geni_sfa', geni_version: '3' }];
  value.geni_am_type = 'gcf';
  value.geni_am_code = env.amCodeVersion;
  return { value, topLevel: { geni_api: api } };
}
