import fc from 'fast-check';
import { makeUrn } from '../../src/geni/urn';
import { promisedSlots, type AdNode, type Advertisement, type RequestRSpec, type RSpecInterface, type RSpecLink, type RSpecNode } from '../../src/rspec';

/**
 * Request RSpecs as typed models (src/rspec `RequestRSpec`). Serialise them with `serializeRequest`; the
 * generator never writes XML itself, so every document it leads to is one the model can describe.
 */

export interface RequestRSpecConstraints {
  /**
   * How many nodes. With an advertisement and `capacity: 'fit'`, nodes that find no room are dropped, so fewer may
   * come out (with `bound: true` never fewer than `min`: the constraints are refused when the advertisement cannot
   * hold them; with `'mixed'`, a draw whose unbound nodes leave too little room for `min` is bound throughout).
   * @defaultValue `{ min: 1, max: 4 }`
   */
  nodes?: { min?: number; max?: number };
  /**
   * How many links (2 ends) and LANs (more ends). Every end is a fresh interface on a distinct node, so a link
   * needs at least 2 nodes: with fewer, no link is generated.
   * @defaultValue `{ min: 0, max: 2, maxEnds: 3 }`
   */
  links?: { min?: number; max?: number; maxEnds?: number };
  /**
   * Interfaces per node that no link uses.
   * @defaultValue `{ max: 1 }`
   */
  spareInterfaces?: { max?: number };
  /**
   * Whether interfaces may carry an IPv4 `<ip>`: each link gets its own /24 and its ends distinct hosts in it.
   * @defaultValue true
   */
  withIpAddresses?: boolean;
  /**
   * Whether nodes may carry extension elements in foreign namespaces (never GENI's or ProtoGENI's core one).
   * @defaultValue false
   */
  withExtensions?: boolean;
  /**
   * The advertisement to bind nodes to: component_id, component_manager_id, component_name and sliver types
   * come from its nodes, and `exclusive` is only ever set to what the advertised node says.
   * @defaultValue undefined (no advertisement: bound nodes get components of a made-up aggregate)
   */
  advertisement?: Advertisement;
  /**
   * `true`: every node names a component; `false`: none does (the aggregate places them); `'mixed'`: each node decides.
   * @defaultValue `'mixed'` with an advertisement, `false` without
   */
  bound?: boolean | 'mixed';
  /**
   * With an advertisement: `'fit'` asks no more of the aggregate than its advertisement promises, whatever order it
   * places the nodes in: bound nodes only on available components, never more on one than it can take
   * (`promisedSlots`: exclusive 1; shared what the advertisement states, else 1, or `sharedNodeCapacity`); unbound
   * nodes all of one sliver type the advertisement offers (none where it names none), no more than the nodes offering
   * it can take, and a component they could land on keeps room for all of them besides its bound nodes. `'exceed'`
   * additionally binds one component beyond what it can host (an exclusive node twice, or a shared one
   * `sharedNodeCapacity + 1` times), so the request cannot fit whatever else is allocated; those over-asking nodes
   * come first and may take the count past `nodes.max`.
   * @defaultValue `'fit'`
   */
  capacity?: 'fit' | 'exceed';
  /**
   * Slivers one shared (non-exclusive) node can host: the aggregate's policy, where the caller knows it. Without it a
   * shared node takes what its advertisement states (ProtoGENI's type_slots), else one sliver: all that
   * `<available now="true"/>` promises. `'exceed'` over-asks a shared node only when this is given.
   * @defaultValue undefined
   */
  sharedNodeCapacity?: number;
  /**
   * Sliver types for nodes no advertisement describes.
   * @defaultValue {@link DEFAULT_SLIVER_TYPES}
   */
  sliverTypes?: readonly string[];
  /**
   * Disk images a sliver type may ask for.
   * @defaultValue {@link DEFAULT_DISK_IMAGES}
   */
  diskImages?: readonly string[];
}

export const DEFAULT_SLIVER_TYPES: readonly string[] = ['default-vm', 'raw-pc', 'emulab-xen', 'docker-container'];

export const DEFAULT_DISK_IMAGES: readonly string[] = [
  makeUrn('emulab.net', 'image', 'emulab-ops:UBUNTU22-64-STD'),
  makeUrn('utah.cloudlab.us', 'image', 'emulab-ops:CENTOS8-64-STD'),
  'https://images.example.org/debian-12.img',
];

/** Namespaces extension elements are drawn from: real GENI/ProtoGENI extensions and made-up ones. */
export const EXTENSION_NAMESPACES: readonly string[] = [
  'http://www.protogeni.net/resources/rspec/ext/emulab/1',
  'http://www.geni.net/resources/rspec/ext/user-data/1',
  'urn:geni-harness:test-extension',
  'http://acme.example/rspec/ext/1',
];

/** The aggregate unbound-but-`bound: true` requests name when there is no advertisement. @internal */
const MADE_UP_AUTHORITY = 'aggregate.example.net';

/** One node before names, bindings and links are resolved. @internal */
interface NodeDraft {
  prefix: string;
  wantsBinding: boolean;
  componentChoice: number;
  withComponentName: boolean;
  sliverTypeChoice: number | null;
  diskImageChoice: number | null;
  exclusive: boolean | null;
  spareInterfaces: number;
  extensions: ExtensionDraft[];
}

/** @internal */
interface ExtensionDraft {
  namespaceChoice: number;
  prefix: string;
  localName: string;
  value: string;
  text: string | null;
}

/** @internal */
interface LinkDraft {
  prefix: string;
  endChoices: number[];
  withIp: boolean;
  firstHost: number;
  linkType: string | null;
}

/** A slug for client_id prefixes: no hyphen, so `<prefix>-n<i>` and `<prefix>-l<k>` can never collide. @internal */
const slug = (): fc.Arbitrary<string> => fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/);

function extensionDraft(): fc.Arbitrary<ExtensionDraft> {
  return fc.record({
    namespaceChoice: fc.nat(),
    prefix: fc.constantFrom('emulab', 'ext', 'x', 'acme'),
    localName: fc.stringMatching(/^[a-z][a-z_]{0,11}$/),
    value: fc.stringMatching(/^[A-Za-z0-9 ._-]{0,16}$/),
    text: fc.option(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,15}$/), { nil: null }),
  });
}

function nodeDraft(c: Required<Pick<RequestRSpecConstraints, 'withExtensions'>> & { maxSpare: number }): fc.Arbitrary<NodeDraft> {
  return fc.record({
    prefix: slug(),
    wantsBinding: fc.boolean(),
    componentChoice: fc.nat(),
    withComponentName: fc.boolean(),
    sliverTypeChoice: fc.option(fc.nat(), { nil: null }),
    diskImageChoice: fc.option(fc.nat(), { nil: null }),
    exclusive: fc.option(fc.boolean(), { nil: null }),
    spareInterfaces: fc.integer({ min: 0, max: c.maxSpare }),
    extensions: c.withExtensions ? fc.array(extensionDraft(), { maxLength: 2 }) : fc.constant([]),
  });
}

function linkDraft(maxEnds: number): fc.Arbitrary<LinkDraft> {
  return fc.record({
    prefix: slug(),
    endChoices: fc.uniqueArray(fc.nat({ max: 63 }), { minLength: 2, maxLength: maxEnds }),
    withIp: fc.boolean(),
    // Hosts firstHost .. firstHost + ends - 1 must stay inside 1..254.
    firstHost: fc.integer({ min: 1, max: 254 - maxEnds }),
    linkType: fc.option(fc.constantFrom('lan', 'vlan'), { nil: null }),
  });
}

/** Constraints with defaults applied and checked. @internal */
interface Resolved {
  nodes: { min: number; max: number };
  links: { min: number; max: number; maxEnds: number };
  maxSpare: number;
  withIpAddresses: boolean;
  withExtensions: boolean;
  advertisement: Advertisement | undefined;
  bound: boolean | 'mixed';
  capacity: 'fit' | 'exceed';
  sharedNodeCapacity: number | undefined;
  sliverTypes: readonly string[];
  diskImages: readonly string[];
}

function resolve(c: RequestRSpecConstraints): Resolved {
  const r: Resolved = {
    nodes: { min: c.nodes?.min ?? 1, max: c.nodes?.max ?? Math.max(4, c.nodes?.min ?? 1) },
    links: { min: c.links?.min ?? 0, max: c.links?.max ?? Math.max(2, c.links?.min ?? 0), maxEnds: c.links?.maxEnds ?? 3 },
    maxSpare: c.spareInterfaces?.max ?? 1,
    withIpAddresses: c.withIpAddresses ?? true,
    withExtensions: c.withExtensions ?? false,
    advertisement: c.advertisement,
    bound: c.bound ?? (c.advertisement ? 'mixed' : false),
    capacity: c.capacity ?? 'fit',
    sharedNodeCapacity: c.sharedNodeCapacity,
    sliverTypes: c.sliverTypes ?? DEFAULT_SLIVER_TYPES,
    diskImages: c.diskImages ?? DEFAULT_DISK_IMAGES,
  };
  const fail = (message: string): never => {
    throw new RangeError(`requestRSpec: ${message}`);
  };
  if (!Number.isInteger(r.nodes.min) || r.nodes.min < 0 || r.nodes.max < r.nodes.min) fail(`nodes must satisfy 0 <= min <= max, but received ${JSON.stringify(r.nodes)}`);
  if (r.links.min < 0 || r.links.max < r.links.min) fail(`links must satisfy 0 <= min <= max, but received ${JSON.stringify(r.links)}`);
  if (r.links.maxEnds < 2 || r.links.maxEnds > 64) fail(`links.maxEnds must be in [2, 64], but received ${r.links.maxEnds}`);
  if (r.links.min > 0 && r.nodes.min < 2) fail(`links.min = ${r.links.min} needs nodes.min >= 2 (a link joins distinct nodes), but received nodes.min = ${r.nodes.min}`);
  if (r.sharedNodeCapacity !== undefined && r.sharedNodeCapacity < 1) fail(`sharedNodeCapacity must be at least 1, but received ${r.sharedNodeCapacity}`);
  if (r.sliverTypes.length === 0) fail('sliverTypes must not be empty');
  if (r.diskImages.length === 0) fail('diskImages must not be empty');
  if (r.capacity === 'exceed') {
    if (!r.advertisement) fail("capacity 'exceed' needs an advertisement to exceed");
    if (r.bound === false) fail("capacity 'exceed' binds nodes, so bound must not be false");
    if (!overflowTargets(r).length) {
      fail("capacity 'exceed' needs an exclusive node in the advertisement, or a shared one and a finite sharedNodeCapacity");
    }
  }
  if (r.advertisement && r.bound !== false && r.capacity === 'fit') {
    const room = r.advertisement.nodes.reduce((sum, node) => sum + slotsOf(node, r), 0);
    if (room < r.nodes.min) fail(`bound: ${String(r.bound)} and capacity 'fit' need room for nodes.min = ${r.nodes.min} nodes, but the advertisement offers ${room} available slots`);
  }
  return r;
}

/** Slivers an advertised node can still take: what the advertisement promises, or the caller's shared capacity. @internal */
function slotsOf(node: AdNode, r: Pick<Resolved, 'sharedNodeCapacity'>): number {
  if (!node.available || node.exclusive || r.sharedNodeCapacity === undefined) return promisedSlots(node);
  return r.sharedNodeCapacity;
}

/** Nodes a request can over-ask: exclusive ones (twice is too many) or shared ones with a known capacity. @internal */
function overflowTargets(r: Resolved): AdNode[] {
  const nodes = r.advertisement?.nodes ?? [];
  const exclusive = nodes.filter((node) => node.exclusive);
  if (exclusive.length > 0) return exclusive;
  return r.sharedNodeCapacity !== undefined && Number.isFinite(r.sharedNodeCapacity) ? nodes : [];
}

/**
 * Request RSpec models: nodes (bound to an advertisement or not) with sliver types and disk images, interfaces
 * with IPv4 addresses unique per link subnet, links and LANs whose interface_refs all resolve, optional foreign
 * extension elements, and client_ids unique across nodes, interfaces and links. Every value passes
 * `validateRSpec(serializeRequest(m), { expectedType: 'request' })` and reads back as `requestView(m)`.
 *
 * @example
 * fc.sample(requestRSpec({ advertisement: ad, bound: true, capacity: 'exceed' }), 1)
 */
export function requestRSpec(constraints: RequestRSpecConstraints = {}): fc.Arbitrary<RequestRSpec> {
  const r = resolve(constraints);
  const nodes = fc.array(nodeDraft({ withExtensions: r.withExtensions, maxSpare: r.maxSpare }), { minLength: r.nodes.min, maxLength: r.nodes.max });
  const links: fc.Arbitrary<LinkDraft[]> = r.nodes.max < 2 ? fc.constant([]) : fc.array(linkDraft(r.links.maxEnds), { minLength: r.links.min, maxLength: r.links.max });
  const overflowChoice = r.capacity === 'exceed' ? fc.nat() : fc.constant(0);
  return fc.tuple(nodes, links, overflowChoice).map(([nodeDrafts, linkDrafts, overflow]) => toRequestModel(r, nodeDrafts, linkDrafts, overflow));
}

/**
 * Where a node goes: an advertised node, a made-up component, or nowhere in particular (`sliverTypes`: the types an
 * unbound node may ask for; absent: any the advertisement offers, or the made-up ones). @internal
 */
type Binding = { kind: 'advertised'; node: AdNode } | { kind: 'made-up'; index: number } | { kind: 'unbound'; sliverTypes?: readonly string[] };

/** Sliver types the advertisement's available nodes offer. @internal */
function offeredSliverTypes(ad: Advertisement): string[] {
  return [...new Set(ad.nodes.filter((n) => n.available).flatMap((n) => n.sliverTypes))];
}

/**
 * Assigns bindings in draft order; a node that finds no room is dropped. Unbound nodes are the aggregate's to place,
 * anywhere that offers their sliver type, before or after the bound ones: so they share one sliver type, they are no
 * more than the nodes offering it can take, and every component one of them could land on (one that offers the type
 * or names no type at all) keeps room for all of them besides the bound nodes it gets. Then the request fits
 * whichever way an aggregate places it, as far as the advertisement tells. @internal
 */
function bind(r: Resolved, drafts: NodeDraft[], overflow: number): Array<{ draft: NodeDraft; binding: Binding }> {
  const wants = (draft: NodeDraft): boolean => (r.bound === 'mixed' ? draft.wantsBinding : r.bound);
  const out: Array<{ draft: NodeDraft; binding: Binding }> = [];
  const ad = r.advertisement;
  if (!ad) {
    for (const draft of drafts) out.push({ draft, binding: wants(draft) ? { kind: 'made-up', index: draft.componentChoice % 8 } : { kind: 'unbound' } });
    return out;
  }
  const used = new Map<AdNode, number>();
  let queue = drafts;
  if (r.capacity === 'exceed') {
    const targets = overflowTargets(r);
    const target = targets[overflow % targets.length]!;
    const needed = target.exclusive ? 2 : r.sharedNodeCapacity! + 1;
    // The over-asking nodes come first; extra copies of the first draft (renamed by index later) make up the count.
    const overAsking = Array.from({ length: needed }, (_, i) => drafts[i] ?? drafts[0] ?? fallbackDraft());
    for (const draft of overAsking) out.push({ draft, binding: { kind: 'advertised', node: target } });
    used.set(target, Number.POSITIVE_INFINITY);
    queue = drafts.slice(needed);
  }
  const unboundDrafts = queue.filter((draft) => !wants(draft));
  const offered = offeredSliverTypes(ad);
  // One sliver type for every unbound node, named whenever the advertisement names any (the aggregate's default
  // for an unnamed type is unknown, so it could land anywhere).
  const unboundType = unboundDrafts.length === 0 || offered.length === 0 ? undefined : offered[(unboundDrafts[0]!.sliverTypeChoice ?? 0) % offered.length]!;
  const available = ad.nodes.filter((node) => node.available);
  const hosts = unboundType === undefined ? available : available.filter((node) => node.sliverTypes.includes(unboundType));
  const mayLandOn = new Set(unboundType === undefined ? available : available.filter((node) => node.sliverTypes.length === 0 || node.sliverTypes.includes(unboundType)));
  const unboundCount = Math.min(unboundDrafts.length, hosts.reduce((sum, node) => sum + Math.max(0, slotsOf(node, r) - (used.get(node) ?? 0)), 0));
  const room = (node: AdNode): number => slotsOf(node, r) - (used.get(node) ?? 0) - (mayLandOn.has(node) ? unboundCount : 0);
  let unboundKept = 0;
  for (const draft of queue) {
    if (!wants(draft)) {
      if (unboundKept < unboundCount) {
        unboundKept += 1;
        out.push({ draft, binding: { kind: 'unbound', sliverTypes: unboundType === undefined ? [] : [unboundType] } });
      }
      continue;
    }
    const candidates = ad.nodes.filter((node) => room(node) >= 1);
    const chosen = candidates[draft.componentChoice % Math.max(1, candidates.length)];
    if (chosen) {
      used.set(chosen, (used.get(chosen) ?? 0) + 1);
      out.push({ draft, binding: { kind: 'advertised', node: chosen } });
    }
    // No room left: the node is dropped rather than over-asking by accident.
  }
  // Unbound nodes took the room bound ones wanted (a small inventory): bind them all instead, as `bound: true` would.
  if (r.bound === 'mixed' && out.length < r.nodes.min) return bind({ ...r, bound: true }, drafts, overflow);
  return out;
}

function fallbackDraft(): NodeDraft {
  return { prefix: 'node', wantsBinding: true, componentChoice: 0, withComponentName: false, sliverTypeChoice: null, diskImageChoice: null, exclusive: null, spareInterfaces: 0, extensions: [] };
}

function pick<T>(items: readonly T[], choice: number | null): T | undefined {
  return choice === null || items.length === 0 ? undefined : items[choice % items.length];
}

function extensionXml(draft: ExtensionDraft): { namespace: string; xml: string } {
  const namespace = EXTENSION_NAMESPACES[draft.namespaceChoice % EXTENSION_NAMESPACES.length]!;
  const name = `${draft.prefix}:${draft.localName}`;
  const open = `<${name} xmlns:${draft.prefix}="${namespace}" value="${draft.value}"`;
  return { namespace, xml: draft.text === null ? `${open}/>` : `${open}>${draft.text}</${name}>` };
}

/** Sets a property only when there is a value, so models compare equal to what readRequest builds. @internal */
function withDefined<T extends object>(target: T, fields: { [K in keyof T]?: T[K] | undefined }): T {
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) (target as Record<string, unknown>)[key] = value;
  return target;
}

function toRequestModel(r: Resolved, nodeDrafts: NodeDraft[], linkDrafts: LinkDraft[], overflow: number): RequestRSpec {
  const placed = bind(r, nodeDrafts, overflow);
  const offeredTypes = r.advertisement ? offeredSliverTypes(r.advertisement) : r.sliverTypes;
  const nodes: RSpecNode[] = placed.map(({ draft, binding }, index) => {
    const node: RSpecNode = { clientId: `${draft.prefix}-n${index}`, interfaces: [] };
    let sliverTypes = offeredTypes;
    if (binding.kind === 'advertised') {
      const ad = binding.node;
      sliverTypes = ad.sliverTypes;
      withDefined(node, {
        componentId: ad.componentId,
        componentManagerId: ad.componentManagerId,
        componentName: draft.withComponentName && ad.componentName ? ad.componentName : undefined,
        // Respect exclusivity: say nothing, or say what the advertisement says.
        exclusive: draft.exclusive === null ? undefined : ad.exclusive,
      });
    } else if (binding.kind === 'made-up') {
      withDefined(node, {
        componentId: makeUrn(MADE_UP_AUTHORITY, 'node', `pc${binding.index}`),
        componentManagerId: makeUrn(MADE_UP_AUTHORITY, 'authority', 'cm'),
        componentName: draft.withComponentName ? `pc${binding.index}` : undefined,
        exclusive: draft.exclusive ?? undefined,
      });
    } else if (!r.advertisement) {
      withDefined(node, { exclusive: draft.exclusive ?? undefined });
    }
    const unboundTypes = binding.kind === 'unbound' ? binding.sliverTypes : undefined;
    // An unbound node's type was chosen with its room in mind: it always names it.
    const sliverType = unboundTypes ? unboundTypes[0] : pick(sliverTypes, draft.sliverTypeChoice);
    if (sliverType !== undefined) {
      const diskImage = pick(r.diskImages, draft.diskImageChoice);
      node.sliverType = diskImage === undefined ? { name: sliverType } : { name: sliverType, diskImage };
    }
    if (draft.extensions.length > 0) node.extensions = draft.extensions.map(extensionXml);
    return node;
  });

  const addInterface = (node: RSpecNode, ip?: RSpecInterface['ip']): string => {
    const iface: RSpecInterface = { clientId: `${node.clientId}:if${node.interfaces.length}` };
    if (ip) iface.ip = ip;
    node.interfaces.push(iface);
    return iface.clientId;
  };

  const links: RSpecLink[] = nodes.length < 2 ? [] : linkDrafts.map((draft, k) => {
    const ends = [...new Set(draft.endChoices.map((choice) => choice % nodes.length))];
    if (ends.length < 2) ends.push((ends[0]! + 1) % nodes.length);
    // One /24 per link (10.<k / 256>.<k % 256>.0): addresses are unique within the subnet, subnets never overlap.
    const subnet = `10.${(k >> 8) & 255}.${k & 255}`;
    const refs = ends.map((end, j) =>
      addInterface(nodes[end]!, r.withIpAddresses && draft.withIp ? { address: `${subnet}.${draft.firstHost + j}`, netmask: '255.255.255.0', type: 'ipv4' } : undefined),
    );
    const link: RSpecLink = { clientId: `${draft.prefix}-l${k}`, interfaceRefs: refs };
    const managers = ends.map((end) => nodes[end]!.componentManagerId);
    if (managers.every((manager): manager is string => manager !== undefined)) link.componentManagerIds = [...new Set(managers)];
    if (draft.linkType !== null) link.linkType = draft.linkType;
    return link;
  });

  placed.forEach(({ draft }, index) => {
    for (let i = 0; i < draft.spareInterfaces; i++) addInterface(nodes[index]!);
  });
  return { type: 'request', nodes, links };
}
