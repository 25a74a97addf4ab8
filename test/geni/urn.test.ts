import { describe, expect, it } from 'vitest';
import { SLICE_NAME_PATTERN, SLIVER_NAME_PATTERN, isUrnOfType, isValidSliceName, makeUrn, parseUrn, urnProblems } from '../../src/geni/urn';

describe('parseUrn', () => {
  it.each([
    ['urn:publicid:IDN+geni:gpo:gcf+user+joe', { authority: 'geni:gpo:gcf', type: 'user', name: 'joe' }],
    ['urn:publicid:IDN+plc:princeton+authority+sa', { authority: 'plc:princeton', type: 'authority', name: 'sa' }],
    ['urn:publicid:IDN+gcf:gpo:gpolab+node+switch+1+port+2', { authority: 'gcf:gpo:gpolab', type: 'node', name: 'switch+1+port+2' }],
    ['URN:PUBLICID:IDN+emulab.net+slice+s1', { authority: 'emulab.net', type: 'slice', name: 's1' }],
  ])('parses %s', (urn, expected) => {
    expect(parseUrn(urn)).toEqual(expected);
  });

  it.each([
    'urn:publicid:IDN+emulab.net+slice',
    'urn:publicid:IDN+emulab.net+slice+',
    'urn:publicid:IDN++slice+s1',
    'urn:publicid:IDN+emulab.net++s1',
    'urn:publicid:idn+emulab.net+slice+s1',
    'urn:uuid:0f3c0e4a-0000-4000-8000-000000000000',
    '',
  ])('rejects %s', (urn) => {
    expect(parseUrn(urn)).toBeUndefined();
  });

  it('round-trips makeUrn', () => {
    const urn = makeUrn('geni-harness.test', 'sliver', 'a.b-c_d');
    expect(urn).toBe('urn:publicid:IDN+geni-harness.test+sliver+a.b-c_d');
    expect(parseUrn(urn)).toEqual({ authority: 'geni-harness.test', type: 'sliver', name: 'a.b-c_d' });
  });
});

describe('isUrnOfType', () => {
  it('compares the type case-insensitively and only the type', () => {
    expect(isUrnOfType('urn:publicid:IDN+a.b+Slice+s', 'slice')).toBe(true);
    expect(isUrnOfType('urn:publicid:IDN+a.b+user+slice', 'slice')).toBe(false);
    expect(isUrnOfType('not a urn', 'slice')).toBe(false);
  });
});

describe('urnProblems', () => {
  it.each([
    'urn:publicid:IDN+geni:gpo:gcf+user+joe',
    'urn:publicid:IDN+geni-harness.test+slice+s-1',
    'urn:publicid:IDN+geni-harness.test+sliver+x_1.2',
    'urn:publicid:IDN+geni-harness.test+node+pc%2F1',
    'urn:publicid:IDN+geni-harness.test+authority+am',
  ])('accepts %s', (urn) => {
    expect(urnProblems(urn)).toEqual([]);
  });

  it.each([
    ['urn:publicid:IDN+a.b+slice+with space', /whitespace/],
    ['urn:publicid:IDN+a.b+node+pc/1', /percent-encodes/],
    ['urn:publicid:IDN+a.b+node+50%off', /%XX/],
    ['urn:publicid:IDN+a.b+slice', /name part is missing/],
    ['urn:publicid:IDN++slice+s', /authority part is empty/],
    ['urn:publicid:IDN+a::b+slice+s', /empty sub-authority/],
    ['urn:publicid:IDN+a$b+slice+s', /authority segment "a\$b"/],
    ['urn:publicid:IDN+a.b+gadget+s', /type "gadget" is not one of the GENI URN types/],
    ['urn:publicid:IDN+a.b+slice+-lead', /slice name "-lead"/],
    ['urn:publicid:IDN+a.b+slice+under_score', /slice name "under_score"/],
    ['urn:publicid:IDN+a.b+slice+abcdefghij0123456789', /slice name/],
    ['urn:publicid:IDN+a.b+sliver+bad!name', /sliver name/],
    ['urn:publicid:IDN+a.b', /authority part|type part/],
    ['http://example.com', /must begin with "urn:publicid:IDN\+"/],
  ])('reports %s', (urn, message) => {
    const problems = urnProblems(urn);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toMatch(message);
  });

  it('reports a type mismatch naming both types', () => {
    expect(urnProblems('urn:publicid:IDN+a.b+user+joe', 'slice')).toEqual(['type is "user", expected "slice"']);
    expect(urnProblems('urn:publicid:IDN+a.b+SLICE+s1', 'slice')).toEqual([]);
  });
});

describe('slice and sliver names', () => {
  it('allows 19 characters and refuses 20', () => {
    expect(isValidSliceName('a'.repeat(19))).toBe(true);
    expect(isValidSliceName('a'.repeat(20))).toBe(false);
  });

  it.each([
    ['s', true],
    ['1slice', true],
    ['my-slice', true],
    ['-slice', false],
    ['my_slice', false],
    ['my.slice', false],
    ['', false],
  ])('slice name %j valid: %s', (name, valid) => {
    expect(isValidSliceName(name)).toBe(valid);
    expect(SLICE_NAME_PATTERN.test(name)).toBe(valid);
  });

  it('sliver names take letters, digits, ".", "-" and "_" only', () => {
    expect(SLIVER_NAME_PATTERN.test('node-1.sliver_2')).toBe(true);
    expect(SLIVER_NAME_PATTERN.test('node 1')).toBe(false);
    expect(SLIVER_NAME_PATTERN.test('')).toBe(false);
  });
});
