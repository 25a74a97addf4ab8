import { beforeAll, describe, expect, it } from 'vitest';
import { createTestAuthority, credentialMutations, delegationParties, mintDelegationVariant, mintSliceCredential, sfaCredentialStruct, withSliceAuthorityUrn, type DelegationRule } from '../../src/credentials';
import { readAdvertisement, readManifest, validateRSpec } from '../../src/rspec';
import { REFERENCE_FAULTS, callV3, type ReferenceFaultName } from '../../src/reference-am';
import type { DynsliceFaultName } from '../../src/reference-am/dynslice/faults';
import { XmlRpcFault } from '../../src/server';
import type { XmlRpcValue } from '../../src/xmlrpc';
import { AggregateUnderTest, GENI3, geniCode, mintIdentities, requestXml, sliversOf, valueOf, type Identities } from './aggregate-fixture';
import { propertyFaultDeviations } from './property-fault-deviations';
import { loginFaultDeviations } from './login-fault-deviations';

let ids: Identities;
beforeAll(() => {
  ids = mintIdentities('fault-behaviour.test');
});

function allocateTwo(am: AggregateUnderTest): string[] {
  const rspec = requestXml([{ clientId: 'n1', sliverType: { name: 'raw-pc' } }, { clientId: 'n2', sliverType: { name: 'raw-pc' } }]);
  const answer = am.call('Allocate', [ids.slice, am.sliceCredential(), rspec, {}]);
  expect(geniCode(answer)).toBe(0);
  return sliversOf(answer).map((s) => s.geni_sliver_urn as string);
}

const allocateOneWith = (am: AggregateUnderTest, credentials: unknown[]) =>
  geniCode(am.call('Allocate', [ids.slice, credentials as never, requestXml([{ clientId: 'a' }]), {}]));

const v1Create = (am: AggregateUnderTest, rspec = requestXml([{ clientId: 'a' }])) => am.callV1('CreateSliver', [ids.slice, am.sliceCredentialXml(), rspec, []]);
const v2Create = (am: AggregateUnderTest, rspec = requestXml([{ clientId: 'a' }])) =>
  geniCode(am.callV2('CreateSliver', [ids.slice, am.sliceCredentialXml(), rspec, [], {}]));
const oneHour = () => new Date(Date.now() + 3_600_000);
const inTwoHours = () => new Date(Date.now() + 7_200_000).toISOString();
/** Describe of the slice with a credential delegated to alice that breaks `rule`: with the matching fault, it is authorised. */
const describeDelegated = (rule: DelegationRule) => (am: AggregateUnderTest) => {
  const parties = delegationParties(ids.authority);
  const xml = mintDelegationVariant(ids.authority, rule, { sliceUrn: ids.slice, sliceExpires: oneHour(), delegate: ids.alice, ...parties });
  expect(geniCode(am.call('Describe', [[ids.slice], [sfaCredentialStruct(xml)], { geni_rspec_version: GENI3 }]))).toBe(0);
};
const userCredXml = (am: AggregateUnderTest) => am.userCredential().map((c) => String((c as { geni_value: string }).geni_value));

/** The AM's own faults; the dynslice server's are shown by test/reference-am/dynslice/. */
type AmFaultName = Exclude<ReferenceFaultName, DynsliceFaultName>;
const AM_FAULTS = REFERENCE_FAULTS.filter((f) => f.suite === undefined).map((f) => f.name as AmFaultName);

/** For each fault: what the aggregate visibly does wrong with it switched on. */
const DEVIATIONS: Record<AmFaultName, (am: AggregateUnderTest) => void> = {
  // The faults only property cases catch (test/reference-am/property-fault-deviations.ts).
  ...propertyFaultDeviations(new Proxy({} as Identities, { get: (_, key) => ids[key as keyof Identities] })),
  // The node-login faults (test/reference-am/login-fault-deviations.ts).
  ...loginFaultDeviations(new Proxy({} as Identities, { get: (_, key) => ids[key as keyof Identities] })),
  'getversion-omits-api-versions': (am) => expect(valueOf(am.call('GetVersion', [])).geni_api_versions).toBeUndefined(),
  'getversion-relative-api-urls': (am) => {
    const urls = valueOf(am.call('GetVersion', [])).geni_api_versions as Record<string, string>;
    expect(Object.values(urls).length).toBeGreaterThan(0);
    for (const url of Object.values(urls)) expect(url).toMatch(/^\/am\/\d$/);
  },
  'getversion-api-as-string': (am) => {
    const answer = am.call('GetVersion', []);
    expect([answer.geni_api, valueOf(answer).geni_api]).toEqual(['3', '3']);
  },
  'getversion-omits-credential-types': (am) => expect(valueOf(am.call('GetVersion', [])).geni_credential_types).toBeUndefined(),
  'ignores-compressed': (am) => {
    const answer = am.call('ListResources', [am.userCredential(), { geni_rspec_version: GENI3, geni_compressed: true }]);
    expect(answer.value).toMatch(/^<\?xml/);
  },
  'invalid-advertisement': (am) => {
    const xml = am.call('ListResources', [am.userCredential(), { geni_rspec_version: GENI3 }]).value as string;
    expect(xml).toMatch(/<hardware_type\s*\/?>/); // no name attribute (it may hold the emulab:node_type capacity)
    expect(validateRSpec(xml, { expectedType: 'advertisement' }).findings.some((f) => f.severity === 'error')).toBe(true);
  },
  'advertisement-in-pgv2': (am) => {
    const xml = am.call('ListResources', [am.userCredential(), { geni_rspec_version: GENI3 }]).value as string;
    const result = validateRSpec(xml, { expectedType: 'advertisement', expect: 'geni3' });
    expect(result).toMatchObject({ schemaValid: true, namespace: 'http://www.protogeni.net/resources/rspec/2' });
    expect(result.findings.filter((f) => f.severity === 'error').map((f) => f.rule)).toEqual(['rspec-version']);
  },
  'available-ignored': (am) => {
    const four = requestXml(['a', 'b', 'c', 'd'].map((clientId) => ({ clientId, sliverType: { name: 'raw-pc' } })));
    expect(geniCode(am.call('Allocate', [ids.slice, am.sliceCredential(), four, {}]))).toBe(0);
    const ad = readAdvertisement(am.call('ListResources', [am.userCredential(), { geni_rspec_version: GENI3, geni_available: true }]).value as string);
    expect(ad.nodes.filter((n) => !n.available)).toHaveLength(4);
  },
  'advertises-allocated-as-available': (am) => {
    const four = requestXml(['a', 'b', 'c', 'd'].map((clientId) => ({ clientId, sliverType: { name: 'raw-pc' } })));
    expect(geniCode(am.call('Allocate', [ids.slice, am.sliceCredential(), four, {}]))).toBe(0);
    const ad = readAdvertisement(am.call('ListResources', [am.userCredential(), { geni_rspec_version: GENI3 }]).value as string);
    expect(ad.nodes.filter((n) => !n.available)).toHaveLength(0);
  },
  'accepts-expired-credential': (am) => expect(allocateOneWith(am, am.sliceCredential({ expires: new Date(Date.now() - 60_000) }))).toBe(0),
  'accepts-malformed-credential-urns': (am) => {
    // A slice authority the CA vouches for, over the same names, naming itself with a space in its URN.
    const signer = withSliceAuthorityUrn(ids.authority, `urn:publicid:IDN+${ids.authority.name}+authority+slice authority`);
    expect(allocateOneWith(am, [sfaCredentialStruct(mintSliceCredential(signer, ids.alice, ids.slice, { expires: oneHour() }))])).toBe(0);
  },
  'client-certificate-optional': (am) => {
    // In process there is no TLS: the call arrives with no client certificate, carrying alice's valid user credential.
    const answer = callV3(am.env, 'ListResources', [am.userCredential(), { geni_rspec_version: GENI3 }], { now: am.now }) as Record<string, XmlRpcValue>;
    expect(geniCode(answer)).toBe(0);
  },
  'accepts-untrusted-signer': (am) => {
    const stranger = createTestAuthority({ name: 'stranger.test' });
    expect(allocateOneWith(am, [sfaCredentialStruct(mintSliceCredential(stranger, ids.alice, ids.slice))])).toBe(0);
  },
  'accepts-altered-credential': (am) => {
    const altered = credentialMutations.alteredObject(mintSliceCredential(ids.authority, ids.alice, ids.slice));
    expect(allocateOneWith(am, [sfaCredentialStruct(altered)])).toBe(0);
  },
  'accepts-other-owner': (am) => expect(allocateOneWith(am, am.sliceCredential({ owner: ids.mallory }))).toBe(0),
  'accepts-wrong-slice-credential': (am) => {
    expect(allocateOneWith(am, am.sliceCredential({ slice: ids.otherSlice }))).toBe(0);
    expect(geniCode(am.call('Status', [[ids.slice], am.userCredential(), {}]))).toBe(0);
  },
  'delegation-parent-signature-unchecked': describeDelegated('parent-signature'),
  'delegation-signer-unchecked': describeDelegated('signed-by-parent-owner'),
  'delegation-target-unchecked': describeDelegated('same-target'),
  'delegation-widens-privileges': describeDelegated('no-wider-privileges'),
  'delegation-ignores-can-delegate': describeDelegated('privileges-delegatable'),
  'delegation-outlives-parent': describeDelegated('expires-within-parent'),
  'listresources-accepts-no-credentials': (am) => {
    expect(geniCode(am.call('ListResources', [[], { geni_rspec_version: GENI3 }]))).toBe(0);
    expect(geniCode(am.call('ListResources', [[{ geni_type: 'x-unknown', geni_version: '1', geni_value: 'x' }], { geni_rspec_version: GENI3 }]))).toBe(0);
    // A credential it knows is still checked.
    expect(geniCode(am.call('ListResources', [am.sliceCredential({ slice: ids.otherSlice }).map((c) => ({ ...(c as object), geni_value: 'not a credential' })), { geni_rspec_version: GENI3 }]))).not.toBe(0);
  },
  'describe-empty-slice-searchfailed': (am) => {
    expect(geniCode(am.call('Describe', [[ids.otherSlice], am.sliceCredential({ slice: ids.otherSlice }), { geni_rspec_version: GENI3 }]))).toBe(12);
  },
  'missing-rspec-version-accepted': (am) => expect(geniCode(am.call('ListResources', [am.userCredential(), {}]))).toBe(0),
  'unsupported-rspec-version-wrong-code': (am) =>
    expect(geniCode(am.call('ListResources', [am.userCredential(), { geni_rspec_version: { type: 'ProtoGENI', version: '2' } }]))).toBe(0),
  'unknown-option-rejected': (am) =>
    expect(geniCode(am.call('ListResources', [am.userCredential(), { geni_rspec_version: GENI3, 'x-harness:probe': true }]))).toBe(1),
  'delete-leaves-sliver-listed': (am) => {
    const urns = allocateTwo(am);
    expect(geniCode(am.call('Delete', [urns, am.sliceCredential(), {}]))).toBe(0);
    expect(sliversOf(am.call('Status', [urns, am.sliceCredential(), {}])).map((s) => s.geni_allocation_status)).toEqual(['geni_allocated', 'geni_allocated']);
  },
  'status-wrong-state-after-provision': (am) => {
    const urns = allocateTwo(am);
    am.call('Provision', [urns, am.sliceCredential(), { geni_rspec_version: GENI3 }]);
    expect(sliversOf(am.call('Status', [urns, am.sliceCredential(), {}])).map((s) => s.geni_allocation_status)).toEqual(['geni_allocated', 'geni_allocated']);
  },
  'renew-past-credential': (am) => {
    const cred = am.sliceCredential({ expires: new Date(am.now.getTime() + 86_400_000) });
    const urns = allocateTwo(am);
    am.call('Provision', [urns, cred, { geni_rspec_version: GENI3 }]);
    expect(geniCode(am.call('Renew', [urns, cred, new Date(am.now.getTime() + 2 * 86_400_000).toISOString(), {}]))).toBe(0);
  },
  'extend-alap-ignored': (am) => {
    const cred = am.sliceCredential({ expires: new Date(am.now.getTime() + 86_400_000) });
    const urns = allocateTwo(am);
    am.call('Provision', [urns, cred, { geni_rspec_version: GENI3 }]);
    const far = new Date(am.now.getTime() + 2 * 86_400_000).toISOString();
    expect(geniCode(am.call('Renew', [urns, cred, far, { geni_extend_alap: true }]))).toBe(19);
  },
  'status-omits-geni-error': (am) => {
    const urns = allocateTwo(am);
    for (const s of sliversOf(am.call('Status', [urns, am.sliceCredential(), {}]))) expect('geni_error' in s).toBe(false);
  },
  'error-as-fault': (am) => {
    expect(() => am.call('Status', [[ids.slice], am.sliceCredential(), {}])).toThrow(XmlRpcFault);
  },
  'output-missing-on-error': (am) => {
    const answer = am.call('Status', [[ids.slice], am.sliceCredential(), {}]);
    expect(geniCode(answer)).toBe(12);
    expect('output' in answer).toBe(false);
  },
  'manifest-missing-sliver-id': (am) => {
    const answer = am.call('Allocate', [ids.slice, am.sliceCredential(), requestXml([{ clientId: 'a' }]), {}]);
    expect(readManifest(valueOf(answer).geni_rspec as string).nodes.map((n) => n.sliverId)).toEqual([undefined]);
  },
  'refused-allocate-keeps-nodes': (am) => {
    const adNow = () => readAdvertisement(am.call('ListResources', [am.userCredential(), { geni_rspec_version: GENI3 }]).value as string);
    const pc = adNow().nodes.find((n) => n.exclusive && n.available)!;
    // The same bare-metal node twice: refused (INSUFFICIENT_NODES), and with the fault its first place stays taken.
    const twice = requestXml(['a', 'b'].map((clientId) => ({ clientId, componentId: pc.componentId, componentManagerId: pc.componentManagerId })));
    expect(geniCode(am.call('Allocate', [ids.slice, am.sliceCredential(), twice, {}]))).toBe(26);
    expect(am.call('Delete', [[ids.slice], am.sliceCredential(), {}])).toBeDefined();
    expect(adNow().nodes.find((n) => n.componentId === pc.componentId)?.available).toBe(false);
  },
  'allocate-ignores-capacity': (am) => {
    const five = requestXml(['a', 'b', 'c', 'd', 'e'].map((clientId) => ({ clientId, sliverType: { name: 'raw-pc' } })));
    expect(geniCode(am.call('Allocate', [ids.slice, am.sliceCredential(), five, {}]))).toBe(0);
  },
  'searchfailed-as-empty-success': (am) => {
    const answer = am.call('Status', [[`urn:publicid:IDN+${ids.authority.name}+sliver+nope`], am.sliceCredential(), {}]);
    expect([geniCode(answer), valueOf(answer).geni_slivers]).toEqual([0, []]);
  },
  'unadvertised-operational-state': (am) => {
    const urns = allocateTwo(am);
    am.call('Provision', [urns, am.sliceCredential(), { geni_rspec_version: GENI3 }]);
    expect(sliversOf(am.call('Status', [urns, am.sliceCredential(), {}])).map((s) => s.geni_operational_status)).toEqual(['node_idle', 'node_idle']);
    expect(readAdvertisement(String(am.call('ListResources', [am.userCredential(), { geni_rspec_version: GENI3 }]).value)).operationalStates).toBeUndefined();
  },
  'poa-accepts-unknown-action': (am) => {
    const urns = allocateTwo(am);
    expect(geniCode(am.call('PerformOperationalAction', [urns, am.sliceCredential(), 'geni_levitate', {}]))).toBe(0);
  },
  'describe-wrong-slice-urn': (am) => {
    allocateTwo(am);
    const answer = am.call('Describe', [[ids.slice], am.sliceCredential(), { geni_rspec_version: GENI3 }]);
    expect(valueOf(answer).geni_urn).not.toBe(ids.slice);
  },
  'expires-not-rfc3339': (am) => {
    const answer = am.call('Allocate', [ids.slice, am.sliceCredential(), requestXml([{ clientId: 'a' }]), {}]);
    expect(sliversOf(answer)[0]?.geni_expires).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  },
  'single-allocate-twice': (am) => {
    expect(allocateOneWith(am, am.sliceCredential())).toBe(0);
    expect(geniCode(am.call('Allocate', [ids.slice, am.sliceCredential(), requestXml([{ clientId: 'b' }]), {}]))).toBe(0);
  },
  'shutdown-not-enforced': (am) => {
    allocateTwo(am);
    am.call('Shutdown', [ids.slice, am.sliceCredential(), {}]);
    expect(geniCode(am.call('Allocate', [ids.slice, am.sliceCredential(), requestXml([{ clientId: 'late' }]), {}]))).toBe(0);
  },
  'v1-error-as-struct': (am) => {
    const answer = am.callV1('SliverStatus', [ids.slice, am.sliceCredentialXml()]);
    expect(answer).toMatchObject({ value: { code: { geni_code: 12 }, output: expect.stringMatching(/no slivers/) } });
  },
  'v1-unsupported-rspec-version-accepted': (am) => {
    const answer = am.callV1('ListResources', [userCredXml(am), { rspec_version: { type: 'ProtoGENI', version: '2' } }]);
    expect(readAdvertisement((answer as { value: string }).value).nodes.length).toBeGreaterThan(0);
  },
  'v1-text-fault-codes': (am) => {
    const answer = am.callV1('SliverStatus', [ids.slice, am.sliceCredentialXml()]);
    expect(answer).toMatchObject({ fault: { faultCode: 'No such slice.', faultString: expect.stringMatching(/no slivers/) } });
  },
  'v1-renewsliver-past-credential': (am) => {
    expect(v1Create(am)).toHaveProperty('value');
    const cred = am.sliceCredentialXml({ expires: oneHour() });
    expect(am.callV1('RenewSliver', [ids.slice, cred, inTwoHours()])).toEqual({ value: true });
  },
  'v2-getversion-omits-top-level-api': (am) => {
    const answer = am.callV2('GetVersion', []);
    expect([answer.geni_api, valueOf(answer).geni_api]).toEqual([undefined, 2]);
  },
  'v2-draft-code-shape': (am) => {
    const answer = am.callV2('SliverStatus', [ids.slice, am.sliceCredentialXml(), {}]);
    expect(answer).toEqual({ code: 12, value: '', option: expect.stringMatching(/no slivers/) });
  },
  'v2-missing-rspec-version-accepted': (am) => expect(geniCode(am.callV2('ListResources', [userCredXml(am), {}]))).toBe(0),
  'v2-createsliver-twice': (am) => {
    expect(v2Create(am)).toBe(0);
    expect(v2Create(am, requestXml([{ clientId: 'b' }]))).toBe(0);
  },
  'v2-sliverstatus-wrong-precedence': (am) => {
    // The PC re-images for minutes while the VM is up at once: the slice as a whole is still configuring.
    expect(v2Create(am, requestXml([{ clientId: 'pc', sliverType: { name: 'raw-pc' } }, { clientId: 'vm' }]))).toBe(0);
    const status = valueOf(am.callV2('SliverStatus', [ids.slice, am.sliceCredentialXml(), {}]));
    expect((status.geni_resources as Array<{ geni_status: string }>).map((r) => r.geni_status).sort()).toEqual(['configuring', 'ready']);
    expect(status.geni_status).toBe('ready');
  },
  'v2-renewsliver-past-credential': (am) => {
    expect(v2Create(am)).toBe(0);
    const answer = am.callV2('RenewSliver', [ids.slice, am.sliceCredentialXml({ expires: oneHour() }), inTwoHours(), {}]);
    expect([geniCode(answer), answer.value]).toEqual([0, true]);
  },
  'v2-exception-as-fault': (am) => {
    expect(v2Create(am)).toBe(0);
    expect(() => am.callV2('RenewSliver', [ids.slice, am.sliceCredentialXml(), 'next tuesday', {}])).toThrow(XmlRpcFault);
  },
  'v2-renewsliver-output-date': (am) => {
    expect(v2Create(am)).toBe(0);
    const answer = am.callV2('RenewSliver', [ids.slice, am.sliceCredentialXml(), inTwoHours(), {}]);
    expect(answer).toMatchObject({ code: { geni_code: 0 }, value: true, output: expect.any(Date) });
  },
  'v2-shutdown-not-enforced': (am) => {
    expect(v2Create(am)).toBe(0);
    expect(geniCode(am.callV2('Shutdown', [ids.slice, am.sliceCredentialXml(), {}]))).toBe(0);
    expect(geniCode(am.callV2('RenewSliver', [ids.slice, am.sliceCredentialXml(), inTwoHours(), {}]))).toBe(0);
  },
  'updatesliver-not-atomic': (am) => {
    expect(v2Create(am, requestXml([{ clientId: 'keep' }, { clientId: 'drop' }]))).toBe(0);
    // Five bare-metal PCs where there are four: the update must fail, and with the fault 'drop' is gone anyway.
    const wanted = requestXml([{ clientId: 'keep' }, ...['p1', 'p2', 'p3', 'p4', 'p5'].map((clientId) => ({ clientId, sliverType: { name: 'raw-pc' } }))]);
    expect(geniCode(am.callV2('UpdateSliver', [ids.slice, am.sliceCredentialXml(), wanted, [], {}]))).toBe(26);
    const status = valueOf(am.callV2('SliverStatus', [ids.slice, am.sliceCredentialXml(), {}]));
    expect((status.geni_resources as unknown[]).length).not.toBe(2);
  },
};

/** What the aggregate must offer for the fault to be reachable at all. */
function settingsFor(name: AmFaultName) {
  return { allocate: name === 'single-allocate-twice' ? ('geni_single' as const) : undefined, updateSliver: name === 'updatesliver-not-atomic' };
}

describe('reference AM faults change behaviour when switched on', () => {
  it('has a deviation test for every registered fault', () => {
    expect(Object.keys(DEVIATIONS).sort()).toEqual([...AM_FAULTS].sort());
  });

  it.each(AM_FAULTS)('%s', (name) => {
    const am = new AggregateUnderTest(ids, { faults: [name], ...settingsFor(name) });
    DEVIATIONS[name](am);
  });

  it.each(AM_FAULTS)('%s is not the default behaviour', (name) => {
    const am = new AggregateUnderTest(ids, settingsFor(name));
    expect(() => DEVIATIONS[name](am)).toThrow();
  });
});
