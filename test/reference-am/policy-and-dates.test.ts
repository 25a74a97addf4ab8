import { describe, expect, it } from 'vitest';
import { XmlRpcDateTime } from '../../src/xmlrpc';
import { formatRfc3339, formatSqlStyle, parseTimeArgument } from '../../src/reference-am/dates';
import { allocationExpiry, DEFAULT_POLICY, provisionExpiry, renewLimit, resolvePolicy } from '../../src/reference-am/policy';

const NOW = new Date('2030-01-01T00:00:00Z');
const plus = (s: number): Date => new Date(NOW.getTime() + s * 1000);

describe('reference AM policy bounds', () => {
  it('defaults to 10 min allocations (2 h max) and 3 day provisions (30 days max)', () => {
    expect(resolvePolicy()).toEqual({ allocatedSeconds: 600, maxAllocatedSeconds: 7200, provisionedSeconds: 259_200, maxProvisionedSeconds: 2_592_000 });
    expect(resolvePolicy({ allocatedSeconds: 5 }).maxAllocatedSeconds).toBe(DEFAULT_POLICY.maxAllocatedSeconds);
  });

  it('never lets an allocation or a provision outlive the slice credential', () => {
    const credential = plus(300);
    expect(allocationExpiry(DEFAULT_POLICY, NOW, credential)).toEqual(credential);
    expect(provisionExpiry(DEFAULT_POLICY, NOW, credential)).toEqual(credential);
  });

  it('lets geni_end_time shorten but not lengthen, and ignores one in the past', () => {
    const credential = plus(10 * 86_400);
    expect(provisionExpiry(DEFAULT_POLICY, NOW, credential, plus(3600))).toEqual(plus(3600));
    expect(provisionExpiry(DEFAULT_POLICY, NOW, credential, plus(9 * 86_400))).toEqual(plus(3 * 86_400));
    expect(allocationExpiry(DEFAULT_POLICY, NOW, credential, plus(-60))).toEqual(plus(600));
  });

  it('bounds renewals by state policy and the credential; without the credential only policy applies', () => {
    expect(renewLimit(DEFAULT_POLICY, 'geni_allocated', NOW, plus(86_400))).toEqual(plus(7200));
    expect(renewLimit(DEFAULT_POLICY, 'geni_provisioned', NOW, plus(86_400))).toEqual(plus(86_400));
    expect(renewLimit(DEFAULT_POLICY, 'geni_provisioned', NOW, undefined)).toEqual(plus(30 * 86_400));
  });
});

describe('reference AM dates', () => {
  it('writes RFC 3339 with Z and no fraction, and the fault form without T or zone', () => {
    const d = new Date('2026-11-22T10:00:00.750Z');
    expect(formatRfc3339(d)).toBe('2026-11-22T10:00:00Z');
    expect(formatSqlStyle(d)).toBe('2026-11-22 10:00:00');
  });

  it('reads RFC 3339 with offsets and fractions, and dateTime.iso8601 values', () => {
    expect(parseTimeArgument('2030-01-01T02:00:00+02:00')).toEqual(NOW);
    expect(parseTimeArgument('2030-01-01T00:00:00.5Z')?.getTime()).toBe(NOW.getTime() + 500);
    expect(parseTimeArgument('2030-01-01T00:00:00')).toEqual(NOW);
    expect(parseTimeArgument(new XmlRpcDateTime('20300101T00:00:00Z'))).toEqual(NOW);
  });

  it('rejects what is not a date', () => {
    for (const bad of ['tomorrow', '2030-02-30T00:00:00Z', '2030-13-01T00:00:00Z', '', 42, null]) {
      expect(parseTimeArgument(bad as never)).toBeUndefined();
    }
  });
});
