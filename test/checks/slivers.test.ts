import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { clientIdsOf, isWaitState, manifest, sliverUrnsOf, slivers, type AdvertisedOperationalStates } from '../../src/checks/slivers';
import type { OperationalStateMachine } from '../../src/rspec';
import { valueAt } from '../../src/checks/paths';
import type { AmResponse } from '../../src/geni/methods';
import type { XmlRpcValue } from '../../src/xmlrpc';

const ctx = { strict: false };
const AT = 'value.geni_slivers';
const SLIVER_A = 'urn:publicid:IDN+am.example+sliver+a1';
const SLIVER_B = 'urn:publicid:IDN+am.example+sliver+b2';

const answer = (value: XmlRpcValue, geniCode = 0, exchangeId = 'x1'): AmResponse => ({
  exchangeId, method: 'Status', raw: { code: { geni_code: geniCode }, value, output: '' },
  envelope: { code: { geni_code: geniCode }, geniCode, value, output: '' },
});
const sliver = (urn: string, extra: Record<string, XmlRpcValue> = {}) => ({
  geni_sliver_urn: urn, geni_allocation_status: 'geni_allocated', geni_operational_status: 'geni_pending_allocation',
  geni_expires: '2026-01-01T00:00:00Z', ...extra,
});
const statusOf = (...list: XmlRpcValue[]) => answer({ geni_urn: 'urn:publicid:IDN+sa+slice+s', geni_slivers: list });

const MANIFEST = `<rspec type="manifest" xmlns="http://www.geni.net/resources/rspec/3">
  <node client_id="node-0" sliver_id="${SLIVER_A}"><sliver_type name="vm"/></node>
  <node client_id="node-1" sliver_id="${SLIVER_B}"/>
  <link client_id="link-0" sliver_id="urn:publicid:IDN+am.example+sliver+l"/>
</rspec>`;
const REQUEST = `<rspec type="request" xmlns="http://www.geni.net/resources/rspec/3">
  <node client_id="node-0"/><node client_id="node-1"/><link client_id="link-0"/>
</rspec>`;
const EMPTY_MANIFEST = '<rspec type="manifest" xmlns="http://www.geni.net/resources/rspec/3"/>';
const describeOf = (rspec: string, exchangeId = 'x1') => answer({ geni_rspec: rspec, geni_urn: 'urn:publicid:IDN+sa+slice+s', geni_slivers: [] }, 0, exchangeId);

describe('valueAt', () => {
  it('follows keys and indexes', () => {
    expect(valueAt({ value: { list: [{ a: 1 }, { a: 2 }] } }, 'value.list[1].a')).toBe(2);
    expect(valueAt({ value: [] }, 'value.list')).toBeUndefined();
    expect(valueAt(5, '')).toBe(5);
  });
});

describe('slivers.allInState', () => {
  it('passes when every sliver is in the state', () =>
    expect(slivers.allInState('geni_allocated', AT)(statusOf(sliver(SLIVER_A), sliver(SLIVER_B)), ctx)).toEqual([]));
  it('reports each sliver elsewhere, with its path', () => {
    const findings = slivers.allInState('geni_provisioned', AT)(statusOf(sliver(SLIVER_A), sliver(SLIVER_B, { geni_allocation_status: 'geni_provisioned' })), ctx);
    expect(findings).toEqual([{
      check: 'sliver-allocation-state', title: 'Sliver in an unexpected allocation state', expected: ['"geni_provisioned"'],
      actual: '"geni_allocated"', path: 'value.geni_slivers[0].geni_allocation_status', spec: 'am3/common#SliverAllocationStates', exchangeIds: ['x1'],
    }]);
  });
  it('accepts any of several states', () =>
    expect(slivers.allInState(['geni_allocated', 'geni_provisioned'], AT)(statusOf(sliver(SLIVER_A)), ctx)).toEqual([]));
  it('reports a missing list once, naming the error code', () => {
    const findings = slivers.allInState('geni_allocated', AT)(answer('', 12), ctx);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ title: 'Sliver list missing', actual: expect.stringContaining('SEARCHFAILED (12)') });
  });
  it('reports a fault as a missing list', () => {
    const res: AmResponse = { exchangeId: 'x9', method: 'Status', fault: { faultCode: 2, faultString: 'boom' } };
    expect(slivers.allInState('geni_allocated', AT)(res, ctx)[0]?.actual).toContain('XML-RPC Fault 2');
  });
  it('reads lists that are the value itself', () =>
    expect(slivers.allInState('geni_unallocated', 'value')(answer([sliver(SLIVER_A, { geni_allocation_status: 'geni_unallocated' })]), ctx)).toEqual([]));
});

describe('slivers.operationalIn', () => {
  it('passes and fails by membership', () => {
    const res = statusOf(sliver(SLIVER_A, { geni_operational_status: 'geni_ready' }));
    expect(slivers.operationalIn(['geni_ready'], AT)(res, ctx)).toEqual([]);
    expect(slivers.operationalIn(['geni_notready'], AT)(res, ctx).map((f) => f.title)).toEqual(['Sliver in an unexpected operational state']);
  });
  it('reports an absent status as absent', () =>
    expect(slivers.operationalIn(['geni_ready'], AT)(statusOf({ geni_sliver_urn: SLIVER_A }), ctx)[0]?.actual).toBe('absent'));
});

describe('slivers.operationalIn with the states an advertisement declares (opstate extension)', () => {
  const RACK: OperationalStateMachine = {
    aggregateManagerId: 'urn:publicid:IDN+am.example+authority+cm', start: 'powered_off', sliverTypes: ['raw-pc'],
    states: [
      { name: 'powered_off', actions: [{ name: 'geni_start', next: 'booting' }], waits: [] },
      { name: 'booting', actions: [], waits: [{ type: 'geni_success', next: 'up' }, { type: 'geni_failure', next: 'geni_failed' }] },
      { name: 'up', actions: [{ name: 'geni_stop', next: 'powered_off' }], waits: [] },
    ],
  };
  const VM: OperationalStateMachine = { sliverTypes: ['vm'], states: [{ name: 'vm_running', actions: [], waits: [] }] };
  // SLIVER_A is a raw-pc by the manifest; SLIVER_B is not tied to a type.
  const advertised: AdvertisedOperationalStates = { machines: [RACK, VM], sliverTypes: new Map([[SLIVER_A, 'raw-pc']]) };
  const inState = (urn: string, state: string) => statusOf(sliver(urn, { geni_operational_status: state }));
  const settledAfterProvision = { standard: ['geni_notready', 'geni_ready', 'geni_failed'], advertised };

  it('allows a state the machine of the sliver type declares, beside the standard ones', () => {
    expect(slivers.operationalIn(settledAfterProvision, AT)(inState(SLIVER_A, 'powered_off'), ctx)).toEqual([]);
    expect(slivers.operationalIn(settledAfterProvision, AT)(inState(SLIVER_A, 'geni_notready'), ctx)).toEqual([]);
  });

  it('fails a state no machine of the sliver type declares, quoting CommonConcepts and naming the machine', () => {
    const [finding, ...more] = slivers.operationalIn(settledAfterProvision, AT)(inState(SLIVER_A, 'vm_running'), ctx);
    expect(more).toEqual([]);
    expect(finding).toMatchObject({
      check: 'sliver-operational-state', actual: '"vm_running"', path: 'value.geni_slivers[0].geni_operational_status', spec: 'am3/common#OperationalStates',
      expected: ['"geni_notready"', '"geni_ready"', '"geni_failed"', '"powered_off"', '"booting"', '"up"', '"geni_failed"'].filter((v, i, all) => all.indexOf(v) === i),
    });
    expect(finding!.hint).toContain('AMs are required to advertise such states and actions that experimenters may see or use, by using Ad RSpec extensions');
    expect(finding!.hint).toContain('opstate machine of urn:publicid:IDN+am.example+authority+cm for sliver types raw-pc, start powered_off');
  });

  it('judges a sliver of unknown type by every machine, and one of a type no machine covers by the standard states alone', () => {
    expect(slivers.operationalIn(settledAfterProvision, AT)(inState(SLIVER_B, 'vm_running'), ctx)).toEqual([]);
    const other: AdvertisedOperationalStates = { machines: [RACK], sliverTypes: new Map([[SLIVER_A, 'xen-vm']]) };
    expect(slivers.operationalIn({ standard: ['geni_notready'], advertised: other }, AT)(inState(SLIVER_A, 'powered_off'), ctx).map((f) => f.expected)).toEqual([['"geni_notready"']]);
  });

  it('without an advertised machine (absent or garbled extension) keeps the standard rules exactly', () => {
    const none: AdvertisedOperationalStates = { machines: [], sliverTypes: new Map() };
    const findings = slivers.operationalIn({ standard: ['geni_ready'], advertised: none }, AT)(inState(SLIVER_A, 'powered_off'), ctx);
    expect(findings.map((f) => [f.expected, f.actual])).toEqual([[['"geni_ready"'], '"powered_off"']]);
    expect(findings[0]!.hint).toContain('the advertisement declares no operational state machine (opstate extension)');
  });

  it('after an action allows where the machine says it leads: every state on the way, then only the resting ones', () => {
    const answered = { standard: ['geni_ready', 'geni_configuring'], advertised, after: { action: 'geni_start', settled: false } };
    const settled = { standard: ['geni_ready'], advertised, after: { action: 'geni_start', settled: true } };
    expect(slivers.operationalIn(answered, AT)(inState(SLIVER_A, 'booting'), ctx)).toEqual([]);
    expect(slivers.operationalIn(settled, AT)(inState(SLIVER_A, 'up'), ctx)).toEqual([]);
    expect(slivers.operationalIn(settled, AT)(inState(SLIVER_A, 'geni_ready'), ctx)).toEqual([]);
    // Not where geni_start leads: its start state, and the failure branch of its wait.
    expect(slivers.operationalIn(settled, AT)(inState(SLIVER_A, 'powered_off'), ctx)[0]?.hint).toContain('where geni_start leads by the advertisement');
    expect(slivers.operationalIn(settled, AT)(inState(SLIVER_A, 'geni_failed'), ctx)).toHaveLength(1);
  });

  it('counts a state with a <wait> as a wait state, for the slivers of its type', () => {
    expect(isWaitState('booting', advertised, SLIVER_A)).toBe(true);
    expect(isWaitState('up', advertised, SLIVER_A)).toBe(false);
    expect(isWaitState('geni_configuring', undefined, SLIVER_A)).toBe(true);
    expect(isWaitState('booting', { machines: [RACK], sliverTypes: new Map([[SLIVER_A, 'vm']]) }, SLIVER_A)).toBe(false);
    expect(isWaitState('booting', undefined, SLIVER_A)).toBe(false);
  });
});

describe('slivers.urnsEqual / excludes / count / nonEmpty', () => {
  const res = statusOf(sliver(SLIVER_B), sliver(SLIVER_A));
  it('compares URN sets ignoring order', () => {
    expect(slivers.urnsEqual([SLIVER_A, SLIVER_B], AT)(res, ctx)).toEqual([]);
    expect(slivers.urnsEqual([SLIVER_A], AT)(res, ctx).map((f) => f.title)).toEqual(['Sliver list names other slivers than expected']);
  });
  it('excludes live slivers but tolerates them listed as unallocated', () => {
    expect(slivers.excludes([SLIVER_A], AT)(res, ctx).map((f) => f.path)).toEqual(['value.geni_slivers[1]']);
    expect(slivers.excludes([SLIVER_A], AT)(statusOf(sliver(SLIVER_A, { geni_allocation_status: 'geni_unallocated' })), ctx)).toEqual([]);
  });
  it('counts', () => {
    expect(slivers.count(2, AT)(res, ctx)).toEqual([]);
    expect(slivers.count(1, AT)(res, ctx)[0]).toMatchObject({ expected: ['1'], actual: '2' });
    expect(slivers.nonEmpty(AT)(statusOf(), ctx)[0]).toMatchObject({ title: 'Unexpected number of slivers', actual: '0' });
  });
  it('reads URNs', () => expect(sliverUrnsOf(res)).toEqual([SLIVER_B, SLIVER_A]));
});

describe('slivers.sliverUrnsValid', () => {
  it('accepts sliver URNs and rejects node URNs', () => {
    expect(slivers.sliverUrnsValid(AT)(statusOf(sliver(SLIVER_A)), ctx)).toEqual([]);
    const findings = slivers.sliverUrnsValid(AT)(statusOf(sliver('urn:publicid:IDN+am.example+node+pc1')), ctx);
    expect(findings[0]).toMatchObject({ title: 'Sliver URN is not a sliver URN', hint: expect.stringContaining('type is "node"') });
  });
});

describe('geni_error checks', () => {
  it('errorFieldPresent wants a string, empty allowed', () => {
    expect(slivers.errorFieldPresent(AT)(statusOf(sliver(SLIVER_A, { geni_error: '' })), ctx)).toEqual([]);
    expect(slivers.errorFieldPresent(AT)(statusOf(sliver(SLIVER_A)), ctx).map((f) => f.title)).toEqual(['Sliver lacks the geni_error string']);
    expect(slivers.errorFieldPresent(AT)(statusOf(sliver(SLIVER_A, { geni_error: null })), ctx)).toHaveLength(1);
  });
  it('errorFieldAbsent rejects even an empty geni_error', () =>
    expect(slivers.errorFieldAbsent(AT)(statusOf(sliver(SLIVER_A, { geni_error: '' })), ctx).map((f) => f.title)).toEqual(['Allocate sliver carries geni_error']));
  it('noErrorsWithoutBestEffort accepts absent or empty only', () => {
    expect(slivers.noErrorsWithoutBestEffort(AT)(statusOf(sliver(SLIVER_A), sliver(SLIVER_B, { geni_error: '' })), ctx)).toEqual([]);
    expect(slivers.noErrorsWithoutBestEffort(AT)(statusOf(sliver(SLIVER_A, { geni_error: 'disk full' })), ctx)).toHaveLength(1);
  });
});

describe('slivers.noneLive', () => {
  it('accepts SEARCHFAILED', () => expect(slivers.noneLive(AT)(answer('', 12), ctx)).toEqual([]));
  it('accepts success with no live slivers', () => {
    expect(slivers.noneLive(AT)(statusOf(), ctx)).toEqual([]);
    expect(slivers.noneLive(AT)(statusOf(sliver(SLIVER_A, { geni_allocation_status: 'geni_unallocated' })), ctx)).toEqual([]);
  });
  it('rejects success listing a live sliver, and other codes', () => {
    expect(slivers.noneLive(AT)(statusOf(sliver(SLIVER_A)), ctx)[0]).toMatchObject({
      title: 'Slice still has slivers', expected: ['geni_code SEARCHFAILED (12)', 'geni_code SUCCESS (0) with no live slivers'],
    });
    expect(slivers.noneLive(AT)(answer('', 2), ctx)).toHaveLength(1);
  });
});

describe('manifest checks', () => {
  it('clientIdsOf reads nodes and links', () => expect(clientIdsOf(REQUEST)).toEqual(['node-0', 'node-1', 'link-0']));
  it('coversRequest', () => {
    expect(manifest.coversRequest(REQUEST, 'value.geni_rspec')(describeOf(MANIFEST), ctx)).toEqual([]);
    const partial = MANIFEST.replace(/<node client_id="node-1"[^>]*\/>/, '');
    expect(manifest.coversRequest(REQUEST, 'value.geni_rspec')(describeOf(partial), ctx)[0]).toMatchObject({ title: 'Manifest omits requested resources', actual: 'missing ["node-1"]' });
  });
  it('namesSlivers', () => {
    expect(manifest.namesSlivers('value.geni_rspec')(describeOf(MANIFEST), ctx)).toEqual([]);
    const bare = MANIFEST.replace(`sliver_id="${SLIVER_B}"`, '');
    expect(manifest.namesSlivers('value.geni_rspec')(describeOf(bare), ctx).map((f) => f.title)).toEqual(['Manifest node lacks sliver_id']);
  });
  it('reports unparseable manifests once', () =>
    expect(manifest.namesSlivers('value.geni_rspec')(describeOf('<rspec><node'), ctx).map((f) => f.title)).toEqual(['Manifest missing or not XML']));
  it('describesNoResources', () => {
    expect(manifest.describesNoResources('value.geni_rspec')(describeOf(EMPTY_MANIFEST), ctx)).toEqual([]);
    expect(manifest.describesNoResources('value.geni_rspec')(describeOf(MANIFEST), ctx)[0]?.actual).toMatch(/^3:/);
  });
  it('compressedMatches', () => {
    const plain = describeOf(MANIFEST, 'x1');
    const packed = describeOf(deflateSync(Buffer.from(MANIFEST)).toString('base64'), 'x2');
    expect(manifest.compressedMatches(plain, 'value.geni_rspec')(packed, ctx)).toEqual([]);
    const uncompressed = describeOf(MANIFEST, 'x2');
    expect(manifest.compressedMatches(plain, 'value.geni_rspec')(uncompressed, ctx)[0]).toMatchObject({
      title: 'Compressed manifest does not round-trip', exchangeIds: ['x2', 'x1'],
    });
  });
});

describe('slivers.noneLive preferring SEARCHFAILED', () => {
  it('marks an empty success strict-only', () => {
    const [f] = slivers.noneLive(AT, { preferSearchFailed: true })(statusOf(), ctx);
    expect(f).toMatchObject({ grade: 'strict-only', title: 'Slice without slivers answered with success instead of SEARCHFAILED' });
    expect(slivers.noneLive(AT, { preferSearchFailed: true })(answer('', 12), ctx)).toEqual([]);
  });
});

describe('slivers.noneUnlessRefused', () => {
  it('accepts any refusal or an empty success', () => {
    expect(slivers.noneUnlessRefused(AT)(answer('', 1), ctx)).toEqual([]);
    expect(slivers.noneUnlessRefused(AT)(statusOf(), ctx)).toEqual([]);
  });
  it('rejects a success that allocated something, and a fault', () => {
    expect(slivers.noneUnlessRefused(AT)(statusOf(sliver(SLIVER_A)), ctx)[0]?.actual).toBe('geni_code SUCCESS (0); 1 sliver(s)');
    expect(slivers.noneUnlessRefused(AT)({ exchangeId: 'x', method: 'Allocate', fault: { faultCode: 1, faultString: 'x' } }, ctx)).toHaveLength(1);
  });
});

describe('slivers.operationalUnchangedSince', () => {
  const before = statusOf(sliver(SLIVER_A, { geni_operational_status: 'geni_notready' }), sliver(SLIVER_B, { geni_operational_status: 'geni_ready' }));
  it('passes when states are kept and ignores slivers not seen before', () =>
    expect(slivers.operationalUnchangedSince(before, AT)(statusOf(
      sliver(SLIVER_B, { geni_operational_status: 'geni_ready' }), sliver(SLIVER_A, { geni_operational_status: 'geni_notready' }),
      sliver('urn:publicid:IDN+am.example+sliver+new', { geni_operational_status: 'geni_failed' }),
    ), ctx)).toEqual([]));
  it('reports a sliver whose state moved', () =>
    expect(slivers.operationalUnchangedSince(before, AT)(statusOf(sliver(SLIVER_A, { geni_operational_status: 'geni_ready' })), ctx)[0]).toMatchObject({
      title: 'Operational state changed although the action failed', actual: '"geni_ready"', path: 'value.geni_slivers[0].geni_operational_status',
    }));
});
