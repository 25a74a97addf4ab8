import { describe, expect, it } from 'vitest';
import { clientAnswer, dynslice, pgAnswer } from '../../src/checks';
import type { PgResponse } from '../../src/dynslice';
import type { CheckContext } from '../../src/core';
import type { WireType, XmlRpcValue } from '../../src/xmlrpc';

const ctx: CheckContext = { spec: 'dynslice/server#GetVersion', strict: false };

function pg(raw: XmlRpcValue, wire: Record<string, WireType> = {}): PgResponse {
  const res: PgResponse = { exchangeId: 'x1', method: 'M', raw, wireTypes: new Map(Object.entries(wire)) };
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw) && 'code' in raw) {
    const s = raw as Record<string, XmlRpcValue>;
    res.envelope = { code: s.code!, ...(typeof s.code === 'number' ? { codeNumber: s.code } : {}), value: s.value, output: s.output };
  }
  return res;
}

describe('pgAnswer', () => {
  it('shape accepts {code, value, output} and names what is wrong otherwise', () => {
    expect(pgAnswer.shape()(pg({ code: 0, value: 1, output: '' }), ctx)).toEqual([]);
    expect(pgAnswer.shape()(pg('1.0'), ctx)).toEqual([{
      check: 'pg-envelope', title: 'Answer is not the response struct', expected: ['{code: int, value, output: string}'],
      actual: 'string "1.0"', spec: 'dynslice/server#GetVersion', exchangeIds: ['x1'],
    }]);
    expect(pgAnswer.shape()(pg({ code: { geni_code: 0 }, value: 1 }), ctx).map((f) => f.title)).toEqual(['code is not an integer']);
    expect(pgAnswer.shape()(pg({ code: 1, value: 0 }), ctx).map((f) => f.title)).toEqual(['Error answer has no output string']);
    const fault: PgResponse = { exchangeId: 'x2', method: 'M', fault: { faultCode: -32603, faultString: 'TypeError' } };
    expect(pgAnswer.shape()(fault, ctx)[0]).toMatchObject({ title: 'Answered with an XML-RPC Fault instead of the response struct', actual: 'XML-RPC Fault -32603: "TypeError"' });
  });

  it('answered flags a dropped connection', () => {
    const dropped: PgResponse = { exchangeId: 'x3', method: 'M', failure: { phase: 'transport', message: 'socket hang up' } };
    expect(pgAnswer.answered()(dropped, ctx)).toMatchObject([{ check: 'client-answers', actual: 'no XML-RPC answer (transport): "socket hang up"' }]);
    expect(pgAnswer.answered()(pg({ code: 1, value: 0, output: 'bad' }), ctx)).toEqual([]);
  });

  it('refusal accepts any non-zero code or a Fault, and prefers the named code only under --strict', () => {
    expect(pgAnswer.refusal('BADARGS')(pg({ code: 1, value: 0, output: 'x' }), ctx)).toEqual([]);
    expect(pgAnswer.refusal('BADARGS')(pg({ code: 3, value: 0, output: 'x' }), ctx)).toMatchObject([{ grade: 'strict-only', actual: 'code FORBIDDEN (3); output="x"' }]);
    expect(pgAnswer.refusal()(pg({ code: 0, value: 0, output: '' }), ctx)).toMatchObject([{ check: 'pg-code', title: 'Call that must be refused succeeded' }]);
    expect(pgAnswer.refusal()({ exchangeId: 'x', method: 'M', fault: { faultCode: 1, faultString: 'no' } }, ctx)).toEqual([]);
  });

  it('is / success demand the exact code', () => {
    expect(pgAnswer.success()(pg({ code: 0, value: 0, output: '' }), ctx)).toEqual([]);
    expect(pgAnswer.success()(pg({ code: 12, value: 0, output: 'no such node' }), ctx)).toMatchObject([{ expected: ['SUCCESS (0)'], actual: 'code SEARCHFAILED (12); output="no such node"' }]);
  });
});

describe('dynslice server checks', () => {
  it('versionInteger wants an XML-RPC int', () => {
    expect(dynslice.versionInteger()(pg({ code: 0, value: 1, output: '' }, { value: 'int' }), ctx)).toEqual([]);
    expect(dynslice.versionInteger()(pg({ code: 0, value: { version: 1 }, output: '' }, { value: 'struct' }), ctx)).toEqual([{
      check: 'dynslice-version', title: 'GetVersion value is not an integer', expected: ['an XML-RPC int (the dynslice API version)'],
      actual: 'struct {"version":1}', path: 'value', spec: 'dynslice/server#GetVersion', exchangeIds: ['x1'],
    }]);
    expect(dynslice.versionInteger()(pg({ code: 0, value: 1, output: '' }, { value: 'double' }), ctx)).toHaveLength(1);
  });

  it('serverDefaults wants maxwaittime ≥ 0 and a policy name', () => {
    expect(dynslice.serverDefaults()(pg({ code: 0, value: { maxwaittime: 600, policy: 'LIFO' }, output: '' }), ctx)).toEqual([]);
    expect(dynslice.serverDefaults()(pg({ code: 0, value: { maxwaittime: -1 }, output: '' }), ctx).map((f) => f.path)).toEqual(['value.maxwaittime', 'value.policy']);
  });

  it('policyList and listsPagePolicies judge the (name, description) pairs', () => {
    const good = pg({ code: 0, value: [['CLIENT', 'c'], ['LIFO', 'l']], output: '' });
    expect([...dynslice.policyList()(good, ctx), ...dynslice.listsPagePolicies()(good, ctx)]).toEqual([]);
    const bad = pg({ code: 0, value: [['LIFO', 'l'], ['LIFO'], 'CLIENT'], output: '' });
    expect(dynslice.policyList()(bad, ctx).map((f) => f.title)).toEqual([
      'Policy entry is not a (name, description) pair', 'Policy entry is not a (name, description) pair', 'Policy names are not unique',
    ]);
    expect(dynslice.listsPagePolicies()(bad, ctx)).toMatchObject([{ actual: 'listed: ["LIFO","LIFO"]' }]);
    expect(dynslice.defaultPolicyListed(['CLIENT'])(pg({ code: 0, value: { policy: 'LIFO' }, output: '' }), ctx)).toHaveLength(1);
  });

  it('identifierPrecedence: the first key present decides between success and refusal', () => {
    const ok = pg({ code: 0, value: 0, output: '' });
    const refused = pg({ code: 12, value: 0, output: 'not a member' });
    expect(dynslice.identifierPrecedence({ node_id: 'member', client_id: 'stranger' })(ok, ctx)).toEqual([]);
    expect(dynslice.identifierPrecedence({ node_id: 'stranger', client_id: 'member' })(refused, ctx)).toEqual([]);
    expect(dynslice.identifierPrecedence({ node_id: 'stranger', client_id: 'member' })(ok, ctx)).toEqual([{
      check: 'dynslice-identifier-precedence', title: 'Node identifiers not checked in the documented order',
      expected: ['a refusal: node_id names no member node and decides (node_id=stranger, client_id=member)'],
      actual: 'code SUCCESS (0)', path: 'values[0].node_id', spec: 'dynslice/server#GetVersion', exchangeIds: ['x1'],
    }]);
    expect(dynslice.identifierPrecedence({ vname: 'member', component_urn: 'stranger' })(refused, ctx)).toHaveLength(1);
  });
});

describe('clientAnswer.pendingAnswer', () => {
  const sent = [{ node_id: 'pc1', client_id: 'a', max_wait_time: 30 }, { node_id: 'pc2', client_id: 'b', max_wait_time: 30 }];

  it('accepts plain SUCCESS and the same list with max_wait_time 0 on released nodes', () => {
    expect(clientAnswer.pendingAnswer(sent)(pg({ code: 0, value: 0, output: '' }), ctx)).toEqual([]);
    expect(clientAnswer.pendingAnswer(sent)(pg({ code: 0, value: [sent[0]!, { ...sent[1]!, max_wait_time: 0 }], output: '' }), ctx)).toEqual([]);
  });

  it('flags a changed list: other waits, dropped keys, -1, a different length', () => {
    const check = clientAnswer.pendingAnswer(sent);
    expect(check(pg({ code: 0, value: [{ ...sent[0]!, max_wait_time: 29 }, sent[1]!], output: '' }), ctx)).toMatchObject([
      { check: 'client-release-answer', title: 'max_wait_time in the answer is neither the value sent nor 0', path: 'value[0].max_wait_time', actual: '29' },
    ]);
    expect(check(pg({ code: 0, value: [{ node_id: 'pc1', max_wait_time: 0 }, sent[1]!], output: '' }), ctx)).toMatchObject([
      { title: 'Answer entry differs from the entry sent', path: 'value[0]' },
    ]);
    expect(check(pg({ code: 0, value: [{ ...sent[0]!, max_wait_time: -1 }, sent[1]!], output: '' }), ctx)).toHaveLength(1);
    expect(check(pg({ code: 0, value: [sent[0]!], output: '' }), ctx)).toMatchObject([{ title: 'Answer list is not the list the server sent' }]);
  });
});
