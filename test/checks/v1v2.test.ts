import { describe, expect, it } from 'vitest';
import { v1 } from '../../src/checks/v1';
import { overallStatusOf, v2 } from '../../src/checks/v2';
import { valueMatches } from '../../src/checks';
import { serializeRequest } from '../../src/rspec';
import { answer, ctx, fault, struct } from './answers';

const v1Ctx = { spec: 'am1#ListResources', strict: false };

const V1_VERSION = {
  geni_api: 1,
  request_rspec_versions: [{ type: 'GENI', version: '3', extensions: [] }],
  ad_rspec_versions: [{ type: 'GENI', version: '3', extensions: [] }, { type: 'ProtoGENI', version: '2', extensions: [] }],
  default_ad_rspec: { type: 'geni', version: '3' },
};

const status = (overall: string, resources: string[]) => ({
  geni_urn: 'urn:publicid:IDN+example.net+slice+s1',
  geni_status: overall,
  geni_resources: resources.map((s, i) => ({ geni_urn: `urn:publicid:IDN+example.net+sliver+r${i}`, geni_status: s, geni_error: '' })),
});

describe('v1.returns', () => {
  it('passes a plain value of the expected kind', () => {
    expect(v1.returns('string')(answer('<rspec/>'), v1Ctx)).toEqual([]);
    expect(v1.returns('struct')(answer(V1_VERSION), v1Ctx)).toEqual([]);
    expect(v1.returns('boolean')(answer(true), v1Ctx)).toEqual([]);
  });
  it('flags the v2/v3 return struct on a v1 endpoint', () => {
    expect(v1.returns('string')(struct(0, '<rspec/>', ''), v1Ctx)).toEqual([{
      check: 'v1-return', title: 'v1 call answered with the v2/v3 return struct', expected: ['a plain XML-RPC string'],
      actual: expect.stringContaining('geni_code'), spec: 'am1#ListResources', exchangeIds: ['x1'],
    }]);
  });
  it('flags a Fault, false and a value of the wrong type', () => {
    expect(v1.returns('string')(fault(2, 'no'), v1Ctx)).toEqual([expect.objectContaining({ title: 'Call failed' })]);
    expect(v1.returns('string')(answer(false), v1Ctx)).toEqual([expect.objectContaining({ title: 'Call failed', actual: 'false' })]);
    expect(v1.returns('string')(answer(7), v1Ctx)).toEqual([expect.objectContaining({ title: 'v1 return has the wrong type' })]);
    expect(v1.returnsTrue()(answer(false), v1Ctx)).toEqual([expect.objectContaining({ title: 'Call failed', expected: ['true'] })]);
  });
});

describe('v1.succeeded', () => {
  it('accepts any plain value and flags failures and the return struct', () => {
    expect(v1.succeeded()(answer(true), v1Ctx)).toEqual([]);
    expect(v1.succeeded()(answer({ geni_status: 'ready' }), v1Ctx)).toEqual([]);
    expect(v1.succeeded()(answer(false), v1Ctx)).toEqual([expect.objectContaining({ title: 'Call failed' })]);
    expect(v1.succeeded()(struct(0, true, ''), v1Ctx)).toEqual([expect.objectContaining({ title: 'v1 call answered with the v2/v3 return struct' })]);
  });
});

describe('v1.refused', () => {
  it('accepts a Fault or false', () => {
    expect(v1.refused()(fault(102, 'Insufficient privileges'), v1Ctx)).toEqual([]);
    expect(v1.refused()(answer(false), v1Ctx)).toEqual([]);
  });
  it('flags an error sent as the return struct', () => {
    expect(v1.refused()(struct(3, undefined, 'forbidden'), v1Ctx)).toEqual([{
      check: 'v1-error', title: 'v1 error returned as a return struct instead of a Fault', expected: ['an XML-RPC Fault', 'the boolean false'],
      actual: expect.stringContaining('FORBIDDEN (3)'), spec: 'am1#Errors', exchangeIds: ['x1'],
    }]);
  });
  it('flags a success', () => {
    expect(v1.refused()(answer('<rspec type="advertisement"/>'), v1Ctx)).toEqual([expect.objectContaining({
      check: 'v1-error', title: 'Request that must be refused succeeded', actual: expect.stringContaining('string'),
    })]);
  });
});

describe('v1 GetVersion checks', () => {
  it('default_ad_rspec among the ad versions, case-insensitively', () => {
    expect(v1.defaultAdAdvertised()(answer(V1_VERSION), v1Ctx)).toEqual([]);
    expect(v1.defaultAdAdvertised()(answer({ ...V1_VERSION, default_ad_rspec: { type: 'SFA', version: '1' } }), v1Ctx)).toEqual([{
      check: 'v1-getversion', title: 'default_ad_rspec is not among the ad RSpec versions', expected: [expect.stringContaining('GENI 3')],
      actual: expect.stringContaining('SFA'), path: 'default_ad_rspec', spec: 'am1#ListResources', exchangeIds: ['x1'],
    }]);
  });
  it('advertisesRSpec reads the unprefixed change set A lists', () => {
    expect(v1.advertisesRSpec('ad', [{ type: 'geni', version: '3' }])(answer(V1_VERSION), v1Ctx)).toEqual([]);
    expect(v1.advertisesRSpec('request', [{ type: 'ProtoGENI', version: '2' }])(answer(V1_VERSION), v1Ctx)).toHaveLength(1);
    expect(v1.advertisesRSpec('request', [{ type: 'ProtoGENI', version: '2' }, { type: 'GENI', version: '3' }])(answer(V1_VERSION), v1Ctx)).toEqual([]);
  });
  it('the v1 GetVersion schema wants default_ad_rspec and geni_api 1', () => {
    expect(valueMatches('v1/getversion-value', '')(answer(V1_VERSION), v1Ctx)).toEqual([]);
    const { default_ad_rspec: _dropped, ...noDefault } = V1_VERSION;
    expect(valueMatches('v1/getversion-value', '')(answer({ ...noDefault, geni_api: 2 }), v1Ctx).map((f) => f.path).sort()).toEqual(['default_ad_rspec', 'geni_api']);
  });
});

describe('valueMatches on v2 schemas', () => {
  it('checks the v2 GetVersion value and the SliverStatus struct', () => {
    const value = {
      geni_api: 2, geni_api_versions: { '2': 'https://am.example.net/am/2' },
      geni_request_rspec_versions: [{ type: 'GENI', version: '3', extensions: [] }], geni_ad_rspec_versions: [{ type: 'GENI', version: '3', extensions: [] }],
    };
    expect(valueMatches('v2/getversion-value')(struct(0, value), ctx)).toEqual([]);
    expect(valueMatches('v2/getversion-value')(struct(0, { ...value, geni_api: 3 }), ctx)).toEqual([
      expect.objectContaining({ check: 'json-schema', title: 'Value does not match the documented structure', path: 'value.geni_api', actual: '3' }),
    ]);
    expect(valueMatches('v2/sliver-status')(struct(0, status('ready', ['ready'])), ctx)).toEqual([]);
    expect(valueMatches('v2/sliver-status')(struct(0, status('booting', ['ready'])), ctx)).toEqual([
      expect.objectContaining({ path: 'value.geni_status', actual: expect.stringContaining('booting') }),
    ]);
  });
  it('an absent value is one finding', () => {
    expect(valueMatches('v2/sliver-status')(struct(12, undefined, 'none'), ctx)).toEqual([expect.objectContaining({ actual: 'member absent', path: 'value' })]);
  });
});

describe('SliverStatus precedence', () => {
  it('failed > configuring > all ready > unknown', () => {
    expect(overallStatusOf(['ready', 'failed', 'configuring'])).toBe('failed');
    expect(overallStatusOf(['ready', 'configuring'])).toBe('configuring');
    expect(overallStatusOf(['ready', 'ready'])).toBe('ready');
    expect(overallStatusOf(['ready', 'unknown'])).toBe('unknown');
    expect(overallStatusOf([])).toBe('unknown');
  });
  it('flags an optimistic overall status', () => {
    expect(v2.statusPrecedence()(struct(0, status('configuring', ['ready', 'configuring'])), ctx)).toEqual([]);
    expect(v2.statusPrecedence()(struct(0, status('ready', ['ready', 'configuring'])), ctx)).toEqual([{
      check: 'sliver-status', title: 'Overall geni_status does not follow the resource precedence',
      expected: [expect.stringContaining('configuring')], actual: expect.stringContaining('ready'), path: 'value.geni_status', spec: 'am2#SliverStatus', exchangeIds: ['x1'],
    }]);
    expect(v2.statusPrecedence('')(answer(status('ready', ['failed'])), ctx)).toEqual([expect.objectContaining({ path: 'geni_status' })]);
  });
  it('resourcesUnchangedSince compares resource URNs', () => {
    const before = struct(0, status('ready', ['ready', 'ready']));
    expect(v2.resourcesUnchangedSince(before)(struct(0, status('configuring', ['configuring', 'ready'])), ctx)).toEqual([]);
    expect(v2.resourcesUnchangedSince(before)(struct(0, status('ready', ['ready'])), ctx)).toEqual([
      expect.objectContaining({ title: 'Resources changed although the operation failed', exchangeIds: ['x1', 'x1'] }),
    ]);
  });
});

describe('manifest comparisons for UpdateSliver', () => {
  const node = (clientId: string, componentId?: string) => ({ clientId, componentId, exclusive: false, sliverType: { name: 'default-vm' }, interfaces: [] });
  const request = (...nodes: ReturnType<typeof node>[]) => serializeRequest({ type: 'request', nodes, links: [] });
  // A manifest is read the same way as a request (top-level node and link elements), which keeps the test small.
  const a = request(node('a', 'urn:publicid:IDN+example.net+node+h1'), node('b'));

  it('passes exactly the requested end state', () => {
    expect(v2.manifestMatchesRequest(a)(struct(0, a), ctx)).toEqual([]);
  });
  it('flags missing, leftover and misplaced resources', () => {
    const got = request(node('a', 'urn:publicid:IDN+example.net+node+h2'), node('c'));
    const [f] = v2.manifestMatchesRequest(a)(struct(0, got), ctx);
    expect(f).toMatchObject({ check: 'manifest-client-ids', title: 'Manifest does not describe the requested end state', path: 'value', spec: 'am2/draft#UpdateSliver' });
    expect(f?.actual).toContain('missing b');
    expect(f?.actual).toContain('not requested c');
    expect(f?.actual).toContain('a on urn:publicid:IDN+example.net+node+h2 instead of urn:publicid:IDN+example.net+node+h1');
  });
  it('manifestUnchangedSince compares with an earlier manifest', () => {
    expect(v2.manifestUnchangedSince(struct(0, a))(struct(0, a), ctx)).toEqual([]);
    expect(v2.manifestUnchangedSince(struct(0, a))(struct(0, request(node('a', 'urn:publicid:IDN+example.net+node+h1'))), ctx)).toEqual([
      expect.objectContaining({ title: 'Slice changed although the operation failed' }),
    ]);
  });
  it('a missing manifest is one finding', () => {
    expect(v2.manifestMatchesRequest(a)(struct(12, undefined, 'no'), ctx)).toEqual([expect.objectContaining({ title: 'Manifest missing or not XML' })]);
  });
});
