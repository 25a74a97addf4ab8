import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { GENI3_NS, serializeAdvertisement, serializeManifest, type AdNode, type ManifestRSpec, type RSpecLink, type RSpecNode } from '../rspec';
import { formatRfc3339 } from './dates';
import type { FaultSet } from './faults';
import type { AggregateModel, Sliver } from './model';
import { withLoginServices, type ManifestLoginOptions } from './node-logins/manifest-logins';

/** The RSpec documents the aggregate writes: its advertisement and the manifests of slivers. */

const ADVERTISEMENT_LIFETIME_MS = 60 * 60 * 1000;

export function advertisementXml(model: AggregateModel, now: Date, options: { availableOnly: boolean; faults: FaultSet }): string {
  const listed = model.inventory.filter(
    (n) => !options.availableOnly || options.faults.has('available-ignored') || model.freeCapacity(n) > 0,
  );
  const nodes: AdNode[] = listed.map((n) => ({
    componentId: n.componentId,
    componentManagerId: model.amUrn,
    componentName: n.name,
    exclusive: n.exclusive,
    available: model.freeCapacity(n) > 0,
    sliverTypes: n.sliverTypes,
    hardwareTypes: n.hardwareTypes,
    interfaces: n.interfaceComponentIds.map((componentId) => ({ componentId })),
  }));
  const xml = serializeAdvertisement({
    type: 'advertisement',
    nodes,
    generated: formatRfc3339(now),
    expires: formatRfc3339(new Date(now.getTime() + ADVERTISEMENT_LIFETIME_MS)),
  });
  const inFormat = options.faults.has('advertisement-in-pgv2') ? inProtoGeniV2(xml) : xml;
  return options.faults.has('invalid-advertisement') ? withoutHardwareTypeNames(inFormat) : inFormat;
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
export function manifestXml(model: AggregateModel, slivers: Sliver[], faults: FaultSet, logins: ManifestLoginOptions = {}): string {
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
  return withLoginServices(serializeManifest(manifest), slivers, faults, logins);
}
