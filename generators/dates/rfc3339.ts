import fc from 'fast-check';
import type { InvalidValue } from '../labelled';

/**
 * Date-time strings as the AM API wants them (GAPI_AM_API_V3/CommonConcepts: RFC 3339 with an explicit zone).
 * The federation profile narrows that to an upper-case `T` and no fractional seconds; `profile` picks which
 * valid forms come out. Invalid values say whether they are `invalid` (not RFC 3339 at all) or `risky` (RFC 3339
 * allows them, the federation profile does not, and aggregates are known to choke on them).
 */

export type DateDefect =
  | 'missing-zone'
  | 'space-separator'
  | 'hour-24'
  | 'month-out-of-range'
  | 'day-out-of-range'
  | 'xmlrpc-compact'
  | 'lowercase-t'
  | 'lowercase-z'
  | 'fractional-seconds';

export interface InvalidDate extends InvalidValue<DateDefect> {
  /** `invalid`: not an RFC 3339 date-time with a zone. `risky`: RFC 3339, but outside the federation profile. */
  verdict: 'invalid' | 'risky';
}

export interface Rfc3339DateConstraints {
  /** @defaultValue true */
  valid?: boolean;
  /**
   * Which valid forms: `'rfc3339'` (Z or ±HH:MM, optional fractional seconds) or `'federation'` (no fraction).
   * @defaultValue 'rfc3339'
   */
  profile?: 'rfc3339' | 'federation';
  /**
   * Instants come from this range.
   * @defaultValue 2000-01-01 .. 2099-12-31 (UTC)
   */
  min?: Date;
  max?: Date;
}

const pad = (n: number, width = 2): string => String(Math.abs(n)).padStart(width, '0');

/** The parts of a date-time, kept apart so each defect can bend exactly one of them. @internal */
interface DateParts {
  date: string; // YYYY-MM-DD
  time: string; // HH:MM:SS
  zone: string; // 'Z' or ±HH:MM
}

function dateParts(c: Rfc3339DateConstraints): fc.Arbitrary<{ instant: Date; offsetMinutes: number; fractionDigits: string }> {
  return fc.record({
    instant: fc.date({ min: c.min ?? new Date(Date.UTC(2000, 0, 1)), max: c.max ?? new Date(Date.UTC(2099, 11, 31)), noInvalidDate: true }),
    // Real zone offsets lie in -12:00 .. +14:00 and are mostly whole or half hours.
    offsetMinutes: fc.oneof(fc.constant(0), fc.integer({ min: -24, max: 28 }).map((half) => half * 30), fc.integer({ min: -720, max: 840 })),
    fractionDigits: fc.stringMatching(/^\d{1,6}$/),
  });
}

/** Local wall-clock parts of `instant` at `offsetMinutes` east of UTC. @internal */
function toParts(instant: Date, offsetMinutes: number, zoneAsZ: boolean): DateParts {
  const local = new Date(instant.getTime() + offsetMinutes * 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  return {
    date: `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`,
    time: `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`,
    zone: zoneAsZ && offsetMinutes === 0 ? 'Z' : `${sign}${pad(Math.trunc(offsetMinutes / 60))}:${pad(offsetMinutes % 60)}`,
  };
}

function validDate(c: Rfc3339DateConstraints): fc.Arbitrary<string> {
  const fractions = c.profile !== 'federation';
  return fc.tuple(dateParts(c), fc.boolean(), fc.boolean()).map(([{ instant, offsetMinutes, fractionDigits }, zoneAsZ, withFraction]) => {
    const p = toParts(instant, offsetMinutes, zoneAsZ);
    return `${p.date}T${p.time}${fractions && withFraction ? `.${fractionDigits}` : ''}${p.zone}`;
  });
}

function invalidDate(c: Rfc3339DateConstraints): fc.Arbitrary<InvalidDate> {
  const base = fc.tuple(dateParts(c), fc.boolean()).map(([{ instant, offsetMinutes, fractionDigits }, zoneAsZ]) => ({
    p: toParts(instant, offsetMinutes, zoneAsZ),
    utc: toParts(instant, 0, true),
    fractionDigits,
  }));
  const defect = (reason: DateDefect, verdict: InvalidDate['verdict'], description: string, build: (b: { p: DateParts; utc: DateParts; fractionDigits: string }) => string) =>
    base.map((b): InvalidDate => ({ value: build(b), reason, verdict, description }));
  return fc.oneof(
    defect('missing-zone', 'invalid', 'no Z or ±HH:MM zone (RFC 3339 requires one; GENI readers guess UTC)', ({ p }) => `${p.date}T${p.time}`),
    defect('space-separator', 'invalid', 'a space instead of T between date and time', ({ p }) => `${p.date} ${p.time}${p.zone}`),
    defect('hour-24', 'invalid', 'hour 24 (ISO 8601 end-of-day; RFC 3339 hours stop at 23)', ({ p }) => `${p.date}T24:00:00${p.zone}`),
    defect('month-out-of-range', 'invalid', 'month 00 or 13', ({ p }) => `${p.date.slice(0, 4)}-${Number(p.time.slice(6, 8)) % 2 ? '00' : '13'}-${p.date.slice(8)}T${p.time}${p.zone}`),
    defect('day-out-of-range', 'invalid', 'a day the month does not have (February 30, April 31, day 32)', ({ p }) =>
      `${p.date.slice(0, 4)}-${['02-30', '04-31', '01-32', '06-00'][Number(p.time.slice(6, 8)) % 4]}T${p.time}${p.zone}`),
    defect('xmlrpc-compact', 'invalid', "the XML-RPC spec's dateTime.iso8601 form YYYYMMDDTHH:MM:SS, no dashes and no zone", ({ utc }) => `${utc.date.replace(/-/g, '')}T${utc.time}`),
    defect('lowercase-t', 'risky', 'a lower-case t separator: RFC 3339 allows it, the federation profile does not', ({ p }) => `${p.date}t${p.time}${p.zone}`),
    defect('lowercase-z', 'risky', 'a lower-case z zone: RFC 3339 allows it, the federation profile does not', ({ utc }) => `${utc.date}T${utc.time}z`),
    defect('fractional-seconds', 'risky', 'fractional seconds: RFC 3339 allows them, the federation profile does not', ({ p, fractionDigits }) => `${p.date}T${p.time}.${fractionDigits}${p.zone}`),
  );
}

/**
 * RFC 3339 date-time strings. With `valid: false` each comes labelled with its defect and verdict.
 */
export function rfc3339Date(constraints?: Rfc3339DateConstraints & { valid?: true }): fc.Arbitrary<string>;
export function rfc3339Date(constraints: Rfc3339DateConstraints & { valid: false }): fc.Arbitrary<InvalidDate>;
export function rfc3339Date(constraints: Rfc3339DateConstraints = {}): fc.Arbitrary<string> | fc.Arbitrary<InvalidDate> {
  const min = constraints.min ?? new Date(Date.UTC(2000, 0, 1));
  const max = constraints.max ?? new Date(Date.UTC(2099, 11, 31));
  if (!(min.getTime() <= max.getTime())) throw new RangeError(`rfc3339Date: min must not be after max, but received ${min.toISOString()} > ${max.toISOString()}`);
  return constraints.valid === false ? invalidDate(constraints) : validDate(constraints);
}
