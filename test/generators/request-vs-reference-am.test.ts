import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requestRSpec } from '../../generators';
import { makeUrn } from '../../src/geni/urn';
import { AmError, GENI_CODE } from '../../src/reference-am/am-error';
import { advertisementXml } from '../../src/reference-am/documents';
import { FaultSet } from '../../src/reference-am/faults';
import { referenceInventory } from '../../src/reference-am/inventory';
import { AggregateModel } from '../../src/reference-am/model';
import { PERSONALITIES } from '../../src/reference-am/personalities';
import { readAdvertisement, type Advertisement, type RequestRSpec } from '../../src/rspec';

/**
 * The capacity hint checked against a real placement: the reference aggregate's own inventory, advertised as it
 * advertises it, and its all-or-nothing `place`. A fitting request must place; an exceeding one must not.
 */
const AUTHORITY = 'generators.test';
const CM = makeUrn(AUTHORITY, 'authority', 'cm');
const VMS_PER_HOST = 12;

function freshAggregate(): { model: AggregateModel; advertisement: Advertisement } {
  const inventory = referenceInventory(AUTHORITY);
  const model = new AggregateModel(inventory, AUTHORITY, CM);
  const advertisement: Advertisement = {
    type: 'advertisement',
    nodes: inventory.map((n) => ({
      componentId: n.componentId,
      componentManagerId: CM,
      componentName: n.name,
      exclusive: n.exclusive,
      available: model.freeCapacity(n) > 0,
      sliverTypes: n.sliverTypes,
      hardwareTypes: n.hardwareTypes,
      interfaces: n.interfaceComponentIds.map((componentId) => ({ componentId })),
    })),
  };
  return { model, advertisement };
}

function place(model: AggregateModel, request: RequestRSpec) {
  const nodes = request.nodes.map((node) => ({
    clientId: node.clientId,
    ...(node.componentId !== undefined && { componentId: node.componentId }),
    ...(node.sliverType && { sliverTypeName: node.sliverType.name }),
    ...(node.sliverType?.diskImage !== undefined && { diskImage: node.sliverType.diskImage }),
    interfaceClientIds: node.interfaces.map((iface) => iface.clientId),
  }));
  return model.place(nodes, request.links.map((link) => ({ clientId: link.clientId, interfaceRefs: link.interfaceRefs })));
}

describe('requestRSpec against the reference aggregate inventory', () => {
  const { model, advertisement } = freshAggregate();

  it("bound requests with capacity 'fit' place on an empty aggregate", () => {
    fc.assert(
      fc.property(requestRSpec({ advertisement, bound: true, sharedNodeCapacity: VMS_PER_HOST, nodes: { min: 1, max: 8 } }), (request) => {
        expect(() => place(model, request)).not.toThrow();
      }),
      { numRuns: 60 },
    );
  });

  it("requests with capacity 'exceed' are refused with INSUFFICIENT_NODES", () => {
    fc.assert(
      fc.property(requestRSpec({ advertisement, capacity: 'exceed', sharedNodeCapacity: VMS_PER_HOST }), (request) => {
        let refused: unknown;
        try {
          place(model, request);
        } catch (err) {
          refused = err;
        }
        expect(refused).toBeInstanceOf(AmError);
        expect((refused as AmError).geniCode).toBe(GENI_CODE.INSUFFICIENT_NODES);
      }),
      { numRuns: 60 },
    );
  });
});

/**
 * Issue 8: 'fit' without a stated capacity claims only what the advertisement promises. Each personality's own
 * advertisement (as its aggregate writes it, read back) and its placement: every fitting request places on the
 * empty aggregate, in document order and in reverse (an aggregate may place nodes in any order). Before the fix the
 * generator let a shared node take any number of slivers, and three-node (shared nodes of one sliver each) refused.
 */
describe("requestRSpec capacity 'fit' against every personality's advertisement", () => {
  it.each(PERSONALITIES.filter((p) => p.apiVersions.includes(3)).map((p) => [p.name, p] as const))('%s: fitting requests place, whatever the order', (_name, personality) => {
    const inventory = personality.inventory(AUTHORITY);
    const model = new AggregateModel(inventory, AUTHORITY, CM);
    const advertisement = readAdvertisement(advertisementXml(model, new Date(), { availableOnly: false, faults: new FaultSet(), advertises: personality.advertises }));
    fc.assert(
      fc.property(
        fc.oneof(
          requestRSpec({ advertisement, bound: true, nodes: { min: 1, max: 6 } }),
          requestRSpec({ advertisement, bound: 'mixed', nodes: { min: 1, max: 6 } }),
        ),
        (request) => {
          expect(request.nodes.length).toBeGreaterThanOrEqual(1);
          expect(() => place(model, request)).not.toThrow();
          expect(() => place(model, { ...request, nodes: [...request.nodes].reverse() })).not.toThrow();
        },
      ),
      { numRuns: 80 },
    );
  });

  it('three-node: at most one sliver per node, bound or not', () => {
    const inventory = PERSONALITIES.find((p) => p.name === 'three-node')!.inventory(AUTHORITY);
    const model = new AggregateModel(inventory, AUTHORITY, CM);
    const advertisement = readAdvertisement(advertisementXml(model, new Date(), { availableOnly: false, faults: new FaultSet(), advertises: { sliverTypes: true, hardwareTypes: false, interfaces: false } }));
    fc.assert(
      fc.property(requestRSpec({ advertisement, bound: 'mixed', nodes: { min: 1, max: 6 } }), (request) => {
        expect(request.nodes.length).toBeLessThanOrEqual(3);
        const bound = request.nodes.filter((n) => n.componentId !== undefined);
        expect(new Set(bound.map((n) => n.componentId)).size).toBe(bound.length);
        // An unbound node could land on any of the three: then no node is bound, or none is unbound.
        if (bound.length > 0) expect(bound.length).toBe(request.nodes.length);
      }),
      { numRuns: 100 },
    );
  });
});
