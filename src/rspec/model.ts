/**
 * The RSpec model the reference aggregate and the fast-check generators work with. It covers the GENI v3
 * vocabulary the harness exercises, not every element an RSpec may carry; read* drops the rest.
 */
export const GENI3_NS = 'http://www.geni.net/resources/rspec/3';
/** ProtoGENI v2, what GENI v3 was before it was re-branded: the same vocabulary in its own namespace. */
export const PGV2_NS = 'http://www.protogeni.net/resources/rspec/2';

export interface RSpecInterface {
  clientId: string;
  componentId?: string;
  /** Manifest only: requests cannot carry it and serializeRequest leaves it out. */
  sliverId?: string;
  /** Manifest only. */
  macAddress?: string;
  ip?: { address: string; netmask?: string; type?: string };
}

export interface RSpecNode {
  clientId: string;
  componentId?: string;
  componentManagerId?: string;
  componentName?: string;
  exclusive?: boolean;
  /** Manifest only. */
  sliverId?: string;
  sliverType?: { name: string; diskImage?: string };
  interfaces: RSpecInterface[];
  /** Elements from other namespaces, each one element serialized with its own xmlns declaration. */
  extensions?: Array<{ namespace: string; xml: string }>;
}

export interface RSpecLink {
  clientId: string;
  /** Manifest only. */
  sliverId?: string;
  componentManagerIds?: string[];
  /** client_ids of the interfaces the link joins. */
  interfaceRefs: string[];
  linkType?: string;
  /**
   * Manifest only. The manifest schema requires a vlantag on every link; when the aggregate assigned none,
   * serializeManifest writes vlantag="" and readManifest maps "" back to undefined.
   */
  vlanTag?: string;
}

export interface RequestRSpec {
  type: 'request';
  nodes: RSpecNode[];
  links: RSpecLink[];
}

export interface ManifestRSpec {
  type: 'manifest';
  nodes: RSpecNode[];
  links: RSpecLink[];
  /** xs:dateTime */
  expires?: string;
}

export interface AdNode {
  componentId: string;
  componentManagerId: string;
  componentName: string;
  exclusive: boolean;
  available: boolean;
  sliverTypes: string[];
  hardwareTypes: string[];
  interfaces: Array<{ componentId: string }>;
  /**
   * Slivers the node can take, as its advertisement states it: ProtoGENI's `<emulab:node_type type_slots="N">` inside
   * each `<hardware_type>` (the smallest count any of its hardware types states, `unlimited` = Infinity; a hardware
   * type that states none counts as 1, and so does a stated count that cannot be read as one). Absent when the
   * advertisement states no count (the GENI 3 schemas have none).
   */
  slots?: number;
}

/** The ProtoGENI/Emulab RSpec extension namespace (its `node_type type_slots` states a node's capacity). */
export const EMULAB_NS = 'http://www.protogeni.net/resources/rspec/ext/emulab/1';

/**
 * Slivers an advertised node is sure to take now, as far as its advertisement tells: none when it is not available;
 * one when it is exclusive (it is handed out whole); for a shared node the count the advertisement states
 * (`slots`, at least one), else one. The GENI 3 advertisement schema says of `<available now>` only "Whether the
 * component can be allocated now", and nothing of how many slivers a shared (exclusive="false") node hosts: three
 * fake VMs of gcf are advertised shared and take one sliver each. A request that asks a node for more than this may
 * be refused by a working aggregate.
 */
export function promisedSlots(node: AdNode): number {
  if (!node.available) return 0;
  if (node.exclusive) return 1;
  return Math.max(1, node.slots ?? 1);
}

/** The GENI operational-state extension: an aggregate's own operational state machine, advertised in its ad RSpec. */
export const OPSTATE_NS = 'http://www.geni.net/resources/rspec/ext/opstate/1';

/** `<opstate:action name next>`: an action PerformOperationalAction may take in a state, and the state it leads to. */
export interface OperationalAction {
  name: string;
  /** Absent when the advertisement does not say. */
  next?: string;
}

/** `<opstate:wait type next>`: the state is transient; when what `type` names happens (geni_success, geni_failure, …) it goes to `next`. */
export interface OperationalWait {
  type: string;
  next?: string;
}

/** `<opstate:state name>`: a state slivers may show, with its actions and, for a transient (wait) state, its waits. */
export interface OperationalStateDefinition {
  name: string;
  actions: OperationalAction[];
  /** Non-empty: a wait state (it ends by itself); empty: a resting state (only an action moves it). */
  waits: OperationalWait[];
  description?: string;
}

/**
 * One `<opstate:rspec_opstate>`: the operational state machine of the sliver types it lists (every sliver type when it
 * lists none). CommonConcepts: "AMs may have their own operational states/state-machine internally. AMs are required to
 * advertise such states and actions that experimenters may see or use, by using Ad RSpec extensions".
 */
export interface OperationalStateMachine {
  aggregateManagerId?: string;
  /** The state slivers start in (after Provision). */
  start?: string;
  sliverTypes: string[];
  states: OperationalStateDefinition[];
}

export interface Advertisement {
  type: 'advertisement';
  nodes: AdNode[];
  /** The operational state machines the advertisement declares (opstate extension); absent when it declares none. */
  operationalStates?: OperationalStateMachine[];
  links?: Array<{ componentId: string; interfaceRefs: string[] }>;
  /** xs:dateTime */
  generated?: string;
  /** xs:dateTime */
  expires?: string;
}

/** What a request can say: the manifest-only fields dropped. read(serializeRequest(m)) equals this. */
export function requestView(model: RequestRSpec): RequestRSpec {
  return {
    type: 'request',
    nodes: model.nodes.map(({ sliverId: _sliverId, ...node }) => ({
      ...node,
      interfaces: node.interfaces.map(({ sliverId: _s, macAddress: _m, ...iface }) => iface),
    })),
    links: model.links.map(({ sliverId: _sliverId, vlanTag: _vlanTag, ...link }) => link),
  };
}
