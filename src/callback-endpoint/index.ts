export {
  startCallbackListener, describeCall,
  type CallbackListener, type CallbackListenerOptions, type CaseCallbackEndpoint, type InboundCall,
} from './hosted-endpoint';
export { answer, type CallbackScript, type ScriptedAnswer, type ScriptInput } from './script';
export { WALL_CLOCK, steppedClock, type CallClock } from './clock';
