import type libxmljs from 'libxmljs2';
import { RSpecParseError } from './errors';
import { parseXmlSafely } from './parse';
import { GENI3_NAMESPACE, PGV2_NAMESPACE } from './schemas';
import { EMULAB_NS, OPSTATE_NS, type Advertisement, type AdNode, type ManifestRSpec, type OperationalStateMachine, type RequestRSpec, type RSpecInterface, type RSpecLink, type RSpecNode } from './model';

/**
 * Maps an RSpec document onto the model. Parsing is safe (no DTD) and everything the model needs is
 * checked: a wrong root, a wrong type or a missing required attribute throws RSpecParseError naming it
 * and its line. Elements the model does not cover are ignored, except node extensions, which are kept.
 * ProtoGENI v2 documents are read as well: their vocabulary is the same.
 */
export function readRequest(xml: string): RequestRSpec {
  const { root, ns } = openRSpec(xml, 'request');
  return { type: 'request', nodes: readNodes(root, ns, false), links: readLinks(root, ns, false) };
}

export function readManifest(xml: string): ManifestRSpec {
  const { root, ns } = openRSpec(xml, 'manifest');
  const model: ManifestRSpec = { type: 'manifest', nodes: readNodes(root, ns, true), links: readLinks(root, ns, true) };
  assign(model, 'expires', optional(root, 'expires'));
  return model;
}

export function readAdvertisement(xml: string): Advertisement {
  const { root, ns } = openRSpec(xml, 'advertisement');
  const nodes = children(root, ns, 'node').map((node): AdNode => {
    const model: AdNode = {
      componentId: required(node, 'component_id'),
      componentManagerId: required(node, 'component_manager_id'),
      componentName: optional(node, 'component_name') ?? '',
      exclusive: booleanAttribute(node, 'exclusive', true)!,
      available: children(node, ns, 'available').some((available) => booleanAttribute(available, 'now', true)),
      sliverTypes: children(node, ns, 'sliver_type').map((type) => required(type, 'name')),
      hardwareTypes: children(node, ns, 'hardware_type').map((type) => required(type, 'name')),
      interfaces: children(node, ns, 'interface').map((iface) => ({ componentId: required(iface, 'component_id') })),
    };
    assign(model, 'slots', statedSlots(children(node, ns, 'hardware_type')));
    return model;
  });
  const links = children(root, ns, 'link').map((link) => ({
    componentId: required(link, 'component_id'),
    interfaceRefs: children(link, ns, 'interface_ref').map((ref) => required(ref, 'component_id')),
  }));
  const model: Advertisement = { type: 'advertisement', nodes, links };
  const machines = operationalStateMachines(root);
  if (machines.length > 0) model.operationalStates = machines;
  assign(model, 'generated', optional(root, 'generated'));
  assign(model, 'expires', optional(root, 'expires'));
  return model;
}

/**
 * The operational state machines of the opstate extension (`<opstate:rspec_opstate>` at the top level), read
 * tolerantly: an extension is optional and no schema checks it, so an element or attribute the reader cannot use is
 * left out (a state, action or sliver type without a name; a machine that names no state), never an error.
 */
function operationalStateMachines(root: libxmljs.Element): OperationalStateMachine[] {
  const named = (elements: libxmljs.Element[]) => elements.flatMap((e) => {
    const name = optional(e, 'name')?.trim();
    return name ? [{ element: e, name }] : [];
  });
  const text = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);
  return children(root, OPSTATE_NS, 'rspec_opstate').flatMap((opstate): OperationalStateMachine[] => {
    const states = named(children(opstate, OPSTATE_NS, 'state')).map(({ element, name }) => {
      const actions = named(children(element, OPSTATE_NS, 'action')).map((action) => {
        const next = text(optional(action.element, 'next'));
        return next === undefined ? { name: action.name } : { name: action.name, next };
      });
      const waits = children(element, OPSTATE_NS, 'wait').map((wait) => {
        const type = text(optional(wait, 'type')) ?? '';
        const next = text(optional(wait, 'next'));
        return next === undefined ? { type } : { type, next };
      });
      const description = text(children(element, OPSTATE_NS, 'description')[0]?.text());
      return description === undefined ? { name, actions, waits } : { name, actions, waits, description };
    });
    if (states.length === 0) return [];
    const machine: OperationalStateMachine = { sliverTypes: named(children(opstate, OPSTATE_NS, 'sliver_type')).map((t) => t.name), states };
    assign(machine, 'aggregateManagerId', text(optional(opstate, 'aggregate_manager_id')));
    assign(machine, 'start', text(optional(opstate, 'start')));
    return [machine];
  });
}

/**
 * The capacity a node's hardware types state (`<emulab:node_type type_slots>`: a count or "unlimited"): the smallest,
 * a type that states none counting as 1; undefined when none states one. Read conservatively, since asking a node for
 * more than it has gets a working aggregate's refusal: every node_type of a type counts (the smallest), and a count
 * that is stated but cannot be read as one (not a whole number or "unlimited", or past what a double holds exactly)
 * is 1.
 */
function statedSlots(hardwareTypes: libxmljs.Element[]): number | undefined {
  const counts = hardwareTypes.map((type) => {
    const stated = children(type, EMULAB_NS, 'node_type').flatMap((nodeType) => {
      const value = optional(nodeType, 'type_slots')?.trim();
      if (value === undefined) return [];
      if (value === 'unlimited') return [Number.POSITIVE_INFINITY];
      const count = /^\d+$/.test(value) ? Number(value) : Number.NaN;
      return [Number.isSafeInteger(count) ? count : 1];
    });
    return stated.length > 0 ? Math.min(...stated) : undefined;
  });
  if (counts.every((count) => count === undefined)) return undefined;
  return Math.min(...counts.map((count) => count ?? 1));
}

function openRSpec(xml: string, type: 'advertisement' | 'request' | 'manifest'): { root: libxmljs.Element; ns: string } {
  const what = `${type} RSpec`;
  const root = parseXmlSafely(xml, what).root()!;
  const ns = root.namespace()?.href() ?? '';
  if (root.name() !== 'rspec' || (ns !== GENI3_NAMESPACE && ns !== PGV2_NAMESPACE)) {
    throw new RSpecParseError(
      'wrong-root',
      `${what}: root element is <${root.name()}> in namespace "${ns || '(none)'}", expected <rspec> in ${GENI3_NAMESPACE} or ${PGV2_NAMESPACE}`,
      root.line(),
    );
  }
  const declared = optional(root, 'type');
  if (declared !== type) {
    throw new RSpecParseError('wrong-type', `${what}: root type is "${declared ?? '(missing)'}", expected "${type}"`, root.line());
  }
  return { root, ns };
}

function readNodes(root: libxmljs.Element, ns: string, manifest: boolean): RSpecNode[] {
  return children(root, ns, 'node').map((node) => {
    const model: RSpecNode = { clientId: required(node, 'client_id'), interfaces: children(node, ns, 'interface').map((iface) => readInterface(iface, ns, manifest)) };
    assign(model, 'componentId', optional(node, 'component_id'));
    assign(model, 'componentManagerId', optional(node, 'component_manager_id'));
    assign(model, 'componentName', optional(node, 'component_name'));
    assign(model, 'exclusive', booleanAttribute(node, 'exclusive', false));
    if (manifest) assign(model, 'sliverId', optional(node, 'sliver_id'));
    const sliverType = children(node, ns, 'sliver_type')[0];
    if (sliverType) {
      const image = children(sliverType, ns, 'disk_image')[0];
      model.sliverType = image ? { name: required(sliverType, 'name'), diskImage: required(image, 'name') } : { name: required(sliverType, 'name') };
    }
    const extensions = elementChildren(node)
      .filter((child) => (child.namespace()?.href() ?? '') !== ns)
      .map((child) => ({ namespace: child.namespace()?.href() ?? '', xml: standaloneXml(child) }));
    if (extensions.length > 0) model.extensions = extensions;
    return model;
  });
}

function readInterface(iface: libxmljs.Element, ns: string, manifest: boolean): RSpecInterface {
  const model: RSpecInterface = { clientId: required(iface, 'client_id') };
  assign(model, 'componentId', optional(iface, 'component_id'));
  if (manifest) {
    assign(model, 'sliverId', optional(iface, 'sliver_id'));
    assign(model, 'macAddress', optional(iface, 'mac_address'));
  }
  const ip = children(iface, ns, 'ip')[0];
  if (ip) {
    const address: NonNullable<RSpecInterface['ip']> = { address: required(ip, 'address') };
    assign(address, 'netmask', optional(ip, 'netmask'));
    assign(address, 'type', optional(ip, 'type'));
    model.ip = address;
  }
  return model;
}

function readLinks(root: libxmljs.Element, ns: string, manifest: boolean): RSpecLink[] {
  return children(root, ns, 'link').map((link) => {
    const model: RSpecLink = {
      clientId: required(link, 'client_id'),
      interfaceRefs: children(link, ns, 'interface_ref').map((ref) => required(ref, 'client_id')),
    };
    if (manifest) {
      assign(model, 'sliverId', optional(link, 'sliver_id'));
      const vlanTag = optional(link, 'vlantag');
      if (vlanTag) model.vlanTag = vlanTag; // "" is how the serializer says "none assigned"
    }
    const managers = children(link, ns, 'component_manager').map((manager) => required(manager, 'name'));
    if (managers.length > 0) model.componentManagerIds = managers;
    assign(model, 'linkType', children(link, ns, 'link_type')[0] && required(children(link, ns, 'link_type')[0]!, 'name'));
    return model;
  });
}

function elementChildren(parent: libxmljs.Element): libxmljs.Element[] {
  return parent.childNodes().filter((child): child is libxmljs.Element => child.type() === 'element');
}

function children(parent: libxmljs.Element, ns: string, name: string): libxmljs.Element[] {
  return elementChildren(parent).filter((child) => child.name() === name && (child.namespace()?.href() ?? '') === ns);
}

function optional(element: libxmljs.Element, name: string): string | undefined {
  // Only attributes without a namespace: extension attributes (emulab:foo) never stand in for core ones.
  const attribute = element.attrs().find((candidate) => candidate.name() === name && candidate.namespace() === null);
  return attribute?.value();
}

function required(element: libxmljs.Element, name: string): string {
  const value = optional(element, name);
  if (value === undefined) {
    throw new RSpecParseError('missing-attribute', `<${element.name()}> at line ${element.line()} has no ${name} attribute`, element.line());
  }
  return value;
}

function booleanAttribute(element: libxmljs.Element, name: string, mandatory: boolean): boolean | undefined {
  const value = mandatory ? required(element, name) : optional(element, name);
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === 'true' || trimmed === '1') return true;
  if (trimmed === 'false' || trimmed === '0') return false;
  throw new RSpecParseError('bad-value', `<${element.name()}> at line ${element.line()}: ${name}="${value}" is not an xs:boolean`, element.line());
}

/** Sets a property only when there is a value, so models compare equal without undefined-valued keys. */
function assign<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

/**
 * An extension element as text that parses on its own: libxml2 serializes a subtree without the
 * namespace declarations it inherits, so the element's own declaration is added back when missing.
 */
function standaloneXml(child: libxmljs.Element): string {
  const text = child.toString(false);
  const namespace = child.namespace();
  if (!namespace) return text;
  const prefix = namespace.prefix();
  const declaration = prefix ? `xmlns:${prefix}=` : 'xmlns=';
  const startTag = text.slice(0, text.indexOf('>'));
  if (startTag.includes(declaration)) return text;
  const nameEnd = text.search(/[\s/>]/);
  return `${text.slice(0, nameEnd)} ${declaration}"${namespace.href().replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"${text.slice(nameEnd)}`;
}
