/**
 * fast-check arbitraries for the GENI AM API: request RSpecs and their labelled mutations, option structs per
 * API version, identifiers, dates, credential mutations and raw XML-RPC bodies. Every arbitrary is a function of
 * a constraints object; negative ones say what they broke.
 */
export type { InvalidValue } from './labelled';
export {
  requestRSpec,
  DEFAULT_SLIVER_TYPES,
  DEFAULT_DISK_IMAGES,
  EXTENSION_NAMESPACES,
  type RequestRSpecConstraints,
} from './rspec/request';
export {
  mutatedRequestRSpec,
  RSPEC_MUTATION_KINDS,
  RSPEC_MUTATION_VIOLATES,
  type RSpecMutation,
  type RSpecMutationKind,
  type RSpecRule,
  type MutatedRequestRSpec,
  type MutatedRequestRSpecConstraints,
} from './rspec/mutations';
export {
  amOptions,
  amOptionsWithUnknownKeys,
  mistypedOptions,
  knownOptionKeys,
  AM_METHOD_OPTIONS,
  OPTION_KINDS,
  type AmOptionsConstraints,
  type AmOptionsWithUnknownKeysConstraints,
  type MethodOptions,
  type MistypedOption,
  type OptionKind,
} from './options/am-options';
export { sliceName, type SliceNameConstraints, type SliceNameDefect } from './identifiers/slice-name';
export { urn, transcribePublicId, GENI_URN_TYPES, type GeniUrnType, type UrnConstraints, type UrnDefect } from './identifiers/urn';
export { rfc3339Date, type Rfc3339DateConstraints, type DateDefect, type InvalidDate } from './dates/rfc3339';
export {
  credentialMutation,
  CREDENTIAL_MUTATION_NAMES,
  type CredentialMutation,
  type CredentialMutationName,
  type CredentialMutationConstraints,
} from './credentials/credential-mutation';
export {
  rawXmlRpcCall,
  RAW_CALL_MUTATION_KINDS,
  type RawXmlRpcCall,
  type RawCallMutation,
  type RawCallMutationKind,
  type RawXmlRpcCallConstraints,
} from './xmlrpc/raw-call';
