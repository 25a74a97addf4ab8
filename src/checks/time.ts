/**
 * Checks on sliver expiry times (`geni_expires`) in v3 sliver lists.
 *
 * Every check takes `at`, the dotted path (from the top of the return struct) of the sliver list: for Allocate,
 * Provision, Status and Describe that is 'value.geni_slivers'; for Renew, Delete and PerformOperationalAction
 * the value itself is the list ('value').
 *
 * Dates are compared at whole-second precision: GENI credentials and most aggregates carry no fractional
 * seconds, so a sliver that expires "at" the credential expiry must not fail because of milliseconds.
 */
import { formatValue } from '../core';
import type { Finding } from '../core';
import type { Check } from '../core';
import type { AmResponse } from '../geni/methods';
import { XmlRpcDateTime } from '../xmlrpc/values';
import { sliverListAt } from './slivers';

/** Full date and time with an explicit zone, as CommonConcepts shows (1985-04-12T23:20:50.52Z, 1996-12-19T16:39:57-08:00). */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;

/**
 * Reads a GENI date: an RFC 3339 string, or a dateTime.iso8601 value (which the spec calls a superset, and which
 * some aggregates send). Returns undefined when the value is not a date we can place in time.
 */
export function readGeniDate(value: unknown): Date | undefined {
  if (value instanceof XmlRpcDateTime) return value.toDate();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value !== 'string' || !RFC3339.test(value.trim())) return undefined;
  const date = new Date(value.trim());
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** The form the harness sends (Renew's expiration_time, geni_end_time): UTC, uppercase T and Z, no fraction. */
export function formatRfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const seconds = (d: Date): number => Math.floor(d.getTime() / 1000);

const SPEC_EXPIRY = 'am3/common#SliverExpiration';

interface ExpiryRule {
  /** Fixed finding title. */
  title: string;
  /** The expectation, already formatted for people. */
  expected: string[];
  holds(expires: Date, sliverUrn: string): boolean;
}

function expiryCheck(rule: ExpiryRule, at: string, spec: string): Check<AmResponse> {
  return (res) => {
    const list = sliverListAt(res, at);
    if (!list.ok) return list.findings;
    return list.slivers.flatMap((sliver, i): Finding[] => {
      const path = `${at}[${i}].geni_expires`;
      const raw = sliver.geni_expires;
      const expires = readGeniDate(raw);
      const urn = typeof sliver.geni_sliver_urn === 'string' ? sliver.geni_sliver_urn : '';
      if (!expires) {
        return [{
          check: 'sliver-expiry', title: 'Sliver expiry is not a readable date', expected: ['an RFC 3339 date and time'],
          actual: formatValue(raw), path, spec: 'am3/common#Dates', exchangeIds: [res.exchangeId],
        }];
      }
      return rule.holds(expires, urn)
        ? []
        : [{ check: 'sliver-expiry', title: rule.title, expected: rule.expected, actual: formatValue(raw), path, spec, exchangeIds: [res.exchangeId] }];
    });
  };
}

export const time = {
  /** Every sliver expires no later than `limit` (e.g. the slice credential's expiry). */
  expiresNoLaterThan: (limit: Date, at: string, spec = SPEC_EXPIRY): Check<AmResponse> =>
    expiryCheck({
      title: 'Sliver expires after the allowed limit',
      expected: [`no later than ${formatRfc3339(limit)}`],
      holds: (expires) => seconds(expires) <= seconds(limit),
    }, at, spec),

  /** Every sliver expires within `toleranceSeconds` of `target` (e.g. the time Renew asked for). */
  expiresWithin: (target: Date, toleranceSeconds: number, at: string, spec = 'am3#Renew'): Check<AmResponse> =>
    expiryCheck({
      title: 'Sliver expiry differs from the requested time',
      expected: [`${formatRfc3339(target)} ± ${toleranceSeconds} s`],
      holds: (expires) => Math.abs(seconds(expires) - seconds(target)) <= toleranceSeconds,
    }, at, spec),

  /** Every sliver expires strictly after `instant` (e.g. now, or its expiry before a Renew). */
  expiresAfter: (instant: Date, at: string, spec = SPEC_EXPIRY): Check<AmResponse> =>
    expiryCheck({
      title: 'Sliver expires too early',
      expected: [`after ${formatRfc3339(instant)}`],
      holds: (expires) => seconds(expires) > seconds(instant),
    }, at, spec),

  /**
   * Every sliver listed in `before` (an earlier answer, read at the same path) still expires at the same second.
   * Used after a refused Renew: a failed transition leaves the sliver as it was.
   */
  expiriesUnchangedSince: (before: AmResponse, at: string, spec = 'am3/common#SliverAllocationStates'): Check<AmResponse> => {
    const earlier = sliverListAt(before, at);
    const previous = new Map<string, Date | undefined>(
      earlier.ok
        ? earlier.slivers.flatMap((s) => (typeof s.geni_sliver_urn === 'string' ? [[s.geni_sliver_urn, readGeniDate(s.geni_expires)]] : []))
        : [],
    );
    return expiryCheck({
      title: 'Sliver expiry changed although the operation failed',
      expected: ['the expiry reported before the call'],
      holds: (expires, urn) => {
        const was = previous.get(urn);
        return was === undefined || seconds(was) === seconds(expires);
      },
    }, at, spec);
  },
};
