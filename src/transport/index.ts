export { TransportError, type TransportFailure } from './errors';
export { HttpsTransport, formatBytes, serverNames, type TlsClientOptions, type PostOptions, type RawHttpResponse, type ServerNames } from './https-transport';
