import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core';
import { mintUserCredential, sfaCredentialStruct } from '../../src/credentials';
import { GENI_CODE } from '../../src/reference-am/am-error';
import { readVersionInfo } from '../../src/geni/version-info';
import { PERSONALITIES, personalityNamed } from '../../src/reference-am';
import { readAdvertisement, readManifest } from '../../src/rspec';
import { XmlRpcFault } from '../../src/server';
import { isStruct } from '../../src/xmlrpc';
import { AggregateUnderTest, GENI3, geniCode, mintIdentities, requestXml, sliversOf, valueOf, type Identities } from './aggregate-fixture';

let ids: Identities;
beforeAll(() => {
  ids = mintIdentities('personalities.test');
});

const PGV2 = { type: 'ProtoGENI', version: '2' };

function adOf(am: AggregateUnderTest, version: { type: string; version: string } = GENI3): string {
  const answer = am.call('ListResources', [am.userCredential(), { geni_rspec_version: version, geni_available: true }]);
  expect(geniCode(answer)).toBe(0);
  return String(answer.value);
}

/** The Fault a call raised, or undefined when it answered. */
function faultOf(call: () => unknown): XmlRpcFault | undefined {
  try {
    call();
  } catch (err) {
    if (err instanceof XmlRpcFault) return err;
    throw err;
  }
  return undefined;
}

describe('personalities', () => {
  it('names each one once, and an unknown name is a configuration error listing the valid ones', () => {
    const names = PERSONALITIES.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['reference', 'sparse', 'three-node', 'xmlrpc-faults', 'v1-sfa']));
    expect(personalityNamed().name).toBe('reference');
    expect(() => personalityNamed('nope')).toThrow(ConfigError);
    expect(() => personalityNamed('nope')).toThrow(/valid names are: reference, sparse/);
  });

  it('sparse: the advertisement names no sliver, hardware or interface types, and a request without a sliver_type is placed', () => {
    const am = new AggregateUnderTest(ids, { personality: 'sparse' });
    const ad = readAdvertisement(adOf(am));
    expect(ad.nodes.length).toBeGreaterThan(0);
    for (const node of ad.nodes) expect(node).toMatchObject({ sliverTypes: [], hardwareTypes: [], interfaces: [], available: true });
    const node = ad.nodes[0]!;
    const allocated = am.call('Allocate', [ids.slice, am.sliceCredential(), requestXml([{ clientId: 'n', componentId: node.componentId, componentManagerId: node.componentManagerId }]), {}]);
    expect(geniCode(allocated)).toBe(0);
    expect(readManifest(String(valueOf(allocated).geni_rspec)).nodes.map((n) => n.componentId)).toEqual([node.componentId]);
  });

  it('reference: a node with hardware types states its free places (emulab:node_type type_slots), fresh after every allocation', () => {
    const am = new AggregateUnderTest(ids, { personality: 'reference' });
    const slotsOf = () => new Map(readAdvertisement(adOf(am)).nodes.map((n) => [n.componentName, n.slots]));
    const before = slotsOf();
    expect(before.get('vmhost1')).toBe(12);
    expect(before.get('pc1')).toBe(1);
    const host = readAdvertisement(adOf(am)).nodes.find((n) => n.componentName === 'vmhost1')!;
    const vm = requestXml([{ clientId: 'vm', componentId: host.componentId, componentManagerId: host.componentManagerId, sliverType: { name: 'default-vm' } }]);
    expect(geniCode(am.call('Allocate', [ids.slice, am.sliceCredential(), vm, {}]))).toBe(0);
    // Still available, one place fewer: the advertisement the aggregate keeps between calls is not reused.
    expect(slotsOf().get('vmhost1')).toBe(11);
  });

  it('three-node: three shared nodes of one sliver each; a fourth node finds none, and a second Allocate on a slice is refused', () => {
    const am = new AggregateUnderTest(ids, { personality: 'three-node' });
    const ad = readAdvertisement(adOf(am));
    expect(ad.nodes.map((n) => n.exclusive)).toEqual([false, false, false]);
    const three = requestXml(ad.nodes.map((n, i) => ({ clientId: `n${i}`, sliverType: { name: n.sliverTypes[0]! } })));
    expect(geniCode(am.call('Allocate', [ids.slice, am.sliceCredential(), three, {}]))).toBe(0);
    expect(readAdvertisement(adOf(am)).nodes).toEqual([]);
    const one = requestXml([{ clientId: 'x', sliverType: { name: 'fake-vm' } }]);
    expect(geniCode(am.call('Allocate', [ids.otherSlice, am.sliceCredential({ slice: ids.otherSlice }), one, {}]))).not.toBe(0);
    const version = valueOf(am.call('GetVersion', [{}]));
    expect(version.geni_single_allocation === true || version.geni_allocate === 'geni_single').toBe(true);
  });

  it('xmlrpc-faults: a call with the wrong number of parameters is an XML-RPC Fault -32602 in every version; a wrong type is still BADARGS', () => {
    const am = new AggregateUnderTest(ids, { personality: 'xmlrpc-faults' });
    expect(faultOf(() => am.call('Allocate', [ids.slice]))?.faultCode).toBe(-32602);
    expect(faultOf(() => am.call('Status', [[ids.slice], am.sliceCredential(), {}, 'extra']))?.faultCode).toBe(-32602);
    expect(faultOf(() => am.callV2('CreateSliver', [ids.slice]))?.faultCode).toBe(-32602);
    const v1 = am.callV1('CreateSliver', [ids.slice]);
    expect('fault' in v1 && v1.fault.faultCode).toBe(-32602);
    // The right number of parameters, one of the wrong type or value: the method runs and answers BADARGS.
    expect(geniCode(am.call('Describe', [ids.slice, am.sliceCredential(), {}]))).toBe(1); // urns must be an array
    const notSlice = am.call('Allocate', ['urn:publicid:IDN+x+user+bob', am.sliceCredential(), requestXml([]), {}]);
    expect(geniCode(notSlice)).toBe(1);
  });

  it('reference answers the same malformed call with BADARGS', () => {
    const am = new AggregateUnderTest(ids);
    expect(geniCode(am.call('Allocate', [ids.slice]))).toBe(1);
  });

  it('gidChains own (v1-sfa, as SFA verifies GIDs, trusting only the root): minted GIDs suffice; a GID without its issuer is refused', () => {
    expect(personalityNamed('v1-sfa').settings.gidChains).toBe('own');
    const own = new AggregateUnderTest(ids, { gidChains: 'own' });
    const lenient = new AggregateUnderTest(ids);
    expect(ids.authority.trustedRootsPem).toEqual([ids.authority.ca.certPem]);
    // The minted chains (user + SA, slice + SA) reach the CA on their own: ListResources and an Allocate go through.
    expect(geniCode(own.call('ListResources', [own.userCredential(), { geni_rspec_version: GENI3 }]))).toBe(0);
    const vm = readAdvertisement(adOf(own)).nodes.find((n) => !n.exclusive)!.sliverTypes[0]!;
    expect(geniCode(own.call('Allocate', [ids.slice, own.sliceCredential(), requestXml([{ clientId: 'n', sliverType: { name: vm } }]), {}]))).toBe(0);
    // The same user's GID without its issuer: only the signer's X509Data links it to the CA, which 'own' never follows.
    const unchained = [sfaCredentialStruct(mintUserCredential(ids.authority, { ...ids.alice, certChainPem: ids.alice.certPem }))];
    const refused = own.call('ListResources', [unchained, { geni_rspec_version: GENI3 }]);
    expect(geniCode(refused)).toBe(GENI_CODE.CREDENTIAL_INVALID);
    expect(String(refused.output)).toMatch(/owner_gid certificate .* does not chain to a trusted root.*only the chain inside the GID is followed, and it carries no issuer certificate/);
    expect(geniCode(lenient.call('ListResources', [unchained, { geni_rspec_version: GENI3 }]))).toBe(0);
  });

  it('v1-sfa: advertises SFA 1 by default and ProtoGENI 2 on request, takes ProtoGENI 2 requests and answers in ProtoGENI 2', () => {
    const am = new AggregateUnderTest(ids, { personality: 'v1-sfa' });
    const got = am.callV1('GetVersion', []);
    if (!('value' in got) || !isStruct(got.value)) throw new Error('GetVersion failed');
    const info = readVersionInfo(got.value);
    expect(info.adRSpecVersions.map((v) => `${v.type} ${v.version}`)).toEqual(['SFA 1', 'ProtoGENI 2']);
    expect(info.requestRSpecVersions.map((v) => `${v.type} ${v.version}`)).toEqual(['ProtoGENI 2']);
    expect(got.value.default_ad_rspec).toEqual({ type: 'SFA', version: '1' });
    const userCreds = am.userCredential().map((c) => String((c as { geni_value: string }).geni_value));
    const native = am.callV1('ListResources', [userCreds, {}]);
    expect('value' in native && String(native.value)).toMatch(/^<\?xml[^>]*>\s*<RSpec type="SFA"/);
    const pg = am.callV1('ListResources', [userCreds, { rspec_version: PGV2 }]);
    if (!('value' in pg)) throw new Error(`ListResources failed: ${pg.fault.faultString}`);
    const ad = readAdvertisement(String(pg.value));
    expect(String(pg.value)).toContain('http://www.protogeni.net/resources/rspec/2');
    const node = ad.nodes[0]!;
    const request = requestXml([{ clientId: 'n', componentId: node.componentId, componentManagerId: node.componentManagerId, sliverType: { name: node.sliverTypes[0]! } }])
      .replaceAll('http://www.geni.net/resources/rspec/3', 'http://www.protogeni.net/resources/rspec/2');
    const created = am.callV1('CreateSliver', [ids.slice, am.sliceCredentialXml(), request, []]);
    if (!('value' in created)) throw new Error(`CreateSliver failed: ${created.fault.faultString}`);
    expect(String(created.value)).toContain('http://www.protogeni.net/resources/rspec/2');
    expect(readManifest(String(created.value)).nodes.map((n) => n.componentId)).toEqual([node.componentId]);
  });

  it('v1-sfa speaks v1 only, and GENI 3 requests are refused as a format it does not take', () => {
    expect(personalityNamed('v1-sfa').apiVersions).toEqual([1]);
    const am = new AggregateUnderTest(ids, { personality: 'v1-sfa' });
    const geni3 = requestXml([{ clientId: 'n', sliverType: { name: 'plab-vserver' } }]);
    const created = am.callV1('CreateSliver', [ids.slice, am.sliceCredentialXml(), geni3, []]);
    expect('fault' in created).toBe(true);
  });

  it('gcf: GetVersion leaves the allocation modes to their defaults; three shared nodes without types; the answers gcf gives where the spec leaves them open', () => {
    const am = new AggregateUnderTest(ids, { personality: 'gcf' });
    const version = valueOf(am.call('GetVersion', []));
    expect(version).toMatchObject({ geni_api: 3, geni_am_type: 'gcf', geni_credential_types: [{ geni_type: 'geni_sfa', geni_version: '3' }] });
    for (const member of ['geni_allocate', 'geni_single_allocation', 'urn']) expect(version).not.toHaveProperty(member);
    const ad = readAdvertisement(adOf(am));
    expect(ad.nodes.map((n) => ({ exclusive: n.exclusive, sliverTypes: n.sliverTypes, hardwareTypes: n.hardwareTypes }))).toEqual(
      Array.from({ length: 3 }, () => ({ exclusive: false, sliverTypes: [], hardwareTypes: [] })),
    );
    // An empty request allocates nothing, and says so; a node request then holds the slice (geni_single: ALREADYEXISTS).
    const empty = am.call('Allocate', [ids.slice, am.sliceCredential(), requestXml([]), {}]);
    expect([geniCode(empty), sliversOf(empty)]).toEqual([0, []]);
    expect(geniCode(am.call('Allocate', [ids.slice, am.sliceCredential(), requestXml([{ clientId: 'a' }]), {}]))).toBe(0);
    expect(geniCode(am.call('Allocate', [ids.slice, am.sliceCredential(), requestXml([{ clientId: 'b' }]), {}]))).toBe(17);
    // A refused credential is ERROR, as gcf's authorizer answers; so are urns that name no one slice.
    const refused = am.call('Status', [[ids.slice], am.sliceCredential({ slice: ids.otherSlice }), {}]);
    expect([geniCode(refused), String(refused.output)]).toEqual([2, expect.stringMatching(/^Insufficient privileges: /)]);
    expect(geniCode(am.call('Describe', [['urn:publicid:IDN+x+node+pc1'], am.sliceCredential(), { geni_rspec_version: GENI3 }]))).toBe(2);
    // After Shutdown every call naming the slice is REFUSED, Status, Describe and Delete too; a second Shutdown FORBIDDEN.
    expect(geniCode(am.call('Shutdown', [ids.slice, am.sliceCredential(), {}]))).toBe(0);
    expect(geniCode(am.call('Status', [[ids.slice], am.sliceCredential(), {}]))).toBe(7);
    expect(geniCode(am.call('Describe', [[ids.slice], am.sliceCredential(), { geni_rspec_version: GENI3 }]))).toBe(7);
    expect(geniCode(am.call('Delete', [[ids.slice], am.sliceCredential(), {}]))).toBe(7);
    expect(geniCode(am.call('Shutdown', [ids.slice, am.sliceCredential(), {}]))).toBe(3);
    // Python 2's SimpleXMLRPCDispatcher: Fault 1 for a call that does not fit the method, and for an unknown method.
    expect(faultOf(() => am.call('Allocate', [ids.slice]))?.faultCode).toBe(1);
    expect(faultOf(() => am.call('CreateSliver', []))?.faultCode).toBe(1);
  });
});

describe('own-states: operational states of its own, declared in its advertisement', () => {
  const statesOf = (am: AggregateUnderTest, urns: string[]) => sliversOf(am.call('Status', [urns, am.sliceCredential(), {}])).map((s) => s.geni_operational_status);
  const act = (am: AggregateUnderTest, urns: string[], action: string) => am.call('PerformOperationalAction', [urns, am.sliceCredential(), action, {}]);

  it('advertises one machine per group of sliver types, and its PCs and VMs pass through those states', () => {
    const am = new AggregateUnderTest(ids, { personality: 'own-states' });
    const machines = readAdvertisement(adOf(am)).operationalStates ?? [];
    expect(machines.map((m) => [m.sliverTypes, m.start, m.aggregateManagerId])).toEqual([
      [['raw-pc'], 'pc_off', am.env.amUrn], [['default-vm'], 'vm_stopped', am.env.amUrn],
    ]);
    const allocate = am.call('Allocate', [ids.slice, am.sliceCredential(), requestXml([{ clientId: 'pc', sliverType: { name: 'raw-pc' } }, { clientId: 'vm', sliverType: { name: 'default-vm' } }]), {}]);
    const urns = sliversOf(allocate).map((s) => String(s.geni_sliver_urn));
    am.call('Provision', [urns, am.sliceCredential(), { geni_rspec_version: GENI3 }]);
    expect(statesOf(am, urns)).toEqual(['pc_off', 'vm_stopped']);
    expect(sliversOf(act(am, urns, 'geni_start')).map((s) => s.geni_operational_status)).toEqual(['pc_booting', 'vm_booting']);
    // A wait state ends by itself in its geni_success state; an action the state does not offer is refused meanwhile.
    expect(geniCode(act(am, urns, 'geni_stop'))).toBe(GENI_CODE.UNSUPPORTED);
    am.advance(1);
    expect(statesOf(am, urns)).toEqual(['pc_up', 'vm_running']);
    expect(sliversOf(act(am, urns, 'geni_stop')).map((s) => s.geni_operational_status)).toEqual(['pc_shutting_down', 'vm_stopped']);
    am.advance(1);
    expect(statesOf(am, urns)).toEqual(['pc_off', 'vm_stopped']);
  });

  it('keeps the standard states for links, and for slivers made through v2 CreateSliver', () => {
    const am = new AggregateUnderTest(ids, { personality: 'own-states' });
    expect(geniCode(am.callV2('CreateSliver', [ids.slice, am.sliceCredentialXml(), requestXml([{ clientId: 'vm', sliverType: { name: 'default-vm' } }]), [], {}]))).toBe(0);
    expect(statesOf(am, [ids.slice])).toEqual(['geni_ready']);
  });
});
