import { bodyText } from './body-text';
import { XmlRpcDecodeError, type XmlRpcDecodeFailure } from './errors';
import { readXml, type XmlDocument, type XmlElement } from './xml-reader';
import {
  DEFAULT_DECODE_LIMITS,
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
 * The XML is read by xml-reader.ts: no DTD and no entity ever, and every limit in DecodeLimits enforced while
 * reading, so what an aggregate sends costs at most linear time and memory bounded by those limits.
 */

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INTEGER_TEXT = /^[+-]?\d+$/;
const DOUBLE_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const BASE64_TEXT = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;
/** Apache XML-RPC writes these two extension types with a namespace prefix (ex:nil, ex:i8). */
const NAMESPACED_EXTENSIONS: Record<string, WireType> = { nil: 'nil', i8: 'i8' };
/**
 * Element nesting the reader allows: what maxDepth values need (a value level is <value><array><data>, three
 * elements) and never less than libxml2's own default of 256.
 */
const elementDepthFor = (maxDepth: number): number => Math.max(256, 3 * maxDepth + 8);

type Element = XmlElement;

function quote(text: string, max = 40): string {
  const shown = text.length > max ? `${text.slice(0, max)}…` : text;
  return `'${shown.replace(/\s+/g, ' ')}'`;
}

function hasElementChild(el: Element): boolean {
  return el.children.some((c) => typeof c !== 'string');
}

/** All the text inside an element (its descendants' too), as a DOM's textContent. */
function textOf(el: Element): string {
  if (el.children.length === 1 && typeof el.children[0] === 'string') return el.children[0];
  const parts: string[] = [];
  const pending: Array<Element | string> = [...el.children].reverse();
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (typeof next === 'string') parts.push(next);
    else for (let i = next.children.length - 1; i >= 0; i -= 1) pending.push(next.children[i]!);
  }
  return parts.join('');
}

function displayName(el: Element): string {
  return el.prefix ? `${el.prefix}:${el.name}` : el.name;
}

class Decoder {
  readonly wireTypes: WireTypeIndex = new Map();

  constructor(private readonly doc: XmlDocument, private readonly maxDepth: number) {}

  fail(reason: XmlRpcDecodeFailure, message: string, node?: Element): never {
    throw new XmlRpcDecodeError(reason, message, node ? this.doc.lineAt(node.offset) : undefined);
  }

  /** Element children; non-blank text between them is a structural error at `where`. */
  elementChildren(el: Element, where: string): Element[] {
    const out: Element[] = [];
    for (const child of el.children) {
      if (typeof child !== 'string') out.push(child);
      else if (child.trim() !== '') this.fail('not-xmlrpc', `<${displayName(el)}> at ${where}: unexpected text ${quote(child.trim())}`, el);
    }
    return out;
  }

  onlyChild(el: Element, expected: string, where: string): Element {
    const children = this.elementChildren(el, where);
    const first = children[0];
    if (children.length !== 1 || !first || first.name !== expected) {
      const found = children.length === 0 ? 'nothing' : children.map((c) => `<${displayName(c)}>`).join(', ');
      this.fail('not-xmlrpc', `<${displayName(el)}> at ${where}: expected exactly one <${expected}>, found ${found}`, el);
    }
    return first;
  }

  wireTypeOf(typeEl: Element, where: string): WireType {
    const name = typeEl.name;
    if (typeEl.ns !== undefined) {
      const extension = NAMESPACED_EXTENSIONS[name];
      if (extension) return extension;
      this.fail('bad-value', `<value> at ${where}: unsupported extension type <${typeEl.prefix ?? ''}:${name}>`, typeEl);
    }
    switch (name) {
      case 'int': case 'i4': case 'i8': case 'double': case 'boolean': case 'string':
      case 'dateTime.iso8601': case 'base64': case 'nil': case 'array': case 'struct':
        return name;
      default:
        return this.fail('bad-value', `<value> at ${where}: unknown type <${name}>`, typeEl);
    }
  }

  scalarText(typeEl: Element, where: string): string {
    if (hasElementChild(typeEl)) this.fail('bad-value', `<value> at ${where}: <${displayName(typeEl)}> contains markup, expected text`, typeEl);
    return textOf(typeEl);
  }

  decodeInteger(text: string, type: WireType, where: string, node: Element): number | bigint {
    const trimmed = text.trim();
    if (!INTEGER_TEXT.test(trimmed)) this.fail('bad-value', `<value> at ${where}: <${type}> text ${quote(text)} is not an integer`, node);
    // Up to 15 digits a double is exact: no BigInt needed (most integers on the wire are small).
    if (trimmed.length <= 15) {
      const n = Number(trimmed);
      if (type !== 'i8' && (n < INT32_MIN || n > INT32_MAX)) this.fail('bad-value', `<value> at ${where}: <${type}> ${trimmed} is outside the 32-bit range`, node);
      return n === 0 ? 0 : n;
    }
    // Digits past these lengths are out of range anyway; BigInt of a megabyte of digits would be quadratic.
    if (trimmed.replace(/^[+-]?0*/, '').length > 20) this.fail('bad-value', `<value> at ${where}: <${type}> ${quote(trimmed)} is outside the ${type === 'i8' ? 64 : 32}-bit range`, node);
    const big = BigInt(trimmed);
    if (type === 'i8') {
      if (big < -(2n ** 63n) || big > 2n ** 63n - 1n) this.fail('bad-value', `<value> at ${where}: <i8> ${trimmed} is outside the 64-bit range`, node);
      return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
    }
    if (big < BigInt(INT32_MIN) || big > BigInt(INT32_MAX)) this.fail('bad-value', `<value> at ${where}: <${type}> ${trimmed} is outside the 32-bit range`, node);
    return Number(big);
  }

  decodeScalar(type: WireType, typeEl: Element, where: string): XmlRpcValue {
    const text = this.scalarText(typeEl, where);
    switch (type) {
      case 'int': case 'i4': case 'i8':
        return this.decodeInteger(text, type, where, typeEl);
      case 'double': {
        const trimmed = text.trim();
        if (!DOUBLE_TEXT.test(trimmed)) this.fail('bad-value', `<value> at ${where}: <double> text ${quote(text)} is not a number`, typeEl);
        return Number(trimmed);
      }
      case 'boolean': {
        const trimmed = text.trim();
        if (trimmed !== '0' && trimmed !== '1') this.fail('bad-value', `<value> at ${where}: <boolean> text ${quote(text)} is not 0 or 1`, typeEl);
        return trimmed === '1';
      }
      case 'string':
        return text;
      case 'dateTime.iso8601':
        return new XmlRpcDateTime(text);
      case 'base64': {
        const compact = text.replace(/\s+/g, '');
        if (!BASE64_TEXT.test(compact)) this.fail('bad-value', `<value> at ${where}: <base64> text ${quote(text)} is not base64`, typeEl);
        return Buffer.from(compact, 'base64');
      }
      case 'nil':
        if (text.trim() !== '') this.fail('bad-value', `<value> at ${where}: <nil> must be empty, found ${quote(text)}`, typeEl);
        return null;
      default:
        return this.fail('bad-value', `<value> at ${where}: <${type}> is not a scalar`, typeEl);
    }
  }

  /**
   * Decode one <value>. `where` names it for people (member values are named by their member, as in
   * "…/struct/member[3] ('geni_api')"); `xmlPath` is the element path its children extend; `valuePath` is its key
   * in the WireTypeIndex.
   */
  decodeValue(valueEl: Element, where: string, xmlPath: string, valuePath: string, depth: number): XmlRpcValue {
    if (depth > this.maxDepth) this.fail('too-deep', `<value> at ${where}: values nest deeper than ${this.maxDepth}`, valueEl);
    if (!hasElementChild(valueEl)) {
      // "If no type is indicated, the type is string." (XML-RPC spec)
      this.wireTypes.set(valuePath, 'string');
      return textOf(valueEl);
    }
    const children = this.elementChildren(valueEl, where);
    const typeEl = children[0];
    if (children.length > 1 || !typeEl) {
      this.fail('bad-value', `<value> at ${where}: expected one type element, found ${children.map((c) => `<${displayName(c)}>`).join(', ')}`, valueEl);
    }
    const type = this.wireTypeOf(typeEl, where);
    this.wireTypes.set(valuePath, type);
    if (type === 'array') return this.decodeArray(typeEl, `${xmlPath}/array`, valuePath, depth);
    if (type === 'struct') return this.decodeStruct(typeEl, `${xmlPath}/struct`, valuePath, depth);
    return this.decodeScalar(type, typeEl, where);
  }

  decodeArray(arrayEl: Element, xmlPath: string, valuePath: string, depth: number): XmlRpcValue[] {
    const data = this.onlyChild(arrayEl, 'data', xmlPath);
    const dataPath = `${xmlPath}/data`;
    return this.elementChildren(data, dataPath).map((item, i) => {
      const itemXmlPath = `${dataPath}/value[${i + 1}]`;
      if (item.name !== 'value') this.fail('not-xmlrpc', `<data> at ${dataPath}: item ${i + 1} is <${displayName(item)}>, not <value>`, item);
      return this.decodeValue(item, itemXmlPath, itemXmlPath, `${valuePath}[${i}]`, depth + 1);
    });
  }

  decodeStruct(structEl: Element, xmlPath: string, valuePath: string, depth: number): { [key: string]: XmlRpcValue } {
    const out: { [key: string]: XmlRpcValue } = {};
    this.elementChildren(structEl, xmlPath).forEach((member, i) => {
      const memberPath = `${xmlPath}/member[${i + 1}]`;
      if (member.name !== 'member') this.fail('not-xmlrpc', `<struct> at ${xmlPath}: child ${i + 1} is <${displayName(member)}>, not <member>`, member);
      const parts = this.elementChildren(member, memberPath);
      const nameEl = parts.find((p) => p.name === 'name');
      const valueEl = parts.find((p) => p.name === 'value');
      if (parts.length !== 2 || !nameEl || !valueEl) {
        this.fail('not-xmlrpc', `<member> at ${memberPath}: expected <name> and <value>, found ${parts.map((p) => `<${displayName(p)}>`).join(', ') || 'nothing'}`, member);
      }
      if (hasElementChild(nameEl)) this.fail('not-xmlrpc', `<name> at ${memberPath}: contains markup, expected text`, nameEl);
      const name = textOf(nameEl);
      const where = `${memberPath} (${quote(name)})`;
      const childValuePath = valuePath === '' ? name : `${valuePath}.${name}`;
      const value = this.decodeValue(valueEl, where, `${where}/value`, childValuePath, depth + 1);
      // defineProperty, not assignment: a member named "__proto__" must stay data, never become the prototype.
      Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
    });
    return out;
  }

  decodeFault(faultEl: Element): DecodedResponse {
    const where = 'methodResponse/fault/value';
    const valueEl = this.onlyChild(faultEl, 'value', 'methodResponse/fault');
    const value = this.decodeValue(valueEl, where, where, '', 1);
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !('faultCode' in value)) {
      this.fail('bad-value', `<fault> at ${where}: expected a struct with faultCode and faultString`, valueEl);
    }
    const { faultCode, faultString } = value as Record<string, XmlRpcValue>;
    if (typeof faultString !== 'string') {
      this.fail('bad-value', `<fault> at ${where}: faultString is ${this.wireTypes.get('faultString') ?? 'missing'}, expected a string`, valueEl);
    }
    if (typeof faultCode === 'number' && Number.isInteger(faultCode)) return { kind: 'fault', faultCode, faultString };
    // A Fault is still a Fault when its code is text (Python's xmlrpclib sends whatever the server raised: gcf's
    // Fault('Insufficient privileges', ...)): the caller sees the refusal, and `problem` names the broken rule so a
    // case can fail the aggregate for it instead of the harness giving up on the answer.
    if (typeof faultCode === 'string' || typeof faultCode === 'number' || typeof faultCode === 'boolean') {
      const wire = this.wireTypes.get('faultCode') ?? typeof faultCode;
      return { kind: 'fault', faultCode: String(faultCode), faultString, problem: `faultCode is ${wire} ${JSON.stringify(String(faultCode)).slice(0, 120)}, expected an int` };
    }
    this.fail('bad-value', `<fault> at ${where}: faultCode is ${this.wireTypes.get('faultCode') ?? 'missing'}, expected an int`, valueEl);
  }
}

function resolveLimits(limits?: DecodeLimits): Required<DecodeLimits> {
  const resolved = { ...DEFAULT_DECODE_LIMITS, ...limits };
  for (const [name, value] of Object.entries(resolved)) {
    if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, but received ${value}`);
  }
  return resolved;
}

function openDocument(body: string | Uint8Array, expected: string, limits: Required<DecodeLimits>): { decoder: Decoder; root: Element } {
  let doc: XmlDocument;
  try {
    const text = typeof body === 'string' ? body : bodyText(body);
    doc = readXml(text, { maxElementDepth: elementDepthFor(limits.maxDepth), maxElements: limits.maxElements, maxTextLength: limits.maxStringLength });
  } catch (err) {
    if (err instanceof XmlRpcDecodeError && err.reason === 'not-xml' && looksLikeHtml(body)) {
      throw new XmlRpcDecodeError('not-xml', `body is HTML, not XML-RPC (${err.message})`, err.line);
    }
    throw err;
  }
  const decoder = new Decoder(doc, limits.maxDepth);
  const { root } = doc;
  if (root.name !== expected) {
    decoder.fail('not-xmlrpc', `root element is <${displayName(root)}>, expected <${expected}>${root.name.toLowerCase() === 'html' ? ' (an HTML page)' : ''}`, root);
  }
  return { decoder, root };
}

function looksLikeHtml(body: string | Uint8Array): boolean {
  const head = typeof body === 'string' ? body.slice(0, 2048) : Buffer.from(body.buffer, body.byteOffset, Math.min(body.byteLength, 2048)).toString('latin1');
  return /<html[\s>]|<!doctype\s+html/i.test(head);
}

/** Decode a <methodResponse>: either the single return value (with its wire types) or a fault. */
export function decodeMethodResponse(body: string | Uint8Array, limits?: DecodeLimits): DecodedResponse {
  const { decoder, root } = openDocument(body, 'methodResponse', resolveLimits(limits));
  const [child, ...rest] = decoder.elementChildren(root, 'methodResponse');
  if (!child || rest.length > 0 || (child.name !== 'params' && child.name !== 'fault')) {
    const found = [child, ...rest].filter((c): c is Element => c !== undefined).map((c) => `<${displayName(c)}>`).join(', ') || 'nothing';
    return decoder.fail('not-xmlrpc', `<methodResponse>: expected one <params> or <fault>, found ${found}`, root);
  }
  if (child.name === 'fault') return decoder.decodeFault(child);
  const param = decoder.onlyChild(child, 'param', 'methodResponse/params');
  const valueEl = decoder.onlyChild(param, 'value', 'methodResponse/params/param');
  const where = 'methodResponse/params/param/value';
  const value = decoder.decodeValue(valueEl, where, where, '', 1);
  return { kind: 'value', value, wireTypes: decoder.wireTypes };
}

/** Decode a <methodCall> (used by our server side). */
export function decodeMethodCall(body: string | Uint8Array, limits?: DecodeLimits): { method: string; params: XmlRpcValue[] } {
  const { decoder, root } = openDocument(body, 'methodCall', resolveLimits(limits));
  const children = decoder.elementChildren(root, 'methodCall');
  const nameEl = children[0];
  if (!nameEl || nameEl.name !== 'methodName') return decoder.fail('not-xmlrpc', '<methodCall>: the first child must be <methodName>', root);
  if (hasElementChild(nameEl)) decoder.fail('not-xmlrpc', '<methodName>: contains markup, expected text', nameEl);
  const method = textOf(nameEl).trim();
  if (method === '') decoder.fail('not-xmlrpc', '<methodName> is empty', nameEl);
  const paramsEl = children[1];
  if (children.length > 2 || (paramsEl && paramsEl.name !== 'params')) {
    decoder.fail('not-xmlrpc', `<methodCall>: expected <methodName> and optional <params>, found ${children.map((c) => `<${displayName(c)}>`).join(', ')}`, root);
  }
  if (!paramsEl) return { method, params: [] };
  const params = decoder.elementChildren(paramsEl, 'methodCall/params').map((param, i) => {
    const paramPath = `methodCall/params/param[${i + 1}]`;
    if (param.name !== 'param') decoder.fail('not-xmlrpc', `<params>: child ${i + 1} is <${displayName(param)}>, not <param>`, param);
    const valueEl = decoder.onlyChild(param, 'value', paramPath);
    return decoder.decodeValue(valueEl, `${paramPath}/value`, `${paramPath}/value`, `[${i}]`, 1);
  });
  return { method, params };
}
