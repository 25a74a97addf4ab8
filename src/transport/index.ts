export { TransportError, type TransportFailure } from './errors';
export { HttpsTransport, formatBytes, type TlsClientOptions, type PostOptions, type RawHttpResponse } from './https-transport';
