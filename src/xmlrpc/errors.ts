export type XmlRpcDecodeFailure = 'not-xml' | 'dtd-forbidden' | 'not-xmlrpc' | 'bad-value' | 'too-deep';

/** A body that could not be decoded as XML-RPC. The message names what was wrong and where. */
export class XmlRpcDecodeError extends Error {
  override readonly name = 'XmlRpcDecodeError';
  constructor(
    readonly reason: XmlRpcDecodeFailure,
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}
