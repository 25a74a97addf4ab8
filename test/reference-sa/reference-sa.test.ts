import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AmClient, decodeInThread } from '../../src/client';
import { createTestAuthority, mintUser, parseCredential, verifyCredential, type TestAuthority, type UserIdentity } from '../../src/credentials';
import { SA_CODES, startReferenceSliceAuthority, type ReferenceSliceAuthority } from '../../src/reference-sa';
import { HttpsTransport } from '../../src/transport';
import type { XmlRpcValue } from '../../src/xmlrpc';

// The reference slice authority speaks the Common Federation API v2 as omni's chapi framework calls it: each answer
// is {code, value, output}; the caller is its client certificate.
describe('reference slice authority (Common Federation API v2)', () => {
  let authority: TestAuthority;
  let sa: ReferenceSliceAuthority;
  let alice: UserIdentity;
  let bob: UserIdentity;
  const transports: HttpsTransport[] = [];
  const project = () => sa.projectUrns[0]!;

  beforeAll(async () => {
    authority = createTestAuthority();
    sa = await startReferenceSliceAuthority({ authority, aggregates: [{ urn: 'urn:publicid:IDN+geni-harness.test+authority+am', url: 'https://127.0.0.1:1/am/3' }] });
    alice = mintUser(authority, 'alice');
    bob = mintUser(authority, 'bob');
  });
  afterAll(async () => {
    for (const t of transports) t.close();
    await sa.close();
  });

  /** One call as `user` to `url`, the answer's {code, value, output}. */
  async function call(user: UserIdentity, url: string, method: string, params: XmlRpcValue[]): Promise<{ code: number; value: XmlRpcValue; output: string }> {
    const transport = new HttpsTransport({ certPem: user.certChainPem, keyPem: user.keyPem, caPem: authority.trustedRootsPem });
    transports.push(transport);
    const result = await new AmClient({ url, transport, decoder: decodeInThread }).call(method, params);
    if (result.kind !== 'value') throw new Error(`fault ${result.faultString}`);
    return result.value as { code: number; value: XmlRpcValue; output: string };
  }
  const create = (user: UserIdentity, fields: Record<string, XmlRpcValue>) => call(user, sa.urls.sa, 'create', ['SLICE', [], { fields }]);

  it('get_version on each service names its services and geni_sfa credentials', async () => {
    for (const [url, service] of [[sa.urls.ch, 'SERVICE'], [sa.urls.sa, 'SLICE'], [sa.urls.ma, 'MEMBER']] as const) {
      const r = await call(alice, url, 'get_version', [{}]);
      expect(r.code).toBe(0);
      expect(r.value).toMatchObject({ VERSION: '2', SERVICES: [service], CREDENTIAL_TYPES: [{ type: 'geni_sfa', version: '3' }] });
    }
  });

  it('the registry lists the SA, the MA and the aggregates, by SERVICE_TYPE', async () => {
    const r = await call(alice, sa.urls.ch, 'lookup', ['SERVICE', [], { match: { SERVICE_TYPE: 'SLICE_AUTHORITY' }, filter: ['SERVICE_URL'] }]);
    expect(r).toMatchObject({ code: 0, value: [{ SERVICE_URL: sa.urls.sa }] });
    const v1 = await call(alice, sa.urls.ch, 'lookup_member_authorities', [{}]);
    expect(v1.value).toEqual([expect.objectContaining({ SERVICE_URL: sa.urls.ma, SERVICE_TYPE: 'MEMBER_AUTHORITY' })]);
    const ams = await call(alice, sa.urls.ch, 'lookup', ['SERVICE', [], { match: { SERVICE_TYPE: 'AGGREGATE_MANAGER' } }]);
    expect(ams.value).toEqual([expect.objectContaining({ SERVICE_URL: 'https://127.0.0.1:1/am/3' })]);
  });

  it('create SLICE in a project, then get_credentials: a slice credential owned by the caller that verifies, expiring with the slice', async () => {
    const expires = new Date(Date.now() + 2 * 3600_000);
    expires.setMilliseconds(0);
    const made = await create(alice, { SLICE_NAME: 'exp1', SLICE_PROJECT_URN: project(), SLICE_EXPIRATION: expires.toISOString() });
    expect(made.code, made.output).toBe(0);
    const urn = `urn:publicid:IDN+${authority.name}:harness+slice+exp1`;
    expect(made.value).toMatchObject({ SLICE_URN: urn, SLICE_NAME: 'exp1', SLICE_PROJECT_URN: project(), SLICE_EXPIRED: false });
    const creds = await call(alice, sa.urls.sa, 'get_credentials', [urn, [], {}]);
    expect(creds.code, creds.output).toBe(0);
    const xml = ((creds.value as XmlRpcValue[])[0] as { geni_type: string; geni_value: string });
    expect(xml.geni_type).toBe('geni_sfa');
    const parsed = parseCredential(xml.geni_value);
    expect(parsed).toMatchObject({ targetUrn: urn, ownerUrn: alice.urn });
    expect(parsed.expires.getTime()).toBe(expires.getTime());
    expect(verifyCredential(xml.geni_value, { trustedRootsPem: authority.trustedRootsPem }).ok).toBe(true);
    // lookup finds it (match on URN and not expired, as omni asks), update extends it
    const found = await call(alice, sa.urls.sa, 'lookup', ['SLICE', [], { match: { SLICE_URN: urn, SLICE_EXPIRED: 'f' } }]);
    expect(Object.keys(found.value as object)).toEqual([urn]);
    const later = new Date(expires.getTime() + 3600_000);
    expect((await call(alice, sa.urls.sa, 'update', ['SLICE', urn, [], { fields: { SLICE_EXPIRATION: later.toISOString() } }])).code).toBe(0);
    const renewed = parseCredential(((await call(alice, sa.urls.sa, 'get_credentials', [urn, [], {}])).value as Array<{ geni_value: string }>)[0]!.geni_value);
    expect(renewed.expires.getTime()).toBe(later.getTime());
  });

  it('refuses what a clearinghouse refuses, each with its code', async () => {
    expect((await create(alice, { SLICE_NAME: 'noproject' })).code).toBe(SA_CODES.ARGUMENT_ERROR);
    expect((await create(alice, { SLICE_NAME: 'x', SLICE_PROJECT_URN: `urn:publicid:IDN+${authority.name}+project+other` })).output).toMatch(/Unknown project/);
    expect((await create(alice, { SLICE_NAME: 'bad_name', SLICE_PROJECT_URN: project() })).code).toBe(SA_CODES.ARGUMENT_ERROR);
    expect((await create(alice, { SLICE_NAME: 'past', SLICE_PROJECT_URN: project(), SLICE_EXPIRATION: '2001-01-01T00:00:00Z' })).code).toBe(SA_CODES.ARGUMENT_ERROR);
    expect((await create(alice, { SLICE_NAME: 'dup1', SLICE_PROJECT_URN: project() })).code).toBe(0);
    expect((await create(alice, { SLICE_NAME: 'dup1', SLICE_PROJECT_URN: project() })).code).toBe(SA_CODES.DUPLICATE_ERROR);
    const urn = `urn:publicid:IDN+${authority.name}:harness+slice+dup1`;
    // bob is not a member of alice's slice, and may not fetch alice's user credential
    expect((await call(bob, sa.urls.sa, 'get_credentials', [urn, [], {}])).code).toBe(SA_CODES.AUTHORIZATION_ERROR);
    expect((await call(bob, sa.urls.ma, 'get_credentials', [alice.urn, [], {}])).code).toBe(SA_CODES.AUTHORIZATION_ERROR);
    expect((await call(alice, sa.urls.sa, 'get_credentials', [`urn:publicid:IDN+${authority.name}:harness+slice+never`, [], {}])).output).toMatch(/Unknown slice urn/);
    expect((await call(alice, sa.urls.sa, 'delete', ['SLICE', urn, [], {}])).code).toBe(SA_CODES.NOT_IMPLEMENTED_ERROR);
  });

  it('the member authority hands the caller its own user credential', async () => {
    const r = await call(alice, sa.urls.ma, 'get_credentials', [alice.urn, [], {}]);
    expect(r.code, r.output).toBe(0);
    const xml = (r.value as Array<{ geni_value: string }>)[0]!.geni_value;
    expect(parseCredential(xml)).toMatchObject({ ownerUrn: alice.urn, targetUrn: alice.urn });
    expect(verifyCredential(xml, { trustedRootsPem: authority.trustedRootsPem }).ok).toBe(true);
  });
});
