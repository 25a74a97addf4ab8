import { describe, expect, it } from 'vitest';
import { sm, type ForwardedCall, type PeerRef } from '../../src/checks';
import type { XmlRpcValue } from '../../src/xmlrpc';
import { answer, struct } from './answers';

const ctx = { strict: false, spec: 'sfa-sm#Statistics' };
const peer = (index: number): PeerRef => ({
  index, hrn: `t.peer${index}`, urn: `urn:publicid:IDN+t:peer${index}+authority+am`, url: `https://127.0.0.1:1${index}/am/3`, authorityName: `t:peer${index}`,
});
const P0 = peer(0);
const P1 = peer(1);
const GENI3 = 'http://www.geni.net/resources/rspec/3';

const node = (p: PeerRef, name: string, available = true) =>
  `<node component_id="urn:publicid:IDN+${p.authorityName}+node+${name}" component_manager_id="${p.urn}" component_name="${name}" exclusive="true"><available now="${available}"/></node>`;
const stats = (entries: string) => `<statistics xmlns="" call="ListResources">${entries}</statistics>`;
const entry = (p: PeerRef, status = 'success', elapsed = '0.12', inner = '') => `<aggregate name="${p.hrn}" elapsed="${elapsed}" status="${status}">${inner}</aggregate>`;
const ad = (body: string) => `<?xml version="1.0"?><rspec xmlns="${GENI3}" type="advertisement">${body}</rspec>`;
const listed = (xml: string) => struct(0, xml);

const call = (p: PeerRef, method: string, params: XmlRpcValue[], extra: Partial<ForwardedCall> = {}): ForwardedCall => ({ peer: p.index, method, params, receivedAt: 1000, answeredAt: 1100, ...extra });
const sliver = (p: PeerRef, n: number) => ({ geni_sliver_urn: `urn:publicid:IDN+${p.authorityName}+sliver+s${n}` });
const allocated = (p: PeerRef, n: number[]) => ({ code: { geni_code: 0 }, value: { geni_rspec: '', geni_slivers: n.map((i) => sliver(p, i)) } });

describe('sm.statistics', () => {
  const check = sm.statistics('ListResources', [P0, P1], [P1]);
  it('passes when each called aggregate is listed once with elapsed and the right status', () => {
    expect(check(listed(ad(node(P0, 'a') + stats(entry(P0) + entry(P1, 'exception', '3.0', '<exc_info name="TIMEDOUT: no answer"/>')))), ctx)).toEqual([]);
  });
  it('finds a missing aggregate, a non-numeric elapsed, a stray name and a failure reported as success', () => {
    const titles = check(listed(ad(stats(entry(P0, 'success', 'soon') + entry(peer(7))))), ctx).map((f) => f.title);
    expect(titles).toEqual(['Aggregate not listed exactly once in statistics', 'Statistics elapsed is not a number', 'Statistics name an aggregate that was not called']);
    expect(check(listed(ad(stats(entry(P0) + entry(P1)))), ctx).map((f) => f.title)).toEqual(['Failed aggregate reported as a success']);
  });
  it('finds the statistics missing altogether', () => {
    expect(check(listed(ad(node(P0, 'a'))), ctx)).toMatchObject([{ title: 'Slice manager statistics missing', actual: '0 such elements', exchangeIds: ['x1'] }]);
  });
});

describe('sm.noStackTrace', () => {
  it('passes a one-line reason and finds tb_frame elements or traceback text', () => {
    const reason = '<exc_info name="geni_code 7: refused"/>';
    expect(sm.noStackTrace()(listed(ad(stats(entry(P1, 'exception', '1', reason)))), ctx)).toEqual([]);
    const frames = '<exc_info name="boom"><tb_frame filename="/x/fan-out.ts" line="3" func="f" code="at f (/x/fan-out.ts:3:5)"/></exc_info>';
    expect(sm.noStackTrace()(listed(ad(stats(entry(P1, 'exception', '1', frames)))), ctx)).toMatchObject([{ title: 'Stack trace in the slice manager statistics' }]);
    const python = '<exc_info name="Traceback (most recent call last): File &quot;x.py&quot;, line 3"/>';
    expect(sm.noStackTrace()(listed(ad(stats(entry(P1, 'exception', '1', python)))), ctx)).toHaveLength(1);
  });
});

describe('sm.validBesideStatistics', () => {
  it('sets statistics aside, says so, and still finds real schema errors', () => {
    const notes: string[] = [];
    const good = ad(`<node component_id="urn:publicid:IDN+t+node+a" component_manager_id="${P0.urn}" component_name="a" exclusive="true"><hardware_type name="pc"/><available now="true"/></node>${stats(entry(P0))}`);
    expect(sm.validBesideStatistics('advertisement')(listed(good), { ...ctx, note: (t) => notes.push(t) })).toEqual([]);
    expect(notes[0]).toMatch(/set aside 1 <statistics> element/);
    const bad = good.replace('<hardware_type name="pc"/>', '<hardware_type/>');
    expect(sm.validBesideStatistics('advertisement')(listed(bad), ctx)).toMatchObject([{ title: 'RSpec is not valid', hint: expect.stringContaining('set aside') }]);
  });
});

describe('sm.sliversAddUp', () => {
  const calls = [call(P0, 'Allocate', [], { result: allocated(P0, [1, 2]) }), call(P1, 'Allocate', [], { result: allocated(P1, [3]) })];
  const merged = (list: XmlRpcValue[]) => struct(0, { geni_rspec: '', geni_slivers: list });
  const check = sm.sliversAddUp('Allocate', [P0, P1]);
  it('passes the concatenation of what each peer made', () => {
    expect(check({ response: merged([sliver(P0, 1), sliver(P0, 2), sliver(P1, 3)]), calls }, ctx)).toEqual([]);
  });
  it('finds a short list and a sliver no peer made', () => {
    expect(check({ response: merged([sliver(P1, 3)]), calls }, ctx).map((f) => f.title)).toEqual(['Merged geni_slivers do not add up']);
    expect(check({ response: merged([sliver(P0, 1), sliver(P0, 2), sliver(P1, 9)]), calls }, ctx).map((f) => f.title)).toEqual(['Sliver not made by exactly one aggregate']);
  });
  it('finds a sliver whose URN is not of the peer that returned it', () => {
    const odd = [call(P0, 'Allocate', [], { result: allocated(P1, [5]) })];
    expect(check({ response: merged([sliver(P1, 5)]), calls: odd }, ctx).map((f) => f.title)).toEqual(['Sliver URN not of the aggregate that made it']);
  });
});

describe('call_id, forwarding and loops', () => {
  it('emptyRepeatAnswer wants the documented empty value per method', () => {
    expect(sm.emptyRepeatAnswer('Renew')(struct(0, true), ctx)).toEqual([]);
    expect(sm.emptyRepeatAnswer('Status')(struct(0, {}), ctx)).toEqual([]);
    expect(sm.emptyRepeatAnswer('Allocate')(struct(0, { geni_rspec: 'x', geni_slivers: [] }), ctx)).toMatchObject([{ title: 'Repeated call_id not answered with the empty value' }]);
  });
  it('noCalls, calledOnceEach, noCallsTo', () => {
    const one = [call(P0, 'ListResources', [[], {}])];
    expect(sm.noCalls('repeated call_id', ['x1'])([], ctx)).toEqual([]);
    expect(sm.noCalls('repeated call_id', ['x1'])(one, ctx)).toMatchObject([{ actual: 'peer0 ListResources' }]);
    expect(sm.calledOnceEach('ListResources', [P0, P1], ['x1'])(one, ctx)).toMatchObject([{ title: 'Aggregate not called exactly once', actual: '0 calls' }]);
    expect(sm.noCallsTo(P1, ['x1'])(one, ctx)).toEqual([]);
    expect(sm.noCallsTo(P0, ['x1'])(one, ctx)).toMatchObject([{ title: "Call forwarded back to the calling slice manager's own aggregate" }]);
  });
  it('forwardedCallId and forwardedOptions read the options where each method has them', () => {
    const calls = [call(P0, 'Allocate', ['s', [], 'r', { call_id: 'c1', geni_end_time: 'x' }]), call(P1, 'Allocate', ['s', [], 'r', {}])];
    expect(sm.forwardedCallId('Allocate', 'c1', ['x1'])(calls, ctx)).toMatchObject([{ title: 'call_id not forwarded', actual: 'peer1 got undefined' }]);
    expect(sm.forwardedOptions('Allocate', { geni_end_time: 'x' }, ['x1'])(calls, ctx)).toMatchObject([{ title: 'Option not forwarded as sent' }]);
  });
  it('forwardedCredentials wants credentials owned by the SM and delegated by the caller', () => {
    const cred = (owner: string, parentOwner?: string) => ({
      geni_type: 'geni_sfa', geni_version: '3',
      geni_value: `<signed-credential><credential xml:id="a"><owner_urn>${owner}</owner_urn>${parentOwner ? `<parent><credential xml:id="b"><owner_urn>${parentOwner}</owner_urn></credential></parent>` : ''}</credential></signed-credential>`,
    });
    const check = sm.forwardedCredentials('Status', 'urn:sm', 'urn:alice', ['x1']);
    expect(check([call(P0, 'Status', [['s'], [cred('urn:sm', 'urn:alice')], {}])], ctx)).toEqual([]);
    expect(check([call(P0, 'Status', [['s'], [cred('urn:alice')], {}])], ctx)).toMatchObject([{ actual: 'peer0: a credential owned by urn:alice' }]);
    expect(check([call(P0, 'Status', [['s'], [cred('urn:sm')], {}])], ctx)).toMatchObject([{ actual: expect.stringContaining('not delegated by the caller') }]);
  });
  it('calledInParallel: every peer called before the first answer', () => {
    const overlapping = [call(P0, 'Renew', [], { receivedAt: 0, answeredAt: 500 }), call(P1, 'Renew', [], { receivedAt: 10, answeredAt: 520 })];
    expect(sm.calledInParallel('Renew', ['x1'])(overlapping, ctx)).toEqual([]);
    const sequential = [call(P0, 'Renew', [], { receivedAt: 0, answeredAt: 500 }), call(P1, 'Renew', [], { receivedAt: 510, answeredAt: 1000 })];
    expect(sm.calledInParallel('Renew', ['x1'])(sequential, ctx)).toMatchObject([{ title: 'Aggregates called one after another', actual: 'peer1 called only after peer0 had answered' }]);
  });
});

describe('cache, versions, Renew combination, deadlines, GetVersion', () => {
  it('sameDocument, showsChangeAt, inNamespace', () => {
    const first = listed(ad(node(P0, 'a')));
    expect(sm.sameDocument(first)(listed(ad(node(P0, 'a'))), ctx)).toEqual([]);
    expect(sm.sameDocument(first)(listed(ad(node(P0, 'b'))), ctx)).toHaveLength(1);
    expect(sm.showsChangeAt(P0, first)(listed(ad(node(P0, 'a', false))), ctx)).toEqual([]);
    expect(sm.showsChangeAt(P0, first)(listed(ad(node(P0, 'a'))), ctx)).toMatchObject([{ title: 'Fresh advertisement does not show the change at an aggregate' }]);
    expect(sm.inNamespace(GENI3)(first, ctx)).toEqual([]);
    expect(sm.inNamespace('http://www.protogeni.net/resources/rspec/2')(first, ctx)).toMatchObject([{ actual: GENI3 }]);
  });
  it('failureReported, sameCodeAs, definedCode', () => {
    expect(sm.failureReported(P1)(struct(7, [], `${P1.hrn}: refused`), ctx)).toEqual([]);
    expect(sm.failureReported(P1)(struct(0, true, ''), ctx).map((f) => f.title)).toEqual(['Success claimed although an aggregate failed', 'Failed aggregate not named']);
    expect(sm.sameCodeAs(struct(7, ''))(struct(7, ''), ctx)).toEqual([]);
    expect(sm.sameCodeAs(struct(7, ''))(struct(11, ''), ctx)).toHaveLength(1);
    expect(sm.definedCode()(struct(-1, false), ctx)).toMatchObject([{ title: 'geni_code is not a GENI error code' }]);
    expect(sm.definedCode()(struct(10, false), ctx)).toEqual([]);
  });
  it('answeredWithin', () => {
    expect(sm.answeredWithin(2000, 5000)({ response: struct(0, ''), elapsedMs: 2500, exchangeIds: ['x1'] }, ctx)).toEqual([]);
    expect(sm.answeredWithin(2000, 5000)({ error: 'timeout', elapsedMs: 9000, exchangeIds: ['x1'] }, ctx)).toMatchObject([{ actual: 'no answer after 9000 ms (timeout)' }]);
  });
  it('getVersion', () => {
    const good = { interface: 'slicemgr', urn: 'urn:publicid:IDN+t+authority+sm', peers: { [P0.hrn]: P0.url }, geni_api_versions: { '3': 'https://sm/3' } };
    expect(sm.getVersion()(struct(0, good), ctx)).toEqual([]);
    expect(sm.getVersion()(struct(0, { ...good, geni_api_versions: { '3': 'http://sm/3' } }), ctx)).toMatchObject([{ title: 'API URL is not HTTPS' }]);
    expect(sm.getVersion()(answer({ code: { geni_code: 0 }, value: { ...good, interface: 'aggregate' } }), ctx)).toMatchObject([{ title: 'Slice manager does not say it is one' }]);
  });
});
