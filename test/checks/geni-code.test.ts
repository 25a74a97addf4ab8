import { describe, expect, it } from 'vitest';
import { geniCode } from '../../src/checks';
import { GENI_CODES, formatCode, geniCodeName } from '../../src/geni/error-codes';
import { answer, ctx, fault, struct } from './answers';

describe('error codes', () => {
  it('formats names and numbers the same way', () => {
    expect(formatCode('BADARGS')).toBe('BADARGS (1)');
    expect(formatCode(1)).toBe('BADARGS (1)');
    expect(formatCode(-32001)).toBe('SERVERBUSY (-32001)');
    expect(formatCode(102)).toBe('unregistered (102)');
  });
  it('has the 28 registered codes with unique numbers', () => {
    const numbers = Object.values(GENI_CODES);
    expect(numbers).toHaveLength(28);
    expect(new Set(numbers).size).toBe(28);
    expect(geniCodeName(26)).toBe('INSUFFICIENT_NODES');
  });
});

describe('geniCode.success', () => {
  it('passes on SUCCESS', () => expect(geniCode.success()(struct(0, 'ok'), ctx)).toEqual([]));
  it('reports another code with the output', () => {
    expect(geniCode.success()(struct(1, undefined, 'missing geni_rspec_version'), ctx)).toEqual([{
      check: 'geni-code', title: 'Unexpected geni_code', expected: ['SUCCESS (0)'],
      actual: 'geni_code BADARGS (1); output="missing geni_rspec_version"', path: 'code.geni_code', spec: 'am3#GetVersion', exchangeIds: ['x1'],
    }]);
  });
  it('reports a fault', () => {
    const [f] = geniCode.success()(fault(8002, 'boom'), ctx);
    expect(f?.actual).toBe('XML-RPC Fault 8002: "boom"');
  });
  it('reports a return with no integer geni_code', () => {
    const [f] = geniCode.success()(answer({ code: { geni_code: '0' }, value: 1 }), ctx);
    expect(f).toMatchObject({ title: 'Answer has no integer geni_code', actual: 'code={"geni_code":"0"}' });
  });
});

describe('geniCode.is', () => {
  it('accepts any listed code', () => expect(geniCode.is('BADARGS', 'BADVERSION')(struct(4, undefined, 'x'), ctx)).toEqual([]));
  it('lists every alternative', () => {
    const [f] = geniCode.is('BADARGS', 'BADVERSION')(struct(2, undefined, 'x'), ctx);
    expect(f?.expected).toEqual(['BADARGS (1)', 'BADVERSION (4)']);
  });
});

describe('geniCode.refusal', () => {
  const check = geniCode.refusal('CREDENTIAL_EXPIRED');
  it('passes on the preferred code', () => expect(check(struct(21, undefined, 'expired'), ctx)).toEqual([]));
  it('tolerates another refusal, but only leniently', () => {
    expect(check(struct(3, undefined, 'forbidden'), ctx)).toEqual([{
      check: 'geni-code', title: 'Refused with a different geni_code than the one the spec names', expected: ['CREDENTIAL_EXPIRED (21)'],
      actual: 'geni_code FORBIDDEN (3); output="forbidden"', path: 'code.geni_code', spec: 'am3#GetVersion', exchangeIds: ['x1'], grade: 'strict-only',
    }]);
  });
  it('fails a success with every acceptable alternative', () => {
    const [f] = check(struct(0, 'rspec'), ctx);
    expect(f).toMatchObject({ title: 'Request that must be refused succeeded', expected: ['CREDENTIAL_EXPIRED (21)', 'another non-zero geni_code (tolerated unless --strict)'] });
    expect(f?.grade).toBeUndefined();
  });
  it('counts a fault as a refusal but reports it as the wrong channel', () => {
    expect(check(fault(3, 'no'), ctx)).toEqual([{
      check: 'error-as-fault', title: 'Application error returned as an XML-RPC Fault', expected: ['the return struct with a non-zero geni_code'],
      actual: 'XML-RPC Fault 3: "no"', spec: 'am3/common#Faults', exchangeIds: ['x1'],
    }]);
  });
  it('with no preferred code accepts any refusal', () => expect(geniCode.refusal()(struct(7, undefined, 'no'), ctx)).toEqual([]));
});
