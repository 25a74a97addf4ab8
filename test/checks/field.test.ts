import { describe, expect, it } from 'vitest';
import { field, getVersion, resolvePath } from '../../src/checks';
import { GOOD_VERSION, answer, ctx, fault, struct, typed } from './answers';
import type { XmlRpcValue } from '../../src/xmlrpc';

const good = answer({ geni_api: 3, code: { geni_code: 0 }, value: GOOD_VERSION });

describe('resolvePath', () => {
  const raw: XmlRpcValue = { value: { list: [{ a: 1 }, { a: 2 }, {}], map: { x: 'u', y: 'v' } } };
  it('expands [*] and .* and names missing members', () => {
    expect(resolvePath(raw, 'value.list[*].a')).toEqual([
      { path: 'value.list[0].a', present: true, value: 1 },
      { path: 'value.list[1].a', present: true, value: 2 },
      { path: 'value.list[2].a', present: false },
    ]);
    expect(resolvePath(raw, 'value.map.*').map((r) => r.path)).toEqual(['value.map.x', 'value.map.y']);
    expect(resolvePath(raw, 'value.nope.deeper')).toEqual([{ path: 'value.nope.deeper', present: false }]);
    expect(resolvePath(raw, 'value.list[1].a')).toEqual([{ path: 'value.list[1].a', present: true, value: 2 }]);
  });
});

describe('field', () => {
  it('equals', () => {
    expect(field('value.geni_api').equals(3)(good, ctx)).toEqual([]);
    expect(field('value.geni_api').equals(2)(good, ctx)).toEqual([{
      check: 'field', title: 'Unexpected value', expected: ['2'], actual: '3', path: 'value.geni_api', spec: 'am3#GetVersion', exchangeIds: ['x1'],
    }]);
  });
  it('present / absent / ifPresent', () => {
    expect(field('value.geni_api_versions').present()(good, ctx)).toEqual([]);
    expect(field('value.nothing').present()(good, ctx)[0]).toMatchObject({ check: 'field-missing', title: 'Required member is missing', actual: 'member absent', path: 'value.nothing' });
    expect(field('value.geni_api').absent()(good, ctx)[0]).toMatchObject({ title: 'Member must be absent', actual: '3' });
    expect(field('value.nothing').ifPresent().oneOf(['a'])(good, ctx)).toEqual([]);
    expect(field('value.x').present()(fault(1, 'x'), ctx)[0]?.actual).toBe('XML-RPC Fault (no value)');
  });
  it('wireType tells int from string on the wire', () => {
    expect(field('geni_api').wireType('int', 'i4')(good, ctx)).toEqual([]);
    const bad = answer({ geni_api: typed('string', '3'), code: { geni_code: 0 }, value: { geni_api: typed('boolean', '1') } });
    expect(field('geni_api').wireType('int', 'i4')(bad, ctx)).toEqual([{
      check: 'field', title: 'Value sent with the wrong XML-RPC type', expected: ['XML-RPC int', 'XML-RPC i4'], actual: 'string "3"',
      path: 'geni_api', spec: 'am3#GetVersion', exchangeIds: ['x1'],
    }]);
    expect(field('value.geni_api').wireType('int')(bad, ctx)[0]?.actual).toBe('boolean true');
  });
  it('oneOf, matches, kind, nonEmpty, satisfies', () => {
    expect(field('value.geni_allocate').oneOf(['geni_single', 'geni_many'])(good, ctx)).toEqual([]);
    expect(field('value.geni_allocate').oneOf(['geni_single'])(good, ctx)[0]?.expected).toEqual(['"geni_single"']);
    expect(field('value.geni_api_versions.*').matches(/^https:/, 'an https URL')(good, ctx)).toEqual([]);
    expect(field('value.geni_request_rspec_versions[*].type').matches(/^x/, 'x…')(good, ctx)[0]).toMatchObject({
      path: 'value.geni_request_rspec_versions[0].type', expected: ['x…'], actual: '"GENI"',
    });
    expect(field('value.geni_single_allocation').kind('boolean')(good, ctx)).toEqual([]);
    expect(field('value.geni_api').kind('string')(good, ctx)[0]?.actual).toBe('int 3');
    expect(field('value.geni_request_rspec_versions[0].extensions').nonEmpty()(good, ctx)[0]?.title).toBe('Value is empty');
    expect(field('value.geni_api').satisfies((v) => v === 3, 'three')(good, ctx)).toEqual([]);
    expect(field('value.geni_api').satisfies((v) => v === 4, 'four')(good, ctx)[0]).toMatchObject({ expected: ['four'], actual: '3' });
  });
});

describe('getVersion predicates', () => {
  it('advertisesRSpec compares case-insensitively', () => {
    expect(getVersion.advertisesRSpec('request', [{ type: 'geni', version: '3' }])(good, ctx)).toEqual([]);
    expect(getVersion.advertisesRSpec('ad', [{ type: 'ProtoGENI', version: '2' }])(good, ctx)[0]).toMatchObject({
      path: 'value.geni_ad_rspec_versions', expected: ['an entry with type ProtoGENI and version 2 (case-insensitive)'],
    });
    // Any one of the alternatives will do (GENI 3 under either of its names).
    expect(getVersion.advertisesRSpec('ad', [{ type: 'ProtoGENI', version: '2' }, { type: 'GENI', version: '3' }])(good, ctx)).toEqual([]);
  });
  it('acceptsCredentialType and listsApiVersion', () => {
    expect(getVersion.acceptsCredentialType('geni_sfa', ['2', '3'])(good, ctx)).toEqual([]);
    expect(getVersion.acceptsCredentialType('geni_abac', ['1'])(good, ctx)).toHaveLength(1);
    expect(getVersion.listsApiVersion('3')(good, ctx)).toEqual([]);
    expect(getVersion.listsApiVersion('2')(struct(0, { geni_api_versions: {} }), ctx)).toHaveLength(1);
  });
});

describe('either', () => {
  it('passes when one alternative passes and lists every alternative otherwise', async () => {
    const { either, geniCode, field: f } = await import('../../src/checks');
    const check = either(
      { outcome: 'refused', checks: [geniCode.refusal()] },
      { outcome: 'SUCCESS with geni_api 3', checks: [geniCode.success(), f('value.geni_api').equals(3)] },
    );
    expect(check(good, ctx)).toEqual([]);
    expect(check(struct(1, undefined, 'no'), ctx)).toEqual([]);
    const [finding] = check(struct(0, { geni_api: 2 }), ctx);
    expect(finding).toMatchObject({
      check: 'alternatives', title: 'None of the acceptable outcomes occurred', expected: ['refused', 'SUCCESS with geni_api 3'],
      actual: 'refused: Request that must be refused succeeded (geni_code SUCCESS (0)); SUCCESS with geni_api 3: Unexpected value (2)', exchangeIds: ['x1'],
    });
  });

  it('an alternative missed only by what the spec prefers is that outcome, strict-only (a warn, not a fail)', async () => {
    const { either, geniCode, field: f } = await import('../../src/checks');
    const check = either(
      { outcome: 'refused (SEARCHFAILED preferred)', checks: [geniCode.refusal('SEARCHFAILED')] },
      { outcome: 'SUCCESS with geni_api 3', checks: [geniCode.success(), f('value.geni_api').equals(3)] },
    );
    const found = check(struct(2, undefined, 'Insufficient privileges'), ctx);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ check: 'geni-code', grade: 'strict-only', expected: ['SEARCHFAILED (12)'] });
    expect(check(struct(12, undefined, 'no such slice'), ctx)).toEqual([]);
  });
});
