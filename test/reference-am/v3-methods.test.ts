import { beforeAll, describe, expect, it } from 'vitest';
import { createTestAuthority, credentialMutations, mintSliceCredential, sfaCredentialStruct } from '../../src/credentials';
import { decodeCompressedRSpec, readAdvertisement, readManifest, validateRSpec } from '../../src/rspec';
import { XmlRpcFault } from '../../src/server';
import { AggregateUnderTest, GENI3, geniCode, mintIdentities, requestXml, sliversOf, valueOf, type Identities } from './aggregate-fixture';

let ids: Identities;
beforeAll(() => {
  ids = mintIdentities('v3-methods.test');
});

const RFC3339_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const twoPcs = (): string => requestXml([{ clientId: 'n1', sliverType: { name: 'raw-pc' } }, { clientId: 'n2', sliverType: { name: 'raw-pc' } }]);

function allocateTwo(am: AggregateUnderTest): [string, string] {
  const answer = am.call('Allocate', [ids.slice, am.sliceCredential(), twoPcs(), {}]);
  expect(geniCode(answer)).toBe(0);
  const [first, second] = sliversOf(answer).map((s) => s.geni_sliver_urn as string);
  if (first === undefined || second === undefined) throw new Error('Allocate of two nodes did not return two slivers');
  return [first, second];
}

describe('GetVersion', () => {
  it('answers the v3 struct with top-level geni_api and the advertised versions, without credentials', () => {
    const am = new AggregateUnderTest(ids);
    const answer = am.call('GetVersion', []);
    expect(geniCode(answer)).toBe(0);
    expect(answer.geni_api).toBe(3);
    const value = valueOf(answer);
    expect(value).toMatchObject({
      geni_api: 3,
      geni_api_versions: { '3': 'https://127.0.0.1:1/am/3' },
      geni_credential_types: [{ geni_type: 'geni_sfa', geni_version: '3' }, { geni_type: 'geni_sfa', geni_version: '2' }],
      geni_single_allocation: false,
      geni_allocate: 'geni_many',
      geni_am_type: 'geni-harness-reference',
      urn: `urn:publicid:IDN+${ids.authority.name}+authority+am`,
    });
    expect(value.geni_request_rspec_versions).toEqual([
      { type: 'GENI', version: '3', schema: 'http://www.geni.net/resources/rspec/3/request.xsd', namespace: 'http://www.geni.net/resources/rspec/3', extensions: [] },
    ]);
    expect(geniCode(am.call('GetVersion', [{}]))).toBe(0);
  });
});

describe('ListResources', () => {
  it('returns a schema-valid advertisement for a user credential', () => {
    const am = new AggregateUnderTest(ids);
    const answer = am.call('ListResources', [am.userCredential(), { geni_rspec_version: GENI3, 'x-harness:probe': 1 }]);
    expect(geniCode(answer)).toBe(0);
    const xml = answer.value as string;
    expect(validateRSpec(xml, { expectedType: 'advertisement' }).findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(readAdvertisement(xml).nodes).toHaveLength(6);
  });

  it('answers BADARGS without geni_rspec_version (or without its version) and BADVERSION for an unadvertised one', () => {
    const am = new AggregateUnderTest(ids);
    expect(geniCode(am.call('ListResources', [am.userCredential(), {}]))).toBe(1);
    expect(geniCode(am.call('ListResources', [am.userCredential(), { geni_rspec_version: { type: 'GENI' } }]))).toBe(1);
    expect(geniCode(am.call('ListResources', [am.userCredential(), { geni_rspec_version: { type: 'ProtoGENI', version: '2' } }]))).toBe(4);
    expect(geniCode(am.call('ListResources', [am.userCredential(), { geni_rspec_version: { type: 'geni', version: '3' } }]))).toBe(0);
  });

  it('with geni_available lists only nodes with free capacity, and marks the rest unavailable otherwise', () => {
    const am = new AggregateUnderTest(ids);
    const four = requestXml(['a', 'b', 'c', 'd'].map((clientId) => ({ clientId, sliverType: { name: 'raw-pc' } })));
    expect(geniCode(am.call('Allocate', [ids.slice, am.sliceCredential(), four, {}]))).toBe(0);
    const available = readAdvertisement(am.call('ListResources', [am.userCredential(), { geni_rspec_version: GENI3, geni_available: true }]).value as string);
    expect(available.nodes.map((n) => n.componentName)).toEqual(['vmhost1', 'vmhost2']);
    const all = readAdvertisement(am.call('ListResources', [am.userCredential(), { geni_rspec_version: GENI3 }]).value as string);
    expect(all.nodes.filter((n) => !n.available).map((n) => n.componentName)).toEqual(['pc1', 'pc2', 'pc3', 'pc4']);
  });

  it('compresses with geni_compressed (zlib then base64 in a string)', () => {
    const am = new AggregateUnderTest(ids);
    const answer = am.call('ListResources', [am.userCredential(), { geni_rspec_version: GENI3, geni_compressed: true }]);
    expect(readAdvertisement(decodeCompressedRSpec(answer.value as string)).nodes).toHaveLength(6);
  });
});

describe('Allocate', () => {
  it('allocates all-or-nothing and returns a valid manifest with sliver_ids and the allocated slivers', () => {
    const am = new AggregateUnderTest(ids);
    const answer = am.call('Allocate', [ids.slice, am.sliceCredential(), twoPcs(), {}]);
    expect(geniCode(answer)).toBe(0);
    const value = valueOf(answer);
    const manifestText = value.geni_rspec as string;
    expect(validateRSpec(manifestText, { expectedType: 'manifest' }).findings.filter((f) => f.severity === 'error')).toEqual([]);
    const manifest = readManifest(manifestText);
    const slivers = sliversOf(answer);
    expect(manifest.nodes.map((n) => n.sliverId).sort()).toEqual(slivers.map((s) => s.geni_sliver_urn).sort());
    for (const s of slivers) {
      expect(Object.keys(s).sort()).toEqual(['geni_allocation_status', 'geni_expires', 'geni_sliver_urn']);
      expect(s.geni_allocation_status).toBe('geni_allocated');
      expect(s.geni_expires).toMatch(RFC3339_Z);
    }
  });

  it('allocates links between requested interfaces as slivers of their own, and refuses a link to nowhere', () => {
    const am = new AggregateUnderTest(ids);
    const nodes = [
      { clientId: 'a', sliverType: { name: 'raw-pc' }, interfaces: [{ clientId: 'a:if0' }] },
      { clientId: 'b', interfaces: [{ clientId: 'b:if0' }] },
    ];
    const answer = am.call('Allocate', [ids.slice, am.sliceCredential(), requestXml(nodes, [{ clientId: 'lan', interfaceRefs: ['a:if0', 'b:if0'] }]), {}]);
    expect(geniCode(answer)).toBe(0);
    const manifestText = valueOf(answer).geni_rspec as string;
    expect(validateRSpec(manifestText, { expectedType: 'manifest' }).findings.filter((f) => f.severity === 'error')).toEqual([]);
    const manifest = readManifest(manifestText);
    expect(manifest.links.map((l) => [l.clientId, l.interfaceRefs])).toEqual([['lan', ['a:if0', 'b:if0']]]);
    expect(sliversOf(answer)).toHaveLength(3);
    const dangling = requestXml([{ clientId: 'c' }], [{ clientId: 'lan2', interfaceRefs: ['nowhere:if0'] }]);
    expect(geniCode(am.call('Allocate', [ids.slice, am.sliceCredential(), dangling, {}]))).toBe(1);
  });

  it('answers INSUFFICIENT_NODES when exclusive nodes run out, allocating nothing', () => {
    const am = new AggregateUnderTest(ids);
    allocateTwo(am);
    const three = requestXml(['x', 'y', 'z'].map((clientId) => ({ clientId, sliverType: { name: 'raw-pc' } })));
    const answer = am.call('Allocate', [ids.otherSlice, am.sliceCredential({ slice: ids.otherSlice }), three, {}]);
    expect(geniCode(answer)).toBe(26);
    expect(answer.output).toMatch(/raw-pc/);
    expect(geniCode(am.call('Status', [[ids.otherSlice], am.sliceCredential({ slice: ids.otherSlice }), {}]))).toBe(12);
  });

  it('answers BADARGS for a malformed RSpec, a manifest used as a request, an unknown component and a reused client_id', () => {
    const am = new AggregateUnderTest(ids);
    const cred = am.sliceCredential();
    expect(geniCode(am.call('Allocate', [ids.slice, cred, '<rspec', {}]))).toBe(1);
    const manifest = valueOf(am.call('Allocate', [ids.slice, cred, requestXml([{ clientId: 'm' }]), {}])).geni_rspec as string;
    expect(geniCode(am.call('Allocate', [ids.slice, cred, manifest, {}]))).toBe(1);
    expect(geniCode(am.call('Allocate', [ids.slice, cred, requestXml([{ clientId: 'q', componentId: `urn:publicid:IDN+${ids.authority.name}+node+pc77` }]), {}]))).toBe(1);
    expect(geniCode(am.call('Allocate', [ids.slice, cred, requestXml([{ clientId: 'm' }]), {}]))).toBe(1);
    expect(geniCode(am.call('Allocate', ['not-a-urn', cred, requestXml([{ clientId: 'm2' }]), {}]))).toBe(1);
  });

  it('under geni_single refuses a second Allocate with UNSUPPORTED; under geni_disjoint refuses reusing client_ids', () => {
    const single = new AggregateUnderTest(ids, { allocate: 'geni_single' });
    expect(geniCode(single.call('Allocate', [ids.slice, single.sliceCredential(), requestXml([{ clientId: 'a' }]), {}]))).toBe(0);
    expect(geniCode(single.call('Allocate', [ids.slice, single.sliceCredential(), requestXml([{ clientId: 'b' }]), {}]))).toBe(13);
    const disjoint = new AggregateUnderTest(ids, { allocate: 'geni_disjoint' });
    expect(geniCode(disjoint.call('Allocate', [ids.slice, disjoint.sliceCredential(), requestXml([{ clientId: 'a' }]), {}]))).toBe(0);
    expect(geniCode(disjoint.call('Allocate', [ids.slice, disjoint.sliceCredential(), requestXml([{ clientId: 'a' }]), {}]))).toBe(13);
    expect(geniCode(disjoint.call('Allocate', [ids.slice, disjoint.sliceCredential(), requestXml([{ clientId: 'b' }]), {}]))).toBe(0);
  });

  it('times allocations out after policy.allocatedSeconds, after which their URNs are SEARCHFAILED', () => {
    const am = new AggregateUnderTest(ids, { policy: { allocatedSeconds: 60 } });
    const urns = allocateTwo(am);
    am.advance(59);
    expect(geniCode(am.call('Status', [urns, am.sliceCredential(), {}]))).toBe(0);
    am.advance(2);
    expect(geniCode(am.call('Status', [urns, am.sliceCredential(), {}]))).toBe(12);
  });
});

describe('credential gate', () => {
  it('accepts when any one credential passes, even after a bad one', () => {
    const am = new AggregateUnderTest(ids);
    const bad = sfaCredentialStruct(credentialMutations.alteredObject(mintSliceCredential(ids.authority, ids.alice, ids.slice)));
    expect(geniCode(am.call('Allocate', [ids.slice, [bad, ...am.sliceCredential()], requestXml([{ clientId: 'a' }]), {}]))).toBe(0);
  });

  it('maps each credential problem to its code', () => {
    const am = new AggregateUnderTest(ids);
    const rspec = requestXml([{ clientId: 'a' }]);
    const allocateWith = (credentials: unknown[]) => geniCode(am.call('Allocate', [ids.slice, credentials as never, rspec, {}]));
    const stranger = createTestAuthority({ name: 'stranger.test' });
    expect(allocateWith([])).toBe(3);
    expect(allocateWith([{ geni_type: 'geni_abac', geni_version: '1', geni_value: 'x' }])).toBe(3);
    expect(allocateWith([sfaCredentialStruct(credentialMutations.malformed(mintSliceCredential(ids.authority, ids.alice, ids.slice)))])).toBe(20);
    expect(allocateWith([sfaCredentialStruct(credentialMutations.alteredObject(mintSliceCredential(ids.authority, ids.alice, ids.slice)))])).toBe(20);
    expect(allocateWith([sfaCredentialStruct(mintSliceCredential(stranger, ids.alice, ids.slice))])).toBe(23);
    expect(allocateWith(am.sliceCredential({ expires: new Date(Date.now() - 60_000) }))).toBe(21);
    expect(allocateWith(am.sliceCredential({ owner: ids.mallory }))).toBe(22);
    expect(allocateWith(am.sliceCredential({ slice: ids.otherSlice }))).toBe(22);
    expect(allocateWith(am.userCredential())).toBe(22);
    expect(allocateWith(am.sliceCredential({ privileges: [{ name: 'info' }] }))).toBe(3);
    expect(geniCode(am.call('ListResources', ['not an array', { geni_rspec_version: GENI3 }]))).toBe(1);
  });
});

describe('the sliver lifecycle', () => {
  it('Allocate → Provision → geni_start → Status → Renew → Delete → SEARCHFAILED', () => {
    const am = new AggregateUnderTest(ids);
    const cred = am.sliceCredential();
    const urns = allocateTwo(am);

    const provisioned = am.call('Provision', [[ids.slice], cred, { geni_rspec_version: GENI3, geni_users: [{ urn: ids.alice.urn, keys: ['ssh-rsa AAAA alice'] }] }]);
    expect(geniCode(provisioned)).toBe(0);
    expect(sliversOf(provisioned).map((s) => [s.geni_allocation_status, s.geni_operational_status, s.geni_error])).toEqual([
      ['geni_provisioned', 'geni_notready', ''],
      ['geni_provisioned', 'geni_notready', ''],
    ]);
    const manifest = valueOf(provisioned).geni_rspec as string;
    expect(manifest).toMatch(/<login [^>]*username="alice"/);
    expect(validateRSpec(manifest, { expectedType: 'manifest' }).findings.filter((f) => f.severity === 'error')).toEqual([]);

    expect(geniCode(am.call('PerformOperationalAction', [urns, cred, 'geni_start', {}]))).toBe(0);
    const status = am.call('Status', [[ids.slice], cred, {}]);
    expect(valueOf(status).geni_urn).toBe(ids.slice);
    expect(sliversOf(status).map((s) => s.geni_operational_status)).toEqual(['geni_ready', 'geni_ready']);

    const target = new Date(am.now.getTime() + 4 * 86_400_000);
    target.setUTCMilliseconds(0);
    const renewed = am.call('Renew', [urns, cred, target.toISOString().replace('.000Z', 'Z'), {}]);
    expect(geniCode(renewed)).toBe(0);
    expect(sliversOf(renewed).map((s) => s.geni_expires)).toEqual([target.toISOString().replace('.000Z', 'Z'), target.toISOString().replace('.000Z', 'Z')]);

    const deleted = am.call('Delete', [urns, cred, {}]);
    expect(sliversOf(deleted).map((s) => s.geni_allocation_status)).toEqual(['geni_unallocated', 'geni_unallocated']);
    expect(geniCode(am.call('Status', [urns, cred, {}]))).toBe(12);
    expect(geniCode(am.call('Status', [[ids.slice], cred, {}]))).toBe(12);
  });

  it('refuses operational actions that are unknown or not legal in the current state with UNSUPPORTED', () => {
    const am = new AggregateUnderTest(ids);
    const cred = am.sliceCredential();
    const urns = allocateTwo(am);
    expect(geniCode(am.call('PerformOperationalAction', [urns, cred, 'geni_start', {}]))).toBe(13);
    am.call('Provision', [urns, cred, { geni_rspec_version: GENI3 }]);
    expect(geniCode(am.call('PerformOperationalAction', [urns, cred, 'geni_stop', {}]))).toBe(13);
    expect(geniCode(am.call('PerformOperationalAction', [urns, cred, 'geni_levitate', {}]))).toBe(13);
    expect(geniCode(am.call('PerformOperationalAction', [urns, cred, 'geni_update_users', { geni_users: [] }]))).toBe(7);
  });

  it('Renew: past → OUTOFRANGE, beyond the credential → OUTOFRANGE with the limit as hint, geni_extend_alap → the limit', () => {
    const am = new AggregateUnderTest(ids);
    const credExpiry = new Date(am.now.getTime() + 86_400_000);
    credExpiry.setUTCMilliseconds(0);
    const cred = am.sliceCredential({ expires: credExpiry });
    const urns = allocateTwo(am);
    am.call('Provision', [urns, cred, { geni_rspec_version: GENI3 }]);
    const limit = credExpiry.toISOString().replace('.000Z', 'Z');
    expect(geniCode(am.call('Renew', [urns, cred, 'not a date', {}]))).toBe(1);
    expect(geniCode(am.call('Renew', [urns, cred, '2001-01-01T00:00:00Z', {}]))).toBe(19);
    const far = new Date(am.now.getTime() + 2 * 86_400_000).toISOString();
    const refused = am.call('Renew', [urns, cred, far, {}]);
    expect([geniCode(refused), refused.value]).toEqual([19, limit]);
    expect(sliversOf(am.call('Status', [urns, cred, {}])).map((s) => s.geni_expires)).toEqual([limit, limit]);
    const alap = am.call('Renew', [urns, cred, far, { geni_extend_alap: true }]);
    expect(geniCode(alap)).toBe(0);
    expect(sliversOf(alap).map((s) => s.geni_expires)).toEqual([limit, limit]);
    expect(alap.output).toMatch(/geni_extend_alap/);
  });

  it('with geni_best_effort provisions what it can and reports geni_error for the rest', () => {
    const am = new AggregateUnderTest(ids);
    const cred = am.sliceCredential();
    const [first, second] = allocateTwo(am);
    am.call('Provision', [[first], cred, { geni_rspec_version: GENI3 }]);
    expect(geniCode(am.call('Provision', [[first, second], cred, { geni_rspec_version: GENI3 }]))).toBe(13);
    const partial = am.call('Provision', [[first, second], cred, { geni_rspec_version: GENI3, geni_best_effort: true }]);
    expect(geniCode(partial)).toBe(0);
    expect(sliversOf(partial).map((s) => (s.geni_error as string).length > 0)).toEqual([true, false]);
  });

  it('after Shutdown refuses Allocate, Renew and POA with REFUSED but still answers Status', () => {
    const am = new AggregateUnderTest(ids);
    const cred = am.sliceCredential();
    const urns = allocateTwo(am);
    const shut = am.call('Shutdown', [ids.slice, cred, {}]);
    expect([geniCode(shut), shut.value]).toEqual([0, true]);
    expect(geniCode(am.call('Allocate', [ids.slice, cred, requestXml([{ clientId: 'late' }]), {}]))).toBe(7);
    expect(geniCode(am.call('Renew', [urns, cred, new Date(am.now.getTime() + 60_000).toISOString(), {}]))).toBe(7);
    expect(geniCode(am.call('Provision', [urns, cred, { geni_rspec_version: GENI3 }]))).toBe(7);
    expect(geniCode(am.call('Status', [urns, cred, {}]))).toBe(0);
  });

  it('Describe of a slice without slivers is an empty valid manifest', () => {
    const am = new AggregateUnderTest(ids);
    const answer = am.call('Describe', [[ids.slice], am.sliceCredential(), { geni_rspec_version: GENI3 }]);
    expect(geniCode(answer)).toBe(0);
    expect(valueOf(answer).geni_slivers).toEqual([]);
    expect(valueOf(answer).geni_urn).toBe(ids.slice);
    expect(readManifest(valueOf(answer).geni_rspec as string).nodes).toEqual([]);
    expect(geniCode(am.call('Describe', [[ids.slice], am.sliceCredential(), {}]))).toBe(1);
  });

  it('with geni_single_allocation refuses operations on a subset of the slivers in a state', () => {
    const am = new AggregateUnderTest(ids, { singleAllocation: true });
    const cred = am.sliceCredential();
    const [first, second] = allocateTwo(am);
    expect(geniCode(am.call('Provision', [[first], cred, { geni_rspec_version: GENI3 }]))).toBe(13);
    expect(geniCode(am.call('Provision', [[first, second], cred, { geni_rspec_version: GENI3 }]))).toBe(0);
  });
});

describe('urns and parameters', () => {
  it('answers BADARGS for mixed, multi-slice or non-URN lists, wrong types and counts; SEARCHFAILED for unknown slivers', () => {
    const am = new AggregateUnderTest(ids);
    const cred = am.sliceCredential();
    const [sliver] = allocateTwo(am);
    const unknownSliver = `urn:publicid:IDN+${ids.authority.name}+sliver+nope`;
    expect(geniCode(am.call('Status', [[ids.slice, sliver], cred, {}]))).toBe(1);
    expect(geniCode(am.call('Status', [[ids.slice, ids.otherSlice], cred, {}]))).toBe(1);
    expect(geniCode(am.call('Status', [[ids.alice.urn], cred, {}]))).toBe(1);
    expect(geniCode(am.call('Status', [ids.slice, cred, {}]))).toBe(1);
    expect(geniCode(am.call('Status', [[ids.slice], cred]))).toBe(1);
    expect(geniCode(am.call('Status', [[ids.slice], cred, 'options']))).toBe(1);
    expect(geniCode(am.call('Status', [[unknownSliver], cred, {}]))).toBe(12);
    expect(geniCode(am.call('Delete', [[ids.otherSlice], am.sliceCredential({ slice: ids.otherSlice }), {}]))).toBe(12);
  });

  it('answers an unknown method with XML-RPC fault -32601, and every error struct has output', () => {
    const am = new AggregateUnderTest(ids);
    expect(() => am.call('CreateSliver', [])).toThrow(XmlRpcFault);
    const error = am.call('Status', [[ids.slice], am.sliceCredential(), {}]);
    expect(error).toMatchObject({ code: { geni_code: 12, am_type: 'geni-harness', am_code: 12 }, value: '' });
    expect(error.output).toMatch(/alpha/);
  });
});
