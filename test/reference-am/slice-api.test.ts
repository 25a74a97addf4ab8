import { beforeAll, describe, expect, it } from 'vitest';
import { decodeCompressedRSpec, readAdvertisement, readManifest } from '../../src/rspec';
import { readVersionInfo } from '../../src/geni/version-info';
import { overallStatus, resourceStatus } from '../../src/reference-am/slice-api/sliver-status-mapping';
import { FaultSet, personalityNamed } from '../../src/reference-am';
import type { Sliver } from '../../src/reference-am/model';
import { AggregateUnderTest, GENI3, geniCode, mintIdentities, requestXml, sliversOf, valueOf, type Identities } from './aggregate-fixture';

let ids: Identities;
beforeAll(() => {
  ids = mintIdentities('slice-api.test');
});

const PC_AND_VM = () => requestXml([{ clientId: 'pc', sliverType: { name: 'raw-pc' }, interfaces: [{ clientId: 'pc:if0' }] }, { clientId: 'vm', interfaces: [{ clientId: 'vm:if0' }] }], [
  { clientId: 'lan', interfaceRefs: ['pc:if0', 'vm:if0'], interfaces: [] } as never,
]);
const iso = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');
const resources = (status: Record<string, unknown>) => status.geni_resources as Array<{ geni_urn: string; geni_status: string; geni_error: string }>;

function v1Value(answer: ReturnType<AggregateUnderTest['callV1']>) {
  if (!('value' in answer)) throw new Error(`v1 Fault ${answer.fault.faultCode}: ${answer.fault.faultString}`);
  return answer.value;
}
function v1FaultCode(answer: ReturnType<AggregateUnderTest['callV1']>): number | string | undefined {
  return 'fault' in answer ? answer.fault.faultCode : undefined;
}
const userXml = (am: AggregateUnderTest) => am.userCredential().map((c) => String((c as { geni_value: string }).geni_value));

describe('v1/v2 SliverStatus words', () => {
  const sliver = (allocation: Sliver['allocation'], operational: Sliver['operational']) => ({ allocation, operational }) as Sliver;

  it('maps v3 states: ready → ready, booting or not started → configuring, only allocated → unknown', () => {
    expect(resourceStatus(sliver('geni_provisioned', 'geni_ready'))).toBe('ready');
    expect(resourceStatus(sliver('geni_provisioned', 'geni_configuring'))).toBe('configuring');
    expect(resourceStatus(sliver('geni_provisioned', 'geni_notready'))).toBe('configuring');
    expect(resourceStatus(sliver('geni_allocated', 'geni_pending_allocation'))).toBe('unknown');
  });

  it('orders the overall status failed > configuring > all ready > unknown', () => {
    const none = new FaultSet();
    expect(overallStatus(['ready', 'configuring', 'failed'], 2, none)).toBe('failed');
    expect(overallStatus(['ready', 'configuring'], 2, none)).toBe('configuring');
    expect(overallStatus(['ready', 'ready'], 2, none)).toBe('ready');
    expect(overallStatus(['ready', 'unknown'], 2, none)).toBe('unknown');
    expect(overallStatus([], 1, none)).toBe('unknown');
  });

  it('under v2-sliverstatus-wrong-precedence calls a half-ready slice ready in v2 only', () => {
    const faulty = new FaultSet(['v2-sliverstatus-wrong-precedence']);
    expect(overallStatus(['ready', 'configuring'], 2, faulty)).toBe('ready');
    expect(overallStatus(['ready', 'configuring'], 1, faulty)).toBe('configuring');
  });
});

describe('AM API v1 over the shared model', () => {
  it('GetVersion is the plain change set A struct listing all three endpoints', () => {
    const am = new AggregateUnderTest(ids);
    const version = v1Value(am.callV1('GetVersion', [])) as Record<string, unknown>;
    expect(version).toMatchObject({ geni_api: 1, default_ad_rspec: GENI3, geni_api_versions: { '1': expect.stringMatching(/\/am\/1$/), '2': expect.any(String), '3': expect.any(String) } });
    expect(version.ad_rspec_versions).toEqual([expect.objectContaining({ ...GENI3, extensions: [], namespace: 'http://www.geni.net/resources/rspec/3' })]);
    expect(version.request_rspec_versions).toHaveLength(1);
  });

  it('ListResources: advertisement by default, compressed on request, unsupported rspec_version is a BADVERSION Fault', () => {
    const am = new AggregateUnderTest(ids);
    const ad = v1Value(am.callV1('ListResources', [userXml(am), {}])) as string;
    expect(readAdvertisement(ad).nodes).toHaveLength(6);
    const compressed = v1Value(am.callV1('ListResources', [userXml(am), { geni_compressed: true, rspec_version: GENI3 }])) as string;
    expect(readAdvertisement(decodeCompressedRSpec(compressed)).nodes).toHaveLength(6);
    expect(v1FaultCode(am.callV1('ListResources', [userXml(am), { rspec_version: { type: 'ProtoGENI', version: '2' } }]))).toBe(4);
  });

  it('CreateSliver → ListResources(geni_slice_urn) → SliverStatus → RenewSliver → DeleteSliver', () => {
    const am = new AggregateUnderTest(ids);
    const cred = am.sliceCredentialXml({ expires: new Date(am.now.getTime() + 10 * 86_400_000) });
    const manifest = readManifest(v1Value(am.callV1('CreateSliver', [ids.slice, cred, PC_AND_VM(), [{ urn: ids.alice.urn, keys: ['ssh-rsa AAAA x'] }]])) as string);
    expect(manifest.nodes.map((n) => n.clientId).sort()).toEqual(['pc', 'vm']);
    expect(manifest.links.map((l) => l.clientId)).toEqual(['lan']);

    const sliceManifest = readManifest(v1Value(am.callV1('ListResources', [cred, { geni_slice_urn: ids.slice }])) as string);
    expect(sliceManifest.nodes.map((n) => n.sliverId).sort()).toEqual(manifest.nodes.map((n) => n.sliverId).sort());

    const status = v1Value(am.callV1('SliverStatus', [ids.slice, cred])) as Record<string, unknown>;
    expect(status).toMatchObject({ geni_urn: ids.slice, geni_status: 'configuring' });
    expect(status).not.toHaveProperty('geni_expires');
    expect(resources(status)).toHaveLength(3);
    am.advance(181);
    expect((v1Value(am.callV1('SliverStatus', [ids.slice, cred])) as Record<string, unknown>).geni_status).toBe('ready');

    expect(v1Value(am.callV1('RenewSliver', [ids.slice, cred, iso(new Date(am.now.getTime() + 5 * 86_400_000))]))).toBe(true);
    expect(v1Value(am.callV1('DeleteSliver', [ids.slice, cred]))).toBe(true);
    expect(v1FaultCode(am.callV1('SliverStatus', [ids.slice, cred]))).toBe(12);
  });

  it('RenewSliver beyond the slice credential or into the past returns false and changes nothing', () => {
    const am = new AggregateUnderTest(ids);
    const cred = am.sliceCredentialXml({ expires: new Date(am.now.getTime() + 3_600_000) });
    v1Value(am.callV1('CreateSliver', [ids.slice, cred, requestXml([{ clientId: 'a' }]), []]));
    const before = am.env.model.findSlice(ids.slice)?.slivers.values().next().value?.expires;
    expect(v1Value(am.callV1('RenewSliver', [ids.slice, cred, iso(new Date(am.now.getTime() + 7_200_000))]))).toBe(false);
    expect(v1Value(am.callV1('RenewSliver', [ids.slice, cred, iso(new Date(am.now.getTime() - 60_000))]))).toBe(false);
    expect(am.env.model.findSlice(ids.slice)?.slivers.values().next().value?.expires).toEqual(before);
  });

  it('every error is a Fault carrying the GENI code: credentials, arity, a second CreateSliver, shut-down slices', () => {
    const am = new AggregateUnderTest(ids);
    const cred = am.sliceCredentialXml();
    expect(v1FaultCode(am.callV1('CreateSliver', [ids.slice, am.sliceCredentialXml({ owner: ids.mallory }), requestXml([{ clientId: 'a' }]), []]))).toBe(22);
    expect(v1FaultCode(am.callV1('DeleteSliver', [ids.slice, cred, {}]))).toBe(1);
    expect(v1FaultCode(am.callV1('UpdateSliver', [ids.slice, cred, '', [], {}]))).toBe(-32601);
    v1Value(am.callV1('CreateSliver', [ids.slice, cred, requestXml([{ clientId: 'a' }]), []]));
    expect(v1FaultCode(am.callV1('CreateSliver', [ids.slice, cred, requestXml([{ clientId: 'b' }]), []]))).toBe(17);
    expect(v1Value(am.callV1('Shutdown', [ids.slice, cred]))).toBe(true);
    expect(v1FaultCode(am.callV1('DeleteSliver', [ids.slice, cred]))).toBe(11);
  });
});

describe('AM API v2 over the shared model', () => {
  it('GetVersion: geni_api 2 at the top level and in value, all endpoints, GENI 3 request and ad formats', () => {
    const answer = new AggregateUnderTest(ids).callV2('GetVersion', []);
    expect(answer.code).toEqual({ geni_code: 0, am_type: 'geni-harness', am_code: 0 });
    expect(answer.geni_api).toBe(2);
    const value = valueOf(answer);
    expect(value.geni_api).toBe(2);
    expect(Object.keys(value.geni_api_versions as object).sort()).toEqual(['1', '2', '3']);
    expect(value.geni_request_rspec_versions).toEqual([expect.objectContaining(GENI3)]);
    expect(value).not.toHaveProperty('draft_methods');
    expect(readVersionInfo(answer).extraMethods).toEqual([]);
  });

  it('ListResources needs geni_rspec_version: missing → BADARGS, unsupported → BADVERSION; geni_available filters', () => {
    const am = new AggregateUnderTest(ids);
    expect(geniCode(am.callV2('ListResources', [userXml(am), {}]))).toBe(1);
    expect(geniCode(am.callV2('ListResources', [userXml(am), { geni_rspec_version: { type: 'ProtoGENI', version: '2' } }]))).toBe(4);
    am.callV2('CreateSliver', [ids.slice, am.sliceCredentialXml(), requestXml([{ clientId: 'p', sliverType: { name: 'raw-pc' } }]), [], {}]);
    const available = readAdvertisement(am.callV2('ListResources', [userXml(am), { geni_rspec_version: GENI3, geni_available: true }]).value as string);
    expect(available.nodes).toHaveLength(5);
  });

  it('CreateSliver → SliverStatus (with geni_expires) → RenewSliver → DeleteSliver, each in the envelope', () => {
    const am = new AggregateUnderTest(ids);
    const cred = am.sliceCredentialXml({ expires: new Date(am.now.getTime() + 10 * 86_400_000) });
    const created = am.callV2('CreateSliver', [ids.slice, cred, PC_AND_VM(), [], {}]);
    expect([geniCode(created), created.output]).toEqual([0, '']);
    expect(readManifest(created.value as string).nodes).toHaveLength(2);
    expect(geniCode(am.callV2('CreateSliver', [ids.slice, cred, requestXml([{ clientId: 'x' }]), [], {}]))).toBe(17);

    const status = valueOf(am.callV2('SliverStatus', [ids.slice, cred, {}]));
    expect(status.geni_status).toBe('configuring');
    expect(status.geni_expires).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(resources(status).map((r) => r.geni_status).sort()).toEqual(['configuring', 'ready', 'ready']);

    const renewTo = iso(new Date(am.now.getTime() + 5 * 86_400_000));
    expect(am.callV2('RenewSliver', [ids.slice, cred, renewTo, {}])).toMatchObject({ code: { geni_code: 0 }, value: true });
    expect(valueOf(am.callV2('SliverStatus', [ids.slice, cred, {}])).geni_expires).toBe(renewTo);
    expect(am.callV2('DeleteSliver', [ids.slice, cred, {}])).toMatchObject({ code: { geni_code: 0 }, value: true });
    expect(geniCode(am.callV2('DeleteSliver', [ids.slice, cred, {}]))).toBe(12);
    expect(geniCode(am.callV2('SliverStatus', [ids.slice, cred, {}]))).toBe(12);
  });

  it('RenewSliver beyond the credential is OUTOFRANGE with the limit as hint, or renews to it with geni_extend_alap', () => {
    const am = new AggregateUnderTest(ids);
    const expires = new Date(am.now.getTime() + 3_600_000);
    const cred = am.sliceCredentialXml({ expires });
    am.callV2('CreateSliver', [ids.slice, cred, requestXml([{ clientId: 'a' }]), [], {}]);
    const beyond = iso(new Date(am.now.getTime() + 7_200_000));
    const refused = am.callV2('RenewSliver', [ids.slice, cred, beyond, {}]);
    expect([geniCode(refused), refused.value]).toEqual([19, iso(expires)]);
    const alap = am.callV2('RenewSliver', [ids.slice, cred, beyond, { geni_extend_alap: true }]);
    expect([geniCode(alap), alap.value]).toEqual([0, true]);
    expect(alap.output).toMatch(/geni_extend_alap/);
    expect(valueOf(am.callV2('SliverStatus', [ids.slice, cred, {}])).geni_expires).toBe(iso(expires));
  });

  it('after Shutdown: RenewSliver, DeleteSliver and CreateSliver are UNAVAILABLE, SliverStatus still answers', () => {
    const am = new AggregateUnderTest(ids);
    const cred = am.sliceCredentialXml();
    am.callV2('CreateSliver', [ids.slice, cred, requestXml([{ clientId: 'a' }]), [], {}]);
    expect(am.callV2('Shutdown', [ids.slice, cred, {}])).toMatchObject({ code: { geni_code: 0 }, value: true });
    expect(geniCode(am.callV2('RenewSliver', [ids.slice, cred, iso(new Date(am.now.getTime() + 86_400_000)), {}]))).toBe(11);
    expect(geniCode(am.callV2('DeleteSliver', [ids.slice, cred, {}]))).toBe(11);
    expect(geniCode(am.callV2('CreateSliver', [ids.slice, cred, requestXml([{ clientId: 'b' }]), [], {}]))).toBe(11);
    expect(valueOf(am.callV2('SliverStatus', [ids.slice, cred, {}])).geni_status).toBe('configuring');
  });

  it('answers errors as structs (never Faults), a missing options struct as BADARGS, unknown methods as Fault -32601', () => {
    const am = new AggregateUnderTest(ids);
    expect(am.callV2('SliverStatus', [ids.slice, am.sliceCredentialXml()])).toMatchObject({ code: { geni_code: 1 }, output: expect.stringMatching(/3 parameters/) });
    expect(geniCode(am.callV2('SliverStatus', [ids.slice, am.sliceCredentialXml({ slice: ids.otherSlice }), {}]))).toBe(22);
    expect(() => am.callV2('Allocate', [])).toThrow(/-32601|not an AM API v2 method/);
    expect(() => am.callV2('UpdateSliver', [ids.slice, am.sliceCredentialXml(), '', [], {}])).toThrow(/not an AM API v2 method/);
  });
});

describe('one model behind v2 and v3', () => {
  it('a v2-created slice shows in v3 Status as provisioned slivers, and v3 Delete empties it for v2', () => {
    const am = new AggregateUnderTest(ids);
    const created = readManifest(am.callV2('CreateSliver', [ids.slice, am.sliceCredentialXml(), PC_AND_VM(), [], {}]).value as string);
    const status = sliversOf(am.call('Status', [[ids.slice], am.sliceCredential(), {}]));
    expect(status.map((s) => s.geni_sliver_urn).sort()).toEqual([...created.nodes.map((n) => n.sliverId), ...created.links.map((l) => l.sliverId)].sort());
    expect(new Set(status.map((s) => s.geni_allocation_status))).toEqual(new Set(['geni_provisioned']));
    expect(status.map((s) => s.geni_operational_status).sort()).toEqual(['geni_configuring', 'geni_ready', 'geni_ready']);
    am.advance(181);
    expect(sliversOf(am.call('Status', [[ids.slice], am.sliceCredential(), {}])).map((s) => s.geni_operational_status)).toEqual(['geni_ready', 'geni_ready', 'geni_ready']);

    expect(geniCode(am.call('Delete', [[ids.slice], am.sliceCredential(), {}]))).toBe(0);
    expect(geniCode(am.callV2('SliverStatus', [ids.slice, am.sliceCredentialXml(), {}]))).toBe(12);
  });

  it('v3-allocated slivers read as unknown in v2 SliverStatus until provisioned, then configuring until started', () => {
    const am = new AggregateUnderTest(ids);
    am.call('Allocate', [ids.slice, am.sliceCredential(), requestXml([{ clientId: 'a' }]), {}]);
    expect(valueOf(am.callV2('SliverStatus', [ids.slice, am.sliceCredentialXml(), {}])).geni_status).toBe('unknown');
    am.call('Provision', [[ids.slice], am.sliceCredential(), { geni_rspec_version: GENI3 }]);
    expect(valueOf(am.callV2('SliverStatus', [ids.slice, am.sliceCredentialXml(), {}])).geni_status).toBe('configuring');
    expect(geniCode(am.callV2('CreateSliver', [ids.slice, am.sliceCredentialXml(), requestXml([{ clientId: 'b' }]), [], {}]))).toBe(17);
  });
});

describe("an empty sliver, as gcf's am1 and am2 make for a request naming nothing (sliceApi.emptyRequest 'empty')", () => {
  const EMPTY = requestXml([]);
  const emptyAware = () => {
    const am = new AggregateUnderTest(ids);
    am.env.personality = { ...am.env.personality, sliceApi: { emptyRequest: 'empty' } };
    return am;
  };

  it('by default the request is refused (BADARGS; v1 a Fault) and nothing is held', () => {
    const am = new AggregateUnderTest(ids);
    expect(geniCode(am.callV2('CreateSliver', [ids.slice, am.sliceCredentialXml(), EMPTY, [], {}]))).toBe(1);
    expect(geniCode(am.callV2('SliverStatus', [ids.slice, am.sliceCredentialXml(), {}]))).toBe(12);
    expect(v1FaultCode(am.callV1('CreateSliver', [ids.slice, am.sliceCredentialXml(), EMPTY, []]))).toBe(1);
  });

  it('v2: a manifest without resources, a status listing none, ALREADYEXISTS, renew and delete, then nothing', () => {
    const am = emptyAware();
    const created = am.callV2('CreateSliver', [ids.slice, am.sliceCredentialXml(), EMPTY, [], {}]);
    expect(geniCode(created)).toBe(0);
    expect(readManifest(String(created.value)).nodes).toEqual([]);
    const status = am.callV2('SliverStatus', [ids.slice, am.sliceCredentialXml(), {}]);
    expect(geniCode(status)).toBe(0);
    expect(valueOf(status)).toMatchObject({ geni_urn: ids.slice, geni_resources: [], geni_expires: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(geniCode(am.callV2('CreateSliver', [ids.slice, am.sliceCredentialXml(), EMPTY, [], {}]))).toBe(17);
    const renewTo = new Date(Date.now() + 3_600_000);
    expect(geniCode(am.callV2('RenewSliver', [ids.slice, am.sliceCredentialXml(), iso(renewTo), {}]))).toBe(0);
    expect(valueOf(am.callV2('SliverStatus', [ids.slice, am.sliceCredentialXml(), {}])).geni_expires).toBe(iso(renewTo));
    expect(geniCode(am.callV2('RenewSliver', [ids.slice, am.sliceCredentialXml({ expires: new Date(Date.now() + 600_000) }), iso(renewTo), {}]))).toBe(19);
    expect(geniCode(am.callV2('DeleteSliver', [ids.slice, am.sliceCredentialXml(), {}]))).toBe(0);
    expect(geniCode(am.callV2('SliverStatus', [ids.slice, am.sliceCredentialXml(), {}]))).toBe(12);
  });

  it('v1: the manifest string, a status listing none, DeleteSliver true, then a Fault', () => {
    const am = emptyAware();
    expect(readManifest(String(v1Value(am.callV1('CreateSliver', [ids.slice, am.sliceCredentialXml(), EMPTY, []])))).nodes).toEqual([]);
    expect(v1Value(am.callV1('SliverStatus', [ids.slice, am.sliceCredentialXml()]))).toMatchObject({ geni_resources: [] });
    expect(v1Value(am.callV1('DeleteSliver', [ids.slice, am.sliceCredentialXml()]))).toBe(true);
    expect(v1FaultCode(am.callV1('SliverStatus', [ids.slice, am.sliceCredentialXml()]))).toBe(12);
  });
});

describe("gcf's other v1/v2 answers (the gcf personality's sliceApi)", () => {
  const gcfLike = () => {
    const am = new AggregateUnderTest(ids);
    am.env.personality = { ...am.env.personality, malformedCalls: 'fault', sliceApi: personalityNamed('gcf').sliceApi };
    return am;
  };

  it('v2 credential refusals are ERROR "Insufficient privileges: …"; v1 refusals stay Faults with the named code', () => {
    const am = gcfLike();
    expect(geniCode(am.callV2('CreateSliver', [ids.slice, am.sliceCredentialXml(), requestXml([{ clientId: 'a' }]), [], {}]))).toBe(0);
    const refused = am.callV2('DeleteSliver', [ids.slice, am.sliceCredentialXml({ slice: ids.otherSlice }), {}]);
    expect(refused).toMatchObject({ code: { geni_code: 2 }, output: expect.stringMatching(/^Insufficient privileges: /) });
    expect(v1FaultCode(am.callV1('SliverStatus', [ids.slice, am.sliceCredentialXml({ slice: ids.otherSlice })]))).not.toBe(2);
    expect(geniCode(new AggregateUnderTest(ids).callV2('DeleteSliver', [ids.slice, am.sliceCredentialXml({ slice: ids.otherSlice }), {}]))).not.toBe(2);
  });

  it('an unknown method and a call that does not fit its method are Fault 1, as Python 2 answers them', () => {
    const am = gcfLike();
    expect(v1FaultCode(am.callV1('GetVersionPlus', []))).toBe(1);
    expect(v1FaultCode(am.callV1('SliverStatus', [ids.slice]))).toBe(1);
    expect(() => am.callV2('SliverStatus', [ids.slice, am.sliceCredentialXml()])).toThrow(expect.objectContaining({ faultCode: 1 }));
  });
});
