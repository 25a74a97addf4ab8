import { beforeAll, describe, expect, it } from 'vitest';
import { readVersionInfo } from '../../src/geni/version-info';
import { readManifest } from '../../src/rspec';
import type { XmlRpcValue } from '../../src/xmlrpc';
import { AggregateUnderTest, GENI3, geniCode, mintIdentities, requestXml, valueOf, type Identities } from './aggregate-fixture';

let ids: Identities;
beforeAll(() => {
  ids = mintIdentities('update-sliver.test');
});

const pc = (clientId: string, extra: Record<string, unknown> = {}) => ({ clientId, sliverType: { name: 'raw-pc' }, ...extra });

/** An aggregate offering UpdateSliver, with a slice made by CreateSliver from `initial`. */
function withSlice(initial: string): AggregateUnderTest {
  const am = new AggregateUnderTest(ids, { updateSliver: true });
  expect(geniCode(am.callV2('CreateSliver', [ids.slice, am.sliceCredentialXml(), initial, [], {}]))).toBe(0);
  return am;
}

const update = (am: AggregateUnderTest, rspec: string) => am.callV2('UpdateSliver', [ids.slice, am.sliceCredentialXml(), rspec, [], {}]);

/** Everything a client can see of the slice: SliverStatus and the slice manifest from ListResources. */
function observe(am: AggregateUnderTest): { status: XmlRpcValue; manifest: XmlRpcValue } {
  const status = valueOf(am.callV2('SliverStatus', [ids.slice, am.sliceCredentialXml(), {}]));
  const manifest = am.callV2('ListResources', [am.sliceCredentialXml(), { geni_rspec_version: GENI3, geni_slice_urn: ids.slice }]).value ?? null;
  return { status, manifest };
}

const nodesOf = (xml: XmlRpcValue) => readManifest(xml as string).nodes.map((n) => ({ clientId: n.clientId, sliverId: n.sliverId, component: n.componentId, image: n.sliverType?.diskImage }));

describe('UpdateSliver (draft change set C) on the v2 endpoint', () => {
  it('is advertised in the v2 GetVersion as a draft method, which readVersionInfo reports', () => {
    const answer = new AggregateUnderTest(ids, { updateSliver: true }).callV2('GetVersion', []);
    expect(valueOf(answer).draft_methods).toEqual(['UpdateSliver']);
    expect(readVersionInfo(answer).extraMethods).toEqual(['UpdateSliver']);
  });

  it('adds, removes and modifies to reach the requested end state; unchanged nodes keep their slivers', () => {
    const am = withSlice(requestXml([{ clientId: 'keep' }, { clientId: 'drop' }, pc('reimage')]));
    const before = nodesOf(observe(am).manifest);
    const answer = update(am, requestXml([{ clientId: 'keep' }, pc('reimage', { sliverType: { name: 'raw-pc', diskImage: 'urn:publicid:IDN+update-sliver.test+image+ubuntu22' } }), { clientId: 'new' }]));
    expect(geniCode(answer)).toBe(0);

    const after = nodesOf(answer.value ?? null);
    expect(after.map((n) => n.clientId).sort()).toEqual(['keep', 'new', 'reimage']);
    const find = (list: typeof after, id: string) => list.find((n) => n.clientId === id);
    expect(find(after, 'keep')).toEqual(find(before, 'keep'));
    // Modified in place: same sliver and component, new image, booting again.
    expect(find(after, 'reimage')).toEqual({ ...find(before, 'reimage'), image: 'urn:publicid:IDN+update-sliver.test+image+ubuntu22' });
    expect(nodesOf(observe(am).manifest)).toEqual(after);
    const status = observe(am).status as { geni_resources: Array<{ geni_urn: string; geni_status: string }> };
    expect(status.geni_resources.find((r) => r.geni_urn === find(after, 'reimage')?.sliverId)?.geni_status).toBe('configuring');
  });

  it('moves a node when the request binds it to another component', () => {
    const am = withSlice(requestXml([pc('a')]));
    const pc4 = 'urn:publicid:IDN+update-sliver.test+node+pc4';
    const answer = update(am, requestXml([pc('a', { componentId: pc4 })]));
    expect(geniCode(answer)).toBe(0);
    expect(nodesOf(answer.value ?? null)[0]?.component).toBe(pc4);
  });

  it('frees what it removes before placing what it adds, so swapping all four PCs for VMs and back fits', () => {
    const am = withSlice(requestXml(['p1', 'p2', 'p3', 'p4'].map((id) => pc(id))));
    expect(geniCode(update(am, requestXml(['q1', 'q2', 'q3', 'q4'].map((id) => pc(id)))))).toBe(0);
    expect(nodesOf(observe(am).manifest).map((n) => n.clientId).sort()).toEqual(['q1', 'q2', 'q3', 'q4']);
  });

  it.each([
    ['over capacity (five PCs where there are four)', () => requestXml([{ clientId: 'keep' }, ...['p1', 'p2', 'p3', 'p4', 'p5'].map((id) => pc(id))]), 26],
    ['an unknown component', () => requestXml([{ clientId: 'keep' }, { clientId: 'ghost', componentId: 'urn:publicid:IDN+update-sliver.test+node+pc99' }]), 1],
    ['a malformed request', () => '<rspec type="request"><node', 1],
    ['a duplicate client_id', () => requestXml([{ clientId: 'keep' }, { clientId: 'keep' }]), 1],
  ])('a request with %s fails and leaves the slice exactly as it was', (_what, rspec, code) => {
    const am = withSlice(requestXml([{ clientId: 'keep' }, { clientId: 'drop' }, pc('pc')]));
    const before = observe(am);
    expect(geniCode(update(am, rspec()))).toBe(code);
    expect(observe(am)).toEqual(before);
  });

  it('a slice with nothing here is SEARCHFAILED; a shut-down slice is UNAVAILABLE', () => {
    const am = new AggregateUnderTest(ids, { updateSliver: true });
    expect(geniCode(update(am, requestXml([{ clientId: 'a' }])))).toBe(12);
    am.callV2('CreateSliver', [ids.slice, am.sliceCredentialXml(), requestXml([{ clientId: 'a' }]), [], {}]);
    am.callV2('Shutdown', [ids.slice, am.sliceCredentialXml(), {}]);
    expect(geniCode(update(am, requestXml([{ clientId: 'b' }])))).toBe(11);
  });

  it('needs a credential for the slice', () => {
    const am = withSlice(requestXml([{ clientId: 'a' }]));
    const answer = am.callV2('UpdateSliver', [ids.slice, am.sliceCredentialXml({ owner: ids.mallory }), requestXml([{ clientId: 'b' }]), [], {}]);
    expect(geniCode(answer)).toBe(22);
    expect(nodesOf(observe(am).manifest).map((n) => n.clientId)).toEqual(['a']);
  });
});
