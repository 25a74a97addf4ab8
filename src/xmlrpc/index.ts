export {
  XmlRpcDateTime,
  XmlRpcTyped,
  WIRE_TYPES,
  isStruct,
  DEFAULT_DECODE_LIMITS,
  type WireType,
  type XmlRpcValue,
  type WireTypeIndex,
  type DecodedResponse,
  type DecodeLimits,
} from './values';
export { XmlRpcDecodeError, type XmlRpcDecodeFailure } from './errors';
export { encodeMethodCall, encodeMethodResponse, encodeFault, encodeTextCodeFault, encodeValue, formatXmlRpcDate } from './encode';
export { decodeMethodResponse, decodeMethodCall } from './decode';
export { toTransferable, fromTransferable, type TransferableResponse } from './transfer';
/** The safe XML reader behind the decoder (no DTD, no entities, limits), for other small untrusted documents. */
export { readXml, type XmlElement, type XmlReaderLimits } from './xml-reader';
