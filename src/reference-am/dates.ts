import { XmlRpcDateTime, type XmlRpcValue } from '../xmlrpc';

const pad = (n: number): string => String(n).padStart(2, '0');

/** RFC 3339 in UTC with a 'Z' and no fractional seconds: the strictest form every profile accepts. */
export function formatRfc3339(date: Date): string {
  return (
    `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}` +
    `T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}Z`
  );
}

/** The non-conforming 'YYYY-MM-DD HH:MM:SS' (no T, no zone) that some aggregates emit; used by a fault. */
export function formatSqlStyle(date: Date): string {
  return formatRfc3339(date).replace('T', ' ').replace('Z', '');
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})?$/;

/**
 * Reads a time argument (Renew's expiration_time, geni_end_time). The spec asks for an RFC 3339 string; an
 * XML-RPC dateTime.iso8601 is also taken because it names an instant just as well. A missing zone is read as
 * UTC, as GENI does for credential expiry. Undefined when the value is not a date.
 */
export function parseTimeArgument(value: XmlRpcValue | undefined): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (value instanceof XmlRpcDateTime) return value.toDate();
  if (typeof value !== 'string') return undefined;
  const m = RFC3339.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) return undefined;
  if (new Date(Date.UTC(Number(y), month - 1, day)).getUTCDate() !== day) return undefined;
  const millis = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
  let epoch = Date.UTC(Number(y), month - 1, day, Number(h), Number(mi), Number(s), millis);
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    epoch -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
  }
  return new Date(epoch);
}

/** A date string with its ±HH:MM zone replaced by Z (the renew-ignores-utc-offset fault); other values unchanged. */
export function withoutZoneOffset(value: XmlRpcValue | undefined): XmlRpcValue | undefined {
  return typeof value === 'string' ? value.trim().replace(/[+-]\d{2}:\d{2}$/, 'Z') : value;
}
