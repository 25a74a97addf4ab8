import { GENI_CODES, formatCode, type GeniCodeName } from '../geni/error-codes';
import type { AmResponse } from '../geni/methods';
import type { Check } from '../core';
import { describeAnswer, findingFor } from './describe';

const CHECK = 'geni-code';
const DEFAULT_SPEC = 'am3/common#ErrorCodes';

const TITLE_UNEXPECTED = 'Unexpected geni_code';
const TITLE_NOT_REFUSED = 'Request that must be refused succeeded';
const TITLE_OTHER_REFUSAL = 'Refused with a different geni_code than the one the spec names';
const TITLE_FAULT = 'Application error returned as an XML-RPC Fault';
const TITLE_NO_CODE = 'Answer has no integer geni_code';

/** The answer's geni_code, or a finding explaining why there is none (a fault is handled by the callers). */
function codeOf(res: AmResponse, expected: string[], spec: string): { code: number } | { finding: ReturnType<typeof findingFor> } {
  const code = res.envelope?.geniCode;
  if (code !== undefined) return { code };
  return {
    finding: findingFor(res, {
      check: CHECK, title: TITLE_NO_CODE, expected, actual: describeAnswer(res), path: 'code.geni_code', spec,
    }),
  };
}

/**
 * Checks on code.geni_code. `success` and `is` demand exact codes. `refusal` accepts any refusal (lenient), but
 * marks a code other than the preferred ones strict-only, so --strict demands exactly what the spec names.
 */
export const geniCode = {
  success(): Check<AmResponse> {
    return geniCode.is('SUCCESS');
  },

  is(...names: GeniCodeName[]): Check<AmResponse> {
    const expected = names.map(formatCode);
    return (res, ctx) => {
      const spec = ctx.spec ?? DEFAULT_SPEC;
      if (res.fault) return [findingFor(res, { check: CHECK, title: TITLE_UNEXPECTED, expected, actual: describeAnswer(res), path: 'code.geni_code', spec })];
      const got = codeOf(res, expected, spec);
      if ('finding' in got) return [got.finding];
      if (names.some((n) => GENI_CODES[n] === got.code)) return [];
      return [findingFor(res, { check: CHECK, title: TITLE_UNEXPECTED, expected, actual: describeAnswer(res), path: 'code.geni_code', spec })];
    };
  },

  refusal(...preferred: GeniCodeName[]): Check<AmResponse> {
    const preferredText = preferred.map(formatCode);
    const anyRefusal = preferred.length > 0 ? [...preferredText, 'another non-zero geni_code (tolerated unless --strict)'] : ['any non-zero geni_code'];
    return (res, ctx) => {
      const spec = ctx.spec ?? DEFAULT_SPEC;
      if (res.fault) {
        // A Fault still refuses the request, so it is not a security hole; it breaks the v3 rule that application
        // errors come back in the return struct.
        return [findingFor(res, {
          check: 'error-as-fault', title: TITLE_FAULT,
          expected: ['the return struct with a non-zero geni_code'], actual: describeAnswer(res), spec: 'am3/common#Faults',
        })];
      }
      const got = codeOf(res, anyRefusal, spec);
      if ('finding' in got) return [got.finding];
      if (got.code === 0) {
        return [findingFor(res, { check: CHECK, title: TITLE_NOT_REFUSED, expected: anyRefusal, actual: describeAnswer(res), path: 'code.geni_code', spec })];
      }
      if (preferred.length === 0 || preferred.some((n) => GENI_CODES[n] === got.code)) return [];
      return [findingFor(res, {
        check: CHECK, title: TITLE_OTHER_REFUSAL, expected: preferredText, actual: describeAnswer(res), path: 'code.geni_code', spec,
        grade: 'strict-only',
      })];
    };
  },
};
