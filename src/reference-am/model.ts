import { randomBytes } from 'node:crypto';
import { makeUrn } from '../geni/urn';
import { AmError, GENI_CODE } from './am-error';
import { DEFAULT_VM, type InventoryNode } from './inventory';
import { OWN_WAIT_MS, ownMachineFor, successOf, type OwnOperationalStates } from './own-states';

/**
 * The aggregate's state: inventory, slices and slivers. Pure in-memory bookkeeping with no I/O and no clock of its
 * own: every time-dependent operation takes `now`, so tests drive time explicitly.
 */

export type AllocationState = 'geni_allocated' | 'geni_provisioned';
/**
 * geni_configuring is a node booting after CreateSliver or UpdateSliver (v1/v2 start slivers themselves); v3's
 * Provision leaves slivers geni_notready and PerformOperationalAction starts them at once, so v3 alone never
 * sees it unless a v1/v2 call made the sliver.
 */
export type StandardOperationalState = 'geni_pending_allocation' | 'geni_notready' | 'geni_configuring' | 'geni_ready';
/** A standard state, or one of the aggregate's own machine (OwnOperationalStates) for node slivers of its types. */
export type OperationalState = StandardOperationalState | (string & {});

/** A login account to create on provisioned nodes (geni_users). */
export interface GeniUser {
  urn: string;
  keys: string[];
}

/** What placement needs from one request node (the handler maps the request RSpec onto this). */
export interface NodeRequest {
  clientId: string;
  componentId?: string;
  sliverTypeName?: string;
  diskImage?: string;
  interfaceClientIds: string[];
}

export interface LinkRequest {
  clientId: string;
  interfaceRefs: string[];
}

export interface SliverInterface {
  clientId: string;
  sliverId: string;
  componentId?: string;
  macAddress: string;
}

export interface NodeSliverDetails {
  componentId: string;
  componentName: string;
  exclusive: boolean;
  sliverType: string;
  diskImage?: string;
  interfaces: SliverInterface[];
}

export interface Sliver {
  urn: string;
  sliceUrn: string;
  clientId: string;
  /** Exactly one of node / link is set. */
  node?: NodeSliverDetails;
  link?: { interfaceRefs: string[] };
  allocation: AllocationState;
  operational: OperationalState;
  expires: Date;
  /** geni_end_time given at Allocate, remembered for Provision. */
  requestedEnd?: Date;
  users: GeniUser[];
  /** While geni_configuring: when the boot finishes and the sliver becomes geni_ready. */
  bootCompletesAt?: Date;
  /** While in a wait state of the aggregate's own machine: when the wait ends, and the state it ends in. */
  ownWait?: { endsAt: Date; next: string };
  /** The expiry Describe's cache still holds after a Renew it was not told about (describe-stale-after-renew fault). */
  describeCachedExpires?: Date;
  /** Rises with every sliver this aggregate allocates: how long slivers have been held, in order (dynslice LIFO). */
  allocationOrder: number;
}

export interface SliceRecord {
  /** The spelling first seen; slice URNs compare case-insensitively. */
  urn: string;
  shutdown: boolean;
  slivers: Map<string, Sliver>;
  /**
   * A v1/v2 sliver that holds no resource, until DeleteSliver (the gcf personality's CreateSliver of a request naming
   * nothing here, sliceApi.emptyRequest 'empty'): the slice is known here, and expires then.
   */
  emptySliver?: { expires: Date };
}

/** Where each requested node goes; produced by `place`, consumed by `allocate`. */
export interface Placement {
  nodes: Array<{ request: NodeRequest; target: InventoryNode; sliverType: string }>;
  links: LinkRequest[];
}

const sliceKey = (urn: string): string => urn.toLowerCase();

export class AggregateModel {
  private readonly slices = new Map<string, SliceRecord>();
  private readonly sliverSlice = new Map<string, SliceRecord>();
  /** Places held by no sliver (the refused-allocate-keeps-nodes fault): never given back. */
  private readonly lost = new Map<string, number>();
  /** Random per instance, so sliver names stay unique across restarts as well as within a run. */
  private readonly idPrefix = randomBytes(4).toString('hex');
  private nextId = 1;
  private nextMac = 1;
  private nextAllocation = 1;

  constructor(
    readonly inventory: readonly InventoryNode[],
    private readonly authorityName: string,
    private readonly componentManagerUrn: string,
    /** Operational state machines of its own (advertised), for node slivers of their types; none: the standard states. */
    readonly ownStates: readonly OwnOperationalStates[] = [],
  ) {}

  /** The aggregate's own machine that governs `sliver` (a node sliver of one of its types), if any. */
  ownMachineOf(sliver: Sliver): OwnOperationalStates | undefined {
    return sliver.node ? ownMachineFor(this.ownStates, sliver.node.sliverType) : undefined;
  }

  /** Puts a sliver its own machine governs into `state`; a wait state ends by itself OWN_WAIT_MS later. */
  enterOwnState(sliver: Sliver, state: string, now: Date): void {
    const own = this.ownMachineOf(sliver);
    sliver.operational = state;
    const next = own && successOf(own, state);
    sliver.ownWait = next === undefined ? undefined : { endsAt: new Date(now.getTime() + OWN_WAIT_MS), next };
  }

  /** Whether a provisioned sliver runs (its node takes logins): geni_ready, or a running state of its own machine. */
  isRunning(sliver: Sliver): boolean {
    return sliver.operational === 'geni_ready' || (this.ownMachineOf(sliver)?.running.includes(sliver.operational) ?? false);
  }

  /** Brings the state up to `now`: finished boots become geni_ready, expired slivers are forgotten. */
  settle(now: Date): void {
    this.finishBoots(now);
    this.expireSlivers(now);
  }

  /** Allocations that timed out and provisioned slivers that expired go back to unallocated, i.e. are forgotten. */
  expireSlivers(now: Date): Sliver[] {
    const gone: Sliver[] = [];
    for (const slice of this.slices.values()) {
      for (const sliver of slice.slivers.values()) {
        if (sliver.expires.getTime() <= now.getTime()) gone.push(sliver);
      }
    }
    this.remove(gone);
    return gone;
  }

  findSlice(sliceUrn: string): SliceRecord | undefined {
    return this.slices.get(sliceKey(sliceUrn));
  }

  openSlice(sliceUrn: string): SliceRecord {
    const existing = this.findSlice(sliceUrn);
    if (existing) return existing;
    const created: SliceRecord = { urn: sliceUrn, shutdown: false, slivers: new Map() };
    this.slices.set(sliceKey(sliceUrn), created);
    return created;
  }

  findSliver(sliverUrn: string): Sliver | undefined {
    return this.sliverSlice.get(sliverUrn)?.slivers.get(sliverUrn);
  }

  findComponent(componentId: string): InventoryNode | undefined {
    const wanted = componentId.toLowerCase();
    return this.inventory.find((n) => n.componentId.toLowerCase() === wanted);
  }

  usedCapacity(node: InventoryNode): number {
    let used = this.lost.get(node.componentId) ?? 0;
    for (const slice of this.slices.values()) {
      for (const sliver of slice.slivers.values()) if (sliver.node?.componentId === node.componentId) used += 1;
    }
    return used;
  }

  freeCapacity(node: InventoryNode): number {
    return Math.max(0, node.capacity - this.usedCapacity(node));
  }

  /**
   * The refused-allocate-keeps-nodes fault: a refused request's bound nodes, in request order, each keep one place
   * for good, up to the first that has no room (as an aggregate that reserves as it goes and forgets to roll back).
   */
  keepRefused(nodes: readonly NodeRequest[]): void {
    for (const request of nodes) {
      const target = request.componentId === undefined ? undefined : this.findComponent(request.componentId);
      if (!target || this.freeCapacity(target) < 1) return;
      this.lost.set(target.componentId, (this.lost.get(target.componentId) ?? 0) + 1);
    }
  }

  /**
   * Decides where each requested node goes, all or nothing. Bound nodes (component_id) must exist and offer the
   * sliver type; unbound ones go to the first node with room that offers it (a default-vm when no type is named).
   * With `ignoreCapacity` (a fault) nodes are handed out even when full; `releasing` slivers' places count as free.
   */
  place(
    nodes: NodeRequest[],
    links: LinkRequest[],
    options: { ignoreCapacity?: boolean; releasing?: readonly Sliver[]; exclusiveIgnoresRequestDemand?: boolean } = {},
  ): Placement {
    const demand = new Map<InventoryNode, number>();
    // Slivers an update is about to give up count as free (UpdateSliver re-places a slice's nodes in one step).
    const released = (n: InventoryNode): number => (options.releasing ?? []).filter((s) => s.node?.componentId === n.componentId).length;
    // exclusiveIgnoresRequestDemand (the allocate-double-books-exclusive-in-request fault): an exclusive node's room
    // is judged by existing slivers only, as if the request's earlier nodes had not asked for it.
    const requested = (n: InventoryNode): number => (options.exclusiveIgnoresRequestDemand && n.exclusive ? 0 : demand.get(n) ?? 0);
    const room = (n: InventoryNode): number => this.freeCapacity(n) + released(n) - requested(n);
    const placed: Placement['nodes'] = [];
    for (const request of nodes) {
      let target: InventoryNode | undefined;
      let sliverType = request.sliverTypeName;
      if (request.componentId !== undefined) {
        target = this.findComponent(request.componentId);
        if (!target) {
          throw new AmError(GENI_CODE.BADARGS, `node "${request.clientId}" asks for component_id ${request.componentId}, which this aggregate does not have`);
        }
        sliverType ??= target.sliverTypes[0] ?? DEFAULT_VM;
        if (!target.sliverTypes.includes(sliverType)) {
          throw new AmError(GENI_CODE.BADARGS, `node "${request.clientId}": ${target.name} offers sliver_type ${target.sliverTypes.join(', ')}, not "${sliverType}"`);
        }
        if (!options.ignoreCapacity && room(target) < 1) {
          throw new AmError(GENI_CODE.INSUFFICIENT_NODES, `node "${request.clientId}": ${target.name} has no free capacity (${target.capacity} in total, all in use or requested)`);
        }
      } else {
        // Without a sliver_type the node gets the aggregate's default: a VM where it offers them, else its first type.
        const type = sliverType ?? (this.inventory.some((n) => n.sliverTypes.includes(DEFAULT_VM)) ? DEFAULT_VM : undefined);
        const candidates = this.inventory.filter((n) => type === undefined || n.sliverTypes.includes(type));
        if (candidates.length === 0) {
          const offered = [...new Set(this.inventory.flatMap((n) => n.sliverTypes))].join(', ');
          throw new AmError(GENI_CODE.BADARGS, `node "${request.clientId}": sliver_type "${String(type)}" is not offered here (offered: ${offered})`);
        }
        target = options.ignoreCapacity ? candidates[0] : candidates.find((n) => room(n) >= 1);
        if (!target) {
          const free = candidates.reduce((sum, n) => sum + Math.max(0, room(n)), 0);
          throw new AmError(GENI_CODE.INSUFFICIENT_NODES, `not enough ${type === undefined ? '' : `"${type}" `}capacity: node "${request.clientId}" finds ${free} free of ${candidates.reduce((s, n) => s + n.capacity, 0)}`);
        }
        sliverType = type ?? target.sliverTypes[0] ?? DEFAULT_VM;
      }
      demand.set(target, (demand.get(target) ?? 0) + 1);
      placed.push({ request, target, sliverType });
    }
    return { nodes: placed, links };
  }

  /** Records a placement as new allocated slivers of the slice. */
  allocate(sliceUrn: string, placement: Placement, expires: Date, requestedEnd?: Date): Sliver[] {
    const slice = this.openSlice(sliceUrn);
    const created: Sliver[] = [];
    const base = { sliceUrn: slice.urn, allocation: 'geni_allocated' as const, operational: 'geni_pending_allocation' as const, expires, requestedEnd, users: [] };
    for (const { request, target, sliverType } of placement.nodes) {
      created.push({ ...base, urn: this.mintSliverUrn(), clientId: request.clientId, node: this.nodeDetails({ request, target, sliverType }), allocationOrder: this.nextAllocation++ });
    }
    for (const link of placement.links) {
      created.push({ ...base, urn: this.mintSliverUrn(), clientId: link.clientId, link: { interfaceRefs: [...link.interfaceRefs] }, allocationOrder: this.nextAllocation++ });
    }
    for (const sliver of created) {
      slice.slivers.set(sliver.urn, sliver);
      this.sliverSlice.set(sliver.urn, slice);
    }
    return created;
  }

  /**
   * UpdateSliver's "modify": the node sliver keeps its URN and takes its new placement (component, sliver type,
   * image, interfaces). Interfaces it keeps on the same component keep their sliver_id and MAC address.
   */
  refit(sliver: Sliver, placed: Placement['nodes'][number]): void {
    const sameComponent = sliver.node?.componentId === placed.target.componentId;
    const kept = new Map(sameComponent ? (sliver.node?.interfaces ?? []).map((i) => [i.clientId, i]) : []);
    sliver.node = this.nodeDetails(placed, kept);
  }

  private nodeDetails({ request, target, sliverType }: Placement['nodes'][number], kept = new Map<string, SliverInterface>()): NodeSliverDetails {
    const interfaces = request.interfaceClientIds.map((clientId, i) => ({
      clientId,
      sliverId: kept.get(clientId)?.sliverId ?? this.mintSliverUrn(),
      // Exclusive nodes hand out their physical ports in order; VMs get virtual ones with no component.
      componentId: target.exclusive ? target.interfaceComponentIds[i] : undefined,
      macAddress: kept.get(clientId)?.macAddress ?? this.mintMac(),
    }));
    return { componentId: target.componentId, componentName: target.name, exclusive: target.exclusive, sliverType, diskImage: request.diskImage, interfaces };
  }

  /** `now` places the slivers its own machine governs in that machine's start state (else they are geni_notready). */
  provision(slivers: Sliver[], expires: Date, users: GeniUser[], now?: Date): void {
    for (const sliver of slivers) {
      sliver.allocation = 'geni_provisioned';
      const own = now && this.ownMachineOf(sliver);
      if (own) this.enterOwnState(sliver, own.machine.start, now);
      else sliver.operational = 'geni_notready';
      sliver.expires = expires;
      sliver.describeCachedExpires = undefined;
      sliver.users = users.map((u) => ({ urn: u.urn, keys: [...u.keys] }));
    }
  }

  /**
   * Starts provisioned slivers, as v1/v2 CreateSliver and UpdateSliver do on the experimenter's behalf: each node
   * boots for its hardware's boot time (geni_configuring), links are up at once.
   */
  boot(slivers: Sliver[], now: Date): void {
    for (const sliver of slivers) {
      const seconds = sliver.node ? (this.findComponent(sliver.node.componentId)?.bootSeconds ?? 0) : 0;
      if (seconds > 0) {
        sliver.operational = 'geni_configuring';
        sliver.bootCompletesAt = new Date(now.getTime() + seconds * 1000);
      } else {
        sliver.operational = 'geni_ready';
        sliver.bootCompletesAt = undefined;
      }
    }
  }

  finishBoots(now: Date): void {
    for (const slice of this.slices.values()) {
      for (const sliver of slice.slivers.values()) {
        if (sliver.operational === 'geni_configuring' && sliver.bootCompletesAt && sliver.bootCompletesAt.getTime() <= now.getTime()) {
          sliver.operational = 'geni_ready';
          sliver.bootCompletesAt = undefined;
        }
        // A wait state of its own machine ends in the state its geni_success wait names (which may wait in turn).
        while (sliver.ownWait && sliver.ownWait.endsAt.getTime() <= now.getTime()) this.enterOwnState(sliver, sliver.ownWait.next, sliver.ownWait.endsAt);
      }
    }
  }

  /** The operator's emergency stop: the slice refuses changes from now on; running slivers stop but are kept. */
  shutDown(slice: SliceRecord): void {
    slice.shutdown = true;
    for (const sliver of slice.slivers.values()) {
      const own = sliver.allocation === 'geni_provisioned' ? this.ownMachineOf(sliver) : undefined;
      if (own && own.machine.start !== sliver.operational) {
        sliver.operational = own.machine.start;
        sliver.ownWait = undefined;
      } else if (sliver.operational === 'geni_ready' || sliver.operational === 'geni_configuring') {
        sliver.operational = 'geni_notready';
        sliver.bootCompletesAt = undefined;
      }
    }
  }

  remove(slivers: Sliver[]): void {
    for (const sliver of slivers) {
      this.sliverSlice.get(sliver.urn)?.slivers.delete(sliver.urn);
      this.sliverSlice.delete(sliver.urn);
    }
  }

  /** Every client_id already used in the slice: nodes, their interfaces, and links. */
  clientIdsIn(slice: SliceRecord): Set<string> {
    const ids = new Set<string>();
    for (const sliver of slice.slivers.values()) {
      ids.add(sliver.clientId);
      for (const iface of sliver.node?.interfaces ?? []) ids.add(iface.clientId);
    }
    return ids;
  }

  get amUrn(): string {
    return this.componentManagerUrn;
  }

  private mintSliverUrn(): string {
    return makeUrn(this.authorityName, 'sliver', `${this.idPrefix}-${this.nextId++}`);
  }

  private mintMac(): string {
    // 02: locally administered unicast, so the addresses can never clash with real hardware.
    const n = this.nextMac++;
    const bytes = [0x02, 0x00, (n >> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
    return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
  }
}
