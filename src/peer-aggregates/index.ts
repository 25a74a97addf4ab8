export {
  startPeerAggregates,
  type PeerAggregates,
  type PeerAggregatesOptions,
  type PeerControl,
  type PeerInfo,
  type ReceivedCall,
} from './peer-set';
export { HOSTILE_BEHAVIOURS, HUGE_ANSWER_BYTES, type HostileBehaviour, type PeerBehaviour } from './behaviour';
export { aggregatesXml, omniAggregateNicknames } from './config-files';
export { servePeerControl, type PeerControlServer } from './control-server';
export { connectPeerControl, type ControlCall } from './control-protocol';
