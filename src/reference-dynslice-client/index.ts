export {
  startReferenceClientEndpoint, CLIENT_ENDPOINT_PATH, CLIENT_ENDPOINT_VERSION,
  type ReferenceClientEndpoint, type ReferenceClientEndpointOptions,
} from './endpoint';
export {
  CLIENT_ENDPOINT_FAULTS, ClientEndpointFaults, type ClientEndpointFaultDefinition, type ClientEndpointFaultName,
} from './faults';
