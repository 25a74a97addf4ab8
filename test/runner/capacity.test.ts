import { describe, expect, it } from 'vitest';
import type { CallResult } from '../../src/client';
import { serializeRequest, type AdNode, type Advertisement } from '../../src/rspec';
import { CapacityWatch, capacityLossNote } from '../../src/runner/capacity';

// The capacity watch (issue 8 item 4): a refused reservation must give back every node it named.

const node = (name: string, available = true, exclusive = true): AdNode => ({
  componentId: `urn:publicid:IDN+cap.test+node+${name}`, componentManagerId: 'urn:publicid:IDN+cap.test+authority+cm', componentName: name,
  exclusive, available, sliverTypes: ['raw-pc'], hardwareTypes: [], interfaces: [],
});
const ad = (...nodes: AdNode[]): Advertisement => ({ type: 'advertisement', nodes });
const request = (...names: string[]) => serializeRequest({
  type: 'request',
  nodes: names.map((n, i) => ({ clientId: `n${i}`, componentId: node(n).componentId, componentManagerId: node(n).componentManagerId, interfaces: [] })),
  links: [],
});
let ids = 0;
const answer = (geniCode: number): CallResult => ({ kind: 'value', exchangeId: `x${++ids}`, value: { code: { geni_code: geniCode }, value: '', output: '' }, wireTypes: {} as never, durationMs: 1 });
const allocate = (watch: CapacityWatch, geniCode: number, ...names: string[]) => {
  const result = answer(geniCode);
  watch.observe({ method: 'Allocate', params: ['urn:slice', [], request(...names), {}], result });
  return result.exchangeId;
};

describe('CapacityWatch', () => {
  it('finds the nodes a refused Allocate named that stay unavailable after the cleanup', () => {
    const watch = new CapacityWatch();
    watch.sawAdvertisement(ad(node('pc1'), node('pc2'), node('pc3')));
    const refused = allocate(watch, 26, 'pc1', 'pc2');
    expect(watch.needsAudit).toBe(true);
    const { finding, loss } = watch.audit(ad(node('pc1', false), node('pc2'), node('pc3')), 'x99');
    expect(finding?.check).toBe('capacity-returned');
    expect(finding?.actual).toBe('a refused Allocate left 1 node unavailable: pc1');
    expect(finding?.exchangeIds).toEqual([refused, 'x99']);
    expect(loss?.nodes).toEqual([node('pc1').componentId.toLowerCase()]);
  });

  it('a node missing from the after advertisement (geni_available lists free nodes only) counts as unavailable', () => {
    const watch = new CapacityWatch();
    watch.sawAdvertisement(ad(node('pc1'), node('pc2')));
    allocate(watch, 26, 'pc1');
    expect(watch.audit(ad(node('pc2')), 'x9').finding?.actual).toContain('pc1');
  });

  it('says nothing of nodes the case held, nodes busy before it, or when everything came back', () => {
    const watch = new CapacityWatch();
    watch.sawAdvertisement(ad(node('pc1'), node('pc2'), node('pc3', false)));
    allocate(watch, 0, 'pc1');
    allocate(watch, 26, 'pc1', 'pc3');
    // pc1 is still being reloaded after the case's own sliver, pc3 was never free: neither is the refusal's doing.
    expect(watch.audit(ad(node('pc1', false), node('pc2'), node('pc3', false)), 'x9')).toEqual({});
    const clean = new CapacityWatch();
    clean.sawAdvertisement(ad(node('pc1'), node('pc2')));
    allocate(clean, 26, 'pc1', 'pc2');
    expect(clean.audit(ad(node('pc1'), node('pc2')), 'x9')).toEqual({});
  });

  it('needs no audit without a refusal, without an advertisement from before, or for a refusal that named no node', () => {
    const granted = new CapacityWatch();
    granted.sawAdvertisement(ad(node('pc1')));
    allocate(granted, 0, 'pc1');
    expect(granted.needsAudit).toBe(false);
    const blind = new CapacityWatch();
    allocate(blind, 26, 'pc1');
    blind.sawAdvertisement(ad(node('pc1')));
    expect(blind.needsAudit).toBe(false);
    const garbage = new CapacityWatch();
    garbage.sawAdvertisement(ad(node('pc1')));
    garbage.observe({ method: 'Allocate', params: ['urn:slice', [], '<rspec', {}], result: answer(1) });
    garbage.observe({ method: 'ListResources', params: [[], {}], result: answer(1) });
    expect(garbage.needsAudit).toBe(false);
  });

  it('a v1 CreateSliver is refused by a Fault and granted by a manifest string', () => {
    const watch = new CapacityWatch();
    watch.sawAdvertisement(ad(node('pc1'), node('pc2')));
    watch.observe({ method: 'CreateSliver', params: ['urn:slice', [], request('pc1'), []], result: { kind: 'value', exchangeId: 'x1', value: '<rspec/>', wireTypes: {} as never, durationMs: 1 } });
    watch.observe({ method: 'CreateSliver', params: ['urn:slice', [], request('pc1', 'pc2'), []], result: { kind: 'fault', exchangeId: 'x2', faultCode: 26, faultString: 'no room', durationMs: 1 } });
    expect(watch.audit(ad(), 'x3').finding?.actual).toBe('a refused CreateSliver left 1 node unavailable: pc2');
  });

  it('the skip note names the earlier finding', () => {
    expect(capacityLossNote([])).toBe('');
    expect(capacityLossNote([{ caseId: 'am3.a', suite: 'am3', nodes: ['n1', 'n2'], exchangeId: 'x1' }]))
      .toBe('; earlier in this run a refused reservation left 2 nodes unavailable (finding capacity-returned of am3.a@am3)');
  });
});
