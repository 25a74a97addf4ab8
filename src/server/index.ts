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
  type ServedExchange,
} from './xmlrpc-https-server';
