import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requestRSpec } from '../../generators';
import { makeUrn } from '../../src/geni/urn';
import { AmError, GENI_CODE } from '../../src/reference-am/am-error';
import { referenceInventory } from '../../src/reference-am/inventory';
import { AggregateModel } from '../../src/reference-am/model';
import type { Advertisement, RequestRSpec } from '../../src/rspec';

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
