export {
  startReferenceAm,
  startReferenceAms,
  createReferenceAggregate,
  REFERENCE_AM_CODE_VERSION,
  V1_PATH,
  V2_PATH,
  V3_PATH,
  type ReferenceAmOptions,
  type ReferenceAm,
  type ReferenceAmVariant,
} from './reference-am';
export { REFERENCE_FAULTS, FaultSet, type FaultDefinition, type ReferenceFaultName } from './faults';
export { callV3, v3Dispatcher } from './dispatcher';
export { callV1, callV2, v1Dispatcher, v2Dispatcher } from './slice-api/dispatcher';
export { DRAFT_METHODS_FIELD } from './slice-api/get-version';
export { DEFAULT_POLICY, type AmPolicy } from './policy';
export { PROVISION_FAILS_DISK_IMAGE, FAILURE_INJECTION_FIELD } from './failure-injection';
export type { AggregateEnv, AllocateMode, CallContext } from './env';
export { NodeLoginHost, type LoginDirectory, type LoginEndpoint } from './node-logins/node-login-host';
export { loginName } from './node-logins/accounts';
export { PERSONALITIES, DEFAULT_PERSONALITY, personalityNamed, type Personality, type PersonalityName, type ReferenceApi } from './personalities';
export {
  DynsliceServer, DEFAULT_DYNSLICE_SETTINGS, DYNSLICE_API_VERSION, DYNSLICE_FIELD, DYNSLICE_PATH, RECLAIM_HOOK_METHOD, STEP_HOOK_METHOD,
  type DynsliceSettings, type DynsliceFaultName,
} from './dynslice';
