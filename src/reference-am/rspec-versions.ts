/**
 * The RSpec formats a reference aggregate can speak: GENI v3, ProtoGENI v2 (the same vocabulary, another
 * namespace) and, for advertisements only, the native format of SFA/PlanetLab aggregates, which is nobody's
 * standard and has no published schema. Which of them a reference aggregate offers is its personality's choice.
 */
export const GENI3_RSPEC_NAMESPACE = 'http://www.geni.net/resources/rspec/3';
export const PGV2_RSPEC_NAMESPACE = 'http://www.protogeni.net/resources/rspec/2';

/** How documents of a format are written: the model in one of its two namespaces, or the SFA native format. */
export type RSpecWriter = 'geni3' | 'pgv2' | 'sfa';

export interface AdvertisedRSpecVersion {
  type: string;
  version: string;
  schema: string;
  namespace: string;
  extensions: string[];
  writer: RSpecWriter;
}

export const GENI3_REQUEST: AdvertisedRSpecVersion = {
  type: 'GENI', version: '3', schema: 'http://www.geni.net/resources/rspec/3/request.xsd', namespace: GENI3_RSPEC_NAMESPACE, extensions: [], writer: 'geni3',
};
export const GENI3_AD: AdvertisedRSpecVersion = {
  type: 'GENI', version: '3', schema: 'http://www.geni.net/resources/rspec/3/ad.xsd', namespace: GENI3_RSPEC_NAMESPACE, extensions: [], writer: 'geni3',
};
export const PGV2_REQUEST: AdvertisedRSpecVersion = {
  type: 'ProtoGENI', version: '2', schema: 'http://www.protogeni.net/resources/rspec/2/request.xsd', namespace: PGV2_RSPEC_NAMESPACE, extensions: [], writer: 'pgv2',
};
export const PGV2_AD: AdvertisedRSpecVersion = {
  type: 'ProtoGENI', version: '2', schema: 'http://www.protogeni.net/resources/rspec/2/ad.xsd', namespace: PGV2_RSPEC_NAMESPACE, extensions: [], writer: 'pgv2',
};
/** SFA's own advertisement format (PlanetLab): no schema or namespace is published for it, so both are ''. */
export const SFA1_AD: AdvertisedRSpecVersion = { type: 'SFA', version: '1', schema: '', namespace: '', extensions: [], writer: 'sfa' };

/** type and version compare case-insensitively (GAPI_AM_API_V3 GetVersion). */
export function isAdvertised(versions: readonly AdvertisedRSpecVersion[], type: string, version: string): boolean {
  return findAdvertised(versions, type, version) !== undefined;
}

export function findAdvertised(versions: readonly AdvertisedRSpecVersion[], type: string, version: string): AdvertisedRSpecVersion | undefined {
  return versions.find((v) => v.type.toLowerCase() === type.toLowerCase() && v.version.toLowerCase() === version.toLowerCase());
}
