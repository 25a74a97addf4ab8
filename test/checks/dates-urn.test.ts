import { describe, expect, it } from 'vitest';
import { dates, rfc3339Problem, urn } from '../../src/checks';
import { XmlRpcDateTime } from '../../src/xmlrpc';
import { ctx, struct } from './answers';

describe('rfc3339Problem', () => {
  it.each(['2026-11-22T10:00:00Z', '1985-04-12T23:20:50.52Z', '1996-12-19T16:39:57-08:00', '2024-02-29t00:00:00z'])('accepts %s', (d) =>
    expect(rfc3339Problem(d)).toBeUndefined());
  it.each([
    ['2026-11-22 10:00:00', 'not of the form'],
    ['2026-11-22T10:00:00', 'not of the form'],
    ['20261122T10:00:00Z', 'not of the form'],
    ['2026-02-30T10:00:00Z', 'day 30'],
    ['2026-13-01T10:00:00Z', 'month 13'],
    ['2026-01-01T24:00:00Z', 'time of day'],
  ])('rejects %s', (d, why) => expect(rfc3339Problem(d)).toContain(why));
});

describe('dates.rfc3339', () => {
  const sliver = (geni_expires: unknown) => struct(0, { geni_slivers: [{ geni_expires: geni_expires as string }] });
  const check = dates.rfc3339('value.geni_slivers[*].geni_expires');
  it('passes the federation form', () => expect(check(sliver('2026-11-22T10:00:00Z'), ctx)).toEqual([]));
  it('fails a zone-less date with the reason as hint', () => {
    expect(check(sliver('2026-11-22 10:00:00'), ctx)).toEqual([{
      check: 'rfc3339', title: 'Date is not RFC 3339 with an explicit time zone',
      expected: ['an RFC 3339 date-time with an explicit zone, e.g. "2026-11-22T10:00:00Z"'], actual: '"2026-11-22 10:00:00"',
      path: 'value.geni_slivers[0].geni_expires', spec: 'am3/common#Dates', exchangeIds: ['x1'],
      hint: 'not of the form YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)',
    }]);
  });
  it('passes fractions and a lower-case t (RFC 3339 section 5.6), even under --strict', () => {
    expect(check(sliver('2026-11-22T10:00:00.5Z'), { ...ctx, strict: true })).toEqual([]);
    expect(check(sliver('2026-11-22t10:00:00+01:00'), { ...ctx, strict: true })).toEqual([]);
  });
  it('under --profile fed4fire, fails fractions and a lower-case t', () => {
    const fed4fire = { ...ctx, profiles: ['fed4fire'] };
    expect(check(sliver('2026-11-22T10:00:00.5Z'), fed4fire).map((f) => [f.title, f.grade])).toEqual([['Date uses a form the fed4fire profile excludes', undefined]]);
    expect(check(sliver('2026-11-22t10:00:00Z'), fed4fire)).toHaveLength(1);
    expect(check(sliver('2026-11-22T10:00:00Z'), fed4fire)).toEqual([]);
  });
  it('marks dateTime.iso8601 strict-only', () => {
    const dt = check(sliver(new XmlRpcDateTime('2026-11-22T10:00:00Z')), ctx);
    expect(dt.map((f) => [f.title, f.grade])).toEqual([['Date sent as dateTime.iso8601 instead of a string', 'strict-only']]);
  });
  it('a missing date is a finding unless optional', () => {
    expect(check(struct(0, { geni_slivers: [{}] }), ctx)[0]?.title).toBe('Required date is missing');
    expect(dates.rfc3339('value.x', { optional: true })(struct(0, {}), ctx)).toEqual([]);
  });
});

describe('urn.ofType', () => {
  it('passes a sliver URN and explains a wrong type', () => {
    const res = struct(0, { geni_urn: 'urn:publicid:IDN+am.example.net+sliver+s-1' });
    expect(urn.ofType('value.geni_urn', 'sliver')(res, ctx)).toEqual([]);
    expect(urn.ofType('value.geni_urn', 'slice')(res, ctx)).toEqual([{
      check: 'urn', title: 'Malformed URN', expected: ['a GENI URN of type slice (urn:publicid:IDN+<authority>+slice+<name>)'],
      actual: '"urn:publicid:IDN+am.example.net+sliver+s-1"', path: 'value.geni_urn', spec: 'identifiers#URNs', exchangeIds: ['x1'],
      hint: 'type is "sliver", expected "slice"',
    }]);
  });
});
