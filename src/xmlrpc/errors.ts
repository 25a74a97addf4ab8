/**
 * Why a body could not be decoded. 'too-deep' and 'too-large' are the decoder's own limits (DecodeLimits): the
 * answer may be well-formed, the harness declined to read it whole.
 */
export type XmlRpcDecodeFailure = 'not-xml' | 'dtd-forbidden' | 'not-xmlrpc' | 'bad-value' | 'too-deep' | 'too-large';

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
