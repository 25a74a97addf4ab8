import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requestRSpec, type RequestRSpecConstraints } from '../../generators';
import { makeUrn } from '../../src/geni/urn';
import { readRequest, requestView, serializeRequest, validateRSpec, type Advertisement, type AdNode, type RequestRSpec } from '../../src/rspec';
import { RUNS, assertSameForSeed } from './laws';

const AUTHORITY = 'ref.example.net';
const CM = makeUrn(AUTHORITY, 'authority', 'cm');

function adNode(name: string, fields: Partial<AdNode>): AdNode {
  return {
    componentId: makeUrn(AUTHORITY, 'node', name),
    componentManagerId: CM,
    componentName: name,
    exclusive: true,
    available: true,
    sliverTypes: ['raw-pc'],
    hardwareTypes: ['pc'],
    interfaces: [{ componentId: makeUrn(AUTHORITY, 'interface', `${name}:eth0`) }],
    ...fields,
  };
}

/** Shaped like the reference AM's inventory: exclusive PCs (one of them busy) and shared VM hosts. */
const AD: Advertisement = {
  type: 'advertisement',
  nodes: [
    adNode('pc1', {}),
    adNode('pc2', {}),
    adNode('pc3', { available: false }),
    adNode('vmhost1', { exclusive: false, sliverTypes: ['default-vm', 'emulab-xen'], hardwareTypes: ['pcvm'] }),
  ],
};

function errorsOf(model: RequestRSpec) {
  return validateRSpec(serializeRequest(model), { expectedType: 'request' }).findings.filter((f) => f.severity === 'error');
}

const allNodesAndRefs = (model: RequestRSpec) => model.nodes.flatMap((n) => n.interfaces.map((i) => i.clientId));

describe('requestRSpec (integration)', () => {
  const variants: Array<[string, RequestRSpecConstraints]> = [
    ['defaults', {}],
    ['links, LANs and extensions', { nodes: { min: 2, max: 5 }, links: { min: 1, max: 3, maxEnds: 4 }, withExtensions: true }],
    ['bound to an advertisement, fitting', { advertisement: AD, bound: true, nodes: { min: 1, max: 4 } }],
    ['bound to an advertisement, exceeding', { advertisement: AD, capacity: 'exceed' }],
    ['bound without an advertisement', { bound: true, withExtensions: true }],
  ];

  it.each(variants)('is deterministic for a seed (%s)', (_name, constraints) => assertSameForSeed(requestRSpec(constraints)));

  it.each(variants)('only produces request RSpecs the validator accepts (XSD and semantic rules) (%s)', (_name, constraints) => {
    fc.assert(fc.property(requestRSpec(constraints), (model) => {
      expect(errorsOf(model)).toEqual([]);
    }), RUNS);
  });

  it.each(variants)('round-trips: readRequest(serializeRequest(m)) equals requestView(m) (%s)', (_name, constraints) => {
    fc.assert(fc.property(requestRSpec(constraints), (model) => {
      expect(readRequest(serializeRequest(model))).toStrictEqual(requestView(model));
    }), RUNS);
  });

  it('gives every link and LAN at least two ends, each an interface of a distinct node, with unique IPs in one /24', () => {
    fc.assert(
      fc.property(requestRSpec({ nodes: { min: 2, max: 6 }, links: { min: 1, max: 4, maxEnds: 5 } }), (model) => {
        const owner = new Map(model.nodes.flatMap((node) => node.interfaces.map((iface) => [iface.clientId, { node, iface }] as const)));
        for (const link of model.links) {
          expect(link.interfaceRefs.length).toBeGreaterThanOrEqual(2);
          const ends = link.interfaceRefs.map((ref) => owner.get(ref)!);
          expect(new Set(ends.map((end) => end.node.clientId)).size).toBe(ends.length);
          const addresses = ends.map((end) => end.iface.ip?.address).filter((a): a is string => a !== undefined);
          expect(new Set(addresses).size).toBe(addresses.length);
          expect(new Set(addresses.map((a) => a.split('.').slice(0, 3).join('.'))).size).toBeLessThanOrEqual(1);
        }
        expect(allNodesAndRefs(model).length).toBeGreaterThanOrEqual(model.links.flatMap((l) => l.interfaceRefs).length);
      }),
      RUNS,
    );
  });

  it('keeps extension elements out of the core namespaces', () => {
    fc.assert(
      fc.property(requestRSpec({ withExtensions: true }), (model) => {
        for (const extension of model.nodes.flatMap((n) => n.extensions ?? [])) {
          expect(extension.namespace).not.toMatch(/^http:\/\/www\.(geni|protogeni)\.net\/resources\/rspec\/[23]$/);
        }
      }),
      RUNS,
    );
  });
});

describe('requestRSpec bound to an advertisement', () => {
  const byId = new Map(AD.nodes.map((node) => [node.componentId, node]));

  it("with capacity 'fit', binds only available components, each within its capacity, and never contradicts exclusivity", () => {
    fc.assert(
      fc.property(requestRSpec({ advertisement: AD, sharedNodeCapacity: 2, nodes: { min: 1, max: 8 } }), (model) => {
        const uses = new Map<string, number>();
        for (const node of model.nodes) {
          if (node.componentId === undefined) continue;
          const advertised = byId.get(node.componentId)!;
          expect(advertised).toBeDefined();
          expect(advertised.available).toBe(true);
          expect(node.componentManagerId).toBe(advertised.componentManagerId);
          if (node.exclusive !== undefined) expect(node.exclusive).toBe(advertised.exclusive);
          if (node.sliverType) expect(advertised.sliverTypes).toContain(node.sliverType.name);
          uses.set(node.componentId, (uses.get(node.componentId) ?? 0) + 1);
        }
        for (const [id, count] of uses) expect(count).toBeLessThanOrEqual(byId.get(id)!.exclusive ? 1 : 2);
      }),
      RUNS,
    );
  });

  it('with bound: true names a component on every node', () => {
    fc.assert(fc.property(requestRSpec({ advertisement: AD, bound: true }), (model) => {
      expect(model.nodes.every((n) => n.componentId !== undefined)).toBe(true);
    }), RUNS);
  });

  it("with capacity 'exceed', asks one component for more than it can host", () => {
    fc.assert(
      fc.property(requestRSpec({ advertisement: AD, capacity: 'exceed' }), (model) => {
        const counts = new Map<string, number>();
        for (const node of model.nodes) if (node.componentId) counts.set(node.componentId, (counts.get(node.componentId) ?? 0) + 1);
        expect([...counts].some(([id, count]) => byId.get(id)!.exclusive && count > 1)).toBe(true);
      }),
      RUNS,
    );
  });

  it("over-asks a shared node when the advertisement has no exclusive one and sharedNodeCapacity is finite", () => {
    const shared: Advertisement = { type: 'advertisement', nodes: [AD.nodes[3]!] };
    fc.assert(
      fc.property(requestRSpec({ advertisement: shared, capacity: 'exceed', sharedNodeCapacity: 3 }), (model) => {
        expect(model.nodes.filter((n) => n.componentId === AD.nodes[3]!.componentId).length).toBeGreaterThan(3);
      }),
      { numRuns: 20 },
    );
  });

  it('refuses constraints it cannot honour, saying why', () => {
    expect(() => requestRSpec({ capacity: 'exceed' })).toThrow(/needs an advertisement/);
    expect(() => requestRSpec({ advertisement: { type: 'advertisement', nodes: [AD.nodes[3]!] }, capacity: 'exceed' })).toThrow(/exclusive node/);
    expect(() => requestRSpec({ advertisement: AD, bound: true, sharedNodeCapacity: 1, nodes: { min: 5 } })).toThrow(/offers 3 available slots/);
    expect(() => requestRSpec({ nodes: { min: 1 }, links: { min: 1 } })).toThrow(/needs nodes.min >= 2/);
    expect(() => requestRSpec({ nodes: { min: 3, max: 2 } })).toThrow(/0 <= min <= max/);
  });
});

describe('requestRSpec shrinking', () => {
  it('shrinks a counterexample to the smallest request that shows it (a LAN of three nodes, nothing else)', () => {
    const details = fc.check(
      fc.property(requestRSpec({ nodes: { min: 1, max: 6 }, links: { max: 3, maxEnds: 4 }, withExtensions: true }), (model) => model.links.every((l) => l.interfaceRefs.length < 3)),
      { seed: 11, numRuns: 200 },
    );
    expect(details.failed).toBe(true);
    const [shrunk] = details.counterexample!;
    expect(shrunk.nodes).toHaveLength(3);
    expect(shrunk.links).toHaveLength(1);
    expect(shrunk.nodes.every((n) => n.extensions === undefined && n.sliverType === undefined)).toBe(true);
  });
});
