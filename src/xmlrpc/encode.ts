import { XmlRpcDateTime, XmlRpcTyped, type XmlRpcValue } from './values';
import { MAYBE_ILLEGAL_CHAR } from './xml-reader';

/**
 * XML-RPC encoder. Numbers pick the narrowest honest wire type (int32 → <int>, other safe integers → <i8>,
 * anything else → <double>); use XmlRpcTyped to force a type.
 */

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** Characters XML 1.0 does not allow anywhere (the u flag makes lone surrogates count as illegal too). */
const ILLEGAL_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/**
 * Escape text for element content. '\r' is written as a character reference because XML parsers turn a raw CR
 * into LF; escaping it keeps the string exactly as sent.
 */
export function escapeXmlText(text: string, where: string): string {
  const bad = MAYBE_ILLEGAL_CHAR.test(text) ? ILLEGAL_XML_CHAR.exec(text) : null;
  if (bad) {
    const code = bad[0].codePointAt(0) ?? 0;
    throw new TypeError(
      `${where}: character U+${code.toString(16).toUpperCase().padStart(4, '0')} at index ${bad.index} is not allowed in XML 1.0 (wrap the value in XmlRpcTyped to send it anyway)`,
    );
  }
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `YYYYMMDDTHH:MM:SSZ`, the XML-RPC spec's form, in UTC. */
export function formatXmlRpcDate(date: Date): string {
  return (
    `${pad(date.getUTCFullYear(), 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}` +
    `T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}Z`
  );
}

function encodeNumber(value: number, where: string): string {
  if (!Number.isFinite(value)) {
    throw new TypeError(`${where}: ${value} has no XML-RPC representation (use XmlRpcTyped to send it anyway)`);
  }
  if (Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX) return `<int>${value === 0 ? 0 : value}</int>`;
  if (Number.isSafeInteger(value)) return `<i8>${value}</i8>`;
  return `<double>${numberText(value)}</double>`;
}

/** Shortest text that reads back as the same double; large integers are written out without an exponent. */
function numberText(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e21) return BigInt(value).toString();
  return String(value);
}

/** Encode one value as `<value>…</value>`; `where` names the value's place for error messages. */
export function encodeValue(value: XmlRpcValue, where = 'value'): string {
  return `<value>${encodeTyped(value, where)}</value>`;
}

function encodeTyped(value: XmlRpcValue, where: string): string {
  if (value === null) return '<nil/>';
  switch (typeof value) {
    case 'string':
      return value === '' ? '<string></string>' : `<string>${escapeXmlText(value, where)}</string>`;
    case 'number':
      return encodeNumber(value, where);
    case 'boolean':
      return `<boolean>${value ? 1 : 0}</boolean>`;
    case 'bigint':
      return `<i8>${value}</i8>`;
    case 'object':
      break;
    default:
      throw new TypeError(`${where}: ${typeof value} cannot be encoded as XML-RPC`);
  }
  if (value instanceof XmlRpcTyped) return `<${value.type}>${value.text}</${value.type}>`;
  if (value instanceof XmlRpcDateTime) return `<dateTime.iso8601>${escapeXmlText(value.raw, where)}</dateTime.iso8601>`;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError(`${where}: Invalid Date cannot be encoded`);
    return `<dateTime.iso8601>${formatXmlRpcDate(value)}</dateTime.iso8601>`;
  }
  if (value instanceof Uint8Array) return `<base64>${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')}</base64>`;
  if (Array.isArray(value)) {
    return `<array><data>${value.map((item, i) => encodeValue(item, `${where}[${i}]`)).join('')}</data></array>`;
  }
  const members: string[] = [];
  for (const [name, member] of Object.entries(value)) {
    // Optional fields left undefined are simply absent, as in JSON.
    if (member === undefined) continue;
    const memberWhere = `${where}.${name}`;
    members.push(`<member><name>${escapeXmlText(name, memberWhere)}</name>${encodeValue(member, memberWhere)}</member>`);
  }
  return `<struct>${members.join('')}</struct>`;
}

const XML_DECLARATION = '<?xml version="1.0"?>\n';

export function encodeMethodCall(method: string, params: XmlRpcValue[]): string {
  const encodedParams = params.map((p, i) => `<param>${encodeValue(p, `params[${i}]`)}</param>`).join('');
  return (
    `${XML_DECLARATION}<methodCall><methodName>${escapeXmlText(method, 'methodName')}</methodName>` +
    `<params>${encodedParams}</params></methodCall>\n`
  );
}

export function encodeMethodResponse(value: XmlRpcValue): string {
  return `${XML_DECLARATION}<methodResponse><params><param>${encodeValue(value, 'value')}</param></params></methodResponse>\n`;
}

/**
 * A Fault whose faultCode is text, against the XML-RPC specification (its faultCode is an int): what Python's xmlrpclib
 * sends for `Fault('No such slice.', ...)`. Only the reference AM's deliberate faults write one.
 */
export function encodeTextCodeFault(faultCode: string, faultString: string): string {
  return `${XML_DECLARATION}<methodResponse><fault>${encodeValue({ faultCode, faultString }, 'fault')}</fault></methodResponse>\n`;
}

export function encodeFault(faultCode: number, faultString: string): string {
  if (!Number.isInteger(faultCode)) throw new TypeError(`faultCode must be an integer, but received ${faultCode}`);
  const struct = { faultCode, faultString };
  return `${XML_DECLARATION}<methodResponse><fault>${encodeValue(struct, 'fault')}</fault></methodResponse>\n`;
}
