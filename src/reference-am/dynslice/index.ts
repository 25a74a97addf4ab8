export {
  DynsliceServer, DEFAULT_DYNSLICE_SETTINGS, DYNSLICE_API_VERSION, RECLAIM_HOOK_METHOD, STEP_HOOK_METHOD, TEST_HOOKS_FIELD, type DynsliceSettings,
} from './server';
export { httpsCallbackSender, type CallbackAnswer, type CallbackSender } from './callbacks';
export { Countdown, realScheduler, releasedNodeIds, type Scheduler } from './countdown';
export { DYNSLICE_FAULT_DEFINITIONS, type DynsliceFaultName } from './faults';
export { POLICIES, type Policy } from './policies';
export { PG_CODE } from './wire';

/** The GetVersion member (v2 and v3) through which the aggregate tells clients where its dynslice server is. */
export const DYNSLICE_FIELD = 'geniharness_dynslice';
export const DYNSLICE_PATH = '/dynslice';
export { SteppedScheduler } from './stepped-clock';
