import { formatValue, type Finding } from '../core';
import type { AmResponse } from '../geni/methods';
import type { Check } from '../core';
import { XmlRpcDateTime } from '../xmlrpc';
import { findingFor } from './describe';
import { resolvePath } from './paths';

const CHECK = 'rfc3339';
const SPEC = 'am3/common#Dates';

/** RFC 3339 date-time (section 5.6): 'T' and 'Z' may be lower case, the fraction is optional, the zone is not. */
export const RFC3339_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/;

/** The narrower federation profile (`--profile fed4fire`): upper-case T, no fractional seconds. */
const FEDERATION_PROFILE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/;

/** Why `text` is not an RFC 3339 date-time with an explicit zone, or undefined when it is one. */
export function rfc3339Problem(text: string): string | undefined {
  const m = RFC3339_DATE_TIME.exec(text);
  if (!m) return 'not of the form YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)';
  const [, y, mo, d, h, mi, s, , , zh, zm] = m;
  const month = Number(mo);
  const day = Number(d);
  const daysInMonth = new Date(Date.UTC(Number(y), month, 0)).getUTCDate();
  if (month < 1 || month > 12) return `month ${mo} is out of range`;
  if (day < 1 || day > daysInMonth) return `day ${d} is out of range for ${y}-${mo}`;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) return 'time of day is out of range';
  if (zh !== undefined && (Number(zh) > 23 || Number(zm) > 59)) return 'zone offset is out of range';
  return undefined;
}

export const dates = {
  /**
   * Every value at `path` is an RFC 3339 date-time with an explicit zone (RFC 3339 section 5.6 allows a lower-case
   * t and fractional seconds, so those pass). A dateTime.iso8601 wire type is a strict-only finding; the forms the
   * fed4fire profile narrows away (lower-case t, fractions) are findings only when the run names that profile.
   */
  rfc3339(path: string, opts: { optional?: boolean } = {}): Check<AmResponse> {
    const expected = ['an RFC 3339 date-time with an explicit zone, e.g. "2026-11-22T10:00:00Z"'];
    return (res, ctx) =>
      resolvePath(res.raw, path).flatMap((r): Finding[] => {
        const finding = (title: string, actual: string, grade?: 'strict-only', hint?: string): Finding =>
          findingFor(res, { check: CHECK, title, expected, actual, path: r.path, spec: SPEC, ...(grade ? { grade } : {}), ...(hint ? { hint } : {}) });
        if (!r.present) return opts.optional ? [] : [finding('Required date is missing', res.fault ? 'XML-RPC Fault (no value)' : 'member absent')];
        const sentAsDateTime = r.value instanceof XmlRpcDateTime;
        const text = sentAsDateTime ? (r.value as XmlRpcDateTime).raw : r.value;
        if (typeof text !== 'string') return [finding('Date is not a string', formatValue(r.value))];
        const problem = rfc3339Problem(text);
        if (problem) return [finding('Date is not RFC 3339 with an explicit time zone', formatValue(text), undefined, problem)];
        const found: Finding[] = [];
        if (sentAsDateTime) found.push(finding('Date sent as dateTime.iso8601 instead of a string', `dateTime.iso8601 ${formatValue(text)}`, 'strict-only'));
        if (ctx.profiles?.includes('fed4fire') === true && !FEDERATION_PROFILE.test(text)) {
          found.push(finding('Date uses a form the fed4fire profile excludes', formatValue(text), undefined, 'fed4fire profile: upper-case T, no fractional seconds'));
        }
        return found;
      });
  },
};
