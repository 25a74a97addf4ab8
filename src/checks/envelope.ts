import { describeType, formatValue, type Finding } from '../core';
import type { AmResponse } from '../geni/methods';
import type { Check } from '../core';
import { isStruct, type XmlRpcValue } from '../xmlrpc';
import { describeAnswer, findingFor } from './describe';

const CHECK = 'envelope';
const SPEC = 'am3/common#ReturnStruct';
const INTEGER_WIRE_TYPES = new Set(['int', 'i4']);

const STRUCT_SHAPE = '{code: {geni_code: int, am_type?: string, am_code?: int}, value, output: string}';

function wireTypeOf(res: AmResponse, path: string, value: XmlRpcValue | undefined): string {
  return res.wireTypes?.get(path) ?? describeType(value);
}

function isInteger(res: AmResponse, path: string, value: XmlRpcValue | undefined): boolean {
  return typeof value === 'number' && Number.isInteger(value) && INTEGER_WIRE_TYPES.has(res.wireTypes?.get(path) ?? 'int');
}

/** Every way the return deviates from the v3 return struct. */
function shapeFindings(res: AmResponse): Finding[] {
  const finding = (title: string, expected: string[], actual: string, path?: string, grade?: 'strict-only'): Finding =>
    findingFor(res, { check: CHECK, title, expected, actual, path, spec: SPEC, ...(grade ? { grade } : {}) });

  if (res.fault) return [finding('Answered with an XML-RPC Fault instead of the return struct', [STRUCT_SHAPE], describeAnswer(res))];
  const raw = res.raw;
  if (raw === undefined || raw === null || !isStruct(raw)) {
    return [finding('Return is not the return struct', [STRUCT_SHAPE], `${wireTypeOf(res, '', raw)} ${formatValue(raw, 80)}`)];
  }
  if (!Object.prototype.hasOwnProperty.call(raw, 'code')) {
    return [finding('Return struct has no code member', ['member code present'], `members ${formatValue(Object.keys(raw))}`, 'code')];
  }
  const code = raw.code;
  if (typeof code === 'number') {
    // The v13 draft proposed `code: int` beside an `option` member; the adopted v2/v3 form nests geni_code.
    const draftDetail = Object.prototype.hasOwnProperty.call(raw, 'option') ? ' with an option member (draft shape)' : '';
    return [finding('Return struct uses the draft shape (code is a bare integer)', [STRUCT_SHAPE], `code=${formatValue(code)}${draftDetail}`, 'code')];
  }
  if (code === null || !isStruct(code)) return [finding('code is not a struct', ['a struct with an integer geni_code'], `${wireTypeOf(res, 'code', code)} ${formatValue(code, 80)}`, 'code')];

  const findings: Finding[] = [];
  const geniCode = code.geni_code;
  if (!isInteger(res, 'code.geni_code', geniCode)) {
    findings.push(finding('code.geni_code is not an integer', ['an XML-RPC int'], geniCode === undefined ? 'member absent' : `${wireTypeOf(res, 'code.geni_code', geniCode)} ${formatValue(geniCode)}`, 'code.geni_code'));
  }
  if (code.am_type !== undefined && typeof code.am_type !== 'string') {
    findings.push(finding('code.am_type is not a string', ['an XML-RPC string'], `${wireTypeOf(res, 'code.am_type', code.am_type)} ${formatValue(code.am_type)}`, 'code.am_type'));
  }
  if (code.am_code !== undefined && !isInteger(res, 'code.am_code', code.am_code)) {
    findings.push(finding('code.am_code is not an integer', ['an XML-RPC int'], `${wireTypeOf(res, 'code.am_code', code.am_code)} ${formatValue(code.am_code)}`, 'code.am_code'));
  }
  const hasOutput = Object.prototype.hasOwnProperty.call(raw, 'output');
  const succeeded = geniCode === 0;
  if (!succeeded && typeof geniCode === 'number' && typeof raw.output !== 'string') {
    findings.push(finding('Error return has no output string', ['output: a string explaining the error'], hasOutput ? `${wireTypeOf(res, 'output', raw.output)} ${formatValue(raw.output)}` : 'member absent', 'output'));
  } else if (hasOutput && typeof raw.output !== 'string') {
    // Python servers send None for an empty output; the spec says string, but nil carries no wrong information.
    const grade = raw.output === null ? 'strict-only' : undefined;
    findings.push(finding('output is not a string', ['an XML-RPC string, or no output member'], `${wireTypeOf(res, 'output', raw.output)} ${formatValue(raw.output)}`, 'output', grade));
  }
  if (succeeded && !Object.prototype.hasOwnProperty.call(raw, 'value')) {
    findings.push(finding('Successful return has no value', ['member value present'], 'member absent', 'value'));
  }
  return findings;
}

export const envelope = {
  /** The v3 return struct: code.geni_code int, output a string when non-zero, value present on success. */
  shape(): Check<AmResponse> {
    return (res) => shapeFindings(res);
  },

  /** The answer is a value, not an XML-RPC Fault. */
  notFault(): Check<AmResponse> {
    return (res) =>
      res.fault
        ? [findingFor(res, {
            check: 'xmlrpc-fault', title: 'Answered with an XML-RPC Fault',
            expected: ['a return value (the return struct)'], actual: describeAnswer(res), spec: 'am3/common#Faults',
          })]
        : [];
  },

  /** The answer is an XML-RPC Fault (for requests the XML-RPC layer itself must refuse). */
  isFault(): Check<AmResponse> {
    return (res) =>
      res.fault
        ? []
        : [findingFor(res, {
            check: 'xmlrpc-fault', title: 'Expected an XML-RPC Fault',
            expected: ['an XML-RPC Fault'], actual: describeAnswer(res), spec: 'am3/common#Faults',
          })];
  },

  /** Never a success: a Fault or any non-zero geni_code will do (malformed requests, unknown methods). */
  neverSuccess(): Check<AmResponse> {
    return (res) =>
      res.envelope?.geniCode === 0
        ? [findingFor(res, {
            check: 'geni-code', title: 'Request that must be refused succeeded',
            expected: ['an XML-RPC Fault', 'any non-zero geni_code'], actual: describeAnswer(res), path: 'code.geni_code', spec: 'am3/common#Faults',
          })]
        : [];
  },
};
