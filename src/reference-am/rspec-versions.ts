/** The one RSpec format this aggregate speaks, for requests and advertisements alike (GENI v3). */
export const GENI3_RSPEC_NAMESPACE = 'http://www.geni.net/resources/rspec/3';

export interface AdvertisedRSpecVersion {
  type: string;
  version: string;
  schema: string;
  namespace: string;
  extensions: string[];
}

export const REQUEST_RSPEC_VERSIONS: readonly AdvertisedRSpecVersion[] = [
  { type: 'GENI', version: '3', schema: 'http://www.geni.net/resources/rspec/3/request.xsd', namespace: GENI3_RSPEC_NAMESPACE, extensions: [] },
];

export const AD_RSPEC_VERSIONS: readonly AdvertisedRSpecVersion[] = [
  { type: 'GENI', version: '3', schema: 'http://www.geni.net/resources/rspec/3/ad.xsd', namespace: GENI3_RSPEC_NAMESPACE, extensions: [] },
];

/** type and version compare case-insensitively (GAPI_AM_API_V3 GetVersion). */
export function isAdvertised(versions: readonly AdvertisedRSpecVersion[], type: string, version: string): boolean {
  return versions.some((v) => v.type.toLowerCase() === type.toLowerCase() && v.version.toLowerCase() === version.toLowerCase());
}
