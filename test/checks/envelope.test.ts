import { describe, expect, it } from 'vitest';
import { envelope } from '../../src/checks';
import { answer, ctx, fault, struct, typed } from './answers';

const titles = (fs: Array<{ title: string }>) => fs.map((f) => f.title);

describe('envelope.shape', () => {
  const check = envelope.shape();
  it('passes a success with value and an error with output', () => {
    expect(check(struct(0, { a: 1 }), ctx)).toEqual([]);
    expect(check(struct(1, undefined, 'bad'), ctx)).toEqual([]);
    expect(check(answer({ code: { geni_code: 0, am_type: 'gcf', am_code: 0 }, value: 'x', output: '' }), ctx)).toEqual([]);
  });
  it('flags the draft shape with a bare integer code and option', () => {
    expect(check(answer({ code: 0, value: 'x', option: '' }), ctx)).toEqual([{
      check: 'envelope', title: 'Return struct uses the draft shape (code is a bare integer)',
      expected: ['{code: {geni_code: int, am_type?: string, am_code?: int}, value, output: string}'],
      actual: 'code=0 with an option member (draft shape)', path: 'code', spec: 'am3/common#ReturnStruct', exchangeIds: ['x1'],
    }]);
  });
  it('flags a geni_code sent as a string or double', () => {
    expect(titles(check(answer({ code: { geni_code: typed('string', '0') }, value: 1 }), ctx))).toContain('code.geni_code is not an integer');
    const [f] = check(answer({ code: { geni_code: typed('double', '0') }, value: 1 }), ctx);
    expect(f).toMatchObject({ path: 'code.geni_code', actual: 'double 0' });
  });
  it('flags an error without output', () => {
    expect(check(struct(2), ctx)).toEqual([expect.objectContaining({ title: 'Error return has no output string', path: 'output', actual: 'member absent' })]);
  });
  it('flags a success without value', () => {
    expect(titles(check(struct(0), ctx))).toEqual(['Successful return has no value']);
  });
  it('flags bad am_type and am_code', () => {
    expect(titles(check(answer({ code: { geni_code: 0, am_type: 5, am_code: 'x' }, value: 1 }), ctx)))
      .toEqual(['code.am_type is not a string', 'code.am_code is not an integer']);
  });
  it('treats nil output on success as strict-only', () => {
    const [f] = check(answer({ code: { geni_code: 0 }, value: 1, output: null }), ctx);
    expect(f).toMatchObject({ title: 'output is not a string', grade: 'strict-only' });
  });
  it('flags an output sent as a dateTime.iso8601 (gcf am2 RenewSliver), which reads as text once converted', () => {
    const [f] = check(answer({ code: { geni_code: 0 }, value: true, output: new Date('2026-12-01T10:00:00Z') }), ctx);
    expect(f).toMatchObject({ title: 'output is not a string', path: 'output', actual: expect.stringMatching(/^dateTime\.iso8601/) });
    expect(f!.grade).toBeUndefined();
  });
  it('rejects a non-struct return and a fault', () => {
    expect(titles(check(answer('just a string'), ctx))).toEqual(['Return is not the return struct']);
    expect(titles(check(fault(1, 'x'), ctx))).toEqual(['Answered with an XML-RPC Fault instead of the return struct']);
  });
});

describe('envelope.notFault / isFault / neverSuccess', () => {
  it('notFault', () => {
    expect(envelope.notFault()(struct(0, 1), ctx)).toEqual([]);
    expect(envelope.notFault()(fault(1, 'x'), ctx)[0]).toMatchObject({ check: 'xmlrpc-fault', actual: 'XML-RPC Fault 1: "x"' });
  });
  it('isFault', () => {
    expect(envelope.isFault()(fault(-32601, 'no such method'), ctx)).toEqual([]);
    expect(envelope.isFault()(struct(13, undefined, 'x'), ctx)[0]?.title).toBe('Expected an XML-RPC Fault');
  });
  it('neverSuccess', () => {
    expect(envelope.neverSuccess()(fault(1, 'x'), ctx)).toEqual([]);
    expect(envelope.neverSuccess()(struct(1, undefined, 'x'), ctx)).toEqual([]);
    expect(envelope.neverSuccess()(struct(0, 1), ctx)).toHaveLength(1);
  });
});
