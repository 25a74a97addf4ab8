import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateUrn, mintSliceCredential, mintUserCredential, sfaCredentialStruct, type UserIdentity } from '../../src/credentials';
import { readAdvertisement, readManifest } from '../../src/rspec';
import { startReferenceAm, type ReferenceAm } from '../../src/reference-am';
import { isStruct, type DecodedResponse, type XmlRpcValue } from '../../src/xmlrpc';
import { GENI3, mintIdentities, requestXml, type Identities } from './aggregate-fixture';
import { rpcOverTls } from './tls-rpc';

let ids: Identities;
let am: ReferenceAm;
let faulty: ReferenceAm;

beforeAll(async () => {
  ids = mintIdentities('e2e.test');
  am = await startReferenceAm({ authority: ids.authority });
  faulty = await startReferenceAm({ authority: ids.authority, faults: ['renew-past-credential', 'error-as-fault'] });
});
afterAll(async () => {
  await am?.close();
  await faulty?.close();
});

function rpc(url: string, method: string, params: XmlRpcValue[], user: UserIdentity | null = ids.alice): Promise<DecodedResponse> {
  return rpcOverTls(ids.authority.ca.certPem, url, method, params, user);
}

async function v3(url: string, method: string, params: XmlRpcValue[], user: UserIdentity | null = ids.alice): Promise<Record<string, XmlRpcValue>> {
  const answer = await rpc(url, method, params, user);
  if (answer.kind !== 'value' || !isStruct(answer.value)) throw new Error(`${method}: expected a struct, got ${JSON.stringify(answer)}`);
  return answer.value;
}

const code = (answer: Record<string, XmlRpcValue>): unknown => (isStruct(answer.code) ? answer.code.geni_code : undefined);
const value = (answer: Record<string, XmlRpcValue>): Record<string, XmlRpcValue> => answer.value as Record<string, XmlRpcValue>;
const slivers = (answer: Record<string, XmlRpcValue>): Array<Record<string, XmlRpcValue>> =>
  (Array.isArray(answer.value) ? answer.value : (value(answer).geni_slivers as XmlRpcValue[])) as Array<Record<string, XmlRpcValue>>;

describe('reference AM over HTTPS with client certificates', () => {
  it('identifies itself: URL, AM URN and a server certificate carrying that URN', () => {
    expect(am.urls['3']!).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/am\/3$/);
    expect(am.urn).toBe('urn:publicid:IDN+e2e.test+authority+am');
    expect(certificateUrn(am.serverCertPem)).toBe(am.urn);
    expect(am.faults).toEqual([]);
    expect(faulty.faults.sort()).toEqual(['error-as-fault', 'renew-past-credential']);
  });

  it('GetVersion lists its URL for each API version, all on one server', async () => {
    const answer = await v3(am.urls['3']!, 'GetVersion', []);
    expect(code(answer)).toBe(0);
    const origin = new URL(am.urls['3']!).origin;
    expect(value(answer).geni_api_versions).toEqual({ '1': `${origin}/am/1`, '2': `${origin}/am/2`, '3': `${origin}/am/3` });
  });

  it('refuses a TLS client without a certificate', async () => {
    await expect(rpc(am.urls['3']!, 'GetVersion', [], null)).rejects.toThrow();
  });

  it('ListResources returns the advertisement for a user credential', async () => {
    const answer = await v3(am.urls['3']!, 'ListResources', [[sfaCredentialStruct(mintUserCredential(ids.authority, ids.alice))], { geni_rspec_version: GENI3 }]);
    expect(code(answer)).toBe(0);
    expect(readAdvertisement(answer.value as string).nodes.map((n) => n.componentManagerId)).toContain(am.urn);
  });

  it('runs Allocate → Provision → geni_start → Status → Renew → Delete → Status SEARCHFAILED', async () => {
    const url = am.urls['3']!;
    const cred = [sfaCredentialStruct(mintSliceCredential(ids.authority, ids.alice, ids.slice))];
    const rspec = requestXml([{ clientId: 'node-a', sliverType: { name: 'raw-pc' }, interfaces: [{ clientId: 'node-a:if0' }] }, { clientId: 'vm-b' }]);

    const allocated = await v3(url, 'Allocate', [ids.slice, cred, rspec, {}]);
    expect(code(allocated)).toBe(0);
    const urns = slivers(allocated).map((s) => s.geni_sliver_urn as string);
    expect(readManifest(value(allocated).geni_rspec as string).nodes.map((n) => n.clientId).sort()).toEqual(['node-a', 'vm-b']);

    const provisioned = await v3(url, 'Provision', [[ids.slice], cred, { geni_rspec_version: GENI3 }]);
    expect(slivers(provisioned).map((s) => s.geni_allocation_status)).toEqual(['geni_provisioned', 'geni_provisioned']);

    expect(code(await v3(url, 'PerformOperationalAction', [urns, cred, 'geni_start', {}]))).toBe(0);
    const status = await v3(url, 'Status', [[ids.slice], cred, {}]);
    expect(slivers(status).map((s) => [s.geni_operational_status, s.geni_error])).toEqual([['geni_ready', ''], ['geni_ready', '']]);

    const renewTo = new Date(Date.now() + 2 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const renewed = await v3(url, 'Renew', [[ids.slice], cred, renewTo, {}]);
    expect(slivers(renewed).map((s) => s.geni_expires)).toEqual([renewTo, renewTo]);

    expect(code(await v3(url, 'Delete', [[ids.slice], cred, {}]))).toBe(0);
    const after = await v3(url, 'Status', [urns, cred, {}]);
    expect(code(after)).toBe(12);
    expect(after.output).toMatch(/not known/);
  });

  it("refuses another user's slice credential with CREDENTIAL_MISMATCH", async () => {
    const malloryCred = [sfaCredentialStruct(mintSliceCredential(ids.authority, ids.mallory, ids.slice))];
    const answer = await v3(am.urls['3']!, 'Allocate', [ids.slice, malloryCred, requestXml([{ clientId: 'x' }]), {}]);
    expect(code(answer)).toBe(22);
  });

  it('with renew-past-credential, renews beyond the slice credential; with error-as-fault, errors are Faults', async () => {
    const url = faulty.urls['3']!;
    const cred = [sfaCredentialStruct(mintSliceCredential(ids.authority, ids.alice, ids.slice, { expires: new Date(Date.now() + 3_600_000) }))];
    const allocated = await v3(url, 'Allocate', [ids.slice, cred, requestXml([{ clientId: 'x' }]), {}]);
    const urns = slivers(allocated).map((s) => s.geni_sliver_urn as string);
    const beyond = new Date(Date.now() + 5_400_000).toISOString();
    expect(code(await v3(url, 'Renew', [urns, cred, beyond, {}]))).toBe(0);
    const fault = await rpc(url, 'Status', [[`urn:publicid:IDN+e2e.test+sliver+missing`], cred, {}]);
    expect(fault).toMatchObject({ kind: 'fault', faultCode: 12 });
  });

  it('answers an unknown method with an XML-RPC fault', async () => {
    expect(await rpc(am.urls['3']!, 'CreateSliver', [])).toMatchObject({ kind: 'fault', faultCode: -32601 });
  });
});
