import { describeType, formatValue, type Finding } from '../core';
import { GENI_CODES, formatCode, type GeniCodeName } from '../geni/error-codes';
import type { PgResponse } from '../dynslice';
import { DYNSLICE_POLICIES, NODE_IDENTIFIER_KEYS, type NodeIdentifierKey } from '../dynslice';
import type { Check, CheckContext } from '../core';
import { isStruct, type XmlRpcValue } from '../xmlrpc';

const ENVELOPE = '{code: int, value, output: string}';

/** How a dynslice answer reads on the Actual line. */
export function describePg(res: PgResponse): string {
  if (res.failure) return `no XML-RPC answer (${res.failure.phase}): ${formatValue(res.failure.message, 100)}`;
  if (res.fault) return `XML-RPC Fault ${res.fault.faultCode}: ${formatValue(res.fault.faultString, 80)}`;
  const env = res.envelope;
  if (!env) return `not a ${ENVELOPE} struct: ${describeType(res.raw)} ${formatValue(res.raw, 80)}`;
  const output = typeof env.output === 'string' && env.output !== '' ? `; output=${formatValue(env.output, 80)}` : '';
  if (env.codeNumber === undefined) return `code=${formatValue(env.code, 60)}${output}`;
  return `code ${formatCode(env.codeNumber)}${output}`;
}

function finding(res: PgResponse, ctx: CheckContext, f: Omit<Finding, 'exchangeIds' | 'spec'> & { spec?: string }): Finding {
  return { ...f, spec: f.spec ?? ctx.spec, exchangeIds: [res.exchangeId] };
}

const isWireInteger = (res: PgResponse, path: string, value: XmlRpcValue | undefined): boolean =>
  typeof value === 'number' && Number.isInteger(value) && ['int', 'i4', 'i8'].includes(res.wireTypes?.get(path) ?? 'int');

/**
 * ProtoGENI answers (`ProtoGeniResponse`): a struct `{code, value, output}` with an integer code, used by the
 * dynslice server and by client endpoints alike.
 */
export const pgAnswer = {
  /** An XML-RPC answer came back at all: the connection was not dropped and the body was XML-RPC. */
  answered(): Check<PgResponse> {
    return (res, ctx) => res.failure
      ? [finding(res, ctx, { check: 'client-answers', title: 'Call got no XML-RPC answer', expected: ['an XML-RPC methodResponse (a value or a Fault)'], actual: describePg(res) })]
      : [];
  },

  /** The answer is the ProtoGENI struct, not a Fault or a bare value. */
  shape(): Check<PgResponse> {
    return (res, ctx) => {
      const f = (title: string, expected: string[], actual: string, path?: string): Finding =>
        finding(res, ctx, { check: 'pg-envelope', title, expected, actual, ...(path !== undefined && { path }) });
      if (res.failure) return [f('Call got no XML-RPC answer', [ENVELOPE], describePg(res))];
      if (res.fault) return [f('Answered with an XML-RPC Fault instead of the response struct', [ENVELOPE], describePg(res))];
      const raw = res.raw ?? null;
      if (!isStruct(raw)) return [f('Answer is not the response struct', [ENVELOPE], `${describeType(raw)} ${formatValue(raw, 80)}`)];
      if (!Object.hasOwn(raw, 'code')) return [f('Response struct has no code member', ['member code present'], `members ${formatValue(Object.keys(raw))}`, 'code')];
      const found: Finding[] = [];
      if (!isWireInteger(res, 'code', raw.code)) {
        found.push(f('code is not an integer', ['an XML-RPC int (ProtoGENI response code)'], `${res.wireTypes?.get('code') ?? describeType(raw.code)} ${formatValue(raw.code, 60)}`, 'code'));
      }
      if (typeof raw.code === 'number' && raw.code !== 0 && typeof raw.output !== 'string') {
        found.push(f('Error answer has no output string', ['output: a string explaining the error'], raw.output === undefined ? 'member absent' : formatValue(raw.output), 'output'));
      }
      if (raw.output !== undefined && typeof raw.output !== 'string' && raw.output !== null && raw.code === 0) {
        found.push(f('output is not a string', ['an XML-RPC string, or no output member'], `${describeType(raw.output)} ${formatValue(raw.output)}`, 'output'));
      }
      return found;
    };
  },

  success(): Check<PgResponse> {
    return pgAnswer.is('SUCCESS');
  },

  is(...names: GeniCodeName[]): Check<PgResponse> {
    const expected = names.map(formatCode);
    return (res, ctx) => {
      const code = res.envelope?.codeNumber;
      if (code !== undefined && names.some((n) => GENI_CODES[n] === code)) return [];
      return [finding(res, ctx, { check: 'pg-code', title: 'Unexpected response code', expected, actual: describePg(res), path: 'code' })];
    };
  },

  /**
   * For input a method should not get (seed 003 names no error behaviour): an error answer is preferred, a SUCCESS
   * is tolerated unless --strict. No answer at all is what `answered()` judges.
   */
  errorPreferred(): Check<PgResponse> {
    return (res, ctx) => res.envelope?.codeNumber === 0
      ? [finding(res, ctx, { check: 'pg-code', title: 'Malformed call answered SUCCESS', expected: ['a non-zero code', 'an XML-RPC Fault'], actual: describePg(res), path: 'code', grade: 'strict-only' })]
      : [];
  },

  /**
   * Any refusal: a non-zero code, or (for arguments the XML-RPC layer rejects) a Fault. A code other than the
   * preferred ones is tolerated unless --strict.
   */
  refusal(...preferred: GeniCodeName[]): Check<PgResponse> {
    const preferredText = preferred.map(formatCode);
    return (res, ctx) => {
      const code = res.envelope?.codeNumber;
      if (res.failure || (!res.fault && (code === undefined || code === 0))) {
        return [finding(res, ctx, {
          check: 'pg-code', title: 'Call that must be refused succeeded',
          expected: preferred.length ? [...preferredText, 'another non-zero code'] : ['any non-zero code'], actual: describePg(res), path: 'code',
        })];
      }
      if (preferred.length === 0 || (code !== undefined && preferred.some((n) => GENI_CODES[n] === code))) return [];
      return [finding(res, ctx, {
        check: 'pg-code', title: 'Refused with a different code than the preferred one', expected: preferredText,
        actual: describePg(res), path: 'code', grade: 'strict-only',
      })];
    };
  },
};

/** The server API's own rules (seed 002). */
export const dynslice = {
  /** "Returns an integer representing the dynslice API version." */
  versionInteger(): Check<PgResponse> {
    return (res, ctx) => {
      const value = res.envelope?.value;
      if (res.envelope?.codeNumber !== 0 || isWireInteger(res, 'value', value)) return [];
      return [finding(res, ctx, {
        check: 'dynslice-version', title: 'GetVersion value is not an integer', expected: ['an XML-RPC int (the dynslice API version)'],
        actual: `${res.wireTypes?.get('value') ?? describeType(value)} ${formatValue(value, 80)}`, path: 'value',
      })];
    };
  },

  /** maxwaittime: a number of seconds ≥ 0; policy: a policy name (a string). */
  serverDefaults(): Check<PgResponse> {
    return (res, ctx) => {
      const value = res.envelope?.value ?? null;
      const f = (title: string, expected: string[], actual: string, path: string): Finding =>
        finding(res, ctx, { check: 'dynslice-server-defaults', title, expected, actual, path });
      if (!isStruct(value)) return [f('GetServerDefaults value is not a struct', ['a struct with maxwaittime and policy'], `${describeType(value)} ${formatValue(value, 80)}`, 'value')];
      const found: Finding[] = [];
      const max = value.maxwaittime;
      if (typeof max !== 'number' || !Number.isFinite(max) || max < 0) {
        found.push(f('maxwaittime is not a number of seconds', ['a number ≥ 0'], max === undefined ? 'member absent' : `${describeType(max)} ${formatValue(max)}`, 'value.maxwaittime'));
      }
      if (typeof value.policy !== 'string' || value.policy === '') {
        found.push(f('policy is not a policy name', ['a string naming a policy (e.g. "LIFO")'], value.policy === undefined ? 'member absent' : `${describeType(value.policy)} ${formatValue(value.policy)}`, 'value.policy'));
      }
      return found;
    };
  },

  /** A non-empty list of (name, description) pairs with unique names. */
  policyList(): Check<PgResponse> {
    return (res, ctx) => {
      const value = res.envelope?.value;
      const f = (title: string, expected: string[], actual: string, path: string): Finding =>
        finding(res, ctx, { check: 'dynslice-policies', title, expected, actual, path });
      if (!Array.isArray(value) || value.length === 0) return [f('Policy list is not a non-empty list', ['a list of [name, description] pairs'], `${describeType(value)} ${formatValue(value, 80)}`, 'value')];
      const found: Finding[] = [];
      value.forEach((pair, i) => {
        if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') {
          found.push(f('Policy entry is not a (name, description) pair', ['a 2-element list of strings'], formatValue(pair, 80), `value[${i}]`));
        }
      });
      const names = policyNames(value);
      const dupes = names.filter((n, i) => names.indexOf(n) !== i);
      if (dupes.length > 0) found.push(f('Policy names are not unique', ['each name once'], formatValue(dupes), 'value[*][0]'));
      return found;
    };
  },

  /** "Currently, the server supports two policies: 'CLIENT' … and 'LIFO'". */
  listsPagePolicies(): Check<PgResponse> {
    return (res, ctx) => {
      const names = policyNames(res.envelope?.value);
      const missing = DYNSLICE_POLICIES.filter((p) => !names.includes(p));
      return missing.length === 0 ? [] : [finding(res, ctx, {
        check: 'dynslice-policies', title: 'Policy list lacks a policy the server page names', expected: DYNSLICE_POLICIES.map((p) => `${p} listed`),
        actual: `listed: ${formatValue(names)}`, path: 'value[*][0]',
      })];
    };
  },

  /** GetServerDefaults' policy is one of the listed policies. */
  defaultPolicyListed(listed: readonly string[]): Check<PgResponse> {
    return (res, ctx) => {
      const value = res.envelope?.value ?? null;
      const policy = isStruct(value) ? value.policy : undefined;
      if (typeof policy === 'string' && listed.includes(policy)) return [];
      return [finding(res, ctx, {
        check: 'dynslice-server-defaults', title: 'Default policy is not one ListSliceResourceValuePolicies lists', expected: listed.map((p) => formatValue(p)),
        actual: formatValue(policy), path: 'value.policy',
      })];
    };
  },

  /**
   * SetSliceResourceValues with one entry whose identifier keys each name a member node or not: "checked in the
   * order above" and "returns success unless you attempt to set a value for a node identifier that is not a member
   * of your slice", so the first key present decides between success and refusal.
   */
  identifierPrecedence(entry: Partial<Record<NodeIdentifierKey, 'member' | 'stranger'>>): Check<PgResponse> {
    const deciding = NODE_IDENTIFIER_KEYS.find((k) => entry[k] !== undefined);
    const keys = NODE_IDENTIFIER_KEYS.filter((k) => entry[k] !== undefined).map((k) => `${k}=${entry[k]}`).join(', ');
    return (res, ctx) => {
      if (!deciding) return [];
      const wantSuccess = entry[deciding] === 'member';
      const succeeded = res.envelope?.codeNumber === 0;
      const refused = res.fault !== undefined || (res.envelope?.codeNumber !== undefined && res.envelope.codeNumber !== 0);
      if (wantSuccess ? succeeded : refused) return [];
      return [finding(res, ctx, {
        check: 'dynslice-identifier-precedence', title: 'Node identifiers not checked in the documented order',
        expected: [wantSuccess ? `success: ${deciding} names a member node and decides (${keys})` : `a refusal: ${deciding} names no member node and decides (${keys})`],
        actual: describePg(res), path: `values[0].${deciding}`,
      })];
    };
  },
};

function policyNames(value: XmlRpcValue | undefined): string[] {
  if (!Array.isArray(value)) return [];
  return value.map((pair) => (Array.isArray(pair) && typeof pair[0] === 'string' ? pair[0] : undefined)).filter((n): n is string => n !== undefined);
}
