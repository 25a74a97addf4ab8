/**
 * Checks for AM API v1 answers. v1 has no return struct: a method returns its value plainly (an RSpec string, a
 * struct, a boolean) and fails with an XML-RPC Fault or `false` (GAPI_AM_API_V1; gcf am1.py). A v1 endpoint that
 * answers with the v2/v3 {code, value, output} struct speaks the wrong version, for errors as for successes.
 */
import { describeType, formatValue } from '../core';
import type { AmResponse } from '../geni/methods';
import type { Check } from '../core';
import { isStruct, type XmlRpcValue } from '../xmlrpc';
import { describeAnswer, findingFor } from './describe';
import { field } from './field';


export type V1ReturnKind = 'string' | 'struct' | 'boolean';

const ERRORS_SPEC = 'am1#Errors';

const sameText = (a: unknown, b: string): boolean => typeof a === 'string' && a.toLowerCase() === b.toLowerCase();

function entries(value: XmlRpcValue | undefined): Array<Record<string, XmlRpcValue>> {
  return Array.isArray(value) ? value.filter((e): e is Record<string, XmlRpcValue> => e !== null && isStruct(e)) : [];
}
const REFUSALS = ['an XML-RPC Fault', 'the boolean false'];

/** The v2/v3 return struct: a struct with a code member beside value or output. */
function isReturnStruct(raw: XmlRpcValue | undefined): boolean {
  return raw !== undefined && raw !== null && isStruct(raw) && 'code' in raw && ('value' in raw || 'output' in raw);
}

function kindOf(raw: XmlRpcValue | undefined): string {
  return raw === undefined ? 'nothing' : describeType(raw);
}

export const v1 = {
  /** A successful v1 call: not a Fault, not `false`, not the v2 return struct, and a value of `kind`. */
  returns(kind: V1ReturnKind): Check<AmResponse> {
    return (res, ctx) => {
      const expected = [`a plain XML-RPC ${kind}`];
      if (res.fault) return [findingFor(res, { check: 'v1-return', title: 'Call failed', expected, actual: describeAnswer(res), spec: ctx.spec })];
      if (isReturnStruct(res.raw)) {
        return [findingFor(res, {
          check: 'v1-return', title: 'v1 call answered with the v2/v3 return struct', expected,
          actual: formatValue(res.raw, 120), spec: ctx.spec,
        })];
      }
      if (res.raw === false && kind !== 'boolean') {
        return [findingFor(res, { check: 'v1-return', title: 'Call failed', expected, actual: 'false', spec: ctx.spec })];
      }
      const got = kindOf(res.raw);
      return got === kind
        ? []
        : [findingFor(res, { check: 'v1-return', title: 'v1 return has the wrong type', expected, actual: `${got} ${formatValue(res.raw, 80)}`, spec: ctx.spec })];
    };
  },

  /** Any successful v1 answer, whatever its type: not a Fault, not `false`, not the v2/v3 return struct. */
  succeeded(): Check<AmResponse> {
    return (res, ctx) => {
      const expected = ['a plain XML-RPC value (not a Fault, not false)'];
      if (res.fault || res.raw === false) return [findingFor(res, { check: 'v1-return', title: 'Call failed', expected, actual: describeAnswer(res), spec: ctx.spec })];
      return isReturnStruct(res.raw)
        ? [findingFor(res, { check: 'v1-return', title: 'v1 call answered with the v2/v3 return struct', expected, actual: formatValue(res.raw, 120), spec: ctx.spec })]
        : [];
    };
  },

  /** The plain boolean true (DeleteSliver, RenewSliver, Shutdown on success). */
  returnsTrue(): Check<AmResponse> {
    return (res, ctx) => {
      const shape = v1.returns('boolean')(res, ctx);
      if (shape.length > 0) return shape;
      return res.raw === true ? [] : [findingFor(res, { check: 'v1-return', title: 'Call failed', expected: ['true'], actual: formatValue(res.raw), spec: ctx.spec })];
    };
  },

  /**
   * The request was refused the v1 way: an XML-RPC Fault, or `false`. Success is a finding; so is an error sent as
   * the v2/v3 return struct (a refusal, but not one a v1 client can recognise).
   */
  refused(): Check<AmResponse> {
    return (res, ctx) => {
      if (res.fault || res.raw === false) return [];
      if (isReturnStruct(res.raw)) {
        return [findingFor(res, {
          check: 'v1-error', title: 'v1 error returned as a return struct instead of a Fault', expected: REFUSALS,
          actual: describeAnswer(res), spec: ERRORS_SPEC,
        })];
      }
      return [findingFor(res, {
        check: 'v1-error', title: 'Request that must be refused succeeded', expected: REFUSALS,
        actual: `${kindOf(res.raw)} ${formatValue(res.raw, 80)}`, spec: ctx.spec ?? ERRORS_SPEC,
      })];
    };
  },

  /** GetVersion's `request_rspec_versions` / `ad_rspec_versions` names type/version (case-insensitive, change set A). */
  advertisesRSpec(list: 'request' | 'ad', formats: ReadonlyArray<{ type: string; version: string }>): Check<AmResponse> {
    return field(`${list}_rspec_versions`).satisfies(
      (v) => entries(v).some((e) => formats.some((f) => sameText(e.type, f.type) && sameText(e.version, f.version))),
      `an entry with ${formats.map((f) => `type ${f.type} and version ${f.version}`).join(', or ')} (case-insensitive)`,
    );
  },

  /** default_ad_rspec is one of the ad_rspec_versions entries (type and version, case-insensitive). */
  defaultAdAdvertised(): Check<AmResponse> {
    return (res, ctx) => {
      const raw = res.raw !== undefined && res.raw !== null && isStruct(res.raw) ? res.raw : {};
      const def = raw.default_ad_rspec;
      const ads = entries(raw.ad_rspec_versions);
      const listed = def !== undefined && def !== null && isStruct(def) && ads.some((e) => sameText(e.type, String(def.type)) && sameText(e.version, String(def.version)));
      return listed
        ? []
        : [findingFor(res, {
            check: 'v1-getversion', title: 'default_ad_rspec is not among the ad RSpec versions',
            expected: [`one of ${formatValue(ads.map((e) => `${String(e.type)} ${String(e.version)}`), 200)}`], actual: formatValue(def), path: 'default_ad_rspec',
            spec: ctx.spec,
          })];
    };
  },

};

