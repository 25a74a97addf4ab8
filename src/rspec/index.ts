export { RSpecParseError, type RSpecParseRule } from './errors';
export { parseXmlSafely } from './parse';
export { GENI3_NAMESPACE, PGV2_NAMESPACE, SCHEMA_DIRECTORY, schemaNameFor, loadSchema } from './schemas';
export {
  validateRSpec,
  validateRSpecFile,
  DEFAULT_MAX_BYTES,
  decodeCompressedRSpec,
  encodeCompressedRSpec,
  type RSpecType,
  type RSpecFinding,
  type RSpecValidation,
  type ValidateOptions,
  type RSpecFormat,
} from './validate';
export {
  GENI3_NS,
  PGV2_NS,
  EMULAB_NS,
  OPSTATE_NS,
  promisedSlots,
  requestView,
  type RSpecInterface,
  type RSpecNode,
  type RSpecLink,
  type RequestRSpec,
  type ManifestRSpec,
  type AdNode,
  type Advertisement,
  type OperationalAction,
  type OperationalWait,
  type OperationalStateDefinition,
  type OperationalStateMachine,
} from './model';
export { machinesFor, advertisedStateNames, advertisedWaitStates, statesAfterAction, describeMachines } from './opstate';
export { checkManifestCoversRequest } from './coverage';
export { DEFAULT_MAX_DECOMPRESSED_BYTES } from './compression';
export { serializeRequest, serializeManifest, serializeAdvertisement, advertisementContent, advertisementDocument, type RSpecDialect, type SerializeOptions } from './serialize';
export { readRequest, readManifest, readAdvertisement } from './read';
export { readLoginServices, type LoginService, type NodeLoginServices } from './login-services';
export { readResources, type ResourceElement, type RSpecResources } from './resources';
