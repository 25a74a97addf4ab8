export { RSpecParseError, type RSpecParseRule } from './errors';
export { parseXmlSafely } from './parse';
export { GENI3_NAMESPACE, PGV2_NAMESPACE, SCHEMA_DIRECTORY, schemaNameFor, loadSchema } from './schemas';
export {
  validateRSpec,
  checkManifestCoversRequest,
  decodeCompressedRSpec,
  encodeCompressedRSpec,
  type RSpecType,
  type RSpecFinding,
  type RSpecValidation,
} from './validate';
export {
  GENI3_NS,
  requestView,
  type RSpecInterface,
  type RSpecNode,
  type RSpecLink,
  type RequestRSpec,
  type ManifestRSpec,
  type AdNode,
  type Advertisement,
} from './model';
export { serializeRequest, serializeManifest, serializeAdvertisement } from './serialize';
export { readRequest, readManifest, readAdvertisement } from './read';
