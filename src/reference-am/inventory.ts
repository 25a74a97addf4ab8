import { makeUrn } from '../geni/urn';

/** One physical resource the reference aggregate owns. */
export interface InventoryNode {
  /** component_name, and the last part of the component URN. */
  name: string;
  componentId: string;
  /** Exclusive nodes are handed out whole (bare metal); shared ones host `capacity` VMs. */
  exclusive: boolean;
  capacity: number;
  sliverTypes: string[];
  hardwareTypes: string[];
  interfaceComponentIds: string[];
}

export const RAW_PC = 'raw-pc';
export const DEFAULT_VM = 'default-vm';

const BARE_METAL_COUNT = 4;
const VM_HOST_COUNT = 2;
const VMS_PER_HOST = 12;

/**
 * A small, finite inventory so that capacity errors are real: 4 exclusive bare-metal PCs with two interfaces
 * each and 2 shared VM hosts with 12 VM slots each.
 */
export function referenceInventory(authorityName: string): InventoryNode[] {
  const node = (name: string, fields: Omit<InventoryNode, 'name' | 'componentId' | 'interfaceComponentIds'>, ifaceCount: number): InventoryNode => ({
    name,
    componentId: makeUrn(authorityName, 'node', name),
    interfaceComponentIds: Array.from({ length: ifaceCount }, (_, i) => makeUrn(authorityName, 'interface', `${name}:eth${i}`)),
    ...fields,
  });
  const pcs = Array.from({ length: BARE_METAL_COUNT }, (_, i) =>
    node(`pc${i + 1}`, { exclusive: true, capacity: 1, sliverTypes: [RAW_PC], hardwareTypes: ['pc'] }, 2),
  );
  const vmHosts = Array.from({ length: VM_HOST_COUNT }, (_, i) =>
    node(`vmhost${i + 1}`, { exclusive: false, capacity: VMS_PER_HOST, sliverTypes: [DEFAULT_VM], hardwareTypes: ['pcvm'] }, 1),
  );
  return [...pcs, ...vmHosts];
}
