import type { AggregateModel, Sliver } from '../model';

/**
 * A node of a slice as the dynslice API names it. `node_id` is the physical node's name (ProtoGENI's "pc312"):
 * the component name for bare metal, and a name of its own for each VM ("vmhost1-vm7", as ProtoGENI names VMs
 * pcvm312-1). `vname` and `client_id` are both the request's client_id, as in ProtoGENI.
 */
export interface DynsliceNode {
  sliver: Sliver;
  node_id: string;
  client_id: string;
  component_urn: string;
}

export function nodeIdOf(sliver: Sliver): string {
  const node = sliver.node!;
  return node.exclusive ? node.componentName : `${node.componentName}-vm${sliver.allocationOrder}`;
}

/** The slice's node slivers (links have no node_id), oldest first. */
export function sliceNodes(model: AggregateModel, sliceUrn: string): DynsliceNode[] {
  const slice = model.findSlice(sliceUrn);
  if (!slice) return [];
  return [...slice.slivers.values()]
    .filter((s) => s.node !== undefined)
    .sort((a, b) => a.allocationOrder - b.allocationOrder)
    .map((sliver) => ({ sliver, node_id: nodeIdOf(sliver), client_id: sliver.clientId, component_urn: sliver.node!.componentId }));
}

/** Whether the sliver is still allocated (the client may have deleted it through the AM meanwhile). */
export function stillHeld(model: AggregateModel, node: DynsliceNode): boolean {
  return model.findSliver(node.sliver.urn) !== undefined;
}
