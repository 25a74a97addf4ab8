export {
  startReferenceAm,
  createReferenceAggregate,
  REFERENCE_AM_CODE_VERSION,
  V3_PATH,
  type ReferenceAmOptions,
  type ReferenceAm,
} from './reference-am';
export { REFERENCE_FAULTS, FaultSet, type FaultDefinition, type ReferenceFaultName } from './faults';
export { callV3, v3Dispatcher } from './dispatcher';
export { DEFAULT_POLICY, type AmPolicy } from './policy';
export type { AggregateEnv, AllocateMode, CallContext } from './env';
