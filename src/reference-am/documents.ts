import { DOMParser, XMLSerializer, type Element } from '@xmldom/xmldom';
import { parseUrn } from '../geni/urn';
import { GENI3_NS, serializeAdvertisement, serializeManifest, type AdNode, type ManifestRSpec, type RSpecLink, type RSpecNode } from '../rspec';
import { formatRfc3339 } from './dates';
import type { FaultSet } from './faults';
import type { AggregateModel, Sliver } from './model';

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

/** A manifest describing `slivers` (all of one slice); an empty list gives a valid manifest with no nodes. */
export function manifestXml(model: AggregateModel, slivers: Sliver[], faults: FaultSet): string {
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
  return withLogins(serializeManifest(manifest), slivers, model);
}

/**
 * geni_users show up in the manifest as <services><login/></services> on each provisioned node, one login per
 * user (CommonConcepts: the manifest tells the experimenter how to log in). The model has no field for
 * services, so they are added to the serialized document.
 */
function withLogins(xml: string, slivers: Sliver[], model: AggregateModel): string {
  const byClientId = new Map(slivers.filter((s) => s.node && s.users.length > 0).map((s) => [s.clientId, s]));
  if (byClientId.size === 0) return xml;
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const nodes = doc.getElementsByTagNameNS(GENI3_NS, 'node');
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes.item(i) as Element;
    const sliver = byClientId.get(node.getAttribute('client_id') ?? '');
    if (!sliver?.node) continue;
    const services = doc.createElementNS(GENI3_NS, 'services');
    const authority = parseUrn(model.amUrn)?.authority ?? 'localhost';
    for (const user of sliver.users) {
      const login = doc.createElementNS(GENI3_NS, 'login');
      login.setAttribute('authentication', 'ssh-keys');
      login.setAttribute('hostname', `${sliver.node.componentName}.${authority}`);
      login.setAttribute('port', '22');
      login.setAttribute('username', loginName(user.urn));
      services.appendChild(login);
    }
    node.insertBefore(services, node.firstChild);
  }
  return new XMLSerializer().serializeToString(doc);
}

/** GENI usernames: a letter then up to 7 word characters, derived from the user URN's name. */
function loginName(userUrn: string): string {
  const raw = (parseUrn(userUrn)?.name ?? 'user').replace(/[^A-Za-z0-9_]/g, '');
  const name = /^[A-Za-z]/.test(raw) ? raw : `u${raw}`;
  return name.slice(0, 8).toLowerCase();
}
