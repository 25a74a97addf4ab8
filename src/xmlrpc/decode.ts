import type libxmljs from 'libxmljs2';
import { XmlRpcDecodeError, type XmlRpcDecodeFailure } from './errors';
import { parseUntrustedXml } from './safe-parse';
import {
  XmlRpcDateTime,
  type DecodeLimits,
  type DecodedResponse,
  type WireType,
  type WireTypeIndex,
  type XmlRpcValue,
} from './values';

/**
 * XML-RPC decoder: strict about structure and scalar syntax (a bad <int> is an error, not a NaN), tolerant of
 * what the spec allows (whitespace between elements, untyped <value>, <i4>, Apache's <ex:nil/> and <ex:i8>).
 */

const DEFAULT_MAX_DEPTH = 64;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INTEGER_TEXT = /^[+-]?\d+$/;
const DOUBLE_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const BASE64_TEXT = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;
/** Apache XML-RPC writes these two extension types with a namespace prefix (ex:nil, ex:i8). */
const NAMESPACED_EXTENSIONS: Record<string, WireType> = { nil: 'nil', i8: 'i8' };

type Element = libxmljs.Element;

interface DecodeState {
  maxDepth: number;
  wireTypes: WireTypeIndex;
}

function fail(reason: XmlRpcDecodeFailure, message: string, node?: libxmljs.Node): never {
  throw new XmlRpcDecodeError(reason, message, node?.line());
}

function quote(text: string, max = 40): string {
  const shown = text.length > max ? `${text.slice(0, max)}…` : text;
  return `'${shown.replace(/\s+/g, ' ')}'`;
}

/** Element children; non-blank text between them is a structural error at `where`. */
function elementChildren(el: Element, where: string): Element[] {
  const out: Element[] = [];
  for (const child of el.childNodes()) {
    const type = child.type();
    if (type === 'element') out.push(child as Element);
    else if (type === 'text' && (child as libxmljs.Text).text().trim() !== '') {
      fail('not-xmlrpc', `<${el.name()}> at ${where}: unexpected text ${quote((child as libxmljs.Text).text().trim())}`, child);
    }
  }
  return out;
}

function hasElementChild(el: Element): boolean {
  return el.childNodes().some((c) => c.type() === 'element');
}

function onlyChild(el: Element, expected: string, where: string): Element {
  const children = elementChildren(el, where);
  const first = children[0];
  if (children.length !== 1 || !first || first.name() !== expected) {
    const found = children.length === 0 ? 'nothing' : children.map((c) => `<${c.name()}>`).join(', ');
    fail('not-xmlrpc', `<${el.name()}> at ${where}: expected exactly one <${expected}>, found ${found}`, el);
  }
  return first;
}

function wireTypeOf(typeEl: Element, where: string): WireType {
  const name = typeEl.name();
  if (typeEl.namespace()) {
    const extension = NAMESPACED_EXTENSIONS[name];
    if (extension) return extension;
    fail('bad-value', `<value> at ${where}: unsupported extension type <${typeEl.namespace()?.prefix() ?? ''}:${name}>`, typeEl);
  }
  switch (name) {
    case 'int': case 'i4': case 'i8': case 'double': case 'boolean': case 'string':
    case 'dateTime.iso8601': case 'base64': case 'nil': case 'array': case 'struct':
      return name;
    default:
      return fail('bad-value', `<value> at ${where}: unknown type <${name}>`, typeEl);
  }
}

function scalarText(typeEl: Element, where: string): string {
  if (hasElementChild(typeEl)) fail('bad-value', `<value> at ${where}: <${typeEl.name()}> contains markup, expected text`, typeEl);
  return typeEl.text();
}

function decodeInteger(text: string, type: WireType, where: string, node: Element): number | bigint {
  const trimmed = text.trim();
  if (!INTEGER_TEXT.test(trimmed)) fail('bad-value', `<value> at ${where}: <${type}> text ${quote(text)} is not an integer`, node);
  const big = BigInt(trimmed);
  if (type === 'i8') {
    if (big < -(2n ** 63n) || big > 2n ** 63n - 1n) fail('bad-value', `<value> at ${where}: <i8> ${trimmed} is outside the 64-bit range`, node);
    return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
  }
  if (big < BigInt(INT32_MIN) || big > BigInt(INT32_MAX)) fail('bad-value', `<value> at ${where}: <${type}> ${trimmed} is outside the 32-bit range`, node);
  return Number(big);
}

function decodeScalar(type: WireType, typeEl: Element, where: string): XmlRpcValue {
  const text = scalarText(typeEl, where);
  switch (type) {
    case 'int': case 'i4': case 'i8':
      return decodeInteger(text, type, where, typeEl);
    case 'double': {
      const trimmed = text.trim();
      if (!DOUBLE_TEXT.test(trimmed)) fail('bad-value', `<value> at ${where}: <double> text ${quote(text)} is not a number`, typeEl);
      return Number(trimmed);
    }
    case 'boolean': {
      const trimmed = text.trim();
      if (trimmed !== '0' && trimmed !== '1') fail('bad-value', `<value> at ${where}: <boolean> text ${quote(text)} is not 0 or 1`, typeEl);
      return trimmed === '1';
    }
    case 'string':
      return text;
    case 'dateTime.iso8601':
      return new XmlRpcDateTime(text);
    case 'base64': {
      const compact = text.replace(/\s+/g, '');
      if (!BASE64_TEXT.test(compact)) fail('bad-value', `<value> at ${where}: <base64> text ${quote(text)} is not base64`, typeEl);
      return Buffer.from(compact, 'base64');
    }
    case 'nil':
      if (text.trim() !== '') fail('bad-value', `<value> at ${where}: <nil> must be empty, found ${quote(text)}`, typeEl);
      return null;
    default:
      return fail('bad-value', `<value> at ${where}: <${type}> is not a scalar`, typeEl);
  }
}

/**
 * Decode one <value>. `where` names it for people (member values are named by their member, as in
 * "…/struct/member[3] ('geni_api')"); `xmlPath` is the element path its children extend; `valuePath` is its key
 * in the WireTypeIndex.
 */
function decodeValue(valueEl: Element, where: string, xmlPath: string, valuePath: string, depth: number, state: DecodeState): XmlRpcValue {
  if (depth > state.maxDepth) fail('too-deep', `<value> at ${where}: values nest deeper than ${state.maxDepth}`, valueEl);
  if (!hasElementChild(valueEl)) {
    // "If no type is indicated, the type is string." (XML-RPC spec)
    state.wireTypes.set(valuePath, 'string');
    return valueEl.text();
  }
  const children = elementChildren(valueEl, where);
  const typeEl = children[0];
  if (children.length > 1 || !typeEl) {
    fail('bad-value', `<value> at ${where}: expected one type element, found ${children.map((c) => `<${c.name()}>`).join(', ')}`, valueEl);
  }
  const type = wireTypeOf(typeEl, where);
  state.wireTypes.set(valuePath, type);
  if (type === 'array') return decodeArray(typeEl, `${xmlPath}/array`, valuePath, depth, state);
  if (type === 'struct') return decodeStruct(typeEl, `${xmlPath}/struct`, valuePath, depth, state);
  return decodeScalar(type, typeEl, where);
}

function decodeArray(arrayEl: Element, xmlPath: string, valuePath: string, depth: number, state: DecodeState): XmlRpcValue[] {
  const data = onlyChild(arrayEl, 'data', xmlPath);
  const dataPath = `${xmlPath}/data`;
  return elementChildren(data, dataPath).map((item, i) => {
    const itemXmlPath = `${dataPath}/value[${i + 1}]`;
    if (item.name() !== 'value') fail('not-xmlrpc', `<data> at ${dataPath}: item ${i + 1} is <${item.name()}>, not <value>`, item);
    return decodeValue(item, itemXmlPath, itemXmlPath, `${valuePath}[${i}]`, depth + 1, state);
  });
}

function decodeStruct(structEl: Element, xmlPath: string, valuePath: string, depth: number, state: DecodeState): { [key: string]: XmlRpcValue } {
  const out: { [key: string]: XmlRpcValue } = {};
  elementChildren(structEl, xmlPath).forEach((member, i) => {
    const memberPath = `${xmlPath}/member[${i + 1}]`;
    if (member.name() !== 'member') fail('not-xmlrpc', `<struct> at ${xmlPath}: child ${i + 1} is <${member.name()}>, not <member>`, member);
    const parts = elementChildren(member, memberPath);
    const nameEl = parts.find((p) => p.name() === 'name');
    const valueEl = parts.find((p) => p.name() === 'value');
    if (parts.length !== 2 || !nameEl || !valueEl) {
      fail('not-xmlrpc', `<member> at ${memberPath}: expected <name> and <value>, found ${parts.map((p) => `<${p.name()}>`).join(', ') || 'nothing'}`, member);
    }
    if (hasElementChild(nameEl)) fail('not-xmlrpc', `<name> at ${memberPath}: contains markup, expected text`, nameEl);
    const name = nameEl.text();
    const where = `${memberPath} (${quote(name)})`;
    const childValuePath = valuePath === '' ? name : `${valuePath}.${name}`;
    const value = decodeValue(valueEl, where, `${where}/value`, childValuePath, depth + 1, state);
    // defineProperty, not assignment: a member named "__proto__" must stay data, never become the prototype.
    Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
  });
  return out;
}

function rootElement(body: string | Uint8Array, expected: string): Element {
  let doc: libxmljs.Document;
  try {
    doc = parseUntrustedXml(body);
  } catch (err) {
    if (err instanceof XmlRpcDecodeError && err.reason === 'not-xml' && looksLikeHtml(body)) {
      throw new XmlRpcDecodeError('not-xml', `body is HTML, not XML-RPC (${err.message})`, err.line);
    }
    throw err;
  }
  const root = doc.root();
  if (!root) fail('not-xml', 'document has no root element');
  if (root.name() !== expected) {
    fail('not-xmlrpc', `root element is <${root.name()}>, expected <${expected}>${root.name().toLowerCase() === 'html' ? ' (an HTML page)' : ''}`, root);
  }
  return root;
}

function looksLikeHtml(body: string | Uint8Array): boolean {
  const head = typeof body === 'string' ? body.slice(0, 2048) : Buffer.from(body.buffer, body.byteOffset, Math.min(body.byteLength, 2048)).toString('latin1');
  return /<html[\s>]|<!doctype\s+html/i.test(head);
}

function newState(limits?: DecodeLimits): DecodeState {
  const maxDepth = limits?.maxDepth ?? DEFAULT_MAX_DEPTH;
  if (!Number.isInteger(maxDepth) || maxDepth < 1) throw new RangeError(`maxDepth must be a positive integer, but received ${maxDepth}`);
  return { maxDepth, wireTypes: new Map() };
}

/** Decode a <methodResponse>: either the single return value (with its wire types) or a fault. */
export function decodeMethodResponse(body: string | Uint8Array, limits?: DecodeLimits): DecodedResponse {
  const state = newState(limits);
  const root = rootElement(body, 'methodResponse');
  const [child, ...rest] = elementChildren(root, 'methodResponse');
  if (!child || rest.length > 0 || (child.name() !== 'params' && child.name() !== 'fault')) {
    const found = [child, ...rest].filter((c): c is Element => c !== undefined).map((c) => `<${c.name()}>`).join(', ') || 'nothing';
    fail('not-xmlrpc', `<methodResponse>: expected one <params> or <fault>, found ${found}`, root);
  }
  if (child.name() === 'fault') return decodeFault(child, state);
  const param = onlyChild(child, 'param', 'methodResponse/params');
  const valueEl = onlyChild(param, 'value', 'methodResponse/params/param');
  const where = 'methodResponse/params/param/value';
  const value = decodeValue(valueEl, where, where, '', 1, state);
  return { kind: 'value', value, wireTypes: state.wireTypes };
}

function decodeFault(faultEl: Element, state: DecodeState): DecodedResponse {
  const where = 'methodResponse/fault/value';
  const valueEl = onlyChild(faultEl, 'value', 'methodResponse/fault');
  const value = decodeValue(valueEl, where, where, '', 1, state);
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !('faultCode' in value)) {
    fail('bad-value', `<fault> at ${where}: expected a struct with faultCode and faultString`, valueEl);
  }
  const { faultCode, faultString } = value as Record<string, XmlRpcValue>;
  if (typeof faultCode !== 'number' || !Number.isInteger(faultCode)) {
    fail('bad-value', `<fault> at ${where}: faultCode is ${state.wireTypes.get('faultCode') ?? 'missing'}, expected an int`, valueEl);
  }
  if (typeof faultString !== 'string') {
    fail('bad-value', `<fault> at ${where}: faultString is ${state.wireTypes.get('faultString') ?? 'missing'}, expected a string`, valueEl);
  }
  return { kind: 'fault', faultCode, faultString };
}

/** Decode a <methodCall> (used by our server side). */
export function decodeMethodCall(body: string | Uint8Array, limits?: DecodeLimits): { method: string; params: XmlRpcValue[] } {
  const state = newState(limits);
  const root = rootElement(body, 'methodCall');
  const children = elementChildren(root, 'methodCall');
  const nameEl = children[0];
  if (!nameEl || nameEl.name() !== 'methodName') fail('not-xmlrpc', '<methodCall>: the first child must be <methodName>', root);
  if (hasElementChild(nameEl)) fail('not-xmlrpc', '<methodName>: contains markup, expected text', nameEl);
  const method = nameEl.text().trim();
  if (method === '') fail('not-xmlrpc', '<methodName> is empty', nameEl);
  const paramsEl = children[1];
  if (children.length > 2 || (paramsEl && paramsEl.name() !== 'params')) {
    fail('not-xmlrpc', `<methodCall>: expected <methodName> and optional <params>, found ${children.map((c) => `<${c.name()}>`).join(', ')}`, root);
  }
  if (!paramsEl) return { method, params: [] };
  const params = elementChildren(paramsEl, 'methodCall/params').map((param, i) => {
    const paramPath = `methodCall/params/param[${i + 1}]`;
    if (param.name() !== 'param') fail('not-xmlrpc', `<params>: child ${i + 1} is <${param.name()}>, not <param>`, param);
    const valueEl = onlyChild(param, 'value', paramPath);
    return decodeValue(valueEl, `${paramPath}/value`, `${paramPath}/value`, `[${i}]`, 1, state);
  });
  return { method, params };
}
