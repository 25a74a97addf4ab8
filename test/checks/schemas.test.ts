import { describe, expect, it } from 'vitest';
import { compileAllSchemas, SCHEMA_IDS, valueMatches } from '../../src/checks';
import { GOOD_VERSION, answer, ctx, fault, struct, typed } from './answers';

const URN = 'urn:publicid:IDN+am.example.net+sliver+s1';
const SLICE = 'urn:publicid:IDN+ch.example.net:proj+slice+demo';

describe('JSON schemas', () => {
  it('all compile under ajv strict mode', () => expect(compileAllSchemas().sort()).toEqual([...SCHEMA_IDS].sort()));

  it('envelope: value on success, output on error', () => {
    const check = valueMatches('v3/envelope', '');
    expect(check(struct(0, 1), ctx)).toEqual([]);
    expect(check(struct(1, undefined, 'x'), ctx)).toEqual([]);
    expect(check(struct(1), ctx)).toEqual([expect.objectContaining({ path: 'output', expected: ['member output present'], actual: 'member absent' })]);
  });

  it('getversion-value: good passes; each defect is one finding at its path', () => {
    expect(valueMatches('v3/getversion-value')(struct(0, GOOD_VERSION), ctx)).toEqual([]);
    const { geni_credential_types: _omit, ...noCreds } = GOOD_VERSION;
    expect(valueMatches('v3/getversion-value')(struct(0, noCreds), ctx)).toEqual([{
      check: 'json-schema', title: 'Value does not match the documented structure', expected: ['member geni_credential_types present'],
      actual: 'member absent', path: 'value.geni_credential_types', spec: 'am3#GetVersion', exchangeIds: ['x1'], hint: 'schema v3/getversion-value#/required',
    }]);
    const stringApi = answer({ code: { geni_code: 0 }, value: { ...GOOD_VERSION, geni_api: typed('string', '3') } });
    expect(valueMatches('v3/getversion-value')(stringApi, ctx).map((f) => [f.path, f.actual])).toContainEqual(['value.geni_api', '"3"']);
    const badVersion = struct(0, { ...GOOD_VERSION, geni_ad_rspec_versions: [{ type: 'GENI', version: '3' }] });
    expect(valueMatches('v3/getversion-value')(badVersion, ctx).map((f) => f.path).sort()).toEqual([
      'value.geni_ad_rspec_versions[0].extensions', 'value.geni_ad_rspec_versions[0].namespace', 'value.geni_ad_rspec_versions[0].schema',
    ]);
    const badAllocate = struct(0, { ...GOOD_VERSION, geni_allocate: 'geni_some' });
    expect(valueMatches('v3/getversion-value')(badAllocate, ctx)[0]).toMatchObject({
      path: 'value.geni_allocate', expected: ['"geni_single"', '"geni_disjoint"', '"geni_many"'], actual: '"geni_some"',
    });
  });

  it('status-value demands geni_error on every sliver', () => {
    const sliver = { geni_sliver_urn: URN, geni_allocation_status: 'geni_allocated', geni_operational_status: 'geni_pending_allocation', geni_expires: '2030-01-01T00:00:00Z' };
    expect(valueMatches('v3/status-value')(struct(0, { geni_urn: SLICE, geni_slivers: [{ ...sliver, geni_error: '' }] }), ctx)).toEqual([]);
    expect(valueMatches('v3/status-value')(struct(0, { geni_urn: SLICE, geni_slivers: [sliver] }), ctx)[0]?.path).toBe('value.geni_slivers[0].geni_error');
  });

  it('delete-value: a deleted sliver is unallocated unless it carries geni_error', () => {
    const gone = { geni_sliver_urn: URN, geni_allocation_status: 'geni_unallocated', geni_expires: '2030-01-01T00:00:00Z' };
    expect(valueMatches('v3/delete-value')(struct(0, [gone]), ctx)).toEqual([]);
    expect(valueMatches('v3/delete-value')(struct(0, [{ ...gone, geni_allocation_status: 'geni_allocated', geni_error: 'busy' }]), ctx)).toEqual([]);
    expect(valueMatches('v3/delete-value')(struct(0, [{ ...gone, geni_allocation_status: 'geni_allocated' }]), ctx)[0]?.path).toBe('value[0].geni_allocation_status');
  });

  it('the other value schemas accept a typical value', () => {
    const sl = { geni_sliver_urn: URN, geni_expires: '2030-01-01T00:00:00Z', geni_allocation_status: 'geni_allocated', geni_operational_status: 'geni_pending_allocation' };
    expect(valueMatches('v3/allocate-value')(struct(0, { geni_rspec: '<rspec/>', geni_slivers: [sl] }), ctx)).toEqual([]);
    expect(valueMatches('v3/provision-value')(struct(0, { geni_rspec: '<rspec/>', geni_slivers: [sl] }), ctx)).toEqual([]);
    expect(valueMatches('v3/describe-value')(struct(0, { geni_rspec: '<rspec/>', geni_urn: SLICE, geni_slivers: [] }), ctx)).toEqual([]);
    expect(valueMatches('v3/sliver-list')(struct(0, [sl]), ctx)).toEqual([]);
  });

  it('an absent value is one finding', () => {
    expect(valueMatches('v3/status-value')(fault(1, 'x'), ctx)).toEqual([expect.objectContaining({ actual: 'XML-RPC Fault (no value)', path: 'value' })]);
  });
});
