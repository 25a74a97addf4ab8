import { describeType, formatValue, type Finding } from '../core';
import type { AmResponse } from '../geni/methods';
import type { Check } from '../core';
import { isStruct, type XmlRpcValue } from '../xmlrpc';
import { describeAnswer, findingFor } from './describe';
import { valueAt } from './paths';
import { schemaViolations } from './json-schemas';

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

/** Fixed titles per member of the return struct, in the order findings are reported. */
const MEMBER_TITLES: ReadonlyArray<[path: string, title: string, expected: string[]]> = [
  ['code', 'code is not a struct', ['a struct with an integer geni_code']],
  ['code.geni_code', 'code.geni_code is not an integer', ['an XML-RPC int']],
  ['code.am_type', 'code.am_type is not a string', ['an XML-RPC string']],
  ['code.am_code', 'code.am_code is not an integer', ['an XML-RPC int']],
  ['output', 'output is not a string', ['an XML-RPC string, or no output member']],
  ['value', 'Successful return has no value', ['member value present']],
];

/**
 * Every way the return deviates from the v3 return struct. The structure is schemas/json/v3/envelope.json (one
 * source, through the one ajv loader); this check gives each violation its fixed title and adds what JSON cannot
 * see: Faults, the draft shape, and XML-RPC wire types (an integer sent as a double is not an int).
 */
function shapeFindings(res: AmResponse): Finding[] {
  const finding = (title: string, expected: string[], actual: string, path?: string, grade?: 'strict-only'): Finding =>
    findingFor(res, { check: CHECK, title, expected, actual, path, spec: SPEC, ...(grade ? { grade } : {}) });

  if (res.fault) return [finding('Answered with an XML-RPC Fault instead of the return struct', [STRUCT_SHAPE], describeAnswer(res))];
  const raw = res.raw;
  if (raw === undefined || raw === null || !isStruct(raw)) {
    return [finding('Return is not the return struct', [STRUCT_SHAPE], `${wireTypeOf(res, '', raw)} ${formatValue(raw, 80)}`)];
  }
  if (typeof raw.code === 'number') {
    // The v13 draft proposed `code: int` beside an `option` member; the adopted v2/v3 form nests geni_code.
    const draftDetail = Object.prototype.hasOwnProperty.call(raw, 'option') ? ' with an option member (draft shape)' : '';
    return [finding('Return struct uses the draft shape (code is a bare integer)', [STRUCT_SHAPE], `code=${formatValue(raw.code)}${draftDetail}`, 'code')];
  }
  const violations = schemaViolations('v3/envelope', raw);
  if (violations.some((v) => v.path === 'code' && v.keyword === 'required')) {
    return [finding('Return struct has no code member', ['member code present'], `members ${formatValue(Object.keys(raw))}`, 'code')];
  }
  const code = isStruct(raw.code) ? raw.code : undefined;
  const geniCode = code?.geni_code;
  const failed = new Set(violations.map((v) => v.path));
  // What the schema cannot see: the wire type of the integers.
  for (const path of ['code.geni_code', 'code.am_code']) {
    const value = path === 'code.geni_code' ? geniCode : code?.am_code;
    if (value !== undefined && !failed.has(path) && !isInteger(res, path, value)) failed.add(path);
  }
  // Nor the wire type of output: a dateTime.iso8601 (gcf am2's RenewSliver) reads as a string once converted.
  const outputWire = res.wireTypes?.get('output');
  if (raw.output !== undefined && raw.output !== null && outputWire !== undefined && outputWire !== 'string') failed.add('output');
  // An error must explain itself; but when geni_code is no integer, whether it is an error is unknown.
  const isError = typeof geniCode === 'number' && geniCode !== 0;
  const findings: Finding[] = [];
  for (const [path, title, expected] of MEMBER_TITLES) {
    if (!failed.has(path)) continue;
    const missing = violations.some((v) => v.path === path && v.keyword === 'required');
    if (path === 'output' && missing && typeof geniCode !== 'number') continue;
    const value = valueAt(raw, path);
    const actual = missing ? 'member absent' : `${wireTypeOf(res, path, value)} ${formatValue(value, 80)}`;
    if (path === 'output' && isError) {
      findings.push(finding('Error return has no output string', ['output: a string explaining the error'], actual, path));
    } else if (path === 'output') {
      // Python servers send None for an empty output; the spec says string, but nil carries no wrong information.
      findings.push(finding(title, expected, actual, path, value === null ? 'strict-only' : undefined));
    } else {
      findings.push(finding(title, expected, actual, path));
    }
  }
  return findings;
}

export const envelope = {
  /** The v3 return struct (schemas/json/v3/envelope.json): code.geni_code int, output a string when non-zero, value present on success. */
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
