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
  /** How long a node takes to come up once started (bare metal is re-imaged; VMs start at once). */
  bootSeconds: number;
}

export const RAW_PC = 'raw-pc';
export const DEFAULT_VM = 'default-vm';

const BARE_METAL_COUNT = 4;
const VM_HOST_COUNT = 2;
const VMS_PER_HOST = 12;
/** Re-imaging a bare-metal PC takes minutes; long enough that a client sees geni_configuring / 'configuring'. */
const BARE_METAL_BOOT_SECONDS = 180;

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
    node(`pc${i + 1}`, { exclusive: true, capacity: 1, sliverTypes: [RAW_PC], hardwareTypes: ['pc'], bootSeconds: BARE_METAL_BOOT_SECONDS }, 2),
  );
  const vmHosts = Array.from({ length: VM_HOST_COUNT }, (_, i) =>
    node(`vmhost${i + 1}`, { exclusive: false, capacity: VMS_PER_HOST, sliverTypes: [DEFAULT_VM], hardwareTypes: ['pcvm'], bootSeconds: 0 }, 1),
  );
  return [...pcs, ...vmHosts];
}

/** Two shared VM hosts (12 slots each) with nothing but a default VM type: the `sparse` personality. */
export function sparseInventory(authorityName: string): InventoryNode[] {
  return sharedNodes(authorityName, { count: 2, namePrefix: 'host', capacity: VMS_PER_HOST, sliverType: DEFAULT_VM });
}

/** Three nodes that each take one sliver, advertised as shared as gcf advertises its fake VMs: `three-node`. */
export function threeNodeInventory(authorityName: string): InventoryNode[] {
  return sharedNodes(authorityName, { count: 3, namePrefix: 'vm', capacity: 1, sliverType: 'fake-vm' });
}

/** PlanetLab-style shared nodes, each hosting many vservers: `v1-sfa`. */
export function sfaInventory(authorityName: string): InventoryNode[] {
  return sharedNodes(authorityName, { count: 3, namePrefix: 'planetlab', capacity: 10, sliverType: 'plab-vserver' });
}

/** The personalities' inventories: shared nodes of one sliver type, no hardware types or interfaces, ready at once. */
function sharedNodes(
  authorityName: string,
  shape: { count: number; namePrefix: string; capacity: number; sliverType: string },
): InventoryNode[] {
  return Array.from({ length: shape.count }, (_, i) => ({
    name: `${shape.namePrefix}${i + 1}`,
    componentId: makeUrn(authorityName, 'node', `${shape.namePrefix}${i + 1}`),
    exclusive: false,
    capacity: shape.capacity,
    sliverTypes: [shape.sliverType],
    hardwareTypes: [],
    interfaceComponentIds: [],
    bootSeconds: 0,
  }));
}
