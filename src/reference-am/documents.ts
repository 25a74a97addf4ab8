import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { GENI3_NS, advertisementContent, advertisementDocument, serializeManifest, type AdNode, type ManifestRSpec, type RSpecLink, type RSpecNode } from '../rspec';
import { formatRfc3339 } from './dates';
import type { FaultSet } from './faults';
import type { InventoryNode } from './inventory';
import type { AggregateModel, Sliver } from './model';
import { withLoginServices, type ManifestLoginOptions } from './node-logins/manifest-logins';
import type { Personality } from './personalities';
import type { RSpecWriter } from './rspec-versions';
import { sfaAdvertisement, sfaManifest } from './sfa-rspec';

/** The RSpec documents the aggregate writes: its advertisement and the manifests of slivers. */

const ADVERTISEMENT_LIFETIME_MS = 60 * 60 * 1000;

export interface AdvertisementOptions {
  availableOnly: boolean;
  faults: FaultSet;
  /** The format asked for (one the aggregate advertises). @defaultValue 'geni3' */
  writer?: RSpecWriter;
  /** What the aggregate's advertisement describes of each node (its personality). @defaultValue everything */
  advertises?: Personality['advertises'];
}

export function advertisementXml(model: AggregateModel, now: Date, options: AdvertisementOptions): string {
  const shows = options.advertises ?? { sliverTypes: true, hardwareTypes: true, interfaces: true };
  const everyNodeAvailable = options.faults.has('advertises-allocated-as-available');
  const listed = model.inventory.flatMap((node, index) => {
    const places = model.freeCapacity(node);
    const free = places > 0;
    const shown = !options.availableOnly || options.faults.has('available-ignored') || free;
    return shown ? [{ node, index, available: everyNodeAvailable || free, places }] : [];
  });
  // Its free places, on each hardware type, as ProtoGENI states them (emulab:node_type type_slots).
  const statesSlots = (n: InventoryNode): boolean => shows.hardwareTypes && n.hardwareTypes.length > 0;
  const adNodes = (): AdNode[] => listed.map(({ node: n, available, places }) => ({
    componentId: n.componentId,
    componentManagerId: model.amUrn,
    componentName: n.name,
    exclusive: n.exclusive,
    available,
    sliverTypes: shows.sliverTypes ? n.sliverTypes : [],
    hardwareTypes: shows.hardwareTypes ? n.hardwareTypes : [],
    interfaces: shows.interfaces ? n.interfaceComponentIds.map((componentId) => ({ componentId })) : [],
    ...(statesSlots(n) && { slots: places }),
  }));
  const times = { generated: formatRfc3339(now), expires: formatRfc3339(new Date(now.getTime() + ADVERTISEMENT_LIFETIME_MS)) };
  const writer = options.writer ?? 'geni3';
  if (writer === 'sfa') return sfaAdvertisement(authorityOf(model.amUrn), adNodes(), times);
  // A listed node's element depends on the inventory node, what the personality shows, whether it is available and
  // (where its hardware types state them) its free places.
  const key = `${+shows.sliverTypes}${+shows.hardwareTypes}${+shows.interfaces} ${listed.map((l) => `${l.index}${l.available ? '+' : '-'}${statesSlots(l.node) ? l.places : ''}`).join(',')}`;
  // Its own operational state machines, declared as racks declare them (opstate extension, one per group of sliver types).
  const operationalStates = model.ownStates.map((own) => ({ aggregateManagerId: model.amUrn, ...own.machine }));
  const xml = advertisementDocument(times, keptContent(model, key, () => advertisementContent({ nodes: adNodes(), operationalStates })), { dialect: writer });
  const inFormat = options.faults.has('advertisement-in-pgv2') ? inProtoGeniV2(xml) : xml;
  return options.faults.has('invalid-advertisement') ? withoutHardwareTypeNames(inFormat) : inFormat;
}

/**
 * The serialized nodes of each aggregate's advertisement, by what they show (which nodes, which of them available):
 * an aggregate asked for its advertisement again and again (fifty peers behind a slice manager, each asked on every
 * fan-out) writes it once per change of its inventory, and a change (an allocation, a deletion, an expiry) is a new
 * key, never a stale answer. Only the root element, which carries the time, is written on every call.
 */
const keptContents = new WeakMap<AggregateModel, Map<string, string[]>>();
/** Keys per aggregate: a few filters and availabilities at a time; a busy inventory replaces them. */
const MAX_KEPT_CONTENTS = 8;

function keptContent(model: AggregateModel, key: string, write: () => string[]): string[] {
  let kept = keptContents.get(model);
  if (!kept) keptContents.set(model, (kept = new Map()));
  let content = kept.get(key);
  if (!content) {
    if (kept.size >= MAX_KEPT_CONTENTS) kept.clear();
    content = write();
    kept.set(key, content);
  }
  return content;
}

/** The advertisement-in-pgv2 fault: the same document in the ProtoGENI v2 namespace, whatever was asked for. */
function inProtoGeniV2(xml: string): string {
  return xml.replaceAll(GENI3_NS, 'http://www.protogeni.net/resources/rspec/2');
}

/** The invalid-advertisement fault: hardware_type loses its required name attribute. */
function withoutHardwareTypeNames(xml: string): string {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const types = doc.getElementsByTagNameNS(GENI3_NS, 'hardware_type');
  for (let i = 0; i < types.length; i++) types.item(i)!.removeAttribute('name');
  return new XMLSerializer().serializeToString(doc);
}

/**
 * A manifest describing `slivers` (all of one slice); an empty list gives a valid manifest with no nodes. Provisioned
 * nodes list how to log in (node-logins/manifest-logins.ts).
 */
export function manifestXml(model: AggregateModel, slivers: Sliver[], faults: FaultSet, logins: ManifestLoginOptions = {}, writer: RSpecWriter = 'geni3'): string {
  const withIds = !faults.has('manifest-missing-sliver-id');
  const nodes: RSpecNode[] = [];
  const links: RSpecLink[] = [];
  for (const sliver of slivers) {
    if (sliver.node) {
      const n = sliver.node;
      nodes.push({
        clientId: sliver.clientId,
        componentId: n.componentId,
        componentManagerId: model.amUrn,
        componentName: n.componentName,
        exclusive: n.exclusive,
        sliverId: withIds ? sliver.urn : undefined,
        sliverType: { name: n.sliverType, diskImage: n.diskImage },
        interfaces: n.interfaces.map((iface) => ({
          clientId: iface.clientId,
          componentId: iface.componentId,
          sliverId: withIds ? iface.sliverId : undefined,
          macAddress: iface.macAddress,
        })),
      });
    } else if (sliver.link) {
      links.push({
        clientId: sliver.clientId,
        sliverId: withIds ? sliver.urn : undefined,
        componentManagerIds: [model.amUrn],
        interfaceRefs: sliver.link.interfaceRefs,
      });
    }
  }
  const manifest: ManifestRSpec = { type: 'manifest', nodes, links };
  if (writer === 'sfa') {
    const now = new Date();
    return sfaManifest(authorityOf(model.amUrn), nodes, { generated: formatRfc3339(now), expires: formatRfc3339(new Date(now.getTime() + ADVERTISEMENT_LIFETIME_MS)) });
  }
  return withLoginServices(serializeManifest(manifest, { dialect: writer }), slivers, faults, logins);
}

/** The authority part of the aggregate's URN (urn:publicid:IDN+<authority>+authority+am). */
function authorityOf(amUrn: string): string {
  return amUrn.split('+')[1] ?? amUrn;
}
