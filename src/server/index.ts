export {
  startXmlRpcHttpsServer,
  XmlRpcFault,
  RawHttpAnswer,
  FAULT_PARSE_ERROR,
  FAULT_INTERNAL_ERROR,
  type PeerIdentity,
  type XmlRpcRequestContext,
  type XmlRpcDispatcher,
  type XmlRpcHttpsServerOptions,
  type RunningXmlRpcServer,
} from './xmlrpc-https-server';
