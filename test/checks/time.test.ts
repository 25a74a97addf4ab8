import { describe, expect, it } from 'vitest';
import { formatRfc3339, readGeniDate, time } from '../../src/checks/time';
import type { AmResponse } from '../../src/geni/methods';
import { XmlRpcDateTime } from '../../src/xmlrpc/values';
import type { XmlRpcValue } from '../../src/xmlrpc';

const ctx = { strict: false };
const status = (slivers: XmlRpcValue[], exchangeId = 'x1'): AmResponse => ({
  exchangeId, method: 'Status', raw: { code: { geni_code: 0 }, value: { geni_urn: 'urn:publicid:IDN+sa+slice+s', geni_slivers: slivers } },
});
const sliver = (urn: string, geni_expires: XmlRpcValue) => ({ geni_sliver_urn: urn, geni_allocation_status: 'geni_allocated', geni_expires });
const AT = 'value.geni_slivers';

describe('readGeniDate', () => {
  it.each([
    ['2026-11-22T10:00:00Z', '2026-11-22T10:00:00.000Z'],
    ['2026-11-22T10:00:00.52Z', '2026-11-22T10:00:00.520Z'],
    ['1996-12-19T16:39:57-08:00', '1996-12-20T00:39:57.000Z'],
  ])('reads RFC 3339 %s', (text, iso) => expect(readGeniDate(text)?.toISOString()).toBe(iso));

  it.each(['2026-11-22 10:00:00', '2026-11-22T10:00:00', 'tomorrow', '', 42])('rejects %s', (v) => expect(readGeniDate(v)).toBeUndefined());

  it('reads a dateTime.iso8601 value', () => expect(readGeniDate(new XmlRpcDateTime('20261122T10:00:00'))?.toISOString()).toBe('2026-11-22T10:00:00.000Z'));
});

describe('formatRfc3339', () => {
  it('drops the fraction and keeps Z', () => expect(formatRfc3339(new Date('2026-01-02T03:04:05.678Z'))).toBe('2026-01-02T03:04:05Z'));
});

describe('time.expiresNoLaterThan', () => {
  const limit = new Date('2026-01-01T12:00:00Z');
  it('passes at and before the limit, ignoring milliseconds', () => {
    const res = status([sliver('a', '2026-01-01T12:00:00Z'), sliver('b', '2026-01-01T11:00:00Z')]);
    expect(time.expiresNoLaterThan(new Date('2026-01-01T12:00:00.900Z'), AT)(res, ctx)).toEqual([]);
  });
  it('reports each sliver beyond the limit', () => {
    const res = status([sliver('a', '2026-01-01T12:00:01Z'), sliver('b', '2026-01-01T11:00:00Z')]);
    const findings = time.expiresNoLaterThan(limit, AT)(res, ctx);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      check: 'sliver-expiry', title: 'Sliver expires after the allowed limit', path: 'value.geni_slivers[0].geni_expires',
      expected: ['no later than 2026-01-01T12:00:00Z'], actual: '"2026-01-01T12:00:01Z"', exchangeIds: ['x1'],
    });
  });
  it('reports an unreadable date instead of comparing it', () => {
    const findings = time.expiresNoLaterThan(limit, AT)(status([sliver('a', '2026-01-01 11:00:00')]), ctx);
    expect(findings.map((f) => f.title)).toEqual(['Sliver expiry is not a readable date']);
  });
  it('reports a missing list once', () => {
    const res: AmResponse = { exchangeId: 'x2', method: 'Status', raw: { code: { geni_code: 12 }, output: 'no such slice' }, envelope: { code: { geni_code: 12 }, geniCode: 12, output: 'no such slice' } };
    expect(time.expiresNoLaterThan(limit, AT)(res, ctx).map((f) => f.title)).toEqual(['Sliver list missing']);
  });
});

describe('time.expiresWithin', () => {
  const target = new Date('2026-01-01T12:00:00Z');
  it('accepts the tolerance either side', () =>
    expect(time.expiresWithin(target, 1, AT)(status([sliver('a', '2026-01-01T11:59:59Z'), sliver('b', '2026-01-01T12:00:01Z')]), ctx)).toEqual([]));
  it('rejects beyond the tolerance', () =>
    expect(time.expiresWithin(target, 1, AT)(status([sliver('a', '2026-01-01T12:00:02Z')]), ctx).map((f) => f.title)).toEqual(['Sliver expiry differs from the requested time']));
  it('reads a Renew value list at "value"', () => {
    const res: AmResponse = { exchangeId: 'x3', method: 'Renew', raw: { code: { geni_code: 0 }, value: [sliver('a', '2026-01-01T12:00:00Z')] } };
    expect(time.expiresWithin(target, 0, 'value')(res, ctx)).toEqual([]);
  });
});

describe('time.expiresAfter', () => {
  it('is strict', () => {
    const at = new Date('2026-01-01T12:00:00Z');
    expect(time.expiresAfter(at, AT)(status([sliver('a', '2026-01-01T12:00:01Z')]), ctx)).toEqual([]);
    expect(time.expiresAfter(at, AT)(status([sliver('a', '2026-01-01T12:00:00Z')]), ctx)).toHaveLength(1);
  });
});

describe('time.expiriesUnchangedSince', () => {
  const before = status([sliver('a', '2026-01-01T12:00:00Z'), sliver('b', '2026-01-02T12:00:00Z')], 'x1');
  it('passes when every sliver keeps its expiry', () =>
    expect(time.expiriesUnchangedSince(before, AT)(status([sliver('b', '2026-01-02T12:00:00Z'), sliver('a', '2026-01-01T12:00:00Z')], 'x2'), ctx)).toEqual([]));
  it('names the sliver whose expiry moved', () => {
    const findings = time.expiriesUnchangedSince(before, AT)(status([sliver('a', '2026-01-01T12:00:00Z'), sliver('b', '2026-01-03T12:00:00Z')], 'x2'), ctx);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ title: 'Sliver expiry changed although the operation failed', path: 'value.geni_slivers[1].geni_expires' });
  });
});
