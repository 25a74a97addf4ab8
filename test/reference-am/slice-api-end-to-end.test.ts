import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintSliceCredential, mintUserCredential, sfaCredentialStruct } from '../../src/credentials';
import { readAdvertisement, readManifest } from '../../src/rspec';
import { startReferenceAm, type ReferenceAm } from '../../src/reference-am';
import { isStruct, type XmlRpcValue } from '../../src/xmlrpc';
import { GENI3, mintIdentities, requestXml, type Identities } from './aggregate-fixture';
import { rpcOverTls } from './tls-rpc';

let ids: Identities;
let am: ReferenceAm;

beforeAll(async () => {
  ids = mintIdentities('slice-e2e.test');
  am = await startReferenceAm({ authority: ids.authority, updateSliver: true });
});
afterAll(async () => {
  await am?.close();
});

const rpc = (url: string, method: string, params: XmlRpcValue[]) => rpcOverTls(ids.authority.ca.certPem, url, method, params, ids.alice);

async function v1(method: string, params: XmlRpcValue[]): Promise<XmlRpcValue> {
  const answer = await rpc(am.urls['1']!, method, params);
  if (answer.kind !== 'value') throw new Error(`${method}: unexpected ${JSON.stringify(answer)}`);
  return answer.value;
}

async function v2(method: string, params: XmlRpcValue[]): Promise<{ code: unknown; value: XmlRpcValue; output: unknown; geni_api?: unknown }> {
  const answer = await rpc(am.urls['2']!, method, params);
  if (answer.kind !== 'value' || !isStruct(answer.value)) throw new Error(`${method}: expected the v2 struct, got ${JSON.stringify(answer)}`);
  return answer.value as never;
}

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const rspec = () => requestXml([{ clientId: 'pc', sliverType: { name: 'raw-pc' } }, { clientId: 'vm' }]);

describe('reference AM v1 and v2 over HTTPS, sharing one state with v3', () => {
  it('serves /am/1, /am/2 and /am/3 on one server, each GetVersion listing all three', async () => {
    expect(am.urls).toEqual({
      '1': expect.stringMatching(/^https:\/\/127\.0\.0\.1:\d+\/am\/1$/),
      '2': expect.stringMatching(/\/am\/2$/),
      '3': expect.stringMatching(/\/am\/3$/),
    });
    const v1Version = (await v1('GetVersion', [])) as Record<string, XmlRpcValue>;
    expect(v1Version).toMatchObject({ geni_api: 1, geni_api_versions: am.urls, default_ad_rspec: GENI3 });
    const v2Version = await v2('GetVersion', [{}]);
    expect(v2Version).toMatchObject({ code: { geni_code: 0 }, geni_api: 2, value: { geni_api: 2, geni_api_versions: am.urls, draft_methods: ['UpdateSliver'] } });
  });

  it('v1: ListResources, CreateSliver → SliverStatus → RenewSliver → DeleteSliver, then a Fault for the gone slice', async () => {
    const user = [mintUserCredential(ids.authority, ids.alice)];
    expect(readAdvertisement((await v1('ListResources', [user, { rspec_version: GENI3 }])) as string).nodes.length).toBeGreaterThan(0);
    const cred = [mintSliceCredential(ids.authority, ids.alice, ids.slice)];
    expect(readManifest((await v1('CreateSliver', [ids.slice, cred, rspec(), []])) as string).nodes).toHaveLength(2);
    expect(await v1('SliverStatus', [ids.slice, cred])).toMatchObject({ geni_urn: ids.slice, geni_status: 'configuring' });
    expect(await v1('RenewSliver', [ids.slice, cred, inDays(2)])).toBe(true);
    expect(await v1('DeleteSliver', [ids.slice, cred])).toBe(true);
    expect(await rpc(am.urls['1']!, 'SliverStatus', [ids.slice, cred])).toMatchObject({ kind: 'fault', faultCode: 12 });
    expect(await rpc(am.urls['1']!, 'ListResources', [user, { rspec_version: { type: 'ProtoGENI', version: '2' } }])).toMatchObject({ kind: 'fault', faultCode: 4 });
  });

  it('v2: the same life cycle in envelopes; the slice shows in v3 Status meanwhile; errors are structs', async () => {
    const cred = [mintSliceCredential(ids.authority, ids.alice, ids.otherSlice)];
    const created = await v2('CreateSliver', [ids.otherSlice, cred, rspec(), [], {}]);
    expect(created.code).toEqual({ geni_code: 0, am_type: 'geni-harness', am_code: 0 });
    const sliverIds = readManifest(created.value as string).nodes.map((n) => n.sliverId).sort();

    const v3Status = await rpc(am.urls['3']!, 'Status', [[ids.otherSlice], cred.map((xml) => sfaCredentialStruct(xml)), {}]);
    const v3Slivers = (v3Status as unknown as { value: { value: { geni_slivers: Array<{ geni_sliver_urn: string }> } } }).value.value.geni_slivers;
    expect(v3Slivers.map((s) => s.geni_sliver_urn).sort()).toEqual(sliverIds);

    expect((await v2('SliverStatus', [ids.otherSlice, cred, {}])).value).toMatchObject({ geni_status: 'configuring', geni_expires: expect.any(String) });
    expect(await v2('RenewSliver', [ids.otherSlice, cred, inDays(2), {}])).toMatchObject({ code: { geni_code: 0 }, value: true });
    const updated = await v2('UpdateSliver', [ids.otherSlice, cred, requestXml([{ clientId: 'vm' }]), [], {}]);
    expect(readManifest(updated.value as string).nodes.map((n) => n.clientId)).toEqual(['vm']);
    expect(await v2('DeleteSliver', [ids.otherSlice, cred, {}])).toMatchObject({ code: { geni_code: 0 }, value: true });
    expect(await v2('SliverStatus', [ids.otherSlice, cred, {}])).toMatchObject({ code: { geni_code: 12 }, output: expect.any(String) });
    expect(await v2('ListResources', [cred, {}])).toMatchObject({ code: { geni_code: 1 } });
    expect(await rpc(am.urls['2']!, 'Describe', [])).toMatchObject({ kind: 'fault', faultCode: -32601 });
  });
});
