export {
  DYNSLICE_SERVER_METHODS, DYNSLICE_CLIENT_METHODS, DYNSLICE_POLICIES, NODE_IDENTIFIER_KEYS, SERVER_DEFAULT_KEYS,
  DEFAULT_TICK_SECONDS, TEST_HOOKS_FIELD,
  type ArgumentStyle, type ServerMethod, type DynsliceServerMethodName, type DynsliceClientMethodName, type NodeIdentifierKey,
} from './methods';
export { toPgResponse, pgSucceeded, pgRefused, type PgResponse } from './response';
export { nodelistOf, nodeIdOf, nodeIdsOf, type NodeEntry } from './nodes';
export { dynsliceServerApi, encodeServerArgs, type DynsliceServerApi, type ServerArgs } from './server-api';
export { dynsliceEndpointApi, type DynsliceEndpointApi } from './endpoint-api';
