import fc from 'fast-check';
import { encodeFault, encodeMethodCall, encodeValue, isStruct, type XmlRpcDecodeFailure, type XmlRpcValue } from '../../src/xmlrpc';

/**
 * Raw XML-RPC request bodies for fuzzing an aggregate's XML-RPC layer: a correct `encodeMethodCall` body, then
 * one mutation. Mutations either keep the body decodable but change what it says (arity, types, sizes), or
 * make it undecodable (bad XML, a DTD, nesting past any sane limit); `expected` says which, so a property can
 * check the baseline and the mutation against `decodeMethodCall`.
 */

export type RawCallMutationKind =
  | 'missing-param'
  | 'extra-param'
  | 'wrong-type'
  | 'deep-nesting'
  | 'huge-string'
  | 'invalid-xml-char'
  | 'truncated'
  | 'not-xml'
  | 'fault-as-call'
  | 'doctype';

export interface RawCallMutation {
  kind: RawCallMutationKind;
  description: string;
  /** `decodes`: a well-formed call whose method or params differ from the baseline; otherwise the decoder's failure reason. */
  expected: { decodes: true } | { decodes: false; failure: XmlRpcDecodeFailure };
}

export interface RawXmlRpcCall {
  body: string;
  /** The unmutated `encodeMethodCall(method, params)`. */
  baseline: string;
  mutation: RawCallMutation;
}

export interface RawXmlRpcCallConstraints {
  /** @defaultValue every kind applicable to the params (wrong-type and missing-param need at least one) */
  kinds?: readonly RawCallMutationKind[];
  /**
   * Array levels of the deep-nesting mutation; above the decoder's 64 so it must be refused.
   * @defaultValue 1000
   */
  nestingDepth?: number;
  /**
   * Length range of the huge-string mutation, in characters (ASCII, so also bytes).
   * @defaultValue `{ min: 65536, max: 1048576 }`
   */
  hugeString?: { min?: number; max?: number };
}

export const RAW_CALL_MUTATION_KINDS: readonly RawCallMutationKind[] = [
  'missing-param', 'extra-param', 'wrong-type', 'deep-nesting', 'huge-string', 'invalid-xml-char', 'truncated', 'not-xml', 'fault-as-call', 'doctype',
];

const NEEDS_PARAMS: ReadonlySet<RawCallMutationKind> = new Set(['missing-param', 'wrong-type']);

/** A value of another wire type than `value`: string for array, struct for string, int for struct, … @internal */
function wrongTyped(value: XmlRpcValue): { value: XmlRpcValue; what: string } {
  if (Array.isArray(value)) return { value: 'not-an-array', what: 'a string where an array was' };
  if (typeof value === 'string') return { value: { value }, what: 'a struct where a string was' };
  if (isStruct(value)) return { value: 42, what: 'an int where a struct was' };
  return { value: [value], what: 'an array where a scalar was' };
}

/** `<param>` elements of an encoded call, for textual splicing. @internal */
function paramSpans(body: string): Array<{ start: number; end: number }> {
  const spans: Array<{ start: number; end: number }> = [];
  let depth = 0;
  let start = -1;
  for (const match of body.matchAll(/<\/?param>/g)) {
    if (match[0] === '<param>') {
      if (depth === 0) start = match.index!;
      depth++;
    } else if (--depth === 0) spans.push({ start, end: match.index! + match[0].length });
  }
  return spans;
}

/**
 * Mutated XML-RPC request bodies for `method(params)`. Each comes with its baseline and a mutation saying
 * whether the result still decodes (to something else) or which decoder failure it must cause.
 */
export function rawXmlRpcCall(method: string, params: XmlRpcValue[], constraints: RawXmlRpcCallConstraints = {}): fc.Arbitrary<RawXmlRpcCall> {
  const baseline = encodeMethodCall(method, params);
  const nestingDepth = constraints.nestingDepth ?? 1000;
  const huge = { min: constraints.hugeString?.min ?? 65536, max: constraints.hugeString?.max ?? 1_048_576 };
  if (nestingDepth <= 64) throw new RangeError(`rawXmlRpcCall: nestingDepth must exceed the decoder's limit of 64, but received ${nestingDepth}`);
  if (huge.min < 1 || huge.max < huge.min) throw new RangeError(`rawXmlRpcCall: hugeString must satisfy 1 <= min <= max, but received ${JSON.stringify(huge)}`);
  const kinds = (constraints.kinds ?? RAW_CALL_MUTATION_KINDS.filter((kind) => params.length > 0 || !NEEDS_PARAMS.has(kind)));
  if (kinds.length === 0) throw new RangeError('rawXmlRpcCall: kinds must name at least one mutation');
  for (const kind of kinds) {
    if (NEEDS_PARAMS.has(kind) && params.length === 0) throw new RangeError(`rawXmlRpcCall: ${kind} needs at least one param, but ${method} was given none`);
  }
  const spans = paramSpans(baseline);
  const paramsEnd = baseline.lastIndexOf('</params>');
  const splice = (start: number, end: number, text: string): string => baseline.slice(0, start) + text + baseline.slice(end);
  const decodes = { decodes: true } as const;
  const fails = (failure: XmlRpcDecodeFailure) => ({ decodes: false, failure }) as const;

  const build = (kind: RawCallMutationKind, choice: number, hugeLength: number): { body: string; mutation: RawCallMutation } => {
    const i = params.length === 0 ? 0 : choice % params.length;
    const at = (description: string, expected: RawCallMutation['expected'], body: string) => ({ body, mutation: { kind, description, expected } });
    switch (kind) {
      case 'missing-param':
        return at(`param ${i + 1} of ${params.length} left out`, decodes, splice(spans[i]!.start, spans[i]!.end, ''));
      case 'extra-param': {
        const extra: XmlRpcValue = [{}, 'extra', 0, []][choice % 4]!;
        return at(`an extra param ${JSON.stringify(extra)} after the ${params.length} expected`, decodes, splice(paramsEnd, paramsEnd, `<param>${encodeValue(extra)}</param>`));
      }
      case 'wrong-type': {
        const wrong = wrongTyped(params[i]!);
        return at(`param ${i + 1} is ${wrong.what}`, decodes, splice(spans[i]!.start, spans[i]!.end, `<param>${encodeValue(wrong.value)}</param>`));
      }
      case 'deep-nesting': {
        const nested = `${'<value><array><data>'.repeat(nestingDepth)}${'</data></array></value>'.repeat(nestingDepth)}`;
        const where = params.length === 0 ? paramsEnd : spans[i]!.start;
        const end = params.length === 0 ? paramsEnd : spans[i]!.end;
        return at(`param ${i + 1} replaced by ${nestingDepth} nested arrays`, fails('too-deep'), splice(where, end, `<param>${nested}</param>`));
      }
      case 'huge-string': {
        const text = 'A'.repeat(hugeLength);
        const where = params.length === 0 ? paramsEnd : spans[i]!.start;
        const end = params.length === 0 ? paramsEnd : spans[i]!.end;
        return at(`param ${i + 1} replaced by a ${hugeLength}-character string`, decodes, splice(where, end, `<param><value><string>${text}</string></value></param>`));
      }
      case 'invalid-xml-char': {
        const char = ['\u0001', '\u0008', '\u000B', '\u001F', '\uFFFE', '\uFFFF'][choice % 6]!;
        const nameAt = baseline.indexOf('<methodName>') + '<methodName>'.length;
        const code = `U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
        return at(`${code}, which XML 1.0 forbids, inside <methodName>`, fails('not-xml'), splice(nameAt, nameAt, char));
      }
      case 'truncated': {
        const end = baseline.lastIndexOf('</methodCall');
        const length = 1 + (choice % end);
        return at(`body cut after ${length} of ${baseline.length} characters`, fails('not-xml'), baseline.slice(0, length));
      }
      case 'not-xml': {
        const body = ['', 'hello', `{"jsonrpc":"2.0","method":"${method}","params":[]}`, 'GET / HTTP/1.1\r\n\r\n'][choice % 4]!;
        return at(`not XML: ${JSON.stringify(body.slice(0, 30))}`, fails('not-xml'), body);
      }
      case 'fault-as-call':
        return at('an XML-RPC fault response sent as the request', fails('not-xmlrpc'), encodeFault(choice % 2 === 0 ? -32600 : 1, 'this is a response, not a call'));
      case 'doctype': {
        const doctype = [
          '<!DOCTYPE methodCall [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
          '<!DOCTYPE methodCall SYSTEM "http://127.0.0.1:9/evil.dtd">',
          '<!DOCTYPE methodCall [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>',
        ][choice % 3]!;
        const afterDeclaration = baseline.indexOf('?>') + 2;
        return at(`a DTD before the root (${doctype.slice(0, 40)}…)`, fails('dtd-forbidden'), splice(afterDeclaration, afterDeclaration, `\n${doctype}`));
      }
    }
  };

  return fc
    .tuple(fc.constantFrom(...kinds), fc.nat(), fc.integer({ min: huge.min, max: huge.max }))
    .map(([kind, choice, hugeLength]) => ({ baseline, ...build(kind, choice, hugeLength) }));
}
