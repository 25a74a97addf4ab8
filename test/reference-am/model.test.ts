import { codeOf } from './aggregate-fixture';
import { describe, expect, it } from 'vitest';
import { parseUrn, SLIVER_NAME_PATTERN } from '../../src/geni/urn';
import { GENI_CODE } from '../../src/reference-am/am-error';
import { referenceInventory } from '../../src/reference-am/inventory';
import { AggregateModel, type NodeRequest } from '../../src/reference-am/model';

const AUTHORITY = 'model.test';
const AM_URN = `urn:publicid:IDN+${AUTHORITY}+authority+am`;
const SLICE = `urn:publicid:IDN+${AUTHORITY}+slice+alpha`;
const T0 = new Date('2030-01-01T00:00:00Z');
const later = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);

const fresh = (): AggregateModel => new AggregateModel(referenceInventory(AUTHORITY), AUTHORITY, AM_URN);
const pc = (clientId: string, extra: Partial<NodeRequest> = {}): NodeRequest => ({ clientId, sliverTypeName: 'raw-pc', interfaceClientIds: [], ...extra });
const vm = (clientId: string): NodeRequest => ({ clientId, interfaceClientIds: [] });

describe('reference AM model: inventory and placement', () => {
  it('has 4 exclusive bare-metal PCs and 2 shared VM hosts owned by the AM authority', () => {
    const model = fresh();
    expect(model.inventory.filter((n) => n.exclusive)).toHaveLength(4);
    expect(model.inventory.filter((n) => !n.exclusive).map((n) => n.capacity)).toEqual([12, 12]);
    for (const n of model.inventory) expect(parseUrn(n.componentId)).toEqual({ authority: AUTHORITY, type: 'node', name: n.name });
  });

  it('places unbound raw-pc requests on distinct free PCs and refuses the fifth with INSUFFICIENT_NODES', () => {
    const model = fresh();
    const placement = model.place([pc('a'), pc('b'), pc('c'), pc('d')], []);
    expect(new Set(placement.nodes.map((p) => p.target.name)).size).toBe(4);
    model.allocate(SLICE, placement, later(600));
    expect(codeOf(() => model.place([pc('e')], []))).toBe(GENI_CODE.INSUFFICIENT_NODES);
  });

  it('counts demand within one request, so 5 raw PCs at once is INSUFFICIENT_NODES and nothing is allocated', () => {
    const model = fresh();
    expect(codeOf(() => model.place([pc('a'), pc('b'), pc('c'), pc('d'), pc('e')], []))).toBe(GENI_CODE.INSUFFICIENT_NODES);
    expect(model.inventory.every((n) => model.freeCapacity(n) === n.capacity)).toBe(true);
  });

  it('fills VM hosts up to their capacity (24 VMs), then refuses', () => {
    const model = fresh();
    const requests = Array.from({ length: 24 }, (_, i) => vm(`vm${i}`));
    model.allocate(SLICE, model.place(requests, []), later(600));
    expect(codeOf(() => model.place([vm('one-more')], []))).toBe(GENI_CODE.INSUFFICIENT_NODES);
  });

  it('refuses a bound node that is already taken, and an unknown component_id with BADARGS', () => {
    const model = fresh();
    const pc1 = `urn:publicid:IDN+${AUTHORITY}+node+pc1`;
    model.allocate(SLICE, model.place([pc('a', { componentId: pc1 })], []), later(600));
    expect(codeOf(() => model.place([pc('b', { componentId: pc1 })], []))).toBe(GENI_CODE.INSUFFICIENT_NODES);
    expect(codeOf(() => model.place([pc('c', { componentId: `urn:publicid:IDN+${AUTHORITY}+node+pc99` })], []))).toBe(GENI_CODE.BADARGS);
  });

  it('ignoreCapacity over-allocates a taken exclusive node (the allocate-ignores-capacity hook)', () => {
    const model = fresh();
    const pc1 = `urn:publicid:IDN+${AUTHORITY}+node+pc1`;
    model.allocate(SLICE, model.place([pc('a', { componentId: pc1 })], []), later(600));
    const placement = model.place([pc('b', { componentId: pc1 })], [], { ignoreCapacity: true });
    expect(placement.nodes[0]?.target.name).toBe('pc1');
  });

  it('refuses a sliver type the bound node does not offer, or one nobody offers, with BADARGS', () => {
    const model = fresh();
    const vmhost = `urn:publicid:IDN+${AUTHORITY}+node+vmhost1`;
    expect(codeOf(() => model.place([pc('a', { componentId: vmhost })], []))).toBe(GENI_CODE.BADARGS);
    expect(codeOf(() => model.place([pc('a', { sliverTypeName: 'quantum-box' })], []))).toBe(GENI_CODE.BADARGS);
  });
});

describe('reference AM model: slivers, states and time', () => {
  it('mints sliver URNs of the AM authority that are unique and follow the sliver-name alphabet', () => {
    const model = fresh();
    const slivers = model.allocate(SLICE, model.place([pc('a', { interfaceClientIds: ['a:if0'] }), vm('b')], [{ clientId: 'l', interfaceRefs: ['a:if0'] }]), later(600));
    const urns = [...slivers.map((s) => s.urn), ...slivers.flatMap((s) => s.node?.interfaces.map((i) => i.sliverId) ?? [])];
    expect(new Set(urns).size).toBe(urns.length);
    for (const urn of urns) {
      const parsed = parseUrn(urn)!;
      expect(parsed.authority).toBe(AUTHORITY);
      expect(parsed.type).toBe('sliver');
      expect(parsed.name).toMatch(SLIVER_NAME_PATTERN);
    }
    expect(slivers.map((s) => s.allocation)).toEqual(['geni_allocated', 'geni_allocated', 'geni_allocated']);
    expect(slivers[2]?.link?.interfaceRefs).toEqual(['a:if0']);
  });

  it('gives exclusive nodes their physical interfaces and every interface a locally administered MAC', () => {
    const model = fresh();
    const sliver = model.allocate(SLICE, model.place([pc('a', { interfaceClientIds: ['a:if0', 'a:if1'] })], []), later(600))[0]!;
    expect(sliver.node!.interfaces.map((i) => i.componentId)).toEqual([
      `urn:publicid:IDN+${AUTHORITY}+interface+${sliver.node!.componentName}:eth0`,
      `urn:publicid:IDN+${AUTHORITY}+interface+${sliver.node!.componentName}:eth1`,
    ]);
    for (const iface of sliver.node!.interfaces) expect(iface.macAddress).toMatch(/^02:00(:[0-9a-f]{2}){4}$/);
  });

  it('forgets allocations whose timeout passed, freeing their capacity, and keeps the others', () => {
    const model = fresh();
    const short = model.allocate(SLICE, model.place([pc('a')], []), later(600))[0]!;
    const long = model.allocate(SLICE, model.place([pc('b')], []), later(1200))[0]!;
    expect(model.expireSlivers(later(599))).toEqual([]);
    expect(model.expireSlivers(later(600)).map((s) => s.urn)).toEqual([short.urn]);
    expect(model.findSliver(short.urn)).toBeUndefined();
    expect(model.findSliver(long.urn)).toBe(long);
    expect(model.inventory.filter((n) => n.exclusive).reduce((sum, n) => sum + model.freeCapacity(n), 0)).toBe(3);
  });

  it('provision moves slivers to geni_provisioned / geni_notready with the new expiry and users', () => {
    const model = fresh();
    const sliver = model.allocate(SLICE, model.place([pc('a')], []), later(600))[0]!;
    expect(sliver.operational).toBe('geni_pending_allocation');
    model.provision([sliver], later(86_400), [{ urn: 'urn:publicid:IDN+x+user+alice', keys: ['ssh-rsa AAA'] }]);
    expect(sliver).toMatchObject({ allocation: 'geni_provisioned', operational: 'geni_notready', expires: later(86_400) });
    expect(sliver.users).toEqual([{ urn: 'urn:publicid:IDN+x+user+alice', keys: ['ssh-rsa AAA'] }]);
  });

  it('finds slices case-insensitively but keeps the first spelling', () => {
    const model = fresh();
    model.allocate(SLICE, model.place([vm('a')], []), later(600));
    expect(model.findSlice(SLICE.toUpperCase().replace('URN:PUBLICID:IDN', 'urn:publicid:IDN'))?.urn).toBe(SLICE);
    expect(model.clientIdsIn(model.findSlice(SLICE)!)).toEqual(new Set(['a']));
  });
});
